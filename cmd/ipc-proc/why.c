/*
 * ipc-proc why PID: the waits followed from PID to the processes that
 * could end them, and onward, as a tree; then the proven deadlock they
 * lead to, or a cycle that is not one with the way out it leaves. -j
 * gives the same graph as nodes and edges; --check only an exit status.
 */
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"
#include "ipc-proc.h"

enum { WHY_DEADLOCK = 0, WHY_NOT = 3, WHY_UNKNOWN = 4 };

static const struct optdef why_opts[] = {
	{ O_CHECK, "check", NULL,
	    "print nothing: exit 0 in a proven deadlock, 3 not, 4 cannot tell" },
	{ 0, NULL, NULL, NULL }
};

static const char *const states[] = {
	[W_ENDLESS] = "endless", [W_TIMED] = "timed", [W_OTHER] = "other",
	[W_RUNNING] = "running", [W_UNREAD] = "unread"
};

/* the process a pid or a thread id belongs to (Tgid), or exit 1 */
static pid_t
process_of(pid_t tid)
{
	char buf[32];
	const char *e;
	long long pid;

	if (pid_status(tid, "Tgid", buf, sizeof(buf)) == -1)
		errx(1, "why %d: no such process", (int)tid);
	pid = strtonum(buf, 1, INT_MAX, &e);
	if (e != NULL)
		errx(1, "why %d: no such process", (int)tid);
	return (pid_t)pid;
}

/*
 * Whether pid could be in a deadlock were every wait and ender not read
 * the least favourable: the fixpoint again, unread taken as endless
 * with enders all inside. Not even then: PID is surely not in one.
 */
static void
maybe(const struct pgraph *g, char *in)
{
	const struct pnode *n, *m;
	const struct pwait *w;
	size_t i, k, j;
	int changed;

	for (i = 0; i < g->nn; i++) {
		n = &g->n[i];
		in[i] = n->nw > 0;
		for (k = 0; k < n->nw; k++) {
			w = &n->w[k];
			if (w->state != W_UNREAD && (w->state != W_ENDLESS ||
			    w->by.way != NULL || w->by.remote))
				in[i] = 0;
		}
	}
	do {
		changed = 0;
		for (i = 0; i < g->nn; i++)
			for (k = 0; in[i] && k < g->n[i].nw; k++)
				for (j = 0; j < g->n[i].w[k].by.n; j++)
					if ((m = graph_find(g, g->n[i].w[k].by.pid[j]))
					    == NULL || !in[m - g->n]) {
						in[i] = 0;
						changed = 1;
						break;
					}
	} while (changed);
}

/* --check: 0 in a proven deadlock, 3 surely not, 4 cannot tell */
static int
verdict(const struct pgraph *g, const struct pnode *root)
{
	char *in;
	int rc;

	if (root->deadlock)
		return WHY_DEADLOCK;
	if ((in = calloc(g->nn + 1, 1)) == NULL)
		err(1, NULL);
	maybe(g, in);
	rc = in[root - g->n] ? WHY_UNKNOWN : WHY_NOT;
	free(in);
	return rc;
}

/* the tree: each line's lead, as pstree -A draws it */
struct tree {
	const struct pgraph *g;
	char *seen;			/* by node index: shown already */
	char lead[1024];
};

static void
line(struct tree *t, int last, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
line(struct tree *t, int last, const char *fmt, ...)
{
	va_list ap;

	fputs(t->lead, stdout);
	if (last >= 0)
		fputs(last ? "`-" : "|-", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void	show_node(struct tree *, const struct pnode *, pid_t, int);

/* one more level of lead below a line drawn with last (-1: the root) */
static size_t
indent(struct tree *t, int last)
{
	size_t len = strlen(t->lead);

	if (last >= 0 && len + 3 < sizeof(t->lead))
		strlcat(t->lead, last ? "  " : "| ", sizeof(t->lead));
	return len;
}

/* how many lines a wait's branch has below it */
static size_t
branches(const struct pwait *w)
{
	if (w->state == W_RUNNING || w->state == W_OTHER ||
	    w->state == W_UNREAD)
		return 0;
	return w->by.n + (w->by.unread > 0) + (w->by.remote != 0) +
	    (w->by.way != NULL) + (w->by.n == 0 && w->by.unread == 0 &&
	    !w->by.remote && w->by.way == NULL);
}

/* an ender: itself, one shown above, or its own node and onward */
static void
show_ender(struct tree *t, const struct pnode *from, pid_t pid, int last)
{
	const struct pnode *m = graph_find(t->g, pid);

	if (pid == from->pid)
		line(t, last, "%d (%s) itself: another of its threads, or an "
		    "end it holds", (int)pid, from->comm);
	else if (m == NULL)
		line(t, last, "%d: ended, or could not be read", (int)pid);
	else if (t->seen[m - t->g->n])
		line(t, last, "%d (%s): shown above", (int)pid, m->comm);
	else
		show_node(t, m, 0, last);
}

/* the processes that could end w, one branch each */
static void
show_by(struct tree *t, const struct pnode *n, const struct pwait *w)
{
	size_t k = 0, nb = branches(w), j;

	for (j = 0; j < w->by.n; j++)
		show_ender(t, n, w->by.pid[j], ++k == nb);
	if (w->by.unseen)
		line(t, ++k == nb, "held by no process seen (another pid "
		    "namespace's, or a descriptor in flight): not known");
	else if (w->by.unread > 0)
		line(t, ++k == nb, "%zu process%s that could not be read "
		    "(another user's, or not dumpable): not known", w->by.unread,
		    w->by.unread == 1 ? "" : "es");
	if (w->by.remote)
		line(t, ++k == nb, "the other end is not on this host%s%s",
		    w->by.peer[0] ? ": " : "", w->by.peer);
	if (w->by.way != NULL && w->by.peer[0] != '\0' && !w->by.remote)
		line(t, ++k == nb, "or %s (%s)", w->by.way, w->by.peer);
	else if (w->by.way != NULL)
		line(t, ++k == nb, "or %s", w->by.way);
	if (k < nb)
		line(t, 1, "nobody: no process can end it");
}

/* what ends a branch, said once (a plain sleep's words say "not IPC") */
static const char *
tail(const struct pwait *w)
{
	if (w->state == W_OTHER && strstr(w->words, "(not IPC)") == NULL)
		return " (not IPC: the branch ends here)";
	return w->state == W_OTHER || w->state == W_RUNNING ?
	    " (the branch ends here)" : "";
}

/* a node: its line, then each thread's enders (as threads of it) */
static void
show_node(struct tree *t, const struct pnode *n, pid_t tid, int last)
{
	size_t k, len, shown = 0;

	t->seen[n - t->g->n] = 1;
	if (n->nw == 1 || tid != 0) {
		for (k = 0; k < n->nw - 1 && n->w[k].tid != tid; k++)
			;
		if (tid != 0 && tid != n->pid)
			line(t, last, "%d (%s) thread of %d: %s%s", (int)tid,
			    n->comm, (int)n->pid, n->w[k].words,
			    tail(&n->w[k]));
		else
			line(t, last, "%d (%s) %s%s", (int)n->pid, n->comm,
			    n->w[k].words, tail(&n->w[k]));
		len = indent(t, last);
		show_by(t, n, &n->w[k]);
		t->lead[len] = '\0';
		return;
	}
	line(t, last, "%d (%s), %zu threads", (int)n->pid, n->comm, n->nw);
	len = indent(t, last);
	for (k = 0; k < n->nw; k++) {
		size_t l2;

		line(t, ++shown == n->nw, "thread %d: %s%s", (int)n->w[k].tid,
		    n->w[k].words, tail(&n->w[k]));
		l2 = indent(t, shown == n->nw);
		show_by(t, n, &n->w[k]);
		t->lead[l2] = '\0';
	}
	t->lead[len] = '\0';
}

/* the object of n's first wait that pid could end */
static const char *
edge(const struct pnode *n, pid_t pid)
{
	size_t k, j;

	for (k = 0; k < n->nw; k++)
		for (j = 0; j < n->w[k].by.n; j++)
			if (n->w[k].by.pid[j] == pid)
				return n->w[k].obj ? n->w[k].obj : "?";
	return NULL;
}

/* n's first ender in the set, one not yet named first: its index */
static ssize_t
next_in(const struct pgraph *g, const struct pnode *n, const char *set,
    const char *named)
{
	const struct pnode *m;
	ssize_t any = -1;
	size_t k, j;

	for (k = 0; k < n->nw; k++)
		for (j = 0; j < n->w[k].by.n; j++) {
			if ((m = graph_find(g, n->w[k].by.pid[j])) == NULL ||
			    !set[m - g->n])
				continue;
			if (!named[m - g->n])
				return m - g->n;
			if (any == -1)
				any = m - g->n;
		}
	return any;
}

/* from node i, each ender in the set after the other, until one repeats */
static void
walk(const struct pgraph *g, size_t i, const char *set, char *named)
{
	const struct pnode *n = &g->n[i];
	ssize_t m;

	printf("%d (%s)", (int)n->pid, n->comm);
	named[i] = 1;
	for (;;) {
		if ((m = next_in(g, n, set, named)) == -1) {
			printf(" -[%s]-> nobody", n->nw > 0 && n->w[0].obj ?
			    n->w[0].obj : "?");
			return;
		}
		printf(" -[%s]-> %d (%s)", edge(n, g->n[m].pid),
		    (int)g->n[m].pid, g->n[m].comm);
		if (named[m])
			return;
		named[m] = 1;
		n = &g->n[m];
	}
}

/* "deadlock: A (a) -[obj]-> B (b) -[obj]-> A (a)", every one of the set */
static void
say_deadlock(const struct pgraph *g, size_t first)
{
	char *set, *named;
	size_t i;

	if ((set = calloc(g->nn, 1)) == NULL ||
	    (named = calloc(g->nn, 1)) == NULL)
		err(1, NULL);
	for (i = 0; i < g->nn; i++)
		set[i] = (char)g->n[i].deadlock;
	printf("deadlock: ");
	walk(g, first, set, named);
	for (i = 0; i < g->nn; i++)
		if (set[i] && !named[i]) {
			printf("; ");
			walk(g, i, set, named);
		}
	putchar('\n');
	free(set);
	free(named);
}

/* a cycle from node i, depth first: the path in st, 1 where found */
static int
cycle_from(const struct pgraph *g, size_t i, char *color, size_t *st,
    size_t *sp, size_t *start)
{
	const struct pnode *n = &g->n[i], *m;
	size_t k, j, s;

	color[i] = 1;
	st[(*sp)++] = i;
	for (k = 0; k < n->nw; k++)
		for (j = 0; j < n->w[k].by.n; j++) {
			if ((m = graph_find(g, n->w[k].by.pid[j])) == NULL ||
			    m == n || color[m - g->n] == 2)
				continue;
			if (color[m - g->n] == 1) {
				for (s = 0; st[s] != (size_t)(m - g->n); s++)
					;
				*start = s;
				return 1;
			}
			if (cycle_from(g, (size_t)(m - g->n), color, st, sp,
			    start))
				return 1;
		}
	color[i] = 2;
	(*sp)--;
	return 0;
}

/* why n, on a cycle, is not in a deadlock: its own wait's way out */
static int
own_way(const struct pnode *n)
{
	const struct pwait *w;
	size_t k;

	for (k = 0; k < n->nw; k++) {
		w = &n->w[k];
		if (w->state == W_RUNNING)
			printf("; way out: %d (%s) is running", (int)n->pid,
			    n->comm);
		else if (w->state == W_OTHER)
			printf("; way out: %d (%s) waits on what is not IPC "
			    "(%s)", (int)n->pid, n->comm, w->words);
		else if (w->state == W_TIMED)
			printf("; way out: %d (%s) waits with a timeout",
			    (int)n->pid, n->comm);
		else if (w->state == W_UNREAD)
			printf("; way out: %d (%s) may: its wait could not be "
			    "read", (int)n->pid, n->comm);
		else if (w->by.way != NULL)
			printf("; way out: %s can end the wait of %d (%s)",
			    w->by.way, (int)n->pid, n->comm);
		else if (w->by.unread > 0 || w->by.remote)
			printf("; way out: %d (%s) can be ended by a process "
			    "%s", (int)n->pid, n->comm, w->by.remote ?
			    "not on this host" : "that could not be read");
		else
			continue;
		return 1;
	}
	return 0;
}

/* enders of n off the cycle and in no deadlock: each a way out */
static int
off_cycle(const struct pgraph *g, const struct pnode *n, const char *on)
{
	const struct pnode *m;
	size_t k, j;
	int said = 0;

	for (k = 0; k < n->nw; k++)
		for (j = 0; j < n->w[k].by.n; j++)
			if ((m = graph_find(g, n->w[k].by.pid[j])) != NULL &&
			    m != n && !on[m - g->n] && !m->deadlock) {
				printf("; way out: %d (%s) can end the wait of "
				    "%d (%s) and is in no deadlock",
				    (int)m->pid, m->comm, (int)n->pid, n->comm);
				said = 1;
			}
	return said;
}

/* "cycle (not a proven deadlock): A -[o]-> B -[o]-> A; way out: ..." */
static void
say_cycle(const struct pgraph *g, const size_t *st, size_t start, size_t sp)
{
	const struct pnode *n, *m;
	char *on;
	size_t s;

	if ((on = calloc(g->nn, 1)) == NULL)
		err(1, NULL);
	printf("cycle (not a proven deadlock): ");
	for (s = start; s < sp; s++) {
		n = &g->n[st[s]];
		m = &g->n[st[s + 1 < sp ? s + 1 : start]];
		on[st[s]] = 1;
		printf("%d (%s) -[%s]-> ", (int)n->pid, n->comm,
		    edge(n, m->pid));
	}
	printf("%d (%s)", (int)g->n[st[start]].pid, g->n[st[start]].comm);
	for (s = start; s < sp; s++)
		if (!own_way(&g->n[st[s]]))
			off_cycle(g, &g->n[st[s]], on);
	putchar('\n');
	free(on);
}

/* the line after the tree: the deadlock reached, or a cycle, or none */
static void
say_end(const struct pgraph *g, const struct pnode *root)
{
	char *color;
	size_t *st, i, sp = 0, start;

	if (root->deadlock) {
		say_deadlock(g, (size_t)(root - g->n));
		return;
	}
	for (i = 0; i < g->nn; i++)
		if (g->n[i].deadlock) {
			say_deadlock(g, i);
			return;
		}
	if ((color = calloc(g->nn, 1)) == NULL ||
	    (st = calloc(g->nn + 1, sizeof(*st))) == NULL)
		err(1, NULL);
	if (cycle_from(g, (size_t)(root - g->n), color, st, &sp, &start))
		say_cycle(g, st, start, sp);
	free(color);
	free(st);
}

static void
json_str(const char *key, const char *s, const char *after)
{
	printf("\"%s\":", key);
	if (s == NULL)
		fputs("null", stdout);
	else {
		putchar('"');
		esc_json(stdout, s, (size_t)-1);
		putchar('"');
	}
	fputs(after, stdout);
}

static void
json_wait(const struct pwait *w)
{
	size_t j;

	printf("{\"tid\":%d,", (int)w->tid);
	json_str("state", states[w->state], ",");
	json_str("waits", w->words, ",");
	json_str("object", w->obj, ",");
	if (w->b.asleep_ms >= 0)
		printf("\"asleep_ms\":%ld,", w->b.asleep_ms);
	else
		fputs("\"asleep_ms\":null,", stdout);
	fputs("\"by\":[", stdout);
	for (j = 0; j < w->by.n; j++)
		printf("%s%d", j ? "," : "", (int)w->by.pid[j]);
	fputs("],", stdout);
	json_str("way", w->by.way, ",");
	printf("\"unread\":%zu,\"remote\":%s}", w->by.unread,
	    w->by.remote ? "true" : "false");
}

/* the graph as one JSON object: nodes, edges, the deadlock's pids */
static void
json(const struct pgraph *g)
{
	const struct pnode *n;
	size_t i, k, j, e = 0, d = 0;

	fputs("{\"nodes\":[", stdout);
	for (i = 0; i < g->nn; i++) {
		n = &g->n[i];
		printf("%s{\"kind\":\"process\",\"pid\":%d,", i ? "," : "",
		    (int)n->pid);
		json_str("command", n->comm, ",\"threads\":[");
		for (k = 0; k < n->nw; k++) {
			fputs(k ? "," : "", stdout);
			json_wait(&n->w[k]);
		}
		printf("],\"deadlock\":%s}", n->deadlock ? "true" : "false");
	}
	fputs("],\"edges\":[", stdout);
	for (i = 0; i < g->nn; i++)
		for (n = &g->n[i], k = 0; k < n->nw; k++)
			for (j = 0; j < n->w[k].by.n; j++) {
				printf("%s{\"from\":%d,\"to\":%d,", e++ ? "," :
				    "", (int)n->pid, (int)n->w[k].by.pid[j]);
				json_str("object", n->w[k].obj, "}");
			}
	fputs("],\"deadlock\":[", stdout);
	for (i = 0; i < g->nn; i++)
		if (g->n[i].deadlock)
			printf("%s%d", d++ ? "," : "", (int)g->n[i].pid);
	puts("]}");
}

/* what could not be read, said once, with how many */
static void
partial(const struct pgraph *g)
{
	size_t i, k, most = g->unread;

	for (i = 0; i < g->nn; i++)
		for (k = 0; k < g->n[i].nw; k++)
			if (!g->n[i].w[k].by.unseen &&
			    g->n[i].w[k].by.unread > most)
				most = g->n[i].w[k].by.unread;
	unread_note(most, "its waits are not shown",
	    "their waits are not shown");
}

int
cmd_why(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "json", why_opts), rc = 0;
	pid_t tid = one_pid(argc, argv, i), pid = process_of(tid);
	struct pgraph g = { 0 };
	struct tree t;
	struct pnode *root;

	graph_reach(&g, pid);
	if ((root = graph_find(&g, pid)) == NULL)
		errx(1, "why %d: the process ended while it was read",
		    (int)tid);
	graph_deadlocks(&g);
	if (opt.val[O_CHECK] != NULL)
		rc = verdict(&g, root);
	else if (opt.json)
		json(&g);
	else {
		memset(&t, 0, sizeof(t));
		t.g = &g;
		if ((t.seen = calloc(g.nn, 1)) == NULL)
			err(1, NULL);
		show_node(&t, root, tid != pid ? tid : 0, -1);
		say_end(&g, root);
		free(t.seen);
	}
	if (opt.val[O_CHECK] == NULL)
		partial(&g);
	graph_free(&g);
	return rc;
}
