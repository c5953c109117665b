/* ipc-sock: Unix sockets (path and abstract), TCP and UDP. */
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

#define LISTEN_MAX	64		/* listen -e: connections served at once */
#define LINE_BUF	(1 << 16)	/* recv of lines: the longest line */
#define NAMES_MAX	FDPASS_MAX	/* activate: addresses at most */
#define NAME_LEN	255		/* activate: a --name's bytes at most */
#define LEFT_MAX	(1 << 16)	/* recv: datagrams left, counted at most */

enum { O_TYPE = OPT_LONG, O_PASSFD, O_TAKEFD, O_NAME, O_KILLAFTER };

static const struct optdef type_opt[] = {
	{ O_TYPE, "type", "TYPE", "stream (default), dgram or seqpacket" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef listen_opts[] = {
	{ 'e', "exec", "CMD",
	    "sh -c CMD per connection, on its stdin/stdout, up to -n at once" },
	{ '1', "once", NULL, "serve one connection, then exit" },
	{ 'n', "max", "MAX", "-e: connections served at once (default 64)" },
	{ O_KILLAFTER, "kill-after", "DUR",
	    "-e: SIGKILL the CMDs DUR after a signal ends us (default never)" },
	{ O_TYPE, "type", "TYPE", "stream (default) or seqpacket" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef activate_opts[] = {
	{ O_NAME, "name", "NAME", "LISTEN_FDNAMES entry of each ADDR, in order" },
	{ O_TYPE, "type", "TYPE", "stream (default), dgram or seqpacket" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef send_opts[] = {
	{ O_PASSFD, "pass-fd", "N", "pass open descriptor N (SCM_RIGHTS)" },
	{ O_TYPE, "type", "TYPE", "stream (default), dgram or seqpacket" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef recv_opts[] = {
	{ O_TAKEFD, "take-fd", NULL,
	    "exec CMD with the descriptors received as fd 3, 4, ..." },
	{ O_TYPE, "type", "TYPE", "stream (default), dgram or seqpacket" },
	{ 0, NULL, NULL, NULL }
};

/* ADDR from the operand, as --type and the verb allow */
static void
parse_addr(const char *s, int flags, struct addr *a)
{
	addr_parse(s, opt.val[O_TYPE] ? addr_type(opt.val[O_TYPE]) : 0, flags,
	    a);
	stdout_name(s);
}

/* the one ADDR operand at argv[i] */
static void
one_addr(int argc, char *argv[], int i, int flags, struct addr *a)
{
	parse_addr(opt_operand(argc, argv, i, "ADDR"), flags, a);
}

static void __attribute__((noreturn))
failed(const struct addr *a, const char *doing)
{
	if (errno == ETIMEDOUT)
		errx(EXIT_TIMEOUT, "%s %s: timed out %s", opt.verb->name,
		    esc_name(a->arg), doing);
	err(1, "%s %s", opt.verb->name, esc_name(a->arg));
}

static int
connect_to(const struct addr *a, const struct deadline *d)
{
	int fd;

	if ((fd = sock_connect(a, d)) == -1)
		failed(a, "connecting");
	return fd;
}

static int
bind_to(struct addr *a, int backlog)
{
	int fd;

	if ((fd = sock_bind(a, opt.has_mode ? opt.mode : 0600, backlog)) == -1)
		errx(1, "%s %s: %s", opt.verb->name, esc_name(a->arg),
		    sock_bind_why(errno));
	return fd;
}

/* a connection from the listener, waited for as -t allows */
static int
accept_one(int lfd, const struct addr *a, const struct deadline *d)
{
	int fd;

	msgout_flush();
	for (;;) {
		if (wait_fd(lfd, POLLIN, d) == -1)
			failed(a, "waiting for a connection");
		if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) != -1)
			return fd;
		if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			failed(a, "");
	}
}

/* --- send --- */

/* every --pass-fd, each an open descriptor; a usage error otherwise */
static size_t
pass_fds(int *fds)
{
	const char *v[FDPASS_MAX];
	size_t i, n = opt_all(O_PASSFD, v, FDPASS_MAX);

	for (i = 0; i < n; i++) {
		fds[i] = (int)num_int(v[i], "--pass-fd", 0, INT_MAX);
		if (fcntl(fds[i], F_GETFD) == -1)
			usage_error("--pass-fd %s: %s", v[i], strerror(errno));
	}
	return n;
}

struct out {
	int fd;
	const struct addr *a;
	const struct deadline *d;
	const int *fds;			/* to go with the first message */
	size_t nfds;
};

/* one datagram or record; descriptors with the first */
static int
put_dgram(void *arg, const char *p, size_t len)
{
	struct out *o = arg;
	ssize_t n;

	for (;;) {
		n = fdpass_send(o->fd, p, len, o->fds, o->nfds);
		if (n >= 0)
			break;
		if (errno != EAGAIN && errno != ENOBUFS)
			return -1;
		if (wait_fd(o->fd, POLLOUT, o->d) == -1)
			return -1;
	}
	o->nfds = 0;
	progress_add((uintmax_t)n);
	return 0;
}

/* the largest datagram the kernel takes from this socket */
static size_t
dgram_limit(const struct out *o, const char **name)
{
	socklen_t l = sizeof(int);
	int sndbuf = 0;

	if (o->a->kind == ADDR_UDP) {
		*name = "UDP";
		return o->a->sa.ss_family == AF_INET6 ? 65527 : 65507;
	}
	*name = "SO_SNDBUF";
	getsockopt(o->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, &l);
	return sndbuf > 64 ? (size_t)sndbuf - 32 : 0;
}

static void
send_dgrams(struct out *o, char **operands)
{
	struct msgdest dest = { .name = o->a->arg, .put = put_dgram, .arg = o,
	    .mode = MSGIN_ASKED };

	dest.limit = dgram_limit(o, &dest.limitname);
	if (o->nfds > 0 && *operands == NULL) {
		if (put_dgram(o, "", 0) == -1)
			failed(o->a, "waiting for room");
		return;
	}
	msgin_send(&dest, operands);
}

/* a stream's write failed (e) after sent bytes went */
static void
stream_failed(const struct addr *a, int e, uintmax_t sent)
{
	if (e == ETIMEDOUT && sent > 0)
		errx(EXIT_TIMEOUT, "send %s: timed out waiting for room: %ju "
		    "bytes sent", esc_name(a->arg), sent);
	errno = e;
	failed(a, "waiting for room");
}

/* operands, lines or records, each framed as echo and printf '%s\0' do */
static void
send_framed(struct out *o, char **operands)
{
	struct batch b = { .fd = o->fd, .d = o->d, .fds = o->fds,
	    .nfds = o->nfds };
	char term = opt.null ? '\0' : '\n';
	int r;

	if (*operands == NULL) {
		if ((r = batch_stream(&b, 0, term)) == -2)
			err(1, "send %s: stdin", esc_name(o->a->arg));
		if (r == -1)
			stream_failed(o->a, errno, b.bytes);
	} else {
		for (; *operands != NULL; operands++)
			if (batch_put(&b, *operands, strlen(*operands),
			    term) == -1)
				stream_failed(o->a, errno, b.bytes);
		if (batch_flush(&b) == -1)
			stream_failed(o->a, errno, b.bytes);
	}
	o->nfds = b.nfds;
}

/*
 * A Unix socket's send buffer (wmem_default, 208 KiB) is what bounds
 * each splice(2) into it and how often the two ends wake each other:
 * as large as the 1 MiB pipe in front of it, where wmem_max allows (the
 * kernel doubles it). Not TCP: a set size would end its autotuning.
 */
static void
grow_sndbuf(const struct out *o)
{
	int size = 1 << 20;

	if (o->a->kind != ADDR_TCP && o->a->kind != ADDR_UDP)
		(void)setsockopt(o->fd, SOL_SOCKET, SO_SNDBUF, &size,
		    sizeof(size));
}

/* stdin byte for byte */
static void
send_copy(struct out *o)
{
	struct copy c = { .dout = o->d };

	grow_sndbuf(o);
	if (copy_stream(0, o->fd, &c) == 0)
		return;
	if (c.failed == COPY_IN)
		err(1, "send %s: stdin", esc_name(o->a->arg));
	stream_failed(o->a, errno, c.done);
}

/*
 * A byte stream: descriptors ride on the first byte of data, and with
 * no data a lone NUL carries them (a stream cannot carry them on
 * nothing). With them and no MSG, stdin is not read: it may be the
 * descriptor passed, and a read would move its offset.
 */
static void
send_stream(struct out *o, char **operands)
{
	if (*operands != NULL || opt.lines || opt.null)
		send_framed(o, operands);
	else if (o->nfds == 0)
		send_copy(o);
	if (o->nfds > 0 && put_dgram(o, "", 1) == -1)
		failed(o->a, "waiting for room");
}

static int
sock_send(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "timeout lines null progress", send_opts);
	int fds[FDPASS_MAX];
	struct deadline d;
	struct addr a;
	struct out o = { .a = &a, .d = &d, .fds = fds };

	if (i == argc)
		usage_error("missing ADDR");
	parse_addr(argv[i++], 0, &a);
	o.nfds = pass_fds(fds);
	if (o.nfds > 0 && (a.kind == ADDR_TCP || a.kind == ADDR_UDP))
		usage_error("--pass-fd: %s is not a Unix socket", a.arg);
	deadline_set(&d, opt.timeout);
	o.fd = connect_to(&a, &d);
	if (opt.timeout != TIMEOUT_NONE)
		fcntl(o.fd, F_SETFL, fcntl(o.fd, F_GETFL) | O_NONBLOCK);
	progress_start(opt.progress,
	    argv[i] != NULL ? PROGRESS_UNKNOWN : progress_fdsize(0), 0);
	if (a.type == SOCK_STREAM)
		send_stream(&o, argv + i);
	else
		send_dgrams(&o, argv + i);
	if (a.type == SOCK_STREAM && shutdown(o.fd, SHUT_WR) == -1 &&
	    errno != ENOTCONN)
		failed(&a, "");
	close(o.fd);
	return 0;
}

/* --- recv --- */

struct peer {
	char pid[16], uid[16], gid[16];
	char addr[ADDR_BUF];
	struct meta m[4];
	size_t n;
};

/* -v and -j: who sent it, as the socket says */
static void
peer_meta(struct peer *p, const struct ucred *uc, const struct sockaddr *sa,
    socklen_t len)
{
	p->n = 0;
	if (uc != NULL) {
		p->m[p->n++] = (struct meta){ "pid", NULL, uc->pid };
		p->m[p->n++] = (struct meta){ "uid", NULL, uc->uid };
		p->m[p->n++] = (struct meta){ "gid", NULL, uc->gid };
	}
	if (sa != NULL && len > 0) {
		addr_str(sa, len, p->addr, sizeof(p->addr));
		p->m[p->n++] = (struct meta){ "addr", p->addr, 0 };
	}
}

static void
conn_meta(int fd, const struct addr *a, struct peer *p)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct ucred uc;

	if (a->kind == ADDR_TCP) {
		getpeername(fd, (struct sockaddr *)&ss, &len);
		peer_meta(p, NULL, (struct sockaddr *)&ss, len);
	} else if (fdpass_peer(fd, &uc) == 0)
		peer_meta(p, &uc, NULL, 0);
	else
		peer_meta(p, NULL, NULL, 0);
}

/* stdout failed after bytes were taken from the socket: they are gone */
static void
lost(const struct addr *a, uintmax_t n)
{
	if (n == 0)
		stdout_failed();
	err(1, "%s %s: stdout (%ju bytes taken from the socket were lost)",
	    opt.verb->name, esc_name(a->arg), n);
}

/* a connection's bytes to stdout, to its end */
static int
copy_conn(int fd, const struct addr *a, const struct deadline *d)
{
	struct copy c = { .din = d };

	if (copy_stream(fd, STDOUT_FILENO, &c) == 0)
		return 0;
	if (c.failed == COPY_OUT)
		lost(a, c.lost);
	if (errno == ETIMEDOUT)
		return msgout_timed_out(a->arg, "", c.done, "bytes", opt.follow);
	warn("recv %s: the peer", esc_name(a->arg));
	return 1;
}

struct lines {
	char buf[LINE_BUF];
	size_t len;
	int eof;
};

/*
 * The next line of the connection, newline dropped: 1; 2 for a last
 * one without its newline; 0 at its end; -1 when the wait ran out
 */
static int
next_line(int fd, struct lines *l, const struct addr *a,
    const struct deadline *d, size_t *len)
{
	char *nl;
	ssize_t n;

	for (;;) {
		if ((nl = memchr(l->buf, '\n', l->len)) != NULL) {
			*len = (size_t)(nl - l->buf);
			return 1;
		}
		*len = l->len;
		if (l->eof)
			return l->len > 0 ? 2 : 0;
		if (l->len == sizeof(l->buf))
			errx(1, "recv %s: a line longer than %d bytes",
			    esc_name(a->arg), LINE_BUF);
		msgout_flush();
		if (wait_fd(fd, POLLIN, d) == -1) {
			if (errno == ETIMEDOUT)
				return -1;
			failed(a, "waiting for a line");
		}
		n = read(fd, l->buf + l->len, sizeof(l->buf) - l->len);
		if (n < 0 && errno != EINTR && errno != EAGAIN)
			failed(a, "");
		if (n > 0)
			l->len += (size_t)n;
		l->eof = n == 0;
	}
}

static void
drop_line(struct lines *l, size_t len)
{
	len = len < l->len ? len + 1 : len;
	memmove(l->buf, l->buf + len, l->len - len);
	l->len -= len;
}

/*
 * What is still queued on fd (and buffered bytes already read from it),
 * about to be closed: said, as close(2) destroys it (TCP answers with a
 * reset). A stream's bytes by FIONREAD; datagrams and records drained,
 * as many as are there now.
 */
static void
left_unread(int fd, const struct addr *a, size_t buffered)
{
	uintmax_t bytes = buffered, msgs = 0;
	int n = 0;
	ssize_t r;
	char c;

	if (a->type == SOCK_STREAM && ioctl(fd, FIONREAD, &n) == 0 && n > 0)
		bytes += (uintmax_t)n;
	while (a->type != SOCK_STREAM && msgs < LEFT_MAX &&
	    (r = recv(fd, &c, 1, MSG_DONTWAIT | MSG_TRUNC)) >= 0 &&
	    (r > 0 || a->type == SOCK_DGRAM)) {
		bytes += (uintmax_t)r;
		msgs++;
	}
	if (a->type == SOCK_STREAM && bytes > 0)
		warnx("recv %s: %ju bytes left unread, lost", esc_name(a->arg),
		    bytes);
	else if (msgs > 0)
		warnx("recv %s: %ju bytes (%ju %s) left unread, lost",
		    esc_name(a->arg), bytes, msgs, a->type == SOCK_DGRAM ?
		    "datagrams" : "records");
}

/*
 * A last line without its newline (a peer that stopped mid-line, a wait
 * that ran out): written as it came, as -r would, and said; never
 * completed, never dropped
 */
static void
torn_line(const struct addr *a, const struct peer *p, const char *buf,
    size_t len)
{
	struct msgfmt fmt = MSGFMT_ASKED;

	fmt.raw = 1;		/* msgout's terminator, left off this once */
	msgout(&fmt, p->m, p->n, buf, len);
	msgout_flush();
	warnx("recv %s: last line incomplete: %zu bytes", esc_name(a->arg),
	    len);
}

/* -c N, -v, -j on a stream: each line a message */
static uintmax_t
recv_lines(int fd, const struct addr *a, const struct deadline *d,
    uintmax_t before, uintmax_t want)
{
	static struct lines l;
	struct msgfmt fmt = MSGFMT_ASKED;
	struct peer p;
	uintmax_t got = 0;
	size_t len;
	int r;

	conn_meta(fd, a, &p);
	l.len = 0;
	l.eof = 0;
	while (got < want && (r = next_line(fd, &l, a, d, &len)) != 0) {
		if (r == 1)
			msgout(&fmt, p.m, p.n, l.buf, len);
		else if (len > 0)
			torn_line(a, &p, l.buf, len);
		if (r == -1)
			exit(msgout_timed_out(a->arg, "waiting for a line",
			    before + got, "lines", opt.follow));
		drop_line(&l, len);
		got++;
	}
	if (got == want)
		left_unread(fd, a, l.len);
	return got;
}

/* a stream socket: a connection to its end; -f: one after another */
static int
recv_stream(int lfd, const struct addr *a, const struct deadline *d)
{
	uintmax_t got = 0, want = opt.count ? opt.count : UINTMAX_MAX;
	int fd, r;

	do {
		stdout_ready();
		fd = accept_one(lfd, a, d);
		if (opt.count || opt.verbose || opt.json)
			got += recv_lines(fd, a, d, got, want - got);
		else if ((r = copy_conn(fd, a, d)) != 0)
			return r;
		close(fd);
	} while (opt.follow || (opt.count && got < want));
	return 0;
}

struct dgram {
	uintmax_t got;			/* messages taken so far */
	int fd;
	const struct addr *a;
	const struct deadline *d;
	char *buf;
	size_t cap;
};

/*
 * Room for the largest datagram a sender can make, so each is taken
 * whole in one call, never peeked at first: 64 KiB over UDP; on a Unix
 * socket a sender's buffer, which SO_SNDBUF raises to twice wmem_max.
 * Only SO_SNDBUFFORCE (CAP_NET_ADMIN) goes past that, and such a
 * datagram is reported, never printed cut. Untouched, the room costs
 * no memory.
 */
static void
dgram_room(struct dgram *g)
{
	uintmax_t w;

	if (g->a->kind == ADDR_UDP)
		g->cap = 65536;
	else if (sysctl_num("/proc/sys/net/core/wmem_max", &w) == 0 &&
	    w < SIZE_MAX / 4)
		g->cap = (size_t)w * 2 + 1;
	else
		g->cap = 1 << 23;
	if ((g->buf = malloc(g->cap)) == NULL)
		err(1, NULL);
}

/* one datagram, waited for; what recvmsg(2) returns */
static size_t
dgram_recv(struct dgram *g, struct msghdr *mh)
{
	ssize_t n;

	for (;;) {
		n = recvmsg(g->fd, mh, MSG_DONTWAIT | MSG_TRUNC |
		    MSG_CMSG_CLOEXEC);
		if (n >= 0)
			break;
		if (errno != EAGAIN && errno != EINTR)
			failed(g->a, "");
		msgout_flush();
		if (wait_fd(g->fd, POLLIN, g->d) == -1)
			exit(msgout_timed_out(g->a->arg,
			    "waiting for a message", g->got, "messages",
			    opt.follow));
		stdout_ready();
	}
	if ((size_t)n >= g->cap)
		errx(1, "%s %s: a datagram of %zd bytes, more than any sender "
		    "without CAP_NET_ADMIN can send (%zu): not printed cut",
		    opt.verb->name, esc_name(g->a->arg), n, g->cap - 1);
	return (size_t)n;
}

/*
 * Descriptors sent to a recv without --take-fd: closed, and said, as
 * are those the kernel cut (MSG_CTRUNC), never dropped unsaid.
 */
static void
dgram_rights(const struct dgram *g, struct msghdr *mh)
{
	struct cmsghdr *h;
	size_t k, n = 0;
	int *fds;

	for (h = CMSG_FIRSTHDR(mh); h != NULL; h = CMSG_NXTHDR(mh, h)) {
		if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS)
			continue;
		fds = (int *)CMSG_DATA(h);
		for (k = 0; k < (h->cmsg_len - CMSG_LEN(0)) / sizeof(int); k++)
			close(fds[k]);
		n += k;
	}
	if (n > 0 || (mh->msg_flags & MSG_CTRUNC))
		warnx("recv %s: descriptors came with a message: closed, not "
		    "taken (--take-fd takes them)", esc_name(g->a->arg));
}

/* take one datagram, with who sent it, into g->buf */
static size_t
dgram_take(struct dgram *g, struct peer *p)
{
	union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(struct ucred))]; } c;
	struct sockaddr_storage ss;
	struct iovec iov = { g->buf, g->cap };
	struct msghdr mh = { &ss, sizeof(ss), &iov, 1, c.b, sizeof(c.b), 0 };
	struct cmsghdr *h;
	size_t n = dgram_recv(g, &mh);

	/* a Unix sender by its credentials, always there; others by address */
	h = CMSG_FIRSTHDR(&mh);
	if (g->a->kind == ADDR_UDP)
		peer_meta(p, NULL, (struct sockaddr *)&ss, mh.msg_namelen);
	else
		peer_meta(p, h != NULL && h->cmsg_type == SCM_CREDENTIALS ?
		    (struct ucred *)CMSG_DATA(h) : NULL, NULL, 0);
	dgram_rights(g, &mh);
	return n;
}

/*
 * Datagrams and records: one message each, until *got reaches want (or
 * for good, -f). 1 when a seqpacket peer has closed first, else 0.
 */
static int
recv_dgrams(int fd, const struct addr *a, const struct deadline *d,
    uintmax_t *got, uintmax_t want)
{
	struct dgram g = { 0, fd, a, d, NULL, 0 };
	struct msgfmt fmt = MSGFMT_ASKED;
	struct peer p;
	size_t len;
	char byte;
	int closed = 0;

	dgram_room(&g);

	while (opt.follow || *got < want) {
		g.got = *got;
		len = dgram_take(&g, &p);
		/* nothing, and nothing to come: the peer closed */
		if (len == 0 && a->type == SOCK_SEQPACKET &&
		    recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0) {
			closed = 1;
			break;
		}
		msgout(&fmt, p.m, p.n, g.buf, len);
		(*got)++;
	}
	free(g.buf);
	msgout_flush();
	if (!closed)
		left_unread(fd, a, 0);
	return closed;
}

/* seqpacket: a connection's records; -f or -c N: one after another */
static int
recv_records(int lfd, const struct addr *a, const struct deadline *d)
{
	uintmax_t got = 0, want = opt.count ? opt.count : 1;
	int fd, closed;

	do {
		fd = accept_one(lfd, a, d);
		closed = recv_dgrams(fd, a, d, &got, want);
		close(fd);
	} while (closed && (opt.follow || got < want));
	return 0;
}

static int
take_fds(int lfd, const struct addr *a, const struct deadline *d,
    char **cmd)
{
	int fds[FDPASS_MAX], fd = lfd;
	char byte[256];
	size_t n;
	ssize_t r;

	if (a->type != SOCK_DGRAM)
		fd = accept_one(lfd, a, d);
	do {
		if (wait_fd(fd, POLLIN, d) == -1)
			failed(a, "waiting for descriptors");
	} while ((r = fdpass_recv(fd, byte, sizeof(byte), fds, &n)) == -1 &&
	    errno == EAGAIN);
	if (r == -1 && errno == EMSGSIZE)
		errx(125, "recv %s: the descriptors that came were cut by the "
		    "kernel (MSG_CTRUNC): none taken", esc_name(a->arg));
	if (r == -1)
		err(125, "recv %s", esc_name(a->arg));
	if (n == 0)
		errx(125, "recv %s: no descriptor came with the message",
		    esc_name(a->arg));
	if (fdpass_place(fds, n) == -1)
		err(125, "recv %s: placing the descriptors", esc_name(a->arg));
	cleanup_run();
	child_replace(cmd);
}

static int
sock_recv(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "timeout count follow verbose null raw "
	    "json mode progress", recv_opts), fd, one = 1, ncmd = opt.ndashed;
	uintmax_t got = 0;
	struct deadline d;
	struct addr a;

	if (opt.val[O_TAKEFD] != NULL && ncmd <= 0)
		usage_error("--take-fd needs -- CMD...");
	if (opt.val[O_TAKEFD] == NULL && ncmd > 0)
		usage_error("-- CMD goes with --take-fd");
	one_addr(argc - (ncmd > 0 ? ncmd : 0), argv, i, ADDR_BIND, &a);
	if (ncmd > 0)		/* nothing taken for a command that cannot run */
		child_find(argv[argc - ncmd]);
	deadline_set(&d, opt.timeout);
	fd = bind_to(&a, SOMAXCONN);
	/*
	 * a sender's credentials come with each message only where -v or -j
	 * shows them: the kernel takes a reference to the sender's pid and
	 * credentials for every datagram it queues to such a socket
	 */
	if (a.kind != ADDR_TCP && a.kind != ADDR_UDP &&
	    (opt.verbose || opt.json))
		setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	if (ncmd > 0)
		return take_fds(fd, &a, &d, argv + argc - ncmd);
	stdout_ready();
	progress_start(opt.progress, PROGRESS_UNKNOWN, 0);
	if (a.type == SOCK_STREAM)
		return recv_stream(fd, &a, &d);
	if (a.type == SOCK_SEQPACKET)
		return recv_records(fd, &a, &d);
	recv_dgrams(fd, &a, &d, &got, opt.count ? opt.count : 1);
	return 0;
}

/* --- connect --- */

/*
 * Both ways at once: a child copies stdin to the socket and shuts its
 * writing side down at the end; we copy the socket to stdout. Done when
 * both are.
 */
static int
sock_connect_(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "timeout progress", type_opt), fd, st, rc;
	struct deadline d;
	struct copy c = { .din = &d };
	struct addr a;
	pid_t pid;

	one_addr(argc, argv, i, 0, &a);
	/* a request sent whose reply cannot be written is worse than none */
	stdout_ready();
	deadline_set(&d, opt.timeout);
	fd = connect_to(&a, &d);
	progress_start(opt.progress, PROGRESS_UNKNOWN, 1);
	if ((pid = fork()) == -1)
		err(1, "connect %s: fork", esc_name(a.arg));
	if (pid == 0) {
		progress_sending();
		c = (struct copy){ .dout = &d };
		if (copy_stream(STDIN_FILENO, fd, &c) == -1)
			failed(&a, c.failed == COPY_IN ? "reading stdin" :
			    "waiting for room");
		if (shutdown(fd, SHUT_WR) == -1 && errno != ENOTCONN)
			failed(&a, "");
		_exit(0);
	}
	rc = copy_stream(fd, STDOUT_FILENO, &c) == 0 ? 0 :
	    c.failed == COPY_OUT ? (lost(&a, c.lost), 1) :
	    errno == ETIMEDOUT ? msgout_timed_out(a.arg, "", c.done, "bytes",
	    opt.follow) :
	    (warn("connect %s", esc_name(a.arg)), 1);
	if (rc != 0)
		kill(pid, SIGTERM);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	return rc != 0 ? rc : child_status(st);
}

/* --- listen --- */

struct conn_env {
	char pid[32], uid[32], gid[32], addr[ADDR_BUF + 16];
	char *env[5];
};

/* IPC_PEER_*: who is at the other end, as the kernel says */
static void
conn_env(int fd, const struct addr *a, struct conn_env *e)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct ucred uc;
	char buf[ADDR_BUF] = "";
	size_t n = 0;

	if (a->kind != ADDR_TCP && fdpass_peer(fd, &uc) == 0) {
		snprintf(e->pid, sizeof(e->pid), "IPC_PEER_PID=%ld", (long)uc.pid);
		snprintf(e->uid, sizeof(e->uid), "IPC_PEER_UID=%lu",
		    (unsigned long)uc.uid);
		snprintf(e->gid, sizeof(e->gid), "IPC_PEER_GID=%lu",
		    (unsigned long)uc.gid);
		e->env[n++] = e->pid;
		e->env[n++] = e->uid;
		e->env[n++] = e->gid;
	}
	if (getpeername(fd, (struct sockaddr *)&ss, &len) == 0 &&
	    (a->kind == ADDR_TCP || len > sizeof(sa_family_t)))
		addr_str((struct sockaddr *)&ss, len, buf, sizeof(buf));
	snprintf(e->addr, sizeof(e->addr), "IPC_PEER_ADDR=%s", buf);
	e->env[n++] = e->addr;
	e->env[n] = NULL;
}

/* without -e: each connection's bytes to stdout, one after another */
static int
listen_out(int lfd, const struct addr *a)
{
	int fd, r;

	do {
		stdout_ready();
		fd = accept_one(lfd, a, NULL);
		if ((r = copy_conn(fd, a, NULL)) != 0)
			return r;
		close(fd);
	} while (opt.val['1'] == NULL);
	return 0;
}

static void
serve_one(struct children *c, int lfd, const struct addr *a)
{
	struct conn_env e;
	/* a group of its own: a signal to leave reaches it once, from us */
	struct child ch = { .sh = opt.exec, .env = e.env, .pgid = CHILD_NEW };
	int fd;

	if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) == -1) {
		if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			warn("listen %s: accept", esc_name(a->arg));
		return;
	}
	conn_env(fd, a, &e);
	ch.in = ch.out = fd;
	if (child_start(c, &ch) == -1)
		warn("listen %s: fork", esc_name(a->arg));
	close(fd);
}

/* reap what has ended; the last status, or -1 with c->sig set */
static int
reap_all(struct children *c, int *last)
{
	struct deadline now;
	pid_t pid;

	deadline_set(&now, 0);
	while ((pid = child_wait(c, &now, last)) > 0)
		;
	return pid == 0 ? -1 : 0;
}

/*
 * A signal to leave: the socket file goes and nobody more is accepted;
 * the signal has been passed on once to each CMD's group. Say what is
 * waited for, and wait: SIGKILL to the groups grace ns after it (-1:
 * never) or at a second signal. We end as the first one says.
 */
static void
listen_leave(struct children *c, int lfd, const struct addr *a,
    int64_t grace, int *st)
{
	struct deadline d;
	char pids[256];
	size_t i, n = 0;
	int sig = c->sig, killed = 0;
	pid_t r;

	cleanup_run();
	close(lfd);
	c->forward = 0;
	if (c->n == 0)
		return;
	for (i = 0; i < c->n && n < sizeof(pids); i++)
		n += (size_t)snprintf(pids + n, sizeof(pids) - n, "%s%ld",
		    i > 0 ? " " : "", (long)c->run[i].pid);
	warnx("listen %s: waiting for %zu connection%s to end (pid%s %s); "
	    "a second signal ends %s", esc_name(a->arg), c->n,
	    c->n > 1 ? "s" : "", c->n > 1 ? "s" : "", pids,
	    c->n > 1 ? "them" : "it");
	if (grace >= 0)
		deadline_set(&d, grace);
	while (c->n > 0) {
		r = child_wait(c, grace >= 0 && !killed ? &d : NULL, st);
		if (r > 0 || (r == 0 && killed))
			continue;
		if (r == -1 && (killed || errno != ETIMEDOUT))
			break;
		child_kill(c, SIGKILL);		/* a second signal, or DUR */
		killed = 1;
	}
	c->sig = sig;
}

/* -e CMD: a child per connection, at most -n of them at once */
static int
listen_exec(int lfd, const struct addr *a, size_t max, int64_t grace)
{
	struct children c;
	struct pollfd p[2];
	int st = 0, served = 0, once = opt.val['1'] != NULL;

	if (child_init(&c, max) == -1)
		err(1, "listen %s", esc_name(a->arg));
	fcntl(lfd, F_SETFL, fcntl(lfd, F_GETFL) | O_NONBLOCK);
	while (c.sig == 0 && (!once || !served || c.n > 0)) {
		p[0] = (struct pollfd){ c.fd, POLLIN, 0 };
		p[1] = (struct pollfd){ lfd, POLLIN, 0 };
		if (poll(p, c.n < c.max && !(once && served) ? 2 : 1, -1) == -1 &&
		    errno != EINTR)
			err(1, "listen %s: poll", esc_name(a->arg));
		if (p[0].revents && reap_all(&c, &st) == -1)
			break;
		if (c.n < c.max && !(once && served) && (p[1].revents & POLLIN)) {
			serve_one(&c, lfd, a);
			served = c.n > 0 || served;
		}
	}
	if (c.sig != 0)
		listen_leave(&c, lfd, a, grace, &st);
	else
		close(lfd);
	while (c.n > 0 && child_wait(&c, NULL, &st) != -1)
		;
	child_fini(&c);
	if (c.sig != 0)
		raise(c.sig);
	return once ? st : 0;
}

static int
sock_listen(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "exec mode", listen_opts), fd;
	size_t max = LISTEN_MAX;
	int64_t grace = -1;
	struct addr a;

	one_addr(argc, argv, i, ADDR_BIND, &a);
	if (a.type == SOCK_DGRAM)
		usage_error("%s: a datagram socket has no connections to "
		    "serve (recv takes its messages)", a.arg);
	if (opt.val['n'] != NULL && opt.exec == NULL)
		usage_error("-n goes with -e");
	if (opt.val['n'] != NULL)
		max = (size_t)num_uint(opt.val['n'], "-n", 1, 65536);
	if (opt.val[O_KILLAFTER] != NULL && opt.exec == NULL)
		usage_error("--kill-after goes with -e");
	if (opt.val[O_KILLAFTER] != NULL)
		grace = num_dur(opt.val[O_KILLAFTER], "--kill-after");
	fd = bind_to(&a, SOMAXCONN);
	if (opt.exec == NULL)
		return listen_out(fd, &a);
	return listen_exec(fd, &a, max, grace);
}

/* --- activate --- */

/*
 * LISTEN_FDNAMES: --name for each, in order; "unknown" for the rest. A
 * name is what sd_listen_fds_with_names(3) takes: 1 to 255 printable
 * bytes, no colon (the list's separator).
 */
static char *
fd_names(size_t n)
{
	static char s[sizeof("LISTEN_FDNAMES=") + NAMES_MAX * (NAME_LEN + 1)];
	const char *v[NAMES_MAX], *p;
	size_t k = opt_all(O_NAME, v, NAMES_MAX), i;

	if (k > n)
		usage_error("%zu --name for %zu ADDR", k, n);
	for (i = 0; i < k; i++) {
		for (p = v[i]; *p > ' ' && *p < 0x7f && *p != ':'; p++)
			;
		if (*p != '\0' || p == v[i] || p - v[i] > NAME_LEN)
			usage_error("--name '%s': not 1 to %d printable bytes "
			    "without a colon", v[i], NAME_LEN);
	}
	strlcpy(s, "LISTEN_FDNAMES=", sizeof(s));
	for (i = 0; i < n; i++) {
		if (i > 0)
			strlcat(s, ":", sizeof(s));
		strlcat(s, i < k ? v[i] : "unknown", sizeof(s));
	}
	return s;
}

static int
sock_activate(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "mode", activate_opts), ncmd = opt.ndashed;
	struct addr a[NAMES_MAX];
	int fds[NAMES_MAX];
	char n[32], pid[32], *names;
	size_t k, na;

	if (ncmd <= 0)
		usage_error("missing -- CMD...");
	na = (size_t)(argc - ncmd - i);
	if (na == 0)
		usage_error("missing ADDR");
	if (na > NAMES_MAX)
		usage_error("more than %d ADDR", NAMES_MAX);
	for (k = 0; k < na; k++)
		parse_addr(argv[i + (int)k], ADDR_BIND, &a[k]);
	names = fd_names(na);
	for (k = 0; k < na; k++)
		if ((fds[k] = sock_bind(&a[k], opt.has_mode ? opt.mode : 0600,
		    SOMAXCONN)) == -1)
			errx(125, "activate %s: %s", esc_name(a[k].arg),
			    sock_bind_why(errno));
	if (fdpass_place(fds, na) == -1)
		err(125, "activate: placing the descriptors");
	snprintf(n, sizeof(n), "LISTEN_FDS=%zu", na);
	snprintf(pid, sizeof(pid), "LISTEN_PID=%ld", (long)getpid());
	if (putenv(n) != 0 || putenv(pid) != 0 || putenv(names) != 0)
		err(125, "activate");
	child_replace(argv + argc - ncmd);
}

/* --- stat, ls, rm --- */

enum { S_KIND, S_TYPE, S_STATE, S_INODE, S_MODE, S_OWNER, S_GROUP,
	S_FILE_INODE, S_RQ, S_WQ, S_HOLDERS, S_PEER, S_PEER_HOLDERS, S_PATH,
	S_NAME, S_NCOLS };

static const struct col scols[S_NCOLS + 1] = {
	[S_KIND] = { "kind", COL_STR, 0 },
	[S_TYPE] = { "type", COL_STR, 1 },
	[S_STATE] = { "state", COL_STR, 1 },
	[S_INODE] = { "inode", COL_NUM, 1 },
	[S_MODE] = { "mode", COL_STR, 0 },
	[S_OWNER] = { "owner", COL_STR, 0 },
	[S_GROUP] = { "group", COL_STR, 0 },
	[S_FILE_INODE] = { "file_inode", COL_NUM, 0 },
	[S_RQ] = { "rq", COL_NUM, 0 },
	[S_WQ] = { "wq", COL_NUM, 0 },
	[S_HOLDERS] = { "holders", COL_PIDS, 1, "holder" },
	[S_PEER] = { "peer", COL_NUM, 1 },
	[S_PEER_HOLDERS] = { "peer_holders", COL_PIDS, 1 },
	[S_PATH] = { "path", COL_STR, 0 },
	[S_NAME] = { "name", COL_STR, 1 },
};

/* who holds the sockets: read only where a shown field needs it */
static int
see_holders(const struct table *t, struct holders *hs, ino_t ino)
{
	memset(hs, 0, sizeof(*hs));
	if (!table_shows(t, S_HOLDERS) && !table_shows(t, S_PEER_HOLDERS))
		return 0;
	proc_scan_socks(hs, ino);
	holders_note(hs, "holders", 0);
	return 1;
}

static void
set_pids(struct table *t, int col, const struct holders *hs, ino_t ino)
{
	char *s;

	if (ino == 0)
		return;
	s = holders_sock(hs, ino);
	table_set(t, col, "%s", s);
	free(s);
}

/* a socket file's own fields, from lstat(2) */
static void
set_file(struct table *t, const struct stat *st)
{
	static const int fcols[3] = { S_MODE, S_OWNER, S_GROUP };

	table_file(t, fcols, st);
	table_set(t, S_FILE_INODE, "%ju", (uintmax_t)st->st_ino);
}

/* what the kernel says of a socket; hs NULL: its holders not read */
static void
set_sock(struct table *t, const struct usock *u, const struct holders *hs,
    int peers)
{
	table_set(t, S_TYPE, "%s", addr_type_name(u->type));
	table_set(t, S_STATE, "%s", udiag_state(u->state));
	table_set(t, S_INODE, "%ju", (uintmax_t)u->ino);
	if (peers) {
		table_set(t, S_RQ, "%u", (unsigned)u->rq);
		table_set(t, S_WQ, "%u", (unsigned)u->wq);
	}
	if (peers && u->peer != 0)
		table_set(t, S_PEER, "%ju", (uintmax_t)u->peer);
	if (hs == NULL)
		return;
	set_pids(t, S_HOLDERS, hs, u->ino);
	if (peers)
		set_pids(t, S_PEER_HOLDERS, hs, u->peer);
}

static const char *
kind_name(const struct usock *u)
{
	if (u->namelen == 0)
		return "unnamed";
	return u->name[0] == '\0' ? "abstract" : "path";
}

/* the name the kernel keeps, and what comes with it */
static void
set_named(struct table *t, const struct usock *u, const struct holders *hs,
    int peers)
{
	char name[sizeof(u->name) + 1];

	/* the exact bytes: the table escapes them as each output wants */
	name[0] = '@';
	if (u->namelen > 0 && u->name[0] == '\0') {
		memcpy(name + 1, u->name + 1, u->namelen - 1);
		table_set_bytes(t, S_NAME, name, u->namelen);
	} else {
		udiag_name(u, name, sizeof(name));
		table_set(t, S_NAME, "%s", name);
	}
	table_set(t, S_KIND, "%s", kind_name(u));
	set_sock(t, u, hs, peers);
}

/* lstat(2) the socket file from its directory: never through a symlink */
static int
look_file(const char *path, const char *arg, struct stat *st)
{
	if (path_lstat(path, st) == -1) {
		warn("%s %s", opt.verb->name, esc_name(arg));
		return -1;
	}
	if (!S_ISSOCK(st->st_mode)) {
		warnx("%s %s: not a socket", opt.verb->name, esc_name(arg));
		return -1;
	}
	return 0;
}

/* a socket file: bound (listening, or receiving), stale, or unknown */
static int
stat_path(struct table *t, const struct addr *a)
{
	struct holders hs;
	struct usock u;
	struct stat st;
	int r, seen;

	if (look_file(a->path, a->arg, &st) == -1)
		return 1;
	table_set(t, S_KIND, "path");
	table_set(t, S_PATH, "%s", a->path);
	set_file(t, &st);
	if ((r = udiag_bound(&st, &u)) == -1)
		warnx("stat %s: unix_diag: %s: whether a socket is bound is "
		    "unknown", esc_name(a->arg), strerror(errno));
	if (r != 1) {
		table_set(t, S_STATE, r == 0 ? "stale" : "unknown");
		return 0;
	}
	seen = see_holders(t, &hs, u.peer != 0 ? 0 : u.ino);
	set_named(t, &u, seen ? &hs : NULL, 1);
	holders_free(&hs);
	return 0;
}

struct named {
	const char *name;
	size_t len;
	struct usock u;
	int n;
};

/* the abstract socket of that name: its listener, where one listens */
static int
is_named(const struct usock *u, void *arg)
{
	struct named *f = arg;

	if (u->namelen != f->len + 1 || u->name[0] != '\0' ||
	    memcmp(u->name + 1, f->name, f->len) != 0)
		return 0;
	if (f->n++ == 0 || u->state == USOCK_LISTEN)
		f->u = *u;
	return u->state == USOCK_LISTEN;
}

static int
stat_abstract(struct table *t, const struct addr *a)
{
	struct named f = { a->path, a->pathlen, { 0 }, 0 };
	struct holders hs;
	int why, seen;

	if (udiag_any(is_named, &f, &why) == -1)
		err(1, "stat %s: /proc/net/unix", esc_name(a->arg));
	if (why != 0)
		warnx("stat %s: unix_diag: %s: no peer nor queues "
		    "(/proc/net/unix has none)", esc_name(a->arg), strerror(why));
	if (f.n == 0) {
		warnx("stat %s: %s", esc_name(a->arg), strerror(ENOENT));
		return 1;
	}
	seen = see_holders(t, &hs, f.u.peer != 0 ? 0 : f.u.ino);
	set_named(t, &f.u, seen ? &hs : NULL, why == 0);
	holders_free(&hs);
	return 0;
}

/* a socket that takes what is sent: a listener, or a bound datagram one */
static int
serving(const struct usock *u)
{
	return u->state == USOCK_LISTEN || u->type == SOCK_DGRAM;
}

/*
 * stat --wait: the address is served, seen from unix_diag (or
 * /proc/net/unix), never by connecting; where that cannot be told, stat
 * says what it sees
 */
static int
listening(void *arg)
{
	const struct addr *a = arg;
	struct named f = { a->path, a->pathlen, { 0 }, 0 };
	struct usock u;
	struct stat st;
	int r, why;

	if (a->kind == ADDR_ABSTRACT)
		return udiag_any(is_named, &f, &why) == -1 ||
		    (f.n > 0 && serving(&f.u));
	if (path_lstat(a->path, &st) == -1)
		return errno != ENOENT;
	if (!S_ISSOCK(st.st_mode) || (r = udiag_bound(&st, &u)) == -1)
		return 1;
	return r == 1 && serving(&u);
}

static void tap_gone_note(const char *, const struct addr *);

static int
sock_stat(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "timeout output json wait", NULL), rc;
	struct deadline d;
	struct table t;
	struct addr a;

	table_init(&t, scols, 0, TABLE_ASKED);
	one_addr(argc, argv, i, 0, &a);
	if (a.kind == ADDR_TCP || a.kind == ADDR_UDP)
		usage_error("%s: stat is for Unix sockets (ss(8) shows TCP "
		    "and UDP)", a.arg);
	deadline_set(&d, opt.timeout);
	if (opt.wait && exists_wait(listening, &a, &d) == -1)
		return exists_failed(a.arg, "listen");
	table_row(&t);
	rc = a.kind == ADDR_PATH ? stat_path(&t, &a) : stat_abstract(&t, &a);
	tap_gone_note("stat", &a);
	if (rc == 0)
		table_print_kv(&t);
	table_free(&t);
	return rc;
}

struct socks {
	struct usock *u;
	size_t n, cap;
};

static int
keep(const struct usock *u, void *arg)
{
	struct socks *s = arg;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		if ((s->u = reallocarray(s->u, s->cap, sizeof(*s->u))) == NULL)
			err(1, NULL);
	}
	s->u[s->n++] = *u;
	return 0;
}

/* a bound socket's file, where its name is one that leads to it */
static void
ls_file(struct table *t, const struct usock *u)
{
	struct stat st;

	if (u->vino != 0)
		table_set(t, S_FILE_INODE, "%ju", (uintmax_t)u->vino);
	if (u->vino == 0 || u->name[0] != '/' || (!table_shows(t, S_MODE) &&
	    !table_shows(t, S_OWNER) && !table_shows(t, S_GROUP)))
		return;
	if (lstat(u->name, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    st.st_ino == u->vino && st.st_dev == u->vdev)
		set_file(t, &st);
}

/* the socket bound to the file st, from the dump; a listener first */
static const struct usock *
bound_to(const struct socks *s, const struct stat *st)
{
	const struct usock *found = NULL;
	size_t k;

	for (k = 0; k < s->n; k++)
		if (s->u[k].vino == st->st_ino && s->u[k].vdev == st->st_dev &&
		    (found == NULL || s->u[k].state == USOCK_LISTEN))
			found = &s->u[k];
	return found;
}

/* the socket files in dir, by name; symlinks are not followed */
static int
ls_dir(struct table *t, const struct socks *s, const struct holders *hs,
    int peers, const char *dir)
{
	const struct usock *u;
	char **names, *path;
	struct stat st;
	size_t n, k;

	if ((names = dir_names(dir, &n)) == NULL) {
		warn("ls %s", esc_name(dir));
		return 1;
	}
	for (k = 0; k < n; k++) {
		if (asprintf(&path, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ?
		    "" : "/", names[k]) == -1)
			err(1, NULL);
		if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
			table_row(t);
			if ((u = bound_to(s, &st)) != NULL)
				set_named(t, u, hs, peers);
			else
				table_set(t, S_STATE, peers ? "stale" : "unknown");
			table_set(t, S_KIND, "path");
			table_set(t, S_PATH, "%s", path);
			set_file(t, &st);
		}
		free(path);
	}
	dir_names_free(names, n);
	return 0;
}

static int
sock_ls(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "output no-header json pid", NULL), why;
	int seen, rc = 0, given = argc > i;
	struct socks s = { NULL, 0, 0 };
	struct holders hs;
	struct table t;
	size_t k;

	argc = dir_usable(argc, argv, i, &rc);
	if (given && argc == i)
		return 1;
	table_init(&t, scols, 1, TABLE_ASKED);
	if (udiag_any(keep, &s, &why) == -1)
		err(1, "ls: /proc/net/unix");
	if (why != 0)
		warnx("ls: unix_diag: %s: %s", strerror(why), i < argc ?
		    "no socket file can be tied to its socket" :
		    "no peers nor queues (/proc/net/unix has none)");
	seen = see_holders(&t, &hs, 0);
	for (k = 0; i == argc && k < s.n; k++) {
		table_row(&t);
		set_named(&t, &s.u[k], seen ? &hs : NULL, why == 0);
		ls_file(&t, &s.u[k]);
	}
	for (; i < argc; i++)
		rc |= ls_dir(&t, &s, seen ? &hs : NULL, why == 0, argv[i]);
	table_print(&t);
	table_free(&t);
	holders_free(&hs);
	free(s.u);
	return rc;
}

static void
rm_check(const char *arg)
{
	struct addr a;

	addr_parse(arg, 0, 0, &a);
	if (a.kind == ADDR_ABSTRACT)
		usage_error("%s: an abstract name has no file to remove; it "
		    "goes with its last holder", arg);
	if (a.kind != ADDR_PATH)
		usage_error("%s: a %s socket has no file to remove", arg,
		    a.kind == ADDR_TCP ? "TCP" : "UDP");
}

/* "pid 12 (ipc-sock)": each process that holds the socket ino */
static void
warn_live(const char *arg, ino_t ino)
{
	char comm[64], *s = NULL;
	struct holders hs;
	size_t len = 0, k;
	FILE *f;

	proc_scan_socks(&hs, ino);
	if ((f = open_memstream(&s, &len)) == NULL)
		err(1, NULL);
	for (k = 0; k < hs.n; k++) {
		if (k > 0 && hs.h[k].pid == hs.h[k - 1].pid)
			continue;
		proc_comm(hs.h[k].pid, comm, sizeof(comm));
		fprintf(f, "%spid %d (%s)", k ? ", " : "", (int)hs.h[k].pid,
		    comm);
	}
	if (hs.n == 0)
		fprintf(f, "socket %ju, its holder not visible", (uintmax_t)ino);
	if (fclose(f) != 0)
		err(1, NULL);
	warnx("rm %s: has a live listener: %s", esc_name(arg), s);
	free(s);
	holders_free(&hs);
}

/* why path_rm left it: not a socket, or one with a socket bound to it */
static int
rm_refused(const struct addr *a)
{
	struct stat st;
	struct usock u;

	if (look_file(a->path, a->arg, &st) == -1)
		return 1;
	if (udiag_bound(&st, &u) == 1)
		warn_live(a->arg, u.ino);
	else
		warnx("rm %s: bound while being removed: left as it is",
		    esc_name(a->arg));
	return 1;
}

static int
rm_one(const char *arg)
{
	struct stat st;
	struct addr a;
	int r;

	addr_parse(arg, 0, 0, &a);
	tap_gone_note("rm", &a);
	/* without unix_diag, only a refused connect(2) proves it stale */
	if (path_lstat(a.path, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    udiag_bound(&st, NULL) == -1 && sock_live(&a, &st) != 0) {
		warnx("rm %s: cannot tell it is stale (no unix_diag), and it "
		    "is not refused: left as it is", esc_name(arg));
		return 1;
	}
	if ((r = path_rm(a.path, S_IFSOCK, sock_unbound)) == PATH_KIND)
		return rm_refused(&a);
	return path_rm_warn(r, arg, opt.force);
}

static int
sock_rm(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "force", NULL);

	return opt_each(argc, argv, i, "PATH", rm_check, rm_one);
}

static const struct optdef tap_opts[] = {
	{ 'X', "hex", NULL, "each chunk as a hex dump (offset, hex, ASCII)" },
	{ 0, NULL, NULL, NULL }
};

/* --- tap --- */

#define TAP_MAX		64		/* clients relayed at once */
#define TAP_BUF		(1 << 14)	/* one chunk, each way */
#define TAP_RING	(1 << 20)	/* output stdout has not taken yet */
#define TAP_MARKS	16		/* bytes with descriptors, a chunk */
/* how long a new client waits for the server to accept (ns) */
#define TAP_CONNECT	(5 * INT64_C(1000000000))

enum { TAP_C, TAP_S };			/* a client's end; the server's */

struct tap_mark {
	size_t at;			/* the byte they came with */
	size_t first, n;		/* in fds */
};

struct tap_dir {
	char buf[TAP_BUF];
	char *big;			/* a seqpacket record over TAP_BUF */
	char *p;			/* buf or big */
	size_t len, off;		/* read; of it, written on */
	int pend;			/* read and not all written on */
	struct tap_mark mark[TAP_MARKS];
	size_t nmark, sent;		/* marks; of them, passed on */
	int fds[2 * FDPASS_MAX];
	size_t nfds;
	int eof;			/* its end read and passed on */
};

struct tap_conn {
	int fd[2];			/* TAP_C, TAP_S; -1: free */
	pid_t pid;			/* the client's (SO_PEERCRED) */
	struct tap_dir dir[2];		/* from fd[i], for fd[!i] */
};

/* what is shown: kept here until stdout takes it, never waited for */
struct tap_out {
	char *ring;
	size_t start, end;		/* not yet written */
	int fd, sock;			/* stdout, non-blocking; a socket */
	uintmax_t gap, lost;		/* not shown: since the mark; all */
	int err;			/* stdout failed so: nothing shown */
};

struct tap {
	struct addr at;			/* PATH: ours, while we run */
	struct addr server;		/* the server's, moved aside */
	char unixaside[PATH_MAX];	/* "unix:" and the aside path */
	char base[NAME_MAX + 1], abase[NAME_MAX + 1];
	int dfd, lfd, root, type, sfd;
	int leaving;			/* its first signal; -1: stdout */
	struct stat srv, own;		/* the server's file; ours */
	struct tap_out out;
	struct tap_conn *c;
};

/* ".NAME.tap.PID": the pid of the tap that moved NAME aside, else 0 */
static pid_t
tap_aside_pid(const char *ent, const char *base)
{
	size_t blen = strlen(base);
	const char *e;
	long long pid;

	if (ent[0] != '.' || strncmp(ent + 1, base, blen) != 0 ||
	    strncmp(ent + 1 + blen, ".tap.", 5) != 0)
		return 0;
	pid = strtonum(ent + blen + 6, 1, INT_MAX, &e);
	return e == NULL ? (pid_t)pid : 0;
}

static int
tap_alive(pid_t pid)
{
	return kill(pid, 0) == 0 || errno == EPERM;
}

/* a name as a shell reads it back, quoted only where it must be */
static void
tap_shell(FILE *f, const char *s)
{
	const char *p;

	fputs(*s == '-' ? "./" : "", f);	/* never an option to mv */
	if (*s != '\0' && s[strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789._/-+,:@%=")] == '\0') {
		fputs(s, f);
		return;
	}
	putc('\'', f);
	for (p = s; *p != '\0'; p++)
		if (*p == '\'')
			fputs("'\\''", f);
		else
			putc(*p, f);
	putc('\'', f);
}

/* the dead tap's file at abase, sbase's server in it, nobody at sbase */
static int
tap_gone(int dfd, const char *sbase, const char *abase, pid_t pid)
{
	struct stat st;
	struct usock u;

	if (pid == 0 || tap_alive(pid) ||
	    fstatat(dfd, abase, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
	    !S_ISSOCK(st.st_mode) || udiag_bound(&st, &u) != 1 ||
	    u.state != USOCK_LISTEN)
		return 0;
	return fstatat(dfd, sbase, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
	    (S_ISSOCK(st.st_mode) && udiag_bound(&st, NULL) == 0);
}

/* a dead tap's file beside sbase, its name into abase: its pid, or 0 */
static pid_t
tap_gone_find(int dfd, const char *sbase, char abase[NAME_MAX + 1])
{
	struct dirent *de;
	pid_t pid = 0;
	DIR *d;
	int fd;

	if ((fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return 0;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return 0;
	}
	while (pid == 0 && (de = readdir(d)) != NULL) {
		pid = tap_aside_pid(de->d_name, sbase);
		if (tap_gone(dfd, sbase, de->d_name, pid))
			strlcpy(abase, de->d_name, NAME_MAX + 1);
		else
			pid = 0;
	}
	closedir(d);
	return pid;
}

/* base is ".NAME.tap.PID": NAME into sbase, and PID; else 0 */
static pid_t
tap_gone_split(const char *base, char sbase[NAME_MAX + 1])
{
	const char *p, *last = NULL;

	for (p = base; (p = strstr(p, ".tap.")) != NULL; p++)
		last = p;
	if (base[0] != '.' || last == NULL || last == base)
		return 0;
	snprintf(sbase, NAME_MAX + 1, "%.*s", (int)(last - base - 1), base + 1);
	return tap_aside_pid(base, sbase);
}

/*
 * A tap that could not put the server's file back (SIGKILL, the OOM
 * killer) left it at .NAME.tap.PID beside NAME: said, with the command
 * that restores it, when that file has a live listener, PID has gone and
 * nobody listens at NAME. a is NAME or the file aside.
 */
static void
tap_gone_note(const char *verb, const struct addr *a)
{
	char base[NAME_MAX + 1], sbase[NAME_MAX + 1], abase[NAME_MAX + 1];
	char apath[PATH_MAX], spath[PATH_MAX], *s = NULL;
	const char *slash;
	size_t len = 0;
	pid_t pid;
	int dfd, dlen;
	FILE *f;

	if (a->kind != ADDR_PATH || (dfd = path_parent(a->path, base)) == -1)
		return;
	if ((pid = tap_gone_split(base, sbase)) != 0 &&
	    tap_gone(dfd, sbase, base, pid))
		strlcpy(abase, base, sizeof(abase));
	else {
		strlcpy(sbase, base, sizeof(sbase));
		pid = tap_gone_find(dfd, sbase, abase);
	}
	close(dfd);
	if (pid == 0 || (f = open_memstream(&s, &len)) == NULL)
		return;
	slash = strrchr(a->path, '/');
	dlen = slash != NULL ? (int)(slash - a->path) + 1 : 0;
	snprintf(apath, sizeof(apath), "%.*s%s", dlen, a->path, abase);
	snprintf(spath, sizeof(spath), "%.*s%s", dlen, a->path, sbase);
	fprintf(f, "%s, moved aside by a tap (pid %ld) that has gone; to put "
	    "it back: mv -fT ", esc_name(apath), (long)pid);
	tap_shell(f, apath);
	putc(' ', f);
	tap_shell(f, spath);
	if (fclose(f) == 0)
		warnx("%s %s: the server's socket is at %s", verb,
		    esc_name(a->arg), s);
	free(s);
}

/* a tap already runs on this server: its file is beside PATH, its pid alive */
static void
tap_second(const struct tap *t)
{
	struct dirent *de;
	struct stat st;
	pid_t pid;
	DIR *d;
	int fd;

	if ((fd = openat(t->dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1 || (d = fdopendir(fd)) == NULL)
		err(1, "tap %s: reading its directory", esc_name(t->at.arg));
	while ((de = readdir(d)) != NULL)
		if ((pid = tap_aside_pid(de->d_name, t->base)) != 0 &&
		    pid != getpid() && tap_alive(pid) &&
		    fstatat(t->dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW)
		    == 0 &&
		    S_ISSOCK(st.st_mode))
			errx(1, "tap %s: already tapped by pid %ld (the "
			    "server's file is at %s): one tap at a time",
			    esc_name(t->at.arg), (long)pid, de->d_name);
	closedir(d);
}

/* PATH is a socket file a live stream or seqpacket server listens on */
static void
tap_look(struct tap *t)
{
	const char *p = esc_name(t->at.arg);
	struct stat *st = &t->srv;
	struct usock u;
	int r;

	if ((t->dfd = path_parent(t->at.path, t->base)) == -1 ||
	    fstatat(t->dfd, t->base, st, AT_SYMLINK_NOFOLLOW) == -1)
		err(1, "tap %s", p);
	if (S_ISLNK(st->st_mode))
		errx(1, "tap %s: a symbolic link, not a socket (tap follows "
		    "none)", p);
	if (!S_ISSOCK(st->st_mode))
		errx(1, "tap %s: not a socket", p);
	if ((r = udiag_bound(st, &u)) == -1)
		err(1, "tap %s: cannot tell whether anybody listens "
		    "(unix_diag)", p);
	if (r == 1 && u.type != SOCK_STREAM && u.type != SOCK_SEQPACKET)
		errx(1, "tap %s: a %s socket: tap relays stream and seqpacket "
		    "sockets only", p, addr_type_name(u.type));
	if (r == 0 || u.state != USOCK_LISTEN) {
		tap_gone_note("tap", &t->at);
		errx(1, "tap %s: stale: nobody listens", p);
	}
	tap_second(t);
	t->type = t->at.type = u.type;
}

/* a hidden name beside PATH for the server's file, as an address */
static const char *
tap_aside_name(struct tap *t)
{
	const char *slash = strrchr(t->at.path, '/');
	int dlen = slash != NULL ? (int)(slash - t->at.path) + 1 : 0;

	snprintf(t->unixaside, sizeof(t->unixaside), "unix:%.*s.%s.tap.%ld",
	    dlen, t->at.path, t->base, (long)getpid());
	if (strlen(t->unixaside) - 5 > sizeof(struct sockaddr_un) -
	    offsetof(struct sockaddr_un, sun_path) - 1)
		errx(1, "tap %s: the name to move the server's socket aside "
		    "to, %s, is too long for sun_path", esc_name(t->at.arg),
		    esc_name(t->unixaside + 5));
	addr_parse(t->unixaside, t->type, ADDR_RAW, &t->server);
	strlcpy(t->abase, t->unixaside + 5 + dlen, sizeof(t->abase));
	return t->abase;
}

/*
 * The server's file moved aside, its way back registered, and ours
 * bound in its place (registered after, so undone first), with the
 * signals held throughout, and from then on: they come through t->sfd,
 * so a first one can let the connections end, and one that came in
 * between leaves nothing half done.
 */
static void
tap_swap(struct tap *t)
{
	const char *name = tap_aside_name(t), *p = esc_name(t->at.arg);
	const struct stat *st = &t->srv;
	sigset_t set;
	struct stat now;

	sig_fatal(&set, NULL);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if ((t->sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) == -1)
		err(1, "tap %s: signalfd", p);
	if (renameat2(t->dfd, t->base, t->dfd, name, RENAME_NOREPLACE) == -1)
		err(1, "tap %s: moving it aside to %s", p,
		    esc_name(t->server.path));
	if (cleanup_rename(t->server.path, t->at.path) == -1) {
		renameat2(t->dfd, name, t->dfd, t->base, RENAME_NOREPLACE);
		err(1, "tap %s", p);
	}
	if (fstatat(t->dfd, name, &now, AT_SYMLINK_NOFOLLOW) == -1 ||
	    now.st_dev != st->st_dev || now.st_ino != st->st_ino)
		errx(1, "tap %s: replaced while it was looked at", p);
	if ((t->lfd = sock_bind(&t->at, st->st_mode & 0777, SOMAXCONN)) == -1)
		errx(1, "tap %s: %s", p, sock_bind_why(errno));
	if (fstatat(t->dfd, t->base, &t->own, AT_SYMLINK_NOFOLLOW) == -1)
		err(1, "tap %s", p);
	if (fchownat(t->dfd, t->base, st->st_uid, st->st_gid,
	    AT_SYMLINK_NOFOLLOW) == -1)	/* the group alone, where ours */
		fchownat(t->dfd, t->base, (uid_t)-1, st->st_gid,
		    AT_SYMLINK_NOFOLLOW);
}

/* what the server can no longer see, and an owner we could not give */
static void
tap_say(const struct tap *t)
{
	char own[128] = "", sees[128];
	const struct stat *st = &t->srv;
	struct stat now;

	if (fstatat(t->dfd, t->base, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
	    (now.st_uid != st->st_uid || now.st_gid != st->st_gid))
		snprintf(own, sizeof(own), "; it is owned by %lu:%lu, not by "
		    "the server's %lu:%lu (only root can give it away)",
		    (unsigned long)now.st_uid, (unsigned long)now.st_gid,
		    (unsigned long)st->st_uid, (unsigned long)st->st_gid);
	if (t->root)
		snprintf(sees, sizeof(sees), "the pid of a short-lived child "
		    "of the tap (with the client's uid and gid)");
	else
		snprintf(sees, sizeof(sees), "the tap's pid %ld, uid %lu and "
		    "gid %lu", (long)getpid(), (unsigned long)geteuid(),
		    (unsigned long)getegid());
	warnx("tap %s: relaying to the server, moved aside to %s; for every "
	    "new client the server now sees %s, not the client's%s",
	    esc_name(t->at.arg), esc_name(t->server.path), sees, own);
}

/*
 * Stdout, written without ever blocking the relay: a pipe or a terminal
 * opened anew for a description of our own made non-blocking (the one we
 * were given is shared with others, a shell's terminal among them); a
 * socket sent to with MSG_DONTWAIT; a file written as it is.
 */
static void
tap_out_open(struct tap_out *o)
{
	struct stat st;
	int fd;

	if ((o->ring = malloc(TAP_RING)) == NULL)
		err(1, NULL);
	o->fd = STDOUT_FILENO;
	if (fstat(STDOUT_FILENO, &st) == -1)
		stdout_failed();
	o->sock = S_ISSOCK(st.st_mode);
	if ((S_ISFIFO(st.st_mode) || isatty(STDOUT_FILENO)) &&
	    (fd = open("/proc/self/fd/1", O_WRONLY | O_NONBLOCK | O_CLOEXEC))
	    != -1)
		o->fd = fd;
	signal(SIGPIPE, SIG_IGN);	/* a failed write says EPIPE instead */
}

/* one chunk into the ring, whole, after the mark of a gap before it */
static int
tap_render(struct tap_out *o, const char *dir, pid_t pid,
    const struct tap_dir *d)
{
	FILE *f;
	int bad;

	if (o->start > 0 && o->end > TAP_RING / 2) {
		memmove(o->ring, o->ring + o->start, o->end - o->start);
		o->end -= o->start;
		o->start = 0;
	}
	if (7 * d->len + 512 > TAP_RING - o->end ||
	    (f = fmemopen(o->ring + o->end, TAP_RING - o->end, "w")) == NULL)
		return -1;
	if (o->gap > 0 && opt.json)
		fprintf(f, "{\"not_shown\":%ju}\n", o->gap);
	else if (o->gap > 0)
		fprintf(f, "... %ju bytes not shown ...\n", o->gap);
	if (opt.json) {
		fprintf(f, "{\"dir\":\"%s\",\"pid\":%ld,\"len\":%zu,"
		    "\"fds\":%zu,\"message\":\"", dir, (long)pid, d->len,
		    d->nfds);
		esc_json(f, d->p, d->len);
		fputs("\"}\n", f);
	} else {
		fprintf(f, "%s %ld %zu", dir, (long)pid, d->len);
		if (d->nfds > 0)
			fprintf(f, " fds=%zu", d->nfds);
		putc('\n', f);
		if (opt.val['X'] != NULL)
			esc_hex(f, d->p, d->len);
		else {
			esc_bytes(f, d->p, d->len, 1);
			putc('\n', f);
		}
	}
	bad = fflush(f) == EOF || ferror(f);
	if (!bad)
		o->end += (size_t)ftell(f);
	fclose(f);
	return bad ? -1 : 0;
}

/* a chunk shown, or counted where it would have been */
static void
tap_show(struct tap *t, const struct tap_conn *c, int from)
{
	const struct tap_dir *d = &c->dir[from];

	if (t->out.err != 0)
		return;
	if (tap_render(&t->out, from == TAP_C ? "c>s" : "s>c", c->pid, d)
	    == 0) {
		t->out.gap = 0;
		return;
	}
	t->out.gap += d->len;
	t->out.lost += d->len;
}

static void tap_leave(struct tap *, int);

/* what stdout takes now, never more; a failure ends the showing only */
static void
tap_out_write(struct tap *t)
{
	struct tap_out *o = &t->out;
	ssize_t n;

	if (o->err != 0 || o->end == o->start)
		return;
	if (o->sock)
		n = send(o->fd, o->ring + o->start, o->end - o->start,
		    MSG_DONTWAIT | MSG_NOSIGNAL);
	else
		n = write(o->fd, o->ring + o->start, o->end - o->start);
	if (n >= 0) {
		o->start += (size_t)n;
		if (o->start == o->end)
			o->start = o->end = 0;
		return;
	}
	if (errno == EAGAIN || errno == EINTR)
		return;
	o->err = errno;
	warn("tap %s: stdout: nothing more is shown", esc_name(t->at.arg));
	if (t->leaving == 0)
		tap_leave(t, -1);
}

static void
tap_close_fds(struct tap_dir *d)
{
	while (d->nfds > 0)
		if (d->fds[--d->nfds] != -1)
			close(d->fds[d->nfds]);
	d->nmark = d->sent = 0;
}

static void
tap_end(struct tap_conn *c)
{
	int i;

	for (i = TAP_C; i <= TAP_S; i++) {
		tap_close_fds(&c->dir[i]);
		free(c->dir[i].big);
		c->dir[i].big = NULL;
		close(c->fd[i]);
		c->fd[i] = -1;
	}
}

/*
 * Whether a descriptor comes with any of the first len bytes waiting,
 * peeked into p: a read stops after the bytes that brought some, but it
 * takes the bytes before them too, and then which byte was theirs is
 * lost. What the peek brought (copies) is closed.
 */
static int
tap_fds_ahead(int fd, char *p, size_t len)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int) * FDPASS_MAX)];
	} c;
	struct iovec iov = { p, len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = c.b, .msg_controllen = sizeof(c.b) };
	struct cmsghdr *h;
	size_t k, n;
	int any = 0, one;

	if (recvmsg(fd, &mh, MSG_PEEK | MSG_DONTWAIT | MSG_CMSG_CLOEXEC) == -1)
		return 0;
	for (h = CMSG_FIRSTHDR(&mh); h != NULL; h = CMSG_NXTHDR(&mh, h)) {
		if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS)
			continue;
		n = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (k = 0; k < n; k++) {
			memcpy(&one, CMSG_DATA(h) + k * sizeof(int),
			    sizeof(one));
			close(one);
		}
		any = 1;
	}
	return any || (mh.msg_flags & MSG_CTRUNC);
}

/* len bytes at d->p + at, any descriptors with them marked there */
static ssize_t
tap_recv_at(int fd, struct tap_dir *d, size_t at, size_t len)
{
	size_t n = 0;
	ssize_t r;

	r = fdpass_recv(fd, d->p + at, len, d->fds + d->nfds, &n);
	if (r >= 0 && n > 0) {
		d->mark[d->nmark++] = (struct tap_mark){ at, d->nfds, n };
		d->nfds += n;
	}
	return r;
}

/* the bytes queued, at most max; 1 when none (the end, or what came) */
static size_t
tap_queued(int fd, size_t max)
{
	int q = 0;

	if (ioctl(fd, FIONREAD, &q) == -1 || q <= 0)
		return 1;
	return (size_t)q < max ? (size_t)q : max;
}

/*
 * Stream bytes, each descriptor marked at the byte it came with: what
 * is queued when nothing among it brought one; else one byte at a time,
 * until what is left brings none.
 */
static ssize_t
tap_recv_stream(int fd, struct tap_dir *d)
{
	size_t got = 0, want, had;
	ssize_t n;

	while (got < sizeof(d->buf) && d->nmark < TAP_MARKS &&
	    d->nfds <= FDPASS_MAX) {
		want = tap_queued(fd, sizeof(d->buf) - got);
		had = d->nmark;
		if (!tap_fds_ahead(fd, d->buf + got, want)) {
			if ((n = tap_recv_at(fd, d, got, want)) > 0)
				got += (size_t)n;
			return got > 0 ? (ssize_t)got : n;
		}
		while (d->nmark == had && got < sizeof(d->buf)) {
			if ((n = tap_recv_at(fd, d, got, 1)) <= 0)
				return got > 0 ? (ssize_t)got : n;
			got++;
		}
	}
	return (ssize_t)got;
}

/* one seqpacket record whole, however long the kernel let it be */
static ssize_t
tap_recv_record(int fd, struct tap_dir *d)
{
	ssize_t n;

	n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
	if (n == -1)
		return -1;
	if ((size_t)n > sizeof(d->buf) &&
	    (d->p = d->big = malloc((size_t)n)) == NULL)
		return -1;
	return tap_recv_at(fd, d, 0, (size_t)n);
}

/*
 * A chunk from fd[from] for the other end, then shown; its end passed
 * on. A seqpacket read of 0 is an empty record unless the peer has shut
 * down (rdhup) and nothing else waits: empty records sent last, just
 * before the shutdown, read as the end.
 */
static int
tap_read(struct tap *t, struct tap_conn *c, int from, int rdhup)
{
	struct tap_dir *d = &c->dir[from];
	int q = 0;
	ssize_t n;

	if (rdhup && t->type == SOCK_SEQPACKET &&
	    ioctl(c->fd[from], FIONREAD, &q) == 0 && q > 0)
		rdhup = 0;
	d->p = d->buf;
	d->nmark = d->sent = 0;
	n = t->type == SOCK_SEQPACKET ? tap_recv_record(c->fd[from], d) :
	    tap_recv_stream(c->fd[from], d);
	if (n == -1 && errno == EMSGSIZE)
		warnx("tap %s: client %ld: more descriptors came than the tap "
		    "can take: connection ended", esc_name(t->at.arg),
		    (long)c->pid);
	if (n == -1)
		return errno == EAGAIN ? 0 : -1;
	if (n == 0 && (t->type != SOCK_SEQPACKET || rdhup)) {
		tap_close_fds(d);
		d->eof = 1;
		if (shutdown(c->fd[!from], SHUT_WR) == -1 && errno != ENOTCONN)
			return -1;
		return 0;
	}
	d->len = (size_t)n;
	d->off = 0;
	d->pend = 1;
	tap_show(t, c, from);
	return 0;
}

/* a record our socket's buffer is too small for: as large as it may */
static int
tap_room(int fd, size_t len)
{
	int sz = len < INT_MAX / 2 - 4096 ? (int)len * 2 + 4096 : INT_MAX;

	return setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz))
	    == 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz)) == 0;
}

/*
 * What came from fd[from] on to the other end, as much as it takes: the
 * bytes up to a marked one without descriptors, from it with its own.
 */
static int
tap_write(struct tap_conn *c, int from)
{
	struct tap_dir *d = &c->dir[from];
	const struct tap_mark *m = d->sent < d->nmark ? &d->mark[d->sent] :
	    NULL;
	size_t end = d->len, nf = 0, k;
	int fd = c->fd[!from];
	ssize_t n;

	if (m != NULL && m->at > d->off)
		end = m->at;
	else if (m != NULL) {
		nf = m->n;
		if (d->sent + 1 < d->nmark)
			end = m[1].at;
	}
	n = fdpass_send(fd, d->p + d->off, end - d->off, nf ? d->fds +
	    m->first : NULL, nf);
	if (n == -1 && errno == EMSGSIZE && tap_room(fd, end - d->off))
		n = fdpass_send(fd, d->p + d->off, end - d->off, nf ?
		    d->fds + m->first : NULL, nf);
	if (n == -1)
		return errno == EAGAIN ? 0 : -1;
	for (k = 0; k < nf; k++) {
		close(d->fds[m->first + k]);
		d->fds[m->first + k] = -1;
	}
	d->sent += nf > 0;
	d->off += (size_t)n;
	if (d->off == d->len) {
		d->len = d->off = d->nfds = d->nmark = d->sent = 0;
		d->pend = 0;
		free(d->big);
		d->big = NULL;
	}
	return 0;
}

/*
 * What to wait for at each end: to read while nothing read from it
 * waits to be written (so a side that cannot take more stops the
 * other), to write while something waits for it. Neither: not polled,
 * so a hang-up there cannot spin the loop.
 */
static void
tap_events(const struct tap_conn *c, struct pollfd *p)
{
	int i;

	for (i = TAP_C; i <= TAP_S; i++) {
		p[i].events = 0;
		if (c->fd[i] != -1 && !c->dir[i].pend && !c->dir[i].eof)
			p[i].events |= POLLIN | POLLRDHUP;
		if (c->fd[i] != -1 && c->dir[!i].pend)
			p[i].events |= POLLOUT;
		p[i].fd = p[i].events ? c->fd[i] : -1;
		p[i].revents = 0;
	}
}

/* one pass over a pair's ends, relayed before shown; done when both are */
static void
tap_step(struct tap *t, struct tap_conn *c, const struct pollfd *p)
{
	int i, r = 0;

	for (i = TAP_C; i <= TAP_S && r == 0; i++) {
		if (p[i].revents & POLLOUT ||
		    (p[i].revents & (POLLHUP | POLLERR) && c->dir[!i].pend))
			r = tap_write(c, !i);
		if (r == 0 && p[i].revents & (POLLIN | POLLHUP | POLLERR |
		    POLLRDHUP) && !c->dir[i].pend && !c->dir[i].eof) {
			r = tap_read(t, c, i, p[i].revents & (POLLRDHUP |
			    POLLHUP));
			if (r == 0 && c->dir[i].pend)
				r = tap_write(c, i);
		}
	}
	if (r == -1 || (c->dir[TAP_C].eof && c->dir[TAP_S].eof &&
	    !c->dir[TAP_C].pend && !c->dir[TAP_S].pend))
		tap_end(c);
}

/*
 * The server's end for a new client: as root, connected as the client
 * (its uid and gid, so the server's check of them still holds). A server
 * that refuses has gone: the tap ends, and its file goes back.
 */
static int
tap_connect(const struct tap *t, int cfd, pid_t pid)
{
	struct deadline d;
	int fd;

	deadline_set(&d, TAP_CONNECT);
	fd = t->root ? sock_connect_as(&t->server, cfd, &d) :
	    sock_connect(&t->server, &d);
	if (fd == -1 && (errno == ECONNREFUSED || errno == ENOENT))
		err(1, "tap %s: the server stopped listening",
		    esc_name(t->at.arg));
	if (fd == -1)
		warn("tap %s: client %ld: connecting to the server",
		    esc_name(t->at.arg), (long)pid);
	else
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

/* a client taken from our listener, 1; none waits, 0; one dropped, -1 */
static int
tap_accept(const struct tap *t, struct tap_conn *c)
{
	struct ucred uc = { 0, 0, 0 };
	int fd;

	if ((fd = accept4(t->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK))
	    == -1) {
		if (errno == EAGAIN)
			return 0;
		if (errno != EINTR && errno != ECONNABORTED)
			warn("tap %s: accept", esc_name(t->at.arg));
		return -1;
	}
	fdpass_peer(fd, &uc);		/* none (pid 0) when it cannot say */
	memset(c, 0, sizeof(*c));
	c->fd[TAP_C] = -1;
	if ((c->fd[TAP_S] = tap_connect(t, fd, uc.pid)) == -1) {
		close(fd);
		return -1;
	}
	c->fd[TAP_C] = fd;
	c->pid = uc.pid;
	return 1;
}

static struct tap_conn *
tap_free_slot(struct tap *t)
{
	size_t k;

	for (k = 0; k < TAP_MAX; k++)
		if (t->c[k].fd[TAP_C] == -1)
			return &t->c[k];
	return NULL;
}

/* the connections still relayed, and their clients' pids into s */
static size_t
tap_live(const struct tap *t, char *s, size_t len)
{
	size_t k, n = 0, at = 0;

	*s = '\0';
	for (k = 0; k < TAP_MAX; k++) {
		if (t->c[k].fd[TAP_C] == -1)
			continue;
		if (at < len)
			at += (size_t)snprintf(s + at, len - at, "%s%ld",
			    n ? " " : "", (long)t->c[k].pid);
		n++;
	}
	return n;
}

/*
 * The server's file back at PATH, ours gone, in one exchange: only while
 * PATH is still our socket and the file aside still the server's, with
 * a live listener. Else each is left as it is found, and said.
 */
static void
tap_putback(struct tap *t)
{
	const char *p = esc_name(t->at.arg), *a = esc_name(t->server.path);
	struct stat st;
	struct usock u;
	int ours, srv;

	ours = fstatat(t->dfd, t->base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    st.st_dev == t->own.st_dev && st.st_ino == t->own.st_ino;
	srv = fstatat(t->dfd, t->abase, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    st.st_dev == t->srv.st_dev && st.st_ino == t->srv.st_ino &&
	    udiag_bound(&st, &u) == 1 && u.state == USOCK_LISTEN;
	if (ours && srv && renameat2(t->dfd, t->abase, t->dfd, t->base,
	    RENAME_EXCHANGE) == 0) {
		if (fstatat(t->dfd, t->abase, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    st.st_dev == t->own.st_dev && st.st_ino == t->own.st_ino) {
			unlinkat(t->dfd, t->abase, 0);
			return;
		}
		/* PATH was replaced between the look and the exchange */
		renameat2(t->dfd, t->abase, t->dfd, t->base, RENAME_EXCHANGE);
		ours = 0;
	}
	if (!ours)
		warnx("tap %s: replaced by another file during the tap: left "
		    "as it is; the server's file stays at %s", p, a);
	else if (!srv)
		warnx("tap %s: %s no longer has the server listening on it: "
		    "put back as it is, if it is still the server's file", p,
		    a);
	if (ours)
		cleanup_run();	/* ours goes, theirs back: as on any exit */
}

/*
 * The first signal (sig), or stdout failing (-1): new clients go
 * straight to the server again, and the connections made so far are
 * relayed until they end, unseen if stdout failed; a second signal ends
 * them at once.
 */
static void
tap_leave(struct tap *t, int sig)
{
	char pids[256];
	size_t n;

	t->leaving = sig;
	tap_putback(t);
	/* whoever connected before the file went back is relayed too */
	while (t->lfd != -1 && tap_free_slot(t) != NULL &&
	    tap_accept(t, tap_free_slot(t)) != 0)
		;
	if (t->lfd != -1 && tap_free_slot(t) != NULL) {
		close(t->lfd);
		t->lfd = -1;
	}
	if ((n = tap_live(t, pids, sizeof(pids))) > 0)
		warnx("tap %s: the server's file is back; waiting for %zu "
		    "connection%s to end (client pid%s %s); %s signal ends "
		    "them now", esc_name(t->at.arg), n, n > 1 ? "s" : "",
		    n > 1 ? "s" : "", pids, sig > 0 ? "a second" : "a");
}

/* a gap at the very end is marked too, if there is room for the mark */
static void
tap_mark_end(struct tap_out *o)
{
	int n;

	if (o->gap == 0 || o->err != 0 || TAP_RING - o->end < 64)
		return;
	n = snprintf(o->ring + o->end, TAP_RING - o->end, opt.json ?
	    "{\"not_shown\":%ju}\n" : "... %ju bytes not shown ...\n", o->gap);
	o->end += (size_t)n;
	o->gap = 0;
}

/* every connection ended, the output written: gone as the signal says */
static void __attribute__((noreturn))
tap_exit(struct tap *t)
{
	sigset_t set;

	if (t->out.lost > 0)
		warnx("tap %s: %ju bytes relayed and not shown (stdout did "
		    "not keep up)", esc_name(t->at.arg), t->out.lost);
	if (t->out.end > t->out.start && t->out.err == 0)
		warnx("tap %s: %zu bytes of output not written (stdout did "
		    "not take them)", esc_name(t->at.arg),
		    t->out.end - t->out.start);
	cleanup_run();
	if (t->leaving == -1 && t->out.err == EPIPE)
		stdout_epipe();
	if (t->leaving == -1)
		exit(1);
	signal(t->leaving, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, t->leaving);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(t->leaving);
	_exit(128 + t->leaving);
}

/*
 * Leaving with nothing left to relay: what stdout has not taken yet is
 * written as it takes it; a signal ends the wait.
 */
static void __attribute__((noreturn))
tap_drain(struct tap *t)
{
	struct pollfd p[2];
	int said = 0;

	tap_mark_end(&t->out);
	p[0] = (struct pollfd){ t->sfd, POLLIN, 0 };
	p[1] = (struct pollfd){ t->out.fd, POLLOUT, 0 };
	while (t->out.err == 0 && t->out.end > t->out.start) {
		if (!said++ && poll(p + 1, 1, 0) == 0)
			warnx("tap %s: waiting for stdout to take %zu bytes; a "
			    "signal ends it", esc_name(t->at.arg),
			    t->out.end - t->out.start);
		if (poll(p, 2, -1) == -1 && errno != EINTR)
			break;
		if (p[0].revents & POLLIN)
			break;
		if (p[1].revents)
			tap_out_write(t);
	}
	tap_exit(t);
}

/* a signal: the first begins leaving, the next ends every connection */
static void
tap_signal(struct tap *t)
{
	struct signalfd_siginfo si;
	size_t k;

	while (read(t->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (t->leaving == 0) {
			tap_leave(t, (int)si.ssi_signo);
			continue;
		}
		for (k = 0; k < TAP_MAX; k++)
			if (t->c[k].fd[TAP_C] != -1)
				tap_end(&t->c[k]);
		if (t->leaving == -1)
			t->leaving = (int)si.ssi_signo;
		tap_exit(t);
	}
}

/* every pair in one poll(2) loop; stdout is written only as it takes it */
static void __attribute__((noreturn))
tap_relay(struct tap *t)
{
	struct pollfd p[3 + 2 * TAP_MAX];
	struct tap_conn *free_;
	char pids[8];
	size_t k;

	if ((t->c = calloc(TAP_MAX, sizeof(*t->c))) == NULL)
		err(1, NULL);
	for (k = 0; k < TAP_MAX; k++)
		t->c[k].fd[TAP_C] = t->c[k].fd[TAP_S] = -1;
	/* a client gone between poll(2) and accept(2) must not block us */
	fcntl(t->lfd, F_SETFL, fcntl(t->lfd, F_GETFL) | O_NONBLOCK);
	for (;;) {
		if (t->leaving != 0 && t->lfd == -1 &&
		    tap_live(t, pids, sizeof(pids)) == 0)
			tap_drain(t);
		for (k = 0; k < TAP_MAX; k++)
			tap_events(&t->c[k], p + 3 + 2 * k);
		free_ = tap_free_slot(t);
		p[0] = (struct pollfd){ free_ && t->lfd != -1 ? t->lfd : -1,
		    POLLIN, 0 };
		p[1] = (struct pollfd){ t->sfd, POLLIN, 0 };
		p[2] = (struct pollfd){ t->out.end > t->out.start &&
		    t->out.err == 0 ? t->out.fd : -1, POLLOUT, 0 };
		if (poll(p, 3 + 2 * TAP_MAX, -1) == -1 && errno != EINTR)
			err(1, "tap %s: poll", esc_name(t->at.arg));
		for (k = 0; k < TAP_MAX; k++)
			if (t->c[k].fd[TAP_C] != -1)
				tap_step(t, &t->c[k], p + 3 + 2 * k);
		if (p[0].revents & POLLIN &&
		    tap_accept(t, free_) == 0 && t->leaving != 0) {
			close(t->lfd);	/* the last who came before is in */
			t->lfd = -1;
		}
		if (p[2].revents)
			tap_out_write(t);
		if (p[1].revents & POLLIN)
			tap_signal(t);
	}
}

static int
sock_tap(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "json", tap_opts);
	struct tap t = { .dfd = -1, .lfd = -1, .sfd = -1 };

	one_addr(argc, argv, i, 0, &t.at);
	if (opt.json && opt.val['X'] != NULL)
		usage_error("-X and -j: one output format");
	if (t.at.kind == ADDR_ABSTRACT)
		usage_error("%s: an abstract name has no file to move aside; "
		    "tap takes a socket file", t.at.arg);
	if (t.at.kind != ADDR_PATH)
		usage_error("%s: tap takes a Unix socket file, not TCP or UDP",
		    t.at.arg);
	t.root = geteuid() == 0;
	tap_look(&t);
	stdout_ready();
	tap_out_open(&t.out);
	tap_swap(&t);
	tap_say(&t);
	tap_relay(&t);
}

static const struct verb verbs[] = {
	{ "listen", sock_listen, "listen [-1] [-e CMD [-n MAX] [--kill-after "
	    "DUR]] [-m MODE] [--type TYPE] ADDR" },
	{ "activate", sock_activate, "activate [--name NAME]... [-m MODE] "
	    "[--type TYPE] ADDR... -- CMD..." },
	{ "connect", sock_connect_, "connect [-t DUR] [--type TYPE] "
	    "[--progress] ADDR" },
	{ "send", sock_send, "send [-t DUR] [-l|-0] [--pass-fd N]... "
	    "[--type TYPE] [--progress] ADDR [MSG...]" },
	{ "recv", sock_recv, "recv [-t DUR] [-c N|-f] [-v] [-j] [-0|-r] "
	    "[-m MODE] [--type TYPE] [--take-fd] [--progress] ADDR [-- CMD...]" },
	{ "stat", sock_stat, "stat [-o LIST] [-j] [--wait [-t DUR]] ADDR" },
	{ "ls", sock_ls, "ls [-H] [-o LIST] [-j] [--pid PID] [DIR...]" },
	{ "rm", sock_rm, "rm [-f] PATH..." },
	{ "tap", sock_tap, "tap [-X|-j] PATH" },
	{ NULL, NULL, NULL }
};

int
main(int argc, char *argv[])
{
	return verb_main(verbs, argc, argv);
}
