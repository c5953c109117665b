/* ipc-mq: POSIX message queues; System V message queues with -S. */
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

#define MQ_DIR		"/dev/mqueue"
#define MQUEUE_MAGIC	0x19800202
#define MQ_LIMIT	"/proc/sys/fs/mqueue/"
#define SV_LIMIT	"/proc/sys/kernel/"
/* the kernel's own ceilings (HARD_MSGMAX, HARD_MSGSIZEMAX): past them a
 * size is absurd, not merely over this machine's sysctl */
#define HARD_MSGMAX	65536
#define HARD_MSGSIZEMAX	(16 * 1024 * 1024)

/*
 * The verbs' own options, and the shared ones in a verb's words. An
 * entry with no help is an old spelling, taken with a warning for a
 * release: -q (ipc-sig's -q is a value queued), --type (ipc-sock's is a
 * socket's).
 */
static const struct optdef create_opts[] = {
	{ 'M', "maxmsg", "MAXMSG", "messages the queue holds (POSIX)" },
	{ 'q', "maxmsg", "MAXMSG", NULL },
	{ 's', "size", "SIZE",
	    "largest message (POSIX), bytes the queue holds (-S)" },
	{ 'x', "exist-ok", NULL,
	    "succeed if it exists as the same kind, owner, mode and sizes" },
	{ 'S', "sysv", NULL, "System V: OBJECT is a key, or private" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef send_opts[] = {
	{ 'p', "priority", "PRIO", "priority, 0 (default) to 32767 (POSIX)" },
	{ 'T', "msg-type", "TYPE", "message type, 1 (default) or more (-S)" },
	{ 'T', "type", "TYPE", NULL },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef recv_opts[] = {
	{ 'T', "msg-type", "TYPE",
	    "-S: 0 any (default), N only type N, -N lowest type up to N" },
	{ 'T', "type", "TYPE", NULL },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef peek_opts[] = {
	{ 'T', "msg-type", "TYPE",
	    "0 any (default), N only type N, -N lowest type up to N" },
	{ 'T', "type", "TYPE", NULL },
	{ 'c', "count", "N", "show N messages (default all), taking none" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef stat_opts[] = {
	{ 't', "timeout", "DUR", "--wait: give up after DUR (250ms, 2s, 1m)" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef ls_opts[] = {
	{ 'S', "sysv", NULL, "the System V queues, not the POSIX ones" },
	{ OPT_PID, "pid", "PID",
	    "only the queues PID holds (-S: it last sent to or took from)" },
	{ 0, NULL, NULL, NULL }
};

enum { P_KIND, P_NAME, P_MAXMSG, P_MSGSIZE, P_CURMSGS, P_QSIZE, P_MODE, P_OWNER,
	P_GROUP, P_NOTIFY, P_ORPHAN, P_HOLDERS, P_NCOLS };

static const struct col pcols[P_NCOLS + 1] = {
	[P_KIND] = { "kind", COL_STR, 0, NULL, "mq" },
	[P_NAME] = { "name", COL_STR, 1 },
	[P_MAXMSG] = { "maxmsg", COL_NUM, 1 },
	[P_MSGSIZE] = { "msgsize", COL_NUM, 1 },
	[P_CURMSGS] = { "curmsgs", COL_NUM, 1 },
	[P_QSIZE] = { "qsize", COL_NUM, 1 },
	[P_MODE] = { "mode", COL_STR, 1 },
	[P_OWNER] = { "owner", COL_STR, 1 },
	[P_GROUP] = { "group", COL_STR, 0 },
	[P_NOTIFY] = { "notify_pid", COL_NUM, 0 },
	[P_ORPHAN] = { "orphan", COL_BOOL, 1 },
	[P_HOLDERS] = { "holders", COL_PIDS, 1, "holder" },
};

enum { S_KIND, S_KEY, S_ID, S_QNUM, S_QBYTES, S_CBYTES, S_LSPID, S_LRPID, S_STIME,
	S_RTIME, S_CTIME, S_MODE, S_OWNER, S_GROUP, S_NCOLS };

static const struct col scols[S_NCOLS + 1] = {
	[S_KIND] = { "kind", COL_STR, 0, NULL, "sysv-msg" },
	[S_KEY] = { "key", COL_STR, 1 },
	[S_ID] = { "id", COL_NUM, 1 },
	[S_QNUM] = { "qnum", COL_NUM, 1 },
	[S_QBYTES] = { "qbytes", COL_NUM, 1 },
	[S_CBYTES] = { "cbytes", COL_NUM, 1 },
	[S_LSPID] = { "lspid", COL_NUM, 1, "last_pid" },
	[S_LRPID] = { "lrpid", COL_NUM, 1, "last_pid" },
	[S_STIME] = { "stime", COL_STR, 0 },
	[S_RTIME] = { "rtime", COL_STR, 0 },
	[S_CTIME] = { "ctime", COL_STR, 0 },
	[S_MODE] = { "mode", COL_STR, 1 },
	[S_OWNER] = { "owner", COL_STR, 1 },
	[S_GROUP] = { "group", COL_STR, 0 },
};

static const struct sysv_cols sperm = { S_KEY, S_MODE, S_OWNER, S_GROUP };

enum { Q_SEND, Q_RECV };

struct mqflavour;

/* the queue a send, recv or peek works on */
struct q {
	const struct mqflavour *fl;	/* what kind of queue it is */
	const char *name;		/* as messages show it */
	size_t limit;			/* the largest message */
	const char *limitname;		/* and where that limit comes from */
	char *buf;			/* a message (System V: mtype first) */
	const char *msg;		/* the message */
	size_t len;
	intmax_t meta;			/* its priority or type */
	long want;			/* recv -T: the type; peek: the index */
	int flags;			/* System V: msgsnd's, msgrcv's flags */
	struct deadline d;		/* each message's wait: -t */
	union {
		struct { char name[NAME_BUF]; mqd_t mqd; } px;
		struct { int id; } sv;
	} u;
};

/* --- POSIX queues ------------------------------------------------------- */

struct mkq {
	const char *name;
	const struct mq_attr *a;
};

static int
px_make(void *arg, mode_t mode)
{
	const struct mkq *m = arg;
	mqd_t q;

	q = mq_open(m->name, O_RDONLY | O_CREAT | O_EXCL, mode,
	    m->a->mq_maxmsg ? m->a : NULL);
	return q == (mqd_t)-1 ? -1 : mq_close(q);
}

/*
 * Why mq_open refused to create: a limit this machine sets, named.
 * Only CAP_SYS_RESOURCE passes msg_max and msgsize_max, so the kernel
 * is asked first and the limit read only to explain its EINVAL.
 */
static void
px_create_failed(const char *name, const struct mq_attr *a)
{
	struct rlimit rl;
	uintmax_t max;
	int e = errno;

	if (e == EINVAL && opt.val['M'] != NULL && (uintmax_t)a->mq_maxmsg >
	    (max = sysctl_limit(MQ_LIMIT "msg_max")))
		errx(1, "create %s: -M %s is over %smsg_max (%ju)",
		    esc_name(name), opt.val['M'], MQ_LIMIT, max);
	if (e == EINVAL && opt.val['s'] != NULL && (uintmax_t)a->mq_msgsize >
	    (max = sysctl_limit(MQ_LIMIT "msgsize_max")))
		errx(1, "create %s: -s %s is over %smsgsize_max (%ju)",
		    esc_name(name), opt.val['s'], MQ_LIMIT, max);
	if (e == ENOSPC)
		errx(1, "create %s: %s (%squeues_max is %ju)", esc_name(name),
		    strerror(e), MQ_LIMIT, sysctl_limit(MQ_LIMIT "queues_max"));
	if (e == EEXIST)
		errx(1, "create %s: %s (%s)", esc_name(name), strerror(e),
		    EXISTS_HINT);
	if (e == EMFILE && getrlimit(RLIMIT_MSGQUEUE, &rl) == 0)
		errx(1, "create %s: the user's queues would need more than "
		    "RLIMIT_MSGQUEUE (ulimit -q: %ju bytes)", esc_name(name),
		    (uintmax_t)rl.rlim_cur);
	errno = e;
	err(1, "create %s", esc_name(name));
}

/*
 * A queue found where -x was to make one: taken only where it is the
 * caller's (or --any-owner), with the -M and -s given, of -m's mode.
 * Looked at through a descriptor of its own: the mqueue filesystem
 * need not be mounted.
 */
static void
px_adopt(const char *name, const struct mq_attr *want)
{
	struct adopt a = { ADOPT_ASKED, .nsizes = 2 };
	struct mq_attr have;
	struct stat st;
	mqd_t q;

	if ((q = mq_open(name, O_RDONLY)) == (mqd_t)-1 &&
	    (errno != EACCES || (q = mq_open(name, O_WRONLY)) == (mqd_t)-1))
		err(1, "create %s: exists, and cannot be looked at",
		    esc_name(name));
	if (fstat(q, &st) == -1 || mq_getattr(q, &have) == -1)
		err(1, "create %s", esc_name(name));
	mq_close(q);
	a.uid = st.st_uid;
	a.mode = st.st_mode;
	a.size[0].what = "maxmsg";
	a.size[0].given = opt.val['M'] != NULL;
	a.size[0].have = (uintmax_t)have.mq_maxmsg;
	a.size[0].want = (uintmax_t)want->mq_maxmsg;
	a.size[1].what = "msgsize";
	a.size[1].given = opt.val['s'] != NULL;
	a.size[1].have = (uintmax_t)have.mq_msgsize;
	a.size[1].want = (uintmax_t)want->mq_msgsize;
	adopt_check(&a, "create", name, 1);
}

static int
px_create(const char *arg)
{
	const char *q = opt.val['M'], *s = opt.val['s'];
	struct mq_attr a = { 0 };
	char name[NAME_BUF];
	struct mkq m = { name, &a };

	if (q != NULL)
		a.mq_maxmsg = (long)num_uint(q, "-M", 1, HARD_MSGMAX);
	if (s != NULL)
		a.mq_msgsize = (long)num_size(s, "-s", 1, HARD_MSGSIZEMAX);
	name_posix(arg, name);
	/* one of the two given: the other as the kernel would default it */
	if (q == NULL && s != NULL)
		a.mq_maxmsg = (long)sysctl_limit(MQ_LIMIT "msg_default");
	if (s == NULL && q != NULL)
		a.mq_msgsize = (long)sysctl_limit(MQ_LIMIT "msgsize_default");
	if (posix_exact(px_make, &m, CREATE_ASKED) == 0)
		return 0;
	if (errno != EEXIST || !opt.exist_ok)
		px_create_failed(name, &a);
	px_adopt(name, &a);
	return 0;
}

/*
 * A receiver opens for writing too where it may: to give back. A sender
 * with no -t has nothing to do while the queue is full but wait, so it
 * waits in mq_send: a full queue then costs one call a message, not an
 * EAGAIN, a poll and the call again.
 */
static void
px_open(struct q *q, const char *arg, int dir)
{
	int block = dir == Q_SEND && opt.timeout == TIMEOUT_NONE;
	struct mq_attr a;

	name_posix(arg, q->u.px.name);
	q->name = q->u.px.name;
	q->u.px.mqd = (mqd_t)-1;
	if (dir == Q_RECV)
		q->u.px.mqd = mq_open(q->name, O_RDWR | O_NONBLOCK);
	if (q->u.px.mqd == (mqd_t)-1)
		q->u.px.mqd = mq_open(q->name, (dir == Q_RECV ? O_RDONLY :
		    O_WRONLY) | (block ? 0 : O_NONBLOCK));
	if (q->u.px.mqd == (mqd_t)-1 || mq_getattr(q->u.px.mqd, &a) == -1)
		err(1, "%s %s", opt.verb->name, esc_name(q->name));
	q->limit = (size_t)a.mq_msgsize;
	q->limitname = "msgsize";
	if (dir == Q_RECV && (q->buf = malloc(q->limit)) == NULL)
		err(1, NULL);
}

static int
px_trysend(void *arg)
{
	struct q *q = arg;

	return mq_send(q->u.px.mqd, q->msg, q->len, (unsigned)q->meta);
}

static int
px_tryrecv(void *arg)
{
	struct q *q = arg;
	unsigned prio;
	ssize_t n;

	if ((n = mq_receive(q->u.px.mqd, q->buf, q->limit, &prio)) == -1)
		return -1;
	q->msg = q->buf;
	q->len = (size_t)n;
	q->meta = prio;
	return 0;
}

/*
 * try(arg), a call on the non-blocking descriptor fd, until it does not
 * fail with EAGAIN: in between, what was received so far is written out
 * and poll(2) waits for fd to be ready for ev, the waits together bounded
 * by d, and by most ns from the first of them where most > 0 (a caller
 * that looks up now and then); a receiver (POLLIN) checks after each
 * wait that its stdout still has a reader. 0, or -1 with errno
 * (ETIMEDOUT). The bound is worked out only once there is a wait: a
 * message there already costs the call and nothing else.
 */
static int
px_wait(int fd, short ev, int (*try)(void *), void *arg,
    const struct deadline *d, int64_t most)
{
	struct deadline slice;
	int r, waited = 0;

	while ((r = try(arg)) == -1 && (errno == EAGAIN || errno == EINTR)) {
		if (errno == EINTR)
			continue;	/* a handled signal: again, same deadline */
		if (!waited++) {
			msgout_flush();
			if (most > 0) {
				slice = deadline_cap(d, most);
				d = &slice;
			}
		}
		if (wait_fd(fd, ev, d) == -1)
			return -1;
		if (ev == POLLIN)
			stdout_ready();
	}
	return r;
}

static int
px_send(struct q *q)
{
	return px_wait(q->u.px.mqd, POLLOUT, px_trysend, q, &q->d, 0);
}

/*
 * Removing a queue wakes nobody who waits on it: a receiver looks at
 * least once a second whether its queue still has a name (no links
 * left), and then, having taken what was left, ends as System V's does
 */
static int
px_recv(struct q *q)
{
	struct stat st;

	for (;;) {
		if (px_wait(q->u.px.mqd, POLLIN, px_tryrecv, q, &q->d,
		    INT64_C(1000000000)) == 0)
			return 0;
		if (errno != ETIMEDOUT || deadline_ms(&q->d) == 0)
			return -1;
		if (fstat(q->u.px.mqd, &st) == 0 && st.st_nlink == 0) {
			errno = EIDRM;
			return -1;
		}
	}
}

/* a message taken but never written out goes back, without waiting */
static int
px_putback(void *arg, intmax_t prio, const char *p, size_t len)
{
	struct q *q = arg;

	return mq_send(q->u.px.mqd, p, len, (unsigned)prio);
}

/* recv -e: a message there now, or EAGAIN; a queue with no name left
 * (removed) is EIDRM */
static int
px_trynow(void *arg)
{
	struct q *q = arg;
	struct stat st;

	if (px_tryrecv(q) == 0)
		return 0;
	if (errno == EAGAIN && fstat(q->u.px.mqd, &st) == 0 &&
	    st.st_nlink == 0)
		errno = EIDRM;
	return -1;
}

/* recv -e: the descriptor poll(2) sees a message come on */
static const int *
px_pollfd(const struct q *q)
{
	return &q->u.px.mqd;
}

static int
px_rm(const char *arg)
{
	return posix_rm(arg, mq_unlink, opt.force);
}

/* size and notification: mq_getattr, and what read(2) of the queue says */
static void
px_cells(struct table *t, const char *name, int fd, const struct stat *st)
{
	unsigned long qsize;
	int notify, signo, pid;
	struct mq_attr a;
	char buf[160];
	ssize_t n;

	(void)name;
	(void)st;
	if (fd < 0)
		return;		/* NOQUEUE: not ours to open */
	if (mq_getattr(fd, &a) == 0) {
		table_set(t, P_MAXMSG, "%ld", a.mq_maxmsg);
		table_set(t, P_MSGSIZE, "%ld", a.mq_msgsize);
		table_set(t, P_CURMSGS, "%ld", a.mq_curmsgs);
	}
	if ((n = pread(fd, buf, sizeof(buf) - 1, 0)) <= 0)
		return;
	buf[n] = '\0';
	if (sscanf(buf, "QSIZE:%lu NOTIFY:%d SIGNO:%d NOTIFY_PID:%d", &qsize,
	    &notify, &signo, &pid) == 4) {
		table_set(t, P_QSIZE, "%lu", qsize);
		table_set(t, P_NOTIFY, "%d", pid);
	}
}

/*
 * Open a queue only to look at it, for reading where we may (read(2)
 * tells its qsize), else for writing: neither takes nor adds anything.
 * NOQUEUE: not ours to open, st from what the mount shows; -1 (errno
 * set): not there.
 */
#define NOQUEUE	(-2)

static int
px_look(const char *name, struct stat *st)
{
	mqd_t q = mq_open(name, O_RDONLY);

	if (q == (mqd_t)-1 && errno == EACCES)
		q = mq_open(name, O_WRONLY);
	if (q != (mqd_t)-1) {
		if (fstat(q, st) == 0)
			return q;
		mq_close(q);
		return -1;
	}
	if (errno != EACCES)
		return -1;
	if (posix_look(MQ_DIR, "", name, st) == -1) {
		errno = EACCES;
		return -1;
	}
	return NOQUEUE;
}

/* stat --wait: the queue is there, whether or not we may open it */
static int
px_there(void *name)
{
	mqd_t q = mq_open(name, O_RDONLY);

	if (q != (mqd_t)-1)
		mq_close(q);
	return q != (mqd_t)-1 || errno != ENOENT;
}

static void
px_close(int fd)
{
	if (fd >= 0)
		mq_close(fd);
}

static const struct posix_kind pxkind = {
	.dir = MQ_DIR, .prefix = "", .fstype = "mqueue", .magic = MQUEUE_MAGIC,
	.what = "a queue", .name = P_NAME, .file = { P_MODE, P_OWNER, P_GROUP },
	.holders = P_HOLDERS, .there = px_there, .look = px_look,
	.cells = px_cells, .close = px_close,
};

/* --- System V queues ---------------------------------------------------- */

static int
sv_get(void *arg, key_t key, int flags)
{
	(void)arg;
	return msgget(key, flags);
}

/* raise or lower a new queue's qbytes; past msgmnb needs privilege */
static int
sv_qbytes(void *arg, int id)
{
	const uintmax_t *qbytes = arg;
	struct msqid_ds ds;

	if (*qbytes == 0 || msgctl(id, IPC_STAT, &ds) == -1)
		return *qbytes == 0 ? 0 : -1;
	ds.msg_qbytes = (msglen_t)*qbytes;
	return msgctl(id, IPC_SET, &ds);
}

static int
sv_create(const char *arg)
{
	uintmax_t qbytes = 0, max;

	if (opt.val['s'] != NULL)
		qbytes = num_size(opt.val['s'], "-s", 1, INT_MAX);
	if (sysv_create(SYSV_MSG, arg, qbytes, sv_get, sv_qbytes,
	    &qbytes, CREATE_ASKED) != -1)
		return 0;
	if (errno == EPERM && qbytes > (max = sysctl_limit(SV_LIMIT "msgmnb")))
		errx(1, "create %s: -s %s is over %smsgmnb (%ju)",
		    esc_name(arg), opt.val['s'], SV_LIMIT, max);
	err(1, "create %s", esc_name(arg));
}

static void
sv_check(const char *arg)
{
	sysv_check(SYSV_MSG, arg);
}

/* a message's limit is msgmax, and for a sender the queue's qbytes */
static void
sv_open(struct q *q, const char *arg, int dir)
{
	struct msqid_ds ds;
	struct sysvkey k;

	sysv_key(SYSV_MSG, arg, &k, 0);
	q->name = arg;
	if ((q->u.sv.id = sysv_id(SYSV_MSG, &k)) == -1)
		err(1, "%s %s", opt.verb->name, esc_name(arg));
	q->limit = sysctl_limit(SV_LIMIT "msgmax");
	q->limitname = "msgmax";
	if (dir == Q_SEND && msgctl(q->u.sv.id, IPC_STAT, &ds) == 0 &&
	    ds.msg_qbytes < q->limit) {
		q->limit = ds.msg_qbytes;
		q->limitname = "qbytes";
	}
	if ((q->buf = malloc(sizeof(long) + q->limit)) == NULL)
		err(1, NULL);
}

static int
sv_sendcall(void *arg)
{
	struct q *q = arg;

	return msgsnd(q->u.sv.id, q->buf, q->len, q->flags);
}

static int
sv_recvcall(void *arg)
{
	struct q *q = arg;
	ssize_t n;
	long type;

	n = msgrcv(q->u.sv.id, q->buf, q->limit, q->want, q->flags);
	if (n == -1)
		return -1;
	memcpy(&type, q->buf, sizeof(long));
	q->meta = type;
	q->msg = q->buf + sizeof(long);
	q->len = (size_t)n;
	return 0;
}

/*
 * A System V call that has no timeout of its own (msgsnd, msgrcv, semop):
 * tried with *flags IPC_NOWAIT; where it would wait, what was received so
 * far is written out, and it is called again with *flags 0, bounded by
 * d with a timer. 0, or -1 with errno (ETIMEDOUT).
 */
static int
sv_wait(int (*call)(void *), void *arg, int *flags,
    const struct deadline *d)
{
	int r;

	*flags = IPC_NOWAIT;
	while ((r = call(arg)) == -1 && errno == EINTR)
		;
	if (r == 0 || (errno != EAGAIN && errno != ENOMSG))
		return r;
	msgout_flush();
	*flags = 0;
	return wait_call(call, arg, d);
}

static int
sv_send(struct q *q)
{
	long type = (long)q->meta;

	memcpy(q->buf, &type, sizeof(long));
	memcpy(q->buf + sizeof(long), q->msg, q->len);
	return sv_wait(sv_sendcall, q, &q->flags, &q->d);
}

static int
sv_recv(struct q *q)
{
	return sv_wait(sv_recvcall, q, &q->flags, &q->d);
}

/* recv -e: a message there now, or EAGAIN */
static int
sv_trynow(void *arg)
{
	struct q *q = arg;

	q->flags = IPC_NOWAIT;
	if (sv_recvcall(q) == 0)
		return 0;
	if (errno == ENOMSG)
		errno = EAGAIN;
	return -1;
}

/* recv -e: no descriptor to poll(2); the worker looks now and then */
static const int *
sv_pollfd(const struct q *q)
{
	(void)q;
	return NULL;
}

/* MSG_COPY reads the message at an index and leaves it where it is */
static int
sv_peek(struct q *q)
{
	q->flags = MSG_COPY | IPC_NOWAIT;
	return sv_recvcall(q);
}

static int
sv_putback(void *arg, intmax_t type, const char *p, size_t len)
{
	struct q *q = arg;
	long t = (long)type;

	memcpy(q->buf, &t, sizeof(long));
	memmove(q->buf + sizeof(long), p, len);
	return msgsnd(q->u.sv.id, q->buf, len, IPC_NOWAIT);
}

static int
sv_rm(const char *arg)
{
	return sysv_rm(SYSV_MSG, arg, opt.force);
}

static void
sv_row(struct table *t, int id, const struct msqid_ds *ds, int qbytes)
{
	table_row(t);
	sysv_perm(t, &sperm, &ds->msg_perm);
	table_set(t, S_ID, "%d", id);
	table_set(t, S_QNUM, "%ju", (uintmax_t)ds->msg_qnum);
	if (qbytes)
		table_set(t, S_QBYTES, "%ju", (uintmax_t)ds->msg_qbytes);
	table_set(t, S_CBYTES, "%ju", (uintmax_t)ds->msg_cbytes);
	table_set(t, S_LSPID, "%d", (int)ds->msg_lspid);
	table_set(t, S_LRPID, "%d", (int)ds->msg_lrpid);
	table_time(t, S_STIME, ds->msg_stime);
	table_time(t, S_RTIME, ds->msg_rtime);
	table_time(t, S_CTIME, ds->msg_ctime);
}

/* one queue's row; qbytes only where msgctl told it */
static void
sv_each(void *t, int id, const union sysv_ds *ds, int full)
{
	sv_row(t, id, &ds->msg, full);
}

static void
sv_stat(struct table *t, const char *arg, const struct deadline *wait)
{
	struct msqid_ds ds;
	int id = exists_sysv_id(SYSV_MSG, arg, wait);

	if (msgctl(id, IPC_STAT, &ds) == 0)
		sv_row(t, id, &ds, 1);
	else if (errno != EACCES || sysv_each(SYSV_MSG, id, sv_each, t) == 0)
		err(1, "stat %s", esc_name(arg));
}

static void
sv_ls(struct table *t)
{
	sysv_each(SYSV_MSG, -1, sv_each, t);
}

/* --- the two flavours, and the verbs over them ---------------------------- */

/* a kind of queue: lib's base (rm, stat, ls), then what only queues do */
struct mqflavour {
	struct flavour fl;
	const char *meta;		/* what -v prints before a message */
	intmax_t meta0;			/* a message's with neither -p nor -T */
	const char *metaenv;		/* what recv -e tells CMD the meta as */
	int  (*create)(const char *);
	void (*open)(struct q *, const char *, int);
	int  (*send)(struct q *);	/* 0, or -1 with errno (ETIMEDOUT) */
	int  (*recv)(struct q *);
	int  (*peek)(struct q *);	/* NULL: the kind cannot */
	/* recv -e: a message there now (EAGAIN: none), and where to
	 * poll(2) for the next (NULL: nowhere) */
	int  (*trynow)(void *);
	const int *(*pollfd)(const struct q *);
	int  (*putback)(void *, intmax_t, const char *, size_t);
	const char *backto;		/* where a message put back goes */
};

static const int px_own[] = { 'p', 'M', 0 };
static const int sv_own[] = { 'T', 0 };

static const struct mqflavour posix = {
	.fl = { .kind = "POSIX queues", .object = "NAME", .own = px_own,
	    .cols = pcols, .check = posix_check, .rm = px_rm, .px = &pxkind },
	.meta = "priority", .meta0 = 0, .metaenv = "IPC_MSG_PRIO",
	.create = px_create, .open = px_open, .send = px_send,
	.recv = px_recv, .trynow = px_trynow, .pollfd = px_pollfd,
	.putback = px_putback, .backto = "its priority",
};

static const struct mqflavour sysv = {
	.fl = { .flag = 'S', .kind = "System V queues", .object = "KEY",
	    .own = sv_own, .cols = scols, .check = sv_check, .rm = sv_rm,
	    .stat = sv_stat, .ls = sv_ls },
	.meta = "type", .meta0 = 1, .metaenv = "IPC_MSG_TYPE",
	.create = sv_create, .open = sv_open, .send = sv_send,
	.recv = sv_recv, .peek = sv_peek, .trynow = sv_trynow,
	.pollfd = sv_pollfd, .putback = sv_putback, .backto = "the queue",
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
static const struct mqflavour *
pick(void)
{
	return (const struct mqflavour *)flavour_pick(flavours, opt.val,
	    opt.extra);
}

static int
cmd_create(int argc, char *argv[])
{
	const char *arg;
	int i;

	i = opt_parse(argc, argv, "mode exist-ok any-owner sysv",
	    create_opts);
	arg = opt_operand(argc, argv, i, object());
	return pick()->create(arg);
}

static int
q_put(void *arg, const char *p, size_t len)
{
	struct q *q = arg;

	deadline_set(&q->d, opt.timeout);
	q->msg = p;
	q->len = len;
	return q->fl->send(q);
}

static int
cmd_send(int argc, char *argv[])
{
	struct q q = { .fl = NULL };
	struct msgdest d;
	int i;

	i = opt_parse(argc, argv, "timeout lines null sysv", send_opts);
	if (i == argc)
		usage_error("missing %s", object());
	q.fl = pick();
	q.meta = q.fl->meta0;
	if (opt.val['p'] != NULL)
		q.meta = (intmax_t)num_uint(opt.val['p'], "-p", 0,
		    (uintmax_t)sysconf(_SC_MQ_PRIO_MAX) - 1);
	if (opt.val['T'] != NULL)
		q.meta = (intmax_t)num_uint(opt.val['T'], "-T", 1, LONG_MAX);
	q.fl->open(&q, argv[i], Q_SEND);
	d = (struct msgdest){ .name = q.name, .limit = q.limit,
	    .limitname = q.limitname, .put = q_put, .arg = &q,
	    .mode = MSGIN_ASKED };
	msgin_send(&d, argv + i + 1);
	free(q.buf);
	return 0;
}

static void
recv_failed(const struct q *q)
{
	if (errno == E2BIG)
		errx(1, "%s %s: a message is larger than %s (%zu bytes)",
		    opt.verb->name, esc_name(q->name), q->limitname, q->limit);
	if (errno == EIDRM)
		errx(1, "%s %s: the queue was removed", opt.verb->name,
		    esc_name(q->name));
	if (errno == ENOSYS)
		errx(1, "%s %s: the kernel lacks MSG_COPY "
		    "(CONFIG_CHECKPOINT_RESTORE): cannot read a message "
		    "without taking it", opt.verb->name, esc_name(q->name));
	err(1, "%s %s", opt.verb->name, esc_name(q->name));
}

static int
q_take(void *arg, const char **p, size_t *len, intmax_t *meta)
{
	struct q *q = arg;

	deadline_set(&q->d, opt.timeout);
	if (q->fl->recv(q) == -1)
		return -1;
	*p = q->msg;
	*len = q->len;
	*meta = q->meta;
	return 0;
}

/* recv -e: a message there now into fd; a removed queue is EIDRM */
static int
q_worktake(void *arg, int fd, intmax_t *meta)
{
	struct q *q = arg;

	if (q->fl->trynow(q) == -1)
		return -1;
	*meta = q->meta;
	return copy_write(fd, q->msg, q->len, NULL, NULL);
}

static int
q_work(struct q *q)
{
	struct worker w = { .name = q->name, .cmd = opt.exec,
	    .metaenv = q->fl->metaenv, .fd = q->fl->pollfd(q),
	    .kill = opt.val[OPT_KILL] != NULL,
	    .stop = opt.val[OPT_STOP] != NULL, .count = opt.count,
	    .follow = opt.follow, .timeout = opt.timeout, .take = q_worktake,
	    .arg = q };

	return worker_run(&w);
}

static int
cmd_recv(int argc, char *argv[])
{
	struct q q = { .want = 0 };
	struct msgfmt fmt;
	struct msgsrc src;
	const char *arg;
	int i, rc;

	i = opt_parse(argc, argv,
	    "timeout count follow null raw verbose json sysv exec kill stop",
	    recv_opts);
	arg = opt_operand(argc, argv, i, object());
	q.fl = pick();
	if (opt.val['T'] != NULL)
		q.want = (long)num_int(opt.val['T'], "-T", -LONG_MAX,
		    LONG_MAX);
	q.fl->open(&q, arg, Q_RECV);
	fmt = (struct msgfmt)MSGFMT_ASKED;
	src = (struct msgsrc){ .name = q.name, .meta = q.fl->meta,
	    .take = q_take, .putback = q.fl->putback, .arg = &q,
	    .backto = q.fl->backto };
	if ((rc = opt.exec ? q_work(&q) :
	    msgout_recv(&src, &fmt, opt.count, opt.follow)) == -1)
		recv_failed(&q);
	free(q.buf);
	return rc;
}

/* -S only: a POSIX queue is refused for that, whatever else is given */
static int
cmd_peek(int argc, char *argv[])
{
	struct meta m = { NULL, NULL, 0 };
	struct msgfmt fmt;
	struct q q = { .want = 0 };
	const char *arg;
	uintmax_t n, shown = 0;
	long type = 0;
	int i;

	i = opt_parse(argc, argv, "count null raw verbose json sysv",
	    peek_opts);
	arg = opt_operand(argc, argv, i, "KEY");	/* -S only */
	q.fl = (const struct mqflavour *)flavour_of(flavours, opt.val);
	m.key = q.fl->meta;
	if (q.fl->peek == NULL)
		errx(EXIT_USAGE, "peek %s: the kernel cannot read a POSIX "
		    "queue without taking the message; a System V queue (-S) "
		    "it can",
		    esc_name(arg));
	if (opt.val['T'] != NULL)
		type = (long)num_int(opt.val['T'], "-T", -LONG_MAX, LONG_MAX);
	q.fl->open(&q, arg, Q_RECV);
	stdout_name(q.name);
	fmt = (struct msgfmt)MSGFMT_ASKED;
	for (n = 0; opt.count == 0 || shown < opt.count; n++) {
		q.want = (long)n;	/* MSG_COPY: the index, not a type */
		if (q.fl->peek(&q) == -1) {
			if (errno == ENOMSG)
				break;
			recv_failed(&q);
		}
		/* -T as msgrcv has it: that type, or (negative) up to it */
		if (type > 0 ? q.meta != type : type < 0 && q.meta > -type)
			continue;
		m.num = q.meta;
		msgout(&fmt, &m, 1, q.msg, q.len);
		shown++;
	}
	msgout_flush();
	free(q.buf);
	return 0;
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
	struct deadline d;
	int i = opt_parse(argc, argv, "timeout output json sysv wait",
	    stat_opts);
	const char *arg = opt_operand(argc, argv, i, object());

	return flavour_stat(&pick()->fl, arg, TABLE_ASKED, WAIT_ASKED(&d));
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
	    "create [-S] [-m MODE] [-x [--any-owner]] [-M MAXMSG] [-s SIZE] "
	    "NAME|KEY" },
	{ "send", cmd_send,
	    "send [-S] [-p PRIO|-T TYPE] [-t DUR] [-l|-0] NAME|KEY [MSG...]" },
	{ "recv", cmd_recv,
	    "recv [-S] [-T TYPE] [-t DUR] [-c N|-f] [-v] [-0|-r] [-j] "
	    "[-e CMD [--kill] [--stop]] NAME|KEY" },
	{ "peek", cmd_peek, "peek -S [-T TYPE] [-c N] [-v] [-0|-r] [-j] KEY" },
	{ "rm", cmd_rm, "rm [-S] [-f] NAME|KEY..." },
	{ "stat", cmd_stat, "stat [-S] [-o LIST] [-j] [--wait [-t DUR]] NAME|KEY" },
	{ "ls", cmd_ls, "ls [-S] [-H] [--notruncate] [-o LIST] [-j] [--pid PID]" },
	{ NULL, NULL, NULL }
};

int
main(int argc, char *argv[])
{
	return verb_main(verbs, argc, argv);
}
