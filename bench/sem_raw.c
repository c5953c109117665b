/*
 * The reference for ipc-sem's start-up: a bare C program that opens a
 * POSIX semaphore and posts it once, as ipc-sem post does.
 *
 *	sem_raw NAME
 */
#include <err.h>
#include <semaphore.h>

int
main(int argc, char *argv[])
{
	sem_t *s;

	if (argc != 2)
		errx(2, "usage: sem_raw NAME");
	if ((s = sem_open(argv[1], 0)) == SEM_FAILED)
		err(1, "%s", argv[1]);
	if (sem_post(s) == -1)
		err(1, "sem_post");
	return 0;
}
