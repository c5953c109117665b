#!/usr/bin/env bats
# ls --pid PID on every command: only the objects PID holds, opens or
# maps, each with how (pid_role), and the other end where the kind has
# one; System V queues and sets show the last pid the kernel recorded,
# as last_pid, never as a holder. The processes are peers that are not
# this code (sleep, cat, tests/peers/*) with nothing else open.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR" || return
	n=p$$-$BATS_TEST_NUMBER
	key=$(printf '0x%x' $((0x70690000 + ($$ % 256) * 256 + BATS_TEST_NUMBER)))
}

teardown() {
	teardown_bg
	ipc-mq rm -f "$n" "$n-b" 2>/dev/null
	ipc-shm rm -f "$n" "$n-b" 2>/dev/null
	ipc-sem rm -f "$n" "$n-b" 2>/dev/null
	ipc-mq rm -S -f "$key" 2>/dev/null
	ipc-shm rm -S -f "$key" 2>/dev/null
	ipc-sem rm -S -f "$key" 2>/dev/null
	return 0
}

# the pid a process wrote to the file $1, once it is there
pid_in() {
	wait_for test -s "$1" && cat "$1"
}

# ls of the command $1 for pid $2, the fields $3, and options or DIRs after
lspid() {
	local cmd=$1 pid=$2 fields=$3
	shift 3
	run --separate-stderr "$cmd" ls -H --pid "$pid" -o "$fields" "$@"
}

@test "ipc-pipe ls --pid: the FIFO it reads and the pipe it writes, with the other ends" {
	mkfifo f
	# a reader of f whose stdout is a pipe to cat: exactly two objects
	bg alone sh -c 'sleep 30 < f 2>/dev/null | cat > /dev/null'
	p=$BG_LAST
	bg alone sh -c 'exec sleep 30 > f 2>/dev/null </dev/null'
	w=$BG_LAST
	wait_comm "$w" sleep
	wait_for holds "$w" f
	wait_for pgrep -P "$p" -x cat
	c=$(pgrep -P "$p" -x cat)
	r=$(pgrep -P "$p" -x sleep)
	wait_for holds "$r" f
	lspid ipc-pipe "$r" kind,readers,writers,pid_role
	assert_success
	assert_equal "${#lines[@]}" 2
	assert_line --regexp "^fifo +$r\\(sleep\\) +$w\\(sleep\\) +reader\$"
	assert_line --regexp "^pipe +$c\\(cat\\) +$r\\(sleep\\) +writer\$"
	lspid ipc-pipe "$w" kind,path,readers,writers,pid_role
	assert_success
	assert_output "fifo $PWD/f $r(sleep) $w(sleep) writer"
}

@test "ipc-pipe ls --pid DIR: only the FIFOs there that it holds" {
	mkdir d
	mkfifo d/a d/b
	bg alone sh -c 'exec sleep 30 <> d/a >/dev/null 2>&1'
	wait_comm "$BG_LAST" sleep
	wait_for holds "$BG_LAST" d/a
	lspid ipc-pipe "$BG_LAST" path,pid_role d
	assert_success
	assert_output "d/a reader,writer"
}

@test "ipc-mq ls --pid: the queue it has open, not the others" {
	need_mqueue "ipc-mq ls lists the queues"
	ipc-mq create "$n"
	ipc-mq create "$n-b"
	bg alone mqpeer hold "/$n" ready
	wait_for test -e ready
	lspid ipc-mq "$BG_LAST" name,holders,pid_role
	assert_success
	assert_output "/$n $BG_LAST(mqpeer) holder"
	run --separate-stderr ipc-mq ls -j --pid "$BG_LAST" -o name,pid_role
	assert_success
	assert_output "$(printf '[\n{"name":"/%s","pid_role":["holder"]}\n]' "$n")"
	# a process that holds none: none
	bg alone sh -c 'exec sleep 30 >/dev/null 2>&1 </dev/null'
	wait_comm "$BG_LAST" sleep
	lspid ipc-mq "$BG_LAST" name
	assert_success
	assert_output ""
}

@test "ipc-mq ls -S --pid: the queue it last received from, as last_pid" {
	ipc-mq create -S "$key"
	ipc-mq create -S 0x$(printf '%x' $((key + 1))) >/dev/null 2>&1 || true
	bg alone sh -c 'exec timeout 30 ipc-mq recv -S -f "$1" > out' sh "$key"
	wait_comm "$BG_LAST" timeout
	ipc-mq send -S "$key" one
	wait_for grep -q one out
	r=$(child_is "$BG_LAST" ipc-mq)
	lspid ipc-mq "$r" key,lrpid,pid_role -S
	ipc-mq rm -S -f 0x$(printf '%x' $((key + 1)))
	assert_success
	assert_output "$key $r last_pid"
	refute_output --partial holder
}

@test "ipc-shm ls --pid: the object it holds open; -S: the segment it has attached" {
	ipc-shm create -s 4k "$n"
	ipc-shm create -s 4k "$n-b"
	bg alone sh -c 'exec sleep 30 3< "/dev/shm/$1" >/dev/null 2>&1' sh "$n"
	wait_comm "$BG_LAST" sleep
	lspid ipc-shm "$BG_LAST" name,holders,pid_role
	assert_success
	assert_output "/$n $BG_LAST(sleep) holder"

	id=$(ipc-shm create -S -s 4k "$key" && ipc-shm ls -S -H -o key,id |
	    awk -v k="$key" '$1 == k { print $2 }')
	bg alone shmpeer hold "$id" ready
	wait_for test -e ready
	lspid ipc-shm "$BG_LAST" key,nattch,holders,pid_role -S
	assert_success
	assert_output "$key 1 $BG_LAST(shmpeer) last_pid,holder"
}

@test "ipc-sem ls --pid: the semaphore it maps; -S: the set it last changed, as last_pid" {
	ipc-sem create "$n"
	ipc-sem create "$n-b"
	bg alone sempeer hold "/$n" ready
	wait_for test -e ready
	lspid ipc-sem "$BG_LAST" name,holders,pid_role
	assert_success
	assert_output "/$n $BG_LAST(sempeer) holder"

	ipc-sem create -S "$key"
	# run -S takes its unit, then execs the command: sleep did the semop
	bg alone ipc-sem run -S "$key" -- sleep 30
	wait_comm "$BG_LAST" sleep
	lspid ipc-sem "$BG_LAST" key,sempid,pid_role -S
	assert_success
	assert_output "$key $BG_LAST last_pid"
}

@test "ipc-sock ls --pid: its socket, and who holds the other end" {
	bg alone ipc-sock listen -e 'echo $$ > srv.pid; exec sleep 30' s
	wait_for test -S s
	l=$BG_LAST
	bg alone sh -c 'sleep 30 | exec ipc-sock connect s > /dev/null'
	e=$(pid_in srv.pid)
	wait_comm "$e" sleep
	c=$(child_is "$BG_LAST" ipc-sock || echo "$BG_LAST")
	lspid ipc-sock "$c" state,holders,peer_holders,pid_role
	assert_success
	# connect may hold its socket in a second process, its writer
	local k
	k=$(comm_re ipc-sock)
	assert_output --regexp "^connected $c\\($k\\)(,[0-9]+\\($k\\))? $e\\(sleep\\) holder\$"
	lspid ipc-sock "$l" state,name,pid_role
	assert_success
	# bound as "s" from here: named where it is
	assert_output "listen $BATS_TEST_TMPDIR/s holder"
}

@test "ls --pid -j: each object with its pid_role; a process that holds none: none" {
	ipc-sem create "$n"
	bg alone sempeer hold "/$n" ready
	wait_for test -e ready
	run --separate-stderr ipc-sem ls -j --pid "$BG_LAST" -o name,pid_role
	assert_success
	assert_output "$(printf '[\n{"name":"/%s","pid_role":["holder"]}\n]' "$n")"
	bg alone sh -c 'exec sleep 30 >/dev/null 2>&1 </dev/null'
	wait_comm "$BG_LAST" sleep
	# ipc-mq's: with its queue above, where /dev/mqueue lets it list them
	for c in ipc-pipe ipc-shm ipc-sem ipc-sock; do
		run --separate-stderr "$c" ls -H --pid "$BG_LAST"
		assert_success
		assert_output ""
	done
}

@test "ls --pid of no process exits 1; a malformed PID exits 2" {
	for c in ipc-pipe ipc-mq ipc-shm ipc-sem ipc-sock; do
		run --separate-stderr "$c" ls --pid 2147483647
		assert_failure 1
		assert_equal "$stderr" "$c: ls --pid 2147483647: No such process"
		run --separate-stderr "$c" ls --pid 0
		assert_failure 2
	done
}

# --- orphans: objects no visible process holds (RemoveIPC=yes takes them)

# the default header of ls for the command $1 (-S: $2)
orphan_header() {
	case $1$2 in
	ipc-mq) echo '^NAME +MAXMSG +MSGSIZE +CURMSGS +QSIZE +MODE +OWNER +ORPHAN +HOLDERS$' ;;
	ipc-shm) echo '^NAME +SIZE +ALLOCATED +MODE +OWNER +ORPHAN +HOLDERS$' ;;
	ipc-sem) echo '^NAME +VALUE +MODE +OWNER +ORPHAN +HOLDERS$' ;;
	ipc-shm-S) echo '^KEY +ID +SIZE +NATTCH +STATUS +CPID +LPID +MODE +OWNER +ORPHAN +HOLDERS$' ;;
	esac
}

# the orphan field of the JSON rows whose $2 is $3, $4 ... (in that order)
json_orphans() {
	python3 -c 'import json, sys
rows = {r[sys.argv[1]]: {True: "yes", False: "no"}[r["orphan"]]
        for r in json.load(sys.stdin)}
print(" ".join(rows.get(k, "none") for k in sys.argv[2:]))' "${@:2}" < "$1"
}

# ls of the POSIX kind $1: the object $n held by a process running $2,
# $n-b by none; both marked in the default table and JSON
posix_orphans() {
	local c=$1 peer=$2
	run --separate-stderr "$c" ls
	assert_success
	assert_line --index 0 --regexp "$(orphan_header "$c")"
	assert_line --regexp "^/$n +.* no +[0-9]+\\($peer\\)\$"
	assert_line --regexp "^/$n-b +.* yes +-\$"
	# a partial view says so, and that an orphan may be held
	[ -z "$stderr" ] || assert_equal "$stderr" \
	    "$(unread_note "$c: ls" "holders may be partial$ORPHAN_NOTE")"
	"$c" ls -j > ls.json 2>/dev/null
	run json_orphans ls.json name "/$n" "/$n-b"
	assert_output "no yes"
	run --separate-stderr "$c" stat "$n" -o orphan
	assert_output "orphan=no"
	run --separate-stderr "$c" stat "$n-b"
	assert_line "orphan=yes"
}

@test "ipc-mq ls marks orphan queues by default, held and not" {
	need_mqueue "ipc-mq ls lists the queues"
	ipc-mq create "$n"
	ipc-mq create "$n-b"
	bg alone mqpeer hold "/$n" ready
	wait_for test -e ready
	posix_orphans ipc-mq mqpeer
}

@test "ipc-shm ls marks orphan shared memory by default, held and not" {
	ipc-shm create -s 4k "$n"
	ipc-shm create -s 4k "$n-b"
	bg alone sh -c 'exec sleep 30 3< "/dev/shm/$1"' sh "$n"
	wait_comm "$BG_LAST" sleep
	posix_orphans ipc-shm sleep
}

@test "ipc-sem ls marks orphan semaphores by default, held and not" {
	ipc-sem create "$n"
	ipc-sem create "$n-b"
	bg alone sempeer hold "/$n" ready
	wait_for test -e ready
	posix_orphans ipc-sem sempeer
}

@test "ls -S marks a System V segment orphan by its attach count; queues and sets claim none" {
	id=$(ipc-shm create -S -s 4k "$key")
	run --separate-stderr ipc-shm ls -S
	assert_line --index 0 --regexp "$(orphan_header ipc-shm -S)"
	assert_line --regexp "^$key +$id +4096 +0 .* yes +-\$"
	bg alone shmpeer hold "$id" ready
	wait_for test -e ready
	run --separate-stderr ipc-shm ls -S
	assert_line --regexp "^$key +$id +4096 +1 .* no +$BG_LAST\\(shmpeer\\)\$"
	ipc-shm ls -S -j > ls.json 2>/dev/null
	run json_orphans ls.json key "$key"
	assert_output no
	# a queue or a set records a last pid, not its holders: no orphan
	run -0 ipc-mq ls -S
	assert_line --index 0 --regexp '^KEY +ID +QNUM +QBYTES +CBYTES +LSPID +LRPID +MODE +OWNER$'
	run -0 ipc-sem ls -S
	assert_line --index 0 --regexp '^KEY +ID +NSEMS +VALUE +NCNT +ZCNT +SEMPID +MODE +OWNER$'
	for c in ipc-mq ipc-sem; do
		run -2 --separate-stderr "$c" ls -S -o key,orphan
		assert_equal "${stderr_lines[0]%% (fields:*}" "$c: ls: -o: unknown field 'orphan'"
	done
}

@test "ipc-pipe ls marks orphan FIFOs by default: in a directory, and those held" {
	mkdir d
	mkfifo d/held d/idle
	bg alone sh -c 'exec sleep 30 <> d/held'
	wait_comm "$BG_LAST" sleep
	wait_for holds "$BG_LAST" d/held
	run --separate-stderr ipc-pipe ls d
	assert_success
	assert_line --index 0 --regexp '^KIND +INODE +BYTES +READERS +WRITERS +ORPHAN +PATH$'
	assert_line --regexp "^fifo +[0-9]+ +0 +$BG_LAST\\(sleep\\) +$BG_LAST\\(sleep\\) +no +d/held\$"
	assert_line --regexp "^fifo +[0-9]+ +[-0] +- +- +yes +d/idle\$"
	assert_equal "$stderr" "$(pipe_note ls orphan)"
	ipc-pipe ls -j d > ls.json 2>/dev/null
	run json_orphans ls.json path d/held d/idle
	assert_output "no yes"
	# without DIR: what is held, so no orphan, but a FIFO only waited for
	run --separate-stderr ipc-pipe ls -H -o path,orphan
	assert_line --regexp "^$PWD/d/held +no\$"
	refute_line --partial d/idle
}
