/*
 * The one set of signals a command catches to give back or remove what
 * it holds before it dies of them: every signal whose default action
 * ends the process and that another process sends, never one the
 * kernel raises for a fault (SEGV, BUS, ILL, FPE, TRAP, SYS) or abort(3)
 * (ABRT): after those our memory cannot be trusted to undo anything.
 * One we were started ignoring (nohup's HUP, INT and QUIT in a script's
 * & jobs) stays ignored, so it is never in the set.
 *
 * And the two dispositions verb_main changes for our own sake (PIPE: a
 * write to a gone reader is an error we report; XFSZ: a write past
 * RLIMIT_FSIZE is EFBIG, with a count), kept as we were started with
 * them, so that a command we run gets them back before exec.
 */
#include <sys/signalfd.h>
#include <signal.h>
#include <string.h>

#include "ipc.h"

static const int ends[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM,
	SIGVTALRM, SIGPROF, SIGXCPU, SIGIO, SIGPWR, SIGSTKFLT,
};

/* as we were started: verb_main's ignoring them is ours only */
static struct sigaction startpipe, startxfsz;
static int started;

static int
ignored(int sig)
{
	struct sigaction sa;

	return sigaction(sig, NULL, &sa) == 0 && !(sa.sa_flags & SA_SIGINFO) &&
	    sa.sa_handler == SIG_IGN;
}

/*
 * Into set: the signals that end us, SIGRTMIN..SIGRTMAX as libc numbers
 * them included, but those in except (NULL: none; the signals a verb
 * waits for itself) and those ignored now
 */
void
sig_fatal(sigset_t *set, const sigset_t *except)
{
	size_t i;
	int n;

	sigemptyset(set);
	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
		sigaddset(set, ends[i]);
	for (n = SIGRTMIN; n <= SIGRTMAX; n++)
		sigaddset(set, n);
	for (n = 1; n <= SIGRTMAX; n++)
		if (sigismember(set, n) == 1 && ((except != NULL &&
		    sigismember(except, n) == 1) || ignored(n)))
			sigdelset(set, n);
}

/*
 * SIGCHLD and every signal of sig_fatal blocked (the mask found into
 * old) and taken through the signalfd returned, nonblocking and closed
 * on exec: a verb that waits for children or tracees sees each, and
 * nothing is lost between its waits. -1 with errno; the signals stay
 * blocked, and the caller puts old back.
 */
int
sig_hold(sigset_t *set, sigset_t *old)
{
	sig_fatal(set, NULL);
	sigaddset(set, SIGCHLD);
	sigprocmask(SIG_BLOCK, set, old);
	return signalfd(-1, set, SFD_NONBLOCK | SFD_CLOEXEC);
}

/*
 * fn for each signal of set, the whole set held while it runs, and no
 * SA_RESTART: a wait it cuts short returns, so the waiter can see why
 */
void
sig_catch(const sigset_t *set, void (*fn)(int))
{
	struct sigaction sa;
	int n;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_mask = *set;
	for (n = 1; n <= SIGRTMAX; n++)
		if (sigismember(set, n) == 1)
			sigaction(n, &sa, NULL);
}

/* at start: PIPE and XFSZ recorded as they came, then ignored */
void
sig_start(void)
{
	struct sigaction ign;

	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	if (sigaction(SIGPIPE, &ign, &startpipe) == 0 &&
	    sigaction(SIGXFSZ, &ign, &startxfsz) == 0)
		started = 1;
}

/* before exec: PIPE and XFSZ as we were started with them */
void
sig_inherit(void)
{
	if (!started) {
		signal(SIGPIPE, SIG_DFL);
		signal(SIGXFSZ, SIG_DFL);
		return;
	}
	sigaction(SIGPIPE, &startpipe, NULL);
	sigaction(SIGXFSZ, &startxfsz, NULL);
}
