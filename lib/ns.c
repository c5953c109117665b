/*
 * --ns PID: the verb runs in the IPC, network and mount namespaces of
 * PID, so what it creates, lists or opens is a container's.
 */
#include <sys/mount.h>
#include <sys/stat.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "ipc.h"

#define MQ_DIR	"/dev/mqueue"

static pid_t entered;		/* whose namespaces we are in; 0: ours */

static const struct {
	const char *name;
	int type;
} kinds[] = {
	{ "ipc", CLONE_NEWIPC },
	{ "net", CLONE_NEWNET },
	{ "mnt", CLONE_NEWNS },		/* last: /proc may not be ours after */
};

static void __attribute__((noreturn))
failed(pid_t pid, int e)
{
	errno = e == ENOENT ? ESRCH : e;
	err(1, "--ns %d", (int)pid);
}

/*
 * /dev/mqueue shows the queues of the IPC namespace that mounted it,
 * so the mount namespace entered may show another's, or none: a fresh
 * mount, made now that we are in PID's IPC namespace, in a private
 * mount namespace of our own so that nothing of PID's changes
 */
static void
fresh_mqueue(pid_t pid)
{
	if (unshare(CLONE_NEWNS) == -1 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
		failed(pid, errno);
	/* no /dev/mqueue there: ipc-mq ls says how to mount one */
	/* EBUSY: this IPC namespace's queues are mounted there already */
	if (mount("mqueue", MQ_DIR, "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	    NULL) == -1 && errno != ENOENT && errno != ENOTDIR &&
	    errno != EBUSY)
		warn("--ns %d: mount %s", (int)pid, MQ_DIR);
}

/* whether the namespace fd is the one we are in already */
static int
ours(int fd, const char *name)
{
	char path[64];
	struct stat a, b;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	return fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

void
ns_enter(pid_t pid)
{
	char path[64];
	int fd[3], moved = 0;
	size_t i;

	if (entered == pid)		/* a verb that parses twice enters once */
		return;
	/* all opened before any is entered: after mnt, /proc is PID's */
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid,
		    kinds[i].name);
		if ((fd[i] = open(path, O_RDONLY | O_CLOEXEC)) == -1)
			failed(pid, errno);
	}
	/* one's own namespaces (--ns $$) are entered by staying */
	for (i = 0; i < 3; i++) {
		if (!ours(fd[i], kinds[i].name)) {
			if (setns(fd[i], kinds[i].type) == -1)
				failed(pid, errno);
			moved = 1;
		}
		close(fd[i]);
	}
	if (moved)
		fresh_mqueue(pid);
	entered = pid;
}
