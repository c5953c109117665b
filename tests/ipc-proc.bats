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
	[ "$(awk -v p="$LSM_CAT" '$1 == p { print $2 }' <<<"$output")" = \
	    "read\\040from\\040$LSM_PIPE,\\040no\\040timeout" ]
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
assert r["deadlock"] == "no", r
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
	[ "${stderr_lines[1]}" = "usage: ipc-proc ls [-a] [--min DUR] [-o LIST] [-H] [-j]" ]
	run --separate-stderr ipc-proc ls -a --min 1s
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "ipc-proc: ls: -a and --min exclude each other" ]
	run --separate-stderr ipc-proc ls 1
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "ipc-proc: ls: too many operands" ]
	run --separate-stderr ipc-proc ls -o nope
	[ "$status" -eq 2 ]
	[[ ${stderr_lines[0]} == "ipc-proc: ls: -o: unknown field 'nope' (fields: pid, command, waits, other, way, asleep, deadlock, threads, asleep_ms)" ]]
	[ -z "$output" ]
}

@test "ls: what could not be read is said once, with how many" {
	need_nobody
	run --separate-stderr as_nobody ipc-proc ls -H
	[ "$status" -eq 0 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ ${stderr_lines[0]} =~ ^ipc-proc:\ ls:\ [0-9]+\ process(es)?\ could\ not\ be\ read\ \(another\ user\'s,\ or\ not\ dumpable\):\ their\ waits\ are\ not\ shown$ ]]
}

# (end of ls)

# ----------------------------------------------------------------- map

# the map as JSON, checked by python: $1 the JSON, then a script that
# sees it as m, its processes as procs (pid to command), its edges
lsm_json() {
	python3 -c '
import json, sys
m = json.loads(sys.argv[1])
procs = {n["pid"]: n["command"] for n in m["nodes"] if n["type"] == "process"}
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
objs = [n for n in m["nodes"] if n["type"] == "shm" and n["name"].endswith(args[0])]
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
