#!/bin/bash
# ipc-proc against lsfd, under the load of bench/holdfds.c: for each
# count of BENCH_PROC_SIZES (1000 5000) extra processes, each holding a
# pipe, a socket pair, a shared mapping and a queue (bench/holdfds.c),
# `ipc-proc ls -a` and `ipc-proc map` against `lsfd` listing every
# descriptor of every process, BENCH_ROUNDS (5) interleaved rounds,
# each command once a round, whichever runs first changing from round
# to round. Time ratios (ours over lsfd's, medians, lower is better;
# target 1.0), and memory: the maximum RSS of ls -a and map (GNU time)
# at the smallest and the largest load, its growth against the growth
# of the descriptors on the machine (target: no faster, a ratio of at
# most 1.0). The load ends with each size, or after BENCH_TIMEOUT (300)
# seconds at the latest.
# shellcheck source-path=SCRIPTDIR source=common.bash
. "$(dirname "$0")/common.bash" || exit 1

SIZES=${BENCH_PROC_SIZES:-1000 5000}
ROUNDS=${BENCH_ROUNDS:-5}
P=$BIN/ipc-proc

need "$P"
have lsfd util-linux || exit 0

# the descriptors every process holds now
fds() {
	find /proc/[0-9]*/fd -mindepth 1 -maxdepth 1 2>/dev/null | wc -l
}

# seconds one run of "$@" takes, its output dropped
once() {
	local t0=$EPOCHREALTIME
	"$@" >/dev/null 2>&1
	calc "$EPOCHREALTIME - $t0"
}

# maximum RSS in KiB of "$@", the median of 3
maxrss() {
	local got=()
	for _ in 1 2 3; do
		/usr/bin/time -f %M -o "$TMP/rss" "$@" >/dev/null 2>&1
		got+=("$(tail -n 1 "$TMP/rss")")
	done
	median "${got[@]}"
}

ls_a() { "$P" ls -a; }
map() { "$P" map; }
lsfd_all() { lsfd; }
progs=(ls_a map lsfd_all)

declare -A RSS0 RSS1
first="" last="" fd0="" fd1=""
for n in $SIZES; do
	hold_load "$n"
	nfd=$(fds)
	# a command that fails is not measured: it would look fast
	for f in "${progs[@]}"; do
		"$f" >/dev/null 2>&1 || die "$f failed under $n processes"
	done
	echo
	echo "$n processes holding a pipe, a socket pair, a shared mapping" \
	    "and a queue each ($nfd descriptors on the machine): seconds a" \
	    "run, median of $ROUNDS interleaved rounds"
	declare -A runs=()
	for ((r = 0; r < ROUNDS; r++)); do
		# whichever runs first in a round is slower (/proc's dentries
		# made again): each in turn goes first
		for ((k = 0; k < ${#progs[@]}; k++)); do
			f=${progs[(r + k) % ${#progs[@]}]}
			runs[$f]+=" $(once "$f")"
		done
	done
	declare -A med=() best=()
	printf '  %-24s %10s %10s %10s\n' command median slowest best
	for f in "${progs[@]}"; do
		# shellcheck disable=SC2086 # a list of numbers, split on purpose
		med[$f]=$(median ${runs[$f]})
		# shellcheck disable=SC2086
		sorted=$(printf '%s\n' ${runs[$f]} | sort -g)
		best[$f]=${sorted%%$'\n'*}
		printf '  %-24s %10s %10s %10s\n' "$f" "${med[$f]}" \
		    "${sorted##*$'\n'}" "${best[$f]}"
	done
	DIR=time BESTOF=$(calc "${best[ls_a]} / ${best[lsfd_all]}") \
	    record "ls -a / lsfd, $n procs" \
	    "$(calc "${med[ls_a]} / ${med[lsfd_all]}")" x "<=" 1.0
	DIR=time BESTOF=$(calc "${best[map]} / ${best[lsfd_all]}") \
	    record "map / lsfd, $n procs" \
	    "$(calc "${med[map]} / ${med[lsfd_all]}")" x "<=" 1.0
	if gnu_time; then
		RSS1[ls_a]=$(maxrss "$P" ls -a)
		RSS1[map]=$(maxrss "$P" map)
		if [ -z "$first" ]; then
			first=$n fd0=$nfd
			RSS0[ls_a]=${RSS1[ls_a]} RSS0[map]=${RSS1[map]}
		fi
		last=$n fd1=$nfd
		echo "  max RSS: ls -a ${RSS1[ls_a]} KiB, map ${RSS1[map]} KiB"
	fi
	hold_unload
done

# memory grows no faster than the descriptors: (RSS growth) over
# (descriptor growth), each as large over small
if gnu_time && [ -n "$first" ] && [ "$last" != "$first" ]; then
	for f in ls_a map; do
		DIR=memory record "${f/_/ -} RSS growth / fds growth, $first to $last procs" \
		    "$(calc "(${RSS1[$f]} / ${RSS0[$f]}) / ($fd1 / $fd0)")" x "<=" 1.0
	done
elif ! gnu_time; then
	note "no GNU time as /usr/bin/time: the memory rows skipped (Debian: apt-get install time)"
fi
