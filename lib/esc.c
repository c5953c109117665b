/*
 * Escaping: text cells as /proc/mounts does (\040), JSON strings, and
 * bytes of any kind as text or as a hex dump.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"

/* length of a valid UTF-8 sequence at p (at most n bytes), or 0 */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	size_t len, i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
		return 0;
	return len;
}

/* bytes at s (n left) that esc_text leaves as they are: 0, or a character's */
static size_t
plain(const char *s, size_t n, int space)
{
	unsigned char c = (unsigned char)*s;

	if (c >= 0x80)
		return utf8_len((const unsigned char *)s, n);
	return ((c > ' ' || (space && c == ' ')) && c != '\\' && c != 0x7f);
}

/*
 * A control byte, a backslash, a byte that is not valid UTF-8 and
 * (unless space) a space become \ooo, so a cell is one word.
 */
void
esc_text(FILE *f, const char *s, int space)
{
	esc_bytes(f, s, strlen(s), space);
}

/* len bytes, NUL and newline among them, as esc_text writes a string */
void
esc_bytes(FILE *f, const char *s, size_t len, int space)
{
	const char *end = s + len;
	size_t n;

	while (s < end) {
		if ((n = plain(s, (size_t)(end - s), space)) > 0) {
			fwrite(s, 1, n, f);
			s += n;
		} else
			fprintf(f, "\\%03o", (unsigned char)*s++);
	}
}

/*
 * len bytes as hexdump -C shows them: the offset, sixteen bytes in hex
 * (a gap after eight), and those printable in ASCII between bars.
 */
void
esc_hex(FILE *f, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t off, i;

	for (off = 0; off < len; off += 16) {
		fprintf(f, "%08zx ", off);
		for (i = 0; i < 16; i++) {
			if (i == 8)
				putc(' ', f);
			if (off + i < len)
				fprintf(f, " %02x", p[off + i]);
			else
				fputs("   ", f);
		}
		fputs("  |", f);
		for (i = 0; i < 16 && off + i < len; i++)
			putc(p[off + i] >= ' ' && p[off + i] < 0x7f ?
			    p[off + i] : '.', f);
		fputs("|\n", f);
	}
}

/* the columns esc_text takes for s: one a character */
size_t
esc_text_len(const char *s, int space)
{
	return esc_bytes_len(s, strlen(s), space);
}

/* the columns esc_bytes takes for len bytes at s */
size_t
esc_bytes_len(const char *s, size_t slen, int space)
{
	const char *end = s + slen;
	size_t len = 0, n;

	while (s < end) {
		if ((n = plain(s, (size_t)(end - s), space)) > 0) {
			len++;
			s += n;
		} else {
			len += 4;
			s++;
		}
	}
	return len;
}

/*
 * len bytes as esc_bytes writes them, into buf (size bytes, cut short
 * where they do not fit)
 */
void
esc_sbytes(char *buf, size_t size, const char *s, size_t len, int space)
{
	FILE *f;

	buf[0] = '\0';
	if ((f = fmemopen(buf, size, "w")) == NULL)
		return;
	esc_bytes(f, s, len, space);
	fclose(f);
}

/*
 * The bytes esc_bytes wrote back from s: \ooo (three octal digits, at
 * most \377) and \\ are one byte each: *len of them, at most size
 * into buf (the rest counted, not written); -1 where an escape is
 * malformed.
 */
int
esc_unescape(const char *s, char *buf, size_t size, size_t *len)
{
	size_t n = 0;
	unsigned v;
	int i;

	for (; *s != '\0'; n++) {
		if (*s != '\\' || *++s == '\\') {
			if (n < size)
				buf[n] = *s;
			s++;
			continue;
		}
		for (v = 0, i = 0; i < 3; i++, s++) {
			if (*s < '0' || *s > '7')
				return -1;
			v = v * 8 + (unsigned)(*s - '0');
		}
		if (v > 0377)
			return -1;
		if (n < size)
			buf[n] = (char)v;
	}
	*len = n;
	return 0;
}

/*
 * JSON string contents; len (size_t)-1 means up to the NUL. A byte that
 * is not part of valid UTF-8 is written as the lone surrogate \udcXX, so
 * it cannot be taken for the character U+00XX.
 */
void
esc_json(FILE *f, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, u;

	if (len == (size_t)-1)
		len = strlen(s);
	for (i = 0; i < len; i++) {
		if (p[i] == '"' || p[i] == '\\')
			fprintf(f, "\\%c", p[i]);
		else if (p[i] == '\n')
			fputs("\\n", f);
		else if (p[i] == '\t')
			fputs("\\t", f);
		else if (p[i] < 0x20 || p[i] == 0x7f)
			fprintf(f, "\\u%04x", p[i]);
		else if (p[i] < 0x80)
			putc(p[i], f);
		else if ((u = utf8_len(p + i, len - i)) > 0) {
			fwrite(p + i, 1, u, f);
			i += u - 1;
		} else	/* as Python's surrogateescape: the byte comes back */
			fprintf(f, "\\u%04x", 0xdc00 + p[i]);
	}
}

/*
 * s as a message shows it: escaped as a key=value value is (control
 * bytes, backslashes and bytes that are not UTF-8 as \ooo), so an error
 * is always one line and cannot drive the terminal. s itself where
 * nothing needs escaping; else one of a few buffers, reused in turn.
 */
const char *
esc_name(const char *s)
{
	static char *ring[4];
	static unsigned next;
	const char *p, *end = s + strlen(s);
	size_t len, n;
	FILE *f;
	char **slot;
	int e = errno;		/* it goes into a message about errno */

	/* the length once: a strlen for each character is quadratic */
	for (p = s; p < end && (n = plain(p, (size_t)(end - p), 1)) > 0; p += n)
		;
	if (p == end)
		return s;
	slot = &ring[next++ % 4];
	free(*slot);
	*slot = NULL;
	if ((f = open_memstream(slot, &len)) != NULL) {
		esc_text(f, s, 1);
		if (fclose(f) != 0)
			*slot = NULL;
	}
	errno = e;
	return *slot ? *slot : "?";
}
