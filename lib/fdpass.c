/*
 * Descriptors passed over Unix sockets (SCM_RIGHTS). Received ones are
 * close-on-exec from the moment they arrive (MSG_CMSG_CLOEXEC), so none
 * leaks into a command but the one they are placed for.
 */
#include <sys/socket.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

union ctl {
	struct cmsghdr h;
	char buf[CMSG_SPACE(sizeof(int) * FDPASS_MAX)];
};

/* len bytes of p with n descriptors; what sendmsg(2) returns */
ssize_t
fdpass_send(int sock, const void *p, size_t len, const int *fds, size_t n)
{
	struct iovec iov = { (void *)p, len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	union ctl c;
	struct cmsghdr *h;
	ssize_t r;

	if (n > 0) {
		memset(&c, 0, sizeof(c));
		mh.msg_control = c.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * n);
		h = CMSG_FIRSTHDR(&mh);
		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN(sizeof(int) * n);
		memcpy(CMSG_DATA(h), fds, sizeof(int) * n);
	}
	while ((r = sendmsg(sock, &mh, MSG_NOSIGNAL)) == -1 && errno == EINTR)
		;
	return r;
}

/*
 * len bytes (at least one) to a stream, the n descriptors riding on the
 * first of them: a stream carries rights only with data (sendmsg(2) of
 * no bytes returns 0 and they never arrive). Each wait for room as d
 * allows. 0 once the kernel has taken every byte and the rights with
 * them; -1 with errno, *done the bytes it took.
 */
int
fdpass_write(int sock, const char *p, size_t len, const int *fds, size_t n,
    const struct deadline *d, size_t *done)
{
	struct deadline w;
	ssize_t r;
	size_t rest = 0;

	*done = 0;
	while ((r = fdpass_send(sock, p, len, fds, n)) == -1) {
		w = deadline_again(d);
		if ((errno != EAGAIN && errno != ENOBUFS) ||
		    wait_fd(sock, POLLOUT, &w) == -1)
			return -1;
	}
	progress_add((uintmax_t)r);
	*done = (size_t)r;
	if (copy_write(sock, p + r, len - (size_t)r, d, &rest) == -1) {
		*done += rest;
		return -1;
	}
	*done = len;
	return 0;
}

/*
 * Up to len bytes into p, and the descriptors that came with them into
 * fds (FDPASS_MAX at most), *n of them. What recvmsg(2) returns; more
 * descriptors than fit is EMSGSIZE, with those that came closed.
 */
ssize_t
fdpass_recv(int sock, void *p, size_t len, int *fds, size_t *n)
{
	struct iovec iov = { p, len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	union ctl c;
	struct cmsghdr *h;
	size_t k;
	ssize_t r;

	*n = 0;
	mh.msg_control = c.buf;
	mh.msg_controllen = sizeof(c.buf);
	while ((r = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC)) == -1 &&
	    errno == EINTR)
		;
	if (r == -1)
		return -1;
	for (h = CMSG_FIRSTHDR(&mh); h != NULL; h = CMSG_NXTHDR(&mh, h)) {
		if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS)
			continue;
		k = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		if (*n + k > FDPASS_MAX)
			k = FDPASS_MAX - *n;
		memcpy(fds + *n, CMSG_DATA(h), k * sizeof(int));
		*n += k;
	}
	if (mh.msg_flags & MSG_CTRUNC) {
		for (k = 0; k < *n; k++)
			close(fds[k]);
		*n = 0;
		errno = EMSGSIZE;
		return -1;
	}
	return r;
}

/*
 * The credentials the kernel took of the other end of a connected Unix
 * socket at connect(2) (SO_PEERCRED): 0, or -1 with errno and *uc zeroed.
 */
int
fdpass_peer(int sock, struct ucred *uc)
{
	socklen_t len = sizeof(*uc);

	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, uc, &len) == 0)
		return 0;
	memset(uc, 0, sizeof(*uc));
	return -1;
}

/*
 * Put fds[i] at 3 + i with close-on-exec cleared, for a command to take.
 * A descriptor already sitting where another must go is moved out of the
 * way first, so none is lost. 0, or -1 with errno.
 */
int
fdpass_place(const int *fds, size_t n)
{
	int tmp[FDPASS_MAX], lowest = 3 + (int)n;
	size_t i;

	for (i = 0; i < n; i++)
		if ((tmp[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, lowest)) == -1)
			return -1;
	for (i = 0; i < n; i++)
		close(fds[i]);
	for (i = 0; i < n; i++) {
		if (dup2(tmp[i], 3 + (int)i) == -1)
			return -1;
		close(tmp[i]);
	}
	return 0;
}
