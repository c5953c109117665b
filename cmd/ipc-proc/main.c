/*
 * ipc-proc: a process as the object: every IPC object it holds, what
 * each of its threads is blocked on and who could end it, the chains
 * and deadlocks those waits make, and a map of who talks to whom. Here:
 * the verb table and PID as every verb takes it. The verbs are in
 * rooms of their own: stat.c, why.c, ls.c, map.c, over held.c (what a
 * process holds), ends.c (who is at the other end) and graph.c (the
 * waits). Reading never changes what it reads: no ptrace, no signal,
 * no FIFO opened, no socket connected.
 */
#include <err.h>

#include "ipc.h"
#include "ipc-proc.h"

/* the PID operand at argv[i], read for its value: a thread's id too */
pid_t
one_pid(int argc, char *argv[], int i)
{
	return pid_arg(opt_operand(argc, argv, i, "PID"), "PID", 0);
}

/*
 * The partial note, said once, in the words of every command's
 * (holders_unread): n processes could not be read, which where the
 * run's index knows them all, then what that leaves out (one: as said
 * of a single process; many: of several)
 */
void
unread_note(size_t n, const char *one, const char *many)
{
	pid_t pids[HOLDERS_PIDS];
	size_t known;

	known = pidx_unread(proc_index(0), PIDX_FDS | PIDX_ACC | PIDX_MAPS |
	    PIDX_OPENERS, pids, HOLDERS_PIDS);
	holders_unread(n, pids, known == n ? known : 0, n == 1 ? one : many);
}

static const struct verb verbs[] = {
	{ "stat", cmd_stat, "stat [-o LIST] [-H] [--notruncate] [-j] PID" },
	{ "why", cmd_why, "why [--check] [-j] PID" },
	{ "ls", cmd_ls, "ls [-a] [--min DUR] [-o LIST] [-H] [--notruncate] [-j]" },
	{ "map", cmd_map, "map [--format FORMAT] [-j] [PID...]" },
	{ NULL, NULL, NULL }
};

int
main(int argc, char *argv[])
{
	return verb_main(verbs, argc, argv);
}
