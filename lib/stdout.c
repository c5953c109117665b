/*
 * Descriptor 1, owned here: every byte a message puts there is written
 * and counted here, it is checked before anything is taken and at exit,
 * and a failed write is named with the verb and the object it happened
 * to. A verb that consumes asks first whether stdout can take anything
 * at all. What is buffered above it (msgout's messages) is flushed at
 * exit before stdout_check, by verb_main's exit.
 */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

static const char *named;	/* the object a failure names */
static uintmax_t written;	/* bytes stdout_write put on stdout */

/* the object a failed stdout names from now on; NULL: none */
void
stdout_name(const char *obj)
{
	named = obj;
}

/*
 * All of p to stdout, each byte counted (stdout_written, --progress):
 * 0, or -1 with errno, what went before the failure counted
 */
int
stdout_write(const char *p, size_t len)
{
	struct pollfd pfd = { .fd = STDOUT_FILENO, .events = POLLOUT };
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = write(STDOUT_FILENO, p + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		/* a stdout left non-blocking: wait as a blocking one would,
		 * never leave a message cut where the pipe happened to fill */
		if (n < 0 && errno == EAGAIN) {
			if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
				return -1;
			continue;
		}
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		done += (size_t)n;
		written += (uintmax_t)n;
		progress_add((uintmax_t)n);
	}
	return 0;
}

/* the bytes stdout_write has put on stdout so far */
uintmax_t
stdout_written(void)
{
	return written;
}

/* the reader of our output went away: end quietly, as cat(1) does */
void
stdout_epipe(void)
{
	cleanup_run();		/* _exit and a signal skip atexit(3) */
	signal(SIGPIPE, SIG_DFL);
	raise(SIGPIPE);
	_exit(128 + SIGPIPE);
}

/*
 * Why a write to stdout failed (errno), into why: a file stopped by
 * RLIMIT_FSIZE says where it stopped (the file's offset, appended to or
 * not) and the limit
 */
static void
stdout_why(char *why, size_t len)
{
	int e = errno;
	uintmax_t lim;

	if (e == EFBIG && (lim = fsize_limit()) != 0)
		snprintf(why, len, "%s (at byte %jd, RLIMIT_FSIZE %ju, "
		    "ulimit -f)", strerror(e),
		    (intmax_t)lseek(STDOUT_FILENO, 0, SEEK_CUR), lim);
	else
		snprintf(why, len, "%s", strerror(e));
}

/* a write to stdout failed (errno): "ipc-mq: recv /jobs: stdout: ..." */
void
stdout_failed(void)
{
	char why[160];

	if (errno == EPIPE)
		stdout_epipe();
	stdout_why(why, sizeof(why));
	if (verb_name != NULL && named != NULL)
		warnx("%s %s: stdout: %s", verb_name, esc_name(named), why);
	else if (verb_name != NULL)
		warnx("%s: stdout: %s", verb_name, why);
	else
		warnx("stdout: %s", why);
	cleanup_run();
	_exit(1);
}

/*
 * A write to stdout failed (e) with something lost on the way, which
 * the caller words: "ipc-mq: recv /jobs: stdout: No space left on
 * device: 2 messages put back ...". Exit 1.
 */
void
stdout_lost(int e, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (verb_name != NULL && named != NULL)
		warnx("%s %s: stdout: %s: %s", verb_name, esc_name(named),
		    strerror(e), what);
	else if (verb_name != NULL)
		warnx("%s: stdout: %s: %s", verb_name, strerror(e), what);
	else
		warnx("stdout: %s: %s", strerror(e), what);
	cleanup_run();		/* _exit skips atexit(3) */
	_exit(1);
}

void
stdout_check(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout) && fclose(stdout) == 0)
		return;
	stdout_failed();
}

/* what stdout is, asked once: its reader can go (a pipe, a socket), or not */
enum { OUT_UNKNOWN, OUT_PEER, OUT_FIXED };

static int
stdout_kind(void)
{
	static int kind = OUT_UNKNOWN;
	struct stat st;

	if (kind != OUT_UNKNOWN)
		return kind;
	if (fstat(STDOUT_FILENO, &st) == -1)
		stdout_failed();
	kind = S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ? OUT_PEER :
	    OUT_FIXED;
	if (kind == OUT_FIXED && !S_ISREG(st.st_mode) &&
	    write(STDOUT_FILENO, "", 0) == -1 && errno != EAGAIN)
		stdout_failed();
	return kind;
}

/*
 * Whether stdout can take data at all, asked before anything is taken
 * from an object: a pipe or socket whose reader has gone polls POLLERR,
 * and a device that refuses every write (/dev/full) fails a zero-length
 * one (a full disk's file does not: what is lost then is put back or
 * counted by the verb). Ends as a failed write would.
 *
 * A receiver asks again after every wait, so only the first call asks
 * what stdout is and tries the device: neither changes while we run,
 * and for a receiver that keeps catching up with its sender those two
 * calls were two of the five each wait cost. Only a reader can go away.
 */
void
stdout_ready(void)
{
	struct pollfd p = { .fd = STDOUT_FILENO, .events = 0 };

	if (stdout_kind() == OUT_PEER && poll(&p, 1, 0) == 1 &&
	    (p.revents & POLLERR))
		stdout_epipe();
}

/*
 * Wait, bounded by d, until fd is ready for reading, and meanwhile for
 * stdout's reader to go: a receiver that only waited for its object
 * would take the next message (or signal) for a reader that is gone.
 * 0 once fd is ready and stdout still has a reader; -1 with errno
 * (ETIMEDOUT); a reader gone (POLLERR; a socket's, POLLHUP) ends as
 * stdout_epipe does.
 */
int
stdout_wait(int fd, const struct deadline *d)
{
	struct pollfd p[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = STDOUT_FILENO, .events = 0 },
	};
	nfds_t n = stdout_kind() == OUT_PEER ? 2 : 1;
	int r, ms;

	for (;;) {
		ms = deadline_ms(d);
		r = poll(p, n, ms);
		if (r > 0 && n == 2 && (p[1].revents & (POLLERR | POLLHUP)))
			stdout_epipe();
		if (r > 0)
			return 0;
		if (r == 0 && ms != INT_MAX) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (r < 0 && errno != EINTR)
			return -1;
	}
}
