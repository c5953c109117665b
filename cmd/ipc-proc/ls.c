/*
 * ipc-proc ls: every visible process with a thread blocked, with no
 * timeout, on IPC, a row each, from the run's graph of waits (graph.c:
 * every process's threads read once); with -a every process holding IPC
 * objects instead (held.c, on the one-pass index).
 */
#include <sys/types.h>
#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"
#include "ipc-proc.h"

static const struct optdef ls_opts[] = {
	{ 'a', "all", NULL, "every process holding IPC objects" },
	{ O_MIN, "min", "DUR", "only those asleep at least DUR" },
	{ 0, NULL, NULL, NULL }
};

enum { L_KIND, L_PID, L_COMMAND, L_WAITS, L_OTHER, L_WAY, L_ASLEEP, L_DEADLOCK,
    L_THREADS, L_ASLEEP_MS, L_NCOLS };
static const struct col lcols[L_NCOLS + 1] = {
	[L_KIND] = { "kind", COL_STR, 0, NULL, "process" },
	[L_PID] = { "pid", COL_NUM, 1, NULL },
	[L_COMMAND] = { "command", COL_STR, 1, NULL },
	[L_WAITS] = { "waits", COL_WORDS, 1, NULL },
	[L_OTHER] = { "other", COL_PIDS, 1, NULL },
	[L_WAY] = { "way", COL_WORDS, 1, NULL },
	[L_ASLEEP] = { "asleep", COL_STR, 1, NULL },
	[L_DEADLOCK] = { "deadlock", COL_BOOL, 1, NULL },
	[L_THREADS] = { "threads", COL_NUMS, 0, NULL },
	[L_ASLEEP_MS] = { "asleep_ms", COL_NUM, 0, NULL },
};

/* -a: pid, command, the count of objects, the kinds; a count per kind */
enum { A_KIND, A_PID, A_COMMAND, A_OBJECTS, A_KINDS, A_KIND0 };
#define A_NCOLS	(A_KIND0 + H_NKINDS)

/* a growing string, for cells made of parts */
struct text {
	char *s;
	size_t len, cap;
};

static void
text_add(struct text *t, const char *sep, const char *s)
{
	size_t n = strlen(s), m = t->len ? strlen(sep) : 0;

	if (t->len + m + n + 1 > t->cap) {
		t->cap = (t->len + m + n + 1) * 2;
		if ((t->s = realloc(t->s, t->cap)) == NULL)
			err(1, NULL);
	}
	memcpy(t->s + t->len, sep, m);
	memcpy(t->s + t->len + m, s, n + 1);
	t->len += m + n;
}

/* whether s is already one of t's sep-separated parts */
static int
text_has(const struct text *t, const char *sep, const char *s)
{
	const char *p = t->s, *e;
	size_t n = strlen(s);

	while (p != NULL && *p != '\0') {
		e = strstr(p, sep);
		if ((size_t)((e ? e : p + strlen(p)) - p) == n &&
		    strncmp(p, s, n) == 0)
			return 1;
		p = e ? e + strlen(sep) : NULL;
	}
	return 0;
}

/* a duration as -t spells them: 350ms, 12s, 3m12s, 2h5m */
static void
dur_words(long ms, char *buf, size_t len)
{
	long s = ms / 1000;

	if (ms < 0)
		snprintf(buf, len, "%s", "");
	else if (ms < 1000)
		snprintf(buf, len, "%ldms", ms);
	else if (s < 60)
		snprintf(buf, len, "%lds", s);
	else if (s < 3600)
		snprintf(buf, len, "%ldm%lds", s / 60, s % 60);
	else
		snprintf(buf, len, "%ldh%ldm", s / 3600, s % 3600 / 60);
}

/* pid as "PID(COMM)", its command from the graph where it is there */
static void
who_words(struct pgraph *g, pid_t pid, char *buf, size_t len)
{
	struct pnode *n = graph_find(g, pid);
	char comm[64];

	if (n != NULL)
		snprintf(buf, len, "%d(%s)", (int)pid, n->comm);
	else {
		proc_comm(pid, comm, sizeof(comm));
		snprintf(buf, len, "%d(%s)", (int)pid, comm[0] ? comm : "?");
	}
}

/* what could end the wait, but the processes: a way out, the unread */
static void
way_words(const struct ends *by, struct text *way)
{
	char buf[256];

	if (by->way != NULL && !text_has(way, "; ", by->way))
		text_add(way, "; ", by->way);
	if (by->remote) {
		snprintf(buf, sizeof(buf), "a peer on another host%s%s",
		    by->peer[0] ? " " : "", by->peer);
		if (!text_has(way, "; ", buf))
			text_add(way, "; ", buf);
	}
	if (by->unread > 0) {
		snprintf(buf, sizeof(buf), "%zu process%s not read",
		    by->unread, by->unread == 1 ? "" : "es");
		text_add(way, "; ", buf);
	}
}

static int
endless(const struct pnode *n)
{
	size_t i;

	for (i = 0; i < n->nw; i++)
		if (n->w[i].state == W_ENDLESS)
			return 1;
	return 0;
}

static void
thread_cells(struct pgraph *g, const struct pnode *n, struct text *c)
{
	char buf[128];
	size_t i, k;

	for (i = 0; i < n->nw; i++) {
		const struct pwait *w = &n->w[i];

		if (w->state != W_ENDLESS)
			continue;
		snprintf(buf, sizeof(buf), "%d", (int)w->tid);
		text_add(&c[L_THREADS], ",", buf);
		if (w->tid != n->pid) {
			snprintf(buf, sizeof(buf), "thread %d: ", (int)w->tid);
			text_add(&c[L_WAITS], "; ", buf);
			text_add(&c[L_WAITS], "", w->words ? w->words : "");
		} else
			text_add(&c[L_WAITS], "; ", w->words ? w->words : "");
		for (k = 0; k < w->by.n; k++) {
			who_words(g, w->by.pid[k], buf, sizeof(buf));
			if (!text_has(&c[L_OTHER], ",", buf))
				text_add(&c[L_OTHER], ",", buf);
		}
		way_words(&w->by, &c[L_WAY]);
	}
}

static void
ls_row(struct table *t, struct pgraph *g, const struct pnode *n)
{
	struct text c[L_NCOLS];
	char dur[32];
	int i;

	memset(c, 0, sizeof(c));
	thread_cells(g, n, c);
	dur_words(n->asleep_ms, dur, sizeof(dur));
	table_row(t);
	table_set(t, L_PID, "%d", (int)n->pid);
	table_set(t, L_COMMAND, "%s", n->comm);
	table_set(t, L_ASLEEP, "%s", dur);
	if (n->asleep_ms >= 0)
		table_set(t, L_ASLEEP_MS, "%ld", n->asleep_ms);
	table_set(t, L_DEADLOCK, "%s", n->deadlock ? "yes" : "no");
	for (i = 0; i < L_NCOLS; i++)
		if (c[i].s != NULL) {
			table_set(t, i, "%s", c[i].s);
			free(c[i].s);
		}
}

static int
bypid(const void *a, const void *b)
{
	pid_t x = (*(struct pnode *const *)a)->pid;
	pid_t y = (*(struct pnode *const *)b)->pid;

	return (x > y) - (x < y);
}

static int
ls_waits(const struct tablefmt *fmt, int64_t min_ns)
{
	struct pgraph g = { 0 };
	struct pnode **v;
	struct table t;
	size_t i, nv = 0;

	table_init(&t, lcols, 1, fmt);
	graph_every(&g);
	graph_deadlocks(&g);
	if ((v = calloc(g.nn + 1, sizeof(*v))) == NULL)
		err(1, NULL);
	for (i = 0; i < g.nn; i++)
		if (endless(&g.n[i]) && (min_ns <= 0 ||
		    (g.n[i].asleep_ms >= 0 &&
		    (int64_t)g.n[i].asleep_ms * 1000000 >= min_ns)))
			v[nv++] = &g.n[i];
	qsort(v, nv, sizeof(*v), bypid);
	for (i = 0; i < nv; i++)
		ls_row(&t, &g, v[i]);
	table_print(&t);
	table_free(&t);
	unread_note(g.unread, "its waits are not shown",
	    "their waits are not shown");
	free(v);
	graph_free(&g);
	return 0;
}

static void
held_row(struct table *t, pid_t pid, const struct held *h, size_t nh)
{
	size_t count[H_NKINDS] = { 0 }, i;
	struct text kinds = { 0 };
	char comm[64], buf[64];
	int k;

	for (i = 0; i < nh; i++)
		if (h[i].kind >= 0 && h[i].kind < H_NKINDS)
			count[h[i].kind]++;
	proc_comm(pid, comm, sizeof(comm));
	table_row(t);
	table_set(t, A_PID, "%d", (int)pid);
	table_set(t, A_COMMAND, "%s", comm);
	table_set(t, A_OBJECTS, "%zu", nh);
	for (k = 0; k < H_NKINDS; k++) {
		table_set(t, A_KIND0 + k, "%zu", count[k]);
		if (count[k] == 0)
			continue;
		snprintf(buf, sizeof(buf), "%s:%zu", held_kinds[k], count[k]);
		text_add(&kinds, ",", buf);
	}
	table_set(t, A_KINDS, "%s", kinds.s);
	free(kinds.s);
}

static int
ls_all(const struct tablefmt *fmt)
{
	struct col cols[A_NCOLS + 1];
	struct table t;
	struct held *h;
	pid_t *pids;
	size_t i, np, nh;
	int k, parts = PIDX_FDS | PIDX_MAPS;

	memset(cols, 0, sizeof(cols));
	cols[A_KIND] = (struct col){ "kind", COL_STR, 0, NULL, "process" };
	cols[A_PID] = (struct col){ "pid", COL_NUM, 1, NULL, NULL };
	cols[A_COMMAND] = (struct col){ "command", COL_STR, 1, NULL, NULL };
	cols[A_OBJECTS] = (struct col){ "objects", COL_NUM, 1, NULL, NULL };
	cols[A_KINDS] = (struct col){ "kinds", COL_COUNTS, 1, NULL, NULL };
	for (k = 0; k < H_NKINDS; k++)
		cols[A_KIND0 + k] = (struct col){ held_kinds[k], COL_NUM, 0,
		    NULL, NULL };
	table_init(&t, cols, 1, fmt);
	proc_index(parts);
	pids = graph_pids(&np);
	for (i = 0; i < np; i++) {
		if ((h = held_of(pids[i], HELD_BRIEF, &nh)) == NULL)
			continue;	/* it ended: no row, no half row */
		if (nh > 0)
			held_row(&t, pids[i], h, nh);
		held_free(h, nh);
	}
	table_print(&t);
	table_free(&t);
	unread_note(pidx_unread(proc_index(parts), parts, NULL, 0),
	    "its objects are not shown", "their objects are not shown");
	free(pids);
	return 0;
}

int
cmd_ls(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "output no-header notruncate json", ls_opts);
	int64_t min_ns = 0;

	if (i < argc)
		usage_error("too many operands");
	if (opt.val['a'] != NULL && opt.val[O_MIN] != NULL)
		usage_error("-a and --min exclude each other");
	if (opt.val[O_MIN] != NULL)
		min_ns = num_dur(opt.val[O_MIN], "--min");
	if (opt.val['a'] != NULL)
		return ls_all(TABLE_ASKED);
	return ls_waits(TABLE_ASKED, min_ns);
}
