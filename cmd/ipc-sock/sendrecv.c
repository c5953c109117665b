/* ipc-sock send and recv: messages, streams and descriptors. */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"
#include "ipc-sock.h"

#define LINE_BUF	(1 << 16)	/* recv of lines: the longest line */
#define LEFT_MAX	(1 << 16)	/* recv: datagrams left, counted at most */

static const struct optdef send_opts[] = {
	{ O_PASSFD, "pass-fd", "N", "pass open descriptor N (SCM_RIGHTS)" },
	{ O_TYPE, "type", "TYPE", "stream (default), dgram or seqpacket" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef recv_opts[] = {
	{ O_TAKEFD, "take-fd", NULL,
	    "exec CMD with the descriptors received as fd 3, 4, ..." },
	{ 'c', "count", "N", "receive N messages (a stream: lines), then exit" },
	{ 'v', "verbose", NULL,
	    "the sender (pid, uid, gid; or address), TAB, each message" },
	{ 'm', "mode", "MODE",
	    "octal permissions of the socket file bound (default 0600)" },
	{ O_TYPE, "type", "TYPE", "stream (default), dgram or seqpacket" },
	{ 0, NULL, NULL, NULL }
};

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

int
cmd_send(int argc, char *argv[])
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
void
lost(const struct addr *a, uintmax_t n)
{
	if (n == 0)
		stdout_failed();
	err(1, "%s %s: stdout (%ju bytes taken from the socket were lost)",
	    opt.verb->name, esc_name(a->arg), n);
}

/* a connection's bytes to stdout, to its end */
int
conn_copy(int fd, const struct addr *a, const struct deadline *d)
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
		else if ((r = conn_copy(fd, a, d)) != 0)
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

int
cmd_recv(int argc, char *argv[])
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
