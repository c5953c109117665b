#!/bin/bash
# ipc-shm against dd bs=1M on the same /dev/shm object, side by side in
# the same run:
#  (a) in: a file on /dev/shm copied into the object (send < file, dd of=)
#  (b) out: the object copied to a file on /dev/shm (recv > file, dd if=)
#  (c) memory: maximum RSS of send and recv of the whole object
# Throughput ratios are ipc-shm's MiB/s over dd's (higher is better), the
# median of the rounds; RSS in KiB (lower is better). Knobs (environment):
# BENCH_MB (object size, 1024), BENCH_ROUNDS (5).
# shellcheck source-path=SCRIPTDIR source=common.bash
. "$(dirname "$0")/common.bash" || exit 1

S=$BIN/ipc-shm
need "$S"
MB=${BENCH_MB:-1024}
ROUNDS=${BENCH_ROUNDS:-5}
OBJ=ipc-bench-shm.$$
DATA=/dev/shm/ipc-bench-data.$$
OUT=/dev/shm/ipc-bench-out.$$
free=$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')
[ "${free:-0}" -ge $((MB * 3 * 1024 + 65536)) ] ||
    die "/dev/shm has ${free:-?} KiB free: $((MB * 3)) MiB needed"
CLEAN+=("$DATA" "$OUT" "/dev/shm/$OBJ")
head -c $((MB << 20)) /dev/zero | tr '\0' x >"$DATA" || die "data"
"$S" create -s "${MB}M" "$OBJ" || die "create"

# secs CMD...: wall time of one run
secs() {
	local t0=$EPOCHREALTIME
	"$@" || die "failed: $*"
	calc "$EPOCHREALTIME - $t0"
}

declare -A MIBS
rate() {
	local name=$1 i got=()
	shift
	for ((i = 0; i < ROUNDS; i++)); do
		rm -f "$OUT"
		got+=("$(secs "$@")")
	done
	MIBS[$name]=$(calc "$MB / $(median "${got[@]}")")
	record "$name MiB/s" "${MIBS[$name]}" ""
}

shm_in() { "$S" send "$OBJ" <"$DATA"; }
dd_in() { dd if="$DATA" of="/dev/shm/$OBJ" bs=1M conv=notrunc status=none; }
shm_out() { "$S" recv "$OBJ" >"$OUT"; }
dd_out() { dd if="/dev/shm/$OBJ" of="$OUT" bs=1M status=none; }

echo "ipc-shm: $MB MiB in and out of /dev/shm/$OBJ, $ROUNDS rounds each"
rate "in: ipc-shm send" shm_in
rate "in: dd bs=1M" dd_in
ratio "in: send / dd" "in: ipc-shm send" "in: dd bs=1M" '>=' 0.9
rate "out: ipc-shm recv" shm_out
rate "out: dd bs=1M" dd_out
ratio "out: recv / dd" "out: ipc-shm recv" "out: dd bs=1M" '>=' 0.9

if gnu_time; then
	/usr/bin/time -f %M -o "$TMP/rss" "$S" send "$OBJ" <"$DATA" ||
	    die "send"
	record "send max RSS" "$(tail -n 1 "$TMP/rss")" KiB '<' 2048
	/usr/bin/time -f %M -o "$TMP/rss" "$S" recv "$OBJ" >"$OUT" ||
	    die "recv"
	record "recv max RSS" "$(tail -n 1 "$TMP/rss")" KiB '<' 2048
	id=$("$S" create -S -s "${MB}M" private) || die "create -S"
	/usr/bin/time -f %M -o "$TMP/rss" "$S" send -S "id:$id" <"$DATA" ||
	    die "send -S"
	record "send -S max RSS" "$(tail -n 1 "$TMP/rss")" KiB '<' 2048
	/usr/bin/time -f %M -o "$TMP/rss" "$S" recv -S "id:$id" >"$OUT" ||
	    die "recv -S"
	record "recv -S max RSS" "$(tail -n 1 "$TMP/rss")" KiB '<' 2048
	"$S" rm -S "id:$id"
else
	note "no GNU time(1): max RSS not measured"
fi
"$S" rm "$OBJ"
