/*
 * Who is at the other end of an object: the processes that hold it
 * readable or writable, its peer's holders, or every holder, from the
 * run's /proc index; Unix sockets' peers from NETLINK_SOCK_DIAG, read
 * once a run. Nothing is opened but /proc's files and the diag socket.
 */
#include <sys/stat.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"
#include "ipc-proc.h"

#define INDEX_PARTS	(PIDX_FDS | PIDX_MAPS)
#define STR_PIDS	8		/* processes a cell names, at most */

/* every Unix socket of the run, by inode, read at the first question */
static struct usock *socks;
static size_t nsocks, capsocks;
static int socks_read;			/* 1: asked; -1: could not be */

static int
keep_sock(const struct usock *u, void *arg)
{
	(void)arg;
	if (nsocks == capsocks) {
		capsocks = capsocks ? 2 * capsocks : 256;
		if ((socks = reallocarray(socks, capsocks,
		    sizeof(*socks))) == NULL)
			err(1, NULL);
	}
	socks[nsocks++] = *u;
	return 0;
}

static int
by_ino(const void *a, const void *b)
{
	const struct usock *x = a, *y = b;

	return (x->ino > y->ino) - (x->ino < y->ino);
}

/*
 * The Unix socket of inode ino, or NULL: not one (TCP, UDP, ...), or
 * sock_diag could not be asked. NETLINK_SOCK_DIAG is read once a run,
 * for ends and held.c's rows alike.
 */
const struct usock *
ends_unix(ino_t ino)
{
	struct usock key = { .ino = ino };

	if (socks_read == 0) {
		socks_read = udiag_each(keep_sock, NULL) == 0 ? 1 : -1;
		if (socks_read == -1)
			nsocks = 0;
		qsort(socks, nsocks, sizeof(*socks), by_ino);
	}
	return nsocks == 0 ? NULL :
	    bsearch(&key, socks, nsocks, sizeof(*socks), by_ino);
}

/* the device every anonymous pipe lives on, told from a FIFO's */
static dev_t
pipefs_dev(void)
{
	static dev_t dev;
	static int known;
	struct stat st;
	int p[2];

	if (!known && pipe2(p, O_CLOEXEC) == 0) {
		if (fstat(p[0], &st) == 0)
			dev = st.st_dev;
		close(p[0]);
		close(p[1]);
		known = 1;
	}
	return dev;
}

/*
 * pid into the list, kept in order and each once; the index gives an
 * object's holders in pid order, so the common case appends (an object
 * held by thousands costs a pass, not a pass each)
 */
void
ends_add(struct ends *e, pid_t pid)
{
	size_t i, lo = 0, hi = e->n, mid;

	if (e->n > 0 && e->pid[e->n - 1] >= pid) {
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (e->pid[mid] < pid)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (e->pid[lo] == pid)
			return;
	} else
		lo = e->n;
	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 4;
		if ((e->pid = reallocarray(e->pid, e->cap,
		    sizeof(pid_t))) == NULL)
			err(1, NULL);
	}
	for (i = e->n++; i > lo; i--)
		e->pid[i] = e->pid[i - 1];
	e->pid[lo] = pid;
}

static int
acc_ok(struct holder *h, int want)
{
	int acc;

	if (want == ENDS_HOLDERS || h->kind != PIDX_FD)
		return 1;
	acc = pidx_acc(h);
	if (acc == -1 || acc == O_RDWR)
		return 1;
	return want == ENDS_READERS ? acc == O_RDONLY : acc == O_WRONLY;
}

/* every process holding (dev, ino) as want asks */
static void
holders(struct ends *e, dev_t dev, ino_t ino, int want)
{
	struct pidx *ix = proc_index(INDEX_PARTS);
	const struct holder *first;
	size_t i, n, at;

	n = pidx_obj(ix, dev, ino, &first);
	at = (size_t)(first - ix->e);
	for (i = at; i < at + n; i++)
		if (ix->e[i].kind != PIDX_OPEN && acc_ok(&ix->e[i], want))
			ends_add(e, ix->e[i].pid);
}

/*
 * No process we could read holds the other end: one whose descriptors we
 * could not read may (a pipe or a socket is never held by a mapping).
 * Where it must be there (must: a thread waits on it, or a socket's
 * peer exists) and none could hide it, it is held where we cannot see.
 */
static void
hidden(struct ends *e, int must)
{
	if (e->n > 0)
		return;
	e->unread = pidx_unread(proc_index(INDEX_PARTS), PIDX_FDS, NULL, 0);
	if (must && e->unread == 0) {
		/* another pid namespace's, or a descriptor in flight */
		e->unread = 1;
		e->unseen = 1;
	}
}

static void
peer_of(struct ends *e, dev_t dev, ino_t ino)
{
	const struct usock *s = ends_unix(ino);

	if (s == NULL) {
		/* not a Unix socket: TCP, UDP and the rest, told by held.c */
		e->remote = 1;
		return;
	}
	if (s->peer != 0) {
		holders(e, dev, s->peer, ENDS_HOLDERS);
		hidden(e, 1);
		return;
	}
	if (s->namelen > 0)
		udiag_name(s, e->peer, sizeof(e->peer));
	e->way = s->state == 10 /* TCP_LISTEN */ ?
	    "a process that connects to it" :
	    e->peer[0] != '\0' ? "a process that sends to it" : NULL;
}

/*
 * The processes at the other end of (dev, ino), a file of type type
 * (S_IFIFO, S_IFSOCK, ...), as want asks: ENDS_READERS those that hold
 * it readable, ENDS_WRITERS writable, ENDS_PEER a socket's peer's
 * holders, ENDS_HOLDERS every holder; with ENDS_MUST, the other end is
 * known to be there (a thread is blocked on it). unread is set where no
 * process we could read holds it: it may be one of those, or (unseen,
 * where it must be there and none could be) one we cannot see at all.
 * 0, or -1 with errno.
 */
int
ends_of(dev_t dev, ino_t ino, mode_t type, int want, struct ends *e)
{
	int must = want & ENDS_MUST;

	want &= ~ENDS_MUST;
	memset(e, 0, sizeof(*e));
	if (want == ENDS_PEER) {
		if (!S_ISSOCK(type)) {
			errno = EINVAL;
			return -1;
		}
		peer_of(e, dev, ino);
		return 0;
	}
	holders(e, dev, ino, want);
	if (S_ISFIFO(type) && dev != pipefs_dev()) {
		/* a FIFO: a newcomer may open it by its path */
		if (want == ENDS_READERS)
			e->way = "a process that opens it for reading";
		else if (want == ENDS_WRITERS)
			e->way = "a process that opens it for writing";
	} else if (S_ISFIFO(type) && want != ENDS_HOLDERS)
		hidden(e, must);
	return 0;
}

void
ends_free(struct ends *e)
{
	free(e->pid);
	e->pid = NULL;
	e->n = e->cap = 0;
}

/*
 * The other end in words, for a cell: "1230(sleep) 1231(cat)", self as
 * "itself", past STR_PIDS "and 12 more", then what is not known:
 * "remote ADDR", "3 not readable", the way out for a newcomer; "none"
 * where there is nothing at all (-j's graph names every process)
 */
char *
ends_str(const struct ends *e, pid_t self)
{
	char comm[64], *s = NULL;
	size_t len = 0, i;
	FILE *f;

	if ((f = open_memstream(&s, &len)) == NULL)
		err(1, NULL);
	for (i = 0; i < e->n && i < STR_PIDS; i++) {
		if (e->pid[i] == self)
			fprintf(f, "%sitself", i ? " " : "");
		else {
			proc_comm(e->pid[i], comm, sizeof(comm));
			fprintf(f, "%s%d(%s)", i ? " " : "", (int)e->pid[i],
			    comm);
		}
	}
	if (e->n > STR_PIDS)
		fprintf(f, " and %zu more", e->n - STR_PIDS);
	if (e->remote)
		fprintf(f, "%sremote%s%s", ftell(f) ? ", " : "",
		    e->peer[0] ? " " : "", e->peer);
	if (e->unseen)
		fprintf(f, "%sheld by no process seen", ftell(f) ? ", " : "");
	else if (e->unread > 0)
		fprintf(f, "%s%zu not readable", ftell(f) ? ", " : "",
		    e->unread);
	if (e->way != NULL)
		fprintf(f, "%s%s", ftell(f) ? ", or " : "", e->way);
	if (ftell(f) == 0)
		fputs("none", f);
	if (fclose(f) == EOF)
		err(1, NULL);
	return s;
}
