/*
 * ipc-shm's descriptors: a POSIX object and a file (-F) are both an
 * open regular file, so send and recv move their bytes the same way,
 * with fallocate, splice, sendfile and pwrite. Apart from named.c, which
 * finds and makes the objects: nothing here asks which of the two it is.
 */
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"
#include "ipc-shm.h"

#define RWBUF		(1 << 16)

/* where a size does not fit: the free space of fd's file system, named */
void
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
int
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
int
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
int
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
int
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

int
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
int
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
int
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

void
desc_close(struct obj *o)
{
	close(o->fd);
}

