/*
 * Messages out: each followed by a newline, a NUL (-0) or nothing (-r);
 * -v puts metadata before it, TAB-separated; -j makes one JSON object a
 * line. Buffered while messages keep coming; the caller flushes before
 * it waits, so a pipeline sees each message as it arrives.
 *
 * A receiver takes a message out of its object before it can write it,
 * so each message still in the buffer is kept too, with its metadata:
 * when a write fails, the ones that never reached stdout are given back
 * to the object (msgout_putback), and the error says what became of
 * them; where nothing can go back, how many were lost. Memory: the
 * buffer, and at most one object's largest message.
 *
 * Every byte goes to stdout through stdout_write, the one writer of
 * descriptor 1; what is still buffered at exit, verb_main's exit flushes
 * before stdout_check closes it.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

#define OUTBUF	(1 << 16)
#define NKEEP	256		/* messages kept at most; then a flush */

struct kept {
	uintmax_t start, end;		/* where it stands in the output */
	size_t off, len;		/* its bytes in keep */
	intmax_t meta;
};

static struct {
	FILE *f;
	uintmax_t written;		/* bytes that reached stdout */
	uintmax_t formatted;		/* bytes given to f */
	int (*put)(void *, intmax_t, const char *, size_t);
	void *arg;
	const char *where;		/* where put puts one: "the queue" */
	char *keep;
	size_t keeplen, keepcap, nkept;
	struct kept kept[NKEEP];
	size_t plen;			/* plain messages: bytes in buf */
	char buf[OUTBUF];		/* stdio's, or plain messages' */
} out;

/* p to stdout; out.written follows what went, failed or not */
static ssize_t
out_write(void *cookie, const char *p, size_t len)
{
	int r = stdout_write(p, len);

	(void)cookie;
	out.written = stdout_written();
	return r == -1 ? -1 : (ssize_t)len;
}

/* stdio formats into our buffer; every byte it writes is counted */
static FILE *
out_file(void)
{
	cookie_io_functions_t io = { .write = out_write };

	if (out.f == NULL) {
		if ((out.f = fopencookie(NULL, "w", io)) == NULL ||
		    setvbuf(out.f, out.buf, _IOFBF, OUTBUF) != 0)
			err(1, NULL);
	}
	return out.f;
}

/*
 * The receiving verb's way to give a message back to its object: fn(arg,
 * meta, bytes, len), 0 when it is back, at the end of where ("the
 * queue", "its priority"). Without one, nothing is kept.
 */
void
msgout_putback(int (*fn)(void *, intmax_t, const char *, size_t), void *arg,
    const char *where)
{
	out.put = fn;
	out.arg = arg;
	out.where = where;
}

static void
keep(intmax_t meta, const char *p, size_t len)
{
	struct kept *k = &out.kept[out.nkept++];

	/*
	 * What is kept fits the output buffer: room_for flushed before a
	 * message that would not fit, and a message takes at least its own
	 * length there. Only one larger than the buffer needs more.
	 */
	if (out.keeplen + len > out.keepcap) {
		out.keepcap = out.keeplen + len > OUTBUF ? out.keeplen + len :
		    OUTBUF;
		if ((out.keep = realloc(out.keep, out.keepcap)) == NULL)
			err(1, NULL);
	}
	if (len > 0)		/* an empty one may have no buffer at all */
		memcpy(out.keep + out.keeplen, p, len);
	k->off = out.keeplen;
	k->len = len;
	k->meta = meta;
	k->start = out.formatted;
	out.keeplen += len;
}

/*
 * A write failed (errno): give back what never reached stdout, count
 * what did only in part, say so, and exit 1 (quietly, 141, for a reader
 * that went away with nothing lost).
 */
static void
out_failed(void)
{
	uintmax_t back = 0, lost = 0, torn = 0;
	int e = errno;
	size_t i;

	for (i = 0; i < out.nkept; i++) {
		struct kept *k = &out.kept[i];

		if (k->end <= out.written)
			continue;
		if (k->start < out.written)
			torn++;
		else if (out.put != NULL && out.put(out.arg, k->meta,
		    out.keep + k->off, k->len) == 0)
			back++;
		else
			lost++;
	}
	errno = e;
	if (torn + lost == 0 && (back == 0 || e == EPIPE))
		stdout_failed();
	if (out.put == NULL)
		stdout_lost(e, "%ju message%s taken and lost, %ju written in "
		    "part", lost, lost == 1 ? "" : "s", torn);
	stdout_lost(e, "%ju message%s put back (at the end of %s), %ju lost, "
	    "%ju written in part", back, back == 1 ? "" : "s", out.where,
	    lost, torn);
}

static void
meta_json(FILE *f, const struct meta *m)
{
	fprintf(f, "\"%s\":", m->key);
	if (m->str != NULL) {
		putc('"', f);
		esc_json(f, m->str, (size_t)-1);
		putc('"', f);
	} else
		fprintf(f, "%jd", m->num);
	putc(',', f);
}

/*
 * Make room for a whole message: stdio would flush a full buffer in the
 * middle of one, and a signal then leaves half a message on stdout. A
 * message over OUTBUF can still take more than one write.
 */
static void
room_for(FILE *f, const struct msgfmt *fmt, const struct meta *meta,
    size_t nmeta, size_t len)
{
	size_t need = fmt->json ? 6 * len + 32 : len + 1, i;
	size_t pending = __fpending(f);

	for (i = 0; (fmt->json || fmt->verbose) && i < nmeta; i++)
		need += 32 + (meta[i].str ? 6 * strlen(meta[i].str) : 0);
	if ((pending > 0 && need > OUTBUF - pending) || out.nkept == NKEEP)
		msgout_flush();
}

static void
format(FILE *f, const struct msgfmt *fmt, const struct meta *meta,
    size_t nmeta, const char *p, size_t len)
{
	size_t i;

	if (fmt->json) {
		putc('{', f);
		for (i = 0; i < nmeta; i++)
			meta_json(f, &meta[i]);
		fputs("\"message\":\"", f);
		esc_json(f, p, len);
		fputs("\"}\n", f);
		return;
	}
	for (i = 0; fmt->verbose && i < nmeta; i++) {
		if (meta[i].str != NULL)
			fputs(meta[i].str, f);
		else
			fprintf(f, "%jd", meta[i].num);
		putc('\t', f);
	}
	/* unlocked: one thread, and the locks were a sixth of recv's
	 * instructions */
	fwrite_unlocked(p, 1, len, f);
	if (!fmt->raw)
		putc_unlocked(fmt->term, f);
}

/* where the message that ends at formatted stands: all out, or kept */
static void
placed(void)
{
	out.kept[out.nkept - 1].end = out.formatted;
	if (out.written == out.formatted)
		out.nkept = out.keeplen = 0;
}

/*
 * A message and its terminator only (no -v, no -j) into the buffer with
 * a memcpy, not through stdio: fwrite, putc and asking what is pending
 * cost a receive more than all the rest of msgout. One larger than the
 * buffer goes straight out, after what was there before it.
 */
static void
plain(const struct msgfmt *fmt, intmax_t meta, const char *p, size_t len)
{
	size_t need = len + !fmt->raw;

	if ((out.plen > 0 && need > OUTBUF - out.plen) || out.nkept == NKEEP)
		msgout_flush();
	keep(meta, p, out.put != NULL ? len : 0);
	if (need > OUTBUF) {
		out.formatted = out.written + need;
		placed();
		if (out_write(NULL, p, len) == -1 ||
		    (!fmt->raw && out_write(NULL, &fmt->term, 1) == -1))
			out_failed();
		out.nkept = out.keeplen = 0;
		return;
	}
	if (len > 0)		/* an empty one may have no buffer at all */
		memcpy(out.buf + out.plen, p, len);
	if (!fmt->raw)
		out.buf[out.plen + len] = fmt->term;
	out.plen += need;
	out.formatted = out.written + out.plen;
	placed();
}

/*
 * one message out, as fmt says; meta[0].num is what msgout_putback
 * gives back
 */
void
msgout(const struct msgfmt *fmt, const struct meta *meta, size_t nmeta,
    const char *p, size_t len)
{
	FILE *f;

	if (!fmt->json && !fmt->verbose) {
		plain(fmt, nmeta > 0 ? meta[0].num : 0, p, len);
		return;
	}
	f = out_file();

	room_for(f, fmt, meta, nmeta, len);
	/* without a way back, only where it stands: a loss is counted */
	keep(nmeta > 0 ? meta[0].num : 0, p, out.put != NULL ? len : 0);
	format(f, fmt, meta, nmeta, p, len);
	out.formatted = out.written + __fpending(f);
	out.kept[out.nkept - 1].end = out.formatted;
	if (ferror_unlocked(f))
		out_failed();
	if (out.written == out.formatted)
		out.nkept = out.keeplen = 0;
}

/*
 * The same, with what got through counted: "recv S: timed out waiting
 * for a line: 3 lines received"; doing and unit are the caller's words
 */
int
msgout_timed_out(const char *obj, const char *doing, uintmax_t n,
    const char *unit, int follow)
{
	msgout_flush();
	if (follow && n > 0)
		return 0;
	if (n == 0)
		warnx("%s %s: timed out%s%s", verb_name, esc_name(obj),
		    *doing ? " " : "", doing);
	else
		warnx("%s %s: timed out%s%s: %ju %.*s received",
		    verb_name, esc_name(obj), *doing ? " " : "", doing, n,
		    (int)strlen(unit) - (n == 1), unit);	/* 1 line */
	return EXIT_TIMEOUT;
}

void
msgout_flush(void)
{
	size_t n = out.plen;

	out.plen = 0;
	if (n > 0 && out_write(NULL, out.buf, n) == -1)
		out_failed();
	if (out.f != NULL && fflush(out.f) == EOF)
		out_failed();
	out.nkept = out.keeplen = 0;
}

/*
 * A receive's wait ran out: 124 with what came before it written out,
 * except one that follows (-f) and received something, which ends as
 * done (0).
 */
int
msgout_timeout(const char *obj, uintmax_t got, int follow)
{
	msgout_flush();
	if (follow && got > 0)
		return 0;
	warnx("%s %s: timed out", verb_name, esc_name(obj));
	return EXIT_TIMEOUT;
}

/*
 * Receive messages from s->take and write them out as fmt says: one,
 * count (0: one), or with follow until a wait runs out. Nothing is taken
 * before stdout is known to take data, and what fails to reach stdout
 * goes back through s->putback. The exit status (0, or 124 when a wait
 * ran out first), or -1 with errno where take failed otherwise.
 */
int
msgout_recv(const struct msgsrc *s, const struct msgfmt *fmt,
    uintmax_t count, int follow)
{
	struct meta m = { s->meta, NULL, 0 };
	uintmax_t got = 0, want = count ? count : 1;
	const char *p;
	size_t len;

	stdout_name(s->name);
	msgout_putback(s->putback, s->arg, s->backto);
	stdout_ready();
	while (follow || got < want) {
		if (s->take(s->arg, &p, &len, &m.num) == -1) {
			if (errno == ETIMEDOUT)
				return msgout_timeout(s->name, got, follow);
			return -1;
		}
		msgout(fmt, &m, 1, p, len);
		got++;
	}
	msgout_flush();		/* while the object can take back what fails */
	msgout_putback(NULL, NULL, NULL);
	return 0;
}
