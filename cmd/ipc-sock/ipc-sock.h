/* ipc-sock: what its rooms share; lib/ipc.h is the library's. */
#ifndef IPC_SOCK_H
#define IPC_SOCK_H

#include <poll.h>

#include "ipc.h"

/* the long options of its own, one code each, in the rooms' tables */
enum { O_TYPE = OPT_LONG, O_PASSFD, O_TAKEFD, O_NAME, O_KILLAFTER };

/* main.c: the verb table; ADDR from an operand, connected, bound, accepted */
void	 parse_addr(const char *, int, struct addr *);
void	 one_addr(int, char **, int, int, struct addr *);
void	 failed(const struct addr *, const char *)
	    __attribute__((noreturn));
int	 connect_to(const struct addr *, const struct deadline *);
int	 bind_to(struct addr *, int);
int	 accept_one(int, const struct addr *, const struct deadline *);

/* sendrecv.c: send, recv; a connection's bytes to stdout */
int	 cmd_send(int, char **);
int	 cmd_recv(int, char **);
void	 lost(const struct addr *, uintmax_t);
int	 conn_copy(int, const struct addr *, const struct deadline *);

/* serve.c: connect, listen, activate */
int	 cmd_connect(int, char **);
int	 cmd_listen(int, char **);
int	 cmd_activate(int, char **);

/* list.c: stat, ls, rm */
int	 cmd_stat(int, char **);
int	 cmd_ls(int, char **);
int	 cmd_rm(int, char **);

#define TAP_BUF		(1 << 14)	/* one chunk, each way */
#define TAP_RING	(1 << 20)	/* output stdout has not taken yet */
#define TAP_MARKS	16		/* bytes with descriptors, a chunk */

enum { TAP_C, TAP_S };			/* a client's end; the server's */

struct tap_mark {
	size_t at;			/* the byte they came with */
	size_t first, n;		/* in fds */
};

struct tap_dir {
	char buf[TAP_BUF];
	char *big;			/* a seqpacket record over TAP_BUF */
	char *p;			/* buf or big */
	size_t len, off;		/* read; of it, written on */
	int pend;			/* read and not all written on */
	struct tap_mark mark[TAP_MARKS];
	size_t nmark, sent;		/* marks; of them, passed on */
	int fds[2 * FDPASS_MAX];
	size_t nfds;
	int eof;			/* its end read and passed on */
};

struct tap_conn {
	int fd[2];			/* TAP_C, TAP_S; -1: free */
	pid_t pid;			/* the client's (SO_PEERCRED) */
	struct tap_dir dir[2];		/* from fd[i], for fd[!i] */
};

/* what is shown: kept here until stdout takes it, never waited for */
struct tap_out {
	char *ring;
	size_t start, end;		/* not yet written */
	int fd, sock;			/* stdout, non-blocking; a socket */
	uintmax_t gap, lost;		/* not shown: since the mark; all */
	int err;			/* stdout failed so: nothing shown */
};

struct tap {
	struct addr at;			/* PATH: ours, while we run */
	struct addr server;		/* the server's, moved aside */
	char unixaside[PATH_MAX];	/* "unix:" and the aside path */
	char base[NAME_MAX + 1], abase[NAME_MAX + 1];
	int dfd, lfd, root, type, sfd;
	int leaving;			/* its first signal; -1: stdout */
	struct stat srv, own;		/* the server's file; ours */
	struct tap_out out;
	struct tap_conn *c;
};

/* tap.c: the verb; the server's file moved aside and back */
int	 cmd_tap(int, char **);
void	 tap_gone_note(const char *, const struct addr *);
void	 tap_leave(struct tap *, int);

/* tapio.c: each connection's bytes relayed, and shown on stdout */
void	 tap_out_open(struct tap_out *);
void	 tap_out_write(struct tap *);
void	 tap_end(struct tap_conn *);
void	 tap_events(const struct tap_conn *, struct pollfd *);
void	 tap_step(struct tap *, struct tap_conn *, const struct pollfd *);

#endif
