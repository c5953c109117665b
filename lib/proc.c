/*
 * Who holds an object: every process's descriptors in /proc, matched by
 * (st_dev, st_ino) of what they lead to, never by the name a link shows.
 */
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

static void
add(struct holders *hs, const struct holder *h)
{
	if (hs->n == hs->cap) {
		hs->cap = hs->cap ? hs->cap * 2 : 16;
		hs->h = reallocarray(hs->h, hs->cap, sizeof(*hs->h));
		if (hs->h == NULL)
			err(1, NULL);
	}
	hs->h[hs->n++] = *h;
}

/* fdinfo's text: the open flags' access mode, O_RDONLY, O_WRONLY or
 * O_RDWR; -1 where it has no flags line */
int
proc_fdinfo_acc(const char *buf)
{
	const char *p;

	if ((p = strstr(buf, "flags:")) == NULL)
		return -1;
	return (int)(strtoul(p + 6, NULL, 8) & O_ACCMODE);
}

/* the descriptor's open flags from fdinfo: O_RDONLY, O_WRONLY or O_RDWR */
static int
fd_acc(int piddir, const char *fd)
{
	char path[300], buf[256];
	ssize_t n;
	int f;

	snprintf(path, sizeof(path), "fdinfo/%s", fd);
	if ((f = openat(piddir, path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(f, buf, sizeof(buf) - 1);
	close(f);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return proc_fdinfo_acc(buf);
}

static void
scan_pid(struct holders *hs, int piddir, pid_t pid, proc_fd_fn match,
    void *arg)
{
	struct holder h = { .pid = pid };
	struct dirent *e;
	struct stat st;
	DIR *d;
	int fdd;

	if ((fdd = openat(piddir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		if (errno == EACCES)
			hs->partial = 1;
		return;
	}
	if ((d = fdopendir(fdd)) == NULL) {
		close(fdd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || fstatat(fdd, e->d_name, &st, 0) == -1)
			continue;
		if (!match(&st, arg))
			continue;
		h.fd = (int)strtol(e->d_name, NULL, 10);
		h.acc = fd_acc(piddir, e->d_name);
		h.dev = st.st_dev;
		h.ino = st.st_ino;
		add(hs, &h);
	}
	closedir(d);
}

/* every descriptor of every other process that match() accepts */
void
proc_scan_fds(struct holders *hs, proc_fd_fn match, void *arg)
{
	struct dirent *e;
	DIR *proc;
	pid_t self = getpid();
	int piddir;

	memset(hs, 0, sizeof(*hs));
	if ((proc = opendir("/proc")) == NULL)
		return;
	while ((e = readdir(proc)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		if ((pid_t)strtol(e->d_name, NULL, 10) == self)
			continue;
		piddir = openat(dirfd(proc), e->d_name,
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (piddir == -1)
			continue;
		scan_pid(hs, piddir, (pid_t)strtol(e->d_name, NULL, 10), match, arg);
		close(piddir);
	}
	closedir(proc);
}

static int
is_sock(const struct stat *st, void *arg)
{
	const ino_t *ino = arg;

	return S_ISSOCK(st->st_mode) && (*ino == 0 || st->st_ino == *ino);
}

static int
by_sock(const void *a, const void *b)
{
	const struct holder *x = a, *y = b;

	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/*
 * Every other process's descriptors of the socket inode ino (0: of any
 * socket), in one pass over /proc, sorted by inode for holders_sock:
 * sockets all live on sockfs, so the inode alone names one
 */
void
proc_scan_socks(struct holders *hs, ino_t ino)
{
	proc_scan_fds(hs, is_sock, &ino);
	if (hs->n > 0)		/* qsort(NULL, 0, ...) is undefined */
		qsort(hs->h, hs->n, sizeof(hs->h[0]), by_sock);
}

#define SHM_ANY	((ino_t)-1)	/* any segment: shmid 0 is one */

/* whether a maps line maps what scan_maps looks for; *got its inode */
static int
map_matches(const char *line, dev_t dev, ino_t ino, int sysv, ino_t *got)
{
	unsigned long long inode;
	dev_t mdev;

	if (sysv) {
		if (strstr(line, " /SYSV") == NULL ||
		    sscanf(line, "%*s %*s %*s %*s %llu", &inode) != 1)
			return 0;
		*got = (ino_t)inode;
		return ino == SHM_ANY || *got == ino;
	}
	if (proc_maps_line(line, &mdev, got) == -1 || mdev != dev)
		return 0;
	return ino == 0 || *got == ino;
}

/*
 * each mapping of (dev, ino) in one process's maps, once; sysv: of the
 * System V segment ino (SHM_ANY: of any), mapped as "/SYSV0000abcd (deleted)"
 * with its shmid as the inode, on whatever device shmat gave it
 */
static void
scan_maps(struct holders *hs, int piddir, pid_t pid, dev_t dev, ino_t ino,
    int sysv)
{
	struct holder h = { .pid = pid, .fd = -1, .acc = -1 };
	ino_t mino;
	char line[512];
	FILE *f;
	int fd;

	if ((fd = openat(piddir, "maps", O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == EACCES)
			hs->partial = 1;
		return;
	}
	if ((f = fdopen(fd, "r")) == NULL) {
		close(fd);
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (!map_matches(line, dev, ino, sysv, &mino))
			continue;
		h.dev = sysv ? 0 : dev;
		h.ino = mino;
		add(hs, &h);
		if (ino != (sysv ? SHM_ANY : 0))
			break;
	}
	fclose(f);
}

/* a line of /proc/PID/maps: the file mapped; -1 where it maps none */
int
proc_maps_line(const char *line, dev_t *dev, ino_t *ino)
{
	unsigned maj, min;
	unsigned long long inode;

	if (sscanf(line, "%*s %*s %*s %x:%x %llu", &maj, &min, &inode) != 3 ||
	    inode == 0)
		return -1;
	*dev = makedev(maj, min);
	*ino = (ino_t)inode;
	return 0;
}

static void
scan_all_maps(struct holders *hs, dev_t dev, ino_t ino, int sysv)
{
	struct dirent *e;
	DIR *proc;
	pid_t pid, self = getpid();
	int piddir;

	if ((proc = opendir("/proc")) == NULL)
		return;
	while ((e = readdir(proc)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]) ||
		    (pid = (pid_t)strtol(e->d_name, NULL, 10)) == self)
			continue;
		piddir = openat(dirfd(proc), e->d_name,
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (piddir == -1)
			continue;
		scan_maps(hs, piddir, pid, dev, ino, sysv);
		close(piddir);
	}
	closedir(proc);
}

/*
 * Every other process that maps (dev, ino) (ino 0: anything on dev),
 * added to hs: a mapping outlives the descriptor it was made with
 */
void
proc_scan_maps(struct holders *hs, dev_t dev, ino_t ino)
{
	scan_all_maps(hs, dev, ino, 0);
}

/*
 * Every other process that has the System V segment shmid (-1: any)
 * attached, added to hs with dev 0 and the shmid as ino
 */
void
proc_scan_shm(struct holders *hs, int shmid)
{
	scan_all_maps(hs, 0, shmid < 0 ? SHM_ANY : (ino_t)shmid, 1);
}

/* the command name, with what would break a list (',', blanks) as '_' */
void
proc_comm(pid_t pid, char *buf, size_t len)
{
	char path[64];
	size_t i;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	buf[0] = '\0';
	if ((f = fopen(path, "re")) != NULL) {
		if (fgets(buf, (int)len, f) == NULL)
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] == ',' || isspace((unsigned char)buf[i]))
			buf[i] = '_';
}

/* the first line of /proc/PID/name into buf; 0, or -1 */
static int
proc_line(int piddir, const char *name, char *buf, size_t len)
{
	ssize_t n;
	int f;

	if ((f = openat(piddir, name, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(f, buf, len - 1);
	close(f);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* the NUL-terminated string at addr in the process's memory */
static int
proc_string(int piddir, unsigned long addr, char *buf, size_t len)
{
	ssize_t n;
	int f;

	if ((f = openat(piddir, "mem", O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = pread(f, buf, len - 1, (off_t)addr);
	close(f);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strlen(buf) < (size_t)n ? 0 : -1;
}

/*
 * A line of /proc/PID/syscall: where it is in open(2) or openat(2), its
 * arguments as openat's (directory, path's address, flags); else -1
 */
int
proc_syscall_open(const char *line, unsigned long a[3])
{
	unsigned long x[4];
	long nr;

	if (sscanf(line, "%ld %lx %lx %lx %lx", &nr, &x[0], &x[1], &x[2],
	    &x[3]) != 5)
		return -1;	/* "running", or no syscall */
#ifdef SYS_open
	if (nr == SYS_open) {
		a[0] = (unsigned long)AT_FDCWD;
		a[1] = x[0];
		a[2] = x[1];
		return 0;
	}
#endif
	if (nr != SYS_openat)
		return -1;
	memcpy(a, x, 3 * sizeof(*a));
	return 0;
}

enum { OPEN_NONE, OPEN_SEEN, OPEN_UNKNOWN, OPEN_HIDDEN };

/*
 * path, opened relative to the directory base leads to (a process's
 * cwd or directory descriptor in /proc), as a person would name it
 */
static char *
shown_path(const char *base, const char *path)
{
	char dir[PATH_MAX], *s;
	ssize_t n;

	if (base == NULL || (n = readlink(base, dir, sizeof(dir) - 1)) == -1)
		s = strdup(path);
	else {
		dir[n] = '\0';
		if (asprintf(&s, "%s/%s", strcmp(dir, "/") ? dir : "",
		    path) == -1)
			s = NULL;
	}
	if (s == NULL)
		err(1, NULL);
	return s;
}

/*
 * What a process in open(2) is opening, from /proc/PID/syscall and its
 * memory: dev and ino of the target, acc its access mode. OPEN_NONE: it
 * is not in an open; OPEN_HIDDEN: we may not look (another user's);
 * OPEN_UNKNOWN: in an open, but of what cannot be read.
 */
static int
opening(int piddir, struct holder *h)
{
	char line[512], path[PATH_MAX], at[PATH_MAX + 64], base[64];
	unsigned long a[3];
	struct stat st;
	int dirfd;

	if (proc_line(piddir, "syscall", line, sizeof(line)) == -1)
		return errno == EACCES || errno == EPERM ? OPEN_HIDDEN :
		    OPEN_NONE;
	if (proc_syscall_open(line, a) == -1)
		return OPEN_NONE;
	if (proc_string(piddir, a[1], path, sizeof(path)) == -1)
		return OPEN_UNKNOWN;
	dirfd = (int)a[0];
	if (dirfd == AT_FDCWD)
		snprintf(base, sizeof(base), "/proc/%d/cwd", (int)h->pid);
	else
		snprintf(base, sizeof(base), "/proc/%d/fd/%d", (int)h->pid,
		    dirfd);
	snprintf(at, sizeof(at), "%s/%s", path[0] == '/' ? "" : base, path);
	if (stat(path[0] == '/' ? path : at, &st) == -1)
		return OPEN_UNKNOWN;
	h->dev = st.st_dev;
	h->ino = st.st_ino;
	h->acc = (int)(a[2] & O_ACCMODE);
	h->path = shown_path(path[0] == '/' ? NULL : base, path);
	return OPEN_SEEN;
}

/*
 * Every process we can see in the middle of an open(2) (blocked there,
 * as a FIFO's opener waiting for its other end is): what it opens and
 * how, from /proc/PID/syscall and its memory. Those we cannot look into
 * (another user's) set hs->partial; one seen opening but not what has
 * dev and ino 0.
 */
void
proc_scan_openers(struct holders *hs)
{
	struct holder h = { .fd = -1 };
	struct dirent *e;
	DIR *proc;
	pid_t self = getpid();
	int piddir, r;

	memset(hs, 0, sizeof(*hs));
	if ((proc = opendir("/proc")) == NULL)
		return;
	while ((e = readdir(proc)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]) ||
		    (h.pid = (pid_t)strtol(e->d_name, NULL, 10)) == self)
			continue;
		piddir = openat(dirfd(proc), e->d_name,
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (piddir == -1)
			continue;
		h.path = NULL;
		if ((r = opening(piddir, &h)) == OPEN_HIDDEN)
			hs->partial = 1;
		else if (r == OPEN_UNKNOWN) {
			h.dev = 0;
			h.ino = 0;
			h.acc = -1;
			hs->partial = 1;
			add(hs, &h);
		} else if (r == OPEN_SEEN)
			add(hs, &h);
		close(piddir);
	}
	closedir(proc);
}
