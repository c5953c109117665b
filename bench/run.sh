#!/bin/sh
# make bench: build the reference programs (every bench/*.c, into
# bench/out/), run every bench script (bench/*.sh but this one, each with
# the interpreter its #! line names), then print the summary of ratios
# they recorded (see bench/common.bash), on the terminal and as a
# Markdown table in bench/out/summary.md. Benchmarks are never pass/fail:
# a missed target is reported, not an error; a script that could not
# measure is one.
#
# Knobs: IPC_BIN (the commands, default bin), BENCH_TIMEOUT (seconds one
# script may take, default 300), and each script's own (see its header).
set -u
cd "$(dirname "$0")/.." || exit 1
mkdir -p bench/out

for c in bench/*.c; do
	[ -e "$c" ] || continue
	echo "cc $c"
	${CC:-cc} -D_GNU_SOURCE -std=c11 -O2 -Wall -Wextra -Werror \
	    -o "bench/out/$(basename "$c" .c)" "$c" -lrt || exit 1
done

BENCH_SUMMARY=$(mktemp "${TMPDIR:-/tmp}/ipc-bench-summary.XXXXXX") || exit 1
export BENCH_SUMMARY
trap 'rm -f "$BENCH_SUMMARY"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

case $(/usr/bin/time --version 2>&1) in
*GNU*)	;;
*)	echo "note: memory benchmarks need GNU time as /usr/bin/time" \
	    "(Debian: apt-get install time)" ;;
esac
# a hung benchmark must not hang make bench; --foreground: ^C still
# reaches it
if command -v timeout >/dev/null 2>&1; then
	limit="timeout --foreground ${BENCH_TIMEOUT:-300}"
else
	limit=
fi

failed=
for s in bench/*.sh; do
	[ "$s" = bench/run.sh ] && continue
	shell=$(sed -n '1s/^#![[:space:]]*//p' "$s")
	echo
	echo "== $s"
	# shellcheck disable=SC2086
	if ! $limit ${shell:-sh} "$s"; then
		echo "bench: $s failed" >&2
		failed="$failed $s"
	fi
done

echo
echo "== summary (ours over theirs, ratios of medians measured side by side in this run;"
echo "   throughput: higher is better; time and memory: lower is better)"
awk -F '\t' '
$2 == "note" { notes[++n] = $1 ": " $3; next }
{
	r++
	for (i = 1; i <= 6; i++) {
		c[r, i] = ($i == "-") ? "" : $i
		if (length(c[r, i]) > w[i])
			w[i] = length(c[r, i])
	}
}
END {
	f = "  %-" w[1] "s  %-" w[2] "s  %-" w[3] "s  %-" w[4] "s  %-" \
	    w[5] "s  %s\n"
	printf f, "script", "case", "ours/theirs", "direction", "target", ""
	for (j = 1; j <= r; j++)
		printf f, c[j, 1], c[j, 2], c[j, 3], c[j, 4], c[j, 5], c[j, 6]
	for (i = 1; i <= n; i++)
		printf "  note: %s\n", notes[i]
}
' "$BENCH_SUMMARY"
# the same as the Markdown table README.md's Speed section is pasted from
awk -F '\t' -v host="$(uname -sr), $(nproc) CPUs" '
BEGIN {
	print "Measured by make bench on " host "."
	print ""
	print "| script | case | ours/theirs | direction | target | verdict |"
	print "|---|---|---|---|---|---|"
}
$2 == "note" { notes[++n] = $1 ": " $3; next }
{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }
END {
	for (i = 1; i <= n; i++)
		printf "%s- note: %s\n", (i == 1 ? "\n" : ""), notes[i]
}
' "$BENCH_SUMMARY" >bench/out/summary.md
echo
echo "(as a Markdown table: bench/out/summary.md)"
if [ -n "$failed" ]; then
	echo "could not measure:$failed" >&2
	exit 1
fi
exit 0
