/*
 * Readers of one /proc file each, and the parsers of the text they
 * read: a file's text (procfs_text) or stream (procfs_fopen), fdinfo's
 * access mode, a line of maps, a line of syscall, and what a process
 * in open(2) is opening, a line of /proc/net/tcp or udp (v4 or v6).
 * They call nothing of the library: the index
 * (pidx.c) and what a thread is blocked on (blocked.c) stand on them,
 * so both read and parse /proc one way.
 */
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <netinet/in.h>
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

/*
 * The text of path (from dir's descriptor) into buf, NUL-terminated, as
 * much as fits: every read(2) it takes, however short each is. Its
 * length, or -1 with errno.
 */
ssize_t
procfs_text(int dir, const char *path, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;
	int f, e;

	if ((f = openat(dir, path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while (got < len - 1 && (n = read(f, buf + got, len - 1 - got)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			e = errno;
			close(f);
			errno = e;
			return -1;
		}
		got += (size_t)n;
	}
	close(f);
	buf[got] = '\0';
	return (ssize_t)got;
}

/* the file name of directory dir as a stream; NULL with errno */
FILE *
procfs_fopen(int dir, const char *name)
{
	FILE *f;
	int fd, e;

	if ((fd = openat(dir, name, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	if ((f = fdopen(fd, "r")) == NULL) {
		e = errno;
		close(fd);
		errno = e;
	}
	return f;
}

/* fdinfo's text: the open flags' access mode, O_RDONLY, O_WRONLY or
 * O_RDWR; -1 where it has no flags line */
int
procfs_fdinfo_acc(const char *buf)
{
	const char *p;

	if ((p = strstr(buf, "flags:")) == NULL)
		return -1;
	return (int)(strtoul(p + 6, NULL, 8) & O_ACCMODE);
}

/*
 * The access mode of descriptor name in the fd directory dirfd, from the
 * link's own mode (lstat): /proc gives it S_IRUSR where the file is open
 * for reading, S_IWUSR for writing. One system call where fdinfo takes
 * three; the same answer as its flags' O_ACCMODE (O_RDONLY for an O_PATH
 * descriptor, which has neither). -1 where it cannot be read.
 */
int
procfs_link_acc(int dirfd, const char *name)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
	    !S_ISLNK(st.st_mode))
		return -1;
	if ((st.st_mode & S_IRUSR) && (st.st_mode & S_IWUSR))
		return O_RDWR;
	return (st.st_mode & S_IWUSR) ? O_WRONLY : O_RDONLY;
}

/* a number in base at *p, up to the character that must follow it
 * (-1: any), and past that character; -1 if there is none */
static int
number(const char **p, int base, int after, unsigned long long *v)
{
	char *e;

	if (!isxdigit((unsigned char)**p) ||
	    (base == 10 && !isdigit((unsigned char)**p)))
		return -1;
	errno = 0;
	*v = strtoull(*p, &e, base);
	if (errno != 0 || (after != -1 && *e != after))
		return -1;
	*p = after != -1 ? e + 1 : e;
	return 0;
}

/*
 * a line of /proc/PID/maps, whole: range, shared or private, the file
 * (ino 0: anonymous). Read by hand, not by sscanf: ls reads every line
 * of every process's maps, and sscanf cost more than all the rest.
 */
int
procfs_maps_line(const char *line, struct procfs_map *m)
{
	unsigned long long start, end, off, maj, min, ino;
	const char *p = line;
	size_t n;

	if (number(&p, 16, '-', &start) == -1 ||
	    number(&p, 16, ' ', &end) == -1 || end < start)
		return -1;
	for (n = 0; n < 4; n++)		/* rwxp, r--s: four, then a space */
		if (p[n] == '\0' || p[n] == ' ')
			return -1;
	if (p[4] != ' ')
		return -1;
	m->shared = p[3] == 's';
	p += 5;
	if (number(&p, 16, ' ', &off) == -1 || number(&p, 16, ':', &maj) == -1 ||
	    number(&p, 16, ' ', &min) == -1 || number(&p, 10, -1, &ino) == -1 ||
	    maj > UINT_MAX || min > UINT_MAX)
		return -1;
	m->start = (unsigned long)start;
	m->end = (unsigned long)end;
	m->dev = makedev((unsigned)maj, (unsigned)min);
	m->ino = (ino_t)ino;
	p += strspn(p, " ");
	if ((n = strcspn(p, "\n")) >= sizeof(m->path))
		n = sizeof(m->path) - 1;
	memcpy(m->path, p, n);
	m->path[n] = '\0';
	return 0;
}

/*
 * A line of /proc/PID/syscall: where it is in open(2) or openat(2), its
 * arguments as openat's (directory, path's address, flags); else -1
 */
int
procfs_syscall_open(const char *line, unsigned long a[3])
{
	unsigned long x[4];
	long nr;

	if (sscanf(line, "%ld %lx %lx %lx %lx", &nr, &x[0], &x[1], &x[2],
	    &x[3]) != 5)
		return -1;	/* "running", or no syscall */
#ifdef SYS_open
	if (nr == SYS_open) {
		a[0] = (unsigned long)AT_FDCWD;
		a[1] = x[0];
		a[2] = x[1];
		return 0;
	}
#endif
	if (nr != SYS_openat)
		return -1;
	memcpy(a, x, 3 * sizeof(*a));
	return 0;
}

/* the first line of /proc/PID/name into buf; 0, or -1 */
static int
first_line(int piddir, const char *name, char *buf, size_t len)
{
	if (procfs_text(piddir, name, buf, len) <= 0)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* the NUL-terminated string at addr in the process's memory */
static int
mem_string(int piddir, unsigned long addr, char *buf, size_t len)
{
	ssize_t n;
	int f;

	if ((f = openat(piddir, "mem", O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = pread(f, buf, len - 1, (off_t)addr);
	close(f);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strlen(buf) < (size_t)n ? 0 : -1;
}

/*
 * path, opened relative to the directory base leads to (a process's
 * cwd or directory descriptor in /proc), as a person would name it
 */
static char *
shown_path(const char *base, const char *path)
{
	char dir[PATH_MAX], *s;
	ssize_t n;

	if (base == NULL || (n = readlink(base, dir, sizeof(dir) - 1)) == -1)
		s = strdup(path);
	else {
		dir[n] = '\0';
		if (asprintf(&s, "%s/%s", strcmp(dir, "/") ? dir : "",
		    path) == -1)
			s = NULL;
	}
	if (s == NULL)
		err(1, NULL);
	return s;
}

/*
 * What a process in open(2) is opening, from /proc/PID/syscall and its
 * memory: dev and ino of the target, acc its access mode, path its name
 * (to free). PROCFS_OPEN_NONE: it is not in an open; PROCFS_OPEN_HIDDEN:
 * we may not look (another user's); PROCFS_OPEN_UNKNOWN: in an open, but
 * of what cannot be read. o is filled for PROCFS_OPEN_SEEN only.
 */
int
procfs_opening(int piddir, pid_t pid, struct procfs_open *o)
{
	char line[512], path[PATH_MAX], at[PATH_MAX + 64], base[64];
	unsigned long a[3];
	struct stat st;
	int dirfd;

	if (first_line(piddir, "syscall", line, sizeof(line)) == -1)
		return errno == EACCES || errno == EPERM ?
		    PROCFS_OPEN_HIDDEN : PROCFS_OPEN_NONE;
	if (procfs_syscall_open(line, a) == -1)
		return PROCFS_OPEN_NONE;
	if (mem_string(piddir, a[1], path, sizeof(path)) == -1)
		return PROCFS_OPEN_UNKNOWN;
	dirfd = (int)a[0];
	if (dirfd == AT_FDCWD)
		snprintf(base, sizeof(base), "/proc/%d/cwd", (int)pid);
	else
		snprintf(base, sizeof(base), "/proc/%d/fd/%d", (int)pid,
		    dirfd);
	snprintf(at, sizeof(at), "%s/%s", path[0] == '/' ? "" : base, path);
	if (stat(path[0] == '/' ? path : at, &st) == -1)
		return PROCFS_OPEN_UNKNOWN;
	o->dev = st.st_dev;
	o->ino = st.st_ino;
	o->acc = (int)(a[2] & O_ACCMODE);
	o->path = shown_path(path[0] == '/' ? NULL : base, path);
	return PROCFS_OPEN_SEEN;
}

/* n hex digits at s as bytes in the order the kernel keeps them: each
 * 32-bit word of the address printed as a number in host order */
static int
inet_addr_hex(const char *s, size_t n, unsigned char *addr)
{
	char word[9];
	uint32_t v;
	size_t i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return -1;
	for (i = 0; i < n / 8; i++) {
		memcpy(word, s + 8 * i, 8);
		word[8] = '\0';
		v = (uint32_t)strtoul(word, NULL, 16);
		memcpy(addr + 4 * i, &v, 4);
	}
	return 0;
}

/*
 * A line of /proc/net/tcp, tcp6, udp or udp6 (family AF_INET or
 * AF_INET6 says which address width it has): both ends, state, queues,
 * owner and the socket's inode; -1 for the header or a line not read
 */
int
procfs_inet_line(const char *line, int family, struct procfs_inet *in)
{
	char la[40], ra[40];
	unsigned lp, rp, st, uid;
	unsigned long tx, rx, ino;
	size_t n = family == AF_INET6 ? 32 : 8;

	memset(in, 0, sizeof(*in));
	if (sscanf(line, " %*u: %39[0-9A-Fa-f]:%x %39[0-9A-Fa-f]:%x %x "
	    "%lx:%lx %*x:%*x %*x %u %*d %lu", la, &lp, ra, &rp, &st, &tx, &rx,
	    &uid, &ino) != 9)
		return -1;
	if (strlen(la) != n || strlen(ra) != n || lp > 65535 || rp > 65535 ||
	    inet_addr_hex(la, n, in->local) == -1 ||
	    inet_addr_hex(ra, n, in->remote) == -1)
		return -1;
	in->family = family;
	in->lport = lp;
	in->rport = rp;
	in->state = (int)st;
	in->txq = (uint32_t)tx;
	in->rxq = (uint32_t)rx;
	in->uid = (uid_t)uid;
	in->ino = (ino_t)ino;
	return 0;
}

/*
 * Every TCP and UDP socket of this network namespace, IPv4 and IPv6,
 * from /proc/net: fn for each (a non-zero return stops). A file that
 * is not there (no IPv6) is skipped; 0, or -1 with errno where
 * /proc/net/tcp itself cannot be read.
 */
int
procfs_inet_each(int (*fn)(const struct procfs_inet *, void *), void *arg)
{
	static const struct { const char *path; int proto, family; } f[] = {
		{ "/proc/net/tcp", IPPROTO_TCP, AF_INET },
		{ "/proc/net/tcp6", IPPROTO_TCP, AF_INET6 },
		{ "/proc/net/udp", IPPROTO_UDP, AF_INET },
		{ "/proc/net/udp6", IPPROTO_UDP, AF_INET6 },
	};
	struct procfs_inet in;
	char *line = NULL;
	size_t cap = 0, i;
	FILE *fp;
	int stop = 0;

	for (i = 0; i < sizeof(f) / sizeof(f[0]) && !stop; i++) {
		if ((fp = fopen(f[i].path, "re")) == NULL) {
			if (i == 0)
				return -1;
			continue;
		}
		while (!stop && getline(&line, &cap, fp) != -1)
			if (procfs_inet_line(line, f[i].family, &in) == 0) {
				in.proto = f[i].proto;
				stop = fn(&in, arg);
			}
		fclose(fp);
	}
	free(line);
	return 0;
}

/*
 * Whether the /proc we read hides other users' processes (mounted with
 * hidepid= 1, 2, noaccess or invisible): then a process we do not see
 * is not even counted among those not read. The last /proc mount in
 * mountinfo is the one on top.
 */
int
procfs_hidepid(void)
{
	char *line = NULL, *p, *mnt;
	size_t cap = 0;
	int hidden = 0;
	FILE *f;

	if ((f = fopen("/proc/self/mountinfo", "re")) == NULL)
		return 0;
	while (getline(&line, &cap, f) != -1) {
		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT ... - TYPE SOURCE OPTS */
		if ((mnt = strchr(line, ' ')) == NULL ||
		    (mnt = strchr(mnt + 1, ' ')) == NULL ||
		    (mnt = strchr(mnt + 1, ' ')) == NULL ||
		    (mnt = strchr(mnt + 1, ' ')) == NULL ||
		    strncmp(mnt, " /proc ", 7) != 0 ||
		    (p = strstr(mnt, " - proc ")) == NULL)
			continue;
		p = strstr(p, "hidepid=");
		hidden = p != NULL && strncmp(p + 8, "0", 1) != 0 &&
		    strncmp(p + 8, "off", 3) != 0;
	}
	free(line);
	fclose(f);
	return hidden;
}
