/*
 * Framed records out (lib/batch.c): the first byte picks the
 * terminator, the rest is cut at NULs into records for batch_put, and
 * is also stdin for batch_stream. Each writes to a file in memory, which
 * must then hold every record and its terminator, in order.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"
#include "fuzz.h"

/* the file at fd holds exactly the n bytes at want */
static void
holds(int fd, const char *want, size_t n)
{
	char *got = malloc(n + 1);
	off_t end = lseek(fd, 0, SEEK_CUR);

	assert(got != NULL && end == (off_t)n);
	assert(pread(fd, got, n + 1, 0) == (ssize_t)n);
	assert(memcmp(got, want, n) == 0);
	free(got);
}

/* each NUL-ended piece of in through batch_put, as operands are sent */
static void
put(const char *in, size_t n, char term)
{
	struct batch b = { .fd = fuzz_fd(NULL, 0) };
	char *want = malloc(n + 1), *w = want;
	const char *p, *e;
	size_t len;

	assert(want != NULL);
	for (p = in; p < in + n; p = e + 1) {
		e = memchr(p, '\0', (size_t)(in + n - p));
		len = e ? (size_t)(e - p) : (size_t)(in + n - p);
		assert(batch_put(&b, p, len, term) == 0);
		memcpy(w, p, len);
		w += len;
		*w++ = term;
		if (e == NULL)
			break;
	}
	assert(batch_flush(&b) == 0);
	holds(b.fd, want, (size_t)(w - want));
	close(b.fd);
	free(want);
}

/* the longest record of in, with its terminator */
static size_t
longest(const char *in, size_t n, char term)
{
	size_t max = 0, run = 0, i;

	for (i = 0; i < n; i++) {
		run++;
		if (in[i] == term) {
			max = run > max ? run : max;
			run = 0;
		}
	}
	return run + (run > 0) > max ? run + (run > 0) : max;
}

/* in as stdin: written as it came, a last terminator added if missing */
static void
stream(const char *in, size_t n, char term)
{
	struct batch b = { .fd = fuzz_fd(NULL, 0) };
	int fd = fuzz_fd(in, n), r = batch_stream(&b, fd, term);
	char *want;

	if (longest(in, n, term) > BATCH_MAX) {
		assert(r == -1 && errno == EMSGSIZE && b.toolong > BATCH_MAX);
	} else {
		assert(r == 0);
		assert((want = malloc(n + 1)) != NULL);
		memcpy(want, in, n);
		if (n > 0 && in[n - 1] != term)
			want[n++] = term;
		holds(b.fd, want, n);
		assert(b.nrec == batch_count(want, n, term));
		free(want);
	}
	close(fd);
	close(b.fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char term;

	if (size == 0)
		return 0;
	fuzz_begin();
	term = (data[0] & 1) ? '\n' : '\0';
	put((const char *)data + 1, size - 1, term);
	stream((const char *)data + 1, size - 1, term);
	return 0;
}
