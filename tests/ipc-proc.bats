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
in_call() {
	local s
	sleeping "$1" || return 1
	s=$(cat "/proc/$1/syscall" 2>/dev/null) || return 1
	[[ $s != running* && ${s%% *} != -1 ]]
}

# the pid a helper wrote first in file $1, once it is written whole
pid_in() {
	[ -s "$1" ] && cut -d' ' -f1 "$1"
}

# python3 running the program on stdin in the background, as $BG_LAST
py_bg() {
	cat >prog.py
	bg timeout 120 python3 prog.py "$@"
}

# wait until the helper that wrote its pid (and the pipe it blocks on)
# to file $1 is blocked in its call; its pid in $WHO, the pipe in $OBJ
blocked_helper() {
	wait_for pid_in "$1" || return 1
	WHO=$(pid_in "$1")
	OBJ=$(cut -d' ' -f2 "$1")
	wait_for in_call "$WHO"
}

@test "why: two processes each writing a full pipe the other should read are a deadlock" {
	py_bg <<'EOF'
import os
a_r, a_w = os.pipe()
b_r, b_w = os.pipe()
def ready(name, fd):
    with open(name + '.tmp', 'w') as f:
        f.write('%d %s\n' % (os.getpid(), os.readlink('/proc/self/fd/%d' % fd)))
    os.rename(name + '.tmp', name)
if os.fork() == 0:
    os.close(a_r); os.close(b_w)
    ready('child', a_w)
    os.write(a_w, b'x' * (1 << 20))
    os._exit(0)
os.close(a_w); os.close(b_r)
ready('parent', b_w)
os.write(b_w, b'x' * (1 << 20))
EOF
	blocked_helper parent
	p=$WHO pb=$OBJ
	blocked_helper child
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
	wait_for in_call "$c1"
	wait_for in_call "$c2"
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
	wait_for in_call "$s"
	run -0 timeout 20 ipc-proc why "$s"
	assert_output "$s (sh) open of FIFO $PWD/f for writing, no timeout
\`-or a process that opens it for reading"
	run -3 timeout 20 ipc-proc why --check "$s"
	assert_output ''
}

# (end of why)

# ------------------------------------------------------------------ ls

# (end of ls)

# ----------------------------------------------------------------- map

# (end of map)
