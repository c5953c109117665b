#!/bin/bash
# ls under load: ipc-pipe ls, ipc-shm ls and ipc-mq ls while BENCH_PROCS
# (1000) extra processes each hold a pipe and a socket pair
# (bench/holdfds.c), each command run BENCH_ROUNDS (5) times in turn; the
# median time of each is printed. With BENCH_BASE (a directory of other
# builds of the commands, an older tree's bin/, say), those run in the
# same rounds beside ours and each row is a ratio, ours over the base's
# (lower is better). The load ends with the script, or after
# BENCH_TIMEOUT (300) seconds at the latest.
# shellcheck source-path=SCRIPTDIR source=common.bash
. "$(dirname "$0")/common.bash" || exit 1

PROCS=${BENCH_PROCS:-1000}
ROUNDS=${BENCH_ROUNDS:-5}
BASE=${BENCH_BASE:-}

need "$BIN/ipc-pipe" "$BIN/ipc-shm" "$BIN/ipc-mq"
hold_load "$PROCS"

# seconds one run of "$@" takes, its output dropped
once() {
	local t0=$EPOCHREALTIME
	"$@" >/dev/null 2>&1
	calc "$EPOCHREALTIME - $t0"
}

echo "ls under $PROCS processes holding a pipe and a socket pair each" \
    "(median of $ROUNDS)"
for cmd in "ipc-pipe ls" "ipc-shm ls" "ipc-mq ls"; do
	ours=() base=()
	for r in $(seq "$ROUNDS"); do
		# whichever runs first in a round is slower (/proc's dentries
		# made again): the base first in every other round
		# shellcheck disable=SC2086 # the command and its verb
		[ -z "$BASE" ] || [ $((r % 2)) = 1 ] ||
		    base+=("$(once "$BASE"/$cmd)")
		# shellcheck disable=SC2086
		ours+=("$(once "$BIN"/$cmd)")
		# shellcheck disable=SC2086
		[ -z "$BASE" ] || [ $((r % 2)) = 0 ] ||
		    base+=("$(once "$BASE"/$cmd)")
	done
	m=$(median "${ours[@]}")
	if [ -z "$BASE" ]; then
		DIR='time' record "$cmd" "$m" s
	else
		b=$(median "${base[@]}")
		printf '  %-12s %ss, base %ss\n' "$cmd" "$m" "$b"
		DIR='time' record "$cmd, over base" "$(calc "$m / $b")" x
	fi
done
# the load gone before we say we are done
hold_unload
