/*
 * The -o field list and the cells it shows (lib/table.c, lib/esc.c):
 * the input's first line is -o's argument (none: the defaults), each
 * NUL-ended piece after it a cell, printed as stat and ls print them,
 * in text and JSON.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"
#include "fuzz.h"

enum { C_NAME, C_SIZE, C_PIDS, C_MODE, C_NCOLS };
static const struct col cols[C_NCOLS + 1] = {
	[C_NAME] = { "name", COL_STR, 1, NULL, NULL },
	[C_SIZE] = { "size", COL_NUM, 1, NULL, NULL },
	[C_PIDS] = { "pids", COL_PIDS, 0, NULL, NULL },
	[C_MODE] = { "mode", COL_STR, 0, NULL, NULL },
};

static void
show(struct table *t, const char *p, const char *end)
{
	int c;

	table_row(t);
	for (c = 0; c < C_NCOLS && p < end; c++) {
		table_set(t, c, "%s", p);
		p += strlen(p) + 1;
	}
	for (t->fmt.json = 0; t->fmt.json <= 1; t->fmt.json++) {
		table_print(t);
		table_print_kv(t);
	}
	t->fmt.json = 0;
	t->fmt.header = 0;
	table_print(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), *nl;
	struct tablefmt fmt = { .header = 1 };
	struct table t;
	int i;

	fuzz_begin();
	nl = memchr(s, '\n', size);
	if (nl != NULL) {
		*nl = '\0';
		fmt.fields = s;
	}
	FUZZ_CATCH {
		table_init(&t, cols, 1, &fmt);
		assert(t.nsel >= 1 && t.nsel <= TABLE_FIELDS);
		for (i = 0; i < t.nsel; i++)
			assert(t.sel[i] >= 0 && t.sel[i] < C_NCOLS);
		show(&t, nl ? nl + 1 : s + size, s + size);
		table_free(&t);
	}
	free(s);
	return 0;
}
