#!/bin/bash
# ipc-sig against the system's kill(1), measured side by side in the
# same run: one `ipc-sig send 0 PID` against one `kill -0 PID`, each
# posix_spawn'd by bench/spawn.c one after another, in interleaved
# rounds. Ratios, never pass/fail. Knobs (environment): BENCH_SPAWNS
# (runs per program, 1000), BENCH_SIG_ROUNDS (5).
. "$(dirname "$0")/common.bash"

S=$BIN/ipc-sig
KILL=
for k in /usr/bin/kill /bin/kill; do
	[ -x "$k" ] && { KILL=$k; break; }
done
SPAWNS=${BENCH_SPAWNS:-1000}
ROUNDS=${BENCH_SIG_ROUNDS:-5}

mkdir -p "$REF"
if [ ! -x "$REF/spawn" ] || [ bench/spawn.c -nt "$REF/spawn" ]; then
	${CC:-cc} -D_GNU_SOURCE -std=c11 -O2 -Wall -Wextra -Werror \
	    -o "$REF/spawn" bench/spawn.c || die "cannot build spawn"
fi
need "$S" "$KILL" "$REF/spawn"

sleep 600 &
T=$!
per=$(((SPAWNS + ROUNDS - 1) / ROUNDS))
echo "ipc-sig: $(uname -sr), $(nproc) CPUs; $KILL is $("$KILL" -V 2>&1 | head -n 1)"
echo "start-up: microseconds per run, $((per * ROUNDS)) runs each in" \
    "$ROUNDS interleaved rounds, median round"
declare -A us=()
for ((i = 0; i < ROUNDS; i++)); do
	us[kill]+=" $("$REF/spawn" "$per" "$KILL" -0 "$T")" || die "spawn kill"
	us[ipc]+=" $("$REF/spawn" "$per" "$S" send 0 "$T")" ||
	    die "spawn ipc-sig send"
done
# shellcheck disable=SC2086 # lists of numbers, split on purpose
{
	KUS=$(median ${us[kill]})
	IUS=$(median ${us[ipc]})
}
printf '  %-34s %10s\n' program "us/run" \
    "kill -0 PID" "$KUS" \
    "ipc-sig send 0 PID" "$IUS"
record "ipc-sig send 0 / kill -0" "$(calc "$IUS / $KUS")" x "<=" 1.1
