/*
 * Numbers, sizes, durations and modes (lib/num.c): every parser on the
 * same string; what each accepts is checked against strtoumax(3) or
 * strtoimax(3), and lies in the range it was given.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"
#include "fuzz.h"

/* s is what num_uint takes: digits only, and strtoumax agrees */
static void
check_uint(const char *s, uintmax_t v)
{
	assert(*s != '\0' && strspn(s, "0123456789") == strlen(s));
	errno = 0;
	assert(strtoumax(s, NULL, 10) == v && errno == 0);
}

static void
check_int(const char *s, intmax_t v)
{
	errno = 0;
	assert(strtoimax(s, NULL, 10) == v && errno == 0);
	assert(isdigit((unsigned char)s[*s == '-']));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	uintmax_t u;
	intmax_t i;
	int64_t d;
	mode_t m;

	fuzz_begin();
	FUZZ_CATCH {
		u = num_uint(s, "N", 0, UINTMAX_MAX);
		check_uint(s, u);
	}
	FUZZ_CATCH {
		u = num_uint(s, "N", 3, 1000);
		assert(u >= 3 && u <= 1000);
	}
	FUZZ_CATCH {
		i = num_int(s, "N", INTMAX_MIN, INTMAX_MAX);
		check_int(s, i);
	}
	FUZZ_CATCH {
		i = num_int(s, "N", -5, 7);
		assert(i >= -5 && i <= 7);
	}
	FUZZ_CATCH {
		u = num_size(s, "SIZE", 1, UINTMAX_MAX);
		assert(u >= 1);
	}
	FUZZ_CATCH {
		u = num_size(s, "SIZE", 4096, 1 << 20);
		assert(u >= 4096 && u <= 1 << 20);
	}
	FUZZ_CATCH {
		d = num_dur(s, "DUR");
		assert(d >= 0 && d <= INT64_C(2147483647) * 1000000000);
	}
	FUZZ_CATCH {
		m = num_mode(s, "MODE");
		assert(m <= 0777);
	}
	free(s);
	return 0;
}
