/*
 * An independent message queue client for the tests: libc's mq_* and
 * msgsnd/msgrcv calls, nothing from ipc-tools.
 *
 *	mqpeer send NAME PRIO MSG	mq_send one message
 *	mqpeer recv NAME		mq_receive one, print PRIO<TAB>MSG
 *	mqpeer attr NAME		print maxmsg msgsize curmsgs
 *	mqpeer mode NAME		print its mode in octal, from fstat(2) of
 *					the descriptor: no /dev/mqueue needed
 *	mqpeer hold NAME READY		open NAME, create READY, wait
 *	mqpeer notify NAME READY	the same, registered for mq_notify
 *	mqpeer svsend KEY TYPE MSG	msgsnd one message (KEY in hex)
 *	mqpeer svrecv KEY		msgrcv one, print TYPE<TAB>MSG
 */
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/stat.h>
#include <err.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct {
	long type;
	char text[65536];
} m;

static mqd_t
open_q(const char *name, int flags)
{
	mqd_t q = mq_open(name, flags);

	if (q == (mqd_t)-1)
		err(1, "%s", name);
	return q;
}

static void
hold(const char *name, const char *ready, int notify)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL,
	    .sigev_signo = SIGUSR1 };
	mqd_t q = open_q(name, O_RDONLY);
	int fd;

	signal(SIGUSR1, SIG_IGN);
	if (notify && mq_notify(q, &ev) == -1)
		err(1, "mq_notify");
	if ((fd = open(ready, O_WRONLY | O_CREAT, 0600)) == -1)
		err(1, "%s", ready);
	close(fd);
	pause();
}

static int
sysv(int argc, char *argv[])
{
	int id = msgget((key_t)strtoul(argv[2], NULL, 16), 0);
	ssize_t n;

	if (strcmp(argv[1], "svsend") == 0 && argc != 5)
		errx(2, "usage: mqpeer svsend KEY TYPE MSG");
	if (id == -1)
		err(1, "%s", argv[2]);
	if (strcmp(argv[1], "svsend") == 0) {
		m.type = strtol(argv[3], NULL, 10);
		strncpy(m.text, argv[4], sizeof(m.text) - 1);
		if (msgsnd(id, &m, strlen(m.text), 0) == -1)
			err(1, "msgsnd");
		return 0;
	}
	if ((n = msgrcv(id, &m, sizeof(m.text), 0, 0)) == -1)
		err(1, "msgrcv");
	printf("%ld\t%.*s\n", m.type, (int)n, m.text);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct mq_attr a;
	struct stat st;
	unsigned prio;
	ssize_t n;
	mqd_t q;

	if (argc < 3)
		errx(2, "usage: mqpeer send|recv|attr|mode|hold|notify|svsend|"
		    "svrecv ...");
	if (strncmp(argv[1], "sv", 2) == 0)
		return sysv(argc, argv);
	if (strcmp(argv[1], "send") == 0 && argc == 5) {
		q = open_q(argv[2], O_WRONLY);
		if (mq_send(q, argv[4], strlen(argv[4]),
		    (unsigned)strtoul(argv[3], NULL, 10)) == -1)
			err(1, "mq_send");
	} else if (strcmp(argv[1], "recv") == 0) {
		q = open_q(argv[2], O_RDONLY);
		if ((n = mq_receive(q, m.text, sizeof(m.text), &prio)) == -1)
			err(1, "mq_receive");
		printf("%u\t%.*s\n", prio, (int)n, m.text);
	} else if (strcmp(argv[1], "attr") == 0) {
		q = open_q(argv[2], O_RDONLY);
		if (mq_getattr(q, &a) == -1)
			err(1, "mq_getattr");
		printf("%ld %ld %ld\n", a.mq_maxmsg, a.mq_msgsize,
		    a.mq_curmsgs);
	} else if (strcmp(argv[1], "mode") == 0) {
		q = open_q(argv[2], O_RDONLY);
		if (fstat(q, &st) == -1)
			err(1, "fstat");
		printf("%o\n", (unsigned)(st.st_mode & 07777));
	} else if (argc == 4 && (strcmp(argv[1], "hold") == 0 ||
	    strcmp(argv[1], "notify") == 0))
		hold(argv[2], argv[3], argv[1][0] == 'n');
	else
		errx(2, "mqpeer: bad arguments");
	return 0;
}
