#!/bin/bash
# Connections a second: a server that runs a command for each
# connection, with the connection on its stdin and stdout, measured side
# by side in the same run:
#  - ipc-sock listen -e cat PATH
#  - the raw C reference bench/conn_raw.c, which does the same work and
#    nothing more (accept, SO_PEERCRED, the IPC_PEER_* environment, a
#    group of its own, vfork, sh -c cat on the connection, reap)
#  - socat UNIX-LISTEN:PATH,fork SYSTEM:cat
# All three servers run at once, each driven in turn by the same client
# (bench/conn_client.c: connect, write a byte, shut the writing side,
# read to EOF, N times, one after another); an idle server costs the
# others nothing. The floor beside them: sh -c cat alone, posix_spawn'd
# N times with no socket (bench/spawn.c).
# Ratios: connections a second, ours over theirs (higher is better),
# never pass/fail. Knobs (environment): BENCH_CONNS (connections a
# round, 200), BENCH_CONN_ROUNDS (5).
# shellcheck source-path=SCRIPTDIR source=common.bash
. "$(dirname "$0")/common.bash" || exit 1

K=$BIN/ipc-sock
CONNS=${BENCH_CONNS:-200}
ROUNDS=${BENCH_CONN_ROUNDS:-5}

# bench/run.sh builds every bench/*.c; run alone, build what is missing
mkdir -p "$REF"
for c in conn_client conn_raw spawn; do
	if [ ! -x "$REF/$c" ] || [ "bench/$c.c" -nt "$REF/$c" ]; then
		${CC:-cc} -D_GNU_SOURCE -std=c11 -O2 -Wall -Wextra -Werror \
		    -o "$REF/$c" "bench/$c.c" -lrt || die "cannot build $c"
	fi
done
need "$K" "$REF/conn_client" "$REF/conn_raw" "$REF/spawn"
SOCAT=$(command -v socat) || die "socat is missing (Debian: apt-get install socat)"
SH=$(type -P sh) || die "no sh on PATH"

# socket names of their own: /proc/net/unix may name a socket by its
# last component only (see listening in common.bash)
S_IPC=$TMP/ipc-bench-$$-listen.sock
S_RAW=$TMP/ipc-bench-$$-raw.sock
S_SOCAT=$TMP/ipc-bench-$$-socat.sock
"$K" listen -e cat "$S_IPC" </dev/null >/dev/null & srv_ipc=$!
"$REF/conn_raw" "$S_RAW" cat </dev/null >/dev/null & srv_raw=$!
"$SOCAT" "UNIX-LISTEN:$S_SOCAT,fork" SYSTEM:cat </dev/null >/dev/null &
srv_socat=$!
listening "$S_IPC"
listening "$S_RAW"
listening "$S_SOCAT"

echo "conn: $(uname -sr), $(nproc) CPUs, $($SOCAT -V 2>/dev/null |
    awk '/socat version/ { print "socat " $3; exit }'), sh is" \
    "$(readlink -f "$SH")"

c_ipc() { "$REF/conn_client" "$S_IPC" "$1"; }
c_raw() { "$REF/conn_client" "$S_RAW" "$1"; }
c_socat() { "$REF/conn_client" "$S_SOCAT" "$1"; }
c_floor() { "$REF/spawn" "$1" "$SH" -c cat; }

# one untimed connection each first: every server answers
for f in c_ipc c_raw c_socat; do
	"$f" 1 >/dev/null || die "$f: no answer"
done

spawns "connections one after another, the server running sh -c cat for each" \
    "$ROUNDS" "$CONNS" \
    "sh -c cat alone, no socket (the floor):c_floor" \
    "raw C server (bench/conn_raw.c):c_raw" \
    "socat UNIX-LISTEN,fork SYSTEM cat:c_socat" \
    "ipc-sock listen -e cat:c_ipc"
stop "$srv_ipc" "$srv_raw" "$srv_socat"
wait "$srv_ipc" "$srv_raw" "$srv_socat" 2>/dev/null

echo
printf '  %-44s %10s\n' server "conns/s"
for l in "raw C server (bench/conn_raw.c)" \
    "socat UNIX-LISTEN,fork SYSTEM cat" "ipc-sock listen -e cat"; do
	printf '  %-44s %10.0f\n' "$l" "$(calc "1e6 / ${USMED[$l]}")"
done

# connections a second: the inverse of the time a connection takes
cratio() {
	local name=$1 a=$2 b=$3
	shift 3
	DIR=throughput BESTOF=$(calc "${USBEST[$b]} / ${USBEST[$a]}") \
	    record "$name" "$(calc "${USMED[$b]} / ${USMED[$a]}")" x "$@"
}
echo
cratio "connections/s ipc-sock / raw C server" "ipc-sock listen -e cat" \
    "raw C server (bench/conn_raw.c)" ">=" 0.9
cratio "connections/s ipc-sock / socat" "ipc-sock listen -e cat" \
    "socat UNIX-LISTEN,fork SYSTEM cat" ">=" 2
cratio "connections/s raw C server / socat (ceiling)" \
    "raw C server (bench/conn_raw.c)" "socat UNIX-LISTEN,fork SYSTEM cat"
