/*
 * EFBIG where a file would pass RLIMIT_FSIZE (ulimit -f, which counts
 * in /dev/shm too): what would have been death by SIGXFSZ, had
 * verb_main not ignored it, said with the numbers that explain it.
 */
#include <sys/resource.h>
#include <err.h>
#include <errno.h>
#include <string.h>

#include "ipc.h"

/* RLIMIT_FSIZE in bytes; 0: none */
uintmax_t
fsize_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_FSIZE, &rl) == -1 || rl.rlim_cur == RLIM_INFINITY)
		return 0;
	return (uintmax_t)rl.rlim_cur;
}

/*
 * A call that failed (errno) making name end at end bytes: when it is
 * RLIMIT_FSIZE's EFBIG, "VERB NAME: File too large (N bytes >
 * RLIMIT_FSIZE M, ulimit -f)" and exit 1; otherwise back, errno kept
 */
void
fsize_check(const char *name, uintmax_t end)
{
	uintmax_t lim;
	int e = errno;

	if (e == EFBIG && (lim = fsize_limit()) != 0 && end > lim)
		errx(1, "%s %s: %s (%ju bytes > RLIMIT_FSIZE %ju, ulimit -f)",
		    verb_name, esc_name(name), strerror(EFBIG), end, lim);
	errno = e;
}
