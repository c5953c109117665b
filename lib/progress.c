/*
 * --progress: bytes so far, the rate, and the percent and time left
 * where the size is known, on one stderr line rewritten at most four
 * times a second, then a summary line. A thread of its own draws it, so
 * the copy loops only add to a counter: a stalled stream shows its rate
 * falling to nothing while the copy waits in the kernel.
 *
 * The counters live in a shared page: connect's child, which sends
 * while its parent receives, adds to them across fork(2). stderr is
 * replaced by a stream that ends the progress line before any message,
 * so an error never lands in the middle of it.
 */
#include <sys/mman.h>
#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipc.h"

#define TICK_NS		250000000	/* four lines a second at most */
#define LINE_MAX_	256
#define STACK		(64 * 1024)	/* the drawer's: snprintf and a line */

static struct {
	uint64_t *n;			/* shared page: [0] sent, [1] received */
	int idx;			/* the counter this process adds to */
	int two;			/* connect: both counters shown */
	uintmax_t size;			/* of counter 0; PROGRESS_UNKNOWN */
	pid_t owner;			/* the process that draws */
	int64_t t0, tlast;		/* CLOCK_MONOTONIC ns */
	uint64_t last;			/* bytes at tlast */
	size_t shown;			/* the line on screen now; 0: none */
	int midline;			/* a message is half written: wait */
	int stop;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
} pg = { .mu = PTHREAD_MUTEX_INITIALIZER };

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* 1.50 GiB: three figures, binary units */
static void
human(char *buf, size_t len, double v, const char *suffix)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB",
	    "TiB", "PiB" };
	size_t u = 0;

	while (v >= 1024 && u + 1 < sizeof(unit) / sizeof(unit[0])) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%.0f %s%s", v, unit[u], suffix);
	else
		snprintf(buf, len, v < 10 ? "%.2f %s%s" : v < 100 ?
		    "%.1f %s%s" : "%.0f %s%s", v, unit[u], suffix);
}

/* 0:07, 12:30, 1:02:03 */
static void
clock_str(char *buf, size_t len, int64_t s)
{
	if (s >= 3600)
		snprintf(buf, len, "%jd:%02jd:%02jd", (intmax_t)(s / 3600),
		    (intmax_t)(s / 60 % 60), (intmax_t)(s % 60));
	else
		snprintf(buf, len, "%jd:%02jd", (intmax_t)(s / 60),
		    (intmax_t)(s % 60));
}

static uint64_t
count(int i)
{
	return __atomic_load_n(&pg.n[i], __ATOMIC_RELAXED);
}

/* what the rate is of: one counter, or with two, both ways */
static uint64_t
total(void)
{
	return count(0) + (pg.two ? count(1) : 0);
}

/* the whole line, and where it stands; mu held */
static void
put_line(const char *text, int end)
{
	char buf[LINE_MAX_ * 2 + 4];
	size_t len = strlen(text), n = 0, i;

	buf[n++] = '\r';
	memcpy(buf + n, text, len);
	n += len;
	/* blanks over what is left of a longer line before */
	for (i = len; i < pg.shown && n < sizeof(buf) - 2; i++)
		buf[n++] = ' ';
	if (end)
		buf[n++] = '\n';
	(void)!write(STDERR_FILENO, buf, n);
	pg.shown = end ? 0 : len;
}

static void
draw(void)
{
	char line[LINE_MAX_], sz[32], rate[32], el[32], eta[32], tail[48] = "";
	int64_t t = now_ns(), dt = t - pg.tlast, age = (t - pg.t0) / 1000000000;
	uint64_t n = total();
	double avg;

	human(rate, sizeof(rate), dt > 0 ? (double)(n - pg.last) * 1e9 /
	    (double)dt : 0, "/s");
	pg.tlast = t;
	pg.last = n;
	clock_str(el, sizeof(el), age);
	if (pg.two) {
		char in[32];

		human(sz, sizeof(sz), (double)count(0), "");
		human(in, sizeof(in), (double)count(1), "");
		snprintf(line, sizeof(line), "%s: %s: %s sent, %s received in "
		    "%s, %s", getprogname(), verb_name, sz, in, el, rate);
	} else {
		human(sz, sizeof(sz), (double)n, "");
		if (pg.size != PROGRESS_UNKNOWN && pg.size > 0) {
			avg = (double)n * 1e9 / (double)(t - pg.t0);
			if (avg > 0)
				clock_str(eta, sizeof(eta), n < pg.size ?
				    (int64_t)((double)(pg.size - n) / avg +
				    0.5) : 0);
			else	/* nothing moved yet: no rate to tell by */
				strlcpy(eta, "-:--", sizeof(eta));
			snprintf(tail, sizeof(tail), ", %ju%%, ETA %s",
			    (uintmax_t)(n >= pg.size ? 100 : n * 100 / pg.size),
			    eta);
		}
		snprintf(line, sizeof(line), "%s: %s: %s in %s, %s%s",
		    getprogname(), verb_name, sz, el, rate, tail);
	}
	put_line(line, 0);
}

static void *
drawer(void *arg)
{
	struct timespec at;
	int64_t next = now_ns();

	(void)arg;
	pthread_mutex_lock(&pg.mu);
	while (!pg.stop) {
		next += TICK_NS;
		at.tv_sec = next / 1000000000;
		at.tv_nsec = next % 1000000000;
		while (!pg.stop && pthread_cond_timedwait(&pg.cv, &pg.mu,
		    &at) != ETIMEDOUT)
			;
		if (!pg.stop && !pg.midline)
			draw();
	}
	pthread_mutex_unlock(&pg.mu);
	return NULL;
}

/* "4294967296 bytes (4.00 GiB)" */
static void
exact(char *buf, size_t len, const char *what, uint64_t n)
{
	char h[32];

	human(h, sizeof(h), (double)n, "");
	snprintf(buf, len, "%s%ju bytes%s%s%s", what, (uintmax_t)n,
	    n >= 1024 ? " (" : "", n >= 1024 ? h : "", n >= 1024 ? ")" : "");
}

/* the summary, at exit: whatever ended the copy */
static void
summary(void)
{
	char line[LINE_MAX_], a[64], b[64] = "", rate[32];
	int64_t t;
	uint64_t n;

	if (pg.n == NULL || getpid() != pg.owner)
		return;
	pthread_mutex_lock(&pg.mu);
	pg.stop = 1;
	pthread_cond_signal(&pg.cv);
	pthread_mutex_unlock(&pg.mu);
	pthread_join(pg.th, NULL);
	t = now_ns() - pg.t0;
	n = total();
	human(rate, sizeof(rate), t > 0 ? (double)n * 1e9 / (double)t : 0,
	    "/s");
	exact(a, sizeof(a), pg.two ? "sent " : "", count(0));
	if (pg.two)
		exact(b, sizeof(b), ", received ", count(1));
	snprintf(line, sizeof(line), "%s: %s: %s%s in %.2f s, %s",
	    getprogname(), verb_name, a, b, (double)t / 1e9, rate);
	pthread_mutex_lock(&pg.mu);
	put_line(line, 1);
	pthread_mutex_unlock(&pg.mu);
}

/* stderr while the line is up: a message starts a line of its own */
static ssize_t
err_write(void *cookie, const char *p, size_t len)
{
	int mine = getpid() == pg.owner;
	size_t done = 0;
	ssize_t n;

	(void)cookie;
	if (mine) {
		pthread_mutex_lock(&pg.mu);
		if (pg.shown > 0)
			(void)!write(STDERR_FILENO, "\n", 1);
		pg.shown = 0;
	}
	while (done < len) {
		n = write(STDERR_FILENO, p + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	/* err(3) writes a message in pieces: no line between them */
	if (mine) {
		pg.midline = len > 0 && p[len - 1] != '\n';
		pthread_mutex_unlock(&pg.mu);
	}
	return done == len ? (ssize_t)len : -1;
}

/*
 * With on (--progress): the line starts, size bytes expected (of what
 * this process sends, with two), or PROGRESS_UNKNOWN. Without, nothing.
 */
void
progress_start(int on, uintmax_t size, int two)
{
	cookie_io_functions_t io = { .write = err_write };
	pthread_condattr_t ca;
	pthread_attr_t ta;
	sigset_t all, old;
	FILE *f;

	if (!on || pg.n != NULL)
		return;
	pg.n = mmap(NULL, 2 * sizeof(*pg.n), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (pg.n == MAP_FAILED)
		err(1, "%s: --progress", verb_name);
	pg.idx = two;		/* the drawer receives; its child sends */
	pg.two = two;
	pg.size = size;
	pg.owner = getpid();
	pg.t0 = pg.tlast = now_ns();
	if ((f = fopencookie(NULL, "w", io)) != NULL) {
		setvbuf(f, NULL, _IONBF, 0);
		stderr = f;
	}
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&pg.cv, &ca);
	/* signals stay the main thread's: its handlers clean up */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	/* a line's worth of stack: the default 8 MiB would be RSS to touch */
	pthread_attr_init(&ta);
	pthread_attr_setstacksize(&ta, STACK);
	errno = pthread_create(&pg.th, &ta, drawer, NULL);
	pthread_attr_destroy(&ta);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (errno != 0)
		err(1, "%s: --progress", verb_name);
	atexit(summary);
}

/* connect's child: what it copies is what was sent */
void
progress_sending(void)
{
	pg.idx = 0;
}

/* the size became known (stdin read to its end): counting starts over */
void
progress_restart(uintmax_t size)
{
	if (pg.n == NULL)
		return;
	pthread_mutex_lock(&pg.mu);
	pg.size = size;
	__atomic_store_n(&pg.n[pg.idx], 0, __ATOMIC_RELAXED);
	pg.last = 0;
	pthread_mutex_unlock(&pg.mu);
}

void
progress_add(uintmax_t n)
{
	if (pg.n != NULL)
		__atomic_fetch_add(&pg.n[pg.idx], (uint64_t)n,
		    __ATOMIC_RELAXED);
}

/* what is left to read of fd, where that can be known */
uintmax_t
progress_fdsize(int fd)
{
	uintmax_t at, left;

	return fd_left(fd, &at, &left) == 0 ? left : PROGRESS_UNKNOWN;
}
