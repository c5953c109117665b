/*
 * One pass over /proc: every visible process's descriptors (what each
 * leads to, by device and inode), its mappings, and what it waits in
 * open(2) to open, read once into one index kept in object order (dev,
 * ino, pid) and in pid order, each view built when first asked for. The caller says which
 * parts it needs, so a run that wants descriptors never reads maps.
 * Memory grows with the entries found, nothing is sized in advance.
 */
#include <sys/stat.h>
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

static struct holder *
grow(struct pidx *ix)
{
	if (ix->n == ix->cap) {
		ix->cap = ix->cap ? ix->cap * 2 : 256;
		ix->e = reallocarray(ix->e, ix->cap, sizeof(*ix->e));
		if (ix->e == NULL)
			err(1, NULL);
	}
	memset(&ix->e[ix->n], 0, sizeof(ix->e[0]));
	return &ix->e[ix->n++];
}

/* pid could not be read for part: counted, once per process and part */
static void
missed(struct pidx *ix, pid_t pid, int part)
{
	struct pidx_miss *m = ix->nmiss ? &ix->miss[ix->nmiss - 1] : NULL;

	if (m != NULL && m->pid == pid) {
		m->parts |= part;
		return;
	}
	if (ix->nmiss == ix->mcap) {
		ix->mcap = ix->mcap ? ix->mcap * 2 : 16;
		ix->miss = reallocarray(ix->miss, ix->mcap, sizeof(*ix->miss));
		if (ix->miss == NULL)
			err(1, NULL);
	}
	ix->miss[ix->nmiss].pid = pid;
	ix->miss[ix->nmiss++].parts = part;
}

/*
 * A descriptor entry's access mode, read now where the index has not
 * (its number may lead elsewhere by now: the caller checks what matters)
 */
int
pidx_acc(struct holder *h)
{
	char path[64];

	if (h->kind != PIDX_FD || h->acc != PIDX_ACC_UNREAD)
		return h->acc;
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)h->pid, h->fd);
	return h->acc = procfs_link_acc(AT_FDCWD, path);
}

/*
 * Each descriptor: what it leads to; its access mode (the link's mode)
 * with PIDX_ACC, else PIDX_ACC_UNREAD, read by pidx_acc for the few a
 * question needs (a run that asks of queues looks at no pipe's mode)
 */
static void
read_fds(struct pidx *ix, int piddir, pid_t pid, int parts)
{
	struct holder *e;
	struct dirent *d;
	struct stat st;
	DIR *dir;
	int fdd;

	if ((fdd = openat(piddir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		if (errno == EACCES)
			missed(ix, pid, PIDX_FDS);
		return;
	}
	if ((dir = fdopendir(fdd)) == NULL) {
		close(fdd);
		return;
	}
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.' || fstatat(fdd, d->d_name, &st, 0) == -1)
			continue;
		e = grow(ix);
		e->pid = pid;
		e->kind = PIDX_FD;
		e->fd = (int)strtol(d->d_name, NULL, 10);
		e->mode = st.st_mode & S_IFMT;
		e->dev = st.st_dev;
		e->ino = st.st_ino;
		e->acc = (parts & PIDX_ACC) ? procfs_link_acc(fdd, d->d_name) :
		    PIDX_ACC_UNREAD;
	}
	closedir(dir);
}

/*
 * A line of /proc/PID/maps: PIDX_MAP with the file's device and inode,
 * PIDX_SYSV for an attached System V segment ("/SYSV0000abcd (deleted)",
 * its shmid as the inode, dev 0: its device is the kernel's own), or -1
 * where it maps no file
 */
int
pidx_maps_line(const char *line, dev_t *dev, ino_t *ino)
{
	struct procfs_map m;
	unsigned long long inode;

	if (strstr(line, " /SYSV") != NULL &&
	    sscanf(line, "%*s %*s %*s %*s %llu", &inode) == 1) {
		*dev = 0;
		*ino = (ino_t)inode;
		return PIDX_SYSV;
	}
	if (procfs_maps_line(line, &m) == -1 || m.ino == 0)
		return -1;
	*dev = m.dev;
	*ino = m.ino;
	return PIDX_MAP;
}

static int
by_file(const void *a, const void *b)
{
	const struct holder *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind - y->kind;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return (x->ino > y->ino) - (x->ino < y->ino);
}

/* the files one process maps, each once (a library maps four times) */
static void
read_maps(struct pidx *ix, int piddir, pid_t pid)
{
	struct holder *e;
	size_t first = ix->n, i, j, cap = 0;
	char *line = NULL;
	dev_t dev;
	ino_t ino;
	FILE *f;
	int kind;

	if ((f = procfs_fopen(piddir, "maps")) == NULL) {
		if (errno == EACCES)
			missed(ix, pid, PIDX_MAPS);
		return;
	}
	while (getline(&line, &cap, f) != -1) {
		if ((kind = pidx_maps_line(line, &dev, &ino)) == -1)
			continue;
		e = grow(ix);
		e->pid = pid;
		e->kind = kind;
		e->fd = e->acc = -1;
		e->dev = dev;
		e->ino = ino;
	}
	free(line);
	fclose(f);
	if (ix->n - first < 2)
		return;
	qsort(ix->e + first, ix->n - first, sizeof(ix->e[0]), by_file);
	for (i = j = first + 1; i < ix->n; i++)
		if (by_file(&ix->e[i], &ix->e[j - 1]) != 0)
			ix->e[j++] = ix->e[i];
	ix->n = j;
}

/* what the process waits in open(2) to open, if anything (procfs.c) */
static void
read_opener(struct pidx *ix, int piddir, pid_t pid)
{
	struct holder o = { .pid = pid, .kind = PIDX_OPEN, .fd = -1 };
	struct procfs_open seen;

	switch (procfs_opening(piddir, pid, &seen)) {
	case PROCFS_OPEN_HIDDEN:
		missed(ix, pid, PIDX_OPENERS);
		break;
	case PROCFS_OPEN_UNKNOWN:
		missed(ix, pid, PIDX_OPENERS);
		o.dev = 0;
		o.ino = 0;
		o.acc = -1;
		*grow(ix) = o;
		break;
	case PROCFS_OPEN_SEEN:
		o.dev = seen.dev;
		o.ino = seen.ino;
		o.acc = seen.acc;
		o.path = seen.path;
		*grow(ix) = o;
		break;
	}
}

/* object order: dev, ino, then pid, kind, fd */
int
pidx_cmp(const void *a, const void *b)
{
	const struct holder *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind - y->kind;
	return (x->fd > y->fd) - (x->fd < y->fd);
}

static const struct pidx *sorting;	/* qsort's comparator has no argument */

static int
by_pid(const void *a, const void *b)
{
	const struct holder *x = &sorting->e[*(const size_t *)a];
	const struct holder *y = &sorting->e[*(const size_t *)b];

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind - y->kind;
	if (x->fd != y->fd)
		return x->fd < y->fd ? -1 : 1;
	/* a process's mappings: in object order, as e has them */
	return (x > y) - (x < y);
}

/* the pid view, built at the first question by pid */
static void
sort_bypid(struct pidx *ix)
{
	size_t i;

	if ((ix->bypid = reallocarray(NULL, ix->n, sizeof(size_t))) == NULL)
		err(1, NULL);
	for (i = 0; i < ix->n; i++)
		ix->bypid[i] = i;
	sorting = ix;
	qsort(ix->bypid, ix->n, sizeof(size_t), by_pid);
	sorting = NULL;
}

/*
 * entries in object order, at the first question by object or pid (a
 * run that only goes through them all never pays for it); they stay
 * where they are until the next pidx_read
 */
static void
sort_byobj(struct pidx *ix)
{
	if (ix->sorted)
		return;
	if (ix->n > 0)		/* qsort(NULL, 0, ...) is undefined */
		qsort(ix->e, ix->n, sizeof(ix->e[0]), pidx_cmp);
	ix->sorted = 1;
}

static int
by_miss(const void *a, const void *b)
{
	const struct pidx_miss *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* one entry a process, however many walks missed it */
static void
merge_missed(struct pidx *ix)
{
	size_t i, j;

	if (ix->nmiss < 2)
		return;
	qsort(ix->miss, ix->nmiss, sizeof(ix->miss[0]), by_miss);
	for (i = j = 1; i < ix->nmiss; i++) {
		if (ix->miss[i].pid == ix->miss[j - 1].pid)
			ix->miss[j - 1].parts |= ix->miss[i].parts;
		else
			ix->miss[j++] = ix->miss[i];
	}
	ix->nmiss = j;
}

/* PIDX_ACC asked for after the descriptors were read without it */
static void
acc_all(struct pidx *ix)
{
	size_t i;

	for (i = 0; i < ix->n; i++)
		pidx_acc(&ix->e[i]);
	ix->parts |= PIDX_ACC;
}

/*
 * Read the parts of parts (PIDX_FDS, PIDX_ACC, PIDX_MAPS, PIDX_OPENERS)
 * not read yet, every other process in one walk of /proc. A process
 * that ends meanwhile is simply not there; one we may not read is
 * counted (pidx_unread).
 */
void
pidx_read(struct pidx *ix, int parts)
{
	struct dirent *d;
	DIR *proc;
	pid_t pid, self = getpid();
	int piddir;

	if ((parts & PIDX_ACC) && (ix->parts & PIDX_FDS) &&
	    !(ix->parts & PIDX_ACC))
		acc_all(ix);
	if (parts & PIDX_ACC)
		parts |= PIDX_FDS;
	if ((parts &= ~ix->parts) == 0)
		return;
	ix->parts |= parts;
	if ((proc = opendir("/proc")) == NULL)
		return;
	while ((d = readdir(proc)) != NULL) {
		if (!isdigit((unsigned char)d->d_name[0]) ||
		    (pid = (pid_t)strtol(d->d_name, NULL, 10)) == self)
			continue;
		piddir = openat(dirfd(proc), d->d_name,
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (piddir == -1)
			continue;
		if (parts & PIDX_FDS)
			read_fds(ix, piddir, pid, parts);
		if (parts & PIDX_MAPS)
			read_maps(ix, piddir, pid);
		if (parts & PIDX_OPENERS)
			read_opener(ix, piddir, pid);
		close(piddir);
	}
	closedir(proc);
	free(ix->bypid);	/* both views are built again when asked */
	ix->bypid = NULL;
	ix->sorted = 0;
	merge_missed(ix);
}

void
pidx_free(struct pidx *ix)
{
	size_t i;

	for (i = 0; i < ix->n; i++)
		free(ix->e[i].path);
	free(ix->e);
	free(ix->bypid);
	free(ix->miss);
	memset(ix, 0, sizeof(*ix));
}

/* the first entry at (dev, ino) or after, in object order */
static size_t
lower(const struct pidx *ix, dev_t dev, ino_t ino)
{
	size_t lo = 0, hi = ix->n, mid;
	const struct holder *e;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		e = &ix->e[mid];
		if (e->dev < dev || (e->dev == dev && e->ino < ino))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Every entry for the object (dev, ino), in pid order: *first, and how
 * many. ino 0: every entry on dev.
 */
size_t
pidx_obj(struct pidx *ix, dev_t dev, ino_t ino, const struct holder **first)
{
	size_t i, j;

	sort_byobj(ix);
	i = lower(ix, dev, ino);
	for (j = i; j < ix->n && ix->e[j].dev == dev &&
	    (ino == 0 || ix->e[j].ino == ino); j++)
		;
	*first = ix->e + i;
	return j - i;
}

/*
 * One process's entries, in order (descriptors by number, then its
 * mappings, then what it waits to open): *it starts at 0; NULL after
 * the last
 */
const struct holder *
pidx_pid(struct pidx *ix, pid_t pid, size_t *it)
{
	size_t lo = 0, hi = ix->n, mid;

	sort_byobj(ix);		/* first: it would move what we return */
	if (ix->bypid == NULL && ix->n > 0)
		sort_bypid(ix);
	if (*it == 0) {
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (ix->e[ix->bypid[mid]].pid < pid)
				lo = mid + 1;
			else
				hi = mid;
		}
		*it = lo + 1;
	}
	if (*it > ix->n || ix->e[ix->bypid[*it - 1]].pid != pid)
		return NULL;
	return &ix->e[ix->bypid[(*it)++ - 1]];
}

/*
 * How many processes could not be read for any of parts; the first of
 * them, by pid, in pids[0..npids)
 */
size_t
pidx_unread(const struct pidx *ix, int parts, pid_t *pids, size_t npids)
{
	size_t i, n = 0;

	for (i = 0; i < ix->nmiss; i++) {
		if (!(ix->miss[i].parts & parts))
			continue;
		if (n < npids)
			pids[n] = ix->miss[i].pid;
		n++;
	}
	return n;
}
