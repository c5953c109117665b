/*
 * Flavours: one kind of object in several (POSIX; System V with -S;
 * files with -F), one of them picked per run by the option that names
 * it. The base every command with flavours shares is here once: what
 * picks a flavour, the options only some flavours take and the one
 * way another's is refused, and the verbs that need no more than the
 * base (rm, stat, ls). A command embeds struct flavour first in its
 * own, and adds the operations only it has after it.
 */
#include <stdio.h>
#include <string.h>

#include "ipc.h"

/* the name an option goes by in messages: "-T", "--index" */
static const char *
optname(int code, const struct optdef *defs, char *buf, size_t len)
{
	const struct optdef *d;

	if (code < OPT_LONG) {
		snprintf(buf, len, "-%c", code);
		return buf;
	}
	for (d = defs; d != NULL && d->name != NULL; d++)
		if (d->code == code)
			break;
	snprintf(buf, len, "--%s", d != NULL && d->name != NULL ? d->name :
	    "?");
	return buf;
}

static int
owns(const struct flavour *f, int code)
{
	const int *c;

	for (c = f->own; c != NULL && *c != 0; c++)
		if (*c == code)
			return 1;
	return 0;
}

/*
 * Another flavour's option, refused in one wording whatever the
 * command: what it is for (every flavour that takes it, with the
 * option that picks each), and, where f was picked by an option,
 * that it is not with that one
 */
static void __attribute__((noreturn))
refuse(const struct flavour *const *all, const struct flavour *f, int code,
    const struct optdef *defs)
{
	char msg[256], word[80];
	const struct flavour *const *o;
	int k = 0;

	snprintf(msg, sizeof(msg), "%s is for", optname(code, defs, word,
	    sizeof(word)));
	for (o = all; *o != NULL; o++) {
		if (!owns(*o, code))
			continue;
		snprintf(word, sizeof(word), "%s %s", k++ ? " and" : "",
		    (*o)->kind);
		strlcat(msg, word, sizeof(msg));
		if ((*o)->flag != 0) {
			snprintf(word, sizeof(word), " (-%c)", (*o)->flag);
			strlcat(msg, word, sizeof(msg));
		}
	}
	if (f->flag != 0) {
		snprintf(word, sizeof(word), ", not with -%c", f->flag);
		strlcat(msg, word, sizeof(msg));
	}
	usage_error("%s", msg);
}

/*
 * The flavour the options given ask for (given: each option's value by
 * code, NULL where it was not given): the first in all whose flag was
 * given, else the one no flag picks. Nothing is refused here: this is
 * for what must be said before that, as a missing operand's word.
 */
const struct flavour *
flavour_of(const struct flavour *const *all, const char *const *given)
{
	const struct flavour *const *o, *plain = NULL;

	for (o = all; *o != NULL; o++) {
		if ((*o)->flag != 0 && given[(*o)->flag] != NULL)
			return *o;
		if ((*o)->flag == 0 && plain == NULL)
			plain = *o;
	}
	return plain;
}

/*
 * The flavour picked: flavour_of, with two options that each pick one
 * refused together, and every option another flavour takes and this
 * one does not refused (a usage error); defs, the verb's own options,
 * name them
 */
const struct flavour *
flavour_pick(const struct flavour *const *all, const char *const *given,
    const struct optdef *defs)
{
	const struct flavour *f = flavour_of(all, given), *const *o;
	const int *c;

	for (o = all; *o != NULL; o++)
		if (*o != f && (*o)->flag != 0 && given[(*o)->flag] != NULL)
			usage_error("-%c and -%c exclude each other", f->flag,
			    (*o)->flag);
	for (o = all; *o != NULL; o++)
		for (c = (*o)->own; c != NULL && *c != 0; c++)
			if (given[*c] != NULL && !owns(f, *c))
				refuse(all, f, *c, defs);
	return f;
}

/* rm: each operand checked as the flavour has it, then each removed */
int
flavour_rm(const struct flavour *f, int argc, char *argv[], int i)
{
	return opt_each(argc, argv, i, f->object, f->check, f->rm);
}

/* stat: one object's fields, once it exists where wait is given */
int
flavour_stat(const struct flavour *f, const char *arg,
    const struct tablefmt *fmt, const struct deadline *wait)
{
	struct table t;

	table_init(&t, f->cols, 0, fmt);
	if (f->px != NULL)
		posix_stat(&t, f->px, arg, wait);
	else
		f->stat(&t, arg, wait);
	table_print_kv(&t);
	table_free(&t);
	return 0;
}

/* ls: every object of the flavour, a row each */
int
flavour_ls(const struct flavour *f, const struct tablefmt *fmt)
{
	struct table t;

	table_init(&t, f->cols, 1, fmt);
	if (f->px != NULL)
		posix_ls(&t, f->px);
	else
		f->ls(&t);
	table_print(&t);
	table_free(&t);
	return 0;
}
