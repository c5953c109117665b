/*
 * stat --wait: until the object exists (a socket: until it listens),
 * bounded by -t, so a script need not poll in a sleep loop
 */
#include <err.h>
#include <errno.h>
#include <sys/stat.h>
#include <poll.h>
#include <stdlib.h>

#include "ipc.h"

#define STEP_MIN	2		/* ms: the first looks come quickly */
#define STEP_MAX	50		/* and then no busier than this */

/*
 * Until there(arg) says the object is there (1), or cannot say (-1
 * with errno: the look that follows says why), or d (NULL: forever)
 * has passed: 0, or -1 with errno, ETIMEDOUT at the deadline.
 */
int
exists_wait(int (*there)(void *), void *arg, const struct deadline *d)
{
	int step = STEP_MIN, ms;

	while (there(arg) == 0) {
		if ((ms = deadline_ms(d)) == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (poll(NULL, 0, ms == -1 || ms > step ? step : ms) == -1 &&
		    errno != EINTR)
			return -1;
		if (step < STEP_MAX)
			step *= 2;
	}
	return 0;
}

/*
 * exists_wait's -1 for name, in words: the deadline, naming what was
 * waited for ("exist", "listen"), is EXIT_TIMEOUT; anything else 1
 */
int
exists_failed(const char *name, const char *until)
{
	if (errno != ETIMEDOUT) {
		warn("%s %s", verb_name, esc_name(name));
		return 1;
	}
	warnx("%s %s: timed out waiting for it to %s", verb_name,
	    esc_name(name), until);
	return EXIT_TIMEOUT;
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

/*
 * stat's id of the System V object of kind that arg (a key or id:N)
 * names, once it exists where wait (--wait's deadline) is given; a key
 * with none, or a deadline passed, ends the verb, saying so
 */
int
exists_sysv_id(int kind, const char *arg, const struct deadline *wait)
{
	struct sysvkey k;
	struct sysv_look l = { kind, &k };
	int id;

	sysv_key(kind, arg, &k, 0);
	if (wait != NULL && exists_wait(exists_sysv, &l, wait) == -1)
		exit(exists_failed(arg, "exist"));
	if ((id = sysv_id(kind, &k)) == -1)
		err(1, "%s %s", verb_name, esc_name(arg));
	return id;
}
