/* ipc-sem: POSIX named semaphores; System V semaphore sets with -S. */
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipc.h"

#define SEM_DIR		"/dev/shm"
#define SEM_PREFIX	"sem."
#define SV_LIMITS	"/proc/sys/kernel/sem"
/* the kernel's largest value of one System V semaphore (linux/sem.h) */
#define SEMVMX		32767
#define NS		INT64_C(1000000000)
/* an opener waits this long at most for a set's creator to set it up */
#define SETUP_WAIT	NS
/* a POSIX wait -c N holding part of N waits about this long for the rest */
#define PART_NS		(NS / 5)

enum { O_INDEX = OPT_LONG, O_NSEMS };

/* the verbs' own options, and the shared ones in a verb's words */
static const struct optdef create_opts[] = {
	{ 'i', "init", "VALUE", "start value (default 1)" },
	{ O_NSEMS, "nsems", "N", "semaphores in the set (-S; default 1)" },
	{ 'x', "exist-ok", NULL,
	    "succeed if it exists as the same kind, owner, mode and --nsems" },
	{ 'S', "sysv", NULL, "System V: OBJECT is a key, or private" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef post_opts[] = {
	{ O_INDEX, "index", "N", "which semaphore of the set (-S; default 0)" },
	{ 'c', "count", "N", "add N units (default 1)" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef wait_opts[] = {
	{ O_INDEX, "index", "N", "which semaphore of the set (-S; default 0)" },
	{ 'c', "count", "N", "take N units, all or none (default 1)" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef stat_opts[] = {
	{ O_INDEX, "index", "N", "which semaphore of the set (-S; default 0)" },
	{ 't', "timeout", "DUR", "--wait: give up after DUR (250ms, 2s, 1m)" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef ls_opts[] = {
	{ 'S', "sysv", NULL, "the System V sets, not the POSIX semaphores" },
	{ OPT_PID, "pid", "PID",
	    "only the semaphores PID maps (-S: the sets it last used)" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef run_opts[] = {
	{ 'i', "init", "N", "create it with value N where it is missing" },
	{ O_INDEX, "index", "N", "which semaphore of the set (-S; default 0)" },
	{ 0, NULL, NULL, NULL }
};

enum { P_KIND, P_NAME, P_VALUE, P_MODE, P_OWNER, P_GROUP, P_ORPHAN, P_HOLDERS,
	P_NCOLS };

static const struct col pcols[P_NCOLS + 1] = {
	[P_KIND] = { "kind", COL_STR, 0, NULL, "sem" },
	[P_NAME] = { "name", COL_STR, 1 },
	[P_VALUE] = { "value", COL_NUM, 1 },
	[P_MODE] = { "mode", COL_STR, 1 },
	[P_OWNER] = { "owner", COL_STR, 1 },
	[P_GROUP] = { "group", COL_STR, 0 },
	[P_ORPHAN] = { "orphan", COL_BOOL, 1 },
	[P_HOLDERS] = { "holders", COL_PIDS, 1, "holder" },
};

enum { S_KIND, S_KEY, S_ID, S_NSEMS, S_VALUE, S_NCNT, S_ZCNT, S_SEMPID, S_OTIME,
	S_CTIME, S_MODE, S_OWNER, S_GROUP, S_NCOLS };

static const struct col scols[S_NCOLS + 1] = {
	[S_KIND] = { "kind", COL_STR, 0, NULL, "sysv-sem" },
	[S_KEY] = { "key", COL_STR, 1 },
	[S_ID] = { "id", COL_NUM, 1 },
	[S_NSEMS] = { "nsems", COL_NUM, 1 },
	[S_VALUE] = { "value", COL_NUM, 1 },
	[S_NCNT] = { "ncnt", COL_NUM, 1 },
	[S_ZCNT] = { "zcnt", COL_NUM, 1 },
	[S_SEMPID] = { "sempid", COL_NUM, 1, "last_pid" },
	[S_OTIME] = { "otime", COL_STR, 0 },
	[S_CTIME] = { "ctime", COL_STR, 0 },
	[S_MODE] = { "mode", COL_STR, 1 },
	[S_OWNER] = { "owner", COL_STR, 1 },
	[S_GROUP] = { "group", COL_STR, 0 },
};

static const struct sysv_cols sperm = { S_KEY, S_MODE, S_OWNER, S_GROUP };

struct semflavour;

/* the semaphore a post, wait or run works on */
struct sem {
	const struct semflavour *fl;	/* what kind of semaphore it is */
	const char *name;		/* as messages show it */
	unsigned short index;		/* System V: which one of the set */
	union {
		struct { char name[NAME_BUF]; sem_t *sem; } px;
		struct { int id; } sv;
	} u;
};

/*
 * The signal that cut a POSIX wait short, for the loop that waits to
 * see: a handler has nowhere else to put it
 */
static volatile sig_atomic_t caught;

static void
on_signal(int sig)
{
	caught = sig;
}

/* ipc-sem's own failures: 1, or 125 under run, as timeout(1) has it */
static int
failure(void)
{
	return strcmp(opt.verb->name, "run") == 0 ? 125 : 1;
}

/* die of sig as if it had never been caught: the shell sees 128+sig */
static void __attribute__((noreturn))
die_of(int sig)
{
	sigset_t s;

	signal(sig, SIG_DFL);
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	raise(sig);
	_exit(128 + sig);
}

/* nanoseconds left until d; -1: no deadline */
static int64_t
left(const struct deadline *d)
{
	struct timespec now;
	int64_t ns;

	if (d->at == TIMEOUT_NONE)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = d->at - ((int64_t)now.tv_sec * NS + now.tv_nsec);
	return ns > 0 ? ns : 0;
}

/* --index N: which semaphore of a System V set */
static unsigned short
index_opt(void)
{
	if (opt.val[O_INDEX] == NULL)
		return 0;
	return (unsigned short)num_uint(opt.val[O_INDEX], "--index", 0,
	    USHRT_MAX);
}

/* --- POSIX semaphores --------------------------------------------------- */

struct mks {
	const char *name;
	unsigned value;
};

static int
px_make(void *arg, mode_t mode)
{
	const struct mks *m = arg;
	sem_t *s = sem_open(m->name, O_CREAT | O_EXCL, mode, m->value);

	return s == SEM_FAILED ? -1 : sem_close(s);
}

/*
 * A semaphore found where one was to be made (create -x, run -i): taken
 * only where it is the caller's (or --any-owner) and of -m's mode
 */
static void
px_adopt(const char *name, int code)
{
	struct adopt a = { ADOPT_ASKED };
	struct stat st;

	if (posix_look(SEM_DIR, SEM_PREFIX, name, &st) == -1)
		err(code, "%s %s", opt.verb->name, esc_name(name));
	a.uid = st.st_uid;
	a.mode = st.st_mode;
	adopt_check(&a, opt.verb->name, name, code);
}

static int
px_create(const char *arg, unsigned value, unsigned nsems)
{
	char name[NAME_BUF];
	struct mks m = { name, value };

	(void)nsems;
	name_posix(arg, name);
	if (posix_exact(px_make, &m, CREATE_ASKED) == 0)
		return 0;
	if (errno == EEXIST && opt.exist_ok) {
		px_adopt(name, 1);
		return 0;
	}
	if (errno == EEXIST)
		errx(1, "create %s: %s (%s)", esc_name(name), strerror(EEXIST),
		    EXISTS_HINT);
	err(1, "create %s", esc_name(name));
}

/* the name as messages show it: with its slash */
static const char *
px_shown(const char *arg, char *buf)
{
	name_posix(arg, buf);
	return buf;
}

static void
px_check(const char *arg)
{
	char name[NAME_BUF];

	px_shown(arg, name);
}

/*
 * Open it; mk >= 0 (run -i): create it with value mk where it is
 * missing, race-free: whoever's O_EXCL wins makes it, the rest open it.
 * Nothing here waits: d is the System V side's
 */
static void
px_open(struct sem *s, const char *arg, long mk, const struct deadline *d)
{
	struct mks m = { s->u.px.name, (unsigned)mk };
	int tries, made = 0;

	(void)d;
	name_posix(arg, s->u.px.name);
	s->name = s->u.px.name;
	for (tries = 0; tries < 100; tries++) {
		if ((s->u.px.sem = sem_open(s->name, 0)) != SEM_FAILED) {
			if (mk >= 0 && !made)
				px_adopt(s->name, failure());
			return;
		}
		if (errno != ENOENT || mk < 0)
			break;
		if ((made = posix_exact(px_make, &m, CREATE_ASKED) == 0))
			continue;	/* ours now: open it as anyone would */
		if (errno != EEXIST)
			break;
	}
	err(failure(), "%s %s", opt.verb->name, esc_name(s->name));
}

static int
px_post(struct sem *s, unsigned n)
{
	int v;

	if (sem_getvalue(s->u.px.sem, &v) == 0 && v > SEM_VALUE_MAX - (int)n)
		errx(1, "post %s: %s (value %d + %u > SEM_VALUE_MAX %d)",
		    esc_name(s->name), strerror(EOVERFLOW), v, n,
		    SEM_VALUE_MAX);
	for (; n > 0; n--)
		if (sem_post(s->u.px.sem) == -1)
			return -1;
	return 0;
}

/* one unit, bounded by d: 0, or -1 with errno (ETIMEDOUT, EINTR) */
static int
px_take1(sem_t *sem, const struct deadline *d)
{
	struct timespec ts;

	if (d->at == TIMEOUT_NONE)
		return sem_wait(sem);
	if (left(d) == 0) {
		if (sem_trywait(sem) == 0)
			return 0;
		if (errno == EAGAIN)
			errno = ETIMEDOUT;
		return -1;
	}
	ts.tv_sec = (time_t)(d->at / NS);
	ts.tv_nsec = (long)(d->at % NS);
	return sem_clockwait(sem, CLOCK_MONOTONIC, &ts);
}

/* whether the -t deadline d has passed; -t 0 only never waits */
static int
expired(const struct deadline *d)
{
	return d->at != TIMEOUT_NONE && d->each > 0 && left(d) == 0;
}

/*
 * How long a wait that holds part of its n waits for the rest: PART_NS
 * and up to half as much again, by pid and clock, so that two waits
 * never keep step and one of them gives way first
 */
static struct deadline
part_wait(const struct deadline *d)
{
	struct timespec now;
	uint64_t x;

	clock_gettime(CLOCK_MONOTONIC, &now);
	x = ((uint64_t)now.tv_nsec ^ (uint64_t)getpid()) * UINT64_C(2654435761);
	return deadline_cap(d, PART_NS + (int64_t)(x % (PART_NS / 2)));
}

/* after giving way: a pause as long, bounded by d, for the other's turn */
static void
px_pause(const struct deadline *d)
{
	struct deadline p = part_wait(d);
	struct timespec ts = { (time_t)(p.at / NS), (long)(p.at % NS) };

	/* a signal cuts it short, and the loop sees caught */
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

static void
px_giveback(sem_t *sem, unsigned *got)
{
	for (; *got > 0; (*got)--)
		sem_post(sem);
}

/*
 * n units, all or none, one at a time. The deadline is looked at
 * between takes, so -t bounds the whole call, however large n and the
 * value. Holding part of n, it waits a bounded while (part_wait) for
 * the rest, then gives back what it has and tries again after a pause:
 * two waits that each hold part of what both want would otherwise
 * block each other for ever. A wait that times out or is cut by a
 * signal gives back what it took. 0, or -1 with errno: ETIMEDOUT, or
 * EINTR with the signal in caught (a stop and go only resumes it).
 */
static int
px_take(struct sem *s, unsigned n, const struct deadline *d, int undo)
{
	struct deadline part;
	const struct deadline *w;
	unsigned got = 0;
	int e = 0;

	(void)undo;
	while (got < n && !caught) {
		if (got > 0 && expired(d)) {
			e = ETIMEDOUT;
			break;
		}
		w = got > 0 && d->each != 0 ? (part = part_wait(d), &part) : d;
		if (px_take1(s->u.px.sem, w) == 0) {
			got++;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != ETIMEDOUT || w == d || expired(d)) {
			e = errno;
			break;
		}
		px_giveback(s->u.px.sem, &got);
		px_pause(d);
	}
	if (got == n && !caught)
		return 0;
	px_giveback(s->u.px.sem, &got);
	errno = caught ? EINTR : e;
	return -1;
}

static int
px_rm(const char *arg)
{
	return posix_rm(arg, sem_unlink, opt.force);
}

/* the value, where we may open it: sem_open needs read and write */
static void
px_value(struct table *t, const char *name, int h, const struct stat *st)
{
	sem_t *s;
	int v;

	(void)h;
	(void)st;
	if (!table_shows(t, P_VALUE) || (s = sem_open(name, 0)) == SEM_FAILED)
		return;
	if (sem_getvalue(s, &v) == 0)
		table_set(t, P_VALUE, "%d", v);
	sem_close(s);
}

/* glibc maps it through a file since removed: only its inode tells */
static const struct posix_kind pxkind = {
	.dir = SEM_DIR, .prefix = SEM_PREFIX, .what = "a semaphore", .maps = 1,
	.name = P_NAME, .file = { P_MODE, P_OWNER, P_GROUP },
	.holders = P_HOLDERS, .cells = px_value,
};

/* --- System V semaphore sets -------------------------------------------- */

struct mkset {
	unsigned nsems;
	unsigned value;
	const char *name;		/* as messages show it */
};

/* field i (0: SEMMSL, 1: SEMMNS, 2: SEMOPM, 3: SEMMNI) of the limits */
static unsigned long
sv_limit(int i)
{
	unsigned long v[4] = { 0 };
	FILE *f;

	if ((f = fopen(SV_LIMITS, "re")) != NULL) {
		if (fscanf(f, "%lu %lu %lu %lu", &v[0], &v[1], &v[2], &v[3]) != 4)
			v[i] = 0;
		fclose(f);
	}
	return v[i];
}

/*
 * A new set's start value, set with semop, never SETVAL: SETVAL would
 * leave sem_otime 0, which is how an opener knows the set is not ready
 * (Stevens' creator protocol); a value of 0 is a wait for zero, which
 * sets sem_otime as well
 */
static int
sv_setup(void *arg, int id)
{
	const struct mkset *m = arg;
	struct sembuf ops[250];
	unsigned long most = sv_limit(2);	/* SEMOPM: ops in one semop */
	unsigned i, n, done;

	if (most == 0 || most > 250)
		most = 250;
	for (done = 0; done < m->nsems; done += n) {
		n = m->nsems - done < most ? m->nsems - done : (unsigned)most;
		for (i = 0; i < n; i++)
			ops[i] = (struct sembuf){ (unsigned short)(done + i),
			    (short)m->value, IPC_NOWAIT };
		if (semop(id, ops, n) == -1)
			return -1;
		if (m->value == 0)
			break;		/* 0 already: sem_otime was all */
	}
	return 0;
}

/* the kernel's no, with the limit of /proc/sys/kernel/sem that said it */
static void __attribute__((noreturn))
sv_refused(const char *arg, unsigned nsems, int code)
{
	int e = errno;

	if (e == EINVAL && nsems > sv_limit(0))
		errx(code, "%s %s: --nsems %u is over SEMMSL (%lu, the first "
		    "number in %s)", opt.verb->name, esc_name(arg), nsems,
		    sv_limit(0), SV_LIMITS);
	if (e == ENOSPC)
		errx(code, "%s %s: %s (%s: SEMMNI %lu sets, SEMMNS %lu "
		    "semaphores)", opt.verb->name, esc_name(arg), strerror(e),
		    SV_LIMITS, sv_limit(3), sv_limit(1));
	if (e == EEXIST)
		errx(code, "%s %s: %s (%s)", opt.verb->name, esc_name(arg),
		    strerror(e), EXISTS_HINT);
	errno = e;
	err(code, "%s %s", opt.verb->name, esc_name(arg));
}

/* ENOSPC is ours to word: the limits are fields of one file */
static int
sv_get(void *arg, key_t key, int flags)
{
	const struct mkset *m = arg;
	int id = semget(key, (int)m->nsems, flags);

	if (id == -1 && (errno == ENOSPC || (errno == EINVAL &&
	    m->nsems > sv_limit(0))))
		sv_refused(m->name, m->nsems, 1);
	return id;
}

static int
sv_create(const char *arg, unsigned value, unsigned nsems)
{
	struct mkset m = { nsems, value, arg };

	stdout_name(arg);
	if (sysv_create(SYSV_SEM, arg, opt.val[O_NSEMS] != NULL ? nsems : 0,
	    sv_get, sv_setup, &m, CREATE_ASKED) == -1)
		err(1, "create %s", esc_name(arg));
	return 0;
}

static const char *
sv_shown(const char *arg, char *buf)
{
	(void)buf;
	return arg;
}

static void
sv_check(const char *arg)
{
	sysv_check(SYSV_SEM, arg);
}

/*
 * A set found, not made, is used once its creator has set it up
 * (sem_otime set), waited for at most SETUP_WAIT and never past d (-t):
 * a set made by another tool that never did a semop is used as it is,
 * and the take that follows, bound by the same d, says whether -t ran
 * out (a set still being made has nothing to take)
 */
static void
sv_ready(int id, const struct deadline *d)
{
	struct timespec pause = { 0, 1000000 };
	struct deadline most = deadline_cap(d, SETUP_WAIT);
	union { int val; struct semid_ds *buf; } a;
	struct semid_ds ds;
	int64_t ns;

	a.buf = &ds;
	for (;;) {
		if (semctl(id, 0, IPC_STAT, a) == -1 || ds.sem_otime != 0 ||
		    (ns = left(&most)) == 0)
			return;
		if (ns < pause.tv_nsec)
			pause.tv_nsec = (long)ns;
		nanosleep(&pause, NULL);
	}
}

/*
 * run -i: make the set with value mk, or find the one someone else made,
 * taken only where it is the caller's (or --any-owner)
 */
static int
sv_make_or_get(const struct sysvkey *k, unsigned mk, const char *arg)
{
	struct mkset m = { 1, mk, arg };
	int id, e;

	for (;;) {
		if ((id = semget(k->key, 1, IPC_CREAT | IPC_EXCL | 0600)) != -1) {
			if (sv_setup(&m, id) == 0)
				return id;
			e = errno;
			semctl(id, 0, IPC_RMID);
			errno = e;
			return -1;
		}
		if (errno != EEXIST)
			return -1;
		if ((id = semget(k->key, 0, 0)) != -1) {
			sysv_adopt(SYSV_SEM, id, arg, 0, &(const struct mkopt){
			    .any_owner = opt.any_owner }, failure());
			return id;
		}
		if (errno != ENOENT)
			return id;
	}
}

static unsigned
sv_nsems(int id)
{
	union { int val; struct semid_ds *buf; } a;
	struct semid_ds ds;

	a.buf = &ds;
	return semctl(id, 0, IPC_STAT, a) == 0 ? (unsigned)ds.sem_nsems : 0;
}

/* --index within the set's size, or exit code saying what it has */
static void
sv_index_ok(int id, unsigned short index, const char *arg, int code)
{
	unsigned n = sv_nsems(id);

	if (n != 0 && index >= n)
		errx(code, "%s %s: --index %u: the set has %u semaphore%s "
		    "(0 to %u)", opt.verb->name, esc_name(arg), index, n,
		    n == 1 ? "" : "s", n - 1);
}

/* the set, ready (waited for within d); --index checked against its size */
static void
sv_open(struct sem *s, const char *arg, long mk, const struct deadline *d)
{
	struct sysvkey k;

	sysv_key(SYSV_SEM, arg, &k, 0);
	s->name = arg;
	if (mk >= 0 && k.kind == KEY_KEY)
		s->u.sv.id = sv_make_or_get(&k, (unsigned)mk, arg);
	else
		s->u.sv.id = sysv_id(SYSV_SEM, &k);
	if (s->u.sv.id == -1)
		sv_refused(arg, 1, failure());
	sv_ready(s->u.sv.id, d);
	sv_index_ok(s->u.sv.id, s->index, arg, failure());
}

static int
sv_post(struct sem *s, unsigned n)
{
	struct sembuf op = { s->index, (short)n, IPC_NOWAIT };
	union { int val; struct semid_ds *buf; } a = { 0 };
	int v, r;

	while ((r = semop(s->u.sv.id, &op, 1)) == -1 && errno == EINTR)
		;
	if (r == 0)
		return 0;
	if (errno == ERANGE && (v = semctl(s->u.sv.id, s->index, GETVAL,
	    a)) != -1)
		errx(1, "post %s: %s (value %d + %u > SEMVMX %d)",
		    esc_name(s->name), strerror(ERANGE), v, n, SEMVMX);
	return -1;
}

/*
 * n units in one semop, bounded by d (semtimedop's timeout is relative,
 * so it is worked out again after a stop and go); undo: SEM_UNDO, given
 * back by the kernel when the process ends, however it ends
 */
static int
sv_take(struct sem *s, unsigned n, const struct deadline *d, int undo)
{
	struct sembuf op = { s->index, (short)-(int)n, undo ? SEM_UNDO : 0 };
	struct timespec ts;
	int64_t ns;

	for (;;) {
		ns = left(d);
		if (ns == 0)
			op.sem_flg |= IPC_NOWAIT;
		ts.tv_sec = (time_t)(ns / NS);
		ts.tv_nsec = (long)(ns % NS);
		if (semtimedop(s->u.sv.id, &op, 1, ns > 0 ? &ts : NULL) == 0)
			return 0;
		if (errno == EAGAIN) {
			errno = ETIMEDOUT;
			return -1;
		}
		/* a signal we catch ends the wait, as a POSIX one's does */
		if (errno != EINTR || caught)
			return -1;
	}
}

static int
sv_rm(const char *arg)
{
	return sysv_rm(SYSV_SEM, arg, opt.force);
}

/* the cells of one semaphore of the set, where we may read them */
static void
sv_cells(struct table *t, int id, unsigned short index)
{
	union { int val; struct semid_ds *buf; } a = { 0 };
	static const int cmd[] = { GETVAL, GETNCNT, GETZCNT, GETPID };
	static const int col[] = { S_VALUE, S_NCNT, S_ZCNT, S_SEMPID };
	int i, v;

	for (i = 0; i < 4; i++)
		if ((v = semctl(id, index, cmd[i], a)) != -1)
			table_set(t, col[i], "%d", v);
}

struct svrow {
	struct table *t;
	unsigned short index;
};

static void
sv_each(void *arg, int id, const union sysv_ds *ds, int full)
{
	const struct svrow *r = arg;
	struct table *t = r->t;

	table_row(t);
	sysv_perm(t, &sperm, &ds->sem.sem_perm);
	table_set(t, S_ID, "%d", id);
	table_set(t, S_NSEMS, "%lu", (unsigned long)ds->sem.sem_nsems);
	if (full)
		sv_cells(t, id, r->index);
	table_time(t, S_OTIME, ds->sem.sem_otime);
	table_time(t, S_CTIME, ds->sem.sem_ctime);
}

static void
sv_stat(struct table *t, const char *arg, const struct deadline *wait)
{
	struct svrow r = { t, index_opt() };
	int id = exists_sysv_id(SYSV_SEM, arg, wait);

	sv_index_ok(id, r.index, arg, 1);
	if (sysv_each(SYSV_SEM, id, sv_each, &r) == 0) {
		errno = ENOENT;		/* gone since we looked */
		err(1, "stat %s", esc_name(arg));
	}
}

static void
sv_ls(struct table *t)
{
	struct svrow r = { t, 0 };

	sysv_each(SYSV_SEM, -1, sv_each, &r);
}

/* --- the two flavours, and the verbs over them ---------------------------- */

/* a kind of semaphore: lib's base (rm, stat, ls), then its own */
struct semflavour {
	struct flavour fl;
	unsigned valmax;		/* the largest value of one semaphore */
	/* a unit taken is the kernel's to give back when we end, even
	 * after execve (SEM_UNDO); 0: ours, given back as we end */
	int undo;
	int  (*create)(const char *, unsigned, unsigned);
	const char *(*shown)(const char *, char *);	/* NAME_BUF */
	void (*open)(struct sem *, const char *, long, const struct deadline *);
	int  (*post)(struct sem *, unsigned);	/* 0, or -1 with errno */
	int  (*take)(struct sem *, unsigned, const struct deadline *, int);
};

static const int sv_own[] = { O_INDEX, O_NSEMS, 0 };

static const struct semflavour posix = {
	.fl = { .kind = "POSIX semaphores", .object = "NAME", .cols = pcols,
	    .check = px_check, .rm = px_rm, .px = &pxkind },
	.valmax = SEM_VALUE_MAX, .undo = 0, .create = px_create,
	.shown = px_shown, .open = px_open, .post = px_post, .take = px_take,
};

static const struct semflavour sysv = {
	.fl = { .flag = 'S', .kind = "System V semaphore sets",
	    .object = "KEY", .own = sv_own, .cols = scols, .check = sv_check,
	    .rm = sv_rm, .stat = sv_stat, .ls = sv_ls },
	.valmax = SEMVMX, .undo = 1, .create = sv_create, .shown = sv_shown,
	.open = sv_open, .post = sv_post, .take = sv_take,
};

static const struct flavour *const flavours[] = { &posix.fl, &sysv.fl, NULL };

/* the operand's word for the flavour -S asks for: before any refusal */
static const char *
object(void)
{
	return flavour_of(flavours, opt.val)->object;
}

/* the flavour -S picks, the other's options refused: once the operands
 * are checked */
static const struct semflavour *
pick(void)
{
	return (const struct semflavour *)flavour_pick(flavours, opt.val,
	    opt.extra);
}

/* -i VALUE, -c N and --index N, in the flavour's ranges */
static unsigned
value_opt(const struct semflavour *fl, int code, const char *what,
    unsigned min, unsigned dflt)
{
	if (opt.val[code] == NULL)
		return dflt;
	return (unsigned)num_uint(opt.val[code], what, min, fl->valmax);
}

/* a signal that would end us ends a wait without losing a unit */
static void
catch_signals(void)
{
	sigset_t set;

	sig_fatal(&set, NULL);
	sig_catch(&set, on_signal);
}

static int
cmd_create(int argc, char *argv[])
{
	const struct semflavour *fl;
	const char *arg;
	unsigned value, nsems;
	int i;

	i = opt_parse(argc, argv, "mode exist-ok any-owner sysv",
	    create_opts);
	arg = opt_operand(argc, argv, i, object());
	fl = pick();
	value = value_opt(fl, 'i', "-i", 0, 1);
	nsems = opt.val[O_NSEMS] == NULL ? 1 : (unsigned)num_uint(
	    opt.val[O_NSEMS], "--nsems", 1, USHRT_MAX);
	return fl->create(arg, value, nsems);
}

/* post's and wait's options and operand: -c's N; *arg, and s's
 * flavour and index */
static unsigned
count_args(int argc, char *argv[], const char *names,
    const struct optdef *own, struct sem *s, const char **arg)
{
	unsigned n;
	int i;

	i = opt_parse(argc, argv, names, own);
	*arg = opt_operand(argc, argv, i, object());
	s->fl = pick();
	n = value_opt(s->fl, 'c', "-c", 1, 1);
	s->index = index_opt();
	return n;
}

static int
cmd_post(int argc, char *argv[])
{
	struct sem s = { .index = 0 };
	const char *arg;
	unsigned n;

	n = count_args(argc, argv, "count sysv", post_opts, &s, &arg);
	s.fl->open(&s, arg, -1, NULL);
	if (s.fl->post(&s, n) == -1)
		err(1, "%s %s", opt.verb->name, esc_name(s.name));
	return 0;
}

/*
 * A take that failed (errno): 124 for a timeout; a signal that cut a
 * POSIX wait short is died of, now that what it took is back
 */
static int
take_failed(const struct sem *s)
{
	if (errno == EINTR && caught)
		die_of(caught);
	if (errno == ETIMEDOUT) {
		warnx("%s %s: timed out", opt.verb->name, esc_name(s->name));
		return EXIT_TIMEOUT;
	}
	if (errno == EIDRM)
		errx(failure(), "%s %s: the set was removed", opt.verb->name,
		    esc_name(s->name));
	err(failure(), "%s %s", opt.verb->name, esc_name(s->name));
}

static int
cmd_wait(int argc, char *argv[])
{
	struct sem s = { .index = 0 };
	struct deadline d;
	const char *arg;
	unsigned n;

	n = count_args(argc, argv, "timeout count sysv", wait_opts, &s, &arg);
	catch_signals();
	deadline_set(&d, opt.timeout);	/* bounds the open and the take */
	s.fl->open(&s, arg, -1, &d);
	if (s.fl->take(&s, n, &d, 0) == -1)
		return take_failed(&s);
	return 0;
}

/*
 * CMD as our child, holding the unit we took for it, given back however
 * it ends; SIGINT, SIGTERM and SIGHUP passed on. Its status, or (killed
 * by the signal we passed on) we die of that signal too.
 */
static int
run_child(struct sem *s, char **cmd)
{
	struct child ch = { .argv = cmd, .in = -1, .out = -1,
	    .pgid = CHILD_OURS, .deathsig = SIGKILL };
	struct children c;
	int st, rc = 125;
	pid_t pid;

	if (child_init(&c, 1) == -1) {
		s->fl->post(s, 1);
		err(125, "run %s", esc_name(s->name));
	}
	if (caught) {			/* came as the unit did */
		s->fl->post(s, 1);
		child_fini(&c);
		die_of(caught);
	}
	if (child_start(&c, &ch) == -1) {
		s->fl->post(s, 1);
		child_fini(&c);
		err(125, "run %s", esc_name(s->name));
	}
	while ((pid = child_wait(&c, NULL, &st)) != -1)
		if (pid > 0)
			rc = st;
	s->fl->post(s, 1);
	child_fini(&c);
	if (c.sig != 0 && rc == 128 + c.sig)
		die_of(c.sig);
	return rc;
}

/* where -- is, that ends our options and starts CMD's; -1: nowhere */
static int
dashdash(int argc, char *argv[])
{
	int j;

	for (j = 1; j < argc; j++)
		if (strcmp(argv[j], "--") == 0)
			return j;
	return -1;
}

static int
cmd_run(int argc, char *argv[])
{
	struct sem s = { .index = 0 };
	struct deadline d;
	const char *arg;
	long mk;
	int i, j;

	/* without --, only -h is worth reading: the rest may be CMD's */
	if ((j = dashdash(argc, argv)) == -1) {
		for (j = 1; j < argc; j++)
			if (strcmp(argv[j], "-h") == 0 ||
			    strcmp(argv[j], "--help") == 0)
				opt_parse(argc, argv, "timeout any-owner sysv",
				    run_opts);
		usage_error("missing -- before CMD");
	}
	i = opt_parse(j, argv, "timeout any-owner sysv", run_opts);
	arg = opt_operand(j, argv, i, object());
	if (j + 1 >= argc)
		usage_error("missing CMD after --");
	s.fl = pick();
	mk = opt.val['i'] == NULL ? -1 : (long)value_opt(s.fl, 'i', "-i", 0,
	    1);
	s.index = index_opt();
	/* a unit only we can give back: what would end us is caught */
	if (!s.fl->undo)
		catch_signals();
	deadline_set(&d, opt.timeout);	/* bounds the open and the take */
	s.fl->open(&s, arg, mk, &d);
	if (s.fl->take(&s, 1, &d, 1) == -1)
		return take_failed(&s);
	/* SEM_UNDO outlives execve: CMD itself holds the unit */
	if (s.fl->undo)
		child_replace(argv + j + 1);
	return run_child(&s, argv + j + 1);
}

static int
cmd_rm(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "force sysv", NULL);

	return flavour_rm(&pick()->fl, argc, argv, i);
}

static int
cmd_stat(int argc, char *argv[])
{
	const struct semflavour *fl;
	struct deadline d;
	char shown[NAME_BUF], *p;
	const char *arg;
	int i;

	i = opt_parse(argc, argv, "timeout output json sysv wait", stat_opts);
	arg = opt_operand(argc, argv, i, object());
	fl = pick();
	/* what a failed stdout names, at exit: after this frame is gone */
	if ((p = strdup(fl->shown(arg, shown))) == NULL)
		err(1, NULL);
	stdout_name(p);
	return flavour_stat(&fl->fl, arg, TABLE_ASKED, WAIT_ASKED(&d));
}

static int
cmd_ls(int argc, char *argv[])
{
	if (opt_parse(argc, argv, "output no-header notruncate json sysv pid",
	    ls_opts) != argc)
		usage_error("too many operands");
	return flavour_ls(&pick()->fl, TABLE_ASKED);
}

static const struct verb verbs[] = {
	{ "create", cmd_create,
	    "create [-S] [-m MODE] [-x [--any-owner]] [-i VALUE] [--nsems N] "
	    "NAME|KEY" },
	{ "post", cmd_post, "post [-S] [--index N] [-c N] NAME|KEY" },
	{ "send", cmd_post, "send [-S] [--index N] [-c N] NAME|KEY" },
	{ "wait", cmd_wait, "wait [-S] [--index N] [-t DUR] [-c N] NAME|KEY" },
	{ "recv", cmd_wait, "recv [-S] [--index N] [-t DUR] [-c N] NAME|KEY" },
	{ "run", cmd_run,
	    "run [-S] [--index N] [-t DUR] [-i N [--any-owner]] NAME|KEY -- "
	    "CMD..." },
	{ "rm", cmd_rm, "rm [-S] [-f] NAME|KEY..." },
	{ "stat", cmd_stat, "stat [-S] [--index N] [-o LIST] [-j] [--wait [-t DUR]] NAME|KEY" },
	{ "ls", cmd_ls, "ls [-S] [-H] [--notruncate] [-o LIST] [-j] [--pid PID]" },
	{ NULL, NULL, NULL }
};

int
main(int argc, char *argv[])
{
	return verb_main(verbs, argc, argv);
}
