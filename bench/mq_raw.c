/*
 * The reference ipc-mq is measured against: raw mq_send(3) and
 * mq_receive(3) loops, one call per message and nothing else.
 *
 *	mq_raw send NAME N	send the lines of seq N, one message each
 *	mq_raw recv NAME N	receive N messages, write each and a newline
 *	mq_raw one NAME MSG	open the queue, send one message (start-up)
 */
#include <err.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
send_n(mqd_t q, long n)
{
	char buf[32];
	long i;
	int len;

	for (i = 1; i <= n; i++) {
		len = snprintf(buf, sizeof(buf), "%ld", i);
		if (mq_send(q, buf, (size_t)len, 0) == -1)
			err(1, "mq_send");
	}
}

static void
recv_n(mqd_t q, long n)
{
	struct mq_attr a;
	char *buf;
	ssize_t len;
	long i;

	if (mq_getattr(q, &a) == -1 ||
	    (buf = malloc((size_t)a.mq_msgsize)) == NULL)
		err(1, "mq_getattr");
	for (i = 0; i < n; i++) {
		len = mq_receive(q, buf, (size_t)a.mq_msgsize, NULL);
		if (len == -1)
			err(1, "mq_receive");
		fwrite(buf, 1, (size_t)len, stdout);
		putchar('\n');
	}
	if (fflush(stdout) == EOF)
		err(1, "stdout");
}

int
main(int argc, char *argv[])
{
	mqd_t q;

	if (argc != 4)
		errx(2, "usage: mq_raw send|recv NAME N | mq_raw one NAME MSG");
	q = mq_open(argv[2], strcmp(argv[1], "recv") == 0 ? O_RDONLY :
	    O_WRONLY);
	if (q == (mqd_t)-1)
		err(1, "%s", argv[2]);
	if (strcmp(argv[1], "one") == 0) {
		if (mq_send(q, argv[3], strlen(argv[3]), 0) == -1)
			err(1, "mq_send");
	} else if (strcmp(argv[1], "send") == 0)
		send_n(q, count(argv[3]));
	else
		recv_n(q, count(argv[3]));
	return 0;
}
