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
	assert_line --regexp "^thread $w\|wait\|/dev/shm/sem\.$s\|futex in /dev/shm/sem\.$s \(POSIX semaphore\), no timeout, asleep since [0-9:]{8} \([0-9]+ s\)\|$a\(sempeer\) itself\$"
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
	local m n out=
	m=$((16#$(awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status")))
	for n in $(seq 1 64); do
		(((m >> (n - 1)) & 1)) || continue
		out=${out:+$out,}$(kill -l "$n")
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
	assert_equal "$stderr" "ipc-proc: stat: -o: unknown field 'nosuch' (fields: where, kind, object, detail, other)
usage: ipc-proc stat [-o LIST] [-H] [-j] PID"
}

@test "stat: bad pids: 0, -1 and x are usage errors, a pid nobody has is no such process" {
	run --separate-stderr ipc-proc stat 0
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-proc: stat: PID 0 refused: 0 is not a process: kill(2) takes it for the caller's whole group"
	run --separate-stderr ipc-proc stat -- -1
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-proc: stat: PID -1 refused: -1 is not a process: kill(2) takes it for every process"
	assert_equal "${stderr_lines[1]}" "usage: ipc-proc stat [-o LIST] [-H] [-j] PID"
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
	assert_line --regexp "^thread $BG_LAST +wait +cannot be read \(Permission denied\)\$"
	refute_line --regexp '^fd'
}

# (end of stat)

# ----------------------------------------------------------------- why

# (end of why)

# ------------------------------------------------------------------ ls

# (end of ls)

# ----------------------------------------------------------------- map

# (end of map)
