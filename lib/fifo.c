/*
 * A FIFO writer's close. The kernel frees a FIFO's buffer when its last
 * holder closes: a writer that closes while no reader holds it (between
 * two short-lived readers) has every unread byte thrown away, and its
 * close still succeeds. So a writer that is done holds its end until
 * the buffer is empty, or until another writer holds the FIFO, whose
 * close is then the one that counts.
 */
#include <sys/ioctl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipc.h"

#define US		INT64_C(1000)
#define MS		INT64_C(1000000)
#define FIRST_SCAN	(5 * MS)	/* a reader at work drains it by then */
#define RESCAN		(100 * MS)
/* a writer seen is looked for again after this: one passing through (a
 * child between fork and exec, a sanitizer's tracer sharing our
 * descriptors) must not be left the bytes */
#define CONFIRM		(30 * MS)
#define MOST_SLEEP	(20 * MS)

static int64_t
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 * MS + ts.tv_nsec;
}

static int
same_fifo(const struct stat *st, void *arg)
{
	const struct stat *o = arg;

	return S_ISFIFO(st->st_mode) && st->st_dev == o->st_dev &&
	    st->st_ino == o->st_ino;
}

static int
writes(const struct holder *h)
{
	return h->acc == O_WRONLY || h->acc == O_RDWR;
}

/* pid's parent, from /proc; 0 where it cannot be read */
static pid_t
parent(pid_t pid)
{
	char path[64], line[128];
	long pp = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "PPid: %ld", &pp) == 1)
			break;
	fclose(f);
	return (pid_t)pp;
}

/* pid is a command like us, which waits at its close as we do */
static int
like_us(pid_t pid)
{
	char ours[64], theirs[64];

	proc_comm(getpid(), ours, sizeof(ours));
	proc_comm(pid, theirs, sizeof(theirs));
	return strcmp(ours, theirs) == 0;
}

/*
 * Another process that holds the FIFO st for writing, and will close
 * after us. A writer that is not one of us (a shell holding it open, a
 * program of its own) closes when it will: its close is its care. Of
 * two of us each waiting on the other, the one with the lower pid goes,
 * the other stays. Its pid, or 0. Not one whose parent
 * holds it for writing too: a child sharing or copying its parent's
 * descriptors (between fork and exec, a sanitizer's tracer at exit)
 * closes with it, not after. A writer we cannot see is not counted:
 * then we wait, which is safe.
 */
static pid_t
writer_after_us(const struct stat *st)
{
	struct holders hs;
	pid_t self = getpid(), found = 0, pp;
	size_t i, j;

	proc_index_forget();		/* who holds it now, not at the last look */
	proc_scan_fds(&hs, same_fifo, (void *)st);
	for (i = 0; i < hs.n && found == 0; i++) {
		if (!writes(&hs.h[i]) || hs.h[i].pid == self ||
		    (hs.h[i].pid < self && like_us(hs.h[i].pid)))
			continue;
		pp = parent(hs.h[i].pid);
		for (j = 0; j < hs.n; j++)
			if (hs.h[j].pid == pp && writes(&hs.h[j]))
				break;
		if (pp != self && j == hs.n)
			found = hs.h[i].pid;
	}
	holders_free(&hs);
	return found;
}

/*
 * fd, a FIFO's write end we are done with: wait, bounded by d, until
 * what is buffered in it (every writer's bytes: FIONREAD counts them
 * all) has been read, or another writer will close after us. /proc is
 * scanned only once bytes are still there a moment after the last
 * write, so a sender whose reader keeps up pays one ioctl. 0: it may
 * close; -1 with errno, ETIMEDOUT with *left the bytes still there.
 */
int
fifo_settle(int fd, const struct deadline *d, uintmax_t *left)
{
	int64_t start = now(), scanned = -1, step = 100 * US, t, rest;
	struct timespec ts;
	struct stat st;
	pid_t seen = 0, w;
	int n;

	if (fstat(fd, &st) == -1)
		return -1;
	for (;;) {
		if (ioctl(fd, FIONREAD, &n) == -1)
			return -1;
		if (n == 0)
			return 0;
		t = now();
		if (t - start >= FIRST_SCAN && (scanned == -1 ||
		    t - scanned >= (seen ? CONFIRM : RESCAN))) {
			scanned = t;
			if ((w = writer_after_us(&st)) != 0 && w == seen)
				return 0;
			seen = w;
		}
		rest = d == NULL || d->at == TIMEOUT_NONE ? step : d->at - now();
		if (rest <= 0) {
			if (scanned == -1 && writer_after_us(&st) != 0)
				return 0;	/* not looked for yet */
			*left = (uintmax_t)n;
			errno = ETIMEDOUT;
			return -1;
		}
		if (rest > step)
			rest = step;
		ts.tv_sec = (time_t)(rest / (1000 * MS));
		ts.tv_nsec = (long)(rest % (1000 * MS));
		nanosleep(&ts, NULL);
		if (step < MOST_SLEEP)
			step *= 2;
	}
}
