/*
 * Process ids, as operands and in pid files: a pid is its value, never
 * its spelling. "00", "+0" and "-0" are 0, "01" and "+1" are 1, "010"
 * is ten (decimal only, whatever a leading zero means to C), and 0 and
 * -1, which kill(2) takes for a whole group or every process, are
 * refused however they are written; so is 1 as a process group, which
 * kill(-1) would make every process. And what a pid is: a zombie, a
 * kernel thread, what it ignores.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

#define PIDFILE_MAX	64	/* a pid file is one number and a newline */

/*
 * The pid s (len bytes, not NUL-terminated) spells: an optional sign,
 * then decimal digits, nothing else. PID_OK with *pid set; PID_BAD
 * when it is no number in 1..INT_MAX; PID_REFUSED, *why saying why,
 * when its value is 0, -1, or 1 as a group (PID_GROUP).
 */
int
pid_parse(const char *s, size_t len, int flags, pid_t *pid, const char **why)
{
	long long v = 0;
	size_t i = 0;
	int neg = 0;

	*why = NULL;
	if (len > 0 && (s[0] == '+' || s[0] == '-'))
		neg = s[i++] == '-';
	if (i == len)
		return PID_BAD;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return PID_BAD;
		if (v <= INT_MAX)	/* past it, any more digits stay past */
			v = v * 10 + (s[i] - '0');
	}
	if (neg)
		v = -v;
	if (v == 0)
		*why = "0 is not a process: kill(2) takes it for the "
		    "caller's whole group";
	else if (v == -1)
		*why = "-1 is not a process: kill(2) takes it for every "
		    "process";
	else if (v == 1 && (flags & PID_GROUP))
		*why = "group 1 is -1 to kill(2): every process";
	if (*why != NULL)
		return PID_REFUSED;
	if (v < 1 || v > INT_MAX)
		return PID_BAD;
	*pid = (pid_t)v;
	return PID_OK;
}

/* an operand (what: "--pid", "target"): its pid, or exit 2 saying why */
pid_t
pid_arg(const char *s, const char *what, int flags)
{
	const char *why;
	pid_t pid;

	switch (pid_parse(s, strlen(s), flags, &pid, &why)) {
	case PID_OK:
		return pid;
	case PID_REFUSED:
		usage_error("%s %s refused: %s", what, s, why);
	default:
		usage_error("%s: '%s' is not a whole number from 1 to %d", what,
		    s, INT_MAX);
	}
}

/* what pid_file says, after what: "send @p: ...": -1 */
static int
pid_fail(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
pid_fail(const char *what, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	warnx("%s: %s", what, msg);
	return -1;
}

/*
 * The pid a pid file holds (one number, a newline after it or not),
 * and when it was written (written may be NULL). The file is opened
 * only if it is a regular file, never through a symlink, so a FIFO
 * planted in its place never blocks us. -1 when it cannot be read or
 * holds no pid we would signal, said on stderr after what ("send
 * @run.pid"), with the value it holds.
 */
pid_t
pid_file(const char *path, const char *what, struct timespec *written)
{
	char buf[PIDFILE_MAX + 1];
	const char *why;
	struct stat st;
	ssize_t n;
	pid_t pid;
	int fd, r;

	if ((fd = path_open(path, O_RDONLY, S_IFREG, &why)) == -1)
		return pid_fail(what, "%s", why ? why : strerror(errno));
	if (fstat(fd, &st) == -1 || (n = read(fd, buf, PIDFILE_MAX)) == -1) {
		r = errno;
		close(fd);
		return pid_fail(what, "%s", strerror(r));
	}
	close(fd);
	buf[n] = '\0';
	if (n == PIDFILE_MAX)
		return pid_fail(what, "not a pid file (longer than %d bytes)",
		    PIDFILE_MAX - 1);
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (n == 0)
		return pid_fail(what, "an empty pid file");
	r = pid_parse(buf, (size_t)n, 0, &pid, &why);
	if (r == PID_REFUSED)
		return pid_fail(what, "the pid file holds '%s': %s",
		    esc_name(buf), why);
	if (r != PID_OK)
		return pid_fail(what, "the pid file holds '%s': not a pid (one "
		    "decimal number from 1 to %d, then a newline)",
		    esc_name(buf), INT_MAX);
	if (written != NULL)
		*written = st.st_mtim;
	return pid;
}

/*
 * What "key:" says in /proc/PID/status, into buf: 0, or -1 with errno
 * (ENOENT: no such process, or no such key)
 */
int
pid_status(pid_t pid, const char *key, char *buf, size_t len)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	FILE *f;
	int found = 0;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "re")) == NULL)
		return -1;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			strlcpy(buf, line + klen + 1 + strspn(line + klen + 1,
			    " \t"), len);
			buf[strcspn(buf, "\n")] = '\0';
			found = 1;
		}
	fclose(f);
	if (!found)
		errno = ENOENT;
	return found ? 0 : -1;
}

/*
 * Whether pid is a zombie: ended, and not yet waited for. "State: Z"
 * alone does not say it: the leader of a process whose main thread
 * called pthread_exit shows Z while its other threads run on. A
 * zombie is Z with no task in /proc/PID/task but itself.
 */
int
pid_zombie(pid_t pid)
{
	char state[32], path[64];
	struct dirent *e;
	int tasks = 0;
	DIR *d;

	if (pid_status(pid, "State", state, sizeof(state)) == -1 ||
	    state[0] != 'Z')
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if ((d = opendir(path)) == NULL)
		return 1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			tasks++;
	closedir(d);
	return tasks <= 1;
}

#define PF_KTHREAD	0x00200000	/* <linux/sched.h>: a kernel thread */

/*
 * /proc/PID/stat read into buf: the fields after the command's name (its
 * state first), whatever the name holds; NULL where it cannot be read
 */
const char *
pid_stat(pid_t pid, char *buf, size_t len)
{
	char path[64], *p;
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "re")) == NULL)
		return NULL;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (!ok || (p = strrchr(buf, ')')) == NULL || p[1] != ' ')
		return NULL;
	return p + 2;
}

/* whether pid is a kernel thread: field 9 of /proc/PID/stat, its flags */
int
pid_kthread(pid_t pid)
{
	char buf[1024];
	const char *p = pid_stat(pid, buf, sizeof(buf));
	unsigned long flags;

	return p != NULL &&
	    sscanf(p, "%*c %*d %*d %*d %*d %*d %lu", &flags) == 1 &&
	    (flags & PF_KTHREAD) != 0;
}

/* whether pid ignores sig, as SigIgn in /proc/PID/status says */
int
pid_ignores(pid_t pid, int sig)
{
	char mask[32];

	return sig >= 1 && sig <= 64 &&
	    pid_status(pid, "SigIgn", mask, sizeof(mask)) == 0 &&
	    (strtoull(mask, NULL, 16) >> (sig - 1) & 1) != 0;
}
