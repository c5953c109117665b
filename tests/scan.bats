#!/usr/bin/env bats
# How ls reads /proc: each process's descriptors once a run, and for
# each row only what it shows. The system calls are counted with
# strace (what a run reads, never how long it takes), and the rows are
# checked to be what they were: every holder, each once, each way.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR" || return
	need_strace
	# under a wrapper (valgrind) the calls traced are the wrapper's
	[ -z "${IPC_WRAP:-}" ] || skip "counts the command's own system calls"
	# LeakSanitizer stops the world with ptrace, which a traced process
	# cannot do
	export ASAN_OPTIONS=detect_leaks=0
}

teardown() {
	teardown_bg
	return 0
}

# traced CALLS CMD...: run CMD under strace -e trace=CALLS, its trace
# in ./trace, its stdout and stderr apart
traced() {
	local calls=$1
	shift
	run --separate-stderr timeout 60 strace -qq -f -o trace \
	    -e trace="$calls" "$@"
}

# how many lines of ./trace match the extended regex $1
calls() {
	grep -cE "$1" trace || true
}

# --- scans that read each process once ---------------------------------------

@test "ipc-pipe ls: a holder named in many rows has its name read once" {
	mkfifo a b
	bg alone sh -c 'exec sleep 30 3<>a 4<>b'
	p=$BG_LAST
	wait_comm "$p" sleep
	wait_for holds "$p" b
	traced openat ipc-pipe ls -H -o path,readers,writers .
	assert_success
	assert_output "./a $p(sleep) $p(sleep)
./b $p(sleep) $p(sleep)"
	# four names of one process, one read of its comm
	[ "$(calls "/proc/$p/comm\"")" -eq 1 ]
}

@test "ipc-pipe ls: who reads and who writes, without opening any fdinfo" {
	mkfifo a b
	bg alone sh -c 'exec sleep 30 3<>a'
	rw=$BG_LAST
	bg alone sh -c 'exec sleep 30 3<b'
	r=$BG_LAST
	bg alone sh -c 'exec sleep 30 3>b'
	w=$BG_LAST
	wait_comm "$r" sleep
	wait_comm "$w" sleep
	wait_for holds "$rw" a
	wait_for holds "$r" b
	wait_for holds "$w" b
	traced openat,open ipc-pipe ls -H -o path,readers,writers .
	assert_success
	assert_output "./a $rw(sleep) $rw(sleep)
./b $r(sleep) $w(sleep)"
	# each descriptor's mode from its /proc link's own mode
	[ "$(calls 'fdinfo')" -eq 0 ]
}

@test "ipc-pipe ls: the owner's and group's names are asked once for rows of one owner" {
	mkfifo a b c
	traced openat ipc-pipe ls -H -o path,owner,group .
	assert_success
	u=$(id -un) g=$(id -gn)
	assert_output "./a $u $g
./b $u $g
./c $u $g"
	[ "$(calls '"/etc/passwd"')" -le 1 ]
	[ "$(calls '"/etc/group"')" -le 1 ]
}

@test "ipc-pipe ls: a FIFO held by many processes lists each once, in pid order" {
	mkfifo f
	want=
	for i in $(seq 12); do
		bg alone sh -c 'exec sleep 30 3<>f'
		want="$want${want:+ }$BG_LAST"
	done
	for p in $want; do
		wait_comm "$p" sleep
		wait_for holds "$p" f
	done
	run --separate-stderr ipc-pipe ls -H -o readers,writers .
	assert_success
	list=$(printf '%s\n' $want | sort -n | sed 's/$/(sleep)/' | paste -sd,)
	assert_output "$list $list"
}

@test "ipc-pipe ls --pid: only its rows are filled, the others' bytes never read" {
	mkfifo a b
	bg alone sh -c 'exec sleep 30 3<>a'
	p=$BG_LAST
	bg alone sh -c 'exec sleep 30 3<>b'
	q=$BG_LAST
	wait_comm "$p" sleep
	wait_comm "$q" sleep
	wait_for holds "$p" a
	wait_for holds "$q" b
	traced pidfd_getfd,readlink ipc-pipe ls -H --pid "$p" -o path,bytes,pid_role
	assert_success
	assert_output "$BATS_TEST_TMPDIR/a 0 reader,writer"
	# a's fill through its one reader's descriptor; no other pipe's
	[ "$(calls '^[0-9]+ +pidfd_getfd')" -eq 1 ]
	[ "$(calls "readlink\(\"/proc/$q/")" -eq 0 ]
}

@test "ipc-sock ls --pid: only its sockets are filled, no other socket's file looked at" {
	bg alone timeout 30 ipc-sock recv -f other.sock
	wait_for unix_bound other.sock l
	bg alone sh -c 'exec sleep 30'
	p=$BG_LAST
	wait_comm "$p" sleep
	traced lstat,newfstatat,stat ipc-sock ls -H --pid "$p" -o inode,name
	assert_success
	assert_output ""
	[ "$(calls 'other\.sock')" -eq 0 ]
}
