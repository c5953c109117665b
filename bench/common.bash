# Helpers for the bench/*.sh scripts written in bash: source it first.
# (bench/run.sh runs every bench/*.sh; this file does not end in .sh, so
# it is not run on its own.)
#
#	. "$(dirname "$0")/common.bash"
#
# Gives: ROOT (the repository, and the working directory), BIN (the
# commands, $IPC_BIN or bin), REF (bench/out: the reference programs
# bench/run.sh built from bench/*.c), TMP (a private directory, removed at
# exit), clean PATH... (more to remove at exit), pair (time a writer and
# a reader running at once), median, peer tables, ratio rows, and record,
# which adds a line to the summary bench/run.sh prints at the end.
#
# The summary is the file $BENCH_SUMMARY (standalone runs: none), one
# TAB-separated line per ratio: script, case, measured, target, verdict;
# or script, "note", text.

if [ -z "${BASH_VERSINFO:-}" ] || [ "${BASH_VERSINFO[0]}${BASH_VERSINFO[1]}" -lt 51 ]; then
	echo "bench: needs bash 5.1 or later (wait -n -p, EPOCHREALTIME)" >&2
	exit 1
fi
set -u
export LC_ALL=C		# EPOCHREALTIME and awk with a '.' for the decimal point

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
ROOT=$PWD
BIN=${IPC_BIN:-bin}
case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac
REF=$ROOT/bench/out
SUMMARY=${BENCH_SUMMARY:-/dev/null}
SCRIPT=$(basename "$0" .sh)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ipc-bench.XXXXXX") || exit 1
CLEAN=("$TMP")

# background jobs first (a writer blocked on a FIFO), then the files
on_exit() {
	local p
	for p in $(jobs -p); do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "${CLEAN[@]}"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

clean() {
	CLEAN+=("$@")
}

die() {
	echo "bench $SCRIPT: $*" >&2
	exit 1
}

note() {
	echo "  note: $*"
	printf '%s\tnote\t%s\n' "$SCRIPT" "$*" >>"$SUMMARY"
}

# need FILE...: executables the script cannot do without
need() {
	local f
	for f; do
		[ -x "$f" ] || die "$f is missing (run 'make bench', which builds it)"
	done
}

# pair WRITER READER: run two commands (functions) at once, the reader's
# stdout on $SINK; sets US to their wall time in microseconds. Either one
# failing stops the other and the script.
SINK=/dev/null
pair() {
	local t0 w r who s
	t0=${EPOCHREALTIME/./}
	"$1" & w=$!
	"$2" >"$SINK" & r=$!
	wait -n -p who "$w" "$r"
	s=$?
	if [ "$s" -eq 0 ]; then
		if [ "$who" = "$w" ]; then
			wait "$r"
		else
			wait "$w"
		fi
		s=$?
	fi
	US=$((${EPOCHREALTIME/./} - t0))
	if [ "$s" -ne 0 ]; then
		kill "$w" "$r" 2>/dev/null
		wait "$w" "$r" 2>/dev/null
		die "$1 + $2 failed (exit $s)"
	fi
}

# median N...: of numbers (an even count: the mean of the middle two)
median() {
	printf '%s\n' "$@" | sort -g |
	    awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2);
		print (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2 }'
}

# calc EXPR: floating point, printed with up to 3 significant decimals
calc() {
	awk "BEGIN { printf \"%.4g\n\", $1 }"
}

# the reader under check, its output counted
counted() {
	"$CHECKED" | wc -c >"$TMP/count"
}

# peers TITLE BYTES ROUNDS LABEL:WRITER:READER...
# Round after round, every peer once in turn (A B C A B C ...): each
# moves BYTES from its writer to its reader. One untimed round first
# checks that every reader gets all BYTES. Prints a row per peer
# (median MiB/s, and the slowest and fastest rounds) and sets
# MIBS[LABEL] to the median.
declare -A MIBS
peers() {
	local title=$1 bytes=$2 rounds=$3 i p label w r n
	local -A runs
	shift 3
	for p; do
		IFS=: read -r label w r <<<"$p"
		CHECKED=$r
		pair "$w" counted
		n=$(<"$TMP/count")
		[ "$n" -eq "$bytes" ] || die "$label: the reader got $n bytes of $bytes"
	done
	for ((i = 0; i < rounds; i++)); do
		for p; do
			IFS=: read -r label w r <<<"$p"
			pair "$w" "$r"
			runs[$label]+=" $(calc "$bytes / 1048576 / ($US / 1e6)")"
		done
	done
	echo
	echo "$title"
	printf '  %-34s %10s %10s %10s %10s\n' peer "MiB/s" ms slowest fastest
	for p; do
		label=${p%%:*}
		# shellcheck disable=SC2086
		MIBS[$label]=$(median ${runs[$label]})
		printf '  %-34s %10.0f %10.1f %10.0f %10.0f\n' "$label" \
		    "${MIBS[$label]}" \
		    "$(calc "$bytes / 1048576 / ${MIBS[$label]} * 1000")" \
		    "$(printf '%s\n' ${runs[$label]} | sort -g | head -1)" \
		    "$(printf '%s\n' ${runs[$label]} | sort -g | tail -1)"
	done
}

# record CASE VALUE UNIT [OP TARGET]: print a ratio (or a limit) against
# its target, OP >= or <=, and add it to the summary; no OP: shown, with
# no target
record() {
	local name=$1 v=$2 unit=$3 op=${4:-} target=${5:-} verdict=-
	if [ -z "$op" ]; then
		printf '  %-34s %10s%-4s no target\n' "$name" "$v" "$unit"
		printf '%s\t%s\t%s%s\t-\t-\n' "$SCRIPT" "$name" "$v" "$unit" >>"$SUMMARY"
		return
	fi
	if awk "BEGIN { exit !($v $op $target) }"; then
		verdict=met
	else
		verdict=MISSED
	fi
	printf '  %-34s %10s%-4s target %s %s%s: %s\n' "$name" "$v" "$unit" \
	    "$op" "$target" "$unit" "$verdict"
	printf '%s\t%s\t%s%s\t%s %s%s\t%s\n' "$SCRIPT" "$name" "$v" "$unit" \
	    "$op" "$target" "$unit" "$verdict" >>"$SUMMARY"
}

# ratio CASE A B [OP TARGET]: record MIBS[A] / MIBS[B]
ratio() {
	local name=$1 a=$2 b=$3
	shift 3
	record "$name" "$(calc "${MIBS[$a]} / ${MIBS[$b]}")" x "$@"
}
