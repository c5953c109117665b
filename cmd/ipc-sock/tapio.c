/* ipc-sock tap: what is relayed each way, and what is shown of it. */
#include <sys/ioctl.h>
#include <sys/socket.h>
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
#include "ipc-sock.h"

/*
 * Stdout, written without ever blocking the relay: a pipe or a terminal
 * opened anew for a description of our own made non-blocking (the one we
 * were given is shared with others, a shell's terminal among them); a
 * socket sent to with MSG_DONTWAIT; a file written as it is.
 */
void
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
		fprintf(f, "{\"not_shown\":true,\"bytes\":%ju}\n",
		    o->gap);
	else if (o->gap > 0)
		fprintf(f, "... %ju bytes not shown ...\n", o->gap);
	if (opt.json) {
		fprintf(f, "{\"dir\":\"%s\",\"pid\":%ld,\"bytes\":%zu,"
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

/* what stdout takes now, never more; a failure ends the showing only */
void
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

void
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
void
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
void
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
