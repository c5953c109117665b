/*
 * Process ids, as operands and in pid files: a pid is its value, never
 * its spelling. "00", "+0" and "-0" are 0, "01" and "+1" are 1, "010"
 * is ten (decimal only, whatever a leading zero means to C), and 0 and
 * -1, which kill(2) takes for a whole group or every process, are
 * refused however they are written; so is 1 as a process group, which
 * kill(-1) would make every process.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
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
