#!/bin/sh
# make fuzz: each target (all, or those named) under libFuzzer for
# FUZZ_TIME seconds. The inputs it finds that reach new code are kept
# in OBJ/corpus/TARGET for the next run; the corpus in tests/fuzz/TARGET
# is only read, and a crash is written there, to be fixed and kept.
set -u
cd "$(dirname "$0")/../.." || exit 1
obj=$1
shift
time=${FUZZ_TIME:-30}
targets=$*
[ -n "$targets" ] || targets=$(ls tests/fuzz/*.c | sed -e '/\/harness\.c$/d' \
    -e '/\/replay\.c$/d' -e 's,.*/,,' -e 's,\.c$,,')
failed=""
for t in $targets; do
	mkdir -p "$obj/corpus/$t" "tests/fuzz/$t"
	echo "fuzz $t: ${time}s"
	"$obj/fuzz-$t" -max_total_time="$time" -max_len=10000 -timeout=10 \
	    -print_final_stats=1 -artifact_prefix="tests/fuzz/$t/" \
	    "$obj/corpus/$t" "tests/fuzz/$t" > "$obj/fuzz-$t.log" 2>&1 ||
	    failed="$failed $t"
	grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' \
	    "$obj/fuzz-$t.log" | sed "s/^/  /"
done
if [ -n "$failed" ]; then
	echo "fuzz: found crashes in:$failed (see $obj/fuzz-TARGET.log;" \
	    "the input is in tests/fuzz/TARGET/)" >&2
	exit 1
fi
echo "fuzz: no crashes"
