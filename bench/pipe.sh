#!/bin/bash
# ipc-pipe against its peers, measured side by side in the same run:
#  (a) bulk: one stream through a FIFO, ipc-pipe send/recv against the
#      raw splice loop (bench/splice.c: 1 MiB pipes, blocking), cat, pv
#      and socat (in BENCH_SLOW_ROUNDS rounds of its own: it is 20 to 50
#      times slower), each its own writer and reader; then the same with the
#      reader writing into a pipe (| cat); then a 4 GiB stream against
#      the raw loop alone, where it fits
#  (b) lines: send -l (whole lines batched into atomic writes) against cat,
#      and against the raw loop of such writes (bench/lines_raw.c): the
#      most any atomic sender can reach
#  (c) memory: maximum RSS of recv, send and send -l on a 1 MiB and a
#      large stream
#  (d) start-up: ipc-pipe -V against a bare C program (bench/nop.c)
# Throughput ratios are ipc-pipe's MiB/s over the peer's (higher is
# better); memory and start-up, ipc-pipe's over the reference (lower is
# better). Ratios, never pass/fail. Knobs (environment): BENCH_MB (stream size,
# 1024), BENCH_BIG_MB (the long stream, 4096; 0: none), BENCH_ROUNDS (7),
# BENCH_SLOW_ROUNDS (socat's, 3),
# BENCH_LINES (1000000), BENCH_LINE_ROUNDS (31), BENCH_SPAWNS (runs per
# program for start-up, 1000).
# shellcheck source-path=SCRIPTDIR source=common.bash
. "$(dirname "$0")/common.bash" || exit 1

P=$BIN/ipc-pipe
BIG_MB=${BENCH_BIG_MB:-4096}
SPLICE=$REF/splice
# bench/run.sh builds every bench/*.c; run alone, build what is missing
mkdir -p "$REF"
for c in splice lines_raw nop spawn; do
	if [ ! -x "$REF/$c" ] || [ "bench/$c.c" -nt "$REF/$c" ]; then
		${CC:-cc} -D_GNU_SOURCE -std=c11 -O2 -Wall -Wextra -Werror \
		    -o "$REF/$c" "bench/$c.c" || die "cannot build $c"
	fi
done
need "$P" "$SPLICE" "$REF/lines_raw" "$REF/nop" "$REF/spawn"
MB=${BENCH_MB:-1024}
ROUNDS=${BENCH_ROUNDS:-7}
SLOW_ROUNDS=${BENCH_SLOW_ROUNDS:-3}
NLINES=${BENCH_LINES:-1000000}
LROUNDS=${BENCH_LINE_ROUNDS:-31}
SPAWNS=${BENCH_SPAWNS:-1000}
FIFO=$TMP/fifo
mkfifo "$FIFO" || die "mkfifo $FIFO"

kib_free() {
	df -Pk "$1" 2>/dev/null | awk 'NR == 2 { print $4 }'
}

# DATA: MB MiB on tmpfs (/dev/shm) where it fits in free space and
# memory, else on disk in bench/out (read back from the page cache);
# neither: 256 MiB, said in a note
place_data() {
	local mb mem shm disk
	mem=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
	shm=$(kib_free /dev/shm)
	disk=$(kib_free bench/out)
	for mb in "$MB" 256; do
		[ "$mb" -le "$MB" ] || continue
		# the data, and room besides for everything else
		[ "${mem:-0}" -ge $(((mb + 512) * 1024)) ] || continue
		if [ "${shm:-0}" -ge $(((mb + 64) * 1024)) ]; then
			DATA=/dev/shm/ipc-bench.$$
		elif [ "${disk:-0}" -ge $(((mb + 64) * 1024)) ]; then
			DATA=$ROOT/bench/out/data.$$
		else
			continue
		fi
		[ "$mb" -eq "$MB" ] || note "stream shrunk from $MB MiB to" \
		    "$mb MiB: free KiB: memory ${mem:-?}, /dev/shm ${shm:-?}," \
		    "bench/out ${disk:-?}"
		MB=$mb
		return 0
	done
	die "no room for even a 256 MiB stream (free KiB: memory ${mem:-?}," \
	    "/dev/shm ${shm:-?}, bench/out ${disk:-?})"
}

place_data
BYTES=$((MB * 1048576))
clean "$DATA"
yes 'ipc-tools bench: one stream through a FIFO, the same for every peer' \
    2>/dev/null | head -c "$BYTES" >"$DATA" || die "cannot write $DATA"
# on disk, written back now rather than while something is timed
case $DATA in /dev/shm/*) ;; *) sync "$DATA" ;; esac
LINESF=$TMP/lines
seq "$NLINES" >"$LINESF"
LBYTES=$(wc -c <"$LINESF")

echo "ipc-pipe: $(uname -sr), $(nproc) CPUs, pipe-max-size" \
    "$(cat /proc/sys/fs/pipe-max-size), stream $MB MiB in ${DATA%/*}"

# the peers: each side one process, exec'd from the function
w_cat() { exec cat "$SRC" >"$FIFO"; }
r_cat() { exec cat "$FIFO"; }
w_ipc() { exec "$P" send "$FIFO" <"$SRC"; }
r_ipc() { exec "$P" recv "$FIFO"; }
w_raw() { exec "$SPLICE" -w "$FIFO" <"$SRC"; }
r_raw() { exec "$SPLICE" "$FIFO"; }
w_pv() { exec pv -q "$SRC" >"$FIFO"; }
r_pv() { exec pv -q "$FIFO"; }
w_socat() { exec socat -u STDIN STDOUT <"$SRC" >"$FIFO"; }
r_socat() { exec socat -u STDIN STDOUT <"$FIFO"; }
# shellcheck disable=SC2002 # cat is the peer here, not a mistake
r_cat_p() { set -o pipefail; cat "$FIFO" | cat; }
r_ipc_p() { set -o pipefail; "$P" recv "$FIFO" | cat; }
r_raw_p() { set -o pipefail; "$SPLICE" "$FIFO" | cat; }
w_ipc_l() { exec "$P" send -l "$FIFO" <"$SRC"; }
w_ipc_pg() { exec "$P" send --progress "$FIFO" <"$SRC" 2>/dev/null; }
r_ipc_pg() { exec "$P" recv --progress "$FIFO" 2>/dev/null; }
w_raw_l() { exec "$REF/lines_raw" "$FIFO" <"$SRC"; }

IPC="ipc-pipe send, ipc-pipe recv"
RAW="raw splice loop, both sides"
bulk=("$RAW:w_raw:r_raw" "$IPC:w_ipc:r_ipc" "cat > fifo, cat fifo:w_cat:r_cat")
IPC_PG="ipc-pipe send --progress, recv --progress"
bulk+=("$IPC_PG:w_ipc_pg:r_ipc_pg")
have pv && bulk+=("pv -q > fifo, pv -q fifo:w_pv:r_pv")
SRC=$DATA
peers "(a) bulk: $MB MiB through a FIFO, reader to /dev/null; median of $ROUNDS rounds" \
    "$BYTES" "$ROUNDS" "${bulk[@]}"
ratio "bulk $MB MiB, ipc-pipe / raw splice" "$IPC" "$RAW" ">=" 0.9
ratio "bulk $MB MiB, ipc-pipe / cat" "$IPC" "cat > fifo, cat fifo" ">=" 1
ratio "bulk $MB MiB, --progress / without" "$IPC_PG" "$IPC" ">=" 0.95
[ -z "${MIBS[pv -q > fifo, pv -q fifo]:-}" ] ||
    ratio "bulk $MB MiB, ipc-pipe / pv" "$IPC" "pv -q > fifo, pv -q fifo" ">=" 1
# socat copies 8 KiB a read and write, 20 to 50 times slower: in rounds of
# its own, fewer, so that it does not take most of the script's time
if have socat; then
	peers "(a) bulk, against socat; median of $SLOW_ROUNDS rounds" \
	    "$BYTES" "$SLOW_ROUNDS" "$IPC:w_ipc:r_ipc" \
	    "socat -u, socat -u:w_socat:r_socat"
	ratio "bulk $MB MiB, ipc-pipe / socat" "$IPC" "socat -u, socat -u" ">=" 1
fi

peers "(a2) bulk, the reader writing into a pipe (reader | cat >/dev/null)" \
    "$BYTES" "$ROUNDS" \
    "raw splice, both sides | cat:w_raw:r_raw_p" \
    "ipc-pipe send, recv | cat:w_ipc:r_ipc_p" \
    "cat > fifo, cat fifo | cat:w_cat:r_cat_p"
ratio "bulk into a pipe, ipc-pipe / raw" "ipc-pipe send, recv | cat" \
    "raw splice, both sides | cat"
ratio "bulk into a pipe, ipc-pipe / cat" "ipc-pipe send, recv | cat" \
    "cat > fifo, cat fifo | cat"

# (a3) a long stream: the wait for the other side, not the copy, is where
# a splice loop loses, and a longer run shows it above the noise
mem=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
if [ "$BIG_MB" -eq 0 ]; then
	:
elif [ "${DATA#/dev/shm/}" = "$DATA" ] ||
    [ "$(kib_free /dev/shm)" -lt $(((BIG_MB + 64) * 1024)) ] ||
    [ "${mem:-0}" -lt $(((BIG_MB + MB + 512) * 1024)) ]; then
	note "(a3) the $BIG_MB MiB stream skipped: no room for it in /dev/shm"
else
	BIG=/dev/shm/ipc-bench-big.$$
	clean "$BIG"
	for ((i = 0; i < BIG_MB; i += MB)); do
		cat "$DATA"
	done | head -c $((BIG_MB * 1048576)) >"$BIG" || die "cannot write $BIG"
	SRC=$BIG
	peers "(a3) bulk: $BIG_MB MiB through a FIFO; median of $ROUNDS rounds" \
	    $((BIG_MB * 1048576)) "$ROUNDS" "$RAW:w_raw:r_raw" "$IPC:w_ipc:r_ipc"
	ratio "bulk $BIG_MB MiB, ipc-pipe / raw splice" "$IPC" "$RAW" ">=" 0.9
	rm -f "$BIG"
fi

SRC=$LINESF
peers "(b) lines: seq $NLINES ($LBYTES bytes) through a FIFO, reader cat fifo >/dev/null; median of $LROUNDS rounds" \
    "$LBYTES" "$LROUNDS" \
    "cat > fifo:w_cat:r_cat" \
    "raw loop, whole lines <= PIPE_BUF:w_raw_l:r_cat" \
    "ipc-pipe send -l:w_ipc_l:r_cat" \
    "ipc-pipe send (a stream, no -l):w_ipc:r_cat"
ratio "lines ipc-pipe send -l / cat" "ipc-pipe send -l" "cat > fifo" ">=" 0.8
# what atomicity costs: one write(2) a PIPE_BUF, against cat's 128 KiB
ratio "lines raw atomic loop / cat" "raw loop, whole lines <= PIPE_BUF" \
    "cat > fifo"
ratio "lines ipc-pipe send -l / raw atomic loop" "ipc-pipe send -l" \
    "raw loop, whole lines <= PIPE_BUF"
ratio "lines send -l / send (stream)" "ipc-pipe send -l" \
    "ipc-pipe send (a stream, no -l)"

# (c) memory: GNU time's %M, the maximum RSS in KiB
TIME=/usr/bin/time
m_recv() { exec "$TIME" -f %M -o "$TMP/rss" "$P" recv "$FIFO"; }
m_cat() { exec "$TIME" -f %M -o "$TMP/rss" cat "$FIFO"; }
m_send() { exec "$TIME" -f %M -o "$TMP/rss" "$P" send "$FIFO" <"$SRC"; }
m_nop() { exec "$TIME" -f %M -o "$TMP/rss" "$REF/nop"; }
w_nop() { :; }
m_send_l() { exec "$TIME" -f %M -o "$TMP/rss" "$P" send -l "$FIFO" <"$SRC"; }

# rss_row LABEL WRITER READER SMALL LARGE: one row, small and large
# streams; sets RSS_S, RSS_L
rss_row() {
	SRC=$4
	rss "$2" "$3"
	RSS_S=$RSS
	SRC=$5
	rss "$2" "$3"
	RSS_L=$RSS
	printf '  %-34s %10s %10s %10s %10s\n' "$1" "$RSS_S" "$RSS_L" \
	    "$((RSS_L - RSS_S))" "$(calc "$RSS_L / $RSS_S")x"
}

echo
if ! gnu_time; then
	note "(c) memory skipped: needs GNU time as $TIME" \
	    "(Debian: apt-get install time)"
else
	head -c 1048576 "$DATA" >"$TMP/small"
	head -c 1048576 "$LINESF" >"$TMP/small_lines"
	echo "(c) memory: maximum RSS in KiB (median of 3), a 1 MiB stream and a large one;"
	echo "    the other end of the FIFO is the raw splice loop (or cat for -l)"
	printf '  %-34s %10s %10s %10s %10s\n' peer small large growth \
	    large/small
	rss_row "bare C program (the floor)" w_nop m_nop "$TMP/small" \
	    "$DATA"
	rss_row "cat fifo ($MB MiB)" w_raw m_cat "$TMP/small" "$DATA"
	rss_row "ipc-pipe send ($MB MiB)" m_send r_raw "$TMP/small" "$DATA"
	record "send max RSS, $MB MiB stream" "$RSS_L" " KiB" "<" 2048
	record "send RSS growth, 1 MiB to $MB MiB" "$((RSS_L - RSS_S))" " KiB" \
	    "<=" 256
	rss_row "ipc-pipe send -l ($NLINES lines)" m_send_l r_cat \
	    "$TMP/small_lines" "$LINESF"
	record "send -l max RSS, $NLINES lines" "$RSS_L" " KiB" "<" 2048
	record "send -l RSS growth, 1 MiB to $NLINES lines" \
	    "$((RSS_L - RSS_S))" " KiB" "<=" 256
	rss_row "ipc-pipe recv ($MB MiB)" w_raw m_recv "$TMP/small" "$DATA"
	record "recv max RSS, $MB MiB stream" "$RSS_L" " KiB" "<" 2048
	record "recv RSS growth, 1 MiB to $MB MiB" "$((RSS_L - RSS_S))" " KiB" \
	    "<=" 256
fi

# (d) start-up: one process after another, posix_spawn'd by bench/spawn.c
s_nop() { "$REF/spawn" "$1" "$REF/nop"; }
s_ipc() { "$REF/spawn" "$1" "$P" -V; }
s_true() { "$REF/spawn" "$1" "$(type -P true)"; }
spawns "(d) start-up" 5 $(((SPAWNS + 4) / 5)) \
    "bare C program (bench/nop.c):s_nop" "ipc-pipe -V:s_ipc" \
    "true (coreutils):s_true"
tratio "start-up ipc-pipe -V / bare C" "ipc-pipe -V" \
    "bare C program (bench/nop.c)" "<=" 1.1
