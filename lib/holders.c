/*
 * What proc.c found, asked about: which processes hold an object, as a
 * list, and a copy of a holder's descriptor to look through.
 */
#include <sys/syscall.h>
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

static int
acc_matches(int acc, int want)
{
	if (want == HOLD_ANY)
		return 1;
	if (acc == O_RDWR)
		return 1;
	return (want == HOLD_READ) ? acc == O_RDONLY : acc == O_WRONLY;
}

/*
 * The holders of (dev, ino) (dev NULL: of the inode, on any device) are
 * among h[*from..to): the whole list, or where it is sorted (proc.c's
 * are) the run found by binary search
 */
static void
range(const struct holders *hs, const dev_t *dev, ino_t ino, size_t *from,
    size_t *to)
{
	size_t lo = 0, hi = hs->n, mid;
	const struct holder *h;

	*from = 0;
	*to = hs->n;
	if (!hs->sorted)
		return;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		h = &hs->h[mid];
		if ((dev != NULL && h->dev != *dev) ? h->dev < *dev :
		    h->ino < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	*from = lo;
	while (lo < hs->n && hs->h[lo].ino == ino &&
	    (dev == NULL || hs->h[lo].dev == *dev))
		lo++;
	*to = lo;
}

/* whether some holder has (dev, ino) open with access want */
int
holders_has(const struct holders *hs, dev_t dev, ino_t ino, int want)
{
	size_t i, to;

	for (range(hs, &dev, ino, &i, &to); i < to; i++)
		if (hs->h[i].dev == dev && hs->h[i].ino == ino &&
		    acc_matches(hs->h[i].acc, want))
			return 1;
	return 0;
}

/*
 * Whether pid holds (dev, ino) with access want (dev NULL: the inode on
 * any device, a socket's), as holders_str would name it: the rows ls
 * --pid keeps, asked before a row's other fields are read
 */
int
holders_held(const struct holders *hs, const dev_t *dev, ino_t ino,
    pid_t pid, int want)
{
	size_t i, to;

	for (range(hs, dev, ino, &i, &to); i < to; i++)
		if (hs->h[i].pid == pid && hs->h[i].ino == ino &&
		    (dev == NULL || hs->h[i].dev == *dev) &&
		    acc_matches(hs->h[i].acc, want))
			return 1;
	return 0;
}

/* "12(cat),40(sh)": each process of h[0..n) once that has ino (and dev) */
static char *
pids_str(const struct holder *h, size_t n, const dev_t *dev, ino_t ino,
    int want)
{
	char comm[64], *s = NULL;
	size_t len = 0, i;
	pid_t last = 0;
	FILE *f;

	if ((f = open_memstream(&s, &len)) == NULL)
		err(1, NULL);
	for (i = 0; i < n; i++) {
		if ((dev != NULL && h[i].dev != *dev) || h[i].ino != ino ||
		    !acc_matches(h[i].acc, want) || h[i].pid == last)
			continue;
		proc_comm_run(h[i].pid, comm, sizeof(comm));
		fprintf(f, "%s%d(%s)", last ? "," : "", (int)h[i].pid, comm);
		last = h[i].pid;
	}
	if (fclose(f) != 0)
		err(1, NULL);
	return s;
}

/* "12(cat),40(sh)": each process once, for the object (dev, ino) */
char *
holders_str(const struct holders *hs, dev_t dev, ino_t ino, int want)
{
	size_t i, to;

	range(hs, &dev, ino, &i, &to);
	return pids_str(hs->h + i, to - i, &dev, ino, want);
}

/*
 * who holds the socket inode ino, as holders_str, from proc_scan_socks':
 * sockets all live on sockfs, so the inode alone names one
 */
char *
holders_sock(const struct holders *hs, ino_t ino)
{
	size_t i, to;

	range(hs, NULL, ino, &i, &to);
	return pids_str(hs->h + i, to - i, NULL, ino, HOLD_ANY);
}

/*
 * The one note for processes that could not be read, in every command's
 * words alike, said once a run (stat A B, or ls's scans, would each say
 * it again): how many, which where all of them are known (pids: npids
 * of them), then what that leaves out
 */
void
holders_unread(size_t n, const pid_t *pids, size_t npids, const char *left)
{
	static int said;	/* once a run, as the index is read once */
	char which[80] = "", one[16];
	size_t i;

	if (n == 0 || said++)
		return;
	if (npids >= n && n <= HOLDERS_PIDS) {
		strlcpy(which, n == 1 ? " (pid " : " (pids ", sizeof(which));
		for (i = 0; i < n; i++) {
			snprintf(one, sizeof(one), "%s%d", i ? ", " : "",
			    (int)pids[i]);
			strlcat(which, one, sizeof(which));
		}
		strlcat(which, ")", sizeof(which));
	}
	warnx("%s: %zu process%s%s could not be inspected: %s", verb_name, n,
	    n == 1 ? "" : "es", which, left);
}

/*
 * Some processes could not be read: say the list may be partial, and
 * where orphans were marked from it, that one may be held all the same
 */
void
holders_note(const struct holders *hs, const char *what, int orphans)
{
	char left[160];

	if (!hs->partial)
		return;
	snprintf(left, sizeof(left), "%s may be partial%s", what, orphans ?
	    ", and an object marked orphan may be held by one of them" : "");
	holders_unread(hs->unread, hs->unread_pid, hs->unread < HOLDERS_PIDS ?
	    hs->unread : HOLDERS_PIDS, left);
}

/*
 * A copy of the descriptor a holder of (dev, ino) has open with access
 * want, taken with pidfd_getfd(2): no open(2) of the object, so nothing
 * it does to others (a FIFO's waiting writers) happens. -1 where none
 * can be had (not permitted, or the holder has gone).
 */
int
holders_dup(const struct holders *hs, dev_t dev, ino_t ino, int want)
{
	const struct holder *h;
	struct stat st;
	size_t i, to;
	int pfd, fd;

	for (range(hs, &dev, ino, &i, &to); i < to; i++) {
		h = &hs->h[i];
		if (h->dev != dev || h->ino != ino || !acc_matches(h->acc, want))
			continue;
		if ((pfd = (int)syscall(SYS_pidfd_open, h->pid, 0)) == -1)
			continue;
		fd = (int)syscall(SYS_pidfd_getfd, pfd, h->fd, 0);
		close(pfd);
		/* the number may have been reused for something else since */
		if (fd != -1 && fstat(fd, &st) == 0 && st.st_dev == dev &&
		    st.st_ino == ino)
			return fd;
		if (fd != -1)
			close(fd);
	}
	return -1;
}

void
holders_free(struct holders *hs)
{
	size_t i;

	for (i = 0; i < hs->n; i++)
		free(hs->h[i].path);
	free(hs->h);
	memset(hs, 0, sizeof(*hs));
}
