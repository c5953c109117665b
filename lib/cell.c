/*
 * Table cells several commands fill the same way: who owns an object
 * and when something last happened to it.
 */
#include <grp.h>
#include <pwd.h>
#include <time.h>

#include "ipc.h"

/* the owner's and group's names; a number where there is no name */
void
table_owner(struct table *t, int ocol, int gcol, uid_t uid, gid_t gid)
{
	struct passwd *pw = getpwuid(uid);
	struct group *gr = getgrgid(gid);

	if (pw != NULL)
		table_set(t, ocol, "%s", pw->pw_name);
	else
		table_set(t, ocol, "%u", (unsigned)uid);
	if (gr != NULL)
		table_set(t, gcol, "%s", gr->gr_name);
	else
		table_set(t, gcol, "%u", (unsigned)gid);
}

/* local time as 2026-11-25T14:24:40+0000; 0 (never) leaves it empty */
void
table_time(struct table *t, int col, time_t when)
{
	char buf[64];
	struct tm tm;

	if (when == 0)
		return;
	if (localtime_r(&when, &tm) != NULL &&
	    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S%z", &tm) > 0)
		table_set(t, col, "%s", buf);
	else
		table_set(t, col, "%jd", (intmax_t)when);
}
