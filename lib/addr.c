/*
 * Socket addresses: PATH or unix:PATH, @NAME or abstract:NAME,
 * tcp:HOST:PORT and udp:HOST:PORT, IPv6 hosts in brackets. Parsed
 * whole before anything is made, so a bad address is a usage error.
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "ipc.h"

#define SUN_MAX	(sizeof(((struct sockaddr_un *)0)->sun_path) - 1)

static const struct {
	const char *name;
	int type;
} types[] = {
	{ "stream", SOCK_STREAM },
	{ "dgram", SOCK_DGRAM },
	{ "seqpacket", SOCK_SEQPACKET },
};

int
addr_type(const char *s)
{
	size_t i;

	if (s == NULL)
		return SOCK_STREAM;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(s, types[i].name) == 0)
			return types[i].type;
	usage_error("--type %s: not stream, dgram or seqpacket", s);
}

const char *
addr_type_name(int type)
{
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].type == type)
			return types[i].name;
	return "unknown";
}

/*
 * A path or an abstract name, its escapes (\ooo, \\: as ls and stat
 * print names) undone unless flags has ADDR_RAW, so what is printed can
 * be typed back.
 */
static void
unix_addr(struct addr *a, const char *name, int abstract, int flags)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)&a->sa;
	const char *what = abstract ? "name" : "path";
	size_t len = strlen(name);

	if (flags & ADDR_RAW)
		memcpy(a->name, name, len < sizeof(a->name) ? len : 0);
	else if (esc_unescape(name, a->name, sizeof(a->name), &len) == -1)
		usage_error("%s: malformed escape in the %s (a backslash "
		    "takes three octal digits, 000 to 377, or a backslash)",
		    a->arg, what);
	if (len == 0)
		usage_error("%s: empty %s", a->arg, what);
	if (len > SUN_MAX)
		usage_error("%s: %s too long (%zu bytes > %zu, sun_path's "
		    "limit)", a->arg, what, len, SUN_MAX);
	if (!abstract && memchr(a->name, '\0', len) != NULL)
		usage_error("%s: a path cannot hold a NUL byte", a->arg);
	a->name[len] = '\0';
	a->kind = abstract ? ADDR_ABSTRACT : ADDR_PATH;
	a->path = a->name;
	a->pathlen = len;
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path + abstract, a->name, len);
	a->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    (size_t)abstract + len + (size_t)!abstract);
}

static unsigned
parse_port(const struct addr *a, const char *s, int flags)
{
	unsigned port = 0;
	const char *p;

	for (p = s; isdigit((unsigned char)*p) && port <= 65535; p++)
		port = port * 10 + (unsigned)(*p - '0');
	if (*s == '\0' || *p != '\0' || port > 65535)
		usage_error("%s: port '%s' is not a number from 1 to 65535",
		    a->arg, s);
	if (port == 0 && !(flags & ADDR_BIND))
		usage_error("%s: port 0 only binds (a free port); connect to "
		    "1-65535", a->arg);
	return port;
}

/* a host by number, or else by name through the resolver */
static void
inet_host(struct addr *a, const char *host, unsigned port)
{
	struct sockaddr_in *in = (struct sockaddr_in *)&a->sa;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&a->sa;
	struct addrinfo hints, *res;
	const char *p;
	int e;

	if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		a->len = sizeof(*in);
		return;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		a->len = sizeof(*in6);
		return;
	}
	/* without AI_IDN the resolver takes printable ASCII names only */
	for (p = host; *p > ' ' && *p < 0x7f; p++)
		;
	if (*p != '\0')
		usage_error("%s: host '%s': not a host name (printable ASCII)",
		    esc_name(a->arg), esc_name(host));
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = a->type;
	/* a name the resolver cannot answer is a failure to act, not usage */
	if ((e = getaddrinfo(host, NULL, &hints, &res)) != 0)
		errx(1, "%s %s: host '%s': %s", verb_name,
		    esc_name(a->arg), esc_name(host), e == EAI_SYSTEM ? strerror(errno) :
		    gai_strerror(e));
	memcpy(&a->sa, res->ai_addr, res->ai_addrlen);
	a->len = res->ai_addrlen;
	freeaddrinfo(res);
	if (a->sa.ss_family == AF_INET)
		in->sin_port = htons((uint16_t)port);
	else
		in6->sin6_port = htons((uint16_t)port);
}

/* HOST:PORT or [V6]:PORT, after tcp: or udp: */
static void
inet_addr_(struct addr *a, const char *rest, int flags)
{
	char host[256];
	const char *colon, *h = rest;
	size_t hlen;

	if (*rest == '[') {
		if ((colon = strchr(rest, ']')) == NULL)
			usage_error("%s: unterminated '['", a->arg);
		h = rest + 1;
		hlen = (size_t)(colon - h);
		if (*++colon != ':')
			usage_error("%s: no :PORT after ']'", a->arg);
	} else {
		if ((colon = strrchr(rest, ':')) == NULL)
			usage_error("%s: no :PORT (HOST:PORT)", a->arg);
		hlen = (size_t)(colon - h);
		if (memchr(h, ':', hlen) != NULL)
			usage_error("%s: an IPv6 host goes in brackets: "
			    "[::1]:PORT", a->arg);
	}
	if (hlen == 0 || hlen >= sizeof(host))
		usage_error("%s: %s host", a->arg, hlen ? "overlong" : "no");
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	a->port = parse_port(a, colon + 1, flags);
	inet_host(a, host, a->port);
}

static int
has_prefix(const char *s, const char *p, const char **rest)
{
	size_t n = strlen(p);

	if (strncmp(s, p, n) != 0)
		return 0;
	*rest = s + n;
	return 1;
}

/* "word:" in front of what is not one of ours is a typo, not a path */
static void
unknown_form(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789");

	if (n > 0 && s[n] == ':')
		usage_error("%s: unknown address form '%.*s:' (unix:, "
		    "abstract:, tcp:, udp:; a path with a colon: ./%s)", s,
		    (int)n, s, s);
}

/*
 * Parse arg into a. type is --type's (0: none given); flags ADDR_BIND
 * where port 0 (any free port) is allowed. A usage error when malformed.
 */
void
addr_parse(const char *arg, int type, int flags, struct addr *a)
{
	const char *rest;

	memset(a, 0, sizeof(*a));
	a->arg = arg;
	a->type = type ? type : SOCK_STREAM;
	if (has_prefix(arg, "tcp:", &rest) || has_prefix(arg, "udp:", &rest)) {
		a->kind = arg[0] == 't' ? ADDR_TCP : ADDR_UDP;
		if (type != 0 && type != (a->kind == ADDR_TCP ? SOCK_STREAM :
		    SOCK_DGRAM))
			usage_error("%s: --type %s is for Unix sockets; tcp is "
			    "stream, udp is dgram", arg, addr_type_name(type));
		a->type = a->kind == ADDR_TCP ? SOCK_STREAM : SOCK_DGRAM;
		inet_addr_(a, rest, flags);
	} else if (has_prefix(arg, "abstract:", &rest) ||
	    has_prefix(arg, "@", &rest))
		unix_addr(a, rest, 1, flags);
	else if (has_prefix(arg, "unix:", &rest))
		unix_addr(a, rest, 0, flags);
	else {
		unknown_form(arg);
		unix_addr(a, arg, 0, flags);
	}
}

/*
 * how a reader sees an address: a unix path, or @NAME for an abstract
 * one, escaped as ls shows names (\\ooo), so addr_parse takes it back
 */
void
addr_str(const struct sockaddr *sa, socklen_t len, char *buf, size_t size)
{
	const struct sockaddr_un *sun = (const struct sockaddr_un *)sa;
	const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
	char host[INET6_ADDRSTRLEN];
	size_t n;

	if (sa->sa_family == AF_UNIX) {
		n = len > offsetof(struct sockaddr_un, sun_path) ?
		    len - offsetof(struct sockaddr_un, sun_path) : 0;
		if (n == 0)
			snprintf(buf, size, "unnamed");
		else if (sun->sun_path[0] == '\0' && size > 1) {
			buf[0] = '@';
			esc_sbytes(buf + 1, size - 1, sun->sun_path + 1, n - 1,
			    0);
		} else
			esc_sbytes(buf, size, sun->sun_path,
			    strnlen(sun->sun_path, n), 0);
	} else if (sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		snprintf(buf, size, "%s:%u", host, ntohs(in->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		snprintf(buf, size, "[%s]:%u", host, ntohs(in6->sin6_port));
	} else
		snprintf(buf, size, "family %d", sa->sa_family);
}
