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
# A script that needs longer at its default knobs says so in its header,
# a line "# bench-timeout: SECONDS"; BENCH_TIMEOUT, where set, bounds
# every script alike. One cut short is "timed out", not "failed": the
# rows it recorded before stay in the summary.
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

case $(/usr/bin/time --version 2>&1) in
*GNU*)	;;
*)	echo "note: memory benchmarks need GNU time as /usr/bin/time" \
	    "(Debian: apt-get install time)" ;;
esac
# a hung benchmark must not hang make bench. timeout(1) runs each script
# in a process group of its own, so that at the bound it ends the script
# and whatever it is running (a copy it waits for would otherwise run on
# to its end first); being a group apart, it does not hear a ^C at the
# terminal, so run.sh passes that on
have_timeout=
command -v timeout >/dev/null 2>&1 && have_timeout=1
tpid=
trap '[ -z "$tpid" ] || { kill -INT "$tpid"; wait "$tpid"; }; exit 130' INT
trap '[ -z "$tpid" ] || { kill -TERM "$tpid"; wait "$tpid"; }; exit 143' TERM

# bound SCRIPT: the seconds SCRIPT may take: BENCH_TIMEOUT, else its
# header's "# bench-timeout: N", else 300
bound() {
	b=${BENCH_TIMEOUT:-}
	[ -n "$b" ] || b=$(sed -n '1,40s/^# bench-timeout:[[:space:]]*\([0-9][0-9]*\)[[:space:]]*$/\1/p' "$1" | head -n 1)
	echo "${b:-300}"
}

failed=
for s in bench/*.sh; do
	[ "$s" = bench/run.sh ] && continue
	shell=$(sed -n '1s/^#![[:space:]]*//p' "$s")
	secs=$(bound "$s")
	echo
	echo "== $s"
	t0=$(date +%s)
	# -k: a process that outlives the group's TERM is killed 30 s on;
	# in the background, so that run.sh's traps run while it waits
	# shellcheck disable=SC2086
	if [ -n "$have_timeout" ]; then
		timeout -k 30 "$secs" ${shell:-sh} "$s" &
		tpid=$!
		wait "$tpid"
		st=$?
		tpid=
	else
		${shell:-sh} "$s"
		st=$?
	fi
	took=$(($(date +%s) - t0))
	if [ "$st" -ne 0 ] && [ -n "$have_timeout" ] &&
	    [ "$took" -ge "$secs" ] && { [ "$st" -eq 124 ] || [ "$st" -eq 137 ]; }
	then
		echo "bench: $s timed out after $secs s" >&2
		printf '%s\tnote\t%s\n' "$(basename "$s" .sh)" \
		    "timed out after $secs s: its rows after the last above were not measured" \
		    >>"$BENCH_SUMMARY"
		failed="$failed $s"
	elif [ "$st" -ne 0 ]; then
		echo "bench: $s failed (exit $st)" >&2
		failed="$failed $s"
	else
		echo "($s: $took s)"
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
