/*
 * What a descriptor holds: its size, and what is left to read of it
 * from where it stands. A leaf: it calls nothing of the library, so
 * progress, copy and the commands can all ask it.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "ipc.h"

/* the size of what fd is open on (a file, a segment): 0, or -1 */
int
fd_size(int fd, uintmax_t *size)
{
	struct stat st;

	if (fstat(fd, &st) == -1)
		return -1;
	*size = (uintmax_t)st.st_size;
	return 0;
}

/*
 * What is left to read of fd where it is a regular file, from where it
 * stands (*at): 0, or -1 for anything else (its size is not known)
 */
int
fd_left(int fd, uintmax_t *at, uintmax_t *left)
{
	struct stat st;
	off_t pos;

	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (pos = lseek(fd, 0, SEEK_CUR)) == -1)
		return -1;
	*at = (uintmax_t)pos;
	*left = st.st_size > pos ? (uintmax_t)(st.st_size - pos) : 0;
	return 0;
}
