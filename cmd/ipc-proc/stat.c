/* ipc-proc stat: to be written */
#include <err.h>

#include "ipc.h"
#include "ipc-proc.h"

int
cmd_stat(int argc, char *argv[])
{
	opt_parse(argc, argv, "", NULL);
	errx(1, "stat: not built yet");
}
