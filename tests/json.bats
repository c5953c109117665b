#!/usr/bin/env bats
# JSON with one shape: every command's stat -j and ls -j, on a real
# object of each kind, checked against one schema of shared keys and
# their JSON types (orphan a boolean, sets arrays, pids numbers, the
# byte count "bytes", a "kind" from one vocabulary on every object), and
# ls -j -o all offering every key stat -j has. A failure names the
# command, the verb and the key.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR" || return
	n=/j$$-$BATS_TEST_NUMBER
	key=$(sysv_key 0x6a)
}

teardown() {
	teardown_bg
	ipc-mq rm -f "$n" 2>/dev/null
	ipc-sem rm -f "$n" 2>/dev/null
	ipc-shm rm -f "$n" 2>/dev/null
	ipc-mq rm -S -f "$key" 2>/dev/null
	ipc-sem rm -S -f "$key" 2>/dev/null
	ipc-shm rm -S -f "$key" 2>/dev/null
	return 0
}

# schema WHAT KIND [FILE [full]]: every object of the JSON in FILE
# (default: out.json; an object, or an array of them) whose kind is KIND,
# checked: each key it has of the right type and, with "full" (stat, ls
# -o all), every key its kind always has there. WHAT ("ipc-mq stat")
# names the output in a failure. At least one such object must be there.
# Prints nothing when all is well.
schema() {
	python3 - "$1" "$2" "${3:-out.json}" "${4:-}" <<'PY'
import json, re, sys

what, want, path, full = sys.argv[1:5]
VOCAB = {"pipe", "fifo", "mq", "sysv-msg", "sem", "sysv-sem", "shm",
         "sysv-shm", "file", "unix", "tcp", "udp", "lock", "signal",
         "process", "signals", "wait"}

def integer(v): return type(v) is int
def boolean(v): return type(v) is bool
def string(v): return type(v) is str
def maybe(f): return lambda v: v is None or f(v)
def array(f): return lambda v: type(v) is list and all(f(x) for x in v)
def pid(v): return integer(v) and v >= 0
def holder(v):
    return type(v) is dict and set(v) == {"pid", "command"} and \
        pid(v["pid"]) and v["pid"] > 0 and string(v["command"])
def mode(v): return string(v) and re.fullmatch(r"0[0-7]{3}", v) is not None
def sysvkey(v):
    return string(v) and re.fullmatch(r"0x[0-9a-f]{8}", v) is not None
def counts(v):
    return type(v) is dict and all(integer(x) for x in v.values())
def kind(v): return v in VOCAB

TYPES = {
    "kind": (kind, "one of the kind vocabulary"),
    "orphan": (boolean, "a boolean"),
    "deadlock": (boolean, "a boolean"),
    "bytes": (maybe(integer), "a number"),
    "capacity": (maybe(integer), "a number"),
    "size": (integer, "a number"), "allocated": (integer, "a number"),
    "inode": (integer, "a number"), "file_inode": (maybe(integer), "a number"),
    "id": (integer, "a number"), "value": (integer, "a number"),
    "number": (integer, "a number"), "objects": (integer, "a number"),
    "pid": (pid, "a pid, a number"), "notify_pid": (pid, "a pid, a number"),
    "lspid": (pid, "a pid, a number"), "lrpid": (pid, "a pid, a number"),
    "sempid": (pid, "a pid, a number"), "cpid": (pid, "a pid, a number"),
    "lpid": (pid, "a pid, a number"), "peer": (maybe(integer), "a number"),
    "mode": (maybe(mode), "an octal string, 0600"),
    "owner": (maybe(string), "a string"),
    "group": (maybe(string), "a string"),
    "key": (sysvkey, "a string, 0x0000abcd"),
    "name": (maybe(string), "a string"), "path": (maybe(string), "a string"),
    "command": (string, "a string"),
    "holders": (array(holder), "an array of {pid, command}"),
    "readers": (array(holder), "an array of {pid, command}"),
    "writers": (array(holder), "an array of {pid, command}"),
    "waiting_readers": (array(holder), "an array of {pid, command}"),
    "waiting_writers": (array(holder), "an array of {pid, command}"),
    "peer_holders": (array(holder), "an array of {pid, command}"),
    "pending": (array(string), "an array of names"),
    "shared_pending": (array(string), "an array of names"),
    "blocked": (array(string), "an array of names"),
    "ignored": (array(string), "an array of names"),
    "caught": (array(string), "an array of names"),
    "status": (array(string), "an array of words"),
    "pid_role": (array(string), "an array of words"),
    "threads": (array(pid), "an array of numbers"),
    "kinds": (counts, "an object of counts"),
}
# the keys an object of each kind always has
OBJECT = ["kind", "mode", "owner", "group"]
HELD = OBJECT + ["orphan", "holders"]
REQUIRED = {
    "pipe": ["kind", "inode", "bytes", "readers", "writers", "orphan"],
    "fifo": OBJECT + ["inode", "bytes", "readers", "writers", "orphan",
                      "path"],
    "mq": HELD + ["name"], "sem": HELD + ["name"], "shm": HELD + ["name"],
    "file": HELD + ["path"], "sysv-shm": HELD + ["key", "id", "size"],
    "sysv-msg": OBJECT + ["key", "id"], "sysv-sem": OBJECT + ["key", "id"],
    "unix": ["kind", "inode", "holders", "type", "state"],
    "signal": ["kind", "number", "name"],
    "process": ["kind", "pid"],
}

data = json.load(open(path))
objs = data if type(data) is list else [data]
bad, seen = [], 0
for o in objs:
    if type(o) is not dict:
        bad.append("%s: %r is not an object" % (what, o))
        continue
    if "kind" not in o:
        bad.append("%s: key kind: missing" % what)
        continue
    if o["kind"] != want:
        continue
    seen += 1
    for k in REQUIRED.get(want, ["kind"]) if full else []:
        if k not in o:
            bad.append("%s: key %s: missing (kind %s)" % (what, k, want))
    for k, v in o.items():
        if k in TYPES and not TYPES[k][0](v):
            bad.append("%s: key %s: %s is not %s" %
                       (what, k, json.dumps(v), TYPES[k][1]))
if seen == 0:
    bad.append("%s: no object of kind %s" % (what, want))
for b in sorted(set(bad)):
    print(b)
PY
}

# rows_of PID FILE: the objects of the array in FILE whose pid is PID
rows_of() {
	python3 -c '
import json, sys
print(json.dumps([r for r in json.load(open(sys.argv[2]))
                  if r.get("pid") == int(sys.argv[1])]))' "$@"
}

# a pipe between two processes, their pids in w.pid (the writer, sleep)
# and r.pid (the reader, cat, blocked reading it)
pipe_pair() {
	bg sh -c 'sh -c "echo \$\$ > w.pid; exec sleep 300" |
	    sh -c "echo \$\$ > r.pid; exec cat"'
	wait_for test -s w.pid
	wait_for test -s r.pid
	wait_comm "$(cat w.pid)" sleep
	wait_comm "$(cat r.pid)" cat
}

# covers WHAT STAT LS: every key of stat's object (file STAT) is among
# those of ls -o all's (file LS, one object); prints the missing ones
covers() {
	python3 -c '
import json, sys
s = json.load(open(sys.argv[2]))
l = json.load(open(sys.argv[3]))
l = l[0] if type(l) is list else l
for k in sorted(set(s) - set(l)):
    print("%s: key %s: in stat -j, not in ls -j -o all" % (sys.argv[1], k))
' "$@"
}

# own STAT LS: the objects of ls -j (file LS) that are stat -j's (file
# STAT) by its name, or its id where it has no name
own() {
	python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
k = "name" if "name" in s else "id"
print(json.dumps([r for r in json.load(open(sys.argv[2]))
                  if r.get(k) == s.get(k)]))' "$@"
}

# one POSIX or System V object: stat -j and ls -j checked, and ls -o all
# against stat. $1 the command, $2 its kind, $3 a flavour option or "",
# $4 the object as stat names it
check_named() {
	local c=$1 k=$2 fl=$3 obj=$4
	timeout 30 $c stat $fl -j "$obj" > out.json 2>/dev/null
	run -0 schema "$c stat${fl:+ $fl}" "$k" out.json full
	assert_output ""
	cp out.json stat.json
	# ls's row of this object: another user's (a suite run beside this
	# one) may have values this user cannot read, null by design
	timeout 30 $c ls $fl -j > ls.json 2>/dev/null
	own stat.json ls.json > out.json
	run -0 schema "$c ls${fl:+ $fl}" "$k"
	assert_output ""
	timeout 30 $c ls $fl -j -o all > ls.json 2>/dev/null
	own stat.json ls.json > all.json
	run -0 schema "$c ls${fl:+ $fl} -o all" "$k" all.json full
	assert_output ""
	run -0 covers "$c ls${fl:+ $fl}" stat.json all.json
	assert_output ""
}

@test "json: a schema failure names the command, the verb and the key" {
	echo '{"kind":"mq","name":"/q","mode":"0600","owner":"root","group":"root","orphan":"yes","holders":null}' > out.json
	run -0 schema "ipc-mq stat" mq
	assert_output "ipc-mq stat: key holders: null is not an array of {pid, command}
ipc-mq stat: key orphan: \"yes\" is not a boolean"
	echo '[{"name":"/q"}]' > out.json
	run -0 schema "ipc-mq ls" mq
	assert_output "ipc-mq ls: key kind: missing
ipc-mq ls: no object of kind mq"
}

@test "json: ipc-mq stat -j and ls -j, a POSIX queue (kind mq)" {
	need_mqueue "ipc-mq ls lists /dev/mqueue"
	ipc-mq create "$n"
	check_named ipc-mq mq "" "$n"
}

@test "json: ipc-mq -S stat -j and ls -j, a System V queue (kind sysv-msg)" {
	ipc-mq create -S "$key" > /dev/null
	check_named ipc-mq sysv-msg -S "$key"
}

@test "json: ipc-sem stat -j and ls -j, a POSIX semaphore (kind sem)" {
	ipc-sem create "$n"
	check_named ipc-sem sem "" "$n"
}

@test "json: ipc-sem -S stat -j and ls -j, a System V set (kind sysv-sem)" {
	ipc-sem create -S "$key" > /dev/null
	check_named ipc-sem sysv-sem -S "$key"
}

@test "json: ipc-shm stat -j and ls -j, POSIX shared memory (kind shm)" {
	ipc-shm create -s 4096 "$n"
	check_named ipc-shm shm "" "$n"
}

@test "json: ipc-shm -S stat -j and ls -j, a System V segment (kind sysv-shm)" {
	ipc-shm create -S -s 4096 "$key" > /dev/null
	check_named ipc-shm sysv-shm -S "$key"
}

@test "json: ipc-shm -F stat -j, a file (kind file)" {
	ipc-shm create -F -s 4096 f
	timeout 30 ipc-shm stat -F -j f > out.json 2>/dev/null
	run -0 schema "ipc-shm stat -F" file out.json full
	assert_output ""
}

@test "json: ipc-pipe stat -j and ls -j, a FIFO (kind fifo) and a pipe (kind pipe)" {
	mkdir d
	mkfifo d/f
	timeout 30 ipc-pipe stat -j d/f > out.json 2>/dev/null
	run -0 schema "ipc-pipe stat" fifo out.json full
	assert_output ""
	cp out.json stat.json
	timeout 30 ipc-pipe ls -j d > out.json 2>/dev/null
	run -0 schema "ipc-pipe ls" fifo
	assert_output ""
	timeout 30 ipc-pipe ls -j -o all d > all.json 2>/dev/null
	run -0 schema "ipc-pipe ls -o all" fifo all.json full
	assert_output ""
	run -0 covers "ipc-pipe ls" stat.json all.json
	assert_output ""
	pipe_pair
	timeout 60 ipc-pipe ls -j --pid "$(cat w.pid)" > out.json 2>/dev/null
	run -0 schema "ipc-pipe ls --pid" pipe
	assert_output ""
}

@test "json: ipc-sock stat -j and ls -j, a listening socket (kind unix)" {
	bg timeout 60 ipc-sock listen -e cat s > /dev/null 2>&1
	wait_for unix_bound s l
	timeout 30 ipc-sock stat -j s > out.json 2>/dev/null
	run -0 schema "ipc-sock stat" unix out.json full
	assert_output ""
	cp out.json stat.json
	timeout 30 ipc-sock ls -j . > out.json 2>/dev/null
	run -0 schema "ipc-sock ls" unix
	assert_output ""
	timeout 30 ipc-sock ls -j -o all . > all.json 2>/dev/null
	run -0 schema "ipc-sock ls -o all" unix all.json full
	assert_output ""
	run -0 covers "ipc-sock ls" stat.json all.json
	assert_output ""
	# every socket on the machine, named or not, to the same types
	timeout 60 ipc-sock ls -j -o all > out.json 2>/dev/null
	run -0 schema "ipc-sock ls -o all" unix
	assert_output ""
}

@test "json: ipc-sig ls -j (kind signal) and ls -j PID (kind process), its sets arrays" {
	timeout 30 ipc-sig ls -j > out.json
	run -0 schema "ipc-sig ls" signal out.json full
	assert_output ""
	bg env --default-signal=INT,QUIT sh -c 'trap "" USR1; echo $$ > p.pid
	    exec sleep 300'
	wait_for test -s p.pid
	timeout 30 ipc-sig ls -j "$(cat p.pid)" > out.json
	run -0 schema "ipc-sig ls PID" process out.json full
	assert_output ""
	# nothing pending: an empty array, not null; USR1 ignored
	run -0 python3 -c '
import json
d = json.load(open("out.json"))
print(d["pending"], d["shared_pending"], "USR1" in d["ignored"])'
	assert_output "[] [] True"
}

@test "json: ipc-proc stat -j, ls -j and ls -a -j, a process blocked on a pipe" {
	pipe_pair
	r=$(cat r.pid)
	wait_for sleeping "$r"
	timeout 60 ipc-proc stat -j "$r" > out.json 2>/dev/null
	run -0 schema "ipc-proc stat" pipe
	assert_output ""
	timeout 300 ipc-proc ls -j > all.json 2>/dev/null
	rows_of "$r" all.json > out.json
	run -0 schema "ipc-proc ls" process out.json full
	assert_output ""
	timeout 300 ipc-proc ls -a -j > all.json 2>/dev/null
	rows_of "$r" all.json > out.json
	run -0 schema "ipc-proc ls -a" process out.json full
	assert_output ""
}

@test "json: ipc-proc why -j and map -j, every node with a kind; no deadlock is []" {
	pipe_pair
	r=$(cat r.pid)
	wait_for sleeping "$r"
	timeout 60 ipc-proc why -j "$r" > why.json 2>/dev/null
	timeout 300 ipc-proc map -j "$r" > map.json 2>/dev/null
	run -0 python3 -c '
import json, sys
w = json.load(open("why.json"))
m = json.load(open("map.json"))
kinds = {"pipe", "fifo", "mq", "sysv-msg", "sem", "sysv-sem", "shm",
         "sysv-shm", "file", "unix", "tcp", "udp", "lock", "process"}
mk = {n.get("kind") for n in m["nodes"]}
print(w["deadlock"], sorted({n.get("kind") for n in w["nodes"]}),
      "process" in mk, sorted(mk - kinds, key=str))'
	assert_output "[] ['process'] True []"
}
