/*
 * ipc-proc stat PID: one table, a row an object PID holds, maps, locks
 * or last used (held.c), then its signal state, then what each of its
 * threads waits on now, since when, and who could end it (ends.c).
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
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
wait_object(struct table *t, const struct blocked *b)
{
	switch (b->kind) {
	case BLOCKED_POLL:
	case BLOCKED_SELECT:
	case BLOCKED_EPOLL:
		table_set(t, S_OBJECT, "%zu descriptors", b->nw + b->more);
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
wait_row(struct table *t, const struct target *g, const struct pwait *w)
{
	char since[64], *o;

	table_row(t);
	if (g->tid != 0)
		table_set(t, S_WHERE, "thread %d of %d", (int)w->tid,
		    (int)g->pid);
	else
		table_set(t, S_WHERE, "thread %d", (int)w->tid);
	table_set(t, S_KIND, "wait");
	wait_object(t, &w->b);
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

/* every thread's row, by tid (the one asked for alone); -1: it has gone */
static int
wait_rows(struct table *t, const struct target *g)
{
	struct pgraph gr = { 0 };
	struct pnode *n;
	size_t i;

	if ((n = graph_node(&gr, g->pid)) == NULL)
		return -1;
	for (i = 0; i < n->nw; i++)
		if (g->tid == 0 || n->w[i].tid == g->tid)
			wait_row(t, g, &n->w[i]);
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

/* what could not be read, said once */
static void
partial(const struct target *g)
{
	char path[64];
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)g->pid);
	if (access(path, R_OK | X_OK) == -1 && errno == EACCES) {
		warnx("stat %d: the process could not be read (another "
		    "user's, or not dumpable): its objects and waits are not "
		    "shown", (int)g->pid);
		return;
	}
	if (g->n == 0)
		return;
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
	if ((g.h = held_of(g.pid, HELD_ALL, &g.n)) == NULL)
		errx(1, "stat %d: the process ended while it was read",
		    (int)pid);
	if (g.tid == 0) {
		for (k = 0; k < g.n; k++)
			held_row(&t, &g, &g.h[k]);
		signals_row(&t, g.pid);
	}
	if (wait_rows(&t, &g) == -1)
		errx(1, "stat %d: the process ended while it was read",
		    (int)pid);
	partial(&g);
	table_print(&t);
	table_free(&t);
	held_free(g.h, g.n);
	return 0;
}
