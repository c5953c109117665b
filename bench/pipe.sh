#!/bin/bash
# ipc-pipe against its peers, measured side by side in the same run:
#  (a) bulk: one stream through a FIFO with cat, with ipc-pipe send/recv,
#      and with the raw splice loop (bench/splice.c); then the same with
#      the reader writing into a pipe (| cat)
#  (b) lines: send -l (whole lines batched into atomic writes) against cat
#  (c) memory: maximum RSS of recv (and send) on a small and a large stream
#  (d) start-up: ipc-pipe -V against a bare C program (bench/nop.c)
# Throughput ratios are ipc-pipe's MiB/s over the peer's (higher is
# better); memory and start-up, ipc-pipe's over the reference (lower is
# better). Ratios, never pass/fail. Knobs (environment): BENCH_MB (stream size,
# 1024), BENCH_ROUNDS (7), BENCH_LINES (1000000), BENCH_LINE_ROUNDS (31),
# BENCH_SPAWNS (runs per program for start-up, 1000).
# shellcheck source-path=SCRIPTDIR source=common.bash
. "$(dirname "$0")/common.bash" || exit 1

P=$BIN/ipc-pipe
SPLICE=$REF/splice
need "$P" "$SPLICE" "$REF/nop" "$REF/spawn"
MB=${BENCH_MB:-1024}
ROUNDS=${BENCH_ROUNDS:-7}
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
# shellcheck disable=SC2002 # cat is the peer here, not a mistake
r_cat_p() { set -o pipefail; cat "$FIFO" | cat; }
r_ipc_p() { set -o pipefail; "$P" recv "$FIFO" | cat; }
r_raw_p() { set -o pipefail; "$SPLICE" "$FIFO" | cat; }
w_ipc_l() { exec "$P" send -l "$FIFO" <"$SRC"; }

SRC=$DATA
peers "(a) bulk: $MB MiB through a FIFO, reader to /dev/null; median of $ROUNDS rounds" \
    "$BYTES" "$ROUNDS" \
    "cat > fifo, cat fifo:w_cat:r_cat" \
    "ipc-pipe send, ipc-pipe recv:w_ipc:r_ipc" \
    "raw splice loop, both sides:w_raw:r_raw"
ratio "bulk ipc-pipe / cat" "ipc-pipe send, ipc-pipe recv" \
    "cat > fifo, cat fifo" ">=" 4
ratio "bulk ipc-pipe / raw splice" "ipc-pipe send, ipc-pipe recv" \
    "raw splice loop, both sides" ">=" 0.7

peers "(a2) bulk, the reader writing into a pipe (reader | cat >/dev/null)" \
    "$BYTES" "$ROUNDS" \
    "cat > fifo, cat fifo | cat:w_cat:r_cat_p" \
    "ipc-pipe send, recv | cat:w_ipc:r_ipc_p" \
    "raw splice, both sides | cat:w_raw:r_raw_p"
ratio "bulk into a pipe, ipc-pipe / cat" "ipc-pipe send, recv | cat" \
    "cat > fifo, cat fifo | cat"
ratio "bulk into a pipe, ipc-pipe / raw" "ipc-pipe send, recv | cat" \
    "raw splice, both sides | cat"

SRC=$LINESF
peers "(b) lines: seq $NLINES ($LBYTES bytes) through a FIFO, reader cat fifo >/dev/null; median of $LROUNDS rounds" \
    "$LBYTES" "$LROUNDS" \
    "cat > fifo:w_cat:r_cat" \
    "ipc-pipe send -l:w_ipc_l:r_cat" \
    "ipc-pipe send (a stream, no -l):w_ipc:r_cat"
ratio "lines ipc-pipe send -l / cat" "ipc-pipe send -l" "cat > fifo" ">=" 0.5
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
	printf 'hello\n' >"$TMP/small"
	echo "(c) memory: maximum RSS in KiB (median of 3), a 6-byte stream and a large one;"
	echo "    the other end of the FIFO is the raw splice loop (or cat for -l)"
	printf '  %-34s %10s %10s %10s %10s\n' peer small large growth \
	    large/small
	rss_row "bare C program (the floor)" w_nop m_nop "$TMP/small" \
	    "$DATA"
	rss_row "cat fifo ($MB MiB)" w_raw m_cat "$TMP/small" "$DATA"
	rss_row "ipc-pipe send ($MB MiB)" m_send r_raw "$TMP/small" "$DATA"
	rss_row "ipc-pipe send -l ($NLINES lines)" m_send_l r_cat \
	    "$TMP/small" "$LINESF"
	rss_row "ipc-pipe recv ($MB MiB)" w_raw m_recv "$TMP/small" "$DATA"
	record "recv max RSS, $MB MiB stream" "$RSS_L" " KiB" "<=" 4096
	record "recv RSS growth, 6 B to $MB MiB" "$((RSS_L - RSS_S))" " KiB" \
	    "<=" 256
fi

# (d) start-up: one process after another, posix_spawn'd by bench/spawn.c
echo
rounds=5
per=$(((SPAWNS + rounds - 1) / rounds))
echo "(d) start-up: microseconds per run, $((per * rounds)) runs each" \
    "in $rounds interleaved rounds, median round"
declare -A us=()
for ((i = 0; i < rounds; i++)); do
	us[nop]+=" $("$REF/spawn" "$per" "$REF/nop")" || die "spawn nop"
	us[ipc]+=" $("$REF/spawn" "$per" "$P" -V)" || die "spawn ipc-pipe -V"
	us[true]+=" $("$REF/spawn" "$per" "$(type -P true)")" ||
	    die "spawn true"
done
printf '  %-34s %10s\n' program "us/run"
# shellcheck disable=SC2086
{
	NOP=$(median ${us[nop]})
	IPC=$(median ${us[ipc]})
	TRUE=$(median ${us[true]})
}
printf '  %-34s %10s\n' "bare C program (bench/nop.c)" "$NOP" \
    "ipc-pipe -V" "$IPC" "true (coreutils)" "$TRUE"
record "start-up ipc-pipe -V / bare C" "$(calc "$IPC / $NOP")" x "<=" 1.2
