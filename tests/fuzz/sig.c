/*
 * Signal names and lists (lib/signame.c): a signal parsed is in range,
 * and its own name parses back to it.
 */
#include <assert.h>
#include <signal.h>
#include <stdlib.h>

#include "ipc.h"
#include "fuzz.h"

static void
check(int n, int zero)
{
	char buf[SIG_NAME_BUF];

	assert(n >= (zero ? 0 : 1) && n <= sig_max());
	assert(sig_action(n) != NULL && sig_descr(n) != NULL);
	if (sig_valid(n))
		assert(sig_parse(sig_name(n, buf, sizeof(buf)), 0) == n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	sigset_t set;
	int n;

	fuzz_begin();
	FUZZ_CATCH {
		n = sig_parse(s, 0);
		check(n, 0);
	}
	FUZZ_CATCH {
		n = sig_parse(s, 1);
		check(n, 1);
	}
	FUZZ_CATCH {
		sig_list(s, "--block", &set);
	}
	free(s);
	return 0;
}
