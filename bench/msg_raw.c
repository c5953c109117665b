/*
 * The reference ipc-mq -S is measured against: raw msgsnd(2) and
 * msgrcv(2) loops on a System V queue, one call per message and
 * nothing else (type 1, as ipc-mq send -S sends by default).
 *
 *	msg_raw send ID N	send the lines of seq N, one message each
 *	msg_raw recv ID N	receive N messages, write each and a newline
 *	msg_raw one ID MSG	send one message (start-up)
 */
#include <sys/msg.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct msg {
	long type;
	char text[8192];
};

static long
count(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (n <= 0 || *end != '\0')
		errx(2, "%s: not a count", s);
	return n;
}

static void
send_n(int id, long n)
{
	struct msg m = { .type = 1 };
	long i;
	int len;

	for (i = 1; i <= n; i++) {
		len = snprintf(m.text, sizeof(m.text), "%ld", i);
		if (msgsnd(id, &m, (size_t)len, 0) == -1)
			err(1, "msgsnd");
	}
}

static void
recv_n(int id, long n)
{
	static struct msg m;
	ssize_t len;
	long i;

	for (i = 0; i < n; i++) {
		if ((len = msgrcv(id, &m, sizeof(m.text), 0, 0)) == -1)
			err(1, "msgrcv");
		fwrite(m.text, 1, (size_t)len, stdout);
		putchar('\n');
	}
	if (fflush(stdout) == EOF)
		err(1, "stdout");
}

int
main(int argc, char *argv[])
{
	struct msg m = { .type = 1 };
	size_t len;
	int id;

	if (argc != 4)
		errx(2, "usage: msg_raw send|recv ID N | msg_raw one ID MSG");
	id = (int)count(argv[2]);
	if (strcmp(argv[1], "one") == 0) {
		if ((len = strlen(argv[3])) > sizeof(m.text))
			errx(1, "too long");
		memcpy(m.text, argv[3], len);
		if (msgsnd(id, &m, len, 0) == -1)
			err(1, "msgsnd");
	} else if (strcmp(argv[1], "send") == 0)
		send_n(id, count(argv[3]));
	else
		recv_n(id, count(argv[3]));
	return 0;
}
