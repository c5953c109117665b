/*
 * The shared parsers, driven from bats: each verb parses its operand the
 * way the commands do and prints what it understood.
 */
#include <stdio.h>

#include "ipc.h"

static int
u_size(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "", NULL);

	if (i < argc)
		printf("%ju\n", num_size(argv[i], "SIZE", 1, UINT64_MAX));
	return 0;
}

static int
u_dur(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "", NULL);

	if (i < argc)
		printf("%jd\n", (intmax_t)num_dur(argv[i], "DUR"));
	return 0;
}

static int
u_mode(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "", NULL);

	if (i < argc)
		printf("%04o\n", (unsigned)num_mode(argv[i], "MODE"));
	return 0;
}

static int
u_name(int argc, char *argv[])
{
	char name[NAME_BUF];
	int i = opt_parse(argc, argv, "", NULL);

	if (i < argc) {
		name_posix(argv[i], name);
		printf("%s\n", name);
	}
	return 0;
}

static int
u_key(int argc, char *argv[])
{
	static const char *kinds[] = { "key", "id", "private" };
	struct sysvkey k;
	int i = opt_parse(argc, argv, "", NULL);

	if (i < argc) {
		name_key(argv[i], &k);
		printf("%s 0x%08x %d\n", kinds[k.kind], (unsigned)k.key, k.id);
	}
	return 0;
}

/* an option table that is wrong: it must fail loudly, never be dropped */
static int
u_badname(int argc, char *argv[])
{
	return opt_parse(argc, argv, "timeout no-such", NULL) < 0;
}

static int
u_badletter(int argc, char *argv[])
{
	static const struct optdef own[] = {
		{ 't', "tries", "N", "a letter the shared -t has" },
		{ 0, NULL, NULL, NULL }
	};

	return opt_parse(argc, argv, "", own) < 0;
}

static const struct verb verbs[] = {
	{ "size", u_size, "size SIZE" },
	{ "dur", u_dur, "dur DURATION" },
	{ "mode", u_mode, "mode MODE" },
	{ "name", u_name, "name NAME" },
	{ "key", u_key, "key KEY" },
	{ "badname", u_badname, "badname" },
	{ "badletter", u_badletter, "badletter" },
	{ NULL, NULL, NULL }
};

int
main(int argc, char *argv[])
{
	return verb_main(verbs, argc, argv);
}
