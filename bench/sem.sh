#!/bin/bash
# ipc-sem against its references, measured side by side in the same run:
#  (a) start-up: one ipc-sem post NAME against a bare C program that
#      opens the semaphore and posts it (bench/sem_raw.c)
#  (b) a lock around a command: ipc-sem run NAME -- true against
#      flock LOCKFILE true, and against GNU parallel's sem where it is
#      installed
# Each program runs one after another, posix_spawn'd by bench/spawn.c,
# in interleaved rounds; ratios of the median round, never pass/fail.
# Knobs (environment): BENCH_SPAWNS (runs per program, 1000),
# BENCH_SEM_ROUNDS (5), BENCH_PARALLEL_RUNS (runs of GNU sem, 20).
. "$(dirname "$0")/common.bash"

S=$BIN/ipc-sem
RAW=$REF/sem_raw
SPAWNS=${BENCH_SPAWNS:-1000}
ROUNDS=${BENCH_SEM_ROUNDS:-5}
NAME=ipc-bench-$$
LOCK=$TMP/lock

# bench/run.sh builds every bench/*.c; run alone, build what is missing
mkdir -p "$REF"
for c in sem_raw spawn; do
	if [ ! -x "$REF/$c" ] || [ "bench/$c.c" -nt "$REF/$c" ]; then
		${CC:-cc} -D_GNU_SOURCE -std=c11 -O2 -Wall -Wextra -Werror \
		    -o "$REF/$c" "bench/$c.c" -lrt || die "cannot build $c"
	fi
done
need "$S" "$RAW" "$REF/spawn"
FLOCK=$(command -v flock) || die "flock(1) is missing (util-linux)"
TRUE=$(type -P true) || die "no true(1) on PATH"

trap '"$S" rm -f "$NAME" 2>/dev/null; on_exit' EXIT
"$S" rm -f "$NAME"
"$S" create -i 1 "$NAME" || die "cannot create $NAME"
: >"$LOCK"

per=$(((SPAWNS + ROUNDS - 1) / ROUNDS))
echo "ipc-sem: $(uname -sr), $(nproc) CPUs; microseconds per run," \
    "$((per * ROUNDS)) runs each in $ROUNDS interleaved rounds, median round"

declare -A us=() med=()
spawn() {
	"$REF/spawn" "$per" "$@" || die "spawn $*"
}
for ((i = 0; i < ROUNDS; i++)); do
	us[raw]+=" $(spawn "$RAW" "/$NAME")"
	us[post]+=" $(spawn "$S" post "$NAME")"
	us[flock]+=" $(spawn "$FLOCK" "$LOCK" "$TRUE")"
	us[run]+=" $(spawn "$S" run "$NAME" -- "$TRUE")"
done
# shellcheck disable=SC2086 # lists of numbers, split on purpose
for k in raw post flock run; do
	med[$k]=$(median ${us[$k]})
done

echo
echo "(a) start-up"
printf '  %-40s %10s\n' program "us/run" \
    "bare C: sem_open, sem_post (sem_raw)" "${med[raw]}" \
    "ipc-sem post NAME" "${med[post]}"
record "start-up ipc-sem post / bare C" "$(calc "${med[post]} / ${med[raw]}")" x "<=" 1.1

echo
echo "(b) a lock around true"
printf '  %-40s %10s\n' program "us/run" \
    "flock LOCKFILE true" "${med[flock]}" \
    "ipc-sem run NAME -- true" "${med[run]}"
record "ipc-sem run / flock" "$(calc "${med[run]} / ${med[flock]}")" x "<=" 1.0

# GNU parallel's sem: a Perl start-up each time, so far fewer runs
if PSEM=$(command -v sem) && "$PSEM" --version 2>/dev/null | grep -q 'GNU parallel'; then
	n=${BENCH_PARALLEL_RUNS:-20}
	t0=${EPOCHREALTIME/./}
	for ((i = 0; i < n; i++)); do
		"$PSEM" --id "ipc-bench-$$" --fg "$TRUE" </dev/null >/dev/null 2>&1 ||
		    die "GNU sem failed"
	done
	psem=$(((${EPOCHREALTIME/./} - t0) / n))
	printf '  %-40s %10s\n' "GNU parallel: sem --fg true" "$psem"
	record "GNU sem / ipc-sem run" "$(calc "$psem / ${med[run]}")" x ">=" 20
else
	note "GNU parallel's sem is not installed: that comparison skipped"
fi
