/*
 * What every fuzz target shares: the input as a string or a file, and a
 * way back from a usage error, which in the commands prints and exits 2.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

/*
 * FUZZ_CATCH { parse... }: the block runs; a usage error in it comes
 * back here and skips the rest of it. setjmp is the whole condition,
 * one of the few places C lets it stand.
 */
extern jmp_buf fuzz_jmp;
extern int fuzz_usage;		/* usage errors seen since the last input */
#define FUZZ_CATCH	if (setjmp(fuzz_jmp) == 0)

char	*fuzz_str(const uint8_t *, size_t);
char	*fuzz_pick(const uint8_t *, size_t, unsigned *);
int	 fuzz_fd(const void *, size_t);
void	 fuzz_begin(void);
int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#endif
