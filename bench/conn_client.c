/*
 * A client for connections per second: N times, one after another,
 * connect to the stream socket at PATH, write one byte, shut the
 * writing side, read to EOF and close. Prints the mean wall time of one
 * connection in microseconds. Every server is driven by this same
 * client, so what differs between them is the server's own cost.
 *
 *	conn_client PATH N
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* one connection; the bytes that came back */
static size_t
one(const struct sockaddr_un *sun)
{
	char buf[4096];
	size_t got = 0;
	ssize_t n;
	int fd;

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	if (connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == -1)
		err(1, "connect %s", sun->sun_path);
	if (write(fd, "x", 1) != 1 || shutdown(fd, SHUT_WR) == -1)
		err(1, "write %s", sun->sun_path);
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n > 0)
			got += (size_t)n;
		else if (errno != EINTR)
			err(1, "read %s", sun->sun_path);
	}
	close(fd);
	return got;
}

int
main(int argc, char *argv[])
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char *end = NULL;
	double t0;
	long n = 0, i;

	if (argc == 3)
		n = strtol(argv[2], &end, 10);
	if (n <= 0 || *end != '\0' || strlen(argv[1]) >= sizeof(sun.sun_path))
		errx(2, "usage: conn_client PATH N");
	strcpy(sun.sun_path, argv[1]);
	t0 = now();
	for (i = 0; i < n; i++)
		if (one(&sun) == 0)
			errx(1, "connection %ld: nothing came back", i + 1);
	printf("%.1f\n", (now() - t0) / n);
	return 0;
}
