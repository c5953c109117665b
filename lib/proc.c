/*
 * Who holds an object: every process's descriptors in /proc, matched by
 * (st_dev, st_ino) of what they lead to, never by the name a link shows:
 * the questions asked of the run's one index (pidx.c). The /proc files
 * themselves are read and parsed below the index, in procfs.c.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <ctype.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

static void
add(struct holders *hs, const struct holder *h)
{
	if (hs->n == hs->cap) {
		hs->cap = hs->cap ? hs->cap * 2 : 16;
		hs->h = reallocarray(hs->h, hs->cap, sizeof(*hs->h));
		if (hs->h == NULL)
			err(1, NULL);
	}
	hs->h[hs->n++] = *h;
}

static struct pidx run;		/* proc_index's */

/* the run's index, with parts read (each once per run: see ipc.h) */
struct pidx *
proc_index(int parts)
{
	static int registered;

	if (!registered) {
		registered = 1;
		atexit(proc_index_forget);
	}
	pidx_read(&run, parts);
	return &run;
}

/*
 * The command names read this run, by pid (open addressing, at most half
 * full): a process holding many objects is named in many rows, and its
 * comm is read once, as its descriptors are
 */
static struct comm {
	pid_t pid;			/* 0: a free slot */
	char name[16];			/* TASK_COMM_LEN, as proc_comm gives it */
} *comms;
static size_t ncomm, comm_cap;

static struct comm *
comm_slot(struct comm *tab, size_t cap, pid_t pid)
{
	size_t i = ((size_t)pid * 2654435761u) & (cap - 1);

	while (tab[i].pid != 0 && tab[i].pid != pid)
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static void
comm_grow(void)
{
	struct comm *tab;
	size_t cap = comm_cap ? comm_cap * 2 : 1024, i;

	if ((tab = calloc(cap, sizeof(*tab))) == NULL)
		err(1, NULL);
	for (i = 0; i < comm_cap; i++)
		if (comms[i].pid != 0)
			*comm_slot(tab, cap, comms[i].pid) = comms[i];
	free(comms);
	comms = tab;
	comm_cap = cap;
}

/* proc_comm, each pid read once until proc_index_forget */
void
proc_comm_run(pid_t pid, char *buf, size_t len)
{
	struct comm *c;

	if (pid <= 0) {
		proc_comm(pid, buf, len);
		return;
	}
	if (2 * (ncomm + 1) > comm_cap)
		comm_grow();
	if ((c = comm_slot(comms, comm_cap, pid))->pid == 0) {
		proc_comm(pid, c->name, sizeof(c->name));
		c->pid = pid;
		ncomm++;
	}
	strlcpy(buf, c->name, len);
}

/* drop the run's index: the next question reads /proc afresh */
void
proc_index_forget(void)
{
	pidx_free(&run);
	free(comms);
	comms = NULL;
	ncomm = comm_cap = 0;
}

static int
by_pid(const void *a, const void *b)
{
	const struct holder *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* the holders in object order, for holders.c to search */
static void
by_object(struct holders *hs)
{
	if (hs->n > 1)
		qsort(hs->h, hs->n, sizeof(hs->h[0]), pidx_cmp);
	hs->sorted = 1;
}

/* hs now also holds what parts gave: how many processes hid them */
static void
took(struct holders *hs, const struct pidx *ix, int parts)
{
	hs->parts |= parts;
	hs->unread = pidx_unread(ix, hs->parts, hs->unread_pid, HOLDERS_PIDS);
	if (hs->unread > 0)
		hs->partial = 1;
}

/* every descriptor of every other process that match() accepts */
void
proc_scan_fds(struct holders *hs, proc_fd_fn match, void *arg)
{
	struct pidx *ix = proc_index(PIDX_FDS);
	struct stat st;
	size_t i;

	memset(hs, 0, sizeof(*hs));
	memset(&st, 0, sizeof(st));
	for (i = 0; i < ix->n; i++) {
		if (ix->e[i].kind != PIDX_FD)
			continue;
		st.st_dev = ix->e[i].dev;
		st.st_ino = ix->e[i].ino;
		st.st_mode = ix->e[i].mode;
		if (!match(&st, arg))
			continue;
		pidx_acc(&ix->e[i]);
		add(hs, &ix->e[i]);
	}
	by_object(hs);
	took(hs, ix, PIDX_FDS);
}

/* the device every socket lives on (sockfs), or 0 where none can be made */
static dev_t
sockfs_dev(void)
{
	static dev_t dev;
	struct stat st;
	int fd;

	if (dev == 0 && (fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC,
	    0)) != -1) {
		if (fstat(fd, &st) == 0)
			dev = st.st_dev;
		close(fd);
	}
	return dev;
}

/*
 * Every other process's descriptors of the socket inode ino (0: of any
 * socket), sorted by inode for holders_sock: sockets all live on
 * sockfs, so the inode alone names one. A socket file held by its path
 * (O_PATH: a listener keeps its own) is on the file's device, not a
 * socket: left out, or its inode would be taken for one and break the
 * order holders_sock searches.
 */
void
proc_scan_socks(struct holders *hs, ino_t ino)
{
	struct pidx *ix = proc_index(PIDX_FDS);
	const struct holder *e;
	dev_t dev = sockfs_dev();
	size_t i;

	memset(hs, 0, sizeof(*hs));
	for (i = 0; i < ix->n; i++) {
		e = &ix->e[i];
		if (e->kind == PIDX_FD && S_ISSOCK(e->mode) &&
		    (dev == 0 || e->dev == dev) &&
		    (ino == 0 || e->ino == ino))
			add(hs, e);
	}
	by_object(hs);
	took(hs, ix, PIDX_FDS);
}

/* the mappings of kind on dev (ino: of it alone; all: of any), added */
static void
add_maps(struct holders *hs, int kind, dev_t dev, ino_t ino, int all)
{
	struct pidx *ix = proc_index(PIDX_MAPS);
	const struct holder *e;
	size_t n, i, was = hs->n;

	n = pidx_obj(ix, dev, all ? 0 : ino, &e);
	for (i = 0; i < n; i++)
		if (e[i].kind == kind && (all || e[i].ino == ino))
			add(hs, &e[i]);
	if (was == 0 || hs->n > was)
		by_object(hs);
	took(hs, ix, PIDX_MAPS);
}

/*
 * Every other process that maps (dev, ino) (ino 0: anything on dev),
 * added to hs, once each: a mapping outlives the descriptor it was
 * made with
 */
void
proc_scan_maps(struct holders *hs, dev_t dev, ino_t ino)
{
	add_maps(hs, PIDX_MAP, dev, ino, ino == 0);
}

/*
 * Every other process that has the System V segment shmid (-1: any)
 * attached, added to hs with dev 0 and the shmid as ino
 */
void
proc_scan_shm(struct holders *hs, int shmid)
{
	add_maps(hs, PIDX_SYSV, 0, shmid < 0 ? 0 : (ino_t)shmid, shmid < 0);
}

/* the command name, with what would break a list (',', blanks) as '_' */
void
proc_comm(pid_t pid, char *buf, size_t len)
{
	char path[64];
	size_t i;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	buf[0] = '\0';
	if ((f = fopen(path, "re")) != NULL) {
		if (fgets(buf, (int)len, f) == NULL)
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] == ',' || isspace((unsigned char)buf[i]))
			buf[i] = '_';
}

/*
 * Every process we can see in the middle of an open(2) (blocked there,
 * as a FIFO's opener waiting for its other end is): what it opens and
 * how, in pid order. Those we cannot look into (another user's) set
 * hs->partial; one seen opening but not what has dev and ino 0.
 */
void
proc_scan_openers(struct holders *hs)
{
	struct pidx *ix = proc_index(PIDX_OPENERS);
	struct holder *e;
	size_t i;

	memset(hs, 0, sizeof(*hs));
	for (i = 0; i < ix->n; i++) {
		e = &ix->e[i];
		if (e->kind != PIDX_OPEN)
			continue;
		add(hs, e);
		if (e->path != NULL &&
		    (hs->h[hs->n - 1].path = strdup(e->path)) == NULL)
			err(1, NULL);
	}
	if (hs->n > 0)		/* by pid, as /proc lists them */
		qsort(hs->h, hs->n, sizeof(hs->h[0]), by_pid);
	took(hs, ix, PIDX_OPENERS);
}
