/* ipc-proc map: to be written */
#include <err.h>

#include "ipc.h"
#include "ipc-proc.h"

int
cmd_map(int argc, char *argv[])
{
	opt_parse(argc, argv, "", NULL);
	errx(1, "map: not built yet");
}
