/*
 * Files acted on through their directory's descriptor: a check and the
 * act that follows it see the same directory, whatever is renamed or
 * swapped for a symlink along the path in between.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

/*
 * "fifo/" names a directory, and none of our objects is one: what is
 * there is not it (ENOTDIR, EISDIR), or nothing is (ENOENT)
 */
static int
slashed(const char *path, size_t len, char base[NAME_MAX + 1])
{
	char bare[PATH_MAX];
	struct stat st;
	int dfd, e;

	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len >= sizeof(bare)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(bare, path, len);
	bare[len] = '\0';
	if ((dfd = path_parent(bare, base)) == -1)
		return -1;
	e = fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == -1 ? errno :
	    S_ISDIR(st.st_mode) ? EISDIR : ENOTDIR;
	close(dfd);
	errno = e;
	return -1;
}

/*
 * Open the directory that holds path (never through a symlink in its
 * last part) and put path's last part in base. -1 with errno.
 */
int
path_parent(const char *path, char base[NAME_MAX + 1])
{
	char dir[PATH_MAX];
	const char *slash;
	size_t len = strlen(path), dlen;

	if (len > 1 && path[len - 1] == '/')
		return slashed(path, len, base);
	if (len == 0 || len >= sizeof(dir)) {
		errno = len ? ENAMETOOLONG : ENOENT;
		return -1;
	}
	memcpy(dir, path, len);
	dir[len] = '\0';
	slash = strrchr(dir, '/');
	if (slash == NULL)
		return path_base(dir, base, ".");
	dlen = (size_t)(slash - dir);
	if (path_base(slash + 1, base, NULL) == -1)
		return -1;
	if (dlen == 0)
		return open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	dir[dlen] = '\0';
	return open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* base checked and copied; then dir opened, unless dir is NULL (0) */
int
path_base(const char *name, char base[NAME_MAX + 1], const char *dir)
{
	if (*name == '\0' || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0) {
		errno = EISDIR;
		return -1;
	}
	if (strlen(name) > NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strlcpy(base, name, NAME_MAX + 1);
	if (dir == NULL)
		return 0;
	return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* lstat(2) of path from its directory: the same answer path_rm acts on */
int
path_lstat(const char *path, struct stat *st)
{
	char base[NAME_MAX + 1];
	int dfd, r, e;

	if ((dfd = path_parent(path, base)) == -1)
		return -1;
	r = fstatat(dfd, base, st, AT_SYMLINK_NOFOLLOW);
	e = errno;
	close(dfd);
	errno = e;
	return r;
}

/* how path_open words a file of another type than asked for */
static const char *
kind_word(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFDIR:	return "is a directory";
	case S_IFIFO:	return "is a FIFO";
	case S_IFSOCK:	return "is a socket";
	case S_IFCHR:	return "is a character device";
	case S_IFBLK:	return "is a block device";
	case S_IFREG:	return "is a regular file";
	default:	return "is of an unknown type";
	}
}

static const char *
type_word(mode_t type)
{
	switch (type) {
	case S_IFREG:	return "not a regular file";
	case S_IFIFO:	return "not a FIFO";
	case S_IFSOCK:	return "not a socket";
	default:	return "not of the kind asked for";
	}
}

/*
 * Open an existing file with flags, only if it is of type (S_IFREG,
 * S_IFIFO, ...; 0: any type but a symlink). Its last part is looked at
 * from its directory's descriptor through O_PATH, which opens nothing:
 * a FIFO's writer blocked in open(2) is not released, a device not
 * woken. A symlink is never followed. Only then is that very file
 * opened with flags, through /proc/self/fd, so what is opened is what
 * was looked at, whatever is renamed in between.
 *
 * Returns the descriptor, or -1 with *why saying why in words ready
 * for a message ("is a symbolic link", "is a FIFO, not a regular
 * file", or strerror(errno)) and errno set (ELOOP for a symlink,
 * EINVAL for another type).
 */
int
path_open(const char *path, int flags, mode_t type, const char **why)
{
	char base[NAME_MAX + 1], self[32];
	struct stat st;
	int dfd, pin, fd = -1, e;

	if ((pin = path_pin(path, type, why)) == -1)
		return -1;
	snprintf(self, sizeof(self), "/proc/self/fd/%d", pin);
	fd = open(self, (flags & ~(O_CREAT | O_EXCL)) | O_NOCTTY | O_CLOEXEC);
	if (fd == -1 && errno == ENOENT && access("/proc/self/fd", F_OK) == -1) {
		/* no /proc (a bare chroot): by name once more, never
		 * following a link; the type is checked again below */
		if ((dfd = path_parent(path, base)) != -1) {
			fd = openat(dfd, base, (flags & ~(O_CREAT | O_EXCL)) |
			    O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
			e = errno;
			close(dfd);
			errno = e;
		}
		if (fd != -1 && (fstat(fd, &st) == -1 ||
		    (type != 0 && (st.st_mode & S_IFMT) != type) ||
		    (!(flags & O_NONBLOCK) &&
		    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == -1))) {
			close(fd);
			fd = -1;
			errno = EINVAL;
			*why = "changed while being opened";
		}
	}
	e = errno;
	close(pin);
	if (fd == -1 && *why == NULL)
		*why = strerror(e);
	errno = e;
	return fd;
}

/*
 * path_open's first half, for a caller that opens in its own way (a
 * FIFO's open(2) bounded by -t): the file at path looked at from its
 * directory through O_PATH, which opens nothing, refused as path_open
 * refuses it, and returned as that O_PATH descriptor, to be opened
 * through /proc/self/fd/N. -1 with *why and errno as path_open's.
 */
int
path_pin(const char *path, mode_t type, const char **why)
{
	static char word[64];
	char base[NAME_MAX + 1];
	struct stat st;
	int dfd, pin = -1, e;

	*why = NULL;
	if ((dfd = path_parent(path, base)) == -1)
		goto fail;
	pin = openat(dfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	e = errno;
	close(dfd);
	errno = e;
	if (pin == -1 || fstat(pin, &st) == -1)
		goto fail;
	if (S_ISLNK(st.st_mode)) {
		*why = "is a symbolic link";
		errno = ELOOP;
		goto fail;
	}
	if (type != 0 && (st.st_mode & S_IFMT) != type) {
		snprintf(word, sizeof(word), "%s, %s", kind_word(st.st_mode),
		    type_word(type));
		*why = word;
		errno = EINVAL;
		goto fail;
	}
	return pin;
fail:
	e = errno;
	if (pin != -1)
		close(pin);
	if (*why == NULL)
		*why = strerror(e);
	errno = e;
	return -1;
}

static int
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/*
 * Remove path if it is a file of type (S_IFIFO, S_IFSOCK) and ok(),
 * where given, accepts it. What is removed is what was checked: the
 * entry is first renamed aside within its directory, checked again
 * there, and only then unlinked; anything else found there is put
 * back. PATH_OK; PATH_KIND (not of that type, or refused by ok);
 * PATH_CHANGED (swapped under us, left as it was); -1 with errno.
 */
int
path_rm(const char *path, mode_t type, int (*ok)(const struct stat *))
{
	char base[NAME_MAX + 1], aside[64];
	struct stat st, now;
	int dfd, r = -1, e;

	if ((dfd = path_parent(path, base)) == -1)
		return -1;
	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == -1)
		goto out;
	r = PATH_KIND;
	if ((st.st_mode & S_IFMT) != type || (ok != NULL && !ok(&st)))
		goto out;
	snprintf(aside, sizeof(aside), ".ipc-rm.%ld.%ju", (long)getpid(),
	    (uintmax_t)st.st_ino);
	r = -1;
	if (renameat2(dfd, base, dfd, aside, RENAME_NOREPLACE) == -1) {
		/* a file system without RENAME_NOREPLACE: unlink as checked */
		if (errno == EINVAL && unlinkat(dfd, base, 0) == 0)
			r = PATH_OK;
		goto out;
	}
	if (fstatat(dfd, aside, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
	    same_file(&st, &now) && (now.st_mode & S_IFMT) == type) {
		r = unlinkat(dfd, aside, 0) == 0 ? PATH_OK : -1;
		goto out;
	}
	/* not what we checked: back where it was, untouched */
	renameat2(dfd, aside, dfd, base, RENAME_NOREPLACE);
	r = PATH_CHANGED;
out:
	e = errno;
	close(dfd);
	errno = e;
	return r;
}

/*
 * How rm words path_rm's outcome r for the operand arg, but for
 * PATH_KIND, which only the caller can word: 0 (removed, or missing
 * under force, -f), or 1 after a warning. errno is path_rm's.
 */
int
path_rm_warn(int r, const char *arg, int force)
{
	if (r == PATH_OK)
		return 0;
	if (r == PATH_CHANGED) {
		warnx("rm %s: replaced while being removed: left as it is",
		    esc_name(arg));
		return 1;
	}
	if (errno == ENOENT && force)
		return 0;
	warn("rm %s", esc_name(arg));
	return 1;
}
