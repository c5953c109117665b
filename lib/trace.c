/*
 * A running process traced with ptrace(2) to see the signals it is
 * sent, and left as it was. Every thread is seized (PTRACE_SEIZE stops
 * nothing and sends nothing), threads made later are followed
 * (PTRACE_O_TRACECLONE), and each signal-delivery stop is handed to the
 * caller; every other stop is passed over as if nobody looked, and a
 * group-stop is kept with PTRACE_LISTEN. Every signal of sig_fatal is
 * taken through a signalfd while it waits, so that the caller detaches
 * before it dies of one.
 */
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

/* a thread that will not stop to be let go is left to the kernel */
#define LETGO_NS	(INT64_C(2) * 1000000000)

enum { STOP_ENDED, STOP_SIGNAL, STOP_PASSED };

static int
has(const struct trace *tr, pid_t tid)
{
	size_t i;

	for (i = 0; i < tr->n; i++)
		if (tr->tid[i] == tid)
			return 1;
	return 0;
}

static void
add(struct trace *tr, pid_t tid)
{
	if (has(tr, tid))
		return;
	if (tr->n == tr->cap) {
		tr->cap = tr->cap ? tr->cap * 2 : 16;
		tr->tid = reallocarray(tr->tid, tr->cap, sizeof(*tr->tid));
		if (tr->tid == NULL)
			err(1, NULL);
	}
	tr->tid[tr->n++] = tid;
}

/* a request whose data is a number: a signal (0: none), or options */
static long
req(int request, pid_t tid, int data)
{
	return ptrace(request, tid, NULL, (void *)(long)data);
}

static void
drop(struct trace *tr, pid_t tid)
{
	size_t i;

	for (i = 0; i < tr->n; i++)
		if (tr->tid[i] == tid) {
			tr->tid[i] = tr->tid[--tr->n];
			return;
		}
}

/*
 * SIGCHLD (a tracee stopped or ended) and every signal of sig_fatal
 * (nohup's SIGHUP stays ignored), blocked and taken through tr->fd; -1
 * with errno
 */
static int
hold_signals(struct trace *tr)
{
	tr->fd = sig_hold(&tr->set, &tr->mask);
	return tr->fd == -1 ? -1 : 0;
}

/* what came on tr->fd: a signal of sig_fatal kept in tr->sig */
static void
drain(struct trace *tr)
{
	struct signalfd_siginfo si;

	while (read(tr->fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		if (si.ssi_signo != SIGCHLD)
			tr->sig = (int)si.ssi_signo;
}

/*
 * Each thread in /proc/PID/task not yet traced, seized: how many, or
 * -1 with errno. One that ended meanwhile is passed over; one already
 * ours through its maker's PTRACE_O_TRACECLONE is refused (EPERM) and
 * joins at its first stop.
 */
static int
seize_new(struct trace *tr)
{
	char path[64];
	struct dirent *e;
	pid_t tid;
	DIR *d;
	int n = 0, saved;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)tr->pid);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if ((tid = (pid_t)strtol(e->d_name, NULL, 10)) <= 0 ||
		    has(tr, tid))
			continue;
		if (req(PTRACE_SEIZE, tid, PTRACE_O_TRACECLONE) == 0) {
			add(tr, tid);
			n++;
		} else if (tid == tr->pid ||
		    (errno != ESRCH && errno != EPERM)) {
			saved = errno;
			closedir(d);
			errno = saved;
			return -1;
		}
	}
	closedir(d);
	return n;
}

/*
 * Trace every thread of process pid; 0, or -1 with errno (ESRCH: there
 * is no such process), nothing traced. A thread made meanwhile by one
 * not yet seized shows in the next listing of its threads.
 */
int
trace_seize(struct trace *tr, pid_t pid)
{
	int n, e;

	memset(tr, 0, sizeof(*tr));
	tr->pid = pid;
	tr->fd = -1;
	if ((n = hold_signals(tr)) == 0)
		while ((n = seize_new(tr)) > 0)
			;
	if (n == -1) {
		e = errno == ENOENT ? ESRCH : errno;
		trace_detach(tr);
		errno = e;
		return -1;
	}
	return 0;
}

static int
stopping(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	    sig == SIGTTOU;
}

/* a stop that is not a signal's: passed over as if nobody looked */
static int
pass_event(struct trace *tr, pid_t tid, int st)
{
	unsigned long msg;

	switch ((unsigned)st >> 16) {
	case PTRACE_EVENT_CLONE:
		if (ptrace(PTRACE_GETEVENTMSG, tid, NULL, &msg) == 0)
			add(tr, (pid_t)msg);
		req(PTRACE_CONT, tid, 0);
		break;
	case PTRACE_EVENT_STOP:
		/*
		 * Seized, a group-stop is this event with the stopping
		 * signal (and PTRACE_GETSIGINFO succeeds on it); with
		 * SIGTRAP it is PTRACE_INTERRUPT's or a new thread's first
		 */
		if (stopping(WSTOPSIG(st)))
			req(PTRACE_LISTEN, tid, 0);
		else
			req(PTRACE_CONT, tid, 0);
		break;
	default:
		req(PTRACE_CONT, tid, 0);
	}
	return STOP_PASSED;
}

/* what waitpid said of tid: STOP_SIGNAL, with *si; STOP_ENDED; STOP_PASSED */
static int
on_stop(struct trace *tr, pid_t tid, int st, siginfo_t *si)
{
	if (WIFEXITED(st) || WIFSIGNALED(st)) {
		drop(tr, tid);
		if (tid != tr->pid)
			return STOP_PASSED;
		tr->status = st;
		return STOP_ENDED;
	}
	if (!WIFSTOPPED(st))
		return STOP_PASSED;
	add(tr, tid);	/* a new thread's first stop can come before its maker's */
	if (((unsigned)st >> 16) != 0)
		return pass_event(tr, tid, st);
	if (ptrace(PTRACE_GETSIGINFO, tid, NULL, si) == -1) {
		/* ptrace(2)'s test for a group-stop where no event says so */
		if (errno == EINVAL)
			req(PTRACE_LISTEN, tid, 0);
		return STOP_PASSED;	/* ESRCH: killed; its end comes next */
	}
	tr->stopped = tid;
	tr->stopsig = WSTOPSIG(st);
	return STOP_SIGNAL;
}

/*
 * The next signal the process is sent, waited for until d: 1, its
 * siginfo in *si, its thread held in its signal-delivery stop until
 * trace_deliver. 0 when the process has ended (its wait status in
 * tr->status, -1 if unknown). -1 with errno: ETIMEDOUT at d, EINTR
 * when a signal of sig_fatal came (tr->sig), or another.
 */
int
trace_next(struct trace *tr, siginfo_t *si, const struct deadline *d)
{
	pid_t tid;
	int st, r;

	for (;;) {
		drain(tr);
		if (tr->sig != 0) {
			errno = EINTR;
			return -1;
		}
		tid = waitpid(-1, &st, __WALL | WNOHANG);
		if (tid == -1 && errno == ECHILD) {
			tr->status = -1;	/* nothing is left to trace */
			return 0;
		}
		if (tid == -1 && errno != EINTR)
			return -1;
		if (tid == 0 && wait_fd(tr->fd, POLLIN, d) == -1)
			return -1;
		if (tid > 0 && (r = on_stop(tr, tid, st, si)) != STOP_PASSED)
			return r == STOP_SIGNAL;
	}
}

/* the signal trace_next stopped at, delivered as it came, siginfo and all */
void
trace_deliver(struct trace *tr)
{
	if (tr->stopped != 0)
		req(PTRACE_CONT, tr->stopped, tr->stopsig);
	tr->stopped = 0;
}

/* the next thread that stops let go: 0, or -1 (ETIMEDOUT at d, ECHILD) */
static int
let_go(struct trace *tr, const struct deadline *d)
{
	unsigned long msg;
	pid_t tid;
	int st;

	drain(tr);	/* a signal that comes now is acted on after */
	if ((tid = waitpid(-1, &st, __WALL | WNOHANG)) == -1)
		return errno == EINTR ? 0 : -1;
	if (tid == 0)
		return wait_fd(tr->fd, POLLIN, d);
	if (WIFSTOPPED(st) && ((unsigned)st >> 16) == PTRACE_EVENT_CLONE &&
	    ptrace(PTRACE_GETEVENTMSG, tid, NULL, &msg) == 0 &&
	    req(PTRACE_INTERRUPT, (pid_t)msg, 0) == 0)
		add(tr, (pid_t)msg);	/* born traced: let go in its turn */
	/* a signal it stopped to take is delivered; a group-stop kept */
	if (WIFSTOPPED(st))
		req(PTRACE_DETACH, tid,
		    ((unsigned)st >> 16) == 0 ? WSTOPSIG(st) : 0);
	drop(tr, tid);
	return 0;
}

/*
 * Let every thread go as it is. PTRACE_DETACH acts only on a stopped
 * tracee, so each is stopped with PTRACE_INTERRUPT first; one in a
 * group-stop stays stopped, and one that stopped for a signal meanwhile
 * is let go with it. Then our signals as they were.
 */
void
trace_detach(struct trace *tr)
{
	struct deadline d;
	size_t i;

	if (tr->stopped != 0) {
		req(PTRACE_DETACH, tr->stopped, tr->stopsig);
		drop(tr, tr->stopped);
		tr->stopped = 0;
	}
	for (i = tr->n; i-- > 0; )
		if (req(PTRACE_INTERRUPT, tr->tid[i], 0) == -1)
			drop(tr, tr->tid[i]);
	deadline_set(&d, LETGO_NS);
	while (tr->n > 0 && let_go(tr, &d) == 0)
		;
	free(tr->tid);
	tr->tid = NULL;
	tr->n = tr->cap = 0;
	if (tr->fd != -1)
		close(tr->fd);
	tr->fd = -1;
	sigprocmask(SIG_SETMASK, &tr->mask, NULL);
}
