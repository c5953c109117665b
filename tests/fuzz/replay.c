/*
 * The fuzz targets' corpus replayed without libFuzzer (or clang): each
 * file named, or each file in each directory named, fed once to
 * LLVMFuzzerTestOneInput. A crash or a failed check ends it as it would
 * end the fuzzer; else it says how many inputs it ran.
 */
#include <dirent.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int
one(const char *path)
{
	unsigned char *buf;
	long len;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) == -1 ||
	    (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) == -1)
		err(1, "%s", path);
	/* exactly its size, so a read past the end is seen; never NULL */
	if ((buf = malloc(len > 0 ? (size_t)len : 1)) == NULL)
		err(1, NULL);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len || ferror(f))
		err(1, "%s", path);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	free(buf);
	return 1;
}

static int
each(const char *dir)
{
	struct dirent **e;
	char path[4096];
	int i, n, ran = 0;

	if ((n = scandir(dir, &e, NULL, alphasort)) == -1)
		err(1, "%s", dir);
	for (i = 0; i < n; i++) {
		if (e[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, e[i]->d_name);
			ran += one(path);
		}
		free(e[i]);
	}
	free(e);
	return ran;
}

int
main(int argc, char *argv[])
{
	struct stat st;
	int i, ran = 0;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == -1)
			err(1, "%s", argv[i]);
		ran += S_ISDIR(st.st_mode) ? each(argv[i]) : one(argv[i]);
	}
	/* stderr: the targets send stdout to /dev/null */
	fprintf(stderr, "%d inputs\n", ran);
	return 0;
}
