# Loaded by every bats file: the commands under test first on PATH, the
# assertion helpers, and waits for readiness instead of guessed sleeps.
ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
tests_unit() { "$ROOT/tests/unit" "$@"; }
PATH="${IPC_WRAP:+$IPC_WRAP:}$ROOT/${IPC_BIN:-bin}:$ROOT/tests/peers:$PATH"
export PATH
: "${BATS_TEST_TIMEOUT:=60}"
export BATS_TEST_TIMEOUT

bats_require_minimum_version 1.5.0
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

BG_PIDS=

# run in the background; its pid in BG_LAST (wait for it by pid: a bare
# `wait` would wait for bats' own timer too); teardown_bg kills it
bg() {
	"$@" &
	BG_LAST=$!
	BG_PIDS="$BG_PIDS $BG_LAST"
}

# the pids of every process below $1, each followed by its own
descendants() {
	local c
	for c in $(pgrep -P "$1"); do
		echo "$c"
		descendants "$c"
	done
}

# each background pid and whatever it started (timeout, a pipeline's
# commands, their children): killing only the sh would leave those running
teardown_bg() {
	local p kids
	for p in $BG_PIDS; do
		kids=$(descendants "$p")
		kill "$p" $kids 2>/dev/null
	done
	for p in $BG_PIDS; do
		wait "$p" 2>/dev/null
	done
	BG_PIDS=
	return 0
}

# try a command every 20 ms until it succeeds, for at most 10 s
wait_for() {
	local i
	for i in $(seq 500); do
		"$@" && return 0
		sleep 0.02
	done
	echo "wait_for: gave up on: $*" >&2
	return 1
}

# wait until process $1 has exec'd $2 (/proc/PID/comm): a `sh -c "exec
# sleep 30 < fifo"` is still sh while it blocks in the open
comm_is() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]; }
wait_comm() { wait_for comm_is "$1" "$2"; }

# process $1 is asleep in the kernel where /proc/PID/wchan matches the
# extended regex $2 (wait_for_partner: a FIFO's open waiting for its peer;
# poll: waiting for data)
asleep_in() {
	grep -q '^State:[[:space:]]*S' "/proc/$1/status" 2>/dev/null &&
	    grep -qE "$2" "/proc/$1/wchan" 2>/dev/null
}
OPEN_WAIT='wait_for_partner|fifo_open|pipe_wait'
POLL_WAIT='poll|select'

# some process holds the FIFO $1 open for reading (O_RDONLY or O_RDWR),
# seen in /proc by inode and fdinfo
fifo_has_reader() {
	local ino fd
	ino=$(stat -L -c %i "$1") || return 1
	for fd in /proc/[0-9]*/fd/*; do
		[ "$(stat -L -c %i "$fd" 2>/dev/null)" = "$ino" ] || continue
		grep -qE '^flags:\s+[0-7]*[02]$' "${fd%/fd/*}/fdinfo/${fd##*/}" \
		    2>/dev/null && return 0
	done
	return 1
}

# SIGTERM, then SIGINT, to the command "$@" once it waits (its wchan
# matches $1): each ends it with 128+signal and nothing on stdout or stderr
interrupted_exits() {
	local wait=$1 sig st
	shift
	env --default-signal=INT true 2>/dev/null ||
	    skip "env has no --default-signal (coreutils < 8.31)"
	for sig in TERM INT; do
		# a background job starts with SIGINT ignored: give it back
		bg env --default-signal=INT "$@" > out 2> err
		wait_for asleep_in "$BG_LAST" "$wait"
		kill -s "$sig" "$BG_LAST"
		st=0
		wait "$BG_LAST" || st=$?
		[ "$st" -eq "$((128 + $(kill -l "$sig")))" ]
		[ ! -s out ] && [ ! -s err ]
	done
}
