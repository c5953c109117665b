/* The names in a directory, sorted, as ls shows them. */
#include <sys/stat.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* every name in dir but . and .., sorted; NULL with errno, or *n set */
char **
dir_names(const char *dir, size_t *n)
{
	char **names = NULL;
	struct dirent *e;
	DIR *d;

	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if ((names = reallocarray(names, *n + 1, sizeof(*names))) == NULL ||
		    (names[*n] = strdup(e->d_name)) == NULL)
			err(1, NULL);
		(*n)++;
	}
	closedir(d);
	if (*n > 0)
		qsort(names, *n, sizeof(*names), by_name);
	else if ((names = malloc(sizeof(*names))) == NULL)
		err(1, NULL);
	return names;
}

void
dir_names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/*
 * ls DIR...: the DIR operands argv[i] to argv[argc - 1] that can be
 * read, kept in order; a warning for each that cannot, and *bad set.
 * The new end of the operands. Checked before anything is scanned, so
 * a missing DIR is one line, not a line after a scan's notes.
 */
int
dir_usable(int argc, char *argv[], int i, int *bad)
{
	struct stat st;
	int j, k = i;

	*bad = 0;
	for (j = i; j < argc; j++) {
		if (stat(argv[j], &st) == 0 && !S_ISDIR(st.st_mode))
			errno = ENOTDIR;
		else if (access(argv[j], R_OK | X_OK) == 0) {
			argv[k++] = argv[j];
			continue;
		}
		warn("%s %s", verb_name, esc_name(argv[j]));
		*bad = 1;
	}
	return k;
}
