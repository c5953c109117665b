/*
 * An independent System V shared memory client for the tests: libc's
 * shmat and shmdt, nothing from ipc-tools.
 *
 *	shmpeer write ID OFFSET DATA	copy DATA in at OFFSET
 *	shmpeer read ID OFFSET LEN	print LEN bytes from OFFSET
 *	shmpeer hold ID READY		attach, create READY, wait
 */
#include <sys/ipc.h>
#include <sys/shm.h>
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *
attach(const char *id)
{
	char *p = shmat(atoi(id), NULL, 0);

	if (p == (void *)-1)
		err(1, "shmat %s", id);
	return p;
}

int
main(int argc, char *argv[])
{
	char *p;
	int fd;

	if (argc == 5 && strcmp(argv[1], "write") == 0) {
		p = attach(argv[2]);
		memcpy(p + atol(argv[3]), argv[4], strlen(argv[4]));
		return shmdt(p) == -1;
	}
	if (argc == 5 && strcmp(argv[1], "read") == 0) {
		p = attach(argv[2]);
		fwrite(p + atol(argv[3]), 1, (size_t)atol(argv[4]), stdout);
		return shmdt(p) == -1;
	}
	if (argc == 4 && strcmp(argv[1], "hold") == 0) {
		p = attach(argv[2]);
		if ((fd = open(argv[3], O_WRONLY | O_CREAT, 0600)) == -1)
			err(1, "%s", argv[3]);
		close(fd);
		pause();
		return 0;
	}
	errx(2, "usage: shmpeer write|read|hold ...");
}
