/* Kernel limits as /proc/sys shows them (fs/mqueue/msg_max, ...). */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>

#include "ipc.h"

/* the number in a /proc/sys file: 0, or -1 with errno */
int
sysctl_num(const char *path, uintmax_t *v)
{
	char buf[64], *end;
	ssize_t n;
	int fd, e;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	e = (n == 0) ? EINVAL : errno;
	close(fd);
	if (n <= 0) {
		errno = e;
		return -1;
	}
	buf[n] = '\0';
	errno = 0;
	*v = strtoumax(buf, &end, 10);
	if (end == buf || errno != 0 || (*end != '\n' && *end != '\0')) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* the limit in path, or exit 1 naming the file that could not be read */
uintmax_t
sysctl_limit(const char *path)
{
	uintmax_t v;

	if (sysctl_num(path, &v) == -1)
		err(1, "%s", path);
	return v;
}
