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
#include <time.h>
#include <unistd.h>

#include "ipc.h"

#define US		INT64_C(1000)
#define MS		INT64_C(1000000)
#define FIRST_SCAN	(5 * MS)	/* a reader at work drains it by then */
#define RESCAN		(100 * MS)
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

/*
 * Another process holds the FIFO st for writing, and will close after
 * us: of two writers each waiting on the other, the one with the lower
 * pid goes, the other stays. A writer we cannot see is not counted:
 * then we wait, which is safe.
 */
static int
writer_after_us(const struct stat *st)
{
	struct holders hs;
	pid_t self = getpid();
	size_t i;
	int found = 0;

	proc_scan_fds(&hs, same_fifo, (void *)st);
	for (i = 0; i < hs.n && !found; i++)
		found = hs.h[i].pid > self && (hs.h[i].acc == O_WRONLY ||
		    hs.h[i].acc == O_RDWR);
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
		    t - scanned >= RESCAN)) {
			scanned = t;
			if (writer_after_us(&st))
				return 0;
		}
		rest = d == NULL || d->at == TIMEOUT_NONE ? step : d->at - now();
		if (rest <= 0) {
			if (scanned == -1 && writer_after_us(&st))
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
