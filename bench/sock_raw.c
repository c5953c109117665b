/*
 * The raw reference for a byte stream over a Unix socket: splice(2)
 * between the socket and stdin or stdout, 1 MiB a call, blocking, no
 * poll(2), no deadlines, and the one option ipc-sock send sets: a send
 * buffer of 1 MiB, so that the two move the same bytes per wake-up and
 * differ only in their own work. Straight where stdin or stdout is a
 * pipe (grown to 1 MiB); else (a file, /dev/null) through a 1 MiB pipe
 * of its own: socket -> pipe -> stdout, stdin -> pipe -> socket. What
 * ipc-sock send and recv would cost if they did nothing but move the
 * bytes.
 *
 *	sock_raw send PATH	stdin to a socket connected to PATH
 *	sock_raw recv PATH	listen at PATH, take one connection, its
 *				bytes to stdout; PATH removed at the end
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK	(1 << 20)

static void
usage(void)
{
	fprintf(stderr, "usage: sock_raw send|recv PATH\n");
	exit(2);
}

static ssize_t
splice_once(int in, int out, size_t len)
{
	ssize_t n;

	while ((n = splice(in, NULL, out, NULL, len, SPLICE_F_MOVE)) == -1)
		if (errno != EINTR)
			err(1, "splice");
	return n;
}

static int
is_pipe(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

/* in to out: straight where either is a pipe, else through one of ours */
static void
splice_all(int in, int out)
{
	ssize_t n, m;
	int p[2];

	if (is_pipe(in) || is_pipe(out)) {
		while (splice_once(in, out, CHUNK) > 0)
			;
		return;
	}
	if (pipe2(p, O_CLOEXEC) == -1)
		err(1, "pipe");
	(void)fcntl(p[1], F_SETPIPE_SZ, CHUNK);
	while ((n = splice_once(in, p[1], CHUNK)) > 0)
		for (; n > 0; n -= m)
			if ((m = splice_once(p[0], out, (size_t)n)) == 0)
				errx(1, "splice: nothing moved");
}

int
main(int argc, char *argv[])
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, lfd, rd, sndbuf = CHUNK;

	if (argc != 3 || strlen(argv[2]) >= sizeof(sun.sun_path))
		usage();
	rd = strcmp(argv[1], "recv") == 0;
	if (!rd && strcmp(argv[1], "send") != 0)
		usage();
	strcpy(sun.sun_path, argv[2]);
	/* where 1 MiB is refused, or stdin or stdout is no pipe, keep what
	 * it has, as ipc-sock does */
	(void)fcntl(rd ? 1 : 0, F_SETPIPE_SZ, CHUNK);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	if (!rd) {
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf,
		    sizeof(sndbuf));
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
			err(1, "connect %s", argv[2]);
		splice_all(0, fd);
		return 0;
	}
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(fd, SOMAXCONN) == -1)
		err(1, "bind %s", argv[2]);
	lfd = fd;
	if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) == -1)
		err(1, "accept");
	splice_all(fd, 1);
	unlink(argv[2]);
	return 0;
}
