/* The shared options: parsed once, the same letter means the same thing. */
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"

struct opts opt;

static const struct optdef shared[] = {
	{ 't', "timeout", "DUR",
	    "bound every blocking wait (250ms, 1.5, 2s, 1m, 1h; 0: try once)" },
	{ 'c', "count", "N", "receive N messages, then exit" },
	{ 'f', "follow", NULL, "keep receiving until killed or -t" },
	{ 'f', "force", NULL, "no error for a missing object" },
	{ 'l', "lines", NULL, "each line of stdin is one message" },
	{ '0', "null", NULL, "a NUL ends each message, not a newline" },
	{ 'r', "raw", NULL, "message bytes exactly, no terminator added" },
	{ 'v', "verbose", NULL, "metadata before each message, TAB-separated" },
	{ 'm', "mode", "MODE", "octal permissions of a new object (default 0600)" },
	{ 'x', "exist-ok", NULL,
	    "succeed if it exists as the same kind, owner and mode" },
	{ 'S', "sysv", NULL, "System V: OBJECT is a key or id:N" },
	{ 'o', "output", "LIST", "only these fields, comma-separated" },
	{ 'H', "no-header", NULL, "no header line" },
	{ OPT_NOTRUNC, "notruncate", NULL,
	    "never cut a column to fit the terminal" },
	{ 'j', "json", NULL, "JSON output" },
	{ 'e', "exec", "CMD",
	    "run sh -c CMD for each message, on its stdin, one at a time" },
	{ OPT_KILL, "kill", NULL,
	    "-e: pass a signal that ends us on to the running CMD" },
	{ OPT_STOP, "stop", NULL, "-e: end at the first CMD that fails" },
	{ OPT_PID, "pid", "PID", "only the objects PID holds" },
	{ OPT_WAIT, "wait", NULL, "wait (bounded by -t) until it exists" },
	{ OPT_PROGRESS, "progress", NULL,
	    "bytes and rate on stderr (%, ETA where the size is known)" },
	{ OPT_ANYOWNER, "any-owner", NULL,
	    "an existing object may be another user's" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef helpdef = { 'h', "help", NULL, "this help" };
/* every verb takes it: what a verb does, it can do in a container */
static const struct optdef nsdef = { OPT_NS, "ns", "PID",
    "in the IPC, network and mount namespaces of PID" };

/*
 * A command that names a shared option there is not, or gives its own
 * option a shared letter, is wrong in a way no user can fix: say so and
 * abort, so that every test of the verb fails, instead of dropping it.
 */
static void
bad_table(const char *what, const char *name)
{
	warnx("%s: internal error: %s '%s'", opt.verb->name, what, name);
	abort();
}

static int
word_in(const char *names, const char *word)
{
	size_t len = strlen(word);
	const char *p;

	for (p = strstr(names, word); p != NULL; p = strstr(p + 1, word))
		if ((p == names || p[-1] == ' ') &&
		    (p[len] == ' ' || p[len] == '\0'))
			return 1;
	return 0;
}

/*
 * A verb's own entry for a shared option it names, same letter, name
 * and argument: the shared option, its help in that verb's words
 */
static const struct optdef *
reworded(const char *names, const struct optdef *extra,
    const struct optdef *d)
{
	const struct optdef *e;

	for (e = extra; e != NULL && e->name != NULL; e++)
		if (e->code == d->code && strcmp(e->name, d->name) == 0 &&
		    (e->arg == NULL) == (d->arg == NULL) && word_in(names, d->name))
			return e;
	return NULL;
}

/* every word of names is a shared option; no extra one takes a shared letter */
static void
check_table(const char *names, const struct optdef *extra)
{
	const struct optdef *d, *e;
	char word[32];
	const char *p;
	size_t len, n;

	/*
	 * by hand, not strcspn and snprintf: this runs at every start, and
	 * their code in libc is pages to fault in, for one short string
	 */
	for (p = names; *p != '\0'; p += len) {
		while (*p == ' ')
			p++;
		for (len = 0; p[len] != '\0' && p[len] != ' '; len++)
			;
		n = len < sizeof(word) ? len : sizeof(word) - 1;
		memcpy(word, p, n);
		word[n] = '\0';
		for (d = shared; d->name != NULL; d++)
			if (strcmp(d->name, word) == 0)
				break;
		if (len > 0 && d->name == NULL)
			bad_table("no shared option", word);
	}
	for (e = extra; e != NULL && e->name != NULL; e++) {
		for (d = shared; d->name != NULL; d++)
			if (reworded(names, extra, d) == e)
				break;
		if (d->name != NULL)	/* -f as follow, where force is -f too */
			continue;
		for (d = shared; d->name != NULL; d++)
			if (e->code == d->code || strcmp(e->name, d->name) == 0)
				bad_table("its own option takes a shared one's "
				    "letter or name:", e->name);
	}
}

/* the options of this verb: the shared ones it names, then its own */
static size_t
select_defs(const char *names, const struct optdef *extra,
    const struct optdef **defs, size_t max)
{
	const struct optdef *d, *e;
	size_t n = 0;

	check_table(names, extra);
	/* a shared one reworded in its place, so -h keeps one order */
	for (d = shared; d->name != NULL; d++)
		if (word_in(names, d->name) && n < max)
			defs[n++] = (e = reworded(names, extra, d)) ? e : d;
	for (e = extra; e != NULL && e->name != NULL && n < max; e++) {
		for (d = shared; d->name != NULL; d++)
			if (reworded(names, extra, d) == e)
				break;
		if (d->name == NULL)
			defs[n++] = e;
	}
	if (n < max)
		defs[n++] = &nsdef;
	if (n < max)
		defs[n++] = &helpdef;
	return n;
}

static void
verb_help(const struct optdef **defs, size_t n)
{
	char left[64];
	size_t i;

	printf("usage: %s %s\n", getprogname(), opt.verb->usage);
	for (i = 0; i < n; i++) {
		if (defs[i]->help == NULL)	/* an old spelling, a refusal */
			continue;
		if (defs[i]->code < OPT_LONG)
			snprintf(left, sizeof(left), "-%c, --%s%s%s",
			    defs[i]->code, defs[i]->name,
			    defs[i]->arg ? " " : "", defs[i]->arg ? defs[i]->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", defs[i]->name,
			    defs[i]->arg ? " " : "", defs[i]->arg ? defs[i]->arg : "");
		printf("  %-24s %s\n", left, defs[i]->help);
	}
	exit(0);
}

/* the name an option is known by in messages: "-t" or "--pass-fd" */
static const char *
opt_name(int code)
{
	static char buf[40];
	const struct optdef *d;

	if (code < OPT_LONG) {
		snprintf(buf, sizeof(buf), "-%c", code);
		return buf;
	}
	for (d = opt.extra; d != NULL && d->name != NULL; d++)
		if (d->code == code)
			break;
	if (d == NULL || d->name == NULL)
		for (d = shared; d->name != NULL; d++)
			if (d->code == code)
				break;
	if (d->name == NULL && code == OPT_NS)
		d = &nsdef;
	snprintf(buf, sizeof(buf), "--%s", d && d->name ? d->name : "?");
	return buf;
}

static void
set_shared(int c, const char *arg)
{
	switch (c) {
	case 't': opt.timeout = num_dur(arg, "-t"); break;
	case 'c': opt.count = num_uint(arg, "-c", 1, UINT64_MAX >> 1); break;
	case 'f': opt.follow = opt.force = 1; break;
	case 'l': opt.lines = 1; break;
	case '0': opt.null = 1; break;
	case 'r': opt.raw = 1; break;
	case 'v': opt.verbose = 1; break;
	case 'm': opt.mode = num_mode(arg, "-m"); opt.has_mode = 1; break;
	case 'x': opt.exist_ok = 1; break;
	case 'S': opt.sysv = 1; break;
	case 'o': opt.output = arg; break;
	case 'H': opt.noheader = 1; break;
	case 'j': opt.json = 1; break;
	case 'e': opt.exec = arg; break;
	case OPT_PID: opt.pid = pid_arg(arg, "--pid", 0); break;
	case OPT_NS: pid_arg(arg, "--ns", 0); break;
	case OPT_WAIT: opt.wait = 1; break;
	case OPT_PROGRESS: opt.progress = 1; break;
	case OPT_ANYOWNER: opt.any_owner = 1; break;
	case OPT_NOTRUNC: opt.notruncate = 1; break;
	}
}

static void
set_opt(int c, const char *arg)
{
	set_shared(c, arg);
	if (c < OPT_NCODES)
		opt.val[c] = arg ? arg : "";
	if (arg == NULL)
		return;
	if (opt.nargs == OPT_ARGS)
		usage_error("more than %d options with arguments", OPT_ARGS);
	opt.args[opt.nargs].code = c;
	opt.args[opt.nargs++].arg = arg;
}

/* every argument given to option code, in order (--pass-fd 3 --pass-fd 4) */
size_t
opt_all(int code, const char **v, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < opt.nargs && n < max; i++)
		if (opt.args[i].code == code)
			v[n++] = opt.args[i].arg;
	return n;
}

static void
check_conflicts(void)
{
	if (opt.lines && opt.null)
		usage_error("-l and -0 exclude each other");
	if (opt.count && opt.follow)
		usage_error("-c and -f exclude each other");
	if (opt.raw && opt.null)
		usage_error("-r and -0 exclude each other");
	if (opt.json && (opt.null || opt.raw))
		usage_error("-j excludes -0 and -r");
	if (opt.exec != NULL && (opt.raw || opt.verbose || opt.json))
		usage_error("-e excludes -r, -v and -j: CMD gets the message");
	if (opt.exec == NULL && (opt.val[OPT_KILL] || opt.val[OPT_STOP]))
		usage_error("--kill and --stop go with -e");
}

/*
 * The one operand at argv[i], the last there is: a usage error naming
 * what (NAME, KEY, PATH) where it is missing or followed by more
 */
const char *
opt_operand(int argc, char *argv[], int i, const char *what)
{
	if (i == argc)
		usage_error("missing %s", what);
	if (argc - i > 1)
		usage_error("too many operands");
	stdout_name(argv[i]);	/* what a failed stdout names */
	return argv[i];
}

/* another of defs has long name name */
static int
long_twice(const struct optdef **defs, size_t n, const char *name)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += strcmp(defs[i]->name, name) == 0;
	return k > 1;
}

/* the getopt_long(3) tables for defs: lo, and so (operands in order) */
static void
tables(const struct optdef **defs, size_t n, struct option *lo, char *so)
{
	char *s = so;
	size_t i, nl = 0;

	*s++ = '-';		/* operands in place, even with POSIXLY_CORRECT */
	*s++ = ':';
	*s = '\0';
	for (i = 0; i < n; i++) {
		/* an old letter's long name is its new option's, there */
		if (defs[i]->help != NULL || defs[i]->code >= OPT_LONG ||
		    !long_twice(defs, n, defs[i]->name))
			lo[nl++] = (struct option){ defs[i]->name,
			    defs[i]->arg ? required_argument : no_argument,
			    NULL, defs[i]->code };
		if (defs[i]->code < OPT_LONG && strchr(so, defs[i]->code) == NULL) {
			*s++ = (char)defs[i]->code;
			if (defs[i]->arg)
				*s++ = ':';
			*s = '\0';
		}
	}
	lo[nl] = (struct option){ NULL, 0, NULL, 0 };
}

/*
 * An old spelling, kept for a release, is an entry with no help beside
 * the option it is now: an old letter with its long name ({ 'q',
 * "maxmsg", ... } beside { 'M', "maxmsg", ... }), an old long name with
 * its code ({ 'T', "type", ... } beside { 'T', "msg-type", ... }). Warn,
 * and go on as the new one. long_name: the long name given, or NULL.
 */
static int
old_spelling(const struct optdef **defs, size_t n, int c,
    const char *long_name)
{
	const struct optdef *old = NULL, *now = NULL;
	size_t i;

	for (i = 0; i < n; i++)
		if (defs[i]->help == NULL && defs[i]->code == c &&
		    (long_name == NULL ? defs[i]->code < OPT_LONG :
		    strcmp(defs[i]->name, long_name) == 0))
			old = defs[i];
	for (i = 0; old != NULL && i < n; i++)
		if (defs[i]->help != NULL && (long_name == NULL ?
		    strcmp(defs[i]->name, old->name) == 0 :
		    defs[i]->code == c))
			now = defs[i];
	if (now == NULL)	/* not an old one; or hidden, to refuse */
		return c;
	if (long_name == NULL)
		warnx("warning: -%c is now -%c; -%c goes in the next release",
		    c, now->code, c);
	else
		warnx("warning: --%s is now --%s; --%s goes in the next "
		    "release", long_name, now->name, long_name);
	return now->code;
}

static void
bad_option(int c, const char *arg)
{
	const char *eq = strchr(arg, '=');

	if (c == ':')
		usage_error("option '%s' needs an argument",
		    optopt ? opt_name(optopt) : arg);
	if (strncmp(arg, "--", 2) == 0 && eq != NULL && optopt != 0)
		usage_error("option '%.*s' takes no argument", (int)(eq - arg),
		    arg);
	if (optopt != 0 && optopt < OPT_LONG)
		usage_error("unknown option '-%c'", optopt);
	usage_error("unknown option '%s'", arg);
}

/*
 * Parse argv (argv[0] is the verb) for the shared options named in
 * `names` and the command's own `extra` ones. The operands, in order,
 * end up at the end of argv; returns the index of the first.
 */
int
opt_parse(int argc, char *argv[], const char *names, const struct optdef *extra)
{
	const struct optdef *defs[64];
	struct option lo[65];
	char so[200];
	size_t n;
	int c, li, nops = 0, rest;

	n = select_defs(names, extra, defs, 64);
	tables(defs, n, lo, so);
	opt.extra = extra;
	opt.timeout = TIMEOUT_NONE;
	opterr = 0;
	optind = 1;
	while ((li = -1, c = getopt_long(argc, argv, so, lo, &li)) != -1) {
		if (c == 1)	/* a slot already read: operands gather in front */
			argv[1 + nops++] = optarg;
		else if (c == 'h')
			verb_help(defs, n);
		else if (c == '?' || c == ':')
			bad_option(c, argv[optind - 1]);
		else
			set_opt(old_spelling(defs, n, c,
			    li >= 0 ? lo[li].name : NULL), optarg);
	}
	/* then what follows --, and all of them at the end of argv */
	rest = argc - optind;
	opt.ndashed = optind > 1 && optind <= argc &&
	    strcmp(argv[optind - 1], "--") == 0 ? rest : -1;
	memmove(argv + 1 + nops, argv + optind, (size_t)rest * sizeof(*argv));
	memmove(argv + argc - nops - rest, argv + 1,
	    (size_t)(nops + rest) * sizeof(*argv));
	check_conflicts();
	/* parsed whole, so a usage error acts on nothing; then the verb runs
	 * where its objects are */
	if (opt.val[OPT_NS] != NULL)
		ns_enter(pid_arg(opt.val[OPT_NS], "--ns", 0));
	return argc - nops - rest;
}

/*
 * The operands from argv[i] on, each an object for act: every one is
 * checked before the first is acted on, so a bad one among them changes
 * nothing; then each is tried, and the failures or'd (rm a b c)
 */
int
opt_each(int argc, char *argv[], int i, const char *what,
    void (*check)(const char *), int (*act)(const char *))
{
	int j, rc = 0;

	if (i == argc)
		usage_error("missing %s", what);
	for (j = i; j < argc; j++)
		check(argv[j]);
	for (; i < argc; i++)
		rc |= act(argv[i]);
	return rc;
}
