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

/*
 * One thread's row, as the wait graph read it (why, ls and map read the
 * same): what it waits for, since when, and who could end it
 */
static void
thread_row(struct table *t, const struct target *g, const struct pwait *w)
{
	char since[64], *o;

	table_row(t);
	if (g->tid != 0)
		table_set(t, S_WHERE, "thread %d of %d", (int)w->tid,
		    (int)g->pid);
	else
		table_set(t, S_WHERE, "thread %d", (int)w->tid);
	table_set(t, S_KIND, "wait");
	waited_on(t, &w->b);
	if (w->b.kind > BLOCKED_OTHER && w->b.asleep_ms >= 0) {
		asleep(since, sizeof(since), w->b.asleep_ms);
		table_set(t, S_DETAIL, "%s, %s", w->words, since);
	} else
		table_set(t, S_DETAIL, "%s", w->words);
	if (w->state == W_ENDLESS || w->state == W_TIMED) {
		o = ends_str(&w->by, g->pid);
		table_set(t, S_OTHER, "%s", o);
		free(o);
	}
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

/* every thread's row, by tid (the one asked for alone); -1: it has gone */
static int
thread_rows(struct table *t, const struct target *g)
{
	struct pgraph gr = { 0 };
	struct pnode *n;
	size_t i;

	if (g->zombie) {
		zombie_row(t, g);
		return 0;
	}
	if ((n = graph_node(&gr, g->pid)) == NULL)
		return -1;
	for (i = 0; i < n->nw; i++)
		if (g->tid == 0 || n->w[i].tid == g->tid)
			thread_row(t, g, &n->w[i]);
	graph_free(&gr);
	return 0;
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
	unread_note(n, "the other ends may miss it",
	    "the other ends may miss them");
}

int
cmd_stat(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "output no-header notruncate json", NULL);
	pid_t pid = one_pid(argc, argv, i);
	struct target g = { 0 };
	struct table t;
	size_t k;

	table_init(&t, scols, 1, TABLE_ASKED);
	if ((g.pid = tgid_of(pid)) == 0)
		errx(1, "stat %d: no such process", (int)pid);
	g.tid = g.pid != pid ? pid : 0;
	g.zombie = pid_zombie(g.pid);
	if ((g.h = held_of(g.pid, HELD_ALL, &g.n)) == NULL)
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
