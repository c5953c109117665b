/*
 * holdfds N SECONDS [NAME]: N processes, each holding a pipe and a
 * socket pair, the load the /proc index is measured under. With NAME,
 * also a POSIX shared memory object /NAME, mapped MAP_SHARED by every
 * child (its descriptor closed: the mapping holds it), and a POSIX
 * queue /NAME, whose descriptor every child holds; both are made here,
 * and removed when this process ends by EOF, the alarm, SIGTERM or
 * SIGINT. Prints "ready" once every child holds its descriptors; all of
 * them end at SECONDS, on SIGTERM, SIGINT or EOF on stdin, or when this
 * process dies (PR_SET_PDEATHSIG), so a killed bench leaves nothing
 * behind but the two names (the script removes them too).
 */
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <err.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char shmname[256];

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

/* the shared object and the queue: made, mapped and opened before the
 * children are forked, so each inherits the mapping and the queue */
static void
objects(const char *name)
{
	struct mq_attr a = { .mq_maxmsg = 1, .mq_msgsize = 16 };
	void *m;
	int fd;

	if (snprintf(shmname, sizeof(shmname), "/%s", name) >=
	    (int)sizeof(shmname) || strchr(name, '/') != NULL)
		errx(2, "%s: not a name", name);
	if ((fd = shm_open(shmname, O_RDWR | O_CREAT | O_EXCL, 0600)) == -1)
		err(1, "shm_open %s", shmname);
	if (ftruncate(fd, 4096) == -1 ||
	    (m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) ==
	    MAP_FAILED) {
		shm_unlink(shmname);
		err(1, "map %s", shmname);
	}
	close(fd);
	if (mq_open(shmname, O_RDWR | O_CREAT | O_EXCL, 0600, &a) == (mqd_t)-1) {
		shm_unlink(shmname);
		err(1, "mq_open %s", shmname);
	}
}

static void
unlink_objects(void)
{
	if (shmname[0] != '\0') {
		shm_unlink(shmname);
		mq_unlink(shmname);
	}
}

/* no SA_RESTART: the read in main returns, and main ends the load */
static void
ended(int sig)
{
	(void)sig;
}

int
main(int argc, char *argv[])
{
	struct sigaction sa;
	pid_t self = getpid(), pid;
	int rd[2], i, n, secs;
	char c;

	if ((argc != 3 && argc != 4) || (n = atoi(argv[1])) <= 0 ||
	    n > 100000 || (secs = atoi(argv[2])) <= 0)
		errx(2, "usage: holdfds N SECONDS [NAME]");
	if (setpgid(0, 0) == -1 || pipe(rd) == -1)
		err(1, "setup");
	if (argc == 4)
		objects(argv[3]);
	/* the alarm, SIGTERM and SIGINT end the read below, not us: the
	 * names are removed on the way out */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGALRM, &sa, NULL);
	for (i = 0; i < n; i++) {
		if ((pid = fork()) == -1) {
			unlink_objects();
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
		if (read(rd[0], &c, 1) != 1) {
			unlink_objects();
			kill(0, SIGKILL);
			errx(1, "a child did not start");
		}
	printf("ready\n");
	fflush(stdout);
	sa.sa_handler = ended;
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	alarm((unsigned)secs);
	/* EOF on stdin, or the alarm or a signal ends the read; the
	 * children end by the group's SIGKILL (and PR_SET_PDEATHSIG) */
	while (read(0, &c, 1) > 0)
		;
	unlink_objects();
	kill(0, SIGKILL);
	return 0;
}
