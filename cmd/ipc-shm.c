/* ipc-shm: POSIX shared memory; System V segments with -S; files with -F. */
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
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

#define SHM_DIR		"/dev/shm"
#define SV_LIMIT	"/proc/sys/kernel/"
#define WINDOW		(1 << 20)	/* each copy's bound: memory stays flat */
#define RWBUF		(1 << 16)
/* a segment's window: its pages are in our RSS until let go */
#define SV_WINDOW	(1 << 18)
#define SIZE_MAX_OBJ	((uintmax_t)INT64_MAX)
#define SHRANK		(-2)		/* the object ended before the range */

static const struct optdef file_opt[] = {
	{ 'F', "file", NULL, "OBJECT is a regular file, mapped" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef create_opts[] = {
	{ 's', "size", "SIZE", "bytes of the new object (4096, 64K, 1M, 2G)" },
	{ 'F', "file", NULL, "OBJECT is a regular file, mapped" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef send_opts[] = {
	{ 'O', "offset", "OFFSET", "write at OFFSET bytes (default 0)" },
	{ 'g', "grow", NULL, "extend the object to take what is written" },
	{ 'F', "file", NULL, "OBJECT is a regular file, mapped" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef recv_opts[] = {
	{ 'O', "offset", "OFFSET", "read from OFFSET bytes (default 0)" },
	{ 'F', "file", NULL, "OBJECT is a regular file, mapped" },
	{ 0, NULL, NULL, NULL }
};

enum { P_NAME, P_SIZE, P_ALLOC, P_MODE, P_OWNER, P_GROUP, P_ORPHAN,
	P_HOLDERS, P_NCOLS };

/* POSIX objects and files: the same fields, but the first one's name */
#define FD_COLS(first) {					\
	[P_NAME] = { first, COL_STR, 1 },			\
	[P_SIZE] = { "size", COL_NUM, 1 },			\
	[P_ALLOC] = { "allocated", COL_NUM, 1 },		\
	[P_MODE] = { "mode", COL_STR, 1 },			\
	[P_OWNER] = { "owner", COL_STR, 1 },			\
	[P_GROUP] = { "group", COL_STR, 0 },			\
	[P_ORPHAN] = { "orphan", COL_STR, 1 },			\
	[P_HOLDERS] = { "holders", COL_PIDS, 1, "holder" },	\
}

static const struct col pcols[P_NCOLS + 1] = FD_COLS("name");
static const struct col fcols[P_NCOLS + 1] = FD_COLS("path");

enum { S_KEY, S_ID, S_SIZE, S_NATTCH, S_STATUS, S_CPID, S_LPID, S_ATIME,
	S_DTIME, S_CTIME, S_MODE, S_OWNER, S_GROUP, S_ORPHAN, S_HOLDERS,
	S_NCOLS };

static const struct col scols[S_NCOLS + 1] = {
	[S_KEY] = { "key", COL_STR, 1 },
	[S_ID] = { "id", COL_NUM, 1 },
	[S_SIZE] = { "size", COL_NUM, 1 },
	[S_NATTCH] = { "nattch", COL_NUM, 1 },
	[S_STATUS] = { "status", COL_STR, 1 },
	[S_CPID] = { "cpid", COL_NUM, 1 },
	[S_LPID] = { "lpid", COL_NUM, 1, "last_pid" },
	[S_ATIME] = { "atime", COL_STR, 0 },
	[S_DTIME] = { "dtime", COL_STR, 0 },
	[S_CTIME] = { "ctime", COL_STR, 0 },
	[S_MODE] = { "mode", COL_STR, 1 },
	[S_OWNER] = { "owner", COL_STR, 1 },
	[S_GROUP] = { "group", COL_STR, 0 },
	[S_ORPHAN] = { "orphan", COL_STR, 1 },
	[S_HOLDERS] = { "holders", COL_PIDS, 1, "holder" },
};

static const struct sysv_cols sperm = { S_KEY, S_MODE, S_OWNER, S_GROUP };

struct shmflavour;

/* the object a send or recv works on */
struct obj {
	const struct shmflavour *fl;	/* what kind of object it is */
	const char *name;		/* as messages show it */
	char pname[NAME_BUF];		/* POSIX: /NAME */
	int fd;				/* POSIX, -F: open on it */
	int id;				/* -S: the segment */
	char *base;			/* -S: attached whole */
	uintmax_t size;
};

/* what send writes when it has no operands: stdin, or a copy of it */
struct src {
	int fd;
	uintmax_t off, len;
};

/* --- descriptors: POSIX objects and files alike ------------------------- */

/* where a size does not fit: the free space of fd's file system, named */
static void
nospace(const char *name, int fd, uintmax_t size, const char *where)
{
	struct statvfs fs;

	if (fstatvfs(fd, &fs) == -1)
		errx(1, "%s %s: %s (%ju bytes)", opt.verb->name,
		    esc_name(name), strerror(ENOSPC), size);
	errx(1, "%s %s: %s (%ju bytes wanted, %ju free in %s)",
	    opt.verb->name, esc_name(name), strerror(ENOSPC), size,
	    (uintmax_t)fs.f_bavail * fs.f_frsize, where);
}

/*
 * Reserve [from, to) of fd's backing store, so that no later write or
 * touch of a page can fail for want of space: 0, or -1 with errno
 */
static int
reserve(int fd, uintmax_t from, uintmax_t to)
{
	int e;

	if (to <= from)
		return 0;
	/* a large reservation can be cut by a handled signal: go on */
	while ((e = posix_fallocate(fd, (off_t)from, (off_t)(to - from))) ==
	    EINTR)
		;
	if (e != 0) {
		errno = e;
		return -1;
	}
	return 0;
}

/*
 * fallocate(2) of [off, off + len), mode 0 (past the end, the size
 * follows): never posix_fallocate(3), whose fallback where the file
 * system cannot writes zeros into the range, over a peer's bytes.
 * 0, or -1 with errno (EOPNOTSUPP: this file system cannot)
 */
static int
desc_fallocate(int fd, uintmax_t off, uintmax_t len)
{
	if (len == 0)
		return 0;
	/* a large reservation can be cut by a handled signal: go on */
	while (fallocate(fd, 0, (off_t)off, (off_t)len) == -1)
		if (errno != EINTR)
			return -1;
	return 0;
}

/* -g: the new range reserved; where it cannot be, only sized */
static int
desc_grow(struct obj *o, uintmax_t to)
{
	struct stat st;

	if (to <= o->size)
		return 0;
	if (desc_fallocate(o->fd, o->size, to - o->size) == -1) {
		if (errno != EOPNOTSUPP || fstat(o->fd, &st) == -1 ||
		    ((uintmax_t)st.st_size < to &&
		    ftruncate(o->fd, (off_t)to) == -1))
			return -1;
	}
	o->size = to;
	return 0;
}

/*
 * The range a send writes, reserved before its first byte: an object
 * sized with ftruncate (Python's shared_memory, Boost) is sparse, and a
 * full tmpfs would stop the write half way. Where the file system
 * cannot reserve, nothing is promised (the man page says so).
 */
static int
desc_reserve(struct obj *o, uintmax_t off, uintmax_t len)
{
	if (desc_fallocate(o->fd, off, len) == -1 && errno != EOPNOTSUPP)
		return -1;
	return 0;
}

/* up to want bytes of stdin, read and written, where splice cannot */
static int
desc_take_rw(struct obj *o, uintmax_t off, size_t want, size_t *got)
{
	char buf[RWBUF];
	ssize_t n, w;
	size_t len;

	while ((n = read(STDIN_FILENO, buf, want < sizeof(buf) ? want :
	    sizeof(buf))) == -1 && errno == EINTR)
		;
	if (n <= 0)
		return (int)n;
	for (len = (size_t)n; *got < len; *got += (size_t)w) {
		if ((w = pwrite(o->fd, buf + *got, len - *got,
		    (off_t)(off + *got))) == -1) {
			if (errno != EINTR)
				return -1;
			w = 0;
		}
		progress_add((uintmax_t)w);
	}
	return 0;
}

/*
 * Up to want bytes of stdin at off, spliced from a pipe into the file
 * (through no buffer of ours), read and written from anything else:
 * 0 with *got the bytes written (0: end of input), or -1 with errno
 */
static int
desc_take(struct obj *o, uintmax_t off, size_t want, size_t *got)
{
	loff_t at = (loff_t)off;
	ssize_t n;

	*got = 0;
	while ((n = splice(STDIN_FILENO, NULL, o->fd, &at, want, 0)) == -1 &&
	    errno == EINTR)
		;
	if (n == -1 && errno == EINVAL)
		return desc_take_rw(o, off, want, got);
	if (n == -1)
		return -1;
	*got = (size_t)n;
	progress_add((uintmax_t)n);
	return 0;
}

static int
desc_put(struct obj *o, uintmax_t off, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = pwrite(o->fd, p, len, (off_t)off)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		progress_add((uintmax_t)n);
		p += n;
		len -= (size_t)n;
		off += (uintmax_t)n;
	}
	return 0;
}

/* s->len bytes of s->fd from s->off, through a buffer */
static int
desc_fill_rw(struct obj *o, uintmax_t off, const struct src *s,
    uintmax_t done)
{
	char buf[RWBUF];
	ssize_t n;

	while (done < s->len) {
		n = pread(s->fd, buf, s->len - done < sizeof(buf) ?
		    (size_t)(s->len - done) : sizeof(buf),
		    (off_t)(s->off + done));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0 ? SHRANK : -1;
		if (desc_put(o, off + done, buf, (size_t)n) == -1)
			return -1;
		done += (uintmax_t)n;
	}
	return 0;
}

/* the kernel copies file to file: sendfile(2) writes at the file offset */
static int
desc_fill(struct obj *o, uintmax_t off, const struct src *s)
{
	off_t at = (off_t)s->off;
	uintmax_t done = 0;
	ssize_t n;

	if (lseek(o->fd, (off_t)off, SEEK_SET) == -1)
		return -1;
	while (done < s->len) {
		n = sendfile(o->fd, s->fd, &at, s->len - done > WINDOW ? WINDOW :
		    (size_t)(s->len - done));
		if (n > 0) {
			done += (uintmax_t)n;
			progress_add((uintmax_t)n);
		} else if (n == 0)
			return SHRANK;
		else if (errno == EINVAL || errno == ENOSYS)
			return desc_fill_rw(o, off, s, done);
		else if (errno != EINTR)
			return -1;
	}
	return 0;
}

static int
out_rw(int fd, uintmax_t off, uintmax_t len)
{
	char buf[RWBUF];
	ssize_t n;

	while (len > 0) {
		n = pread(fd, buf, len < sizeof(buf) ? (size_t)len :
		    sizeof(buf), (off_t)off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0 ? SHRANK : -1;
		if (copy_write(STDOUT_FILENO, buf, (size_t)n, NULL, NULL) == -1)
			return -1;
		off += (uintmax_t)n;
		len -= (uintmax_t)n;
	}
	return 0;
}

/*
 * [off, off + len) to stdout: sendfile(2) (a splice where stdout is a
 * pipe), so the bytes never pass through a buffer of ours; where the
 * kernel cannot (stdout appends), read and write
 */
static int
desc_out(struct obj *o, uintmax_t off, uintmax_t len)
{
	off_t at = (off_t)off;
	ssize_t n;

	if (len > 0 && fcntl(STDOUT_FILENO, F_GETFL) & O_APPEND)
		return out_rw(o->fd, off, len);
	while (len > 0) {
		n = sendfile(STDOUT_FILENO, o->fd, &at, len > WINDOW ? WINDOW :
		    (size_t)len);
		if (n > 0) {
			len -= (uintmax_t)n;
			progress_add((uintmax_t)n);
		} else if (n == 0)
			return SHRANK;
		else if (errno == EINVAL || errno == ENOSYS)
			return out_rw(o->fd, (uintmax_t)at, len);
		else if (errno == EAGAIN)
			wait_fd(STDOUT_FILENO, POLLOUT, NULL);
		else if (errno != EINTR)
			return -1;
	}
	return 0;
}

static void
desc_close(struct obj *o)
{
	close(o->fd);
}

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
static const struct posix_kind pxkind = {
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
static int
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
static void
px_open(struct obj *o, const char *arg, int wr)
{
	char path[sizeof(SHM_DIR) + NAME_BUF];

	posix_name(&pxkind, arg, o->pname);
	o->name = o->pname;
	snprintf(path, sizeof(path), "%s%s", SHM_DIR, o->pname);
	o->fd = open_reg(o->name, path, wr ? O_RDWR : O_RDONLY, &o->size);
}

static void
px_check(const char *arg)
{
	char name[NAME_BUF];

	posix_name(&pxkind, arg, name);
}

/* px_check has refused another kind's name before any is removed */
static int
px_rm(const char *arg)
{
	return posix_rm(arg, shm_unlink, opt.force);
}

static void
px_stat(struct table *t, const char *arg)
{
	struct deadline d;

	deadline_set(&d, opt.timeout);
	posix_stat(t, &pxkind, arg, opt.wait ? &d : NULL);
}

static void
px_ls(struct table *t)
{
	posix_ls(t, &pxkind);
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
static int
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

static void
fl_check(const char *path)
{
	(void)path;
}

static void
fl_open(struct obj *o, const char *path, int wr)
{
	o->name = path;
	o->fd = open_reg(path, path, wr ? O_RDWR : O_RDONLY, &o->size);
}

/* a regular file only, removed through its directory */
static int
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

static void
fl_stat(struct table *t, const char *path)
{
	struct holders hs = { 0 };
	struct deadline d;
	struct stat st;
	int fd;

	deadline_set(&d, opt.timeout);
	if (opt.wait && exists_wait(exists_path, (void *)path, &d) == -1)
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

static void
fl_ls(struct table *t)
{
	(void)t;
	usage_error("ls -F: files are listed by ls(1); stat -F FILE tells one");
}

/* --- System V segments --------------------------------------------------- */

/* shmget's EINVAL for a size is this machine's shmmax, named */
static int
sv_get(void *arg, key_t key, int flags)
{
	const uintmax_t *size = arg;
	uintmax_t max;
	int id, e;

	if ((id = shmget(key, (size_t)*size, flags)) != -1 || errno != EINVAL ||
	    *size <= (max = sysctl_limit(SV_LIMIT "shmmax")))
		return id;
	e = errno;
	warnx("create: -s %s is over %sshmmax (%ju)", opt.val['s'], SV_LIMIT,
	    max);
	errno = e;
	return -1;
}

static int
sv_create(const char *arg, uintmax_t size)
{
	sysv_create(SYSV_SHM, arg, size, sv_get, NULL, &size, CREATE_ASKED);
	return 0;
}

static void
sv_check(const char *arg)
{
	sysv_check(SYSV_SHM, arg);
}

static void
sv_open(struct obj *o, const char *arg, int wr)
{
	struct shmid_ds ds;
	struct sysvkey k;

	sysv_key(SYSV_SHM, arg, &k, 0);
	o->name = arg;
	if ((o->id = sysv_id(SYSV_SHM, &k)) == -1 ||
	    shmctl(o->id, IPC_STAT, &ds) == -1 ||
	    (o->base = shmat(o->id, NULL, wr ? 0 : SHM_RDONLY)) ==
	    (void *)-1)
		err(1, "%s %s", opt.verb->name, esc_name(arg));
	o->size = ds.shm_segsz;
}

static int
sv_grow(struct obj *o, uintmax_t to)
{
	(void)o;
	(void)to;
	errno = EFBIG;
	return -1;
}

/* shmat cannot attach less: the pages of each copied window let go */
static void
sv_release(struct obj *o, uintmax_t off, size_t len)
{
	uintmax_t page = (uintmax_t)sysconf(_SC_PAGESIZE);
	uintmax_t from = off / page * page;

	madvise(o->base + from, (size_t)(off + len - from), MADV_DONTNEED);
}

/*
 * A segment has no descriptor to reserve with: the pages of one window
 * from off are made with MADV_POPULATE_WRITE (Linux 5.14), which
 * allocates without changing a byte; before 5.14 (EINVAL) nothing is
 * promised, as the man page says. 0, or -1 with errno.
 */
static int
sv_populate(struct obj *o, uintmax_t off, size_t len)
{
#ifdef MADV_POPULATE_WRITE
	uintmax_t page = (uintmax_t)sysconf(_SC_PAGESIZE);
	uintmax_t from = off / page * page;

	while (madvise(o->base + from, (size_t)(off + len - from),
	    MADV_POPULATE_WRITE) == -1)
		if (errno != EINTR)
			return errno == EINVAL ? 0 : -1;
#else
	(void)o;
	(void)off;
	(void)len;
#endif
	return 0;
}

/* the whole range made, a window at a time, each let go from our RSS */
static int
sv_reserve(struct obj *o, uintmax_t off, uintmax_t len)
{
	size_t n;

	for (; len > 0; off += n, len -= n) {
		n = len > SV_WINDOW ? SV_WINDOW : (size_t)len;
		if (sv_populate(o, off, n) == -1)
			return -1;
		sv_release(o, off, n);
	}
	return 0;
}

/* up to a window of stdin read straight into the segment, its pages made */
static int
sv_take(struct obj *o, uintmax_t off, size_t want, size_t *got)
{
	ssize_t n = 0;
	int e;

	*got = 0;
	if (want > SV_WINDOW)
		want = SV_WINDOW;
	if (sv_populate(o, off, want) == -1)
		return -1;
	while (*got < want && (n = read(STDIN_FILENO, o->base + off + *got,
	    want - *got)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			break;
		*got += (size_t)n;
		progress_add((uintmax_t)n);
	}
	e = errno;
	sv_release(o, off, want);
	errno = e;
	return n == -1 ? -1 : 0;
}

static int
sv_put(struct obj *o, uintmax_t off, const char *p, size_t len)
{
	memcpy(o->base + off, p, len);
	progress_add(len);
	return 0;
}

static int
sv_fill(struct obj *o, uintmax_t off, const struct src *s)
{
	uintmax_t done = 0;
	size_t want;
	ssize_t n;

	while (done < s->len) {
		want = s->len - done > SV_WINDOW ? SV_WINDOW :
		    (size_t)(s->len - done);
		n = pread(s->fd, o->base + off + done, want,
		    (off_t)(s->off + done));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0 ? SHRANK : -1;
		sv_release(o, off + done, (size_t)n);
		done += (uintmax_t)n;
		progress_add((uintmax_t)n);
	}
	return 0;
}

static int
sv_out(struct obj *o, uintmax_t off, uintmax_t len)
{
	size_t n;

	while (len > 0) {
		n = len > SV_WINDOW ? SV_WINDOW : (size_t)len;
		if (copy_write(STDOUT_FILENO, o->base + off, n, NULL, NULL) == -1)
			return -1;
		sv_release(o, off, n);
		off += n;
		len -= n;
	}
	return 0;
}

static void
sv_close(struct obj *o)
{
	shmdt(o->base);
}

/* removed once the last process detaches: say so where some are */
static int
sv_rm(const char *arg)
{
	struct shmid_ds ds;
	struct sysvkey k;
	int id, n = 0;

	sysv_key(SYSV_SHM, arg, &k, 0);
	if ((id = sysv_id(SYSV_SHM, &k)) != -1 &&
	    shmctl(id, IPC_STAT, &ds) == 0)
		n = (int)ds.shm_nattch;
	if (sysv_rm(SYSV_SHM, arg, opt.force) != 0)
		return 1;
	if (n > 0)
		warnx("rm %s: marked for removal; %d attached process%s keep%s "
		    "it until %s detach%s", esc_name(arg), n, n == 1 ? "" : "es",
		    n == 1 ? "s" : "", n == 1 ? "it" : "they",
		    n == 1 ? "es" : "");
	return 0;
}

/* the segments' holders: who has them attached, where a field needs it */
struct svsee {
	struct table *t;
	struct holders hs, *h;
};

static void
sv_see(struct svsee *s, struct table *t, int id)
{
	s->t = t;
	s->h = NULL;
	memset(&s->hs, 0, sizeof(s->hs));
	if (!table_shows(t, S_HOLDERS))
		return;
	proc_scan_shm(&s->hs, id);
	holders_note(&s->hs, "holders", 0);	/* orphan: by nattch */
	s->h = &s->hs;
}

/*
 * what ipcs calls the segment's status: removed while still attached
 * (its key gone to 0, it lives until the last detach), locked in memory
 */
static void
sv_status(struct table *t, unsigned mode)
{
	if (mode & (SHM_DEST | SHM_LOCKED))
		table_set(t, S_STATUS, "%s%s%s", mode & SHM_DEST ? "dest" : "",
		    (mode & SHM_DEST) && (mode & SHM_LOCKED) ? "," : "",
		    mode & SHM_LOCKED ? "locked" : "");
}

static void
sv_row(const struct svsee *s, int id, const struct shmid_ds *ds)
{
	struct table *t = s->t;
	char *h;

	table_row(t);
	sysv_perm(t, &sperm, &ds->shm_perm);
	table_set(t, S_ID, "%d", id);
	table_set(t, S_SIZE, "%ju", (uintmax_t)ds->shm_segsz);
	table_set(t, S_NATTCH, "%ju", (uintmax_t)ds->shm_nattch);
	sv_status(t, ds->shm_perm.mode);
	table_set(t, S_CPID, "%d", (int)ds->shm_cpid);
	table_set(t, S_LPID, "%d", (int)ds->shm_lpid);
	table_time(t, S_ATIME, ds->shm_atime);
	table_time(t, S_DTIME, ds->shm_dtime);
	table_time(t, S_CTIME, ds->shm_ctime);
	/* attached or not, the kernel counts it: no scan, nothing partial */
	table_orphan(t, ds->shm_nattch > 0);
	if (s->h == NULL)
		return;
	h = holders_str(s->h, 0, (ino_t)id, HOLD_ANY);
	table_set(t, S_HOLDERS, "%s", h);
	free(h);
}

static void
sv_each(void *s, int id, const union sysv_ds *ds, int full)
{
	(void)full;
	sv_row(s, id, &ds->shm);
}

static void
sv_stat(struct table *t, const char *arg)
{
	struct shmid_ds ds;
	struct sysvkey k;
	struct sysv_look l = { SYSV_SHM, &k };
	struct deadline d;
	struct svsee s;
	int id;

	sysv_key(SYSV_SHM, arg, &k, 0);
	deadline_set(&d, opt.timeout);
	if (opt.wait && exists_wait(exists_sysv, &l, &d) == -1)
		exit(exists_failed(arg, "exist"));
	if ((id = sysv_id(SYSV_SHM, &k)) == -1)
		err(1, "stat %s", esc_name(arg));
	sv_see(&s, t, id);
	if (shmctl(id, IPC_STAT, &ds) == 0)
		sv_row(&s, id, &ds);
	else if (errno != EACCES || sysv_each(SYSV_SHM, id, sv_each, &s) == 0)
		err(1, "stat %s", esc_name(arg));
	holders_free(&s.hs);
}

static void
sv_ls(struct table *t)
{
	struct svsee s;

	sv_see(&s, t, -1);
	sysv_each(SYSV_SHM, -1, sv_each, &s);
	holders_free(&s.hs);
}

/* --- the three flavours, and the verbs over them -------------------------- */

/* a kind of shared memory: lib's base (rm, stat, ls), then its own */
struct shmflavour {
	struct flavour fl;
	int grows;			/* send -g can extend it */
	int  (*create)(const char *, uintmax_t);
	void (*open)(struct obj *, const char *, int);
	int  (*grow)(struct obj *, uintmax_t);	/* reserved; -1 with errno */
	int  (*reserve)(struct obj *, uintmax_t, uintmax_t);	/* likewise */
	/* up to N bytes of stdin at OFF: 0 and *got (0: its end), or -1 */
	int  (*take)(struct obj *, uintmax_t, size_t, size_t *);
	int  (*put)(struct obj *, uintmax_t, const char *, size_t);
	int  (*fill)(struct obj *, uintmax_t, const struct src *);
	int  (*out)(struct obj *, uintmax_t, uintmax_t);
	void (*close)(struct obj *);
};

static const int grow_own[] = { 'g', 0 };

static const struct shmflavour posix = {
	.fl = { .kind = "POSIX shared memory", .object = "NAME",
	    .own = grow_own, .cols = pcols, .check = px_check, .rm = px_rm,
	    .stat = px_stat, .ls = px_ls },
	.grows = 1, .create = px_create, .open = px_open, .grow = desc_grow,
	.reserve = desc_reserve, .take = desc_take, .put = desc_put,
	.fill = desc_fill, .out = desc_out, .close = desc_close,
};

static const struct shmflavour sysv = {
	.fl = { .flag = 'S', .kind = "System V segments", .object = "KEY",
	    .cols = scols, .check = sv_check, .rm = sv_rm, .stat = sv_stat,
	    .ls = sv_ls },
	.grows = 0, .create = sv_create, .open = sv_open, .grow = sv_grow,
	.reserve = sv_reserve, .take = sv_take, .put = sv_put,
	.fill = sv_fill, .out = sv_out, .close = sv_close,
};

static const struct shmflavour file = {
	.fl = { .flag = 'F', .kind = "files", .object = "PATH",
	    .own = grow_own, .cols = fcols, .check = fl_check, .rm = fl_rm,
	    .stat = fl_stat, .ls = fl_ls },
	.grows = 1, .create = fl_create, .open = fl_open, .grow = desc_grow,
	.reserve = desc_reserve, .take = desc_take, .put = desc_put,
	.fill = desc_fill, .out = desc_out, .close = desc_close,
};

/* -S before -F: with both, the word is System V's, and they are refused */
static const struct flavour *const flavours[] = { &posix.fl, &sysv.fl,
	&file.fl, NULL };

/* the operand's word for the flavour -S or -F asks for: before any
 * refusal */
static const char *
object(void)
{
	return flavour_of(flavours, opt.val)->object;
}

/* the flavour -S or -F picks, the two together and another's options
 * refused: once the operands are checked */
static const struct shmflavour *
pick(void)
{
	return (const struct shmflavour *)flavour_pick(flavours, opt.val,
	    opt.extra);
}

static uintmax_t
offset(void)
{
	const char *o = opt.val['O'];

	return o == NULL ? 0 : num_size(o, "-O", 0, SIZE_MAX_OBJ);
}

static int
cmd_create(int argc, char *argv[])
{
	const struct shmflavour *fl;
	const char *arg;
	uintmax_t size;
	int i;

	i = opt_parse(argc, argv, "timeout mode exist-ok any-owner sysv",
	    create_opts);
	arg = opt_operand(argc, argv, i, object());
	fl = pick();
	if (opt.val['s'] == NULL)
		usage_error("-s SIZE is needed: the bytes of the new object");
	size = num_size(opt.val['s'], "-s", 1, SIZE_MAX_OBJ);
	return fl->create(arg, size);
}

/* the range could not be reserved: said, with the free space */
static void
unreserved(const struct obj *o, uintmax_t len)
{
	struct statvfs fs;
	int e = errno;

	if (e != ENOSPC || o->fd == -1 || fstatvfs(o->fd, &fs) == -1)
		errx(1, "send %s: %s (%ju bytes): nothing written",
		    esc_name(o->name), strerror(e), len);
	errx(1, "send %s: %s (%ju bytes wanted, %ju free): nothing written",
	    esc_name(o->name), strerror(e), len,
	    (uintmax_t)fs.f_bavail * fs.f_frsize);
}

/*
 * The whole range checked, grown with -g, and reserved, before the
 * first byte: a send that does not fit writes nothing
 */
static void
room(struct obj *o, uintmax_t off, uintmax_t len)
{
	if (off > SIZE_MAX_OBJ - len)
		errx(1, "send %s: %ju bytes at offset %ju run past the largest "
		    "size", esc_name(o->name), len, off);
	if (off + len > o->size && opt.val['g'] == NULL)
		errx(1, "send %s: %ju bytes at offset %ju run past the end "
		    "(size %ju%s)", esc_name(o->name), len, off, o->size,
		    o->fl->grows ? "; -g grows it" : "");
	if (off + len > o->size && o->fl->grow(o, off + len) == -1) {
		if (errno == ENOSPC)
			nospace(o->name, o->fd, off + len - o->size, o->name);
		fsize_check(o->name, off + len);
		err(1, "send %s: -g", esc_name(o->name));
	}
	if (o->fl->reserve(o, off, len) == -1)
		unreserved(o, len);
}

/* a stream that stopped half way: exactly how much went */
static void
stream_failed(const struct obj *o, uintmax_t off, uintmax_t done)
{
	err(1, "send %s: %ju bytes written at offset %ju, then", esc_name(o->name),
	    done, off);
}

/*
 * Stdin that is not a regular file (a pipe), a window at a time up to
 * the end of the object (-g: without end), so memory stays flat: its
 * length is known only at its end, so nothing can be refused before the
 * first byte. Input longer than the room, or a failure half way (a full
 * file system), stops with the exact count written.
 */
static void
send_stream(struct obj *o, uintmax_t off)
{
	uintmax_t max, done = 0;
	size_t got;
	ssize_t n;
	char c;
	int r;

	if (off > o->size && opt.val['g'] == NULL)
		errx(1, "send %s: offset %ju is past the end (size %ju%s)",
		    esc_name(o->name), off, o->size,
		    o->fl->grows ? "; -g grows it" : "");
	max = opt.val['g'] != NULL ? SIZE_MAX_OBJ - off : o->size - off;
	copy_grow(STDIN_FILENO);	/* a pipe: fewer, larger chunks */
	while (done < max) {
		r = o->fl->take(o, off + done, max - done > WINDOW ? WINDOW :
		    (size_t)(max - done), &got);
		done += got;
		if (r == -1 && errno == EAGAIN)	/* a non-blocking stdin */
			wait_fd(STDIN_FILENO, POLLIN, NULL);
		else if (r == -1)
			stream_failed(o, off, done);
		else if (got == 0)
			return;
	}
	/* the room is full: stdin may end here, or go on */
	while ((n = read(STDIN_FILENO, &c, 1)) == -1 && (errno == EINTR ||
	    (errno == EAGAIN && wait_fd(STDIN_FILENO, POLLIN, NULL) == 0)))
		;
	if (n == -1)
		stream_failed(o, off, done);
	if (n == 1)
		errx(1, "send %s: stdin runs past the end (size %ju): %ju bytes "
		    "written at offset %ju, the rest not", esc_name(o->name),
		    o->size, done, off);
}

static uintmax_t
operands_len(char **argv)
{
	uintmax_t len = 0;

	for (; *argv != NULL; argv++)
		len += strlen(*argv);
	return len;
}

static void
io_failed(const struct obj *o, int r, const char *what)
{
	if (r == SHRANK)
		errx(1, "%s %s: %s ended before the range did: truncated "
		    "under us", opt.verb->name, esc_name(o->name), what);
	err(1, "%s %s", opt.verb->name, esc_name(o->name));
}

static int
cmd_send(int argc, char *argv[])
{
	struct obj o = { .fd = -1 };
	uintmax_t off, len;
	struct src s;
	int i, r = 0;

	i = opt_parse(argc, argv, "sysv progress", send_opts);
	if (i == argc)
		usage_error("missing %s", object());
	o.fl = pick();
	off = offset();
	o.fl->fl.check(argv[i]);
	o.fl->open(&o, argv[i], 1);
	if (i + 1 < argc) {
		room(&o, off, len = operands_len(argv + i + 1));
		progress_start(opt.progress, len, 0);
		for (i++; i < argc && r == 0; i++) {
			len = strlen(argv[i]);
			r = o.fl->put(&o, off, argv[i], (size_t)len);
			off += len;
		}
	} else if (fd_left(STDIN_FILENO, &s.off, &s.len) == 0) {
		s.fd = STDIN_FILENO;
		room(&o, off, s.len);
		progress_start(opt.progress, s.len, 0);
		r = o.fl->fill(&o, off, &s);
	} else {
		progress_start(opt.progress, PROGRESS_UNKNOWN, 0);
		send_stream(&o, off);
	}
	if (r != 0)
		io_failed(&o, r, "stdin");
	o.fl->close(&o);
	return 0;
}

static int
cmd_recv(int argc, char *argv[])
{
	struct obj o = { .fd = -1 };
	uintmax_t off, len;
	const char *arg;
	int i, r;

	i = opt_parse(argc, argv, "count sysv progress", recv_opts);
	arg = opt_operand(argc, argv, i, object());
	o.fl = pick();
	off = offset();
	o.fl->fl.check(arg);
	o.fl->open(&o, arg, 0);
	stdout_name(o.name);
	if (off > o.size)
		errx(1, "recv %s: offset %ju is past the end (size %ju)",
		    esc_name(o.name), off, o.size);
	len = opt.count ? opt.count : o.size - off;
	if (len > o.size - off)
		errx(1, "recv %s: %ju bytes at offset %ju run past the end "
		    "(size %ju)", esc_name(o.name), len, off, o.size);
	stdout_ready();
	progress_start(opt.progress, len, 0);
	if ((r = o.fl->out(&o, off, len)) == SHRANK)
		io_failed(&o, r, "the object");
	if (r != 0)
		stdout_failed();
	o.fl->close(&o);
	return 0;
}

static int
cmd_rm(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "force sysv", file_opt);

	if (i == argc)		/* before the flavour's options, as ever */
		usage_error("missing %s", object());
	return flavour_rm(&pick()->fl, argc, argv, i);
}

static int
cmd_stat(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "timeout output json sysv wait", file_opt);
	const char *arg = opt_operand(argc, argv, i, object());

	return flavour_stat(&pick()->fl, arg, TABLE_ASKED);
}

static int
cmd_ls(int argc, char *argv[])
{
	if (opt_parse(argc, argv, "output no-header json sysv pid", file_opt) !=
	    argc)
		usage_error("too many operands");
	return flavour_ls(&pick()->fl, TABLE_ASKED);
}

static const struct verb verbs[] = {
	{ "create", cmd_create,
	    "create [-S|-F] [-m MODE] [-x [--any-owner] [-t DUR]] -s SIZE "
	    "NAME|KEY" },
	{ "send", cmd_send, "send [-S|-F] [-O OFFSET] [-g] [--progress] NAME|KEY "
	    "[DATA...]" },
	{ "write", cmd_send,
	    "write [-S|-F] [-O OFFSET] [-g] [--progress] NAME|KEY "
	    "[DATA...]" },
	{ "recv", cmd_recv, "recv [-S|-F] [-O OFFSET] [-c BYTES] [--progress] "
	    "NAME|KEY" },
	{ "read", cmd_recv, "read [-S|-F] [-O OFFSET] [-c BYTES] [--progress] "
	    "NAME|KEY" },
	{ "rm", cmd_rm, "rm [-S|-F] [-f] NAME|KEY..." },
	{ "stat", cmd_stat, "stat [-S|-F] [-o LIST] [-j] [--wait [-t DUR]] NAME|KEY" },
	{ "ls", cmd_ls, "ls [-S] [-H] [-o LIST] [-j] [--pid PID]" },
	{ NULL, NULL, NULL }
};

int
main(int argc, char *argv[])
{
	return verb_main(verbs, argc, argv);
}
