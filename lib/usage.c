/*
 * A usage error: the reason, the verb's usage, exit 2. The usage line
 * is set here by verb_main (usage_set), and the verb's name read from
 * verbname.c, so that every parser below the dispatcher (num.c, pid.c,
 * name.c, addr.c) can refuse its input without calling up into opt.c or
 * verb.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "ipc.h"

static const char *usage_line;	/* the running verb's; NULL: none yet */

void
usage_set(const char *usage)
{
	usage_line = usage;
}

void
usage_error(const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	/* operands quoted in it are escaped: the message stays one line */
	if (usage_line != NULL)
		fprintf(stderr, "%s: %s: %s\nusage: %s %s\n", getprogname(),
		    verb_name, msg ? esc_name(msg) : fmt, getprogname(),
		    usage_line);
	else
		fprintf(stderr, "%s: %s\nusage: %s VERB [OPTIONS] OBJECT "
		    "[ARGS...] (see '%s --help')\n", getprogname(),
		    msg ? esc_name(msg) : fmt, getprogname(), getprogname());
	free(msg);
	exit(EXIT_USAGE);
}
