/*
 * Deadlines: a -t bound turned into a time on the monotonic clock, so
 * every wait against it, resumed after EINTR, ends when it should. A
 * NULL deadline, or one set from no -t, is forever.
 */
#include <limits.h>
#include <time.h>

#include "ipc.h"

#define NS	INT64_C(1000000000)

static int64_t
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS + ts.tv_nsec;
}

/* timeout in ns from now; TIMEOUT_NONE (any negative) is forever */
void
deadline_set(struct deadline *d, int64_t timeout)
{
	d->each = (timeout < 0) ? TIMEOUT_NONE : timeout;
	d->at = (timeout < 0) ? TIMEOUT_NONE : now() + timeout;
}

/* a new wait, bounded as the one d was set for: -t bounds each wait */
struct deadline
deadline_again(const struct deadline *d)
{
	struct deadline n;

	deadline_set(&n, d ? d->each : TIMEOUT_NONE);
	return n;
}

/* what is left, as poll(2) takes it: -1 forever, 0 expired */
int
deadline_ms(const struct deadline *d)
{
	int64_t left;

	if (d == NULL || d->at == TIMEOUT_NONE)
		return -1;
	left = d->at - now();
	if (left <= 0)
		return 0;
	left = (left + 999999) / 1000000;
	return left > INT_MAX ? INT_MAX : (int)left;
}

/* d, or most ns from now where that comes first: a wait that looks up */
struct deadline
deadline_cap(const struct deadline *d, int64_t most)
{
	struct deadline c;

	deadline_set(&c, most);
	if (d != NULL && d->at != TIMEOUT_NONE && d->at < c.at)
		c.at = d->at;
	return c;
}
