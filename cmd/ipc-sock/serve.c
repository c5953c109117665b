/* ipc-sock connect, listen and activate: connections served. */
#include <sys/socket.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"
#include "ipc-sock.h"

#define LISTEN_MAX	64		/* listen -e: connections served at once */
#define NAMES_MAX	FDPASS_MAX	/* activate: addresses at most */
#define NAME_LEN	255		/* activate: a --name's bytes at most */

static const struct optdef type_opt[] = {
	{ O_TYPE, "type", "TYPE", "stream (default), dgram or seqpacket" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef listen_opts[] = {
	{ 'e', "exec", "CMD",
	    "sh -c CMD per connection, on its stdin/stdout, up to -n at once" },
	{ '1', "once", NULL, "serve one connection, then exit" },
	{ 'n', "max", "MAX", "-e: connections served at once (default 64)" },
	{ O_KILLAFTER, "kill-after", "DUR",
	    "-e: SIGKILL the CMDs DUR after a signal ends us (default never)" },
	{ O_TYPE, "type", "TYPE", "stream (default) or seqpacket" },
	{ 'm', "mode", "MODE",
	    "octal permissions of the socket file bound (default 0600)" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef activate_opts[] = {
	{ O_NAME, "name", "NAME", "LISTEN_FDNAMES entry of each ADDR, in order" },
	{ O_TYPE, "type", "TYPE", "stream (default), dgram or seqpacket" },
	{ 'm', "mode", "MODE",
	    "octal permissions of each socket file bound (default 0600)" },
	{ 0, NULL, NULL, NULL }
};

/* --- connect --- */

/* connect's two halves: the socket, whose, and -t */
struct halves {
	int fd;
	const struct addr *a;
	const struct deadline *d;
};

/* the child's half: stdin to the socket, then its writing side shut */
static int
connect_in(void *arg)
{
	const struct halves *h = arg;
	struct copy c = { .dout = h->d };

	progress_sending();
	if (copy_stream(STDIN_FILENO, h->fd, &c) == -1)
		failed(h->a, c.failed == COPY_IN ? "reading stdin" :
		    "waiting for room");
	if (shutdown(h->fd, SHUT_WR) == -1 && errno != ENOTCONN)
		failed(h->a, "");
	return 0;
}

/* ours: the socket to stdout; 0, or the status connect ends with */
static int
connect_out(void *arg)
{
	const struct halves *h = arg;
	struct copy c = { .din = h->d };

	return copy_stream(h->fd, STDOUT_FILENO, &c) == 0 ? 0 :
	    c.failed == COPY_OUT ? (lost(h->a, c.lost), 1) :
	    errno == ETIMEDOUT ? msgout_timed_out(h->a->arg, "", c.done,
	    "bytes", opt.follow) : (warn("connect %s", esc_name(h->a->arg)), 1);
}

/*
 * Both ways at once: a child copies stdin to the socket and shuts its
 * writing side down at the end; we copy the socket to stdout. Done when
 * both are.
 */
int
cmd_connect(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "timeout progress", type_opt), rc;
	struct deadline d;
	struct addr a;
	struct halves h = { .a = &a, .d = &d };

	one_addr(argc, argv, i, 0, &a);
	/* a request sent whose reply cannot be written is worse than none */
	stdout_ready();
	deadline_set(&d, opt.timeout);
	h.fd = connect_to(&a, &d);
	progress_start(opt.progress, PROGRESS_UNKNOWN, 1);
	if ((rc = child_beside(connect_in, connect_out, &h)) == -1)
		err(1, "connect %s: fork", esc_name(a.arg));
	return rc;
}

/* --- listen --- */

struct conn_env {
	char pid[32], uid[32], gid[32], addr[ADDR_BUF + 16];
	char *env[5];
};

/*
 * IPC_PEER_*: who is at the other end, as the kernel says; one it does
 * not say (a TCP peer's credentials) is taken out of what we pass on,
 * so that ours, from a server that started us, is never taken for it
 */
static void
conn_env(int fd, const struct addr *a, struct conn_env *e)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct ucred uc;
	char buf[ADDR_BUF] = "";
	size_t n = 0;

	strlcpy(e->pid, "IPC_PEER_PID", sizeof(e->pid));
	strlcpy(e->uid, "IPC_PEER_UID", sizeof(e->uid));
	strlcpy(e->gid, "IPC_PEER_GID", sizeof(e->gid));
	if (a->kind != ADDR_TCP && fdpass_peer(fd, &uc) == 0) {
		snprintf(e->pid, sizeof(e->pid), "IPC_PEER_PID=%ld", (long)uc.pid);
		snprintf(e->uid, sizeof(e->uid), "IPC_PEER_UID=%lu",
		    (unsigned long)uc.uid);
		snprintf(e->gid, sizeof(e->gid), "IPC_PEER_GID=%lu",
		    (unsigned long)uc.gid);
	}
	e->env[n++] = e->pid;
	e->env[n++] = e->uid;
	e->env[n++] = e->gid;
	if (getpeername(fd, (struct sockaddr *)&ss, &len) == 0 &&
	    (a->kind == ADDR_TCP || len > sizeof(sa_family_t)))
		addr_str((struct sockaddr *)&ss, len, buf, sizeof(buf));
	snprintf(e->addr, sizeof(e->addr), "IPC_PEER_ADDR=%s", buf);
	e->env[n++] = e->addr;
	e->env[n] = NULL;
}

/* without -e: each connection's bytes to stdout, one after another */
static int
listen_out(int lfd, const struct addr *a)
{
	int fd, r;

	do {
		stdout_ready();
		fd = accept_one(lfd, a, NULL);
		if ((r = conn_copy(fd, a, NULL)) != 0)
			return r;
		close(fd);
	} while (opt.val['1'] == NULL);
	return 0;
}

static void
serve_one(struct children *c, int lfd, const struct addr *a)
{
	struct conn_env e;
	/* a group of its own: a signal to leave reaches it once, from us */
	struct child ch = { .sh = opt.exec, .env = e.env, .pgid = CHILD_NEW };
	int fd;

	if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) == -1) {
		if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			warn("listen %s: accept", esc_name(a->arg));
		return;
	}
	conn_env(fd, a, &e);
	ch.in = ch.out = fd;
	if (child_start(c, &ch) == -1)
		warn("listen %s: fork", esc_name(a->arg));
	close(fd);
}

/* reap what has ended; the last status, or -1 with c->sig set */
static int
reap_all(struct children *c, int *last)
{
	struct deadline now;
	pid_t pid;

	deadline_set(&now, 0);
	while ((pid = child_wait(c, &now, last)) > 0)
		;
	return pid == 0 ? -1 : 0;
}

/*
 * A signal to leave: the socket file goes and nobody more is accepted;
 * the signal has been passed on once to each CMD's group. Say what is
 * waited for, and wait: SIGKILL to the groups grace ns after it (-1:
 * never) or at a second signal. We end as the first one says.
 */
static void
listen_leave(struct children *c, int lfd, const struct addr *a,
    int64_t grace, int *st)
{
	struct deadline d;
	char pids[256];
	size_t i, n = 0;
	int sig = c->sig, killed = 0;
	pid_t r;

	cleanup_run();
	close(lfd);
	c->forward = 0;
	if (c->n == 0)
		return;
	for (i = 0; i < c->n && n < sizeof(pids); i++)
		n += (size_t)snprintf(pids + n, sizeof(pids) - n, "%s%ld",
		    i > 0 ? " " : "", (long)c->run[i].pid);
	warnx("listen %s: waiting for %zu connection%s to end (pid%s %s); "
	    "a second signal ends %s", esc_name(a->arg), c->n,
	    c->n > 1 ? "s" : "", c->n > 1 ? "s" : "", pids,
	    c->n > 1 ? "them" : "it");
	if (grace >= 0)
		deadline_set(&d, grace);
	while (c->n > 0) {
		r = child_wait(c, grace >= 0 && !killed ? &d : NULL, st);
		if (r > 0 || (r == 0 && killed))
			continue;
		if (r == -1 && (killed || errno != ETIMEDOUT))
			break;
		child_kill(c, SIGKILL);		/* a second signal, or DUR */
		killed = 1;
	}
	c->sig = sig;
}

/* -e CMD: a child per connection, at most -n of them at once */
static int
listen_exec(int lfd, const struct addr *a, size_t max, int64_t grace)
{
	struct children c;
	struct pollfd p[2];
	int st = 0, served = 0, once = opt.val['1'] != NULL;

	if (child_init(&c, max) == -1)
		err(1, "listen %s", esc_name(a->arg));
	fcntl(lfd, F_SETFL, fcntl(lfd, F_GETFL) | O_NONBLOCK);
	while (c.sig == 0 && (!once || !served || c.n > 0)) {
		p[0] = (struct pollfd){ c.fd, POLLIN, 0 };
		p[1] = (struct pollfd){ lfd, POLLIN, 0 };
		if (poll(p, c.n < c.max && !(once && served) ? 2 : 1, -1) == -1 &&
		    errno != EINTR)
			err(1, "listen %s: poll", esc_name(a->arg));
		if (p[0].revents && reap_all(&c, &st) == -1)
			break;
		if (c.n < c.max && !(once && served) && (p[1].revents & POLLIN)) {
			serve_one(&c, lfd, a);
			served = c.n > 0 || served;
		}
	}
	if (c.sig != 0)
		listen_leave(&c, lfd, a, grace, &st);
	else
		close(lfd);
	while (c.n > 0 && child_wait(&c, NULL, &st) != -1)
		;
	child_fini(&c);
	if (c.sig != 0)
		raise(c.sig);
	return once ? st : 0;
}

int
cmd_listen(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "exec mode", listen_opts), fd;
	size_t max = LISTEN_MAX;
	int64_t grace = -1;
	struct addr a;

	one_addr(argc, argv, i, ADDR_BIND, &a);
	if (a.type == SOCK_DGRAM)
		usage_error("%s: a datagram socket has no connections to "
		    "serve (recv takes its messages)", a.arg);
	if (opt.val['n'] != NULL && opt.exec == NULL)
		usage_error("-n goes with -e");
	if (opt.val['n'] != NULL)
		max = (size_t)num_uint(opt.val['n'], "-n", 1, 65536);
	if (opt.val[O_KILLAFTER] != NULL && opt.exec == NULL)
		usage_error("--kill-after goes with -e");
	if (opt.val[O_KILLAFTER] != NULL)
		grace = num_dur(opt.val[O_KILLAFTER], "--kill-after");
	fd = bind_to(&a, SOMAXCONN);
	if (opt.exec == NULL)
		return listen_out(fd, &a);
	return listen_exec(fd, &a, max, grace);
}

/* --- activate --- */

/*
 * LISTEN_FDNAMES: --name for each, in order; "unknown" for the rest. A
 * name is what sd_listen_fds_with_names(3) takes: 1 to 255 printable
 * bytes, no colon (the list's separator).
 */
static char *
activate_names(size_t n)
{
	static char s[sizeof("LISTEN_FDNAMES=") + NAMES_MAX * (NAME_LEN + 1)];
	const char *v[NAMES_MAX], *p;
	size_t k = opt_all(O_NAME, v, NAMES_MAX), i;

	if (k > n)
		usage_error("%zu --name for %zu ADDR", k, n);
	for (i = 0; i < k; i++) {
		for (p = v[i]; *p > ' ' && *p < 0x7f && *p != ':'; p++)
			;
		if (*p != '\0' || p == v[i] || p - v[i] > NAME_LEN)
			usage_error("--name '%s': not 1 to %d printable bytes "
			    "without a colon", v[i], NAME_LEN);
	}
	strlcpy(s, "LISTEN_FDNAMES=", sizeof(s));
	for (i = 0; i < n; i++) {
		if (i > 0)
			strlcat(s, ":", sizeof(s));
		strlcat(s, i < k ? v[i] : "unknown", sizeof(s));
	}
	return s;
}

int
cmd_activate(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "mode", activate_opts), ncmd = opt.ndashed;
	struct addr a[NAMES_MAX];
	int fds[NAMES_MAX];
	char n[32], pid[32], *names;
	size_t k, na;

	if (ncmd <= 0)
		usage_error("missing -- CMD...");
	na = (size_t)(argc - ncmd - i);
	if (na == 0)
		usage_error("missing ADDR");
	if (na > NAMES_MAX)
		usage_error("more than %d ADDR", NAMES_MAX);
	for (k = 0; k < na; k++)
		parse_addr(argv[i + (int)k], ADDR_BIND, &a[k]);
	names = activate_names(na);
	for (k = 0; k < na; k++)
		if ((fds[k] = sock_bind(&a[k], opt.has_mode ? opt.mode : 0600,
		    SOMAXCONN)) == -1)
			errx(125, "activate %s: %s", esc_name(a[k].arg),
			    sock_bind_why(errno));
	if (fdpass_place(fds, na) == -1)
		err(125, "activate: placing the descriptors");
	snprintf(n, sizeof(n), "LISTEN_FDS=%zu", na);
	snprintf(pid, sizeof(pid), "LISTEN_PID=%ld", (long)getpid());
	if (putenv(n) != 0 || putenv(pid) != 0 || putenv(names) != 0)
		err(125, "activate");
	child_replace(argv + argc - ncmd);
}
