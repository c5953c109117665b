#!/bin/bash
# ls against lsfd, ss and lsof, under the load of bench/holdfds.c: for
# each count of BENCH_SCAN_SIZES (1000 5000) extra processes, each
# holding a pipe, a socket pair, a mapping of one POSIX shared memory
# object and a descriptor of one POSIX queue (both made for the run),
# each ls against the tool that answers the same question:
#
#	ipc-pipe ls		lsfd -Q 'TYPE == "FIFO"'
#	ipc-sock ls		ss -xp
#	ipc-shm ls		lsof +D /dev/shm
#	ipc-mq ls		lsof +D /dev/mqueue
#	ipc-pipe ls --pid PID	lsfd -p PID
#	ipc-sock ls --pid PID	lsfd -p PID
#	ipc-pipe ls --pid PID	lsfd -Q 'PID == PID'
#	ipc-sock ls --pid PID	lsfd -Q 'PID == PID'
#
# (PID: one process of the load). ls --pid names the other end of each
# object the process holds (a pipe's readers and writers, a socket's
# peer's holders), which only a read of every process can tell; lsfd -p
# reads that one process and names no one else, lsfd -Q reads every
# process and keeps that one's rows: the two bounds of the same answer., BENCH_ROUNDS (5) interleaved rounds,
# each command once a round, the anchor first in every other round.
# Rows: time, ours over the anchor's (medians, the best rounds' ratio
# beside; target 1.0x at each size); growth, from the smallest size to
# the largest, of our time over the growth of the descriptors on the
# machine (target 1.0x: linear); memory, the maximum RSS (GNU time
# around every run, the median of the rounds) ours over the anchor's at
# each size (target 2x). The load is started once a size and every row
# runs against it; it ends with its size, or after BENCH_TIMEOUT (300)
# seconds at the latest.
# BENCH_BASE (a directory of another build's commands, an older bin/):
# its commands run in the same rounds and each row is ours over the
# base's instead, how a change to the scanning code moves them.
# shellcheck source-path=SCRIPTDIR source=common.bash
. "$(dirname "$0")/common.bash" || exit 1

SIZES=${BENCH_SCAN_SIZES:-1000 5000}
ROUNDS=${BENCH_ROUNDS:-5}
BASE=${BENCH_BASE:-}

need "$BIN/ipc-pipe" "$BIN/ipc-sock" "$BIN/ipc-shm" "$BIN/ipc-mq"
for t in lsfd ss lsof; do
	case $t in ss) pkg=iproute2 ;; lsfd) pkg=util-linux ;; *) pkg=$t ;; esac
	have "$t" "$pkg" || exit 0
done
if [ "$(stat -f -c %T /dev/mqueue 2>/dev/null)" != mqueue ]; then
	die "no mqueue file system on /dev/mqueue"
fi

# the descriptors every process holds now
fds() {
	find /proc/[0-9]*/fd -mindepth 1 -maxdepth 1 2>/dev/null | wc -l
}

# one run of "$@", its output dropped: sets SECS (wall clock) and KIB
# (maximum RSS, GNU time's %M, where there is one; timed around it, as
# for every contender); its exit status, 0 or what lsof +D says (1 where
# a file under the directory is held by nobody), else the script dies:
# a command that fails is not measured, it would look fast
once() {
	local t0=$EPOCHREALTIME s
	if [ -n "$GNU_TIME" ]; then
		/usr/bin/time -f '%M %x' -o "$TMP/rss" "$@" >/dev/null 2>&1
		# its last line: before it, "Command exited with non-zero
		# status N" where it did
		read -r KIB s <<<"$(tail -n 1 "$TMP/rss")"
	else
		"$@" >/dev/null 2>&1
		s=$? KIB=
	fi
	SECS=$(calc "$EPOCHREALTIME - $t0")
	[ "$s" = 0 ] || { [ "$s" = 1 ] && [ "$1" = lsof ]; } ||
	    die "$* failed (exit $s) under $n processes"
}
GNU_TIME=
gnu_time && GNU_TIME=1

# the rows: a label, our command, the anchor's (words split on purpose;
# {pid} is the pid of one process of the load, filled in per size)
rows=(
	"pipe ls / lsfd -Q TYPE|ipc-pipe ls|lsfd -Q 'TYPE == \"FIFO\"'"
	"sock ls / ss -xp|ipc-sock ls|ss -xp"
	"shm ls / lsof +D|ipc-shm ls|lsof +D /dev/shm"
	"mq ls / lsof +D|ipc-mq ls|lsof +D /dev/mqueue"
	"pipe ls --pid / lsfd -p|ipc-pipe ls --pid {pid}|lsfd -p {pid}"
	"sock ls --pid / lsfd -p|ipc-sock ls --pid {pid}|lsfd -p {pid}"
	"pipe ls --pid / lsfd -Q PID|ipc-pipe ls --pid {pid}|lsfd -Q 'PID == {pid}'"
	"sock ls --pid / lsfd -Q PID|ipc-sock ls --pid {pid}|lsfd -Q 'PID == {pid}'"
)

# words LINE: the command of a row as CMD, an array, PID filled in;
# ours from $BIN (or from $BASE with "base:"), the anchor's from PATH
words() {
	local line=${1//\{pid\}/$pid} dir=$BIN
	case $line in base:*) dir=$BASE line=${line#base:} ;; esac
	eval "CMD=($line)"
	case $line in ipc-*) CMD[0]=$dir/${CMD[0]} ;; esac
}

name=ipc-bench-scan-$$
first="" last="" fd0="" fd1=""
declare -A T0 T1 A0 A1
for n in $SIZES; do
	HOLD_NAME=$name hold_load "$n"
	nfd=$(fds)
	pid=$(pgrep -n -P "$LOAD") || die "no process in the load"
	echo
	echo "$n processes holding a pipe, a socket pair, a shared mapping and" \
	    "a queue each ($nfd descriptors on the machine): seconds a run," \
	    "median of $ROUNDS interleaved rounds"
	printf '  %-36s %10s %10s %10s\n' command median slowest best
	for row in "${rows[@]}"; do
		IFS='|' read -r label ours theirs <<<"$row"
		[ -z "$BASE" ] || theirs=base:$ours
		a=() b=() ka=() kb=()
		for ((r = 0; r < ROUNDS; r++)); do
			# whichever runs first in a round is slower (/proc's
			# dentries made again): the anchor first every other round
			if [ $((r % 2)) = 0 ]; then
				words "$theirs"
				once "${CMD[@]}"
				b+=("$SECS") kb+=("$KIB")
			fi
			words "$ours"
			once "${CMD[@]}"
			a+=("$SECS") ka+=("$KIB")
			if [ $((r % 2)) = 1 ]; then
				words "$theirs"
				once "${CMD[@]}"
				b+=("$SECS") kb+=("$KIB")
			fi
		done
		ma=$(median "${a[@]}") mb=$(median "${b[@]}")
		sa=$(printf '%s\n' "${a[@]}" | sort -g)
		sb=$(printf '%s\n' "${b[@]}" | sort -g)
		printf '  %-36s %10s %10s %10s\n' "$ours" "$ma" "${sa##*$'\n'}" \
		    "${sa%%$'\n'*}" "$theirs" "$mb" "${sb##*$'\n'}" "${sb%%$'\n'*}"
		if [ -z "$BASE" ]; then
			DIR='time' BESTOF=$(calc "${sa%%$'\n'*} / ${sb%%$'\n'*}") \
			    record "$label, $n procs" \
			    "$(calc "$ma / $mb")" x "<=" 1.0
		else
			DIR='time' BESTOF=$(calc "${sa%%$'\n'*} / ${sb%%$'\n'*}") \
			    record "$label over base, $n procs" \
			    "$(calc "$ma / $mb")" x
		fi
		T1[$label]=$ma A1[$label]=$mb
		[ -n "$first" ] || T0[$label]=$ma A0[$label]=$mb
		if [ -n "$GNU_TIME" ] && [ -z "$BASE" ]; then
			rss_a=$(median "${ka[@]}") rss_b=$(median "${kb[@]}")
			DIR=memory record "$label, RSS, $n procs" \
			    "$(calc "$rss_a / $rss_b")" x "<=" 2.0
			echo "    ($rss_a KiB against $rss_b KiB, medians of the rounds)"
		fi
	done
	[ -n "$first" ] || first=$n fd0=$nfd
	last=$n fd1=$nfd
	hold_unload
done

# time grows no faster than the descriptors: (time growth) over
# (descriptor growth), each as large over small
if [ -n "$first" ] && [ "$last" != "$first" ]; then
	echo
	echo "growth from $first to $last processes: $fd0 to $fd1 descriptors"
	for row in "${rows[@]}"; do
		IFS='|' read -r label _ theirs <<<"$row"
		DIR='time' record "$label time growth / fds growth" \
		    "$(calc "(${T1[$label]} / ${T0[$label]}) / ($fd1 / $fd0)")" \
		    x "<=" 1.0
		# the anchor's, beside: what the machine itself adds
		DIR='time' record "  ${theirs%% *} beside it ($label)" \
		    "$(calc "(${A1[$label]} / ${A0[$label]}) / ($fd1 / $fd0)")" x
	done
fi
if [ -z "$GNU_TIME" ]; then
	note "no GNU time as /usr/bin/time: the memory rows skipped (Debian: apt-get install time)"
fi
