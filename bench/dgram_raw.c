/*
 * The raw reference for datagrams over a Unix socket: a send(2) loop
 * into a recv(2) loop, one call per message and nothing else.
 *
 *	dgram_raw send PATH	each line of stdin, its newline dropped, one
 *				datagram to PATH
 *	dgram_raw recv PATH N	bind PATH, receive N datagrams, write each
 *				and a newline; PATH removed at the end
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char buf[1 << 16];

static void
send_lines(int fd)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	while ((len = getline(&line, &cap, stdin)) > 0) {
		if (line[len - 1] == '\n')
			len--;
		if (send(fd, line, (size_t)len, 0) == -1)
			err(1, "send");
	}
	free(line);
}

static void
recv_n(int fd, long n)
{
	ssize_t len;
	long i;

	for (i = 0; i < n; i++) {
		if ((len = recv(fd, buf, sizeof(buf), 0)) == -1)
			err(1, "recv");
		fwrite(buf, 1, (size_t)len, stdout);
		putchar('\n');
	}
	if (fflush(stdout) == EOF)
		err(1, "stdout");
}

int
main(int argc, char *argv[])
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char *end = NULL;
	long n = 0;
	int fd, rd;

	rd = argc == 4 && strcmp(argv[1], "recv") == 0;
	if (rd)
		n = strtol(argv[3], &end, 10);
	if (!(rd && n > 0 && *end == '\0') &&
	    !(argc == 3 && strcmp(argv[1], "send") == 0))
		errx(2, "usage: dgram_raw send PATH | dgram_raw recv PATH N");
	if (strlen(argv[2]) >= sizeof(sun.sun_path))
		errx(2, "%s: too long", argv[2]);
	strcpy(sun.sun_path, argv[2]);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	if (!rd) {
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
			err(1, "connect %s", argv[2]);
		send_lines(fd);
		return 0;
	}
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		err(1, "bind %s", argv[2]);
	recv_n(fd, n);
	unlink(argv[2]);
	return 0;
}
