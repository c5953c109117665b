/*
 * A process to be signalled and watched, for the tests: libc's
 * sigaction and pthreads, nothing from ipc-tools.
 *
 *	sigpeer READY [N]
 *
 * Catches USR1, USR2 and TERM and writes a line to stdout for each one
 * it handles: the name and the sender's pid, as the handler's siginfo
 * has them ("USR1 1234"). N threads (default 0) are started, with USR1
 * blocked; then READY is created. USR2 makes it start one more thread,
 * which alone takes USR1 from then on (the main thread blocks it too),
 * and which writes "thread TID" once that is so. TERM makes it exit 3.
 */
#include <sys/syscall.h>
#include <err.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t more;

/* "NAME PID\n", with write(2) alone: a handler may call nothing else */
static void
say(const char *name, long n)
{
	char buf[64], num[24];
	size_t len = strlen(name), i = sizeof(num);

	memcpy(buf, name, len);
	buf[len++] = ' ';
	do
		num[--i] = (char)('0' + n % 10);
	while ((n /= 10) > 0 && i > 0);
	memcpy(buf + len, num + i, sizeof(num) - i);
	len += sizeof(num) - i;
	buf[len++] = '\n';
	write(STDOUT_FILENO, buf, len);
}

static void
on_signal(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	say(sig == SIGUSR1 ? "USR1" : sig == SIGUSR2 ? "USR2" : "TERM",
	    (long)si->si_pid);
	if (sig == SIGUSR2)
		more = 1;
	if (sig == SIGTERM)
		_exit(3);
}

static void *
idle(void *arg)
{
	if (arg != NULL) {
		pthread_sigmask(SIG_UNBLOCK, arg, NULL);
		say("thread", (long)syscall(SYS_gettid));
	}
	while (pause() == -1)	/* it returns only when a handler ran */
		;
	return NULL;
}

static void
start(void *arg)
{
	pthread_t t;

	if (pthread_create(&t, NULL, idle, arg) != 0)
		errx(1, "pthread_create");
}

int
main(int argc, char *argv[])
{
	struct sigaction sa;
	sigset_t usr1;
	int n, fd;

	if (argc < 2)
		errx(2, "usage: sigpeer READY [N]");
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
	for (n = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 0; n > 0; n--)
		start(NULL);
	pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
	if ((fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1)
		err(1, "%s", argv[1]);
	close(fd);
	for (;;) {
		pause();
		if (more) {
			more = 0;
			pthread_sigmask(SIG_BLOCK, &usr1, NULL);
			start(&usr1);
		}
	}
}
