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
	{ echo "$WHY_PY_READY"; cat; } | why_py_bg "$@"
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
	assert_output "$p (python3) write to $pb, no timeout
\`-$c (python3) write to $ca, no timeout
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
\`-$c (python3) write to $o, no timeout
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
	assert_output "$w (python3) write to $p, no timeout
|-$r1 (python3) read from $q, no timeout
| \`-$w (python3): shown above
\`-$r2 (python3) sleep (not IPC) (not IPC: the branch ends here)
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
	[[ $stderr =~ ^ipc-proc:\ why:\ [0-9]+\ process(es)?\ could\ not\ be\ read\ \(another\ user\'s,\ or\ not\ dumpable\):\ (its|their)\ waits\ are\ not\ shown$ ]]
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

# (end of why)

# ------------------------------------------------------------------ ls

# (end of ls)

# ----------------------------------------------------------------- map

# (end of map)
