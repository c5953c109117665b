#!/usr/bin/env bats
# ipc-sig: signals sent, queued, waited for and inspected, checked
# against peers that are not this code: bash's kill -l, procps' kill
# --queue and the kernel's own /proc/PID/status.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR" || return
	pf=$BATS_TEST_TMPDIR/pid
}

teardown() {
	local p
	# a target a test left stopped would never see teardown's SIGTERM
	[ -z "${tpid:-}" ] || kill -CONT "$tpid" 2>/dev/null
	# nor would one that blocks it (run --block TERM): it would sleep on
	for p in $BG_PIDS; do
		for p in $p $(descendants "$p"); do
			! blocks_term "$p" || kill -KILL "$p" 2>/dev/null
		done
	done
	teardown_bg
}

# process $1 has SIGTERM blocked
blocks_term() {
	local m
	m=$(awk '$1 == "SigBlk:" { print $2 }' "/proc/$1/status" 2>/dev/null)
	[ -n "$m" ] && (((16#$m >> 14) & 1))
}

# every command that may block is bounded; a hang shows as 143, never
# as the 124 of a timed-out wait
sig() {
	timeout --preserve-status 20 ipc-sig "$@"
}

# a receiver in the background, its output in out; returns once its pid
# file is there (so the signals are blocked)
receiver() {
	bg sig recv -P "$pf" "$@" >out 2>err
	wait_for test -s "$pf"
	rpid=$(cat "$pf")
}

# a process to signal and inspect, started with every signal unblocked
# and at its default (whatever the test runner was given), then with
# what the test asks for
target() {
	bg ipc-sig run --unblock all --default all -- ipc-sig run "$@" -- \
	    sleep 30
	tpid=$BG_LAST
	wait_comm "$tpid" sleep
}

# a mask of /proc/PID/status ($2: SigBlk, ...) as a decimal number,
# without signals 32 and 33: the C library's, which a test runner may
# hand down ignored and run cannot change
mask() {
	echo $((16#$(awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status") &
	    ~(3 << 31)))
}

# ipc-sig ls PID, without 32 and 33 (as mask says)
ls_pid() {
	ipc-sig ls "$@" | sed -E 's/,?\<3[23]\>//g; s/=,/=/'
}

@test "send: a signal by name in any case, with or without SIG, or by number" {
	need_pidfd
	for s in USR1 SIGUSR1 usr1 sigusr1 10 Usr1; do
		receiver USR1
		run sig send "$s" "$rpid"
		assert_success
		assert_output ''
		wait_bg
		run cat out
		assert_output USR1
	done
}

@test "send: RTMIN+N and RTMAX-N name the numbers bash's kill -l gives them" {
	need_pidfd
	receiver -c 2 RTMIN+3 RTMAX-2
	sig send RTMIN+3 "$rpid"
	sig send RTMAX-2 "$rpid"
	wait_bg
	run cat out
	assert_output "$(kill -l $(($(kill -l RTMIN) + 3)))
$(kill -l $(($(kill -l RTMAX) - 2)))"
	[ "$(kill -l RTMIN+3)" -eq $(($(kill -l RTMIN) + 3)) ]
}

@test "send: unknown names, RTMIN+N past RTMAX, numbers out of range: exit 2" {
	local u='usage: ipc-sig send [-q VALUE|--group PGID] SIG TARGET...'
	run --separate-stderr ipc-sig send FOO $$
	assert_failure 2
	assert_equal "$stderr" "ipc-sig: send: 'FOO' is not a signal (USR1, SIGUSR1, RTMIN+N, RTMAX-N, or a number)
$u"
	run --separate-stderr ipc-sig send RTMIN+31 $$
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: send: 'RTMIN+31': past the real-time signals (RTMIN+30, RTMAX-30 at most)"
	run --separate-stderr ipc-sig send RTMAX-99 $$
	assert_failure 2
	run --separate-stderr ipc-sig send 65 $$
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: send: '65' is not a signal number from 0 to 64"
	for s in SIG '' RTMIN+ RTMIN-1 RTMAX+1 10x 99999999999999999999; do
		run --separate-stderr ipc-sig send "$s" $$
		assert_failure 2
		assert_equal "${#stderr_lines[@]}" 2
	done
	run --separate-stderr ipc-sig send
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: send: missing SIG"
	run --separate-stderr ipc-sig send USR1
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: send: missing TARGET"
}

@test "send 0 tests that the target lives: exit 0, or 1 naming it" {
	need_pidfd
	target
	run --separate-stderr ipc-sig send 0 "$tpid"
	assert_success
	assert_equal "$stderr" ''
	kill "$tpid"
	wait "$tpid" || true
	run --separate-stderr ipc-sig send 0 "$tpid"
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: send $tpid: No such process"
}

@test "send: targets -1 and 0 are refused by value, however written: exit 2" {
	local t v
	for t in 0 00 +0 -0 000 -1 -01 -001; do
		v=0
		case $t in -*1) v=-1 ;; esac
		run --separate-stderr ipc-sig send 0 -- "$t"
		assert_failure 2
		if [ "$v" = 0 ]; then
			assert_equal "${stderr_lines[0]}" "ipc-sig: send: target $t refused: 0 is not a process: kill(2) takes it for the caller's whole group"
		else
			assert_equal "${stderr_lines[0]}" "ipc-sig: send: target $t refused: -1 is not a process: kill(2) takes it for every process"
		fi
	done
	run --separate-stderr ipc-sig send 0 -1
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: send: unknown option '-1'"
	for t in x 1.5 -- -5 ' 1' '1 ' + - 0x1 99999999999999999999 2147483648; do
		run --separate-stderr ipc-sig send 0 -- "$t"
		assert_failure 2
		assert_equal "${#stderr_lines[@]}" 2
	done
	run --separate-stderr ipc-sig send 0 -- x
	assert_equal "${stderr_lines[0]}" "ipc-sig: send: target: 'x' is not a whole number from 1 to 2147483647"
}

@test "send: a pid is decimal, read for its value: 0\$pid and +\$pid are \$pid" {
	need_pidfd
	target
	run --separate-stderr ipc-sig send 0 "00$tpid" "+$tpid"
	assert_success
	assert_equal "$stderr" ''
	kill "$tpid"
	wait "$tpid" || true
	run --separate-stderr ipc-sig send 0 "0$tpid"
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: send 0$tpid: No such process"
}

@test "send: several targets, each tried; exit 1 if any failed, each failure named" {
	need_pidfd
	target
	local a=$tpid
	target
	local b=$tpid
	kill "$a"
	wait "$a" || true
	run --separate-stderr ipc-sig send TERM "$a" "$b"
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: send $a: No such process"
	local st=0
	wait "$b" || st=$?
	[ "$st" -eq 143 ]
}

@test "send @PIDFILE: the pid in it" {
	need_pidfd
	receiver USR1
	run sig send USR1 "@$pf"
	assert_success
	wait_bg
	run cat out
	assert_output USR1
}

@test "send @PIDFILE: empty, garbage, 0, -1, missing, a FIFO or a symlink: exit 1, naming it" {
	: >empty
	run --separate-stderr ipc-sig send 0 @empty
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: send @empty: an empty pid file"
	for g in 'abc' '12 13' '-4' ' 12' '12x' '+' '2147483648'; do
		echo "$g" >garbage
		run --separate-stderr ipc-sig send 0 @garbage
		assert_failure 1
		assert_equal "$stderr" "ipc-sig: send @garbage: the pid file holds '$g': not a pid (one decimal number from 1 to 2147483647, then a newline)"
	done
	for g in 0 00 +0 -0; do
		echo "$g" >zero
		run --separate-stderr ipc-sig send 0 @zero
		assert_failure 1
		assert_equal "$stderr" "ipc-sig: send @zero: the pid file holds '$g': 0 is not a process: kill(2) takes it for the caller's whole group"
	done
	printf -- '-01' >minus
	run --separate-stderr ipc-sig send 0 @minus
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: send @minus: the pid file holds '-01': -1 is not a process: kill(2) takes it for every process"
	run --separate-stderr ipc-sig send 0 @missing
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: send @missing: No such file or directory"
	mkdir dir
	run --separate-stderr ipc-sig send 0 @dir
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: send @dir: is a directory, not a regular file"
}

@test "send @FIFO is refused at once, never opened; a symlink is never followed" {
	mkfifo fifo
	run --separate-stderr timeout 10 ipc-sig send 0 @fifo
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: send @fifo: is a FIFO, not a regular file"
	echo $$ >real
	ln -s real link
	run --separate-stderr timeout 10 ipc-sig send 0 @link
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: send @link: is a symbolic link"
}

@test "send: a bad pid file fails that target alone; the others are signalled" {
	need_pidfd
	target
	: >empty
	run --separate-stderr ipc-sig send TERM @empty "$tpid"
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: send @empty: an empty pid file"
	local st=0
	wait "$tpid" || st=$?
	[ "$st" -eq 143 ]
}

@test "send @PIDFILE refuses a process that started after the file was written" {
	need_pidfd
	target
	echo "$tpid" >old
	touch -d '1 hour ago' old
	run --separate-stderr ipc-sig send TERM @old
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: send @old: process $tpid started after the pid file was written: not the one it names"
	run ipc-sig send 0 "$tpid"
	assert_success
}

# a zombie: a child of a sleep that never waits for it; its pid in zpid
# (nothing but builtins between the & and the exec: a shell waiting for
# another child could reap it)
zombie() {
	bg sh -c 'sleep 0 & echo $! >zpid; exec sleep 30'
	wait_for test -s zpid
	zpid=$(cat zpid)
	wait_for grep -qs '^State:.Z' "/proc/$zpid/status"
}

@test "send 0 and send USR1 to a zombie: exit 1, saying it is one" {
	need_pidfd
	zombie
	for s in 0 USR1 TERM; do
		run --separate-stderr ipc-sig send "$s" "$zpid"
		assert_failure 1
		assert_equal "$stderr" "ipc-sig: send $zpid: a zombie: it has ended, and its parent has not yet waited for it"
	done
}

@test "send to a live process whose main thread has ended (State: Z): delivered, not a zombie" {
	need_pidfd
	bg leaderpeer ready >out
	local p=$BG_LAST
	wait_for test -e ready
	wait_for grep -qs '^State:.Z' "/proc/$p/status"
	run --separate-stderr ipc-sig send 0 "$p"
	assert_success
	assert_equal "$stderr" ''
	run --separate-stderr ipc-sig send USR1 "$p"
	assert_success
	assert_equal "$stderr" ''
	wait_for grep -qx USR1 out
	run --separate-stderr ipc-sig watch -t 5 "$p"
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: watch $p: its main thread has ended (the process lives on in its other threads), and ptrace(2) cannot attach to an ended thread"
}

@test "send to a kernel thread: whether it ignores the signal, never a claim of delivery" {
	need_pidfd
	local k
	# a kernel thread: PF_KTHREAD (0x200000) in field 9 of its stat
	k=$(awk '{ sub(/.*\) /, ""); if (int($7 / 2097152) % 2) { print FILENAME; exit } }' \
	    /proc/[0-9]*/stat 2>/dev/null | cut -d/ -f3)
	[ -n "$k" ] || skip "no kernel thread in sight (a pid namespace)"
	grep -q '^SigIgn:.*f$' "/proc/$k/status" || skip "kernel thread $k takes USR1"
	run --separate-stderr ipc-sig send USR1 "$k"
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: send $k: a kernel thread, which ignores SIGUSR1: not sent"
	# it lives, and only root may signal it
	run --separate-stderr ipc-sig send 0 "$k"
	if is_root; then
		assert_success
		assert_equal "$stderr" ''
	else
		assert_failure 1
		assert_equal "$stderr" "ipc-sig: send $k: Operation not permitted"
	fi
}

@test "send -q: the value and our pid reach recv -v as SI_QUEUE; kill as SI_USER" {
	need_pidfd
	receiver -v -c 2 USR1 RTMIN
	sh -c 'echo $$ >qpid; exec ipc-sig send -q -42 RTMIN "$1"' sh "$rpid"
	sh -c 'echo $$ >kpid; exec kill -USR1 "$1"' sh "$rpid"
	wait_bg
	run cat out
	assert_output "RTMIN	$(cat qpid)	$(id -u)	SI_QUEUE	-42
USR1	$(cat kpid)	$(id -u)	SI_USER	-"
}

@test "send -q: a value that is not an int: exit 2; with --group: exit 2" {
	for v in x 1.5 2147483648 -2147483649 ''; do
		run --separate-stderr ipc-sig send -q "$v" USR1 $$
		assert_failure 2
	done
	run --separate-stderr ipc-sig send -q x USR1 $$
	assert_equal "${stderr_lines[0]}" "ipc-sig: send: -q: 'x' is not a whole number from -2147483648 to 2147483647"
	run --separate-stderr ipc-sig send -q 1 --group 5 USR1
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: send: -q and --group exclude each other: sigqueue(3) signals one process"
}

@test "send --group: every process of the group; group 1 and 0 refused" {
	bg setsid sh -c 'sleep 30 & echo $! >kid; wait'
	wait_for test -s kid
	local g=$BG_LAST kid
	kid=$(cat kid)
	[ "$(ps -o pgid= "$kid" | tr -d ' ')" = "$g" ]
	run ipc-sig send TERM --group "$g"
	assert_success
	wait_for sh -c "! kill -0 $kid 2>/dev/null"
	run --separate-stderr ipc-sig send TERM --group 1
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: send: --group 1 refused: group 1 is -1 to kill(2): every process"
	run --separate-stderr ipc-sig send TERM --group 0
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: send: --group 0 refused: 0 is not a process: kill(2) takes it for the caller's whole group"
}

@test "send --group: 1, 0 and -1 refused by value in every spelling, kill(2) never called" {
	local g trace=()
	# LeakSanitizer cannot run beneath strace
	! command -v strace >/dev/null ||
	    trace=(env ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=kill
	    -o trace)
	for g in 01 001 +1 +01; do
		: >trace
		run --separate-stderr "${trace[@]}" ipc-sig send 0 --group "$g"
		assert_failure 2
		assert_equal "${stderr_lines[0]}" "ipc-sig: send: --group $g refused: group 1 is -1 to kill(2): every process"
		run grep -c 'kill(' trace
		assert_output 0
	done
	for g in 00 +0 -0 000; do
		run --separate-stderr ipc-sig send 0 --group "$g"
		assert_failure 2
		assert_equal "${stderr_lines[0]}" "ipc-sig: send: --group $g refused: 0 is not a process: kill(2) takes it for the caller's whole group"
	done
	for g in -1 -01; do
		run --separate-stderr ipc-sig send 0 --group "$g"
		assert_failure 2
		assert_equal "${stderr_lines[0]}" "ipc-sig: send: --group $g refused: -1 is not a process: kill(2) takes it for every process"
	done
	run --separate-stderr ipc-sig send 0 --group ' 1'
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: send: --group: ' 1' is not a whole number from 1 to 2147483647"
}

@test "send to another user's process: Operation not permitted, exit 1" {
	need_pidfd
	need_nobody
	target
	run --separate-stderr as_nobody ipc-sig send 0 "$tpid"
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: send $tpid: Operation not permitted"
	run --separate-stderr as_nobody ipc-sig send -q 1 USR1 "$tpid"
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: send $tpid: Operation not permitted"
}

@test "send without pidfd_open(2): Function not implemented, exit 1, never kill(2)" {
	local inject=()
	# where the kernel has it, strace takes it away (valgrind 3.19 has not)
	if sends_by_pidfd; then
		command -v strace >/dev/null || skip "no strace(1)"
		# LeakSanitizer cannot run under ptrace: the leak check is off
		inject=(env ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o /dev/null
		    -e inject=pidfd_open:error=ENOSYS)
	fi
	target
	run --separate-stderr "${inject[@]}" ipc-sig send TERM "$tpid"
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: send $tpid: Function not implemented"
	kill -0 "$tpid"
}

@test "recv: procps kill --queue as the sender: value and pid seen" {
	receiver -v RTMIN+1
	sh -c 'echo $$ >kpid; exec /bin/kill --queue 7 -s RTMIN+1 "$1"' sh "$rpid"
	wait_bg
	run cat out
	assert_output "RTMIN+1	$(cat kpid)	$(id -u)	SI_QUEUE	7"
}

@test "recv -c 100: 100 queued RTMIN signals, every one, in order" {
	# no bound on the whole (receiver's 20 s): 100 senders may take long
	# on a busy machine, but never 10 s without one more received
	bg ipc-sig recv -P "$pf" -v -c 100 RTMIN >out 2>err
	wait_for test -s "$pf"
	rpid=$(cat "$pf")
	for i in $(seq 100); do
		"$(sig_sender)" send -q "$i" RTMIN "$rpid"
	done
	progress_until 10 "lines_in out" 100
	wait_bg
	run cut -f 5 out
	assert_output "$(seq 100)"
	run cut -f 1,4 out
	assert_output "$(yes "RTMIN	SI_QUEUE" | head -n 100)"
}

@test "recv -j: one JSON object a line" {
	local top
	top=$(rt_top)
	receiver -j -c 2 USR2 "$top"
	"$(sig_sender)" send USR2 "$rpid"
	sh -c 'echo $$ >qpid; exec "$2" send -q 5 "$3" "$1"' sh "$rpid" \
	    "$(sig_sender)" "$top"
	wait_bg
	run cat out
	run sed -n 2p out
	assert_output "{\"signal\":\"$top\",\"number\":$(kill -l "$top"),\"pid\":$(cat qpid),\"uid\":$(id -u),\"code\":\"SI_QUEUE\",\"value\":5}"
	run sed -n 1p out
	assert_output --regexp "^\{\"signal\":\"USR2\",\"number\":12,\"pid\":[0-9]+,\"uid\":$(id -u),\"code\":\"SI_USER\",\"value\":null\}$"
}

@test "recv -t: a wait that runs out is 124; -t 0 tries once; -f ends at -t with 0" {
	run --separate-stderr sig recv -t 100ms USR1
	assert_failure 124
	assert_equal "$stderr" "ipc-sig: recv USR1: timed out"
	run --separate-stderr sig recv -t 0 USR1
	assert_failure 124
	# each wait of -f is bounded: long enough that a busy machine starts
	# the sender within it (300 ms once was not), short enough to end soon
	receiver -f -t 3s USR1 USR2
	"$(sig_sender)" send USR1 "$rpid"
	"$(sig_sender)" send USR2 "$rpid"
	local st=0
	wait "$BG_LAST" || st=$?
	[ "$st" -eq 0 ]
	run cat out
	assert_output "USR1
USR2"
}

@test "recv -P: the pid file holds recv's pid, and is removed on every exit" {
	receiver USR1
	comm_is "$rpid" ipc-sig
	[ "$(stat -c %a "$pf")" = 644 ]
	"$(sig_sender)" send USR1 "$rpid"
	wait_bg
	[ ! -e "$pf" ]
	receiver USR1
	kill -TERM "$rpid"
	wait_bg
	[ ! -e "$pf" ]
	run sig recv -t 50ms -P "$pf" USR1
	assert_failure 124
	[ ! -e "$pf" ]
	run ls -A "$BATS_TEST_TMPDIR"
	refute_output --partial 'pid.'
	run --separate-stderr ipc-sig recv -P nodir/pid USR1
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: recv -P nodir/pid: No such file or directory"
}

@test "recv -P: QUIT, USR2 or RTMIN+2 it does not wait for remove the pid file, 128+signal" {
	env --default-signal=INT,QUIT true 2>/dev/null ||
	    skip "env has no --default-signal (coreutils < 8.31)"
	for s in QUIT USR2 RTMIN+2; do
		# a background job starts with SIGQUIT ignored: give it back
		bg timeout --preserve-status 20 env --default-signal=INT,QUIT \
		    ipc-sig recv -P "$pf" USR1 >out 2>err
		wait_for test -s "$pf"
		kill -s "$s" "$(cat "$pf")"
		st=0
		wait "$BG_LAST" || st=$?
		[ "$st" -eq "$((128 + $(kill -l "$s")))" ]
		[ ! -e "$pf" ]
		[ ! -s out ] && [ ! -s err ]
	done
	run ls -A "$BATS_TEST_TMPDIR"
	refute_output --partial 'pid'
}

@test "recv -P: a signal it waits for is taken, not a reason to remove the pid file" {
	for s in USR2 QUIT; do
		bg timeout --preserve-status 20 env --default-signal=INT,QUIT \
		    ipc-sig recv -c 2 -P "$pf" "$s" >out 2>err
		wait_for test -s "$pf"
		kill -s "$s" "$(cat "$pf")"
		wait_for test -s out
		[ -e "$pf" ]
		kill -s "$s" "$(cat "$pf")"
		wait "$BG_LAST"
		[ "$(cat out)" = "$s
$s" ]
		[ ! -e "$pf" ]
	done
}

@test "recv: KILL, STOP and 0 are refused, as are bad names: exit 2" {
	for s in KILL SIGSTOP 9 19; do
		run --separate-stderr ipc-sig recv "$s"
		assert_failure 2
		assert_equal "${stderr_lines[0]}" "ipc-sig: recv: $s cannot be caught, blocked or ignored"
	done
	run --separate-stderr ipc-sig recv 0
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: recv: '0' is not a signal number from 1 to 64"
	run --separate-stderr ipc-sig recv 32
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: recv: signal 32 belongs to the C library"
	run --separate-stderr ipc-sig recv
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: recv: missing SIG"
	run --separate-stderr ipc-sig recv -c 2 -f USR1
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: recv: -c and -f exclude each other"
}

@test "recv to a full disk: exit 1, named, before a signal is taken" {
	run --separate-stderr sh -c 'timeout 10 ipc-sig recv -t 5 USR1 >/dev/full'
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: recv USR1: stdout: No space left on device"
}

@test "recv -f whose reader has gone ends at once, taking nothing; its pid file goes with it" {
	bg sh -c 'ipc-sig recv -f -v -P p RTMIN | head -n 1 >out; echo $? >head.st'
	wait_for test -s p
	local r
	r=$(cat p)
	run --separate-stderr ipc-sig send RTMIN @p
	assert_success
	wait_for test -s head.st
	# no second signal: the reader's end is enough to end recv
	wait_for sh -c "! kill -0 $r 2>/dev/null"
	[ ! -e p ]
	run --separate-stderr ipc-sig send RTMIN @p
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: send @p: No such file or directory"
	run cut -f1 out
	assert_output RTMIN
}

@test "recv whose stdout write fails after the take: the signal counted as taken and lost, exit 1" {
	# a file at its size limit (ulimit -f 1: 1024 bytes), XFSZ ignored:
	# the write fails with EFBIG, as one to a full disk with ENOSPC
	head -c 1024 /dev/zero >full
	bg sh -c 'ulimit -f 1; exec ipc-sig run --ignore XFSZ -- ipc-sig recv -t 20 -P p USR1 >>full 2>err'
	local b=$BG_LAST st=0
	wait_for test -s p
	run --separate-stderr ipc-sig send USR1 @p
	assert_success
	wait "$b" || st=$?
	[ "$st" -eq 1 ]
	run cat err
	assert_output "ipc-sig: recv USR1: stdout: File too large: 1 signal taken and lost, 0 written in part"
	[ "$(stat -c %s full)" -eq 1024 ]
}

@test "ls: every signal, numbered and named as bash's kill -l names them" {
	run ipc-sig ls
	assert_success
	assert_line --index 0 --regexp '^NUMBER +NAME +ACTION +DESCRIPTION$'
	assert_line --index 1 --regexp '^ +1 HUP +Term +terminal hung up, or its controller ended$'
	assert_line --regexp '^ +9 KILL +Term '
	assert_line --regexp '^ +11 SEGV +Core '
	assert_line --regexp '^ +17 CHLD +Ign '
	assert_line --regexp '^ +18 CONT +Cont '
	assert_line --regexp '^ +19 STOP +Stop '
	[ "${#lines[@]}" -eq $((1 + 31 + $(kill -l RTMAX) - $(kill -l RTMIN) + 1)) ]
	while read -r n name; do
		[ "$(kill -l "$n")" = "$name" ] ||
		    { echo "$n: $name, kill -l: $(kill -l "$n")"; return 1; }
	done < <(ipc-sig ls -H -o number,name)
}

@test "ls -o, -H, -j" {
	run ipc-sig ls -H -o name,action
	assert_line --index 0 --regexp '^HUP +Term$'
	run ipc-sig ls -j -o number,name
	assert_line --index 0 '['
	assert_line --index 1 '{"number":1,"name":"HUP"},'
	run ipc-sig ls -j
	assert_line --index 1 '{"kind":"signal","number":1,"name":"HUP","action":"Term","description":"terminal hung up, or its controller ended"},'
	run --separate-stderr ipc-sig ls -o nope
	assert_failure 2
}

@test "ls PID: pending, blocked, ignored, caught, as /proc/PID/status has them" {
	target --block USR1,RTMIN --ignore USR2,PIPE
	"$(sig_sender)" send USR1 "$tpid"
	wait_for grep -q '^ShdPnd:.*[1-9a-f]' "/proc/$tpid/status"
	run ls_pid "$tpid"
	assert_success
	assert_output "pid=$tpid
pending=
shared_pending=USR1
blocked=USR1,RTMIN
ignored=USR2,PIPE
caught="
	[ "$(mask "$tpid" SigBlk)" -eq $(((1 << 9) | (1 << ($(kill -l RTMIN) - 1)))) ]
	[ "$(mask "$tpid" SigIgn)" -eq $(((1 << 11) | (1 << 12))) ]
	[ "$(mask "$tpid" ShdPnd)" -eq $((1 << 9)) ]
	run ipc-sig ls -j -o blocked,pending "$tpid"
	assert_output '{"blocked":["USR1","RTMIN"],"pending":[]}'
	run ipc-sig ls "$BATS_ROOT_PID"
	assert_success
}

@test "ls PID: a gone process is exit 1; a bad pid exit 2" {
	target
	kill "$tpid"
	wait "$tpid" || true
	run --separate-stderr ipc-sig ls "$tpid"
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: ls $tpid: No such process"
	run --separate-stderr ipc-sig ls x
	assert_failure 2
	for p in 00 +0 -0; do
		run --separate-stderr ipc-sig ls -- "$p"
		assert_failure 2
		assert_equal "${stderr_lines[0]}" "ipc-sig: ls: PID $p refused: 0 is not a process: kill(2) takes it for the caller's whole group"
	done
	run --separate-stderr ipc-sig ls -o pid "00$$"
	assert_success
	assert_output "pid=$$"
	run --separate-stderr ipc-sig ls 1 2
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: ls: too many operands"
}

@test "run: dispositions and mask as asked, seen by ls on the child and in /proc" {
	target --block TERM,RTMAX-1 --ignore HUP,USR1 --default PIPE
	run ls_pid -o blocked,ignored,caught "$tpid"
	assert_output "blocked=TERM,RTMAX-1
ignored=HUP,USR1
caught="
	[ "$(mask "$tpid" SigBlk)" -eq $(((1 << 14) | (1 << ($(kill -l RTMAX) - 2)))) ]
	[ "$(mask "$tpid" SigIgn)" -eq $(((1 << 0) | (1 << 9))) ]
}

@test "run --block all: every signal but KILL and STOP; --unblock and --default undo" {
	target --block all
	local want=0 n
	for ((n = 1; n <= $(kill -l RTMAX); n++)); do
		case $n in 9 | 19 | 32 | 33) continue ;; esac
		want=$((want | (1 << (n - 1))))
	done
	[ "$(mask "$tpid" SigBlk)" -eq "$want" ]
	bg sh -c 'trap "" USR1; exec ipc-sig run --block all --unblock USR2 --default USR1 -- sleep 30'
	wait_comm "$BG_LAST" sleep
	[ "$(mask "$BG_LAST" SigBlk)" -eq $((want & ~(1 << 11))) ]
	run ipc-sig ls -o ignored "$BG_LAST"
	refute_output --partial USR1
}

@test "run --block: every signal named (a long list), ALL in any case, all among names" {
	local all names
	all=$(ipc-sig run --block all -- grep SigBlk /proc/self/status)
	names=$(ipc-sig ls -H -o name | grep -vx 'KILL\|STOP' | paste -sd, -)
	[ "$(tr -cd , <<<"$names" | wc -c)" -ge 43 ]
	run --separate-stderr ipc-sig run --block "$names" -- grep SigBlk /proc/self/status
	assert_success
	assert_output "$all"
	run --separate-stderr ipc-sig run --block "SIG${names//,/,SIG}" -- grep SigBlk /proc/self/status
	assert_success
	assert_output "$all"
	for l in ALL All all,USR1 USR1,ALL,int; do
		run --separate-stderr ipc-sig run --block "$l" -- grep SigBlk /proc/self/status
		assert_success
		assert_output "$all"
	done
	# all among names still takes the other list as its exceptions
	run --separate-stderr ipc-sig run --block ALL,USR1 --unblock USR2 -- \
	    grep SigBlk /proc/self/status
	assert_success
	assert_output "SigBlk:	$(printf '%016x' $((16#${all#*:	} & ~(1 << 11))))"
	run --separate-stderr ipc-sig run --block all,KILL -- true
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: run: --block: KILL cannot be caught, blocked or ignored"
	run --separate-stderr ipc-sig run --ignore INT,32 -- true
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: run: --ignore: signal 32 belongs to the C library"
}

@test "run: SIGPIPE as it was given to us, though ipc-sig ignores it for itself" {
	target
	run ls_pid -o ignored "$tpid"
	assert_output 'ignored='
	bg sh -c 'trap "" PIPE; exec ipc-sig run -- sleep 30'
	wait_comm "$BG_LAST" sleep
	run ipc-sig ls -o ignored "$BG_LAST"
	assert_output --regexp '(^|[=,])PIPE(,|$)'
	run sh -c 'ipc-sig run -- yes | head -n 1'
	assert_success
	assert_output y
}

@test "run: KILL or STOP, overlaps and a missing CMD refused: exit 2" {
	local u='usage: ipc-sig run [--block SIGS] [--unblock SIGS] [--ignore SIGS] [--default SIGS] -- CMD...'
	for o in --ignore --default --block --unblock; do
		run --separate-stderr ipc-sig run "$o" INT,KILL -- true
		assert_failure 2
		assert_equal "$stderr" "ipc-sig: run: $o: KILL cannot be caught, blocked or ignored
$u"
	done
	run --separate-stderr ipc-sig run --ignore STOP -- true
	assert_failure 2
	run --separate-stderr ipc-sig run --ignore INT --default int -- true
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: run: INT is both in --ignore and in --default"
	run --separate-stderr ipc-sig run --block all --unblock all -- true
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: run: --block all and --unblock all exclude each other"
	run --separate-stderr ipc-sig run --ignore INT,,HUP -- true
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: run: --ignore: an empty name in 'INT,,HUP'"
	run --separate-stderr ipc-sig run --ignore NOPE -- true
	assert_failure 2
	run --separate-stderr ipc-sig run --ignore INT
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: run: missing CMD"
}

@test "run: CMD's status is ours; 127 not found, 126 not runnable, as timeout(1)" {
	run ipc-sig run -- sh -c 'exit 3'
	assert_failure 3
	run -127 --separate-stderr ipc-sig run -- ./no-such-command-here
	assert_equal "$stderr" "ipc-sig: run ./no-such-command-here: No such file or directory"
	echo 'echo hi' >noexec
	chmod 644 noexec
	if is_root; then
		mkdir d
		run --separate-stderr ipc-sig run -- ./d
	else
		run --separate-stderr ipc-sig run -- ./noexec
	fi
	assert_failure 126
	assert_equal "$stderr" "ipc-sig: run ./$(is_root && echo d || echo noexec): Permission denied"
	run ipc-sig run --ignore INT -- sh -c 'echo ok'
	assert_success
	assert_output ok
}

@test "ipc-sig -h lists the verbs" {
	run ipc-sig -h
	assert_success
	assert_line '       ipc-sig send [-q VALUE|--group PGID] SIG TARGET...'
	assert_line '       ipc-sig recv [-t DUR] [-c N|-f] [-P PIDFILE] [-v] [-j] SIG...'
	assert_line '       ipc-sig ls [-H] [--notruncate] [-o LIST] [-j] [PID]'
	assert_line '       ipc-sig run [--block SIGS] [--unblock SIGS] [--ignore SIGS] [--default SIGS] -- CMD...'
	assert_line '       ipc-sig watch [-t DUR] [-c N|-f] [-j] PID'
}

# --- watch ---

# watch traces the test's own processes, which Yama allows at 1 only to
# root (CAP_SYS_PTRACE), at 2 only to CAP_SYS_PTRACE, and at 3 to nobody
need_ptrace() {
	local s
	s=$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null) || return 0
	[ "$s" -eq 0 ] && return 0
	[ "$s" -lt 3 ] && is_root && return 0
	skip "kernel.yama.ptrace_scope is $s: the test's processes may not be traced"
}

# the tracer of process or thread $1 (TracerPid): a pid, or 0
tracer() {
	awk '$1 == "TracerPid:" { print $2 }' "/proc/$1/status"
}

traced() {
	[ "$(tracer "$1")" -ne 0 ]
}

# every thread of process $1 is traced (any $2: none is)
all_traced() {
	local t n
	for t in "/proc/$1"/task/*; do
		n=$(tracer "$1/task/${t##*/}") || return 1
		if [ -z "${2:-}" ]; then
			[ "$n" -ne 0 ] || return 1
		else
			[ "$n" -eq 0 ] || return 1
		fi
	done
}

# the state letter of process $1: S sleeping, T stopped, t traced and stopped
state() {
	awk '$1 == "State:" { print $2 }' "/proc/$1/status"
}
in_state() {
	[ "$(state "$1")" = "$2" ]
}

# a process to watch, tests/peers/sigpeer with "$@" (threads): its pid
# in tpid, what its handlers saw in tout; returns once they are set
peer() {
	rm -f ready
	bg sigpeer ready "$@" >tout
	tpid=$BG_LAST
	wait_for test -e ready
}

# ipc-sig watch "$@" $tpid in the background, bounded, its output in out
# and err; returns once it traces every thread. wpid is timeout's, which
# passes a signal on and ends as watch does (not sig's: a shell between)
watcher() {
	bg timeout --preserve-status 20 ipc-sig watch "$@" "$tpid" >out 2>err
	wpid=$BG_LAST
	wait_for all_traced "$tpid"
}

# background job $1 ends with status $2
ends_with() {
	local st=0
	wait "$1" || st=$?
	[ "$st" -eq "$2" ] ||
	    { echo "ends_with: $1 ended with $st, not $2" >&2; return 1; }
}

@test "watch: a kill from another process, with its pid, uid and command; delivered as it came" {
	need_ptrace
	peer
	watcher
	ln -s "$(command -v bash)" sender
	bg ./sender -c 'kill -USR1 "$1"; sleep 30 & wait' sender "$tpid"
	local spid=$BG_LAST
	ends_with "$wpid" 0
	run cat out
	assert_output "USR1	$spid	$(id -u)	SI_USER	-	sender"
	run cat err
	assert_output ''
	# the target's own handler was given the sender's siginfo, not ours
	wait_for grep -qx "USR1 $spid" tout
	[ "$(tracer "$tpid")" -eq 0 ]
	kill -0 "$tpid"
}

@test "watch -c 2: two, each with its code and value, written as each comes" {
	need_ptrace
	peer
	watcher -c 2
	kill -USR2 "$tpid"
	wait_for grep -q '^USR2' out
	sh -c 'echo $$ >qpid; exec "$2" send -q 7 USR1 "$1"' sh "$tpid" \
	    "$(sig_sender)"
	ends_with "$wpid" 0
	run sed -n 1p out
	assert_output "USR2	$BASHPID	$(id -u)	SI_USER	-	$(cat "/proc/$BASHPID/comm")"
	# the sender has ended by now, or not: its command is there or -
	run sed -n 2p out
	assert_output --regexp "^USR1	$(cat qpid)	$(id -u)	SI_QUEUE	7	(ipc-sig|-)\$"
	[ "$(wc -l <out)" -eq 2 ]
	wait_for grep -qx "USR1 $(cat qpid)" tout
	all_traced "$tpid" none
}

@test "watch -j: one JSON object a line, recv -j's fields and the command" {
	need_ptrace
	peer
	watcher -j -c 2
	kill -USR1 "$tpid"
	wait_for grep -q USR1 out
	sh -c 'echo $$ >qpid; exec "$2" send -q -5 USR2 "$1"' sh "$tpid" \
	    "$(sig_sender)"
	ends_with "$wpid" 0
	run sed -n 1p out
	assert_output "{\"signal\":\"USR1\",\"number\":10,\"pid\":$BASHPID,\"uid\":$(id -u),\"code\":\"SI_USER\",\"value\":null,\"command\":\"$(cat "/proc/$BASHPID/comm")\"}"
	run python3 -c '
import json, sys
for line in open("out"):
    d = json.loads(line)
    print(d["signal"], d["number"], d["pid"], d["code"], d["value"],
        d["command"] in ("ipc-sig", None) if d["signal"] == "USR2" else d["command"])'
	assert_success
	assert_output "USR1 10 $BASHPID SI_USER None $(cat "/proc/$BASHPID/comm")
USR2 12 $(cat qpid) SI_QUEUE -5 True"
}

@test "watch -t: nothing within it is 124, named; -f ends at -t with 0 once one came" {
	need_ptrace
	peer
	run --separate-stderr sig watch -t 0.2 "$tpid"
	assert_failure 124
	assert_equal "$stderr" "ipc-sig: watch $tpid: timed out"
	assert_output ''
	run --separate-stderr sig watch -t 0 "$tpid"
	assert_failure 124
	[ "$(tracer "$tpid")" -eq 0 ]
	watcher -f -t 1
	kill -USR1 "$tpid"
	ends_with "$wpid" 0
	run cut -f 1 out
	assert_output USR1
	run cat err
	assert_output ''
	watcher -c 2 -t 1
	kill -USR2 "$tpid"
	ends_with "$wpid" 124
	run cut -f 1 out
	assert_output USR2
	[ "$(tracer "$tpid")" -eq 0 ]
	kill -0 "$tpid"
}

@test "watch: SIGTERM, SIGINT or SIGHUP lets the target go, then watch dies of it" {
	need_ptrace
	env --default-signal=INT true 2>/dev/null ||
	    skip "env has no --default-signal (coreutils < 8.31)"
	peer
	for s in TERM INT HUP; do
		# a background job starts with SIGINT ignored: give it back
		bg env --default-signal=INT ipc-sig watch -f "$tpid" >out 2>err
		wait_for traced "$tpid"
		ends_by "$BG_LAST" "$s"
		[ "$(tracer "$tpid")" -eq 0 ]
		[ ! -s out ] && [ ! -s err ]
	done
	kill -USR1 "$tpid"
	wait_for grep -q '^USR1 ' tout
}

@test "watch: a STOP is reported and the stop kept; a stopped target stays stopped" {
	need_ptrace
	peer
	watcher -f
	kill -STOP "$tpid"
	wait_for grep -q '^STOP' out
	wait_for in_state "$tpid" t
	ends_by "$wpid" TERM
	# let go, it passes from the tracer's stop back to its own
	wait_for in_state "$tpid" T
	[ "$(tracer "$tpid")" -eq 0 ]
	# stopped before watch: it passes the stop over, and leaves it so
	run sig watch -t 0.3 "$tpid"
	assert_failure 124
	wait_for in_state "$tpid" T
	[ "$(tracer "$tpid")" -eq 0 ]
	kill -CONT "$tpid"
	wait_for in_state "$tpid" S
	kill -USR1 "$tpid"
	wait_for grep -q '^USR1 ' tout
}

@test "watch: the target's end is said; exit 0 with -f, 1 short of -c" {
	need_ptrace
	peer
	watcher -c 3
	kill -USR1 "$tpid"
	wait_for grep -q '^USR1' out
	kill -TERM "$tpid"
	ends_with "$wpid" 1
	run cut -f 1 out
	assert_output "USR1
TERM"
	run cat err
	assert_output "ipc-sig: watch $tpid: the process has ended: exit status 3"
	ends_with "$tpid" 3
	# SIGKILL makes no stop: only the end shows it
	peer
	watcher -f
	kill -KILL "$tpid"
	ends_with "$wpid" 0
	run cat out
	assert_output ''
	run cat err
	assert_output "ipc-sig: watch $tpid: the process has ended: killed by SIGKILL"
}

@test "watch: every thread is traced, and one made later; each is let go" {
	need_ptrace
	peer 3
	watcher -c 2
	[ "$(ls "/proc/$tpid/task" | wc -l)" -eq 4 ]
	kill -USR2 "$tpid"
	wait_for grep -q '^thread ' tout
	local t
	t=$(awk '$1 == "thread" { print $2 }' tout)
	[ "$(tracer "$tpid/task/$t")" -eq "$(tracer "$tpid")" ]
	# only the new thread takes USR1: it is seen there, or not at all
	kill -USR1 "$tpid"
	ends_with "$wpid" 0
	run cut -f 1 out
	assert_output "USR2
USR1"
	wait_for grep -q '^USR1 ' tout
	all_traced "$tpid" none
}

@test "watch: a missing, 0, -1 or malformed PID is a usage error: exit 2" {
	local u='usage: ipc-sig watch [-t DUR] [-c N|-f] [-j] PID'
	run --separate-stderr ipc-sig watch
	assert_failure 2
	assert_equal "$stderr" "ipc-sig: watch: missing PID
$u"
	for p in 0 00 +0 -0; do
		run --separate-stderr ipc-sig watch -- "$p"
		assert_failure 2
		assert_equal "$stderr" "ipc-sig: watch: PID $p refused: 0 is not a process: kill(2) takes it for the caller's whole group
$u"
	done
	for p in -1 -01; do
		run --separate-stderr ipc-sig watch -- "$p"
		assert_failure 2
		assert_equal "$stderr" "ipc-sig: watch: PID $p refused: -1 is not a process: kill(2) takes it for every process
$u"
	done
	run --separate-stderr ipc-sig watch -1
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: watch: unknown option '-1'"
	for p in x 1.5 '' 12x -- -5 2147483648; do
		run --separate-stderr ipc-sig watch -- "$p"
		assert_failure 2
		assert_equal "${#stderr_lines[@]}" 2
	done
	run --separate-stderr ipc-sig watch x
	assert_equal "${stderr_lines[0]}" "ipc-sig: watch: PID: 'x' is not a whole number from 1 to 2147483647"
	run --separate-stderr ipc-sig watch 1 2
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: watch: too many operands"
	run --separate-stderr ipc-sig watch -c 2 -f 1
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-sig: watch: -c and -f exclude each other"
	run --separate-stderr ipc-sig watch -t soon 1
	assert_failure 2
}

@test "watch: no such process is exit 1, named; so is a full stdout, before it traces" {
	peer
	local gone=$tpid
	kill "$gone"
	wait "$gone" || true
	run --separate-stderr ipc-sig watch "$gone"
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: watch $gone: No such process"
	need_ptrace
	peer
	run --separate-stderr sh -c 'timeout 10 ipc-sig watch -t 5 "$1" >/dev/full' sh "$tpid"
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: watch $tpid: stdout: No space left on device"
	[ "$(tracer "$tpid")" -eq 0 ]
}

@test "watch another user's process: Operation not permitted, and why; exit 1" {
	need_nobody
	local s
	s=$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null) || s=0
	[ "$s" -lt 2 ] || skip "kernel.yama.ptrace_scope is $s: Yama refuses first"
	peer
	run --separate-stderr as_nobody ipc-sig watch -t 1 "$tpid"
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: watch $tpid: Operation not permitted (another user's process, uid 0: only CAP_SYS_PTRACE may trace it)"
	[ "$(tracer "$tpid")" -eq 0 ]
}

@test "watch a process another tracer holds: refused, naming the tracer" {
	need_ptrace
	peer
	watcher -f
	local w
	w=$(tracer "$tpid")
	run --separate-stderr sig watch -t 1 "$tpid"
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: watch $tpid: already traced by $w ($(cat "/proc/$w/comm"))"
	# the first is undisturbed
	kill -USR1 "$tpid"
	wait_for grep -q '^USR1' out
	[ "$(tracer "$tpid")" -eq "$w" ]
}

@test "watch under Yama: refused with ptrace_scope's value and what it means" {
	local s m
	s=$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null) ||
	    skip "no Yama on this kernel (no kernel.yama.ptrace_scope)"
	[ "$s" -ge 1 ] || skip "kernel.yama.ptrace_scope is 0: Yama refuses nothing"
	if is_root && [ "$s" -lt 3 ]; then
		skip "root may trace at kernel.yama.ptrace_scope $s: run as an ordinary user"
	fi
	case $s in
	1) m="kernel.yama.ptrace_scope is 1: only a process's ancestors, one it names with prctl(PR_SET_PTRACER), or CAP_SYS_PTRACE may trace it" ;;
	2) m="kernel.yama.ptrace_scope is 2: only CAP_SYS_PTRACE may trace" ;;
	*) m="kernel.yama.ptrace_scope is 3: nothing may be traced" ;;
	esac
	peer
	run --separate-stderr sig watch -t 1 "$tpid"
	assert_failure 1
	assert_equal "$stderr" "ipc-sig: watch $tpid: Operation not permitted ($m)"
}

@test "run: a directory on PATH it may not search holds no CMD: not found, 127, as the shell has it" {
	need_nobody
	mkdir locked
	chmod 0 locked
	run -127 --separate-stderr as_nobody env PATH="$PWD/locked:$PATH" \
	    ipc-sig run -- "nosuch-$$"
	assert_equal "$stderr" "ipc-sig: run nosuch-$$: No such file or directory"
}
