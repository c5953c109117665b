/*
 * The library's own harness, driven from bats: the shared parsers, each
 * verb parsing its operand the way the commands do and printing what it
 * understood; and the tiers commands stand on, child and cleanup.
 */
#include <sys/sysmacros.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

static int
u_size(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "", NULL);

	if (i < argc)
		printf("%ju\n", num_size(argv[i], "SIZE", 1, UINT64_MAX));
	return 0;
}

static int
u_dur(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "", NULL);

	if (i < argc)
		printf("%jd\n", (intmax_t)num_dur(argv[i], "DUR"));
	return 0;
}

static int
u_mode(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "", NULL);

	if (i < argc)
		printf("%04o\n", (unsigned)num_mode(argv[i], "MODE"));
	return 0;
}

static int
u_name(int argc, char *argv[])
{
	char name[NAME_BUF];
	int i = opt_parse(argc, argv, "", NULL);

	if (i < argc) {
		name_posix(argv[i], name);
		printf("%s\n", name);
	}
	return 0;
}

static int
u_key(int argc, char *argv[])
{
	static const char *kinds[] = { "key", "id", "private" };
	struct sysvkey k;
	int i = opt_parse(argc, argv, "", NULL);

	if (i < argc) {
		name_key(argv[i], &k);
		printf("%s 0x%08x %d\n", kinds[k.kind], (unsigned)k.key, k.id);
	}
	return 0;
}

/* an option table that is wrong: it must fail loudly, never be dropped */
static int
u_badname(int argc, char *argv[])
{
	return opt_parse(argc, argv, "timeout no-such", NULL) < 0;
}

static int
u_badletter(int argc, char *argv[])
{
	static const struct optdef own[] = {
		{ 't', "tries", "N", "a letter the shared -t has" },
		{ 0, NULL, NULL, NULL }
	};

	return opt_parse(argc, argv, "", own) < 0;
}

/* make path, a new file, and have it removed on every exit; its id */
static int
made(const char *path)
{
	int fd, id;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) == -1)
		err(1, "%s", path);
	close(fd);
	if ((id = cleanup_unlink(path)) == -1)
		err(1, "cleanup %s", path);
	return id;
}

static const struct optdef child_opts[] = {
	{ 's', "sh", NULL, "CMD is one shell command: sh -c CMD" },
	{ 'd', "deathsig", NULL, "the child gets SIGKILL when we die" },
	{ 'g', "group", NULL, "the child leads a process group of its own" },
	{ 'n', "hold", NULL, "signals are held, not passed on" },
	{ 'u', "unlink", "PATH", "make PATH, removed on every exit" },
	{ 0, NULL, NULL, NULL }
};

/*
 * One command run as ipc-sem run will run it: we exit with its status;
 * after a signal, once it has ended, we die of that signal, as a command
 * that stops on one does (what -u made is removed then too).
 */
static int
u_child(int argc, char *argv[])
{
	struct child ch = { .in = -1, .out = -1 };
	struct children c;
	char **env;
	int i = opt_parse(argc, argv, "", child_opts), j, st, rc = 0;
	pid_t pid;

	for (j = i; j < argc && strchr(argv[j], '=') != NULL; j++)
		;
	if (j == argc)
		usage_error("missing CMD");
	if ((env = calloc((size_t)(j - i + 1), sizeof(*env))) == NULL)
		err(125, "child");
	memcpy(env, argv + i, (size_t)(j - i) * sizeof(*env));
	ch.env = env;
	if (opt.val['s'] != NULL)
		ch.sh = argv[j];
	else
		ch.argv = argv + j;
	ch.pgid = opt.val['g'] != NULL ? CHILD_NEW : CHILD_OURS;
	ch.deathsig = opt.val['d'] != NULL ? SIGKILL : 0;
	if (opt.val['u'] != NULL)
		made(opt.val['u']);
	if (child_init(&c, 1) == -1)
		err(125, "child");
	c.forward = opt.val['n'] == NULL;
	if (child_start(&c, &ch) == -1)
		err(125, "child");
	while ((pid = child_wait(&c, NULL, &st)) != -1)
		if (pid > 0)
			rc = st;
	child_fini(&c);
	free(env);
	if (c.sig != 0)
		raise(c.sig);
	return rc;
}

/* one action as a command registers it; the id of the last one */
static int
action(const char *a, int last)
{
	char aside[PATH_MAX];
	int id;

	if (strncmp(a, "make:", 5) == 0)
		return made(a + 5);
	if (strcmp(a, "drop") == 0) {
		cleanup_drop(last);
		return -1;
	}
	if (strncmp(a, "aside:", 6) != 0)
		usage_error("unknown action '%s'", a);
	snprintf(aside, sizeof(aside), "%s.aside", a + 6);
	if (rename(a + 6, aside) == -1 ||
	    (id = cleanup_rename(aside, a + 6)) == -1)
		err(1, "%s", a);
	return id;
}

/*
 * The actions in order: make:PATH (make it, removed on exit), aside:PATH
 * (moved to PATH.aside, put back on exit), drop (the last one dropped).
 * Then -E ends with err(3), -P writes our pid and waits for a signal;
 * else the verb returns.
 */
static int
u_cleanup(int argc, char *argv[])
{
	static const struct optdef opts[] = {
		{ 'E', "err", NULL, "end with err(3)" },
		{ 'P', "pid-file", "PIDFILE", "write our pid, wait for a signal" },
		{ 0, NULL, NULL, NULL }
	};
	int i = opt_parse(argc, argv, "", opts), id = -1;
	FILE *f;

	for (; i < argc; i++)
		id = action(argv[i], id);
	if (opt.val['E'] != NULL) {
		errno = ECANCELED;
		err(1, "cleanup");
	}
	if (opt.val['P'] == NULL)
		return 0;
	if ((f = fopen(opt.val['P'], "w")) == NULL ||
	    fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0)
		err(1, "%s", opt.val['P']);
	for (;;)
		pause();
}

static int
net_print(const struct usock *u, void *arg)
{
	char name[sizeof(u->name) + 1];

	(void)arg;
	udiag_name(u, name, sizeof(name));
	printf("%ju %s %s %s\n", (uintmax_t)u->ino, addr_type_name(u->type),
	    udiag_state(u->state), name);
	return 0;
}

/* FILE read as /proc/net/unix: each socket's inode, type, state, name */
static int
u_netunix(int argc, char *argv[])
{
	const char *file = opt_operand(argc, argv, opt_parse(argc, argv, "",
	    NULL), "FILE");

	if (udiag_procnet(file, net_print, NULL) == -1)
		err(1, "%s", file);
	return 0;
}

/*
 * batch_count of stdin's newlines from each of the first 65 offsets, one
 * count a line: every alignment, and every tail shorter than a turn of
 * four vectors
 */
static int
u_count(int argc, char *argv[])
{
	static char buf[1 << 20];
	size_t len = 0, off;
	ssize_t n;

	opt_parse(argc, argv, "", NULL);
	while (len < sizeof(buf) &&
	    (n = read(0, buf + len, sizeof(buf) - len)) > 0)
		len += (size_t)n;
	for (off = 0; off <= 64 && off <= len; off++)
		printf("%ju\n", batch_count(buf + off, len - off, '\n'));
	return 0;
}

/* open [-w] [-T TYPE] PATH: path_open, then the first line of what it opened */
static int
u_open(int argc, char *argv[])
{
	static const struct optdef own[] = {
		{ 'w', "write", NULL, "open for writing" },
		{ 'T', "file-type", "TYPE", "reg, fifo, sock or any" },
		{ 0, NULL, NULL, NULL }
	};
	int i = opt_parse(argc, argv, "", own), fd;
	const char *t = opt.val['T'], *why;
	mode_t type = S_IFREG;
	char buf[256];
	ssize_t n;

	if (i == argc)
		usage_error("missing PATH");
	if (t != NULL)
		type = strcmp(t, "fifo") == 0 ? S_IFIFO :
		    strcmp(t, "sock") == 0 ? S_IFSOCK :
		    strcmp(t, "any") == 0 ? 0 : S_IFREG;
	if ((fd = path_open(argv[i], opt.val['w'] ? O_WRONLY : O_RDONLY,
	    type, &why)) == -1)
		errx(1, "open %s: %s", argv[i], why);
	if (!opt.val['w'] && (n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		fputs(buf, stdout);
	}
	close(fd);
	return 0;
}

/* a holder as "PID KIND FD ACC DEV INO": what the index holds of it */
static void
pidx_print(const struct holder *h)
{
	static const char *kinds[] = { "fd", "map", "sysv", "open" };
	static const char *accs[] = { "r", "w", "rw" };

	printf("%d %s %d %s %ju %ju%s%s\n", (int)h->pid, kinds[h->kind], h->fd,
	    h->acc >= 0 && h->acc <= 2 ? accs[h->acc] :
	    h->acc == PIDX_ACC_UNREAD ? "?" : "-",
	    (uintmax_t)h->dev, (uintmax_t)h->ino, h->path ? " " : "",
	    h->path ? h->path : "");
}

/*
 * pidx [-A] [-M] [-O] obj PATH | pid PID | unread: one index of /proc
 * with descriptors (-A: every access mode, -M: maps, -O: openers too),
 * asked who holds PATH's object, what PID holds, or who could not be read
 */
static int
u_pidx(int argc, char *argv[])
{
	static const struct optdef own[] = {
		{ 'A', "access", NULL, "every descriptor's access mode" },
		{ 'M', "mapped", NULL, "the mappings too" },
		{ 'O', "opening", NULL, "what processes wait to open too" },
		{ 0, NULL, NULL, NULL }
	};
	int i = opt_parse(argc, argv, "", own), parts = PIDX_FDS;
	const struct holder *h;
	struct pidx ix = { 0 };
	pid_t first[HOLDERS_PIDS];
	struct stat st;
	size_t n, it = 0;

	parts |= (opt.val['A'] ? PIDX_ACC : 0) | (opt.val['M'] ? PIDX_MAPS : 0) |
	    (opt.val['O'] ? PIDX_OPENERS : 0);
	if (i == argc || (strcmp(argv[i], "unread") != 0 && i + 1 >= argc))
		usage_error("missing obj PATH, pid PID or unread");
	pidx_read(&ix, parts);
	if (strcmp(argv[i], "obj") == 0) {
		if (stat(argv[i + 1], &st) == -1)
			err(1, "stat %s", argv[i + 1]);
		for (n = pidx_obj(&ix, st.st_dev, st.st_ino, &h); n > 0; n--)
			pidx_print(h++);
	} else if (strcmp(argv[i], "pid") == 0) {
		while ((h = pidx_pid(&ix, (pid_t)num_uint(argv[i + 1], "PID", 1,
		    INT_MAX), &it)) != NULL)
			pidx_print(h);
	} else if (strcmp(argv[i], "unread") == 0) {
		n = pidx_unread(&ix, parts, first, HOLDERS_PIDS);
		printf("%zu", n);
		for (it = 0; it < n && it < HOLDERS_PIDS; it++)
			printf(" %d", (int)first[it]);
		printf("\n");
	} else
		usage_error("%s: not obj, pid nor unread", argv[i]);
	pidx_free(&ix);
	return 0;
}

/* the lock lines on one file: "lock PID holds|waits TYPE" */
static void
u_lock(const struct blocked_lock *l, void *arg)
{
	(void)arg;
	if (l->holder == -1)
		printf("  lock %d %s %s\n", (int)l->pid,
		    l->waiter ? "waits" : "holds", l->type);
	else
		printf("  holder %d fd %d %s\n", (int)l->holder, l->fd,
		    l->type);
}

/* every process's fdinfo lock: lines on the file, as the index will */
static void
u_holders(dev_t dev, ino_t ino)
{
	struct dirent *e;
	DIR *d;

	blocked_locks(dev, ino, u_lock, NULL);
	if ((d = opendir("/proc")) == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9')
			blocked_fdinfo_locks((pid_t)strtol(e->d_name, NULL, 10),
			    dev, ino, u_lock, NULL);
	closedir(d);
}

static void
u_thread(pid_t pid, pid_t tid)
{
	struct blocked b;
	char words[1024];
	size_t i;

	if (blocked_read(pid, tid, &b) == -1) {
		printf("%d gone\n", (int)tid);
		return;
	}
	blocked_words(&b, words, sizeof(words));
	printf("%d %s\n  wchan %s\n", (int)tid, words,
	    b.wchan[0] != '\0' ? b.wchan : "?");
	if (b.asleep_ms >= 0)
		printf("  asleep %ld ms\n", b.asleep_ms);
	if (b.ino != 0)
		printf("  file %u:%u %ju\n", major(b.dev), minor(b.dev),
		    (uintmax_t)b.ino);
	for (i = 0; i < b.nw; i++)
		printf("  watch %d %s%s%s %ju %u:%u\n", b.w[i].fd,
		    b.w[i].events & POLLIN ? "i" : "",
		    b.w[i].events & POLLOUT ? "o" : "",
		    b.w[i].events & POLLPRI ? "p" : "", (uintmax_t)b.w[i].ino,
		    major(b.w[i].dev), minor(b.w[i].dev));
	if (b.map.end != 0)
		printf("  map %u:%u %ju %s %s\n", major(b.map.dev),
		    minor(b.map.dev), (uintmax_t)b.map.ino,
		    b.map.shared ? "shared" : "private", b.map.path);
	if (b.ts_ok)
		printf("  timeout %jd.%09ld\n", (intmax_t)b.ts.tv_sec,
		    b.ts.tv_nsec);
	if (b.kind == BLOCKED_FLOCK || b.kind == BLOCKED_FCNTL_LOCK)
		u_holders(b.dev, b.ino);
	blocked_free(&b);
}

/* blocked PID: what each of its threads is blocked on, and its details */
static int
u_blocked(int argc, char *argv[])
{
	char path[64];
	struct dirent *e;
	DIR *d;
	pid_t pid;
	int i = opt_parse(argc, argv, "", NULL);

	if (i == argc)
		usage_error("missing PID");
	pid = (pid_t)num_uint(argv[i], "PID", 1, INT_MAX);
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if ((d = opendir(path)) == NULL)
		err(1, "blocked %d", (int)pid);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			u_thread(pid, (pid_t)strtol(e->d_name, NULL, 10));
	closedir(d);
	return 0;
}

/*
 * exists PATH DUR: exists_wait for PATH, bounded by DUR, and what it
 * returned; ran out, the status exists_failed gives, in its words
 */
static int
u_exists(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "", NULL), r;
	struct deadline d;

	if (argc - i != 2)
		usage_error("needs PATH DUR");
	deadline_set(&d, num_dur(argv[i + 1], "DUR"));
	r = exists_wait(exists_path, argv[i], &d);
	printf("%d %s\n", r, r == -1 ? strerror(errno) : "there");
	fflush(stdout);
	return r == -1 ? exists_failed(argv[i], "exist") : 0;
}

/*
 * table [OPTIONS]: one table as ls shows it by default, then its size
 * alone in JSON: two formats in one run, both given to table_init, and
 * whatever options were parsed changing neither
 */
static int
u_table(int argc, char *argv[])
{
	static const struct col cols[] = {
		{ "name", COL_STR, 1, NULL, NULL },
		{ "size", COL_NUM, 1, NULL, NULL },
		{ NULL, 0, 0, NULL, NULL }
	};
	static const struct tablefmt fmt[] = {
		{ .header = 1 },
		{ .fields = "size", .json = 1 },
	};
	struct table t;
	size_t f;

	opt_parse(argc, argv, "output no-header json pid", NULL);
	for (f = 0; f < 2; f++) {
		table_init(&t, cols, 1, &fmt[f]);
		table_row(&t);
		table_set(&t, 0, "jobs");
		table_set(&t, 1, "%d", 4096);
		table_print(&t);
		table_free(&t);
	}
	return 0;
}

/*
 * rm KEY NAME PATH: a System V queue, a POSIX queue and a FIFO, each
 * removed with force, then without: the failures counted each time
 */
static int
u_rm(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "", NULL), force, n;

	if (argc - i != 3)
		usage_error("needs KEY NAME PATH");
	for (force = 1; force >= 0; force--) {
		n = sysv_rm(SYSV_MSG, argv[i], force);
		n += posix_rm(argv[i + 1], mq_unlink, force);
		n += path_rm_warn(path_rm(argv[i + 2], S_IFIFO, NULL),
		    argv[i + 2], force);
		printf("force %d: %d failed\n", force, n);
		fflush(stdout);
	}
	return 0;
}

static const struct verb verbs[] = {
	{ "size", u_size, "size SIZE" },
	{ "dur", u_dur, "dur DURATION" },
	{ "mode", u_mode, "mode MODE" },
	{ "name", u_name, "name NAME" },
	{ "key", u_key, "key KEY" },
	{ "badname", u_badname, "badname" },
	{ "badletter", u_badletter, "badletter" },
	{ "child", u_child,
	    "child [-s] [-d] [-g] [-n] [-u PATH] [NAME=VALUE...] CMD [ARG...]" },
	{ "cleanup", u_cleanup, "cleanup [-E] [-P PIDFILE] ACTION..." },
	{ "netunix", u_netunix, "netunix FILE" },
	{ "count", u_count, "count" },
	{ "open", u_open, "open [-w] [-T TYPE] PATH" },
	{ "pidx", u_pidx, "pidx [-A] [-M] [-O] obj PATH | pid PID | unread" },
	{ "blocked", u_blocked, "blocked PID" },
	{ "exists", u_exists, "exists PATH DUR" },
	{ "table", u_table, "table [-o LIST] [-H] [-j] [--pid PID]" },
	{ "rm", u_rm, "rm KEY NAME PATH" },
	{ NULL, NULL, NULL }
};

int
main(int argc, char *argv[])
{
	return verb_main(verbs, argc, argv);
}
