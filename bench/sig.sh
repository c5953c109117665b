#!/bin/bash
# ipc-sig send against a bare C program making the same calls
# (bench/sig_raw.c: pidfd_open, pidfd_send_signal) and against the
# system's kill(1), measured side by side in the same run: one
# `ipc-sig send 0 PID` against one `sig_raw 0 PID` and one `kill -0 PID`,
# each posix_spawn'd by bench/spawn.c one after another, in interleaved
# rounds. Time ratios (ours over theirs, lower is better), never
# pass/fail; then (b) a signal's round trip, below. Knobs (environment):
# BENCH_SPAWNS (runs per program, 1000),
# BENCH_SIG_ROUNDS (5).
# shellcheck source-path=SCRIPTDIR source=common.bash
. "$(dirname "$0")/common.bash" || exit 1

S=$BIN/ipc-sig
KILL=
for k in /usr/bin/kill /bin/kill; do
	[ -x "$k" ] && { KILL=$k; break; }
done
SPAWNS=${BENCH_SPAWNS:-1000}
ROUNDS=${BENCH_SIG_ROUNDS:-5}

# bench/run.sh builds every bench/*.c; run alone, build what is missing
mkdir -p "$REF"
for c in spawn sig_raw; do
	if [ ! -x "$REF/$c" ] || [ "bench/$c.c" -nt "$REF/$c" ]; then
		${CC:-cc} -D_GNU_SOURCE -std=c11 -O2 -Wall -Wextra -Werror \
		    -o "$REF/$c" "bench/$c.c" || die "cannot build $c"
	fi
done
need "$S" "$REF/sig_raw" "$REF/spawn"

sleep 600 &
T=$!
echo "ipc-sig: $(uname -sr), $(nproc) CPUs${KILL:+; $KILL is $("$KILL" -V 2>&1 | head -n 1)}"
s_raw() { "$REF/spawn" "$1" "$REF/sig_raw" 0 "$T"; }
s_ipc() { "$REF/spawn" "$1" "$S" send 0 "$T"; }
s_kill() { "$REF/spawn" "$1" "$KILL" -0 "$T"; }
progs=("bare C (pidfd_open, pidfd_send_signal):s_raw" "ipc-sig send 0 PID:s_ipc")
if [ -n "$KILL" ]; then
	progs+=("kill -0 PID:s_kill")
else
	note "no kill(1) in /usr/bin or /bin: that row skipped (Debian: procps)"
fi
spawns "start-up" "$ROUNDS" $(((SPAWNS + ROUNDS - 1) / ROUNDS)) "${progs[@]}"
tratio "ipc-sig send 0 / bare C" "ipc-sig send 0 PID" \
    "bare C (pidfd_open, pidfd_send_signal)" "<=" 1.1
[ -z "$KILL" ] ||
    tratio "ipc-sig send 0 / kill -0" "ipc-sig send 0 PID" "kill -0 PID" "<=" 1.0

# (b) a round trip: a sender started, its signal taken and printed by a
# receiver that keeps running, the line read back; ipc-sig send -q and
# recv -f against a bare C sigqueue(3) and sigtimedwait(2) pair
# (bench/sig_pair.c), driven the same way by bench/sig_rt.c
for c in sig_rt sig_pair; do
	if [ ! -x "$REF/$c" ] || [ "bench/$c.c" -nt "$REF/$c" ]; then
		${CC:-cc} -D_GNU_SOURCE -std=c11 -O2 -Wall -Wextra -Werror \
		    -o "$REF/$c" "bench/$c.c" || die "cannot build $c"
	fi
done
RT=$(kill -l RTMIN)
mkfifo "$TMP/rt_ipc" "$TMP/rt_raw" || die "mkfifo"
"$S" recv -f -P "$TMP/pf_ipc" RTMIN >"$TMP/rt_ipc" &
RI=$!
"$REF/sig_pair" recv "$TMP/pf_raw" "$RT" >"$TMP/rt_raw" &
RR=$!
exec 7<"$TMP/rt_ipc" 8<"$TMP/rt_raw"
for f in "$TMP/pf_ipc" "$TMP/pf_raw"; do
	for ((i = 0; i < 500; i++)); do
		[ -s "$f" ] && break
		sleep 0.01
	done
	[ -s "$f" ] || die "no receiver wrote $f"
done
PI=$(<"$TMP/pf_ipc")
PR=$(<"$TMP/pf_raw")
r_raw() { "$REF/sig_rt" "$1" 8 "$REF/sig_pair" send "$RT" "$PR"; }
r_ipc() { "$REF/sig_rt" "$1" 7 "$S" send -q 1 RTMIN "$PI"; }
spawns "round trip" "$ROUNDS" $(((SPAWNS + ROUNDS - 1) / ROUNDS)) \
    "bare C sigqueue, sigtimedwait:r_raw" "ipc-sig send -q, recv -f:r_ipc"
tratio "round trip ipc-sig / bare C" "ipc-sig send -q, recv -f" \
    "bare C sigqueue, sigtimedwait" "<=" 1.25
# the receivers end by our signal: their status is not the script's
kill "$RI" "$RR" 2>/dev/null
exec 7<&- 8<&-
wait "$RI" "$RR" 2>/dev/null || :
