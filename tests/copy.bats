#!/usr/bin/env bats
# The bulk copy every stream verb shares (lib/copy.c), where neither
# side is a pipe: a socket into a file, into /dev/null, appended to a
# file; a file into a socket. Bytes exact, what was taken and not
# written counted, the waits still bounded by -t.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR" || return
	s=c$$-$BATS_TEST_NUMBER.sock
}

teardown() {
	teardown_bg
}

# every command that may block is bounded
sock() {
	timeout --preserve-status 20 ipc-sock "$@"
}

listens() { unix_bound "$1" l; }

# recv at $s in the background, its stdout redirected as $1 says (a
# shell redirection), stderr in err; ready once it listens
receiver() {
	bg sh -c "exec timeout 20 ipc-sock recv \"\$1\" $1 2>err" sh "$s"
	wait_for listens "$s"
}

# data: $1 bytes, not all alike
data() {
	head -c "$1" /dev/urandom >data
}

# the calls CMD... and its children made, one a line, each descriptor
# named (strace -y), in the file trace; CMD's stdout in callout.
# LeakSanitizer stops the world with ptrace, which a traced process
# cannot do.
calls_of() {
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -y -o trace \
	    -e trace=read,write,splice,pipe2 "$@" >callout
}

# how many calls in the file trace are $1 (a regex: read|write) on the
# data: a socket, or a file named data or out
data_calls() {
	grep -Ec "^[0-9]* *($1)\\([0-9]+<(socket:|[^>]*/(data|out)>)" trace
}

# --- copy through a pipe of our own ------------------------------------------

@test "copy: recv into a regular file, send from one: every byte, in order" {
	data 5000000
	receiver ">out"
	run sock send "$s" < data
	assert_success
	assert_output ""
	wait_bg
	[ ! -s err ]
	cmp data out
}

@test "copy: recv into /dev/null takes the whole stream, exit 0" {
	data 3000000
	receiver ">/dev/null"
	run sock send "$s" < data
	assert_success
	wait_bg
	[ ! -s err ]
	[ ! -e "$s" ]
}

@test "copy: a socket into a file and a file into a socket splice, no read/write of the data" {
	need_strace
	[ -z "${IPC_WRAP:-}" ] || skip "under valgrind, strace would trace valgrind"
	data 4194304
	bg calls_of timeout 20 ipc-sock recv "$s"
	wait_for listens "$s"
	run -0 sock send "$s" < data
	wait_bg
	cmp data callout
	# read/write would take 64 calls of 64 KiB each way
	[ "$(grep -c '^[0-9]* *splice(' trace)" -ge 4 ]
	[ "$(data_calls 'read|write')" -eq 0 ]
	bg timeout 20 ipc-sock recv "$s" >/dev/null
	wait_for listens "$s"
	run -0 calls_of timeout 20 ipc-sock send "$s" < data
	wait_bg
	[ "$(grep -c '^[0-9]* *splice(' trace)" -ge 4 ]
	[ "$(data_calls 'read|write')" -eq 0 ]
}

@test "copy: recv >> a file appends after what it had, exact (splice refuses O_APPEND)" {
	data 3000000
	printf 'kept\n' >out
	receiver ">>out"
	run -0 sock send "$s" < data
	wait_bg
	[ ! -s err ]
	cmp <(printf 'kept\n'; cat data) out
}

@test "copy: send from a file starts where its offset is and leaves it at the end" {
	data 2000000
	receiver ">out"
	run -0 timeout 20 sh -c '{ dd bs=1000 count=1 of=/dev/null 2>/dev/null
	    ipc-sock send "$1"; wc -c; } < data' sh "$s"
	assert_output 0
	wait_bg
	cmp <(tail -c +1001 data) out
}

@test "copy: send from a pipe (head -c of /dev/zero) into a file: every byte" {
	receiver ">out"
	run -0 timeout 20 sh -c 'head -c 3145728 /dev/zero | ipc-sock send "$1"' sh "$s"
	wait_bg
	cmp <(head -c 3145728 /dev/zero) out
}

@test "copy: a 0-byte file sends nothing, and recv makes an empty file, both exit 0" {
	: >empty
	receiver ">out"
	run -0 sock send "$s" < empty
	assert_output ""
	wait_bg
	[ -e out ] && [ ! -s out ] && [ ! -s err ]
}

@test "copy: recv to /dev/full: exit 1 naming stdout before taking anything" {
	run -1 sh -c 'exec timeout 20 ipc-sock recv "$1" >/dev/full' sh "$s"
	assert_output "ipc-sock: recv $s: stdout: No space left on device"
	[ ! -e "$s" ]
}

@test "copy: recv into a file past ulimit -f: every byte taken and not written counted, exit 1" {
	data 100000
	bg bash -c 'ulimit -f 10; exec ipc-sock recv "$1" >out 2>err' sh "$s"
	r=$BG_LAST
	wait_for listens "$s"
	# the whole stream queued before recv takes any of it
	kill -STOP "$r"
	run -0 sock send "$s" < data
	kill -CONT "$r"
	st=0
	wait "$r" || st=$?
	[ "$st" -eq 1 ]
	assert_equal "$(cat err)" "ipc-sock: recv $s: stdout ($((100000 - 10240)) bytes taken from the socket were lost): File too large"
	[ "$(stat -c %s out)" -eq 10240 ]
	cmp out <(head -c 10240 data)
}

@test "copy: recv -t into a file: a silent peer still times out, 124, what came counted" {
	bg python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX)
open("ready", "w").close()
for i in range(500):
    if s.connect_ex(sys.argv[1]) == 0:
        s.sendall(b"abc"); time.sleep(20)
        break
    time.sleep(0.02)' "$s"
	wait_for test -e ready
	run -124 --separate-stderr timeout 20 sh -c \
	    'exec ipc-sock recv -t 1s "$1" >out' sh "$s"
	assert_equal "$stderr" "ipc-sock: recv $s: timed out: 3 bytes received"
	assert_equal "$(cat out)" abc
}

@test "copy: send -t from a file into a peer that takes nothing: 124, the bytes it holds counted" {
	hold_py() {
		python3 -c 'import os, socket, sys, time
l = socket.socket(socket.AF_UNIX)
l.bind(sys.argv[1]); l.listen(); c, _ = l.accept()
while not os.path.exists("done"):
    time.sleep(0.02)
c.setblocking(False)
b = 0
while True:
    try:
        m = c.recv(1 << 16)
    except BlockingIOError:
        break
    if not m:
        break
    b += len(m)
print(b)' "$s"
	}
	bg hold_py >held
	wait_for test -S "$s"
	head -c 20000000 /dev/zero >data
	run -124 sock send -t 300ms "$s" < data
	touch done
	wait_bg
	assert_output "ipc-sock: send $s: timed out waiting for room: $(cat held) bytes sent"
}

@test "copy: ipc-pipe recv from a FIFO into a file splices straight, no pipe of its own" {
	need_strace
	[ -z "${IPC_WRAP:-}" ] || skip "under valgrind, strace would trace valgrind"
	mkfifo f
	head -c 2000000 /dev/urandom >data
	bg timeout 20 sh -c 'cat data > f'
	run -0 calls_of timeout 20 ipc-pipe recv f
	wait_bg
	cmp data callout
	[ "$(grep -c '^[0-9]* *pipe2(' trace)" -eq 0 ]
	[ "$(grep -c '^[0-9]* *splice(' trace)" -ge 1 ]
}

@test "copy: connect from a file into a file, through cat at the other end: every byte back" {
	data 3000000
	bg timeout 20 ipc-sock listen -e cat "$s" >/dev/null
	wait_for listens "$s"
	run -0 timeout 20 sh -c 'exec ipc-sock connect "$1" < data > out' sh "$s"
	assert_output ""
	cmp data out
}
