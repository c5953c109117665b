/*
 * The bare C pair a signal's round trip is measured against:
 *
 *	sig_pair recv PIDFILE SIG   block SIG, write our pid, then print
 *	                            "SIG" for each one sigtimedwait takes
 *	sig_pair send SIG PID       one sigqueue(3) of SIG with value 1
 */
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
recv_loop(const char *pidfile, int sig)
{
	sigset_t set;
	siginfo_t si;
	FILE *f;

	sigemptyset(&set);
	sigaddset(&set, sig);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		err(1, "sigprocmask");
	if ((f = fopen(pidfile, "w")) == NULL)
		err(1, "%s", pidfile);
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
	for (;;) {
		if (sigtimedwait(&set, &si, NULL) == -1)
			continue;
		printf("SIG%d\n", si.si_signo);
		if (fflush(stdout) == EOF)
			return 1;
	}
}

int
main(int argc, char *argv[])
{
	union sigval v = { .sival_int = 1 };

	if (argc == 4 && strcmp(argv[1], "recv") == 0)
		return recv_loop(argv[2], atoi(argv[3]));
	if (argc == 4 && strcmp(argv[1], "send") == 0) {
		if (sigqueue((pid_t)atol(argv[3]), atoi(argv[2]), v) == -1)
			err(1, "sigqueue");
		return 0;
	}
	errx(2, "usage: sig_pair recv PIDFILE SIG | send SIG PID");
}
