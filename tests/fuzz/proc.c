/*
 * The /proc line parsers (lib/procfs.c, lib/pidx.c): fdinfo's flags, a
 * maps line (whole, and the index's file or System V segment), a
 * syscall line, a /proc/net/tcp or udp line (v4 and v6), each given
 * the input.
 */
#include <assert.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	struct procfs_map m;
	struct procfs_inet in;
	unsigned long a[3];
	dev_t dev;
	ino_t ino;
	int acc, kind;

	fuzz_begin();
	acc = procfs_fdinfo_acc(s);
	assert(acc == -1 || (acc & ~O_ACCMODE) == 0);
	if (procfs_maps_line(s, &m) == 0)
		assert(m.start <= m.end && strlen(m.path) < sizeof(m.path));
	/* a file it maps has an inode; a segment is on no device of ours */
	kind = pidx_maps_line(s, &dev, &ino);
	assert(kind == -1 || kind == PIDX_MAP || kind == PIDX_SYSV);
	assert(kind != PIDX_MAP || ino != 0);
	assert(kind != PIDX_SYSV || dev == 0);
	(void)procfs_syscall_open(s, a);
	/* ports fit 16 bits; a line read as one width is not the other */
	if (procfs_inet_line(s, AF_INET, &in) == 0)
		assert(in.lport <= 65535 && in.rport <= 65535 &&
		    procfs_inet_line(s, AF_INET6, &in) == -1);
	if (procfs_inet_line(s, AF_INET6, &in) == 0)
		assert(in.family == AF_INET6 && in.lport <= 65535);
	free(s);
	return 0;
}
