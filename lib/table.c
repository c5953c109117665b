/*
 * One field list behind stat's key=value lines, ls's table (-H, -o)
 * and JSON (-j), as util-linux's lsipc does.
 */
#include <sys/ioctl.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <err.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

static int
col_find(const struct table *t, const char *name, size_t len)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		if (strlen(t->cols[i].name) == len &&
		    strncmp(t->cols[i].name, name, len) == 0)
			return i;
	return -1;
}

static void __attribute__((noreturn))
bad_field(const struct table *t, const char *name, size_t len)
{
	char list[512] = "";
	int i;

	for (i = 0; i < t->ncols; i++) {
		strlcat(list, i ? ", " : "", sizeof(list));
		strlcat(list, t->cols[i].name, sizeof(list));
	}
	usage_error("-o: unknown field '%.*s' (fields: %s, all)", (int)len,
	    name, list);
}

/*
 * ls --pid: the command's columns and one more, pid_role, that says how
 * each row is the process's: "holder", "reader,writer", "last_pid"
 */
static void
pid_cols(struct table *t)
{
	size_t n = (size_t)t->ncols;

	if (kill(t->fmt.pid, 0) == -1 && errno == ESRCH)
		errx(1, "%s --pid %d: %s", verb_name, (int)t->fmt.pid,
		    strerror(ESRCH));
	if ((t->own = calloc(n + 2, sizeof(*t->own))) == NULL)
		err(1, NULL);
	memcpy(t->own, t->cols, n * sizeof(*t->own));
	t->own[n] = (struct col){ "pid_role", COL_SET, 1, NULL, NULL };
	t->cols = t->own;
	t->ncols++;
}

/* shown without -o: ls's marked fields, stat's every one; a field
 * every row has alike only in JSON */
static int
col_default(const struct table *t, int c, int ls)
{
	if (t->cols[c].fixed != NULL)
		return t->fmt.json;
	return !ls || t->cols[c].ls;
}

/* one field of -o; "all": every one, in the table's order */
static void
col_pick(struct table *t, const char *name, size_t len)
{
	int c, from = 0, to = t->ncols;

	if (len != 3 || strncmp(name, "all", 3) != 0) {
		if ((from = col_find(t, name, len)) < 0)
			bad_field(t, name, len);
		to = from + 1;
	}
	for (c = from; c < to; c++) {
		if (t->nsel == TABLE_FIELDS)
			usage_error("-o: more than %d fields", TABLE_FIELDS);
		t->sel[t->nsel++] = c;
	}
}

/*
 * The fields to show: fmt's list (-o; "all": every one), or the
 * defaults; a field not in cols is a usage error
 */
void
table_init(struct table *t, const struct col *cols, int ls,
    const struct tablefmt *fmt)
{
	const char *p, *e;
	int c;

	memset(t, 0, sizeof(*t));
	t->fmt = *fmt;
	t->cols = cols;
	while (cols[t->ncols].name != NULL)
		t->ncols++;
	if (ls && fmt->pid != 0 && t->ncols < TABLE_FIELDS)
		pid_cols(t);
	if (fmt->fields == NULL) {
		for (c = 0; c < t->ncols && t->nsel < TABLE_FIELDS; c++)
			if (col_default(t, c, ls))
				t->sel[t->nsel++] = c;
		return;
	}
	for (p = fmt->fields; ; p = e + 1) {
		e = p + strcspn(p, ",");
		col_pick(t, p, (size_t)(e - p));
		if (*e == '\0')
			break;
	}
}

/* whether the column is shown: work for a column nobody asked for
 * (reading every process's descriptors) can be skipped */
int
table_shows(const struct table *t, int col)
{
	int i;

	if (t->own != NULL && t->cols[col].role != NULL)
		return 1;	/* ls --pid: the rows are chosen by it */

	for (i = 0; i < t->nsel; i++)
		if (t->sel[i] == col)
			return 1;
	return 0;
}

void
table_row(struct table *t)
{
	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->cell = reallocarray(t->cell, t->cap * (size_t)t->ncols,
		    sizeof(char *));
		if (t->cell == NULL)
			err(1, NULL);
	}
	memset(t->cell + t->nrows * (size_t)t->ncols, 0,
	    (size_t)t->ncols * sizeof(char *));
	t->nrows++;
}

/*
 * A cell is a C string, or (first byte BYTES) exact bytes, NULs among
 * them: in it BYTES BYTES stands for BYTES and BYTES NULBYTE for a NUL.
 */
#define BYTES		'\001'
#define NULBYTE		'\002'

/* s (len bytes) into the cell at col, as exact bytes */
void
table_set_bytes(struct table *t, int col, const char *s, size_t len)
{
	char **cell = &t->cell[(t->nrows - 1) * (size_t)t->ncols + (size_t)col];
	char *p;
	size_t i;

	free(*cell);
	if ((*cell = p = malloc(2 * len + 2)) == NULL)
		err(1, NULL);
	*p++ = BYTES;
	for (i = 0; i < len; i++) {
		if (s[i] == '\0' || s[i] == BYTES) {
			*p++ = BYTES;
			*p++ = s[i] == '\0' ? NULBYTE : BYTES;
		} else
			*p++ = s[i];
	}
	*p = '\0';
}

void
table_set(struct table *t, int col, const char *fmt, ...)
{
	char **cell = &t->cell[(t->nrows - 1) * (size_t)t->ncols + (size_t)col];
	char *s;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		err(1, NULL);
	va_end(ap);
	if (s[0] == BYTES) {	/* not to be taken for the form above */
		table_set_bytes(t, col, s, strlen(s));
		free(s);
		return;
	}
	free(*cell);
	*cell = s;
}

static const char *
cell(const struct table *t, size_t row, int col)
{
	const char *s = t->cell[row * (size_t)t->ncols + (size_t)col];

	if ((s == NULL || *s == '\0') && t->cols[col].fixed != NULL)
		return t->cols[col].fixed;
	return (s == NULL || *s == '\0') ? NULL : s;
}

/* the bytes a cell holds, into one of a few buffers reused in turn */
static const char *
cell_bytes(const char *v, size_t *len)
{
	static char *ring[4];
	static unsigned next;
	char **slot, *p;

	if (v[0] != BYTES) {
		*len = strlen(v);
		return v;
	}
	slot = &ring[next++ % 4];
	free(*slot);
	if ((*slot = p = malloc(strlen(v) + 1)) == NULL)
		err(1, NULL);
	for (v++; *v != '\0'; v++) {
		if (*v == BYTES && v[1] != '\0')
			*p++ = *++v == NULBYTE ? '\0' : BYTES;
		else
			*p++ = *v;
	}
	*len = (size_t)(p - *slot);
	return *slot;
}

/* "12(cat),40(sh)" as [{"pid":12,"command":"cat"},...] */
static void
json_pids(const char *s)
{
	const char *open, *end;

	putchar('[');
	while (s != NULL && *s != '\0') {
		end = s + strcspn(s, ",");
		open = memchr(s, '(', (size_t)(end - s));
		if (open == NULL)
			open = end;
		printf("{\"pid\":%.*s,\"command\":\"", (int)(open - s), s);
		if (open < end)
			esc_json(stdout, open + 1, (size_t)(end - open - 2));
		printf("\"}%s", *end ? "," : "");
		s = *end ? end + 1 : end;
	}
	putchar(']');
}

/* a string cell, its exact bytes */
static void
json_str(const char *v, size_t len)
{
	putchar('"');
	esc_json(stdout, v, len);
	putchar('"');
}

/*
 * "a,b" as ["a","b"] (quote: strings, else numbers), "pipe:2,unix:1" as
 * {"pipe":2,"unix":1} (counts); NULL as [] or {}
 */
static void
json_list(const char *s, int quote, int counts)
{
	const char *end, *colon;

	putchar(counts ? '{' : '[');
	while (s != NULL && *s != '\0') {
		end = s + strcspn(s, ",");
		if (counts && (colon = memchr(s, ':', (size_t)(end - s))) !=
		    NULL) {
			json_str(s, (size_t)(colon - s));
			printf(":%.*s", (int)(end - colon - 1), colon + 1);
		} else if (quote)
			json_str(s, (size_t)(end - s));
		else
			printf("%.*s", (int)(end - s), s);
		if (*end != '\0')
			putchar(',');
		s = *end ? end + 1 : end;
	}
	putchar(counts ? '}' : ']');
}

/* one cell as its column's JSON type */
static void
json_cell(int type, const char *v)
{
	size_t len;

	if (type == COL_PIDS)
		json_pids(v);
	else if (type == COL_SET || type == COL_NUMS || type == COL_COUNTS)
		json_list(v, type == COL_SET, type == COL_COUNTS);
	else if (v == NULL)
		fputs("null", stdout);
	else if (type == COL_NUM)
		fputs(v, stdout);
	else if (type == COL_BOOL)
		fputs(strcmp(v, "yes") == 0 ? "true" : "false", stdout);
	else {
		v = cell_bytes(v, &len);
		json_str(v, len);
	}
}

static void
json_row(const struct table *t, size_t row)
{
	int i, c;

	putchar('{');
	for (i = 0; i < t->nsel; i++) {
		c = t->sel[i];
		printf("%s\"%s\":", i ? "," : "", t->cols[c].name);
		json_cell(t->cols[c].type, cell(t, row, c));
	}
	putchar('}');
}

static FILE *out;		/* a row's line, being made */
static char *line;
static size_t linelen;

/* n spaces into the row, a block at a time (printf's %*s pads 16 a
 * call: a cell padded to a pid list 75 KB wide took most of ls's time) */
static void
text_pad(size_t n)
{
	static char spaces[4096];
	size_t k;

	if (spaces[0] != ' ')
		memset(spaces, ' ', sizeof(spaces));
	for (; n > 0; n -= k) {
		k = n < sizeof(spaces) ? n : sizeof(spaces);
		fwrite(spaces, 1, k, out);
	}
}

/*
 * The first w - 1 columns of v as esc_bytes shows it, then an ellipsis:
 * a cell cut to fit the terminal, as lsfd and lsipc cut theirs
 */
static void
text_cut(const char *v, size_t len, int space, size_t w)
{
	char *buf = NULL;
	size_t size = 0, i, cols = 0;
	FILE *f;

	if ((f = open_memstream(&buf, &size)) == NULL)
		err(1, NULL);
	esc_bytes(f, v, len, space);
	if (fclose(f) == EOF)
		err(1, NULL);
	for (i = 0; i < size; i++)	/* a UTF-8 character is one column */
		if (((unsigned char)buf[i] & 0xc0) != 0x80 && cols++ == w - 1)
			break;
	fwrite(buf, 1, i, out);
	fputs("\u2026", out);
	free(buf);
}

/*
 * One cell padded to w (cut to w where it is wider: text_fit made w
 * narrower than the cell); numbers to the right; the last cell
 * unpadded; words (COL_WORDS) keep their spaces, every other cell is
 * one word
 */
static void
text_cell(const char *v, int upper, size_t w, int type, int last)
{
	int right = type == COL_NUM, space = type == COL_WORDS;
	size_t len, pad;

	v = cell_bytes(v, &len);
	pad = esc_bytes_len(v, len, space);
	if (pad > w && !upper) {
		text_cut(v, len, space, w);
		if (!last)
			putc(' ', out);
		return;
	}
	pad = w > pad ? w - pad : 0;
	if (right && !last)
		text_pad(pad);
	if (upper)
		for (; *v != '\0'; v++)
			putc(toupper((unsigned char)*v), out);
	else
		esc_bytes(out, v, len, space);
	if (!last)
		text_pad(right ? 1 : pad + 1);
}

/* row (size_t)-1 is the header; the text of one row, into line */
static void
text_row(const struct table *t, size_t row, const size_t *w)
{
	const char *v;
	int i, c, head = (row == (size_t)-1);

	for (i = 0; i < t->nsel; i++) {
		c = t->sel[i];
		v = head ? t->cols[c].name : cell(t, row, c);
		text_cell(v ? v : "-", head, w[i], t->cols[c].type,
		    i == t->nsel - 1);
	}
	putc('\n', out);
	/* the line whole in one write, however wide its padding: a pid
	 * list thousands of columns wide pads every row to its width */
	if (fflush(out) == EOF)
		err(1, NULL);
	fwrite(line, 1, linelen, stdout);
	rewind(out);
}

/* whether the list "12(cat),40(sh)" (or the number "12") has pid */
static int
has_pid(const char *s, pid_t pid)
{
	char *end;
	long p;

	while (s != NULL && *s != '\0') {
		p = strtol(s, &end, 10);
		if (end != s && p == (long)pid && (*end == '(' ||
		    *end == ',' || *end == '\0'))
			return 1;
		if ((s = strchr(end, ',')) != NULL)
			s++;
	}
	return 0;
}

/* row's pid_role: how it is --pid's process's, each way once; 0: not */
static int
row_role(struct table *t, size_t row)
{
	char role[128] = "";
	const char *r;
	int c, n = 0;

	for (c = 0; c < t->ncols; c++) {
		if ((r = t->cols[c].role) == NULL ||
		    !has_pid(cell(t, row, c), t->fmt.pid) ||
		    strstr(role, r) != NULL)
			continue;
		if (n++)
			strlcat(role, ",", sizeof(role));
		strlcat(role, r, sizeof(role));
	}
	if (n == 0)
		return 0;
	free(t->cell[row * (size_t)t->ncols + (size_t)t->ncols - 1]);
	if ((t->cell[row * (size_t)t->ncols + (size_t)t->ncols - 1] =
	    strdup(role)) == NULL)
		err(1, NULL);
	return 1;
}

/* ls --pid: only the rows of its process, each with its pid_role */
static void
keep_pid(struct table *t)
{
	size_t r, kept = 0, w = (size_t)t->ncols, c;

	for (r = 0; r < t->nrows; r++) {
		if (row_role(t, r)) {
			if (kept != r)
				memcpy(t->cell + kept * w, t->cell + r * w,
				    w * sizeof(char *));
			kept++;
		} else
			for (c = 0; c < w; c++)
				free(t->cell[r * w + c]);
	}
	t->nrows = kept;
}

/*
 * The columns a table may take: the terminal's, where stdout is one and
 * --notruncate was not given (its size, else COLUMNS, else 80, as
 * util-linux's tables); 0, never cut, where stdout is not a terminal,
 * so a script sees every byte
 */
static size_t
text_screen(const struct tablefmt *fmt)
{
	struct winsize ws;
	const char *cols;
	long n;

	if (fmt->notruncate || !isatty(STDOUT_FILENO))
		return 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if ((cols = getenv("COLUMNS")) != NULL &&
	    (n = strtonum(cols, 1, INT_MAX, NULL)) > 0)
		return (size_t)n;
	return 80;
}

/*
 * Narrow the widths w until the table fits screen columns: first the
 * free text and pid lists, from the last column, then other text;
 * never a number, nor a column below its header's width
 */
static void
text_fit(const struct table *t, size_t *w, size_t screen)
{
	size_t total = 0, least, cut;
	int i, pass, type, loose;

	for (i = 0; i < t->nsel; i++)
		total += w[i] + (i ? 1 : 0);
	for (pass = 0; pass < 2; pass++)
		for (i = t->nsel - 1; i >= 0 && total > screen; i--) {
			type = t->cols[t->sel[i]].type;
			loose = type == COL_PIDS || type == COL_WORDS;
			if (type == COL_NUM || loose != (pass == 0))
				continue;
			least = t->fmt.header ?
			    strlen(t->cols[t->sel[i]].name) : 1;
			if (least < 2)
				least = 2;	/* a character and the ellipsis */
			if (w[i] <= least)
				continue;
			cut = w[i] - least < total - screen ?
			    w[i] - least : total - screen;
			w[i] -= cut;
			total -= cut;
		}
}

/* ls: a table with a header (none with -H), or a JSON array */
void
table_print(struct table *t)
{
	size_t w[TABLE_FIELDS], r, len, screen;
	const char *v;
	int i;

	if (t->own != NULL)
		keep_pid(t);

	if (t->fmt.json) {
		putchar('[');
		for (r = 0; r < t->nrows; r++) {
			fputs(r ? ",\n" : "\n", stdout);
			json_row(t, r);
		}
		fputs(t->nrows ? "\n]\n" : "]\n", stdout);
		return;
	}
	for (i = 0; i < t->nsel; i++) {
		w[i] = !t->fmt.header ? 1 : strlen(t->cols[t->sel[i]].name);
		for (r = 0; r < t->nrows; r++) {
			if ((v = cell(t, r, t->sel[i])) != NULL) {
				v = cell_bytes(v, &len);
				len = esc_bytes_len(v, len,
				    t->cols[t->sel[i]].type == COL_WORDS);
			} else
				len = 1;
			if (len > w[i])
				w[i] = len;
		}
	}
	if ((screen = text_screen(&t->fmt)) > 0)
		text_fit(t, w, screen);
	if ((out = open_memstream(&line, &linelen)) == NULL)
		err(1, NULL);
	if (t->fmt.header)
		text_row(t, (size_t)-1, w);
	for (r = 0; r < t->nrows; r++)
		text_row(t, r, w);
	fclose(out);
	free(line);
	out = NULL;
	line = NULL;
}

/* stat: one key=value line a field, or one JSON object */
void
table_print_kv(const struct table *t)
{
	const char *v;
	size_t len;
	int i;

	if (t->fmt.json) {
		json_row(t, 0);
		putchar('\n');
		return;
	}
	for (i = 0; i < t->nsel; i++) {
		v = cell(t, 0, t->sel[i]);
		printf("%s=", t->cols[t->sel[i]].name);
		v = cell_bytes(v ? v : "", &len);
		esc_bytes(stdout, v, len, 1);
		putchar('\n');
	}
}

void
table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cell[i]);
	free(t->cell);
	t->cell = NULL;
	free(t->own);
	t->own = NULL;
}

/* the owner's and group's names; a number where there is no name */
void
table_owner(struct table *t, int ocol, int gcol, uid_t uid, gid_t gid)
{
	/* the last of each asked again: an ls of many objects of one
	 * owner reads the user and group databases once, not once a row */
	static char *uname, *gname;
	static uid_t lastuid;
	static gid_t lastgid;
	struct passwd *pw;
	struct group *gr;

	if (uname == NULL || uid != lastuid) {
		free(uname);
		if ((pw = getpwuid(uid)) != NULL)
			uname = strdup(pw->pw_name);
		else if (asprintf(&uname, "%u", (unsigned)uid) == -1)
			uname = NULL;
		if (uname == NULL)
			err(1, NULL);
		lastuid = uid;
	}
	if (gname == NULL || gid != lastgid) {
		free(gname);
		if ((gr = getgrgid(gid)) != NULL)
			gname = strdup(gr->gr_name);
		else if (asprintf(&gname, "%u", (unsigned)gid) == -1)
			gname = NULL;
		if (gname == NULL)
			err(1, NULL);
		lastgid = gid;
	}
	table_set(t, ocol, "%s", uname);
	table_set(t, gcol, "%s", gname);
}

/* a file's mode, owner and group, as every kind shows them */
void
table_file(struct table *t, const int col[3], const struct stat *st)
{
	table_set(t, col[0], "%04o", (unsigned)(st->st_mode & 07777));
	table_owner(t, col[1], col[2], st->st_uid, st->st_gid);
}

/*
 * The orphan field, where the table shows one: whether no process we
 * could see holds the object (what RemoveIPC=yes takes at logout). A
 * scan that could not see every process has said so (holders_note).
 */
int
table_orphans(const struct table *t)
{
	int c = col_find(t, "orphan", 6);

	return c >= 0 && table_shows(t, c) ? c : -1;
}

void
table_orphan(struct table *t, int held)
{
	int c = table_orphans(t);

	if (c >= 0)
		table_set(t, c, "%s", held ? "no" : "yes");
}

/* who holds the object st, where hs was read (NULL: not asked for) */
void
table_holders(struct table *t, int col, const struct holders *hs,
    const struct stat *st)
{
	char *h;

	if (hs == NULL)
		return;
	h = holders_str(hs, st->st_dev, st->st_ino, HOLD_ANY);
	table_set(t, col, "%s", h);
	table_orphan(t, *h != '\0');
	free(h);
}

/* local time as 2026-11-25T14:24:40+0000; 0 (never) leaves it empty */
void
table_time(struct table *t, int col, time_t when)
{
	char buf[64];
	struct tm tm;

	if (when == 0)
		return;
	if (localtime_r(&when, &tm) != NULL &&
	    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S%z", &tm) > 0)
		table_set(t, col, "%s", buf);
	else
		table_set(t, col, "%jd", (intmax_t)when);
}

/* stat's whole work: one object's fields from fill, as key=value or JSON */
int
table_stat(const struct col *cols, void (*fill)(struct table *, const char *),
    const char *arg, const struct tablefmt *fmt)
{
	struct table t;

	table_init(&t, cols, 0, fmt);
	fill(&t, arg);
	table_print_kv(&t);
	table_free(&t);
	return 0;
}

/* ls's: every object's row from fill, as a table or a JSON array */
int
table_ls(const struct col *cols, void (*fill)(struct table *),
    const struct tablefmt *fmt)
{
	struct table t;

	table_init(&t, cols, 1, fmt);
	fill(&t);
	table_print(&t);
	table_free(&t);
	return 0;
}
