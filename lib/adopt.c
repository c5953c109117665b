/*
 * An object that exists, taken by create -x or run -i as if made: only
 * when it is what was asked for. Its owner is the caller's effective
 * uid (root included), unless the caller takes another user's; each
 * size or limit given is the one it has; its mode is -m's where -m was
 * given. Otherwise the verb ends, naming the first thing that differs.
 */
#include <err.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

/* a user as ls(1) shows one: by name, or by number where it has none */
static const char *
user(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw != NULL)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "%ju", (uintmax_t)uid);
	return buf;
}

/*
 * What differs between the object found and what was asked, as
 * "with size 1048576, not 2097152", into buf; 0 where nothing does
 */
int
adopt_differs(const struct adopt *a, char *buf, size_t len)
{
	char have[64], want[64];
	size_t i;

	if (a->uid != geteuid() && !a->any_owner) {
		snprintf(buf, len, "owned by %s, not %s (%s)",
		    user(a->uid, have, sizeof(have)),
		    user(geteuid(), want, sizeof(want)), ADOPT_HINT);
		return 1;
	}
	for (i = 0; i < a->nsizes; i++)
		if (a->size[i].given && a->size[i].have != a->size[i].want) {
			snprintf(buf, len, "with %s %ju, not %ju",
			    a->size[i].what, a->size[i].have,
			    a->size[i].want);
			return 1;
		}
	if (a->has_mode && (a->mode & 07777) != (a->want_mode & 07777)) {
		snprintf(buf, len, "with mode %04o, not %04o",
		    (unsigned)(a->mode & 07777),
		    (unsigned)(a->want_mode & 07777));
		return 1;
	}
	return 0;
}

/* adopt_differs, or the verb ends with status code: "VERB NAME: exists ..." */
void
adopt_check(const struct adopt *a, const char *verb, const char *name,
    int code)
{
	char why[256];

	if (adopt_differs(a, why, sizeof(why)))
		errx(code, "%s %s: exists %s", verb, esc_name(name), why);
}
