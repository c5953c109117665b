/*
 * The POSIX-name tier, for queues, semaphores and shared memory: a new
 * object's exact mode, the file that stands for an object where its
 * filesystem is mounted, who holds or maps it, the names there, and
 * stat's and ls's rows of them, the kind adding its own cells.
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
 * make(arg, mode) with the umask off, so a new object has the mode mk
 * asks exactly (0600 where it asks none); its answer and errno as it
 * left them
 */
int
posix_exact(int (*make)(void *, mode_t), void *arg, const struct mkopt *mk)
{
	mode_t old = umask(0);
	int r, e;

	r = make(arg, mk->has_mode ? mk->mode : 0600);
	e = errno;
	umask(old);
	errno = e;
	return r;
}

/* dir is where the filesystem of that magic number is mounted */
static int
posix_mounted(const char *dir, long magic)
{
	struct statfs fs;

	return statfs(dir, &fs) == 0 && fs.f_type == magic;
}

/* the file that stands for the object /NAME in dir, after prefix */
static void
posix_path(char path[PATH_MAX], const char *dir, const char *prefix,
    const char *name)
{
	snprintf(path, PATH_MAX, "%s/%s%s", dir, prefix, name + 1);
}

/*
 * That file (with prefix, as glibc names semaphores "sem.NAME"), looked
 * at without opening it
 */
int
posix_look(const char *dir, const char *prefix, const char *name,
    struct stat *st)
{
	char path[PATH_MAX];

	posix_path(path, dir, prefix, name);
	return lstat(path, st);
}

/*
 * The objects in dir as "/NAME": those whose file name starts with
 * prefix, with it taken off; or, except set, those that do not (shared
 * memory is what is not a semaphore). NULL with errno, or *n set.
 */
static char **
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
static void
posix_holders(struct holders *hs, const struct stat *on, int maps)
{
	proc_index(PIDX_FDS | (maps ? PIDX_MAPS : 0));	/* in one pass */
	proc_scan_fds(hs, same_object, (void *)on);
	if (maps)
		proc_scan_maps(hs, on->st_dev, on->st_ino);
}

/* unlink(NAME) the kind's way (mq_unlink...); force (-f): a missing one
 * is no error */
int
posix_rm(const char *arg, int (*unlink)(const char *), int force)
{
	char name[NAME_BUF];

	name_posix(arg, name);
	if (unlink(name) == 0 || (errno == ENOENT && force))
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
 * name_posix for the kind k: a name whose file would be another kind's
 * (glibc's "sem.NAME" in /dev/shm is a semaphore) is a usage error too,
 * for every verb: a send would write into a live semaphore, a create
 * make what ipc-sem lists and ls hides
 */
void
posix_name(const struct posix_kind *k, const char *arg, char name[NAME_BUF])
{
	name_posix(arg, name);
	if (k->other != NULL &&
	    strncmp(name + 1, k->other, strlen(k->other)) == 0)
		usage_error("'%s': a name beginning with %s is %s, not %s",
		    arg, k->other, k->other_is, k->what);
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
	holders_note(hs, "holders", table_orphans(t) >= 0);
	return hs;
}

/* the object: a handle for the kind's cells, or -1 with errno */
static int
kind_look(const struct posix_kind *k, const char *name, struct stat *st)
{
	if (k->look != NULL)
		return k->look(name, st);
	return posix_look(k->dir, k->prefix, name, st);
}

static void
kind_close(const struct posix_kind *k, int h)
{
	if (k->close != NULL)
		k->close(h);
}

/*
 * One object's row: the cells every POSIX kind has (name, mode, owner,
 * group, holders and orphan where hs was read) and the kind's own
 */
void
posix_row(struct table *t, const struct posix_kind *k,
    const struct holders *hs, const char *name, int h, const struct stat *st)
{
	table_row(t);
	table_set(t, k->name, "%s", name);
	table_file(t, k->file, st);
	if (k->cells != NULL)
		k->cells(t, name, h, st);
	table_holders(t, k->holders, hs, st);
}

/*
 * stat: the object NAME; with wait (--wait: NULL, none), once it is
 * there. Ends the verb where it cannot: 1, or 124 when wait has passed.
 */
void
posix_stat(struct table *t, const struct posix_kind *k, const char *arg,
    const struct deadline *wait)
{
	struct holders hs = { 0 };
	char name[NAME_BUF], path[PATH_MAX];
	struct stat st;
	int h;

	posix_name(k, arg, name);
	posix_path(path, k->dir, k->prefix, name);
	if (wait != NULL && (k->there != NULL ?
	    exists_wait(k->there, name, wait) :
	    exists_wait(exists_path, path, wait)) == -1)
		exit(exists_failed(name, "exist"));
	if ((h = kind_look(k, name, &st)) == -1)
		err(1, "stat %s", esc_name(name));
	if (!S_ISREG(st.st_mode))
		errx(1, "stat %s: not %s", esc_name(name), k->what);
	posix_row(t, k, posix_holders_shown(&hs, t, k->holders, &st, k->maps),
	    name, h, &st);
	kind_close(k, h);
	holders_free(&hs);
}

/* ls: every object in the kind's directory, by name */
void
posix_ls(struct table *t, const struct posix_kind *k)
{
	struct holders hs = { 0 }, *hp;
	struct stat dir, st;
	char **names;
	size_t n, i;
	int h;

	if (k->fstype != NULL && !posix_mounted(k->dir, k->magic))
		errx(1, "ls: %s is not mounted: as root, run: mount -t %s "
		    "none %s", k->dir, k->fstype, k->dir);
	if (stat(k->dir, &dir) == -1 || (names = k->other != NULL ?
	    posix_names(k->dir, k->other, 1, &n) :
	    posix_names(k->dir, k->prefix, 0, &n)) == NULL)
		err(1, "ls %s", k->dir);
	dir.st_ino = 0;		/* whatever they hold on its filesystem */
	hp = posix_holders_shown(&hs, t, k->holders, &dir, k->maps);
	for (i = 0; i < n; i++) {
		if ((h = kind_look(k, names[i], &st)) == -1)
			continue;	/* gone since the listing */
		if (S_ISREG(st.st_mode))
			posix_row(t, k, hp, names[i], h, &st);
		kind_close(k, h);
	}
	dir_names_free(names, n);
	holders_free(&hs);
}
