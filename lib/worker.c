/*
 * recv -e CMD: a worker. It takes one message, runs sh -c CMD with the
 * message's bytes on its stdin, waits for it, and only then takes the
 * next: never more than one message in flight, so several workers on
 * one object share its messages and none hoards them in a pipe.
 */
#include <sys/mman.h>
#include <sys/param.h>
#include <err.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

#define BACKOFF_MAX	100	/* ms between looks at what cannot be polled */
/* ms between looks where something can: a POSIX queue removed wakes none */
#define LOOK_MAX	1000

/*
 * Wait until a message may be there (w->fd polls ready), or, where
 * nothing can be polled, some more time has gone; a signal of c->set
 * first: 0 with c->sig set. 1: look. -1 with errno (ETIMEDOUT).
 */
static int
ready(const struct worker *w, struct children *c, const struct deadline *d,
    int *backoff)
{
	struct pollfd p[2] = { { .fd = c->fd, .events = POLLIN },
	    { .fd = w->fd ? *w->fd : -1, .events = POLLIN } };
	int ms = deadline_ms(d), st, most = LOOK_MAX;

	if (ms == 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	/* nothing to poll: look again soon, then less often */
	if (w->fd == NULL)
		most = *backoff = *backoff ? MIN(*backoff * 2, BACKOFF_MAX) : 1;
	ms = (ms < 0 || ms > most) ? most : ms;
	if (poll(p, 2, ms) == -1)
		return errno == EINTR ? 1 : -1;
	if (p[0].revents & POLLIN)
		return child_wait(c, NULL, &st) == 0 ? 0 : 1;
	return 1;
}

/*
 * The next message into fd (a fresh memfd), its metadata in *meta: 0;
 * 0 with c->sig set when a signal came first, nothing taken; -1 with
 * errno (ETIMEDOUT when the w->timeout wait ran out)
 */
static int
next(const struct worker *w, struct children *c, int fd, intmax_t *meta)
{
	struct deadline d;
	int r, backoff = 0;

	deadline_set(&d, w->timeout);
	for (;;) {
		/* a try before the first wait: -t 0 takes what is there */
		if (w->take(w->arg, fd, meta) == 0)
			return 0;
		if (errno != EAGAIN)
			return -1;
		if ((r = ready(w, c, &d, &backoff)) <= 0)
			return r;
	}
}

/* sh -c cmd with the message on stdin and its numbers in the environment */
static int
run_one(const struct worker *w, struct children *c, int fd, uintmax_t seq,
    intmax_t meta)
{
	char seqv[48], metav[64], *env[3] = { seqv, NULL, NULL };
	struct child ch = { .sh = w->cmd, .env = env, .in = fd, .out = -1,
	    .pgid = CHILD_NEW };
	pid_t r;
	int st;

	snprintf(seqv, sizeof(seqv), "IPC_MSG_SEQ=%ju", seq);
	if (w->metaenv != NULL) {
		snprintf(metav, sizeof(metav), "%s=%jd", w->metaenv, meta);
		env[1] = metav;
	}
	if (lseek(fd, 0, SEEK_SET) == -1 || child_start(c, &ch) == -1)
		err(1, "%s %s: message %ju: %s", verb_name,
		    esc_name(w->name), seq, w->cmd);
	/* a signal now lets it finish, or is passed on (--kill); then we end */
	while ((r = child_wait(c, NULL, &st)) == 0)
		;
	if (r == -1)
		err(1, "%s %s: message %ju: %s", verb_name,
		    esc_name(w->name), seq, w->cmd);
	return st;
}

/*
 * Take messages one at a time, each run through w->cmd: one, w->count,
 * or with w->follow until a wait passes w->timeout. A CMD that fails
 * is reported and the next taken; with w->stop the worker ends with
 * its status. A signal of sig_fatal: nothing more is taken, the running
 * CMD finishes (w->kill: gets the signal too), and the worker dies of
 * the signal. The exit status: 0 when every CMD succeeded, 1 otherwise;
 * 124 when the first wait ran out with nothing done; -1 with errno
 * where taking failed.
 */
int
worker_run(const struct worker *w)
{
	uintmax_t seq, want = w->count ? w->count : 1;
	struct children c;
	intmax_t meta = 0;
	int fd, st, rc = 0, r = 0, e;

	if (child_init(&c, 1) == -1)
		err(1, "%s %s", verb_name, esc_name(w->name));
	c.forward = w->kill;
	for (seq = 1; (w->follow || seq <= want) && c.sig == 0; seq++) {
		if ((fd = memfd_create("ipc-message", MFD_CLOEXEC)) == -1)
			err(1, "%s %s: memfd", verb_name,
			    esc_name(w->name));
		r = next(w, &c, fd, &meta);
		if (r == 0 && c.sig == 0 &&
		    (st = run_one(w, &c, fd, seq, meta)) != 0) {
			warnx("%s %s: message %ju: %s exited %d",
			    verb_name, esc_name(w->name), seq, w->cmd, st);
			rc = w->stop ? st : 1;
		}
		/* a signal that came as CMD ended: nothing more is taken */
		if (r == 0)
			(void)child_wait(&c, NULL, &st);
		close(fd);
		if (r == -1 && errno == ETIMEDOUT) {
			r = msgout_timeout(w->name, seq - 1, w->follow);
			rc = r ? r : rc;
			break;
		}
		if (r == -1)
			break;
		if (rc != 0 && w->stop)
			break;
	}
	e = errno;
	child_fini(&c);
	if (c.sig != 0)
		raise(c.sig);
	errno = e;
	return r == -1 ? -1 : rc;
}
