/* ipc-proc why: to be written */
#include <err.h>

#include "ipc.h"
#include "ipc-proc.h"

int
cmd_why(int argc, char *argv[])
{
	opt_parse(argc, argv, "", NULL);
	errx(1, "why: not built yet");
}
