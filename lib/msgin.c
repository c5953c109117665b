/*
 * Messages in: each operand, or stdin whole, or one per line (-l), or
 * one per NUL-ended record (-0). Memory is bounded by the object's own
 * message limit, however much comes in.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

#define INBUF	(1 << 16)

/* mode: MSGIN_WHOLE, MSGIN_LINES (-l) or MSGIN_NUL (-0) */
int
msgin_init(struct msgin *m, char **operands, size_t limit, int mode)
{
	memset(m, 0, sizeof(*m));
	m->argv = (operands != NULL && *operands != NULL) ? operands : NULL;
	m->mode = mode;
	m->limit = limit;
	m->fd = 0;
	if (m->argv != NULL)
		return 0;
	m->cap = (limit < INBUF ? INBUF : limit) + 1;
	if ((m->buf = malloc(m->cap)) == NULL)
		return -1;
	return 0;
}

void
msgin_free(struct msgin *m)
{
	free(m->buf);
	m->buf = NULL;
}

/* read more after m->end; 0 at end of input */
static ssize_t
fill(struct msgin *m)
{
	ssize_t n;

	if (m->start > 0) {
		memmove(m->buf, m->buf + m->start, m->end - m->start);
		m->end -= m->start;
		m->start = 0;
	}
	do
		n = read(m->fd, m->buf + m->end, m->cap - m->end);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		m->end += (size_t)n;
	else if (n == 0)
		m->eof = 1;
	return n;
}

/*
 * A record over the limit: count the rest of it, up to TOOLONG_MAX (an
 * endless one, /dev/zero, must not keep us reading), then EMSGSIZE.
 */
static int
too_long(struct msgin *m, size_t have, int delim)
{
	char *p;
	ssize_t n;

	m->toolong = have;
	m->start = m->end = 0;
	while (m->toolong <= TOOLONG_MAX) {
		if ((n = fill(m)) <= 0)
			break;
		p = (delim < 0) ? NULL : memchr(m->buf, delim, m->end);
		m->toolong += p ? (size_t)(p - m->buf) : m->end;
		if (p != NULL)
			break;
		m->end = 0;
	}
	m->n++;
	errno = EMSGSIZE;
	return -1;
}

static int
next_whole(struct msgin *m, const char **p, size_t *len)
{
	if (m->eof)
		return 0;
	while (!m->eof) {
		if (m->end > m->limit)
			return too_long(m, m->end, -1);
		if (fill(m) < 0)
			return -1;
	}
	if (m->end > m->limit)
		return too_long(m, m->end, -1);
	*p = m->buf;
	*len = m->end;
	m->n++;
	return 1;
}

static int
next_record(struct msgin *m, const char **p, size_t *len)
{
	int delim = (m->mode == MSGIN_NUL) ? '\0' : '\n';
	char *nl;
	size_t have;

	for (;;) {
		have = m->end - m->start;
		nl = memchr(m->buf + m->start, delim, have);
		if (nl != NULL)
			have = (size_t)(nl - (m->buf + m->start));
		if (have > m->limit && nl != NULL) {
			m->toolong = have;
			m->n++;
			errno = EMSGSIZE;
			return -1;
		}
		if (have > m->limit)
			return too_long(m, have, delim);
		if (nl != NULL || (m->eof && have > 0)) {
			*p = m->buf + m->start;
			*len = have;
			m->start += have + (nl != NULL);
			m->n++;
			return 1;
		}
		if (m->eof)
			return 0;
		if (fill(m) < 0)
			return -1;
	}
}

/*
 * The next message: 1 with *p and *len set, 0 at the end, -1 on error
 * (EMSGSIZE: a message over the limit, its size in m->toolong).
 */
int
msgin_next(struct msgin *m, const char **p, size_t *len)
{
	if (m->argv != NULL) {
		if (*m->argv == NULL)
			return 0;
		*p = *m->argv++;
		*len = strlen(*p);
		m->n++;
		if (*len > m->limit) {
			m->toolong = *len;
			errno = EMSGSIZE;
			return -1;
		}
		return 1;
	}
	return m->mode == MSGIN_WHOLE ? next_whole(m, p, len) :
	    next_record(m, p, len);
}

/*
 * A message over the limit, named the same way by every command, then
 * exit 1: "send /jobs: line 7: Message too long (9000 bytes > msgsize
 * 8192)". what ("line", "record") and n number it, NULL for a whole
 * one; term ("newline") says the size counts it; an endless one was
 * counted only up to TOOLONG_MAX.
 */
void
msgin_too_long(const char *obj, const char *what, uintmax_t n, size_t len,
    const char *term, const char *limitname, size_t limit)
{
	char where[64] = "", with[32] = "";

	if (what != NULL)
		snprintf(where, sizeof(where), "%s %ju: ", what, n);
	if (term != NULL && len <= TOOLONG_MAX)
		snprintf(with, sizeof(with), " with its %s", term);
	errx(1, "%s %s: %s%s (%s%zu bytes%s > %s %zu)", verb_name,
	    esc_name(obj), where, strerror(EMSGSIZE),
	    len > TOOLONG_MAX ? "more than " : "",
	    len > TOOLONG_MAX ? (size_t)TOOLONG_MAX : len, with, limitname,
	    limit);
}

/*
 * Send every message: each operand, or stdin as d->mode says (whole,
 * per line, per record), through d->put. Operands are all checked against the
 * limit before the first is sent; from stdin, one over it is refused
 * with those before it sent. Exits 1, or 124 when a wait for room ran
 * out, naming what failed.
 */
void
msgin_send(const struct msgdest *d, char **operands)
{
	struct msgin m;
	const char *p;
	size_t len;
	uintmax_t sent = 0, bytes = 0;
	int i, r;

	for (i = 0; operands[i] != NULL; i++)
		if ((len = strlen(operands[i])) > d->limit)
			msgin_too_long(d->name, NULL, 0, len, NULL,
			    d->limitname, d->limit);
	if (msgin_init(&m, operands, d->limit, d->mode) == -1)
		err(1, "send %s", esc_name(d->name));
	while ((r = msgin_next(&m, &p, &len)) == 1) {
		if (d->put(d->arg, p, len) == 0) {
			sent++;
			bytes += len;
			continue;
		}
		if (errno == ETIMEDOUT && sent > 0)
			errx(EXIT_TIMEOUT, "send %s: timed out waiting for "
			    "room: %ju message%s (%ju bytes) sent",
			    esc_name(d->name), sent, sent == 1 ? "" : "s", bytes);
		if (errno == ETIMEDOUT)
			errx(EXIT_TIMEOUT, "send %s: timed out waiting for "
			    "room", esc_name(d->name));
		err(1, "send %s", esc_name(d->name));
	}
	if (r == -1 && errno != EMSGSIZE)
		err(1, "send %s: stdin", esc_name(d->name));
	if (r == -1)
		msgin_too_long(d->name, m.mode == MSGIN_LINES ? "line" :
		    m.mode == MSGIN_NUL ? "record" : NULL, m.n, m.toolong, NULL,
		    d->limitname, d->limit);
	msgin_free(&m);
}
