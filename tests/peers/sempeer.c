/*
 * An independent POSIX semaphore client for the tests: libc's sem_*
 * calls, nothing from ipc-tools.
 *
 *	sempeer value NAME		print the value (sem_getvalue)
 *	sempeer post NAME		sem_post once
 *	sempeer wait NAME		sem_wait once
 *	sempeer trywait NAME		sem_trywait once: exit 3 if it would block
 *	sempeer hold NAME READY		open NAME, create READY, wait
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	sem_t *s;
	int v, fd;

	if (argc < 3)
		errx(2, "usage: sempeer value|post|wait|trywait|hold NAME ...");
	if ((s = sem_open(argv[2], 0)) == SEM_FAILED)
		err(1, "%s", argv[2]);
	if (strcmp(argv[1], "value") == 0) {
		if (sem_getvalue(s, &v) == -1)
			err(1, "sem_getvalue");
		printf("%d\n", v);
	} else if (strcmp(argv[1], "post") == 0) {
		if (sem_post(s) == -1)
			err(1, "sem_post");
	} else if (strcmp(argv[1], "wait") == 0) {
		if (sem_wait(s) == -1)
			err(1, "sem_wait");
	} else if (strcmp(argv[1], "trywait") == 0) {
		if (sem_trywait(s) == -1)
			return errno == EAGAIN ? 3 : 1;
	} else if (strcmp(argv[1], "hold") == 0 && argc == 4) {
		if ((fd = open(argv[3], O_WRONLY | O_CREAT, 0600)) == -1)
			err(1, "%s", argv[3]);
		close(fd);
		pause();
	} else
		errx(2, "sempeer: bad arguments");
	return 0;
}
