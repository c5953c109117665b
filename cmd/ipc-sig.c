/*
 * ipc-sig: send, queue and wait for signals; inspect a process's signals,
 * and watch who signals it.
 */
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipc.h"

enum { O_GROUP = OPT_LONG, O_BLOCK, O_UNBLOCK, O_IGNORE, O_DEFAULT };

static const struct optdef send_opts[] = {
	{ 'q', "queue", "VALUE", "queue VALUE with the signal (sigqueue(3))" },
	{ O_GROUP, "group", "PGID",
	    "signal every process of group PGID (then TARGET may be left out)" },
	{ 0, NULL, NULL, NULL }
};

/* and the shared ones in a verb's words */
static const struct optdef recv_opts[] = {
	{ 'P', "pid-file", "PIDFILE",
	    "write our pid there once the signals are blocked" },
	{ 'c', "count", "N", "receive N signals (default 1), then exit" },
	{ 'v', "verbose", NULL,
	    "the sender's pid and uid, si_code and value, TAB-separated" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef watch_opts[] = {
	{ 'c', "count", "N", "see N signals (default 1), then let go" },
	{ 'f', "follow", NULL, "watch until killed, PID ends, or -t" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef run_opts[] = {
	{ O_BLOCK, "block", "SIGS", "block these in CMD (comma-separated, all)" },
	{ O_UNBLOCK, "unblock", "SIGS", "unblock these in CMD" },
	{ O_IGNORE, "ignore", "SIGS", "CMD starts with these ignored" },
	{ O_DEFAULT, "default", "SIGS", "CMD starts with these at default" },
	{ 0, NULL, NULL, NULL }
};

enum { L_KIND, L_NUM, L_NAME, L_ACTION, L_DESCR, L_NCOLS };

static const struct col lcols[L_NCOLS + 1] = {
	[L_KIND] = { "kind", COL_STR, 0, NULL, "signal" },
	[L_NUM] = { "number", COL_NUM, 1 },
	[L_NAME] = { "name", COL_STR, 1 },
	[L_ACTION] = { "action", COL_STR, 1 },
	[L_DESCR] = { "description", COL_WORDS, 1 },
};

enum { P_KIND, P_PID, P_PENDING, P_SHARED, P_BLOCKED, P_IGNORED, P_CAUGHT,
	P_NCOLS };

static const struct col pcols[P_NCOLS + 1] = {
	[P_KIND] = { "kind", COL_STR, 0, NULL, "process" },
	[P_PID] = { "pid", COL_NUM, 1 },
	[P_PENDING] = { "pending", COL_SET, 1 },
	[P_SHARED] = { "shared_pending", COL_SET, 1 },
	[P_BLOCKED] = { "blocked", COL_SET, 1 },
	[P_IGNORED] = { "ignored", COL_SET, 1 },
	[P_CAUGHT] = { "caught", COL_SET, 1 },
};

/* the keys of /proc/PID/status, in the order of pcols from P_PENDING */
static const char *const statuskeys[] = {
	"SigPnd:", "ShdPnd:", "SigBlk:", "SigIgn:", "SigCgt:"
};

struct target {
	const char *arg;		/* as given: 123 or @PIDFILE */
	pid_t pid;			/* -1: a pid file that said no */
	struct timespec written;	/* @PIDFILE: when it was written */
};

/* "send @PIDFILE", as a message names a target */
static const char *
sent_to(char *buf, size_t len, const char *arg)
{
	snprintf(buf, len, "send %s", esc_name(arg));
	return buf;
}

static int
pidfd_open_(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static int
pidfd_signal(int fd, int sig, siginfo_t *si)
{
	return (int)syscall(SYS_pidfd_send_signal, fd, sig, si, 0);
}

/*
 * Whether pid started after ts: its start (in clock ticks since boot,
 * field 22 of /proc/PID/stat) on the wall clock. A tick of slack, as
 * the start is rounded down to one.
 */
static int
started_after(pid_t pid, const struct timespec *ts)
{
	struct timespec real, boot;
	unsigned long long ticks;
	char buf[1024];
	const char *p = pid_stat(pid, buf, sizeof(buf));
	double start;

	if (p == NULL ||
	    sscanf(p, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u "
	    "%*d %*d %*d %*d %*d %*d %llu", &ticks) != 1)
		return 0;
	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	start = (double)real.tv_sec + real.tv_nsec / 1e9 -
	    ((double)boot.tv_sec + boot.tv_nsec / 1e9) +
	    (double)ticks / (double)sysconf(_SC_CLK_TCK);
	return start > (double)ts->tv_sec + ts->tv_nsec / 1e9 +
	    2.0 / (double)sysconf(_SC_CLK_TCK);
}

/*
 * A target that lives in name alone: a zombie takes no signal, and a
 * kernel thread none it ignores. 1 with a warning naming it; else 0,
 * with a note where the target is a kernel thread that does not ignore
 * sig (what it makes of it is its own code's affair)
 */
static int
unreachable(const struct target *t, int sig)
{
	char nb[SIG_NAME_BUF];
	const char *name;

	if (pid_zombie(t->pid)) {
		warnx("send %s: a zombie: it has ended, and its parent has not "
		    "yet waited for it", esc_name(t->arg));
		return 1;
	}
	if (sig == 0 || !pid_kthread(t->pid))
		return 0;
	name = sig_name(sig, nb, sizeof(nb));
	if (pid_ignores(t->pid, sig)) {
		warnx("send %s: a kernel thread, which ignores SIG%s: not sent",
		    esc_name(t->arg), name);
		return 1;
	}
	warnx("send %s: a kernel thread, which does not ignore SIG%s: sent",
	    esc_name(t->arg), name);
	return 0;
}

/* one target: 0, or 1 with a warning naming it */
static int
send_one(const struct target *t, int sig, const char *value)
{
	siginfo_t si, *sip = NULL;
	int fd, r;

	if ((fd = pidfd_open_(t->pid)) == -1) {
		warn("send %s", esc_name(t->arg));
		return 1;
	}
	if (t->arg[0] == '@' && started_after(t->pid, &t->written)) {
		warnx("send %s: process %d started after the pid file was "
		    "written: not the one it names", esc_name(t->arg),
		    (int)t->pid);
		close(fd);
		return 1;
	}
	if (unreachable(t, sig)) {
		close(fd);
		return 1;
	}
	if (value != NULL) {
		memset(&si, 0, sizeof(si));
		si.si_signo = sig;
		si.si_code = SI_QUEUE;
		si.si_pid = getpid();
		si.si_uid = getuid();
		si.si_value.sival_int = (int)num_int(value, "-q", INT_MIN,
		    INT_MAX);
		sip = &si;
	}
	r = pidfd_signal(fd, sig, sip);
	if (r == -1)
		warn("send %s", esc_name(t->arg));
	close(fd);
	return r == -1;
}

static int
cmd_send(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "", send_opts), sig, n, k, bad = 0;
	const char *value = opt.val['q'], *group = opt.val[O_GROUP];
	struct target few[4], *t = few;
	char what[PATH_MAX + 16];
	pid_t pgid = 0;

	if (i == argc)
		usage_error("missing SIG");
	sig = sig_parse(argv[i++], 1);
	if (value != NULL)
		num_int(value, "-q", INT_MIN, INT_MAX);
	if (group != NULL) {
		if (value != NULL)
			usage_error("-q and --group exclude each other: "
			    "sigqueue(3) signals one process");
		pgid = pid_arg(group, "--group", PID_GROUP);
	}
	if (i == argc && group == NULL)
		usage_error("missing TARGET");
	/*
	 * a few targets on the stack: the first malloc of a run costs a
	 * getrandom and two brk, a third more system calls than the
	 * signal itself needs
	 */
	memset(few, 0, sizeof(few));
	if (argc - i > (int)(sizeof(few) / sizeof(few[0])) &&
	    (t = calloc((size_t)(argc - i), sizeof(*t))) == NULL)
		err(1, "send");
	for (n = 0; i + n < argc; n++)
		if ((t[n].arg = argv[i + n])[0] != '@')
			t[n].pid = pid_arg(t[n].arg, "target", 0);
	/* every operand parsed; now the pid files, each failure named */
	for (k = 0; k < n; k++)
		if (t[k].arg[0] == '@' && (t[k].pid = pid_file(t[k].arg + 1,
		    sent_to(what, sizeof(what), t[k].arg), &t[k].written)) == -1)
			bad = 1;
	if (group != NULL && kill(-pgid, sig) == -1) {
		warn("send --group %s", group);
		bad = 1;
	}
	for (k = 0; k < n; k++)
		if (t[k].pid != -1)
			bad |= send_one(&t[k], sig, value);
	if (t != few)
		free(t);
	return bad;
}

/*
 * -P: our pid, there in one rename, so a reader never sees half of it,
 * and removed by every signal that ends us but the ones we wait for
 */
static void
write_pidfile(const char *path, const sigset_t *ours)
{
	char tmp[PATH_MAX], buf[32];
	sigset_t hold, old;
	int fd, len;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		errx(1, "recv -P %s: %s", esc_name(path), strerror(ENAMETOOLONG));
	cleanup_spare(ours);
	/* no signal between the rename and its clean-up being registered */
	sig_fatal(&hold, ours);
	sigprocmask(SIG_BLOCK, &hold, &old);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1)
		err(1, "recv -P %s", esc_name(path));
	len = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (fchmod(fd, 0644) == -1 || write(fd, buf, (size_t)len) != len ||
	    close(fd) == -1 || rename(tmp, path) == -1) {
		warn("recv -P %s", esc_name(path));
		unlink(tmp);
		exit(1);
	}
	if (cleanup_unlink(path) == -1) {
		warn("recv -P %s", esc_name(path));
		unlink(path);
		exit(1);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/*
 * The next of set, against one -t: its number, or -1 (ETIMEDOUT). It
 * waits on sfd, a signalfd of set, beside stdout, so a reader that goes
 * ends us at once, and nothing is taken for it.
 */
static int
take(int sfd, const sigset_t *set, siginfo_t *si)
{
	static const struct timespec now = { 0, 0 };
	struct deadline d;
	int r;

	deadline_set(&d, opt.timeout);
	for (;;) {
		stdout_ready();
		if ((r = sigtimedwait(set, si, &now)) > 0)
			return r;
		if (errno != EAGAIN && errno != EINTR)
			return -1;
		if (stdout_wait(sfd, &d) == -1)
			return -1;
	}
}

/* a value came with it: sigqueue(3), a timer's or a queue's notification */
static int
has_value(const siginfo_t *si)
{
	return si->si_code == SI_QUEUE || si->si_code == SI_TIMER ||
	    si->si_code == SI_MESGQ;
}

static void
print_json(FILE *f, const siginfo_t *si, const char *name, const char *code,
    const char *comm)
{
	fprintf(f, "{\"signal\":\"%s\",\"number\":%d,\"pid\":%d,\"uid\":%u,"
	    "\"code\":\"%s\",\"value\":", name, si->si_signo,
	    (int)si->si_pid, (unsigned)si->si_uid, code);
	if (has_value(si))
		fprintf(f, "%d", si->si_value.sival_int);
	else
		fputs("null", f);
	if (comm != NULL && *comm != '\0') {
		fputs(",\"command\":\"", f);
		esc_json(f, comm, (size_t)-1);
		putc('"', f);
	} else if (comm != NULL)
		fputs(",\"command\":null", f);
	fputs("}\n", f);
}

static void
print_text(FILE *f, const siginfo_t *si, const char *name, const char *code,
    const char *comm)
{
	fprintf(f, "%s\t%d\t%u\t%s\t", name, (int)si->si_pid,
	    (unsigned)si->si_uid, code);
	if (has_value(si))
		fprintf(f, "%d", si->si_value.sival_int);
	else
		putc('-', f);
	if (comm != NULL) {
		putc('\t', f);
		if (*comm != '\0')
			esc_text(f, comm, 1);
		else
			putc('-', f);
	}
	putc('\n', f);
}

/*
 * One signal, written out at once, in one write(2) where stdout takes
 * it: its name; with -v (and always for watch, which adds the sender's
 * command, or "" where it is not known) the sender and code; -j as
 * JSON. 0, or -1 with errno, *part set where some of the line went.
 */
static int
print_sig(const siginfo_t *si, const char *comm, int *part)
{
	char nb[SIG_NAME_BUF], cb[SIG_NAME_BUF], *line = NULL;
	const char *name = sig_name(si->si_signo, nb, sizeof(nb));
	const char *code = sig_code(si->si_signo, si->si_code, cb, sizeof(cb));
	size_t len = 0, off = 0;
	ssize_t n;
	FILE *f;
	int e;

	*part = 0;
	if ((f = open_memstream(&line, &len)) == NULL)
		return -1;
	if (opt.json)
		print_json(f, si, name, code, comm);
	else if (opt.verbose || comm != NULL)
		print_text(f, si, name, code, comm);
	else
		fprintf(f, "%s\n", name);
	if (fclose(f) == EOF) {
		free(line);
		return -1;
	}
	while (off < len)
		if ((n = write(STDOUT_FILENO, line + off, len - off)) > 0)
			off += (size_t)n;
		else if (n == -1 && errno != EINTR)
			break;
	e = errno;
	free(line);
	*part = off > 0 && off < len;
	errno = e;
	return off == len ? 0 : -1;
}

/*
 * recv took a signal that never reached stdout (errno): counted, as
 * ipc-mq recv counts messages, and exit 1, even for a reader that has
 * gone (the window between the last look at stdout and the write).
 */
static void __attribute__((noreturn))
recv_lost(const char *obj, int part)
{
	int e = errno;

	warnx("recv %s: stdout: %s: %d signal%s taken and lost, %d written "
	    "in part", esc_name(obj), strerror(e), !part, part ? "s" : "",
	    part);
	cleanup_run();		/* _exit skips atexit(3) */
	_exit(1);
}

/* a signal recv may wait for; usage error otherwise (the message
 * names the verb already) */
static int
changeable(const char *s)
{
	int sig = sig_parse(s, 0);

	if (sig == SIGKILL || sig == SIGSTOP)
		usage_error("%s cannot be caught, blocked or ignored", s);
	if (!sig_valid(sig))
		usage_error("signal %d belongs to the C library", sig);
	return sig;
}

static int
cmd_recv(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "timeout count follow verbose json",
	    recv_opts), k, sfd, part;
	const char *pidfile = opt.val['P'];
	uintmax_t got = 0;
	siginfo_t si;
	sigset_t set;

	if (i == argc)
		usage_error("missing SIG");
	sigemptyset(&set);
	for (k = i; k < argc; k++)
		sigaddset(&set, changeable(argv[k]));
	if (pidfile != NULL && *pidfile == '\0')
		usage_error("-P: an empty path");
	stdout_name(argv[i]);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if ((sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1)
		err(1, "recv %s: signalfd", esc_name(argv[i]));
	if (pidfile != NULL)
		write_pidfile(pidfile, &set);
	while (opt.follow || got < (opt.count ? opt.count : 1)) {
		if (take(sfd, &set, &si) == -1) {
			if (errno == ETIMEDOUT)
				return msgout_timeout(argv[i], got, opt.follow);
			err(1, "recv %s", esc_name(argv[i]));
		}
		if (print_sig(&si, NULL, &part) == -1)
			recv_lost(argv[i], part);
		got++;
	}
	return 0;
}

static void
ls_fill(struct table *t)
{
	char nb[SIG_NAME_BUF];
	int n;

	for (n = 1; n <= sig_max(); n++) {
		if (!sig_valid(n))
			continue;
		table_row(t);
		table_set(t, L_NUM, "%d", n);
		table_set(t, L_NAME, "%s", sig_name(n, nb, sizeof(nb)));
		table_set(t, L_ACTION, "%s", sig_action(n));
		table_set(t, L_DESCR, "%s", sig_descr(n));
	}
}

/* a mask from /proc/PID/status as names, comma-separated */
static void
set_mask(struct table *t, int col, unsigned long long mask)
{
	char list[SIG_MASK_BUF];

	table_set(t, col, "%s", sig_mask_names(mask, list, sizeof(list)));
}

static void
ls_pid_fill(struct table *t, const char *arg)
{
	char path[64], line[256];
	size_t k, len;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/status", arg);
	if ((f = fopen(path, "re")) == NULL) {
		if (errno == ENOENT)
			errno = ESRCH;
		err(1, "ls %s", arg);
	}
	table_row(t);
	table_set(t, P_PID, "%s", arg);
	while (fgets(line, sizeof(line), f) != NULL)
		for (k = 0; k < sizeof(statuskeys) / sizeof(*statuskeys); k++) {
			len = strlen(statuskeys[k]);
			if (strncmp(line, statuskeys[k], len) == 0)
				set_mask(t, P_PENDING + (int)k,
				    strtoull(line + len, NULL, 16));
		}
	fclose(f);
}

static int
cmd_ls(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "output no-header notruncate json", NULL);
	char pid[16];

	if (i == argc)
		return table_ls(lcols, ls_fill, TABLE_ASKED);
	snprintf(pid, sizeof(pid), "%d",
	    (int)pid_arg(opt_operand(argc, argv, i, "PID"), "PID", 0));
	return table_stat(pcols, ls_pid_fill, pid, TABLE_ASKED);
}

/* run's SIGS, of any length, "all" among them: refused where it names
 * KILL or STOP */
static void
run_set(int code, const char *what, sigset_t *set)
{
	char nb[SIG_NAME_BUF];
	const char *s = opt.val[code];
	int n;

	sigemptyset(set);
	if (s == NULL)
		return;
	sig_list(s, what, set);
	for (n = 1; n <= sig_max(); n++) {
		if (sigismember(set, n) == 1 && (n == SIGKILL || n == SIGSTOP))
			usage_error("%s: %s cannot be caught, blocked or ignored",
			    what, sig_name(n, nb, sizeof(nb)));
	}
}

/*
 * A signal named in both of two opposite lists is a mistake; against
 * "all", the other list names the exceptions (--block all --unblock INT)
 */
static void
run_apart(int ca, sigset_t *a, const char *an, int cb, sigset_t *b,
    const char *bn)
{
	char nb[SIG_NAME_BUF];
	int n, alla, allb;

	alla = opt.val[ca] != NULL && sig_list_all(opt.val[ca]);
	allb = opt.val[cb] != NULL && sig_list_all(opt.val[cb]);
	if (alla && allb)
		usage_error("%s all and %s all exclude each other", an, bn);
	for (n = 1; n <= sig_max(); n++) {
		if (sigismember(a, n) != 1 || sigismember(b, n) != 1)
			continue;
		if (alla)
			sigdelset(a, n);
		else if (allb)
			sigdelset(b, n);
		else
			usage_error("%s is both in %s and in %s",
			    sig_name(n, nb, sizeof(nb)), an, bn);
	}
}

static void
run_disp(const sigset_t *set, void (*h)(int))
{
	struct sigaction sa;
	int n;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = h;
	sigemptyset(&sa.sa_mask);
	for (n = 1; n <= sig_max(); n++)
		if (sigismember(set, n) == 1 && sigaction(n, &sa, NULL) == -1)
			err(125, "run: signal %d", n);
}

static int
cmd_run(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "", run_opts), st;
	sigset_t block, unblock, ign, dfl;

	run_set(O_BLOCK, "--block", &block);
	run_set(O_UNBLOCK, "--unblock", &unblock);
	run_set(O_IGNORE, "--ignore", &ign);
	run_set(O_DEFAULT, "--default", &dfl);
	run_apart(O_BLOCK, &block, "--block", O_UNBLOCK, &unblock, "--unblock");
	run_apart(O_IGNORE, &ign, "--ignore", O_DEFAULT, &dfl, "--default");
	if (i == argc)
		usage_error("missing CMD");
	sig_inherit();		/* PIPE and XFSZ as we were started */
	run_disp(&ign, SIG_IGN);
	run_disp(&dfl, SIG_DFL);
	if (sigprocmask(SIG_UNBLOCK, &unblock, NULL) == -1 ||
	    sigprocmask(SIG_BLOCK, &block, NULL) == -1)
		err(125, "run: sigprocmask");
	st = child_become(argv + i);
	warn("run %s", esc_name(argv[i]));
	return st;
}

/* a process another tracer holds is refused, naming it */
static void
untraced(const char *arg, pid_t pid)
{
	char buf[32], comm[64];
	long tracer;

	if (pid_status(pid, "TracerPid", buf, sizeof(buf)) == -1 ||
	    (tracer = strtol(buf, NULL, 10)) == 0)
		return;
	proc_comm((pid_t)tracer, comm, sizeof(comm));
	errx(1, "watch %s: already traced by %ld (%s)", arg, tracer,
	    esc_name(comm));
}

/* the process pid is a thread of, where it can be watched; else exit 1 */
static pid_t
watch_target(const char *arg, pid_t pid)
{
	char buf[64];
	pid_t tgid;

	if (pid_status(pid, "Tgid", buf, sizeof(buf)) == -1) {
		if (errno == ENOENT)
			errno = ESRCH;
		err(1, "watch %s", arg);
	}
	if ((tgid = (pid_t)strtol(buf, NULL, 10)) == getpid())
		errx(1, "watch %s: that is this ipc-sig itself", arg);
	if (pid_zombie(tgid))
		errx(1, "watch %s: a zombie: it has ended, and its parent has "
		    "not yet waited for it", arg);
	if (pid_status(tgid, "State", buf, sizeof(buf)) == 0 &&
	    buf[0] == 'Z')
		errx(1, "watch %s: its main thread has ended (the process "
		    "lives on in its other threads), and ptrace(2) cannot "
		    "attach to an ended thread", arg);
	untraced(arg, tgid);
	return tgid;
}

/*
 * kernel.yama.ptrace_scope, where Yama is, as ptrace(2) explains it;
 * NULL for 0 (or no Yama), where the classic checks alone apply
 */
static const char *
yama(uintmax_t *scope)
{
	if (sysctl_num("/proc/sys/kernel/yama/ptrace_scope", scope) == -1 ||
	    *scope == 0)
		return NULL;
	if (*scope == 1)
		return "kernel.yama.ptrace_scope is 1: only a process's "
		    "ancestors, one it names with prctl(PR_SET_PTRACER), or "
		    "CAP_SYS_PTRACE may trace it";
	if (*scope == 2)
		return "kernel.yama.ptrace_scope is 2: only CAP_SYS_PTRACE may "
		    "trace";
	return "kernel.yama.ptrace_scope is 3: nothing may be traced";
}

/*
 * Why the kernel refused us pid (EPERM), as " (...)", in the order it
 * asks: Yama at 2 or 3, which refuses all but CAP_SYS_PTRACE; the same
 * user, real, effective and saved; dumpable (else /proc/PID is root's);
 * Yama at 1. Empty where none of them says.
 */
static void
refusal(pid_t pid, char *buf, size_t len)
{
	char ids[64], path[32];
	unsigned long r = getuid(), e = getuid(), s = getuid();
	struct stat st;
	uintmax_t scope;
	const char *y = yama(&scope);

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (pid_status(pid, "Uid", ids, sizeof(ids)) == 0)
		sscanf(ids, "%lu %lu %lu", &r, &e, &s);
	if (y != NULL && scope >= 2)
		snprintf(buf, len, " (%s)", y);
	else if (r != getuid())
		snprintf(buf, len, " (another user's process, uid %lu: only "
		    "CAP_SYS_PTRACE may trace it)", r);
	else if (e != getuid() || s != getuid())
		snprintf(buf, len, " (it runs set-user-ID, effective uid %lu: "
		    "only CAP_SYS_PTRACE may trace it)", e);
	else if (stat(path, &st) == 0 && st.st_uid != e)
		snprintf(buf, len, " (it is not dumpable: only CAP_SYS_PTRACE "
		    "may trace it)");
	else if (y != NULL)
		snprintf(buf, len, " (%s)", y);
}

static void __attribute__((noreturn))
watch_refused(const char *arg, pid_t pid, int e)
{
	char why[256];

	if (e == EPERM) {
		untraced(arg, pid);	/* traced since we looked */
		refusal(pid, why, sizeof(why));
		errx(1, "watch %s: %s%s", arg, strerror(e), why);
	}
	errno = e;
	err(1, "watch %s", arg);
}

/*
 * Who sent it, where si_code says a process did (for SIGCHLD: the
 * child): its command, read now, while it may still live, or "" once it
 * has gone. A signal the kernel made for a fault, a timer or I/O holds
 * other fields where the pid and uid are: they become 0, as the
 * kernel's own.
 */
static void
sender(siginfo_t *si, char *comm, size_t len)
{
	int sent = si->si_code == SI_USER || si->si_code == SI_QUEUE ||
	    si->si_code == SI_TKILL || si->si_code == SI_MESGQ ||
	    (si->si_signo == SIGCHLD && si->si_code > 0);

	comm[0] = '\0';
	if (!sent) {
		si->si_pid = 0;
		si->si_uid = 0;
	} else if (si->si_pid > 0)
		proc_comm(si->si_pid, comm, len);
}

/*
 * Each signal seen printed, after it has gone on to the process: one,
 * -c N or -f. What the last trace_next said: 1 when enough were seen.
 */
static int
watch_loop(struct trace *tr, uintmax_t *got)
{
	struct deadline d;
	char comm[64];
	siginfo_t si;
	int r, e, part;

	deadline_set(&d, opt.timeout);
	while (opt.follow || *got < (opt.count ? opt.count : 1)) {
		if ((r = trace_next(tr, &si, &d)) != 1)
			return r;
		sender(&si, comm, sizeof(comm));
		trace_deliver(tr);
		if (print_sig(&si, comm, &part) == -1) {
			e = errno;
			trace_detach(tr);
			errno = e;
			stdout_failed();
		}
		(*got)++;
		d = deadline_again(&d);
	}
	return 1;
}

/* the process ended: how, on stderr; 0 with -f, else 1: too few came */
static int
watch_ended(int st, const char *arg)
{
	char nb[SIG_NAME_BUF];

	if (st != -1 && WIFEXITED(st))
		warnx("watch %s: the process has ended: exit status %d", arg,
		    WEXITSTATUS(st));
	else if (st != -1 && WIFSIGNALED(st))
		warnx("watch %s: the process has ended: killed by SIG%s", arg,
		    sig_name(WTERMSIG(st), nb, sizeof(nb)));
	else
		warnx("watch %s: the process has ended", arg);
	return opt.follow ? 0 : 1;
}

static int
cmd_watch(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "timeout count follow json", watch_opts),
	    r, e;
	const char *arg = opt_operand(argc, argv, i, "PID");
	pid_t pid = pid_arg(arg, "PID", 0);
	uintmax_t got = 0;
	struct trace tr;

	pid = watch_target(arg, pid);
	stdout_ready();
	if (trace_seize(&tr, pid) == -1)
		watch_refused(arg, pid, errno);
	r = watch_loop(&tr, &got);
	e = errno;
	trace_detach(&tr);
	if (tr.sig != 0) {	/* as the others: dead of it, 128+sig */
		raise(tr.sig);
		return 128 + tr.sig;
	}
	if (r == 0)
		return watch_ended(tr.status, arg);
	if (r == -1 && e == ETIMEDOUT)
		return msgout_timeout(arg, got, opt.follow);
	if (r == -1)
		errc(1, e, "watch %s", arg);
	return 0;
}

static const struct verb verbs[] = {
	{ "send", cmd_send, "send [-q VALUE|--group PGID] SIG TARGET..." },
	{ "recv", cmd_recv,
	    "recv [-t DUR] [-c N|-f] [-P PIDFILE] [-v] [-j] SIG..." },
	{ "ls", cmd_ls, "ls [-H] [--notruncate] [-o LIST] [-j] [PID]" },
	{ "run", cmd_run, "run [--block SIGS] [--unblock SIGS] [--ignore SIGS] "
	    "[--default SIGS] -- CMD..." },
	{ "watch", cmd_watch, "watch [-t DUR] [-c N|-f] [-j] PID" },
	{ NULL, NULL, NULL }
};

int
main(int argc, char *argv[])
{
	return verb_main(verbs, argc, argv);
}
