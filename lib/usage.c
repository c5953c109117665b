/* A usage error: the reason, the verb's usage, exit 2. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "ipc.h"

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
	if (opt.verb != NULL)
		fprintf(stderr, "%s: %s: %s\nusage: %s %s\n", getprogname(),
		    opt.verb->name, msg ? esc_name(msg) : fmt, getprogname(),
		    opt.verb->usage);
	else
		fprintf(stderr, "%s: %s\nusage: %s VERB [OPTIONS] OBJECT "
		    "[ARGS...] (see '%s --help')\n", getprogname(),
		    msg ? esc_name(msg) : fmt, getprogname(), getprogname());
	free(msg);
	exit(EXIT_USAGE);
}
