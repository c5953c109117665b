/*
 * The POSIX-name tier, for queues, semaphores and shared memory: a new
 * object's exact mode, the file that stands for an object where its
 * filesystem is mounted, who holds or maps it, and the names there.
 */
#include <sys/stat.h>
#include <sys/vfs.h>
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"

/*
 * make(arg, mode) with the umask off, so a new object has the mode -m
 * gives exactly (0600 without -m); its answer and errno as it left them
 */
int
posix_exact(int (*make)(void *, mode_t), void *arg)
{
	mode_t old = umask(0);
	int r, e;

	r = make(arg, opt.has_mode ? opt.mode : 0600);
	e = errno;
	umask(old);
	errno = e;
	return r;
}

/* dir is where the filesystem of that magic number is mounted */
int
posix_mounted(const char *dir, long magic)
{
	struct statfs fs;

	return statfs(dir, &fs) == 0 && fs.f_type == magic;
}

/*
 * The file that stands for the object /NAME in dir (with prefix, as
 * glibc names semaphores "sem.NAME"), looked at without opening it
 */
int
posix_look(const char *dir, const char *prefix, const char *name,
    struct stat *st)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s%s", dir, prefix, name + 1);
	return lstat(path, st);
}

/*
 * The objects in dir as "/NAME": those whose file name starts with
 * prefix, with it taken off; or, except set, those that do not (shared
 * memory is what is not a semaphore). NULL with errno, or *n set.
 */
char **
posix_names(const char *dir, const char *prefix, int except, size_t *n)
{
	size_t plen = strlen(prefix), i, j;
	char **names, *s;

	if ((names = dir_names(dir, n)) == NULL)
		return NULL;
	for (i = j = 0; i < *n; i++) {
		if ((strncmp(names[i], prefix, plen) == 0) == !!except) {
			free(names[i]);
			continue;
		}
		if (asprintf(&s, "/%s", names[i] + (except ? 0 : plen)) == -1)
			err(1, NULL);
		free(names[i]);
		names[j++] = s;
	}
	*n = j;
	return names;
}

static int
same_object(const struct stat *st, void *arg)
{
	const struct stat *o = arg;

	return st->st_dev == o->st_dev && (o->st_ino == 0 ||
	    st->st_ino == o->st_ino);
}

/*
 * The processes that hold the object open, and (maps) map it, matched
 * by device and inode; st_ino 0 means any object on that filesystem.
 * A queue's descriptor leads to its inode on the mqueue filesystem, as
 * /dev/mqueue's entries do; a semaphore is only ever mapped.
 */
void
posix_holders(struct holders *hs, const struct stat *on, int maps)
{
	proc_scan_fds(hs, same_object, (void *)on);
	if (maps)
		proc_scan_maps(hs, on->st_dev, on->st_ino);
}

/* unlink(NAME) the kind's way (mq_unlink...); -f: a missing one is no error */
int
posix_rm(const char *arg, int (*unlink)(const char *))
{
	char name[NAME_BUF];

	name_posix(arg, name);
	if (unlink(name) == 0 || (errno == ENOENT && opt.force))
		return 0;
	warn("rm %s", esc_name(name));
	return 1;
}

/* a name that cannot be one is a usage error; nothing is touched */
void
posix_check(const char *arg)
{
	char name[NAME_BUF];

	name_posix(arg, name);
}

/*
 * posix_holders for on, where the table shows column col; NULL where it
 * does not, so nobody pays for a /proc scan no field needs
 */
struct holders *
posix_holders_shown(struct holders *hs, const struct table *t, int col,
    const struct stat *on, int maps)
{
	if (!table_shows(t, col) && table_orphans(t) < 0)
		return NULL;
	posix_holders(hs, on, maps);
	holders_note(hs, "holders");
	return hs;
}
