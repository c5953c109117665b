/* Stdout is flushed and checked before exit: a full disk is an error. */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ipc.h"

/* the reader of our output went away: end quietly, as cat(1) does */
void
stdout_epipe(void)
{
	signal(SIGPIPE, SIG_DFL);
	raise(SIGPIPE);
	_exit(128 + SIGPIPE);
}

void
stdout_check(void)
{
	int e;

	if (fflush(stdout) == 0 && !ferror(stdout) && fclose(stdout) == 0)
		return;
	e = errno;
	if (e == EPIPE)
		stdout_epipe();
	errno = e;
	warn("stdout");
	_exit(1);
}
