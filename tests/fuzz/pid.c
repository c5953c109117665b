/*
 * Process ids (lib/pid.c): pid_parse on the raw bytes, as a pid file
 * gives them, and pid_arg on the string, as an operand does. Each
 * answer is checked against strtoll(3) on the same text: a pid is an
 * optional sign and decimal digits, read for its value, and 0, -1 and
 * (as a group) 1 are refused whatever the spelling.
 */
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"
#include "fuzz.h"

/* what pid_parse must say of s (len bytes), by strtoll's value */
static int
model(const char *s, size_t len, int flags, long long *v)
{
	char buf[64], *end;
	size_t i = 0, k;

	if (len > 0 && (s[0] == '+' || s[0] == '-'))
		i++;
	if (i == len)
		return PID_BAD;
	for (k = i; k < len; k++)	/* s is not NUL-terminated */
		if (s[k] < '0' || s[k] > '9')
			return PID_BAD;
	if (len - i > 40)	/* past INT_MAX, however many zeros lead */
		while (i < len - 1 && s[i] == '0')
			i++;
	if (len - i >= sizeof(buf) - 2)
		return PID_BAD;
	buf[0] = s[0] == '-' ? '-' : '+';
	memcpy(buf + 1, s + i, len - i);
	buf[1 + len - i] = '\0';
	errno = 0;
	*v = strtoll(buf, &end, 10);
	assert(*end == '\0');
	if (*v == 0 || *v == -1 || (*v == 1 && (flags & PID_GROUP)))
		return PID_REFUSED;
	if (errno == ERANGE || *v < 1 || *v > INT_MAX)
		return PID_BAD;
	return PID_OK;
}

static void
check(const char *s, size_t len, int flags)
{
	const char *why;
	long long v = 0;
	pid_t pid = 0;
	int r = pid_parse(s, len, flags, &pid, &why), want;

	want = model(s, len, flags, &v);
	assert(r == want);
	assert((r == PID_REFUSED) == (why != NULL));
	if (r == PID_OK)
		assert(pid == v && pid >= 1 && (pid != 1 || !(flags & PID_GROUP)));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	pid_t pid;

	fuzz_begin();
	check((const char *)data, size, 0);
	check((const char *)data, size, PID_GROUP);
	FUZZ_CATCH {
		pid = pid_arg(s, "target", 0);
		assert(pid >= 1);
	}
	FUZZ_CATCH {
		pid = pid_arg(s, "--group", PID_GROUP);
		assert(pid >= 2);
	}
	free(s);
	return 0;
}
