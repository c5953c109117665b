/*
 * Every Unix socket on the system, from NETLINK_SOCK_DIAG: its inode,
 * type, state, bound name, the file it is bound to (dev, inode) and its
 * peer. /proc/net/unix has no file and no peer, so only this can tie a
 * socket file to its listener without connecting to it, which the
 * listener would see.
 */
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

#define DIAG_BUF	(1 << 15)

static int
diag_ask(int fd)
{
	struct {
		struct nlmsghdr nh;
		struct unix_diag_req r;
	} req;
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.r.sdiag_family = AF_UNIX;
	req.r.udiag_states = ~0U;
	req.r.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_VFS | UDIAG_SHOW_PEER |
	    UDIAG_SHOW_RQLEN | UDIAG_SHOW_UID;
	return sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&nl,
	    sizeof(nl)) == (ssize_t)sizeof(req) ? 0 : -1;
}

/* the kernel's dev_t, as unix_diag gives it: 12 bits major, 20 minor */
static dev_t
kdev(uint32_t d)
{
	return makedev(d >> 20, d & 0xfffff);
}

/* the least payload of each attribute we read; one shorter is passed over */
static const size_t attr_min[] = {
	[UNIX_DIAG_VFS] = sizeof(struct unix_diag_vfs),
	[UNIX_DIAG_PEER] = sizeof(uint32_t),
	[UNIX_DIAG_RQLEN] = sizeof(struct unix_diag_rqlen),
	[UNIX_DIAG_UID] = sizeof(uint32_t),
};

static void
diag_attr(struct usock *u, const struct rtattr *a)
{
	const struct unix_diag_vfs *v = RTA_DATA(a);
	const struct unix_diag_rqlen *q = RTA_DATA(a);
	size_t n = RTA_PAYLOAD(a);

	if (a->rta_type < sizeof(attr_min) / sizeof(attr_min[0]) &&
	    n < attr_min[a->rta_type])
		return;
	switch (a->rta_type) {
	case UNIX_DIAG_NAME:
		u->namelen = n < sizeof(u->name) - 1 ? n : sizeof(u->name) - 1;
		memcpy(u->name, RTA_DATA(a), u->namelen);
		u->name[u->namelen] = '\0';
		break;
	case UNIX_DIAG_VFS:
		u->vdev = kdev(v->udiag_vfs_dev);
		u->vino = v->udiag_vfs_ino;
		break;
	case UNIX_DIAG_PEER:
		u->peer = *(const uint32_t *)RTA_DATA(a);
		break;
	case UNIX_DIAG_RQLEN:
		u->rq = q->udiag_rqueue;
		u->wq = q->udiag_wqueue;
		break;
	case UNIX_DIAG_UID:
		u->uid = *(const uint32_t *)RTA_DATA(a);
		u->has_uid = 1;
		break;
	}
}

/* a socket's message; 0 where it is too short to be one */
static int
diag_msg(struct usock *u, const struct nlmsghdr *h)
{
	const struct unix_diag_msg *m = NLMSG_DATA(h);
	const struct rtattr *a = (const struct rtattr *)(m + 1);
	int len = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
		return 0;
	memset(u, 0, sizeof(*u));
	u->ino = m->udiag_ino;
	u->type = m->udiag_type;
	u->state = m->udiag_state;
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len))
		diag_attr(u, a);
	return 1;
}

/*
 * An NLMSG_ERROR's errno. One too short to hold it, an error of 0 (an
 * acknowledgement, which a dump without NLM_F_ACK never gets) or one
 * no errno is (below -4095, where -INT_MIN would overflow) is EPROTO:
 * a failure told as errno 0 would read "Success".
 */
static int
diag_error(const struct nlmsghdr *h)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)) || e->error >= 0 ||
	    e->error < -4095)
		return EPROTO;
	return -e->error;
}

/*
 * One datagram of the dump, n bytes at buf, each socket in it to fn: 1
 * at the dump's end (or where fn said stop), 0 for more, -1 with errno
 */
int
udiag_parse(const void *buf, size_t n, int (*fn)(const struct usock *,
    void *), void *arg)
{
	const struct nlmsghdr *h;
	struct usock u;
	ssize_t left = (ssize_t)n;	/* signed: NLMSG_NEXT takes it below 0 */

	for (h = buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
		if (h->nlmsg_type == NLMSG_DONE)
			return 1;
		if (h->nlmsg_type == NLMSG_ERROR) {
			errno = diag_error(h);
			return -1;
		}
		if (diag_msg(&u, h) && fn(&u, arg) != 0)
			return 1;
	}
	return 0;
}

/* one datagram of the dump: 1 at its end, 0 for more, -1 with errno */
static int
diag_read(int fd, char *buf, int (*fn)(const struct usock *, void *),
    void *arg)
{
	ssize_t n;

	if ((n = recv(fd, buf, DIAG_BUF, 0)) <= 0)
		return n == 0 ? 1 : -1;
	return udiag_parse(buf, (size_t)n, fn, arg);
}

/*
 * Call fn for each Unix socket until it returns non-zero. 0, or -1 with
 * errno: where the unix_diag module is missing, ENOENT or EINVAL.
 */
int
udiag_each(int (*fn)(const struct usock *, void *), void *arg)
{
	static char buf[DIAG_BUF];
	int fd, r, e;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd == -1)
		return -1;
	if (diag_ask(fd) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	while ((r = diag_read(fd, buf, fn, arg)) == 0)
		;
	e = errno;
	close(fd);
	errno = e;
	return r == 1 ? 0 : -1;
}

struct bound {
	const struct stat *st;
	struct usock found;
	int n;
};

static int
is_bound(const struct usock *u, void *arg)
{
	struct bound *b = arg;

	if (u->vino != b->st->st_ino || u->vdev != b->st->st_dev)
		return 0;
	/*
	 * A listener, or a datagram socket someone receives on: the socket
	 * that bound the file. A connection accepted from a listener shares
	 * its address, and outlives it in a crashed server's worker: it
	 * never makes the file live.
	 */
	if (u->state != USOCK_LISTEN && u->type != SOCK_DGRAM)
		return 0;
	b->found = *u;
	b->n++;
	return 1;
}

/*
 * The socket bound to the socket file st, where one is: 1 with *u
 * filled (a listener, or a bound datagram socket), 0 for none (the file
 * is stale, an accepted connection left or not), -1 with errno where
 * the system cannot say.
 */
int
udiag_bound(const struct stat *st, struct usock *u)
{
	struct bound b = { st, { 0 }, 0 };

	if (udiag_each(is_bound, &b) == -1)
		return -1;
	if (b.n > 0 && u != NULL)
		*u = b.found;
	return b.n > 0;
}

/* the name as a reader sees it: a path, @NAME, or "" for an unnamed one */
void
udiag_name(const struct usock *u, char *buf, size_t size)
{
	size_t i, n;

	if (u->namelen == 0) {
		buf[0] = '\0';
		return;
	}
	if (u->name[0] != '\0') {
		snprintf(buf, size, "%.*s", (int)strnlen(u->name, u->namelen),
		    u->name);
		return;
	}
	/* an abstract name may hold NULs: shown as '@', as /proc/net/unix does */
	n = u->namelen < size - 1 ? u->namelen : size - 1;
	for (i = 0; i < n; i++)
		buf[i] = u->name[i] == '\0' ? '@' : u->name[i];
	buf[n] = '\0';
}

const char *
udiag_state(int state)
{
	switch (state) {
	case USOCK_LISTEN:
		return "listen";
	case USOCK_CONNECTED:
		return "connected";
	case USOCK_CONNECTING:
		return "connecting";
	case USOCK_UNCONNECTED:
		return "unconnected";
	}
	return "unknown";
}

/* one line of /proc/net/unix; 0 for the header or a line it cannot read */
static int
net_line(struct usock *u, const char *line)
{
	unsigned flags, type, st;
	unsigned long ino;
	int at = 0;

	memset(u, 0, sizeof(*u));
	if (sscanf(line, "%*s %*x %*x %x %x %x %lu%n", &flags, &type, &st,
	    &ino, &at) != 4)
		return 0;
	u->ino = (ino_t)ino;
	u->type = (int)type;
	u->state = flags & (1U << 16) ? USOCK_LISTEN :	/* __SO_ACCEPTCON */
	    st == 3 ? USOCK_CONNECTED : st == 2 ? USOCK_CONNECTING :
	    USOCK_UNCONNECTED;
	if (line[at] != ' ' || line[at + 1] == '\n' || line[at + 1] == '\0')
		return 1;
	line += at + 1;
	u->namelen = strcspn(line, "\n");
	if (u->namelen > sizeof(u->name) - 2)
		u->namelen = sizeof(u->name) - 2;
	memcpy(u->name, line, u->namelen);
	if (u->name[0] == '@')		/* abstract: a NUL first, as bound */
		u->name[0] = '\0';
	else
		u->name[u->namelen++] = '\0';
	return 1;
}

/*
 * Every Unix socket in file (/proc/net/unix), for where unix_diag is
 * missing: names, types, states and inodes, but no socket file (vdev,
 * vino), no peer and no queues. 0, or -1 with errno.
 */
int
udiag_procnet(const char *file, int (*fn)(const struct usock *, void *),
    void *arg)
{
	char line[512];
	struct usock u;
	FILE *f;

	if ((f = fopen(file, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (net_line(&u, line) && fn(&u, arg) != 0)
			break;
	fclose(f);
	return 0;
}

/*
 * Every Unix socket, from unix_diag, or else from /proc/net/unix with
 * *why set to unix_diag's errno (0 when it answered). 0, or -1 with errno.
 */
int
udiag_any(int (*fn)(const struct usock *, void *), void *arg, int *why)
{
	*why = 0;
	if (udiag_each(fn, arg) == 0)
		return 0;
	*why = errno;
	return udiag_procnet("/proc/net/unix", fn, arg);
}
