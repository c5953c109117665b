#!/bin/bash
# ipc-shm against dd bs=1M and a raw C copy through the mapping
# (bench/shm_raw.c), side by side in the same run, every contender once
# a round in turn:
#  (a) in: a file on /dev/shm copied into a POSIX object (send < file,
#      dd of=); then send against shm_raw in, in rounds of their own
#      (BENCH_RAW_ROUNDS): the raw copy faults each 4 KiB page of the
#      mapping in, 3 to 10 s a GiB on a 2-CPU VM
#  (a') in through a pipe: the same file piped by cat into send and into
#      dd bs=1M of= (a pipe is streamed, never held whole)
#  (b) out: the object copied to a file on /dev/shm (recv > file, dd if=);
#      then recv against shm_raw out, as in (a)
#  (c) the same into and out of a System V segment (send -S, recv -S,
#      against shm_raw -S: dd cannot reach one), of BENCH_SV_MB: each
#      4 KiB page of a segment is a page fault of its own (about 5 s of
#      CPU a GiB here, for ipc-shm and the raw copy alike), and four
#      contenders of a GiB for five rounds took most of make bench's
#      300 s bound
#  (d) memory: maximum RSS of send and recv, POSIX and System V, of a
#      1 MiB and of the large object (BENCH_MB, System V BENCH_SV_MB)
#  (e) start-up: one ipc-shm send NAME DATA against a bare C program
#      that maps the object and copies DATA in (shm_raw one)
# Throughput ratios are ipc-shm's MiB/s over the peer's (higher is
# better), the median of the rounds; RSS in KiB and start-up time, ours
# over the reference's (lower is better). Knobs (environment): BENCH_MB
# (object size, 1024), BENCH_SV_MB (System V segment size, 256),
# BENCH_ROUNDS (5), BENCH_RAW_ROUNDS (3), BENCH_SPAWNS (1000). At the
# defaults it fits bench/run.sh's default bound of 300 s with a margin
# (its time is in bench/README.md).
# shellcheck source-path=SCRIPTDIR source=common.bash
. "$(dirname "$0")/common.bash" || exit 1

S=$BIN/ipc-shm
RAW=$REF/shm_raw
MB=${BENCH_MB:-1024}
SVMB=${BENCH_SV_MB:-256}
ROUNDS=${BENCH_ROUNDS:-5}
RAW_ROUNDS=${BENCH_RAW_ROUNDS:-3}
SPAWNS=${BENCH_SPAWNS:-1000}

# bench/run.sh builds every bench/*.c; run alone, build what is missing
mkdir -p "$REF"
for c in shm_raw spawn; do
	if [ ! -x "$REF/$c" ] || [ "bench/$c.c" -nt "$REF/$c" ]; then
		${CC:-cc} -D_GNU_SOURCE -std=c11 -O2 -Wall -Wextra -Werror \
		    -o "$REF/$c" "bench/$c.c" -lrt || die "cannot build $c"
	fi
done
need "$S" "$RAW" "$REF/spawn"
OBJ=ipc-bench-shm.$$
SMALLOBJ=ipc-bench-shm-small.$$
DATA=/dev/shm/ipc-bench-data.$$
SVDATA=/dev/shm/ipc-bench-svdata.$$
SMALL=/dev/shm/ipc-bench-small.$$
OUT=/dev/shm/ipc-bench-out.$$
SVID=
SVSMALL=
free=$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')
# the data, the POSIX object and the copy out; the System V data and
# segment
need_mb=$((MB * 3 + SVMB * 2))
[ "${free:-0}" -ge $((need_mb * 1024 + 65536)) ] ||
    die "/dev/shm has ${free:-?} KiB free: $need_mb MiB needed (BENCH_MB, BENCH_SV_MB)"
clean "$DATA" "$SVDATA" "$SMALL" "$OUT" "/dev/shm/$OBJ" "/dev/shm/$SMALLOBJ"
trap '[ -z "$SVID" ] || "$S" rm -S -f "id:$SVID";
    [ -z "$SVSMALL" ] || "$S" rm -S -f "id:$SVSMALL"; on_exit' EXIT
head -c $((MB << 20)) /dev/zero | tr '\0' x >"$DATA" || die "data"
head -c 1048576 "$DATA" >"$SMALL" || die "data"
head -c $((SVMB << 20)) /dev/zero | tr '\0' x >"$SVDATA" || die "data"
"$S" create -s "${MB}M" "$OBJ" || die "create"
"$S" create -s 1M "$SMALLOBJ" || die "create"
SVID=$("$S" create -S -s "${SVMB}M" private) || die "create -S"
SVSMALL=$("$S" create -S -s 1M private) || die "create -S"

in_shm() { "$S" send "$OBJ" <"$DATA"; }
in_dd() { dd if="$DATA" of="/dev/shm/$OBJ" bs=1M conv=notrunc status=none; }
in_raw() { "$RAW" in "/$OBJ" <"$DATA"; }
in_pshm() { cat "$DATA" | "$S" send "$OBJ"; }
in_pdd() { cat "$DATA" | dd of="/dev/shm/$OBJ" bs=1M conv=notrunc status=none; }
out_shm() { rm -f "$OUT"; "$S" recv "$OBJ" >"$OUT"; }
out_dd() { rm -f "$OUT"; dd if="/dev/shm/$OBJ" of="$OUT" bs=1M status=none; }
out_raw() { rm -f "$OUT"; "$RAW" out "/$OBJ" >"$OUT"; }
in_sv() { "$S" send -S "id:$SVID" <"$SVDATA"; }
in_svraw() { "$RAW" in -S "$SVID" <"$SVDATA"; }
out_sv() { rm -f "$OUT"; "$S" recv -S "id:$SVID" >"$OUT"; }
out_svraw() { rm -f "$OUT"; "$RAW" out -S "$SVID" >"$OUT"; }

echo "ipc-shm: $(uname -sr), $(nproc) CPUs; $MB MiB in and out of shared memory"
B=$((MB << 20))
solo "(a) in: a file on /dev/shm into a POSIX object; median of $ROUNDS rounds" \
    "$B" "$ROUNDS" "ipc-shm send < file:in_shm" "dd bs=1M of=/dev/shm/OBJ:in_dd"
ratio "in: send / dd" "ipc-shm send < file" "dd bs=1M of=/dev/shm/OBJ" '>=' 0.9
solo "(a) in, against the raw copy; median of $RAW_ROUNDS rounds" \
    "$B" "$RAW_ROUNDS" "ipc-shm send < file:in_shm" \
    "raw C, read into the mapping:in_raw"
ratio "in: send / raw" "ipc-shm send < file" "raw C, read into the mapping"
solo "(a') in through a pipe: the same, piped by cat; median of $ROUNDS rounds" \
    "$B" "$ROUNDS" "cat file | ipc-shm send:in_pshm" \
    "cat file | dd bs=1M of=/dev/shm/OBJ:in_pdd"
ratio "in from a pipe: send / dd" "cat file | ipc-shm send" \
    "cat file | dd bs=1M of=/dev/shm/OBJ" '>=' 0.9
solo "(b) out: a POSIX object to a file on /dev/shm; median of $ROUNDS rounds" \
    "$B" "$ROUNDS" "ipc-shm recv > file:out_shm" "dd bs=1M if=/dev/shm/OBJ:out_dd"
ratio "out: recv / dd" "ipc-shm recv > file" "dd bs=1M if=/dev/shm/OBJ" '>=' 0.9
solo "(b) out, against the raw copy; median of $RAW_ROUNDS rounds" \
    "$B" "$RAW_ROUNDS" "ipc-shm recv > file:out_shm" \
    "raw C, write from the mapping:out_raw"
ratio "out: recv / raw" "ipc-shm recv > file" "raw C, write from the mapping"
solo "(c) in and out of a System V segment of $SVMB MiB; median of $ROUNDS rounds" \
    "$((SVMB << 20))" "$ROUNDS" "ipc-shm send -S < file:in_sv" \
    "raw C, read into shmat mapping:in_svraw" "ipc-shm recv -S > file:out_sv" \
    "raw C, write from shmat mapping:out_svraw"
ratio "in -S: send / raw" "ipc-shm send -S < file" \
    "raw C, read into shmat mapping" '>=' 0.9
ratio "out -S: recv / raw" "ipc-shm recv -S > file" \
    "raw C, write from shmat mapping" '>=' 0.9

# rss_of LABEL SMALL LARGE [MIB]: GNU time's %M (median of 3) of the
# functions SMALL and LARGE (of MIB, default BENCH_MB), each run under
# /usr/bin/time -f %M -o "$TMP/rss"
rss_of() {
	local i s=() l=() mb=${4:-$MB}
	for i in 1 2 3; do
		"$2" || die "$1"
		s+=("$(tail -n 1 "$TMP/rss")")
		"$3" || die "$1"
		l+=("$(tail -n 1 "$TMP/rss")")
	done
	RSS_S=$(median "${s[@]}")
	RSS_L=$(median "${l[@]}")
	printf '  %-34s %10s %10s %10s\n' "$1" "$RSS_S" "$RSS_L" \
	    "$((RSS_L - RSS_S))"
	record "$1 max RSS, $mb MiB" "$RSS_L" " KiB" '<' 2048
	record "$1 RSS growth, 1 MiB to $mb MiB" "$((RSS_L - RSS_S))" " KiB" \
	    '<=' 256
}
T() { /usr/bin/time -f %M -o "$TMP/rss" "$@"; }
m_send_s() { T "$S" send "$SMALLOBJ" <"$SMALL"; }
m_send_l() { T "$S" send "$OBJ" <"$DATA"; }
m_psend_s() { cat "$SMALL" | T "$S" send "$SMALLOBJ"; }
m_psend_l() { cat "$DATA" | T "$S" send "$OBJ"; }
m_recv_s() { T "$S" recv "$SMALLOBJ" >"$OUT"; }
m_recv_l() { T "$S" recv "$OBJ" >"$OUT"; }
m_svsend_s() { T "$S" send -S "id:$SVSMALL" <"$SMALL"; }
m_svsend_l() { T "$S" send -S "id:$SVID" <"$SVDATA"; }
m_svrecv_s() { T "$S" recv -S "id:$SVSMALL" >"$OUT"; }
m_svrecv_l() { T "$S" recv -S "id:$SVID" >"$OUT"; }

echo
if gnu_time; then
	echo "(d) memory: maximum RSS in KiB (median of 3), a 1 MiB and a $MB MiB object (System V: $SVMB MiB)"
	printf '  %-34s %10s %10s %10s\n' verb small large growth
	rss_of "send" m_send_s m_send_l
	rss_of "send from a pipe" m_psend_s m_psend_l
	rss_of "recv" m_recv_s m_recv_l
	rss_of "send -S" m_svsend_s m_svsend_l "$SVMB"
	rss_of "recv -S" m_svrecv_s m_svrecv_l "$SVMB"
else
	note "(d) memory skipped: needs GNU time as /usr/bin/time" \
	    "(Debian: apt-get install time)"
fi
rm -f "$OUT"

s_raw() { "$REF/spawn" "$1" "$RAW" one "/$SMALLOBJ" hello; }
s_shm() { "$REF/spawn" "$1" "$S" send "$SMALLOBJ" hello; }
spawns "(e) start-up, a few bytes written" 5 $(((SPAWNS + 4) / 5)) \
    "bare C (shm_open, mmap, memcpy; shm_raw one):s_raw" \
    "ipc-shm send NAME DATA:s_shm"
tratio "start-up ipc-shm send / bare C" "ipc-shm send NAME DATA" \
    "bare C (shm_open, mmap, memcpy; shm_raw one)" '<=' 1.1
