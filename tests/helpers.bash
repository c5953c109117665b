# Loaded by every bats file: the commands under test first on PATH, the
# assertion helpers, and waits for readiness instead of guessed sleeps.
ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
tests_unit() { "$ROOT/${IPC_OBJ:-obj}/unit" "$@"; }
# the commands under test: bin/ of the tree, or IPC_BIN (relative to the
# tree, or absolute: /usr/bin for an installed package)
case ${IPC_BIN:-bin} in
/*)	BIN=$IPC_BIN ;;
*)	BIN=$ROOT/${IPC_BIN:-bin} ;;
esac
PATH="${IPC_WRAP:+$IPC_WRAP:}$BIN:$ROOT/tests/peers:$PATH"
export PATH
# each test bounded, so a hang ends it: a guard against a hang, not a
# bound on the work, which a busy machine may make slow (a test's own
# bounds follow its progress: progress_run, progress_until, wait_for);
# valgrind runs a command 20 to 50 times slower
if [ -n "${IPC_WRAP:-}" ]; then
	: "${BATS_TEST_TIMEOUT:=600}"
else
	: "${BATS_TEST_TIMEOUT:=300}"
fi
export BATS_TEST_TIMEOUT

# sysv_key TAG: a System V key for this test alone, TAG (one byte) telling
# the files apart: the whole pid and the test's number, so that suites
# running at once on one machine never share a key (pid % 256 did)
sysv_key() {
	printf '0x%x' $((($1 << 24) | (($$ & 0x7fff) << 8) |
	    (BATS_TEST_NUMBER & 0xff)))
}

# no test depends on the tester's home: every shell and command a test
# starts finds an empty HOME and XDG directories of the run's own (fish
# once found completions it had generated for an installed package there)
HOME=$BATS_RUN_TMPDIR/home
XDG_CONFIG_HOME=$HOME/.config
XDG_DATA_HOME=$HOME/.local/share
XDG_CACHE_HOME=$HOME/.cache
XDG_STATE_HOME=$HOME/.local/state
export HOME XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME XDG_STATE_HOME
mkdir -p "$HOME" 2>/dev/null
chmod 755 "$HOME" 2>/dev/null

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

# a Unix socket is bound to the name $1 (and listens, with $2 = l) by a
# process this test started. /proc/net/unix has the name as bind(2) was
# given it (a path's last part, or @NAME), and a suite run elsewhere on
# the machine at the same time binds the same names: so the socket's
# inode is looked for among the descriptors of the test's own processes
unix_bound() {
	local ino p me=$BASHPID		# in $(...), BASHPID is the subshell's
	for ino in $(awk -v n="$1" -v l="${2:-}" '$8 == n &&
	    (l != "l" || $4 == "00010000") { print $7 }' /proc/net/unix); do
		for p in $(descendants "$me"); do
			find "/proc/$p/fd" -lname "socket:\\[$ino\\]" 2>/dev/null |
			    grep -q . && return 0
		done
	done
	return 1
}

# try a command every 20 ms until it succeeds, for at most 10 s
# outputs WANT CMD...: whether CMD prints WANT; for wait_for, which runs it
# anew each time (wait_for test "$(CMD)" = WANT would ask once, before)
outputs() {
	[ "$("${@:2}")" = "$1" ]
}

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
# sleep 30 < fifo"` is still sh while it blocks in the open. Under
# VALGRIND=1 an ipc-* command runs as valgrind's tool, memcheck-ARCH-linux.
comm_is() {
	local c
	c=$(cat "/proc/$1/comm" 2>/dev/null) || return 1
	[ "$c" = "$2" ] && return 0
	[ -n "${IPC_WRAP:-}" ] && [[ $2 == ipc-* && $c == memcheck-* ]]
}
wait_comm() { wait_for comm_is "$1" "$2"; }

# the child of process $1 that has exec'd $2, as comm_is says (pgrep -x
# would miss an ipc-* command under valgrind)
child_is() {
	local c
	for c in $(pgrep -P "$1"); do
		comm_is "$c" "$2" && { echo "$c"; return 0; }
	done
	return 1
}

# the command $1 as a holder's field shows it, (COMM), as an extended
# regular expression: under VALGRIND=1 an ipc-* command's comm is the tool's
comm_re() {
	if [ -n "${IPC_WRAP:-}" ] && [[ $1 == ipc-* ]]; then
		echo 'memcheck-[a-z0-9_-]*'
	else
		echo "$1"
	fi
}

# process $1 sleeps in a blocking call (State S): which call, a test
# knows from what it sees besides (holds, a pid file), never from the
# kernel's function names in /proc/PID/wchan, which change with versions
sleeping() {
	grep -q '^State:[[:space:]]*S' "/proc/$1/status" 2>/dev/null
}

# process $1 has the file $2 open, by device and inode; with $3 = r, for
# reading (fdinfo flags O_RDONLY or O_RDWR). holds_id takes the file as
# DEV:INO, to look through every process without a stat of it for each.
holds() {
	local id
	id=$(stat -L -c %d:%i "$2") || return 1
	holds_id "$1" "$id" "${3:-}"
}
holds_id() {
	local fd
	for fd in "/proc/$1"/fd/*; do
		[ "$(stat -L -c %d:%i "$fd" 2>/dev/null)" = "$2" ] || continue
		[ "$3" = r ] || return 0
		grep -qE '^flags:\s+[0-7]*[02]$' "/proc/$1/fdinfo/${fd##*/}" \
		    2>/dev/null && return 0
	done
	return 1
}

# the test or a process it started holds the FIFO $1 open for reading
# (O_RDONLY or O_RDWR), seen in /proc by device, inode and fdinfo. Only
# the test's own processes are looked through: every process's every
# descriptor took seconds a look on a busy machine, longer than a
# reader with -t waited. Call it directly or through wait_for, not in
# $(...), whose subshell has none of the test's processes below it
fifo_has_reader() {
	local fd flags p me=$BASHPID
	[ -p "$1" ] || return 1
	# test -ef compares device and inode without a process per descriptor:
	# a loaded machine must not make one look take seconds
	for fd in $(for p in "$me" $(descendants "$me"); do
	    echo "/proc/$p/fd/"*; done); do
		[ "$fd" -ef "$1" ] 2>/dev/null || continue
		flags=$(sed -n 's/^flags:[[:space:]]*//p' \
		    "${fd%/fd/*}/fdinfo/${fd##*/}" 2>/dev/null) || continue
		[[ $flags =~ [02]$ ]] && return 0
	done
	return 1
}

# process $1 has exec'd $2 and sleeps in its open(2) of the FIFO $3,
# waiting for the other end: a FIFO's open is the first call that blocks
# in the commands and shells the tests run, and until it returns the FIFO
# is not in the process's fd table
waits_for_peer() {
	comm_is "$1" "$2" && sleeping "$1" && ! holds "$1" "$3"
}

# process $1 has exec'd $2, holds the FIFO $3 open for reading, and
# sleeps: waiting for data (or for a writer to come)
waits_for_data() {
	comm_is "$1" "$2" && holds "$1" "$3" r && sleeping "$1"
}

# SIGTERM, then SIGINT, to the command "$@" once it waits on the FIFO $2
# as the predicate $1 (waits_for_peer, waits_for_data) says: each ends it
# with 128+signal and nothing on stdout or stderr
interrupted_exits() {
	local ready=$1 fifo=$2 sig st
	shift 2
	env --default-signal=INT true 2>/dev/null ||
	    skip "env has no --default-signal (coreutils < 8.31)"
	for sig in TERM INT; do
		# a background job starts with SIGINT ignored: give it back
		bg env --default-signal=INT "$@" > out 2> err
		wait_for "$ready" "$BG_LAST" "${1##*/}" "$fifo"
		kill -s "$sig" "$BG_LAST"
		st=0
		wait "$BG_LAST" || st=$?
		[ "$st" -eq "$((128 + $(kill -l "$sig")))" ]
		[ ! -s out ] && [ ! -s err ]
	done
}

# --- what the machine offers ------------------------------------------------

# the mqueue filesystem is mounted at /dev/mqueue: what ipc-mq ls, and a
# test that looks at a queue's file there, need; the mq_* calls do not
mqueue_mounted() {
	[ "$(stat -f -c %T /dev/mqueue 2>/dev/null)" = mqueue ]
}

# skip the test unless it is; $1 says what needs it. Call it before run.
need_mqueue() {
	mqueue_mounted && return 0
	skip "needs /dev/mqueue mounted: $1 (as root: mount -t mqueue none /dev/mqueue)"
}

# --- what the environment lets a test do -----------------------------------
#
# Where the suite runs (a package build's chroot, a container) may refuse
# a namespace, a mount or a capability a test needs: such a test skips,
# saying what was refused, in the refusing command's own words, rather
# than fail for the machine. As need_root, call them before run.

# need_works WHAT CMD...: skip the test unless CMD... succeeds here; WHAT
# says what the test needs
need_works() {
	local err
	err=$("${@:2}" 2>&1 >/dev/null) && return 0
	err=${err##*$'\n'}
	if [ "$BASHPID" != "$$" ]; then
		echo "need_works: under run, which cannot skip: call it before" \
		    "run ($1: ${err:-refused})" >&2
		return 125
	fi
	skip "needs $1, refused here: ${err:-exit status not 0}"
}

# need_strace: skip the test unless strace(1) is here and may trace
need_strace() {
	command -v strace >/dev/null || skip "strace is not installed"
	need_works "strace (ptrace)" strace -qq -o /dev/null true
}

# alone CMD...: exec CMD with nothing open but /dev/null as 0, 1 and 2:
# what bats holds open (its output pipes) would be its objects too
alone() {
	local fd
	for fd in $(ls "/proc/$BASHPID/fd"); do
		[ "$fd" -gt 2 ] && eval "exec $fd>&-"
	done
	exec "$@" </dev/null >/dev/null 2>&1
}

# need_unshare FLAGS... [-- CMD...]: skip the test unless unshare(1) with
# FLAGS may run CMD (true if none) here. A chroot cannot make / private
# (-m, --mount-proc); a container may refuse a namespace, or a mount in
# one (CMD: the mount the test makes)
need_unshare() {
	local flags=() what
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		flags+=("$1")
		shift
	done
	what="unshare ${flags[*]}"
	if [ $# -gt 1 ]; then
		shift
		what="$what $*"
	else
		set -- true
	fi
	command -v unshare >/dev/null || skip "needs unshare(1) (util-linux)"
	need_works "$what" unshare "${flags[@]}" "$@"
}

# --- who runs the tests -----------------------------------------------------
#
# An ordinary user with the dependencies runs the whole suite; the tests
# that need root (acting as another user, mounting, namespaces with limits
# of their own, seeing other users' processes) skip with need_root.

is_root() { [ "$(id -u)" -eq 0 ]; }

# skip the test unless it runs as root; $1 says why it needs root. Under
# `run` a skip would end only run's subshell and the test would go on, so
# there it fails instead: call need_root before run.
need_root() {
	is_root && return 0
	if [ "$BASHPID" != "$$" ]; then
		echo "need_root: not root, and under run, which cannot skip:" \
		    "call need_root before run ($1)" >&2
		return 125
	fi
	skip "needs root: $1"
}

# CMD... as user nobody, group nogroup, no supplementary groups, bounded:
# a hang shows as 143, never as a 124 the command could mean. Under `run`,
# call need_nobody first, so that an ordinary user skips the test.
need_nobody() { need_root "runs a command as user nobody (setpriv)"; }
as_nobody() {
	need_nobody || return
	timeout --preserve-status 20 setpriv --reuid=nobody --regid=nogroup \
	    --clear-groups "$@"
}

# --- what valgrind cannot emulate -------------------------------------------
#
# valgrind 3.19 knows neither pidfd_open(2) (434) nor pidfd_send_signal(2)
# (424) nor pidfd_getfd(2) (438): under it each fails with ENOSYS, as on
# a kernel before 5.3. ipc-sig send then fails with "Function not
# implemented", as the README says it must, and never falls back to
# kill(2); ipc-pipe stat and ls read a FIFO's fill by opening it while a
# reader holds it, their own fallback, which their tests pass on either way.

# the ipc-sig under test can open a pidfd and send: always, but under a
# valgrind that cannot emulate pidfd_open. Asked once a run; any other
# failure counts as sending, so the tests run and show it.
sends_by_pidfd() {
	local f=$BATS_RUN_TMPDIR/sends-by-pidfd
	[ -n "${IPC_WRAP:-}" ] || return 0
	if [ ! -e "$f" ]; then
		if [ "$(ipc-sig send 0 $$ 2>&1)" = \
		    "ipc-sig: send $$: Function not implemented" ]; then
			echo no
		else
			echo yes
		fi > "$f.new" && mv "$f.new" "$f"
	fi
	[ "$(cat "$f")" = yes ]
}

# a test of ipc-sig send itself: skipped where it cannot send, saying why
need_pidfd() {
	sends_by_pidfd ||
	    skip "valgrind cannot emulate pidfd_open(2): ipc-sig send fails under it"
}

# the ipc-sig to send the signal a test of recv, ls or watch needs from
# a peer: where the one under test cannot send, the same binary run
# directly, so the verb the test is about still runs under valgrind
sig_sender() {
	if sends_by_pidfd; then
		echo ipc-sig
	else
		echo "$BIN/ipc-sig"
	fi
}

# the highest real-time signal a test can send a command: valgrind keeps
# SIGRTMAX for itself (VG_SIGVGKILL), and one sent to a command under it
# can be lost
rt_top() {
	if [ -n "${IPC_WRAP:-}" ]; then
		echo RTMAX-1
	else
		echo RTMAX
	fi
}

# the note a command writes to stderr when it cannot read some
# /proc/PID/fd, so the holders it lists may be partial: $1 the command,
# $2 the verb, $3 what may be partial; $4 "orphan" where the output marks
# orphans from that scan, which a process not seen may hold. Root reads
# them all and writes nothing; an ordinary user always meets other
# users' processes (pid 1).
ORPHAN_NOTE=", and an object marked orphan may be held by one of them"
partial_note() {
	is_root || unread_note "$1: $2" "$3 may be partial${4:+$ORPHAN_NOTE}"
}

# the note of processes that could not be read, "$1: N processes (pids
# ...) could not be inspected: $2": how many, and which, follow what runs
# on the machine, so where $stderr's first line says it with any of them
# that line is given back as it is; else the note with N for the number
unread_note() {
	local first=${stderr-}
	first=${first%%$'\n'*}
	if [[ $first =~ ^"$1: "[0-9]+" process"(es)?(" (pid"s?" "[0-9]+(", "[0-9]+)*")")?" could not be inspected: $2"$ ]]; then
		echo "$first"
	else
		echo "$1: N processes could not be inspected: $2"
	fi
}

# every process's /proc/PID/syscall can be read: what it is opening, if
# it waits in open(2) (root can be refused some, such as a guarded init)
sees_openers() {
	local p x
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = "$BASHPID" ] && continue
		{ read -r x < "$p/syscall"; } 2>/dev/null && continue
		[ -d "$p" ] && return 1	# refused, not merely gone
	done
	return 0
}

# the note of an ipc-pipe verb ($1) that reads both who holds FIFOs and
# who waits to open them (stat, ls without DIR, any that shows orphan):
# what may be partial; $2 "orphan" where it shows orphan, which rests on
# both: a FIFO held or waited for is not an orphan
pipe_note() {
	local what more=${2:+$ORPHAN_NOTE}
	if ! is_root; then
		what="readers, writers and waiting openers"
	elif ! sees_openers; then
		what="waiting openers"
	else
		return 0
	fi
	unread_note "ipc-pipe: $1" "$what may be partial$more"
}

# the bytes ipc-pipe stat and ls give for a FIFO no process holds: 0, as
# nothing can be buffered; but only root sees every holder, so for anyone
# else they are unknown and left empty (ipc-pipe(1))
idle_fifo_bytes() {
	if is_root; then
		echo 0
	fi
}

# a socket file bound by a process that has since ended: a stale one
stale_sock() {
	python3 -c 'import socket, sys
socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$1"
}

# wait for every background helper to end by itself
wait_bg() {
	local p
	for p in $BG_PIDS; do
		wait "$p" || true
	done
	BG_PIDS=
}

# the lines of the files matched by the glob $1, together, are the
# numbers 1 to $2, each exactly once: nothing lost, nothing twice
each_once() {
	local dups n
	dups=$(eval "cat $1" | sort -n | uniq -d | wc -l)
	n=$(eval "cat $1" | sort -nu | wc -l)
	[ "$dups" -eq 0 ] && [ "$n" -eq "$2" ] ||
	    { echo "each_once: $dups twice, $n distinct of $2" >&2; return 1; }
}

# send signal $2 to process $1 (a bg helper) and check it ends with 128+it
ends_by() {
	local st=0
	kill -s "$2" "$1"
	wait "$1" || st=$?
	[ "$st" -eq "$((128 + $(kill -l "$2")))" ] ||
	    { echo "ends_by: $1 ended with $st, not by SIG$2" >&2; return 1; }
}

# every bg helper sent signal $1, each checked to end with 128+it
bg_end_by() {
	local p
	for p in $BG_PIDS; do
		ends_by "$p" "$1"
	done
	BG_PIDS=
}

# A bound that follows the work's progress, not the wall clock: the
# function $2 prints a measure of the work done (lines written, messages
# left); $1 seconds without a change in it is a stall, however long the
# whole takes on a busy machine.
#
# progress_run BOUND MEASURE CMD...: run CMD; kill it (status 143) if it
# stalls
progress_run() {
	local pid st=0
	"${@:3}" &
	pid=$!
	progress_watch "$1" "$2" "kill -0 $pid 2>/dev/null" ||
	    { echo "progress_run: ${*:3} stopped" >&2; kill "$pid" 2>/dev/null; }
	wait "$pid" || st=$?
	return "$st"
}

# progress_until BOUND MEASURE N: wait until MEASURE prints a number of
# N or more; fail if it stalls for BOUND seconds before
progress_until() {
	# a measure that is not a number is no progress: it is waited on
	progress_watch "$1" "$2" "! [ \"\$last\" -ge '$3' ] 2>/dev/null"
}

# progress of the kind most tests watch: the lines of the files $@
# together (none yet: 0)
lines_in() { cat "$@" 2>/dev/null | wc -l; }

# progress_watch BOUND MEASURE CONDITION: while CONDITION holds (it may
# read the last measure as $last), watch MEASURE; 1 once it has stayed
# the same for BOUND seconds
progress_watch() {
	local bound=$1 measure=$2 last now still=0
	last=$($measure)
	while eval "$3"; do
		sleep 0.2
		now=$($measure)
		if [ "$now" != "$last" ]; then
			last=$now
			still=0
		elif [ $((still += 1)) -ge $((bound * 5)) ]; then
			echo "progress: $measure stayed at $now for ${bound}s" >&2
			return 1
		fi
	done
}
