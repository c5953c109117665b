/*
 * Waits. Every blocking call in the toolkit waits through here, against
 * a deadline, so -t bounds it and an interrupted call (EINTR) resumes
 * against the same deadline instead of starting over. A timeout is one
 * answer everywhere: -1 with errno ETIMEDOUT.
 */
#include <sys/time.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>

#include "ipc.h"

/* 0: fd is ready (or hung up); -1: ETIMEDOUT, or poll(2)'s error */
int
wait_fd(int fd, short events, const struct deadline *d)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n, ms;

	for (;;) {
		ms = deadline_ms(d);
		n = poll(&p, 1, ms);
		if (n > 0)
			return 0;
		if (n == 0 && ms != INT_MAX) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (n < 0 && errno != EINTR)
			return -1;
	}
}

/*
 * SIGALRM as it was before wait_call armed its timer, and whether one
 * not of the timer came meanwhile
 */
static struct sigaction before;
static volatile sig_atomic_t sent;

/*
 * The timer's tick only interrupts the call: setitimer's SIGALRM comes
 * from the kernel (SI_KERNEL), as no other process can send one. Any
 * other was sent, and goes where it would have gone without our timer:
 * to the handler that was there (the one that gives back what we hold,
 * and dies of it), to its default (we die of it), or nowhere (ignored).
 */
static void
on_alarm(int sig, siginfo_t *si, void *ctx)
{
	sigset_t s;

	if (si->si_code == SI_KERNEL || (!(before.sa_flags & SA_SIGINFO) &&
	    before.sa_handler == SIG_IGN))
		return;
	sent = 1;
	if (before.sa_flags & SA_SIGINFO)
		before.sa_sigaction(sig, si, ctx);
	else if (before.sa_handler == SIG_DFL) {
		sigaction(sig, &before, NULL);
		sigemptyset(&s);
		sigaddset(&s, sig);
		sigprocmask(SIG_UNBLOCK, &s, NULL);
		raise(sig);
	} else
		before.sa_handler(sig);
}

static void
arm(const struct deadline *d)
{
	int ms = deadline_ms(d);
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = ms / 1000;
	it.it_value.tv_usec = (ms % 1000) * 1000 + (ms == 0);
	/* again every 10ms: a tick that lands before open(2) is entered
	 * must not leave it blocked for good */
	it.it_interval.tv_usec = 10000;
	setitimer(ITIMER_REAL, &it, NULL);
}

static int
open_once(const char *path, int flags)
{
	int fd = open(path, flags | O_NONBLOCK);

	if (fd != -1 && !(flags & O_NONBLOCK))
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

/*
 * fn(arg), a call that may block, bounded by d: a timer interrupts it
 * and it is called again until it is done or the deadline has passed,
 * then -1 with ETIMEDOUT. With no deadline, EINTR only resumes it. A
 * SIGALRM another process sends meanwhile is not taken for a tick: its
 * handler runs (or its default kills us), and the call ends with EINTR.
 */
int
wait_call(int (*fn)(void *), void *arg, const struct deadline *d)
{
	struct itimerval off;
	struct sigaction sa;
	sigset_t alrm, mask;
	int r, e;

	if (deadline_ms(d) == -1) {
		while ((r = fn(arg)) == -1 && errno == EINTR)
			;
		return r;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_alarm;	/* no SA_RESTART: the call must return */
	sa.sa_flags = SA_SIGINFO;
	sent = 0;
	sigaction(SIGALRM, NULL, &before);
	sa.sa_mask = before.sa_mask;
	sigaction(SIGALRM, &sa, NULL);
	/* a mask inherited with SIGALRM blocked would make the wait endless */
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigprocmask(SIG_UNBLOCK, &alrm, &mask);
	do {
		if (deadline_ms(d) == 0) {
			r = -1;
			errno = ETIMEDOUT;
			break;
		}
		arm(d);
		r = fn(arg);
	} while (r == -1 && errno == EINTR && !sent);
	e = errno;
	memset(&off, 0, sizeof(off));
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &before, NULL);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	errno = e;
	return r;
}

struct openarg {
	const char *path;
	int flags;
};

static int
open_call(void *arg)
{
	const struct openarg *a = arg;

	return open(a->path, a->flags);
}

/*
 * open(2) that may block (a FIFO with no peer), bounded by d. A timer
 * interrupts it; on timeout it fails with ETIMEDOUT. -t 0 tries once
 * without blocking, where a FIFO's missing reader is ENXIO: that too
 * is a timeout.
 */
int
wait_open(const char *path, int flags, const struct deadline *d)
{
	struct openarg a = { path, flags };
	int fd;

	if (deadline_ms(d) != 0)
		return wait_call(open_call, &a, d);
	if ((fd = open_once(path, flags)) == -1 && errno == ENXIO)
		errno = ETIMEDOUT;
	return fd;
}
