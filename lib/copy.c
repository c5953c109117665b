/*
 * Bulk copy: splice(2), so the bytes never pass through user space:
 * straight where a pipe is on either side, else through a pipe of our
 * own (a socket, a file, /dev/null on both sides); read/write where
 * splice cannot.
 */
#include <sys/ioctl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "ipc.h"

#define CHUNK		(1 << 20)
#define RWBUF		(1 << 16)
#define FALLBACK	(-2)	/* splice cannot: read and write instead */

/* grow a pipe to 1 MiB; where that is not allowed, keep what it has */
void
copy_grow(int fd)
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

/* a new wait for one side, bounded as that side's each wait is */
static int
wait_side(int fd, short ev, const struct deadline *each)
{
	struct deadline d = deadline_again(each);

	return wait_fd(fd, ev, &d);
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

static int
is_sock(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

/* splice(2) does not say which side failed: find it */
static int
side_failed(int out)
{
	int e = errno;

	if (e == ECONNRESET || e == ENOTCONN)	/* a peer's doing */
		return is_sock(out) ? COPY_OUT : COPY_IN;

	if (e == EBADF)		/* one side is open the wrong way round */
		return (fcntl(out, F_GETFL) & O_ACCMODE) == O_RDONLY ?
		    COPY_OUT : COPY_IN;
	if (e == EPIPE || e == ENOSPC || e == EDQUOT || e == EFBIG ||
	    e == EIO)
		return COPY_OUT;
	return COPY_IN;
}

/* -1 with c->failed set to side; errno as it was */
static int
failed(struct copy *c, int side)
{
	c->failed = side;
	return -1;
}

/* whether a read of fd would not wait now */
static int
readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

/* whether every wait of d is for ever (no -t) */
static int
forever(const struct deadline *d)
{
	return d == NULL || d->each == TIMEOUT_NONE;
}

/*
 * Wait for input only where splice(2) said it would block on it: a poll
 * before every splice costs a wake-up a chunk. The first wait stays: a
 * FIFO opened before any writer reads as EOF until one came, and
 * poll(2) knows better. With no bound on either side, splice waits in
 * the kernel: a full or empty pipe then costs no EAGAIN and two polls
 * (a descriptor opened O_NONBLOCK still says EAGAIN, and is polled).
 */
static int
splice_loop(int in, int out, struct copy *c)
{
	unsigned int fl = SPLICE_F_MOVE;
	int need_in = 1;
	ssize_t n;

	if (!forever(c->din) || !forever(c->dout))
		fl |= SPLICE_F_NONBLOCK;
	for (;;) {
		if (need_in && wait_side(in, POLLIN, c->din) == -1)
			return failed(c, COPY_IN);
		need_in = 0;
		n = splice(in, NULL, out, NULL, CHUNK, fl);
		if (n > 0) {
			c->done += (uintmax_t)n;
			progress_add((uintmax_t)n);
			continue;
		}
		if (n == 0)
			return 0;
		if (errno == EINVAL && c->done == 0)
			return FALLBACK;
		if (errno == EINTR)
			continue;
		if (errno == EPIPE && in_ended(in))
			return 0;
		if (errno != EAGAIN)
			return failed(c, side_failed(out));
		/* which side would wait: nothing in, or no room out */
		if (!readable(in))
			need_in = 1;
		else if (wait_side(out, POLLOUT, c->dout) == -1)
			return failed(c, COPY_OUT);
	}
}

/*
 * All of p to fd, each wait for room bounded as d's is (NULL: forever).
 * 0, or -1 with errno (ETIMEDOUT); *done, where given, is what went.
 */
int
copy_write(int fd, const char *p, size_t len, const struct deadline *d,
    size_t *done)
{
	size_t got = 0;
	ssize_t n;
	int r = 0;

	while (got < len) {
		n = write(fd, p + got, len - got);
		if (n > 0) {
			got += (size_t)n;
			progress_add((uintmax_t)n);
		} else if (n < 0 && errno == EAGAIN) {
			if ((r = wait_side(fd, POLLOUT, d)) == -1)
				break;
		} else if (n < 0 && errno != EINTR) {
			r = -1;
			break;
		}
	}
	if (done != NULL)
		*done = got;
	return r;
}

/* what was read and not written is lost: c->lost counts it */
static int
rw_loop(int in, int out, struct copy *c)
{
	char buf[RWBUF];
	size_t w;
	ssize_t n;

	for (;;) {
		if (wait_side(in, POLLIN, c->din) == -1)
			return failed(c, COPY_IN);
		n = read(in, buf, sizeof(buf));
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return failed(c, COPY_IN);
		}
		if (copy_write(out, buf, (size_t)n, c->dout, &w) == -1) {
			c->done += w;
			c->lost = (uintmax_t)n - w;
			return failed(c, COPY_OUT);
		}
		c->done += (uintmax_t)n;
	}
}

/*
 * The len bytes in our pipe p to out with read/write: splice refused
 * out after they were taken. FALLBACK once they are all written, for
 * read/write to go on; -1 with c->lost what was not.
 */
static int
relay_drain(int p, int out, size_t len, struct copy *c)
{
	char buf[RWBUF];
	size_t w;
	ssize_t n;

	while (len > 0) {
		n = read(p, buf, len < sizeof(buf) ? len : sizeof(buf));
		if (n <= 0) {		/* our own pipe: cannot happen */
			c->lost = len;
			return failed(c, COPY_OUT);
		}
		if (copy_write(out, buf, (size_t)n, c->dout, &w) == -1) {
			c->done += w;
			c->lost = len - w;
			return failed(c, COPY_OUT);
		}
		c->done += (uintmax_t)n;
		len -= (size_t)n;
	}
	return FALLBACK;
}

/*
 * The len bytes in our pipe p to out. 0; FALLBACK, drained; or -1 with
 * c->lost what is still in the pipe: taken from the input, never
 * written.
 */
static int
relay_out(int p, int out, size_t len, unsigned int fl, struct copy *c)
{
	ssize_t n;

	while (len > 0) {
		n = splice(p, NULL, out, NULL, len, fl);
		if (n > 0) {
			len -= (size_t)n;
			c->done += (uintmax_t)n;
			progress_add((uintmax_t)n);
			continue;
		}
		if (n == 0)
			errno = EIO;
		else if (errno == EINTR)
			continue;
		else if (errno == EINVAL)
			return relay_drain(p, out, len, c);
		else if (errno == EAGAIN &&
		    wait_side(out, POLLOUT, c->dout) == 0)
			continue;
		c->lost = len;
		return failed(c, COPY_OUT);
	}
	return 0;
}

/*
 * Neither side a pipe: in to our pipe p, and that to out, 1 MiB at a
 * time. The pipe is empty before each take, so a take waits only for
 * input, and a put only for room. With a bound, every take waits first
 * (a blocking TCP socket would not heed SPLICE_F_NONBLOCK). FALLBACK
 * where splice refuses a side, our pipe empty. sendfile(2) from a file
 * into a Unix socket was slower (1 GiB: 12k context switches, 180 ms of
 * CPU, against 8k and 151 ms this way).
 */
static int
relay_loop(int in, int out, const int p[2], struct copy *c)
{
	unsigned int fl = SPLICE_F_MOVE;
	int timed = !forever(c->din) || !forever(c->dout);
	int need_in = timed, r;
	ssize_t n;

	if (timed)
		fl |= SPLICE_F_NONBLOCK;
	for (;;) {
		if (need_in && wait_side(in, POLLIN, c->din) == -1)
			return failed(c, COPY_IN);
		need_in = timed;
		n = splice(in, NULL, p[1], NULL, CHUNK, fl);
		if (n > 0) {
			if ((r = relay_out(p[0], out, (size_t)n, fl, c)) != 0)
				return r;
			continue;
		}
		if (n == 0)
			return 0;
		if (errno == EINVAL)
			return FALLBACK;
		if (errno == EAGAIN)
			need_in = 1;
		else if (errno != EINTR)
			return failed(c, COPY_IN);
	}
}

/* through a pipe of our own, made and closed here: FALLBACK without one */
static int
relay(int in, int out, struct copy *c)
{
	int p[2], r, e;

	if (pipe2(p, O_CLOEXEC) == -1)
		return FALLBACK;
	copy_grow(p[1]);
	r = relay_loop(in, out, p, c);
	e = errno;
	close(p[0]);
	close(p[1]);
	errno = e;
	return r;
}

/*
 * Copy in to out until in ends. c->din and c->dout bound each wait for
 * input and for room in the output (NULL: forever). 0 at the end of
 * input; -1 with errno (ETIMEDOUT for a wait that ran out) and
 * c->failed saying which side. c->done counts the bytes copied, and
 * c->lost, after an output's failure, those taken and not written.
 */
int
copy_stream(int in, int out, struct copy *c)
{
	int r, pin = is_pipe(in), pout = is_pipe(out);

	c->done = c->lost = 0;
	c->failed = 0;
	if (pin || pout) {
		if (pin)
			copy_grow(in);
		if (pout)
			copy_grow(out);
		r = splice_loop(in, out, c);
	} else
		r = relay(in, out, c);
	return r != FALLBACK ? r : rw_loop(in, out, c);
}
