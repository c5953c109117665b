/* POSIX object names and System V keys. */
#include <sys/ipc.h>
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"

/* "jobs" and "/jobs" name the same object; out gets "/jobs" */
void
name_posix(const char *in, char *out)
{
	const char *s = (*in == '/') ? in + 1 : in;
	size_t len = strlen(s);

	if (len == 0)
		usage_error("empty name");
	if (strchr(s, '/') != NULL)
		usage_error("'%s': a name may have only a leading slash", in);
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		usage_error("'%s' is not a name", in);
	if (len > NAME_MAX)
		usage_error("name too long (%zu bytes > NAME_MAX %d)", len,
		    NAME_MAX);
	out[0] = '/';
	memcpy(out + 1, s, len + 1);
}

static void
key_ftok(const char *s, const char *colon, struct sysvkey *k)
{
	char path[PATH_MAX];
	size_t plen = (size_t)(colon - s);
	int proj;

	if (plen == 0 || plen >= sizeof(path))
		usage_error("'%s': a PATH:PROJ key needs a path", s);
	if (colon[1] != '\0' && colon[2] == '\0' && !isdigit((unsigned char)colon[1]))
		proj = (unsigned char)colon[1];
	else
		proj = (int)num_uint(colon + 1, "PROJ", 1, 255);
	memcpy(path, s, plen);
	path[plen] = '\0';
	k->key = ftok(path, proj);
	/* a missing file is a failure, not a usage error */
	if (k->key == (key_t)-1)
		err(1, "%s %s: ftok %s", verb_name, esc_name(s), esc_name(path));
}

/* 0x1b2c, 1234, PATH:PROJ, id:N or private */
void
name_key(const char *s, struct sysvkey *k)
{
	const char *colon = strrchr(s, ':');
	const char *digits = s;
	unsigned long v;
	int base = 10;

	memset(k, 0, sizeof(*k));
	if (strcmp(s, "private") == 0) {
		k->kind = KEY_PRIVATE;
		k->key = IPC_PRIVATE;
		return;
	}
	if (strncmp(s, "id:", 3) == 0) {
		k->kind = KEY_ID;
		k->id = (int)num_uint(s + 3, "id", 0, INT_MAX);
		return;
	}
	k->kind = KEY_KEY;
	if (colon != NULL) {
		key_ftok(s, colon, k);
		return;
	}
	if ((s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))) {
		digits = s + 2;
		base = 16;
	}
	if (*digits == '\0' || strlen(digits) > 10 || strspn(digits, base == 16 ?
	    "0123456789abcdefABCDEF" : "0123456789") != strlen(digits) ||
	    (v = strtoul(digits, NULL, base)) > UINT32_MAX)
		usage_error("'%s' is not a key (0x1b2c, 1234, PATH:PROJ, id:N or"
		    " private)", s);
	if (v == 0)
		usage_error("key 0 is IPC_PRIVATE: say 'private'");
	k->key = (key_t)(uint32_t)v;
}
