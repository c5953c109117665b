/*
 * Messages out: each followed by a newline, a NUL (-0) or nothing (-r);
 * -v puts metadata before it, TAB-separated; -j makes one JSON object a
 * line. Buffered while messages keep coming; the caller flushes before
 * it waits, so a pipeline sees each message as it arrives.
 */
#include <err.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>

#include "ipc.h"

static void
meta_json(const struct meta *m)
{
	printf("\"%s\":", m->key);
	if (m->str != NULL) {
		putchar('"');
		esc_json(stdout, m->str, (size_t)-1);
		putchar('"');
	} else
		printf("%jd", m->num);
	putchar(',');
}

#define OUTBUF	(1 << 16)

/*
 * Make room for a whole message: stdio would flush a full buffer in the
 * middle of one, and a signal then leaves half a message on stdout. A
 * message over OUTBUF can still take more than one write.
 */
static void
room_for(const struct meta *meta, size_t nmeta, size_t len)
{
	/* stdio's own buffer: glibc ignores a size given without one */
	static char buf[OUTBUF];
	size_t need = opt.json ? 6 * len + 32 : len + 1, i;

	if (__fbufsize(stdout) == 0 && __fpending(stdout) == 0)
		setvbuf(stdout, buf, _IOFBF, OUTBUF);
	for (i = 0; (opt.json || opt.verbose) && i < nmeta; i++)
		need += 32 + (meta[i].str ? 6 * strlen(meta[i].str) : 0);
	if (__fpending(stdout) > 0 && need > OUTBUF - __fpending(stdout))
		msgout_flush();
}

void
msgout(const struct meta *meta, size_t nmeta, const char *p, size_t len)
{
	size_t i;

	room_for(meta, nmeta, len);
	if (opt.json) {
		putchar('{');
		for (i = 0; i < nmeta; i++)
			meta_json(&meta[i]);
		fputs("\"message\":\"", stdout);
		esc_json(stdout, p, len);
		fputs("\"}\n", stdout);
	} else {
		for (i = 0; opt.verbose && i < nmeta; i++) {
			if (meta[i].str != NULL)
				fputs(meta[i].str, stdout);
			else
				printf("%jd", meta[i].num);
			putchar('\t');
		}
		fwrite(p, 1, len, stdout);
		if (!opt.raw)
			putchar(opt.null ? '\0' : '\n');
	}
	if (ferror(stdout))
		stdout_check();
}

void
msgout_flush(void)
{
	if (fflush(stdout) == EOF)
		stdout_check();
}

/*
 * A receive's wait ran out: 124 with what came before it written out,
 * except -f that received something, which ends as done (0).
 */
int
msgout_timeout(const char *obj, uintmax_t got)
{
	if (opt.follow && got > 0)
		return 0;
	warnx("%s %s: timed out", opt.verb->name, obj);
	return EXIT_TIMEOUT;
}
