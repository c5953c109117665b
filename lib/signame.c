/*
 * Signals by name and number, both ways: USR1, SIGUSR1, usr1, RTMIN+3,
 * RTMAX-2 or 10; what each does by default, a line saying what it is
 * for, and the names of the si_code a receiver is told. The real-time
 * range is libc's (SIGRTMIN, SIGRTMAX), not the kernel's: the two below
 * SIGRTMIN belong to libc's threads and are named by number only.
 */
#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ipc.h"

struct signame {
	const char *name, *action, *descr;
};

static const struct signame names[32] = {
	[SIGHUP] = { "HUP", "Term", "terminal hung up, or its controller ended" },
	[SIGINT] = { "INT", "Term", "interrupt from the keyboard" },
	[SIGQUIT] = { "QUIT", "Core", "quit from the keyboard" },
	[SIGILL] = { "ILL", "Core", "illegal instruction" },
	[SIGTRAP] = { "TRAP", "Core", "breakpoint or trace trap" },
	[SIGABRT] = { "ABRT", "Core", "abort(3)" },
	[SIGBUS] = { "BUS", "Core", "bad memory access (bus error)" },
	[SIGFPE] = { "FPE", "Core", "arithmetic exception" },
	[SIGKILL] = { "KILL", "Term", "killed: cannot be caught or ignored" },
	[SIGUSR1] = { "USR1", "Term", "user-defined signal 1" },
	[SIGSEGV] = { "SEGV", "Core", "invalid memory reference" },
	[SIGUSR2] = { "USR2", "Term", "user-defined signal 2" },
	[SIGPIPE] = { "PIPE", "Term", "write to a pipe with no reader" },
	[SIGALRM] = { "ALRM", "Term", "timer from alarm(2)" },
	[SIGTERM] = { "TERM", "Term", "asked to terminate" },
	[SIGSTKFLT] = { "STKFLT", "Term", "coprocessor stack fault (unused)" },
	[SIGCHLD] = { "CHLD", "Ign", "a child stopped or ended" },
	[SIGCONT] = { "CONT", "Cont", "continue if stopped" },
	[SIGSTOP] = { "STOP", "Stop", "stopped: cannot be caught or ignored" },
	[SIGTSTP] = { "TSTP", "Stop", "stop typed at the terminal" },
	[SIGTTIN] = { "TTIN", "Stop", "terminal read from the background" },
	[SIGTTOU] = { "TTOU", "Stop", "terminal write from the background" },
	[SIGURG] = { "URG", "Ign", "urgent data on a socket" },
	[SIGXCPU] = { "XCPU", "Core", "CPU time limit exceeded" },
	[SIGXFSZ] = { "XFSZ", "Core", "file size limit exceeded" },
	[SIGVTALRM] = { "VTALRM", "Term", "virtual timer expired" },
	[SIGPROF] = { "PROF", "Term", "profiling timer expired" },
	[SIGWINCH] = { "WINCH", "Ign", "terminal window resized" },
	[SIGIO] = { "IO", "Term", "I/O possible on a descriptor" },
	[SIGPWR] = { "PWR", "Term", "power failure" },
	[SIGSYS] = { "SYS", "Core", "bad system call" },
};

/* other names the same signals go by */
static const struct { const char *name; int sig; } aliases[] = {
	{ "IOT", SIGABRT }, { "CLD", SIGCHLD }, { "POLL", SIGIO },
	{ "UNUSED", SIGSYS }, { NULL, 0 }
};

int
sig_max(void)
{
	return SIGRTMAX;
}

/* a signal that has a name here (not libc's own 32 and 33) */
int
sig_valid(int sig)
{
	return (sig >= 1 && sig < 32) || (sig >= SIGRTMIN && sig <= SIGRTMAX);
}

/* "USR1", "RTMIN+3", "RTMAX", or the number; in buf if it must be made */
const char *
sig_name(int sig, char *buf, size_t len)
{
	int mid = SIGRTMIN + (SIGRTMAX - SIGRTMIN) / 2;

	if (sig >= 1 && sig < 32)
		return names[sig].name;
	if (sig == SIGRTMIN)
		snprintf(buf, len, "RTMIN");
	else if (sig == SIGRTMAX)
		snprintf(buf, len, "RTMAX");
	else if (sig > SIGRTMIN && sig <= mid)
		snprintf(buf, len, "RTMIN+%d", sig - SIGRTMIN);
	else if (sig > mid && sig < SIGRTMAX)
		snprintf(buf, len, "RTMAX-%d", SIGRTMAX - sig);
	else
		snprintf(buf, len, "%d", sig);
	return buf;
}

const char *
sig_action(int sig)
{
	if (sig >= 1 && sig < 32)
		return names[sig].action;
	return "Term";
}

const char *
sig_descr(int sig)
{
	if (sig >= 1 && sig < 32)
		return names[sig].descr;
	if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		return "real-time signal: queued, carries a value";
	return "reserved for the C library's threads";
}

/* RTMIN, RTMIN+N, RTMAX, RTMAX-N (case already folded); 0: not one */
static int
sig_rt(const char *s, const char *orig)
{
	int base, dir, n = 0;
	const char *p;

	if (strncmp(s, "RTMIN", 5) == 0)
		base = SIGRTMIN, dir = 1;
	else if (strncmp(s, "RTMAX", 5) == 0)
		base = SIGRTMAX, dir = -1;
	else
		return 0;
	p = s + 5;
	if (*p == '\0')
		return base;
	if (*p != (dir > 0 ? '+' : '-') || !isdigit((unsigned char)p[1]))
		return 0;
	for (p++; isdigit((unsigned char)*p) && n <= SIGRTMAX; p++)
		n = n * 10 + (*p - '0');
	if (*p != '\0')
		return 0;
	if (n > SIGRTMAX - SIGRTMIN)
		usage_error("'%s': past the real-time signals (RTMIN+%d, "
		    "RTMAX-%d at most)", orig, SIGRTMAX - SIGRTMIN,
		    SIGRTMAX - SIGRTMIN);
	return base + dir * n;
}

static int
sig_number(const char *s, int zero)
{
	int n = 0;
	const char *p;

	for (p = s; isdigit((unsigned char)*p) && n <= SIGRTMAX; p++)
		n = n * 10 + (*p - '0');
	if (*p != '\0' || n > SIGRTMAX || (n == 0 && !zero))
		usage_error("'%s' is not a signal number from %d to %d", s,
		    zero ? 0 : 1, SIGRTMAX);
	return n;
}

/*
 * A signal as a user names it; a usage error if it is none. zero: 0
 * (no signal, only the check that one could be sent) is allowed.
 */
int
sig_parse(const char *s, int zero)
{
	char up[16];
	const char *p = s;
	size_t i;
	int n;

	if (isdigit((unsigned char)*s))
		return sig_number(s, zero);
	if (strncasecmp(p, "SIG", 3) == 0 && p[3] != '\0')
		p += 3;
	for (i = 0; p[i] != '\0' && i < sizeof(up) - 1; i++)
		up[i] = (char)toupper((unsigned char)p[i]);
	up[i] = '\0';
	if (p[i] == '\0') {
		for (n = 1; n < 32; n++)
			if (strcmp(up, names[n].name) == 0)
				return n;
		for (i = 0; aliases[i].name != NULL; i++)
			if (strcmp(up, aliases[i].name) == 0)
				return aliases[i].sig;
		if ((n = sig_rt(up, s)) != 0)
			return n;
	}
	usage_error("'%s' is not a signal (USR1, SIGUSR1, RTMIN+N, RTMAX-N, "
	    "or a number)", s);
}

/*
 * A comma-separated list of signals, of any length, where "all" (in
 * any case) is every one that can be blocked or have its disposition
 * changed (all but KILL and STOP): "all", "ALL", "all,USR1".
 */
void
sig_list(const char *s, const char *what, sigset_t *set)
{
	const char *list = s;
	char tok[64];
	size_t len;
	int n;

	sigemptyset(set);
	for (;; s += len + 1) {
		len = strcspn(s, ",");
		if (len == 0)
			usage_error("%s: an empty name in '%s'", what, list);
		if (len >= sizeof(tok))	/* no name is that long */
			usage_error("%s: '%.32s...' is not a signal", what, s);
		memcpy(tok, s, len);
		tok[len] = '\0';
		if (strcasecmp(tok, "all") != 0) {
			/* glibc's sigaddset drops its own 32 and 33 unsaid */
			if (!sig_valid(n = sig_parse(tok, 0)))
				usage_error("%s: signal %d belongs to the C "
				    "library", what, n);
			sigaddset(set, n);
		} else
			for (n = 1; n <= SIGRTMAX; n++)
				if (sig_valid(n) && n != SIGKILL &&
				    n != SIGSTOP)
					sigaddset(set, n);
		if (s[len] == '\0')
			break;
	}
}

/* whether the list s names "all", in any case, among its signals */
int
sig_list_all(const char *s)
{
	size_t len;

	for (; *s != '\0'; s += len + (s[len] == ',')) {
		len = strcspn(s, ",");
		if (len == 3 && strncasecmp(s, "all", 3) == 0)
			return 1;
	}
	return 0;
}

/* what si_code says about where a signal came from */
const char *
sig_code(int sig, int code, char *buf, size_t len)
{
	static const char *cld[] = { NULL, "CLD_EXITED", "CLD_KILLED",
	    "CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED" };

	switch (code) {
	case SI_USER: return "SI_USER";
	case SI_KERNEL: return "SI_KERNEL";
	case SI_QUEUE: return "SI_QUEUE";
	case SI_TIMER: return "SI_TIMER";
	case SI_MESGQ: return "SI_MESGQ";
	case SI_ASYNCIO: return "SI_ASYNCIO";
	case SI_SIGIO: return "SI_SIGIO";
	case SI_TKILL: return "SI_TKILL";
	}
	if (sig == SIGCHLD && code >= 1 && code <= 6)
		return cld[code];
	snprintf(buf, len, "%d", code);
	return buf;
}

/*
 * A mask as /proc/PID/status gives it (bit N-1 for signal N) in names,
 * comma-separated, "" for none, into buf (cut to fit len); buf
 */
char *
sig_mask_names(uint64_t mask, char *buf, size_t len)
{
	char nb[SIG_NAME_BUF];
	int n;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (n = 1; n <= 64; n++)
		if (mask & (1ULL << (n - 1))) {
			if (buf[0] != '\0')
				strlcat(buf, ",", len);
			strlcat(buf, sig_name(n, nb, sizeof(nb)), len);
		}
	return buf;
}
