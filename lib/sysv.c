/*
 * The System V tier, for queues, semaphore sets and segments alike, as
 * util-linux's ipcutils does it: a key or id:N to an id, a new id told,
 * IPC_RMID, the cells every kind shows, and /proc/sysvipc read line by
 * line. The kind is chosen once; every call here takes it.
 */
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"

static const char *const procfile[] = {
	[SYSV_MSG] = "/proc/sysvipc/msg",
	[SYSV_SEM] = "/proc/sysvipc/sem",
	[SYSV_SHM] = "/proc/sysvipc/shm",
};

static const char *
noun(int kind)
{
	static const char *const noun[] = {
		[SYSV_MSG] = "queue", [SYSV_SEM] = "set",
		[SYSV_SHM] = "segment",
	};

	return noun[kind];
}

/*
 * An operand as a key: a usage error where it cannot be one; 'private'
 * only where a new object is made, id:N only where one exists
 */
void
sysv_key(int kind, const char *arg, struct sysvkey *k, int create)
{
	name_key(arg, k);
	if (!create && k->kind == KEY_PRIVATE)
		usage_error("'private' names a new %s, at create only",
		    noun(kind));
	if (create && k->kind == KEY_ID)
		usage_error("'%s': create takes a key or 'private', not an id",
		    arg);
}


/* arg as a key of an object that exists: a usage error where not one */
void
sysv_check(int kind, const char *arg)
{
	struct sysvkey k;

	sysv_key(kind, arg, &k, 0);
}

/* IPC_STAT, IPC_SET or IPC_RMID, whatever the kind */
int
sysv_ctl(int kind, int id, int cmd, void *ds)
{
	union semun { int val; struct semid_ds *buf; } arg = { .buf = ds };

	switch (kind) {
	case SYSV_MSG:
		return msgctl(id, cmd, ds);
	case SYSV_SEM:
		return semctl(id, 0, cmd, arg);
	default:
		return shmctl(id, cmd, ds);
	}
}

/* a key's or id:N's id; -1 with ENOENT where there is none */
int
sysv_id(int kind, const struct sysvkey *k)
{
	union sysv_ds ds;

	if (k->kind == KEY_KEY) {
		if (kind == SYSV_MSG)
			return msgget(k->key, 0);
		if (kind == SYSV_SEM)
			return semget(k->key, 0, 0);
		return shmget(k->key, 0, 0);
	}
	if (sysv_ctl(kind, k->id, IPC_STAT, &ds) == -1 &&
	    (errno == EINVAL || errno == EIDRM)) {
		errno = ENOENT;
		return -1;
	}
	return k->id;	/* EACCES: it is there, the next call says so */
}

/*
 * An object's id on stdout. One just made (made) whose id cannot be
 * written out is removed, not left behind: for a private one the id is
 * its only name, and a script told nothing would not remove it.
 */
void
sysv_print_id(int kind, int id, int made)
{
	int e;

	printf("%d\n", id);
	if (fflush(stdout) == 0 && !ferror(stdout))
		return;
	e = errno;
	if (made)
		sysv_ctl(kind, id, IPC_RMID, NULL);
	errno = e;
	stdout_failed();
}

/*
 * No more objects of the kind may be made: say which limit. Semaphore
 * sets' is the fourth of /proc/sys/kernel/sem's (SEMMSL SEMMNS SEMOPM
 * SEMMNI); the others have a file each.
 */
static void
sets_full(int kind, const char *arg, const char *mni)
{
	unsigned long long v[4];
	char path[64];
	FILE *f;

	if (kind != SYSV_SEM) {
		snprintf(path, sizeof(path), "/proc/sys/kernel/%s", mni);
		errx(1, "create %s: %s (%s is %ju)", esc_name(arg),
		    strerror(ENOSPC), path, sysctl_limit(path));
	}
	if ((f = fopen("/proc/sys/kernel/sem", "re")) != NULL &&
	    fscanf(f, "%llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3]) == 4)
		errx(1, "create %s: %s (semmni, the fourth of "
		    "/proc/sys/kernel/sem, is %llu)", esc_name(arg),
		    strerror(ENOSPC), v[3]);
	errx(1, "create %s: %s", esc_name(arg), strerror(ENOSPC));
}

/*
 * The object id, found where one was to be made (create -x, run -i),
 * taken only where it is what was asked (adopt.c): the caller's own or
 * mk's any_owner; its size (a segment's bytes, a queue's qbytes, a set's
 * nsems) size where size is not 0; its mode where mk has_mode. Otherwise
 * the verb ends with status code, naming what differs.
 */
void
sysv_adopt(int kind, int id, const char *arg, uintmax_t size,
    const struct mkopt *mk, int code)
{
	static const char *const what[] = {
		[SYSV_MSG] = "qbytes", [SYSV_SEM] = "nsems",
		[SYSV_SHM] = "size",
	};
	struct adopt a = { .any_owner = mk->any_owner,
	    .has_mode = mk->has_mode, .want_mode = mk->mode, .nsizes = 1 };
	const struct ipc_perm *p;
	union sysv_ds ds;

	if (sysv_ctl(kind, id, IPC_STAT, &ds) == -1)
		err(code, "%s %s", verb_name, esc_name(arg));
	p = kind == SYSV_MSG ? &ds.msg.msg_perm : kind == SYSV_SEM ?
	    &ds.sem.sem_perm : &ds.shm.shm_perm;
	a.uid = p->uid;
	a.mode = p->mode & 0777;
	a.size[0].what = what[kind];
	a.size[0].given = size != 0;
	a.size[0].want = size;
	a.size[0].have = kind == SYSV_MSG ? ds.msg.msg_qbytes :
	    kind == SYSV_SEM ? ds.sem.sem_nsems : ds.shm.shm_segsz;
	adopt_check(&a, verb_name, arg, code);
}

/*
 * Make a new object of the kind for arg (a key or 'private') with the
 * exact mode (mk's, or 0600): get(arg, key, flags) is the kind's msgget,
 * semget or shmget; then setup(arg, id), where given, finishes it, and
 * it is removed when that fails (errno kept). mk's exist_ok (-x): an
 * existing one is success where it is what was asked (sysv_adopt: size,
 * where not 0).
 * The id is printed, so a script needs no second call (for a
 * private one it is the only name). The id, or -1 where setup failed;
 * exit 1 naming the limit (msgmni...) that refused.
 */
int
sysv_create(int kind, const char *arg, uintmax_t size,
    int (*get)(void *, key_t, int), int (*setup)(void *, int), void *garg,
    const struct mkopt *mk)
{
	static const char *const mni[] = {
		[SYSV_MSG] = "msgmni", [SYSV_SEM] = "semmni",
		[SYSV_SHM] = "shmmni",
	};
	struct sysvkey k;
	int id, e;

	sysv_key(kind, arg, &k, 1);
	id = get(garg, k.key, IPC_CREAT | IPC_EXCL |
	    (int)(mk->has_mode ? mk->mode : 0600));
	if (id == -1 && errno == EEXIST && mk->exist_ok &&
	    (id = sysv_id(kind, &k)) != -1) {
		sysv_adopt(kind, id, arg, size, mk, 1);
		sysv_print_id(kind, id, 0);
		return id;
	}
	if (id == -1 && (e = errno) == ENOSPC)
		sets_full(kind, arg, mni[kind]);
	if (id == -1 && errno == EEXIST)
		errx(1, "create %s: %s (%s)", esc_name(arg), strerror(EEXIST),
		    EXISTS_HINT);
	if (id == -1)
		err(1, "create %s", esc_name(arg));
	if (setup != NULL && setup(garg, id) == -1) {
		e = errno;
		sysv_ctl(kind, id, IPC_RMID, NULL);	/* nothing half-made */
		errno = e;
		return -1;
	}
	sysv_print_id(kind, id, 1);
	return id;
}

/* IPC_RMID by key or id:N; force (-f): a missing one is no error. 0, or 1 */
int
sysv_rm(int kind, const char *arg, int force)
{
	struct sysvkey k;
	int id;

	sysv_key(kind, arg, &k, 0);
	if ((id = sysv_id(kind, &k)) != -1 &&
	    sysv_ctl(kind, id, IPC_RMID, NULL) == 0)
		return 0;
	if (errno == EINVAL || errno == EIDRM)
		errno = ENOENT;		/* gone since we looked */
	if (errno == ENOENT && force)
		return 0;
	warn("rm %s", esc_name(arg));
	return 1;
}

/* key, mode, owner and group, as every kind shows them */
void
sysv_perm(struct table *t, const struct sysv_cols *c, const struct ipc_perm *p)
{
	table_set(t, c->key, "0x%08x", (unsigned)p->__key);
	table_set(t, c->mode, "%04o", (unsigned)(p->mode & 0777));
	table_owner(t, c->owner, c->group, p->uid, p->gid);
}

/* the ipc_perm of any kind's ds */
static struct ipc_perm *
perm_of(int kind, union sysv_ds *ds)
{
	if (kind == SYSV_MSG)
		return &ds->msg.msg_perm;
	if (kind == SYSV_SEM)
		return &ds->sem.sem_perm;
	return &ds->shm.shm_perm;
}

/* the columns every /proc/sysvipc line starts with, and its owner */
struct line {
	int key, id;
	unsigned mode, uid, gid;
	unsigned long long a, b, c;
	long long t1, t2, t3;
	int p1, p2;
};

static int
parse_msg(const char *s, struct line *l, union sysv_ds *ds)
{
	if (sscanf(s, "%d %d %o %llu %llu %d %d %u %u %*u %*u %lld %lld "
	    "%lld", &l->key, &l->id, &l->mode, &l->a, &l->b, &l->p1, &l->p2,
	    &l->uid, &l->gid, &l->t1, &l->t2, &l->t3) != 12)
		return -1;
	ds->msg.msg_cbytes = l->a;
	ds->msg.msg_qnum = l->b;
	ds->msg.msg_lspid = l->p1;
	ds->msg.msg_lrpid = l->p2;
	ds->msg.msg_stime = (time_t)l->t1;
	ds->msg.msg_rtime = (time_t)l->t2;
	ds->msg.msg_ctime = (time_t)l->t3;
	return 0;
}

static int
parse_sem(const char *s, struct line *l, union sysv_ds *ds)
{
	if (sscanf(s, "%d %d %o %llu %u %u %*u %*u %lld %lld", &l->key,
	    &l->id, &l->mode, &l->a, &l->uid, &l->gid, &l->t1, &l->t2) != 8)
		return -1;
	ds->sem.sem_nsems = l->a;
	ds->sem.sem_otime = (time_t)l->t1;
	ds->sem.sem_ctime = (time_t)l->t2;
	return 0;
}

static int
parse_shm(const char *s, struct line *l, union sysv_ds *ds)
{
	if (sscanf(s, "%d %d %o %llu %d %d %llu %u %u %*u %*u %lld %lld "
	    "%lld", &l->key, &l->id, &l->mode, &l->a, &l->p1, &l->p2, &l->b,
	    &l->uid, &l->gid, &l->t1, &l->t2, &l->t3) != 12)
		return -1;
	ds->shm.shm_segsz = l->a;
	ds->shm.shm_cpid = l->p1;
	ds->shm.shm_lpid = l->p2;
	ds->shm.shm_nattch = l->b;
	ds->shm.shm_atime = (time_t)l->t1;
	ds->shm.shm_dtime = (time_t)l->t2;
	ds->shm.shm_ctime = (time_t)l->t3;
	return 0;
}

/*
 * A /proc/sysvipc line as the kind's ds would hold it: all IPC_STAT
 * says but a queue's qbytes. -1 where it is not one (the header).
 */
int
sysv_line(int kind, const char *s, union sysv_ds *ds, int *id)
{
	static int (*const by[])(const char *, struct line *,
	    union sysv_ds *) = {
		[SYSV_MSG] = parse_msg, [SYSV_SEM] = parse_sem,
		[SYSV_SHM] = parse_shm,
	};
	struct ipc_perm *p = perm_of(kind, ds);
	struct line l;

	memset(ds, 0, sizeof(*ds));
	if (by[kind](s, &l, ds) == -1)
		return -1;
	p->__key = l.key;
	p->mode = (unsigned short)l.mode;
	p->uid = l.uid;
	p->gid = l.gid;
	*id = l.id;
	return 0;
}

/*
 * Each object of the kind (only: the one with that id; -1: all) to
 * fn(arg, id, ds, full): IPC_STAT's ds (full) where we may, else what
 * /proc/sysvipc shows every user. Returns how many there were.
 */
int
sysv_each(int kind, int only, void (*fn)(void *, int, const union sysv_ds *,
    int), void *arg)
{
	union sysv_ds ds, st;
	char *line = NULL;
	size_t cap = 0;
	int id, n = 0;
	FILE *f;

	if ((f = fopen(procfile[kind], "re")) == NULL)
		err(1, "%s: %s", verb_name, procfile[kind]);
	while (getline(&line, &cap, f) != -1) {
		if (sysv_line(kind, line, &ds, &id) == -1 ||
		    (only != -1 && id != only))
			continue;
		if (sysv_ctl(kind, id, IPC_STAT, &st) == 0)
			fn(arg, id, &st, 1);
		else
			fn(arg, id, &ds, 0);
		n++;
	}
	free(line);
	fclose(f);
	return n;
}
