/* Numbers, sizes (4K, 1M), durations (250ms, 1.5, 2m) and modes. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"

#define NS_PER_SEC	INT64_C(1000000000)
#define DUR_MAX_SEC	INT64_C(2147483647)

/* leading decimal digits of s into *v; the rest in *end; 0 on overflow */
static int
digits(const char *s, uintmax_t *v, const char **end)
{
	uintmax_t n = 0;

	if (!isdigit((unsigned char)*s))
		return 0;
	for (; isdigit((unsigned char)*s); s++) {
		if (n > (UINTMAX_MAX - (uintmax_t)(*s - '0')) / 10)
			return 0;
		n = n * 10 + (uintmax_t)(*s - '0');
	}
	*v = n;
	*end = s;
	return 1;
}

uintmax_t
num_uint(const char *s, const char *what, uintmax_t min, uintmax_t max)
{
	const char *end;
	uintmax_t v;

	if (!digits(s, &v, &end) || *end != '\0' || v < min || v > max)
		usage_error("%s: '%s' is not a whole number from %ju to %ju",
		    what, s, min, max);
	return v;
}

intmax_t
num_int(const char *s, const char *what, intmax_t min, intmax_t max)
{
	const char *end;
	uintmax_t v;
	int neg = (*s == '-');

	if (!digits(s + neg, &v, &end) || *end != '\0' ||
	    v > (uintmax_t)INTMAX_MAX ||
	    (neg ? -(intmax_t)v < min : (intmax_t)v > max))
		usage_error("%s: '%s' is not a whole number from %jd to %jd",
		    what, s, min, max);
	return neg ? -(intmax_t)v : (intmax_t)v;
}

uintmax_t
num_size(const char *s, const char *what, uintmax_t min, uintmax_t max)
{
	static const char units[] = "KMGT";
	const char *end, *u;
	uintmax_t v;
	int shift = 0;

	if (!digits(s, &v, &end))
		goto bad;
	if (*end != '\0' && (u = strchr(units, toupper((unsigned char)*end)))) {
		shift = 10 * (int)(u - units + 1);
		end++;
		if (strcmp(end, "iB") == 0 || strcmp(end, "B") == 0)
			end += strlen(end);
	}
	if (*end != '\0' || v > (UINTMAX_MAX >> shift))
		goto bad;
	v <<= shift;
	if (v < min || v > max)
		goto bad;
	return v;
bad:
	usage_error("%s: '%s' is not a size from %ju to %ju bytes "
	    "(a number, optionally with K, M, G or T)", what, s, min, max);
}

/* "1.5" seconds, "250ms", "2s", "1m", "1h"; returns nanoseconds */
int64_t
num_dur(const char *s, const char *what)
{
	const char *end;
	uintmax_t whole, frac = 0, scale = 1;
	int64_t unit = NS_PER_SEC, ns;

	if (!digits(s, &whole, &end))
		goto bad;
	if (*end == '.') {
		for (end++; isdigit((unsigned char)*end); end++)
			if (scale < UINTMAX_C(1000000000)) {
				frac = frac * 10 + (uintmax_t)(*end - '0');
				scale *= 10;
			}
		if (end[-1] == '.')
			goto bad;
	}
	if (strcmp(end, "ms") == 0)
		unit = NS_PER_SEC / 1000;
	else if (strcmp(end, "m") == 0)
		unit = 60 * NS_PER_SEC;
	else if (strcmp(end, "h") == 0)
		unit = 3600 * NS_PER_SEC;
	else if (strcmp(end, "s") != 0 && *end != '\0')
		goto bad;
	if (whole > (uintmax_t)(DUR_MAX_SEC * NS_PER_SEC / unit))
		goto bad;
	/* in integers: 1.033359836 is 1033359836 ns, not a rounding of it */
	ns = (int64_t)whole * unit +
	    (int64_t)((unsigned __int128)frac * (uint64_t)unit / scale);
	if (ns > DUR_MAX_SEC * NS_PER_SEC)
		goto bad;
	return ns;
bad:
	usage_error("%s: '%s' is not a duration (like 250ms, 1.5, 2s, 1m, 1h;"
	    " at most %jd seconds)", what, s, (intmax_t)DUR_MAX_SEC);
}

mode_t
num_mode(const char *s, const char *what)
{
	size_t len = strlen(s);
	mode_t m = 0;
	size_t i;

	/* leading zeros as chmod(1) takes them, up to 12 digits; past 0777
	 * it stops, so no digits can wrap round into range */
	for (i = 0; i < len && s[i] >= '0' && s[i] <= '7' && m <= 0777; i++)
		m = (mode_t)(m * 8 + (mode_t)(s[i] - '0'));
	if (len == 0 || len > 12 || i != len || m > 0777)
		usage_error("%s: '%s' is not an octal mode from 0 to 0777", what, s);
	return m;
}
