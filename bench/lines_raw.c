/*
 * The raw reference for atomic lines into a FIFO: stdin read 64 KiB at a
 * time, written in runs of whole lines of at most PIPE_BUF bytes, each
 * run one write(2), so that concurrent writers never interleave. What
 * ipc-pipe send -l would cost if it did nothing but that: no deadline,
 * no poll(2), no count of lines, no check of a line too long (one
 * longer than PIPE_BUF is cut, which send -l refuses). The FIFO keeps
 * the size it has, as it does for cat.
 *
 *	lines_raw FIFO		stdin's lines to the FIFO
 */
#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
put(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1)
			err(1, "write");
		p += n;
		len -= (size_t)n;
	}
}

int
main(int argc, char *argv[])
{
	static char buf[1 << 16];
	size_t start = 0, end = 0, len;
	const char *last;
	ssize_t n;
	int fd;

	if (argc != 2)
		errx(2, "usage: lines_raw FIFO");
	if ((fd = open(argv[1], O_WRONLY)) == -1)
		err(1, "%s", argv[1]);
	for (;;) {
		if ((n = read(0, buf + end, sizeof(buf) - end)) == -1)
			err(1, "stdin");
		end += (size_t)n;
		/* a run short of PIPE_BUF waits for more, but at the end */
		while (end - start >= PIPE_BUF || (n == 0 && end > start)) {
			len = end - start < PIPE_BUF ? end - start : PIPE_BUF;
			last = memrchr(buf + start, '\n', len);
			if (last == NULL || (n == 0 && len == end - start))
				last = buf + start + len - 1;
			put(fd, buf + start, (size_t)(last - buf - start) + 1);
			start = (size_t)(last - buf) + 1;
		}
		if (n == 0)
			return 0;
		memmove(buf, buf + start, end - start);
		end -= start;
		start = 0;
	}
}
