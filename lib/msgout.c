/*
 * Messages out: each followed by a newline, a NUL (-0) or nothing (-r);
 * -v puts metadata before it, TAB-separated; -j makes one JSON object a
 * line. Buffered while messages keep coming; the caller flushes before
 * it waits, so a pipeline sees each message as it arrives.
 */
#include <err.h>
#include <stdio.h>

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

void
msgout(const struct meta *meta, size_t nmeta, const char *p, size_t len)
{
	size_t i;

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
