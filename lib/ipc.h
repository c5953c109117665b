/* ipc-tools: the shared API every command includes. */
#ifndef IPC_H
#define IPC_H

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

#ifndef IPC_VERSION			/* from the file VERSION, by the Makefile */
#error "IPC_VERSION is not defined: build with make"
#endif
#define EXIT_USAGE	2
#define EXIT_TIMEOUT	124
#define TIMEOUT_NONE	(-1)		/* no -t: wait forever */
/* what create adds to "File exists" */
#define EXISTS_HINT	"-x: succeed if it already exists"

/* what an existing object's other owner is answered with */
#define ADOPT_HINT	"--any-owner takes another user's"

/* verb.c: a command is a table of verbs */
struct verb {
	const char *name;
	int (*fn)(int, char **);
	const char *usage;		/* "send [-t DUR] PATH [MSG...]" */
};
int	 verb_main(const struct verb *, int, char **);

/* verbname.c: the running verb's name, for messages; verb_main sets it */
extern const char *verb_name;

/* usage.c: a usage error, the verb's usage after it (usage_set), exit 2 */
void	 usage_set(const char *);
void	 usage_error(const char *, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));

/* opt.c: the shared options, one meaning per letter */
/* these exit on failure: opt_parse, opt_operand, opt_each */
enum {
	OPT_LONG = 256,			/* first code of a long-only option */
	OPT_KILL = OPT_LONG + 60,	/* shared long-only ones: the last codes */
	OPT_STOP,
	OPT_PID,			/* ls --pid PID */
	OPT_NS,				/* --ns PID, every verb */
	OPT_WAIT,			/* stat --wait */
	OPT_PROGRESS,			/* --progress on the bulk verbs */
	OPT_ANYOWNER,			/* -x, run -i: another user's will do */
	OPT_NOTRUNC,			/* ls: no cell cut to the terminal */
	OPT_NCODES = 320,
	OPT_ARGS = 64			/* arguments kept of repeated options */
};
struct optdef {
	int code;			/* the letter, or OPT_LONG + n */
	const char *name;		/* long name */
	const char *arg;		/* argument's name, NULL for a flag */
	const char *help;
};
struct opts {
	const struct verb *verb;	/* the running verb */
	const struct optdef *extra;	/* its command's own options */
	int64_t timeout;		/* ns, or TIMEOUT_NONE */
	uintmax_t count;		/* -c N, 0 if absent */
	int follow, force, lines, null, raw, verbose;
	int exist_ok, sysv, noheader, json, has_mode;
	pid_t pid;			/* ls --pid: only what it holds; 0: all */
	int wait;			/* stat --wait */
	int progress;			/* --progress */
	int any_owner;			/* --any-owner */
	int notruncate;			/* --notruncate */
	mode_t mode;
	const char *output;
	const char *exec;		/* recv -e CMD */
	const char *what;		/* -h or -V as given, before any verb */
	const char *val[OPT_NCODES];	/* other options by code; flags: "" */
	int ndashed;			/* operands after --, the last; -1: no -- */
	size_t nargs;			/* every option's argument, in order */
	struct { int code; const char *arg; } args[OPT_ARGS];
};
extern struct opts opt;
int	 opt_parse(int, char **, const char *, const struct optdef *);
const char *opt_operand(int, char **, int, const char *);
size_t	 opt_all(int, const char **, size_t);
int	 opt_each(int, char **, int, const char *, void (*)(const char *),
	    int (*)(const char *));

/* num.c: numbers, sizes, durations, modes; usage error when malformed */
/* these exit on failure: num_uint, num_int, num_size, num_dur, num_mode */
uintmax_t num_uint(const char *, const char *, uintmax_t, uintmax_t);
intmax_t num_int(const char *, const char *, intmax_t, intmax_t);
uintmax_t num_size(const char *, const char *, uintmax_t, uintmax_t);
int64_t	 num_dur(const char *, const char *);
mode_t	 num_mode(const char *, const char *);

/* name.c: POSIX names and System V keys */
/* these exit on failure: name_posix, name_key */
#define NAME_BUF	258		/* "/" + NAME_MAX + NUL */
void	 name_posix(const char *, char *);
enum { KEY_KEY, KEY_ID, KEY_PRIVATE };
struct sysvkey {
	int kind;
	key_t key;
	int id;
};
void	 name_key(const char *, struct sysvkey *);

/* deadline.c: a -t bound as a time on the monotonic clock */
struct deadline {
	int64_t at;			/* CLOCK_MONOTONIC ns, or TIMEOUT_NONE */
	int64_t each;			/* the bound it was set from */
};
void	 deadline_set(struct deadline *, int64_t);
struct deadline deadline_again(const struct deadline *);
struct deadline deadline_cap(const struct deadline *, int64_t);
int	 deadline_ms(const struct deadline *);

/*
 * wait.c: every blocking call waits here; a timeout is -1, ETIMEDOUT.
 * wait_call's timer tells its tick from a sent SIGALRM (si_code), which
 * goes where it would have gone without it
 */
int	 wait_fd(int, short, const struct deadline *);
int	 wait_open(const char *, int, const struct deadline *);
int	 wait_call(int (*)(void *), void *, const struct deadline *);

/* fd.c: a descriptor's size, and what is left to read of it */
int	 fd_size(int, uintmax_t *);
int	 fd_left(int, uintmax_t *, uintmax_t *);

/* progress.c: --progress, one stderr line the bulk verbs keep up */
/* these exit on failure: progress_start */
#define PROGRESS_UNKNOWN	UINTMAX_MAX
void	 progress_start(int, uintmax_t, int);
void	 progress_sending(void);
void	 progress_restart(uintmax_t);
void	 progress_add(uintmax_t);
uintmax_t progress_fdsize(int);

/* copy.c: bulk copy with splice, through a pipe of its own if need be */
enum { COPY_IN = 1, COPY_OUT };
struct copy {
	const struct deadline *din;	/* each wait for input (NULL: forever) */
	const struct deadline *dout;	/* each wait for room */
	uintmax_t done;			/* bytes copied */
	uintmax_t lost;			/* read, then not written: gone */
	int failed;			/* COPY_IN or COPY_OUT, after -1 */
};
int	 copy_stream(int, int, struct copy *);
int	 copy_write(int, const char *, size_t, const struct deadline *,
	    size_t *);
void	 copy_grow(int);

/* batch.c: framed records gathered into whole-record writes */
#define BATCH_MAX	4096		/* PIPE_BUF: a write this size is atomic */
struct batch {
	int fd;
	const struct deadline *d;	/* each wait for room */
	int err;			/* errno of a failed write, kept */
	uintmax_t nrec;			/* batch_stream: records written */
	size_t toolong;			/* batch_stream: a refused record's size */
	const int *fds;			/* to ride on the first byte written */
	size_t nfds;			/* 0 once they have gone */
	uintmax_t bytes;		/* bytes written */
	size_t len;
	char buf[BATCH_MAX];
};
int	 batch_put(struct batch *, const char *, size_t, char);
int	 batch_flush(struct batch *);
int	 batch_stream(struct batch *, int, char);
uintmax_t batch_count(const char *, size_t, char);

/* a refused message's size is counted up to this; past it, "more than" */
#define TOOLONG_MAX	(1 << 20)

/* msgin.c: messages in (operands, whole stdin, -l lines, -0 records) */
/* these exit on failure: msgin_send */
enum { MSGIN_WHOLE, MSGIN_LINES, MSGIN_NUL };
struct msgin {
	char **argv;			/* operands, NULL-terminated, or NULL */
	int mode, fd, eof;
	size_t limit, cap, start, end, toolong;
	uintmax_t n;			/* messages returned so far */
	char *buf;
};
int	 msgin_init(struct msgin *, char **, size_t, int);
int	 msgin_next(struct msgin *, const char **, size_t *);
void	 msgin_free(struct msgin *);
struct msgdest {
	const char *name;		/* as messages show it */
	size_t limit;			/* the largest message */
	const char *limitname;		/* and where that limit comes from */
	int (*put)(void *, const char *, size_t); /* 0, -1 with errno */
	void *arg;
	int mode;			/* stdin: MSGIN_WHOLE, _LINES, _NUL */
};
/* what the command line asked: -l, -0 */
#define MSGIN_ASKED	(opt.lines ? MSGIN_LINES : opt.null ? MSGIN_NUL :	\
			 MSGIN_WHOLE)
void	 msgin_send(const struct msgdest *, char **);
void	 msgin_too_long(const char *, const char *, uintmax_t, size_t,
	    const char *, const char *, size_t) __attribute__((noreturn));

/* msgout.c: messages out (newline, -0 NUL, -r raw, -v metadata, -j JSON) */
/* these exit on failure (stdout failed): msgout, msgout_flush,
 * msgout_timeout, msgout_timed_out, msgout_recv */
struct meta {
	const char *key;
	const char *str;		/* NULL: the value is num */
	intmax_t num;
};
struct msgfmt {
	char term;			/* after each message: '\n', '\0' (-0) */
	int raw;			/* -r: nothing after it */
	int verbose;			/* -v: its metadata first, TAB-separated */
	int json;			/* -j: one JSON object a line */
};
/* what the command line asked: -0, -r, -v, -j */
#define MSGFMT_ASKED	{ .term = opt.null ? '\0' : '\n', .raw = opt.raw,	\
			  .verbose = opt.verbose, .json = opt.json }
void	 msgout(const struct msgfmt *, const struct meta *, size_t,
	    const char *, size_t);
void	 msgout_flush(void);
void	 msgout_putback(int (*)(void *, intmax_t, const char *, size_t),
	    void *, const char *);
int	 msgout_timeout(const char *, uintmax_t, int);
int	 msgout_timed_out(const char *, const char *, uintmax_t, const char *,
	    int);
struct msgsrc {
	const char *name;		/* as messages show it */
	const char *meta;		/* what -v prints: "priority", "type" */
	/* the next message, its bytes and metadata: 0, -1 with errno */
	int (*take)(void *, const char **, size_t *, intmax_t *);
	int (*putback)(void *, intmax_t, const char *, size_t);
	const char *backto;		/* where putback puts one: "the queue" */
	void *arg;
};
int	 msgout_recv(const struct msgsrc *, const struct msgfmt *, uintmax_t,
	    int);

/* table.c: stat's key=value lines, ls's table, and JSON, from one field list */
/* these exit on failure: table_init, table_stat, table_ls (a bad -o, --pid) */
/* COL_WORDS: text whose spaces are kept (a cell of other types is one
 * word, its spaces \040). What a cell holds, as text and as JSON:
 * COL_PIDS "12(cat),40(sh)", [{"pid":12,"command":"cat"},...];
 * COL_BOOL "yes" or "no", true or false; COL_SET "HUP,INT", ["HUP","INT"];
 * COL_NUMS "12,40", [12,40]; COL_COUNTS "pipe:2,unix:1", {"pipe":2,...}.
 * An empty cell is "-" in a table and null in JSON, but [] or {} for a
 * set. */
enum { COL_STR, COL_NUM, COL_PIDS, COL_WORDS, COL_BOOL, COL_SET, COL_NUMS,
	COL_COUNTS };
struct col {
	const char *name;
	int type;
	int ls;				/* shown by ls without -o (stat
					 * shows every field) */
	/* ls --pid: a pid in this column ties the row to the process, as
	 * this (COL_PIDS "holder", "reader"; COL_NUM "last_pid"); NULL: not */
	const char *role;
	/* the value of every row ("kind": "mq"), NULL: each row's own. Such
	 * a column is in JSON without -o (an object says what it is) and in
	 * text only when -o names it (the same word on every line) */
	const char *fixed;
};
#define TABLE_FIELDS	32		/* -o takes at most this many */
/* how a table is shown: what stat and ls were asked */
struct tablefmt {
	const char *fields;		/* -o LIST; NULL: the defaults */
	int json;			/* -j */
	int header;			/* ls: a header line (no -H) */
	pid_t pid;			/* ls --pid: only its rows; 0: all */
	int notruncate;			/* ls: never cut to a terminal's width */
};
/* what the command line asked: -o, -j, -H, --pid, --notruncate */
#define TABLE_ASKED	(&(const struct tablefmt){ .fields = opt.output, \
			.json = opt.json, .header = !opt.noheader,	\
			.pid = opt.pid, .notruncate = opt.notruncate })
struct table {
	struct tablefmt fmt;
	const struct col *cols;
	int ncols, nsel, sel[TABLE_FIELDS];
	size_t nrows, cap;
	char **cell;
	struct col *own;		/* cols and, with --pid, pid_role */
};
void	 table_init(struct table *, const struct col *, int,
	    const struct tablefmt *);
int	 table_shows(const struct table *, int);
void	 table_row(struct table *);
void	 table_set(struct table *, int, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	 table_set_bytes(struct table *, int, const char *, size_t);
void	 table_print(struct table *);
void	 table_print_kv(const struct table *);
void	 table_free(struct table *);
int	 table_stat(const struct col *, void (*)(struct table *, const char *),
	    const char *, const struct tablefmt *);
int	 table_ls(const struct col *, void (*)(struct table *),
	    const struct tablefmt *);

/* cells several commands fill alike */
void	 table_owner(struct table *, int, int, uid_t, gid_t);
void	 table_time(struct table *, int, time_t);
void	 table_file(struct table *, const int [3], const struct stat *);
int	 table_orphans(const struct table *);
void	 table_orphan(struct table *, int);
struct holders;
void	 table_holders(struct table *, int, const struct holders *,
	    const struct stat *);

/* esc.c: escaping for text cells and JSON strings; bytes as text or hex */
void	 esc_text(FILE *, const char *, int);
void	 esc_bytes(FILE *, const char *, size_t, int);
void	 esc_hex(FILE *, const char *, size_t);
size_t	 esc_text_len(const char *, int);
size_t	 esc_bytes_len(const char *, size_t, int);
void	 esc_sbytes(char *, size_t, const char *, size_t, int);
int	 esc_unescape(const char *, char *, size_t, size_t *);
void	 esc_json(FILE *, const char *, size_t);
const char *esc_name(const char *);

/*
 * procfs.c: readers of one /proc file each, and the parsers of what they
 * read, calling nothing of the library (pidx.c and blocked.c stand on
 * them): a file's text whole (procfs_text, as much as fits, -1 with
 * errno) or as a stream (procfs_fopen); fdinfo's access mode, or a
 * descriptor link's (procfs_link_acc); a maps
 * line whole (ino 0: anonymous); a syscall line in open(2) or openat(2);
 * what a process in open(2) is opening (PROCFS_OPEN_SEEN fills the
 * struct procfs_open, its path to free); every TCP and UDP socket of
 * /proc/net, v4 and v6 (procfs_inet_each, a line: procfs_inet_line);
 * whether /proc hides other users' processes (procfs_hidepid).
 */
struct procfs_map {			/* one line of /proc/PID/maps */
	unsigned long start, end;
	int shared;
	dev_t dev;
	ino_t ino;			/* 0: anonymous */
	char path[PATH_MAX];
};
struct procfs_open {			/* what an open(2) in progress opens */
	dev_t dev;
	ino_t ino;
	int acc;			/* O_RDONLY, O_WRONLY or O_RDWR */
	char *path;			/* as a person would name it */
};
enum { PROCFS_OPEN_NONE, PROCFS_OPEN_SEEN, PROCFS_OPEN_UNKNOWN,
    PROCFS_OPEN_HIDDEN };
ssize_t	 procfs_text(int, const char *, char *, size_t);
FILE	*procfs_fopen(int, const char *);
int	 procfs_fdinfo_acc(const char *);
int	 procfs_link_acc(int, const char *);
int	 procfs_maps_line(const char *, struct procfs_map *);
int	 procfs_syscall_open(const char *, unsigned long [3]);
int	 procfs_opening(int, pid_t, struct procfs_open *);
struct procfs_inet {			/* a line of /proc/net/{tcp,udp}{,6} */
	int proto;			/* IPPROTO_TCP, IPPROTO_UDP (_each) */
	int family;			/* AF_INET, AF_INET6 */
	unsigned char local[16], remote[16];	/* network order */
	unsigned lport, rport;
	int state;			/* TCP_ESTABLISHED ... TCP_LISTEN */
	uint32_t txq, rxq;		/* bytes queued out and in */
	uid_t uid;
	ino_t ino;			/* the socket's inode */
};
int	 procfs_inet_line(const char *, int, struct procfs_inet *);
int	 procfs_inet_each(int (*)(const struct procfs_inet *, void *), void *);
int	 procfs_hidepid(void);

/*
 * pidx.c: one pass over /proc into one index: every other visible
 * process's descriptors (PIDX_FDS; their access modes with PIDX_ACC,
 * else each read by pidx_acc when asked), the files and System V
 * segments it maps (PIDX_MAPS), what it waits in open(2) to open
 * (PIDX_OPENERS). Each entry is a struct holder, asked for in object
 * order (dev, ino, pid: pidx_obj) or in pid order (pidx_pid), each view
 * built at its first question; what they return holds until the next
 * pidx_read (proc_index of a part not read yet). Memory grows with the
 * entries found. Processes that could not be read are kept, each with
 * the parts it hid (pidx_unread). It reads /proc through procfs.c.
 */
enum { PIDX_FDS = 1, PIDX_ACC = 2, PIDX_MAPS = 4, PIDX_OPENERS = 8 };
enum { PIDX_FD, PIDX_MAP, PIDX_SYSV, PIDX_OPEN };	/* holder.kind */
#define PIDX_ACC_UNREAD	(-2)	/* holder.acc not read yet: pidx_acc */
struct holder {				/* 40 bytes: one a descriptor */
	pid_t pid;
	int fd;				/* -1 for a mapping or an opener */
	int acc;			/* O_RDONLY, O_WRONLY, O_RDWR, or -1 */
	unsigned short mode;		/* PIDX_FD: its file type (S_IFMT) */
	unsigned char kind;		/* PIDX_FD, PIDX_MAP, PIDX_SYSV, PIDX_OPEN */
	dev_t dev;			/* a System V segment: 0 */
	ino_t ino;			/* a System V segment: its shmid */
	char *path;			/* an opener's: what it opens, or NULL */
};
struct pidx {
	struct holder *e;
	int sorted;			/* e in object order (pidx_cmp) */
	size_t n, cap, *bypid;		/* bypid: e's indices in pid order,
					   built at the first pidx_pid */
	int parts;			/* what has been read */
	struct pidx_miss { pid_t pid; int parts; } *miss;
	size_t nmiss, mcap;		/* processes that could not be read */
};
void	 pidx_read(struct pidx *, int);
void	 pidx_free(struct pidx *);
int	 pidx_cmp(const void *, const void *);
size_t	 pidx_obj(struct pidx *, dev_t, ino_t, const struct holder **);
const struct holder *pidx_pid(struct pidx *, pid_t, size_t *);
size_t	 pidx_unread(const struct pidx *, int, pid_t *, size_t);
int	 pidx_acc(struct holder *);
int	 pidx_maps_line(const char *, dev_t *, ino_t *);

/* holders.c: the holders proc.c found of an object, asked about */
#define HOLDERS_PIDS	4	/* unreadable processes named, at most */
struct holders {
	struct holder *h;
	size_t n, cap;
	int partial;			/* some processes could not be read */
	int sorted;			/* h in object order: searched */
	int parts;			/* PIDX_* parts h was taken from */
	size_t unread;			/* how many could not be read, */
	pid_t unread_pid[HOLDERS_PIDS];	/* the first of them */
};
int	 holders_has(const struct holders *, dev_t, ino_t, int);
int	 holders_held(const struct holders *, const dev_t *, ino_t, pid_t,
	    int);
char	*holders_str(const struct holders *, dev_t, ino_t, int);
char	*holders_sock(const struct holders *, ino_t);
int	 holders_dup(const struct holders *, dev_t, ino_t, int);
void	 holders_note(const struct holders *, const char *, int);
void	 holders_unread(size_t, const pid_t *, size_t, const char *);
void	 holders_free(struct holders *);

/*
 * proc.c: who holds an object, as queries on the index. proc_index() is
 * the run's index, read lazily: each part at the first call that needs
 * it, then kept, so a verb that asks once per object (stat A B C, a row
 * of ls) walks /proc once per part per run; proc_index_forget() drops it
 * (at exit too), for a caller that needs /proc read afresh.
 */
struct pidx *proc_index(int);
void	 proc_index_forget(void);
typedef int (*proc_fd_fn)(const struct stat *, void *);
void	 proc_scan_fds(struct holders *, proc_fd_fn, void *);
enum { HOLD_READ = 1, HOLD_WRITE = 2, HOLD_ANY = 3 };
void	 proc_scan_openers(struct holders *);
void	 proc_scan_maps(struct holders *, dev_t, ino_t);
void	 proc_scan_shm(struct holders *, int);
void	 proc_scan_socks(struct holders *, ino_t);
void	 proc_comm(pid_t, char *, size_t);
void	 proc_comm_run(pid_t, char *, size_t);

/* blocked.c: what one thread is blocked on, read from /proc and changing
 * nothing (no ptrace, no signal, nothing opened but /proc's own files) */
enum blocked_kind {
	BLOCKED_UNREADABLE,		/* err says why: never "not blocked" */
	BLOCKED_RUNNING,
	BLOCKED_RESTART,		/* restart_syscall: the call is lost */
	BLOCKED_OTHER,			/* a call not known here, or none */
	BLOCKED_READ, BLOCKED_WRITE, BLOCKED_ACCEPT, BLOCKED_CONNECT,
	BLOCKED_POLL, BLOCKED_SELECT, BLOCKED_EPOLL, BLOCKED_OPEN,
	BLOCKED_MQ_RECV, BLOCKED_MQ_SEND, BLOCKED_MSG_RECV, BLOCKED_MSG_SEND,
	BLOCKED_SEMOP, BLOCKED_FUTEX, BLOCKED_FLOCK, BLOCKED_FCNTL_LOCK,
	BLOCKED_WAIT, BLOCKED_SIGWAIT, BLOCKED_PAUSE, BLOCKED_SLEEP
};
#define BLOCKED_WATCH_MAX	1024	/* descriptors kept of a poll set */
struct blocked_watch {			/* one descriptor poll/select/epoll watch */
	int fd;
	int events;			/* POLLIN, POLLOUT, POLLPRI */
	dev_t dev;			/* epoll's sdev and ino: the tfd number */
	ino_t ino;			/* can be stale, these cannot; 0: unknown */
	int stale;			/* fd is now another file than watched */
};
struct blocked_lock {			/* a /proc/locks or fdinfo lock: line */
	int waiter;			/* "->": waits for the lock */
	char type[8];			/* FLOCK, POSIX, OFDLCK, LEASE, ... */
	int write;
	pid_t pid;			/* as the line says: -1 for OFD locks */
	pid_t holder;			/* whose fdinfo named it, or -1 */
	int fd;
	dev_t dev;
	ino_t ino;
};
struct blocked {
	int kind, err;			/* err: why BLOCKED_UNREADABLE */
	long nr;			/* the call, -1 outside any */
	unsigned long a[6];
	int fd;				/* the descriptor waited on, or -1 */
	unsigned long addr;		/* a futex word, an open's path */
	long id;			/* queue or set id, pid waited for */
	int op;				/* futex op, flock op, fcntl cmd, flags */
	int timed;			/* 1: ends by itself */
	unsigned long tmo;		/* where the timeout is, or 0 */
	struct timespec ts;		/* it, where ts_ok */
	int ts_ok;
	/* what blocked_read adds from /proc; empty where it could not */
	char what[PATH_MAX];		/* the descriptor's link, the path */
	mode_t type;			/* and what it is (S_IFIFO...), or 0 */
	dev_t dev;
	ino_t ino;
	struct procfs_map map;		/* the futex's mapping, where map.end */
	struct blocked_watch *w;	/* poll, select, epoll: what it watches */
	size_t nw, more;		/* kept, and left out past the bound */
	uint64_t sigs;			/* sigwait: the set, bit N-1 for N */
	char wchan[64];
	long asleep_ms;			/* since it last ran; -1: unknown */
	const char *other;		/* the other end, in words, from the
					 * caller's /proc index: appended */
};
int	 blocked_parse(const char *, struct blocked *);
int	 blocked_read(pid_t, pid_t, struct blocked *);
void	 blocked_free(struct blocked *);
int	 blocked_epoll_line(const char *, struct blocked_watch *);
int	 blocked_lock_line(const char *, struct blocked_lock *);
int	 blocked_sched(const char *, double *);
size_t	 blocked_words(const struct blocked *, char *, size_t);
typedef void (*blocked_lock_fn)(const struct blocked_lock *, void *);
int	 blocked_locks(dev_t, ino_t, blocked_lock_fn, void *);
int	 blocked_fdinfo_locks(pid_t, dev_t, ino_t, blocked_lock_fn, void *);

/* ns.c: --ns PID, the verb run in PID's IPC, network and mount namespaces */
/* these exit on failure: ns_enter */
void	 ns_enter(pid_t);

/*
 * stdout.c: descriptor 1, owned here: every byte written through
 * stdout_write and counted, checked before taking, waited on, flushed
 * and checked at exit, and what a failure names (stdout_name)
 */
/* these exit on failure: stdout_check, stdout_ready, stdout_wait */
void	 stdout_name(const char *);
int	 stdout_write(const char *, size_t);
uintmax_t stdout_written(void);
void	 stdout_check(void);
void	 stdout_failed(void) __attribute__((noreturn));
void	 stdout_lost(int, const char *, ...)
	    __attribute__((noreturn, format(printf, 2, 3)));
void	 stdout_epipe(void) __attribute__((noreturn));
void	 stdout_ready(void);
int	 stdout_wait(int, const struct deadline *);

/* dir.c: a directory's names, sorted */
char	**dir_names(const char *, size_t *);
void	 dir_names_free(char **, size_t);
int	 dir_usable(int, char **, int, int *);

/* worker.c: recv -e CMD, one message at a time */
/* these exit on failure: worker_run */
struct worker {
	const char *name;		/* the object, as messages show it */
	const char *cmd;		/* sh -c this for each message */
	const char *metaenv;		/* IPC_MSG_PRIO, IPC_MSG_TYPE, or NULL */
	const int *fd;			/* poll(2) it for a message; NULL: cannot */
	int kill, stop;			/* --kill, --stop */
	uintmax_t count;		/* messages to take (-c); 0: one */
	int follow;			/* -f: until a wait runs out */
	int64_t timeout;		/* each wait's bound (-t), or TIMEOUT_NONE */
	/* one message taken without waiting, its bytes written to the
	 * descriptor: 0; -1 with errno (EAGAIN: none there now) */
	int (*take)(void *, int, intmax_t *);
	void *arg;
};
int	 worker_run(const struct worker *);

/* path.c: files acted on through their directory's descriptor */
enum { PATH_OK, PATH_KIND, PATH_CHANGED };
int	 path_parent(const char *, char [NAME_MAX + 1]);
int	 path_base(const char *, char [NAME_MAX + 1], const char *);
int	 path_rm(const char *, mode_t, int (*)(const struct stat *));
int	 path_rm_warn(int, const char *, int);
int	 path_lstat(const char *, struct stat *);
int	 path_open(const char *, int, mode_t, const char **);
int	 path_pin(const char *, mode_t, const char **);

/* pid.c: process ids by value, as operands and in pid files */
/* these exit on failure: pid_arg */
enum { PID_OK, PID_BAD, PID_REFUSED };
#define PID_GROUP	0x1		/* a process group: 1 refused too */
int	 pid_parse(const char *, size_t, int, pid_t *, const char **);
pid_t	 pid_arg(const char *, const char *, int);
pid_t	 pid_file(const char *, const char *, struct timespec *);
int	 pid_status(pid_t, const char *, char *, size_t);
int	 pid_zombie(pid_t);
const char *pid_stat(pid_t, char *, size_t);
int	 pid_kthread(pid_t);
int	 pid_ignores(pid_t, int);

/*
 * adopt.c: an object that exists, taken by create -x or run -i only
 * where it is what was asked: owner (unless any_owner), sizes given,
 * mode where has_mode. What create was asked, as posix_exact,
 * sysv_create and sysv_adopt take it: struct mkopt
 */
/* these exit on failure: adopt_check */
struct mkopt {
	mode_t mode;			/* -m: exactly this, */
	int has_mode;			/* where given; else 0600 */
	int exist_ok;			/* -x: an existing one will do */
	int any_owner;			/* --any-owner: another user's too */
};
/* what the command line asked: -m, -x, --any-owner */
#define CREATE_ASKED	(&(const struct mkopt){ .mode = opt.mode,	\
			.has_mode = opt.has_mode, .exist_ok = opt.exist_ok, \
			.any_owner = opt.any_owner })

#define ADOPT_SIZES	2
struct adopt {
	uid_t uid;			/* the object's owner */
	mode_t mode;			/* and permissions */
	int any_owner;			/* another user's will do */
	int has_mode;			/* a mode was asked for: */
	mode_t want_mode;		/* this one */
	size_t nsizes;
	struct {
		const char *what;	/* "size", "maxmsg" */
		int given;		/* asked for, so compared */
		uintmax_t have, want;
	} size[ADOPT_SIZES];
};
/* what the command line asked: --any-owner, -m */
#define ADOPT_ASKED	.any_owner = opt.any_owner,			\
			.has_mode = opt.has_mode, .want_mode = opt.mode
int	 adopt_differs(const struct adopt *, char *, size_t);
void	 adopt_check(const struct adopt *, const char *, const char *, int);

/* fifo.c: a FIFO writer holds its end until no byte can be thrown away */
int	 fifo_settle(int, const struct deadline *, uintmax_t *);

/* sysctl.c: kernel limits from /proc/sys */
/* these exit on failure: sysctl_limit */
int	 sysctl_num(const char *, uintmax_t *);
uintmax_t sysctl_limit(const char *);

/*
 * flavour.c: one kind of object in flavours (POSIX; System V with -S;
 * files with -F), picked by the option that names it. A command embeds
 * struct flavour first in its own and adds its operations after it.
 */
/* these exit on failure: flavour_pick, flavour_rm, flavour_stat,
 * flavour_ls */
struct flavour {
	int flag;			/* the option that picks it: 'S', 'F';
					 * 0: picked where none is given */
	const char *kind;		/* in a refusal: "System V queues" */
	const char *object;		/* its operand: "NAME", "KEY", "PATH" */
	const int *own;			/* options only it (and any other
					 * flavour naming them) takes; 0-ended */
	const struct col *cols;		/* stat's and ls's fields */
	void (*check)(const char *);	/* usage error where it cannot be one */
	int  (*rm)(const char *);	/* 0, or 1 having said why */
	/* stat and ls: lib's POSIX tier over px (posix_stat, posix_ls), or
	 * the flavour's own: one object's row once it exists (the deadline:
	 * --wait's; NULL: look now), and every object's */
	const struct posix_kind *px;
	void (*stat)(struct table *, const char *, const struct deadline *);
	void (*ls)(struct table *);
};
const struct flavour *flavour_of(const struct flavour *const *,
	    const char *const *);
const struct flavour *flavour_pick(const struct flavour *const *,
	    const char *const *, const struct optdef *);
int	 flavour_rm(const struct flavour *, int, char **, int);
int	 flavour_stat(const struct flavour *, const char *,
	    const struct tablefmt *, const struct deadline *);
int	 flavour_ls(const struct flavour *, const struct tablefmt *);

/* sysv.c: the System V tier, for msg, sem and shm alike */
/* these exit on failure: sysv_key, sysv_check, sysv_print_id,
 * sysv_create, sysv_adopt, sysv_rm, sysv_each */
enum { SYSV_MSG, SYSV_SEM, SYSV_SHM };
union sysv_ds {
	struct msqid_ds msg;
	struct semid_ds sem;
	struct shmid_ds shm;
};
struct sysv_cols {
	int key, mode, owner, group;	/* columns sysv_perm fills */
};
void	 sysv_key(int, const char *, struct sysvkey *, int);
void	 sysv_check(int, const char *);
int	 sysv_ctl(int, int, int, void *);
int	 sysv_id(int, const struct sysvkey *);
void	 sysv_print_id(int, int, int);
int	 sysv_create(int, const char *, uintmax_t, int (*)(void *, key_t, int),
	    int (*)(void *, int), void *, const struct mkopt *);
void	 sysv_adopt(int, int, const char *, uintmax_t, const struct mkopt *,
	    int);
int	 sysv_rm(int, const char *, int);
int	 sysv_line(int, const char *, union sysv_ds *, int *);
void	 sysv_perm(struct table *, const struct sysv_cols *,
	    const struct ipc_perm *);
int	 sysv_each(int, int, void (*)(void *, int, const union sysv_ds *, int),
	    void *);

/*
 * exists.c: stat --wait, until the object is there, bounded by a
 * deadline (-1, ETIMEDOUT); exists_failed words that, for the verb to
 * end with (EXIT_TIMEOUT, or 1)
 */
struct sysv_look {
	int kind;			/* SYSV_MSG ... */
	const struct sysvkey *key;
};
int	 exists_wait(int (*)(void *), void *, const struct deadline *);
int	 exists_failed(const char *, const char *);
int	 exists_path(void *);
int	 exists_sysv(void *);
/* these exit on failure: exists_sysv_id */
int	 exists_sysv_id(int, const char *, const struct deadline *);
/* --wait's deadline in d, as the command line asked; NULL: no --wait */
#define WAIT_ASKED(d)	(opt.wait ? (deadline_set((d), opt.timeout), (d)) : NULL)

/* posix.c: the POSIX-name tier, for mq, sem and shm alike */
/* these exit on failure: posix_rm, posix_check, posix_stat, posix_name,
 * posix_ls */
int	 posix_exact(int (*)(void *, mode_t), void *, const struct mkopt *);
int	 posix_look(const char *, const char *, const char *, struct stat *);
int	 posix_rm(const char *, int (*)(const char *), int);
void	 posix_check(const char *);
struct holders *posix_holders_shown(struct holders *, const struct table *,
	    int, const struct stat *, int);
/* a POSIX kind as stat and ls see it: where its objects stand as files,
 * the columns every kind has, and what a kind adds */
struct posix_kind {
	const char *dir;		/* /dev/shm */
	const char *prefix;		/* a file's name is prefix NAME: "sem." */
	const char *other;		/* ls: not the files named other...
					 * (another kind's); NULL: none */
	const char *other_is;		/* what those are: "a POSIX semaphore" */
	const char *fstype;		/* ls: what dir must be ("mqueue",
					 * of magic); NULL: any */
	long magic;
	const char *what;		/* stat of another file: "not WHAT" */
	int maps;			/* held by mapping it, not only open */
	int name, file[3], holders;	/* columns: name; mode, owner, group */
	/* stat --wait: NAME is there; NULL: its file in dir is */
	int  (*there)(void *);
	/* NAME's stat and a handle for cells (-1 with errno: not there);
	 * NULL: its file's, handle 0 */
	int  (*look)(const char *, struct stat *);
	/* the kind's own cells (NULL: none); the handle let go (NULL: no need) */
	void (*cells)(struct table *, const char *, int, const struct stat *);
	void (*close)(int);
};
void	 posix_row(struct table *, const struct posix_kind *,
	    const struct holders *, const char *, int, const struct stat *);
void	 posix_stat(struct table *, const struct posix_kind *, const char *,
	    const struct deadline *);
void	 posix_name(const struct posix_kind *, const char *, char [NAME_BUF]);
void	 posix_ls(struct table *, const struct posix_kind *);

/*
 * child.c: commands run as children, as a shell runs them, and waited
 * for with every signal of sig_fatal passed on. The set blocks them
 * from child_init to child_fini; a command that stops on one (c->sig)
 * ends after child_fini with raise(c->sig), so that cleanup.c undoes
 * what it made and it dies of the signal. A child gets the mask and
 * the dispositions we were started with.
 */
/* these exit on failure: child_find (127, 126) */
#define CHILD_OURS	0		/* pgid: stay in our process group */
#define CHILD_NEW	(-1)		/* pgid: lead a new one */
struct child {
	char *const *argv;		/* execvp(3) argv[0] with argv, or */
	const char *sh;			/* when argv is NULL, sh -c this */
	char *const *env;		/* NAME=VALUE added to ours, NAME alone
				   taken out of it; NULL-ended */
	int in, out;			/* its stdin and stdout; -1: ours */
	pid_t pgid;			/* CHILD_OURS, CHILD_NEW, or one to join */
	int deathsig;			/* sent to it when we die; 0: none */
};
struct child_run {
	pid_t pid;
	pid_t to;			/* where its signals go: pid, or -pgid */
};
struct children {
	sigset_t mask;			/* ours before child_init, and theirs */
	sigset_t set;			/* SIGCHLD and the signals passed on */
	struct sigaction chld;		/* SIGCHLD's disposition as found */
	int fd;				/* signalfd(2) of set, to poll(2) */
	int forward;			/* pass each on (default); 0: hold it */
	int sig;			/* the last one received; 0: none */
	size_t n, max;			/* running now; at most */
	struct child_run *run;
};
int	 child_init(struct children *, size_t);
pid_t	 child_start(struct children *, const struct child *);
pid_t	 child_wait(struct children *, const struct deadline *, int *);
void	 child_kill(const struct children *, int);
void	 child_fini(struct children *);
int	 child_status(int);
int	 child_become(char *const *);
void	 child_replace(char *const *) __attribute__((noreturn));
void	 child_find(const char *);
int	 child_beside(int (*)(void *), int (*)(void *), void *);

/*
 * cleanup.c: what a command made for its own use, undone on every exit:
 * return, exit(3), err(3), and every signal of sig_fatal, after which it
 * dies of the signal. The last registered is undone first. Each returns
 * an id for cleanup_drop, or -1 with errno (ENOSPC: CLEANUP_MAX in use).
 * cleanup_spare: signals the verb waits for itself, never caught here.
 */
#define CLEANUP_MAX	8
void	 cleanup_spare(const sigset_t *);
int	 cleanup_unlink(const char *);
int	 cleanup_rename(const char *, const char *);
void	 cleanup_drop(int);
void	 cleanup_run(void);

/*
 * trace.c: a running process's threads traced with ptrace(2), each
 * signal it is sent stopped at and delivered as it came, every other
 * stop passed over, and every thread let go as it was
 */
struct trace {
	pid_t pid;			/* the process (its thread group) */
	pid_t *tid;			/* its threads we trace */
	size_t n, cap;
	pid_t stopped;			/* held in a signal-delivery stop; 0: none */
	int stopsig;			/* and the signal it stopped for */
	int status;			/* the process ended: its wait status */
	int sig;			/* one of sig_fatal came; 0: none */
	int fd;				/* signalfd(2) of set, to poll(2) */
	sigset_t set, mask;		/* taken through fd; ours before */
};
int	 trace_seize(struct trace *, pid_t);
int	 trace_next(struct trace *, siginfo_t *, const struct deadline *);
void	 trace_deliver(struct trace *);
void	 trace_detach(struct trace *);

/*
 * sigset.c: the signals that end a command, caught to undo what it
 * holds (HUP INT QUIT TERM USR1 USR2 ALRM VTALRM PROF XCPU IO PWR STKFLT
 * and SIGRTMIN..SIGRTMAX; never a fault's, never ABRT, never one we
 * were started ignoring); PIPE and XFSZ ignored for our own writes and
 * handed back as started to a command we exec (sig_fatal, sig_hold,
 * sig_catch, sig_start, sig_inherit; signame.c's sig_* are names)
 */
void	 sig_fatal(sigset_t *, const sigset_t *);
int	 sig_hold(sigset_t *, sigset_t *);
void	 sig_catch(const sigset_t *, void (*)(int));
void	 sig_start(void);
void	 sig_inherit(void);

/* fsize.c: EFBIG past RLIMIT_FSIZE, said with the numbers */
/* these exit on failure: fsize_check */
uintmax_t fsize_limit(void);
void	 fsize_check(const char *, uintmax_t);

/* signame.c: signals by name and number, default actions, si_code names,
 * a mask as names (sig_* is sigset.c's prefix too: the sets are its) */
/* these exit on failure: sig_parse, sig_list */
#define SIG_NAME_BUF	16		/* "RTMAX-15", "-2147483648" */
int	 sig_max(void);
int	 sig_valid(int);
int	 sig_parse(const char *, int);
void	 sig_list(const char *, const char *, sigset_t *);
int	 sig_list_all(const char *);
const char *sig_name(int, char *, size_t);
const char *sig_action(int);
const char *sig_descr(int);
const char *sig_code(int, int, char *, size_t);
#define SIG_MASK_BUF	(64 * (SIG_NAME_BUF + 1))	/* every signal named */
char	*sig_mask_names(uint64_t, char *, size_t);

/* addr.c: socket addresses, parsed whole; a usage error when malformed */
/* these exit on failure: addr_type, addr_parse */
enum { ADDR_PATH, ADDR_ABSTRACT, ADDR_TCP, ADDR_UDP };
#define ADDR_BIND	1		/* addr_parse: port 0 (a free one) allowed */
#define ADDR_RAW	2		/* addr_parse: a path's bytes as they are,
					 * not unescaped */
#define ADDR_BUF	448		/* "[v6]:port", "@" + a sun_path name
					 * escaped (4 bytes a byte) */
struct addr {
	const char *arg;		/* as given */
	int kind;			/* ADDR_PATH ... */
	int type;			/* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET */
	const char *path;		/* a path, or an abstract name */
	size_t pathlen;			/* its bytes (an abstract name's
					 * may hold NULs) */
	char name[108];			/* path's bytes, unescaped */
	unsigned port;
	struct sockaddr_storage sa;
	socklen_t len;
};
int	 addr_type(const char *);
const char *addr_type_name(int);
void	 addr_parse(const char *, int, int, struct addr *);
void	 addr_str(const struct sockaddr *, socklen_t, char *, size_t);

/* sock.c: sockets connected to an address, or bound to one */
/* these exit on failure: sock_bind (cannot return to the directory) */
int	 sock_open(const struct addr *);
int	 sock_connect(const struct addr *, const struct deadline *);
int	 sock_connect_as(const struct addr *, int, const struct deadline *);
int	 sock_bind(struct addr *, mode_t, int);
int	 sock_live(const struct addr *, const struct stat *);
int	 sock_unbound(const struct stat *);
const char *sock_bind_why(int);

/* udiag.c: every Unix socket, from NETLINK_SOCK_DIAG (unix_diag) */
#define USOCK_LISTEN	10		/* the states as TCP's: TCP_LISTEN */
#define USOCK_CONNECTED	1		/* TCP_ESTABLISHED */
#define USOCK_CONNECTING 2		/* TCP_SYN_SENT */
#define USOCK_UNCONNECTED 7		/* TCP_CLOSE */
struct usock {
	ino_t ino;			/* the socket's own inode */
	int type, state;
	char name[110];			/* as bound; abstract: a NUL first */
	size_t namelen;			/* 0: not bound */
	dev_t vdev;			/* the socket file's, when bound to one */
	ino_t vino;
	ino_t peer;			/* the other end's inode, or 0 */
	uint32_t rq, wq;		/* queued; a listener: backlog now, max */
	uid_t uid;
	int has_uid;
};
int	 udiag_parse(const void *, size_t, int (*)(const struct usock *, void *),
	    void *);
int	 udiag_each(int (*)(const struct usock *, void *), void *);
int	 udiag_bound(const struct stat *, struct usock *);
void	 udiag_name(const struct usock *, char *, size_t);
const char *udiag_state(int);
int	 udiag_procnet(const char *, int (*)(const struct usock *, void *),
	    void *);
int	 udiag_any(int (*)(const struct usock *, void *), void *, int *);

/* fdpass.c: descriptors passed over Unix sockets, and peer credentials */
#define FDPASS_MAX	253		/* SCM_MAX_FD: the most one message takes */
ssize_t	 fdpass_send(int, const void *, size_t, const int *, size_t);
ssize_t	 fdpass_recv(int, void *, size_t, int *, size_t *);
int	 fdpass_write(int, const char *, size_t, const int *, size_t,
	    const struct deadline *, size_t *);
int	 fdpass_place(const int *, size_t);
int	 fdpass_peer(int, struct ucred *);

#endif
