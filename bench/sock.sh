#!/bin/bash
# ipc-sock against its peers, measured side by side in the same run:
#  (a) stream: a large stream over a Unix stream socket, a pipe on both
#      ends (producer | sender, receiver | consumer), ipc-sock send and
#      recv against socat and against the raw splice loop
#      (bench/sock_raw.c); the producer splices the data file into its
#      pipe and the consumer splices its pipe into /dev/null
#      (bench/splice.c), the same for every peer and next to free, as
#      the row with no socket at all shows
#  (b) datagrams: lines of 64 bytes, one datagram each, ipc-sock send
#      --type dgram -l into recv --type dgram -c N, against a raw send(2)
#      loop into a raw recv(2) loop (bench/dgram_raw.c); both receivers
#      write each message and a newline
#  (connections a second: bench/conn.sh)
#  (d) memory: maximum RSS of send and of recv on a 1 MiB and a large
#      stream, the other end the raw splice loop
# Throughput ratios are ipc-sock's over the peer's (higher is better).
# Ratios, never pass/fail. Knobs (environment): BENCH_MB (stream size,
# 1024), BENCH_ROUNDS (7), BENCH_DGRAMS (200000), BENCH_DGRAM_ROUNDS (5).
# shellcheck source-path=SCRIPTDIR source=common.bash
. "$(dirname "$0")/common.bash" || exit 1

K=$BIN/ipc-sock
SPLICE=$REF/splice
RAW=$REF/sock_raw
DRAW=$REF/dgram_raw
CLIENT=$REF/conn_client
MB=${BENCH_MB:-1024}
ROUNDS=${BENCH_ROUNDS:-7}
NDGRAMS=${BENCH_DGRAMS:-200000}
DROUNDS=${BENCH_DGRAM_ROUNDS:-5}

# bench/run.sh builds every bench/*.c; run alone, build what is missing
mkdir -p "$REF"
for c in splice sock_raw dgram_raw conn_client nop; do
	if [ ! -x "$REF/$c" ] || [ "bench/$c.c" -nt "$REF/$c" ]; then
		${CC:-cc} -D_GNU_SOURCE -std=c11 -O2 -Wall -Wextra -Werror \
		    -o "$REF/$c" "bench/$c.c" -lrt || die "cannot build $c"
	fi
done
need "$K" "$SPLICE" "$RAW" "$DRAW" "$CLIENT" "$REF/nop"
SOCAT=$(command -v socat) || die "socat is missing (Debian: apt-get install socat)"

# socket names of their own: /proc/net/unix may name a socket by its
# last component only (see listening in common.bash)
SOCK=$TMP/ipc-bench-$$-stream.sock
DSOCK=$TMP/ipc-bench-$$-dgram.sock
FIFO=$TMP/fifo
mkfifo "$FIFO" || die "mkfifo $FIFO"

# the data: on tmpfs where it fits in free space and memory, else in
# bench/out (read back from the page cache)
mem=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
[ "${mem:-0}" -ge $(((MB + 512) * 1024)) ] ||
    die "$MB MiB stream: only ${mem:-?} KiB of memory available (BENCH_MB)"
if [ "$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')" -ge \
    $(((MB + 64) * 1024)) ] 2>/dev/null; then
	DATA=/dev/shm/ipc-bench-sock.$$
else
	DATA=$ROOT/bench/out/data-sock.$$
fi
clean "$DATA"
BYTES=$((MB * 1048576))
yes 'ipc-tools bench: one stream over a Unix socket, the same for every peer' \
    2>/dev/null | head -c "$BYTES" >"$DATA" || die "cannot write $DATA"
case $DATA in /dev/shm/*) ;; *) sync "$DATA" ;; esac
SMALL=$TMP/small
head -c 1048576 "$DATA" >"$SMALL"

echo "ipc-sock: $(uname -sr), $(nproc) CPUs, pipe-max-size" \
    "$(cat /proc/sys/fs/pipe-max-size), wmem_default" \
    "$(cat /proc/sys/net/core/wmem_default), $($SOCAT -V 2>/dev/null |
    awk '/socat version/ { print "socat " $3; exit }'), stream $MB MiB" \
    "in ${DATA%/*}"

# (a) the peers: the writer waits until the reader listens; the reader
# leaves no socket file behind for the next round's writer to find
SRC=$DATA
produce() { "$SPLICE" -w /dev/stdout <"$SRC"; }
consume() { "$SPLICE" /dev/stdin; }
# reader CMD...: CMD | consume, and the socket file gone after it
reader() {
	local s
	set -o pipefail
	"$@" | consume
	s=$?
	rm -f "$SOCK"
	return "$s"
}
w_ipc() { listening "$SOCK"; set -o pipefail; produce | "$K" send "$SOCK"; }
r_ipc() { reader "$K" recv "$SOCK"; }
w_raw() { listening "$SOCK"; set -o pipefail; produce | "$RAW" send "$SOCK"; }
r_raw() { reader "$RAW" recv "$SOCK"; }
w_socat() {
	listening "$SOCK"
	set -o pipefail
	produce | "$SOCAT" -u STDIN "UNIX-CONNECT:$SOCK"
}
r_socat() { reader "$SOCAT" -u "UNIX-LISTEN:$SOCK" STDOUT; }
w_fifo() { exec "$SPLICE" -w "$FIFO" <"$SRC"; }
r_fifo() { exec "$SPLICE" "$FIFO"; }

peers "(a) stream: $MB MiB over a Unix stream socket, a pipe on both ends; median of $ROUNDS rounds" \
    "$BYTES" "$ROUNDS" \
    "no socket, producer into consumer:w_fifo:r_fifo" \
    "socat -u:w_socat:r_socat" \
    "raw splice loop, both sides:w_raw:r_raw" \
    "ipc-sock send, ipc-sock recv:w_ipc:r_ipc"
ratio "stream ipc-sock / socat" "ipc-sock send, ipc-sock recv" \
    "socat -u" ">=" 20
ratio "stream ipc-sock / raw splice" "ipc-sock send, ipc-sock recv" \
    "raw splice loop, both sides" ">=" 0.9
ratio "stream raw splice / socat" "raw splice loop, both sides" "socat -u"

# (b) datagrams: NDGRAMS lines of 64 bytes, and a newline each
LINES=$TMP/lines
awk -v n="$NDGRAMS" 'BEGIN { for (i = 1; i <= n; i++) printf "%064d\n", i }' \
    >"$LINES" || die "cannot write $LINES"
LBYTES=$(wc -c <"$LINES")
dreader() {
	local s
	"$@"
	s=$?
	rm -f "$DSOCK"
	return "$s"
}
w_ipc_d() { listening "$DSOCK"; exec "$K" send --type dgram -l "$DSOCK" <"$LINES"; }
r_ipc_d() { dreader "$K" recv --type dgram -c "$NDGRAMS" "$DSOCK"; }
w_raw_d() { listening "$DSOCK"; exec "$DRAW" send "$DSOCK" <"$LINES"; }
r_raw_d() { dreader "$DRAW" recv "$DSOCK" "$NDGRAMS"; }

peers "(b) datagrams: $NDGRAMS of 64 bytes over a Unix datagram socket (max_dgram_qlen $(cat /proc/sys/net/unix/max_dgram_qlen)), each received written with a newline; median of $DROUNDS rounds" \
    "$LBYTES" "$DROUNDS" \
    "raw send, recv loops:w_raw_d:r_raw_d" \
    "ipc-sock send -l, recv -c:w_ipc_d:r_ipc_d"
printf '  %-34s %10.0f %10.0f\n' "messages/s" \
    "$(calc "${MIBS[raw send, recv loops]} * 1048576 / $LBYTES * $NDGRAMS")" \
    "$(calc "${MIBS[ipc-sock send -l, recv -c]} * 1048576 / $LBYTES * $NDGRAMS")"
ratio "datagrams/s ipc-sock / raw" "ipc-sock send -l, recv -c" \
    "raw send, recv loops" ">=" 0.9

# (d) memory: GNU time's %M, the maximum RSS in KiB
TIME=/usr/bin/time
m_send() {
	listening "$SOCK"
	set -o pipefail
	produce | "$TIME" -f %M -o "$TMP/rss" "$K" send "$SOCK"
}
m_recv() { reader "$TIME" -f %M -o "$TMP/rss" "$K" recv "$SOCK"; }
m_nop() { exec "$TIME" -f %M -o "$TMP/rss" "$REF/nop"; }
w_nop() { :; }

# rss_row LABEL WRITER READER: one row, the 1 MiB and the large stream;
# sets RSS_S, RSS_L
rss_row() {
	SRC=$SMALL
	rss "$2" "$3"
	RSS_S=$RSS
	SRC=$DATA
	rss "$2" "$3"
	RSS_L=$RSS
	printf '  %-34s %10s %10s %10s\n' "$1" "$RSS_S" "$RSS_L" \
	    "$((RSS_L - RSS_S))"
}

echo
if ! gnu_time; then
	note "(d) memory skipped: needs GNU time as $TIME" \
	    "(Debian: apt-get install time)"
else
	echo "(d) memory: maximum RSS in KiB (median of 3), a 1 MiB and a" \
	    "$MB MiB stream; the other end the raw splice loop"
	printf '  %-34s %10s %10s %10s\n' program "1 MiB" "$MB MiB" growth
	rss_row "bare C program (the floor)" w_nop m_nop
	rss_row "ipc-sock send" m_send r_raw
	record "send max RSS, $MB MiB stream" "$RSS_L" " KiB" "<=" 2048
	record "send RSS growth, 1 MiB to $MB MiB" "$((RSS_L - RSS_S))" \
	    " KiB" "<=" 256
	rss_row "ipc-sock recv" w_raw m_recv
	record "recv max RSS, $MB MiB stream" "$RSS_L" " KiB" "<=" 2048
	record "recv RSS growth, 1 MiB to $MB MiB" "$((RSS_L - RSS_S))" \
	    " KiB" "<=" 256
fi
