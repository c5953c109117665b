/*
 * The reference for ipc-sig send's start-up: a bare C program that
 * makes the calls ipc-sig send SIG PID makes, a pidfd for the process
 * and a signal through it (so a recycled pid is never signalled).
 *
 *	sig_raw SIG PID
 */
#include <sys/syscall.h>
#include <err.h>
#include <stdlib.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	int fd;

	if (argc != 3)
		errx(2, "usage: sig_raw SIG PID");
	if ((fd = (int)syscall(SYS_pidfd_open, atoi(argv[2]), 0)) == -1)
		err(1, "pidfd_open %s", argv[2]);
	if (syscall(SYS_pidfd_send_signal, fd, atoi(argv[1]), NULL, 0) == -1)
		err(1, "pidfd_send_signal %s", argv[2]);
	return 0;
}
