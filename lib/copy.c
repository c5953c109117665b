/*
 * Bulk copy: splice(2) where a pipe is on either side, so the bytes
 * never pass through user space; read/write where splice cannot.
 */
#include <sys/ioctl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "ipc.h"

#define CHUNK		(1 << 20)
#define RWBUF		(1 << 16)
#define FALLBACK	(-1)

/* grow a pipe to 1 MiB; where that is not allowed, keep what it has */
void
pipe_grow(int fd)
{
	int e = errno;

	if (fcntl(fd, F_GETPIPE_SZ) < CHUNK)
		(void)fcntl(fd, F_SETPIPE_SZ, CHUNK);
	errno = e;
}

static int
is_pipe(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

/* wait for one side; a time-out only counts where t bounds it */
static int
wait_side(int fd, short ev, int64_t t, int err)
{
	struct deadline d;
	int r;

	deadline_set(&d, t);
	r = wait_fd(fd, ev, &d);
	if (r == 0)
		return COPY_TIMEOUT;
	return r < 0 ? err : COPY_EOF;
}

/*
 * Whether in has nothing more to give. A reader that left after the last
 * byte was written is no failure, though splice(2) reports EPIPE before
 * it notices its input is at its end.
 */
static int
in_ended(int in)
{
	struct pollfd p = { .fd = in, .events = POLLIN };
	struct stat st;
	int n;

	if (fstat(in, &st) == -1)
		return 0;
	if (S_ISREG(st.st_mode))
		return lseek(in, 0, SEEK_CUR) >= st.st_size;
	if (!S_ISFIFO(st.st_mode) || ioctl(in, FIONREAD, &n) == -1 || n > 0)
		return 0;
	return poll(&p, 1, 0) == 1 && (p.revents & POLLHUP);
}

/* splice(2) does not say which side failed: find it */
static int
side_failed(int out)
{
	int e = errno, r;

	if (e == EBADF)		/* one side is open the wrong way round */
		r = (fcntl(out, F_GETFL) & O_ACCMODE) == O_RDONLY ?
		    COPY_ERR_OUT : COPY_ERR_IN;
	else if (e == EPIPE || e == ENOSPC || e == EDQUOT || e == EFBIG ||
	    e == EIO)
		r = COPY_ERR_OUT;
	else
		r = COPY_ERR_IN;
	errno = e;
	return r;
}

static int
splice_loop(int in, int out, int64_t tin, int64_t tout, uintmax_t *total)
{
	ssize_t n;
	int r;

	for (;;) {
		/* a FIFO opened before any writer reads as EOF until one came:
		 * poll(2) knows better, so wait first */
		if ((r = wait_side(in, POLLIN, tin, COPY_ERR_IN)) != COPY_EOF)
			return r;
		n = splice(in, NULL, out, NULL, CHUNK,
		    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		if (n > 0) {
			*total += (uintmax_t)n;
			continue;
		}
		if (n == 0)
			return COPY_EOF;
		if (errno == EINVAL && *total == 0)
			return FALLBACK;
		if (errno == EINTR)
			continue;
		if (errno == EPIPE && in_ended(in))
			return COPY_EOF;
		if (errno != EAGAIN)
			return side_failed(out);
		if ((r = wait_side(out, POLLOUT, tout, COPY_ERR_OUT)) != COPY_EOF)
			return r;
	}
}

/* all of p, waiting for room at most t each time (TIMEOUT_NONE: forever) */
int
write_full(int fd, const char *p, size_t len, int64_t t)
{
	ssize_t n;
	int r;

	while (len > 0) {
		n = write(fd, p, len);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
		} else if (n < 0 && errno == EAGAIN) {
			if ((r = wait_side(fd, POLLOUT, t, COPY_ERR_OUT)) != COPY_EOF)
				return r;
		} else if (n < 0 && errno != EINTR)
			return COPY_ERR_OUT;
	}
	return COPY_EOF;
}

static int
rw_loop(int in, int out, int64_t tin, int64_t tout, uintmax_t *total)
{
	char buf[RWBUF];
	ssize_t n;
	int r;

	for (;;) {
		if ((r = wait_side(in, POLLIN, tin, COPY_ERR_IN)) != COPY_EOF)
			return r;
		n = read(in, buf, sizeof(buf));
		if (n == 0)
			return COPY_EOF;
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return COPY_ERR_IN;
		}
		if ((r = write_full(out, buf, (size_t)n, tout)) != COPY_EOF)
			return r;
		*total += (uintmax_t)n;
	}
}

/*
 * Copy in to out until in ends. tin and tout bound each wait for input
 * and for room in the output (TIMEOUT_NONE: wait forever). Returns
 * COPY_EOF, COPY_TIMEOUT, or COPY_ERR_IN/OUT with errno set.
 */
int
copy_stream(int in, int out, int64_t tin, int64_t tout, uintmax_t *total)
{
	int r, pin = is_pipe(in), pout = is_pipe(out);

	*total = 0;
	if (pin || pout) {
		if (pin)
			pipe_grow(in);
		if (pout)
			pipe_grow(out);
		r = splice_loop(in, out, tin, tout, total);
		if (r != FALLBACK)
			return r;
	}
	return rw_loop(in, out, tin, tout, total);
}
