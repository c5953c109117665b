/*
 * Socket addresses (lib/addr.c): the first byte picks --type and
 * ADDR_BIND, the rest is the address. One accepted fits its sockaddr,
 * and a Unix one, printed escaped, reads back as the bytes it names.
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
	char buf[ADDR_BUF], back[ADDR_BUF];
	size_t len;

	assert(a->len > 0 && a->len <= sizeof(a->sa));
	addr_str((const struct sockaddr *)&a->sa, a->len, buf, sizeof(buf));
	/* printed escaped, and the escapes undone give the bytes again */
	if (a->kind == ADDR_PATH)
		assert(esc_unescape(buf, back, sizeof(back), &len) == 0 &&
		    len == a->pathlen && memcmp(back, a->path, len) == 0);
	else if (a->kind == ADDR_ABSTRACT)
		assert(buf[0] == '@' && esc_unescape(buf + 1, back,
		    sizeof(back), &len) == 0 && len == a->pathlen &&
		    memcmp(back, a->path, len) == 0);
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
