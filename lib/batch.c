/*
 * Framed records (a line and its newline, a record and its NUL) gathered
 * into writes of whole records, at most PIPE_BUF bytes each: one write(2)
 * per batch, never one per line, and atomic, so concurrent writers to the
 * same FIFO never interleave.
 */
#include <errno.h>
#include <string.h>

#include "ipc.h"

int
batch_flush(struct batch *b)
{
	int r;

	if (b->err == 0 && b->len > 0) {
		r = write_full(b->fd, b->buf, b->len, b->timeout);
		if (r != COPY_EOF)
			b->err = (r == COPY_TIMEOUT) ? ETIMEDOUT : errno;
	}
	b->len = 0;
	errno = b->err;
	return b->err ? -1 : 0;
}

/* flush before a read that may wait: a slow producer's lines go out
 * now; a failure is kept for the next put or flush to report */
void
batch_idle(void *arg)
{
	(void)batch_flush(arg);
}

/*
 * Add p and its terminator. A record that cannot fit one atomic write
 * goes out alone, whole, after what was gathered before it.
 */
int
batch_put(struct batch *b, const char *p, size_t len, char term)
{
	int r;

	if ((b->err || len + 1 > sizeof(b->buf) - b->len) && batch_flush(b) == -1)
		return -1;
	if (len + 1 > sizeof(b->buf)) {
		r = write_full(b->fd, p, len, b->timeout);
		if (r == COPY_EOF)
			r = write_full(b->fd, &term, 1, b->timeout);
		if (r != COPY_EOF)
			b->err = (r == COPY_TIMEOUT) ? ETIMEDOUT : errno;
		errno = b->err;
		return b->err ? -1 : 0;
	}
	memcpy(b->buf + b->len, p, len);
	b->buf[b->len + len] = term;
	b->len += len + 1;
	return 0;
}
