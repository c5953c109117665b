/* ipc-sock stat, ls and rm: sockets found, shown and removed. */
#include <sys/socket.h>
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"
#include "ipc-sock.h"

enum { S_KIND, S_ADDR_TYPE, S_TYPE, S_STATE, S_INODE, S_MODE, S_OWNER,
	S_GROUP, S_FILE_INODE, S_RQ, S_WQ, S_HOLDERS, S_PEER, S_PEER_HOLDERS, S_PATH,
	S_NAME, S_NCOLS };

static const struct col scols[S_NCOLS + 1] = {
	[S_KIND] = { "kind", COL_STR, 0, NULL, "unix" },
	[S_ADDR_TYPE] = { "addr_type", COL_STR, 0 },
	[S_TYPE] = { "type", COL_STR, 1 },
	[S_STATE] = { "state", COL_STR, 1 },
	[S_INODE] = { "inode", COL_NUM, 1 },
	[S_MODE] = { "mode", COL_STR, 0 },
	[S_OWNER] = { "owner", COL_STR, 0 },
	[S_GROUP] = { "group", COL_STR, 0 },
	[S_FILE_INODE] = { "file_inode", COL_NUM, 0 },
	[S_RQ] = { "rq", COL_NUM, 0 },
	[S_WQ] = { "wq", COL_NUM, 0 },
	[S_HOLDERS] = { "holders", COL_PIDS, 1, "holder" },
	[S_PEER] = { "peer", COL_NUM, 1 },
	[S_PEER_HOLDERS] = { "peer_holders", COL_PIDS, 1 },
	[S_PATH] = { "path", COL_STR, 0 },
	[S_NAME] = { "name", COL_STR, 1 },
};
/* ls DIR's default fields: a socket file's path where others have name */
#define DIR_COLS	"type,state,inode,holders,peer,peer_holders,path"

/*
 * who holds the sockets: read only where a shown field needs it, or
 * (names) a relative name is to be found in a holder's directory
 */
static int
see_holders(const struct table *t, struct holders *hs, ino_t ino, int names)
{
	memset(hs, 0, sizeof(*hs));
	if (!table_shows(t, S_HOLDERS) && !table_shows(t, S_PEER_HOLDERS) &&
	    !(names && (table_shows(t, S_NAME) || table_shows(t, S_PATH))))
		return 0;
	proc_scan_socks(hs, ino);
	holders_note(hs, "holders", 0);
	return 1;
}

static void
set_pids(struct table *t, int col, const struct holders *hs, ino_t ino)
{
	char *s;

	if (ino == 0)
		return;
	s = holders_sock(hs, ino);
	table_set(t, col, "%s", s);
	free(s);
}

/* a socket file's own fields, from lstat(2) */
static void
set_file(struct table *t, const struct stat *st)
{
	static const int fcols[3] = { S_MODE, S_OWNER, S_GROUP };

	table_file(t, fcols, st);
	table_set(t, S_FILE_INODE, "%ju", (uintmax_t)st->st_ino);
}

/* what the kernel says of a socket; hs NULL: its holders not read */
static void
set_sock(struct table *t, const struct usock *u, const struct holders *hs,
    int peers)
{
	table_set(t, S_TYPE, "%s", addr_type_name(u->type));
	table_set(t, S_STATE, "%s", udiag_state(u->state));
	table_set(t, S_INODE, "%ju", (uintmax_t)u->ino);
	if (peers) {
		table_set(t, S_RQ, "%u", (unsigned)u->rq);
		table_set(t, S_WQ, "%u", (unsigned)u->wq);
	}
	if (peers && u->peer != 0)
		table_set(t, S_PEER, "%ju", (uintmax_t)u->peer);
	if (hs == NULL)
		return;
	set_pids(t, S_HOLDERS, hs, u->ino);
	if (peers)
		set_pids(t, S_PEER_HOLDERS, hs, u->peer);
}

static const char *
kind_name(const struct usock *u)
{
	if (u->namelen == 0)
		return "unnamed";
	return u->name[0] == '\0' ? "abstract" : "path";
}

/* the name the kernel keeps, and what comes with it */
static void
set_named(struct table *t, const struct usock *u, const struct holders *hs,
    int peers)
{
	char name[sizeof(u->name) + 1];

	/* the exact bytes: the table escapes them as each output wants */
	name[0] = '@';
	if (u->namelen > 0 && u->name[0] == '\0') {
		memcpy(name + 1, u->name + 1, u->namelen - 1);
		table_set_bytes(t, S_NAME, name, u->namelen);
	} else {
		udiag_name(u, name, sizeof(name));
		table_set(t, S_NAME, "%s", name);
	}
	table_set(t, S_ADDR_TYPE, "%s", kind_name(u));
	set_sock(t, u, hs, peers);
}

/* lstat(2) the socket file from its directory: never through a symlink */
static int
look_file(const char *path, const char *arg, struct stat *st)
{
	if (path_lstat(path, st) == -1) {
		warn("%s %s", opt.verb->name, esc_name(arg));
		return -1;
	}
	if (!S_ISSOCK(st->st_mode)) {
		warnx("%s %s: not a socket", opt.verb->name, esc_name(arg));
		return -1;
	}
	return 0;
}

/* a socket file: bound (listening, or receiving), stale, or unknown */
static int
stat_path(struct table *t, const struct addr *a)
{
	struct holders hs;
	struct usock u;
	struct stat st;
	int r, seen;

	if (look_file(a->path, a->arg, &st) == -1)
		return 1;
	table_set(t, S_ADDR_TYPE, "path");
	table_set(t, S_PATH, "%s", a->path);
	set_file(t, &st);
	if ((r = udiag_bound(&st, &u)) == -1)
		warnx("stat %s: unix_diag: %s: whether a socket is bound is "
		    "unknown", esc_name(a->arg), strerror(errno));
	if (r != 1) {
		table_set(t, S_STATE, r == 0 ? "stale" : "unknown");
		return 0;
	}
	seen = see_holders(t, &hs, u.peer != 0 ? 0 : u.ino, 0);
	set_named(t, &u, seen ? &hs : NULL, 1);
	holders_free(&hs);
	return 0;
}

struct named {
	const char *name;
	size_t len;
	struct usock u;
	int n;
};

/* the abstract socket of that name: its listener, where one listens */
static int
is_named(const struct usock *u, void *arg)
{
	struct named *f = arg;

	if (u->namelen != f->len + 1 || u->name[0] != '\0' ||
	    memcmp(u->name + 1, f->name, f->len) != 0)
		return 0;
	if (f->n++ == 0 || u->state == USOCK_LISTEN)
		f->u = *u;
	return u->state == USOCK_LISTEN;
}

static int
stat_abstract(struct table *t, const struct addr *a)
{
	struct named f = { a->path, a->pathlen, { 0 }, 0 };
	struct holders hs;
	int why, seen;

	if (udiag_any(is_named, &f, &why) == -1)
		err(1, "stat %s: /proc/net/unix", esc_name(a->arg));
	if (why != 0)
		warnx("stat %s: unix_diag: %s: no peer nor queues "
		    "(/proc/net/unix has none)", esc_name(a->arg), strerror(why));
	if (f.n == 0) {
		warnx("stat %s: %s", esc_name(a->arg), strerror(ENOENT));
		return 1;
	}
	seen = see_holders(t, &hs, f.u.peer != 0 ? 0 : f.u.ino, 0);
	set_named(t, &f.u, seen ? &hs : NULL, why == 0);
	holders_free(&hs);
	return 0;
}

/* a socket that takes what is sent: a listener, or a bound datagram one */
static int
serving(const struct usock *u)
{
	return u->state == USOCK_LISTEN || u->type == SOCK_DGRAM;
}

/*
 * stat --wait: the address is served, seen from unix_diag (or
 * /proc/net/unix), never by connecting; where that cannot be told, stat
 * says what it sees
 */
static int
listening(void *arg)
{
	const struct addr *a = arg;
	struct named f = { a->path, a->pathlen, { 0 }, 0 };
	struct usock u;
	struct stat st;
	int r, why;

	if (a->kind == ADDR_ABSTRACT)
		return udiag_any(is_named, &f, &why) == -1 ||
		    (f.n > 0 && serving(&f.u));
	if (path_lstat(a->path, &st) == -1)
		return errno != ENOENT;
	if (!S_ISSOCK(st.st_mode) || (r = udiag_bound(&st, &u)) == -1)
		return 1;
	return r == 1 && serving(&u);
}

/* the shared options in stat's words */
static const struct optdef stat_opts[] = {
	{ 't', "timeout", "DUR", "--wait: give up after DUR (250ms, 2s, 1m)" },
	{ OPT_WAIT, "wait", NULL,
	    "wait (bounded by -t) until a socket listens at ADDR" },
	{ 0, NULL, NULL, NULL }
};

int
cmd_stat(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "timeout output json wait", stat_opts), rc;
	struct deadline d;
	struct table t;
	struct addr a;

	table_init(&t, scols, 0, TABLE_ASKED);
	one_addr(argc, argv, i, 0, &a);
	if (a.kind == ADDR_TCP || a.kind == ADDR_UDP)
		usage_error("%s: stat is for Unix sockets (ss(8) shows TCP "
		    "and UDP)", a.arg);
	deadline_set(&d, opt.timeout);
	if (opt.wait && exists_wait(listening, &a, &d) == -1)
		return exists_failed(a.arg, "listen");
	table_row(&t);
	rc = a.kind == ADDR_PATH ? stat_path(&t, &a) : stat_abstract(&t, &a);
	tap_gone_note("stat", &a);
	if (rc == 0)
		table_print_kv(&t);
	table_free(&t);
	return rc;
}

struct socks {
	struct usock *u;
	size_t n, cap;
};

static int
keep(const struct usock *u, void *arg)
{
	struct socks *s = arg;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		if ((s->u = reallocarray(s->u, s->cap, sizeof(*s->u))) == NULL)
			err(1, NULL);
	}
	s->u[s->n++] = *u;
	return 0;
}

/* path (from /proc/PID/...) leads to the socket file u is bound to */
static int
is_file(const char *path, const struct usock *u)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    st.st_ino == u->vino && st.st_dev == u->vdev;
}

/* what the link at /proc/PID/what says, with name after it, into buf */
static int
linked_path(pid_t pid, const char *what, const char *name, char *buf,
    size_t len)
{
	char link[64], to[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/%s", (int)pid, what);
	if ((n = readlink(link, to, sizeof(to) - 1)) <= 0 || to[0] != '/')
		return -1;
	to[n] = '\0';
	if ((size_t)snprintf(buf, len, "%s%s%s", to, name[0] != '\0' &&
	    n > 1 ? "/" : "", name) >= len)
		return -1;
	return 0;
}

/*
 * A name bound relative to the binder's directory ("s.sock", as ss
 * shows it): the file, where a holder's working directory has it (the
 * device and inode unix_diag gives, UNIX_DIAG_VFS, are the file's there)
 * or a process holds the file itself open; 0 where none does
 */
static int
resolve(const struct usock *u, const char *name, const struct holders *hs,
    char *buf, size_t len)
{
	const struct holder *e;
	char fd[32];
	size_t k, n;

	for (k = 0; hs != NULL && k < hs->n; k++)
		if (hs->h[k].ino == u->ino &&
		    linked_path(hs->h[k].pid, "cwd", name, buf, len) == 0 &&
		    is_file(buf, u))
			return 1;
	n = pidx_obj(proc_index(PIDX_FDS), u->vdev, u->vino, &e);
	for (k = 0; k < n; k++) {
		snprintf(fd, sizeof(fd), "fd/%d", e[k].fd);
		if (e[k].ino == u->vino && e[k].fd >= 0 &&
		    linked_path(e[k].pid, fd, "", buf, len) == 0 &&
		    is_file(buf, u))
			return 1;
	}
	return 0;
}

/*
 * A bound socket's file: its path (a relative name resolved, and shown
 * so in the name too), where the file there is the one bound
 */
static void
ls_file(struct table *t, const struct usock *u, const struct holders *hs)
{
	char name[sizeof(u->name) + 1], path[PATH_MAX];
	struct stat st;

	if (u->vino == 0)
		return;
	table_set(t, S_FILE_INODE, "%ju", (uintmax_t)u->vino);
	if (!table_shows(t, S_PATH) && !table_shows(t, S_NAME) &&
	    !table_shows(t, S_MODE) && !table_shows(t, S_OWNER) &&
	    !table_shows(t, S_GROUP))
		return;
	udiag_name(u, name, sizeof(name));
	if (name[0] == '/') {
		if (!is_file(name, u))
			return;
		strlcpy(path, name, sizeof(path));
	} else if (name[0] == '\0' || !resolve(u, name, hs, path, sizeof(path)))
		return;
	else
		table_set(t, S_NAME, "%s", path);
	table_set(t, S_PATH, "%s", path);
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		set_file(t, &st);
}

/* a socket bound by a name relative to its binder's directory */
static int
relative(const struct socks *s)
{
	size_t k;

	for (k = 0; k < s->n; k++)
		if (s->u[k].vino != 0 && s->u[k].namelen > 0 &&
		    s->u[k].name[0] != '/' && s->u[k].name[0] != '\0')
			return 1;
	return 0;
}

/* the socket bound to the file st, from the dump; a listener first */
static const struct usock *
bound_to(const struct socks *s, const struct stat *st)
{
	const struct usock *found = NULL;
	size_t k;

	for (k = 0; k < s->n; k++)
		if (s->u[k].vino == st->st_ino && s->u[k].vdev == st->st_dev &&
		    (found == NULL || s->u[k].state == USOCK_LISTEN))
			found = &s->u[k];
	return found;
}

/* the socket files in dir, by name; symlinks are not followed */
static int
ls_dir(struct table *t, const struct socks *s, const struct holders *hs,
    int peers, const char *dir)
{
	const struct usock *u;
	char **names, *path;
	struct stat st;
	size_t n, k;

	if ((names = dir_names(dir, &n)) == NULL) {
		warn("ls %s", esc_name(dir));
		return 1;
	}
	for (k = 0; k < n; k++) {
		if (asprintf(&path, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ?
		    "" : "/", names[k]) == -1)
			err(1, NULL);
		if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
			table_row(t);
			if ((u = bound_to(s, &st)) != NULL)
				set_named(t, u, hs, peers);
			else
				table_set(t, S_STATE, peers ? "stale" : "unknown");
			table_set(t, S_ADDR_TYPE, "path");
			table_set(t, S_PATH, "%s", path);
			set_file(t, &st);
		}
		free(path);
	}
	dir_names_free(names, n);
	return 0;
}

int
cmd_ls(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "output no-header notruncate json pid",
	    NULL), why;
	int seen, rc = 0, given = argc > i;
	struct socks s = { NULL, 0, 0 };
	struct tablefmt fmt;
	struct holders hs;
	struct table t;
	char dflt[sizeof("kind," DIR_COLS ",pid_role")];
	size_t k;

	argc = dir_usable(argc, argv, i, &rc);
	if (given && argc == i)
		return 1;
	fmt = *TABLE_ASKED;
	if (given && fmt.fields == NULL) {	/* the files by their paths */
		snprintf(dflt, sizeof(dflt), "%s%s%s", fmt.json ? "kind," : "",
		    DIR_COLS, fmt.pid ? ",pid_role" : "");
		fmt.fields = dflt;	/* JSON's kind, as every default has */
	}
	table_init(&t, scols, 1, &fmt);
	if (udiag_any(keep, &s, &why) == -1)
		err(1, "ls: /proc/net/unix");
	if (why != 0)
		warnx("ls: unix_diag: %s: %s", strerror(why), i < argc ?
		    "no socket file can be tied to its socket" :
		    "no peers nor queues (/proc/net/unix has none)");
	seen = see_holders(&t, &hs, 0, i == argc && relative(&s));
	for (k = 0; i == argc && k < s.n; k++) {
		/* ls --pid keeps its process's sockets (table.c): the
		 * others are not filled */
		if (fmt.pid != 0 && seen &&
		    !holders_held(&hs, NULL, s.u[k].ino, fmt.pid, HOLD_ANY))
			continue;
		table_row(&t);
		set_named(&t, &s.u[k], seen ? &hs : NULL, why == 0);
		ls_file(&t, &s.u[k], seen ? &hs : NULL);
	}
	for (; i < argc; i++)
		rc |= ls_dir(&t, &s, seen ? &hs : NULL, why == 0, argv[i]);
	table_print(&t);
	table_free(&t);
	holders_free(&hs);
	free(s.u);
	return rc;
}

static void
rm_check(const char *arg)
{
	struct addr a;

	addr_parse(arg, 0, 0, &a);
	if (a.kind == ADDR_ABSTRACT)
		usage_error("%s: an abstract name has no file to remove; it "
		    "goes with its last holder", arg);
	if (a.kind != ADDR_PATH)
		usage_error("%s: a %s socket has no file to remove", arg,
		    a.kind == ADDR_TCP ? "TCP" : "UDP");
}

/* "pid 12 (ipc-sock)": each process that holds the socket ino */
static void
warn_live(const char *arg, ino_t ino)
{
	char comm[64], *s = NULL;
	struct holders hs;
	size_t len = 0, k;
	FILE *f;

	proc_scan_socks(&hs, ino);
	if ((f = open_memstream(&s, &len)) == NULL)
		err(1, NULL);
	for (k = 0; k < hs.n; k++) {
		if (k > 0 && hs.h[k].pid == hs.h[k - 1].pid)
			continue;
		proc_comm(hs.h[k].pid, comm, sizeof(comm));
		fprintf(f, "%spid %d (%s)", k ? ", " : "", (int)hs.h[k].pid,
		    comm);
	}
	if (hs.n == 0)
		fprintf(f, "socket %ju, its holder not visible", (uintmax_t)ino);
	if (fclose(f) != 0)
		err(1, NULL);
	warnx("rm %s: has a live listener: %s", esc_name(arg), s);
	free(s);
	holders_free(&hs);
}

/* why path_rm left it: not a socket, or one with a socket bound to it */
static int
rm_refused(const struct addr *a)
{
	struct stat st;
	struct usock u;

	if (look_file(a->path, a->arg, &st) == -1)
		return 1;
	if (udiag_bound(&st, &u) == 1)
		warn_live(a->arg, u.ino);
	else
		warnx("rm %s: bound while being removed: left as it is",
		    esc_name(a->arg));
	return 1;
}

static int
rm_one(const char *arg)
{
	struct stat st;
	struct addr a;
	int r;

	addr_parse(arg, 0, 0, &a);
	tap_gone_note("rm", &a);
	/* without unix_diag, only a refused connect(2) proves it stale */
	if (path_lstat(a.path, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    udiag_bound(&st, NULL) == -1 && sock_live(&a, &st) != 0) {
		warnx("rm %s: cannot tell it is stale (no unix_diag), and it "
		    "is not refused: left as it is", esc_name(arg));
		return 1;
	}
	if ((r = path_rm(a.path, S_IFSOCK, sock_unbound)) == PATH_KIND)
		return rm_refused(&a);
	return path_rm_warn(r, arg, opt.force);
}

int
cmd_rm(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "force", NULL);

	return opt_each(argc, argv, i, "PATH", rm_check, rm_one);
}
