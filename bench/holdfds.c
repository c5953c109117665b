/*
 * holdfds N SECONDS: N processes, each holding a pipe and a socket pair,
 * the load the /proc index is measured under. Prints "ready" once every
 * child holds its descriptors; all of them end at SECONDS, on SIGTERM,
 * SIGINT or EOF on stdin, or when this process dies (PR_SET_PDEATHSIG),
 * so a killed bench leaves nothing behind.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void
child(pid_t parent, int ready)
{
	int p[2], s[2];

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		_exit(1);
	if (pipe(p) == -1 || socketpair(AF_UNIX, SOCK_STREAM, 0, s) == -1)
		_exit(1);
	if (write(ready, "", 1) != 1)
		_exit(1);
	close(ready);
	for (;;)
		pause();
}

int
main(int argc, char *argv[])
{
	pid_t self = getpid(), pid;
	int rd[2], i, n, secs;
	char c;

	if (argc != 3 || (n = atoi(argv[1])) <= 0 || n > 100000 ||
	    (secs = atoi(argv[2])) <= 0)
		errx(2, "usage: holdfds N SECONDS");
	if (setpgid(0, 0) == -1 || pipe(rd) == -1)
		err(1, "setup");
	for (i = 0; i < n; i++) {
		if ((pid = fork()) == -1) {
			kill(0, SIGKILL);
			err(1, "fork");
		}
		if (pid == 0) {
			close(rd[0]);
			child(self, rd[1]);
		}
	}
	close(rd[1]);
	for (i = 0; i < n; i++)
		if (read(rd[0], &c, 1) != 1)
			errx(1, "a child did not start");
	printf("ready\n");
	fflush(stdout);
	alarm((unsigned)secs);
	signal(SIGALRM, SIG_DFL);
	/* EOF on stdin, or the alarm or a signal ends us; the children
	 * follow by PR_SET_PDEATHSIG, and by the group's SIGKILL here */
	while (read(0, &c, 1) > 0)
		;
	kill(0, SIGKILL);
	return 0;
}
