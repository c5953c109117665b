/*
 * The raw reference for bulk copies through a FIFO: splice(2) through a
 * 1 MiB pipe, blocking, no poll(2), no deadlines, no options. What
 * ipc-pipe send/recv would cost if they did nothing but move the bytes.
 *
 *	splice FIFO		the FIFO to stdout	(as ipc-pipe recv FIFO)
 *	splice -w FIFO		stdin to the FIFO	(as ipc-pipe send FIFO)
 *
 * One side of every splice is the FIFO, so the other may be anything
 * splice accepts: a regular file, /dev/null, a pipe.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK	(1 << 20)

static void
usage(void)
{
	fprintf(stderr, "usage: splice [-w] FIFO\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	int wr, fifo, in, out;
	ssize_t n;

	wr = argc == 3 && strcmp(argv[1], "-w") == 0;
	if (argc != 2 + wr)
		usage();
	if ((fifo = open(argv[1 + wr], wr ? O_WRONLY : O_RDONLY)) == -1)
		err(1, "%s", argv[1 + wr]);
	in = wr ? 0 : fifo;
	out = wr ? fifo : 1;
	/* both sides that are pipes (the other may be one too, as in
	 * "splice FIFO | cat"); where 1 MiB is refused, or the side is no
	 * pipe, keep what it has, as ipc-pipe does */
	(void)fcntl(in, F_SETPIPE_SZ, CHUNK);
	(void)fcntl(out, F_SETPIPE_SZ, CHUNK);
	for (;;) {
		n = splice(in, NULL, out, NULL, CHUNK, SPLICE_F_MOVE);
		if (n > 0)
			continue;
		if (n == 0)
			return 0;
		if (errno != EINTR)
			err(1, "splice");
	}
}
