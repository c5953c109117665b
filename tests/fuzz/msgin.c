/*
 * Messages in (lib/msgin.c): the first byte picks whole stdin, -l or
 * -0, the next two the limit; the rest is stdin, read from a file in
 * memory. What msgin_next returns is checked against the input split
 * here the simple way: every record, whole, in order, or the first one
 * over the limit refused with its size.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"
#include "fuzz.h"

/* the next record of in (n bytes left) as -l or -0 cuts it */
static size_t
record(const char *in, size_t n, int delim, size_t *skip)
{
	const char *e = memchr(in, delim, n);

	*skip = e ? (size_t)(e - in) + 1 : n;
	return e ? (size_t)(e - in) : n;
}

/* the next message is want bytes of in: 1, or 0 where it was refused */
static int
next_is(struct msgin *m, const char *in, size_t want)
{
	const char *p;
	size_t len;
	int r = msgin_next(m, &p, &len);

	if (want > m->limit) {
		assert(r == -1 && errno == EMSGSIZE);
		assert(m->toolong == want || (want > TOOLONG_MAX &&
		    m->toolong > TOOLONG_MAX));
		return 0;
	}
	assert(r == 1 && len == want && memcmp(p, in, len) == 0);
	return 1;
}

/* stdin whole is one message, even an empty one; records, each */
static void
check(struct msgin *m, const char *in, size_t n, int delim)
{
	const char *p;
	size_t len, want, skip;

	if (delim < 0 && !next_is(m, in, n))
		return;
	for (; delim >= 0 && n > 0; in += skip, n -= skip) {
		want = record(in, n, delim, &skip);
		if (!next_is(m, in, want))
			return;
	}
	assert(msgin_next(m, &p, &len) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msgin m;
	size_t limit;
	int delim;

	if (size < 3)
		return 0;
	fuzz_begin();
	opt.lines = data[0] % 3 == 1;
	opt.null = data[0] % 3 == 2;
	delim = opt.lines ? '\n' : opt.null ? '\0' : -1;
	limit = (size_t)data[1] | (size_t)data[2] << 8;
	data += 3;
	size -= 3;
	if (msgin_init(&m, NULL, limit, MSGIN_ASKED) == -1)
		abort();
	m.fd = fuzz_fd(data, size);
	check(&m, (const char *)data, size, delim);
	close(m.fd);
	msgin_free(&m);
	return 0;
}
