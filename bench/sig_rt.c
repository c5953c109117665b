/*
 * A signal's round trip, sender to printed line: run the sender N times,
 * one after another, and after each wait for the receiver's line on
 * descriptor FD; print the mean microseconds of one round trip.
 *
 *	sig_rt N FD CMD [ARG...]
 */
#include <sys/wait.h>
#include <err.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* one line from fd, byte by byte: nothing of the next is taken */
static void
line(int fd)
{
	char c;
	ssize_t n;

	while ((n = read(fd, &c, 1)) == 1 && c != '\n')
		;
	if (n != 1)
		errx(1, "the receiver's output ended");
}

int
main(int argc, char *argv[])
{
	double t0;
	long i, n;
	pid_t pid;
	int fd, st;

	if (argc < 4 || (n = atol(argv[1])) <= 0)
		errx(2, "usage: sig_rt N FD CMD [ARG...]");
	fd = atoi(argv[2]);
	t0 = now();
	for (i = 0; i < n; i++) {
		if (posix_spawn(&pid, argv[3], NULL, NULL, argv + 3, environ))
			err(1, "%s", argv[3]);
		if (waitpid(pid, &st, 0) == -1 || st != 0)
			errx(1, "%s failed", argv[3]);
		line(fd);
	}
	printf("%.1f\n", (now() - t0) / n);
	return 0;
}
