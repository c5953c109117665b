/*
 * POSIX names and System V keys (lib/name.c, and sysv_key over it): a
 * name accepted is one slash and at most NAME_MAX bytes; a key is one
 * of the three kinds, and never 0 unless private.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"
#include "fuzz.h"

static void
check_name(const char *in, const char *out)
{
	size_t len = strlen(out);

	assert(out[0] == '/' && len >= 2 && len <= NAME_MAX + 1);
	assert(strchr(out + 1, '/') == NULL);
	assert(strcmp(out + 1, in + (in[0] == '/')) == 0);
}

static void
check_key(const struct sysvkey *k)
{
	assert(k->kind == KEY_KEY || k->kind == KEY_ID ||
	    k->kind == KEY_PRIVATE);
	assert((k->kind == KEY_KEY) == (k->key != IPC_PRIVATE));
	assert(k->kind == KEY_ID || k->id == 0);
	assert(k->id >= 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), name[NAME_BUF];
	struct sysvkey k;

	fuzz_begin();
	FUZZ_CATCH {
		name_posix(s, name);
		check_name(s, name);
	}
	FUZZ_CATCH {
		name_key(s, &k);
		check_key(&k);
	}
	FUZZ_CATCH {
		sysv_key(SYSV_MSG, s, &k, 1);
		assert(k.kind != KEY_ID);
	}
	FUZZ_CATCH {
		sysv_key(SYSV_SHM, s, &k, 0);
		assert(k.kind != KEY_PRIVATE);
	}
	free(s);
	return 0;
}
