/* ipc-mq: POSIX message queues; System V message queues with -S. */
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
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
#define SV_PROC		"/proc/sysvipc/msg"
/* the kernel's own ceilings (HARD_MSGMAX, HARD_MSGSIZEMAX): past them a
 * size is absurd, not merely over this machine's sysctl */
#define HARD_MSGMAX	65536
#define HARD_MSGSIZEMAX	(16 * 1024 * 1024)

static const struct optdef create_opts[] = {
	{ 'q', "maxmsg", "MAXMSG", "messages the queue holds (POSIX)" },
	{ 's', "size", "SIZE",
	    "largest message (POSIX), bytes the queue holds (-S)" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef send_opts[] = {
	{ 'p', "priority", "PRIO", "priority, 0 (default) to 32767 (POSIX)" },
	{ 'T', "type", "TYPE", "message type, 1 (default) or more (-S)" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef recv_opts[] = {
	{ 'T', "type", "TYPE",
	    "-S: 0 any (default), N only type N, -N lowest type up to N" },
	{ 0, NULL, NULL, NULL }
};

enum { P_NAME, P_MAXMSG, P_MSGSIZE, P_CURMSGS, P_QSIZE, P_MODE, P_OWNER,
	P_GROUP, P_NOTIFY, P_HOLDERS };

static const struct col pcols[] = {
	{ "name", COL_STR, 1 },
	{ "maxmsg", COL_NUM, 1 },
	{ "msgsize", COL_NUM, 1 },
	{ "curmsgs", COL_NUM, 1 },
	{ "qsize", COL_NUM, 1 },
	{ "mode", COL_STR, 1 },
	{ "owner", COL_STR, 1 },
	{ "group", COL_STR, 0 },
	{ "notify_pid", COL_NUM, 0 },
	{ "holders", COL_PIDS, 1 },
	{ NULL, 0, 0 }
};

enum { S_KEY, S_ID, S_QNUM, S_QBYTES, S_CBYTES, S_LSPID, S_LRPID, S_STIME,
	S_RTIME, S_CTIME, S_MODE, S_OWNER, S_GROUP };

static const struct col scols[] = {
	{ "key", COL_STR, 1 },
	{ "id", COL_NUM, 1 },
	{ "qnum", COL_NUM, 1 },
	{ "qbytes", COL_NUM, 1 },
	{ "cbytes", COL_NUM, 1 },
	{ "lspid", COL_NUM, 1 },
	{ "lrpid", COL_NUM, 1 },
	{ "stime", COL_STR, 0 },
	{ "rtime", COL_STR, 0 },
	{ "ctime", COL_STR, 0 },
	{ "mode", COL_STR, 1 },
	{ "owner", COL_STR, 1 },
	{ "group", COL_STR, 0 },
	{ NULL, 0, 0 }
};

/* the queue a send, recv or peek works on, of either flavour */
struct q {
	char pname[NAME_BUF];
	const char *name;		/* as messages show it */
	mqd_t mqd;			/* POSIX */
	int id, flags;			/* System V: msgsnd/msgrcv flags */
	long type;			/* System V: -T */
	unsigned prio;			/* POSIX: -p */
	size_t limit;			/* the largest message */
	const char *limitname;		/* and where that limit comes from */
	char *buf;			/* System V: mtype, then the text */
	const char *msg;		/* the message */
	size_t len;
	intmax_t meta;			/* a received one's priority or type */
	int (*put)(struct q *);
	int (*get)(struct q *);
};

/* the one operand a verb takes */
static const char *
operand(int argc, char *argv[], int i)
{
	if (i == argc)
		usage_error(opt.sysv ? "missing KEY" : "missing NAME");
	if (argc - i > 1)
		usage_error("too many operands");
	opt.obj = argv[i];	/* what a failed stdout names */
	return argv[i];
}

/* -p and -q are POSIX's, -T is System V's */
static void
flavour(const char *posix, const char *sysv)
{
	for (; *posix != '\0'; posix++)
		if (opt.sysv && opt.val[(unsigned char)*posix] != NULL)
			usage_error("-%c is for POSIX queues, not with -S",
			    *posix);
	for (; *sysv != '\0'; sysv++)
		if (!opt.sysv && opt.val[(unsigned char)*sysv] != NULL)
			usage_error("-%c needs -S (System V)", *sysv);
}

static void
json_alone(void)
{
	if (opt.json && (opt.null || opt.raw))
		usage_error("-j excludes -0 and -r");
}

static void
sv_key(const char *arg, struct sysvkey *k)
{
	name_key(arg, k);
	if (k->kind == KEY_PRIVATE)
		usage_error("'private' names a new queue, at create only");
}

/* a key's or id:N's queue id; -1 with ENOENT where there is none */
static int
sv_lookup(const struct sysvkey *k)
{
	struct msqid_ds ds;

	if (k->kind == KEY_KEY)
		return msgget(k->key, 0);
	if (msgctl(k->id, IPC_STAT, &ds) == -1 &&
	    (errno == EINVAL || errno == EIDRM)) {
		errno = ENOENT;
		return -1;
	}
	return k->id;
}

static uintmax_t
limit_of(const char *path)
{
	uintmax_t v;

	if (sysctl_num(path, &v) == -1)
		err(1, "%s", esc_name(path));
	return v;
}

/* the mode exactly as given: the umask does not narrow it */
static mqd_t
px_mkqueue(const char *name, const struct mq_attr *a)
{
	mode_t old = umask(0);
	mqd_t q;
	int e;

	q = mq_open(name, O_RDONLY | O_CREAT | O_EXCL,
	    opt.has_mode ? opt.mode : 0600, a->mq_maxmsg ? a : NULL);
	e = errno;
	umask(old);
	errno = e;
	return q;
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

	if (e == EINVAL && opt.val['q'] != NULL && (uintmax_t)a->mq_maxmsg >
	    (max = limit_of(MQ_LIMIT "msg_max")))
		errx(1, "create %s: -q %s is over %smsg_max (%ju)", esc_name(name),
		    opt.val['q'], MQ_LIMIT, max);
	if (e == EINVAL && opt.val['s'] != NULL && (uintmax_t)a->mq_msgsize >
	    (max = limit_of(MQ_LIMIT "msgsize_max")))
		errx(1, "create %s: -s %s is over %smsgsize_max (%ju)", esc_name(name),
		    opt.val['s'], MQ_LIMIT, max);
	if (e == ENOSPC)
		errx(1, "create %s: %s (%squeues_max is %ju)", esc_name(name),
		    strerror(e), MQ_LIMIT, limit_of(MQ_LIMIT "queues_max"));
	if (e == EMFILE && getrlimit(RLIMIT_MSGQUEUE, &rl) == 0)
		errx(1, "create %s: the user's queues would need more than "
		    "RLIMIT_MSGQUEUE (ulimit -q: %ju bytes)", esc_name(name),
		    (uintmax_t)rl.rlim_cur);
	errno = e;
	err(1, "create %s", esc_name(name));
}

static int
px_create(const char *arg)
{
	const char *q = opt.val['q'], *s = opt.val['s'];
	struct mq_attr a = { 0 };
	char name[NAME_BUF];
	mqd_t mqd;

	if (q != NULL)
		a.mq_maxmsg = (long)num_uint(q, "-q", 1, HARD_MSGMAX);
	if (s != NULL)
		a.mq_msgsize = (long)num_size(s, "-s", 1, HARD_MSGSIZEMAX);
	name_posix(arg, name);
	/* one of the two given: the other as the kernel would default it */
	if (q == NULL && s != NULL)
		a.mq_maxmsg = (long)limit_of(MQ_LIMIT "msg_default");
	if (s == NULL && q != NULL)
		a.mq_msgsize = (long)limit_of(MQ_LIMIT "msgsize_default");
	if ((mqd = px_mkqueue(name, &a)) != (mqd_t)-1)
		mq_close(mqd);
	else if (errno != EEXIST || !opt.exist_ok)
		px_create_failed(name, &a);
	return 0;
}

/* raise or lower a new queue's qbytes; past msgmnb needs privilege */
static void
sv_qbytes(const char *arg, int id, uintmax_t qbytes)
{
	struct msqid_ds ds;
	int e;

	if (msgctl(id, IPC_STAT, &ds) == 0) {
		ds.msg_qbytes = (msglen_t)qbytes;
		if (msgctl(id, IPC_SET, &ds) == 0)
			return;
	}
	e = errno;
	msgctl(id, IPC_RMID, NULL);	/* nothing half-made stays */
	if (e == EPERM && qbytes > limit_of(SV_LIMIT "msgmnb"))
		errx(1, "create %s: -s %s is over %smsgmnb (%ju)", esc_name(arg),
		    opt.val['s'], SV_LIMIT, limit_of(SV_LIMIT "msgmnb"));
	errno = e;
	err(1, "create %s", esc_name(arg));
}

/* a private queue's id is its only name: one nobody was told is removed */
static void
sv_print_id(int id)
{
	int e;

	printf("%d\n", id);
	if (fflush(stdout) == 0 && !ferror(stdout))
		return;
	e = errno;
	msgctl(id, IPC_RMID, NULL);
	errno = e;
	stdout_check();
	exit(1);
}

static int
sv_create(const char *arg)
{
	struct sysvkey k;
	uintmax_t qbytes = 0;
	int id, e;

	if (opt.val['s'] != NULL)
		qbytes = num_size(opt.val['s'], "-s", 1, INT_MAX);
	name_key(arg, &k);
	if (k.kind == KEY_ID)
		usage_error("'%s': create takes a key or 'private', not an id",
		    arg);
	id = msgget(k.key, IPC_CREAT | IPC_EXCL |
	    (int)(opt.has_mode ? opt.mode : 0600));
	if (id == -1 && errno == EEXIST && opt.exist_ok)
		return 0;
	if (id == -1 && (e = errno) == ENOSPC)
		errx(1, "create %s: %s (%smsgmni is %ju)", esc_name(arg), strerror(e),
		    SV_LIMIT, limit_of(SV_LIMIT "msgmni"));
	if (id == -1)
		err(1, "create %s", esc_name(arg));
	if (qbytes > 0)
		sv_qbytes(arg, id, qbytes);
	if (k.kind == KEY_PRIVATE)
		sv_print_id(id);
	return 0;
}

static int
q_create(int argc, char *argv[])
{
	const char *arg;
	int i;

	i = opt_parse(argc, argv, "mode exist-ok sysv", create_opts);
	arg = operand(argc, argv, i);
	flavour("q", "");
	return opt.sysv ? sv_create(arg) : px_create(arg);
}

/* mq_send or mq_receive on a non-blocking queue: 0, or -1 (EAGAIN) */
static int
px_trysend(struct q *q)
{
	return mq_send(q->mqd, q->msg, q->len, q->prio);
}

static int
px_tryrecv(struct q *q)
{
	unsigned prio;
	ssize_t n;

	if ((n = mq_receive(q->mqd, q->buf, q->limit, &prio)) == -1)
		return -1;
	q->msg = q->buf;
	q->len = (size_t)n;
	q->meta = prio;
	return 0;
}

/*
 * try(q) until it does not fail with EAGAIN, waiting in poll(2) for the
 * queue to become ready in between: output so far is flushed before
 * the first wait, and the waits together are bounded by -t (ETIMEDOUT)
 */
static int
px_retry(struct q *q, int (*try)(struct q *), short ev)
{
	struct deadline d;
	int r, waited = 0;

	while ((r = try(q)) == -1 && errno == EAGAIN) {
		if (!waited) {
			msgout_flush();
			deadline_set(&d, opt.timeout);
			waited = 1;
		}
		if (wait_fd(q->mqd, ev, &d) == -1)
			return -1;
		if (ev == POLLIN)
			stdout_ready();	/* its reader may have left meanwhile */
	}
	return r;
}

static int
px_put(struct q *q)
{
	return px_retry(q, px_trysend, POLLOUT);
}

static int
px_get(struct q *q)
{
	return px_retry(q, px_tryrecv, POLLIN);
}

static int
sv_call(void *arg)
{
	struct q *q = arg;
	ssize_t n;
	long type;

	if (q->put != NULL)
		return msgsnd(q->id, q->buf, q->len, q->flags);
	n = msgrcv(q->id, q->buf, q->limit, q->type, q->flags);
	if (n == -1)
		return -1;
	memcpy(&type, q->buf, sizeof(long));
	q->meta = type;
	q->msg = q->buf + sizeof(long);
	q->len = (size_t)n;
	return 0;
}

/*
 * msgsnd and msgrcv have no timeout: try without waiting, then (output
 * flushed) wait in the call itself, bounded by -t with a timer
 */
static int
sv_retry(struct q *q)
{
	struct deadline d;
	int r;

	q->flags = IPC_NOWAIT;
	if ((r = sv_call(q)) == 0 || (errno != EAGAIN && errno != ENOMSG))
		return r;
	msgout_flush();
	deadline_set(&d, opt.timeout);
	q->flags = 0;
	return wait_call(sv_call, q, &d);
}

static int
sv_put(struct q *q)
{
	memcpy(q->buf + sizeof(long), q->msg, q->len);
	return sv_retry(q);
}

static void
px_prepare(struct q *q, const char *arg, int flags)
{
	struct mq_attr a;

	name_posix(arg, q->pname);
	q->name = q->pname;
	/* a receiver writes too where it may: to give back what it took */
	q->mqd = (mqd_t)-1;
	if (flags == O_RDONLY)
		q->mqd = mq_open(q->name, O_RDWR | O_NONBLOCK);
	if (q->mqd == (mqd_t)-1)
		q->mqd = mq_open(q->name, flags | O_NONBLOCK);
	if (q->mqd == (mqd_t)-1 || mq_getattr(q->mqd, &a) == -1)
		err(1, "%s %s", opt.verb->name, esc_name(q->name));
	q->limit = (size_t)a.mq_msgsize;
	q->limitname = "msgsize";
	if (flags == O_RDONLY && (q->buf = malloc(q->limit)) == NULL)
		err(1, NULL);
}

/* System V: a message's limit is msgmax, and the queue's qbytes */
static void
sv_prepare(struct q *q, const char *arg)
{
	struct msqid_ds ds;
	struct sysvkey k;

	sv_key(arg, &k);
	q->name = arg;
	if ((q->id = sv_lookup(&k)) == -1)
		err(1, "%s %s", opt.verb->name, esc_name(arg));
	q->limit = limit_of(SV_LIMIT "msgmax");
	q->limitname = "msgmax";
	if (q->put != NULL && msgctl(q->id, IPC_STAT, &ds) == 0 &&
	    ds.msg_qbytes < q->limit) {
		q->limit = ds.msg_qbytes;
		q->limitname = "qbytes";
	}
	if ((q->buf = malloc(sizeof(long) + q->limit)) == NULL)
		err(1, NULL);
	memcpy(q->buf, &q->type, sizeof(long));
}

static void
too_long(const struct q *q, const char *what, uintmax_t n, size_t len)
{
	msgin_too_long(q->name, what, n, len, NULL, q->limitname, q->limit);
}

static void
put_failed(const struct q *q)
{
	if (errno == ETIMEDOUT)
		errx(EXIT_TIMEOUT, "send %s: timed out waiting for room",
		    esc_name(q->name));
	err(1, "send %s", esc_name(q->name));
}

/* stdin could not be read, or held a message too long to send */
static void
input_failed(const struct q *q, const struct msgin *m)
{
	if (errno != EMSGSIZE)
		err(1, "send %s: stdin", esc_name(q->name));
	too_long(q, m->mode == MSGIN_LINES ? "line" : m->mode == MSGIN_NUL ?
	    "record" : NULL, m->n, m->toolong);
}

/* every operand is checked before the first is sent */
static int
send_all(struct q *q, char **operands)
{
	struct msgin m;
	size_t len;
	int i, r;

	for (i = 0; operands[i] != NULL; i++)
		if ((len = strlen(operands[i])) > q->limit)
			too_long(q, NULL, 0, len);
	if (msgin_init(&m, operands, q->limit) == -1)
		err(1, "send %s", esc_name(q->name));
	while ((r = msgin_next(&m, &q->msg, &q->len)) == 1)
		if (q->put(q) == -1)
			put_failed(q);
	if (r == -1)
		input_failed(q, &m);
	msgin_free(&m);
	return 0;
}

static int
q_send(int argc, char *argv[])
{
	struct q q = { .type = 1 };
	int i, rc;

	i = opt_parse(argc, argv, "timeout lines null sysv", send_opts);
	if (i == argc)
		usage_error(opt.sysv ? "missing KEY" : "missing NAME");
	flavour("p", "T");
	if (opt.val['p'] != NULL)
		q.prio = (unsigned)num_uint(opt.val['p'], "-p", 0,
		    (uintmax_t)sysconf(_SC_MQ_PRIO_MAX) - 1);
	if (opt.val['T'] != NULL)
		q.type = (long)num_uint(opt.val['T'], "-T", 1, LONG_MAX);
	if (opt.sysv) {
		q.put = sv_put;
		sv_prepare(&q, argv[i]);
	} else {
		q.put = px_put;
		px_prepare(&q, argv[i], O_WRONLY);
	}
	rc = send_all(&q, argv + i + 1);
	free(q.buf);
	return rc;
}

static void
recv_failed(const struct q *q)
{
	if (errno == E2BIG)
		errx(1, "%s %s: a message is larger than %s (%zu bytes)",
		    opt.verb->name, esc_name(q->name), q->limitname, q->limit);
	if (errno == ENOSYS)
		errx(1, "%s %s: the kernel lacks MSG_COPY "
		    "(CONFIG_CHECKPOINT_RESTORE): cannot read a message "
		    "without taking it", opt.verb->name, esc_name(q->name));
	err(1, "%s %s", opt.verb->name, esc_name(q->name));
}

/* a message taken but never written out goes back, without waiting */
static int
px_putback(void *arg, intmax_t prio, const char *p, size_t len)
{
	struct q *q = arg;

	return mq_send(q->mqd, p, len, (unsigned)prio);
}

static int
sv_putback(void *arg, intmax_t type, const char *p, size_t len)
{
	struct q *q = arg;
	long t = (long)type;

	memcpy(q->buf, &t, sizeof(long));
	memmove(q->buf + sizeof(long), p, len);
	return msgsnd(q->id, q->buf, len, IPC_NOWAIT);
}

static int
recv_all(struct q *q)
{
	struct meta m = { opt.sysv ? "type" : "priority", NULL, 0 };
	uintmax_t got = 0, want = opt.count ? opt.count : 1;

	opt.obj = q->name;
	msgout_putback(opt.sysv ? sv_putback : px_putback, q);
	stdout_ready();		/* nothing is taken that cannot be written */
	while (opt.follow || got < want) {
		if (q->get(q) == -1) {
			if (errno == ETIMEDOUT)	/* flushes, q still here */
				return msgout_timeout(q->name, got);
			recv_failed(q);
		}
		m.num = q->meta;
		msgout(&m, 1, q->msg, q->len);
		got++;
	}
	msgout_flush();		/* while q can still take back what fails */
	msgout_putback(NULL, NULL);
	return 0;
}

static int
q_recv(int argc, char *argv[])
{
	struct q q = { .type = 0 };
	const char *arg;
	int i, rc;

	i = opt_parse(argc, argv,
	    "timeout count follow null raw verbose json sysv", recv_opts);
	arg = operand(argc, argv, i);
	flavour("", "T");
	json_alone();
	if (opt.val['T'] != NULL)
		q.type = (long)num_int(opt.val['T'], "-T", -LONG_MAX,
		    LONG_MAX);
	if (opt.sysv) {
		q.get = sv_retry;
		sv_prepare(&q, arg);
	} else {
		q.get = px_get;
		px_prepare(&q, arg, O_RDONLY);
	}
	rc = recv_all(&q);
	free(q.buf);
	return rc;
}

/* MSG_COPY reads the message at an index and leaves it where it is */
static int
q_peek(int argc, char *argv[])
{
	struct meta m = { "type", NULL, 0 };
	struct q q = { .type = 0 };
	const char *arg;
	uintmax_t n;
	int i;

	i = opt_parse(argc, argv, "count null raw verbose json sysv", NULL);
	arg = operand(argc, argv, i);
	if (!opt.sysv)
		usage_error("needs -S: a POSIX queue cannot be read without "
		    "taking the message");
	json_alone();
	sv_prepare(&q, arg);
	opt.obj = q.name;
	for (n = 0; opt.count == 0 || n < opt.count; n++) {
		q.type = (long)n;	/* MSG_COPY: the index, not a type */
		q.flags = MSG_COPY | IPC_NOWAIT;
		if (sv_call(&q) == -1) {
			if (errno == ENOMSG)
				break;
			recv_failed(&q);
		}
		m.num = q.meta;
		msgout(&m, 1, q.msg, q.len);
	}
	free(q.buf);
	return 0;
}

static int
px_rm(const char *arg)
{
	char name[NAME_BUF];

	name_posix(arg, name);
	if (mq_unlink(name) == 0 || (errno == ENOENT && opt.force))
		return 0;
	warn("rm %s", esc_name(name));
	return 1;
}

static int
sv_rm(const char *arg)
{
	struct sysvkey k;
	int id;

	sv_key(arg, &k);
	if ((id = sv_lookup(&k)) != -1 && msgctl(id, IPC_RMID, NULL) == 0)
		return 0;
	if (errno == EINVAL || errno == EIDRM)
		errno = ENOENT;		/* gone since we looked */
	if (errno == ENOENT && opt.force)
		return 0;
	warn("rm %s", esc_name(arg));
	return 1;
}

static int
q_rm(int argc, char *argv[])
{
	struct sysvkey k;
	char name[NAME_BUF];
	int i, j, rc = 0;

	i = opt_parse(argc, argv, "force sysv", NULL);
	if (i == argc)
		usage_error(opt.sysv ? "missing KEY" : "missing NAME");
	for (j = i; j < argc; j++) {
		if (opt.sysv)
			sv_key(argv[j], &k);
		else
			name_posix(argv[j], name);
	}
	for (; i < argc; i++)
		rc |= opt.sysv ? sv_rm(argv[i]) : px_rm(argv[i]);
	return rc;
}

/* size and notification: mq_getattr, and what read(2) of the queue says */
static void
px_cells(struct table *t, int fd)
{
	unsigned long qsize;
	int notify, signo, pid;
	struct mq_attr a;
	char buf[160];
	ssize_t n;

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
	char path[sizeof(MQ_DIR) + NAME_BUF];
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
	snprintf(path, sizeof(path), "%s%s", MQ_DIR, name);
	if (stat(path, st) == -1) {
		errno = EACCES;
		return -1;
	}
	return NOQUEUE;
}

static void
px_row(struct table *t, const struct holders *hs, const char *name, int fd,
    const struct stat *st)
{
	char *h;

	table_row(t);
	table_set(t, P_NAME, "%s", name);
	table_set(t, P_MODE, "%04o", (unsigned)(st->st_mode & 07777));
	table_owner(t, P_OWNER, P_GROUP, st->st_uid, st->st_gid);
	if (fd != NOQUEUE)
		px_cells(t, fd);
	if (hs != NULL) {
		h = holders_str(hs, st->st_dev, st->st_ino, HOLD_ANY);
		table_set(t, P_HOLDERS, "%s", h);
		free(h);
	}
}

static int
same_queue(const struct stat *st, void *arg)
{
	const struct stat *q = arg;

	return st->st_dev == q->st_dev && (q->st_ino == 0 ||
	    st->st_ino == q->st_ino);
}

/*
 * The processes that hold the queue open (st_ino 0: any queue on the
 * filesystem), or NULL where no holders column is shown. A queue's
 * descriptor leads to its inode on the mqueue filesystem, as
 * /dev/mqueue's entries do.
 */
static struct holders *
px_holders(struct holders *hs, const struct table *t, struct stat *on)
{
	if (!table_shows(t, P_HOLDERS))
		return NULL;
	proc_scan_fds(hs, same_queue, on);
	holders_note(hs, "holders");
	return hs;
}

static void
px_stat(struct table *t, const char *arg)
{
	struct holders hs = { 0 };
	char name[NAME_BUF];
	struct stat st;
	int fd;

	name_posix(arg, name);
	if ((fd = px_look(name, &st)) == -1)
		err(1, "stat %s", esc_name(name));
	px_row(t, px_holders(&hs, t, &st), name, fd, &st);
	if (fd >= 0)
		mq_close(fd);
	holders_free(&hs);
}

static void
px_ls(struct table *t)
{
	struct holders hs = { 0 }, *h;
	struct stat dir, st;
	struct statfs fs;
	char **names, name[NAME_BUF];
	size_t n, i;
	int fd;

	if (statfs(MQ_DIR, &fs) == -1 || fs.f_type != MQUEUE_MAGIC ||
	    stat(MQ_DIR, &dir) == -1)
		errx(1, "ls: %s is not mounted: as root, run: mount -t mqueue "
		    "none %s", MQ_DIR, MQ_DIR);
	if ((names = dir_names(MQ_DIR, &n)) == NULL)
		err(1, "ls %s", MQ_DIR);
	dir.st_ino = 0;
	h = px_holders(&hs, t, &dir);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "/%s", names[i]);
		if ((fd = px_look(name, &st)) == -1)
			continue;	/* gone since the listing */
		px_row(t, h, name, fd, &st);
		if (fd >= 0)
			mq_close(fd);
	}
	dir_names_free(names, n);
	holders_free(&hs);
}

static void
sv_row(struct table *t, int id, const struct msqid_ds *ds, int qbytes)
{
	table_row(t);
	table_set(t, S_KEY, "0x%08x", (unsigned)ds->msg_perm.__key);
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
	table_set(t, S_MODE, "%04o", (unsigned)(ds->msg_perm.mode & 0777));
	table_owner(t, S_OWNER, S_GROUP, ds->msg_perm.uid, ds->msg_perm.gid);
}

/* a /proc/sysvipc/msg line: all msgctl would say but qbytes */
static int
sv_parse(const char *line, struct msqid_ds *ds, int *id)
{
	long long st, rt, ct;
	unsigned long cb, qn;
	unsigned mode, uid, gid;
	int key, sp, rp;

	memset(ds, 0, sizeof(*ds));
	if (sscanf(line, "%d %d %o %lu %lu %d %d %u %u %*u %*u %lld %lld %lld",
	    &key, id, &mode, &cb, &qn, &sp, &rp, &uid, &gid, &st, &rt,
	    &ct) != 12)
		return -1;
	ds->msg_perm.__key = key;
	ds->msg_perm.mode = (unsigned short)mode;
	ds->msg_perm.uid = uid;
	ds->msg_perm.gid = gid;
	ds->msg_cbytes = cb;
	ds->msg_qnum = qn;
	ds->msg_lspid = sp;
	ds->msg_lrpid = rp;
	ds->msg_stime = (time_t)st;
	ds->msg_rtime = (time_t)rt;
	ds->msg_ctime = (time_t)ct;
	return 0;
}

/* each queue in /proc/sysvipc/msg, or the one with id only (-1: all) */
static int
sv_scan(struct table *t, int only)
{
	struct msqid_ds ds, full;
	char *line = NULL;
	size_t cap = 0;
	int id, found = 0;
	FILE *f;

	if ((f = fopen(SV_PROC, "re")) == NULL)
		err(1, "%s: %s", opt.verb->name, SV_PROC);
	while (getline(&line, &cap, f) != -1) {
		if (sv_parse(line, &ds, &id) == -1 ||
		    (only != -1 && id != only))
			continue;
		/* msgctl has qbytes too, where we may read the queue */
		if (msgctl(id, IPC_STAT, &full) == 0)
			sv_row(t, id, &full, 1);
		else
			sv_row(t, id, &ds, 0);
		found++;
	}
	free(line);
	fclose(f);
	return found;
}

static void
sv_stat(struct table *t, const char *arg)
{
	struct msqid_ds ds;
	struct sysvkey k;
	int id;

	sv_key(arg, &k);
	if ((id = sv_lookup(&k)) == -1)
		err(1, "stat %s", esc_name(arg));
	if (msgctl(id, IPC_STAT, &ds) == 0)
		sv_row(t, id, &ds, 1);
	else if (errno != EACCES || sv_scan(t, id) == 0)
		err(1, "stat %s", esc_name(arg));
}

static int
q_stat(int argc, char *argv[])
{
	struct table t;
	const char *arg;
	int i;

	i = opt_parse(argc, argv, "output json sysv", NULL);
	arg = operand(argc, argv, i);
	table_init(&t, opt.sysv ? scols : pcols, 0);
	if (opt.sysv)
		sv_stat(&t, arg);
	else
		px_stat(&t, arg);
	table_print_kv(&t);
	table_free(&t);
	return 0;
}

static int
q_ls(int argc, char *argv[])
{
	struct table t;
	int i;

	i = opt_parse(argc, argv, "output no-header json sysv", NULL);
	if (i != argc)
		usage_error("too many operands");
	table_init(&t, opt.sysv ? scols : pcols, 1);
	if (opt.sysv)
		sv_scan(&t, -1);
	else
		px_ls(&t);
	table_print(&t);
	table_free(&t);
	return 0;
}

static const struct verb verbs[] = {
	{ "create", q_create,
	    "create [-S] [-m MODE] [-x] [-q MAXMSG] [-s SIZE] NAME|KEY" },
	{ "send", q_send,
	    "send [-S] [-p PRIO|-T TYPE] [-t DUR] [-l|-0] NAME|KEY [MSG...]" },
	{ "recv", q_recv,
	    "recv [-S] [-T TYPE] [-t DUR] [-c N|-f] [-v] [-0|-r] [-j] "
	    "NAME|KEY" },
	{ "peek", q_peek, "peek -S [-c N] [-v] [-0|-r] [-j] KEY" },
	{ "rm", q_rm, "rm [-S] [-f] NAME|KEY..." },
	{ "stat", q_stat, "stat [-S] [-o LIST] [-j] NAME|KEY" },
	{ "ls", q_ls, "ls [-S] [-H] [-o LIST] [-j]" },
	{ NULL, NULL, NULL }
};

int
main(int argc, char *argv[])
{
	return verb_main(verbs, argc, argv);
}
