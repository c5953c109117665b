#!/usr/bin/env bats
# ipc-mq: POSIX message queues, and System V ones with -S, checked against
# peers that are not this code: tests/peers/mqpeer (libc's mq_* and
# msgsnd/msgrcv), util-linux ipcs, and nomsgcopy (a kernel without
# MSG_COPY, by seccomp).

load helpers
bats_require_minimum_version 1.5.0

setup() {
	q=t$$-$BATS_TEST_NUMBER
	key=$(sysv_key 0x6d)
	ids=$BATS_TEST_TMPDIR/ids
	prio_max=$(($(getconf MQ_PRIO_MAX) - 1))
	# a name of NAME_MAX bytes, as unique as q
	q255=$(printf '%-255s' "$q" | tr ' ' n)
}

teardown() {
	local id
	teardown_bg
	ipc-mq rm -f "$q" "$q-b" 2>/dev/null
	ipc-mq rm -f "$q255" 2>/dev/null
	ipc-mq rm -S -f "$key" 2>/dev/null
	if [ -f "$ids" ]; then
		while read -r id; do
			ipc-mq rm -S -f "id:$id" 2>/dev/null
		done <"$ids"
	fi
	return 0
}

# every command that may block is bounded; a hang shows as 143, never
# as the 124 of a timed-out wait
mq() {
	timeout --preserve-status 20 ipc-mq "$@"
}

peer() {
	timeout --preserve-status 20 mqpeer "$@"
}

attr() {
	mqpeer attr "/$1"
}

# a System V queue's id from ipcs, by key
sv_id() {
	ipcs -q | awk -v k="$(printf '0x%08x' "$1")" '$1 == k { print $2 }'
}

# a field (qnum=, qbytes=, mode=, ...) of ipcs -q -i
sv_field() {
	ipcs -q -i "$(sv_id "$1")" | tr '\t' '\n' | sed -n "s/^$2=//p"
}

# crowd SENDERS PER [-S] QUEUE: SENDERS senders of PER messages each
# (with -S, of type 1, 2, ...) and two receivers of half of them each, at
# once; every message must arrive, once
crowd() {
	local n=$1 per=$2 sysv= pids= s r1 r2
	shift 2
	[ "$1" = -S ] && sysv=-S && shift
	for ((s = 1; s <= n; s++)); do
		seq -f "s$s-%g" "$per" | mq send $sysv ${sysv:+-T $s} -l "$1" &
		pids="$pids $!"
	done
	mq recv $sysv -c $((n * per / 2)) "$1" >"$BATS_TEST_TMPDIR/r1" &
	r1=$!
	mq recv $sysv -c $((n * per / 2)) "$1" >"$BATS_TEST_TMPDIR/r2" &
	r2=$!
	wait "$r1"
	wait "$r2"
	for s in $pids; do
		wait "$s"
	done
	for ((s = 1; s <= n; s++)); do
		seq -f "s$s-%g" "$per"
	done | sort >"$BATS_TEST_TMPDIR/want"
	sort "$BATS_TEST_TMPDIR/r1" "$BATS_TEST_TMPDIR/r2" >"$BATS_TEST_TMPDIR/got"
	cmp "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
}

# skip unless this test may have an IPC namespace (unshare -i) of its own
own_ipc_ns() {
	need_root "an IPC namespace of its own (unshare -i)"
	need_unshare -i
}

# pid $1 is ipc-mq itself (not the shell before exec) and asleep
asleep() {
	comm_is "$1" ipc-mq && sleeping "$1"
}

usage_line() {
	ipc-mq -h | sed -n "s/^ *ipc-mq $1 /usage: ipc-mq $1 /p"
}

# --- the command line ---

@test "-h lists every verb; VERB -h lists that verb's options" {
	run -0 ipc-mq -h
	for v in create send recv peek rm stat ls; do
		assert_line --regexp "^ +ipc-mq $v "
	done
	run -0 ipc-mq send -h
	assert_line 'usage: ipc-mq send [-S] [-p PRIO|-T TYPE] [-t DUR] [-l|-0] NAME|KEY [MSG...]'
	assert_line --regexp '^  -p, --priority PRIO +priority, 0 \(default\) to 32767 \(POSIX\)$'
	assert_line --regexp '^  -T, --msg-type TYPE '
	assert_line --regexp '^  -t, --timeout DUR '
	run -0 ipc-mq recv --help
	assert_line --regexp '^  -j, --json '
	assert_line --regexp '^  -c, --count N '
}

@test "a verb is matched whole, never by prefix" {
	run -2 --separate-stderr ipc-mq re "$q"
	assert_equal "${stderr_lines[0]}" "ipc-mq: unknown verb 're' (did you mean 'recv'?)"
}

@test "a missing operand and extra operands are usage errors" {
	run -2 --separate-stderr ipc-mq create
	assert_equal "${stderr_lines[0]}" "ipc-mq: create: missing NAME"
	assert_equal "${stderr_lines[1]}" "$(usage_line create)"
	run -2 --separate-stderr ipc-mq create -S
	assert_equal "${stderr_lines[0]}" "ipc-mq: create: missing KEY"
	run -2 --separate-stderr ipc-mq recv "$q" extra
	assert_equal "${stderr_lines[0]}" "ipc-mq: recv: too many operands"
	run -2 --separate-stderr ipc-mq ls extra
	assert_equal "${stderr_lines[0]}" "ipc-mq: ls: too many operands"
	run -2 --separate-stderr ipc-mq send
	assert_equal "${stderr_lines[0]}" "ipc-mq: send: missing NAME"
	run -2 --separate-stderr ipc-mq rm
	assert_equal "${stderr_lines[0]}" "ipc-mq: rm: missing NAME"
}

@test "an option a verb does not take is a usage error" {
	run -2 --separate-stderr ipc-mq create -p 3 "$q"
	assert_equal "${stderr_lines[0]}" "ipc-mq: create: unknown option '-p'"
	run -2 --separate-stderr ipc-mq rm -t 1 "$q"
	assert_equal "${stderr_lines[0]}" "ipc-mq: rm: unknown option '-t'"
	run -1 attr "$q"
}

# --- names ---

@test "names with and without the leading slash are the same queue" {
	run -0 ipc-mq create "/$q"
	run -0 mq send "$q" one
	run -0 mq recv "/$q"
	assert_output one
	run -0 ipc-mq rm "$q"
	run -1 attr "$q"
}

@test "an empty name, an inner slash, a name over NAME_MAX: usage errors, nothing made" {
	run -2 --separate-stderr ipc-mq create ''
	assert_equal "${stderr_lines[0]}" "ipc-mq: create: empty name"
	assert_equal "${#stderr_lines[@]}" 2
	run -2 --separate-stderr ipc-mq create /
	assert_equal "${stderr_lines[0]}" "ipc-mq: create: empty name"
	run -2 --separate-stderr ipc-mq create "$q/x"
	assert_equal "${stderr_lines[0]}" "ipc-mq: create: '$q/x': a name may have only a leading slash"
	run -1 attr "$q"
	long=$(printf 'n%.0s' $(seq 256))
	run -2 --separate-stderr ipc-mq send "$long" hi
	assert_equal "${stderr_lines[0]}" "ipc-mq: send: name too long (256 bytes > NAME_MAX 255)"
	run -2 --separate-stderr ipc-mq create "$long"
	run -1 attr "$long"
	# NAME_MAX itself is a name
	run -0 ipc-mq create "$q255"
	run -0 attr "$q255"
}

# --- create ---

@test "create: mode 0600, the kernel's default sizes, seen by libc" {
	run -0 ipc-mq create "$q"
	assert_output ''
	run -0 attr "$q"
	assert_output "$(cat /proc/sys/fs/mqueue/msg_default) $(cat /proc/sys/fs/mqueue/msgsize_default) 0"
	run -0 mqpeer mode "/$q"
	assert_output 600
}

@test "create -m: the mode exactly as given, whatever the umask" {
	umask 077
	run -0 ipc-mq create -m 0666 "$q"
	run -0 mqpeer mode "/$q"
	assert_output 666
	run -0 ipc-mq create --mode=640 "$q-b"
	run -0 mqpeer mode "/$q-b"
	assert_output 640
}

@test "create -m: a mode that is not octal up to 0777 is a usage error" {
	run -2 --separate-stderr ipc-mq create -m 0999 "$q"
	assert_equal "${stderr_lines[0]}" "ipc-mq: create: -m: '0999' is not an octal mode from 0 to 0777"
	run -2 ipc-mq create -m 1777 "$q"
	run -1 attr "$q"
}

@test "create -M -s: the sizes libc sees; -s takes units" {
	run -0 ipc-mq create -M 3 -s 100 "$q"
	run -0 attr "$q"
	assert_output '3 100 0'
	run -0 ipc-mq create --maxmsg 2 --size 4K "$q-b"
	run -0 attr "$q-b"
	assert_output '2 4096 0'
}

@test "create -M alone or -s alone: the other as the kernel's default" {
	run -0 ipc-mq create -M 4 "$q"
	run -0 attr "$q"
	assert_output "4 $(cat /proc/sys/fs/mqueue/msgsize_default) 0"
	run -0 ipc-mq create -s 64 "$q-b"
	run -0 attr "$q-b"
	assert_output "$(cat /proc/sys/fs/mqueue/msg_default) 64 0"
}

@test "create: over msg_max or msgsize_max is refused naming the limit, nothing made" {
	local mm ms
	mm=$(cat /proc/sys/fs/mqueue/msg_max)
	ms=$(cat /proc/sys/fs/mqueue/msgsize_max)
	run -1 --separate-stderr ipc-mq create -M $((mm + 1)) "$q"
	assert_equal "$stderr" "ipc-mq: create /$q: -M $((mm + 1)) is over /proc/sys/fs/mqueue/msg_max ($mm)"
	run -1 --separate-stderr ipc-mq create -s $((ms + 1)) "$q"
	assert_equal "$stderr" "ipc-mq: create /$q: -s $((ms + 1)) is over /proc/sys/fs/mqueue/msgsize_max ($ms)"
	run -1 attr "$q"
}

@test "create: zero or absurd sizes are usage errors naming the range, nothing made" {
	run -2 --separate-stderr ipc-mq create -M 0 "$q"
	assert_equal "${stderr_lines[0]}" "ipc-mq: create: -M: '0' is not a whole number from 1 to 65536"
	assert_equal "${stderr_lines[1]}" "$(usage_line create)"
	run -2 --separate-stderr ipc-mq create -M 65537 "$q"
	assert_equal "${stderr_lines[0]}" "ipc-mq: create: -M: '65537' is not a whole number from 1 to 65536"
	run -2 --separate-stderr ipc-mq create -s 0 "$q"
	assert_equal "${stderr_lines[0]}" "ipc-mq: create: -s: '0' is not a size from 1 to 16777216 bytes (a number, optionally with K, M, G or T)"
	run -2 ipc-mq create -s 17M "$q"
	run -2 ipc-mq create -M 5x "$q"
	run -2 ipc-mq create -M -1 "$q"
	run -1 attr "$q"
}

# the limits are the IPC namespace's: a namespace of the test's own keeps
# other tests, run at the same time, from seeing them change
@test "create: raising msg_max lets a bigger queue be made (in an IPC namespace of its own)" {
	own_ipc_ns
	run -0 unshare -i sh -c 'm=$(($(cat /proc/sys/fs/mqueue/msg_max) + 10)) &&
	    echo $m >/proc/sys/fs/mqueue/msg_max && echo $m &&
	    ipc-mq create -M $m -s 16 "$1" && mqpeer attr "/$1"' _ "$q"
	assert_equal "${#lines[@]}" 2
	assert_equal "${lines[1]}" "${lines[0]} 16 0"
}

@test "create: RLIMIT_MSGQUEUE is named when it refuses" {
	run -1 --separate-stderr bash -c 'ulimit -q 1000 && exec ipc-mq create -M 5 -s 1000 "$1"' _ "$q"
	assert_equal "$stderr" "ipc-mq: create /$q: the user's queues would need more than RLIMIT_MSGQUEUE (ulimit -q: 1000 bytes)"
	run -1 attr "$q"
}

@test "create: queues_max and msgmni are named when they refuse (in an IPC namespace of its own)" {
	own_ipc_ns
	run -1 --separate-stderr unshare -i sh -c 'echo 0 >/proc/sys/fs/mqueue/queues_max && exec ipc-mq create "$1"' _ "$q"
	assert_equal "$stderr" "ipc-mq: create /$q: No space left on device (/proc/sys/fs/mqueue/queues_max is 0)"
	run -1 --separate-stderr unshare -i sh -c 'echo 0 >/proc/sys/kernel/msgmni && exec ipc-mq create -S "$1"' _ "$key"
	assert_equal "$stderr" "ipc-mq: create $key: No space left on device (/proc/sys/kernel/msgmni is 0)"
}

@test "create: an existing queue fails; -x succeeds and leaves it as it was" {
	run -0 ipc-mq create -M 2 -s 10 "$q"
	run -0 mq send "$q" kept
	run -1 --separate-stderr ipc-mq create "$q"
	assert_equal "$stderr" "ipc-mq: create /$q: File exists (-x: succeed if it already exists)"
	run -0 ipc-mq create -x "$q"
	run -0 ipc-mq create --exist-ok -M 2 "$q"
	run -0 attr "$q"
	assert_output '2 10 1'
}

@test "create -x: a queue of other limits, mode or owner is refused, naming what differs" {
	run -0 ipc-mq create -M 2 -s 10 "$q"
	run -1 --separate-stderr ipc-mq create -x -M 5 "$q"
	assert_equal "$stderr" "ipc-mq: create /$q: exists with maxmsg 2, not 5"
	run -1 --separate-stderr ipc-mq create -x -M 2 -s 20 "$q"
	assert_equal "$stderr" "ipc-mq: create /$q: exists with msgsize 10, not 20"
	run -1 --separate-stderr ipc-mq create -x -s 10 -m 0644 "$q"
	assert_equal "$stderr" "ipc-mq: create /$q: exists with mode 0600, not 0644"
	run -0 ipc-mq create -x -M 2 -s 10 -m 0600 "$q"
	run -0 ipc-mq create -S -s 1000 "$key"
	run -1 --separate-stderr ipc-mq create -S -x -s 2000 "$key"
	assert_equal "$stderr" "ipc-mq: create $key: exists with qbytes 1000, not 2000"
	run -0 ipc-mq create -S -x -s 1000 "$key"
	need_nobody
	run -0 ipc-mq create -m 0666 "$q-b"
	run -1 --separate-stderr as_nobody ipc-mq create -x "$q-b"
	assert_equal "$stderr" "ipc-mq: create /$q-b: exists owned by root, not nobody (--any-owner takes another user's)"
	run -0 as_nobody ipc-mq create -x --any-owner "$q-b"
	run -0 ipc-mq rm -S "$key"
	run -0 ipc-mq create -S -m 0666 "$key"
	run -1 --separate-stderr as_nobody ipc-mq create -S -x "$key"
	assert_equal "$stderr" "ipc-mq: create $key: exists owned by root, not nobody (--any-owner takes another user's)"
}

# --- send and recv ---

@test "send: each operand one message, in order; recv takes one by default" {
	run -0 ipc-mq create "$q"
	run -0 mq send "$q" one two 'three and four'
	assert_output ''
	run -0 mq recv "$q"
	assert_output one
	run -0 attr "$q"
	assert_output --regexp ' 2$'
	run -0 mq recv -c 2 "$q"
	assert_output $'two\nthree and four'
}

@test "send -p and recv -v: priorities both ways against libc" {
	run -0 ipc-mq create "$q"
	run -0 mq send -p 7 "$q" seven
	run -0 mq send --priority "$prio_max" "$q" top
	run -0 peer recv "/$q"
	assert_output "$prio_max"$'\ttop'
	run -0 peer recv "/$q"
	assert_output $'7\tseven'
	run -0 mqpeer send "/$q" 3 three
	run -0 mqpeer send "/$q" 0 zero
	run -0 mqpeer send "/$q" 12 twelve
	run -0 mq recv -v -c 3 "$q"
	assert_output $'12\ttwelve\n3\tthree\n0\tzero'
}

@test "recv: highest priority first, then in the order sent" {
	run -0 ipc-mq create "$q"
	run -0 mq send -p 1 "$q" low1
	run -0 mq send -p 9 "$q" high
	run -0 mq send -p 1 "$q" low2
	run -0 mq send -p 5 "$q" mid
	run -0 mq recv -c 4 "$q"
	assert_output $'high\nmid\nlow1\nlow2'
}

@test "send -p: PRIO at MQ_PRIO_MAX or negative is a usage error, nothing sent" {
	run -0 ipc-mq create "$q"
	run -2 --separate-stderr ipc-mq send -p $((prio_max + 1)) "$q" x
	assert_equal "${stderr_lines[0]}" "ipc-mq: send: -p: '$((prio_max + 1))' is not a whole number from 0 to $prio_max"
	assert_equal "${stderr_lines[1]}" "$(usage_line send)"
	run -2 ipc-mq send -p -1 "$q" x
	run -2 ipc-mq send -p '' "$q" x
	run -0 attr "$q"
	assert_output --regexp ' 0$'
}

@test "send: stdin whole is one message, bytes exact (a NUL, the newline)" {
	run -0 ipc-mq create "$q"
	printf 'a\0b\nc\n' | mq send "$q"
	mq recv -r "$q" >"$BATS_TEST_TMPDIR/out"
	printf 'a\0b\nc\n' | cmp - "$BATS_TEST_TMPDIR/out"
	# empty stdin: one empty message
	mq send "$q" </dev/null
	run -0 mq recv -j "$q"
	assert_output '{"priority":0,"message":""}'
}

@test "send -l: each line one message; -0: each record" {
	run -0 ipc-mq create "$q"
	printf 'one\ntwo\n\nlast' | mq send -l "$q"
	run -0 mq recv -j -c 4 "$q"
	assert_output '{"priority":0,"message":"one"}
{"priority":0,"message":"two"}
{"priority":0,"message":""}
{"priority":0,"message":"last"}'
	printf 'x y\0second\nline\0' | mq send -0 -p 2 "$q"
	run -0 mq recv -v -c 2 -j "$q"
	assert_output '{"priority":2,"message":"x y"}
{"priority":2,"message":"second\nline"}'
}

@test "send: a message over msgsize is refused with both sizes; operands checked first" {
	run -0 ipc-mq create -s 100 "$q"
	big=$(printf 'x%.0s' $(seq 101))
	run -1 --separate-stderr mq send "$q" fine "$big"
	assert_equal "$stderr" "ipc-mq: send /$q: Message too long (101 bytes > msgsize 100)"
	run -0 attr "$q"
	assert_output '10 100 0'
	run -0 ipc-mq rm "$q"
	run -0 ipc-mq create "$q"
	run -1 --separate-stderr mq send "$q" "$(head -c 9000 /dev/zero | tr '\0' x)"
	assert_equal "$stderr" "ipc-mq: send /$q: Message too long (9000 bytes > msgsize 8192)"
}

@test "send: stdin over msgsize is refused whole, with its size" {
	run -0 ipc-mq create -s 100 "$q"
	head -c 5000 /dev/zero >"$BATS_TEST_TMPDIR/in"
	run -1 --separate-stderr mq send "$q" <"$BATS_TEST_TMPDIR/in"
	assert_equal "$stderr" "ipc-mq: send /$q: Message too long (5000 bytes > msgsize 100)"
	run -0 attr "$q"
	assert_output '10 100 0'
}

@test "send -l/-0: the long line is refused whole, the ones before it sent" {
	run -0 ipc-mq create -s 10 "$q"
	printf 'ok1\nok2\nthis line is too long\nafter\n' >"$BATS_TEST_TMPDIR/in"
	run -1 --separate-stderr mq send -l "$q" <"$BATS_TEST_TMPDIR/in"
	assert_equal "$stderr" "ipc-mq: send /$q: line 3: Message too long (21 bytes > msgsize 10)"
	run -0 mq recv -t 0 -c 2 "$q"
	assert_output $'ok1\nok2'
	run -0 attr "$q"
	assert_output --regexp ' 0$'
	printf 'r1\0a very long record\0' >"$BATS_TEST_TMPDIR/in"
	run -1 --separate-stderr mq send -0 "$q" <"$BATS_TEST_TMPDIR/in"
	assert_equal "$stderr" "ipc-mq: send /$q: record 2: Message too long (18 bytes > msgsize 10)"
}

@test "send -t 0 on a full queue: 124 at once, nothing more sent" {
	run -0 ipc-mq create -M 2 "$q"
	run -0 mq send "$q" a b
	run -124 --separate-stderr mq send -t 0 "$q" c
	assert_equal "$stderr" "ipc-mq: send /$q: timed out waiting for room"
	run -124 mq send --timeout 0.2 "$q" c
	run -0 mq recv -c 2 "$q"
	assert_output $'a\nb'
	run -0 attr "$q"
	assert_output --regexp ' 0$'
}

@test "send: with several operands a full queue stops at the first that does not fit" {
	run -0 ipc-mq create -M 2 "$q"
	run -124 mq send -t 0 "$q" a b c d
	run -0 mq recv -c 2 "$q"
	assert_output $'a\nb'
}

@test "send -t: waits for room, and goes on when a receiver makes some" {
	run -0 ipc-mq create -M 1 "$q"
	run -0 mq send "$q" first
	mq send -t 15 "$q" second &
	pid=$!
	run -0 mq recv "$q"
	assert_output first
	wait "$pid"
	run -0 mq recv -t 5 "$q"
	assert_output second
}

@test "send, recv: a queue that does not exist: 1, the name and the reason" {
	run -1 --separate-stderr mq send "$q" x
	assert_equal "$stderr" "ipc-mq: send /$q: No such file or directory"
	run -1 --separate-stderr mq recv "$q"
	assert_equal "$stderr" "ipc-mq: recv /$q: No such file or directory"
	run -1 --separate-stderr ipc-mq stat "$q"
	assert_equal "$stderr" "ipc-mq: stat /$q: No such file or directory"
}

@test "a private queue (0600) is refused to another user: Permission denied" {
	need_nobody
	run -0 ipc-mq create "$q"
	run -0 mq send "$q" secret
	run -1 --separate-stderr as_nobody ipc-mq send "$q" x
	assert_equal "$stderr" "ipc-mq: send /$q: Permission denied"
	run -1 --separate-stderr as_nobody ipc-mq recv "$q"
	assert_equal "$stderr" "ipc-mq: recv /$q: Permission denied"
	run -0 mq recv -t 0 "$q"
	assert_output secret
	# a mode that lets them in does
	run -0 ipc-mq create -m 0622 "$q-b"
	run -0 as_nobody ipc-mq send "$q-b" from-nobody
	run -0 mq recv "$q-b"
	assert_output from-nobody
}

@test "recv -c: timing out with fewer writes what came, then 124" {
	run -0 ipc-mq create "$q"
	run -0 mq send "$q" a b
	run -124 --separate-stderr mq recv -c 3 -t 0.2 "$q"
	assert_output $'a\nb'
	assert_equal "$stderr" "ipc-mq: recv /$q: timed out"
}

@test "recv -t 0 on an empty queue: 124 at once" {
	run -0 ipc-mq create "$q"
	run -124 --separate-stderr mq recv -t 0 "$q"
	assert_output ''
	assert_equal "$stderr" "ipc-mq: recv /$q: timed out"
}

@test "recv -f -t: 0 after receiving something, 124 after nothing" {
	run -0 ipc-mq create "$q"
	run -0 mq send "$q" a b c
	run -0 --separate-stderr mq recv -f -t 0.2 "$q"
	assert_output $'a\nb\nc'
	assert_equal "$stderr" ''
	run -124 --separate-stderr mq recv --follow -t 0.1 "$q"
	assert_output ''
}

@test "recv: waits for a message that comes later" {
	run -0 ipc-mq create "$q"
	mq recv -t 15 "$q" >"$BATS_TEST_TMPDIR/out" &
	pid=$!
	run -0 mqpeer send "/$q" 4 late
	wait "$pid"
	run -0 cat "$BATS_TEST_TMPDIR/out"
	assert_output late
}

@test "recv -f: each message reaches the pipeline before the next wait" {
	run -0 ipc-mq create "$q"
	bg mq recv -f "$q" >"$BATS_TEST_TMPDIR/out"
	run -0 mq send "$q" one
	wait_for grep -qx one "$BATS_TEST_TMPDIR/out"
	run -0 mq send "$q" two
	wait_for grep -qx two "$BATS_TEST_TMPDIR/out"
	run -0 cat "$BATS_TEST_TMPDIR/out"
	assert_output $'one\ntwo'
}

@test "recv -0 ends each message in NUL; -r adds nothing" {
	run -0 ipc-mq create "$q"
	run -0 mq send "$q" a b c d
	mq recv -0 -c 2 "$q" >"$BATS_TEST_TMPDIR/out"
	printf 'a\0b\0' | cmp - "$BATS_TEST_TMPDIR/out"
	mq recv --raw -c 2 "$q" >"$BATS_TEST_TMPDIR/out"
	printf 'cd' | cmp - "$BATS_TEST_TMPDIR/out"
}

@test "recv -j: escapes quotes, tabs, newlines, control and non-UTF-8 bytes" {
	run -0 ipc-mq create "$q"
	printf 'say "hi"\t\\ é\n\001\377' | mq send -p 3 "$q"
	run -0 mq recv -j "$q"
	assert_output '{"priority":3,"message":"say \"hi\"\t\\ é\n\u0001\udcff"}'
}

@test "recv: -j with -0 or -r, -c with -f, -r with -0, bad -c and -t are usage errors" {
	run -0 ipc-mq create "$q"
	run -0 mq send "$q" kept
	run -2 --separate-stderr ipc-mq recv -j -0 "$q"
	assert_equal "${stderr_lines[0]}" "ipc-mq: recv: -j excludes -0 and -r"
	run -2 ipc-mq recv -j -r "$q"
	run -2 --separate-stderr ipc-mq recv -c 2 -f "$q"
	assert_equal "${stderr_lines[0]}" "ipc-mq: recv: -c and -f exclude each other"
	run -2 ipc-mq recv -r -0 "$q"
	run -2 --separate-stderr ipc-mq recv -c 0 "$q"
	assert_equal "${stderr_lines[0]}" "ipc-mq: recv: -c: '0' is not a whole number from 1 to 9223372036854775807"
	run -2 --separate-stderr ipc-mq recv -t soon "$q"
	assert_equal "${stderr_lines[0]}" "ipc-mq: recv: -t: 'soon' is not a duration (like 250ms, 1.5, 2s, 1m, 1h; at most 2147483647 seconds)"
	run -2 --separate-stderr ipc-mq recv -T 1 "$q"
	assert_equal "${stderr_lines[0]}" "ipc-mq: recv: -T is for System V queues (-S)"
	run -0 mq recv -t 0 "$q"
	assert_output kept
}

@test "send: -l with -0, and -T without -S, are usage errors, nothing sent" {
	run -0 ipc-mq create "$q"
	run -2 --separate-stderr ipc-mq send -l -0 "$q" </dev/null
	assert_equal "${stderr_lines[0]}" "ipc-mq: send: -l and -0 exclude each other"
	run -2 --separate-stderr ipc-mq send -T 2 "$q" x
	assert_equal "${stderr_lines[0]}" "ipc-mq: send: -T is for System V queues (-S)"
	run -0 attr "$q"
	assert_output --regexp ' 0$'
}

@test "recv: a write that fails is reported, exit 1" {
	run -0 ipc-mq create "$q"
	run -0 mq send "$q" a b
	run -1 --separate-stderr bash -c "timeout --preserve-status 20 ipc-mq recv '$q' >/dev/full"
	assert_equal "$stderr" "ipc-mq: recv /$q: stdout: No space left on device"
	run -1 --separate-stderr bash -c "timeout --preserve-status 20 ipc-mq recv -f -t 0 '$q' >/dev/full"
	assert_equal "$stderr" "ipc-mq: recv /$q: stdout: No space left on device"
	# nothing was taken that could not be written
	run -0 ipc-mq recv -c 2 "$q"
	assert_output "$(printf 'a\nb')"
}

@test "recv -f | head -1: a reader gone while it waits leaves the next message queued, 141" {
	run -0 ipc-mq create "$q"
	bg bash -c 'timeout --preserve-status 20 ipc-mq recv -f "$1" |
	    { head -1 >"$2"; exec <&-; : >"$3"; }
	    echo "${PIPESTATUS[0]}" >"$4"' _ "$q" "$BATS_TEST_TMPDIR/out" \
	    "$BATS_TEST_TMPDIR/gone" "$BATS_TEST_TMPDIR/status"
	run -0 mq send "$q" one
	wait_for test -e "$BATS_TEST_TMPDIR/gone"
	run -0 mq send "$q" two
	wait_for test -s "$BATS_TEST_TMPDIR/status"
	run -0 cat "$BATS_TEST_TMPDIR/status" "$BATS_TEST_TMPDIR/out"
	assert_output $'141\none'
	run -0 mq recv -t 0 "$q"
	assert_output two
}

@test "recv: SIGTERM or SIGINT while it waits ends it with 128+signal, taking nothing" {
	local sig want args pid st
	run -0 ipc-mq create "$q"
	run -0 ipc-mq create -S "$key"
	for sig in TERM INT; do
		want=$((128 + $(kill -l "$sig")))
		for args in "$q" "-t 30 $q" "-S $key" "-S -t 30 $key"; do
			# SIGINT as the default: bash ignores it in a background job
			bg env --default-signal=INT ipc-mq recv -f $args \
			    >"$BATS_TEST_TMPDIR/out"
			pid=$BG_LAST
			wait_for asleep "$pid"
			kill -s "$sig" "$pid"
			st=0
			wait "$pid" || st=$?
			assert_equal "$sig $args: $st" "$sig $args: $want"
			assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" ''
		done
	done
	run -0 mq send "$q" kept
	run -0 mq send -S "$key" kept
	run -0 mq recv -t 0 "$q"
	assert_output kept
	run -0 mq recv -S -t 0 "$key"
	assert_output kept
}

@test "4 senders x 500 and 2 receivers: nothing lost, nothing twice" {
	run -0 ipc-mq create "$q"
	crowd 4 500 "$q"
	run -0 wc -l <"$BATS_TEST_TMPDIR/r1"
	assert_output 1000
}

# --- rm ---

@test "rm: several; a missing one is warned about, the rest removed, 1 at the end" {
	run -0 ipc-mq create "$q"
	run -0 ipc-mq create "$q-b"
	run -1 --separate-stderr ipc-mq rm "$q" "$q-none" "/$q-b"
	assert_equal "$stderr" "ipc-mq: rm /$q-none: No such file or directory"
	run -1 attr "$q"
	run -1 attr "$q-b"
	run -0 ipc-mq rm -f "$q" "$q-none"
	run -0 ipc-mq rm --force "$q"
}

@test "rm: a bad name among them removes nothing" {
	run -0 ipc-mq create "$q"
	run -2 ipc-mq rm "$q" 'a/b'
	run -0 attr "$q"
}

@test "rm: a queue held open lives on for its holder, gone by name" {
	run -0 ipc-mq create "$q"
	bg mqpeer hold "/$q" "$BATS_TEST_TMPDIR/ready"
	wait_for test -e "$BATS_TEST_TMPDIR/ready"
	run -0 ipc-mq rm "$q"
	run -1 ipc-mq stat "$q"
}

# --- stat ---

@test "stat: every field, and it takes nothing from the queue" {
	run -0 ipc-mq create -M 4 -s 64 "$q"
	run -0 mq send -p 2 "$q" hello
	run -0 --separate-stderr ipc-mq stat "$q"
	assert_output "name=/$q
maxmsg=4
msgsize=64
curmsgs=1
qsize=5
mode=0600
owner=$(id -un)
group=$(id -gn)
notify_pid=0
orphan=yes
holders="
	assert_equal "$stderr" "$(partial_note ipc-mq stat holders orphan)"
	run -0 ipc-mq stat "$q"
	assert_line curmsgs=1
	run -0 mq recv -v -t 0 "$q"
	assert_output $'2\thello'
}

@test "stat: holders and notify pid are the processes that hold it" {
	run -0 ipc-mq create "$q"
	mqpeer notify "/$q" "$BATS_TEST_TMPDIR/ready" &
	pid=$!
	BG_PIDS="$BG_PIDS $pid"
	wait_for test -e "$BATS_TEST_TMPDIR/ready"
	run -0 --separate-stderr ipc-mq stat -o holders,notify_pid "$q"
	assert_output "holders=$pid(mqpeer)
notify_pid=$pid"
	assert_equal "$stderr" "$(partial_note ipc-mq stat holders)"
	run -0 --separate-stderr ipc-mq stat -j -o name,holders "$q"
	assert_output "{\"name\":\"/$q\",\"holders\":[{\"pid\":$pid,\"command\":\"mqpeer\"}]}"
	assert_equal "$stderr" "$(partial_note ipc-mq stat holders)"
}

@test "stat -o, -j: only those fields, JSON" {
	run -0 ipc-mq create -M 3 "$q"
	run -0 ipc-mq stat -o curmsgs,maxmsg "$q"
	assert_output $'curmsgs=0\nmaxmsg=3'
	run -0 --separate-stderr ipc-mq stat --json "$q"
	assert_output "{\"kind\":\"mq\",\"name\":\"/$q\",\"maxmsg\":3,\"msgsize\":8192,\"curmsgs\":0,\"qsize\":0,\"mode\":\"0600\",\"owner\":\"$(id -un)\",\"group\":\"$(id -gn)\",\"notify_pid\":0,\"orphan\":true,\"holders\":[]}"
	assert_equal "$stderr" "$(partial_note ipc-mq stat holders orphan)"
	run -2 --separate-stderr ipc-mq stat -o size "$q"
	assert_equal "${stderr_lines[0]}" "ipc-mq: stat: -o: unknown field 'size' (fields: kind, name, maxmsg, msgsize, curmsgs, qsize, mode, owner, group, notify_pid, orphan, holders, all)"
}

@test "stat: a queue another user may not open still shows its mode and owner" {
	need_nobody
	need_mqueue "the mode and owner come from the queue's file there"
	run -0 ipc-mq create "$q"
	run -0 --separate-stderr as_nobody ipc-mq stat -o name,mode,owner,curmsgs "$q"
	assert_output "name=/$q
mode=0600
owner=root
curmsgs="
}

# --- ls ---

@test "ls: every queue, with the fields, and a header" {
	need_mqueue "ipc-mq ls lists it"
	run -0 ipc-mq create -M 2 "$q"
	run -0 mq send "$q" x
	run -0 --separate-stderr ipc-mq ls
	assert_line --index 0 --regexp '^NAME +MAXMSG +MSGSIZE +CURMSGS +QSIZE +MODE +OWNER +ORPHAN +HOLDERS$'
	assert_line --regexp "^/$q +2 +8192 +1 +1 0600 $(id -un) +yes +-$"
	assert_equal "$stderr" "$(partial_note ipc-mq ls holders orphan)"
	run -0 ipc-mq ls -H -o name
	assert_line "/$q"
	refute_line NAME
	run -0 ipc-mq ls -H -o name,group,notify_pid
	assert_line --regexp "^/$q +$(id -gn) 0$"
	# looking takes nothing
	run -0 attr "$q"
	assert_output '2 8192 1'
}

@test "ls -j: an array of objects" {
	need_mqueue "ipc-mq ls lists it"
	run -0 ipc-mq create "$q"
	run -0 ipc-mq ls -j -o name,curmsgs
	assert_line --index 0 '['
	assert_line --regexp "^\\{\"name\":\"/$q\",\"curmsgs\":0\\},?$"
	assert_line ']'
}

@test "ls: with /dev/mqueue not mounted, says how to mount it" {
	need_root "unmounts /dev/mqueue (in a mount namespace of its own)"
	# where it is not mounted already (the suite may run so), as it is
	unmount='! mountpoint -q /dev/mqueue || umount /dev/mqueue'
	need_unshare -m -- sh -c "$unmount"
	run -1 --separate-stderr unshare -m sh -c "$unmount && exec ipc-mq ls"
	assert_equal "$stderr" "ipc-mq: ls: /dev/mqueue is not mounted: as root, run: mount -t mqueue none /dev/mqueue"
	# queues themselves work without the mount
	run -0 unshare -m sh -c "$unmount && ipc-mq create $q && ipc-mq send $q hi && ipc-mq stat -o qsize $q"
	assert_output qsize=2
	# one another user may not open: its mode and owner are not to be had
	need_nobody
	run -1 --separate-stderr unshare -m sh -c "$unmount && exec setpriv \
	    --reuid=nobody --regid=nogroup --clear-groups ipc-mq stat $q"
	assert_equal "$stderr" "ipc-mq: stat /$q: Permission denied"
}

# --- System V ---

@test "-S create: a key, its id printed; ipcs sees it with mode 0600; -m; the same key again fails, -x not" {
	run -0 ipc-mq create -S "$key"
	assert_output "$(sv_id "$key")"
	run -0 sv_field "$key" mode
	assert_output 0600
	run -1 --separate-stderr ipc-mq create -S "$key"
	[ -z "$output" ]
	assert_equal "$stderr" "ipc-mq: create $key: File exists (-x: succeed if it already exists)"
	run -0 ipc-mq create -S -x "$key"
	assert_output "$(sv_id "$key")"
	run -0 ipc-mq rm -S "$key"
	run -0 ipc-mq create -S -m 0640 "$key"
	run -0 sv_field "$key" mode
	assert_output 0640
}

@test "-S create private prints the new id" {
	run -0 ipc-mq create -S private
	echo "$output" >>"$ids"
	assert_output --regexp '^[0-9]+$'
	run -0 ipcs -q -i "$output"
	assert_line --regexp 'mode=0600'
}

@test "-S create private: an id that cannot be written out leaves no queue behind" {
	own_ipc_ns
	run -0 unshare -i sh -c 'ipc-mq create -S private >/dev/null && ipcs -q | grep -c "^0x"'
	assert_output 1
	run -1 --separate-stderr unshare -i sh -c 'ipc-mq create -S private >/dev/full
	    s=$?; ipcs -q | grep -c "^0x"; exit $s'
	assert_output 0
	assert_equal "$stderr" "ipc-mq: create private: stdout: No space left on device"
}

@test "-S create -s: the queue's qbytes; over msgmnb refused naming it, nothing left" {
	run -0 ipc-mq create -S -s 100 "$key"
	run -0 sv_field "$key" qbytes
	assert_output 100
	run -0 ipc-mq rm -S "$key"
	mnb=$(cat /proc/sys/kernel/msgmnb)
	run -1 --separate-stderr ipc-mq create -S -s $((mnb + 1)) "$key"
	assert_equal "$stderr" "ipc-mq: create $key: -s $((mnb + 1)) is over /proc/sys/kernel/msgmnb ($mnb)"
	run -0 sv_id "$key"
	assert_output ''
	run -2 ipc-mq create -S -s 0 "$key"
}

@test "-S create: an id, -q, a bad key are usage errors, nothing made" {
	run -2 --separate-stderr ipc-mq create -S id:3
	assert_equal "${stderr_lines[0]}" "ipc-mq: create: 'id:3': create takes a key or 'private', not an id"
	run -2 --separate-stderr ipc-mq create -S -M 3 "$key"
	assert_equal "${stderr_lines[0]}" "ipc-mq: create: -M is for POSIX queues, not with -S"
	run -2 --separate-stderr ipc-mq create -S 0xzz
	assert_equal "${stderr_lines[0]}" "ipc-mq: create: '0xzz' is not a key (0x1b2c, 1234, PATH:PROJ, id:N or private)"
	run -2 --separate-stderr ipc-mq create -S 0
	assert_equal "${stderr_lines[0]}" "ipc-mq: create: key 0 is IPC_PRIVATE: say 'private'"
	run -0 sv_id "$key"
	assert_output ''
}

@test "-S send -T, recv -v: types both ways against libc's msgsnd/msgrcv" {
	run -0 ipc-mq create -S "$key"
	run -0 mq send -S "$key" plain
	run -0 mq send -S -T 5 "$key" five
	run -0 peer svrecv "$key"
	assert_output $'1\tplain'
	run -0 peer svrecv "$key"
	assert_output $'5\tfive'
	run -0 mqpeer svsend "$key" 9 nine
	run -0 mq recv -S -v "$key"
	assert_output $'9\tnine'
	run -0 mqpeer svsend "$key" 2 two
	run -0 mq recv -S -j "$key"
	assert_output '{"type":2,"message":"two"}'
}

@test "-S recv -T: 0 any, N that type, -N the lowest type up to N" {
	run -0 ipc-mq create -S "$key"
	run -0 mq send -S -T 3 "$key" three
	run -0 mq send -S -T 1 "$key" one
	run -0 mq send -S -T 2 "$key" two
	run -0 mq send -S -T 4 "$key" four
	run -0 mq recv -S -T 2 "$key"
	assert_output two
	run -0 mq recv -S -T -3 -v "$key"
	assert_output $'1\tone'
	run -0 mq recv -S --msg-type 0 "$key"
	assert_output three
	run -124 mq recv -S -T 7 -t 0 "$key"
	run -0 mq recv -S -c 1 "$key"
	assert_output four
}

@test "-S send: TYPE <= 0 and -p are usage errors, nothing sent" {
	run -0 ipc-mq create -S "$key"
	run -2 --separate-stderr ipc-mq send -S -T 0 "$key" x
	assert_equal "${stderr_lines[0]}" "ipc-mq: send: -T: '0' is not a whole number from 1 to 9223372036854775807"
	run -2 ipc-mq send -S -T -1 "$key" x
	run -2 --separate-stderr ipc-mq send -S -p 1 "$key" x
	assert_equal "${stderr_lines[0]}" "ipc-mq: send: -p is for POSIX queues, not with -S"
	run -2 --separate-stderr ipc-mq send -S private x
	assert_equal "${stderr_lines[0]}" "ipc-mq: send: 'private' names a new queue, at create only"
	run -0 sv_field "$key" qnum
	assert_output 0
}

@test "-S send: over msgmax or the queue's qbytes is refused with both sizes" {
	run -0 ipc-mq create -S "$key"
	max=$(cat /proc/sys/kernel/msgmax)
	run -1 --separate-stderr mq send -S "$key" ok "$(head -c $((max + 1)) /dev/zero | tr '\0' x)"
	assert_equal "$stderr" "ipc-mq: send $key: Message too long ($((max + 1)) bytes > msgmax $max)"
	run -0 ipc-mq rm -S "$key"
	run -0 ipc-mq create -S -s 50 "$key"
	run -1 --separate-stderr mq send -S "$key" "$(printf 'y%.0s' $(seq 51))"
	assert_equal "$stderr" "ipc-mq: send $key: Message too long (51 bytes > qbytes 50)"
	run -0 sv_field "$key" qnum
	assert_output 0
}

@test "-S send -l: lines are messages; stdin whole is one" {
	run -0 ipc-mq create -S "$key"
	printf 'a\nb\n' | mq send -S -l -T 3 "$key"
	printf 'whole\nthing' | mq send -S "$key"
	run -0 mq recv -S -v -c 3 "$key"
	assert_output $'3\ta\n3\tb\n1\twhole\nthing'
}

@test "-S send -t: a full queue times out (0 at once, or after waiting), 124" {
	run -0 ipc-mq create -S -s 4 "$key"
	run -0 mq send -S "$key" abcd
	run -124 --separate-stderr mq send -S -t 0 "$key" e
	assert_equal "$stderr" "ipc-mq: send $key: timed out waiting for room"
	run -124 mq send -S -t 0.2 "$key" e
	run -0 sv_field "$key" qnum
	assert_output 1
}

@test "-S send -t: waits for room, and goes on when a receiver makes some" {
	run -0 ipc-mq create -S -s 5 "$key"
	run -0 mq send -S "$key" first
	mq send -S -t 15 "$key" again &
	pid=$!
	run -0 mq recv -S "$key"
	assert_output first
	wait "$pid"
	run -0 mq recv -S -t 5 "$key"
	assert_output again
}

@test "-S recv -t: an empty queue times out, 124; a late message is received" {
	run -0 ipc-mq create -S "$key"
	run -124 --separate-stderr mq recv -S -t 0 "$key"
	assert_equal "$stderr" "ipc-mq: recv $key: timed out"
	run -124 mq recv -S -t 0.2 "$key"
	mq recv -S -t 15 "$key" >"$BATS_TEST_TMPDIR/out" &
	pid=$!
	run -0 mqpeer svsend "$key" 4 late
	wait "$pid"
	run -0 cat "$BATS_TEST_TMPDIR/out"
	assert_output late
	run -0 mq send -S "$key" x y
	run -124 --separate-stderr mq recv -S -c 3 -t 0.2 "$key"
	assert_output $'x\ny'
	run -0 mq send -S "$key" z
	run -0 mq recv -S -f -t 0.1 "$key"
	assert_output z
}

@test "-S recv -t: a SIGALRM sent while it waits is not taken for its timer: 142 at once" {
	cd "$BATS_TEST_TMPDIR"
	run -0 ipc-mq create -S "$key"
	# bounded by its own -t: the old swallowing of it ended 124 there
	bg ipc-mq recv -S -t 10 "$key" >out 2>err
	wait_for comm_is "$BG_LAST" ipc-mq
	wait_for sleeping "$BG_LAST"
	ends_by "$BG_LAST" ALRM
	[ ! -s out ] && [ ! -s err ]
	# one ignored when it started stays ignored: the wait goes on
	bg env --ignore-signal=ALRM ipc-mq recv -S -t 10 "$key" >out 2>err
	wait_for comm_is "$BG_LAST" ipc-mq
	wait_for sleeping "$BG_LAST"
	kill -s ALRM "$BG_LAST"
	run -0 mqpeer svsend "$key" 1 late
	wait "$BG_LAST"
	[ "$(cat out)" = late ] && [ ! -s err ]
}

@test "-S: keys as 0x.., decimal, PATH:PROJ and id:N name the same queue" {
	touch "$BATS_TEST_TMPDIR/keyfile"
	run -0 ipc-mq create -S "$BATS_TEST_TMPDIR/keyfile:7"
	run -0 ipc-mq stat -S -o key,id "$BATS_TEST_TMPDIR/keyfile:7"
	k=$(sed -n 's/^key=//p' <<<"$output")
	id=$(sed -n 's/^id=//p' <<<"$output")
	echo "$id" >>"$ids"
	run -0 mq send -S "$k" by-hex
	run -0 mq send -S "$((k))" by-decimal
	run -0 mq send -S "id:$id" by-id
	run -0 mq recv -S -c 3 "$BATS_TEST_TMPDIR/keyfile:7"
	assert_output $'by-hex\nby-decimal\nby-id'
	run -1 --separate-stderr ipc-mq stat -S "$BATS_TEST_TMPDIR/nofile:1"
	assert_equal "$stderr" "ipc-mq: stat $BATS_TEST_TMPDIR/nofile:1: ftok $BATS_TEST_TMPDIR/nofile: No such file or directory"
}

@test "-S: a queue that does not exist: 1, the key and the reason" {
	run -1 --separate-stderr mq send -S "$key" x
	assert_equal "$stderr" "ipc-mq: send $key: No such file or directory"
	run -1 --separate-stderr mq recv -S "$key"
	assert_equal "$stderr" "ipc-mq: recv $key: No such file or directory"
	run -1 --separate-stderr mq recv -S id:2147483000
	assert_equal "$stderr" "ipc-mq: recv id:2147483000: No such file or directory"
	run -1 --separate-stderr ipc-mq stat -S "$key"
	assert_equal "$stderr" "ipc-mq: stat $key: No such file or directory"
	run -1 --separate-stderr mq peek -S "$key"
	assert_equal "$stderr" "ipc-mq: peek $key: No such file or directory"
}

@test "-S: a 0600 queue is refused to another user: Permission denied" {
	need_nobody
	run -0 ipc-mq create -S "$key"
	run -0 mq send -S "$key" secret
	run -1 --separate-stderr as_nobody ipc-mq recv -S "$key"
	assert_equal "$stderr" "ipc-mq: recv $key: Permission denied"
	run -1 --separate-stderr as_nobody ipc-mq send -S "$key" x
	assert_equal "$stderr" "ipc-mq: send $key: Permission denied"
	run -0 sv_field "$key" qnum
	assert_output 1
	# stat still tells what /proc/sysvipc/msg shows; qbytes needs msgctl
	run -0 as_nobody ipc-mq stat -S -o qnum,qbytes,mode,owner "$key"
	assert_output $'qnum=1\nqbytes=\nmode=0600\nowner=root'
}

@test "-S peek: every message without taking any; -c, -v, -j" {
	run -0 ipc-mq create -S "$key"
	run -0 mq send -S -T 2 "$key" first
	run -0 mq send -S -T 1 "$key" second
	run -0 mq send -S -T 3 "$key" third
	run -0 mq peek -S "$key"
	assert_output $'first\nsecond\nthird'
	run -0 mq peek -S -c 2 -v "$key"
	assert_output $'2\tfirst\n1\tsecond'
	run -0 mq peek -S -j -c 1 "$key"
	assert_output '{"type":2,"message":"first"}'
	run -0 sv_field "$key" qnum
	assert_output 3
	run -0 mq recv -S -c 3 "$key"
	assert_output $'first\nsecond\nthird'
	run -0 mq peek -S "$key"
	assert_output ''
}

@test "-S peek: a kernel without MSG_COPY is said so, exit 1, nothing taken" {
	run -0 ipc-mq create -S "$key"
	run -0 mq send -S "$key" kept
	run -1 --separate-stderr nomsgcopy ipc-mq peek -S "$key"
	assert_output ''
	assert_equal "$stderr" "ipc-mq: peek $key: the kernel lacks MSG_COPY (CONFIG_CHECKPOINT_RESTORE): cannot read a message without taking it"
	run -0 sv_field "$key" qnum
	assert_output 1
}

@test "peek without -S says in one line that a POSIX queue has no peek, exit 2" {
	run -0 ipc-mq create "$q"
	run -2 --separate-stderr ipc-mq peek "$q"
	assert_equal "$stderr" "ipc-mq: peek $q: the kernel cannot read a POSIX queue without taking the message; a System V queue (-S) it can"
	run -2 ipc-mq peek -S -j -0 "$key"
}

@test "-S stat: every field, from msgctl, taking nothing" {
	run -0 ipc-mq create -S -s 1000 "$key"
	run -0 mq send -S "$key" hello
	id=$(sv_id "$key")
	run -0 ipc-mq stat -S "$key"
	assert_line --index 0 "key=$(printf '0x%08x' "$key")"
	assert_line --index 1 "id=$id"
	assert_line --index 2 qnum=1
	assert_line --index 3 qbytes=1000
	assert_line --index 4 cbytes=5
	assert_line --index 5 --regexp '^lspid=[1-9][0-9]*$'
	assert_line --index 6 lrpid=0
	assert_line --index 7 --regexp '^stime=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}[+-][0-9]{4}$'
	assert_line --index 8 rtime=
	assert_line --index 9 --regexp '^ctime=[0-9]{4}-'
	assert_line --index 10 mode=0600
	assert_line --index 11 "owner=$(id -un)"
	assert_line --index 12 "group=$(id -gn)"
	assert_equal "${#lines[@]}" 13
	run -0 ipc-mq stat -S -j -o key,qnum,rtime "id:$id"
	assert_output "{\"key\":\"$(printf '0x%08x' "$key")\",\"qnum\":1,\"rtime\":null}"
	run -0 sv_field "$key" qnum
	assert_output 1
}

@test "-S stat: lspid and lrpid are the last sender and receiver" {
	run -0 ipc-mq create -S "$key"
	bash -c 'echo $$ >"$1"; exec mqpeer svsend "$2" 1 x' _ "$BATS_TEST_TMPDIR/spid" "$key"
	bash -c 'echo $$ >"$1"; exec mqpeer svrecv "$2" >/dev/null' _ "$BATS_TEST_TMPDIR/rpid" "$key"
	run -0 ipc-mq stat -S -o lspid,lrpid "$key"
	assert_output "lspid=$(cat "$BATS_TEST_TMPDIR/spid")
lrpid=$(cat "$BATS_TEST_TMPDIR/rpid")"
}

@test "-S ls: every queue, as ipcs sees them" {
	run -0 ipc-mq create -S -m 0640 "$key"
	run -0 mq send -S "$key" abc
	id=$(sv_id "$key")
	run -0 ipc-mq ls -S
	assert_line --index 0 --regexp '^KEY +ID +QNUM +QBYTES +CBYTES +LSPID +LRPID +MODE +OWNER$'
	assert_line --regexp "^$(printf '0x%08x' "$key") +$id +1 +16384 +3 +[0-9]+ +0 +0640 +$(id -un)$"
	run -0 ipc-mq ls -S -H -o key
	assert_line "$(printf '0x%08x' "$key")"
	run -0 ipc-mq ls -S -j -o id,qnum
	assert_line --regexp "^\\{\"id\":$id,\"qnum\":1\\},?$"
}

@test "-S rm: keys and ids; a missing one warned about, 1; -f quiet" {
	run -0 ipc-mq create -S "$key"
	run -0 ipc-mq create -S private
	echo "$output" >>"$ids"
	pid_id=$output
	run -1 --separate-stderr ipc-mq rm -S "$key" 0x7fffff01 "id:$pid_id"
	assert_equal "$stderr" "ipc-mq: rm 0x7fffff01: No such file or directory"
	run -0 sv_id "$key"
	assert_output ''
	run -0 ipcs -q
	refute_line --regexp "^0x[0-9a-f]+ +$pid_id "
	run -0 ipc-mq rm -S -f "$key" "id:$pid_id"
	run -2 --separate-stderr ipc-mq rm -S private
	assert_equal "${stderr_lines[0]}" "ipc-mq: rm: 'private' names a new queue, at create only"
}

@test "-S: 3 senders x 300 and 2 receivers: nothing lost, nothing twice" {
	run -0 ipc-mq create -S -s 200 "$key"
	crowd 3 300 -S "$key"
}

@test "recv writes whole messages: waiting ones go out together, none split" {
	need_strace
	[ -z "${IPC_WRAP:-}" ] || skip "under valgrind, strace would count valgrind's writes"
	ipc-mq create -s 3000 "$q"
	for i in 1 2 3 4 5 6 7 8 9 10; do
		head -c 3000 /dev/zero | tr '\0' x | ipc-mq send "$q"
	done
	ASAN_OPTIONS=detect_leaks=0 strace -qq -e trace=write -e signal=none \
	    -o "$BATS_TEST_TMPDIR/trace" ipc-mq recv -c 10 "$q" > "$BATS_TEST_TMPDIR/out"
	run grep -c '^write(1' "$BATS_TEST_TMPDIR/trace"
	assert_output 1
	[ "$(wc -c < "$BATS_TEST_TMPDIR/out")" -eq 30010 ]
}

@test "recv takes nothing when stdout's reader has already gone" {
	run -0 ipc-mq create "$q"
	run -0 mq send "$q" a b c
	run bash -c "{ sleep .3; exec timeout --preserve-status 20 ipc-mq recv -c 3 '$q'; } | true; echo \${PIPESTATUS[0]}"
	assert_output 141
	run -0 mq recv -c 3 "$q"
	assert_output "$(printf 'a\nb\nc')"
}

@test "-S recv takes nothing it could not write: /dev/full, a reader gone" {
	run -0 ipc-mq create -S "$key"
	run -0 mq send -S "$key" a b
	run -1 --separate-stderr bash -c "timeout --preserve-status 20 ipc-mq recv -S -f -t 0 '$key' >/dev/full"
	assert_equal "$stderr" "ipc-mq: recv $key: stdout: No space left on device"
	run bash -c "{ sleep .3; exec timeout --preserve-status 20 ipc-mq recv -S -c 2 '$key'; } | true; echo \${PIPESTATUS[0]}"
	assert_output 141
	run -0 mq recv -S -c 2 "$key"
	assert_output "$(printf 'a\nb')"
}

# a file that takes 1024 bytes (ulimit -f 1), then fails with EFBIG
small_file() { bash -c 'ulimit -f 1; trap "" XFSZ; exec "$@" > small' sh "$@"; }

@test "recv: what a failing file could not take goes back to the queue, counted" {
	cd "$BATS_TEST_TMPDIR"
	run -0 ipc-mq create -s 600 "$q"
	for m in a b c; do
		head -c 599 /dev/zero | tr '\0' "$m" | mq send -p 3 "$q"
	done
	run -1 --separate-stderr small_file timeout --preserve-status 20 ipc-mq recv -c 3 "$q"
	assert_equal "$stderr" "ipc-mq: recv /$q: stdout: File too large: 1 message put back (at the end of its priority), 0 lost, 1 written in part"
	[ "$(head -c 600 small | tr -d '\n' | tr -d a)" = "" ]
	[ "$(wc -c < small)" -eq 1024 ]
	run -0 mq recv -v "$q"
	assert_output "3	$(head -c 599 /dev/zero | tr '\0' c)"
}

@test "-S recv: what a failing file could not take goes back with its type" {
	cd "$BATS_TEST_TMPDIR"
	run -0 ipc-mq create -S "$key"
	for m in a b c; do
		head -c 599 /dev/zero | tr '\0' "$m" | mq send -S -T 7 "$key"
	done
	run -1 --separate-stderr small_file timeout --preserve-status 20 ipc-mq recv -S -c 3 "$key"
	assert_equal "$stderr" "ipc-mq: recv $key: stdout: File too large: 1 message put back (at the end of the queue), 0 lost, 1 written in part"
	run -0 mq recv -S -v -t 0 "$key"
	assert_output "7	$(head -c 599 /dev/zero | tr '\0' c)"
}

@test "recv: a message that cannot go back (no write permission) is counted lost" {
	need_nobody
	run -0 ipc-mq create -m 0644 -s 600 "$q"
	for m in a b c; do
		head -c 599 /dev/zero | tr '\0' "$m" | mq send "$q"
	done
	chmod 777 "$BATS_TEST_TMPDIR"
	cd "$BATS_TEST_TMPDIR"
	run -1 --separate-stderr as_nobody \
	    bash -c 'ulimit -f 1; trap "" XFSZ; exec ipc-mq recv -c 3 "$1" > small' sh "$q"
	assert_equal "$stderr" "ipc-mq: recv /$q: stdout: File too large: 0 messages put back (at the end of its priority), 1 lost, 1 written in part"
	run -0 attr "$q"
	assert_output --regexp ' 0$'
}

@test "-S peek -T: only that type, or (negative) the types up to it; -c counts those shown" {
	run -0 ipc-mq create -S "$key"
	for t in 1 2 3 2; do mq send -S -T "$t" "$key" "m$t"; done
	run -0 mq peek -S -v -T 2 "$key"
	assert_output "$(printf '2\tm2\n2\tm2')"
	run -0 mq peek -S -v -T -2 "$key"
	assert_output "$(printf '1\tm1\n2\tm2\n2\tm2')"
	run -0 mq peek -S -c 1 -T 3 "$key"
	assert_output m3
	run -0 sv_field "$key" qnum
	assert_output 4
}

@test "recv of a POSIX queue removed while it waits takes what was left, says so, exit 1" {
	run -0 ipc-mq create "$q"
	run -0 mq send "$q" a b
	bg sh -c "timeout 20 ipc-mq recv -f '$q' > '$BATS_TEST_TMPDIR/out' 2> '$BATS_TEST_TMPDIR/err'; echo \$? > '$BATS_TEST_TMPDIR/st'"
	wait_for grep -qx b "$BATS_TEST_TMPDIR/out"
	run -0 ipc-mq rm "$q"
	wait_for test -s "$BATS_TEST_TMPDIR/st"
	run cat "$BATS_TEST_TMPDIR/st" "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err"
	assert_output "1
a
b
ipc-mq: recv /$q: the queue was removed"
}

@test "-S recv of a queue removed while it waits says so the same way, exit 1" {
	run -0 ipc-mq create -S "$key"
	bg sh -c "timeout 20 ipc-mq recv -S -f '$key' > '$BATS_TEST_TMPDIR/out' 2> '$BATS_TEST_TMPDIR/err'; echo \$? > '$BATS_TEST_TMPDIR/st'"
	wait_for waits_sysv "$BG_LAST"
	run -0 ipc-mq rm -S "$key"
	wait_for test -s "$BATS_TEST_TMPDIR/st"
	run cat "$BATS_TEST_TMPDIR/st" "$BATS_TEST_TMPDIR/err"
	assert_output "1
ipc-mq: recv $key: the queue was removed"
}
# the sh $1 started an ipc-mq that sleeps (waiting in msgrcv)
waits_sysv() {
	local p
	for p in $(descendants "$1"); do
		comm_is "$p" ipc-mq && sleeping "$p" && return 0
	done
	return 1
}

# --- recv -e: workers -----------------------------------------------------

# no signal is pending for process $1 (it has taken what it was sent)
none_pending() {
	! grep -qE '^(SigPnd|ShdPnd):\s*0*[1-9a-f]' "/proc/$1/status"
}

# the jobs the workers have done so far
jobs_done() { cat "$BATS_TEST_TMPDIR"/done.* 2>/dev/null | wc -l; }

@test "recv -e: three workers share 300 jobs, each run exactly once, none hoarding" {
	run -0 ipc-mq create -M 10 "$q"
	for w in 1 2 3; do
		bg ipc-mq recv -f -e "cat >> '$BATS_TEST_TMPDIR/done.$w'; echo >> '$BATS_TEST_TMPDIR/done.$w'" "$q"
	done
	# bounded by progress: a busy machine may take long over 300
	# forks, but never 10 s without one more job done; 300 jobs through
	# a queue of 10 show a hoarder as 1000 did
	seq 300 | progress_run 10 jobs_done ipc-mq send -l "$q"
	progress_until 10 jobs_done 300
	bg_end_by TERM
	each_once "'$BATS_TEST_TMPDIR'/done.*" 300
	for w in 1 2 3; do
		[ "$(wc -l < "$BATS_TEST_TMPDIR/done.$w")" -lt 150 ]
	done
}

@test "recv -e: the message's bytes exactly on CMD's stdin, its numbers in the environment" {
	run -0 ipc-mq create "$q"
	printf 'a\0b\n' | mq send -p 7 "$q"
	mq send "$q" second
	run -0 mq recv -c 2 -e 'od -An -c | tr -s " "; echo "seq=$IPC_MSG_SEQ prio=$IPC_MSG_PRIO"' "$q"
	assert_output " a \\0 b \\n
seq=1 prio=7
 s e c o n d
seq=2 prio=0"
	run -0 ipc-mq create -S "$key"
	mq send -S -T 5 "$key" typed
	run -0 mq recv -S -e 'echo "$(cat) type=$IPC_MSG_TYPE"' "$key"
	assert_output "typed type=5"
}

@test "recv -e: a failing CMD is reported and the next runs; exit 1; --stop ends with its status" {
	run -0 ipc-mq create "$q"
	mq send "$q" 1 2 3
	run -1 --separate-stderr mq recv -c 3 -e 'read x; echo "$x"; [ "$x" != 2 ] || exit 3' "$q"
	assert_output "$(printf '1\n2\n3')"
	assert_equal "$stderr" "ipc-mq: recv /$q: message 2: read x; echo \"\$x\"; [ \"\$x\" != 2 ] || exit 3 exited 3"
	mq send "$q" 1 2 3
	run -3 --separate-stderr mq recv -f -t 0 --stop -e 'read x; [ "$x" != 2 ] || exit 3' "$q"
	run -0 mq recv "$q"
	assert_output 3
}

@test "recv -e: SIGTERM lets the running CMD finish, takes nothing more, exits 143" {
	run -0 ipc-mq create "$q"
	mq send "$q" one two three
	cd "$BATS_TEST_TMPDIR"
	bg env --default-signal=TERM ipc-mq recv -f -e 'cat > got; touch started; while [ ! -e go ]; do sleep 0.02; done' "$q"
	w=$BG_LAST
	wait_for test -e started
	kill -TERM "$w"
	wait_for none_pending "$w"	# the worker has taken it: it holds it
	touch go
	st=0
	wait "$w" || st=$?
	[ "$st" -eq 143 ]
	run cat got
	assert_output one
	run -0 mq recv -c 2 -t 0 "$q"
	assert_output "$(printf 'two\nthree')"
}

@test "recv -e --kill passes the signal on to the running CMD" {
	run -0 ipc-mq create "$q"
	mq send "$q" one two
	cd "$BATS_TEST_TMPDIR"
	bg env --default-signal=TERM ipc-mq recv -f --kill -e 'trap "echo got TERM > seen; exit 9" TERM; touch started; while :; do sleep 0.02; done' "$q"
	w=$BG_LAST
	wait_for test -e started
	ends_by "$w" TERM
	run cat seen
	assert_output "got TERM"
	run -0 mq recv -t 0 "$q"
	assert_output two
}

@test "recv -e: -t 0 on an empty queue is 124; usage: -e with -r, -v or -j; --kill, --stop without -e" {
	run -0 ipc-mq create "$q"
	run -124 --separate-stderr mq recv -t 0 -e true "$q"
	assert_equal "$stderr" "ipc-mq: recv /$q: timed out"
	for o in -r -v -j; do
		run -2 --separate-stderr ipc-mq recv "$o" -e true "$q"
		assert_equal "${stderr_lines[0]}" "ipc-mq: recv: -e excludes -r, -v and -j: CMD gets the message"
	done
	for o in --kill --stop; do
		run -2 --separate-stderr ipc-mq recv "$o" "$q"
		assert_equal "${stderr_lines[0]}" "ipc-mq: recv: --kill and --stop go with -e"
	done
}

@test "-S recv -e: two workers share a System V queue's jobs, each once" {
	run -0 ipc-mq create -S "$key"
	for w in 1 2; do
		bg ipc-mq recv -S -f -e "cat >> '$BATS_TEST_TMPDIR/done.$w'; echo >> '$BATS_TEST_TMPDIR/done.$w'" "$key"
	done
	seq 300 | progress_run 10 jobs_done ipc-mq send -S -l "$key"
	progress_until 10 jobs_done 300
	bg_end_by TERM
	each_once "'$BATS_TEST_TMPDIR'/done.*" 300
}

@test "recv -e waiting for a message: SIGTERM and SIGINT end it at once, 128+signal, nothing taken" {
	run -0 ipc-mq create "$q"
	for sig in TERM INT; do
		bg env --default-signal=INT ipc-mq recv -f -e true "$q"
		w=$BG_LAST
		wait_for sleeping "$w"
		kill -s "$sig" "$w"
		st=0
		wait "$w" || st=$?
		[ "$st" -eq "$((128 + $(kill -l "$sig")))" ]
	done
	mq send "$q" kept
	run -0 mq recv -t 0 "$q"
	assert_output kept
}

@test "ls: numbers are right-aligned under their header, text left-aligned" {
	need_mqueue "ipc-mq ls lists it"
	run -0 ipc-mq create -M 2 "$q"
	run -0 ipc-mq create -M 10 "$q-b"
	ipc-mq ls -o name,maxmsg,mode 2>/dev/null > "$BATS_TEST_TMPDIR/t"
	# where MAXMSG ends in the header is where each number ends
	end=$(awk 'NR == 1 { print index($0, "MAXMSG") + 5 }' "$BATS_TEST_TMPDIR/t")
	run awk -v q="/$q" -v e="$end" '$1 == q || $1 == q "-b" {
	    n = index($0, " " $2 " ") + length($2); print substr($0, 1, length(q)) ":" (n == e) }' \
	    "$BATS_TEST_TMPDIR/t"
	assert_output "/$q:1
/$q:1"
}
