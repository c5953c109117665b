/*
 * Framed records (a line and its newline, a record and its NUL) gathered
 * into writes of whole records, at most PIPE_BUF bytes each: one write(2)
 * per batch, never one per line, and atomic, so concurrent writers to the
 * same FIFO never interleave.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

/* a write of the batch's; b->fds go with its first byte */
static int
batch_write(struct batch *b, const char *p, size_t len)
{
	size_t done;
	int r;

	if (b->nfds == 0 || len == 0) {
		r = copy_write(b->fd, p, len, b->d, &done);
		b->bytes += done;
		return r;
	}
	r = fdpass_write(b->fd, p, len, b->fds, b->nfds, b->d, &done);
	b->bytes += done;
	if (done > 0)
		b->nfds = 0;
	return r;
}

int
batch_flush(struct batch *b)
{
	if (b->err == 0 && b->len > 0 &&
	    batch_write(b, b->buf, b->len) == -1)
		b->err = errno;
	b->len = 0;
	errno = b->err;
	return b->err ? -1 : 0;
}

/*
 * Add p and its terminator. A record that cannot fit one atomic write
 * goes out alone, whole, after what was gathered before it.
 */
int
batch_put(struct batch *b, const char *p, size_t len, char term)
{
	if ((b->err || len + 1 > sizeof(b->buf) - b->len) && batch_flush(b) == -1)
		return -1;
	if (len + 1 > sizeof(b->buf)) {
		if (batch_write(b, p, len) == -1 ||
		    batch_write(b, &term, 1) == -1)
			b->err = errno;
		errno = b->err;
		return b->err ? -1 : 0;
	}
	memcpy(b->buf + b->len, p, len);
	b->buf[b->len + len] = term;
	b->len += len + 1;
	return 0;
}

/*
 * How many bytes of p are c. It runs over every byte sent, so 64 at a
 * time in the compiler's generic vectors (plain registers where the
 * machine has no vector unit): a popcount a word, without -mpopcnt, was
 * a library call, and most of send -l's instructions.
 */
typedef unsigned char v16 __attribute__((vector_size(16)));

/* the sum of a vector's lanes, each at most 255: four 16-bit sums a word */
static uintmax_t
lanes(v16 acc)
{
	const uint64_t even = UINT64_C(0x00ff00ff00ff00ff);
	uint64_t w[2];
	uintmax_t n = 0;
	int k;

	memcpy(w, &acc, sizeof(w));
	for (k = 0; k < 2; k++) {
		w[k] = (w[k] & even) + ((w[k] >> 8) & even);
		n += (w[k] * UINT64_C(0x0001000100010001)) >> 48;
	}
	return n;
}

uintmax_t
batch_count(const char *p, size_t len, char c)
{
	const v16 want = (v16){ 0 } + (unsigned char)c;
	uintmax_t n = 0;
	size_t i = 0, end;
	v16 a, b, x, y, acc;

	while (len - i >= 64) {
		/* four matches a lane a turn: 63 turns reach 252 at most */
		end = len - i > 63 * 64 ? i + 63 * 64 : len - (len - i) % 64;
		for (acc = (v16){ 0 }; i < end; i += 64) {
			memcpy(&a, p + i, 16);
			memcpy(&b, p + i + 16, 16);
			memcpy(&x, p + i + 32, 16);
			memcpy(&y, p + i + 48, 16);
			/* a match is all ones */
			acc -= (v16)(a == want) + (v16)(b == want) +
			    (v16)(x == want) + (v16)(y == want);
		}
		n += lanes(acc);
	}
	for (acc = (v16){ 0 }; len - i >= 16; i += 16) {
		memcpy(&a, p + i, 16);
		acc -= (v16)(a == want);
	}
	n += lanes(acc);
	for (; i < len; i++)
		n += (p[i] == c);
	return n;
}

/*
 * The record at p (have bytes of it buffered) is longer than one atomic
 * write: find its size, reading on where it goes on (up to TOOLONG_MAX:
 * an endless one must not keep us reading), then fail EMSGSIZE.
 */
static int
stream_too_long(struct batch *b, int in, const char *p, size_t have,
    char *buf, size_t cap, char term)
{
	const char *e = memchr(p, term, have);
	ssize_t n;

	b->toolong = e ? (size_t)(e - p) : have;
	while (e == NULL && b->toolong <= TOOLONG_MAX &&
	    (n = read(in, buf, cap)) > 0) {
		e = memchr(buf, term, (size_t)n);
		b->toolong += e ? (size_t)(e - buf) : (size_t)n;
	}
	b->toolong++;			/* with its terminator */
	b->nrec++;
	errno = EMSGSIZE;
	return -1;
}

/* whether a read of in would return at once */
static int
in_ready(int in, int regular)
{
	struct pollfd p = { .fd = in, .events = POLLIN };

	return regular || (poll(&p, 1, 0) == 1);
}

/* write whole records from p: the longest run of them up to BATCH_MAX */
static ssize_t
stream_chunk(struct batch *b, const char *p, size_t avail, char term)
{
	const char *last;
	size_t len;

	last = memrchr(p, term, avail < BATCH_MAX ? avail : BATCH_MAX);
	if (last == NULL)
		return 0;
	len = (size_t)(last - p) + 1;
	if (batch_write(b, p, len) == -1)
		return -1;
	return (ssize_t)len;
}

/*
 * Stdin's records (lines, or NUL-ended records) to b->fd, written from
 * the input buffer itself in whole-record writes of at most PIPE_BUF
 * bytes: atomic, never one per record, and short only where stdin would
 * make us wait. Returns 0; -1 when a write fails (errno), or EMSGSIZE for
 * a record too long for one write (b->nrec is its number, b->toolong its
 * size), those before it written; -2 when reading stdin fails.
 */
int
batch_stream(struct batch *b, int in, char term)
{
	char buf[1 << 16];
	size_t start = 0, end = 0;
	struct stat st;
	ssize_t n = 0;
	int regular, eof = 0;

	regular = fstat(in, &st) == 0 && S_ISREG(st.st_mode);
	for (;;) {
		/* gather more first where it comes without waiting */
		while (eof || end - start >= BATCH_MAX || !in_ready(in, regular)) {
			if ((n = stream_chunk(b, buf + start, end - start, term)) <= 0)
				break;
			start += (size_t)n;
		}
		/* what went, counted once a buffer: a call a chunk cost more */
		b->nrec += batch_count(buf, start, term);
		if (n < 0)
			return -1;
		if (end - start >= BATCH_MAX)
			return stream_too_long(b, in, buf + start, end - start,
			    buf, sizeof(buf), term);
		if (eof)
			break;
		memmove(buf, buf + start, end - start);
		end -= start;
		start = 0;
		while ((n = read(in, buf + end, sizeof(buf) - 1 - end)) < 0 &&
		    errno == EINTR)
			;
		if (n < 0)
			return -2;
		eof = (n == 0);
		end += (size_t)n;
	}
	if (end == start)
		return 0;
	buf[end++] = term;		/* a last record without its terminator */
	if (stream_chunk(b, buf + start, end - start, term) < 0)
		return -1;
	b->nrec++;
	return 0;
}
