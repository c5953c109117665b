/* The names in a directory, sorted, as ls shows them. */
#include <dirent.h>
#include <err.h>
#include <stdlib.h>
#include <string.h>

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
