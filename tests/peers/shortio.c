/*
 * An LD_PRELOAD shim: every read(2) and write(2) moves at most
 * SHORTIO_MAX bytes (default 1), as a slow pipe, a signal or a full
 * socket can make them do, so a command that takes a short count for a
 * whole one shows it. Standard error is left alone, so its lines stay
 * whole for the test to read.
 *
 *	LD_PRELOAD=tests/peers/shortio.so SHORTIO_MAX=3 CMD [ARG...]
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <unistd.h>

static size_t
most(int fd, size_t len)
{
	const char *s = getenv("SHORTIO_MAX");
	long m = s != NULL ? strtol(s, NULL, 10) : 1;

	if (fd == STDERR_FILENO || m < 1 || len <= (size_t)m)
		return len;
	return (size_t)m;
}

ssize_t
read(int fd, void *buf, size_t len)
{
	static ssize_t (*real)(int, void *, size_t);

	if (real == NULL)
		real = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
	return real(fd, buf, most(fd, len));
}

ssize_t
write(int fd, const void *buf, size_t len)
{
	static ssize_t (*real)(int, const void *, size_t);

	if (real == NULL)
		real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT,
		    "write");
	return real(fd, buf, most(fd, len));
}
