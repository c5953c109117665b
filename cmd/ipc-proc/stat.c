/*
 * ipc-proc stat PID: one table, a row an object PID holds, maps, locks
 * or last used (held.c), then its signal state, then what each of its
 * threads waits on now, since when, and who could end it (ends.c).
 */
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipc.h"
#include "ipc-proc.h"

enum { S_WHERE, S_KIND, S_OBJECT, S_DETAIL, S_OTHER, S_NCOLS };
static const struct col scols[S_NCOLS + 1] = {
	[S_WHERE] = { "where", COL_WORDS, 1, NULL },
	[S_KIND] = { "kind", COL_STR, 1, NULL },
	[S_OBJECT] = { "object", COL_WORDS, 1, NULL },
	[S_DETAIL] = { "detail", COL_WORDS, 1, NULL },
	[S_OTHER] = { "other", COL_WORDS, 1, NULL },
};

/* what stat is looking at: the process, and what it holds */
struct target {
	pid_t pid;			/* the process (Tgid) */
	pid_t tid;			/* a thread asked for alone, or 0 */
	int zombie;			/* ended before it was read */
	struct held *h;
	size_t n;
};

static void
held_row(struct table *t, const struct target *g, const struct held *h)
{
	char *o;

	table_row(t);
	if (h->kind == H_LOCK)
		table_set(t, S_WHERE, "lock");
	else if (h->fd >= 0)
		table_set(t, S_WHERE, "fd %d", h->fd);
	else if (h->addr != 0)
		table_set(t, S_WHERE, "map %lx", h->addr);
	else
		table_set(t, S_WHERE, "sysv");
	table_set(t, S_KIND, "%s", held_kinds[h->kind]);
	table_set(t, S_OBJECT, "%s", h->name != NULL ? h->name : "");
	table_set(t, S_DETAIL, "%s", h->detail != NULL ? h->detail : "");
	o = ends_str(&h->other, g->pid);
	table_set(t, S_OTHER, "%s", o);
	free(o);
}

/* pending, blocked, caught and ignored, from /proc/PID/status */
static void
signals_row(struct table *t, pid_t pid)
{
	static const char *const keys[] = {
		"SigPnd:", "ShdPnd:", "SigBlk:", "SigCgt:", "SigIgn:"
	};
	char path[64], line[256], names[4][SIG_MASK_BUF];
	uint64_t mask[5] = { 0 };
	size_t k;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "re")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		for (k = 0; k < 5; k++)
			if (strncmp(line, keys[k], strlen(keys[k])) == 0)
				mask[k] = strtoull(line + strlen(keys[k]),
				    NULL, 16);
	fclose(f);
	sig_mask_names(mask[0] | mask[1], names[0], sizeof(names[0]));
	for (k = 1; k < 4; k++)
		sig_mask_names(mask[k + 1], names[k], sizeof(names[k]));
	table_row(t);
	table_set(t, S_WHERE, "signals");
	table_set(t, S_KIND, "signals");
	table_set(t, S_DETAIL, "pending %s; blocked %s; caught %s; ignored %s",
	    *names[0] ? names[0] : "none", *names[1] ? names[1] : "none",
	    *names[2] ? names[2] : "none", *names[3] ? names[3] : "none");
}

/* the object a wait is on, short: "pipe:[5678]", "FIFO /run/x" */
static void
waited_on(struct table *t, const struct blocked *b)
{
	switch (b->kind) {
	case BLOCKED_POLL:
	case BLOCKED_SELECT:
	case BLOCKED_EPOLL:
		table_set(t, S_OBJECT, "%zu descriptor%s", b->nw + b->more,
		    b->nw + b->more == 1 ? "" : "s");
		return;
	case BLOCKED_FUTEX:
		table_set(t, S_OBJECT, "%s", b->map.path[0] != '\0' ?
		    b->map.path : b->map.shared ? "shared memory" :
		    "private memory");
		return;
	case BLOCKED_MSG_RECV:
	case BLOCKED_MSG_SEND:
	case BLOCKED_SEMOP:
		table_set(t, S_OBJECT, "System V id %ld", b->id);
		return;
	case BLOCKED_WAIT:
		table_set(t, S_OBJECT, "children");
		return;
	case BLOCKED_SIGWAIT:
	case BLOCKED_PAUSE:
		table_set(t, S_OBJECT, "signals");
		return;
	}
	if (b->type == S_IFIFO && b->what[0] == '/')
		table_set(t, S_OBJECT, "FIFO %s", b->what);
	else if (b->what[0] != '\0')
		table_set(t, S_OBJECT, "%s", b->what);
	else if (b->fd >= 0)
		table_set(t, S_OBJECT, "fd %d", b->fd);
}

/* pid appended to e's list, kept in order by tidy() once it is whole */
static void
add_pid(struct ends *e, pid_t pid)
{
	if ((e->pid = reallocarray(e->pid, e->n + 1, sizeof(pid_t))) == NULL)
		err(1, NULL);
	e->pid[e->n++] = pid;
}

static int
by_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* e's pids in order, each once, as ends_of gives them */
static void
tidy(struct ends *e)
{
	size_t i, j;

	if (e->n < 2)
		return;
	qsort(e->pid, e->n, sizeof(pid_t), by_pid);
	for (i = j = 1; i < e->n; i++)
		if (e->pid[i] != e->pid[j - 1])
			e->pid[j++] = e->pid[i];
	e->n = j;
}

/* what another's ends add to e: its pids, and what it cannot say */
static void
merge(struct ends *e, const struct ends *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		add_pid(e, o->pid[i]);
	e->unread = e->unread > o->unread ? e->unread : o->unread;
	e->remote |= o->remote;
	if (e->way == NULL)
		e->way = o->way;
	if (e->peer[0] == '\0')
		strlcpy(e->peer, o->peer, sizeof(e->peer));
}

/* the held row of a descriptor (the lock it waits for: lock), or NULL */
static const struct held *
held_fd(const struct target *g, int fd, int lock)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (g->h[i].fd == fd && (g->h[i].kind == H_LOCK) == lock &&
		    (!lock || strncmp(g->h[i].detail, "waits", 5) == 0))
			return &g->h[i];
	return NULL;
}

/*
 * who could end a wait on descriptor fd (or, where ino is not 0, on the
 * file an epoll set watches: its tfd number may be stale), for events
 * (POLLIN: a read)
 */
static void
desc_enders(const struct target *g, int fd, dev_t dev, ino_t ino, int events,
    struct ends *e)
{
	const struct held *h = NULL;
	struct ends o;
	size_t i;

	for (i = 0; ino != 0 && h == NULL && i < g->n; i++)
		if (g->h[i].fd >= 0 && g->h[i].kind != H_LOCK &&
		    g->h[i].dev == dev && g->h[i].ino == ino)
			h = &g->h[i];
	if (ino == 0)
		h = held_fd(g, fd, 0);
	if (h == NULL)
		return;
	if (h->kind == H_PIPE || h->kind == H_FIFO) {
		if (ends_of(h->dev, h->ino, S_IFIFO, (events & POLLIN) ?
		    ENDS_WRITERS : ENDS_READERS, &o) == 0) {
			merge(e, &o);
			ends_free(&o);
		}
	} else
		merge(e, &h->other);
}

/* the children of pid: every thread's children file */
static void
children(pid_t pid, struct ends *e)
{
	char path[64], buf[4096], *p, *end;
	struct dirent *d;
	long c;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if ((dir = opendir(path)) == NULL)
		return;
	while ((d = readdir(dir)) != NULL) {
		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%ld/children",
		    (int)pid, strtol(d->d_name, NULL, 10));
		if (procfs_text(AT_FDCWD, path, buf, sizeof(buf)) <= 0)
			continue;
		for (p = buf; (c = strtol(p, &end, 10)) > 0; p = end)
			add_pid(e, (pid_t)c);
	}
	closedir(dir);
}

/* who could end the wait b of a thread of g, as ends_of says it */
static void
enders(const struct target *g, const struct blocked *b, struct ends *e)
{
	const struct held *h;
	size_t i;

	memset(e, 0, sizeof(*e));
	switch (b->kind) {
	case BLOCKED_READ:
	case BLOCKED_ACCEPT:
	case BLOCKED_MQ_RECV:
		desc_enders(g, b->fd, 0, 0, POLLIN, e);
		break;
	case BLOCKED_WRITE:
	case BLOCKED_CONNECT:
	case BLOCKED_MQ_SEND:
		desc_enders(g, b->fd, 0, 0, POLLOUT, e);
		break;
	case BLOCKED_POLL:
	case BLOCKED_SELECT:
	case BLOCKED_EPOLL:
		for (i = 0; i < b->nw; i++)
			desc_enders(g, b->w[i].fd, b->w[i].dev, b->w[i].ino,
			    b->w[i].events, e);
		break;
	case BLOCKED_FLOCK:
	case BLOCKED_FCNTL_LOCK:
		if ((h = held_fd(g, b->fd, 1)) != NULL)
			merge(e, &h->other);
		break;
	case BLOCKED_FUTEX:
		if (b->map.ino != 0 && b->map.shared &&
		    ends_of(b->map.dev, b->map.ino, S_IFREG, ENDS_HOLDERS,
		    e) == -1)
			memset(e, 0, sizeof(*e));
		else if (b->map.ino == 0 && !b->map.shared)
			add_pid(e, g->pid);
		break;
	case BLOCKED_WAIT:
		if (b->op == P_PID)
			add_pid(e, (pid_t)b->id);
		else
			children(g->pid, e);
		break;
	case BLOCKED_OPEN:
		if (b->type == S_IFIFO && ends_of(b->dev, b->ino, S_IFIFO,
		    (b->op & O_ACCMODE) == O_WRONLY ? ENDS_READERS :
		    ENDS_WRITERS, e) == -1)
			memset(e, 0, sizeof(*e));
		break;
	case BLOCKED_SIGWAIT:
	case BLOCKED_PAUSE:
		e->way = "a signal";
		break;
	}
	tidy(e);
}

/* "asleep since 12:04:31 (75 s)" */
static void
asleep(char *buf, size_t len, long ms)
{
	time_t at = time(NULL) - ms / 1000;
	struct tm tm;

	if (localtime_r(&at, &tm) == NULL ||
	    strftime(buf, len, "asleep since %H:%M:%S", &tm) == 0)
		buf[0] = '\0';
	snprintf(buf + strlen(buf), len - strlen(buf), " (%ld s)", ms / 1000);
}

/* one thread's row; -1 where it has gone */
static int
thread_row(struct table *t, const struct target *g, pid_t tid)
{
	char words[1024], since[64];
	struct blocked b;
	struct ends e;
	char *o;

	if (blocked_read(g->pid, tid, &b) == -1)
		return -1;
	/* ourselves (exec'd as ipc-proc stat $$): in the read of this very
	 * syscall file, which is running, not a wait */
	if (tid == (pid_t)syscall(SYS_gettid)) {
		b.kind = BLOCKED_RUNNING;
		b.fd = -1;
		b.what[0] = '\0';
	}
	blocked_words(&b, words, sizeof(words));
	table_row(t);
	if (g->tid != 0)
		table_set(t, S_WHERE, "thread %d of %d", (int)tid, (int)g->pid);
	else
		table_set(t, S_WHERE, "thread %d", (int)tid);
	table_set(t, S_KIND, "wait");
	waited_on(t, &b);
	if (b.kind > BLOCKED_OTHER && b.asleep_ms >= 0) {
		asleep(since, sizeof(since), b.asleep_ms);
		table_set(t, S_DETAIL, "%s, %s", words, since);
	} else
		table_set(t, S_DETAIL, "%s", words);
	if (b.kind > BLOCKED_OTHER && b.kind != BLOCKED_SLEEP) {
		enders(g, &b, &e);
		o = ends_str(&e, g->pid);
		table_set(t, S_OTHER, "%s", o);
		free(o);
		ends_free(&e);
	}
	blocked_free(&b);
	return 0;
}

/*
 * A zombie's one row: it has ended and waits for nothing, and its
 * parent is the one that could reap it ("not in a system call" would
 * say it runs)
 */
static void
zombie_row(struct table *t, const struct target *g)
{
	char buf[32];
	pid_t parent = 0;
	struct ends e = { .pid = &parent, .n = 1 };
	char *o;

	if (pid_status(g->pid, "PPid", buf, sizeof(buf)) == 0)
		parent = (pid_t)strtol(buf, NULL, 10);
	table_row(t);
	table_set(t, S_WHERE, "thread %d", (int)g->pid);
	table_set(t, S_KIND, "wait");
	table_set(t, S_DETAIL, "ended (a zombie): its parent has not yet "
	    "waited for it");
	e.n = parent > 0;
	o = ends_str(&e, g->pid);
	table_set(t, S_OTHER, "%s", o);
	free(o);
}

/* every thread's row, by tid; 0, or -1 where the process has gone */
static int
thread_rows(struct table *t, const struct target *g)
{
	char path[64];
	struct dirent **d;
	int n, i, rc = 0;

	if (g->tid != 0)
		return thread_row(t, g, g->tid);
	if (g->zombie) {
		zombie_row(t, g);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/%d/task", (int)g->pid);
	if ((n = scandir(path, &d, NULL, versionsort)) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (isdigit((unsigned char)d[i]->d_name[0]))
			(void)thread_row(t, g,
			    (pid_t)strtol(d[i]->d_name, NULL, 10));
		free(d[i]);
	}
	free(d);
	if (kill(g->pid, 0) == -1 && errno == ESRCH)
		rc = -1;
	return rc;
}

/* the process a pid or thread id belongs to (its Tgid); 0: none */
static pid_t
tgid_of(pid_t pid)
{
	char buf[32];

	if (pid_status(pid, "Tgid", buf, sizeof(buf)) == -1)
		return 0;
	return (pid_t)strtol(buf, NULL, 10);
}

/*
 * Whether /proc keeps from us what pid holds: its descriptors' links,
 * tried on the first (or its maps, where it has none). Not access(2)
 * on fd/: root passes that, yet may not read the links of a process
 * with a capability it lacks itself (without CAP_SYS_PTRACE).
 */
static int
unreadable(pid_t pid)
{
	char path[64], link[PATH_MAX];
	struct dirent *d;
	DIR *dir;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	if ((dir = opendir(path)) == NULL)
		return errno == EACCES || errno == EPERM;
	while ((d = readdir(dir)) != NULL)
		if (isdigit((unsigned char)d->d_name[0])) {
			fd = readlinkat(dirfd(dir), d->d_name, link,
			    sizeof(link)) == -1 &&
			    (errno == EACCES || errno == EPERM);
			closedir(dir);
			return fd;
		}
	closedir(dir);
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
		close(fd);
		return 0;
	}
	return errno == EACCES || errno == EPERM;
}

/* what could not be read, said once */
static void
partial(const struct target *g)
{
	size_t n;

	if (unreadable(g->pid)) {
		warnx("stat %d: the process could not be read (another "
		    "user's, or not dumpable): its objects and waits are not "
		    "shown", (int)g->pid);
		return;
	}
	if (g->n == 0)
		return;
	if (geteuid() != 0 && procfs_hidepid())
		warnx("stat: /proc hides other users' processes (hidepid): "
		    "the other ends may miss theirs");
	n = pidx_unread(proc_index(PIDX_FDS | PIDX_MAPS), PIDX_FDS | PIDX_MAPS,
	    NULL, 0);
	if (n > 0)
		warnx("stat: %zu process%s could not be read (another user's, "
		    "or not dumpable): the other ends may miss %s", n,
		    n == 1 ? "" : "es", n == 1 ? "it" : "them");
}

int
cmd_stat(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "output no-header json", NULL);
	pid_t pid = one_pid(argc, argv, i);
	struct target g = { 0 };
	struct table t;
	size_t k;

	table_init(&t, scols, 1, TABLE_ASKED);
	if ((g.pid = tgid_of(pid)) == 0)
		errx(1, "stat %d: no such process", (int)pid);
	g.tid = g.pid != pid ? pid : 0;
	g.zombie = pid_zombie(g.pid);
	if ((g.h = held_of(g.pid, &g.n)) == NULL)
		errx(1, "stat %d: the process ended while it was read",
		    (int)pid);
	if (g.tid == 0) {
		for (k = 0; k < g.n; k++)
			held_row(&t, &g, &g.h[k]);
		signals_row(&t, g.pid);
	}
	/* a zombie now that was not: what was read was of the living */
	if (thread_rows(&t, &g) == -1 || (!g.zombie && pid_zombie(g.pid)))
		errx(1, "stat %d: the process ended while it was read",
		    (int)pid);
	partial(&g);
	table_print(&t);
	table_free(&t);
	held_free(g.h, g.n);
	return 0;
}
