/*
 * ipc-shm -S: System V segments, made, attached, copied a window at a
 * time (a segment has no descriptor, so nothing of desc.c serves), removed
 * and shown. Apart because nothing here is shared with the other two.
 */
#include <sys/mman.h>
#include <sys/shm.h>
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"
#include "ipc-shm.h"

#define SV_LIMIT	"/proc/sys/kernel/"
/* a segment's window: its pages are in our RSS until let go */
#define SV_WINDOW	(1 << 18)

enum { S_KIND, S_KEY, S_ID, S_SIZE, S_NATTCH, S_STATUS, S_CPID, S_LPID, S_ATIME,
	S_DTIME, S_CTIME, S_MODE, S_OWNER, S_GROUP, S_ORPHAN, S_HOLDERS,
	S_NCOLS };

const struct col scols[S_NCOLS + 1] = {
	[S_KIND] = { "kind", COL_STR, 0, NULL, "sysv-shm" },
	[S_KEY] = { "key", COL_STR, 1 },
	[S_ID] = { "id", COL_NUM, 1 },
	[S_SIZE] = { "size", COL_NUM, 1 },
	[S_NATTCH] = { "nattch", COL_NUM, 1 },
	[S_STATUS] = { "status", COL_SET, 1 },
	[S_CPID] = { "cpid", COL_NUM, 1 },
	[S_LPID] = { "lpid", COL_NUM, 1, "last_pid" },
	[S_ATIME] = { "atime", COL_STR, 0 },
	[S_DTIME] = { "dtime", COL_STR, 0 },
	[S_CTIME] = { "ctime", COL_STR, 0 },
	[S_MODE] = { "mode", COL_STR, 1 },
	[S_OWNER] = { "owner", COL_STR, 1 },
	[S_GROUP] = { "group", COL_STR, 0 },
	[S_ORPHAN] = { "orphan", COL_BOOL, 1 },
	[S_HOLDERS] = { "holders", COL_PIDS, 1, "holder" },
};

static const struct sysv_cols sperm = { S_KEY, S_MODE, S_OWNER, S_GROUP };

/* shmget's EINVAL for a size is this machine's shmmax, named */
static int
sv_get(void *arg, key_t key, int flags)
{
	const uintmax_t *size = arg;
	uintmax_t max;
	int id, e;

	if ((id = shmget(key, (size_t)*size, flags)) != -1 || errno != EINVAL ||
	    *size <= (max = sysctl_limit(SV_LIMIT "shmmax")))
		return id;
	e = errno;
	warnx("create: -s %s is over %sshmmax (%ju)", opt.val['s'], SV_LIMIT,
	    max);
	errno = e;
	return -1;
}

int
sv_create(const char *arg, uintmax_t size)
{
	sysv_create(SYSV_SHM, arg, size, sv_get, NULL, &size, CREATE_ASKED);
	return 0;
}

void
sv_check(const char *arg)
{
	sysv_check(SYSV_SHM, arg);
}

void
sv_open(struct obj *o, const char *arg, int wr)
{
	struct shmid_ds ds;
	struct sysvkey k;

	sysv_key(SYSV_SHM, arg, &k, 0);
	o->name = arg;
	if ((o->id = sysv_id(SYSV_SHM, &k)) == -1 ||
	    shmctl(o->id, IPC_STAT, &ds) == -1 ||
	    (o->base = shmat(o->id, NULL, wr ? 0 : SHM_RDONLY)) ==
	    (void *)-1)
		err(1, "%s %s", opt.verb->name, esc_name(arg));
	o->size = ds.shm_segsz;
}

int
sv_grow(struct obj *o, uintmax_t to)
{
	(void)o;
	(void)to;
	errno = EFBIG;
	return -1;
}

/* shmat cannot attach less: the pages of each copied window let go */
static void
sv_release(struct obj *o, uintmax_t off, size_t len)
{
	uintmax_t page = (uintmax_t)sysconf(_SC_PAGESIZE);
	uintmax_t from = off / page * page;

	madvise(o->base + from, (size_t)(off + len - from), MADV_DONTNEED);
}

/*
 * A segment has no descriptor to reserve with: the pages of one window
 * from off are made with MADV_POPULATE_WRITE (Linux 5.14), which
 * allocates without changing a byte; before 5.14 (EINVAL) nothing is
 * promised, as the man page says. 0, or -1 with errno.
 */
static int
sv_populate(struct obj *o, uintmax_t off, size_t len)
{
#ifdef MADV_POPULATE_WRITE
	uintmax_t page = (uintmax_t)sysconf(_SC_PAGESIZE);
	uintmax_t from = off / page * page;

	while (madvise(o->base + from, (size_t)(off + len - from),
	    MADV_POPULATE_WRITE) == -1)
		if (errno != EINTR)
			return errno == EINVAL ? 0 : -1;
#else
	(void)o;
	(void)off;
	(void)len;
#endif
	return 0;
}

/* the whole range made, a window at a time, each let go from our RSS */
int
sv_reserve(struct obj *o, uintmax_t off, uintmax_t len)
{
	size_t n;

	for (; len > 0; off += n, len -= n) {
		n = len > SV_WINDOW ? SV_WINDOW : (size_t)len;
		if (sv_populate(o, off, n) == -1)
			return -1;
		sv_release(o, off, n);
	}
	return 0;
}

/* up to a window of stdin read straight into the segment, its pages made */
int
sv_take(struct obj *o, uintmax_t off, size_t want, size_t *got)
{
	ssize_t n = 0;
	int e;

	*got = 0;
	if (want > SV_WINDOW)
		want = SV_WINDOW;
	if (sv_populate(o, off, want) == -1)
		return -1;
	while (*got < want && (n = read(STDIN_FILENO, o->base + off + *got,
	    want - *got)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			break;
		*got += (size_t)n;
		progress_add((uintmax_t)n);
	}
	e = errno;
	sv_release(o, off, want);
	errno = e;
	return n == -1 ? -1 : 0;
}

int
sv_put(struct obj *o, uintmax_t off, const char *p, size_t len)
{
	memcpy(o->base + off, p, len);
	progress_add(len);
	return 0;
}

int
sv_fill(struct obj *o, uintmax_t off, const struct src *s)
{
	uintmax_t done = 0;
	size_t want;
	ssize_t n;

	while (done < s->len) {
		want = s->len - done > SV_WINDOW ? SV_WINDOW :
		    (size_t)(s->len - done);
		n = pread(s->fd, o->base + off + done, want,
		    (off_t)(s->off + done));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0 ? SHRANK : -1;
		sv_release(o, off + done, (size_t)n);
		done += (uintmax_t)n;
		progress_add((uintmax_t)n);
	}
	return 0;
}

int
sv_out(struct obj *o, uintmax_t off, uintmax_t len)
{
	size_t n;

	while (len > 0) {
		n = len > SV_WINDOW ? SV_WINDOW : (size_t)len;
		if (copy_write(STDOUT_FILENO, o->base + off, n, NULL, NULL) == -1)
			return -1;
		sv_release(o, off, n);
		off += n;
		len -= n;
	}
	return 0;
}

void
sv_close(struct obj *o)
{
	shmdt(o->base);
}

/* removed once the last process detaches: say so where some are */
int
sv_rm(const char *arg)
{
	struct shmid_ds ds;
	struct sysvkey k;
	int id, n = 0;

	sysv_key(SYSV_SHM, arg, &k, 0);
	if ((id = sysv_id(SYSV_SHM, &k)) != -1 &&
	    shmctl(id, IPC_STAT, &ds) == 0)
		n = (int)ds.shm_nattch;
	if (sysv_rm(SYSV_SHM, arg, opt.force) != 0)
		return 1;
	if (n > 0)
		warnx("rm %s: marked for removal; %d attached process%s keep%s "
		    "it until %s detach%s", esc_name(arg), n, n == 1 ? "" : "es",
		    n == 1 ? "s" : "", n == 1 ? "it" : "they",
		    n == 1 ? "es" : "");
	return 0;
}

/* the segments' holders: who has them attached, where a field needs it */
struct svsee {
	struct table *t;
	struct holders hs, *h;
};

static void
sv_see(struct svsee *s, struct table *t, int id)
{
	s->t = t;
	s->h = NULL;
	memset(&s->hs, 0, sizeof(s->hs));
	if (!table_shows(t, S_HOLDERS))
		return;
	proc_scan_shm(&s->hs, id);
	holders_note(&s->hs, "holders", 0);	/* orphan: by nattch */
	s->h = &s->hs;
}

/*
 * what ipcs calls the segment's status: removed while still attached
 * (its key gone to 0, it lives until the last detach), locked in memory
 */
static void
sv_status(struct table *t, unsigned mode)
{
	if (mode & (SHM_DEST | SHM_LOCKED))
		table_set(t, S_STATUS, "%s%s%s", mode & SHM_DEST ? "dest" : "",
		    (mode & SHM_DEST) && (mode & SHM_LOCKED) ? "," : "",
		    mode & SHM_LOCKED ? "locked" : "");
}

static void
sv_row(const struct svsee *s, int id, const struct shmid_ds *ds)
{
	struct table *t = s->t;
	char *h;

	table_row(t);
	sysv_perm(t, &sperm, &ds->shm_perm);
	table_set(t, S_ID, "%d", id);
	table_set(t, S_SIZE, "%ju", (uintmax_t)ds->shm_segsz);
	table_set(t, S_NATTCH, "%ju", (uintmax_t)ds->shm_nattch);
	sv_status(t, ds->shm_perm.mode);
	table_set(t, S_CPID, "%d", (int)ds->shm_cpid);
	table_set(t, S_LPID, "%d", (int)ds->shm_lpid);
	table_time(t, S_ATIME, ds->shm_atime);
	table_time(t, S_DTIME, ds->shm_dtime);
	table_time(t, S_CTIME, ds->shm_ctime);
	/* attached or not, the kernel counts it: no scan, nothing partial */
	table_orphan(t, ds->shm_nattch > 0);
	if (s->h == NULL)
		return;
	h = holders_str(s->h, 0, (ino_t)id, HOLD_ANY);
	table_set(t, S_HOLDERS, "%s", h);
	free(h);
}

static void
sv_each(void *s, int id, const union sysv_ds *ds, int full)
{
	(void)full;
	sv_row(s, id, &ds->shm);
}

void
sv_stat(struct table *t, const char *arg, const struct deadline *wait)
{
	struct shmid_ds ds;
	struct svsee s;
	int id = exists_sysv_id(SYSV_SHM, arg, wait);

	sv_see(&s, t, id);
	if (shmctl(id, IPC_STAT, &ds) == 0)
		sv_row(&s, id, &ds);
	else if (errno != EACCES || sysv_each(SYSV_SHM, id, sv_each, &s) == 0)
		err(1, "stat %s", esc_name(arg));
	holders_free(&s.hs);
}

void
sv_ls(struct table *t)
{
	struct svsee s;

	sv_see(&s, t, -1);
	sysv_each(SYSV_SHM, -1, sv_each, &s);
	holders_free(&s.hs);
}

