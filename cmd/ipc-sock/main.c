/*
 * ipc-sock: Unix sockets (path and abstract), TCP and UDP. Here: the verb
 * table, and ADDR as every verb takes it. The verbs are in rooms of their
 * own: sendrecv.c (send, recv), serve.c (connect, listen, activate),
 * list.c (stat, ls, rm), tap.c and tapio.c (tap).
 */
#include <sys/socket.h>
#include <err.h>
#include <errno.h>
#include <poll.h>

#include "ipc.h"
#include "ipc-sock.h"

/* ADDR from the operand, as --type and the verb allow */
void
parse_addr(const char *s, int flags, struct addr *a)
{
	addr_parse(s, opt.val[O_TYPE] ? addr_type(opt.val[O_TYPE]) : 0, flags,
	    a);
	stdout_name(s);
}

/* the one ADDR operand at argv[i] */
void
one_addr(int argc, char *argv[], int i, int flags, struct addr *a)
{
	parse_addr(opt_operand(argc, argv, i, "ADDR"), flags, a);
}

void __attribute__((noreturn))
failed(const struct addr *a, const char *doing)
{
	if (errno == ETIMEDOUT)
		errx(EXIT_TIMEOUT, "%s %s: timed out %s", opt.verb->name,
		    esc_name(a->arg), doing);
	err(1, "%s %s", opt.verb->name, esc_name(a->arg));
}

int
connect_to(const struct addr *a, const struct deadline *d)
{
	int fd;

	if ((fd = sock_connect(a, d)) == -1)
		failed(a, "connecting");
	return fd;
}

int
bind_to(struct addr *a, int backlog)
{
	int fd;

	if ((fd = sock_bind(a, opt.has_mode ? opt.mode : 0600, backlog)) == -1)
		errx(1, "%s %s: %s", opt.verb->name, esc_name(a->arg),
		    sock_bind_why(errno));
	return fd;
}

/* a connection from the listener, waited for as -t allows */
int
accept_one(int lfd, const struct addr *a, const struct deadline *d)
{
	int fd;

	msgout_flush();
	for (;;) {
		if (wait_fd(lfd, POLLIN, d) == -1)
			failed(a, "waiting for a connection");
		if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) != -1)
			return fd;
		if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			failed(a, "");
	}
}

static const struct verb verbs[] = {
	{ "listen", cmd_listen, "listen [-1] [-e CMD [-n MAX] [--kill-after "
	    "DUR]] [-m MODE] [--type TYPE] ADDR" },
	{ "activate", cmd_activate, "activate [--name NAME]... [-m MODE] "
	    "[--type TYPE] ADDR... -- CMD..." },
	{ "connect", cmd_connect, "connect [-t DUR] [--type TYPE] "
	    "[--progress] ADDR" },
	{ "send", cmd_send, "send [-t DUR] [-l|-0] [--pass-fd N]... "
	    "[--type TYPE] [--progress] ADDR [MSG...]" },
	{ "recv", cmd_recv, "recv [-t DUR] [-c N|-f] [-v] [-j] [-0|-r] "
	    "[-m MODE] [--type TYPE] [--take-fd] [--progress] ADDR [-- CMD...]" },
	{ "stat", cmd_stat, "stat [-o LIST] [-j] [--wait [-t DUR]] ADDR" },
	{ "ls", cmd_ls, "ls [-H] [--notruncate] [-o LIST] [-j] [--pid PID] [DIR...]" },
	{ "rm", cmd_rm, "rm [-f] PATH..." },
	{ "tap", cmd_tap, "tap [-X|-j] PATH" },
	{ NULL, NULL, NULL }
};

int
main(int argc, char *argv[])
{
	return verb_main(verbs, argc, argv);
}
