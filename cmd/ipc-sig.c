/* ipc-sig: send, queue and wait for signals; inspect a process's signals. */
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

#define PIDFILE_MAX	64		/* a pid file is one number and a newline */

enum { O_GROUP = OPT_LONG, O_BLOCK, O_UNBLOCK, O_IGNORE, O_DEFAULT };

static const struct optdef send_opts[] = {
	{ 'q', "queue", "VALUE", "queue VALUE with the signal (sigqueue(3))" },
	{ O_GROUP, "group", "PGID", "signal every process of group PGID" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef recv_opts[] = {
	{ 'P', "pid-file", "PIDFILE",
	    "write our pid there once the signals are blocked" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef run_opts[] = {
	{ O_BLOCK, "block", "SIGS", "block these in CMD (comma-separated, all)" },
	{ O_UNBLOCK, "unblock", "SIGS", "unblock these in CMD" },
	{ O_IGNORE, "ignore", "SIGS", "CMD starts with these ignored" },
	{ O_DEFAULT, "default", "SIGS", "CMD starts with these at default" },
	{ 0, NULL, NULL, NULL }
};

enum { L_NUM, L_NAME, L_ACTION, L_DESCR, L_NCOLS };

static const struct col lcols[L_NCOLS + 1] = {
	[L_NUM] = { "number", COL_NUM, 1 },
	[L_NAME] = { "name", COL_STR, 1 },
	[L_ACTION] = { "action", COL_STR, 1 },
	[L_DESCR] = { "description", COL_STR, 1 },
};

enum { P_PID, P_PENDING, P_SHARED, P_BLOCKED, P_IGNORED, P_CAUGHT,
	P_NCOLS };

static const struct col pcols[P_NCOLS + 1] = {
	[P_PID] = { "pid", COL_NUM, 1 },
	[P_PENDING] = { "pending", COL_STR, 1 },
	[P_SHARED] = { "shared_pending", COL_STR, 1 },
	[P_BLOCKED] = { "blocked", COL_STR, 1 },
	[P_IGNORED] = { "ignored", COL_STR, 1 },
	[P_CAUGHT] = { "caught", COL_STR, 1 },
};

/* the keys of /proc/PID/status, in the order of pcols from P_PENDING */
static const char *const statuskeys[] = {
	"SigPnd:", "ShdPnd:", "SigBlk:", "SigIgn:", "SigCgt:"
};

struct target {
	const char *arg;		/* as given: 123 or @PIDFILE */
	pid_t pid;
	struct timespec written;	/* @PIDFILE: when it was written */
};

static pid_t
parse_pid(const char *s, const char *what)
{
	if (strcmp(s, "0") == 0 || strcmp(s, "-1") == 0)
		usage_error("%s %s refused: ipc-sig never signals every process",
		    what, s);
	return (pid_t)num_int(s, what, 1, INT_MAX);
}

/* @PIDFILE: the one number in it, and when it was written */
static void
read_pidfile(struct target *t)
{
	char buf[PIDFILE_MAX + 1];
	struct stat st;
	ssize_t n;
	int fd;

	if ((fd = open(t->arg + 1, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1 || (n = read(fd, buf, PIDFILE_MAX)) == -1)
		usage_error("%s: %s", t->arg, strerror(errno));
	close(fd);
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (n == 0)
		usage_error("%s: empty pid file", t->arg);
	if (!isdigit((unsigned char)buf[0]) || strlen(buf) != (size_t)n)
		usage_error("%s: not a pid file (one number, then a newline)",
		    t->arg);
	t->pid = (pid_t)num_int(buf, t->arg, 1, INT_MAX);
	t->written = st.st_mtim;
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
	char path[64], buf[1024], *p;
	double start;
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	ok = fgets(buf, sizeof(buf), f) != NULL;
	fclose(f);
	if (!ok || (p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u "
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
sig_send(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "", send_opts), sig, n, k, bad = 0;
	const char *value = opt.val['q'], *group = opt.val[O_GROUP];
	struct target few[4], *t = few;
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
		if (strcmp(group, "1") == 0)
			usage_error("--group 1 refused: kill(2) would take it "
			    "for every process");
		pgid = parse_pid(group, "--group");
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
	for (n = 0; i + n < argc; n++) {
		t[n].arg = argv[i + n];
		if (t[n].arg[0] == '@')
			read_pidfile(&t[n]);
		else
			t[n].pid = parse_pid(t[n].arg, "target");
	}
	if (group != NULL && kill(-pgid, sig) == -1) {
		warn("send --group %s", group);
		bad = 1;
	}
	for (k = 0; k < n; k++)
		bad |= send_one(&t[k], sig, value);
	if (t != few)
		free(t);
	return bad;
}

/*
 * SIGPIPE as we were started with it: verb_main ignores it for our own
 * writes, and run must hand CMD the one it was given, not ours.
 */
static struct sigaction pipe_inherited;

/* -P: our pid, there in one rename, so a reader never sees half of it */
static void
write_pidfile(const char *path)
{
	char tmp[PATH_MAX], buf[32];
	sigset_t hold, old;
	int fd, len;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		errx(1, "recv -P %s: %s", esc_name(path), strerror(ENAMETOOLONG));
	/* no SIGINT between the rename and its clean-up being registered */
	sigemptyset(&hold);
	sigaddset(&hold, SIGINT);
	sigaddset(&hold, SIGTERM);
	sigaddset(&hold, SIGHUP);
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

/* the next of set, against one -t: its number, or -1 (ETIMEDOUT) */
static int
take(const sigset_t *set, siginfo_t *si)
{
	struct deadline d;
	struct timespec ts;
	int ms, r;

	deadline_set(&d, opt.timeout);
	for (;;) {
		if (d.at == TIMEOUT_NONE)
			r = sigwaitinfo(set, si);
		else {
			ms = deadline_ms(&d);
			ts.tv_sec = ms / 1000;
			ts.tv_nsec = (long)(ms % 1000) * 1000000;
			r = sigtimedwait(set, si, &ts);
		}
		if (r > 0)
			return r;
		if (errno == EAGAIN)
			errno = ETIMEDOUT;
		if (errno != EINTR)
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
print_sig(const siginfo_t *si)
{
	char nb[SIG_NAME_BUF], cb[SIG_NAME_BUF];
	const char *name = sig_name(si->si_signo, nb, sizeof(nb));
	const char *code = sig_code(si->si_signo, si->si_code, cb, sizeof(cb));

	if (opt.json) {
		printf("{\"signal\":\"%s\",\"number\":%d,\"pid\":%d,\"uid\":%u,"
		    "\"code\":\"%s\",\"value\":", name, si->si_signo,
		    (int)si->si_pid, (unsigned)si->si_uid, code);
		if (has_value(si))
			printf("%d}\n", si->si_value.sival_int);
		else
			fputs("null}\n", stdout);
	} else if (opt.verbose) {
		printf("%s\t%d\t%u\t%s\t", name, (int)si->si_pid,
		    (unsigned)si->si_uid, code);
		if (has_value(si))
			printf("%d\n", si->si_value.sival_int);
		else
			fputs("-\n", stdout);
	} else
		puts(name);
	if (fflush(stdout) == EOF || ferror(stdout))
		stdout_failed();
}

/* a signal recv may wait for, or run may change; usage error otherwise */
static int
changeable(const char *s, const char *what)
{
	int sig = sig_parse(s, 0);

	if (sig == SIGKILL || sig == SIGSTOP)
		usage_error("%s: %s cannot be caught, blocked or ignored", what,
		    s);
	if (!sig_valid(sig))
		usage_error("%s: signal %d belongs to the C library", what, sig);
	return sig;
}

static int
sig_recv(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "timeout count follow verbose json",
	    recv_opts), k;
	const char *pidfile = opt.val['P'];
	uintmax_t got = 0;
	siginfo_t si;
	sigset_t set;

	if (i == argc)
		usage_error("missing SIG");
	sigemptyset(&set);
	for (k = i; k < argc; k++)
		sigaddset(&set, changeable(argv[k], "recv"));
	if (pidfile != NULL && *pidfile == '\0')
		usage_error("-P: an empty path");
	opt.obj = argv[i];
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (pidfile != NULL)
		write_pidfile(pidfile);
	while (opt.follow || got < (opt.count ? opt.count : 1)) {
		stdout_ready();
		if (take(&set, &si) == -1) {
			if (errno == ETIMEDOUT)
				return msgout_timeout(argv[i], got);
			err(1, "recv %s", esc_name(argv[i]));
		}
		print_sig(&si);
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
	char nb[SIG_NAME_BUF], list[64 * (SIG_NAME_BUF + 1)] = "";
	int n;

	for (n = 1; n <= 64; n++)
		if (mask & (1ULL << (n - 1))) {
			if (list[0] != '\0')
				strlcat(list, ",", sizeof(list));
			strlcat(list, sig_name(n, nb, sizeof(nb)), sizeof(list));
		}
	table_set(t, col, "%s", list);
}

static void
pid_fill(struct table *t, const char *arg)
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
sig_ls(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "output no-header json", NULL);
	char pid[16];

	if (i == argc)
		return table_ls(lcols, ls_fill);
	snprintf(pid, sizeof(pid), "%d",
	    (int)parse_pid(opt_operand(argc, argv, i, "PID"), "PID"));
	return table_stat(pcols, pid_fill, pid);
}

/* run's SIGS: the set, refused where it names KILL or STOP */
static void
run_set(int code, const char *what, sigset_t *set)
{
	char buf[256], *p, *tok;
	const char *s = opt.val[code];

	sigemptyset(set);
	if (s == NULL)
		return;
	sig_list(s, what, set);
	if (strcmp(s, "all") == 0 || strlcpy(buf, s, sizeof(buf)) >= sizeof(buf))
		return;
	for (p = buf; (tok = strsep(&p, ",")) != NULL; )
		changeable(tok, what);
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

	alla = opt.val[ca] != NULL && strcmp(opt.val[ca], "all") == 0;
	allb = opt.val[cb] != NULL && strcmp(opt.val[cb], "all") == 0;
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
sig_run(int argc, char *argv[])
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
	if (sigaction(SIGPIPE, &pipe_inherited, NULL) == -1)
		err(125, "run: SIGPIPE");
	run_disp(&ign, SIG_IGN);
	run_disp(&dfl, SIG_DFL);
	if (sigprocmask(SIG_UNBLOCK, &unblock, NULL) == -1 ||
	    sigprocmask(SIG_BLOCK, &block, NULL) == -1)
		err(125, "run: sigprocmask");
	execvp(argv[i], argv + i);
	st = errno == ENOENT ? 127 : 126;
	warn("run %s", esc_name(argv[i]));
	return st;
}

static const struct verb verbs[] = {
	{ "send", sig_send, "send [-q VALUE] [--group PGID] SIG [TARGET...]" },
	{ "recv", sig_recv,
	    "recv [-t DUR] [-c N|-f] [-P PIDFILE] [-v] [-j] SIG..." },
	{ "ls", sig_ls, "ls [-H] [-o LIST] [-j] [PID]" },
	{ "run", sig_run, "run [--block SIGS] [--unblock SIGS] [--ignore SIGS] "
	    "[--default SIGS] -- CMD..." },
	{ NULL, NULL, NULL }
};

int
main(int argc, char *argv[])
{
	sigaction(SIGPIPE, NULL, &pipe_inherited);
	return verb_main(verbs, argc, argv);
}
