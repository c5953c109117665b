/*
 * stat --wait: until the object exists (a socket: until it listens),
 * bounded by -t, so a script need not poll in a sleep loop
 */
#include <err.h>
#include <errno.h>
#include <sys/stat.h>
#include <poll.h>

#include "ipc.h"

#define STEP_MIN	2		/* ms: the first looks come quickly */
#define STEP_MAX	50		/* and then no busier than this */

/*
 * there(arg): 1 the object is there, 0 not yet, -1 with errno. Returns
 * at once without --wait; exits 124 at the deadline, naming name and
 * what was waited for ("exist", "listen").
 */
void
exists_wait(int (*there)(void *), void *arg, const char *name,
    const char *until)
{
	struct deadline d;
	int step = STEP_MIN, ms;

	if (!opt.wait)
		return;
	deadline_set(&d, opt.timeout);
	while (there(arg) == 0) {
		if ((ms = deadline_ms(&d)) == 0)
			errx(EXIT_TIMEOUT, "%s %s: timed out waiting for it to "
			    "%s", verb_name, esc_name(name), until);
		if (poll(NULL, 0, ms == -1 || ms > step ? step : ms) == -1 &&
		    errno != EINTR)
			err(1, "%s %s", verb_name, esc_name(name));
		if (step < STEP_MAX)
			step *= 2;
	}
}

/* exists_wait's there() for a file: anything at the path (lstat) */
int
exists_path(void *path)
{
	struct stat st;

	return lstat(path, &st) == 0 || errno != ENOENT;
}

/* and for a System V object: its key or id has one */
int
exists_sysv(void *arg)
{
	const struct sysv_look *l = arg;

	return sysv_id(l->kind, l->key) != -1 || errno != ENOENT;
}
