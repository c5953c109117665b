/*
 * The raw reference for a byte stream over a Unix socket: splice(2)
 * between a pipe and the socket, 1 MiB a call, the pipe grown to 1 MiB,
 * blocking, no poll(2), no deadlines, no options. What ipc-sock send and
 * recv would cost if they did nothing but move the bytes.
 *
 *	sock_raw send PATH	stdin (a pipe) to a socket connected to PATH
 *	sock_raw recv PATH	listen at PATH, take one connection, its
 *				bytes to stdout (a pipe); PATH removed at the end
 */
#include <sys/socket.h>
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

static void
splice_all(int in, int out)
{
	ssize_t n;

	for (;;) {
		n = splice(in, NULL, out, NULL, CHUNK, SPLICE_F_MOVE);
		if (n > 0)
			continue;
		if (n == 0)
			return;
		if (errno != EINTR)
			err(1, "splice");
	}
}

int
main(int argc, char *argv[])
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, lfd, rd;

	if (argc != 3 || strlen(argv[2]) >= sizeof(sun.sun_path))
		usage();
	rd = strcmp(argv[1], "recv") == 0;
	if (!rd && strcmp(argv[1], "send") != 0)
		usage();
	strcpy(sun.sun_path, argv[2]);
	/* where 1 MiB is refused, keep what the pipe has, as ipc-sock does */
	(void)fcntl(rd ? 1 : 0, F_SETPIPE_SZ, CHUNK);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	if (!rd) {
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
