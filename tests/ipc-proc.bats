#!/usr/bin/env bats
# ipc-proc: a process's IPC across every kind, what it is blocked on,
# who could end it, the deadlocks, a map; checked with programs that
# are not ours (shells, flock(1), python3, cat, dd, lsfd, ss, dot).

load helpers
bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR" || return
}

teardown() {
	teardown_bg
}

# ---------------------------------------------------------------- stat

# stat PID as lines "where|kind|object|detail|other", read from its -j
# (stderr apart: a partial note may come)
stat_lines() {
	ipc-proc stat -j "$1" 2>/dev/null | python3 -c '
import json, sys
for r in json.load(sys.stdin):
	print("|".join(r[k] or "" for k in
	    ("where", "kind", "object", "detail", "other")))'
}

# the pipe or socket process $1 holds at descriptor $2: pipe:[N]
link_of() {
	readlink "/proc/$1/fd/$2"
}

# the descriptor process $1 has the file $2 open at
fd_of() {
	local fd
	for fd in "/proc/$1"/fd/*; do
		[ "$(readlink "$fd")" = "$2" ] && { echo "${fd##*/}"; return; }
	done
}

# process $1 alone holds the file /proc shows as $2 (pipe:[N])
only_holder() {
	local glob=${2//[/\\[}
	[ "$(find /proc/[0-9]*/fd -lname "${glob//]/\\]}" 2>/dev/null |
	    sed 's,/fd/.*,,' | sort -u)" = "/proc/$1" ]
}

# file $1 has a first line, a pid a peer wrote
has_line() {
	[ -s "$1" ] && [ "$(wc -l <"$1")" -ge "${2:-1}" ]
}

# process $1 is blocked in a system call (its syscall file says which),
# where it may be read
in_call() {
	local s
	s=$(cat "/proc/$1/syscall" 2>/dev/null) || return 1
	[ -n "$s" ] && [ "$s" != running ]
}

@test "stat: a cat reading a pipe from sleep: both ends, the other end's pid and command, and its wait" {
	bg sh -c 'sleep 120 | cat'
	wait_for child_is "$BG_LAST" cat
	wait_for child_is "$BG_LAST" sleep
	local cat sleep p
	cat=$(child_is "$BG_LAST" cat)
	sleep=$(child_is "$BG_LAST" sleep)
	wait_for in_call "$cat"
	p=$(link_of "$cat" 0)
	run stat_lines "$cat"
	assert_success
	assert_line "fd 0|pipe|$p|read end, 0 of 65536 bytes buffered|$sleep(sleep)"
	assert_line --regexp "^thread $cat\|wait\|${p//[/\\[}\|read from ${p//[/\\[}, no timeout, asleep since [0-9]{2}:[0-9]{2}:[0-9]{2} \([0-9]+ s\)\|$sleep\(sleep\)\$"
	run stat_lines "$sleep"
	assert_line "fd 1|pipe|$p|write end, 0 of 65536 bytes buffered|$cat(cat)"
}

@test "stat: the bytes buffered in a pipe whose writer is gone, and nobody at its other end" {
	bg sh -c 'printf hello | exec sleep 120'
	wait_for child_is "$BG_LAST" sleep
	local s p
	s=$(child_is "$BG_LAST" sleep)
	p=$(link_of "$s" 0)
	# printf has written and gone: sleep alone holds the pipe
	wait_for only_holder "$s" "$p"
	run stat_lines "$s"
	# nobody holds its write end: "none", or how many processes could
	assert_line --regexp "^fd 0\|pipe\|${p//[/\\[}\|read end, 5 of 65536 bytes buffered\|(none|[0-9]+ not readable)\$"
}

@test "stat: a python3 socketpair across a fork: the peer's pid and command" {
	bg python3 -c '
import os, socket, sys, time
a, b = socket.socketpair()
if os.fork() == 0:
	a.close(); time.sleep(120); sys.exit(0)
b.close()
with open(sys.argv[1], "w") as f: print(a.fileno(), file=f)
time.sleep(120)' "$BATS_TEST_TMPDIR/fd"
	wait_for has_line "$BATS_TEST_TMPDIR/fd"
	local fd child me peer
	fd=$(cat "$BATS_TEST_TMPDIR/fd")
	wait_for child_is "$BG_LAST" python3
	child=$(child_is "$BG_LAST" python3)
	me=$(link_of "$BG_LAST" "$fd")
	me=${me#socket:[}
	run stat_lines "$BG_LAST"
	assert_line --regexp "^fd $fd\|unix\|socket:\[${me%]}\]\|stream, connected, peer socket:\[[0-9]+\]\|$child\(python3\)\$"
}

@test "stat: a Unix listener and a client: the listener's way in, the client's peer pid" {
	local name=@pstat$$-$BATS_TEST_NUMBER
	bg python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind("\0" + sys.argv[1][1:]); s.listen()
c, _ = s.accept()
with open(sys.argv[2], "w") as f: print(c.fileno(), file=f)
time.sleep(120)' "$name" "$BATS_TEST_TMPDIR/server"
	local server=$BG_LAST
	wait_for unix_bound "$name" l
	bg python3 -c '
import socket, sys, time
c = socket.socket(socket.AF_UNIX); c.connect("\0" + sys.argv[1][1:])
with open(sys.argv[2], "w") as f: print(c.fileno(), file=f)
time.sleep(120)' "$name" "$BATS_TEST_TMPDIR/client"
	local client=$BG_LAST
	wait_for has_line "$BATS_TEST_TMPDIR/client"
	wait_for has_line "$BATS_TEST_TMPDIR/server"
	run stat_lines "$client"
	assert_line --regexp "^fd $(cat "$BATS_TEST_TMPDIR/client")\|unix\|socket:\[[0-9]+\]\|stream, connected, peer socket:\[[0-9]+\]\|$server\(python3\)\$"
	run stat_lines "$server"
	assert_line --regexp "^fd [0-9]+\|unix\|$name\|stream, listen\|a process that connects to it\$"
	assert_line --regexp "^fd $(cat "$BATS_TEST_TMPDIR/server")\|unix\|$name\|stream, connected, peer socket:\[[0-9]+\]\|$client\(python3\)\$"
}

@test "stat: a loopback TCP connection made with python3: both addresses and the local process at the other end" {
	bg python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
with open(sys.argv[1], "w") as f: print(s.getsockname()[1], file=f)
c, _ = s.accept()
with open(sys.argv[1], "a") as f: print(c.fileno(), file=f)
time.sleep(120)' "$BATS_TEST_TMPDIR/server"
	local server=$BG_LAST port
	wait_for has_line "$BATS_TEST_TMPDIR/server"
	port=$(head -n 1 "$BATS_TEST_TMPDIR/server")
	bg python3 -c '
import socket, sys, time
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
with open(sys.argv[2], "w") as f: print(c.fileno(), c.getsockname()[1], file=f)
time.sleep(120)' "$port" "$BATS_TEST_TMPDIR/client"
	local client=$BG_LAST fd cport
	wait_for has_line "$BATS_TEST_TMPDIR/client"
	wait_for has_line "$BATS_TEST_TMPDIR/server" 2
	read -r fd cport <"$BATS_TEST_TMPDIR/client"
	run stat_lines "$client"
	assert_line "fd $fd|tcp|127.0.0.1:$cport -> 127.0.0.1:$port|established, 0 bytes in, 0 out|$server(python3)"
	run stat_lines "$server"
	assert_line --regexp "^fd [0-9]+\|tcp\|127\.0\.0\.1:$port\|listen, 0 bytes in, 0 out\|a process that connects to it\$"
	assert_line "fd $(sed -n 2p "$BATS_TEST_TMPDIR/server")|tcp|127.0.0.1:$port -> 127.0.0.1:$cport|established, 0 bytes in, 0 out|$client(python3)"
}

@test "stat: a wait in poll or epoll_wait on two pipes: either writer could end it" {
	local how out
	for how in poll epoll; do
		out=$BATS_TEST_TMPDIR/$how
		bg python3 -c '
import os, select, sys, time
ends = [os.pipe(), os.pipe()]
kids = []
for r, w in ends:
	pid = os.fork()
	if pid == 0:
		time.sleep(120); os._exit(0)
	kids.append(pid)
	os.close(w)
with open(sys.argv[2], "w") as f: print(*kids, file=f)
p = select.poll() if sys.argv[1] == "poll" else select.epoll()
for r, w in ends: p.register(r, select.POLLIN)
p.poll()' "$how" "$out"
		wait_for has_line "$out"
		wait_for in_call "$BG_LAST"
		local a b
		read -r a b <"$out"
		run stat_lines "$BG_LAST"
		assert_line --regexp "^thread $BG_LAST\|wait\|2 descriptors\|${how}(_wait on [0-9]+ watching| on) [0-9]+,[0-9]+, no timeout, asleep since [0-9:]{8} \([0-9]+ s\)\|$a\(python3\) $b\(python3\)\$"
	done
}

@test "stat: a POSIX queue held by mqpeer: its messages as mqpeer reads them, and the way in by name" {
	local q=/pst$$-$BATS_TEST_NUMBER
	ipc-mq create "$q"
	bg mqpeer hold "$q" "$BATS_TEST_TMPDIR/ready"
	wait_for test -e "$BATS_TEST_TMPDIR/ready"
	ipc-mq send "$q" one
	ipc-mq send "$q" two
	run mqpeer attr "$q"
	assert_output "10 8192 2"
	run stat_lines "$BG_LAST"
	ipc-mq rm "$q"
	assert_line --regexp "^fd [0-9]+\|mq\|$q\|2 of 10 messages, 8192 bytes each at most\|a process that opens it by name\$"
}

@test "stat: a POSIX semaphore two sempeers map: the mapping, its value and waiters, the other mapper, no unit holders" {
	local s=pst$$-$BATS_TEST_NUMBER
	ipc-sem create -i 0 "$s"
	bg sempeer hold "/$s" "$BATS_TEST_TMPDIR/a"
	local a=$BG_LAST
	bg sempeer wait "/$s"
	local w=$BG_LAST
	wait_for test -e "$BATS_TEST_TMPDIR/a"
	wait_for in_call "$w"
	run stat_lines "$a"
	assert_line --regexp "^map [0-9a-f]+\|sem\|/$s\|value 0, 1 waiting, POSIX records no unit holders\|$w\(sempeer\)\$"
	run stat_lines "$w"
	assert_line --regexp "^thread $w\|wait\|/dev/shm/sem\.$s\|futex in /dev/shm/sem\.$s \(POSIX semaphore\), no timeout: semaphore /$s, value 0, mapped by 2 processes; POSIX records no unit holders, asleep since [0-9:]{8} \([0-9]+ s\)\|$a\(sempeer\) itself, or a process that opens the semaphore by its name\$"
	ipc-sem post "$s"
	ipc-sem rm "$s"
}

@test "stat: POSIX shared memory python3 holds and maps: the descriptor and the mapping" {
	local m=pst$$-$BATS_TEST_NUMBER
	ipc-shm create -s 8192 "$m"
	bg python3 -c '
import mmap, os, sys, time
fd = os.open("/dev/shm/" + sys.argv[1], os.O_RDWR)
m = mmap.mmap(fd, 8192)
with open(sys.argv[2], "w") as f: print(fd, file=f)
time.sleep(120)' "$m" "$BATS_TEST_TMPDIR/fd"
	wait_for has_line "$BATS_TEST_TMPDIR/fd"
	run stat_lines "$BG_LAST"
	ipc-shm rm "$m"
	assert_line "fd $(cat "$BATS_TEST_TMPDIR/fd")|shm|/$m|8192 bytes|none"
	assert_line --regexp "^map [0-9a-f]+\|shm\|/$m\|8192 bytes\|none\$"
}

@test "stat: a file and anonymous memory mapped shared across a fork: the mapping and the other mapper; read-only ones left out" {
	head -c 8192 /dev/zero >"$BATS_TEST_TMPDIR/file"
	bg python3 -c '
import mmap, os, sys, time
anon = mmap.mmap(-1, 4096)
f = open(sys.argv[1], "r+b"); m = mmap.mmap(f.fileno(), 8192)
ro = mmap.mmap(f.fileno(), 8192, access=mmap.ACCESS_READ)
f.close()
if os.fork() == 0:
	time.sleep(120); os._exit(0)
open(sys.argv[2], "w").close()
time.sleep(120)' "$BATS_TEST_TMPDIR/file" "$BATS_TEST_TMPDIR/ready"
	wait_for test -e "$BATS_TEST_TMPDIR/ready"
	local child
	child=$(child_is "$BG_LAST" python3)
	run stat_lines "$BG_LAST"
	assert_line --regexp "^map [0-9a-f]+\|file\|anonymous shared memory\|4096 bytes mapped shared\|$child\(python3\)\$"
	assert_line --regexp "^map [0-9a-f]+\|file\|$BATS_TEST_TMPDIR/file\|8192 bytes mapped shared\|$child\(python3\)\$"
	assert_equal "$(printf '%s\n' "${lines[@]}" | grep -c "|file|$BATS_TEST_TMPDIR/file|")" 1
}

@test "stat: a System V segment two shmpeers attach: its key, size, attach count and the other attacher" {
	local key id
	key=$(sysv_key 0x51)
	ipc-shm create -S -s 4096 "$key" >/dev/null
	id=$(ipc-shm stat -S -o id "$key")
	id=${id#id=}
	bg shmpeer hold "$id" "$BATS_TEST_TMPDIR/a"
	local a=$BG_LAST
	bg shmpeer hold "$id" "$BATS_TEST_TMPDIR/b"
	local b=$BG_LAST
	wait_for test -e "$BATS_TEST_TMPDIR/a"
	wait_for test -e "$BATS_TEST_TMPDIR/b"
	run stat_lines "$a"
	ipc-shm rm -S "$key"
	assert_line --regexp "^map [0-9a-f]+\|sysv-shm\|key $key id $id\|4096 bytes, 2 attached\|$b\(shmpeer\)\$"
}

@test "stat: System V queues and semaphore sets that last recorded the process" {
	local mk sk
	mk=$(sysv_key 0x52)
	sk=$(sysv_key 0x53)
	ipc-mq create -S "$mk"
	ipc-sem create -S -i 1 "$sk"
	bg python3 -c '
import ctypes, sys, time
libc = ctypes.CDLL(None, use_errno=True)
q = libc.msgget(int(sys.argv[1], 16), 0)
buf = ctypes.create_string_buffer(b"\1\0\0\0\0\0\0\0hi")
assert libc.msgsnd(q, buf, 2, 0) == 0
s = libc.semget(int(sys.argv[2], 16), 0, 0)
op = (ctypes.c_short * 3)(0, 1, 0)
assert libc.semop(s, op, 1) == 0
open(sys.argv[3], "w").close()
time.sleep(120)' "$mk" "$sk" "$BATS_TEST_TMPDIR/ready"
	wait_for test -e "$BATS_TEST_TMPDIR/ready"
	run stat_lines "$BG_LAST"
	local mid sid
	mid=$(ipc-mq stat -S -o id "$mk")
	sid=$(ipc-sem stat -S -o id "$sk")
	ipc-mq rm -S "$mk"
	ipc-sem rm -S "$sk"
	assert_line "sysv|sysv-msg|key $mk id ${mid#id=}|last sent to, 1 messages, 2 bytes|a process allowed to use the queue"
	assert_line "sysv|sysv-sem|key $sk id ${sid#id=}|last semop on semaphore 0 of 1|a process allowed to use the set"
}

@test "stat: a flock(1) holder and a waiter: the lock rows name the real holders and the waiter" {
	local f=$BATS_TEST_TMPDIR/lock
	: >"$f"
	bg flock "$f" sleep 120
	local a=$BG_LAST ha
	wait_for child_is "$a" sleep
	ha=$(child_is "$a" sleep)
	bg flock "$f" sleep 120
	local b=$BG_LAST
	wait_for in_call "$b"
	wait_for grep -q -- "-> FLOCK.* $b " /proc/locks
	run stat_lines "$a"
	assert_line "lock|lock|$f|holds FLOCK write lock on fd $(fd_of "$a" "$f")|$b(flock)"
	run stat_lines "$ha"
	assert_line "lock|lock|$f|holds FLOCK write lock on fd $(fd_of "$ha" "$f")|$b(flock)"
	run stat_lines "$b"
	assert_line "lock|lock|$f|waits for an exclusive flock on fd $(fd_of "$b" "$f")|$a(flock) $ha(sleep)"
	assert_line --regexp "^thread $b\|wait\|$f\|flock \(exclusive\) of $f, no timeout, asleep since [0-9:]{8} \([0-9]+ s\)\|$a\(flock\) $ha\(sleep\)\$"
}

# a mask of /proc/PID/status ($2: SigPnd, SigBlk, ...) of $1 in names
mask_names() {
	local m n name out=
	m=$((16#$(awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status")))
	for n in $(seq 1 64); do
		(((m >> (n - 1)) & 1)) || continue
		# 32 and 33, glibc's own, have no name: said as numbers
		name=$(kill -l "$n" 2>/dev/null)
		out=${out:+$out,}${name:-$n}
	done
	echo "${out:-none}"
}

@test "stat: the signals row says what /proc/PID/status says: pending, blocked, caught, ignored" {
	bg python3 -c '
import signal, sys, time
signal.signal(signal.SIGUSR1, lambda *a: None)
signal.signal(signal.SIGHUP, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR2, signal.SIGWINCH])
open(sys.argv[1], "w").close()
time.sleep(120)' "$BATS_TEST_TMPDIR/ready"
	wait_for test -e "$BATS_TEST_TMPDIR/ready"
	kill -USR2 "$BG_LAST"
	wait_for grep -q '^ShdPnd:.*[1-9a-f]' "/proc/$BG_LAST/status"
	run stat_lines "$BG_LAST"
	assert_line "signals|signals||pending $(mask_names "$BG_LAST" ShdPnd); blocked $(mask_names "$BG_LAST" SigBlk); caught $(mask_names "$BG_LAST" SigCgt); ignored $(mask_names "$BG_LAST" SigIgn)|"
	assert_line --partial "|pending USR2; blocked USR2,WINCH; caught "
}

@test "stat: each thread's wait; a thread id alone is its thread's row, said as a thread of its process" {
	bg python3 -c '
import os, sys, threading, time
r, w = os.pipe()
t = threading.Thread(target=lambda: os.read(r, 1), daemon=True)
t.start()
with open(sys.argv[1], "w") as f: print(t.native_id, r, file=f)
time.sleep(120)' "$BATS_TEST_TMPDIR/tid"
	wait_for has_line "$BATS_TEST_TMPDIR/tid"
	local tid fd p
	read -r tid fd <"$BATS_TEST_TMPDIR/tid"
	wait_for in_call "$BG_LAST/task/$tid"
	p=$(link_of "$BG_LAST" "$fd")
	run stat_lines "$BG_LAST"
	assert_line --regexp "^thread $BG_LAST\|wait\|\|sleep \(not IPC\), asleep since [0-9:]{8} \([0-9]+ s\)\|\$"
	assert_line --regexp "^thread $tid\|wait\|${p//[/\\[}\|read from ${p//[/\\[}, no timeout, asleep since [0-9:]{8} \([0-9]+ s\)\|itself\$"
	run stat_lines "$tid"
	assert_success
	assert_equal "${#lines[@]}" 1
	assert_line --regexp "^thread $tid of $BG_LAST\|wait\|${p//[/\\[}\|read from ${p//[/\\[}, no timeout, asleep since [0-9:]{8} \([0-9]+ s\)\|itself\$"
}

@test "stat: every descriptor lsfd -p lists as a pipe, FIFO or socket is a row with the same number" {
	command -v lsfd >/dev/null || skip "lsfd (util-linux 2.38) is not installed"
	mkfifo "$BATS_TEST_TMPDIR/f"
	bg python3 -c '
import os, socket, sys, time
a, b = socket.socketpair()
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen()
c = socket.create_connection(l.getsockname()); s, _ = l.accept()
u = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
r, w = os.pipe()
f = os.open(sys.argv[1], os.O_RDWR)
open(sys.argv[2], "w").close()
time.sleep(120)' "$BATS_TEST_TMPDIR/f" "$BATS_TEST_TMPDIR/ready"
	wait_for test -e "$BATS_TEST_TMPDIR/ready"
	local want got
	want=$(lsfd -n -p "$BG_LAST" -o ASSOC,TYPE |
	    awk '$1 ~ /^[0-9]+$/ && ($2 == "FIFO" || $2 == "SOCK") { print $1 }' |
	    sort -n)
	got=$(stat_lines "$BG_LAST" |
	    awk -F'|' '$1 ~ /^fd / && $2 ~ /^(pipe|fifo|unix|tcp|udp)$/ {
	    sub(/^fd /, "", $1); print $1 }' | sort -n)
	[ "$(echo "$want" | wc -l)" -ge 10 ]
	assert_equal "$got" "$want"
	run stat_lines "$BG_LAST"
	assert_line "fd $(ls -l /proc/$BG_LAST/fd | awk -v f="$BATS_TEST_TMPDIR/f" '$NF == f { print $(NF-2) }')|fifo|$BATS_TEST_TMPDIR/f|read and write, 0 of 65536 bytes buffered|itself"
}

@test "stat: -o picks the fields, -H drops the header, -j is a JSON array, a bad field is a usage error" {
	bg sleep 120
	wait_for comm_is "$BG_LAST" sleep
	run --separate-stderr ipc-proc stat -o where,kind "$BG_LAST"
	assert_success
	assert_line --index 0 --regexp '^WHERE +KIND$'
	assert_line --regexp '^signals +signals$'
	assert_line --regexp "^thread $BG_LAST +wait\$"
	run --separate-stderr ipc-proc stat -H -o kind "$BG_LAST"
	refute_line --regexp 'KIND'
	assert_line signals
	run --separate-stderr ipc-proc stat -j -o where "$BG_LAST"
	assert_success
	assert_line --index 0 '['
	assert_line '{"where":"signals"},'
	assert_line "{\"where\":\"thread $BG_LAST\"}"
	ipc-proc stat -j "$BG_LAST" 2>/dev/null | python3 -c 'import json, sys; json.load(sys.stdin)'
	run --separate-stderr ipc-proc stat -o where,nosuch "$BG_LAST"
	assert_failure 2
	assert_equal "$stderr" "ipc-proc: stat: -o: unknown field 'nosuch' (fields: where, kind, object, detail, other, all)
usage: ipc-proc stat [-o LIST] [-H] [--notruncate] [-j] PID"
}

@test "stat: bad pids: 0, -1 and x are usage errors, a pid nobody has is no such process" {
	run --separate-stderr ipc-proc stat 0
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-proc: stat: PID 0 refused: 0 is not a process: kill(2) takes it for the caller's whole group"
	run --separate-stderr ipc-proc stat -- -1
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-proc: stat: PID -1 refused: -1 is not a process: kill(2) takes it for every process"
	assert_equal "${stderr_lines[1]}" "usage: ipc-proc stat [-o LIST] [-H] [--notruncate] [-j] PID"
	run --separate-stderr ipc-proc stat x
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-proc: stat: PID: 'x' is not a whole number from 1 to 2147483647"
	local gone
	gone=$(sh -c 'echo $$')
	while kill -0 "$gone" 2>/dev/null; do gone=$((gone + 1)); done
	run --separate-stderr ipc-proc stat "$gone"
	assert_failure 1
	assert_equal "$stderr" "ipc-proc: stat $gone: no such process"
	assert_output ""
}

@test "stat: processes that end while they are read: said so, no half table, no crash" {
	local i pid n=0 ended=0
	for i in $(seq 60); do
		# a process with pipes, gone in 0 to 300 ms: before, while or
		# after it is read
		sleep "0.$((RANDOM % 3))$((RANDOM % 10))" | cat &
		pid=$!
		run --separate-stderr timeout 20 ipc-proc stat "$pid"
		case $status in
		0)	n=$((n + 1))
			assert_line --regexp "^thread $pid " ;;
		1)	ended=$((ended + 1))
			assert_output ""
			[[ $stderr =~ ^ipc-proc:\ stat\ $pid:\ (no\ such\ process|the\ process\ ended\ while\ it\ was\ read)$ ]] ;;
		*)	echo "status $status: $stderr" >&2
			return 1 ;;
		esac
		wait "$pid"
	done
	echo "$n read whole, $ended ended" >&3
}

@test "stat: another user's process as nobody: what can be read, and one line that says the rest is not" {
	need_nobody
	bg sleep 120
	wait_for comm_is "$BG_LAST" sleep
	run --separate-stderr as_nobody ipc-proc stat -o where,kind,detail "$BG_LAST"
	assert_success
	assert_equal "$stderr" "ipc-proc: stat $BG_LAST: the process could not be read (another user's, or not dumpable): its objects and waits are not shown"
	assert_line --regexp '^signals +signals +pending none; blocked '
	assert_line --regexp "^thread $BG_LAST +wait +cannot be read \(Permission denied\) \(another user's, or not dumpable\)\$"
	refute_line --regexp '^fd'
}

@test "stat: a process root may not read without CAP_SYS_PTRACE: said so, not an empty table without a word" {
	need_root "drops CAP_SYS_PTRACE from root's bounding set (setpriv)"
	need_works "setpriv --bounding-set=-sys_ptrace" \
	    setpriv --bounding-set=-sys_ptrace true
	bg sh -c 'sleep 120 | cat'
	wait_for child_is "$BG_LAST" cat
	local cat
	cat=$(child_is "$BG_LAST" cat)
	# root without CAP_SYS_PTRACE lists fd/ but may not read its links
	run --separate-stderr timeout 20 setpriv --bounding-set=-sys_ptrace \
	    ipc-proc stat -o where,kind "$cat"
	assert_success
	assert_equal "$stderr" "ipc-proc: stat $cat: the process could not be read (another user's, or not dumpable): its objects and waits are not shown"
	assert_line --regexp '^signals +signals$'
	refute_line --regexp '^fd'
}

# process $1 is a zombie: ended, not yet waited for
is_zombie() {
	[ "$(awk '/^State:/ { print $2 }' "/proc/$1/status" 2>/dev/null)" = Z ]
}

@test "stat: a zombie is said to have ended, its parent at the other end, not to be running" {
	# the shell's child ends; the shell has become a sleep that never
	# waits for it
	bg sh -c 'sleep 0 & exec sleep 120'
	wait_for comm_is "$BG_LAST" sleep
	local z
	wait_for child_is "$BG_LAST" sleep
	z=$(child_is "$BG_LAST" sleep)
	wait_for is_zombie "$z"
	run --separate-stderr timeout 20 ipc-proc stat -o where,kind,detail,other "$z"
	assert_success
	assert_line --regexp "^thread $z +wait +ended \(a zombie\): its parent has not yet waited for it +$BG_LAST\(sleep\)\$"
	refute_line --partial "not in a system call"
}

@test "stat: a poll on one pipe is a wait on 1 descriptor, not 1 descriptors" {
	bg sh -c 'sleep 120 | python3 -c "import select; p = select.poll(); p.register(0, select.POLLIN); p.poll()"'
	wait_for child_is "$BG_LAST" python3
	local py
	py=$(child_is "$BG_LAST" python3)
	wait_for in_call "$py"
	# in poll(2) or ppoll(2) (x86-64's numbers), past python's start
	wait_for grep -qE '^(7|271) ' "/proc/$py/syscall"
	run --separate-stderr timeout 20 ipc-proc stat -o where,object "$py"
	assert_success
	assert_line --regexp "^thread $py +1 descriptor\$"
}

@test "stat: a process that ends while its descriptors are read is said to have ended, not shown as a zombie with them" {
	local i pid mixed=0 ended=0
	for i in $(seq 20); do
		rm -f "$BATS_TEST_TMPDIR/ready" "$BATS_TEST_TMPDIR/pid"
		# up to 6000 descriptors to read (as many as the hard limit
		# lets an ordinary user have), then gone in 0 to 400 ms; its
		# parent, become a sleep, never waits for it: a zombie
		bg sh -c 'python3 -c "
import os, resource, sys, time
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
want = 8192 if hard == resource.RLIM_INFINITY else min(hard, 8192)
if soft != resource.RLIM_INFINITY and soft < want:
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    soft = want
p = [os.pipe() for _ in range(min(3000, (min(soft, 8192) - 64) // 2))]
open(sys.argv[1], \"w\").close()
time.sleep(float(sys.argv[2]))" "$1" "$2" & echo $! >"$3"; exec sleep 120' sh \
		    "$BATS_TEST_TMPDIR/ready" "0.$((RANDOM % 4))$((RANDOM % 10))" \
		    "$BATS_TEST_TMPDIR/pid"
		wait_for test -e "$BATS_TEST_TMPDIR/ready"
		pid=$(cat "$BATS_TEST_TMPDIR/pid")
		run --separate-stderr timeout 20 ipc-proc stat -o where,detail "$pid"
		if [ "$status" -eq 1 ]; then
			assert_equal "$stderr" "ipc-proc: stat $pid: the process ended while it was read"
			ended=$((ended + 1))
		else
			assert_success
			# a zombie holds nothing: its descriptors beside its
			# end would be two moments mixed
			if [[ $output == *"zombie"* || $output == *"not in a system call"* ]] &&
			    [[ $output == *$'\nfd '* ]]; then
				mixed=$((mixed + 1))
			fi
		fi
		kill "$BG_LAST"
		wait "$BG_LAST" || true
	done
	echo "$ended ended while read, $mixed mixed" >&3
	assert_equal "$mixed" 0
}

@test "stat: sockets in another network namespace are rows, read from the process's own /proc/PID/net, their other end not followed" {
	need_root "makes a network namespace (unshare -n)"
	need_unshare -n
	bg unshare -n python3 -c '
import os, socket, sys, time
a, b = socket.socketpair()
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
with open(sys.argv[1], "w") as f: print(a.fileno(), s.fileno(), s.getsockname()[1], file=f)
time.sleep(120)' "$BATS_TEST_TMPDIR/fds"
	wait_for has_line "$BATS_TEST_TMPDIR/fds"
	local a s port ns
	read -r a s port <"$BATS_TEST_TMPDIR/fds"
	ns=$(readlink "/proc/$BG_LAST/ns/net")
	run stat_lines "$BG_LAST"
	assert_success
	assert_line "fd $a|unix|$(link_of "$BG_LAST" "$a")|stream, connected, in network namespace $ns|not followed (another network namespace)"
	assert_line "fd $s|tcp|127.0.0.1:$port|listen, in network namespace $ns|not followed (another network namespace)"
}

@test "stat: a shell blocked in echo x > FIFO stays blocked in its open: nothing opens the FIFO, nothing is signalled" {
	mkfifo "$BATS_TEST_TMPDIR/ff"
	bg sh -c 'echo x >"$1"; echo released >"$2"' sh "$BATS_TEST_TMPDIR/ff" "$BATS_TEST_TMPDIR/out"
	wait_for waits_for_peer "$BG_LAST" sh "$BATS_TEST_TMPDIR/ff"
	wait_for in_call "$BG_LAST"
	run --separate-stderr timeout 20 ipc-proc stat -o where,object "$BG_LAST"
	assert_success
	assert_line --regexp "^thread $BG_LAST +FIFO $BATS_TEST_TMPDIR/ff\$"
	# still in openat(2) of the FIFO, for writing (x86-64: 257), and
	# never released
	run cut -d' ' -f1 "/proc/$BG_LAST/syscall"
	assert_output 257
	assert_equal "$(cat "/proc/$BG_LAST/wchan")" wait_for_partner
	[ ! -e "$BATS_TEST_TMPDIR/out" ]
	kill -0 "$BG_LAST"
}

@test "stat: as another user under a /proc mounted hidepid=2, the other ends it cannot see are said once" {
	need_nobody
	need_unshare -m -- mount -t proc -o hidepid=2 proc /proc
	# nobody's shell writes to root's cat, which hidepid hides from it
	run --separate-stderr timeout 20 unshare -m sh -c '
mount -t proc -o hidepid=2 proc /proc || exit 99
exec 3>&1
setpriv --reuid=nobody --regid=nogroup --clear-groups \
    sh -c "ipc-proc stat -o where,other \$\$ >&3; true" | cat >/dev/null'
	assert_success
	assert_equal "$stderr" "ipc-proc: stat: /proc hides other users' processes (hidepid): the other ends may miss theirs"
	assert_line --regexp '^fd 1 +none$'
}

@test "stat: ipc-proc's own pid (exec'd in place of a shell): its thread is running, not in a read" {
	run --separate-stderr timeout 20 sh -c 'echo "$$"; exec ipc-proc stat -o where,kind,detail,other "$$"'
	assert_success
	assert_line --regexp "^thread ${lines[0]} +wait +running +-\$"
	refute_line --partial "read from"
}

# (end of stat)

# ----------------------------------------------------------------- why

# process $1 sleeps inside a system call, as /proc/PID/syscall shows it
# to root: blocked there, not between two calls
why_in_call() {
	local s
	sleeping "$1" || return 1
	s=$(cat "/proc/$1/syscall" 2>/dev/null) || return 1
	[[ $s != running* && ${s%% *} != -1 ]]
}

# the pid a helper wrote first in file $1, once it is written whole
why_pid_in() {
	[ -s "$1" ] && cut -d' ' -f1 "$1"
}

# python3 running the program on stdin in the background, as $BG_LAST
why_py_bg() {
	WHY_PYN=$((${WHY_PYN:-0} + 1))
	cat >"prog$WHY_PYN.py"
	bg timeout 120 python3 "prog$WHY_PYN.py" "$@"
}

# the python3 helpers below: ready(NAME, FD) writes "PID LINK-OF-FD" to
# the file NAME whole, the moment before the call that blocks
WHY_PY_READY='import os, select, sys, time
def ready(name, fd):
    with open(name + ".tmp", "w") as f:
        f.write("%d %s\n" % (os.getpid(), os.readlink("/proc/self/fd/%d" % fd)))
    os.rename(name + ".tmp", name)
'
# why_py_bg with ready() defined
why_pyr_bg() {
	# not in a pipeline: its bg would be a subshell's, and teardown would
	# never learn of the process, left to hold the test's output open
	{ echo "$WHY_PY_READY"; cat; } >"$BATS_TEST_TMPDIR/ready.py"
	why_py_bg "$@" <"$BATS_TEST_TMPDIR/ready.py"
}

# wait until the helper that wrote its pid (and the pipe it blocks on)
# to file $1 is blocked in its call; its pid in $WHO, the pipe in $OBJ
why_blocked() {
	wait_for why_pid_in "$1" || return 1
	WHO=$(why_pid_in "$1")
	OBJ=$(cut -d' ' -f2 "$1")
	wait_for why_in_call "$WHO"
}

@test "why: two processes each writing a full pipe the other should read are a deadlock" {
	why_pyr_bg <<'EOF'
a_r, a_w = os.pipe()
b_r, b_w = os.pipe()
if os.fork() == 0:
    os.close(a_r); os.close(b_w)
    ready('child', a_w)
    os.write(a_w, b'x' * (1 << 20))
    os._exit(0)
os.close(a_w); os.close(b_r)
ready('parent', b_w)
os.write(b_w, b'x' * (1 << 20))
EOF
	why_blocked parent
	p=$WHO pb=$OBJ
	why_blocked child
	c=$WHO ca=$OBJ
	run -0 timeout 20 ipc-proc why "$p"
	assert_output "$p (python3) write to $pb, no timeout: full: 65536 of 65536 bytes
\`-$c (python3) write to $ca, no timeout: full: 65536 of 65536 bytes
  \`-$p (python3): shown above
deadlock: $p (python3) -[$pb]-> $c (python3) -[$ca]-> $p (python3)"
	run -0 timeout 20 ipc-proc why --check "$c"
	assert_output ''
}

@test "why: two flock(1) each holding one lock and waiting for the other's are a deadlock" {
	touch la lb
	bg timeout 120 flock la sh -c \
	    'touch h1; while [ ! -e h2 ]; do sleep 0.01; done; exec flock lb true'
	t1=$BG_LAST
	bg timeout 120 flock lb sh -c \
	    'touch h2; while [ ! -e h1 ]; do sleep 0.01; done; exec flock la true'
	t2=$BG_LAST
	wait_for child_is "$t1" flock >/dev/null
	wait_for child_is "$t2" flock >/dev/null
	f1=$(child_is "$t1" flock) f2=$(child_is "$t2" flock)
	wait_for child_is "$f1" flock >/dev/null
	wait_for child_is "$f2" flock >/dev/null
	c1=$(child_is "$f1" flock) c2=$(child_is "$f2" flock)
	wait_for why_in_call "$c1"
	wait_for why_in_call "$c2"
	run -0 timeout 20 ipc-proc why --check "$c1"
	assert_output ''
	run -0 timeout 20 ipc-proc why "$c1"
	assert_line --index 0 "$c1 (flock) flock (exclusive) of $PWD/lb, no timeout"
	assert_line --regexp "^deadlock: $c1 \\(flock\\) -\\[lock on $PWD/lb\\]-> "
	for p in "$f1" "$f2" "$c2"; do
		assert_line --regexp "^deadlock: .* $p \\(flock\\)"
	done
	assert_line --regexp "^deadlock: .*-\\[lock on $PWD/la\\]-> $f1 \\(flock\\)"
	assert_line --regexp "^deadlock: .*$f1 \\(flock\\) -\\[child $c1\\]-> $c1"
}

@test "why: a shell in echo x > FIFO with no reader is no deadlock and names the way out" {
	mkfifo f
	bg timeout 120 sh -c 'echo x > f'
	wait_for child_is "$BG_LAST" sh >/dev/null
	s=$(child_is "$BG_LAST" sh)
	wait_for why_in_call "$s"
	run -0 timeout 20 ipc-proc why "$s"
	assert_output "$s (sh) open of FIFO $PWD/f for writing, no timeout
\`-or a process that opens it for reading"
	run -3 timeout 20 ipc-proc why --check "$s"
	assert_output ''
}

@test "why: a client and a server each waiting to read from the other over a Unix socket are a deadlock" {
	why_pyr_bg <<'EOF'
import socket
srv = socket.socket(socket.AF_UNIX)
srv.bind('sock')
srv.listen(1)
if os.fork() == 0:
    srv.close()
    c = socket.socket(socket.AF_UNIX)
    c.connect('sock')
    ready('client', c.fileno())
    c.recv(1)
    os._exit(0)
conn, _ = srv.accept()
ready('server', conn.fileno())
conn.recv(1)
EOF
	why_blocked server
	sv=$WHO so=$OBJ
	why_blocked client
	cl=$WHO co=$OBJ
	run -0 timeout 20 ipc-proc why "$cl"
	assert_output "$cl (python3) read from $co, no timeout
\`-$sv (python3) read from $so, no timeout
  \`-$cl (python3): shown above
deadlock: $cl (python3) -[$co]-> $sv (python3) -[$so]-> $cl (python3)"
	run -0 timeout 20 ipc-proc why --check "$sv"
}

@test "why: a sem_wait on a POSIX semaphore of value 0 names it, its value, its mappers, and no unit holders" {
	sem=/t$$-$BATS_TEST_NUMBER
	why_py_bg "$sem" <<'EOF'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.sem_open.restype = ctypes.c_void_p
libc.sem_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_uint,
                          ctypes.c_uint]
s = libc.sem_open(sys.argv[1].encode(), os.O_CREAT | os.O_EXCL, 0o600, 0)
with open('creator.tmp', 'w') as f:
    f.write('%d\n' % os.getpid())
os.rename('creator.tmp', 'creator')
libc.sem_wait(ctypes.c_void_p(s))
EOF
	why_blocked creator
	c=$WHO
	bg timeout 120 sempeer wait "$sem"
	wait_for comm_is "$BG_LAST" timeout
	wait_for child_is "$BG_LAST" sempeer >/dev/null
	w=$(child_is "$BG_LAST" sempeer)
	wait_for why_in_call "$w"
	# while the name is there a newcomer may open it and post: a way
	# out, so not a deadlock; every wait on the way was read: 3, not 4
	run -3 timeout 20 ipc-proc why --check "$w"
	timeout 20 ipc-proc why "$w" >named 2>named.err || echo $? >>named.err
	# once unlinked no process can open it: the two waiters, the only
	# ones that map it, are a proven deadlock
	ino=$(stat -c %i "/dev/shm/sem.${sem#/}")
	rm -f "/dev/shm/sem.${sem#/}"
	timeout 20 ipc-proc why "$c" >unlinked 2>&1 || echo $? >>unlinked
	st=0
	timeout 20 ipc-proc why --check "$c" || st=$?
	run -0 cat named
	assert_line --index 0 "$w (sempeer) futex in /dev/shm/sem.${sem#/} (POSIX semaphore), no timeout: semaphore $sem, value 0, mapped by 2 processes; POSIX records no unit holders"
	# glibc made it under a temporary name: the creator maps that one
	assert_line --index 1 --regexp "^\|-$c \(python3\) futex in /dev/shm/sem\.[^ ]+ \(deleted\) \(POSIX semaphore\), no timeout: semaphore $sem, value 0, mapped by 2 processes; POSIX records no unit holders$"
	assert_line --index 2 "| |-$c (python3) itself: another of its threads, or an end it holds"
	assert_line --index 3 "| |-$w (sempeer): shown above"
	assert_line --index 4 "| \`-or a process that opens the semaphore by its name"
	assert_line --index 5 "|-$w (sempeer) itself: another of its threads, or an end it holds"
	assert_line --index 6 "\`-or a process that opens the semaphore by its name"
	assert_line --index 7 --regexp "^cycle \(not a proven deadlock\): $w \(sempeer\) -\[semaphore $sem\]-> $c \(python3\) -\[semaphore $sem\]-> $w \(sempeer\); way out: a process that opens the semaphore by its name can end the wait of $w \(sempeer\)"
	[ "${#lines[@]}" -eq 8 ]
	[ ! -s named.err ]
	run -0 cat unlinked
	assert_line --index 0 --regexp "^$c \\(python3\\) futex in .* \\(POSIX semaphore\\), no timeout: semaphore \\(its name unlinked\\), value 0, mapped by 2 processes; POSIX records no unit holders$"
	o="unlinked semaphore, inode $ino"
	assert_line "deadlock: $c (python3) -[$o]-> $w (sempeer) -[$o]-> $c (python3)"
	[ "$st" -eq 0 ]
}

@test "why: a parent in wait for a child blocked writing a pipe only the parent reads is a deadlock" {
	why_pyr_bg <<'EOF'
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r)
    ready("child", w)
    os.write(w, b"x" * 300000)
    os._exit(0)
os.close(w)
ready("parent", r)
os.waitpid(pid, 0)
EOF
	why_blocked child
	c=$WHO o=$OBJ
	why_blocked parent
	p=$WHO
	run -0 timeout 20 ipc-proc why "$p"
	assert_output "$p (python3) wait for child $c, no timeout
\`-$c (python3) write to $o, no timeout: full: 65536 of 65536 bytes
  \`-$p (python3): shown above
deadlock: $p (python3) -[child $c]-> $c (python3) -[$o]-> $p (python3)"
	run -0 timeout 20 ipc-proc why --check "$c"
}

@test "why: two readers of one pipe, one of them blocked elsewhere, make a cycle that is not a proven deadlock" {
	why_pyr_bg <<'EOF'
p_r, p_w = os.pipe()
q_r, q_w = os.pipe()
if os.fork() == 0:	# reads q, which only the writer could fill
    os.close(p_w); os.close(q_w)
    ready("r1", q_r)
    os.read(q_r, 1)
    os._exit(0)
if os.fork() == 0:	# could read p, but sleeps
    os.close(p_w); os.close(q_r); os.close(q_w)
    ready("r2", p_r)
    time.sleep(600)
    os._exit(0)
os.close(p_r); os.close(q_r)
ready("w", p_w)
os.write(p_w, b"x" * (1 << 20))
EOF
	why_blocked r1
	r1=$WHO q=$OBJ
	why_blocked r2
	r2=$WHO
	why_blocked w
	w=$WHO p=$OBJ
	run -0 timeout 20 ipc-proc why "$w"
	assert_output "$w (python3) write to $p, no timeout: full: 65536 of 65536 bytes
|-$r1 (python3) read from $q, no timeout
| \`-$w (python3): shown above
\`-$r2 (python3) sleep (not IPC) (the branch ends here)
cycle (not a proven deadlock): $w (python3) -[$p]-> $r1 (python3) -[$q]-> $w (python3); way out: $r2 (python3) can end the wait of $w (python3) and is in no deadlock"
	run -3 timeout 20 ipc-proc why --check "$w"
	run -3 timeout 20 ipc-proc why --check "$r1"
}

@test "why: a process reading a pipe whose write end it holds itself is a deadlock of one" {
	why_pyr_bg <<'EOF'
r, w = os.pipe()
ready("me", r)
os.read(r, 1)
EOF
	why_blocked me
	run -0 timeout 20 ipc-proc why "$WHO"
	assert_output "$WHO (python3) read from $OBJ, no timeout
\`-$WHO (python3) itself: another of its threads, or an end it holds
deadlock: $WHO (python3) -[$OBJ]-> $WHO (python3)"
	run -0 timeout 20 ipc-proc why --check "$WHO"
	assert_output ''
	run -0 timeout 20 ipc-proc why -j "$WHO"
	python3 -m json.tool <<<"$output" >/dev/null
	run -0 python3 -c '
import json, sys
g = json.loads(sys.argv[1]); n = g["nodes"][0]; t = n["threads"][0]
print(g["deadlock"], n["pid"], n["command"], n["deadlock"], t["state"],
      t["object"], t["by"], t["way"], g["edges"])' "$output"
	assert_output "[$WHO] $WHO python3 True endless $OBJ [$WHO] None [{'from': $WHO, 'to': $WHO, 'object': '$OBJ'}]"
}

@test "why: a wait with a timeout is never a deadlock; the same wait without one is" {
	for t in 600 None; do
		why_pyr_bg "$t" <<'EOF'
r, w = os.pipe()
ready("me" + sys.argv[1], r)
select.select([r], [], [], None if sys.argv[1] == "None" else 600)
EOF
	done
	why_blocked me600
	timed=$WHO
	why_blocked meNone
	endless=$WHO
	run -0 timeout 20 ipc-proc why "$timed"
	assert_line --index 0 --regexp "^$timed \\(python3\\) select on [0-9]+, timed$"
	assert_line --index 1 "\`-$timed (python3) itself: another of its threads, or an end it holds"
	[ "${#lines[@]}" -eq 2 ]
	run -3 timeout 20 ipc-proc why --check "$timed"
	run -0 timeout 20 ipc-proc why "$endless"
	assert_line --index 2 "deadlock: $endless (python3) -[select on $OBJ]-> $endless (python3)"
	run -0 timeout 20 ipc-proc why --check "$endless"
}

@test "why --check: 4 where an ender on the way cannot be read (as nobody), 3 as root" {
	need_nobody
	why_pyr_bg <<'EOF'
r, w = os.pipe()
os.set_inheritable(r, True)
pid = os.fork()
if pid == 0:
    os.close(w)
    os.execvp("setpriv", ["setpriv", "--reuid=nobody", "--regid=nogroup",
        "--clear-groups", "python3", "-c", "import os; os.read(%d, 1)" % r])
os.close(r)
with open("reader", "w") as f:
    f.write("%d\n" % pid)
ready("root", w)
time.sleep(600)
EOF
	why_blocked root
	root=$WHO
	wait_for why_pid_in reader
	rd=$(why_pid_in reader)
	wait_comm "$rd" python3
	wait_for why_in_call "$rd"
	# root reads the writer: it sleeps, not on IPC, so the reader's wait
	# can end: surely not a deadlock
	run -3 timeout 20 ipc-proc why --check "$rd"
	# nobody cannot see who holds the write end: it cannot tell
	run -4 as_nobody ipc-proc why --check "$rd"
	assert_output ''
	run -0 --separate-stderr as_nobody ipc-proc why "$rd"
	assert_line --index 0 "$rd (python3) read from $OBJ, no timeout"
	assert_line --index 1 --regexp '^`-[0-9]+ process(es)? that could not be read \(another user.s, or not dumpable\): not known$'
	[[ $stderr =~ ^ipc-proc:\ why:\ [0-9]+\ process(es)?(\ \(pids?\ [0-9,\ ]+\))?\ could\ not\ be\ inspected:\ (its|their)\ waits\ are\ not\ shown$ ]]
	[ "$root" != "$rd" ]
}

@test "why: a pid 0, negative or not a number is a usage error; one that does not exist, exit 1" {
	run -2 --separate-stderr ipc-proc why 0
	assert_equal "${stderr_lines[0]}" "ipc-proc: why: PID 0 refused: 0 is not a process: kill(2) takes it for the caller's whole group"
	assert_equal "${stderr_lines[1]}" "usage: ipc-proc why [--check] [-j] PID"
	run -2 --separate-stderr ipc-proc why -- -1
	assert_equal "${stderr_lines[0]}" "ipc-proc: why: PID -1 refused: -1 is not a process: kill(2) takes it for every process"
	run -2 --separate-stderr ipc-proc why x
	assert_equal "${stderr_lines[0]}" "ipc-proc: why: PID: 'x' is not a whole number from 1 to 2147483647"
	run -2 --separate-stderr ipc-proc why --check
	assert_equal "${stderr_lines[0]}" "ipc-proc: why: missing PID"
	gone=$(cat /proc/sys/kernel/pid_max)	# pids stay below it
	run -1 --separate-stderr ipc-proc why "$gone"
	assert_equal "$stderr" "ipc-proc: why $gone: no such process"
	assert_output ''
	run -1 --separate-stderr ipc-proc why --check "$gone"
	assert_equal "$stderr" "ipc-proc: why $gone: no such process"
}

@test "why: a thread id is that thread's wait, said as a thread of its process" {
	why_pyr_bg <<'EOF'
import threading
r, w = os.pipe()
def reader():
    with open("tid.tmp", "w") as f:
        f.write("%d %s\n" % (threading.get_native_id(), os.readlink("/proc/self/fd/%d" % r)))
    os.rename("tid.tmp", "tid")
    os.read(r, 1)
t = threading.Thread(target=reader)
t.start()
t.join()
EOF
	why_blocked tid
	tid=$WHO
	pid=$(awk '/^Tgid:/ { print $2 }' "/proc/$tid/status")
	[ "$pid" != "$tid" ]
	run -0 timeout 20 ipc-proc why "$tid"
	assert_line --index 0 "$tid (python3) thread of $pid: read from $OBJ, no timeout"
	assert_line --index 1 "\`-$pid (python3) itself: another of its threads, or an end it holds"
}

@test "why: a pipe's other end no process here holds (another pid namespace's) is not known: --check 4, no deadlock" {
	need_root "a pid namespace of its own"
	need_unshare -p -f --mount-proc
	# the cat reads a pipe whose writer, the sleep, is outside the new
	# namespace: its /proc shows no writer at all
	local spid
	exec 4< <(exec sleep 60)
	spid=$!
	timeout 60 unshare -pf --mount-proc sh -c '
		exec 3<&0
		cat <&3 >/dev/null &
		exec 3<&-
		while [ "$(cat /proc/$!/wchan 2>/dev/null)" != pipe_read ] &&
		    [ "$(cat /proc/$!/wchan 2>/dev/null)" != anon_pipe_read ]; do
			sleep 0.05
		done
		ipc-proc why $! >out 2>err; echo $? >rc
		ipc-proc why --check $! >check.out 2>&1; echo $? >check
		kill $!' <&4 2>/dev/null || true
	exec 4<&-
	kill "$spid"
	assert_equal "$(cat rc)" 0
	run cat out
	assert_line --regexp '^ *2 \(cat\) read from pipe:\[[0-9]+\], no timeout$'
	assert_line '`-held by no process seen (another pid namespace'"'"'s, or a descriptor in flight): not known'
	refute_line --regexp '^deadlock:'
	assert_equal "$(cat check)" 4
	assert_equal "$(cat check.out)" ""
}

# (end of why)

# ------------------------------------------------------------------ ls

# run CMD... with no descriptor of the test's: stdin, stdout and stderr
# /dev/null, none above them (bats keeps pipes of its own there, which
# would tie every process of the test run into one map)
lsm_alone() {
	local fd
	for fd in /proc/$BASHPID/fd/*; do
		fd=${fd##*/}
		[ "$fd" -gt 2 ] && eval "exec $fd>&-"
	done 2>/dev/null
	exec "$@" </dev/null >/dev/null 2>&1
}

# a pipeline `sleep | cat` of its own, reading and writing nowhere else,
# its cat blocked reading the empty pipe: LSM_SLEEP, LSM_CAT, LSM_PIPE
lsm_pipeline() {
	bg lsm_alone sh -c 'sleep 300 | cat'
	wait_for lsm_found "$BG_LAST"
	wait_comm "$LSM_SLEEP" sleep
	wait_for lsm_reading "$LSM_CAT"
	LSM_PIPE=$(readlink "/proc/$LSM_SLEEP/fd/1")
	[[ $LSM_PIPE == pipe:* ]]
}
# process $1 is in read(2) of its descriptor 0 (the call's number by
# the machine: x86_64 0, aarch64 63), as /proc/PID/syscall says
lsm_reading() {
	local nr fd
	{ read -r nr fd _ <"/proc/$1/syscall"; } 2>/dev/null || return 1
	[ "$fd" = 0x0 ] && case $(uname -m) in
	x86_64) [ "$nr" = 0 ] ;;
	*) [ "$nr" = 63 ] ;;
	esac
}
lsm_found() {
	local p
	LSM_SLEEP= LSM_CAT=
	for p in $1 $(descendants "$1"); do
		case $(cat "/proc/$p/comm" 2>/dev/null) in
		sleep) LSM_SLEEP=$p ;;
		cat) LSM_CAT=$p ;;
		esac
	done
	[ -n "$LSM_SLEEP" ] && [ -n "$LSM_CAT" ]
}

@test "ls: a cat blocked reading an empty pipe, with the sleep at the other end" {
	lsm_pipeline
	run --separate-stderr timeout 300 ipc-proc ls -H -o pid,command,other,deadlock
	[ "$status" -eq 0 ]
	assert_line --regexp "^ *$LSM_CAT cat +$LSM_SLEEP\\(sleep\\) +no$"
	run --separate-stderr timeout 300 ipc-proc ls -H -o pid,waits
	[ "$status" -eq 0 ]
	# the pid right-aligned to the widest: its row by its first field
	[ "$(awk -v p="$LSM_CAT" '$1 == p { $1 = ""; print substr($0, 2) }' \
	    <<<"$output")" = "read from $LSM_PIPE, no timeout" ]
	# the sleep sleeps, but not on IPC: no row
	refute_line --regexp "^ *$LSM_SLEEP "
}

@test "ls --min: only those asleep at least that long" {
	lsm_pipeline
	run --separate-stderr timeout 300 ipc-proc ls --min 1h -H -o pid
	[ "$status" -eq 0 ]
	! grep -qx " *$LSM_CAT" <<<"$output"
	run --separate-stderr timeout 300 ipc-proc ls --min 0 -H -o pid
	[ "$status" -eq 0 ]
	assert_line --regexp "^ *$LSM_CAT$"
}

@test "ls: the header names the columns; asleep as -t spells a duration" {
	lsm_pipeline
	run --separate-stderr timeout 300 ipc-proc ls -o pid,command,asleep
	[ "$status" -eq 0 ]
	assert_line --index 0 --regexp '^ *PID COMMAND +ASLEEP$'
	assert_line --regexp "^ *$LSM_CAT cat +[0-9]+(ms|s|m[0-9]+s|h[0-9]+m)$"
}

@test "ls -j: an array of rows, the other end as pids with commands" {
	lsm_pipeline
	run --separate-stderr timeout 300 ipc-proc ls -j
	[ "$status" -eq 0 ]
	run python3 -c '
import json, sys
rows = [r for r in json.loads(sys.argv[1]) if r["pid"] == int(sys.argv[2])]
assert len(rows) == 1, rows
r = rows[0]
assert r["command"] == "cat", r
assert r["other"] == [{"pid": int(sys.argv[3]), "command": "sleep"}], r
assert r["deadlock"] is False, r
assert r["waits"] == "read from %s, no timeout" % sys.argv[4], r
print("ok")' "$output" "$LSM_CAT" "$LSM_SLEEP" "$LSM_PIPE"
	assert_output ok
}

@test "ls: two flock(1) crossing their locks are marked as a deadlock" {
	touch a b
	bg lsm_alone flock a sh -c 'touch held1; until [ -e held2 ]; do sleep 0.01; done; exec flock b true'
	LSM_O1=$BG_LAST
	bg lsm_alone flock b sh -c 'touch held2; until [ -e held1 ]; do sleep 0.01; done; exec flock a true'
	LSM_O2=$BG_LAST
	wait_for lsm_two_waiting
	run --separate-stderr timeout 300 ipc-proc ls -H -o pid,command,deadlock
	[ "$status" -eq 0 ]
	assert_line --regexp "^ *$LSM_W1 flock +yes$"
	assert_line --regexp "^ *$LSM_W2 flock +yes$"
	# and the two that hold the locks, waiting for them
	assert_line --regexp "^ *$LSM_O1 flock +yes$"
	assert_line --regexp "^ *$LSM_O2 flock +yes$"
}
# each outer flock(1)'s command has become flock(1) and waits for the
# other's lock: a "->" waiter in /proc/locks with its pid
lsm_two_waiting() {
	LSM_W1=$(pgrep -P "$LSM_O1") && LSM_W2=$(pgrep -P "$LSM_O2") &&
	    comm_is "$LSM_W1" flock && comm_is "$LSM_W2" flock &&
	    grep -qE -- "-> FLOCK +ADVISORY +WRITE +$LSM_W1 " /proc/locks &&
	    grep -qE -- "-> FLOCK +ADVISORY +WRITE +$LSM_W2 " /proc/locks
}

@test "ls -a: a process holding a pipe, counted by kind" {
	lsm_pipeline
	run --separate-stderr timeout 300 ipc-proc ls -a -H -o pid,command,objects,kinds
	[ "$status" -eq 0 ]
	assert_line --regexp "^ *$LSM_SLEEP sleep +1 pipe:1$"
	assert_line --regexp "^ *$LSM_CAT cat +1 pipe:1$"
	run --separate-stderr timeout 300 ipc-proc ls -a -o pid,pipe,unix -j
	[ "$status" -eq 0 ]
	[[ $output == *"{\"pid\":$LSM_SLEEP,\"pipe\":1,\"unix\":0}"* ]]
}

@test "ls: bad options and operands are usage errors" {
	run --separate-stderr ipc-proc ls --min x
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "ipc-proc: ls: --min: 'x' is not a duration (like 250ms, 1.5, 2s, 1m, 1h; at most 2147483647 seconds)" ]
	[ "${stderr_lines[1]}" = "usage: ipc-proc ls [-a] [--min DUR] [-o LIST] [-H] [--notruncate] [-j]" ]
	run --separate-stderr ipc-proc ls -a --min 1s
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "ipc-proc: ls: -a and --min exclude each other" ]
	run --separate-stderr ipc-proc ls 1
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "ipc-proc: ls: too many operands" ]
	run --separate-stderr ipc-proc ls -o nope
	[ "$status" -eq 2 ]
	[[ ${stderr_lines[0]} == "ipc-proc: ls: -o: unknown field 'nope' (fields: kind, pid, command, waits, other, way, asleep, deadlock, threads, asleep_ms, all)" ]]
	[ -z "$output" ]
}

@test "ls: what could not be read is said once, with how many" {
	need_nobody
	run --separate-stderr as_nobody ipc-proc ls -H
	[ "$status" -eq 0 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ ${stderr_lines[0]} =~ ^ipc-proc:\ ls:\ [0-9]+\ processes\ could\ not\ be\ inspected:\ their\ waits\ are\ not\ shown$ ]]
}

# (end of ls)

# ----------------------------------------------------------------- map

# the map as JSON, checked by python: $1 the JSON, then a script that
# sees it as m, its processes as procs (pid to command), its edges
lsm_json() {
	python3 -c '
import json, sys
m = json.loads(sys.argv[1])
procs = {n["pid"]: n["command"] for n in m["nodes"] if n["kind"] == "process"}
ids = {n["id"] for n in m["nodes"]}
for e in m["edges"]:
    assert e["from"] in ids and e["to"] in ids, e
args = sys.argv[3:]
exec(sys.argv[2])
print("ok")' "$@"
}

@test "map: a real pipeline, both processes and the pipe between them" {
	lsm_pipeline
	run --separate-stderr timeout 300 ipc-proc map "$LSM_CAT"
	[ "$status" -eq 0 ]
	[[ $output == *"sleep($LSM_SLEEP)"* ]]
	[[ $output == *"cat($LSM_CAT)"* ]]
	# the pipe, data from sleep to cat, drawn from either end
	[[ $output =~ sleep\($LSM_SLEEP\)[^$'\n']*${LSM_PIPE//[\[\]]/.}-\>cat\($LSM_CAT\) ||
	    $output =~ cat\($LSM_CAT\)[^$'\n']*\<-${LSM_PIPE//[\[\]]/.}-sleep\($LSM_SLEEP\) ]]
	run --separate-stderr timeout 300 ipc-proc map -j "$LSM_CAT"
	[ "$status" -eq 0 ]
	run lsm_json "$output" '
s, c, pipe = int(args[0]), int(args[1]), args[2]
assert procs[s] == "sleep" and procs[c] == "cat", procs
links = [e for e in m["edges"] if e["type"] == "link"]
assert {"from": "p%d" % s, "to": "p%d" % c, "type": "link", "kind": "pipe",
    "directed": True, "object": pipe, "objects": 1} in links, links
waits = [e for e in m["edges"] if e["type"] == "wait"]
assert any(e["from"] == "p%d" % c and e["to"] == "p%d" % s and
    e["object"] == pipe for e in waits), waits
' "$LSM_SLEEP" "$LSM_CAT" "$LSM_PIPE"
	assert_output ok
}

@test "map PID: only what PID reaches" {
	lsm_pipeline
	local s1=$LSM_SLEEP c1=$LSM_CAT
	lsm_pipeline
	run --separate-stderr timeout 300 ipc-proc map -j "$c1"
	[ "$status" -eq 0 ]
	run lsm_json "$output" '
assert int(args[0]) in procs and int(args[1]) in procs, procs
assert int(args[2]) not in procs and int(args[3]) not in procs, procs
' "$s1" "$c1" "$LSM_SLEEP" "$LSM_CAT"
	assert_output ok
	# one of each: both
	run --separate-stderr timeout 300 ipc-proc map --format json "$s1" "$LSM_CAT"
	[ "$status" -eq 0 ]
	run lsm_json "$output" '
assert all(int(p) in procs for p in args), procs
' "$s1" "$c1" "$LSM_SLEEP" "$LSM_CAT"
	assert_output ok
}

@test "map: a thread's id stands for its process" {
	bg lsm_alone python3 -c 'import threading, time
t = threading.Thread(target=time.sleep, args=(300,))
t.start()
t.join()'
	wait_for lsm_threads "$BG_LAST"
	local tid
	tid=$(ls "/proc/$BG_LAST/task" | grep -vx "$BG_LAST" | head -1)
	run --separate-stderr timeout 300 ipc-proc map -j "$tid"
	[ "$status" -eq 0 ]
	run lsm_json "$output" 'assert int(args[0]) in procs, procs' "$BG_LAST"
	assert_output ok
}
lsm_threads() { [ "$(ls "/proc/$1/task" | wc -l)" -ge 2 ]; }

@test "map --format dot: Graphviz's dot renders it" {
	if ! command -v dot >/dev/null; then
		is_root && fail "dot is missing (make check installs graphviz as root)"
		skip "dot (graphviz) is not installed, and only root installs it"
	fi
	lsm_pipeline
	timeout 300 ipc-proc map --format dot "$LSM_CAT" > map.dot
	grep -q "^	p$LSM_SLEEP -> p$LSM_CAT \\[label=\"${LSM_PIPE//[\[\]]/.}\"\\];" map.dot
	run --separate-stderr timeout 60 dot -Tsvg map.dot
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ $output == *"<svg"* ]]
	[[ $output == *"sleep $LSM_SLEEP"* ]]
}

@test "map -j: one JSON object, valid; the whole map without PIDs" {
	lsm_pipeline
	run --separate-stderr timeout 300 ipc-proc map -j
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | python3 -m json.tool >/dev/null
	run lsm_json "$output" '
assert int(args[0]) in procs and int(args[1]) in procs, procs
assert isinstance(m["deadlocked"], list)
' "$LSM_SLEEP" "$LSM_CAT"
	assert_output ok
}

@test "map: shared memory two processes map is a node between them" {
	bg lsm_alone python3 -c '
import sys, time
from multiprocessing import shared_memory, resource_tracker
m = shared_memory.SharedMemory(name=sys.argv[1], create=True, size=4096)
open("made", "w").close()
time.sleep(300)' "lsm$$"
	wait_for test -e made
	bg lsm_alone python3 -c '
import sys, time
from multiprocessing import shared_memory, resource_tracker
m = shared_memory.SharedMemory(name=sys.argv[1])
resource_tracker.unregister(m._name, "shared_memory")
open("opened", "w").close()
time.sleep(300)' "lsm$$"
	local second=$BG_LAST
	wait_for test -e opened
	run --separate-stderr timeout 300 ipc-proc map -j "$second"
	rm -f "/dev/shm/lsm$$"
	[ "$status" -eq 0 ]
	run lsm_json "$output" '
objs = [n for n in m["nodes"] if n["kind"] == "shm" and n["name"].endswith(args[0])]
assert len(objs) == 1, m["nodes"]
holds = [e for e in m["edges"] if e["type"] == "holds" and objs[0]["id"] in (e["from"], e["to"])]
assert len({e["from"] if e["to"] == objs[0]["id"] else e["to"] for e in holds}) == 2, holds
' "lsm$$"
	assert_output ok
}

@test "map: bad formats, pids and options" {
	run --separate-stderr ipc-proc map --format x
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "ipc-proc: map: --format: 'x' is not one of text, dot, json" ]
	[ "${stderr_lines[1]}" = "usage: ipc-proc map [--format FORMAT] [-j] [PID...]" ]
	run --separate-stderr ipc-proc map -j --format dot
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "ipc-proc: map: -j and --format dot exclude each other" ]
	run --separate-stderr ipc-proc map x
	[ "$status" -eq 2 ]
	run --separate-stderr ipc-proc map 0
	[ "$status" -eq 2 ]
	run --separate-stderr ipc-proc map -- -3
	[ "$status" -eq 2 ]
	local gone
	gone=$(lsm_gone_pid)
	run --separate-stderr ipc-proc map "$gone"
	[ "$status" -eq 1 ]
	[ "$stderr" = "ipc-proc: map $gone: no such process" ]
	[ -z "$output" ]
}
# a pid no process has: one that just ended
lsm_gone_pid() {
	local p
	sh -c 'exit 0' & p=$!
	wait "$p"
	while [ -e "/proc/$p" ]; do p=$((p + 1)); done
	echo "$p"
}

@test "ls and map while processes start and end: no crash, no row of two" {
	bg lsm_alone sh -c 'end=$(($(date +%s) + 120)); while [ "$(date +%s)" -lt "$end" ]; do
		sleep 0.01 | cat; echo x | cat | cat
	done'
	local churn=$BG_LAST n
	for n in 1 2 3 4 5 6 7 8; do
		run --separate-stderr timeout 300 ipc-proc ls -H -o pid,command
		[ "$status" -eq 0 ]
		lsm_rows_match
		run --separate-stderr timeout 300 ipc-proc ls -a -H -o pid,command
		[ "$status" -eq 0 ]
		lsm_rows_match
		run --separate-stderr timeout 300 ipc-proc map -j
		[ "$status" -eq 0 ]
		run lsm_json "$output" '
for p, c in procs.items():
    try:
        now = open("/proc/%d/comm" % p).read().strip()
    except OSError:
        continue
    if c in ("sleep", "cat", "sh"):
        assert now in ("", c) or c == "sh", (p, c, now)
'
		assert_output ok
		run --separate-stderr timeout 300 ipc-proc map
		[ "$status" -eq 0 ]
	done
	kill -0 "$churn"	# it churned all along
}
# each row of the churn's commands (sh, sleep, cat) has its pid's
# command, where that pid is still there; but the shell forks each
# command before it execs it, so a row may have seen a child as sh that
# is now the command. Other processes on the machine exec as they
# please: not counted.
lsm_rows_match() {
	local pid comm now
	while read -r pid comm; do
		[[ $comm == @(sh|sleep|cat) ]] || continue
		{ read -r now <"/proc/$pid/comm"; } 2>/dev/null || continue
		[ "$now" = "$comm" ] || [ "$comm" = sh ] ||
		    { echo "row $pid $comm, but the process is $now" >&2; return 1; }
	done <<<"$output"
}

# (end of map)
