/*
 * The raw reference for ipc-shm: the whole object mapped, and the bytes
 * copied between it and a file with one read(2) or write(2) a MiB, as
 * a program that only moves the bytes would (a memcpy from or into the
 * mapping, in the kernel).
 *
 *	shm_raw in NAME		stdin into the POSIX object NAME (/NAME)
 *	shm_raw out NAME	the object to stdout
 *	shm_raw in -S ID	the same for a System V segment, by id
 *	shm_raw out -S ID
 *	shm_raw one NAME DATA	DATA at the start of NAME (start-up)
 */
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK	(1 << 20)

static char *
map(const char *name, int sysv, size_t *size)
{
	struct shmid_ds ds;
	struct stat st;
	void *p;
	int fd, id;

	if (sysv) {
		id = atoi(name);
		if (shmctl(id, IPC_STAT, &ds) == -1 ||
		    (p = shmat(id, NULL, 0)) == (void *)-1)
			err(1, "shmat %s", name);
		*size = ds.shm_segsz;
		return p;
	}
	if ((fd = shm_open(name, O_RDWR, 0)) == -1 || fstat(fd, &st) == -1)
		err(1, "%s", name);
	*size = (size_t)st.st_size;
	p = mmap(NULL, *size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap %s", name);
	close(fd);
	return p;
}

static void
in(char *base, size_t size)
{
	size_t off = 0;
	ssize_t n;

	while (off < size) {
		n = read(0, base + off, size - off < CHUNK ? size - off : CHUNK);
		if (n == 0)
			return;
		if (n > 0)
			off += (size_t)n;
		else if (errno != EINTR)
			err(1, "read");
	}
}

static void
out(const char *base, size_t size)
{
	size_t off = 0;
	ssize_t n;

	while (off < size) {
		n = write(1, base + off, size - off < CHUNK ? size - off : CHUNK);
		if (n > 0)
			off += (size_t)n;
		else if (errno != EINTR)
			err(1, "write");
	}
}

int
main(int argc, char *argv[])
{
	int sysv = argc == 4 && strcmp(argv[2], "-S") == 0;
	size_t size;
	char *base;

	if (argc == 4 && strcmp(argv[1], "one") == 0) {
		base = map(argv[2], 0, &size);
		if (strlen(argv[3]) > size)
			errx(1, "too long");
		memcpy(base, argv[3], strlen(argv[3]));
		return 0;
	}
	if (argc != 3 + sysv)
		errx(2, "usage: shm_raw in|out [-S] NAME|ID | shm_raw one NAME DATA");
	base = map(argv[2 + sysv], sysv, &size);
	if (strcmp(argv[1], "in") == 0)
		in(base, size);
	else
		out(base, size);
	return 0;
}
