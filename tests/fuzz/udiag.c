/*
 * A unix_diag dump datagram (lib/udiag.c), as the kernel would send it:
 * every socket read out of it has a name that fits and ends in a NUL.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"
#include "fuzz.h"

static int
seen(const struct usock *u, void *arg)
{
	size_t *n = arg;

	assert(u->namelen < sizeof(u->name) && u->name[u->namelen] == '\0');
	return ++*n > 1000;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = 0;
	void *buf;
	int r;

	fuzz_begin();
	/* the kernel's buffer is aligned for nlmsghdr; so is malloc's */
	if ((buf = malloc(size ? size : 1)) == NULL)
		abort();
	memcpy(buf, data, size);
	r = udiag_parse(buf, size, seen, &n);
	assert(r == 0 || r == 1 || (r == -1 && errno != 0));
	free(buf);
	return 0;
}
