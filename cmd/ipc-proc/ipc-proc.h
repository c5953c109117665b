/* ipc-proc: what its rooms share; lib/ipc.h is the library's. */
#ifndef IPC_PROC_H
#define IPC_PROC_H

#include <sys/types.h>

#include "ipc.h"

/* the long options of its own, one code each, in the rooms' tables */
enum { O_CHECK = OPT_LONG, O_MIN, O_FORMAT };

/* main.c: the verb table; PID from an operand; the partial note */
pid_t	 one_pid(int, char **, int);
void	 unread_note(size_t, const char *, const char *);

/*
 * ends.c: the processes at the other end of an object, from the run's
 * /proc index (proc_index): those that hold it readable or writable
 * (a pipe, a FIFO), its peer's holders (a Unix socket; a TCP or UDP
 * socket whose other end is on this host), or every holder (a queue, a
 * shared mapping). What they cannot say is said too: how many
 * processes could not be read, and a way out open to a process that
 * does not hold it yet (a FIFO opened by path, a listening socket
 * connected to, a name opened): a wait with a way out is never part of
 * a proven deadlock.
 */
enum { ENDS_READERS, ENDS_WRITERS, ENDS_PEER, ENDS_HOLDERS };
#define ENDS_MUST	0x10	/* with one of them: the other end is there */
struct ends {
	pid_t *pid;			/* each once, in pid order */
	size_t n, cap;
	size_t unread;			/* processes not read that may be one */
	int unseen;			/* one must be, and no process seen
					   holds it (another pid namespace) */
	int remote;			/* the peer is not on this host */
	const char *way;		/* a way out for a newcomer, or NULL */
	char peer[128];			/* the peer's address or name, or "" */
};
int	 ends_of(dev_t, ino_t, mode_t, int, struct ends *);
void	 ends_add(struct ends *, pid_t);
const struct usock *ends_unix(ino_t);
void	 ends_free(struct ends *);
char	*ends_str(const struct ends *, pid_t);

/*
 * held.c: every IPC object one process holds, maps, locks or last used,
 * each with the descriptor or mapping it is held by and its other end
 * (stat's rows, map's edges). held_of reads the process at the moment
 * of asking; NULL with errno ESRCH where it has ended. HELD_BRIEF leaves
 * out what costs a look into the process (bytes buffered, a queue's or
 * a semaphore's state, the locks its threads wait for: the graph has
 * those), for ls -a and map over every process.
 */
enum held_kind {
	H_PIPE, H_FIFO, H_UNIX, H_TCP, H_UDP, H_MQ, H_SEM, H_SHM, H_FILE,
	H_SYSV_SHM, H_SYSV_MSG, H_SYSV_SEM, H_LOCK, H_NKINDS
};
extern const char *const held_kinds[H_NKINDS];	/* "pipe", "fifo", ... */
struct held {
	int kind;			/* H_* */
	int fd;				/* its descriptor, or -1 */
	unsigned long addr;		/* its mapping's start, or 0 */
	int acc;			/* O_RDONLY, O_WRONLY, O_RDWR, or -1 */
	dev_t dev;			/* the object as every holder sees it: */
	ino_t ino;			/* a socket its own inode; System V
					   0 and the id */
	char *name;			/* "pipe:[5678]", "/run/x", "@name" */
	char *detail;			/* "read end, 12 bytes buffered" */
	struct ends other;		/* the other end */
};
enum { HELD_ALL, HELD_BRIEF };
struct held *held_of(pid_t, int, size_t *);
int	 held_dup(pid_t, int, dev_t, ino_t);
void	 held_free(struct held *, size_t);

/*
 * graph.c: the waits of processes, as a graph: a node per process with
 * each thread's wait and the processes that could end it (its edges),
 * read once a run and kept; the closed sets that are proven deadlocks.
 */
enum wstate {
	W_ENDLESS,			/* blocked on IPC with no timeout */
	W_TIMED,			/* blocked on IPC, ends by itself */
	W_OTHER,			/* blocked, not on IPC (a terminal, a
					   timer, inotify, a plain sleep) */
	W_RUNNING,			/* not blocked */
	W_UNREAD			/* could not be read: b.err says why */
};
struct pwait {
	pid_t tid;
	int state;			/* W_* */
	struct blocked b;		/* as blocked_read left it */
	char *words;			/* what it waits for, in words */
	char *obj;			/* the object waited on, short:
					   "pipe:[5678]", "FIFO /run/x" */
	struct ends by;			/* the processes that could end it */
};
struct pnode {
	pid_t pid;
	char comm[64];
	struct pwait *w;		/* one a thread */
	size_t nw;
	int deadlock;			/* in a proven deadlock */
	long asleep_ms;			/* the least of its blocked threads' */
};
struct pgraph {
	struct pnode *n;
	size_t nn, cap;
	size_t unread;			/* processes whose waits were unread */
};
struct pnode *graph_node(struct pgraph *, pid_t);
struct pnode *graph_find(const struct pgraph *, pid_t);
pid_t	*graph_pids(size_t *);
int	 graph_pidcmp(const void *, const void *);
void	 graph_reach(struct pgraph *, pid_t);
void	 graph_every(struct pgraph *);
size_t	 graph_deadlocks(struct pgraph *);
void	 graph_free(struct pgraph *);

/* stat.c, why.c, ls.c, map.c: the verbs */
int	 cmd_stat(int, char **);
int	 cmd_why(int, char **);
int	 cmd_ls(int, char **);
int	 cmd_map(int, char **);

#endif
