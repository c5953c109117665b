/* Look a verb up in a command's table, print usage, dispatch. */
#include <sys/param.h>
#include <ctype.h>
#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
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
	printf("       %s --ns PID VERB ...   (the verb in PID's IPC, network "
	    "and mount namespaces)\n", getprogname());
	printf("       %s -h | --help | -V | --version\n", getprogname());
	printf("Run '%s VERB -h' for a verb's options.\n", getprogname());
}

/*
 * One write(2): stdio would allocate a buffer for this one line, and
 * set up malloc and fstat stdout to do so. A name longer than any file
 * name (argv[0] can be anything) is cut; the version always follows.
 */
static void
version(void)
{
	char line[NAME_MAX + sizeof(" " IPC_VERSION "\n")];

	strlcpy(line, getprogname(), NAME_MAX + 1);
	strlcat(line, " " IPC_VERSION "\n", sizeof(line));
	if (stdout_write(line, strlen(line)) == -1)
		stdout_failed();
}

/*
 * A closed stdin, stdout or stderr would be the next open(2)'s number, and
 * a FIFO or queue opened there would receive our output. Hold each with
 * /dev/null opened the wrong way round, so using it fails as it should.
 * One poll(2) asks about all three (a closed one is POLLNVAL), where an
 * fcntl each was three calls at every start.
 */
static void
std_fds(void)
{
	struct pollfd p[3] = { { .fd = 0 }, { .fd = 1 }, { .fd = 2 } };
	int fd, all = poll(p, 3, 0) != -1;	/* -1: ulimit -n under 3 */

	for (fd = 0; fd <= 2; fd++)
		if ((all ? (p[fd].revents & POLLNVAL) :
		    fcntl(fd, F_GETFD) == -1) &&
		    open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY) != fd)
			_exit(1);
}

/* edits from a to b (a swap of neighbours is one), as far as 9 */
static int
distance(const char *a, const char *b)
{
	int d[16][16], i, j, la = (int)strlen(a), lb = (int)strlen(b), c;

	if (la > 15 || lb > 15)
		return 9;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			c = tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]);
			d[i][j] = MIN(MIN(d[i - 1][j], d[i][j - 1]) + 1,
			    d[i - 1][j - 1] + c);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1])
				d[i][j] = MIN(d[i][j], d[i - 2][j - 2] + 1);
		}
	return d[la][lb];
}

/* no verb of that name: the one it most likely meant, if one stands out */
static void
unknown_verb(const struct verb *verbs, const char *name)
{
	const struct verb *v, *best = NULL;
	int d, min = 3, ties = 0, prefixes = 0;

	/* the start of exactly one verb is that verb, as a suggestion */
	for (v = verbs; v->name != NULL; v++)
		if (strncmp(v->name, name, strlen(name)) == 0 &&
		    prefixes++ == 0)
			best = v;
	if (prefixes == 1)
		usage_error("unknown verb '%s' (did you mean '%s'?)", name,
		    best->name);
	for (best = NULL, v = verbs; v->name != NULL; v++) {
		if ((d = distance(name, v->name)) < min) {
			min = d;
			best = v;
			ties = 0;
		} else if (d == min)
			ties++;
	}
	if (best != NULL && ties == 0 && min < (int)strlen(name))
		usage_error("unknown verb '%s' (did you mean '%s'?)", name,
		    best->name);
	usage_error("unknown verb '%s'", name);
}

/* at exit: the messages still buffered out, then stdout checked, closed */
static void
at_exit(void)
{
	msgout_flush();
	stdout_check();
}

int
verb_main(const struct verb *verbs, int argc, char *argv[])
{
	const struct verb *v;
	const char *name;

	std_fds();
	if (argc > 0)
		setprogname(argv[0]);
	/*
	 * a reader that went away, and a write past RLIMIT_FSIZE (EFBIG),
	 * are errors we report, not signals
	 */
	sig_start();
	if (atexit(at_exit) != 0)
		err(1, "atexit");
	/* ipc-mq --ns PID ls: entered once the verb has parsed its options */
	if (argc > 1 && strcmp(argv[1], "--ns") == 0) {
		if (argc < 3)
			usage_error("option '--ns' needs an argument");
		pid_arg(argv[2], "--ns", 0);
		opt.val[OPT_NS] = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 2)
		usage_error("missing verb");
	name = argv[1];
	if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0 ||
	    strcmp(name, "-V") == 0 || strcmp(name, "--version") == 0) {
		if (argc > 2)
			usage_error("%s takes no operands", name);
		opt.what = name;
		verb_name = name;
		if (name[1] == 'h' || name[2] == 'h')
			help(verbs);
		else
			version();
		return 0;
	}
	for (v = verbs; v->name != NULL; v++)
		if (strcmp(v->name, name) == 0)
			break;
	if (v->name == NULL)
		unknown_verb(verbs, name);
	opt.verb = v;
	verb_name = v->name;
	usage_set(v->usage);
	return v->fn(argc - 1, argv + 1);
}
