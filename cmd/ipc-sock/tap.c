/* ipc-sock tap: a socket file moved aside, and a relay in its place. */
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"
#include "ipc-sock.h"

#define TAP_MAX		64		/* clients relayed at once */
/* how long a new client waits for the server to accept (ns) */
#define TAP_CONNECT	(5 * INT64_C(1000000000))

static const struct optdef tap_opts[] = {
	{ 'X', "hex", NULL, "each chunk as a hex dump (offset, hex, ASCII)" },
	{ 0, NULL, NULL, NULL }
};

/* ".NAME.tap.PID": the pid of the tap that moved NAME aside, else 0 */
static pid_t
tap_aside_pid(const char *ent, const char *base)
{
	size_t blen = strlen(base);
	const char *e;
	long long pid;

	if (ent[0] != '.' || strncmp(ent + 1, base, blen) != 0 ||
	    strncmp(ent + 1 + blen, ".tap.", 5) != 0)
		return 0;
	pid = strtonum(ent + blen + 6, 1, INT_MAX, &e);
	return e == NULL ? (pid_t)pid : 0;
}

static int
tap_alive(pid_t pid)
{
	return kill(pid, 0) == 0 || errno == EPERM;
}

/* a name as a shell reads it back, quoted only where it must be */
static void
tap_shell(FILE *f, const char *s)
{
	const char *p;

	fputs(*s == '-' ? "./" : "", f);	/* never an option to mv */
	if (*s != '\0' && s[strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789._/-+,:@%=")] == '\0') {
		fputs(s, f);
		return;
	}
	putc('\'', f);
	for (p = s; *p != '\0'; p++)
		if (*p == '\'')
			fputs("'\\''", f);
		else
			putc(*p, f);
	putc('\'', f);
}

/* the dead tap's file at abase, sbase's server in it, nobody at sbase */
static int
tap_gone(int dfd, const char *sbase, const char *abase, pid_t pid)
{
	struct stat st;
	struct usock u;

	if (pid == 0 || tap_alive(pid) ||
	    fstatat(dfd, abase, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
	    !S_ISSOCK(st.st_mode) || udiag_bound(&st, &u) != 1 ||
	    u.state != USOCK_LISTEN)
		return 0;
	return fstatat(dfd, sbase, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
	    (S_ISSOCK(st.st_mode) && udiag_bound(&st, NULL) == 0);
}

/* a dead tap's file beside sbase, its name into abase: its pid, or 0 */
static pid_t
tap_gone_find(int dfd, const char *sbase, char abase[NAME_MAX + 1])
{
	struct dirent *de;
	pid_t pid = 0;
	DIR *d;
	int fd;

	if ((fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return 0;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return 0;
	}
	while (pid == 0 && (de = readdir(d)) != NULL) {
		pid = tap_aside_pid(de->d_name, sbase);
		if (tap_gone(dfd, sbase, de->d_name, pid))
			strlcpy(abase, de->d_name, NAME_MAX + 1);
		else
			pid = 0;
	}
	closedir(d);
	return pid;
}

/* base is ".NAME.tap.PID": NAME into sbase, and PID; else 0 */
static pid_t
tap_gone_split(const char *base, char sbase[NAME_MAX + 1])
{
	const char *p, *last = NULL;

	for (p = base; (p = strstr(p, ".tap.")) != NULL; p++)
		last = p;
	if (base[0] != '.' || last == NULL || last == base)
		return 0;
	snprintf(sbase, NAME_MAX + 1, "%.*s", (int)(last - base - 1), base + 1);
	return tap_aside_pid(base, sbase);
}

/*
 * A tap that could not put the server's file back (SIGKILL, the OOM
 * killer) left it at .NAME.tap.PID beside NAME: said, with the command
 * that restores it, when that file has a live listener, PID has gone and
 * nobody listens at NAME. a is NAME or the file aside.
 */
void
tap_gone_note(const char *verb, const struct addr *a)
{
	char base[NAME_MAX + 1], sbase[NAME_MAX + 1], abase[NAME_MAX + 1];
	char apath[PATH_MAX], spath[PATH_MAX], *s = NULL;
	const char *slash;
	size_t len = 0;
	pid_t pid;
	int dfd, dlen;
	FILE *f;

	if (a->kind != ADDR_PATH || (dfd = path_parent(a->path, base)) == -1)
		return;
	if ((pid = tap_gone_split(base, sbase)) != 0 &&
	    tap_gone(dfd, sbase, base, pid))
		strlcpy(abase, base, sizeof(abase));
	else {
		strlcpy(sbase, base, sizeof(sbase));
		pid = tap_gone_find(dfd, sbase, abase);
	}
	close(dfd);
	if (pid == 0 || (f = open_memstream(&s, &len)) == NULL)
		return;
	slash = strrchr(a->path, '/');
	dlen = slash != NULL ? (int)(slash - a->path) + 1 : 0;
	snprintf(apath, sizeof(apath), "%.*s%s", dlen, a->path, abase);
	snprintf(spath, sizeof(spath), "%.*s%s", dlen, a->path, sbase);
	fprintf(f, "%s, moved aside by a tap (pid %ld) that has gone; to put "
	    "it back: mv -fT ", esc_name(apath), (long)pid);
	tap_shell(f, apath);
	putc(' ', f);
	tap_shell(f, spath);
	if (fclose(f) == 0)
		warnx("%s %s: the server's socket is at %s", verb,
		    esc_name(a->arg), s);
	free(s);
}

/* a tap already runs on this server: its file is beside PATH, its pid alive */
static void
tap_second(const struct tap *t)
{
	struct dirent *de;
	struct stat st;
	pid_t pid;
	DIR *d;
	int fd;

	if ((fd = openat(t->dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1 || (d = fdopendir(fd)) == NULL)
		err(1, "tap %s: reading its directory", esc_name(t->at.arg));
	while ((de = readdir(d)) != NULL)
		if ((pid = tap_aside_pid(de->d_name, t->base)) != 0 &&
		    pid != getpid() && tap_alive(pid) &&
		    fstatat(t->dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW)
		    == 0 &&
		    S_ISSOCK(st.st_mode))
			errx(1, "tap %s: already tapped by pid %ld (the "
			    "server's file is at %s): one tap at a time",
			    esc_name(t->at.arg), (long)pid, de->d_name);
	closedir(d);
}

/* PATH is a socket file a live stream or seqpacket server listens on */
static void
tap_look(struct tap *t)
{
	const char *p = esc_name(t->at.arg);
	struct stat *st = &t->srv;
	struct usock u;
	int r;

	if ((t->dfd = path_parent(t->at.path, t->base)) == -1 ||
	    fstatat(t->dfd, t->base, st, AT_SYMLINK_NOFOLLOW) == -1)
		err(1, "tap %s", p);
	if (S_ISLNK(st->st_mode))
		errx(1, "tap %s: a symbolic link, not a socket (tap follows "
		    "none)", p);
	if (!S_ISSOCK(st->st_mode))
		errx(1, "tap %s: not a socket", p);
	if ((r = udiag_bound(st, &u)) == -1)
		err(1, "tap %s: cannot tell whether anybody listens "
		    "(unix_diag)", p);
	if (r == 1 && u.type != SOCK_STREAM && u.type != SOCK_SEQPACKET)
		errx(1, "tap %s: a %s socket: tap relays stream and seqpacket "
		    "sockets only", p, addr_type_name(u.type));
	if (r == 0 || u.state != USOCK_LISTEN) {
		tap_gone_note("tap", &t->at);
		errx(1, "tap %s: stale: nobody listens", p);
	}
	tap_second(t);
	t->type = t->at.type = u.type;
}

/* a hidden name beside PATH for the server's file, as an address */
static const char *
tap_aside_name(struct tap *t)
{
	const char *slash = strrchr(t->at.path, '/');
	int dlen = slash != NULL ? (int)(slash - t->at.path) + 1 : 0;

	snprintf(t->unixaside, sizeof(t->unixaside), "unix:%.*s.%s.tap.%ld",
	    dlen, t->at.path, t->base, (long)getpid());
	if (strlen(t->unixaside) - 5 > sizeof(struct sockaddr_un) -
	    offsetof(struct sockaddr_un, sun_path) - 1)
		errx(1, "tap %s: the name to move the server's socket aside "
		    "to, %s, is too long for sun_path", esc_name(t->at.arg),
		    esc_name(t->unixaside + 5));
	addr_parse(t->unixaside, t->type, ADDR_RAW, &t->server);
	strlcpy(t->abase, t->unixaside + 5 + dlen, sizeof(t->abase));
	return t->abase;
}

/*
 * The server's file moved aside, its way back registered, and ours
 * bound in its place (registered after, so undone first), with the
 * signals held throughout, and from then on: they come through t->sfd,
 * so a first one can let the connections end, and one that came in
 * between leaves nothing half done.
 */
static void
tap_swap(struct tap *t)
{
	const char *name = tap_aside_name(t), *p = esc_name(t->at.arg);
	const struct stat *st = &t->srv;
	sigset_t set;
	struct stat now;

	sig_fatal(&set, NULL);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if ((t->sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) == -1)
		err(1, "tap %s: signalfd", p);
	if (renameat2(t->dfd, t->base, t->dfd, name, RENAME_NOREPLACE) == -1)
		err(1, "tap %s: moving it aside to %s", p,
		    esc_name(t->server.path));
	if (cleanup_rename(t->server.path, t->at.path) == -1) {
		renameat2(t->dfd, name, t->dfd, t->base, RENAME_NOREPLACE);
		err(1, "tap %s", p);
	}
	if (fstatat(t->dfd, name, &now, AT_SYMLINK_NOFOLLOW) == -1 ||
	    now.st_dev != st->st_dev || now.st_ino != st->st_ino)
		errx(1, "tap %s: replaced while it was looked at", p);
	if ((t->lfd = sock_bind(&t->at, st->st_mode & 0777, SOMAXCONN)) == -1)
		errx(1, "tap %s: %s", p, sock_bind_why(errno));
	if (fstatat(t->dfd, t->base, &t->own, AT_SYMLINK_NOFOLLOW) == -1)
		err(1, "tap %s", p);
	if (fchownat(t->dfd, t->base, st->st_uid, st->st_gid,
	    AT_SYMLINK_NOFOLLOW) == -1)	/* the group alone, where ours */
		fchownat(t->dfd, t->base, (uid_t)-1, st->st_gid,
		    AT_SYMLINK_NOFOLLOW);
}

/* what the server can no longer see, and an owner we could not give */
static void
tap_say(const struct tap *t)
{
	char own[128] = "", sees[128];
	const struct stat *st = &t->srv;
	struct stat now;

	if (fstatat(t->dfd, t->base, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
	    (now.st_uid != st->st_uid || now.st_gid != st->st_gid))
		snprintf(own, sizeof(own), "; it is owned by %lu:%lu, not by "
		    "the server's %lu:%lu (only root can give it away)",
		    (unsigned long)now.st_uid, (unsigned long)now.st_gid,
		    (unsigned long)st->st_uid, (unsigned long)st->st_gid);
	if (t->root)
		snprintf(sees, sizeof(sees), "the pid of a short-lived child "
		    "of the tap (with the client's uid and gid)");
	else
		snprintf(sees, sizeof(sees), "the tap's pid %ld, uid %lu and "
		    "gid %lu", (long)getpid(), (unsigned long)geteuid(),
		    (unsigned long)getegid());
	warnx("tap %s: relaying to the server, moved aside to %s; for every "
	    "new client the server now sees %s, not the client's%s",
	    esc_name(t->at.arg), esc_name(t->server.path), sees, own);
}

/*
 * The server's end for a new client: as root, connected as the client
 * (its uid and gid, so the server's check of them still holds). A server
 * that refuses has gone: the tap ends, and its file goes back.
 */
static int
tap_connect(const struct tap *t, int cfd, pid_t pid)
{
	struct deadline d;
	int fd;

	deadline_set(&d, TAP_CONNECT);
	fd = t->root ? sock_connect_as(&t->server, cfd, &d) :
	    sock_connect(&t->server, &d);
	if (fd == -1 && (errno == ECONNREFUSED || errno == ENOENT))
		err(1, "tap %s: the server stopped listening",
		    esc_name(t->at.arg));
	if (fd == -1)
		warn("tap %s: client %ld: connecting to the server",
		    esc_name(t->at.arg), (long)pid);
	else
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

/* a client taken from our listener, 1; none waits, 0; one dropped, -1 */
static int
tap_accept(const struct tap *t, struct tap_conn *c)
{
	struct ucred uc = { 0, 0, 0 };
	int fd;

	if ((fd = accept4(t->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK))
	    == -1) {
		if (errno == EAGAIN)
			return 0;
		if (errno != EINTR && errno != ECONNABORTED)
			warn("tap %s: accept", esc_name(t->at.arg));
		return -1;
	}
	fdpass_peer(fd, &uc);		/* none (pid 0) when it cannot say */
	memset(c, 0, sizeof(*c));
	c->fd[TAP_C] = -1;
	if ((c->fd[TAP_S] = tap_connect(t, fd, uc.pid)) == -1) {
		close(fd);
		return -1;
	}
	c->fd[TAP_C] = fd;
	c->pid = uc.pid;
	return 1;
}

static struct tap_conn *
tap_free_slot(struct tap *t)
{
	size_t k;

	for (k = 0; k < TAP_MAX; k++)
		if (t->c[k].fd[TAP_C] == -1)
			return &t->c[k];
	return NULL;
}

/* the connections still relayed, and their clients' pids into s */
static size_t
tap_live(const struct tap *t, char *s, size_t len)
{
	size_t k, n = 0, at = 0;

	*s = '\0';
	for (k = 0; k < TAP_MAX; k++) {
		if (t->c[k].fd[TAP_C] == -1)
			continue;
		if (at < len)
			at += (size_t)snprintf(s + at, len - at, "%s%ld",
			    n ? " " : "", (long)t->c[k].pid);
		n++;
	}
	return n;
}

/*
 * The server's file back at PATH, ours gone, in one exchange: only while
 * PATH is still our socket and the file aside still the server's, with
 * a live listener. Else each is left as it is found, and said.
 */
static void
tap_putback(struct tap *t)
{
	const char *p = esc_name(t->at.arg), *a = esc_name(t->server.path);
	struct stat st;
	struct usock u;
	int ours, srv;

	ours = fstatat(t->dfd, t->base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    st.st_dev == t->own.st_dev && st.st_ino == t->own.st_ino;
	srv = fstatat(t->dfd, t->abase, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    st.st_dev == t->srv.st_dev && st.st_ino == t->srv.st_ino &&
	    udiag_bound(&st, &u) == 1 && u.state == USOCK_LISTEN;
	if (ours && srv && renameat2(t->dfd, t->abase, t->dfd, t->base,
	    RENAME_EXCHANGE) == 0) {
		if (fstatat(t->dfd, t->abase, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    st.st_dev == t->own.st_dev && st.st_ino == t->own.st_ino) {
			unlinkat(t->dfd, t->abase, 0);
			return;
		}
		/* PATH was replaced between the look and the exchange */
		renameat2(t->dfd, t->abase, t->dfd, t->base, RENAME_EXCHANGE);
		ours = 0;
	}
	if (!ours)
		warnx("tap %s: replaced by another file during the tap: left "
		    "as it is; the server's file stays at %s", p, a);
	else if (!srv)
		warnx("tap %s: %s no longer has the server listening on it: "
		    "put back as it is, if it is still the server's file", p,
		    a);
	if (ours)
		cleanup_run();	/* ours goes, theirs back: as on any exit */
}

/*
 * The first signal (sig), or stdout failing (-1): new clients go
 * straight to the server again, and the connections made so far are
 * relayed until they end, unseen if stdout failed; a second signal ends
 * them at once.
 */
void
tap_leave(struct tap *t, int sig)
{
	char pids[256];
	size_t n;

	t->leaving = sig;
	tap_putback(t);
	/* whoever connected before the file went back is relayed too */
	while (t->lfd != -1 && tap_free_slot(t) != NULL &&
	    tap_accept(t, tap_free_slot(t)) != 0)
		;
	if (t->lfd != -1 && tap_free_slot(t) != NULL) {
		close(t->lfd);
		t->lfd = -1;
	}
	if ((n = tap_live(t, pids, sizeof(pids))) > 0)
		warnx("tap %s: the server's file is back; waiting for %zu "
		    "connection%s to end (client pid%s %s); %s signal ends "
		    "them now", esc_name(t->at.arg), n, n > 1 ? "s" : "",
		    n > 1 ? "s" : "", pids, sig > 0 ? "a second" : "a");
}

/* a gap at the very end is marked too, if there is room for the mark */
static void
tap_mark_end(struct tap_out *o)
{
	int n;

	if (o->gap == 0 || o->err != 0 || TAP_RING - o->end < 64)
		return;
	n = snprintf(o->ring + o->end, TAP_RING - o->end, opt.json ?
	    "{\"not_shown\":true,\"bytes\":%ju}\n" :
	    "... %ju bytes not shown ...\n", o->gap);
	o->end += (size_t)n;
	o->gap = 0;
}

/* every connection ended, the output written: gone as the signal says */
static void __attribute__((noreturn))
tap_exit(struct tap *t)
{
	sigset_t set;

	if (t->out.lost > 0)
		warnx("tap %s: %ju bytes relayed and not shown (stdout did "
		    "not keep up)", esc_name(t->at.arg), t->out.lost);
	if (t->out.end > t->out.start && t->out.err == 0)
		warnx("tap %s: %zu bytes of output not written (stdout did "
		    "not take them)", esc_name(t->at.arg),
		    t->out.end - t->out.start);
	cleanup_run();
	if (t->leaving == -1 && t->out.err == EPIPE)
		stdout_epipe();
	if (t->leaving == -1)
		exit(1);
	signal(t->leaving, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, t->leaving);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(t->leaving);
	_exit(128 + t->leaving);
}

/*
 * Leaving with nothing left to relay: what stdout has not taken yet is
 * written as it takes it; a signal ends the wait.
 */
static void __attribute__((noreturn))
tap_drain(struct tap *t)
{
	struct pollfd p[2];
	int said = 0;

	tap_mark_end(&t->out);
	p[0] = (struct pollfd){ t->sfd, POLLIN, 0 };
	p[1] = (struct pollfd){ t->out.fd, POLLOUT, 0 };
	while (t->out.err == 0 && t->out.end > t->out.start) {
		if (!said++ && poll(p + 1, 1, 0) == 0)
			warnx("tap %s: waiting for stdout to take %zu bytes; a "
			    "signal ends it", esc_name(t->at.arg),
			    t->out.end - t->out.start);
		if (poll(p, 2, -1) == -1 && errno != EINTR)
			break;
		if (p[0].revents & POLLIN)
			break;
		if (p[1].revents)
			tap_out_write(t);
	}
	tap_exit(t);
}

/* a signal: the first begins leaving, the next ends every connection */
static void
tap_signal(struct tap *t)
{
	struct signalfd_siginfo si;
	size_t k;

	while (read(t->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (t->leaving == 0) {
			tap_leave(t, (int)si.ssi_signo);
			continue;
		}
		for (k = 0; k < TAP_MAX; k++)
			if (t->c[k].fd[TAP_C] != -1)
				tap_end(&t->c[k]);
		if (t->leaving == -1)
			t->leaving = (int)si.ssi_signo;
		tap_exit(t);
	}
}

/* every pair in one poll(2) loop; stdout is written only as it takes it */
static void __attribute__((noreturn))
tap_relay(struct tap *t)
{
	struct pollfd p[3 + 2 * TAP_MAX];
	struct tap_conn *free_;
	char pids[8];
	size_t k;

	if ((t->c = calloc(TAP_MAX, sizeof(*t->c))) == NULL)
		err(1, NULL);
	for (k = 0; k < TAP_MAX; k++)
		t->c[k].fd[TAP_C] = t->c[k].fd[TAP_S] = -1;
	/* a client gone between poll(2) and accept(2) must not block us */
	fcntl(t->lfd, F_SETFL, fcntl(t->lfd, F_GETFL) | O_NONBLOCK);
	for (;;) {
		if (t->leaving != 0 && t->lfd == -1 &&
		    tap_live(t, pids, sizeof(pids)) == 0)
			tap_drain(t);
		for (k = 0; k < TAP_MAX; k++)
			tap_events(&t->c[k], p + 3 + 2 * k);
		free_ = tap_free_slot(t);
		p[0] = (struct pollfd){ free_ && t->lfd != -1 ? t->lfd : -1,
		    POLLIN, 0 };
		p[1] = (struct pollfd){ t->sfd, POLLIN, 0 };
		p[2] = (struct pollfd){ t->out.end > t->out.start &&
		    t->out.err == 0 ? t->out.fd : -1, POLLOUT, 0 };
		if (poll(p, 3 + 2 * TAP_MAX, -1) == -1 && errno != EINTR)
			err(1, "tap %s: poll", esc_name(t->at.arg));
		for (k = 0; k < TAP_MAX; k++)
			if (t->c[k].fd[TAP_C] != -1)
				tap_step(t, &t->c[k], p + 3 + 2 * k);
		if (p[0].revents & POLLIN &&
		    tap_accept(t, free_) == 0 && t->leaving != 0) {
			close(t->lfd);	/* the last who came before is in */
			t->lfd = -1;
		}
		if (p[2].revents)
			tap_out_write(t);
		if (p[1].revents & POLLIN)
			tap_signal(t);
	}
}

int
cmd_tap(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "json", tap_opts);
	struct tap t = { .dfd = -1, .lfd = -1, .sfd = -1 };

	if (i == argc)		/* a socket file, not any ADDR */
		usage_error("missing PATH");
	one_addr(argc, argv, i, 0, &t.at);
	if (opt.json && opt.val['X'] != NULL)
		usage_error("-X and -j: one output format");
	if (t.at.kind == ADDR_ABSTRACT)
		usage_error("%s: an abstract name has no file to move aside; "
		    "tap takes a socket file", t.at.arg);
	if (t.at.kind != ADDR_PATH)
		usage_error("%s: tap takes a Unix socket file, not TCP or UDP",
		    t.at.arg);
	t.root = geteuid() == 0;
	tap_look(&t);
	stdout_ready();
	tap_out_open(&t.out);
	tap_swap(&t);
	tap_say(&t);
	tap_relay(&t);
}
