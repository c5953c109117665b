/*
 * Commands run as children, as a shell runs them: with the signals we
 * were started with, their exec failures reported as 127 and 126, and
 * waited for with every signal of sig_fatal taken through a signalfd,
 * so that each can be passed on and nothing is lost between the waits.
 */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

#define SHELL	"/bin/sh"

extern char **environ;

/*
 * Block SIGCHLD and every signal of sig_fatal (one we were started
 * ignoring, as nohup's SIGHUP, stays ignored), and take them through
 * c->fd, for at most max children at once. Call it before blocking
 * anything else: the mask it finds is the one the children get. -1
 * with errno.
 */
int
child_init(struct children *c, size_t max)
{
	struct sigaction dfl;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->forward = 1;
	if ((c->run = calloc(max, sizeof(*c->run))) == NULL)
		return -1;
	c->max = max;
	/* started with SIGCHLD ignored, the kernel would reap them for us */
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &dfl, &c->chld);
	if ((c->fd = sig_hold(&c->set, &c->mask)) == -1) {
		child_fini(c);
		return -1;
	}
	return 0;
}

/* the caller's signal state back: mask, SIGCHLD; c->fd closed */
void
child_fini(struct children *c)
{
	int e = errno;

	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	sigaction(SIGCHLD, &c->chld, NULL);
	sigprocmask(SIG_SETMASK, &c->mask, NULL);
	free(c->run);
	c->run = NULL;
	errno = e;
}

/* in the child: signals as the caller had them before child_init */
static void
child_signals(const struct children *c)
{
	int n;

	/* a handler of ours, one that removes our files, must not run here */
	for (n = 1; n <= SIGRTMAX; n++)
		if (n != SIGCHLD && sigismember(&c->set, n) == 1)
			signal(n, SIG_DFL);
	sig_inherit();		/* PIPE and XFSZ: verb_main's are ours only */
	sigaction(SIGCHLD, &c->chld, NULL);
	sigprocmask(SIG_SETMASK, &c->mask, NULL);
}

/* in the child: in and out as stdin and stdout; -1 with errno */
static int
child_stdio(int in, int out)
{
	/* out on fd 0 would be overwritten by in before it is copied */
	if (out == STDIN_FILENO && in != -1 && in != STDIN_FILENO &&
	    (out = fcntl(out, F_DUPFD_CLOEXEC, 3)) == -1)
		return -1;
	if (in != -1 && in != STDIN_FILENO && dup2(in, STDIN_FILENO) == -1)
		return -1;
	if (out != -1 && out != STDOUT_FILENO && dup2(out, STDOUT_FILENO) == -1)
		return -1;
	return 0;
}

/*
 * In the child: "ipc-X: VERB: WHAT: reason", then _exit: the parent's
 * buffered stdout is not ours to flush.
 */
static void __attribute__((noreturn))
child_fail(const char *what, int code)
{
	warn("%s: %s", verb_name, esc_name(what));
	_exit(code);
}

/*
 * The errno exec failed with, as the shell counts it: execvp's EACCES
 * can mean no more than a directory on PATH we may not search, and a
 * command is found only where a file of its name stands.
 */
static int
child_errno(const char *name, int e)
{
	char path[PATH_MAX];
	const char *p, *end;
	struct stat st;

	if (e != EACCES || strchr(name, '/') != NULL)
		return e;
	if ((p = getenv("PATH")) == NULL)
		p = "/bin:/usr/bin";	/* execvp's own default */
	for (;; p = end + 1) {
		end = strchrnul(p, ':');
		snprintf(path, sizeof(path), "%.*s%s%s", (int)(end - p), p,
		    end > p ? "/" : "", name);
		if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode))
			return e;
		if (*end == '\0')
			return ENOENT;
	}
}

static void __attribute__((noreturn))
child_exec(const struct children *c, const struct child *ch, pid_t parent,
    char *const *envp)
{
	const char *what;

	if (ch->pgid != CHILD_OURS &&
	    setpgid(0, ch->pgid == CHILD_NEW ? 0 : ch->pgid) == -1)
		child_fail("setpgid", 125);
	child_signals(c);
	if (ch->deathsig != 0) {
		if (prctl(PR_SET_PDEATHSIG, ch->deathsig) == -1)
			child_fail("prctl", 125);
		/* a parent gone before prctl took effect never sends it */
		if (getppid() != parent)
			raise(ch->deathsig);
	}
	if (child_stdio(ch->in, ch->out) == -1)
		child_fail("dup2", 125);
	if (ch->argv != NULL)
		execvpe(ch->argv[0], ch->argv, envp);
	else
		execve(SHELL, (char *[]){ "sh", "-c", (char *)ch->sh, NULL },
		    envp);
	what = ch->argv != NULL ? ch->argv[0] : SHELL;
	/* as the shell and timeout(1): 127 not found, 126 not runnable */
	errno = child_errno(what, errno);
	child_fail(what, errno == ENOENT ? 127 : 126);
}

/* whether e, a NAME=VALUE of ours, is named by a, NAME=VALUE or NAME */
static int
env_named(const char *a, const char *e)
{
	size_t n = strchrnul(a, '=') - a;

	return strncmp(a, e, n) == 0 && e[n] == '=';
}

/*
 * Our environment with add's NAME=VALUE in it, each replacing any of
 * ours of the same name, so that no name is there twice, and without
 * any NAME that add has alone: built here, since a vfork child may
 * change nothing of our memory. Free it after the child has started;
 * NULL with errno.
 */
static char **
env_with(char *const *add)
{
	char **env, *const *a, *const *e;
	size_t n = 0, k = 0;

	for (e = environ; *e != NULL; e++)
		n++;
	for (a = add; *a != NULL; a++)
		n++;
	if ((env = reallocarray(NULL, n + 1, sizeof(*env))) == NULL)
		return NULL;
	for (e = environ; *e != NULL; e++) {
		for (a = add; *a != NULL && !env_named(*a, *e); a++)
			;
		if (*a == NULL)
			env[k++] = *e;
	}
	for (a = add; *a != NULL; a++)
		if (strchr(*a, '=') != NULL)
			env[k++] = *a;
	env[k] = NULL;
	return env;
}

/*
 * Become argv with our signal mask and dispositions as they are now:
 * where exec fails, its status as the shell counts it, 127 not found,
 * 126 not runnable, with errno for the caller to word it
 */
int
child_become(char *const *argv)
{
	execvp(argv[0], argv);
	errno = child_errno(argv[0], errno);
	return errno == ENOENT ? 127 : 126;
}

/*
 * Become argv, as a child of child_start would (SIGPIPE as the shell
 * gives it, 127 not found, 126 not runnable, each named): for a verb
 * whose command must hold what the verb took, a System V SEM_UNDO that
 * survives execve(2) and is undone only when the command itself ends.
 */
void
child_replace(char *const *argv)
{
	int st;

	sig_inherit();		/* PIPE and XFSZ: verb_main's are ours only */
	st = child_become(argv);
	cleanup_run();			/* what we made for it is not needed */
	child_fail(argv[0], st);
}

/* 0 where path is a file we may run, else the errno execve(2) would give */
static int
runnable(const char *path)
{
	struct stat st;

	if (stat(path, &st) == -1)
		return errno;
	if (S_ISDIR(st.st_mode) || access(path, X_OK) == -1)
		return EACCES;
	return 0;
}

/*
 * Look for argv0 as execvp(3) would, before a verb takes what the
 * command is to hold (a message, a descriptor): one that cannot run
 * ends us now, as child_replace would, 127 not found, 126 not runnable.
 */
void
child_find(const char *name)
{
	char path[PATH_MAX];
	const char *p, *end;
	int e = ENOENT, r;

	if (strchr(name, '/') != NULL)
		e = runnable(name);
	else if (*name != '\0') {
		if ((p = getenv("PATH")) == NULL)
			p = "/bin:/usr/bin";
		for (;; p = end + 1) {
			end = strchrnul(p, ':');
			snprintf(path, sizeof(path), "%.*s%s%s", (int)(end - p),
			    p, end > p ? "/" : "", name);
			/* a directory of PATH we may not search holds no
			 * NAME for us, as a shell sees it: not found there */
			if ((r = runnable(path)) == 0 ||
			    (r == EACCES && access(path, F_OK) == 0))
				e = r;
			if (r == 0 || *end == '\0')
				break;
		}
	}
	if (e == 0)
		return;
	errno = e;
	child_fail(name, e == ENOENT || e == ENOTDIR ? 127 : 126);
}

/* vforked, ch with env: its pid, or -1 with errno */
static pid_t __attribute__((noinline))
spawn(const struct children *c, const struct child *ch, char *const *env)
{
	pid_t pid, parent = getpid();

	if ((pid = vfork()) == 0)
		child_exec(c, ch, parent, env);
	return pid;
}

/*
 * Start ch; its pid, or -1 with errno (EAGAIN: c->max already run).
 * What fails in the child is its own status: 127 or 126 from exec, 125
 * before it, each after a message on stderr.
 *
 * vfork(2): no page tables copied, and none of the copy-on-write faults
 * a fork costs both sides until the exec (ipc-sem run -- true: 149 page
 * faults, 112 with vfork; listen -e cat: 172 a connection, 137 with
 * vfork). The child changes none of our memory: its environment is
 * built here, whole, and given to execve(2). Our signal handlers cannot
 * run in it: child_init blocked the signals they are for, and the child
 * sets them to default before it unblocks them.
 */
pid_t
child_start(struct children *c, const struct child *ch)
{
	pid_t pid, g = ch->pgid;
	char **env;
	int e;

	if (c->n == c->max) {
		errno = EAGAIN;
		return -1;
	}
	if (ch->env == NULL)
		pid = spawn(c, ch, environ);
	else if ((env = env_with(ch->env)) == NULL)
		return -1;
	else {
		pid = spawn(c, ch, env);
		e = errno;
		free(env);
		errno = e;
	}
	if (pid == -1)
		return -1;
	/* the child set its group before its exec, which vfork waited for */
	if (g == CHILD_OURS || g == getpgrp())
		c->run[c->n].to = pid;
	else
		c->run[c->n].to = -(g == CHILD_NEW ? pid : g);
	c->run[c->n++].pid = pid;
	return pid;
}

/*
 * sig to every child still running: to a child in our group, to each
 * other group once. tty: the terminal sent it to the whole foreground
 * group, which is ours, so the children in our group have it already.
 */
static void
pass(const struct children *c, int sig, int tty)
{
	size_t i, j;

	for (i = 0; i < c->n; i++) {
		if (tty && c->run[i].to > 0)
			continue;
		for (j = 0; j < i && c->run[j].to != c->run[i].to; j++)
			;
		if (j == i)
			kill(c->run[i].to, sig);
	}
}

void
child_kill(const struct children *c, int sig)
{
	pass(c, sig, 0);
}

/* one child that has ended, reaped: its pid and status; 0 if none */
static pid_t
reap(struct children *c, int *status)
{
	pid_t pid;
	size_t i;
	int st;

	for (i = 0; i < c->n; i++) {
		if ((pid = waitpid(c->run[i].pid, &st, WNOHANG)) <= 0)
			continue;
		c->run[i] = c->run[--c->n];
		*status = child_status(st);
		return pid;
	}
	return 0;
}

/*
 * The next signal of c->set, waited for until d: its number, or -1.
 * Waited for before it is read: it is asked for only once reap found no
 * child ended, when a read first would say EAGAIN, and with nothing left
 * to wait for (d now) the poll alone says there is nothing.
 */
static int
take(struct children *c, const struct deadline *d)
{
	struct signalfd_siginfo si;
	ssize_t r;

	do {
		if (wait_fd(c->fd, POLLIN, d) == -1)
			return -1;
		r = read(c->fd, &si, sizeof(si));
		if (r == -1 && errno != EAGAIN && errno != EINTR)
			return -1;
	} while (r != (ssize_t)sizeof(si));
	if (si.ssi_signo != SIGCHLD) {
		c->sig = (int)si.ssi_signo;
		if (c->forward)
			pass(c, c->sig, si.ssi_code == SI_KERNEL);
	}
	return (int)si.ssi_signo;
}

/*
 * Wait, until d (NULL: for ever), for a child to end: its pid, reaped,
 * with its status as the shell gives it in *status. 0 when a signal of
 * sig_fatal came first: c->sig says which, and it has been
 * passed on if c->forward. -1 with errno: ECHILD when none is left,
 * ETIMEDOUT at d. Only our own children are reaped.
 */
pid_t
child_wait(struct children *c, const struct deadline *d, int *status)
{
	struct deadline now;
	pid_t pid;
	int sig;

	deadline_set(&now, 0);
	for (;;) {
		if ((pid = reap(c, status)) != 0)
			return pid;
		/* with none left, take what has come, but never block */
		if ((sig = take(c, c->n > 0 ? d : &now)) == -1) {
			if (c->n == 0 && errno == ETIMEDOUT)
				errno = ECHILD;
			return -1;
		}
		if (sig != SIGCHLD)
			return 0;
	}
}

/* a wait(2) status as the shell reports it: the code, or 128+signal */
int
child_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}

/*
 * fn(arg) in a child while we do work(arg), for a verb that is two
 * halves at once (connect: stdin to the socket there, the socket to
 * stdout here). In the child, a handler of ours for a signal of
 * sig_fatal (one that removes our files) is the default again, as for
 * a command we run, and it dies with us: what fn holds must not outlive
 * the verb. When work returns non-zero the child is sent SIGTERM; it is
 * waited for either way. work's value where it is not 0, else the
 * child's status as the shell gives it (fn's value, or 128+signal); -1
 * with errno when no child could be made.
 */
int
child_beside(int (*fn)(void *), int (*work)(void *), void *arg)
{
	sigset_t set, mask;
	pid_t pid, parent = getpid();
	int n, rc, st, e;

	/* no handler of ours may run in the child before it is reset */
	sig_fatal(&set, NULL);
	sigprocmask(SIG_BLOCK, &set, &mask);
	if ((pid = fork()) == 0) {
		for (n = 1; n <= SIGRTMAX; n++)
			if (sigismember(&set, n) == 1)
				signal(n, SIG_DFL);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* a parent gone before prctl took effect never sends it */
		if (getppid() != parent)
			raise(SIGKILL);
		sigprocmask(SIG_SETMASK, &mask, NULL);
		_exit(fn(arg));
	}
	e = errno;
	sigprocmask(SIG_SETMASK, &mask, NULL);
	if (pid == -1) {
		errno = e;
		return -1;
	}
	if ((rc = work(arg)) != 0)
		kill(pid, SIGTERM);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	return rc != 0 ? rc : child_status(st);
}
