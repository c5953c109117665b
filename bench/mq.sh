#!/bin/bash
# ipc-mq against raw C (bench/mq_raw.c, bench/msg_raw.c), measured side
# by side in the same run:
#  (a) streaming: the lines of seq N through a POSIX queue, one message
#      each, ipc-mq send -l into ipc-mq recv -c N, against a raw
#      mq_send loop into a raw mq_receive loop (both write the same
#      bytes); in a queue of 10 messages (msg_max here) and, where
#      /proc/sys/fs/mqueue/msg_max may be raised (it is put back at
#      exit), of 1000; then the same through a System V queue (default
#      qbytes), send -S -l into recv -S -c N against raw msgsnd and
#      msgrcv loops
#  (b) memory: maximum RSS of recv -c for few and for N messages
#  (c) start-up: one ipc-mq send Q msg against a bare C program that
#      opens the queue and sends one message (mq_raw one); the same for
#      a System V queue (msg_raw one); ipc-mq create -S private against
#      util-linux ipcmk -Q, each in an IPC namespace of its own
# Throughput ratios are ours over raw's (higher is better), start-up
# and memory ours over the reference's (lower is better). Ratios, never
# pass/fail. Knobs (environment): BENCH_MQ_MSGS (200000),
# BENCH_MQ_ROUNDS (5), BENCH_SPAWNS (runs per program, 1000).
# (Unix datagrams, the third kind of message, are in sock.sh.)
. "$(dirname "$0")/common.bash"

M=$BIN/ipc-mq
RAW=$REF/mq_raw
N=${BENCH_MQ_MSGS:-200000}
ROUNDS=${BENCH_MQ_ROUNDS:-5}
SPAWNS=${BENCH_SPAWNS:-1000}
Q=ipc-bench-$$
MSG_MAX=/proc/sys/fs/mqueue/msg_max
OLD_MAX=

# bench/run.sh builds every bench/*.c; run alone, build what is missing
mkdir -p "$REF"
for c in mq_raw msg_raw spawn; do
	if [ ! -x "$REF/$c" ] || [ "bench/$c.c" -nt "$REF/$c" ]; then
		${CC:-cc} -D_GNU_SOURCE -std=c11 -O2 -Wall -Wextra -Werror \
		    -o "$REF/$c" "bench/$c.c" -lrt || die "cannot build $c"
	fi
done
need "$M" "$RAW" "$REF/msg_raw" "$REF/spawn"
SVRAW=$REF/msg_raw
SVID=

mq_cleanup() {
	"$M" rm -f "$Q" 2>/dev/null
	[ -z "$SVID" ] || "$M" rm -S -f "id:$SVID" 2>/dev/null
	[ -z "$OLD_MAX" ] || echo "$OLD_MAX" >"$MSG_MAX"
}
trap 'mq_cleanup; on_exit' EXIT

# a fresh queue of $1 messages of at most 64 bytes
queue() {
	"$M" rm -f "$Q"
	"$M" create -M "$1" -s 64 "$Q" || die "cannot create a queue of $1"
}

LINES=$TMP/lines
seq "$N" >"$LINES"
BYTES=$(wc -c <"$LINES")
echo "ipc-mq: $(uname -sr), $(nproc) CPUs, msg_max $(cat "$MSG_MAX")," \
    "$N messages"

w_ipc() { exec "$M" send -l "$Q" <"$LINES"; }
r_ipc() { exec "$M" recv -c "$N" "$Q"; }
w_raw() { exec "$RAW" send "/$Q" "$N"; }
r_raw() { exec "$RAW" recv "/$Q" "$N"; }

# stream DEPTH: (a) in a queue of DEPTH messages
stream() {
	queue "$1"
	peers "(a) $N messages (seq $N, one a line) through a queue of $1; median of $ROUNDS rounds" \
	    "$BYTES" "$ROUNDS" \
	    "raw mq_send, mq_receive loops:w_raw:r_raw" \
	    "ipc-mq send -l, recv -c:w_ipc:r_ipc"
	printf '  %-34s %10.0f %10.0f\n' "messages/s" \
	    "$(calc "${MIBS[raw mq_send, mq_receive loops]} * 1048576 / $BYTES * $N")" \
	    "$(calc "${MIBS[ipc-mq send -l, recv -c]} * 1048576 / $BYTES * $N")"
	ratio "messages/s, queue of $1, ipc-mq / raw" \
	    "ipc-mq send -l, recv -c" "raw mq_send, mq_receive loops" ">=" 0.9
}

stream "$(cat "$MSG_MAX")"
if [ "$(cat "$MSG_MAX")" -lt 1000 ] && OLD_MAX=$(cat "$MSG_MAX") &&
    echo 1000 2>/dev/null >"$MSG_MAX"; then
	stream 1000
else
	OLD_MAX=
	note "(a) with 1000 messages skipped: cannot raise $MSG_MAX"
fi

w_sv() { exec "$M" send -S -l "id:$SVID" <"$LINES"; }
r_sv() { exec "$M" recv -S -c "$N" "id:$SVID"; }
w_svraw() { exec "$SVRAW" send "$SVID" "$N"; }
r_svraw() { exec "$SVRAW" recv "$SVID" "$N"; }
SVID=$("$M" create -S private) || die "cannot create a System V queue"
peers "(a) $N messages through a System V queue ($("$M" stat -S -o qbytes "id:$SVID" | sed 's/.*=//') bytes); median of $ROUNDS rounds" \
    "$BYTES" "$ROUNDS" \
    "raw msgsnd, msgrcv loops:w_svraw:r_svraw" \
    "ipc-mq send -S -l, recv -S -c:w_sv:r_sv"
ratio "messages/s, System V queue, ipc-mq / raw" \
    "ipc-mq send -S -l, recv -S -c" "raw msgsnd, msgrcv loops" ">=" 0.9

# (b) memory: GNU time's %M, the maximum RSS in KiB
TIME=/usr/bin/time
m_recv() { exec "$TIME" -f %M -o "$TMP/rss" "$M" recv -c "$COUNT" "$Q"; }
w_some() { exec "$RAW" send "/$Q" "$COUNT"; }
echo
if ! "$TIME" --version 2>&1 | grep -q GNU; then
	note "(b) memory skipped: needs GNU time as $TIME" \
	    "(Debian: apt-get install time)"
else
	queue "$(cat "$MSG_MAX")"
	COUNT=10
	pair w_some m_recv
	small=$(tail -n 1 "$TMP/rss")
	COUNT=$N
	pair w_some m_recv
	large=$(tail -n 1 "$TMP/rss")
	echo "(b) memory: maximum RSS of ipc-mq recv -c, in KiB"
	printf '  %-34s %10s\n' "10 messages" "$small" "$N messages" "$large"
	record "recv max RSS, $N messages" "$large" " KiB" "<" 2048
	DIR=memory record "recv RSS, $N / 10 messages" \
	    "$(calc "$large / $small")" x "<=" 1.1
fi

# (c) start-up: one process after another, posix_spawn'd by
# bench/spawn.c, in rounds as long as the queue has room for, drained
# after each
per=$(cat "$MSG_MAX")
[ "$per" -le 250 ] || per=250
queue "$per"
rounds=$(((SPAWNS + per - 1) / per))
drain() {
	"$M" recv -f -t 0 "$Q" >/dev/null || die "cannot drain $Q"
}
sv_drain() {
	"$M" recv -S -f -t 0 "id:$SVID" >/dev/null || die "cannot drain $SVID"
}
s_raw() { "$REF/spawn" "$1" "$RAW" one "/$Q" hello; drain; }
s_ipc() { "$REF/spawn" "$1" "$M" send "$Q" hello; drain; }
s_svraw() { "$REF/spawn" "$1" "$SVRAW" one "$SVID" hello; sv_drain; }
s_sv() { "$REF/spawn" "$1" "$M" send -S "id:$SVID" hello; sv_drain; }
spawns "(c) start-up, one message sent" "$rounds" "$per" \
    "bare C (mq_open, mq_send; mq_raw one):s_raw" "ipc-mq send Q msg:s_ipc" \
    "bare C (msgsnd; msg_raw one):s_svraw" "ipc-mq send -S KEY msg:s_sv"
tratio "start-up ipc-mq send / bare C" "ipc-mq send Q msg" \
    "bare C (mq_open, mq_send; mq_raw one)" "<=" 1.1
tratio "start-up ipc-mq send -S / bare C" "ipc-mq send -S KEY msg" \
    "bare C (msgsnd; msg_raw one)" "<=" 1.1

# ipcmk: each in an IPC namespace of its own, which takes every queue
# made in it when it ends
s_mk() { unshare --ipc "$REF/spawn" "$1" "$IPCMK" -Q; }
s_create() { unshare --ipc "$REF/spawn" "$1" "$M" create -S private; }
if ! IPCMK=$(command -v ipcmk); then
	note "ipcmk is not installed: that comparison skipped (Debian: util-linux)"
elif ! unshare --ipc true 2>/dev/null; then
	note "ipcmk comparison skipped: unshare --ipc is not allowed here"
else
	spawns "(c) start-up, one System V queue made" 5 \
	    $(((SPAWNS + 4) / 5)) "ipcmk -Q:s_mk" \
	    "ipc-mq create -S private:s_create"
	tratio "ipc-mq create -S / ipcmk -Q" "ipc-mq create -S private" \
	    "ipcmk -Q" "<=" 1.0
fi
