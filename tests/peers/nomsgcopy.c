/*
 * Run a command as on a kernel without CONFIG_CHECKPOINT_RESTORE: a
 * seccomp filter makes msgrcv(2) with MSG_COPY fail with ENOSYS, and
 * lets every other call through.
 *
 *	nomsgcopy CMD [ARG...]
 */
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <err.h>
#include <errno.h>
#include <stddef.h>
#include <unistd.h>

#define MSG_COPY_FLAG	040000
#define ARG4		offsetof(struct seccomp_data, args[4])

int
main(int argc, char *argv[])
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_msgrcv, 0, 2),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG4),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, MSG_COPY_FLAG, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (argc < 2)
		errx(2, "usage: nomsgcopy CMD [ARG...]");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == -1)
		err(1, "seccomp");
	execvp(argv[1], argv + 1);
	err(127, "%s", argv[1]);
}
