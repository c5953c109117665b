#!/bin/bash
# ipc-sock against its peers, measured side by side in the same run:
#  (a) stream: a large stream over a Unix stream socket, ipc-sock send
#      and recv against the raw splice loop (bench/sock_raw.c: straight
#      where a pipe is on its side, else through a 1 MiB pipe of its
#      own), in three set-ups: a pipe on both ends (producer | sender,
#      receiver | consumer: the producer splices the data file into its
#      pipe and the consumer splices its pipe into /dev/null,
#      bench/splice.c, the same for every peer and next to free, as the
#      row with no socket at all shows); a file on tmpfs into a file on
#      tmpfs (send < file, recv > file, emptied before each round,
#      untimed); a file into /dev/null. socat -u, some 20x slower, in a
#      table of its own per set-up beside ipc-sock, on a smaller stream
#      and fewer rounds (BENCH_SOCAT_MB, 256; BENCH_SOCAT_ROUNDS, 3), so
#      that the script keeps inside its time bound; then file -> file
#      on a BENCH_BIG_MB stream (4096; 0: none), raw against ipc-sock,
#      where ipc-sock's read(2)/write(2) once fell behind the data
#  (b) datagrams: lines of 64 bytes, one datagram each, ipc-sock send
#      --type dgram -l into recv --type dgram -c N, against a raw send(2)
#      loop into a raw recv(2) loop (bench/dgram_raw.c); both receivers
#      write each message and a newline
#  (connections a second: bench/conn.sh)
#  (c) memory: maximum RSS of send and of recv on a 1 MiB and a large
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
MB=${BENCH_MB:-1024}
ROUNDS=${BENCH_ROUNDS:-7}
SOCAT_MB=${BENCH_SOCAT_MB:-256}
SOCAT_ROUNDS=${BENCH_SOCAT_ROUNDS:-3}
BIG_MB=${BENCH_BIG_MB:-4096}
BIG_ROUNDS=${BENCH_BIG_ROUNDS:-3}
NDGRAMS=${BENCH_DGRAMS:-200000}
DROUNDS=${BENCH_DGRAM_ROUNDS:-5}

# bench/run.sh builds every bench/*.c; run alone, build what is missing
mkdir -p "$REF"
for c in splice sock_raw dgram_raw nop; do
	if [ ! -x "$REF/$c" ] || [ "bench/$c.c" -nt "$REF/$c" ]; then
		${CC:-cc} -D_GNU_SOURCE -std=c11 -O2 -Wall -Wextra -Werror \
		    -o "$REF/$c" "bench/$c.c" -lrt || die "cannot build $c"
	fi
done
need "$K" "$SPLICE" "$RAW" "$DRAW" "$REF/nop"
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
[ "${mem:-0}" -ge $(((2 * MB + 512) * 1024)) ] ||
    die "$MB MiB stream: only ${mem:-?} KiB of memory available (BENCH_MB)"
shmfree() { df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }'; }
if [ "$(shmfree)" -ge $(((2 * MB + 64) * 1024)) ] 2>/dev/null; then
	DATA=/dev/shm/ipc-bench-sock.$$
else
	DATA=$ROOT/bench/out/data-sock.$$
fi
OUTF=${DATA%/*}/ipc-bench-sock-out.$$
clean "$DATA" "$OUTF"
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

# fpeers TITLE BYTES ROUNDS LABEL:WRITER:READER...: as peers, the reader's
# stdout the file $OUTF, emptied before each round outside the timing
# (freeing a GiB of tmpfs takes 0.1 s), and compared with the data
# after the first round
fpeers() {
	local title=$1 bytes=$2 rounds=$3 i p label w r
	local -A runs
	shift 3
	for ((i = 0; i < rounds; i++)); do
		for p; do
			IFS=: read -r label w r <<<"$p"
			: >"$OUTF"
			SINK=$OUTF pair "$w" "$r"
			[ "$i" -gt 0 ] || cmp -s "$SRC" "$OUTF" ||
			    die "$label: $OUTF is not the data"
			runs[$label]+=" $(calc "$bytes / 1048576 / ($US / 1e6)")"
		done
	done
	: >"$OUTF"
	echo
	echo "$title"
	rate_table "$bytes" "$@"
}

w_ipcf() { listening "$SOCK"; exec "$K" send "$SOCK" <"$SRC"; }
w_rawf() { listening "$SOCK"; exec "$RAW" send "$SOCK" <"$SRC"; }
w_socatf() {
	listening "$SOCK"
	exec "$SOCAT" -u STDIN "UNIX-CONNECT:$SOCK" <"$SRC"
}
# freader CMD...: CMD, and the socket file gone after it
freader() {
	local s
	"$@"
	s=$?
	rm -f "$SOCK"
	return "$s"
}
r_ipcf() { freader "$K" recv "$SOCK"; }
r_rawf() { freader "$RAW" recv "$SOCK"; }
r_socatf() { freader "$SOCAT" -u "UNIX-LISTEN:$SOCK" STDOUT; }
IPC="ipc-sock send, ipc-sock recv"
RAWL="raw splice loop, both sides"
# traw SETUP: ipc-sock's time over the raw loop's (lower is better)
traw() {
	DIR=time BESTOF=$(calc "${BEST[$RAWL]} / ${BEST[$IPC]}") \
	    record "stream $1: ipc-sock time / raw splice" \
	    "$(calc "${MIBS[$RAWL]} / ${MIBS[$IPC]}")" x "<=" 1.1
}

peers "(a) stream, pipe -> pipe: $MB MiB over a Unix stream socket, a pipe on both ends; median of $ROUNDS rounds" \
    "$BYTES" "$ROUNDS" \
    "no socket, producer into consumer:w_fifo:r_fifo" \
    "$RAWL:w_raw:r_raw" \
    "$IPC:w_ipc:r_ipc"
traw "pipe->pipe"
fpeers "(a) stream, file -> file: $MB MiB, send < file, recv > file, both in ${DATA%/*}; median of $ROUNDS rounds" \
    "$BYTES" "$ROUNDS" \
    "$RAWL:w_rawf:r_rawf" \
    "$IPC:w_ipcf:r_ipcf"
traw "file->file"
peers "(a) stream, file -> /dev/null: $MB MiB, send < file, recv > /dev/null; median of $ROUNDS rounds" \
    "$BYTES" "$ROUNDS" \
    "$RAWL:w_rawf:r_rawf" \
    "$IPC:w_ipcf:r_ipcf"
traw "file->/dev/null"

# socat: the first SOCAT_MB MiB of the data, beside ipc-sock
SRC=$TMP/socat-data
head -c $((SOCAT_MB * 1048576)) "$DATA" >"$SRC" || die "cannot write $SRC"
SBYTES=$((SOCAT_MB * 1048576))
peers "(a) socat, pipe -> pipe: $SOCAT_MB MiB; median of $SOCAT_ROUNDS rounds" \
    "$SBYTES" "$SOCAT_ROUNDS" \
    "socat -u:w_socat:r_socat" \
    "$IPC:w_ipc:r_ipc"
ratio "stream pipe->pipe ipc-sock / socat" "$IPC" "socat -u" ">=" 20
fpeers "(a) socat, file -> file: $SOCAT_MB MiB in ${DATA%/*}; median of $SOCAT_ROUNDS rounds" \
    "$SBYTES" "$SOCAT_ROUNDS" \
    "socat -u:w_socatf:r_socatf" \
    "$IPC:w_ipcf:r_ipcf"
ratio "stream file->file ipc-sock / socat" "$IPC" "socat -u"
peers "(a) socat, file -> /dev/null: $SOCAT_MB MiB; median of $SOCAT_ROUNDS rounds" \
    "$SBYTES" "$SOCAT_ROUNDS" \
    "socat -u:w_socatf:r_socatf" \
    "$IPC:w_ipcf:r_ipcf"
ratio "stream file->/dev/null ipc-sock / socat" "$IPC" "socat -u"
rm -f "$SRC"
SRC=$DATA

# the long stream, file -> file: its data and its copy on tmpfs, or not
# at all (from disk it would measure the disk)
mem=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
if [ "$BIG_MB" -eq 0 ]; then
	:
elif [ "${DATA#/dev/shm/}" = "$DATA" ] ||
    [ "$(shmfree)" -lt $(((2 * BIG_MB + 64) * 1024)) ] ||
    [ "${mem:-0}" -lt $(((2 * BIG_MB + 512) * 1024)) ]; then
	note "(a) stream, file -> file, $BIG_MB MiB skipped: /dev/shm or" \
	    "memory has no room for twice it (BENCH_BIG_MB=0: none)"
else
	SRC=/dev/shm/ipc-bench-sock-big.$$
	clean "$SRC"
	for ((i = 0; i < BIG_MB / MB; i++)); do
		cat "$DATA"
	done >"$SRC" 2>/dev/null || die "cannot write $SRC"
	head -c $(((BIG_MB % MB) * 1048576)) "$DATA" >>"$SRC"
	fpeers "(a) stream, file -> file: $BIG_MB MiB, both in /dev/shm; median of $BIG_ROUNDS rounds" \
	    $((BIG_MB * 1048576)) "$BIG_ROUNDS" \
	    "$RAWL:w_rawf:r_rawf" \
	    "$IPC:w_ipcf:r_ipcf"
	traw "file->file $BIG_MB MiB"
	rm -f "$SRC"
	SRC=$DATA
fi

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

# (c) memory: GNU time's %M, the maximum RSS in KiB
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
	note "(c) memory skipped: needs GNU time as $TIME" \
	    "(Debian: apt-get install time)"
else
	echo "(c) memory: maximum RSS in KiB (median of 3), a 1 MiB and a" \
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
