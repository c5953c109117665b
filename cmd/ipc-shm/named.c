/*
 * ipc-shm's named objects: POSIX shared memory (a file in /dev/shm) and
 * regular files (-F), made, opened, removed and shown. Together because
 * they share the columns and the way a file made by another is adopted;
 * their bytes move in desc.c.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"
#include "ipc-shm.h"

#define SHM_DIR		"/dev/shm"

enum { P_KIND, P_NAME, P_SIZE, P_ALLOC, P_MODE, P_OWNER, P_GROUP, P_ORPHAN,
	P_HOLDERS, P_NCOLS };

/* POSIX objects and files: the same fields, but their kind and the
 * name of the one that names them */
#define FD_COLS(kind, first) {					\
	[P_KIND] = { "kind", COL_STR, 0, NULL, kind },		\
	[P_NAME] = { first, COL_STR, 1 },			\
	[P_SIZE] = { "size", COL_NUM, 1 },			\
	[P_ALLOC] = { "allocated", COL_NUM, 1 },		\
	[P_MODE] = { "mode", COL_STR, 1 },			\
	[P_OWNER] = { "owner", COL_STR, 1 },			\
	[P_GROUP] = { "group", COL_STR, 0 },			\
	[P_ORPHAN] = { "orphan", COL_BOOL, 1 },			\
	[P_HOLDERS] = { "holders", COL_PIDS, 1, "holder" },	\
}

const struct col pcols[P_NCOLS + 1] = FD_COLS("shm", "name");
const struct col fcols[P_NCOLS + 1] = FD_COLS("file", "path");

/* an object's sizes, POSIX or a file: from its stat */
static void
desc_cells(struct table *t, const char *name, int h, const struct stat *st)
{
	(void)name;
	(void)h;
	table_set(t, P_SIZE, "%jd", (intmax_t)st->st_size);
	table_set(t, P_ALLOC, "%jd", (intmax_t)st->st_blocks * 512);
}

/* what is in /dev/shm but a semaphore (ipc-sem's "sem.NAME"); the
 * columns of files too (path for name) */
const struct posix_kind pxkind = {
	.dir = SHM_DIR, .prefix = "", .other = "sem.",
	.other_is = "a POSIX semaphore's (ipc-sem)",
	.what = "shared memory", .maps = 1, .name = P_NAME,
	.file = { P_MODE, P_OWNER, P_GROUP }, .holders = P_HOLDERS,
	.cells = desc_cells,
};

/* --- POSIX shared memory -------------------------------------------------- */

/*
 * An object found where create -x was to make one (look(arg, st): its
 * stat, 0 or -1 with errno), taken only where it is what was asked: of
 * the kind what says, the caller's (or --any-owner), of -m's mode, of
 * size bytes. One another
 * program made empty and sizes after (as shm_open and ftruncate do) is
 * looked at again until it has a size, within -t and only with one.
 */
static void
take_existing(const char *name, const char *what, uintmax_t size,
    int (*look)(const void *, struct stat *), const void *arg)
{
	struct adopt a = { ADOPT_ASKED, .nsizes = 1 };
	struct deadline d;
	struct stat st;
	int ms;

	deadline_set(&d, opt.timeout);
	for (;;) {
		if (look(arg, &st) == -1)
			err(1, "create %s", esc_name(name));
		if (!S_ISREG(st.st_mode))
			errx(1, "create %s: exists and is not %s",
			    esc_name(name), what);
		a.uid = st.st_uid;
		a.mode = st.st_mode;
		adopt_check(&a, "create", name, 1);	/* owner, mode */
		if (st.st_size != 0 || opt.timeout == TIMEOUT_NONE)
			break;
		if ((ms = deadline_ms(&d)) == 0)
			errx(EXIT_TIMEOUT, "create %s: timed out waiting for "
			    "its maker to size it (size 0, not %ju)",
			    esc_name(name), size);
		poll(NULL, 0, ms < 2 ? ms : 2);
	}
	a.size[0].what = "size";
	a.size[0].given = 1;
	a.size[0].have = (uintmax_t)st.st_size;
	a.size[0].want = size;
	adopt_check(&a, "create", name, 1);
}

static int
px_look(const void *name, struct stat *st)
{
	return posix_look(SHM_DIR, "", name, st);
}

struct mkobj {
	int dfd;			/* SHM_DIR */
	int fd;
};

/* a file with no name in SHM_DIR, of the exact mode */
static int
px_make(void *arg, mode_t mode)
{
	struct mkobj *m = arg;

	return m->fd = openat(m->dfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC,
	    mode);
}

/*
 * The unnamed file fd, linked into place as name (in dfd): through
 * /proc/self/fd, which anyone may; where /proc is not there, by its
 * descriptor, which needs CAP_DAC_READ_SEARCH. A name taken is EEXIST.
 */
static int
px_link(int fd, int dfd, const char *base)
{
	char self[64];

	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	if (linkat(AT_FDCWD, self, dfd, base, AT_SYMLINK_FOLLOW) == 0)
		return 0;
	if (errno != ENOENT)
		return -1;
	return linkat(fd, "", dfd, base, AT_EMPTY_PATH);
}

/*
 * Made whole before anyone can see it: an unnamed file in SHM_DIR,
 * sized and reserved, then linked in as NAME, which fails where NAME
 * is taken. A creator racing others never shows half an object, and
 * nothing is left behind on any path: the file has no name until done.
 */
int
px_create(const char *arg, uintmax_t size)
{
	char name[NAME_BUF];
	struct mkobj m = { -1, -1 };
	struct stat st;
	int e;

	posix_name(&pxkind, arg, name);
	/* one there already: no second copy's room reserved to find out */
	if (px_look(name, &st) == 0)
		e = EEXIST;
	else {
		if ((m.dfd = open(SHM_DIR, O_PATH | O_DIRECTORY |
		    O_CLOEXEC)) == -1 ||
		    posix_exact(px_make, &m, CREATE_ASKED) == -1)
			err(1, "create %s", esc_name(name));
		if (reserve(m.fd, 0, size) == -1) {
			if (errno == ENOSPC)
				nospace(name, m.fd, size, SHM_DIR);
			fsize_check(name, size);
			err(1, "create %s", esc_name(name));
		}
		if (px_link(m.fd, m.dfd, name + 1) == 0 && close(m.fd) == 0)
			return close(m.dfd), 0;
		e = errno;
	}
	if (e == EEXIST && opt.exist_ok) {
		take_existing(name, "shared memory", size, px_look, name);
		return 0;
	}
	if (e == EEXIST)
		errx(1, "create %s: %s (%s)", esc_name(name), strerror(e),
		    EXISTS_HINT);
	errno = e;
	err(1, "create %s", esc_name(name));
}

/*
 * A regular file, opened with flags as path_open does: never through a
 * symlink, never a FIFO or a device in its place (whose open(2) would
 * block, or release a writer waiting in it); exits 1 saying which
 */
static int
open_reg(const char *name, const char *path, int flags, uintmax_t *size)
{
	const char *why;
	int fd;

	if ((fd = path_open(path, flags, S_IFREG, &why)) == -1)
		errx(1, "%s %s: %s", opt.verb->name, esc_name(name), why);
	if (size != NULL && fd_size(fd, size) == -1)
		err(1, "%s %s", opt.verb->name, esc_name(name));
	return fd;
}

/* shm_open(3) is open(2) in /dev/shm: the same opener, the same checks */
void
px_open(struct obj *o, const char *arg, int wr)
{
	char path[sizeof(SHM_DIR) + NAME_BUF];

	posix_name(&pxkind, arg, o->pname);
	o->name = o->pname;
	snprintf(path, sizeof(path), "%s%s", SHM_DIR, o->pname);
	o->fd = open_reg(o->name, path, wr ? O_RDWR : O_RDONLY, &o->size);
}

void
px_check(const char *arg)
{
	char name[NAME_BUF];

	posix_name(&pxkind, arg, name);
}

/* px_check has refused another kind's name before any is removed */
int
px_rm(const char *arg)
{
	return posix_rm(arg, shm_unlink, opt.force);
}

/* --- files ------------------------------------------------------------------ */

struct mkfile {
	int dfd;
	const char *base;
	int fd;
};

static int
fl_make(void *arg, mode_t mode)
{
	struct mkfile *m = arg;

	return m->fd = openat(m->dfd, m->base, O_RDWR | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, mode);
}

static int
fl_look(const void *arg, struct stat *st)
{
	const struct mkfile *m = arg;

	return fstatat(m->dfd, m->base, st, AT_SYMLINK_NOFOLLOW);
}

/* made in its directory, never through a symlink; removed if not sized */
int
fl_create(const char *path, uintmax_t size)
{
	char base[NAME_MAX + 1];
	struct mkfile m = { -1, base, -1 };
	struct stat st;
	int e;

	if ((m.dfd = path_parent(path, base)) == -1)
		err(1, "create %s", esc_name(path));
	if (posix_exact(fl_make, &m, CREATE_ASKED) == -1) {
		e = errno;
		/* another kind there is no -x away from success: say so */
		if (e == EEXIST && fstatat(m.dfd, base, &st,
		    AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode))
			errx(1, "create %s: exists and is not a regular file",
			    esc_name(path));
		if (e == EEXIST && opt.exist_ok) {
			take_existing(path, "a regular file", size, fl_look,
			    &m);
			return close(m.dfd), 0;
		}
		if (e == EEXIST)
			errx(1, "create %s: %s (%s)", esc_name(path),
			    strerror(e), EXISTS_HINT);
		errno = e;
		err(1, "create %s", esc_name(path));
	}
	if (reserve(m.fd, 0, size) == 0 && close(m.fd) == 0)
		return close(m.dfd), 0;
	e = errno;
	unlinkat(m.dfd, base, 0);
	if (e == ENOSPC)
		nospace(path, m.fd, size, path);
	if (e == EOPNOTSUPP)
		errx(1, "create %s: its file system cannot reserve space "
		    "(posix_fallocate: %s)", esc_name(path), strerror(e));
	errno = e;
	fsize_check(path, size);
	err(1, "create %s", esc_name(path));
}

void
fl_check(const char *path)
{
	(void)path;
}

void
fl_open(struct obj *o, const char *path, int wr)
{
	o->name = path;
	o->fd = open_reg(path, path, wr ? O_RDWR : O_RDONLY, &o->size);
}

/* a regular file only, removed through its directory */
int
fl_rm(const char *path)
{
	int r = path_rm(path, S_IFREG, NULL);

	if (r == PATH_OK || (r == -1 && errno == ENOENT && opt.force))
		return 0;
	if (r == PATH_KIND)
		warnx("rm %s: not a regular file", esc_name(path));
	else if (r == PATH_CHANGED)
		warnx("rm %s: changed while being removed: left as it is",
		    esc_name(path));
	else
		warn("rm %s", esc_name(path));
	return 1;
}

void
fl_stat(struct table *t, const char *path, const struct deadline *wait)
{
	struct holders hs = { 0 };
	struct stat st;
	int fd;

	if (wait != NULL && exists_wait(exists_path, (void *)path, wait) == -1)
		exit(exists_failed(path, "exist"));
	/* O_PATH: looked at, not opened */
	fd = open_reg(path, path, O_PATH, NULL);
	if (fstat(fd, &st) == -1)
		err(1, "stat %s", esc_name(path));
	close(fd);
	posix_row(t, &pxkind, posix_holders_shown(&hs, t, P_HOLDERS, &st, 1),
	    path, 0, &st);
	holders_free(&hs);
}

void
fl_ls(struct table *t)
{
	(void)t;
	usage_error("ls -F: files are listed by ls(1); stat -F FILE tells one");
}

