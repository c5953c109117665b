/* ipc-pipe: named pipes (FIFOs) and anonymous pipes. */
#include <sys/file.h>
#include <sys/ioctl.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

enum { C_KIND, C_INODE, C_MODE, C_OWNER, C_GROUP, C_BYTES, C_CAPACITY,
	C_READERS, C_WRITERS, C_WAITW, C_WAITR, C_ORPHAN, C_PATH, C_NCOLS };

static const struct col cols[C_NCOLS + 1] = {
	[C_KIND] = { "kind", COL_STR, 1 },
	[C_INODE] = { "inode", COL_NUM, 1 },
	[C_MODE] = { "mode", COL_STR, 0 },
	[C_OWNER] = { "owner", COL_STR, 0 },
	[C_GROUP] = { "group", COL_STR, 0 },
	[C_BYTES] = { "bytes", COL_NUM, 1 },
	[C_CAPACITY] = { "capacity", COL_NUM, 0 },
	[C_READERS] = { "readers", COL_PIDS, 1, "reader" },
	[C_WRITERS] = { "writers", COL_PIDS, 1, "writer" },
	[C_WAITW] = { "waiting_writers", COL_PIDS, 0 },
	[C_WAITR] = { "waiting_readers", COL_PIDS, 0 },
	[C_ORPHAN] = { "orphan", COL_BOOL, 1 },
	[C_PATH] = { "path", COL_STR, 1 },
};

static void
check_path(const char *path)
{
	if (*path == '\0')
		usage_error("empty PATH");
}

/* the shared options in a verb's words */
static const struct optdef recv_words[] = {
	{ 'c', "count", "N", "receive N lines (-0: records), then exit" },
	{ 'f', "follow", NULL,
	    "keep the FIFO open across writers, until killed or -t" },
	{ '0', "null", NULL, "-c counts NUL-ended records, not lines" },
	{ 'e', "exec", "CMD",
	    "run sh -c CMD for each line (-0: record), on its stdin" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef stat_words[] = {
	{ 't', "timeout", "DUR", "--wait: give up after DUR (250ms, 2s, 1m)" },
	{ OPT_WAIT, "wait", NULL,
	    "wait (bounded by -t) until a file is at PATH" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef ls_words[] = {
	{ OPT_PID, "pid", "PID", "only the pipes and FIFOs PID has open" },
	{ 0, NULL, NULL, NULL }
};

/*
 * The verb's options (the shared ones named, words rewording some),
 * then its PATH operands: at least min, at most max (-1: any number),
 * none empty. Returns the index of the first.
 */
static int
parse_paths(int argc, char *argv[], const char *names,
    const struct optdef *words, int min, int max)
{
	int i = opt_parse(argc, argv, names, words), j;

	if (argc - i < min)
		usage_error("missing PATH");
	if (max >= 0 && argc - i > max)
		usage_error("too many operands");
	for (j = i; j < argc; j++)
		check_path(argv[j]);
	if (argc - i == 1)
		stdout_name(argv[i]);	/* what a failed stdout names */
	return i;
}

/* stat(2) path and insist on a FIFO; 0 or -1 after a warning */
static int
stat_fifo(const char *path, struct stat *st)
{
	if (stat(path, st) == -1) {
		warn("%s %s", opt.verb->name, esc_name(path));
		return -1;
	}
	if (!S_ISFIFO(st->st_mode)) {
		warnx("%s %s: not a FIFO", opt.verb->name, esc_name(path));
		return -1;
	}
	return 0;
}

static int
is_fifo(const struct stat *st, void *arg)
{
	const struct stat *want = arg;

	if (!S_ISFIFO(st->st_mode))
		return 0;
	return want == NULL || (st->st_dev == want->st_dev &&
	    st->st_ino == want->st_ino);
}

/*
 * Whether recv -t 0 may open the FIFO: opening a read end releases a
 * writer blocked in open(2), which then dies of SIGPIPE when we close
 * it a moment later. Safe where a reader holds it (then nobody waits
 * in open for one), or where no process we can see waits to write it.
 * Nobody holding it, all of /proc seen: nothing can be buffered.
 */
static int
may_open(const struct stat *st)
{
	struct holders hs, ws;
	size_t i;
	int ok = 1;

	proc_scan_fds(&hs, is_fifo, (void *)st);
	if (holders_has(&hs, st->st_dev, st->st_ino, HOLD_READ))
		goto out;
	if (hs.n == 0 && !hs.partial) {
		ok = 0;
		goto out;
	}
	proc_scan_openers(&ws);
	for (i = 0; i < ws.n; i++)
		if ((ws.h[i].dev == 0 && ws.h[i].ino == 0) ||
		    (ws.h[i].dev == st->st_dev && ws.h[i].ino == st->st_ino &&
		    ws.h[i].acc != O_RDONLY))
			ok = 0;
	holders_free(&ws);
out:
	holders_free(&hs);
	return ok;
}

/* open a FIFO, bounded by -t; exits 1 or 124 on failure */
static int
open_fifo(const char *path, int flags)
{
	struct deadline d;
	struct stat st, fst;
	int fd;

	if (stat_fifo(path, &st) == -1)
		exit(1);
	deadline_set(&d, opt.timeout);
	fd = wait_open(path, flags | O_CLOEXEC, &d);
	if (fd == -1 && errno == ETIMEDOUT)
		errx(EXIT_TIMEOUT, "%s %s: timed out waiting for a reader",
		    opt.verb->name, esc_name(path));
	if (fd == -1)
		err(1, "%s %s", opt.verb->name, esc_name(path));
	if (fstat(fd, &fst) == -1 || !S_ISFIFO(fst.st_mode))
		errx(1, "%s %s: not a FIFO", opt.verb->name, esc_name(path));
	return fd;
}

/* -x: a FIFO there is taken only where it is the caller's, of -m's mode */
static int
adopted(const char *path, const struct stat *st)
{
	struct adopt a = { ADOPT_ASKED, .uid = st->st_uid,
	    .mode = st->st_mode };
	char why[256];

	if (!adopt_differs(&a, why, sizeof(why)))
		return 0;
	warnx("create %s: exists %s", esc_name(path), why);
	return 1;
}

/* mkfifo through the directory: what is checked is what was made */
static int
create_one(void *arg, mode_t mode)
{
	const char *path = arg;
	char base[NAME_MAX + 1];
	struct stat st;
	int dfd, r = 1;

	if ((dfd = path_parent(path, base)) == -1) {
		warn("create %s", esc_name(path));
		return 1;
	}
	if (mkfifoat(dfd, base, mode) == 0)
		r = 0;
	else if (errno == EEXIST &&
	    fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!S_ISFIFO(st.st_mode))
			warnx("create %s: exists and is not a FIFO",
			    esc_name(path));
		else if (opt.exist_ok)
			r = adopted(path, &st);
		else
			warnx("create %s: %s (%s)", esc_name(path),
			    strerror(EEXIST), EXISTS_HINT);
	} else
		warn("create %s", esc_name(path));
	close(dfd);
	return r;
}

static int
cmd_create(int argc, char *argv[])
{
	int i, rc = 0;

	i = parse_paths(argc, argv, "mode exist-ok any-owner", NULL, 1, -1);
	for (; i < argc; i++)
		rc |= posix_exact(create_one, argv[i], CREATE_ASKED);
	return rc;
}

/*
 * The last reader closed while we wrote: what we had written and no
 * reader took is thrown away when we close, said with the error
 */
static void
broken(int fd, const char *path)
{
	int n;

	if (errno == EPIPE && ioctl(fd, FIONREAD, &n) == 0 && n > 0)
		errx(1, "send %s: %s (%d bytes written and not read are lost)",
		    esc_name(path), strerror(EPIPE), n);
}

static void
send_failed(const char *path, const struct batch *b)
{
	if (errno == ETIMEDOUT)
		errx(EXIT_TIMEOUT, "send %s: timed out waiting for room",
		    esc_name(path));
	if (errno == EMSGSIZE)
		msgin_too_long(path, opt.null ? "record" : "line", b->nrec,
		    b->toolong, opt.null ? "NUL" : "newline", "PIPE_BUF",
		    PIPE_BUF);
	broken(b->fd, path);
	err(1, "send %s", esc_name(path));
}

/* operands, lines or records: each framed, in whole-record atomic writes */
static int
send_records(int fd, const char *path, char **operands,
    const struct deadline *d)
{
	struct batch b = { .fd = fd, .d = d };
	char term = opt.null ? '\0' : '\n';
	int r;

	if (*operands == NULL) {
		if ((r = batch_stream(&b, 0, term)) == -2)
			err(1, "send %s: stdin", esc_name(path));
		if (r == -1)
			send_failed(path, &b);
		return 0;
	}
	for (; *operands != NULL; operands++)
		if (batch_put(&b, *operands, strlen(*operands), term) == -1)
			send_failed(path, &b);
	if (batch_flush(&b) == -1)
		send_failed(path, &b);
	return 0;
}

/*
 * Done writing: hold the FIFO until what is buffered has been read or
 * another writer will close after us, a wait bounded by -t. Closing at
 * a moment no reader holds it would throw the unread bytes away.
 */
static int
settle(int fd, const char *path, const struct deadline *d)
{
	struct deadline again = deadline_again(d);
	uintmax_t left;

	if (fifo_settle(fd, &again, &left) == 0)
		return 0;
	if (errno == ETIMEDOUT)
		errx(1, "send %s: %ju bytes still buffered in the FIFO (this "
		    "sender's and others')", esc_name(path), left);
	err(1, "send %s", esc_name(path));
}

static int
cmd_send(int argc, char *argv[])
{
	struct deadline d;
	struct copy c = { .dout = &d };
	const char *path;
	int i, fd;

	i = opt_parse(argc, argv, "timeout lines null progress", NULL);
	if (i == argc)
		usage_error("missing PATH");
	path = argv[i++];
	check_path(path);
	/*
	 * Not grown here: copy_stream grows it for a stream, while writes
	 * of at most PIPE_BUF take a page of the ring each, and a ring of
	 * 256 such pages only costs more CPU than one of 16
	 */
	fd = open_fifo(path, O_WRONLY);
	progress_start(opt.progress,
	    i < argc ? PROGRESS_UNKNOWN : progress_fdsize(0), 0);
	deadline_set(&d, opt.timeout);
	if (opt.timeout != TIMEOUT_NONE)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (i < argc || opt.lines || opt.null)
		return send_records(fd, path, argv + i, &d) ||
		    settle(fd, path, &d);
	if (copy_stream(0, fd, &c) == 0)
		return settle(fd, path, &d);
	if (c.failed == COPY_IN)
		err(1, "send %s: stdin", esc_name(path));
	if (errno == ETIMEDOUT)
		errx(EXIT_TIMEOUT, "send %s: timed out waiting for room",
		    esc_name(path));
	broken(fd, path);
	err(1, "send %s", esc_name(path));
}

/*
 * A new read end before the old one goes: writers never find the FIFO
 * without a reader, and poll(2) on the new one waits for the next writer
 * instead of reporting the last one's hang-up. Opened through our own
 * descriptor, not the path: whatever has replaced the FIFO there since
 * is not ours to read.
 */
static int
reopen(int fd, const char *path)
{
	struct stat a, b;
	char self[64];
	int nfd;

	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	if ((nfd = open(self, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		err(1, "recv %s", esc_name(path));
	if (fstat(fd, &a) == -1 || fstat(nfd, &b) == -1 ||
	    a.st_dev != b.st_dev || a.st_ino != b.st_ino ||
	    !S_ISFIFO(b.st_mode))
		errx(1, "recv %s: the FIFO changed under us", esc_name(path));
	close(fd);
	return nfd;
}

/* stdout failed after bytes were taken from the FIFO: they are gone */
static void
stream_failed(const char *path, const struct copy *c)
{
	if (c->lost == 0)
		stdout_failed();
	err(1, "recv %s: stdout (%ju bytes read from the FIFO were lost)",
	    esc_name(path), c->lost);
}

/*
 * With no -t, the read end opened O_NONBLOCK (so that open(2) does not
 * wait) is made blocking: splice(2) then waits for the writer in the
 * kernel, not in an EAGAIN and two polls. poll(2) still waits for the
 * first writer.
 */
static int
stream_fd(int fd)
{
	if (opt.timeout == TIMEOUT_NONE)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

/* no -c: copy until every writer has closed (-f: for good) */
static int
recv_stream(int fd, const char *path)
{
	struct deadline d;
	struct copy c = { .din = &d };
	uintmax_t got = 0;

	deadline_set(&d, opt.timeout);
	fd = stream_fd(fd);
	for (;;) {
		if (copy_stream(fd, 1, &c) == 0) {
			got += c.done;
			if (!opt.follow)
				return 0;
			fd = stream_fd(reopen(fd, path));
			continue;
		}
		got += c.done;
		if (c.failed == COPY_OUT)
			stream_failed(path, &c);
		if (errno == ETIMEDOUT)
			return msgout_timeout(path, got, opt.follow);
		err(1, "recv %s", esc_name(path));
	}
}

/* where the want-th delimiter in p ends, or len if there are fewer */
static size_t
cut_after(const char *p, size_t len, uintmax_t want, int delim)
{
	const char *q = p, *e = p + len;

	while (want > 0 && (q = memchr(q, delim, (size_t)(e - q))) != NULL) {
		q++;
		if (--want == 0)
			return (size_t)(q - p);
	}
	return len;
}

static int
lock_call(void *arg)
{
	return flock(*(int *)arg, LOCK_EX);
}

/*
 * Our -c readers of one FIFO take turns, each holding an exclusive
 * flock(2) on it from its peek to its read: between them, every line
 * reaches exactly one. 0, or -1 (ETIMEDOUT when d passed first).
 */
static int
lock_fifo(int fd, const struct deadline *d)
{
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno != EWOULDBLOCK)
		return -1;
	return wait_call(lock_call, &fd, d);
}

/*
 * A reader that takes no lock (cat, a shell's read) took bytes between
 * our peek and our read, so we wrote out what it has too, and now hold
 * bytes nobody else has: write them out, say so, and fail.
 */
static void
raced(const char *path, const char *got, ssize_t n)
{
	if (n > 0 && copy_write(1, got, (size_t)n, NULL, NULL) == -1)
		stdout_failed();
	errx(1, "recv %s: another reader took bytes between our peek and our "
	    "read: wrote out the %zd bytes read instead, after the lines it "
	    "also took", esc_name(path), n > 0 ? n : 0);
}

/*
 * read(2) of len bytes that are buffered (peeked) in the pipe fd: a
 * short count is read on while fd still has bytes now, so only another
 * reader can make it come up short. What was read, or read(2)'s -1 or 0.
 */
static ssize_t
read_buffered(int fd, char *p, size_t len)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t done = 0;
	ssize_t n = 0;

	while (done < len) {
		if ((n = read(fd, p + done, len - done)) == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
		if (done < len && poll(&pfd, 1, 0) != 1)
			break;
	}
	return done > 0 ? (ssize_t)done : n;
}

/*
 * One step of -c, under the FIFO's lock: peek at what is buffered with
 * tee(2), write to out what the lines still wanted take of it, and only
 * then read(2) exactly that much, checking it is what was peeked: the
 * next reader loses nothing, and nothing is lost when stdout fails.
 * Returns bytes taken, 0 at end of file, -1 with errno (EAGAIN: nothing
 * there now, another reader was first).
 */
static ssize_t
recv_some(int fd, int peek[2], char *buf, size_t size, uintmax_t *left,
    const char *path, int out, int strip)
{
	char term = opt.null ? '\0' : '\n', got[1 << 16];
	ssize_t n;
	size_t cut, len;

	n = tee(fd, peek[1], size < sizeof(got) ? size : sizeof(got),
	    SPLICE_F_NONBLOCK);
	if (n <= 0)
		return n;
	if (read_buffered(peek[0], buf, (size_t)n) != n)
		return -1;
	cut = cut_after(buf, (size_t)n, *left, term);
	*left -= batch_count(buf, cut, term);
	/* strip: a worker's message is the record without its terminator */
	len = (strip && *left == 0 && cut > 0) ? cut - 1 : cut;
	if (copy_write(out, buf, len, NULL, NULL) == -1)
		stdout_failed();
	n = read_buffered(fd, got, cut);
	if (n != (ssize_t)cut || memcmp(got, buf, cut) != 0)
		raced(path, got, n);
	return n;
}

/* wait for bytes, then take a step of them under the FIFO's lock */
static ssize_t
recv_step(int fd, int peek[2], char *buf, size_t size, uintmax_t *left,
    const char *path, const struct deadline *d)
{
	ssize_t n;
	int e;

	if (wait_fd(fd, POLLIN, d) == -1 || lock_fifo(fd, d) == -1)
		return -1;
	n = recv_some(fd, peek, buf, size, left, path, 1, 0);
	e = errno;
	flock(fd, LOCK_UN);
	errno = e;
	return n;
}

static int
recv_count(int fd, const char *path)
{
	char buf[1 << 16];
	struct deadline d;
	uintmax_t left = opt.count, got = 0;
	ssize_t n = 1;
	int peek[2];

	if (pipe2(peek, O_CLOEXEC | O_NONBLOCK) == -1)
		err(1, "recv %s: pipe", esc_name(path));
	while (left > 0) {
		/* a new wait, but not after a wake-up that found nothing */
		if (n != -1)
			deadline_set(&d, opt.timeout);
		n = recv_step(fd, peek, buf, sizeof(buf), &left, path, &d);
		if (n == -1 && errno == ETIMEDOUT)
			return msgout_timeout(path, got, opt.follow);
		if (n == -1 && errno != EAGAIN)
			err(1, "recv %s", esc_name(path));
		if (n == 0)
			fd = reopen(fd, path);
		else if (n > 0)
			got += (uintmax_t)n;
	}
	return 0;
}

/* recv -e: one record at a time, taken under the FIFO's lock */
struct fifo {
	int fd, peek[2];
	const char *path;
};

static int
take_fifo(void *arg, int out, intmax_t *meta)
{
	char buf[1 << 16];
	struct fifo *f = arg;
	uintmax_t left = 1;
	ssize_t n;
	int e;

	*meta = 0;
	if (flock(f->fd, LOCK_EX | LOCK_NB) == -1)
		return -1;	/* EWOULDBLOCK: another worker's turn */
	n = recv_some(f->fd, f->peek, buf, sizeof(buf), &left, f->path, out,
	    1);
	e = errno;
	flock(f->fd, LOCK_UN);
	if (n == 0)
		f->fd = reopen(f->fd, f->path);	/* the next writer's */
	if (n > 0 && left == 0)
		return 0;
	/* nothing, or a record begun whose rest is yet to come */
	errno = n < 0 ? e : EAGAIN;
	return -1;
}

static int
recv_exec(int fd, const char *path)
{
	struct fifo f = { .fd = fd, .path = path };
	struct worker w = { .name = path, .cmd = opt.exec, .fd = &f.fd,
	    .kill = opt.val[OPT_KILL] != NULL,
	    .stop = opt.val[OPT_STOP] != NULL, .count = opt.count,
	    .follow = opt.follow, .timeout = opt.timeout, .take = take_fifo,
	    .arg = &f };
	int rc;

	if (pipe2(f.peek, O_CLOEXEC | O_NONBLOCK) == -1)
		err(1, "recv %s: pipe", esc_name(path));
	if ((rc = worker_run(&w)) == -1)
		err(1, "recv %s", esc_name(path));
	return rc;
}

static int
cmd_recv(int argc, char *argv[])
{
	struct stat st;
	const char *path;
	int i, fd;

	i = parse_paths(argc, argv, "timeout count follow null exec kill stop "
	    "progress", recv_words, 1, 1);
	path = argv[i];
	if (stat_fifo(path, &st) == -1)
		return 1;
	/*
	 * -t 0 on a FIFO nobody holds: nothing can be there, and opening it
	 * would release a writer blocked in open(2) only to leave it to
	 * SIGPIPE a moment later
	 */
	if (opt.timeout == 0 && !may_open(&st))
		errx(EXIT_TIMEOUT, "recv %s: timed out", esc_name(path));
	stdout_name(path);
	if (opt.exec == NULL)
		stdout_ready();	/* nothing is taken that cannot be written */
	/* O_NONBLOCK: the open never waits; poll(2) waits, bounded by -t */
	fd = open_fifo(path, O_RDONLY | O_NONBLOCK);
	copy_grow(fd);
	progress_start(opt.progress, PROGRESS_UNKNOWN, 0);
	if (opt.exec != NULL)
		return recv_exec(fd, path);
	return opt.count ? recv_count(fd, path) : recv_stream(fd, path);
}

static int
rm_one(const char *path)
{
	int r = path_rm(path, S_IFIFO, NULL);

	if (r == PATH_KIND) {
		warnx("rm %s: not a FIFO", esc_name(path));
		return 1;
	}
	return path_rm_warn(r, path, opt.force);
}

static int
cmd_rm(int argc, char *argv[])
{
	int i, rc = 0;

	i = parse_paths(argc, argv, "force", NULL, 1, -1);
	for (; i < argc; i++)
		rc |= rm_one(argv[i]);
	return rc;
}

/*
 * Bytes buffered and capacity, read through a reader's own descriptor
 * (pidfd_getfd): opening a read end would release a writer blocked in
 * open(2). Where that is not permitted, open it, but only while a reader
 * holds it, so no writer is waiting in open. Nobody holding it: nothing
 * can be buffered.
 */
/* what /proc shows of the pipes: who holds them, who waits to open them */
struct seen {
	struct holders hs, ws;
};

/*
 * The holders of st (NULL: of every FIFO) and the processes waiting to
 * open one, each read where a shown field needs it, or fds and openers
 * say it is needed anyway
 */
static void
see(struct seen *s, const struct table *t, const struct stat *st, int fds,
    int openers)
{
	int orphans;

	fds = fds || table_shows(t, C_BYTES) || table_shows(t, C_CAPACITY) ||
	    table_shows(t, C_READERS) || table_shows(t, C_WRITERS) ||
	    table_shows(t, C_ORPHAN);
	openers = openers || table_shows(t, C_WAITW) ||
	    table_shows(t, C_WAITR) || table_shows(t, C_ORPHAN);

	memset(s, 0, sizeof(*s));
	/* both parts in one walk of /proc, each process's fd read once */
	proc_index((fds ? PIDX_FDS : 0) | (openers ? PIDX_OPENERS : 0));
	if (fds)
		proc_scan_fds(&s->hs, is_fifo, (void *)st);
	if (openers)
		proc_scan_openers(&s->ws);
	orphans = table_orphans(t) >= 0;
	if (s->hs.partial && s->ws.partial)
		holders_note(&s->hs, "readers, writers and waiting openers",
		    orphans);
	else if (s->hs.partial)
		holders_note(&s->hs, "readers and writers", orphans);
	else
		holders_note(&s->ws, "waiting openers", orphans);
}

static void
unsee(struct seen *s)
{
	holders_free(&s->hs);
	holders_free(&s->ws);
}

static int
fill_fd(const struct holders *hs, const struct stat *st, const char *open_path)
{
	struct stat fst;
	int fd;

	if ((fd = holders_dup(hs, st->st_dev, st->st_ino, HOLD_READ)) != -1)
		return fd;
	if ((fd = open(open_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &fst) == 0 && fst.st_ino == st->st_ino &&
	    fst.st_dev == st->st_dev)
		return fd;
	close(fd);
	return -1;
}

static void
set_fill(struct table *t, const struct holders *hs, const struct stat *st,
    const char *open_path)
{
	char *readers = holders_str(hs, st->st_dev, st->st_ino, HOLD_READ);
	char *any = holders_str(hs, st->st_dev, st->st_ino, HOLD_ANY);
	int fd, n;

	if (*any == '\0' && !hs->partial)
		table_set(t, C_BYTES, "0");
	if (*readers != '\0' && (fd = fill_fd(hs, st, open_path)) != -1) {
		if (ioctl(fd, FIONREAD, &n) == 0)
			table_set(t, C_BYTES, "%d", n);
		if ((n = fcntl(fd, F_GETPIPE_SZ)) > 0)
			table_set(t, C_CAPACITY, "%d", n);
		close(fd);
	}
	table_set(t, C_READERS, "%s", readers);
	free(readers);
	free(any);
	any = holders_str(hs, st->st_dev, st->st_ino, HOLD_WRITE);
	table_set(t, C_WRITERS, "%s", any);
	free(any);
}

/*
 * who is blocked in open(2) of it: a writer waits for a reader, and back;
 * orphan where neither a holder nor a process waiting to open it is seen
 */
static void
set_waiting(struct table *t, const struct seen *s, const struct stat *st)
{
	const struct holders *ws = &s->ws;
	char *w = holders_str(ws, st->st_dev, st->st_ino, HOLD_WRITE);
	char *r = holders_str(ws, st->st_dev, st->st_ino, HOLD_READ);

	table_set(t, C_WAITW, "%s", w);
	table_set(t, C_WAITR, "%s", r);
	table_orphan(t, *w != '\0' || *r != '\0' ||
	    holders_has(&s->hs, st->st_dev, st->st_ino, HOLD_ANY));
	free(w);
	free(r);
}

/* kind: "fifo", or "pipe" for an anonymous one */
static void
fill_row(struct table *t, const struct seen *s, const struct stat *st,
    const char *path, const char *open_path, const char *kind)
{
	table_row(t);
	table_set(t, C_KIND, "%s", kind);
	table_set(t, C_INODE, "%ju", (uintmax_t)st->st_ino);
	table_set(t, C_MODE, "%04o", (unsigned)(st->st_mode & 07777));
	table_owner(t, C_OWNER, C_GROUP, st->st_uid, st->st_gid);
	set_fill(t, &s->hs, st, open_path);
	set_waiting(t, s, st);
	table_set(t, C_PATH, "%s", path);
}

static int
cmd_stat(int argc, char *argv[])
{
	struct deadline d;
	struct seen s;
	struct table t;
	struct stat st;
	int i;

	i = parse_paths(argc, argv, "timeout output json wait", stat_words, 1,
	    1);
	table_init(&t, cols, 0, TABLE_ASKED);
	deadline_set(&d, opt.timeout);
	if (opt.wait && exists_wait(exists_path, argv[i], &d) == -1)
		return exists_failed(argv[i], "exist");
	if (stat_fifo(argv[i], &st) == -1)
		return 1;
	see(&s, &t, &st, 1, 0);
	fill_row(&t, &s, &st, argv[i], argv[i], "fifo");
	table_print_kv(&t);
	table_free(&t);
	unsee(&s);
	return 0;
}

static int
by_object(const void *a, const void *b)
{
	const struct holder *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/*
 * ls --pid keeps the rows of what its process reads or writes (table.c):
 * the others are not filled, their bytes and names never read
 */
static int
not_pids(const struct table *t, const struct holders *hs,
    const struct stat *st)
{
	pid_t pid = t->fmt.pid;

	return pid != 0 &&
	    !holders_held(hs, &st->st_dev, st->st_ino, pid, HOLD_READ) &&
	    !holders_held(hs, &st->st_dev, st->st_ino, pid, HOLD_WRITE);
}

/* a FIFO nobody holds yet, that a process waits in open(2) to open */
static void
ls_waited(struct table *t, const struct seen *s)
{
	const struct holder *w;
	struct stat st;
	size_t i, j;

	for (i = 0; i < s->ws.n; i++) {
		w = &s->ws.h[i];
		for (j = 0; j < i; j++)
			if (s->ws.h[j].dev == w->dev &&
			    s->ws.h[j].ino == w->ino)
				break;
		if (w->path == NULL || j < i ||
		    holders_has(&s->hs, w->dev, w->ino, HOLD_ANY) ||
		    stat(w->path, &st) == -1 || !S_ISFIFO(st.st_mode) ||
		    st.st_dev != w->dev || st.st_ino != w->ino)
			continue;
		fill_row(t, s, &st, w->path, w->path, "fifo");
	}
}

/* every pipe and FIFO a visible process holds, anonymous ones too */
static void
ls_held(struct table *t, struct seen *s)
{
	struct holders *hs = &s->hs;
	char fdpath[64], path[PATH_MAX];
	struct stat st;
	ssize_t n;
	size_t i;

	if (hs->n > 0)		/* qsort(NULL, 0, ...) is undefined */
		qsort(hs->h, hs->n, sizeof(hs->h[0]), by_object);
	for (i = 0; i < hs->n; i++) {
		if (i > 0 && hs->h[i].dev == hs->h[i - 1].dev &&
		    hs->h[i].ino == hs->h[i - 1].ino)
			continue;
		st.st_dev = hs->h[i].dev;
		st.st_ino = hs->h[i].ino;
		if (not_pids(t, hs, &st))
			continue;
		snprintf(fdpath, sizeof(fdpath), "/proc/%d/fd/%d",
		    (int)hs->h[i].pid, hs->h[i].fd);
		if ((n = readlink(fdpath, path, sizeof(path) - 1)) == -1 ||
		    stat(fdpath, &st) == -1 || st.st_ino != hs->h[i].ino)
			continue;
		path[n] = '\0';
		/* anonymous pipes live on pipefs, not on a path */
		fill_row(t, s, &st, path, fdpath,
		    strncmp(path, "pipe:[", 6) == 0 ?
		    "pipe" : "fifo");
	}
	if (t->fmt.pid == 0)	/* held by nobody: no row of --pid's */
		ls_waited(t, s);
}

/* the FIFOs in dir, by name; symlinks are not followed */
static int
ls_dir(struct table *t, const struct seen *s, const char *dir)
{
	char **names, *path;
	struct stat st;
	size_t n, i;

	if ((names = dir_names(dir, &n)) == NULL) {
		warn("ls %s", esc_name(dir));
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (asprintf(&path, "%s%s%s", dir,
		    dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]) == -1)
			err(1, NULL);
		if (lstat(path, &st) == 0 && S_ISFIFO(st.st_mode) &&
		    !not_pids(t, &s->hs, &st))
			fill_row(t, s, &st, path, path, "fifo");
		free(path);
	}
	dir_names_free(names, n);
	return 0;
}

static int
cmd_ls(int argc, char *argv[])
{
	struct seen s;
	struct table t;
	int i, rc = 0, given;

	i = parse_paths(argc, argv, "output no-header notruncate json pid",
	    ls_words, 0, -1);
	given = argc > i;
	argc = dir_usable(argc, argv, i, &rc);
	if (given && argc == i)
		return 1;
	table_init(&t, cols, 1, TABLE_ASKED);
	see(&s, &t, NULL, i == argc, i == argc);
	if (i == argc)
		ls_held(&t, &s);
	for (; i < argc; i++)
		rc |= ls_dir(&t, &s, argv[i]);
	table_print(&t);
	table_free(&t);
	unsee(&s);
	return rc;
}

/* the first failure, in the order they end, is the loop's status */
static int
reap(struct children *c)
{
	int st, rc = 0;
	pid_t pid;

	while ((pid = child_wait(c, NULL, &st)) != -1)
		if (pid > 0 && rc == 0)
			rc = st;
	if (errno != ECHILD)
		err(1, "loop: wait");
	return rc;
}

static int
cmd_loop(int argc, char *argv[])
{
	struct child ch[2];
	struct children c;
	int a[2], b[2], i, rc;

	i = opt_parse(argc, argv, "", NULL);
	if (argc - i != 2)
		usage_error(argc - i < 2 ? "needs CMD1 and CMD2" :
		    "too many operands (quote each command)");
	if (child_init(&c, 2) == -1)
		err(1, "loop");
	if (pipe2(a, O_CLOEXEC) == -1 || pipe2(b, O_CLOEXEC) == -1)
		err(1, "loop: pipe");
	/* a group of their own, so a signal reaches what they started too */
	ch[0] = (struct child){ .sh = argv[i], .in = b[0], .out = a[1],
	    .pgid = CHILD_NEW };
	ch[1] = (struct child){ .sh = argv[i + 1], .in = a[0], .out = b[1] };
	if ((ch[1].pgid = child_start(&c, &ch[0])) == -1 ||
	    child_start(&c, &ch[1]) == -1)
		err(1, "loop: fork");
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
	rc = reap(&c);
	child_fini(&c);
	/* we end as they do, with 128+signal */
	return c.sig ? 128 + c.sig : rc;
}

static const struct verb verbs[] = {
	{ "create", cmd_create, "create [-m MODE] [-x [--any-owner]] PATH..." },
	{ "send", cmd_send, "send [-t DUR] [-l|-0] [--progress] PATH [MSG...]" },
	{ "recv", cmd_recv, "recv [-t DUR] [-c N|-f] [-0] "
	    "[-e CMD [--kill] [--stop]] [--progress] PATH" },
	{ "rm", cmd_rm, "rm [-f] PATH..." },
	{ "stat", cmd_stat, "stat [-o LIST] [-j] [--wait [-t DUR]] PATH" },
	{ "ls", cmd_ls, "ls [-H] [--notruncate] [-o LIST] [-j] [--pid PID] [DIR...]" },
	{ "loop", cmd_loop, "loop CMD1 CMD2" },
	{ NULL, NULL, NULL }
};

int
main(int argc, char *argv[])
{
	return verb_main(verbs, argc, argv);
}
