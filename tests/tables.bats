#!/usr/bin/env bats
# Tables a person can read: cut to a terminal's width (never when piped),
# free text with its spaces, sockets named where they are, one note for
# the processes that could not be read, pid files that fail to act.

load helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	teardown_bg
}

# --- cut to the terminal ----------------------------------------------------

# CMD... on a terminal 80 columns wide, its lines without the terminal's
# \r; its stderr, which the terminal would mix in, to the file err
on_tty80() {
	script -qec "stty cols 80; $* 2>err" /dev/null | tr -d '\r'
}

# the longest line of stdin, in characters (… is one)
widest() {
	LC_ALL=C.UTF-8 wc -L
}

# at least $2 children of process $1
children() { [ "$(pgrep -c -P "$1")" -ge "$2" ]; }

# a FIFO with one reader ($reader) and 31 writers, so the writers column
# of ipc-pipe ls is some 400 columns wide
many_writers() {
	mkfifo p
	bg sh -c 'exec sleep 300 <p'
	reader=$BG_LAST
	bg sh -c 'for i in $(seq 30); do sleep 300 & done; exec sleep 300' >p
	writers=$BG_LAST
	wait_comm "$reader" sleep
	wait_for children "$writers" 30
}

# the line of ipc-pipe ls's $output that shows the FIFO p
fifo_row() {
	grep '^fifo ' <<<"$output"
}

@test "ls on a terminal: a row too wide is cut to 80 columns with an ellipsis" {
	many_writers
	run on_tty80 ipc-pipe ls --pid "$reader"
	assert_success
	assert_line --index 0 --regexp '^KIND +INODE +BYTES +READERS +WRITERS +ORPHAN +PATH +PID_ROLE$'
	[ "$(printf '%s\n' "$output" | widest)" -le 80 ]
	# the pid lists are cut first (how far depends on the pids' widths);
	# the role, a word, is whole
	run fifo_row
	assert_output --regexp "^fifo +[0-9]+ +0 [0-9]+\\([^ ]* [0-9]+\\([^ ]*… no +/.*reader$"
}

@test "ls --notruncate on a terminal, and ls piped, keep every writer" {
	many_writers
	run on_tty80 ipc-pipe ls --notruncate --pid "$reader"
	assert_success
	refute_output --partial …
	[ "$(printf '%s\n' "$output" | widest)" -gt 80 ]
	run fifo_row
	[ "$(grep -o '[0-9]*(sleep)' <<<"$output" | wc -l)" -eq 32 ]
	run --separate-stderr ipc-pipe ls --pid "$reader"
	assert_success
	refute_output --partial …
	run fifo_row
	[ "$(grep -o '[0-9]*(sleep)' <<<"$output" | wc -l)" -eq 32 ]
}

@test "ls on a terminal: COLUMNS is not asked where the terminal has a size" {
	run script -qec "stty cols 40; COLUMNS=200 ipc-sig ls" /dev/null
	assert_success
	assert_line --index 1 $'     1 HUP      Term   terminal hung up…\r'
}

@test "--notruncate is a shared option of every ls, and of ipc-proc stat" {
	local c
	for c in pipe mq shm sem sock sig proc; do
		run "ipc-$c" ls -h
		assert_success
		assert_line '      --notruncate         never cut a column to fit the terminal'
	done
	run ipc-proc stat -h
	assert_line '      --notruncate         never cut a column to fit the terminal'
	run -2 --separate-stderr ipc-pipe stat --notruncate p
	assert_equal "${stderr_lines[0]}" \
	    "ipc-pipe: stat: unknown option '--notruncate'"
}

# --- free text with its spaces ----------------------------------------------

@test "ipc-sig ls: the description keeps its spaces" {
	run ipc-sig ls
	assert_success
	assert_line --index 1 '     1 HUP      Term   terminal hung up, or its controller ended'
	run ipc-sig ls -H -o name,description
	assert_line --index 1 'INT      interrupt from the keyboard'
}

# --- pid files that fail to act ---------------------------------------------

@test "send @PIDFILE: missing, a directory or unreadable: exit 1, naming it" {
	run -1 --separate-stderr ipc-sig send 0 @missing.pid
	assert_equal "$stderr" "ipc-sig: send @missing.pid: No such file or directory"
	assert_output ""
	mkdir dir
	run -1 --separate-stderr ipc-sig send 0 @dir
	assert_equal "$stderr" "ipc-sig: send @dir: is a directory, not a regular file"
	need_nobody
	chmod 0755 "$BATS_TEST_TMPDIR"
	echo $$ >secret.pid
	chmod 0600 secret.pid
	run -1 --separate-stderr as_nobody ipc-sig send 0 @secret.pid
	assert_equal "$stderr" "ipc-sig: send @secret.pid: Permission denied"
	assert_output ""
}

# --- the processes that could not be read -----------------------------------

# CMD... as nobody in a pid namespace of its own, under a shell that is its
# pid 1 (root's, so nobody cannot read it) and, with $1 = 2, a root sleep
# beside it (pid 2); its stderr in $stderr. Skips where no pid namespace
# with its own /proc can be made (a chroot, a container without the right)
in_pidns() {
	local two=$1
	shift
	need_root "makes a pid namespace and runs a command as nobody in it"
	timeout 20 unshare -pf --mount-proc true 2>/dev/null ||
	    skip "no pid namespace with its own /proc here"
	chmod 0755 "$BATS_TEST_TMPDIR"
	run --separate-stderr timeout 60 unshare -pf --mount-proc sh -c '
		[ "$1" = 2 ] && { sleep 300 & }
		shift
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
		st=$?
		[ -n "$!" ] && kill $!
		exit $st' sh "$two" "$@"
}

@test "unread note: how many and which, the same words in every command" {
	in_pidns 1 ipc-mq ls
	assert_success
	assert_equal "$stderr" "ipc-mq: ls: 1 process (pid 1) could not be inspected: holders may be partial, and an object marked orphan may be held by one of them"
	in_pidns 2 ipc-sock ls
	assert_success
	assert_equal "$stderr" "ipc-sock: ls: 2 processes (pids 1, 2) could not be inspected: holders may be partial"
	in_pidns 1 ipc-proc ls -a
	assert_success
	assert_equal "$stderr" "ipc-proc: ls: 1 process (pid 1) could not be inspected: its objects are not shown"
}

@test "unread note: said once a run, however many objects ask" {
	mkdir d1 d2
	mkfifo d1/a d2/b
	chmod 0755 d1 d2
	in_pidns 2 ipc-pipe ls -H -o path,readers d1 d2
	assert_success
	assert_equal "$stderr" "ipc-pipe: ls: 2 processes (pids 1, 2) could not be inspected: readers and writers may be partial"
	assert_output "d1/a -
d2/b -"
}

# --- sockets named where they are -------------------------------------------

# python3 binds the socket $2 (a name relative to the directory $1), listens,
# then works from the directory $3 (default: $1); ready when $1/ready exists
bind_relative() {
	bg timeout 60 python3 -c 'import os, socket, sys, time
top = os.getcwd()
os.chdir(sys.argv[1])
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[2])
s.listen(1)
os.chdir(os.path.join(top, sys.argv[3]))
open(os.path.join(top, sys.argv[1], "ready"), "w").close()
time.sleep(60)' "$1" "$2" "${3:-$1}"
	wait_for test -e "$1/ready"
}

@test "ipc-sock ls: a socket bound by a relative name is named where it is" {
	mkdir sub
	bind_relative sub pE-comp.sock
	run --separate-stderr sh -c "ipc-sock ls -H -o state,name,path,mode | grep -F comp.sock"
	assert_success
	assert_output --regexp "^listen +$BATS_TEST_TMPDIR/sub/pE-comp\\.sock +$BATS_TEST_TMPDIR/sub/pE-comp\\.sock +0[0-7]{3}\$"
	run --separate-stderr sh -c "ipc-sock ls | grep -F comp.sock"
	assert_output --regexp "^stream +listen +[0-9]+ +[0-9]+\\(python3\\) +- +- +$BATS_TEST_TMPDIR/sub/pE-comp\\.sock\$"
}

@test "ipc-sock ls: a relative name is never taken for another file of that name" {
	mkdir sub other
	bind_relative sub x-decoy.sock other
	# another socket file of that name where the binder now works
	python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind("other/x-decoy.sock")'
	run --separate-stderr sh -c "ipc-sock ls -H -o state,name,path | grep -F x-decoy.sock"
	assert_success
	assert_output --regexp '^listen +x-decoy\.sock +-$'
}

@test "ipc-sock ls: a relative name is found by a process that holds the file open" {
	mkdir sub
	bg timeout 60 python3 -c 'import os, socket, time
os.chdir("sub")
s = socket.socket(socket.AF_UNIX)
s.bind("held.sock")
s.listen(1)
f = os.open("held.sock", os.O_PATH)
os.chdir("/")
open(os.path.join(os.environ["BATS_TEST_TMPDIR"], "ready"), "w").close()
time.sleep(60)'
	wait_for test -e ready
	run --separate-stderr sh -c "ipc-sock ls -H -o state,name | grep -F held.sock"
	assert_success
	assert_output --regexp "^listen +$BATS_TEST_TMPDIR/sub/held\\.sock\$"
}

@test "ipc-sock ls DIR: a PATH column by default; a stale file shows its path" {
	mkdir d
	bind_relative d live.sock
	python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind("d/old.sock")'
	run --separate-stderr ipc-sock ls d
	assert_success
	assert_line --index 0 --regexp '^TYPE +STATE +INODE +HOLDERS +PEER +PEER_HOLDERS +PATH$'
	assert_line --index 1 --regexp '^stream +listen +[0-9]+ +[0-9]+\(python3\) +- +- +d/live\.sock$'
	assert_line --index 2 --regexp '^- +stale +- +- +- +- +d/old\.sock$'
	[ "${#lines[@]}" -eq 3 ]
}
