/* ipc-proc ls: to be written */
#include <err.h>

#include "ipc.h"
#include "ipc-proc.h"

int
cmd_ls(int argc, char *argv[])
{
	opt_parse(argc, argv, "", NULL);
	errx(1, "ls: not built yet");
}
