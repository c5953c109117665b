/*
 * What one process holds: every IPC object it has open, maps, locks or
 * last used, each with the descriptor or mapping it is held by and the
 * processes at its other end. Read from /proc at the moment of asking,
 * changing nothing: a pipe's bytes are counted through a copy of the
 * process's own descriptor (pidfd_getfd), a queue's through that copy
 * too, and no FIFO is opened by its path.
 */
#include <sys/ioctl.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"
#include "ipc-proc.h"

#define MQUEUE_MAGIC	0x19800202

const char *const held_kinds[H_NKINDS] = {
	[H_PIPE] = "pipe", [H_FIFO] = "fifo", [H_UNIX] = "unix",
	[H_TCP] = "tcp", [H_UDP] = "udp", [H_MQ] = "mq", [H_SEM] = "sem",
	[H_SHM] = "shm", [H_FILE] = "file", [H_SYSV_SHM] = "sysv-shm",
	[H_SYSV_MSG] = "sysv-msg", [H_SYSV_SEM] = "sysv-sem",
	[H_LOCK] = "lock",
};

/*
 * Every TCP and UDP socket of the run, read once at the first question,
 * as the /proc index is (and the Unix ones by ends_unix): held_of asked
 * of a thousand processes reads /proc/net once, not once each
 */
static struct {
	struct procfs_inet *in;		/* TCP and UDP, by inode */
	size_t nin, capin;
	int in_read;
} run;

/* one process being read */
struct look {
	pid_t pid;
	int how;			/* HELD_ALL, HELD_BRIEF */
	int dir;			/* /proc/PID */
	struct held *h;
	size_t n, cap;
	struct lockrow {		/* a lock: line of its fdinfo */
		int fd;
		char *path;
		struct blocked_lock l;
	} *lk;
	size_t nlk;
};

static struct held *
add(struct look *k, int kind, int fd, unsigned long addr)
{
	struct held *h;

	if (k->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 16;
		if ((k->h = reallocarray(k->h, k->cap, sizeof(*k->h))) == NULL)
			err(1, NULL);
	}
	h = &k->h[k->n++];
	memset(h, 0, sizeof(*h));
	h->kind = kind;
	h->fd = fd;
	h->addr = addr;
	h->acc = -1;
	return h;
}

static void
set(char **s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
set(char **s, const char *fmt, ...)
{
	va_list ap;

	free(*s);
	va_start(ap, fmt);
	if (vasprintf(s, fmt, ap) == -1)
		err(1, NULL);
	va_end(ap);
}

/* the other end as ends_of says it; errors leave it empty */
static void
other(struct held *h, mode_t type, int want)
{
	if (ends_of(h->dev, h->ino, type, want, &h->other) == -1)
		memset(&h->other, 0, sizeof(h->other));
}

/* every holder but the process itself: a queue, a segment, a mapping */
static void
others(struct held *h, pid_t self)
{
	size_t i, j;

	other(h, S_IFREG, ENDS_HOLDERS);
	for (i = j = 0; i < h->other.n; i++)
		if (h->other.pid[i] != self)
			h->other.pid[j++] = h->other.pid[i];
	h->other.n = j;
}

/*
 * A copy of the process's descriptor fd, if it still leads to (dev,
 * ino): pidfd_getfd(2) opens nothing, so a FIFO's writer waiting in
 * open(2) is not released and nobody gets SIGPIPE; -1 where it is not
 * permitted or gone
 */
int
held_dup(pid_t pid, int fd, dev_t dev, ino_t ino)
{
	struct stat st;
	int pfd, c;

	if ((pfd = (int)syscall(SYS_pidfd_open, pid, 0)) == -1)
		return -1;
	c = (int)syscall(SYS_pidfd_getfd, pfd, fd, 0);
	close(pfd);
	if (c != -1 && (fstat(c, &st) == -1 || st.st_dev != dev ||
	    st.st_ino != ino)) {
		close(c);
		c = -1;
	}
	return c;
}

static const char *
end_name(int acc)
{
	return acc == O_RDONLY ? "read end" : acc == O_WRONLY ? "write end" :
	    acc == O_RDWR ? "read and write" : "end not readable";
}

/*
 * A pipe or FIFO: which end, and the bytes buffered of its capacity.
 * FIONREAD counts on either end, through our copy of the process's own
 * descriptor. Where the copy is refused, the bytes are not said: opening
 * /proc/PID/fd/N instead would open the FIFO itself, and a read end
 * opened there releases a writer blocked in open(2) (then dead of
 * SIGPIPE when we close it); never done.
 */
static void
pipe_row(struct look *k, int fd, const char *link, const struct stat *st,
    int acc)
{
	int anon = strncmp(link, "pipe:[", 6) == 0;
	struct held *h = add(k, anon ? H_PIPE : H_FIFO, fd, 0);
	int c, n = -1, cap = -1;

	h->acc = acc;
	h->dev = st->st_dev;
	h->ino = st->st_ino;
	set(&h->name, "%s", link);
	if (k->how == HELD_ALL &&
	    (c = held_dup(k->pid, fd, st->st_dev, st->st_ino)) != -1) {
		if (ioctl(c, FIONREAD, &n) == -1)
			n = -1;
		cap = fcntl(c, F_GETPIPE_SZ);
		close(c);
	}
	if (n >= 0 && cap > 0)
		set(&h->detail, "%s, %d of %d bytes buffered", end_name(acc),
		    n, cap);
	else
		set(&h->detail, "%s, bytes buffered not readable",
		    end_name(acc));
	other(h, S_IFIFO, acc == O_RDONLY ? ENDS_WRITERS :
	    acc == O_WRONLY ? ENDS_READERS : ENDS_HOLDERS);
}

static int
unix_row(struct look *k, int fd, const struct stat *st)
{
	const struct usock *u = ends_unix(st->st_ino);
	char name[256];
	struct held *h;

	if (u == NULL)
		return -1;
	h = add(k, H_UNIX, fd, 0);
	h->acc = O_RDWR;
	h->dev = st->st_dev;
	h->ino = st->st_ino;
	udiag_name(u, name, sizeof(name));
	if (name[0] != '\0')
		set(&h->name, "%s", name);
	else
		set(&h->name, "socket:[%ju]", (uintmax_t)st->st_ino);
	if (u->peer != 0)
		set(&h->detail, "%s, %s, peer socket:[%ju]",
		    addr_type_name(u->type), udiag_state(u->state),
		    (uintmax_t)u->peer);
	else
		set(&h->detail, "%s, %s", addr_type_name(u->type),
		    udiag_state(u->state));
	other(h, S_IFSOCK, ENDS_PEER);
	return 0;
}

static int
keep_inet(const struct procfs_inet *in, void *arg)
{
	(void)arg;
	if (run.nin == run.capin) {
		run.capin = run.capin ? 2 * run.capin : 64;
		if ((run.in = reallocarray(run.in, run.capin,
		    sizeof(*run.in))) == NULL)
			err(1, NULL);
	}
	run.in[run.nin++] = *in;
	return 0;
}

static int
by_iino(const void *a, const void *b)
{
	const struct procfs_inet *x = a, *y = b;

	return (x->ino > y->ino) - (x->ino < y->ino);
}

/* the TCP or UDP socket of inode ino, from every one read once */
static const struct procfs_inet *
inet_of(ino_t ino)
{
	struct procfs_inet key = { .ino = ino };

	if (!run.in_read) {
		run.in_read = 1;
		if (procfs_inet_each(keep_inet, NULL) == -1)
			run.nin = 0;
		if (run.nin > 1)
			qsort(run.in, run.nin, sizeof(*run.in), by_iino);
	}
	if (run.nin == 0 || ino == 0)
		return NULL;
	return bsearch(&key, run.in, run.nin, sizeof(*run.in), by_iino);
}

/* "127.0.0.1:5000", "[::1]:5000" */
static void
inet_str(int family, const unsigned char *a, unsigned port, char *buf,
    size_t len)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		memcpy(&s4->sin_addr, a, 4);
		addr_str((struct sockaddr *)s4, sizeof(*s4), buf, len);
	} else {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		memcpy(&s6->sin6_addr, a, 16);
		addr_str((struct sockaddr *)s6, sizeof(*s6), buf, len);
	}
}

static const char *const tcp_states[] = {
	"", "established", "syn-sent", "syn-recv", "fin-wait1", "fin-wait2",
	"time-wait", "close", "close-wait", "last-ack", "listen", "closing",
	"new-syn-recv"
};

/*
 * The socket at the other end of a connection, where it is on this
 * host: the one whose local and remote addresses are ours reversed
 */
static const struct procfs_inet *
inet_peer(const struct procfs_inet *in)
{
	size_t n = in->family == AF_INET ? 4 : 16, i;
	const struct procfs_inet *p;

	for (i = 0; i < run.nin; i++) {
		p = &run.in[i];
		if (p->proto == in->proto && p->family == in->family &&
		    p->lport == in->rport && p->rport == in->lport &&
		    memcmp(p->local, in->remote, n) == 0 &&
		    memcmp(p->remote, in->local, n) == 0 && p->ino != 0)
			return p;
	}
	return NULL;
}

static int
connected(const struct procfs_inet *in)
{
	static const unsigned char zero[16];

	return in->rport != 0 || memcmp(in->remote, zero, 16) != 0;
}

static void
inet_other(struct held *h, const struct procfs_inet *in)
{
	const struct procfs_inet *p;
	char ra[64];

	memset(&h->other, 0, sizeof(h->other));
	if (!connected(in)) {
		/* a listener, or a datagram socket bound alone */
		if (in->proto == IPPROTO_UDP)
			h->other.way = "a process that sends to it";
		else if (in->state == 10)	/* TCP_LISTEN */
			h->other.way = "a process that connects to it";
		return;
	}
	if ((p = inet_peer(in)) == NULL) {
		inet_str(in->family, in->remote, in->rport, ra, sizeof(ra));
		h->other.remote = 1;
		strlcpy(h->other.peer, ra, sizeof(h->other.peer));
		return;
	}
	if (ends_of(h->dev, p->ino, S_IFREG, ENDS_HOLDERS, &h->other) == -1)
		memset(&h->other, 0, sizeof(h->other));
	else if (h->other.n == 0)
		h->other.unread = pidx_unread(proc_index(PIDX_FDS), PIDX_FDS,
		    NULL, 0);
}

static int
inet_row(struct look *k, int fd, const struct stat *st)
{
	const struct procfs_inet *in = inet_of(st->st_ino);
	char la[64], ra[64];
	struct held *h;

	if (in == NULL)
		return -1;
	h = add(k, in->proto == IPPROTO_TCP ? H_TCP : H_UDP, fd, 0);
	h->acc = O_RDWR;
	h->dev = st->st_dev;
	h->ino = st->st_ino;
	inet_str(in->family, in->local, in->lport, la, sizeof(la));
	inet_str(in->family, in->remote, in->rport, ra, sizeof(ra));
	if (connected(in))
		set(&h->name, "%s -> %s", la, ra);
	else
		set(&h->name, "%s", la);
	set(&h->detail, "%s, %u bytes in, %u out",
	    in->proto == IPPROTO_UDP ? (connected(in) ? "connected" :
	    "unconnected") : in->state > 0 && in->state < 13 ?
	    tcp_states[in->state] : "unknown", (unsigned)in->rxq,
	    (unsigned)in->txq);
	inet_other(h, in);
	return 0;
}

/*
 * A socket of another network namespace (a container's): unix_diag and
 * /proc/net answer for ours only, so it is read from the process's own
 * /proc/PID/net: its name, type, state and addresses. Its other end is
 * not followed: that namespace's sockets are not read.
 */
struct foreign {
	ino_t ino;
	struct usock u;
	int found;
};

static int
foreign_unix(const struct usock *u, void *arg)
{
	struct foreign *f = arg;

	if (u->ino != f->ino)
		return 0;
	f->u = *u;
	f->found = 1;
	return 1;
}

static int
foreign_inet(struct look *k, ino_t ino, struct procfs_inet *in)
{
	static const struct { const char *path; int proto, family; } f[] = {
		{ "net/tcp", IPPROTO_TCP, AF_INET },
		{ "net/tcp6", IPPROTO_TCP, AF_INET6 },
		{ "net/udp", IPPROTO_UDP, AF_INET },
		{ "net/udp6", IPPROTO_UDP, AF_INET6 },
	};
	char *line = NULL;
	size_t cap = 0, i;
	int found = 0;
	FILE *fp;

	for (i = 0; i < sizeof(f) / sizeof(f[0]) && !found; i++) {
		if ((fp = procfs_fopen(k->dir, f[i].path)) == NULL)
			continue;
		while (!found && getline(&line, &cap, fp) != -1)
			if (procfs_inet_line(line, f[i].family, in) == 0 &&
			    in->ino == ino) {
				in->proto = f[i].proto;
				found = 1;
			}
		fclose(fp);
	}
	free(line);
	return found;
}

/* "net:[4026532571]" where pid's network namespace is not ours, or "" */
static void
other_netns(struct look *k, char *buf, size_t len)
{
	char ours[64];
	ssize_t n, m;

	buf[0] = '\0';
	if ((n = readlinkat(k->dir, "ns/net", buf, len - 1)) <= 0 ||
	    (m = readlink("/proc/self/ns/net", ours, sizeof(ours) - 1)) <= 0) {
		buf[0] = '\0';
		return;
	}
	buf[n] = '\0';
	ours[m] = '\0';
	if (strcmp(buf, ours) == 0)
		buf[0] = '\0';
}

static void
foreign_row(struct look *k, int fd, const struct stat *st)
{
	char ns[64], name[256], la[64], ra[64];
	struct foreign f = { .ino = st->st_ino };
	struct procfs_inet in;
	struct held *h;

	other_netns(k, ns, sizeof(ns));
	if (ns[0] == '\0')
		return;
	snprintf(name, sizeof(name), "/proc/%d/net/unix", (int)k->pid);
	if (udiag_procnet(name, foreign_unix, &f) == 0 && f.found) {
		h = add(k, H_UNIX, fd, 0);
		udiag_name(&f.u, name, sizeof(name));
		if (name[0] != '\0')
			set(&h->name, "%s", name);
		else
			set(&h->name, "socket:[%ju]", (uintmax_t)st->st_ino);
		set(&h->detail, "%s, %s, in network namespace %s",
		    addr_type_name(f.u.type), udiag_state(f.u.state), ns);
	} else if (foreign_inet(k, st->st_ino, &in)) {
		h = add(k, in.proto == IPPROTO_TCP ? H_TCP : H_UDP, fd, 0);
		inet_str(in.family, in.local, in.lport, la, sizeof(la));
		inet_str(in.family, in.remote, in.rport, ra, sizeof(ra));
		if (connected(&in))
			set(&h->name, "%s -> %s", la, ra);
		else
			set(&h->name, "%s", la);
		set(&h->detail, "%s, in network namespace %s",
		    in.proto == IPPROTO_UDP ? (connected(&in) ? "connected" :
		    "unconnected") : in.state > 0 && in.state < 13 ?
		    tcp_states[in.state] : "unknown", ns);
	} else
		return;
	h->acc = O_RDWR;
	h->dev = st->st_dev;
	h->ino = st->st_ino;
	h->other.way = "not followed (another network namespace)";
}

/* a POSIX queue: its state through a copy of the descriptor */
static void
mq_row(struct look *k, int fd, const char *link, const struct stat *st)
{
	struct held *h = add(k, H_MQ, fd, 0);
	struct mq_attr a;
	int c;

	h->dev = st->st_dev;
	h->ino = st->st_ino;
	set(&h->name, "%s", link);
	c = k->how == HELD_ALL ? held_dup(k->pid, fd, st->st_dev, st->st_ino) :
	    -1;
	if (c != -1 && mq_getattr(c, &a) == 0)
		set(&h->detail, "%ld of %ld messages, %ld bytes each at most",
		    a.mq_curmsgs, a.mq_maxmsg, a.mq_msgsize);
	else
		set(&h->detail, "state not readable");
	if (c != -1)
		close(c);
	others(h, k->pid);
	h->other.way = "a process that opens it by name";
}

/* a file in /dev/shm: a semaphore ("sem.NAME") or shared memory */
static void
shm_fill(struct held *h, const char *path, const struct stat *st)
{
	const char *base = path + 9;	/* past "/dev/shm/" */
	int deleted = strstr(path, " (deleted)") != NULL;

	h->kind = strncmp(base, "sem.", 4) == 0 ? H_SEM : H_SHM;
	if (deleted)
		set(&h->name, "%s", path);
	else if (h->kind == H_SEM)
		set(&h->name, "/%s", base + 4);
	else
		set(&h->name, "/%s", base);
	if (h->kind == H_SEM)
		set(&h->detail, "%s%s", deleted ? "no name (unlinked, or not "
		    "yet linked), " : "", "POSIX records no unit holders");
	else
		set(&h->detail, "%s%jd bytes", deleted ?
		    "no name (unlinked), " : "", (intmax_t)st->st_size);
}

/* the locks fdinfo's text says descriptor fd holds, kept for later rows */
static void
keep_locks(struct look *k, int fd, const char *link, char *info)
{
	struct blocked_lock l;
	char *line, *save = NULL;

	for (line = strtok_r(info, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "lock:", 5) != 0 ||
		    blocked_lock_line(line, &l) == -1)
			continue;
		if ((k->lk = reallocarray(k->lk, k->nlk + 1,
		    sizeof(*k->lk))) == NULL ||
		    (k->lk[k->nlk].path = strdup(link)) == NULL)
			err(1, NULL);
		l.holder = k->pid;
		l.fd = fd;
		k->lk[k->nlk].fd = fd;
		k->lk[k->nlk++].l = l;
	}
}

/* descriptor fd (its name in fd/), with what fdinfo says of it */
/*
 * Whether a descriptor's file, of device dev, is a POSIX queue: statfs
 * once a device, not once a descriptor (most are on a handful)
 */
static int
on_mqueue(const char *path, dev_t dev)
{
	static struct devmq { dev_t dev; int mq; } seen[16];
	static size_t n;
	struct statfs sf;
	size_t i;
	int mq;

	for (i = 0; i < n; i++)
		if (seen[i].dev == dev)
			return seen[i].mq;
	if (statfs(path, &sf) == -1)
		return 0;
	mq = sf.f_type == MQUEUE_MAGIC;
	if (n < sizeof(seen) / sizeof(seen[0]))
		seen[n++] = (struct devmq){ dev, mq };
	return mq;
}

static void
one_fd(struct look *k, int fdd, const char *name)
{
	char link[PATH_MAX], info[4096], path[64];
	struct stat st;
	ssize_t n;
	int fd = (int)strtol(name, NULL, 10), acc = -1;

	if ((n = readlinkat(fdd, name, link, sizeof(link) - 1)) <= 0 ||
	    fstatat(fdd, name, &st, 0) == -1)
		return;
	link[n] = '\0';
	info[0] = '\0';
	snprintf(path, sizeof(path), "fdinfo/%s", name);
	if (procfs_text(k->dir, path, info, sizeof(info)) > 0)
		acc = procfs_fdinfo_acc(info);
	keep_locks(k, fd, link, info);
	snprintf(path, sizeof(path), "/proc/%d/fd/%s", (int)k->pid, name);
	if (S_ISFIFO(st.st_mode))
		pipe_row(k, fd, link, &st, acc);
	else if (S_ISSOCK(st.st_mode)) {
		if (unix_row(k, fd, &st) == -1 && inet_row(k, fd, &st) == -1)
			foreign_row(k, fd, &st);
	} else if (on_mqueue(path, st.st_dev))
		mq_row(k, fd, link, &st);
	else if (strncmp(link, "/dev/shm/", 9) == 0) {
		struct held *h = add(k, H_SHM, fd, 0);

		h->acc = acc;
		h->dev = st.st_dev;
		h->ino = st.st_ino;
		shm_fill(h, link, &st);
		others(h, k->pid);
	}
}

static int
by_fd(const void *a, const void *b)
{
	const struct held *x = a, *y = b;

	return (x->fd > y->fd) - (x->fd < y->fd);
}

/* every descriptor, by number; -1 where they may not be read */
static int
read_fds(struct look *k)
{
	struct dirent *d;
	size_t first = k->n;
	DIR *dir;
	int fdd;

	if ((fdd = openat(k->dir, "fd", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1)
		return -1;
	if ((dir = fdopendir(fdd)) == NULL) {
		close(fdd);
		return -1;
	}
	while ((d = readdir(dir)) != NULL)
		if (isdigit((unsigned char)d->d_name[0]))
			one_fd(k, fdd, d->d_name);
	closedir(dir);
	if (k->n - first > 1)
		qsort(k->h + first, k->n - first, sizeof(*k->h), by_fd);
	return 0;
}

/* a System V segment it attaches: its key, size and attach count */
static void
seg_cells(void *arg, int id, const union sysv_ds *ds, int full)
{
	struct held *h = arg;

	(void)id;
	set(&h->name, "key 0x%08x id %d", (unsigned)ds->shm.shm_perm.__key,
	    id);
	if (full)
		set(&h->detail, "%zu bytes, %ju attached", ds->shm.shm_segsz,
		    (uintmax_t)ds->shm.shm_nattch);
	else
		set(&h->detail, "%zu bytes", ds->shm.shm_segsz);
}

static void
segment_map(struct look *k, const struct procfs_map *m)
{
	struct held *h = add(k, H_SYSV_SHM, -1, m->start);

	h->dev = 0;
	h->ino = m->ino;
	h->acc = O_RDWR;
	if (sysv_each(SYSV_SHM, (int)m->ino, seg_cells, h) == 0) {
		set(&h->name, "id %ju", (uintmax_t)m->ino);
		set(&h->detail, "removed");
	}
	others(h, k->pid);
}

static int
mapped(const struct look *k, size_t first, const struct procfs_map *m)
{
	size_t i;

	for (i = first; i < k->n; i++)
		if (k->h[i].addr != 0 && k->h[i].dev == m->dev &&
		    k->h[i].ino == m->ino)
			return 1;
	return 0;
}

/*
 * A semaphore's value and waiters, read from the process's memory where
 * it maps it (attach-level access, as its syscall file): a 64-bit
 * glibc keeps both in the semaphore's first 64 bits, the value in the
 * low half and how many wait in the high half. Nothing is opened but /proc's mem.
 */
static void
sem_value(struct look *k, struct held *h)
{
	uint64_t data;
	char *was;
	int f;

	if (UINTPTR_MAX != UINT64_MAX ||	/* 32 bits: another layout */
	    (f = openat(k->dir, "mem", O_RDONLY | O_CLOEXEC)) == -1)
		return;
	if (pread(f, &data, sizeof(data), (off_t)h->addr) ==
	    (ssize_t)sizeof(data)) {
		was = h->detail;
		h->detail = NULL;
		set(&h->detail, "value %u, %u waiting, %s",
		    (unsigned)(data & 0xffffffffu), (unsigned)(data >> 32), was);
		free(was);
	}
	close(f);
}

static void
devshm_map(struct look *k, const struct procfs_map *m)
{
	struct held *h = add(k, H_SHM, -1, m->start);
	struct stat st;

	h->dev = m->dev;
	h->ino = m->ino;
	memset(&st, 0, sizeof(st));
	st.st_size = (off_t)(m->end - m->start);
	shm_fill(h, m->path, &st);
	if (h->kind == H_SEM && k->how == HELD_ALL)
		sem_value(k, h);
	others(h, k->pid);
}

/*
 * Any other file it maps shared and writable: a file used as shared
 * memory (ipc-shm -F), a memfd, or anonymous shared memory a fork
 * shares ("/dev/zero (deleted)"). A read-only shared mapping (a cache
 * file) carries nothing to anyone, and is left out.
 */
static void
file_map(struct look *k, const char *line, const struct procfs_map *m)
{
	const char *perms = strchr(line, ' ');
	struct held *h;

	if (perms == NULL || perms[2] != 'w')
		return;
	h = add(k, H_FILE, -1, m->start);
	h->dev = m->dev;
	h->ino = m->ino;
	h->acc = O_RDWR;
	if (strncmp(m->path, "/dev/zero", 9) == 0)
		set(&h->name, "anonymous shared memory");
	else
		set(&h->name, "%s", m->path);
	set(&h->detail, "%lu bytes mapped shared", m->end - m->start);
	others(h, k->pid);
}

/* the objects it maps shared, each once: System V segments, POSIX
 * semaphores and shared memory, other files */
static void
read_maps(struct look *k)
{
	struct procfs_map m;
	size_t cap = 0, first = k->n;
	char *line = NULL;
	FILE *f;

	if ((f = procfs_fopen(k->dir, "maps")) == NULL)
		return;
	while (getline(&line, &cap, f) != -1) {
		if (procfs_maps_line(line, &m) == -1 || m.ino == 0 ||
		    !m.shared || mapped(k, first, &m))
			continue;
		if (strncmp(m.path, "/SYSV", 5) == 0)
			segment_map(k, &m);
		else if (strncmp(m.path, "/dev/shm/", 9) == 0)
			devshm_map(k, &m);
		else
			file_map(k, line, &m);
	}
	free(line);
	fclose(f);
}

/* System V queues and semaphore sets that last recorded it */
static void
msg_last(void *arg, int id, const union sysv_ds *ds, int full)
{
	struct look *k = arg;
	const char *what;
	struct held *h;

	(void)full;
	if (ds->msg.msg_lspid == k->pid && ds->msg.msg_lrpid == k->pid)
		what = "last sent to and received from";
	else if (ds->msg.msg_lspid == k->pid)
		what = "last sent to";
	else if (ds->msg.msg_lrpid == k->pid)
		what = "last received from";
	else
		return;
	h = add(k, H_SYSV_MSG, -1, 0);
	h->ino = (ino_t)id;
	set(&h->name, "key 0x%08x id %d", (unsigned)ds->msg.msg_perm.__key,
	    id);
	set(&h->detail, "%s, %ju messages, %ju bytes", what,
	    (uintmax_t)ds->msg.msg_qnum, (uintmax_t)ds->msg.msg_cbytes);
	h->other.way = "a process allowed to use the queue";
}

static void
sem_last(void *arg, int id, const union sysv_ds *ds, int full)
{
	struct look *k = arg;
	char list[256] = "";
	struct held *h;
	unsigned long i;
	int n = 0;

	if (!full)
		return;		/* not ours to read: no pid can be said */
	for (i = 0; i < ds->sem.sem_nsems && n < 16; i++)
		if (semctl(id, (int)i, GETPID) == k->pid)
			snprintf(list + strlen(list), sizeof(list) -
			    strlen(list), "%s%lu", n++ ? "," : "", i);
	if (n == 0)
		return;
	h = add(k, H_SYSV_SEM, -1, 0);
	h->ino = (ino_t)id;
	set(&h->name, "key 0x%08x id %d", (unsigned)ds->sem.sem_perm.__key,
	    id);
	set(&h->detail, "last semop on semaphore %s of %lu", list,
	    (unsigned long)ds->sem.sem_nsems);
	h->other.way = "a process allowed to use the set";
}

/* the processes /proc/locks shows waiting for a lock on the file */
static void
waiter(const struct blocked_lock *l, void *arg)
{
	struct ends *e = arg;

	if (l->waiter && l->pid > 0)
		ends_add(e, l->pid);
}

static void
lock_rows(struct look *k)
{
	struct lockrow *r;
	struct held *h;
	size_t i;

	for (i = 0; i < k->nlk; i++) {
		r = &k->lk[i];
		h = add(k, H_LOCK, r->fd, 0);
		h->dev = r->l.dev;
		h->ino = r->l.ino;
		h->name = r->path;
		r->path = NULL;
		set(&h->detail, "holds %s %s lock on fd %d", r->l.type,
		    r->l.write ? "write" : "read", r->fd);
		if (blocked_locks(h->dev, h->ino, waiter, &h->other) == -1)
			memset(&h->other, 0, sizeof(h->other));
	}
}

/* the real holders of a lock waited for: their fdinfo lock: lines */
static void
holder(const struct blocked_lock *l, void *arg)
{
	struct ends *e = arg;

	if (!l->waiter)
		ends_add(e, l->holder);
}

/* every process that holds a lock on (dev, ino) but pid */
static void
lock_holders(struct ends *e, pid_t pid, dev_t dev, ino_t ino)
{
	struct pidx *ix = proc_index(PIDX_FDS);
	const struct holder *hs;
	size_t n, i;

	memset(e, 0, sizeof(*e));
	n = pidx_obj(ix, dev, ino, &hs);
	for (i = 0; i < n; i++)
		if (hs[i].kind == PIDX_FD && hs[i].pid != pid &&
		    (i == 0 || hs[i - 1].pid != hs[i].pid))
			blocked_fdinfo_locks(hs[i].pid, dev, ino, holder, e);
	if (e->n == 0)
		e->unread = pidx_unread(ix, PIDX_FDS, NULL, 0);
}

/* a thread waiting in flock(2) or fcntl(F_SETLKW): a lock it waits for */
static void
lock_wait(struct look *k, pid_t tid)
{
	struct blocked b;
	struct held *h;

	if (blocked_read(k->pid, tid, &b) == -1)
		return;
	if ((b.kind == BLOCKED_FLOCK || b.kind == BLOCKED_FCNTL_LOCK) &&
	    b.ino != 0) {
		h = add(k, H_LOCK, b.fd, 0);
		h->dev = b.dev;
		h->ino = b.ino;
		set(&h->name, "%s", b.what);
		if (b.kind == BLOCKED_FLOCK)
			set(&h->detail, "waits for %s flock on fd %d",
			    b.op & LOCK_EX ? "an exclusive" : "a shared", b.fd);
		else
			set(&h->detail, "waits for a %s lock on fd %d",
			    b.op == F_OFD_SETLKW ? "OFD" : "POSIX", b.fd);
		lock_holders(&h->other, k->pid, b.dev, b.ino);
	}
	blocked_free(&b);
}

static void
lock_waits(struct look *k)
{
	struct dirent *d;
	DIR *dir;
	int td;

	if ((td = openat(k->dir, "task", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1 || (dir = fdopendir(td)) == NULL) {
		if (td != -1)
			close(td);
		return;
	}
	while ((d = readdir(dir)) != NULL)
		if (isdigit((unsigned char)d->d_name[0]))
			lock_wait(k, (pid_t)strtol(d->d_name, NULL, 10));
	closedir(dir);
}

static void
look_free(struct look *k)
{
	size_t i;

	for (i = 0; i < k->nlk; i++)
		free(k->lk[i].path);
	free(k->lk);
	if (k->dir != -1)
		close(k->dir);
}

/*
 * Every IPC object pid holds, maps, locks or last used, in order:
 * descriptors by number, mappings, System V queues and sets, locks (how:
 * HELD_ALL, or HELD_BRIEF without what needs a look inside). *n is how
 * many; NULL with errno ESRCH where the process is not there
 * (what could not be read of it is left out: the caller says so)
 */
struct held *
held_of(pid_t pid, int how, size_t *n)
{
	struct look k = { .pid = pid, .how = how };
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if ((k.dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		errno = ESRCH;
		return NULL;
	}
	read_fds(&k);
	read_maps(&k);
	sysv_each(SYSV_MSG, -1, msg_last, &k);
	sysv_each(SYSV_SEM, -1, sem_last, &k);
	lock_rows(&k);
	if (how == HELD_ALL)
		lock_waits(&k);
	/* gone meanwhile: what was read may be half of it */
	if (procfs_text(k.dir, "stat", path, sizeof(path)) == -1) {
		look_free(&k);
		held_free(k.h, k.n);
		errno = ESRCH;
		return NULL;
	}
	look_free(&k);
	*n = k.n;
	if (k.h == NULL && (k.h = calloc(1, sizeof(*k.h))) == NULL)
		err(1, NULL);
	return k.h;
}

void
held_free(struct held *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(h[i].name);
		free(h[i].detail);
		ends_free(&h[i].other);
	}
	free(h);
}
