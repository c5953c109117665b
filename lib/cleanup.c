/*
 * What a command made for its own use is undone on every way out: a
 * return, exit(3) and err(3) through atexit(3); every signal of
 * sig_fatal (but those the verb waits for itself, cleanup_spare)
 * through a handler that undoes it and then dies of the signal.
 * The handler may run at any moment, so everything it needs is prepared
 * beforehand in fixed slots (the only global state: a handler has
 * nowhere else to look) and it calls only async-signal-safe functions:
 * fstatat, unlinkat, renameat(2) and renameat2, a system call alone.
 * Files are named through their directory's descriptor, opened when the
 * action is registered, so a later chdir or a swapped parent directory
 * changes nothing.
 */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

enum { ACT_NONE, ACT_UNLINK, ACT_RENAME };

struct action {
	volatile sig_atomic_t kind;	/* set last, cleared first */
	int dfd, tdfd;			/* its directory; rename: where to */
	int pin;			/* the file itself, O_PATH */
	dev_t dev;			/* and who it is */
	ino_t ino;
	char base[NAME_MAX + 1];
	char to[NAME_MAX + 1];		/* rename: its name in tdfd */
	char aside[64];			/* unlink: where it is checked */
};

static struct action acts[CLEANUP_MAX];
static int nacts;			/* the slots in use are below it */
static pid_t owner;			/* whose they are; 0: nobody's yet */
static sigset_t held;			/* the signals our handler has */
static sigset_t spared;			/* the verb's own: never caught */

static int
ours(int dfd, const char *name, const struct action *a)
{
	struct stat st;

	return fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    st.st_dev == a->dev && st.st_ino == a->ino;
}

/*
 * Remove the file only if it is still the one we made: one put in its
 * place since is someone else's. It is renamed aside and checked again
 * there, so what is removed is what was checked.
 */
static void
undo_unlink(const struct action *a)
{
	if (!ours(a->dfd, a->base, a))
		return;
	if (renameat2(a->dfd, a->base, a->dfd, a->aside,
	    RENAME_NOREPLACE) == -1) {
		/* a file system without RENAME_NOREPLACE: as checked */
		if (errno == EINVAL)
			unlinkat(a->dfd, a->base, 0);
		return;
	}
	if (ours(a->dfd, a->aside, a))
		unlinkat(a->dfd, a->aside, 0);
	else
		renameat2(a->dfd, a->aside, a->dfd, a->base, RENAME_NOREPLACE);
}

/* put the file we moved back, never over one that stands there now */
static void
undo_rename(const struct action *a)
{
	struct stat st;

	if (!ours(a->dfd, a->base, a))
		return;
	if (renameat2(a->dfd, a->base, a->tdfd, a->to, RENAME_NOREPLACE) == -1 &&
	    errno == EINVAL &&
	    fstatat(a->tdfd, a->to, &st, AT_SYMLINK_NOFOLLOW) == -1 &&
	    errno == ENOENT)
		renameat(a->dfd, a->base, a->tdfd, a->to);
}

/*
 * Undo every action, the last registered first, each once. The signals
 * are held meanwhile, so one cannot stop an action half done; it comes
 * after, and kills as it should. A forked child undoes nothing.
 */
void
cleanup_run(void)
{
	sigset_t old;
	int n, kind;

	if (owner != getpid())
		return;
	sigprocmask(SIG_BLOCK, &held, &old);
	for (n = CLEANUP_MAX - 1; n >= 0; n--) {
		kind = acts[n].kind;
		acts[n].kind = ACT_NONE;
		if (kind == ACT_UNLINK)
			undo_unlink(&acts[n]);
		else if (kind == ACT_RENAME)
			undo_rename(&acts[n]);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* undo, then die of sig with its default action: 128+sig to a shell */
static void
on_signal(int sig)
{
	struct sigaction dfl;
	sigset_t set;

	cleanup_run();
	sigemptyset(&dfl.sa_mask);
	dfl.sa_flags = 0;
	dfl.sa_handler = SIG_DFL;
	sigaction(sig, &dfl, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

/* one we were started ignoring (nohup) stays ignored: sig_fatal says */
static int
install(void)
{
	if (owner != 0)
		return 0;
	if (atexit(cleanup_run) != 0)
		return -1;
	sig_fatal(&held, &spared);
	sig_catch(&held, on_signal);
	owner = getpid();
	return 0;
}

/*
 * The signals in set are the verb's to wait for (ipc-sig recv's): never
 * caught here, and given back their default if they were already
 */
void
cleanup_spare(const sigset_t *set)
{
	int n;

	for (n = 1; n <= SIGRTMAX; n++) {
		if (sigismember(set, n) != 1)
			continue;
		sigaddset(&spared, n);
		if (sigismember(&held, n) == 1) {
			sigdelset(&held, n);
			signal(n, SIG_DFL);
		}
	}
}

/*
 * A free slot above every one in use, for path as it is now: its
 * directory open, its name taken, and the file itself held open (O_PATH
 * opens anything, and opens no FIFO or device): while we hold it, its
 * inode cannot be freed and its number given to a file made in its
 * place, as ext4 does at once. NULL with errno.
 */
static struct action *
prepare(const char *path)
{
	struct action *a;
	struct stat st;
	int e;

	if (install() == -1)
		return NULL;
	while (nacts > 0 && acts[nacts - 1].kind == ACT_NONE)
		nacts--;
	if (nacts == CLEANUP_MAX) {
		errno = ENOSPC;
		return NULL;
	}
	a = &acts[nacts];
	a->tdfd = -1;
	if ((a->dfd = path_parent(path, a->base)) == -1)
		return NULL;
	if ((a->pin = openat(a->dfd, a->base,
	    O_PATH | O_NOFOLLOW | O_CLOEXEC)) == -1 || fstat(a->pin, &st) == -1) {
		e = errno;
		if (a->pin != -1)
			close(a->pin);
		close(a->dfd);
		errno = e;
		return NULL;
	}
	a->dev = st.st_dev;
	a->ino = st.st_ino;
	return a;
}

/* the slot goes live: the handler sees all of it or none of it */
static int
arm(struct action *a, int kind)
{
	atomic_signal_fence(memory_order_seq_cst);
	a->kind = kind;
	nacts = (int)(a - acts) + 1;
	return nacts - 1;
}

/* remove path on exit if it is still the file it is now; an id or -1 */
int
cleanup_unlink(const char *path)
{
	struct action *a;

	if ((a = prepare(path)) == NULL)
		return -1;
	snprintf(a->aside, sizeof(a->aside), ".ipc-cleanup.%ld.%ju",
	    (long)getpid(), (uintmax_t)a->ino);
	return arm(a, ACT_UNLINK);
}

/* move the file now at from back to to on exit; an id or -1 */
int
cleanup_rename(const char *from, const char *to)
{
	struct action *a;
	int e;

	if ((a = prepare(from)) == NULL)
		return -1;
	if ((a->tdfd = path_parent(to, a->to)) == -1) {
		e = errno;
		close(a->pin);
		close(a->dfd);
		errno = e;
		return -1;
	}
	return arm(a, ACT_RENAME);
}

/* forget an action the command has undone itself */
void
cleanup_drop(int id)
{
	struct action *a;

	if (id < 0 || id >= CLEANUP_MAX || acts[id].kind == ACT_NONE)
		return;
	a = &acts[id];
	a->kind = ACT_NONE;
	atomic_signal_fence(memory_order_seq_cst);
	close(a->pin);
	close(a->dfd);
	if (a->tdfd != -1)
		close(a->tdfd);
}
