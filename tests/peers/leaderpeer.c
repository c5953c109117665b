/*
 * A live process whose main thread has ended, for the tests: its
 * leader shows "State: Z" in /proc/PID/status, though the process
 * lives on and takes signals in its other thread.
 *
 *	leaderpeer READY
 *
 * Starts a thread that catches USR1 (writing "USR1" to stdout) and
 * exits 3 on TERM; creates READY once the main thread is about to end;
 * then ends the main thread with pthread_exit(3).
 */
#include <err.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static void
on_signal(int sig)
{
	if (sig == SIGTERM)
		_exit(3);
	write(STDOUT_FILENO, "USR1\n", 5);
}

static void *
idle(void *arg)
{
	(void)arg;
	while (pause() == -1)	/* it returns only when a handler ran */
		;
	return NULL;
}

int
main(int argc, char *argv[])
{
	struct sigaction sa;
	pthread_t t;
	int fd;

	if (argc != 2)
		errx(2, "usage: leaderpeer READY");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (pthread_create(&t, NULL, idle, NULL) != 0)
		errx(1, "pthread_create");
	if ((fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1)
		err(1, "%s", argv[1]);
	close(fd);
	pthread_exit(NULL);
}
