/*
 * The /proc/sysvipc line parsers (lib/sysv.c): the first byte picks
 * msg, sem or shm, the rest is the line. One accepted has an id and
 * fills only the kind's own ds.
 */
#include <assert.h>
#include <stdlib.h>

#include "ipc.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	union sysv_ds ds;
	unsigned pick;
	char *s;
	int id;

	if ((s = fuzz_pick(data, size, &pick)) == NULL)
		return 0;
	fuzz_begin();
	if (sysv_line((int)(pick % 3), s, &ds, &id) == 0)
		assert((ds.msg.msg_perm.mode & ~0xffffu) == 0);
	free(s);
	return 0;
}
