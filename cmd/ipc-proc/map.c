/*
 * ipc-proc map: who talks to whom. Processes are nodes; a pipe, FIFO,
 * socket pair or loopback connection is an edge between the two
 * processes at its ends; a queue, segment or semaphore is an object
 * node between its holders; each wait is an arrow from the waiter to
 * every process that could end it; deadlocked processes are marked.
 * With PIDs, only what they reach: the connected components, through
 * objects and waits, that hold them. Drawn as a tree (pstree -A), as
 * Graphviz dot, or as JSON. Everything is read once: the graph of
 * waits (graph.c) and what each process holds (held.c, on the index).
 */
#include <sys/types.h>
#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"
#include "ipc-proc.h"

static const struct optdef map_opts[] = {
	{ O_FORMAT, "format", "FORMAT", "text (default), dot or json" },
	{ 0, NULL, NULL, NULL }
};

enum { F_TEXT, F_DOT, F_JSON };
static const char *const formats[] = { "text", "dot", "json", NULL };

/* an edge's ends are keys: a pid (> 0), or an object, -(its index + 1) */
enum { E_LINK, E_HOLD, E_WAIT };
static const char *const etypes[] = { "link", "holds", "wait" };
struct medge {
	long a, b;
	int type;			/* E_* */
	int kind;			/* H_*, or -1 for a wait */
	int dir;			/* a link: 1 data a to b, -1 b to a, 0 both */
	int state;			/* a wait: W_ENDLESS or W_TIMED */
	int deadlock;			/* a wait between two deadlocked */
	int tree;			/* text: drawn in the tree */
	char *label;			/* the object, or what is waited for */
	size_t n;			/* objects the edge stands for */
};
struct mobj {
	int kind;
	dev_t dev;
	ino_t ino;
	char *name;
};
struct mnode {
	long key;
	pid_t pid;			/* 0: an object */
	char comm[64];
	int deadlock;
	size_t comp;			/* its component: union-find parent */
	int keep, seen;
	char *waits;			/* a process's waits without an ender */
};
struct mhold;
struct map {
	struct medge *e;
	size_t ne, ecap;
	struct mobj *o;
	size_t no, ocap;
	struct mnode *n;
	size_t nn;
	pid_t *pid;			/* processes whose objects were read */
	size_t npid;
	struct mhold *h;		/* the holders of pipes and FIFOs */
	size_t nh, hcap;
};

static void *
grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 64;
	if ((v = reallocarray(v, *cap, size)) == NULL)
		err(1, NULL);
	return v;
}

static char *
xstrdup(const char *s)
{
	char *d = strdup(s != NULL ? s : "");

	if (d == NULL)
		err(1, NULL);
	return d;
}

static void
edge_add(struct map *m, struct medge e)
{
	long t;

	if (e.type == E_LINK && e.a > e.b) {	/* one order for both ends */
		t = e.a;
		e.a = e.b;
		e.b = t;
		e.dir = -e.dir;
	}
	m->e = grow(m->e, &m->ecap, m->ne, sizeof(*m->e));
	e.n = 1;
	m->e[m->ne++] = e;
}

static int
was_read(const struct map *m, pid_t pid)
{
	return bsearch(&pid, m->pid, m->npid, sizeof(pid),
	    graph_pidcmp) != NULL;
}

/* the kinds drawn as a node of their own between their holders */
static int
shared_kind(int kind)
{
	return kind == H_MQ || kind == H_SEM || kind == H_SHM ||
	    kind == H_SYSV_SHM || kind == H_SYSV_MSG || kind == H_SYSV_SEM;
}

static int
is_socket(int kind)
{
	return kind == H_UNIX || kind == H_TCP || kind == H_UDP;
}

/* a pipe's or FIFO's holders: (dev, ino, pid), each once, sorted */
struct mhold {
	dev_t dev;
	ino_t ino;
	pid_t pid;
};

static int
holdcmp(const void *x, const void *y)
{
	const struct mhold *a = x, *b = y;

	if (a->dev != b->dev)
		return (a->dev > b->dev) - (a->dev < b->dev);
	if (a->ino != b->ino)
		return (a->ino > b->ino) - (a->ino < b->ino);
	return (a->pid > b->pid) - (a->pid < b->pid);
}

/* how many processes hold the pipe or FIFO (dev, ino) */
static size_t
object_holders(const struct map *m, dev_t dev, ino_t ino)
{
	struct mhold k = { dev, ino, 0 };
	size_t lo = 0, hi = m->nh, mid, n = 0;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (holdcmp(&m->h[mid], &k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < m->nh && m->h[lo].dev == dev && m->h[lo].ino == ino; lo++)
		if (n == 0 || m->h[lo].pid != m->h[lo - 1].pid)
			n++;
	return n;
}

static int
acc_dir(int acc)
{
	return acc == O_WRONLY ? 1 : acc == O_RDONLY ? -1 : 0;
}

/* one held object of pid: links to its other end's processes */
static void
held_links(struct map *m, pid_t pid, const struct held *h)
{
	struct medge e = { .type = E_LINK, .kind = h->kind };
	size_t k;

	e.dir = is_socket(h->kind) ? 0 : acc_dir(h->acc);
	for (k = 0; k < h->other.n; k++) {
		pid_t q = h->other.pid[k];

		/* a socket's two ends are two objects: drawn from one */
		if (q == pid || (is_socket(h->kind) && q < pid &&
		    was_read(m, q)))
			continue;
		e.a = pid;
		e.b = q;
		e.label = xstrdup(h->name);
		edge_add(m, e);
	}
}

static void
held_obj(struct map *m, pid_t pid, const struct held *h)
{
	struct mobj *o;
	struct medge e = { .type = E_HOLD, .kind = h->kind, .a = pid };
	size_t i;

	for (i = 0; i < m->no; i++)
		if (m->o[i].kind == h->kind && m->o[i].dev == h->dev &&
		    m->o[i].ino == h->ino)
			break;
	if (i == m->no) {
		m->o = grow(m->o, &m->ocap, m->no, sizeof(*m->o));
		o = &m->o[m->no++];
		o->kind = h->kind;
		o->dev = h->dev;
		o->ino = h->ino;
		o->name = xstrdup(h->name);
	}
	e.b = -(long)i - 1;
	e.dir = acc_dir(h->acc);
	e.label = xstrdup(h->name);
	edge_add(m, e);
}

/* a held object drawn: a pipe between two processes as a link, one
 * among more as a node; sockets as links; queues, semaphores and
 * segments as nodes */
static void
held_one(struct map *m, pid_t pid, const struct held *h)
{
	size_t n;

	if (h->kind == H_PIPE || h->kind == H_FIFO) {
		n = object_holders(m, h->dev, h->ino);
		if (n == 2)
			held_links(m, pid, h);
		else if (n > 2)
			held_obj(m, pid, h);
	} else if (is_socket(h->kind))
		held_links(m, pid, h);
	else if (shared_kind(h->kind))
		held_obj(m, pid, h);
}

static void
pipe_holders(struct map *m, pid_t pid, const struct held *h, size_t nh)
{
	size_t j;

	for (j = 0; j < nh; j++) {
		if (h[j].kind != H_PIPE && h[j].kind != H_FIFO)
			continue;
		m->h = grow(m->h, &m->hcap, m->nh, sizeof(*m->h));
		m->h[m->nh++] = (struct mhold){ h[j].dev, h[j].ino, pid };
	}
}

/*
 * What of one process's objects the map keeps until every process is
 * read: a pipe's other end only where it is one process (two holders
 * make a link; more, a node), a socket's peers; no details. Memory then
 * grows with the descriptors, not with every holder of a shared pipe
 * once for each of them.
 */
static void
slim(struct held *h, size_t nh)
{
	size_t j;

	for (j = 0; j < nh; j++) {
		free(h[j].detail);
		h[j].detail = NULL;
		if (is_socket(h[j].kind) || ((h[j].kind == H_PIPE ||
		    h[j].kind == H_FIFO) && h[j].other.n < 2))
			continue;
		ends_free(&h[j].other);
	}
}

/* what every process holds: links, and holds of shared objects */
static void
read_held(struct map *m)
{
	struct held *h;
	pid_t *all;
	size_t i, j, nh, nall;
	struct held **hv;
	size_t *hn;

	all = graph_pids(&nall);
	if ((hv = calloc(nall + 1, sizeof(*hv))) == NULL ||
	    (hn = calloc(nall + 1, sizeof(*hn))) == NULL ||
	    (m->pid = calloc(nall + 1, sizeof(*m->pid))) == NULL)
		err(1, NULL);
	for (i = 0; i < nall; i++)
		if ((hv[i] = held_of(all[i], HELD_BRIEF, &hn[i])) != NULL) {
			slim(hv[i], hn[i]);
			m->pid[m->npid++] = all[i];
			pipe_holders(m, all[i], hv[i], hn[i]);
		}
	qsort(m->h, m->nh, sizeof(*m->h), holdcmp);
	for (i = 0; i < nall; i++) {
		for (j = 0, h = hv[i], nh = hn[i]; h != NULL && j < nh; j++)
			held_one(m, all[i], &h[j]);
		if (hv[i] != NULL)
			held_free(hv[i], hn[i]);
	}
	free(hv);
	free(hn);
	free(all);
}

/* every wait with someone to end it: an arrow to each */
static void
read_waits(struct map *m, struct pgraph *g)
{
	struct medge e = { .type = E_WAIT, .kind = -1 };
	struct pnode *n, *o;
	size_t i, j, k;

	for (i = 0; i < g->nn; i++) {
		n = &g->n[i];
		for (j = 0; j < n->nw; j++) {
			const struct pwait *w = &n->w[j];

			if (w->state != W_ENDLESS && w->state != W_TIMED)
				continue;
			e.state = w->state;
			for (k = 0; k < w->by.n; k++) {
				o = graph_find(g, w->by.pid[k]);
				e.a = n->pid;
				e.b = w->by.pid[k];
				e.deadlock = n->deadlock && o != NULL &&
				    o->deadlock;
				e.label = xstrdup(w->obj != NULL &&
				    w->obj[0] != '\0' ? w->obj : w->words);
				edge_add(m, e);
			}
		}
	}
}

static int
edgecmp(const void *x, const void *y)
{
	const struct medge *a = x, *b = y;

	if (a->type != b->type)
		return a->type - b->type;
	if (a->a != b->a)
		return (a->a > b->a) - (a->a < b->a);
	if (a->b != b->b)
		return (a->b > b->b) - (a->b < b->b);
	if (a->kind != b->kind)
		return a->kind - b->kind;
	return strcmp(a->label, b->label);
}

/* an edge once per pair, kind and object; then once per pair and kind,
 * with the count of objects it stands for */
static void
edge_merge(struct map *m)
{
	size_t i, out = 0;
	struct medge *p;

	qsort(m->e, m->ne, sizeof(*m->e), edgecmp);
	for (i = 0; i < m->ne; i++) {
		p = out ? &m->e[out - 1] : NULL;
		if (p != NULL && p->type == m->e[i].type &&
		    p->a == m->e[i].a && p->b == m->e[i].b &&
		    p->kind == m->e[i].kind) {
			if (strcmp(p->label, m->e[i].label) != 0)
				p->n++;
			if (p->dir != m->e[i].dir)
				p->dir = 0;
			p->deadlock |= m->e[i].deadlock;
			if (m->e[i].state == W_ENDLESS)
				p->state = W_ENDLESS;
			free(m->e[i].label);
			continue;
		}
		m->e[out++] = m->e[i];
	}
	m->ne = out;
}

static int
keycmp(const void *x, const void *y)
{
	long a = *(const long *)x, b = *(const long *)y;

	/* processes first, by pid; then objects, in the order found */
	if ((a > 0) != (b > 0))
		return a > 0 ? -1 : 1;
	return a > 0 ? (a > b) - (a < b) : (a < b) - (a > b);
}

/* the node of a key: nodes are in keycmp order */
static size_t
node_of(const struct map *m, long key)
{
	size_t lo = 0, hi = m->nn, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (keycmp(&m->n[mid].key, &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
make_nodes(struct map *m, struct pgraph *g, const pid_t *want, size_t nwant)
{
	long *k;
	size_t i, nk = 0;
	struct pnode *p;

	if ((k = calloc(2 * m->ne + nwant + 1, sizeof(*k))) == NULL)
		err(1, NULL);
	for (i = 0; i < m->ne; i++) {
		k[nk++] = m->e[i].a;
		k[nk++] = m->e[i].b;
	}
	for (i = 0; i < nwant; i++)
		k[nk++] = want[i];
	qsort(k, nk, sizeof(*k), keycmp);
	if ((m->n = calloc(nk + 1, sizeof(*m->n))) == NULL)
		err(1, NULL);
	for (i = 0; i < nk; i++) {
		if (m->nn > 0 && m->n[m->nn - 1].key == k[i])
			continue;
		m->n[m->nn].key = k[i];
		m->n[m->nn].comp = m->nn;
		if (k[i] > 0) {
			m->n[m->nn].pid = (pid_t)k[i];
			p = graph_find(g, (pid_t)k[i]);
			if (p != NULL) {
				strlcpy(m->n[m->nn].comm, p->comm,
				    sizeof(m->n[m->nn].comm));
				m->n[m->nn].deadlock = p->deadlock;
			} else
				proc_comm((pid_t)k[i], m->n[m->nn].comm,
				    sizeof(m->n[m->nn].comm));
		}
		m->nn++;
	}
	free(k);
}

static size_t
root(struct map *m, size_t i)
{
	while (m->n[i].comp != i) {
		m->n[i].comp = m->n[m->n[i].comp].comp;
		i = m->n[i].comp;
	}
	return i;
}

/* the components: with PIDs, keep those that hold one; else every one */
static void
components(struct map *m, const pid_t *want, size_t nwant)
{
	size_t i, a, b;

	for (i = 0; i < m->ne; i++) {
		a = root(m, node_of(m, m->e[i].a));
		b = root(m, node_of(m, m->e[i].b));
		if (a != b)
			m->n[a > b ? a : b].comp = a < b ? a : b;
	}
	for (i = 0; i < m->nn; i++)
		root(m, i);
	for (i = 0; i < nwant; i++)
		m->n[root(m, node_of(m, want[i]))].keep = 1;
	for (i = 0; i < m->nn; i++)
		m->n[i].keep = nwant == 0 || m->n[root(m, i)].keep;
}

static const char *
obj_name(const struct map *m, long key)
{
	return m->o[-key - 1].name;
}

/* ---- json */

static void
json_str(const char *s)
{
	putchar('"');
	esc_json(stdout, s, strlen(s));
	putchar('"');
}

static void
json_key(const struct map *m, long key)
{
	if (key > 0)
		printf("\"p%ld\"", key);
	else
		printf("\"o%ld\"", -key - 1);
	(void)m;
}

static void
json_node(const struct map *m, const struct mnode *n)
{
	fputs("{\"id\":", stdout);
	json_key(m, n->key);
	if (n->pid > 0) {
		printf(",\"kind\":\"process\",\"pid\":%d,\"command\":",
		    (int)n->pid);
		json_str(n->comm);
		printf(",\"deadlock\":%s}", n->deadlock ? "true" : "false");
		return;
	}
	fputs(",\"kind\":", stdout);
	json_str(held_kinds[m->o[-n->key - 1].kind]);
	fputs(",\"name\":", stdout);
	json_str(obj_name(m, n->key));
	putchar('}');
}

static void
json_edge(const struct medge *e)
{
	fputs("{\"from\":", stdout);
	json_key(NULL, e->type != E_WAIT && e->dir < 0 ? e->b : e->a);
	fputs(",\"to\":", stdout);
	json_key(NULL, e->type != E_WAIT && e->dir < 0 ? e->a : e->b);
	printf(",\"type\":\"%s\",", etypes[e->type]);
	if (e->type == E_WAIT)
		printf("\"timed\":%s,\"deadlock\":%s,",
		    e->state == W_TIMED ? "true" : "false",
		    e->deadlock ? "true" : "false");
	else
		printf("\"kind\":\"%s\",\"directed\":%s,",
		    held_kinds[e->kind], e->dir != 0 ? "true" : "false");
	fputs("\"object\":", stdout);
	json_str(e->label);
	printf(",\"objects\":%zu}", e->n);
}

static void
map_json(const struct map *m)
{
	size_t i, k = 0;

	fputs("{\"nodes\":[", stdout);
	for (i = 0; i < m->nn; i++)
		if (m->n[i].keep) {
			fputs(k++ ? ",\n" : "\n", stdout);
			json_node(m, &m->n[i]);
		}
	fputs("\n],\"edges\":[", stdout);
	for (i = 0, k = 0; i < m->ne; i++)
		if (m->n[node_of(m, m->e[i].a)].keep) {
			fputs(k++ ? ",\n" : "\n", stdout);
			json_edge(&m->e[i]);
		}
	fputs("\n],\"deadlocked\":[", stdout);
	for (i = 0, k = 0; i < m->nn; i++)
		if (m->n[i].keep && m->n[i].deadlock)
			printf("%s%d", k++ ? "," : "", (int)m->n[i].pid);
	fputs("]}\n", stdout);
}

/* ---- dot */

static void
dot_str(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		if ((unsigned char)*s < ' ')
			printf("\\\\%03o", (unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void
dot_id(long key)
{
	if (key > 0)
		printf("p%ld", key);
	else
		printf("o%ld", -key - 1);
}

static void
dot_node(const struct map *m, const struct mnode *n)
{
	char label[160];

	putchar('\t');
	dot_id(n->key);
	if (n->pid > 0) {
		snprintf(label, sizeof(label), "%s %d%s", n->comm, (int)n->pid,
		    n->deadlock ? " (deadlock)" : "");
		fputs(" [label=", stdout);
		dot_str(label);
		fputs(n->deadlock ? ", color=red, penwidth=2];\n" : "];\n",
		    stdout);
		return;
	}
	snprintf(label, sizeof(label), "%s %s",
	    held_kinds[m->o[-n->key - 1].kind], obj_name(m, n->key));
	fputs(" [shape=ellipse, label=", stdout);
	dot_str(label);
	fputs("];\n", stdout);
}

static void
dot_edge(const struct medge *e)
{
	char label[320];

	snprintf(label, sizeof(label), "%s%s%s", e->type == E_WAIT ?
	    "waits: " : "", e->label, e->n > 1 ? " and more" : "");
	putchar('\t');
	dot_id(e->type != E_WAIT && e->dir < 0 ? e->b : e->a);
	fputs(" -> ", stdout);
	dot_id(e->type != E_WAIT && e->dir < 0 ? e->a : e->b);
	fputs(" [label=", stdout);
	dot_str(label);
	if (e->type == E_WAIT)
		fputs(e->deadlock ? ", style=bold, color=red" :
		    e->state == W_TIMED ? ", style=dotted" : ", style=dashed",
		    stdout);
	else if (e->dir == 0)
		fputs(", dir=none", stdout);
	fputs("];\n", stdout);
}

static void
map_dot(const struct map *m)
{
	size_t i;

	fputs("digraph ipc {\n\trankdir=LR;\n"
	    "\tnode [shape=box, fontname=\"monospace\"];\n"
	    "\tedge [fontname=\"monospace\", fontsize=10];\n", stdout);
	for (i = 0; i < m->nn; i++)
		if (m->n[i].keep)
			dot_node(m, &m->n[i]);
	for (i = 0; i < m->ne; i++)
		if (m->n[node_of(m, m->e[i].a)].keep)
			dot_edge(&m->e[i]);
	fputs("}\n", stdout);
}

/* ---- text: a tree per component, as pstree -A draws */

#define DEPTH	128
struct draw {
	int col;			/* where the line is */
	int bar[DEPTH];			/* each level's branch column */
	int more[DEPTH];		/* whether it has children still */
	int depth;
};

static void
out(struct draw *d, const char *s)
{
	esc_text(stdout, s, 1);
	d->col += (int)esc_text_len(s, 1);
}

static void
node_label(const struct map *m, const struct mnode *n, char *buf, size_t len)
{
	if (n->pid > 0)
		snprintf(buf, len, "%s(%d)%s", n->comm, (int)n->pid,
		    n->deadlock ? "*" : "");
	else if (m->o[-n->key - 1].kind == H_PIPE)
		snprintf(buf, len, "[%s]", obj_name(m, n->key));
	else
		snprintf(buf, len, "[%s %s]",
		    held_kinds[m->o[-n->key - 1].kind], obj_name(m, n->key));
}

/* the edge as seen from the end `from`, to be drawn before the other */
static void
edge_words(const struct medge *e, long from, char *buf, size_t len)
{
	int fwd = e->a == from;
	char more[32] = "";

	if (e->n > 1)
		snprintf(more, sizeof(more), "(+%zu)", e->n - 1);
	if (e->type == E_HOLD)
		snprintf(buf, len, "%s", e->dir == 0 ? "" :
		    (e->dir > 0) == fwd ? "->" : "<-");
	else if (e->type == E_WAIT)
		snprintf(buf, len, fwd ? "waits %s%s%s=>" : "<=waits %s%s%s=",
		    e->deadlock ? "(deadlock) " : e->state == W_TIMED ?
		    "(timed) " : "", e->label, more);
	else if (e->dir == 0)
		snprintf(buf, len, "%s%s-", e->label, more);
	else if ((e->dir > 0) == fwd)
		snprintf(buf, len, "%s%s->", e->label, more);
	else
		snprintf(buf, len, "<-%s%s-", e->label, more);
}

/* the edges at node i whose other end is not drawn yet: the tree's
 * candidates, links first (the edges are in type order) */
static size_t
kids(struct map *m, size_t i, size_t *kid, size_t *via, size_t max)
{
	size_t j, nk = 0, o;
	long key = m->n[i].key;

	for (j = 0; j < m->ne && nk < max; j++) {
		if (m->e[j].tree || (m->e[j].a != key && m->e[j].b != key))
			continue;
		o = node_of(m, m->e[j].a == key ? m->e[j].b : m->e[j].a);
		if (m->n[o].seen || (nk > 0 && kid[nk - 1] == o))
			continue;
		kid[nk] = o;
		via[nk++] = j;
	}
	return nk;
}

/* whether a candidate after k is still to be drawn */
static int
later(const struct map *m, const size_t *kid, size_t k, size_t nk)
{
	for (k++; k < nk; k++)
		if (!m->n[kid[k]].seen)
			return 1;
	return 0;
}

static void
pad(int n)
{
	if (n > 0)
		printf("%*s", n, "");
}

static void
newline_at(struct draw *d, int last)
{
	int l;

	putchar('\n');
	d->col = 0;
	for (l = 0; l < d->depth - 1; l++) {
		pad(d->bar[l] - d->col);
		putchar(d->more[l] ? '|' : ' ');
		d->col = d->bar[l] + 1;
	}
	pad(d->bar[d->depth - 1] - 1 - d->col);
	fputs(last ? " `-" : " |-", stdout);
	d->col = d->bar[d->depth - 1] + 2;
}

static void
tree(struct map *m, size_t i, struct draw *d)
{
	char buf[512];
	size_t kid[64], via[64], nk, k, drawn = 0;

	node_label(m, &m->n[i], buf, sizeof(buf));
	out(d, buf);
	if (d->depth == DEPTH)
		return;
	nk = kids(m, i, kid, via, sizeof(kid) / sizeof(*kid));
	if (nk == 0)
		return;
	fputs(nk == 1 ? "---" : "-+-", stdout);
	d->bar[d->depth] = d->col + 1;
	d->col += 3;
	d->depth++;
	for (k = 0; k < nk; k++) {
		if (m->n[kid[k]].seen)
			continue;	/* drawn below an earlier one */
		d->more[d->depth - 1] = later(m, kid, k, nk);
		if (drawn++ > 0)
			newline_at(d, !d->more[d->depth - 1]);
		m->n[kid[k]].seen = 1;
		m->e[via[k]].tree = 1;
		edge_words(&m->e[via[k]], m->n[i].key, buf, sizeof(buf));
		out(d, buf);
		tree(m, kid[k], d);
	}
	d->depth--;
}

/* the edges of a component the tree did not draw, one a line */
static void
rest(struct map *m, size_t comp)
{
	char a[128], b[128], e[512];
	size_t i, na;

	for (i = 0; i < m->ne; i++) {
		na = node_of(m, m->e[i].a);
		if (m->e[i].tree || m->n[na].comp != comp)
			continue;
		node_label(m, &m->n[na], a, sizeof(a));
		node_label(m, &m->n[node_of(m, m->e[i].b)], b, sizeof(b));
		edge_words(&m->e[i], m->e[i].a, e, sizeof(e));
		fputs("  and ", stdout);
		esc_text(stdout, a, 1);
		putchar(' ');
		esc_text(stdout, e, 1);
		putchar(' ');
		esc_text(stdout, b, 1);
		putchar('\n');
	}
}

static void
deadlock_line(const struct map *m, size_t comp)
{
	size_t i, k = 0;

	for (i = 0; i < m->nn; i++)
		if (m->n[i].comp == comp && m->n[i].deadlock) {
			fputs(k++ ? " " : "  deadlock: ", stdout);
			printf("%d(", (int)m->n[i].pid);
			esc_text(stdout, m->n[i].comm, 1);
			putchar(')');
		}
	if (k > 0)
		putchar('\n');
}

static void
map_text(struct map *m)
{
	struct draw d;
	size_t i;
	int dead = 0;

	for (i = 0; i < m->nn; i++) {
		if (!m->n[i].keep || m->n[i].seen || m->n[i].comp != i)
			continue;
		memset(&d, 0, sizeof(d));
		m->n[i].seen = 1;
		tree(m, i, &d);
		putchar('\n');
		rest(m, i);
		deadlock_line(m, i);
		dead |= m->n[i].deadlock;
	}
	for (i = 0; i < m->nn; i++)
		dead |= m->n[i].keep && m->n[i].deadlock;
	if (dead)
		puts("(* in a proven deadlock)");
}

/* ---- the verb */

static int
format_of(void)
{
	const char *f = opt.val[O_FORMAT];
	int i;

	if (f == NULL)
		return opt.json ? F_JSON : F_TEXT;
	for (i = 0; formats[i] != NULL; i++)
		if (strcmp(f, formats[i]) == 0)
			break;
	if (formats[i] == NULL)
		usage_error("--format: '%s' is not one of text, dot, json",
		    esc_name(f));
	if (opt.json && i != F_JSON)
		usage_error("-j and --format %s exclude each other", f);
	return i;
}

/* PID's process: a thread's id is taken for its process's */
static pid_t
process_of(pid_t pid)
{
	char tgid[32];

	if (pid_status(pid, "Tgid", tgid, sizeof(tgid)) == -1) {
		if (errno == ENOENT)
			errx(1, "%s %d: no such process", verb_name, (int)pid);
		err(1, "%s %d", verb_name, (int)pid);
	}
	return (pid_t)strtol(tgid, NULL, 10);
}

static void
map_free(struct map *m)
{
	size_t i;

	for (i = 0; i < m->ne; i++)
		free(m->e[i].label);
	for (i = 0; i < m->no; i++)
		free(m->o[i].name);
	free(m->e);
	free(m->o);
	free(m->n);
	free(m->pid);
	free(m->h);
}

int
cmd_map(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "json", map_opts), fmt, parts;
	struct map m = { 0 };
	struct pgraph g = { 0 };
	pid_t *want;
	size_t nwant = 0, unread;

	fmt = format_of();
	if ((want = calloc((size_t)(argc - i) + 1, sizeof(*want))) == NULL)
		err(1, NULL);
	for (; i < argc; i++)	/* each read as one_pid reads one */
		want[nwant++] = pid_arg(argv[i], "PID", 0);
	for (i = 0; (size_t)i < nwant; i++)
		want[i] = process_of(want[i]);
	parts = PIDX_FDS | PIDX_MAPS;
	proc_index(parts);
	graph_every(&g);
	graph_deadlocks(&g);
	read_held(&m);
	read_waits(&m, &g);
	edge_merge(&m);
	make_nodes(&m, &g, want, nwant);
	components(&m, want, nwant);
	if (fmt == F_JSON)
		map_json(&m);
	else if (fmt == F_DOT)
		map_dot(&m);
	else
		map_text(&m);
	unread = pidx_unread(proc_index(parts), parts, NULL, 0);
	unread_note(unread > g.unread ? unread : g.unread,
	    "its objects and waits are not shown",
	    "their objects and waits are not shown");
	map_free(&m);
	graph_free(&g);
	free(want);
	return 0;
}
