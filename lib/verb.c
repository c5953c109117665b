/* Look a verb up in a command's table, print usage, dispatch. */
#include <err.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

static void
help(const struct verb *v)
{
	printf("usage: %s VERB [OPTIONS] OBJECT [ARGS...]\n", getprogname());
	for (; v->name != NULL; v++)
		printf("       %s %s\n", getprogname(), v->usage);
	printf("       %s -h | --help | -V | --version\n", getprogname());
	printf("Run '%s VERB -h' for a verb's options.\n", getprogname());
}

/*
 * A closed stdin, stdout or stderr would be the next open(2)'s number, and
 * a FIFO or queue opened there would receive our output. Hold each with
 * /dev/null opened the wrong way round, so using it fails as it should.
 */
static void
std_fds(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) == -1 &&
		    open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY) != fd)
			_exit(1);
}

int
verb_main(const struct verb *verbs, int argc, char *argv[])
{
	const struct verb *v;
	const char *name;

	std_fds();
	if (argc > 0)
		setprogname(argv[0]);
	/* a reader that went away is an error we report, not a signal */
	signal(SIGPIPE, SIG_IGN);
	if (atexit(stdout_check) != 0)
		err(1, "atexit");
	if (argc < 2)
		usage_error("missing verb");
	name = argv[1];
	if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0 ||
	    strcmp(name, "-V") == 0 || strcmp(name, "--version") == 0) {
		if (argc > 2)
			usage_error("%s takes no operands", name);
		opt.what = name;
		if (name[1] == 'h' || name[2] == 'h')
			help(verbs);
		else
			printf("%s %s\n", getprogname(), IPC_VERSION);
		return 0;
	}
	for (v = verbs; v->name != NULL; v++)
		if (strcmp(v->name, name) == 0)
			break;
	if (v->name == NULL)
		usage_error("unknown verb '%s'", name);
	opt.verb = v;
	return v->fn(argc - 1, argv + 1);
}
