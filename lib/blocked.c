/*
 * What one thread is blocked on, now: its system call and arguments from
 * /proc/PID/task/TID/syscall, and what they point at from the same
 * thread's fd, fdinfo, maps and mem. Reading must not change what it
 * reads: no ptrace, no signal, no FIFO opened, no socket connected; a
 * file is only ever stat(2)ed. Each text parser takes the text, so it
 * can be fuzzed; a process that ends between two reads is the normal
 * case (ENOENT, ESRCH), never a crash.
 */
#include <sys/file.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <linux/futex.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

#define SELECT_BITS	65536		/* select's sets read, at most */
#define WORDS_FDS	16		/* descriptors a set is said by */

enum { T_NONE, T_PTR, T_INT };		/* how a call's timeout is given */

static const struct call {
	long nr;
	int kind;
	signed char fd;			/* which argument is the descriptor */
	signed char tmo;		/* which is the timeout, or -1 */
	unsigned char how;
} calls[] = {
	{ SYS_read,		BLOCKED_READ,	  0, -1, T_NONE },
	{ SYS_readv,		BLOCKED_READ,	  0, -1, T_NONE },
	{ SYS_recvfrom,		BLOCKED_READ,	  0, -1, T_NONE },
	{ SYS_recvmsg,		BLOCKED_READ,	  0, -1, T_NONE },
	{ SYS_write,		BLOCKED_WRITE,	  0, -1, T_NONE },
	{ SYS_writev,		BLOCKED_WRITE,	  0, -1, T_NONE },
	{ SYS_sendto,		BLOCKED_WRITE,	  0, -1, T_NONE },
	{ SYS_sendmsg,		BLOCKED_WRITE,	  0, -1, T_NONE },
	{ SYS_accept,		BLOCKED_ACCEPT,	  0, -1, T_NONE },
	{ SYS_accept4,		BLOCKED_ACCEPT,	  0, -1, T_NONE },
	{ SYS_connect,		BLOCKED_CONNECT,  0, -1, T_NONE },
	{ SYS_poll,		BLOCKED_POLL,	 -1,  2, T_INT },
	{ SYS_ppoll,		BLOCKED_POLL,	 -1,  2, T_PTR },
	{ SYS_select,		BLOCKED_SELECT,	 -1,  4, T_PTR },
	{ SYS_pselect6,		BLOCKED_SELECT,	 -1,  4, T_PTR },
	{ SYS_epoll_wait,	BLOCKED_EPOLL,	  0,  3, T_INT },
	{ SYS_epoll_pwait,	BLOCKED_EPOLL,	  0,  3, T_INT },
#ifdef SYS_epoll_pwait2
	{ SYS_epoll_pwait2,	BLOCKED_EPOLL,	  0,  3, T_PTR },
#endif
	{ SYS_mq_timedreceive,	BLOCKED_MQ_RECV,  0,  4, T_PTR },
	{ SYS_mq_timedsend,	BLOCKED_MQ_SEND,  0,  4, T_PTR },
	{ SYS_msgrcv,		BLOCKED_MSG_RECV, -1, -1, T_NONE },
	{ SYS_msgsnd,		BLOCKED_MSG_SEND, -1, -1, T_NONE },
	{ SYS_semop,		BLOCKED_SEMOP,	 -1, -1, T_NONE },
	{ SYS_semtimedop,	BLOCKED_SEMOP,	 -1,  3, T_PTR },
	{ SYS_futex,		BLOCKED_FUTEX,	 -1,  3, T_PTR },
	{ SYS_flock,		BLOCKED_FLOCK,	  0, -1, T_NONE },
	{ SYS_fcntl,		BLOCKED_FCNTL_LOCK, 0, -1, T_NONE },
	{ SYS_wait4,		BLOCKED_WAIT,	 -1, -1, T_NONE },
	{ SYS_waitid,		BLOCKED_WAIT,	 -1, -1, T_NONE },
	{ SYS_rt_sigtimedwait,	BLOCKED_SIGWAIT, -1,  2, T_PTR },
	{ SYS_pause,		BLOCKED_PAUSE,	 -1, -1, T_NONE },
	{ SYS_rt_sigsuspend,	BLOCKED_PAUSE,	 -1, -1, T_NONE },
	{ SYS_nanosleep,	BLOCKED_SLEEP,	 -1,  0, T_PTR },
	{ SYS_clock_nanosleep,	BLOCKED_SLEEP,	 -1,  2, T_PTR },
#ifdef SYS_open
	{ SYS_open,		BLOCKED_OPEN,	 -1, -1, T_NONE },
#endif
	{ SYS_openat,		BLOCKED_OPEN,	  0, -1, T_NONE },
};

/* the calls whose meaning is in an argument: futex, fcntl, wait, open */
static void
parse_special(struct blocked *b)
{
	int op = (int)b->a[1];

	switch (b->kind) {
	case BLOCKED_FUTEX:
		b->addr = b->a[0];
		b->op = op & FUTEX_CMD_MASK;
		if (b->op != FUTEX_WAIT && b->op != FUTEX_WAIT_BITSET &&
		    b->op != FUTEX_LOCK_PI && b->op != FUTEX_WAIT_REQUEUE_PI)
			b->kind = BLOCKED_OTHER;
		break;
	case BLOCKED_FCNTL_LOCK:
		b->op = op;
		if (op != F_SETLKW && op != F_OFD_SETLKW)
			b->kind = BLOCKED_OTHER;
		break;
	case BLOCKED_FLOCK:
		b->op = op;
		break;
	case BLOCKED_WAIT:
		b->id = b->nr == SYS_waitid ? (long)(int)b->a[1] :
		    (long)(int)b->a[0];
		b->op = b->nr == SYS_waitid ? (int)b->a[0] :
		    b->id == -1 ? P_ALL : b->id > 0 ? P_PID : P_PGID;
		if (b->nr == SYS_wait4 && b->id < -1)
			b->id = -b->id;
		break;
	case BLOCKED_OPEN:
		if (b->fd == -1) {	/* open(2): the path is first */
			b->addr = b->a[0];
			b->op = (int)b->a[1];
		} else {
			b->addr = b->a[1];
			b->op = (int)b->a[2];
		}
		break;
	case BLOCKED_MSG_RECV:
	case BLOCKED_MSG_SEND:
	case BLOCKED_SEMOP:
		b->id = (long)(int)b->a[0];
		break;
	}
}

static void
parse_timeout(struct blocked *b, const struct call *c)
{
	if (c->tmo < 0)
		return;
	if (c->how == T_INT)
		b->timed = (int)b->a[c->tmo] >= 0;
	else {
		b->tmo = b->a[c->tmo];
		b->timed = b->tmo != 0;
	}
	/* a futex's lock or requeue wait keeps its timeout where WAIT does */
}

/*
 * The text of /proc/PID/task/TID/syscall into b: "running", or the
 * call's number and six arguments; "-1 SP PC" outside any call. 0, or
 * -1 where the text is none of these.
 */
int
blocked_parse(const char *text, struct blocked *b)
{
	unsigned long a[6];
	size_t i;
	long nr;
	int n;

	b->fd = -1;
	b->nr = -1;
	if (strncmp(text, "running", 7) == 0) {
		b->kind = BLOCKED_RUNNING;
		return 0;
	}
	n = sscanf(text, "%ld %lx %lx %lx %lx %lx %lx", &nr, &a[0], &a[1],
	    &a[2], &a[3], &a[4], &a[5]);
	if (n >= 1 && nr == -1) {
		b->kind = BLOCKED_OTHER;
		return 0;
	}
	if (n != 7)
		return -1;
	b->nr = nr;
	memcpy(b->a, a, sizeof(a));
	b->kind = nr == SYS_restart_syscall ? BLOCKED_RESTART : BLOCKED_OTHER;
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		if (calls[i].nr != nr)
			continue;
		b->kind = calls[i].kind;
		if (calls[i].fd >= 0)
			b->fd = (int)a[(int)calls[i].fd];
		parse_timeout(b, &calls[i]);
		parse_special(b);
		break;
	}
	return 0;
}

/* "tfd: 5 events: 19 data: 5 pos:0 ino:1593a0 sdev:f": one epoll watch */
int
blocked_epoll_line(const char *line, struct blocked_watch *w)
{
	unsigned long long ino;
	unsigned ev, sdev;
	int fd;
	const char *p;

	if (sscanf(line, "tfd: %d events: %x", &fd, &ev) != 2 || fd < 0)
		return -1;
	w->fd = fd;
	w->events = (int)(ev & (POLLIN | POLLOUT | POLLPRI));
	w->ino = 0;
	w->dev = 0;
	w->stale = 0;
	if ((p = strstr(line, " ino:")) != NULL &&
	    sscanf(p, " ino:%llx sdev:%x", &ino, &sdev) == 2) {
		w->ino = (ino_t)ino;	/* the kernel's dev_t: 12 bits, 20 */
		w->dev = makedev(sdev >> 20, sdev & 0xfffff);
	}
	return 0;
}

/*
 * "1: FLOCK  ADVISORY  WRITE 1234 fe:00:5678 0 EOF", or with "->" after
 * the number (a waiter), or after "lock:\t" (a line of fdinfo)
 */
int
blocked_lock_line(const char *line, struct blocked_lock *l)
{
	char type[16], rw[16];
	unsigned maj, min;
	unsigned long long ino;
	int pid, off = 0;

	if (strncmp(line, "lock:", 5) == 0)
		line += 5;
	if (sscanf(line, " %*d:%n", &off) != 0 || off == 0)
		return -1;
	line += off;
	line += strspn(line, " \t");
	l->waiter = strncmp(line, "->", 2) == 0;
	if (l->waiter)
		line += 2;
	if (sscanf(line, "%15s %*s %15s %d %x:%x:%llu", type, rw, &pid,
	    &maj, &min, &ino) != 6)
		return -1;
	strlcpy(l->type, type, sizeof(l->type));
	l->write = strcmp(rw, "WRITE") == 0;
	l->pid = pid;
	l->holder = -1;
	l->fd = -1;
	l->dev = makedev(maj, min);
	l->ino = (ino_t)ino;
	return 0;
}

/* /proc/PID/sched's text: se.exec_start, in ms on CLOCK_MONOTONIC */
int
blocked_sched(const char *text, double *ms)
{
	const char *p = strstr(text, "se.exec_start");
	char *end;

	if (p == NULL || (p = strchr(p, ':')) == NULL)
		return -1;
	*ms = strtod(p + 1, &end);
	return end == p + 1 || !(*ms >= 0) ? -1 : 0;
}

/* len bytes of the task's memory at addr: 0, or -1 */
static int
task_mem(int task, unsigned long addr, void *buf, size_t len)
{
	ssize_t n;
	int f;

	if (addr == 0 || (f = openat(task, "mem", O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = pread(f, buf, len, (off_t)addr);
	close(f);
	return n == (ssize_t)len ? 0 : -1;
}

/* what descriptor fd leads to, by its link and stat(2): never opened */
static void
read_fd(int task, int fd, struct blocked *b)
{
	char name[32];
	struct stat st;
	ssize_t n;

	snprintf(name, sizeof(name), "fd/%d", fd);
	if ((n = readlinkat(task, name, b->what, sizeof(b->what) - 1)) > 0)
		b->what[n] = '\0';
	if (fstatat(task, name, &st, 0) == 0) {
		b->type = st.st_mode & S_IFMT;
		b->dev = st.st_dev;
		b->ino = st.st_ino;
	}
}

static void
watch(struct blocked *b, int fd, int events)
{
	if (b->nw == BLOCKED_WATCH_MAX) {
		b->more++;
		return;
	}
	b->w[b->nw].fd = fd;
	b->w[b->nw].events = events;
	b->w[b->nw].dev = 0;
	b->w[b->nw].ino = 0;
	b->w[b->nw].stale = 0;
	b->nw++;
}

/* poll's set: nfds struct pollfd at its first argument */
static void
read_poll(int task, struct blocked *b)
{
	unsigned long nfds = b->a[1], i, n;
	struct pollfd *p;

	n = nfds < BLOCKED_WATCH_MAX ? nfds : BLOCKED_WATCH_MAX;
	if (n == 0 || (p = calloc(n, sizeof(*p))) == NULL)
		return;
	if (task_mem(task, b->a[0], p, n * sizeof(*p)) == 0) {
		for (i = 0; i < n; i++)
			if (p[i].fd >= 0)
				watch(b, p[i].fd, p[i].events);
		b->more += nfds - n;
	}
	free(p);
}

/* select's three sets, at its second to fourth arguments */
static void
read_select(int task, struct blocked *b)
{
	static const int ev[3] = { POLLIN, POLLOUT, POLLPRI };
	unsigned char *set[3] = { NULL, NULL, NULL };
	long nfds = (long)(int)b->a[0];
	size_t bytes;
	int i, fd, e;

	if (nfds <= 0)
		return;
	if (nfds > SELECT_BITS)
		nfds = SELECT_BITS;
	bytes = ((size_t)nfds + 63) / 64 * 8;
	for (i = 0; i < 3; i++)
		if (b->a[i + 1] != 0 && ((set[i] = malloc(bytes)) == NULL ||
		    task_mem(task, b->a[i + 1], set[i], bytes) == -1))
			goto out;
	for (fd = 0; fd < nfds; fd++) {
		for (e = i = 0; i < 3; i++)
			if (set[i] != NULL && set[i][fd / 8] & (1 << (fd % 8)))
				e |= ev[i];
		if (e != 0)
			watch(b, fd, e);
	}
out:
	for (i = 0; i < 3; i++)
		free(set[i]);
}

/*
 * epoll keeps a watch while its file is open anywhere, so the number it
 * was added under may since lead elsewhere: a number closed and reused
 */
static void
stale(int task, struct blocked_watch *w)
{
	char name[32];
	struct stat st;

	snprintf(name, sizeof(name), "fd/%d", w->fd);
	w->stale = w->ino != 0 && (fstatat(task, name, &st, 0) == -1 ||
	    st.st_ino != w->ino || st.st_dev != w->dev);
}

/* epoll's set: the tfd lines of its descriptor's fdinfo */
static void
read_epoll(int task, struct blocked *b)
{
	char name[32], *line = NULL;
	size_t cap = 0;
	FILE *f;

	snprintf(name, sizeof(name), "fdinfo/%d", b->fd);
	if ((f = procfs_fopen(task, name)) == NULL)
		return;
	while (getline(&line, &cap, f) != -1) {
		if (b->nw == BLOCKED_WATCH_MAX) {
			b->more += strncmp(line, "tfd:", 4) == 0;
			continue;
		}
		if (blocked_epoll_line(line, &b->w[b->nw]) == 0)
			stale(task, &b->w[b->nw++]);
	}
	free(line);
	fclose(f);
}

/* the mapping that holds the futex word */
static void
read_map(int task, struct blocked *b)
{
	struct procfs_map m;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	if ((f = procfs_fopen(task, "maps")) == NULL)
		return;
	while (getline(&line, &cap, f) != -1)
		if (procfs_maps_line(line, &m) == 0 && b->addr >= m.start &&
		    b->addr < m.end) {
			b->map = m;
			break;
		}
	free(line);
	fclose(f);
}

/*
 * A relative path as a person can find it again: after the directory it
 * is relative to (the task's cwd, or openat's descriptor), where that
 * has a name
 */
static void
absolute(int task, const char *base, struct blocked *b)
{
	char dir[PATH_MAX], *rel;
	ssize_t n;

	if ((n = readlinkat(task, base, dir, sizeof(dir) - 1)) <= 0 ||
	    dir[0] != '/' || (rel = strdup(b->what)) == NULL)
		return;
	dir[n] = '\0';
	if ((size_t)n + 1 + strlen(rel) < sizeof(b->what)) {
		strlcpy(b->what, (size_t)n == 1 ? "" : dir, sizeof(b->what));
		strlcat(b->what, "/", sizeof(b->what));
		strlcat(b->what, rel, sizeof(b->what));
	}
	free(rel);
}

/*
 * What open(2) is opening: its path from the task's memory, stat(2)ed
 * (never opened) from the task's root, cwd or directory descriptor
 */
static void
read_open(int task, struct blocked *b)
{
	char base[32];
	struct stat st;
	int dir, fd = b->nr == SYS_openat ? (int)b->a[0] : AT_FDCWD;

	if (task_mem(task, b->addr, b->what, sizeof(b->what) - 1) == -1 &&
	    task_mem(task, b->addr, b->what, 256) == -1) {
		b->what[0] = '\0';
		return;
	}
	b->what[sizeof(b->what) - 1] = '\0';
	if (b->what[0] == '/')
		strlcpy(base, "root", sizeof(base));
	else if (fd == AT_FDCWD)
		strlcpy(base, "cwd", sizeof(base));
	else
		snprintf(base, sizeof(base), "fd/%d", fd);
	if ((dir = openat(task, base, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		return;
	if (fstatat(dir, b->what[0] == '/' ? b->what + 1 : b->what, &st,
	    0) == 0) {
		b->type = st.st_mode & S_IFMT;
		b->dev = st.st_dev;
		b->ino = st.st_ino;
	}
	close(dir);
	if (b->what[0] != '/')
		absolute(task, base, b);
}

static void
read_more(int task, struct blocked *b)
{
	if (b->fd >= 0 && b->kind != BLOCKED_OPEN)
		read_fd(task, b->fd, b);
	if (b->tmo != 0 && task_mem(task, b->tmo, &b->ts, sizeof(b->ts)) == 0)
		b->ts_ok = 1;
	if ((b->kind == BLOCKED_POLL || b->kind == BLOCKED_SELECT ||
	    b->kind == BLOCKED_EPOLL) &&
	    (b->w = calloc(BLOCKED_WATCH_MAX, sizeof(*b->w))) == NULL)
		return;
	switch (b->kind) {
	case BLOCKED_POLL:
		read_poll(task, b);
		break;
	case BLOCKED_SELECT:
		read_select(task, b);
		break;
	case BLOCKED_EPOLL:
		read_epoll(task, b);
		break;
	case BLOCKED_FUTEX:
		read_map(task, b);
		break;
	case BLOCKED_OPEN:
		read_open(task, b);
		break;
	case BLOCKED_SIGWAIT:
		if (task_mem(task, b->a[0], &b->sigs, sizeof(b->sigs)) == -1)
			b->sigs = 0;
		break;
	}
}

static void
read_sleep(int task, struct blocked *b)
{
	struct timespec now;
	char buf[4096];
	double ms;

	if (procfs_text(task, "wchan", b->wchan, sizeof(b->wchan)) == -1)
		b->wchan[0] = '\0';
	b->wchan[strcspn(b->wchan, "\n")] = '\0';
	if (strcmp(b->wchan, "0") == 0)	/* what the caller may not read */
		b->wchan[0] = '\0';
	b->asleep_ms = -1;
	if (b->kind == BLOCKED_RUNNING ||
	    procfs_text(task, "sched", buf, sizeof(buf)) == -1 ||
	    blocked_sched(buf, &ms) == -1 ||
	    clock_gettime(CLOCK_MONOTONIC, &now) == -1)
		return;
	ms = (double)now.tv_sec * 1e3 + (double)now.tv_nsec / 1e6 - ms;
	b->asleep_ms = ms < 0 ? 0 : (long)ms;
}

/*
 * Thread tid of process pid: what it is blocked on, into b (free it with
 * blocked_free). 0, also where the call cannot be read (BLOCKED_UNREADABLE,
 * b->err why); -1 with errno ENOENT or ESRCH where the thread is gone.
 */
int
blocked_read(pid_t pid, pid_t tid, struct blocked *b)
{
	char path[64], text[512];
	int task, e;

	memset(b, 0, sizeof(*b));
	b->fd = -1;
	b->nr = -1;
	b->asleep_ms = -1;
	snprintf(path, sizeof(path), "/proc/%d/task/%d", (int)pid, (int)tid);
	if ((task = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	errno = 0;
	if (procfs_text(task, "syscall", text, sizeof(text)) <= 0) {
		e = errno;
		if (e == ENOENT || e == ESRCH) {
			close(task);
			errno = e;
			return -1;
		}
		b->kind = BLOCKED_UNREADABLE;
		b->err = e == 0 ? EIO : e;
	} else if (blocked_parse(text, b) == -1) {
		b->kind = BLOCKED_UNREADABLE;
		b->err = EINVAL;
	} else
		read_more(task, b);
	read_sleep(task, b);
	close(task);
	return 0;
}

void
blocked_free(struct blocked *b)
{
	free(b->w);
	b->w = NULL;
	b->nw = b->more = 0;
}

static void
each_lock(FILE *f, pid_t holder, int fd, dev_t dev, ino_t ino,
    blocked_lock_fn fn, void *arg)
{
	struct blocked_lock l;
	char *line = NULL;
	size_t cap = 0;

	while (getline(&line, &cap, f) != -1) {
		if (blocked_lock_line(line, &l) == -1 || l.dev != dev ||
		    l.ino != ino)
			continue;
		l.holder = holder;
		l.fd = fd;
		fn(&l, arg);
	}
	free(line);
}

/*
 * Every line of /proc/locks on (dev, ino), holders and "->" waiters. Its
 * pid is not always the holder: -1 for OFD locks, and a flock's first
 * locker after it exits while a child holds the lock.
 */
int
blocked_locks(dev_t dev, ino_t ino, blocked_lock_fn fn, void *arg)
{
	FILE *f;

	if ((f = fopen("/proc/locks", "re")) == NULL)
		return -1;
	each_lock(f, -1, -1, dev, ino, fn, arg);
	fclose(f);
	return 0;
}

/*
 * The locks process pid holds on (dev, ino), from the "lock:" lines of
 * its fdinfo, with holder and fd set: these name each real holder
 */
int
blocked_fdinfo_locks(pid_t pid, dev_t dev, ino_t ino, blocked_lock_fn fn,
    void *arg)
{
	char path[64];
	struct dirent *e;
	DIR *d;
	FILE *f;
	int fd, dfd;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo", (int)pid);
	if ((d = opendir(path)) == NULL)
		return -1;
	dfd = dirfd(d);
	while ((e = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]) ||
		    (f = procfs_fopen(dfd, e->d_name)) == NULL)
			continue;
		fd = (int)strtol(e->d_name, NULL, 10);
		each_lock(f, pid, fd, dev, ino, fn, arg);
		fclose(f);
	}
	closedir(d);
	return 0;
}

/* words: appended to a bounded buffer, cut where it is full */
struct words {
	char *buf;
	size_t len, off;
};

static void
say(struct words *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
say(struct words *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (w->off + 1 >= w->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(w->buf + w->off, w->len - w->off, fmt, ap);
	va_end(ap);
	if (n > 0)
		w->off += (size_t)n < w->len - w->off ? (size_t)n :
		    w->len - w->off - 1;
}

/* the descriptor as the kernel names it: pipe:[N], FIFO PATH, socket:[N] */
static void
say_fd(struct words *w, const struct blocked *b)
{
	if (b->what[0] == '\0')
		say(w, "descriptor %d", b->fd);
	else if (b->type == S_IFIFO && b->what[0] == '/')
		say(w, "FIFO %s", b->what);
	else
		say(w, "%s", b->what);
}

static void
say_watch(struct words *w, const struct blocked *b)
{
	size_t i;

	for (i = 0; i < b->nw && i < WORDS_FDS; i++)
		say(w, "%s%d%s", i == 0 ? " " : ",", b->w[i].fd,
		    b->w[i].stale ? " (stale: now another file)" : "");
	if (b->more + b->nw > i)
		say(w, " and %zu more", b->more + b->nw - i);
	if (b->nw == 0 && b->more == 0)
		say(w, " (set not readable)");
}

/* what memory a futex word lies in, and who can end the wait */
static void
say_futex(struct words *w, const struct blocked *b)
{
	const char *p = b->map.path;

	say(w, "futex");
	if (b->map.end == 0)
		say(w, " at 0x%lx", b->addr);
	else if (strncmp(p, "/dev/shm/sem.", 13) == 0)
		say(w, " in %s (POSIX semaphore)", p);
	else if (strncmp(p, "/dev/shm/", 9) == 0)
		say(w, " in %s (POSIX shared memory)", p);
	else if (strncmp(p, "/SYSV", 5) == 0)
		say(w, " in %s (System V segment)", p);
	else if (b->map.ino != 0)
		say(w, " in %s (%s mapping)", p[0] != '\0' ? p : "a file",
		    b->map.shared ? "shared" : "private");
	else if (b->map.shared)
		say(w, " in shared anonymous memory");
	else
		say(w, " in private memory: only another thread of this "
		    "process can end it");
}

static void
say_wait(struct words *w, const struct blocked *b)
{
	if (b->op == P_ALL)
		say(w, "wait for any child");
	else if (b->op == P_PID)
		say(w, "wait for child %ld", b->id);
	else if (b->op == P_PGID && b->id == 0)
		say(w, "wait for a child in its own process group");
	else if (b->op == P_PGID)
		say(w, "wait for a child in process group %ld", b->id);
	else
		say(w, "wait for a child (pidfd %ld)", b->id);
}

static void
say_sigs(struct words *w, const struct blocked *b)
{
	char name[SIG_NAME_BUF];
	int s, n = 0;

	say(w, "sigwait for");
	for (s = 1; s <= 64; s++)
		if (b->sigs >> (s - 1) & 1)
			say(w, "%sSIG%s", n++ == 0 ? " " : ",",
			    sig_name(s, name, sizeof(name)));
	if (n == 0)
		say(w, " a set not readable");
}

/* the calls said as a verb and their descriptor, or their System V id */
static const char *const on_fd[] = {
	[BLOCKED_READ] = "read from",
	[BLOCKED_WRITE] = "write to",
	[BLOCKED_ACCEPT] = "accept on",
	[BLOCKED_CONNECT] = "connect of",
	[BLOCKED_MQ_RECV] = "receive from queue",
	[BLOCKED_MQ_SEND] = "send to queue",
	[BLOCKED_FLOCK] = "flock",
	[BLOCKED_FCNTL_LOCK] = "fcntl lock",
	[BLOCKED_SLEEP] = NULL
};
static const char *const on_id[] = {
	[BLOCKED_MSG_RECV] = "receive from System V queue id",
	[BLOCKED_MSG_SEND] = "send to System V queue id",
	[BLOCKED_SEMOP] = "semop on System V semaphore set id",
	[BLOCKED_SLEEP] = NULL
};

static void
say_call(struct words *w, const struct blocked *b)
{
	if (b->kind == BLOCKED_FLOCK)
		say(w, "flock (%s) of ", b->op & LOCK_EX ? "exclusive" :
		    "shared");
	else if (b->kind == BLOCKED_FCNTL_LOCK)
		say(w, "%s lock of ", b->op == F_OFD_SETLKW ? "OFD" : "POSIX");
	else if (on_fd[b->kind] != NULL)
		say(w, "%s ", on_fd[b->kind]);
	if (on_fd[b->kind] != NULL) {
		say_fd(w, b);
		return;
	}
	if (on_id[b->kind] != NULL) {
		say(w, "%s %ld", on_id[b->kind], b->id);
		return;
	}
	switch (b->kind) {
	case BLOCKED_POLL:
	case BLOCKED_SELECT:
		say(w, b->kind == BLOCKED_POLL ? "poll on" : "select on");
		say_watch(w, b);
		break;
	case BLOCKED_EPOLL:
		say(w, "epoll_wait on %d watching", b->fd);
		say_watch(w, b);
		break;
	case BLOCKED_FUTEX:
		say_futex(w, b);
		break;
	case BLOCKED_WAIT:
		say_wait(w, b);
		break;
	case BLOCKED_SIGWAIT:
		say_sigs(w, b);
		break;
	case BLOCKED_PAUSE:
		say(w, "wait for a signal");
		break;
	case BLOCKED_SLEEP:
		say(w, "sleep (not IPC)");
		break;
	}
}

static void
say_open(struct words *w, const struct blocked *b)
{
	int acc = b->op & O_ACCMODE;

	say(w, "open of %s%s", b->type == S_IFIFO ? "FIFO " : "",
	    b->what[0] != '\0' ? b->what : "a path not readable");
	say(w, " for %s", acc == O_WRONLY ? "writing" : acc == O_RDWR ?
	    "reading and writing" : "reading");
}

/*
 * b in words, as a person reads it: "write to pipe:[5678]", "open of
 * FIFO /run/x for writing", "futex in /dev/shm/sem.x (POSIX semaphore)",
 * then the other end where the caller has found it (b->other). The
 * length it wrote, cut to fit len.
 */
size_t
blocked_words(const struct blocked *b, char *buf, size_t len)
{
	struct words w = { buf, len, 0 };

	if (len > 0)
		buf[0] = '\0';
	if (b->kind == BLOCKED_UNREADABLE)
		say(&w, "cannot be read (%s)", strerror(b->err));
	else if (b->kind == BLOCKED_RUNNING)
		say(&w, "running");
	else if (b->kind == BLOCKED_RESTART)
		say(&w, "restart_syscall (stopped and continued: "
		    "the call it was in is lost)");
	else if (b->kind == BLOCKED_OTHER && b->nr == -1)
		say(&w, "not in a system call");
	else if (b->kind == BLOCKED_OTHER)
		say(&w, "system call %ld", b->nr);
	else if (b->kind == BLOCKED_OPEN)
		say_open(&w, b);
	else
		say_call(&w, b);
	if (b->kind > BLOCKED_OTHER && b->kind != BLOCKED_SLEEP)
		say(&w, b->timed ? ", timed" : ", no timeout");
	if (b->other != NULL)
		say(&w, ": %s", b->other);
	return w.off;
}
