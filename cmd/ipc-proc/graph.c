/*
 * The waits of processes as a graph: a node per process, read once a
 * run, with each thread's wait (blocked.c), what it is on in short
 * words, and the processes that could end it (ends.c); then the closed
 * sets of processes that no one outside can wake, the proven deadlocks.
 * Only /proc is read: a wait that cannot be read is said as such, and
 * a process that ends while it is read is simply not a node.
 */
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"
#include "ipc-proc.h"

#define WORDS_MAX	1024		/* a wait in words, at most */
#define SHM_DIR		"/dev/shm"

/* the ways out a wait leaves to a process that does not hold it yet */
static const char WAY_SIGNAL[] = "a signal";
static const char WAY_SYSV_MSG[] =
    "a process allowed to use the System V queue";
static const char WAY_SYSV_SEM[] =
    "a process allowed to use the System V semaphore set";
static const char WAY_CONNECT[] = "a process that connects to the socket";
static const char WAY_QUEUE[] = "a process that opens the queue by its name";
static const char WAY_SEM[] =
    "a process that opens the semaphore by its name";
static const char WAY_SHM[] =
    "a process that opens the shared memory by its name";
static const char WAY_FIFO_R[] =
    "a process that opens the FIFO for reading";
static const char WAY_FIFO_W[] =
    "a process that opens the FIFO for writing";
static const char WAY_WATCH[] =
    "a terminal, timer or other file it watches that is not IPC";
static const char WAY_LISTENER[] = "the listener, when it accepts";
static const char WAY_SELF[] =
    "this ipc-proc, which holds the other end while it runs";

static ssize_t	 tids_of(pid_t, pid_t **);

/* src's enders, unread, remote and way (the first one) into dst */
static void
by_merge(struct ends *dst, const struct ends *src)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		ends_add(dst, src->pid[i]);
	dst->unread += src->unread;
	dst->unseen |= src->unseen;
	dst->remote |= src->remote;
	if (dst->way == NULL)
		dst->way = src->way;
	if (dst->peer[0] == '\0')
		strlcpy(dst->peer, src->peer, sizeof(dst->peer));
}

/* whether a file of this type can carry IPC that ends a wait */
static int
ipc_type(mode_t type)
{
	return type == S_IFIFO || type == S_IFSOCK;
}

/*
 * Whether this process holds (dev, ino) on 0, 1 or 2 as an end that
 * could end the wait (writable for a reader's, readable for a
 * writer's): the index leaves us out, and a reader of our output is not
 * stuck (why PID | less)
 */
static int
self_holds(dev_t dev, ino_t ino, int want)
{
	struct stat st;
	int fd, acc;

	for (fd = 0; fd <= 2; fd++) {
		if (fstat(fd, &st) == -1 || st.st_dev != dev ||
		    st.st_ino != ino || (acc = fcntl(fd, F_GETFL)) == -1)
			continue;
		acc &= O_ACCMODE;
		if (acc == O_RDWR || acc == (want == ENDS_READERS ?
		    O_RDONLY : O_WRONLY))
			return 1;
	}
	return 0;
}

/* a descriptor's ends: a pipe's other side, a socket's peer */
static void
io_ends(dev_t dev, ino_t ino, mode_t type, int write, struct ends *e)
{
	if (type == S_IFIFO)
		ends_of(dev, ino, type, (write ? ENDS_READERS : ENDS_WRITERS) |
		    ENDS_MUST, e);
	else
		ends_of(dev, ino, type, ENDS_PEER, e);
	if (e->way == NULL && type == S_IFIFO && self_holds(dev, ino,
	    write ? ENDS_READERS : ENDS_WRITERS))
		e->way = WAY_SELF;
}


static char *
strf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static char *
strf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n == -1)
		err(1, NULL);
	return s;
}

/* the object's short name: "pipe:[5678]", "FIFO /run/x", "socket:[9]" */
static char *
obj_fd(const struct blocked *b)
{
	if (b->what[0] == '\0')
		return strf("descriptor %d", b->fd);
	if (b->type == S_IFIFO && b->what[0] == '/')
		return strf("FIFO %s", b->what);
	return strf("%s", b->what);
}

/* a read or write: of a pipe, FIFO or socket an IPC wait, else not */
static void
on_io(pid_t pid, struct pwait *w, char *other, size_t olen)
{
	struct blocked *b = &w->b;
	int c, n, cap;

	w->obj = obj_fd(b);
	if (!ipc_type(b->type)) {
		w->state = W_OTHER;
		return;
	}
	io_ends(b->dev, b->ino, b->type, b->kind == BLOCKED_WRITE, &w->by);
	/* a writer's pipe: how full, through a copy of its own descriptor
	 * (opened afresh, a FIFO would release a writer waiting in open(2));
	 * a reader's is empty, or it would not wait */
	if (b->kind != BLOCKED_WRITE || !S_ISFIFO(b->type) ||
	    (c = held_dup(pid, b->fd, b->dev, b->ino)) == -1)
		return;
	if (ioctl(c, FIONREAD, &n) == 0 &&
	    (cap = fcntl(c, F_GETPIPE_SZ)) > 0)
		snprintf(other, olen, n >= cap ? "full: %d of %d bytes" :
		    "%d of %d bytes buffered, too little room for the write",
		    n, cap);
	close(c);
}

/* accept: a process that connects; connect: the listener's holders */
static void
on_sock(struct pwait *w)
{
	struct blocked *b = &w->b;

	w->obj = obj_fd(b);
	if (b->type != S_IFSOCK) {
		w->state = W_OTHER;
		return;
	}
	ends_of(b->dev, b->ino, b->type, ENDS_PEER, &w->by);
	if (w->by.way == NULL && b->kind == BLOCKED_ACCEPT)
		w->by.way = WAY_CONNECT;
	else if (w->by.way == NULL && w->by.n == 0)
		w->by.way = WAY_LISTENER;
}

/* open(2) of a FIFO: its other side, or a newcomer that opens it */
static void
on_open(struct pwait *w)
{
	struct blocked *b = &w->b;
	int rd = (b->op & O_ACCMODE) == O_RDONLY;

	if (b->type != S_IFIFO) {
		w->state = W_OTHER;
		w->obj = strf("%s", b->what);
		return;
	}
	w->obj = strf("FIFO %s", b->what);
	ends_of(b->dev, b->ino, S_IFIFO, rd ? ENDS_WRITERS : ENDS_READERS,
	    &w->by);
	if (w->by.way == NULL)
		w->by.way = rd ? WAY_FIFO_W : WAY_FIFO_R;
}

/* a POSIX queue: its holders, and anyone who opens its name */
static void
on_mq(struct pwait *w)
{
	struct blocked *b = &w->b;

	w->obj = b->what[0] != '\0' ? strf("queue %s", b->what) :
	    strf("queue at descriptor %d", b->fd);
	ends_of(b->dev, b->ino, b->type, ENDS_HOLDERS, &w->by);
	if (w->by.way == NULL)
		w->by.way = WAY_QUEUE;
}

/* whether pid is there, by /proc alone: nothing is signalled */
static int
alive(pid_t pid)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	return pid > 0 && access(path, F_OK) == 0;
}

/* the pids /proc/sysvipc/msg last recorded for queue id, still there */
static void
msgq_pids(long id, struct ends *e)
{
	char line[512];
	long qid;
	int lspid, lrpid;
	FILE *f;

	if ((f = fopen("/proc/sysvipc/msg", "re")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "%*d %ld %*o %*u %*u %d %d", &qid, &lspid,
		    &lrpid) == 3 && qid == id) {
			if (alive(lspid))
				ends_add(e, lspid);
			if (alive(lrpid))
				ends_add(e, lrpid);
		}
	fclose(f);
}

/* System V: anyone with permission can end it; the last pids known */
static void
on_sysv(struct pwait *w)
{
	struct blocked *b = &w->b;

	if (b->kind == BLOCKED_SEMOP) {
		w->obj = strf("System V semaphore set %ld", b->id);
		w->by.way = WAY_SYSV_SEM;
		return;
	}
	w->obj = strf("System V queue %ld", b->id);
	msgq_pids(b->id, &w->by);
	w->by.way = WAY_SYSV_MSG;
}

/*
 * The name under /dev/shm that leads to (dev, ino) now, "/x" for sem.x
 * and for x: 0, or -1 where none does (unlinked, or still the
 * creator's temporary name)
 */
static int
shm_name(dev_t dev, ino_t ino, char *name, size_t len)
{
	struct dirent *e;
	struct stat st;
	DIR *d;
	int dfd, found = -1;

	if ((d = opendir(SHM_DIR)) == NULL)
		return -1;
	dfd = dirfd(d);
	while (found == -1 && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' &&
		    fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode) && st.st_dev == dev &&
		    st.st_ino == ino) {
			snprintf(name, len, "/%s", strncmp(e->d_name, "sem.",
			    4) == 0 ? e->d_name + 4 : e->d_name);
			found = 0;
		}
	closedir(d);
	return found;
}

/* the 32-bit word at addr in pid's memory: a semaphore's value */
static int
mem_word(pid_t pid, unsigned long addr, unsigned *v)
{
	char path[64];
	int fd, ok;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	ok = pread(fd, v, sizeof(*v), (off_t)addr) == (ssize_t)sizeof(*v);
	close(fd);
	return ok ? 0 : -1;
}

/* the processes that map (dev, ino) */
static void
mappers(dev_t dev, ino_t ino, struct ends *e)
{
	struct pidx *ix = proc_index(PIDX_MAPS);
	const struct holder *h;
	size_t n;

	for (n = pidx_obj(ix, dev, ino, &h); n > 0; n--, h++)
		if (h->kind == PIDX_MAP)
			ends_add(e, h->pid);
	if (e->n == 0)		/* as ends.c: unknown only where none seen */
		e->unread = pidx_unread(ix, PIDX_MAPS, NULL, 0);
}

/* the semaphore in words: its name, value, mappers, no unit holders */
static void
sem_words(pid_t pid, const struct pwait *w, const char *name, char *buf,
    size_t len)
{
	size_t off;
	unsigned v;

	snprintf(buf, len, "semaphore %s", name != NULL ? name :
	    "(its name unlinked)");
	off = strlen(buf);
	if (mem_word(pid, w->b.addr, &v) == 0)
		off += (size_t)snprintf(buf + off, len - off, ", value %u", v);
	if (off < len)
		snprintf(buf + off, len - off, ", mapped by %zu process%s; "
		    "POSIX records no unit holders", w->by.n,
		    w->by.n == 1 ? "" : "es");
}

/*
 * A futex: in private memory only the process's own threads can wake
 * it; in a shared mapping, those that map it, and a newcomer that
 * opens it while it has a name
 */
static void
on_futex(pid_t pid, struct pwait *w, char *other, size_t olen)
{
	const struct procfs_map *m = &w->b.map;
	int sem = strncmp(m->path, SHM_DIR "/sem.", 13) == 0;
	char name[NAME_MAX + 2];
	int named;

	if (m->end == 0 || !m->shared) {
		w->obj = strf("futex (private memory)");
		ends_add(&w->by, pid);
		return;
	}
	if (m->ino == 0) {
		w->obj = strf("futex (shared anonymous memory)");
		w->by.unread = 1;	/* shared with whom: not in /proc */
		return;
	}
	named = shm_name(m->dev, m->ino, name, sizeof(name)) == 0;
	if (named)
		w->obj = strf("%s %s", sem ? "semaphore" : "futex in", name);
	else	/* each process maps it under a name of its own: its inode */
		w->obj = strf("%s, inode %lu", sem ? "unlinked semaphore" :
		    "futex in a deleted file", (unsigned long)m->ino);
	mappers(m->dev, m->ino, &w->by);
	if (named)
		w->by.way = sem ? WAY_SEM : WAY_SHM;
	if (sem)
		sem_words(pid, w, named ? name : NULL, other, olen);
}

/* the holders of a conflicting lock, each from its own fdinfo */
struct lockq {
	struct ends *e;
	int write;
};

static void
lock_holder(const struct blocked_lock *l, void *arg)
{
	struct lockq *q = arg;

	if (!l->waiter && (q->write || l->write))
		ends_add(q->e, l->holder);
}

static void
lock_line(const struct blocked_lock *l, void *arg)
{
	size_t *n = arg;

	if (!l->waiter)
		(*n)++;
}

/*
 * flock, fcntl(F_SETLKW): the holders named by the lock: lines of each
 * fdinfo; /proc/locks only says how many there are (its pid may be -1,
 * or a locker that has gone)
 */
static void
on_lock(struct pwait *w)
{
	struct blocked *b = &w->b;
	struct pidx *ix = proc_index(PIDX_FDS);
	const struct holder *h;
	struct lockq q = { &w->by, 1 };
	size_t n, lines = 0;

	w->obj = strf("lock on %s", b->what[0] ? b->what : "a file");
	if (b->kind == BLOCKED_FLOCK)
		q.write = (b->op & LOCK_EX) != 0;
	for (n = pidx_obj(ix, b->dev, b->ino, &h); n > 0; n--, h++)
		if (h->kind == PIDX_FD && (n == 1 || h[1].pid != h->pid))
			blocked_fdinfo_locks(h->pid, b->dev, b->ino,
			    lock_holder, &q);
	blocked_locks(b->dev, b->ino, lock_line, &lines);
	if (w->by.n == 0 && lines > 0)	/* held, by whom we cannot read */
		w->by.unread = lines;
}

/*
 * Each child of every thread of pid, from task/TID/children, to fn: 0,
 * or -1 where the kernel has no such file (CONFIG_PROC_CHILDREN)
 */
static int
each_child(pid_t pid, void (*fn)(pid_t, pid_t, struct pwait *),
    struct pwait *w)
{
	char path[64];
	pid_t *tids;
	ssize_t nt, i;
	FILE *f;
	int c, found = 0;

	if ((nt = tids_of(pid, &tids)) <= 0)
		return 0;
	for (i = 0; i < nt; i++) {
		snprintf(path, sizeof(path), "/proc/%d/task/%d/children",
		    (int)pid, (int)tids[i]);
		if ((f = fopen(path, "re")) == NULL)
			continue;
		found = 1;
		while (fscanf(f, "%d", &c) == 1)
			fn(pid, (pid_t)c, w);
		fclose(f);
	}
	free(tids);
	return found ? 0 : -1;
}

/* child c of pid, if the wait w waits for it */
static void
child(pid_t pid, pid_t c, struct pwait *w)
{
	char buf[1024];
	const char *p;
	int ppid, pgrp, mygrp = 0;
	long id = w->b.id;

	if ((p = pid_stat(c, buf, sizeof(buf))) == NULL ||
	    sscanf(p, "%*c %d %d", &ppid, &pgrp) != 2 || ppid != pid)
		return;
	if (w->b.op == P_PGID && id == 0 &&
	    ((p = pid_stat(pid, buf, sizeof(buf))) == NULL ||
	    sscanf(p, "%*c %*d %d", &mygrp) != 1))
		return;
	if (w->b.op == P_ALL || (w->b.op == P_PID && c == id) ||
	    (w->b.op == P_PGID && pgrp == (id != 0 ? id : mygrp)))
		ends_add(&w->by, c);
}

/* wait4, waitid: the children it waits for */
static void
on_wait(pid_t pid, struct pwait *w)
{
	struct blocked *b = &w->b;
	struct dirent *e;
	DIR *d;

	w->obj = b->op == P_PID ? strf("child %ld", b->id) :
	    strf(b->op == P_ALL ? "children" : "process group children");
	if (b->op != P_ALL && b->op != P_PID && b->op != P_PGID) {
		w->by.unread = 1;	/* a pidfd: whose, not said */
		return;
	}
	if (each_child(pid, child, w) == 0 || (d = opendir("/proc")) == NULL)
		return;
	while ((e = readdir(d)) != NULL)	/* no children files: every one */
		if (isdigit((unsigned char)e->d_name[0]))
			child(pid, (pid_t)strtol(e->d_name, NULL, 10), w);
	closedir(d);
}

/* a watched descriptor's type: as the index saw it, else stat(2) */
static mode_t
watch_type(pid_t pid, const struct blocked_watch *x, dev_t *dev,
    ino_t *ino)
{
	struct pidx *ix = proc_index(PIDX_FDS);
	const struct holder *h;
	struct stat st;
	char path[64];

	if (x->ino != 0) {
		*dev = x->dev;
		*ino = x->ino;
		if (pidx_obj(ix, x->dev, x->ino, &h) > 0 && h->kind == PIDX_FD)
			return h->mode;
	}
	if (x->stale)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, x->fd);
	if (stat(path, &st) == -1 || (x->ino != 0 && st.st_ino != x->ino))
		return 0;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return st.st_mode & S_IFMT;
}

/* a watched descriptor's object by its link: "pipe:[5678]" */
static void
watch_name(pid_t pid, const struct blocked_watch *x, char *buf, size_t len)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, x->fd);
	if (x->stale || (n = readlink(path, buf, len - 1)) <= 0)
		snprintf(buf, len, "descriptor %d", x->fd);
	else
		buf[n] = '\0';
}

/*
 * poll, select, epoll_wait: any one watched descriptor ends it, so the
 * union of their enders; one that is not IPC leaves a way out. Its
 * object: the IPC one it watches, or the first of them and how many.
 */
static void
on_watch(pid_t pid, struct pwait *w)
{
	const struct blocked *b = &w->b;
	const char *how = b->kind == BLOCKED_EPOLL ? "epoll" :
	    b->kind == BLOCKED_POLL ? "poll" : "select";
	char first[PATH_MAX] = "";
	struct ends e;
	size_t i, ipc = 0;
	dev_t dev = 0;
	ino_t ino = 0;
	mode_t type;

	for (i = 0; i < b->nw; i++) {
		type = watch_type(pid, &b->w[i], &dev, &ino);
		if (!ipc_type(type)) {
			w->by.way = WAY_WATCH;
			continue;
		}
		if (ipc++ == 0)
			watch_name(pid, &b->w[i], first, sizeof(first));
		memset(&e, 0, sizeof(e));
		io_ends(dev, ino, type, !(b->w[i].events & POLLIN) &&
		    (b->w[i].events & POLLOUT), &e);
		by_merge(&w->by, &e);
		ends_free(&e);
	}
	if (b->more > 0 || (b->nw == 0 && b->kind != BLOCKED_EPOLL))
		w->by.unread++;		/* a set not read whole */
	else if (ipc == 0)
		w->state = W_OTHER;
	w->obj = ipc == 0 ? strf("%s set", how) : ipc == 1 ?
	    strf("%s on %s", how, first) :
	    strf("%s on %s and %zu more", how, first, ipc - 1);
}

/* what the thread waits on, its state and who could end it */
static void
classify(pid_t pid, struct pwait *w, char *other, size_t olen)
{
	struct blocked *b = &w->b;

	w->state = b->timed ? W_TIMED : W_ENDLESS;
	switch (b->kind) {
	case BLOCKED_UNREADABLE:
	case BLOCKED_RESTART:
		w->state = W_UNREAD;
		return;
	case BLOCKED_RUNNING:
		w->state = W_RUNNING;
		return;
	case BLOCKED_READ:
	case BLOCKED_WRITE:
		on_io(pid, w, other, olen);
		return;
	case BLOCKED_ACCEPT:
	case BLOCKED_CONNECT:
		on_sock(w);
		return;
	case BLOCKED_POLL:
	case BLOCKED_SELECT:
	case BLOCKED_EPOLL:
		on_watch(pid, w);
		return;
	case BLOCKED_OPEN:
		on_open(w);
		return;
	case BLOCKED_MQ_RECV:
	case BLOCKED_MQ_SEND:
		on_mq(w);
		return;
	case BLOCKED_MSG_RECV:
	case BLOCKED_MSG_SEND:
	case BLOCKED_SEMOP:
		on_sysv(w);
		return;
	case BLOCKED_FUTEX:
		on_futex(pid, w, other, olen);
		return;
	case BLOCKED_FLOCK:
	case BLOCKED_FCNTL_LOCK:
		on_lock(w);
		return;
	case BLOCKED_WAIT:
		on_wait(pid, w);
		return;
	case BLOCKED_SIGWAIT:
	case BLOCKED_PAUSE:
		w->obj = strf("signal");
		w->by.way = WAY_SIGNAL;
		return;
	default:
		w->state = W_OTHER;
		return;
	}
}

/* whether thread tid has ended (or is ending: a zombie) by now */
static int
ended(pid_t pid, pid_t tid)
{
	char path[64], buf[512], *p;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid,
	    (int)tid);
	if ((n = procfs_text(AT_FDCWD, path, buf, sizeof(buf))) <= 0 ||
	    (p = strrchr(buf, ')')) == NULL)
		return 1;
	return p[1] != ' ' || p[2] == 'Z' || p[2] == 'X';
}

/* thread tid's wait, read now: 0, or -1 where the thread has ended */
static int
read_wait(pid_t pid, pid_t tid, struct pwait *w)
{
	char other[512], words[WORDS_MAX];

	memset(w, 0, sizeof(*w));
	w->tid = tid;
	if (blocked_read(pid, tid, &w->b) == -1 ||
	    (w->b.kind == BLOCKED_UNREADABLE && w->b.err != EACCES &&
	    w->b.err != EPERM && ended(pid, tid))) {
		blocked_free(&w->b);
		return -1;
	}
	if (pid == getpid()) {	/* read while it reads: it runs */
		blocked_free(&w->b);
		w->b.kind = BLOCKED_RUNNING;
	}
	other[0] = '\0';
	classify(pid, w, other, sizeof(other));
	w->b.other = other[0] != '\0' ? other : NULL;
	blocked_words(&w->b, words, sizeof(words));
	w->b.other = NULL;
	if (w->state == W_UNREAD && w->b.kind == BLOCKED_UNREADABLE &&
	    (w->b.err == EACCES || w->b.err == EPERM))
		strlcat(words, " (another user's, or not dumpable)",
		    sizeof(words));
	if ((w->words = strdup(words)) == NULL)
		err(1, NULL);
	return 0;
}

/* two pids (or thread ids) in order, for qsort and bsearch */
int
graph_pidcmp(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* the ids of pid's threads, in order: how many; -1 where it has ended */
static ssize_t
tids_of(pid_t pid, pid_t **tids)
{
	char path[64];
	struct dirent *e;
	size_t n = 0, cap = 0;
	DIR *d;

	*tids = NULL;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			if ((*tids = reallocarray(*tids, cap,
			    sizeof(**tids))) == NULL)
				err(1, NULL);
		}
		(*tids)[n++] = (pid_t)strtol(e->d_name, NULL, 10);
	}
	closedir(d);
	qsort(*tids, n, sizeof(**tids), graph_pidcmp);
	return (ssize_t)n;
}

static void
node_free(struct pnode *n)
{
	size_t i;

	for (i = 0; i < n->nw; i++) {
		blocked_free(&n->w[i].b);
		free(n->w[i].words);
		free(n->w[i].obj);
		ends_free(&n->w[i].by);
	}
	free(n->w);
	n->w = NULL;
	n->nw = 0;
}

/* process pid, every thread of it, into n: 0, or -1 with ESRCH */
static int
read_node(pid_t pid, struct pnode *n)
{
	pid_t *tids;
	ssize_t nt, i;
	long ms;

	memset(n, 0, sizeof(*n));
	n->pid = pid;
	n->asleep_ms = -1;
	proc_comm(pid, n->comm, sizeof(n->comm));
	if ((nt = tids_of(pid, &tids)) <= 0 ||
	    (n->w = calloc((size_t)nt, sizeof(*n->w))) == NULL) {
		free(tids);
		errno = ESRCH;
		return -1;
	}
	for (i = 0; i < nt; i++) {
		if (read_wait(pid, tids[i], &n->w[n->nw]) == -1)
			continue;
		ms = n->w[n->nw].b.asleep_ms;
		if (n->w[n->nw].state != W_RUNNING &&
		    n->w[n->nw].state != W_UNREAD && ms >= 0 &&
		    (n->asleep_ms < 0 || ms < n->asleep_ms))
			n->asleep_ms = ms;
		n->nw++;
	}
	free(tids);
	if (n->nw == 0) {
		node_free(n);
		errno = ESRCH;
		return -1;
	}
	return 0;
}

/* where pid is, or would go, in g's pid order */
static size_t
node_at(const struct pgraph *g, pid_t pid)
{
	size_t lo = 0, hi = g->nn, mid;

	if (g->nn > 0 && g->n[g->nn - 1].pid < pid)
		return g->nn;	/* /proc's order: kept cheap */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (g->n[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* pid's node in g, read already, or NULL: graph_find reads nothing, so
 * the nodes do not move under a caller walking them */
struct pnode *
graph_find(const struct pgraph *g, pid_t pid)
{
	size_t i = node_at(g, pid);

	return i < g->nn && g->n[i].pid == pid ? &g->n[i] : NULL;
}

/*
 * Process pid's node, read at the first asking and kept: NULL with
 * errno ESRCH where it does not exist or ended while it was read. The
 * nodes are in pid order; a pointer holds until the next graph_node.
 */
struct pnode *
graph_node(struct pgraph *g, pid_t pid)
{
	struct pnode n;
	size_t i, k;

	i = node_at(g, pid);
	if (i < g->nn && g->n[i].pid == pid)
		return &g->n[i];
	if (read_node(pid, &n) == -1)
		return NULL;
	if (g->nn == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 16;
		if ((g->n = reallocarray(g->n, g->cap, sizeof(*g->n))) == NULL)
			err(1, NULL);
	}
	memmove(g->n + i + 1, g->n + i, (g->nn - i) * sizeof(*g->n));
	g->n[i] = n;
	g->nn++;
	for (k = 0; k < n.nw; k++)
		if (n.w[k].state == W_UNREAD) {
			g->unread++;
			break;
		}
	return &g->n[i];
}

/*
 * pid's node and every node its waits lead to, onward: each read once.
 * The queue is the pids themselves, since nodes move as they are added.
 */
void
graph_reach(struct pgraph *g, pid_t pid)
{
	pid_t *todo = NULL;
	size_t nt = 0, cap = 0, t, k, j;
	struct pnode *n;

	if (graph_node(g, pid) == NULL)
		return;
	if ((todo = malloc(sizeof(*todo) * (cap = 16))) == NULL)
		err(1, NULL);
	todo[nt++] = pid;
	for (t = 0; t < nt; t++) {
		if ((n = graph_find(g, todo[t])) == NULL)
			continue;
		for (k = 0; k < n->nw; k++)
			for (j = 0; j < n->w[k].by.n; j++) {
				pid = n->w[k].by.pid[j];
				if (graph_find(g, pid) != NULL ||
				    graph_node(g, pid) == NULL)
					continue;
				n = graph_find(g, todo[t]);
				if (nt == cap && (todo = reallocarray(todo,
				    cap *= 2, sizeof(*todo))) == NULL)
					err(1, NULL);
				todo[nt++] = pid;
			}
	}
	free(todo);
}

/* every process /proc shows (but this one), each a node */
/*
 * Every process in /proc but ourselves and the kernel's threads, in pid
 * order: *n of them, to free
 */
pid_t *
graph_pids(size_t *n)
{
	struct dirent *e;
	pid_t *v = NULL, pid, self = getpid();
	size_t cap = 0;
	DIR *d;

	*n = 0;
	if ((d = opendir("/proc")) == NULL)
		err(1, "read /proc");
	while ((e = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid = (pid_t)strtol(e->d_name, NULL, 10);
		if (pid == self || pid_kthread(pid))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 512;
			if ((v = reallocarray(v, cap, sizeof(*v))) == NULL)
				err(1, NULL);
		}
		v[(*n)++] = pid;
	}
	closedir(d);
	qsort(v, *n, sizeof(*v), graph_pidcmp);
	return v;
}

void
graph_every(struct pgraph *g)
{
	pid_t *v;
	size_t n, i;

	v = graph_pids(&n);
	for (i = 0; i < n; i++)
		graph_node(g, v[i]);
	free(v);
}

/* whether n may be in a proven deadlock, by its own waits alone */
static int
candidate(const struct pnode *n)
{
	size_t k;

	for (k = 0; k < n->nw; k++)
		if (n->w[k].state != W_ENDLESS || n->w[k].by.way != NULL ||
		    n->w[k].by.unread > 0 || n->w[k].by.remote)
			return 0;
	return n->nw > 0;
}

/* whether every ender of every wait of n is still marked */
static int
closed(const struct pgraph *g, const struct pnode *n)
{
	const struct pnode *m;
	size_t k, j;

	for (k = 0; k < n->nw; k++)
		for (j = 0; j < n->w[k].by.n; j++)
			if ((m = graph_find(g, n->w[k].by.pid[j])) == NULL ||
			    !m->deadlock)
				return 0;
	return 1;
}

/*
 * The proven deadlocks: the greatest set of nodes each blocked in
 * every thread with no timeout and no way out, whose every ender is in
 * the set. From the candidates, drop any with an ender outside, until
 * none is dropped. Marks pnode.deadlock; how many are marked.
 */
size_t
graph_deadlocks(struct pgraph *g)
{
	size_t i, n = 0;
	int changed;

	for (i = 0; i < g->nn; i++)
		g->n[i].deadlock = candidate(&g->n[i]);
	do {
		changed = 0;
		for (i = 0; i < g->nn; i++)
			if (g->n[i].deadlock && !closed(g, &g->n[i])) {
				g->n[i].deadlock = 0;
				changed = 1;
			}
	} while (changed);
	for (i = 0; i < g->nn; i++)
		n += g->n[i].deadlock;
	return n;
}

void
graph_free(struct pgraph *g)
{
	size_t i;

	for (i = 0; i < g->nn; i++)
		node_free(&g->n[i]);
	free(g->n);
	memset(g, 0, sizeof(*g));
}
