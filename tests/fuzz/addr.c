/*
 * Socket addresses (lib/addr.c): the first byte picks --type and
 * ADDR_BIND, the rest is the address. One accepted fits its sockaddr,
 * and a Unix one reads back as it was given.
 */
#include <sys/un.h>
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"
#include "fuzz.h"

static const int types[] = { 0, SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET };

static void
check(const struct addr *a)
{
	char buf[ADDR_BUF];

	assert(a->len > 0 && a->len <= sizeof(a->sa));
	addr_str((const struct sockaddr *)&a->sa, a->len, buf, sizeof(buf));
	if (a->kind == ADDR_PATH)
		assert(strcmp(buf, a->path) == 0);
	else if (a->kind == ADDR_ABSTRACT)
		assert(buf[0] == '@' && strcmp(buf + 1, a->path) == 0);
	else
		assert(a->port <= 65535 && a->type == (a->kind == ADDR_TCP ?
		    SOCK_STREAM : SOCK_DGRAM));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct addr a;
	unsigned pick;
	char *s;
	int type;

	if ((s = fuzz_pick(data, size, &pick)) == NULL)
		return 0;
	fuzz_begin();
	FUZZ_CATCH {
		addr_parse(s, types[pick & 3], pick & 4 ? ADDR_BIND : 0, &a);
		check(&a);
	}
	FUZZ_CATCH {
		type = addr_type(s);
		assert(strcmp(addr_type_name(type), s) == 0);
	}
	free(s);
	return 0;
}
