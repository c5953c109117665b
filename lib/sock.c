/*
 * Sockets made from addresses: connected, bounded by a deadline; or
 * bound, a path's socket file made through its directory's descriptor
 * with the mode exactly, a stale one replaced, a live one refused.
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <err.h>
#include <grp.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

int
sock_open(const struct addr *a)
{
	return socket(a->sa.ss_family, a->type | SOCK_CLOEXEC, 0);
}

static int
set_block(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);

	return fcntl(fd, F_SETFL, on ? fl & ~O_NONBLOCK : fl | O_NONBLOCK);
}

struct conn {
	int fd;
	const struct addr *a;
};

static int
connect_call(void *arg)
{
	const struct conn *c = arg;

	return connect(c->fd, (const struct sockaddr *)&c->a->sa, c->a->len);
}

/* TCP and UDP: in progress, then poll(2) says when it is done */
static int
connect_inet(int fd, const struct addr *a, const struct deadline *d)
{
	socklen_t len = sizeof(int);
	int e = 0;

	set_block(fd, 0);
	if (connect(fd, (const struct sockaddr *)&a->sa, a->len) == 0)
		return set_block(fd, 1);
	if (errno != EINPROGRESS && errno != EINTR)
		return -1;
	if (wait_fd(fd, POLLOUT, d) == -1)
		return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) == -1)
		return -1;
	if (e != 0) {
		errno = e;
		return -1;
	}
	return set_block(fd, 1);
}

/*
 * A Unix socket's connect(2) waits while the listener's backlog is full
 * and poll(2) cannot wait for that: the call itself is bounded by a timer.
 */
static int
connect_unix(int fd, const struct addr *a, const struct deadline *d)
{
	struct conn c = { fd, a };
	int r;

	if (deadline_ms(d) != 0)
		return wait_call(connect_call, &c, d);
	set_block(fd, 0);
	if ((r = connect_call(&c)) == -1 && errno == EAGAIN)
		errno = ETIMEDOUT;
	if (r == 0)
		set_block(fd, 1);
	return r;
}

/* a socket connected to a, bounded by d; -1 with errno (ETIMEDOUT) */
int
sock_connect(const struct addr *a, const struct deadline *d)
{
	int fd, r, e;

	if ((fd = sock_open(a)) == -1)
		return -1;
	if (a->kind == ADDR_TCP || a->kind == ADDR_UDP)
		r = connect_inet(fd, a, d);
	else
		r = connect_unix(fd, a, d);
	if (r == 0)
		return fd;
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

/* connect_child's inputs, and what it sends back over sp */
struct as {
	const struct addr *a;
	int peer;
	const struct deadline *d;
	int sp[2];			/* ours; the child's */
	int fd, e;			/* the socket, or why not */
	size_t n;			/* sockets received: 1, or 0 */
};

/*
 * In a child: become who is at the other end of peer (uid, gid and
 * groups, as SO_PEERCRED and SO_PEERGROUPS say), connect to a, and send
 * the socket back, or the errno that stopped it.
 */
static int
connect_child(void *arg)
{
	struct as *x = arg;
	struct ucred uc;
	socklen_t glen = NGROUPS_MAX * sizeof(gid_t);
	gid_t *groups = malloc(glen);
	int fd = -1, e = 0;

	close(x->sp[0]);
	if (groups == NULL ||
	    fdpass_peer(x->peer, &uc) == -1 ||
	    getsockopt(x->peer, SOL_SOCKET, SO_PEERGROUPS, groups,
	    &glen) == -1 ||
	    setgroups(glen / sizeof(gid_t), groups) == -1 ||
	    setgid(uc.gid) == -1 || setuid(uc.uid) == -1 ||
	    (fd = sock_connect(x->a, x->d)) == -1)
		e = errno;
	fdpass_send(x->sp[1], &e, sizeof(e), &fd, fd != -1);
	return 0;
}

/* ours, beside it: the socket it sends back, or its errno */
static int
connect_back(void *arg)
{
	struct as *x = arg;

	close(x->sp[1]);
	if (fdpass_recv(x->sp[0], &x->e, sizeof(x->e), &x->fd, &x->n) == -1)
		x->e = errno;
	return 0;
}

/*
 * A socket connected to a as the process at the other end of the Unix
 * socket peer: the server's check of SO_PEERCRED sees that process's
 * uid and gid, not ours (our pid, though). Needs root. -1 with errno.
 */
int
sock_connect_as(const struct addr *a, int peer, const struct deadline *d)
{
	struct as x = { .a = a, .peer = peer, .d = d, .fd = -1, .e = EIO };

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, x.sp) == -1)
		return -1;
	if (child_beside(connect_child, connect_back, &x) == -1) {
		x.e = errno;
		close(x.sp[1]);
	}
	close(x.sp[0]);
	if (x.n == 1)
		return x.fd;
	errno = x.e != 0 ? x.e : EIO;
	return -1;
}

/*
 * Whether anybody is bound to the socket file at a->path (st), asked of
 * unix_diag: 1, 0, or -1 with errno. Without it, connect(2) is the only test left: refused
 * means stale (a listener would see the probe, and it is one only then).
 */
int
sock_live(const struct addr *a, const struct stat *st)
{
	int r, fd;

	if ((r = udiag_bound(st, NULL)) != -1)
		return r;
	if ((fd = sock_open(a)) == -1)
		return -1;
	r = connect(fd, (const struct sockaddr *)&a->sa, a->len) == 0 ||
	    (errno != ECONNREFUSED && errno != ENOENT);
	close(fd);
	return r;
}

/* path_rm's last look: still nobody bound, where unix_diag can say */
int
sock_unbound(const struct stat *st)
{
	return udiag_bound(st, NULL) != 1;
}

/*
 * What stands at the path first: nothing, or a stale socket file, which
 * goes. Anything else stays: EEXIST (not a socket), EADDRINUSE (live).
 */
static int
clear_path(int dfd, const char *base, const struct addr *a)
{
	struct stat st;
	int r;

	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		errno = EEXIST;
		return -1;
	}
	if ((r = sock_live(a, &st)) != 0) {
		errno = r == 1 ? EADDRINUSE : errno;
		return -1;
	}
	if ((r = path_rm(a->path, S_IFSOCK, sock_unbound)) == PATH_OK)
		return 0;
	errno = r == -1 ? errno : EADDRINUSE;
	return r == -1 && errno == ENOENT ? 0 : -1;
}

/*
 * bind(2) has no "at" form: it binds from the directory itself (fchdir),
 * so the socket file goes where the check looked, never through a
 * symlink or a directory swapped since. The umask is the mode's inverse
 * for that one call, so the file is never wider than asked, not even for
 * a moment. The kernel keeps the name as bound: the last component.
 */
static int
bind_path(int fd, struct addr *a, mode_t mode)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char base[NAME_MAX + 1];
	int dfd, cwd = -1, r = -1, e;
	mode_t um;

	if ((dfd = path_parent(a->path, base)) == -1)
		return -1;
	if (clear_path(dfd, base, a) == -1 ||
	    (cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    fchdir(dfd) == -1)
		goto out;
	strlcpy(sun.sun_path, base, sizeof(sun.sun_path));
	um = umask(~mode & 0777);
	r = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	e = errno;
	umask(um);
	if (fchdir(cwd) == -1)
		err(1, "%s: cannot return to the working directory",
		    verb_name);
	errno = e;
	if (r == 0 && cleanup_unlink(a->path) == -1)
		r = -1;
out:
	e = errno;
	close(dfd);
	if (cwd != -1)
		close(cwd);
	errno = e;
	return r;
}

/* port 0 took a free port: say which, so a script can use it */
static void
say_port(int fd, const struct addr *a)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char buf[ADDR_BUF];

	if (a->port != 0 || getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return;
	addr_str((struct sockaddr *)&ss, len, buf, sizeof(buf));
	fprintf(stderr, "%s: %s %s:%s\n", getprogname(), verb_name,
	    a->kind == ADDR_TCP ? "tcp" : "udp", buf);
}

/*
 * A socket bound to a (and listening, for connections), a path's file
 * made with mode and removed on every exit. -1 with errno: EEXIST, not
 * a socket there; EADDRINUSE, somebody is bound there.
 */
int
sock_bind(struct addr *a, mode_t mode, int backlog)
{
	int fd, r, e, one = 1;

	if ((fd = sock_open(a)) == -1)
		return -1;
	if (a->kind == ADDR_PATH)
		r = bind_path(fd, a, mode);
	else {
		if (a->kind == ADDR_TCP)
			setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
			    sizeof(one));
		r = bind(fd, (struct sockaddr *)&a->sa, a->len);
	}
	if (r == 0 && a->type != SOCK_DGRAM && backlog > 0)
		r = listen(fd, backlog);
	if (r == 0) {
		if (a->kind == ADDR_TCP || a->kind == ADDR_UDP)
			say_port(fd, a);
		return fd;
	}
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

/* why sock_bind failed, for the error line */
const char *
sock_bind_why(int e)
{
	if (e == EEXIST)
		return "exists and is not a socket";
	if (e == EADDRINUSE)
		return "Address already in use (a live socket is bound there)";
	return strerror(e);
}
