#!/bin/bash
# ipc-sem against its references, measured side by side in the same run:
#  (a) start-up: one ipc-sem post NAME against a bare C program that
#      opens the semaphore and posts it (bench/sem_raw.c), in batches:
#      the ratio is the median of the batches' ratios, their spread
#      (lowest and highest) beside it
#  (b) a lock around a command: ipc-sem run NAME -- true against
#      flock LOCKFILE true, and (c) against GNU parallel's sem where it
#      is installed
#  (d) making a System V set: ipc-sem create -S private against
#      ipcmk -S 1, each in an IPC namespace of its own (unshare --ipc)
# Each program runs one after another, posix_spawn'd by bench/spawn.c,
# in interleaved rounds; time ratios (ours over theirs, lower is better)
# of the median round, never pass/fail.
# Knobs (environment): BENCH_SPAWNS (runs per program, 1000; in (a), runs
# a batch), BENCH_SEM_BATCHES (batches of (a), 5), BENCH_SEM_ROUNDS (9),
# BENCH_PARALLEL_RUNS (runs of GNU sem, 20).
. "$(dirname "$0")/common.bash"

S=$BIN/ipc-sem
RAW=$REF/sem_raw
SPAWNS=${BENCH_SPAWNS:-1000}
ROUNDS=${BENCH_SEM_ROUNDS:-9}
BATCHES=${BENCH_SEM_BATCHES:-5}
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
echo "ipc-sem: $(uname -sr), $(nproc) CPUs"

s_raw() { "$REF/spawn" "$1" "$RAW" "/$NAME"; }
s_post() { "$REF/spawn" "$1" "$S" post "$NAME"; }
s_flock() { "$REF/spawn" "$1" "$FLOCK" "$LOCK" "$TRUE"; }
s_run() { "$REF/spawn" "$1" "$S" run "$NAME" -- "$TRUE"; }
spawns "(a) start-up" "$BATCHES" "$SPAWNS" \
    "bare C (sem_open, sem_post; sem_raw):s_raw" "ipc-sem post NAME:s_post"
tspread "start-up ipc-sem post / bare C" "ipc-sem post NAME" \
    "bare C (sem_open, sem_post; sem_raw)" "<=" 1.1
spawns "(b) a lock around true" "$ROUNDS" "$per" \
    "flock LOCKFILE true:s_flock" "ipc-sem run NAME -- true:s_run"
tratio "ipc-sem run / flock" "ipc-sem run NAME -- true" \
    "flock LOCKFILE true" "<=" 1.0

# GNU parallel's sem: a Perl start-up each time, so far fewer runs
s_psem() { "$REF/spawn" "$1" "$PSEM" --id "ipc-bench-$$" --fg "$TRUE"; }
if PSEM=$(command -v sem) && "$PSEM" --version 2>/dev/null | grep -q 'GNU parallel'; then
	n=${BENCH_PARALLEL_RUNS:-20}
	spawns "(c) a lock around true, against GNU parallel's sem" 3 \
	    $(((n + 2) / 3)) "sem --fg true (GNU parallel):s_psem" \
	    "ipc-sem run NAME -- true:s_run"
	tratio "ipc-sem run / GNU sem" "ipc-sem run NAME -- true" \
	    "sem --fg true (GNU parallel)" "<=" 1.0
else
	note "GNU parallel's sem is not installed: that comparison skipped" \
	    "(Debian: apt-get install parallel)"
fi

# (d) making a System V set, against util-linux ipcmk; each in an IPC
# namespace of its own, which takes every set made with it when it ends
s_mk() { unshare --ipc "$REF/spawn" "$1" "$IPCMK" -S 1; }
s_create() { unshare --ipc "$REF/spawn" "$1" "$S" create -S private; }
if ! IPCMK=$(command -v ipcmk); then
	note "ipcmk is not installed: that comparison skipped (Debian: util-linux)"
elif ! unshare --ipc true 2>/dev/null; then
	note "ipcmk comparison skipped: unshare --ipc is not allowed here"
else
	spawns "(d) one System V set made" "$ROUNDS" "$per" \
	    "ipcmk -S 1:s_mk" "ipc-sem create -S private:s_create"
	tratio "ipc-sem create -S / ipcmk -S" "ipc-sem create -S private" \
	    "ipcmk -S 1" "<=" 1.0
fi
