/*
 * Children run under sh -c with the signal mask we were started with and
 * SIGPIPE at its default, as a shell would give them.
 */
#include <sys/wait.h>
#include <err.h>
#include <signal.h>
#include <unistd.h>

#include "ipc.h"

/*
 * fork CMD under sh -c with in and out as its stdin and stdout, and the
 * signal mask the caller had before it blocked signals for itself.
 * pgid: -1 stays in ours, 0 leads a new process group, >0 joins it.
 */
pid_t
spawn_sh(const char *cmd, int in, int out, const sigset_t *mask, pid_t pgid)
{
	pid_t pid;

	if ((pid = fork()) == -1)
		return -1;
	/* both sides set the group, so neither can act before it is set */
	if (pgid >= 0)
		setpgid(pid ? pid : 0, pgid);
	if (pid > 0)
		return pid;
	signal(SIGPIPE, SIG_DFL);	/* verb_main ignored it for us only */
	if (mask != NULL)
		sigprocmask(SIG_SETMASK, mask, NULL);
	/* _exit: the parent's buffered stdout is not ours to flush */
	if ((in != 0 && dup2(in, 0) == -1) || (out != 1 && dup2(out, 1) == -1)) {
		warn("dup2");
		_exit(126);
	}
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	warn("exec /bin/sh");
	_exit(127);
}

/* a wait(2) status as the shell reports it: the code, or 128+signal */
int
wait_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}
