/*
 * Start-up cost: run a command N times, one after another, with stdin,
 * stdout and stderr on /dev/null, and print the mean wall time of one
 * run in microseconds. posix_spawn(3) (vfork underneath) keeps the
 * timer's own cost out of what it measures, as far as that goes.
 *
 *	spawn N CMD [ARG...]
 */
#include <sys/wait.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

extern char **environ;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int
main(int argc, char *argv[])
{
	posix_spawn_file_actions_t fa;
	double t0;
	char *end;
	long i, n;
	pid_t pid;
	int st, e;

	if (argc < 3 || (n = strtol(argv[1], &end, 10)) <= 0 || *end != '\0') {
		fprintf(stderr, "usage: spawn N CMD [ARG...]\n");
		return 2;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	t0 = now();
	for (i = 0; i < n; i++) {
		if ((e = posix_spawn(&pid, argv[2], &fa, NULL, argv + 2,
		    environ)) != 0) {
			errno = e;
			err(1, "%s", argv[2]);
		}
		if (waitpid(pid, &st, 0) == -1)
			err(1, "waitpid");
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			errx(1, "%s: run %ld failed (status %#x)", argv[2], i, st);
	}
	printf("%.1f\n", (now() - t0) / n);
	return 0;
}
