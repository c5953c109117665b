/*
 * Linked into every fuzz target in place of what would leave the
 * process or reach outside it: usage_error comes back to the target
 * (lib/usage.c is then not linked at all), and host names and ftok(3)
 * keys are answered from memory, so an input never waits on DNS or
 * depends on the files of the machine it runs on.
 */
#include <sys/mman.h>
#include <netinet/in.h>
#include <assert.h>
#include <err.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"
#include "fuzz.h"

jmp_buf fuzz_jmp;
int fuzz_usage;

static const struct verb fuzz_verb = { "fuzz", NULL, "fuzz INPUT" };

/* the message is made as the real one is, and must stay one line */
void
usage_error(const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		err(1, "vasprintf");
	va_end(ap);
	assert(strchr(esc_name(msg), '\n') == NULL);
	free(msg);
	fuzz_usage++;
	longjmp(fuzz_jmp, 1);
}

/* usage.c's other half, so that its usage_error is never linked in */
void
usage_set(const char *usage)
{
	(void)usage;
}

/* the state of a fresh command, for each input; what a target prints
 * is made, but not shown */
void
fuzz_begin(void)
{
	static int quiet;

	if (!quiet++ && freopen("/dev/null", "w", stdout) == NULL)
		err(1, "/dev/null");
	memset(&opt, 0, sizeof(opt));
	opt.verb = &fuzz_verb;
	verb_name = fuzz_verb.name;
	opt.timeout = TIMEOUT_NONE;
	opt.ndashed = -1;
	fuzz_usage = 0;
}

/* the input as a C string: its bytes up to the first NUL */
char *
fuzz_str(const uint8_t *data, size_t size)
{
	char *s;

	if ((s = malloc(size + 1)) == NULL)
		err(1, NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* the first byte, to pick a variant, in *pick; the rest as a C string;
 * NULL for no input at all */
char *
fuzz_pick(const uint8_t *data, size_t size, unsigned *pick)
{
	if (size == 0)
		return NULL;
	*pick = data[0];
	return fuzz_str(data + 1, size - 1);
}

/* a file in memory holding the bytes, read from its start */
int
fuzz_fd(const void *data, size_t size)
{
	int fd;

	if ((fd = memfd_create("fuzz", MFD_CLOEXEC)) == -1)
		err(1, "memfd_create");
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		err(1, "memfd write");
	if (lseek(fd, 0, SEEK_SET) == -1)
		err(1, "memfd lseek");
	return fd;
}

/*
 * Every name is 127.0.0.1: one the resolver does not know ends the
 * command (exit 1), which a target could not come back from
 */
int
getaddrinfo(const char *host, const char *serv, const struct addrinfo *hints,
    struct addrinfo **res)
{
	struct {
		struct addrinfo ai;
		struct sockaddr_in in;
	} *r;

	(void)serv;
	if (host == NULL)
		return EAI_NONAME;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return EAI_MEMORY;
	r->in.sin_family = AF_INET;
	r->in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r->ai.ai_family = AF_INET;
	r->ai.ai_socktype = hints != NULL ? hints->ai_socktype : 0;
	r->ai.ai_addr = (struct sockaddr *)&r->in;
	r->ai.ai_addrlen = sizeof(r->in);
	*res = &r->ai;
	return 0;
}

void
freeaddrinfo(struct addrinfo *res)
{
	free(res);
}

/* a key from the path's bytes and proj, as if every path existed */
key_t
ftok(const char *path, int proj)
{
	uint32_t h = 2166136261u;

	for (; *path != '\0'; path++)
		h = (h ^ (unsigned char)*path) * 16777619u;
	return (key_t)((h & 0xffffff) | ((uint32_t)(proj & 0xff) << 24) | 1);
}
