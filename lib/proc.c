/*
 * Who holds an object: every process's descriptors in /proc, matched by
 * (st_dev, st_ino) of what they lead to, never by the name a link shows;
 * the questions asked of the run's one index (pidx.c), and the parsers
 * of the /proc text it reads.
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

static struct pidx run;		/* proc_index's */

/* the run's index, with parts read (each once per run: see ipc.h) */
struct pidx *
proc_index(int parts)
{
	static int registered;

	if (!registered) {
		registered = 1;
		atexit(proc_index_forget);
	}
	pidx_read(&run, parts);
	return &run;
}

/* drop the run's index: the next question reads /proc afresh */
void
proc_index_forget(void)
{
	pidx_free(&run);
}

static int
by_pid(const void *a, const void *b)
{
	const struct holder *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* the holders in object order, for holders.c to search */
static void
by_object(struct holders *hs)
{
	if (hs->n > 1)
		qsort(hs->h, hs->n, sizeof(hs->h[0]), pidx_cmp);
	hs->sorted = 1;
}

/* hs now also holds what parts gave: how many processes hid them */
static void
took(struct holders *hs, const struct pidx *ix, int parts)
{
	hs->parts |= parts;
	hs->unread = pidx_unread(ix, hs->parts, hs->unread_pid, HOLDERS_PIDS);
	if (hs->unread > 0)
		hs->partial = 1;
}

/* every descriptor of every other process that match() accepts */
void
proc_scan_fds(struct holders *hs, proc_fd_fn match, void *arg)
{
	struct pidx *ix = proc_index(PIDX_FDS);
	struct stat st;
	size_t i;

	memset(hs, 0, sizeof(*hs));
	memset(&st, 0, sizeof(st));
	for (i = 0; i < ix->n; i++) {
		if (ix->e[i].kind != PIDX_FD)
			continue;
		st.st_dev = ix->e[i].dev;
		st.st_ino = ix->e[i].ino;
		st.st_mode = ix->e[i].mode;
		if (!match(&st, arg))
			continue;
		pidx_acc(&ix->e[i]);
		add(hs, &ix->e[i]);
	}
	by_object(hs);
	took(hs, ix, PIDX_FDS);
}

/*
 * Every other process's descriptors of the socket inode ino (0: of any
 * socket), sorted by inode for holders_sock: sockets all live on
 * sockfs, so the inode alone names one
 */
void
proc_scan_socks(struct holders *hs, ino_t ino)
{
	struct pidx *ix = proc_index(PIDX_FDS);
	const struct holder *e;
	size_t i;

	memset(hs, 0, sizeof(*hs));
	for (i = 0; i < ix->n; i++) {
		e = &ix->e[i];
		if (e->kind == PIDX_FD && S_ISSOCK(e->mode) &&
		    (ino == 0 || e->ino == ino))
			add(hs, e);
	}
	by_object(hs);
	took(hs, ix, PIDX_FDS);
}

/* the mappings of kind on dev (ino: of it alone; all: of any), added */
static void
add_maps(struct holders *hs, int kind, dev_t dev, ino_t ino, int all)
{
	struct pidx *ix = proc_index(PIDX_MAPS);
	const struct holder *e;
	size_t n, i, was = hs->n;

	n = pidx_obj(ix, dev, all ? 0 : ino, &e);
	for (i = 0; i < n; i++)
		if (e[i].kind == kind && (all || e[i].ino == ino))
			add(hs, &e[i]);
	if (was == 0 || hs->n > was)
		by_object(hs);
	took(hs, ix, PIDX_MAPS);
}

/*
 * Every other process that maps (dev, ino) (ino 0: anything on dev),
 * added to hs, once each: a mapping outlives the descriptor it was
 * made with
 */
void
proc_scan_maps(struct holders *hs, dev_t dev, ino_t ino)
{
	add_maps(hs, PIDX_MAP, dev, ino, ino == 0);
}

/*
 * Every other process that has the System V segment shmid (-1: any)
 * attached, added to hs with dev 0 and the shmid as ino
 */
void
proc_scan_shm(struct holders *hs, int shmid)
{
	add_maps(hs, PIDX_SYSV, 0, shmid < 0 ? 0 : (ino_t)shmid, shmid < 0);
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
	if (pidx_text(piddir, name, buf, len) <= 0)
		return -1;
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
 * memory: dev and ino of the target, acc its access mode, path its name
 * (to free). PROC_OPEN_NONE: it is not in an open; PROC_OPEN_HIDDEN: we
 * may not look (another user's); PROC_OPEN_UNKNOWN: in an open, but of
 * what cannot be read.
 */
int
proc_opening(int piddir, pid_t pid, struct holder *h)
{
	char line[512], path[PATH_MAX], at[PATH_MAX + 64], base[64];
	unsigned long a[3];
	struct stat st;
	int dirfd;

	if (proc_line(piddir, "syscall", line, sizeof(line)) == -1)
		return errno == EACCES || errno == EPERM ? PROC_OPEN_HIDDEN :
		    PROC_OPEN_NONE;
	if (proc_syscall_open(line, a) == -1)
		return PROC_OPEN_NONE;
	if (proc_string(piddir, a[1], path, sizeof(path)) == -1)
		return PROC_OPEN_UNKNOWN;
	dirfd = (int)a[0];
	if (dirfd == AT_FDCWD)
		snprintf(base, sizeof(base), "/proc/%d/cwd", (int)pid);
	else
		snprintf(base, sizeof(base), "/proc/%d/fd/%d", (int)pid,
		    dirfd);
	snprintf(at, sizeof(at), "%s/%s", path[0] == '/' ? "" : base, path);
	if (stat(path[0] == '/' ? path : at, &st) == -1)
		return PROC_OPEN_UNKNOWN;
	h->dev = st.st_dev;
	h->ino = st.st_ino;
	h->acc = (int)(a[2] & O_ACCMODE);
	h->path = shown_path(path[0] == '/' ? NULL : base, path);
	return PROC_OPEN_SEEN;
}

/*
 * Every process we can see in the middle of an open(2) (blocked there,
 * as a FIFO's opener waiting for its other end is): what it opens and
 * how, in pid order. Those we cannot look into (another user's) set
 * hs->partial; one seen opening but not what has dev and ino 0.
 */
void
proc_scan_openers(struct holders *hs)
{
	struct pidx *ix = proc_index(PIDX_OPENERS);
	struct holder *e;
	size_t i;

	memset(hs, 0, sizeof(*hs));
	for (i = 0; i < ix->n; i++) {
		e = &ix->e[i];
		if (e->kind != PIDX_OPEN)
			continue;
		add(hs, e);
		if (e->path != NULL &&
		    (hs->h[hs->n - 1].path = strdup(e->path)) == NULL)
			err(1, NULL);
	}
	if (hs->n > 0)		/* by pid, as /proc lists them */
		qsort(hs->h, hs->n, sizeof(hs->h[0]), by_pid);
	took(hs, ix, PIDX_OPENERS);
}
