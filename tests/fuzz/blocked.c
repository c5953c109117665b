/*
 * What a blocked thread shows (lib/blocked.c): the first byte picks a
 * parser (a syscall line, then its words; an epoll tfd line; a maps
 * line, lib/procfs.c's; a /proc/locks or fdinfo lock line; /proc/PID/sched's text), the
 * rest is its input.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"
#include "fuzz.h"

static void
syscall_text(const char *s)
{
	struct blocked b;
	char words[64];
	size_t n;

	memset(&b, 0, sizeof(b));
	if (blocked_parse(s, &b) == -1)
		return;
	assert(b.kind >= BLOCKED_RUNNING && b.kind <= BLOCKED_SLEEP);
	assert(b.timed == 0 || b.timed == 1);
	b.other = "the other end";
	n = blocked_words(&b, words, sizeof(words));
	assert(n < sizeof(words) && n == strlen(words) && n > 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct blocked_watch w;
	struct procfs_map m;
	struct blocked_lock l;
	unsigned pick;
	double ms;
	char *s;

	if ((s = fuzz_pick(data, size, &pick)) == NULL)
		return 0;
	fuzz_begin();
	switch (pick % 5) {
	case 0:
		syscall_text(s);
		break;
	case 1:
		if (blocked_epoll_line(s, &w) == 0)
			assert(w.fd >= 0);
		break;
	case 2:
		if (procfs_maps_line(s, &m) == 0)
			assert(m.start <= m.end &&
			    strlen(m.path) < sizeof(m.path));
		break;
	case 3:
		if (blocked_lock_line(s, &l) == 0)
			assert(l.holder == -1 && strlen(l.type) < sizeof(l.type));
		break;
	case 4:
		if (blocked_sched(s, &ms) == 0)
			assert(ms >= 0);
		break;
	}
	free(s);
	return 0;
}
