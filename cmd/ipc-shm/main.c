/*
 * ipc-shm: POSIX shared memory; System V segments with -S; files with -F.
 * Here: the options, the three flavours' table, the verbs over it, and
 * main. Each flavour's operations are in a room of its own: named.c
 * (POSIX objects and files), segment.c (System V), desc.c (the bytes of
 * a descriptor, for POSIX objects and files alike).
 */
#include <sys/statvfs.h>
#include <err.h>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"
#include "ipc-shm.h"

#define SIZE_MAX_OBJ	((uintmax_t)INT64_MAX)

static const struct optdef file_opt[] = {
	{ 'F', "file", NULL, "OBJECT is a regular file, mapped" },
	{ 0, NULL, NULL, NULL }
};

/* the verbs' own options, and the shared ones in a verb's words */
static const struct optdef create_opts[] = {
	{ 's', "size", "SIZE", "bytes of the new object (4096, 64K, 1M, 2G)" },
	{ 'F', "file", NULL, "OBJECT is a regular file, mapped" },
	{ 't', "timeout", "DUR",
	    "-x: wait up to DUR for an empty one's creator to size it" },
	{ 'x', "exist-ok", NULL,
	    "succeed if it exists as the same kind, owner, mode and size" },
	{ 'S', "sysv", NULL, "System V: OBJECT is a key, or private" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef stat_opts[] = {
	{ 'F', "file", NULL, "OBJECT is a regular file, mapped" },
	{ 't', "timeout", "DUR", "--wait: give up after DUR (250ms, 2s, 1m)" },
	{ 0, NULL, NULL, NULL }
};

/* -F has no help: taken, to be refused with what to use instead */
static const struct optdef ls_opts[] = {
	{ 'F', "file", NULL, NULL },
	{ 'S', "sysv", NULL, "the System V segments, not the POSIX objects" },
	{ OPT_PID, "pid", "PID",
	    "only the objects PID has open or maps (-S: attached, last used)" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef send_opts[] = {
	{ 'O', "offset", "OFFSET", "write at OFFSET bytes (default 0)" },
	{ 'g', "grow", NULL, "extend the object to take what is written" },
	{ 'F', "file", NULL, "OBJECT is a regular file, mapped" },
	{ 0, NULL, NULL, NULL }
};

static const struct optdef recv_opts[] = {
	{ 'O', "offset", "OFFSET", "read from OFFSET bytes (default 0)" },
	{ 'c', "count", "BYTES", "read BYTES bytes (default: to the end)" },
	{ 'F', "file", NULL, "OBJECT is a regular file, mapped" },
	{ 0, NULL, NULL, NULL }
};

/* --- the three flavours, and the verbs over them -------------------------- */

/* a kind of shared memory: lib's base (rm, stat, ls), then its own */
struct shmflavour {
	struct flavour fl;
	int grows;			/* send -g can extend it */
	int  (*create)(const char *, uintmax_t);
	void (*open)(struct obj *, const char *, int);
	int  (*grow)(struct obj *, uintmax_t);	/* reserved; -1 with errno */
	int  (*reserve)(struct obj *, uintmax_t, uintmax_t);	/* likewise */
	/* up to N bytes of stdin at OFF: 0 and *got (0: its end), or -1 */
	int  (*take)(struct obj *, uintmax_t, size_t, size_t *);
	int  (*put)(struct obj *, uintmax_t, const char *, size_t);
	int  (*fill)(struct obj *, uintmax_t, const struct src *);
	int  (*out)(struct obj *, uintmax_t, uintmax_t);
	void (*close)(struct obj *);
};

static const int grow_own[] = { 'g', 0 };

static const struct shmflavour posix = {
	.fl = { .kind = "POSIX shared memory", .object = "NAME",
	    .own = grow_own, .cols = pcols, .check = px_check, .rm = px_rm,
	    .px = &pxkind },
	.grows = 1, .create = px_create, .open = px_open, .grow = desc_grow,
	.reserve = desc_reserve, .take = desc_take, .put = desc_put,
	.fill = desc_fill, .out = desc_out, .close = desc_close,
};

static const struct shmflavour sysv = {
	.fl = { .flag = 'S', .kind = "System V segments", .object = "KEY",
	    .cols = scols, .check = sv_check, .rm = sv_rm, .stat = sv_stat,
	    .ls = sv_ls },
	.grows = 0, .create = sv_create, .open = sv_open, .grow = sv_grow,
	.reserve = sv_reserve, .take = sv_take, .put = sv_put,
	.fill = sv_fill, .out = sv_out, .close = sv_close,
};

static const struct shmflavour file = {
	.fl = { .flag = 'F', .kind = "files", .object = "PATH",
	    .own = grow_own, .cols = fcols, .check = fl_check, .rm = fl_rm,
	    .stat = fl_stat, .ls = fl_ls },
	.grows = 1, .create = fl_create, .open = fl_open, .grow = desc_grow,
	.reserve = desc_reserve, .take = desc_take, .put = desc_put,
	.fill = desc_fill, .out = desc_out, .close = desc_close,
};

/* -S before -F: with both, the word is System V's, and they are refused */
static const struct flavour *const flavours[] = { &posix.fl, &sysv.fl,
	&file.fl, NULL };

/* the operand's word for the flavour -S or -F asks for: before any
 * refusal */
static const char *
object(void)
{
	return flavour_of(flavours, opt.val)->object;
}

/* the flavour -S or -F picks, the two together and another's options
 * refused: once the operands are checked */
static const struct shmflavour *
pick(void)
{
	return (const struct shmflavour *)flavour_pick(flavours, opt.val,
	    opt.extra);
}

static uintmax_t
offset(void)
{
	const char *o = opt.val['O'];

	return o == NULL ? 0 : num_size(o, "-O", 0, SIZE_MAX_OBJ);
}

static int
cmd_create(int argc, char *argv[])
{
	const struct shmflavour *fl;
	const char *arg;
	uintmax_t size;
	int i;

	i = opt_parse(argc, argv, "timeout mode exist-ok any-owner sysv",
	    create_opts);
	arg = opt_operand(argc, argv, i, object());
	fl = pick();
	if (opt.val['s'] == NULL)
		usage_error("-s SIZE is needed: the bytes of the new object");
	size = num_size(opt.val['s'], "-s", 1, SIZE_MAX_OBJ);
	return fl->create(arg, size);
}

/* the range could not be reserved: said, with the free space */
static void
unreserved(const struct obj *o, uintmax_t len)
{
	struct statvfs fs;
	int e = errno;

	if (e != ENOSPC || o->fd == -1 || fstatvfs(o->fd, &fs) == -1)
		errx(1, "send %s: %s (%ju bytes): nothing written",
		    esc_name(o->name), strerror(e), len);
	errx(1, "send %s: %s (%ju bytes wanted, %ju free): nothing written",
	    esc_name(o->name), strerror(e), len,
	    (uintmax_t)fs.f_bavail * fs.f_frsize);
}

/*
 * The whole range checked, grown with -g, and reserved, before the
 * first byte: a send that does not fit writes nothing
 */
static void
room(struct obj *o, uintmax_t off, uintmax_t len)
{
	if (off > SIZE_MAX_OBJ - len)
		errx(1, "send %s: %ju bytes at offset %ju run past the largest "
		    "size", esc_name(o->name), len, off);
	if (off + len > o->size && opt.val['g'] == NULL)
		errx(1, "send %s: %ju bytes at offset %ju run past the end "
		    "(size %ju%s)", esc_name(o->name), len, off, o->size,
		    o->fl->grows ? "; -g grows it" : "");
	if (off + len > o->size && o->fl->grow(o, off + len) == -1) {
		if (errno == ENOSPC)
			nospace(o->name, o->fd, off + len - o->size, o->name);
		fsize_check(o->name, off + len);
		err(1, "send %s: -g", esc_name(o->name));
	}
	if (o->fl->reserve(o, off, len) == -1)
		unreserved(o, len);
}

/* a stream that stopped half way: exactly how much went */
static void
stream_failed(const struct obj *o, uintmax_t off, uintmax_t done)
{
	err(1, "send %s: %ju bytes written at offset %ju, then", esc_name(o->name),
	    done, off);
}

/*
 * Stdin that is not a regular file (a pipe), a window at a time up to
 * the end of the object (-g: without end), so memory stays flat: its
 * length is known only at its end, so nothing can be refused before the
 * first byte. Input longer than the room, or a failure half way (a full
 * file system), stops with the exact count written.
 */
static void
send_stream(struct obj *o, uintmax_t off)
{
	uintmax_t max, done = 0;
	size_t got;
	ssize_t n;
	char c;
	int r;

	if (off > o->size && opt.val['g'] == NULL)
		errx(1, "send %s: offset %ju is past the end (size %ju%s)",
		    esc_name(o->name), off, o->size,
		    o->fl->grows ? "; -g grows it" : "");
	max = opt.val['g'] != NULL ? SIZE_MAX_OBJ - off : o->size - off;
	copy_grow(STDIN_FILENO);	/* a pipe: fewer, larger chunks */
	while (done < max) {
		r = o->fl->take(o, off + done, max - done > WINDOW ? WINDOW :
		    (size_t)(max - done), &got);
		done += got;
		if (r == -1 && errno == EAGAIN)	/* a non-blocking stdin */
			wait_fd(STDIN_FILENO, POLLIN, NULL);
		else if (r == -1)
			stream_failed(o, off, done);
		else if (got == 0)
			return;
	}
	/* the room is full: stdin may end here, or go on */
	while ((n = read(STDIN_FILENO, &c, 1)) == -1 && (errno == EINTR ||
	    (errno == EAGAIN && wait_fd(STDIN_FILENO, POLLIN, NULL) == 0)))
		;
	if (n == -1)
		stream_failed(o, off, done);
	if (n == 1)
		errx(1, "send %s: stdin runs past the end (size %ju): %ju bytes "
		    "written at offset %ju, the rest not", esc_name(o->name),
		    o->size, done, off);
}

static uintmax_t
operands_len(char **argv)
{
	uintmax_t len = 0;

	for (; *argv != NULL; argv++)
		len += strlen(*argv);
	return len;
}

static void
io_failed(const struct obj *o, int r, const char *what)
{
	if (r == SHRANK)
		errx(1, "%s %s: %s ended before the range did: truncated "
		    "under us", opt.verb->name, esc_name(o->name), what);
	err(1, "%s %s", opt.verb->name, esc_name(o->name));
}

static int
cmd_send(int argc, char *argv[])
{
	struct obj o = { .fd = -1 };
	uintmax_t off, len;
	struct src s;
	int i, r = 0;

	i = opt_parse(argc, argv, "sysv progress", send_opts);
	if (i == argc)
		usage_error("missing %s", object());
	o.fl = pick();
	off = offset();
	o.fl->fl.check(argv[i]);
	o.fl->open(&o, argv[i], 1);
	if (i + 1 < argc) {
		room(&o, off, len = operands_len(argv + i + 1));
		progress_start(opt.progress, len, 0);
		for (i++; i < argc && r == 0; i++) {
			len = strlen(argv[i]);
			r = o.fl->put(&o, off, argv[i], (size_t)len);
			off += len;
		}
	} else if (fd_left(STDIN_FILENO, &s.off, &s.len) == 0) {
		s.fd = STDIN_FILENO;
		room(&o, off, s.len);
		progress_start(opt.progress, s.len, 0);
		r = o.fl->fill(&o, off, &s);
	} else {
		progress_start(opt.progress, PROGRESS_UNKNOWN, 0);
		send_stream(&o, off);
	}
	if (r != 0)
		io_failed(&o, r, "stdin");
	o.fl->close(&o);
	return 0;
}

static int
cmd_recv(int argc, char *argv[])
{
	struct obj o = { .fd = -1 };
	uintmax_t off, len;
	const char *arg;
	int i, r;

	i = opt_parse(argc, argv, "count sysv progress", recv_opts);
	arg = opt_operand(argc, argv, i, object());
	o.fl = pick();
	off = offset();
	o.fl->fl.check(arg);
	o.fl->open(&o, arg, 0);
	stdout_name(o.name);
	if (off > o.size)
		errx(1, "recv %s: offset %ju is past the end (size %ju)",
		    esc_name(o.name), off, o.size);
	len = opt.count ? opt.count : o.size - off;
	if (len > o.size - off)
		errx(1, "recv %s: %ju bytes at offset %ju run past the end "
		    "(size %ju)", esc_name(o.name), len, off, o.size);
	stdout_ready();
	progress_start(opt.progress, len, 0);
	if ((r = o.fl->out(&o, off, len)) == SHRANK)
		io_failed(&o, r, "the object");
	if (r != 0)
		stdout_failed();
	o.fl->close(&o);
	return 0;
}

static int
cmd_rm(int argc, char *argv[])
{
	int i = opt_parse(argc, argv, "force sysv", file_opt);

	if (i == argc)		/* before the flavour's options, as ever */
		usage_error("missing %s", object());
	return flavour_rm(&pick()->fl, argc, argv, i);
}

static int
cmd_stat(int argc, char *argv[])
{
	struct deadline d;
	int i = opt_parse(argc, argv, "timeout output json sysv wait",
	    stat_opts);
	const char *arg = opt_operand(argc, argv, i, object());

	return flavour_stat(&pick()->fl, arg, TABLE_ASKED, WAIT_ASKED(&d));
}

static int
cmd_ls(int argc, char *argv[])
{
	if (opt_parse(argc, argv, "output no-header notruncate json sysv pid",
	    ls_opts) != argc)
		usage_error("too many operands");
	return flavour_ls(&pick()->fl, TABLE_ASKED);
}

static const struct verb verbs[] = {
	{ "create", cmd_create,
	    "create [-S|-F] [-m MODE] [-x [--any-owner] [-t DUR]] -s SIZE "
	    "NAME|KEY" },
	{ "send", cmd_send, "send [-S|-F] [-O OFFSET] [-g] [--progress] NAME|KEY "
	    "[DATA...]" },
	{ "write", cmd_send,
	    "write [-S|-F] [-O OFFSET] [-g] [--progress] NAME|KEY "
	    "[DATA...]" },
	{ "recv", cmd_recv, "recv [-S|-F] [-O OFFSET] [-c BYTES] [--progress] "
	    "NAME|KEY" },
	{ "read", cmd_recv, "read [-S|-F] [-O OFFSET] [-c BYTES] [--progress] "
	    "NAME|KEY" },
	{ "rm", cmd_rm, "rm [-S|-F] [-f] NAME|KEY..." },
	{ "stat", cmd_stat, "stat [-S|-F] [-o LIST] [-j] [--wait [-t DUR]] NAME|KEY" },
	{ "ls", cmd_ls, "ls [-S] [-H] [--notruncate] [-o LIST] [-j] [--pid PID]" },
	{ NULL, NULL, NULL }
};

int
main(int argc, char *argv[])
{
	return verb_main(verbs, argc, argv);
}
