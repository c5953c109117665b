# Helpers for the bench/*.sh scripts written in bash: source it first.
# (bench/run.sh runs every bench/*.sh; this file does not end in .sh, so
# it is not run on its own.)
#
#	. "$(dirname "$0")/common.bash"
#
# Gives: ROOT (the repository, and the working directory), BIN (the
# commands, $IPC_BIN or bin), REF (bench/out: the reference programs
# bench/run.sh built from bench/*.c), TMP (a private directory, removed at
# exit), clean PATH... (more to remove at exit), pair (time a writer and
# a reader running at once), listening (wait for a socket to be ready),
# rss (their maximum RSS), median, calc, peer
# tables (peers: two processes through an object; solo: one process;
# spawns: one short process after another), ratio rows (ratio for
# throughput, tratio for time), and record, which adds a line to the
# summary bench/run.sh prints at the end.
#
# Every ratio is ours over theirs, of the medians of interleaved rounds,
# with the ratio of the best rounds beside it, and says its direction:
# "throughput" (our rate over theirs: higher is better), "time" (our
# time over theirs: lower is better) or "memory" (KiB or a ratio of
# them: lower is better).
#
# The summary is the file $BENCH_SUMMARY (standalone runs: none), one
# TAB-separated line per ratio: script, case, measured, direction,
# target, verdict; or script, "note", text.

if [ -z "${BASH_VERSINFO:-}" ] || [ "${BASH_VERSINFO[0]}${BASH_VERSINFO[1]}" -lt 51 ]; then
	echo "bench: needs bash 5.1 or later (wait -n -p, EPOCHREALTIME)" >&2
	exit 1
fi
set -u
export LC_ALL=C		# EPOCHREALTIME and awk with a '.' for the decimal point

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
ROOT=$PWD
BIN=${IPC_BIN:-bin}
case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac
# shellcheck disable=SC2034 # for the scripts that source this
REF=$ROOT/bench/out
SUMMARY=${BENCH_SUMMARY:-/dev/null}
SCRIPT=$(basename "$0" .sh)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ipc-bench.XXXXXX") || exit 1
CLEAN=("$TMP")

# stop PID...: end these background jobs and the processes they started
# (a reader that is a pipeline, reader | cat); one blocked in open(2) on
# a FIFO ends too
stop() {
	local p
	for p; do
		# shellcheck disable=SC2046 # a list of pids
		kill $(ps -o pid= --ppid "$p") "$p" 2>/dev/null
	done
}

# stop background jobs (a writer blocked on a FIFO, say), then remove
# the files
on_exit() {
	# shellcheck disable=SC2046 # a list of pids
	stop $(jobs -p)
	wait 2>/dev/null
	rm -rf "${CLEAN[@]}"
}
trap on_exit EXIT
# a second signal (^C reaches both timeout(1) and its child, which then
# hears it twice) must not cut the clean-up short
trap 'trap "" INT TERM; exit 130' INT
trap 'trap "" INT TERM; exit 143' TERM

clean() {
	CLEAN+=("$@")
}

die() {
	echo "bench $SCRIPT: $*" >&2
	exit 1
}

note() {
	echo "  note: $*"
	printf '%s\tnote\t%s\n' "$SCRIPT" "$*" >>"$SUMMARY"
}

# need FILE...: executables the script cannot do without
need() {
	local f
	for f; do
		[ -x "$f" ] || die "$f is missing (run 'make bench', which builds it)"
	done
}

# pair WRITER READER: run two commands (functions) at once, the reader's
# stdout on $SINK; sets US to their wall time in microseconds. Either one
# failing stops the other and the script. Where the two meet at the FIFO
# $FIFO, it is opened and closed once as soon as one of them has ended:
# that is nothing to a reader draining it after its writer, and releases
# a writer stuck in open(2) when its reader ended without opening it.
SINK=/dev/null
pair() {
	local t0 w r who s
	t0=${EPOCHREALTIME/./}
	"$1" & w=$!
	"$2" >"$SINK" & r=$!
	wait -n -p who "$w" "$r"
	s=$?
	if [ "$s" -eq 0 ]; then
		# O_RDWR: never waits for a peer
		if [ -n "${FIFO:-}" ] && [ -p "$FIFO" ]; then
			: <>"$FIFO"
		fi
		if [ "$who" = "$w" ]; then
			wait "$r"
		else
			wait "$w"
		fi
		s=$?
	fi
	US=$((${EPOCHREALTIME/./} - t0))
	if [ "$s" -ne 0 ]; then
		stop "$w" "$r"
		wait "$w" "$r" 2>/dev/null
		die "$1 + $2 failed (exit $s)"
	fi
}

# nap: about half a millisecond, without a fork: read(1) that times out
# on a FIFO nobody writes, open both ways so it never sees an end (made
# here, opened by the first nap of each process)
mkfifo "$TMP/nap" || exit 1
nap() {
	local _
	[ -n "${NAP_FD:-}" ] || exec {NAP_FD}<>"$TMP/nap" ||
	    die "cannot open $TMP/nap"
	read -r -t 0.0005 -u "$NAP_FD" _
}

# listening PATH [SECONDS]: wait (10 s at most) until a Unix socket
# bound at PATH can take a peer: one that listens, or a datagram one.
# The socket file alone is not enough: it is there from bind(2) on, and
# a connect(2) before listen(2) is refused. /proc/net/unix says which
# sockets listen (flag 00010000); it names them by the path as bound,
# which may be the last component only, so give each socket a name of
# its own.
listening() {
	local path=$1 base=${1##*/} t1 _n _r _p flags type _st _i name
	t1=$((${EPOCHREALTIME/./} + ${2:-10} * 1000000))
	while :; do
		if [ -S "$path" ]; then
			while read -r _n _r _p flags type _st _i name; do
				[ "$name" = "$path" ] || [ "$name" = "$base" ] ||
				    continue
				[ "$flags" = 00010000 ] || [ "$type" = 0002 ] &&
				    return 0
			done </proc/net/unix
		fi
		[ "${EPOCHREALTIME/./}" -lt "$t1" ] ||
		    die "$path: no socket listening after ${2:-10} s"
		nap
	done
}

# gnu_time: whether /usr/bin/time is GNU time (-f %M: maximum RSS)
gnu_time() {
	case $(/usr/bin/time --version 2>&1) in
	*GNU*) return 0 ;;
	esac
	return 1
}

# rss WRITER READER: the measured one of the two runs under GNU time,
# -f %M -o "$TMP/rss"; sets RSS to the median of 3 runs, in KiB. A single
# run is too rough: the same command moves by up to 100 KiB run to run
# (where the loader and the kernel place things), so judge growth in
# KiB against that, not a ratio near 1
rss() {
	local i got=()
	for i in 1 2 3; do
		rm -f "$TMP/rss"
		pair "$1" "$2"
		got+=("$(tail -n 1 "$TMP/rss")")
	done
	# shellcheck disable=SC2034 # for the scripts that source this
	RSS=$(median "${got[@]}")
}

# median N...: of numbers (an even count: the mean of the middle two)
median() {
	printf '%s\n' "$@" | sort -g |
	    awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2);
		print (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2 }'
}

# calc EXPR: floating point, printed with up to 3 significant decimals
calc() {
	awk "BEGIN { printf \"%.4g\n\", $1 }"
}

# the reader under check, its output counted
counted() {
	set -o pipefail
	"$CHECKED" | wc -c >"$TMP/count"
}

# peers TITLE BYTES ROUNDS LABEL:WRITER:READER...
# Round after round, every peer once in turn (A B C A B C ...): each
# moves BYTES from its writer to its reader. One untimed round first
# checks that every reader gets all BYTES. Prints a row per peer
# (median MiB/s, and the slowest and fastest rounds) and sets
# MIBS[LABEL] to the median.
declare -A MIBS BEST
peers() {
	local title=$1 bytes=$2 rounds=$3 i p label w r n sorted
	local -A runs
	shift 3
	for p; do
		IFS=: read -r label w r <<<"$p"
		CHECKED=$r
		pair "$w" counted
		n=$(<"$TMP/count")
		[ "$n" -eq "$bytes" ] || die "$label: the reader got $n bytes of $bytes"
	done
	for ((i = 0; i < rounds; i++)); do
		for p; do
			IFS=: read -r label w r <<<"$p"
			pair "$w" "$r"
			runs[$label]+=" $(calc "$bytes / 1048576 / ($US / 1e6)")"
		done
	done
	echo
	echo "$title"
	rate_table "$bytes" "$@"
}

# rate_table BYTES LABEL:...: the rows of peers and solo from runs[]
# (MiB/s of each round); sets MIBS[LABEL] (median) and BEST[LABEL]
rate_table() {
	local bytes=$1 p label sorted
	shift
	printf '  %-34s %10s %10s %10s %10s\n' peer "MiB/s" ms slowest best
	for p; do
		label=${p%%:*}
		# shellcheck disable=SC2086 # a list of numbers, split on purpose
		MIBS[$label]=$(median ${runs[$label]})
		# shellcheck disable=SC2086
		sorted=$(printf '%s\n' ${runs[$label]} | sort -g)
		BEST[$label]=${sorted##*$'\n'}
		printf '  %-34s %10.0f %10.1f %10.0f %10.0f\n' "$label" \
		    "${MIBS[$label]}" \
		    "$(calc "$bytes / 1048576 / ${MIBS[$label]} * 1000")" \
		    "${sorted%%$'\n'*}" "${sorted##*$'\n'}"
	done
}

# solo TITLE BYTES ROUNDS LABEL:FUNC...: as peers, for one process
# that moves BYTES by itself (into or out of shared memory): round after
# round, every FUNC once in turn, timed; MIBS[LABEL] and BEST[LABEL]
solo() {
	local title=$1 bytes=$2 rounds=$3 i p label f t0
	local -A runs
	shift 3
	for ((i = 0; i < rounds; i++)); do
		for p; do
			IFS=: read -r label f <<<"$p"
			t0=${EPOCHREALTIME/./}
			"$f" || die "$label failed"
			runs[$label]+=" $(calc "$bytes / 1048576 / ((${EPOCHREALTIME/./} - $t0) / 1e6)")"
		done
	done
	echo
	echo "$title"
	rate_table "$bytes" "$@"
}

# spawns TITLE ROUNDS PER LABEL:FUNC...: one short process after another
# (bench/spawn.c runs one PER times, posix_spawn'd, and prints the mean
# microseconds of a run). Round after round, every FUNC once in turn;
# FUNC PER prints that mean for its program. Sets USMED[LABEL] (the
# median round), USBEST[LABEL] (the best), USWORST[LABEL] (the slowest)
# and USRUNS[LABEL] (every round's, in order, space-separated).
declare -A USMED USBEST USWORST USRUNS
spawns() {
	local title=$1 rounds=$2 per=$3 i p label f v sorted
	local -A runs
	shift 3
	for ((i = 0; i < rounds; i++)); do
		for p; do
			IFS=: read -r label f <<<"$p"
			v=$("$f" "$per") || die "$label failed"
			runs[$label]+=" $v"
		done
	done
	echo
	echo "$title: microseconds a run, $rounds interleaved rounds of $per runs each"
	printf '  %-44s %10s %10s %10s\n' program median slowest best
	for p; do
		label=${p%%:*}
		# shellcheck disable=SC2086 # a list of numbers, split on purpose
		USMED[$label]=$(median ${runs[$label]})
		# shellcheck disable=SC2086
		sorted=$(printf '%s\n' ${runs[$label]} | sort -g)
		USBEST[$label]=${sorted%%$'\n'*}
		# shellcheck disable=SC2034 # for the scripts that source this
		USWORST[$label]=${sorted##*$'\n'}
		USRUNS[$label]=${runs[$label]# }
		printf '  %-44s %10s %10s %10s\n' "$label" "${USMED[$label]}" \
		    "${sorted##*$'\n'}" "${USBEST[$label]}"
	done
}

# have CMD: whether the contender CMD is installed; if not, a note says
# so (a missing contender is a row not measured, never a failure)
have() {
	command -v "$1" >/dev/null 2>&1 && return 0
	note "$1 is not installed: its rows are skipped (Debian: apt-get install ${2:-$1})"
	return 1
}

# record CASE VALUE UNIT [OP TARGET]: print a ratio (or a limit) against
# its target, OP >= or <=, and add it to the summary; no OP: shown, with
# no target. Its direction is $DIR where set (throughput, time, memory),
# else memory for KiB, throughput for a ratio. $BESTOF, where set, is
# the ratio of the best rounds, shown beside it; $SPREAD, where set, is
# shown there instead, as it is (say, "batches 1.02-1.09x").
record() {
	local name=$1 v=$2 unit=$3 op=${4:-} target=${5:-} verdict=-
	local dir=${DIR:-} shown
	if [ -z "$dir" ]; then
		case $unit in *KiB*) dir=memory ;; *) dir=throughput ;; esac
	fi
	shown=$v$unit${BESTOF:+ (best $BESTOF$unit)}
	[ -z "${SPREAD:-}" ] || shown="$v$unit ($SPREAD)"
	if [ -z "$op" ]; then
		printf '  %-40s %-22s %-10s no target\n' "$name" "$shown" "$dir"
		printf '%s\t%s\t%s\t%s\t-\t-\n' "$SCRIPT" "$name" "$shown" \
		    "$dir" >>"$SUMMARY"
		return
	fi
	if awk "BEGIN { exit !($v $op $target) }"; then
		verdict=met
	else
		verdict=MISSED
	fi
	printf '  %-40s %-22s %-10s target %s %s%s: %s\n' "$name" "$shown" \
	    "$dir" "$op" "$target" "$unit" "$verdict"
	printf '%s\t%s\t%s\t%s\t%s %s%s\t%s\n' "$SCRIPT" "$name" "$shown" \
	    "$dir" "$op" "$target" "$unit" "$verdict" >>"$SUMMARY"
}

# ratio CASE A B [OP TARGET]: throughput, MIBS[A] / MIBS[B] (higher is
# better), the best rounds' ratio beside it
ratio() {
	local name=$1 a=$2 b=$3 best=
	shift 3
	[ -z "${BEST[$a]:-}" ] || [ -z "${BEST[$b]:-}" ] ||
	    best=$(calc "${BEST[$a]} / ${BEST[$b]}")
	DIR=throughput BESTOF=$best \
	    record "$name" "$(calc "${MIBS[$a]} / ${MIBS[$b]}")" x "$@"
}

# tratio CASE A B [OP TARGET]: time, USMED[A] / USMED[B] (lower is
# better), the best rounds' ratio beside it
tratio() {
	local name=$1 a=$2 b=$3
	shift 3
	DIR=time BESTOF=$(calc "${USBEST[$a]} / ${USBEST[$b]}") \
	    record "$name" "$(calc "${USMED[$a]} / ${USMED[$b]}")" x "$@"
}

# tspread CASE A B [OP TARGET]: time, as tratio, for spawns whose
# rounds are batches: the median of the batches' ratios (batch i of A
# over batch i of B, measured side by side), their spread (the lowest
# and highest) shown beside it; sets RATIOS to the list of them
tspread() {
	local name=$1 a=$2 b=$3 i r lo hi
	local -a ra rb rs
	shift 3
	read -r -a ra <<<"${USRUNS[$a]}"
	read -r -a rb <<<"${USRUNS[$b]}"
	rs=()
	for ((i = 0; i < ${#ra[@]} && i < ${#rb[@]}; i++)); do
		rs+=("$(calc "${ra[i]} / ${rb[i]}")")
	done
	# shellcheck disable=SC2034 # for the scripts that source this
	RATIOS=${rs[*]}
	r=$(median "${rs[@]}")
	lo=$(printf '%s\n' "${rs[@]}" | sort -g | head -n 1)
	hi=$(printf '%s\n' "${rs[@]}" | sort -g | tail -n 1)
	DIR=time SPREAD="batches $lo-${hi}x" record "$name" "$r" x "$@"
}

# the load of bench/holdfds.c: $1 processes holding a pipe, a socket
# pair, a mapping of the POSIX shared memory object /$HOLD_NAME and a
# descriptor of the POSIX queue /$HOLD_NAME each (the name
# ipc-bench-hold-PID where not set; both removed when the load ends, and
# at exit), ready; their stdin a FIFO held open here as fd 9, so they
# end when we do (or when fd 9 is closed). LOAD is its pid, leading
# the load's group.
hold_load() {
	local name=${HOLD_NAME:-ipc-bench-hold-$$}
	mkdir -p "$REF" || die "mkdir $REF"
	if [ ! -x "$REF/holdfds" ] || [ bench/holdfds.c -nt "$REF/holdfds" ]
	then
		${CC:-cc} -D_GNU_SOURCE -std=c11 -O2 -Wall -Wextra -Werror \
		    -o "$REF/holdfds" bench/holdfds.c -lrt ||
		    die "cannot build holdfds"
	fi
	clean "/dev/shm/$name" "/dev/mqueue/$name"
	rm -f "$TMP/hold" "$TMP/ready"
	mkfifo "$TMP/hold" || die "mkfifo"
	"$REF/holdfds" "$1" "${BENCH_TIMEOUT:-300}" "$name" <"$TMP/hold" \
	    >"$TMP/ready" &
	LOAD=$!
	exec 9>"$TMP/hold"
	for _ in $(seq 1200); do
		[ -s "$TMP/ready" ] && return
		kill -0 "$LOAD" 2>/dev/null || die "the load of $1 did not start"
		sleep 0.1
	done
	die "the load of $1 did not start in 120 s"
}

# hold_load's load ended: fd 9 closed, and its group (it leads one) gone
hold_unload() {
	exec 9>&-
	wait "$LOAD" 2>/dev/null
	for _ in $(seq 100); do
		kill -0 -- "-$LOAD" 2>/dev/null || break
		sleep 0.1
	done
}
