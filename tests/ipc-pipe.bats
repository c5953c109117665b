#!/usr/bin/env bats
# ipc-pipe: every verb, option, error and exit status, on real FIFOs,
# checked against peers that are not this code (cat, head, the shell).

load helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
	f=fifo
}

teardown() {
	teardown_bg
	exec 5>&- 6>&-
}

# --- create ---------------------------------------------------------------

@test "create makes a FIFO, mode 0600, silently" {
	run ipc-pipe create "$f"
	assert_success
	assert_output ""
	[ -p "$f" ]
	[ "$(stat -c %a "$f")" = 600 ]
}

@test "create -m sets the mode exactly, whatever the umask" {
	umask 027
	run ipc-pipe create -m 0666 "$f"
	assert_success
	[ "$(stat -c %a "$f")" = 666 ]
}

@test "create makes every PATH given" {
	run ipc-pipe create a b c
	assert_success
	[ -p a ] && [ -p b ] && [ -p c ]
}

@test "create of an existing FIFO fails; -x makes that success" {
	ipc-pipe create "$f"
	run ipc-pipe create "$f"
	assert_failure 1
	assert_output "ipc-pipe: create fifo: File exists (-x: succeed if it already exists)"
	run ipc-pipe create -x "$f"
	assert_success
	assert_output ""
}

@test "create -x of an existing FIFO keeps its mode; -m another is refused" {
	ipc-pipe create -m 0604 "$f"
	run ipc-pipe create -x "$f"
	assert_success
	assert_output ""
	[ "$(stat -c %a "$f")" = 604 ]
	run ipc-pipe create -x -m 0666 "$f"
	assert_failure 1
	assert_output "ipc-pipe: create $f: exists with mode 0604, not 0666"
	[ "$(stat -c %a "$f")" = 604 ]
	run -0 ipc-pipe create -x -m 0604 "$f"
}

@test "create -x refuses a path that is another kind of file" {
	echo data > reg
	run ipc-pipe create -x reg
	assert_failure 1
	assert_output "ipc-pipe: create reg: exists and is not a FIFO"
	[ "$(cat reg)" = data ]
}

@test "create never follows a symlink" {
	ln -s target link
	run ipc-pipe create -x link
	assert_failure 1
	assert_output "ipc-pipe: create link: exists and is not a FIFO"
	[ ! -e target ]
}

@test "create warns about each PATH that fails, makes the rest, exits 1" {
	touch b
	run ipc-pipe create a b nodir/c d
	assert_failure 1
	assert_line --index 0 "ipc-pipe: create b: exists and is not a FIFO"
	assert_line --index 1 "ipc-pipe: create nodir/c: No such file or directory"
	[ -p a ] && [ -p d ]
}

@test "create with a bad mode or no PATH exits 2 and creates nothing" {
	run ipc-pipe create -m 999 "$f"
	assert_failure 2
	[ ! -e "$f" ]
	run ipc-pipe create
	assert_failure 2
	assert_line --index 0 "ipc-pipe: create: missing PATH"
	assert_line --index 1 "usage: ipc-pipe create [-m MODE] [-x [--any-owner]] PATH..."
	run ipc-pipe create ok ""
	assert_failure 2
	[ ! -e ok ]
}

@test "create -x: another user's FIFO, or one of another mode, is refused; --any-owner takes it" {
	need_nobody
	ipc-pipe create "$f"
	chown nobody "$f"
	run -1 --separate-stderr ipc-pipe create -x "$f"
	assert_equal "$stderr" "ipc-pipe: create $f: exists owned by nobody, not root (--any-owner takes another user's)"
	run -0 ipc-pipe create -x --any-owner "$f"
	run -1 --separate-stderr ipc-pipe create -x --any-owner -m 0644 "$f"
	assert_equal "$stderr" "ipc-pipe: create $f: exists with mode 0600, not 0644"
	chown root "$f"
	run -0 ipc-pipe create -x -m 0600 "$f"
	d=$(mktemp -d)
	chmod 755 "$d"
	ipc-pipe create -m 0666 "$d/p"
	run -1 --separate-stderr as_nobody ipc-pipe create -x "$d/p"
	rm -r "$d"
	assert_equal "$stderr" "ipc-pipe: create $d/p: exists owned by root, not nobody (--any-owner takes another user's)"
}

@test "create: another user gets Permission denied in a private directory" {
	need_nobody
	d=$(mktemp -d)
	chmod 700 "$d"
	run as_nobody ipc-pipe create "$d/x"
	rmdir "$d"
	assert_failure 1
	assert_output "ipc-pipe: create $d/x: Permission denied"
}

# --- send -----------------------------------------------------------------

# 300 lines are one write of 3600 bytes: sent while the first reader is
# there, so what is left to lose is lost only at send's close
@test "send -l to a loop of recv -c 10 readers: every line arrives before send exits 0" {
	ipc-pipe create "$f"
	bg sh -c "for i in \$(seq 30); do timeout 10 ipc-pipe recv -c 10 $f || exit; done > got"
	# bounded by progress: 30 readers one after another may take long
	# on a busy machine, but never 10 s without one more line
	seq -f line-%06g 300 | progress_run 10 "lines_in got" ipc-pipe send -l "$f"
	wait "$BG_LAST"
	run cat got
	assert_output "$(seq -f line-%06g 300)"
}

@test "send -t: bytes no reader takes are counted, exit 1" {
	ipc-pipe create "$f"
	bg sh -c "exec sleep 30 < $f"
	run -1 --separate-stderr timeout 10 ipc-pipe send -t 300ms "$f" hello
	assert_equal "$stderr" "ipc-pipe: send $f: 6 bytes still buffered in the FIFO (this sender's and others')"
}

@test "send: of several senders to a FIFO not read, only the last waits" {
	local p ok=0 failed=0 pids=
	ipc-pipe create "$f"
	bg sh -c "exec sleep 30 < $f"
	for p in 1 2 3; do
		timeout 10 ipc-pipe send -t 3s "$f" x 2>>err &
		pids="$pids $!"
	done
	for p in $pids; do
		if wait "$p"; then ok=$((ok + 1)); else failed=$((failed + 1)); fi
	done
	assert_equal "$ok $failed" "2 1"
	run cat err
	assert_output "ipc-pipe: send $f: 6 bytes still buffered in the FIFO (this sender's and others')"
}

@test "send writes each MSG followed by a newline" {
	ipc-pipe create "$f"
	bg sh -c "exec cat $f > out"
	run timeout 10 ipc-pipe send "$f" one "two words" ""
	assert_success
	wait "$BG_LAST"
	run cat out
	assert_output "$(printf 'one\ntwo words\n')"
	[ "$(wc -l < out)" -eq 3 ]
}

@test "send -0 writes each MSG followed by a NUL" {
	ipc-pipe create "$f"
	bg sh -c "exec cat $f > out"
	timeout 10 ipc-pipe send -0 "$f" a b
	wait "$BG_LAST"
	printf 'a\0b\0' | cmp - out
}

@test "send copies stdin byte for byte when there is no MSG" {
	ipc-pipe create "$f"
	head -c 3000000 /dev/urandom > in
	bg sh -c "exec cat $f > out"
	run timeout 10 ipc-pipe send "$f" < in
	assert_success
	wait "$BG_LAST"
	cmp in out
}

@test "send reads stdin through a pipe as well as from a file" {
	ipc-pipe create "$f"
	head -c 2000000 /dev/urandom > in
	bg sh -c "exec cat $f > out"
	cat in | timeout 10 ipc-pipe send "$f"
	wait "$BG_LAST"
	cmp in out
}

@test "send -l sends stdin's lines, and a last line without its newline" {
	ipc-pipe create "$f"
	bg sh -c "exec cat $f > out"
	printf 'a\n\nb c\nlast' | timeout 10 ipc-pipe send -l "$f"
	wait "$BG_LAST"
	printf 'a\n\nb c\nlast\n' | cmp - out
}

@test "send -0 sends stdin's NUL-separated records" {
	ipc-pipe create "$f"
	bg sh -c "exec cat $f > out"
	printf 'a\nb\0c\0' | timeout 10 ipc-pipe send -0 "$f"
	wait "$BG_LAST"
	printf 'a\nb\0c\0' | cmp - out
}

@test "send -l batches whole lines into writes of at most PIPE_BUF" {
	need_strace
	[ -z "${IPC_WRAP:-}" ] || skip "under valgrind, strace would count valgrind's writes"
	ipc-pipe create "$f"
	seq 100000 > in
	bg sh -c "exec cat $f > out"
	# LeakSanitizer cannot run under ptrace
	ASAN_OPTIONS=detect_leaks=0 timeout 20 strace -qq -s 5000 -e trace=write -e signal=none -o trace \
	    ipc-pipe send -l "$f" < in
	wait "$BG_LAST"
	cmp in out
	# 588895 bytes: at least 144 writes of 4096, never one per line
	grep '^write(' trace > writes
	n=$(wc -l < writes)
	[ "$n" -ge 144 ] && [ "$n" -le 300 ]
	! grep -vE '= ([0-9]|[1-9][0-9]{1,2}|[1-3][0-9]{3}|40[0-8][0-9]|409[0-6])$' writes
	# and every write ends on a line boundary
	! grep -v '\\n", [0-9]*) = [0-9]*$' writes
}

@test "send -l: concurrent senders never interleave their lines" {
	ipc-pipe create "$f"
	for i in 1 2 3 4; do
		yes "sender-$i-$(printf 'x%.0s' $(seq 200))" | head -n 3000 > in$i
	done
	bg sh -c "exec cat $f > out"
	exec 5>"$f"
	pids=
	for i in 1 2 3 4; do
		timeout 20 ipc-pipe send -l "$f" < in$i &
		pids="$pids $!"
	done
	for p in $pids; do
		wait "$p"
	done
	exec 5>&-
	wait "$BG_LAST"
	[ "$(wc -l < out)" -eq 12000 ]
	sort out | uniq -c | sort > got
	cat in1 in2 in3 in4 | sort | uniq -c | sort > want
	cmp got want
}

@test "send -l refuses a line over PIPE_BUF: lines before it go, nothing of it" {
	ipc-pipe create "$f"
	{ seq 70000; printf 'y%.0s' $(seq 4096); echo; echo after; } > in
	bg sh -c "exec cat $f > out"
	run timeout 10 ipc-pipe send -l "$f" < in
	assert_failure 1
	assert_output "ipc-pipe: send fifo: line 70001: Message too long (4097 bytes with its newline > PIPE_BUF 4096)"
	wait "$BG_LAST"
	seq 70000 | cmp - out
	# the same, when the long line is the last and has no newline
	{ seq 3; printf 'y%.0s' $(seq 5000); } > in
	bg sh -c "exec cat $f > out"
	run timeout 10 ipc-pipe send -l "$f" < in
	assert_output "ipc-pipe: send fifo: line 4: Message too long (5001 bytes with its newline > PIPE_BUF 4096)"
	wait "$BG_LAST"
	seq 3 | cmp - out
}

@test "send -l takes a line of exactly PIPE_BUF with its newline" {
	ipc-pipe create "$f"
	{ printf 'z%.0s' $(seq 4095); echo; } > in
	bg sh -c "exec cat $f > out"
	run timeout 10 ipc-pipe send -l "$f" < in
	assert_success
	wait "$BG_LAST"
	cmp in out
}

@test "send -0 names a record, not a line, when it is too long" {
	ipc-pipe create "$f"
	bg sh -c "exec cat $f > out"
	run sh -c "head -c 5000 /dev/zero | tr '\\0' r | timeout 10 ipc-pipe send -0 $f"
	assert_failure 1
	assert_output "ipc-pipe: send fifo: record 1: Message too long (5001 bytes with its NUL > PIPE_BUF 4096)"
}

@test "send of a MSG longer than PIPE_BUF writes it whole" {
	ipc-pipe create "$f"
	big=$(printf 'w%.0s' $(seq 10000))
	bg sh -c "exec cat $f > out"
	run timeout 10 ipc-pipe send "$f" "$big"
	assert_success
	wait "$BG_LAST"
	[ "$(cat out)" = "$big" ]
}

@test "send takes MSGs of 4095 and 4096 bytes whole, each with its newline" {
	ipc-pipe create "$f"
	a=$(printf 'p%.0s' $(seq 4095))
	b=$(printf 'q%.0s' $(seq 4096))
	bg sh -c "exec cat $f > out"
	run timeout 10 ipc-pipe send "$f" "$a" "$b"
	assert_success
	assert_output ""
	wait "$BG_LAST"
	printf '%s\n%s\n' "$a" "$b" | cmp - out
}

@test "send writes a 4095-byte MSG and its newline in one write of PIPE_BUF" {
	need_strace
	[ -z "${IPC_WRAP:-}" ] || skip "under valgrind, strace would count valgrind's writes"
	ipc-pipe create "$f"
	a=$(printf 'p%.0s' $(seq 4095))
	bg sh -c "exec cat $f > out"
	# LeakSanitizer cannot run under ptrace
	ASAN_OPTIONS=detect_leaks=0 timeout 10 strace -qq -s 0 -e trace=write \
	    -e signal=none -o trace ipc-pipe send "$f" "$a"
	wait "$BG_LAST"
	printf '%s\n' "$a" | cmp - out
	run grep '^write(' trace
	assert_output --regexp '^write\([0-9]+, ""\.\.\., 4096\) += 4096$'
}

@test "send follows a symlink to an existing FIFO" {
	ipc-pipe create "$f"
	ln -s "$f" link
	bg sh -c "exec cat $f > out"
	run timeout 10 ipc-pipe send link hi
	assert_success
	assert_output ""
	wait "$BG_LAST"
	[ "$(cat out)" = hi ]
	[ -L link ] && [ -p "$f" ]
}

@test "send -t times out waiting for a reader: 124" {
	ipc-pipe create "$f"
	run timeout -s KILL 10 ipc-pipe send -t 200ms "$f" hi
	assert_failure 124
	assert_output "ipc-pipe: send fifo: timed out waiting for a reader"
	run timeout -s KILL 10 ipc-pipe send -t 0 "$f" hi
	assert_failure 124
	assert_output "ipc-pipe: send fifo: timed out waiting for a reader"
}

@test "send without -t waits for a reader" {
	ipc-pipe create "$f"
	bg ipc-pipe send "$f" late
	wait_for waits_for_peer "$BG_LAST" ipc-pipe "$f"
	run timeout 10 ipc-pipe recv "$f"
	assert_success
	assert_output late
	wait "$BG_LAST"
}

@test "SIGTERM and SIGINT end a send blocked in open: 128+15, 128+2" {
	ipc-pipe create "$f"
	interrupted_exits waits_for_peer "$f" ipc-pipe send "$f" hi
}

@test "send -t times out waiting for room when the reader does not read" {
	ipc-pipe create "$f"
	head -c 3000000 /dev/zero > in
	bg sh -c "exec sleep 30 < $f"
	run timeout -s KILL 10 ipc-pipe send -t 300ms "$f" < in
	assert_failure 124
	assert_output "ipc-pipe: send fifo: timed out waiting for room"
	run timeout -s KILL 10 sh -c "yes | ipc-pipe send -l -t 300ms $f"
	assert_failure 124
	assert_output "ipc-pipe: send fifo: timed out waiting for room"
}

# head -c 1 reads one byte: the rest of what was written stays in the
# FIFO, and is lost when send closes it
@test "send to a reader that goes away fails: Broken pipe, exit 1, what is lost counted" {
	ipc-pipe create "$f"
	bg sh -c "exec head -c 1 $f > /dev/null"
	run timeout 10 sh -c "yes | ipc-pipe send $f"
	assert_failure 1
	assert_output --regexp "^ipc-pipe: send fifo: Broken pipe \([1-9][0-9]* bytes written and not read are lost\)\$"
	bg sh -c "exec head -c 1 $f > /dev/null"
	run timeout 10 sh -c "yes | ipc-pipe send -l $f"
	assert_failure 1
	assert_output --regexp "^ipc-pipe: send fifo: Broken pipe \([1-9][0-9]* bytes written and not read are lost\)\$"
}

@test "send refuses what is not a FIFO, and a missing path" {
	echo keep > reg
	run ipc-pipe send reg hi
	assert_failure 1
	assert_output "ipc-pipe: send reg: not a FIFO"
	[ "$(cat reg)" = keep ]
	run ipc-pipe send nope hi
	assert_failure 1
	assert_output "ipc-pipe: send nope: No such file or directory"
}

@test "send: another user gets Permission denied on a private FIFO" {
	need_nobody
	d=$(mktemp -d)
	chmod 755 "$d"
	ipc-pipe create "$d/p"
	run as_nobody ipc-pipe send -t 1 "$d/p" hi
	rm -r "$d"
	assert_failure 1
	assert_output "ipc-pipe: send $d/p: Permission denied"
}

# --- recv -----------------------------------------------------------------

@test "recv copies until every writer has closed" {
	ipc-pipe create "$f"
	bg sh -c "printf 'x\ny\n' > $f"
	run timeout 10 ipc-pipe recv "$f"
	assert_success
	assert_output "$(printf 'x\ny')"
}

@test "recv copies binary data byte for byte, to a file and to a pipe" {
	ipc-pipe create "$f"
	head -c 5000000 /dev/urandom > in
	bg sh -c "exec cat in > $f"
	timeout 10 ipc-pipe recv "$f" > out
	cmp in out
	bg sh -c "exec cat in > $f"
	timeout 10 ipc-pipe recv "$f" | cat > out2
	cmp in out2
}

@test "recv -c N returns exactly N lines and leaves the rest for the next reader" {
	ipc-pipe create "$f"
	exec 5<>"$f"
	printf 'a\nb\nc\nd\ne' >&5
	run timeout 10 ipc-pipe recv -c 2 "$f"
	assert_success
	assert_output "$(printf 'a\nb')"
	run timeout 10 ipc-pipe recv -c 1 "$f"
	assert_output c
	run timeout 10 sh -c "ipc-pipe recv -c 1 $f; head -c 1 <&5"
	assert_output "$(printf 'd\ne')"
}

@test "recv -c N is exact over many pipe buffers of data" {
	ipc-pipe create "$f"
	seq 200000 > in
	exec 5<>"$f"
	bg sh -c "exec cat in >&5"
	timeout 20 ipc-pipe recv -c 123457 "$f" > out1
	timeout 20 ipc-pipe recv -c 76543 "$f" > out2
	seq 123457 | cmp - out1
	seq 123458 200000 | cmp - out2
}

@test "recv -0 -c N counts NUL-ended records" {
	ipc-pipe create "$f"
	exec 5<>"$f"
	printf 'a\nb\0c\0d\0' >&5
	timeout 10 ipc-pipe recv -0 -c 2 "$f" > out
	printf 'a\nb\0c\0' | cmp - out
	run timeout 10 ipc-pipe recv -0 -c 1 "$f"
	assert_output "$(printf 'd')"
}

@test "recv -c N waits across writers until it has N lines" {
	ipc-pipe create "$f"
	bg sh -c "echo one > $f; echo two > $f; echo three > $f"
	run timeout 10 ipc-pipe recv -c 3 "$f"
	assert_success
	assert_output "$(printf 'one\ntwo\nthree')"
}

@test "recv -c N -t: fewer lines than N times out with 124, what came is written" {
	ipc-pipe create "$f"
	exec 5<>"$f"
	echo only >&5
	run --separate-stderr timeout -s KILL 10 ipc-pipe recv -c 2 -t 300ms "$f"
	assert_failure 124
	assert_output only
	[ "$stderr" = "ipc-pipe: recv fifo: timed out" ]
}

@test "SIGTERM and SIGINT end a recv blocked waiting: 128+15, 128+2" {
	ipc-pipe create "$f"
	interrupted_exits waits_for_data "$f" ipc-pipe recv "$f"
}

@test "recv -f keeps the FIFO open across writers" {
	ipc-pipe create "$f"
	bg sh -c "exec timeout 20 ipc-pipe recv -f $f > out"
	wait_for fifo_has_reader "$f"
	echo a > "$f"
	echo b > "$f"
	echo c > "$f"
	wait_for grep -qx c out
	kill -0 "$BG_LAST"
	run cat out
	assert_output "$(printf 'a\nb\nc')"
}

@test "recv -f writes each line as it comes, not when it ends" {
	ipc-pipe create "$f"
	bg sh -c "timeout 20 ipc-pipe recv -f $f | while read -r l; do echo \"got \$l\" >> out; done"
	wait_for fifo_has_reader "$f"
	echo first > "$f"
	wait_for grep -qx "got first" out
	echo second > "$f"
	wait_for grep -qx "got second" out
}

@test "recv -f -t ends with 0 after receiving, 124 when nothing came" {
	ipc-pipe create "$f"
	bg sh -c "echo hello > $f"
	run --separate-stderr timeout 10 ipc-pipe recv -f -t 500ms "$f"
	assert_success
	assert_output hello
	run --separate-stderr timeout -s KILL 10 ipc-pipe recv -f -t 100ms "$f"
	assert_failure 124
	[ "$stderr" = "ipc-pipe: recv fifo: timed out" ]
}

@test "recv -t with no writer times out with 124; -t 0 never blocks" {
	ipc-pipe create "$f"
	run timeout -s KILL 10 ipc-pipe recv -t 100ms "$f"
	assert_failure 124
	assert_output "ipc-pipe: recv fifo: timed out"
	run timeout -s KILL 10 ipc-pipe recv -t 0 "$f"
	assert_failure 124
	assert_output "ipc-pipe: recv fifo: timed out"
	run timeout -s KILL 10 ipc-pipe recv -c 1 -t 0 "$f"
	assert_failure 124
	assert_output "ipc-pipe: recv fifo: timed out"
}

@test "recv -t bounds each wait, not the whole copy" {
	ipc-pipe create "$f"
	# 1.2 s in all, never more than about 0.1 s between lines: a bound
	# on the whole copy would cut it off, one on each wait does not
	bg sh -c "for i in \$(seq 12); do echo \$i; sleep 0.1; done > $f"
	run timeout 10 ipc-pipe recv -t 400ms "$f"
	assert_success
	assert_output "$(seq 12)"
}

@test "recv refuses what is not a FIFO and extra operands" {
	touch reg
	run ipc-pipe recv reg
	assert_failure 1
	assert_output "ipc-pipe: recv reg: not a FIFO"
	run ipc-pipe recv a b
	assert_failure 2
	assert_line --index 0 "ipc-pipe: recv: too many operands"
}

# --- rm -------------------------------------------------------------------

@test "rm removes FIFOs" {
	ipc-pipe create a b
	run ipc-pipe rm a b
	assert_success
	assert_output ""
	[ ! -e a ] && [ ! -e b ]
}

@test "rm refuses any other file, a symlink to a FIFO included" {
	touch reg
	mkdir dir
	ipc-pipe create "$f"
	ln -s "$f" link
	run ipc-pipe rm reg dir link
	assert_failure 1
	assert_line --index 0 "ipc-pipe: rm reg: not a FIFO"
	assert_line --index 1 "ipc-pipe: rm dir: not a FIFO"
	assert_line --index 2 "ipc-pipe: rm link: not a FIFO"
	[ -f reg ] && [ -d dir ] && [ -L link ] && [ -p "$f" ]
}

@test "rm of a missing FIFO fails; -f makes that quiet success" {
	run ipc-pipe rm nope
	assert_failure 1
	assert_output "ipc-pipe: rm nope: No such file or directory"
	run ipc-pipe rm -f nope
	assert_success
	assert_output ""
}

@test "rm carries on past a failure and exits 1" {
	ipc-pipe create a c
	touch b
	run ipc-pipe rm a b c
	assert_failure 1
	assert_output "ipc-pipe: rm b: not a FIFO"
	[ ! -e a ] && [ ! -e c ]
}

@test "rm with no PATH exits 2" {
	run ipc-pipe rm
	assert_failure 2
	assert_line --index 0 "ipc-pipe: rm: missing PATH"
}

# --- stat -----------------------------------------------------------------

@test "stat of an idle FIFO: every field as key=value" {
	ipc-pipe create -m 0640 "$f"
	run --separate-stderr ipc-pipe stat "$f"
	assert_success
	assert_output "kind=fifo
inode=$(stat -c %i "$f")
mode=0640
owner=$(id -un)
group=$(id -gn)
bytes=$(idle_fifo_bytes)
capacity=
readers=
writers=
waiting_writers=
waiting_readers=
orphan=yes
path=fifo"
	assert_equal "$stderr" "$(pipe_note stat orphan)"
}

@test "stat shows bytes buffered, capacity, and who reads and writes" {
	ipc-pipe create "$f"
	bg sh -c "exec sleep 30 < $f"
	rpid=$BG_LAST
	exec 5>"$f"
	printf 'hello' >&5
	wait_comm "$rpid" sleep
	# not under run: its subshell would hold fd 5 too
	ipc-pipe stat -o bytes,capacity,readers,writers "$f" > o
	run cat o
	assert_output "bytes=5
capacity=65536
readers=$rpid(sleep)
writers=$$(bash)"
	# and the bytes are still there. Not "close fd 5, recv to end of file":
	# a reader that opens with no writer waits for the next one, as cat's
	# open would. End the line instead and take exactly it.
	printf '\n' >&5
	run timeout -s KILL 5 ipc-pipe recv -c 1 -t 2 "$f"
	assert_success
	assert_output hello
}

@test "stat does not consume what is buffered" {
	ipc-pipe create "$f"
	exec 5<>"$f"
	printf 'keep\n' >&5
	ipc-pipe stat "$f" > /dev/null
	ipc-pipe stat "$f" > /dev/null
	run timeout 5 ipc-pipe recv -c 1 "$f"
	assert_output keep
}

@test "stat never releases a writer blocked in open, nor gives it SIGPIPE" {
	ipc-pipe create "$f"
	bg sh -c "echo survived > $f"
	w=$BG_LAST
	wait_for waits_for_peer "$w" sh "$f"
	run --separate-stderr ipc-pipe stat -o readers,writers "$f"
	assert_success
	assert_output "readers=
writers="
	assert_equal "$stderr" "$(partial_note ipc-pipe stat 'readers and writers')"
	# the writer is still waiting: a real reader now gets its line
	run timeout 10 cat "$f"
	assert_output survived
	wait "$w"
}

@test "stat of a FIFO held only by a writer says nothing it cannot know" {
	ipc-pipe create "$f"
	bg sh -c "exec sleep 30 < $f"
	exec 5>"$f"
	kill "$BG_LAST"
	wait "$BG_LAST" || true
	ipc-pipe stat -o bytes,readers,writers "$f" > o
	run cat o
	assert_output "bytes=
readers=
writers=$$(bash)"
}

@test "stat -j prints one JSON object with every field" {
	ipc-pipe create "$f"
	bg sh -c "exec sleep 30 < $f"
	exec 5>"$f"
	wait_comm "$BG_LAST" sleep
	ipc-pipe stat -j $f > o
	run sh -c "python3 -c 'import json,sys; d=json.load(sys.stdin); print(sorted(d)); print(d[\"readers\"][0][\"command\"], d[\"writers\"][0][\"pid\"], d[\"bytes\"], d[\"capacity\"])' < o"
	assert_success
	assert_line --index 0 "['bytes', 'capacity', 'group', 'inode', 'kind', 'mode', 'orphan', 'owner', 'path', 'readers', 'waiting_readers', 'waiting_writers', 'writers']"
	assert_line --index 1 "sleep $$ 0 65536"
}

@test "stat refuses what is not a FIFO; a missing path; operands" {
	touch reg
	run ipc-pipe stat reg
	assert_failure 1
	assert_output "ipc-pipe: stat reg: not a FIFO"
	run ipc-pipe stat nope
	assert_failure 1
	assert_output "ipc-pipe: stat nope: No such file or directory"
	run ipc-pipe stat
	assert_failure 2
	run ipc-pipe stat a b
	assert_failure 2
}

@test "stat as another user sees only what it may and says so" {
	need_nobody
	d=$(mktemp -d)
	chmod 755 "$d"
	ipc-pipe create -m 0644 "$d/p"
	bg sh -c "exec sleep 30 < $d/p"
	exec 5>"$d/p"
	run --separate-stderr as_nobody ipc-pipe stat -o readers,writers "$d/p"
	exec 5>&-
	rm -r "$d"
	assert_success
	assert_output "readers=
writers="
	[ "$stderr" = "$(unread_note "ipc-pipe: stat" "readers and writers may be partial")" ]
}

# --- ls -------------------------------------------------------------------

@test "ls DIR lists the FIFOs in it by name, nothing else" {
	mkdir d
	ipc-pipe create d/b d/a
	touch d/reg
	ln -s a d/link
	mkdir d/sub
	run ipc-pipe ls -H -o path d
	assert_success
	assert_output "$(printf 'd/a\nd/b')"
	run ipc-pipe ls -H -o path d/
	assert_output "$(printf 'd/a\nd/b')"
}

@test "ls prints a header and the default columns" {
	mkdir d
	ipc-pipe create d/a
	ino=$(stat -c %i d/a)
	b=$(idle_fifo_bytes)
	run --separate-stderr ipc-pipe ls d
	assert_success
	assert_line --index 0 --regexp '^KIND +INODE +BYTES +READERS +WRITERS +ORPHAN +PATH$'
	assert_line --index 1 --regexp "^fifo +$ino +${b:--} - +- +yes +d/a\$"
	assert_equal "$stderr" "$(pipe_note ls orphan)"
}

@test "ls with no DIR lists anonymous pipes with both ends" {
	a=30.$$1 b=30.$$2
	sleep "$a" | sleep "$b" &
	# both, by their own names: either may still be bash for a while
	wait_for pgrep -x -f "sleep $a" > /dev/null
	wait_for pgrep -x -f "sleep $b" > /dev/null
	w=$(pgrep -x -f "sleep $a")
	r=$(pgrep -x -f "sleep $b")
	BG_PIDS="$BG_PIDS $w $r"
	ino=$(stat -L -c %i /proc/$r/fd/0)
	run --separate-stderr sh -c "ipc-pipe ls -H -o kind,inode,readers,writers,path | awk '\$2 == $ino'"
	assert_success
	assert_output --regexp "^pipe +$ino +$r\\(sleep\\) +$w\\(sleep\\) +pipe:\\[$ino\\]\$"
	assert_equal "$stderr" "$(pipe_note ls)"
}

@test "ls with no DIR lists FIFOs that processes hold, by path" {
	ipc-pipe create "$f"
	bg sh -c "exec sleep 30 < $f"
	exec 5>"$f"
	printf 'abc' >&5
	wait_comm "$BG_LAST" sleep
	ipc-pipe ls -j > o
	run sh -c "python3 -c 'import json,sys; [print(r[\"kind\"], r[\"bytes\"], r[\"readers\"][0][\"command\"], r[\"writers\"][0][\"pid\"]) for r in json.load(sys.stdin) if r[\"path\"] == \"$PWD/$f\"]' < o"
	assert_success
	assert_output "fifo 3 sleep $$"
}

@test "ls of a missing DIR warns, lists the others, exits 1" {
	mkdir d
	ipc-pipe create d/a
	run --separate-stderr ipc-pipe ls -H -o path nope d
	assert_failure 1
	assert_output "d/a"
	[ "$stderr" = "ipc-pipe: ls nope: No such file or directory" ]
}

# --- loop -----------------------------------------------------------------

@test "loop feeds each command's output to the other's input" {
	run timeout 10 ipc-pipe loop 'echo ping; read x; echo "$x" > got' \
	    'read y; echo "$y pong"'
	assert_success
	[ "$(cat got)" = "ping pong" ]
}

@test "loop exits with the first failure, as pipefail" {
	run timeout 10 ipc-pipe loop 'exit 3' 'cat > /dev/null'
	assert_failure 3
	run timeout 10 ipc-pipe loop 'cat > /dev/null' 'exit 5'
	assert_failure 5
	run timeout 10 ipc-pipe loop 'true' 'cat >/dev/null'
	assert_success
}

@test "loop passes SIGTERM on and exits 128+15" {
	a=30.$$1 b=30.$$2
	bg sh -c "exec ipc-pipe loop 'sleep $a; :' 'sleep $b; :'"
	wait_for pgrep -x -f "sleep $b" > /dev/null
	kill -TERM "$BG_LAST"
	st=0
	wait "$BG_LAST" || st=$?
	[ "$st" -eq 143 ]
	# the signal reached what the commands started, too
	wait_for sh -c "! pgrep -x -f 'sleep ($a|$b)' > /dev/null"
}

@test "loop: a command killed by a signal makes it exit 128+signal" {
	# not -s KILL: a hang must give timeout's 124, never the 137 wanted
	run timeout 10 ipc-pipe loop 'kill -9 $$' 'cat > /dev/null'
	assert_failure 137
	assert_output ""
	run timeout 10 ipc-pipe loop 'cat > /dev/null' 'kill -9 $$'
	assert_failure 137
	assert_output ""
}

@test "loop wants exactly two commands" {
	run ipc-pipe loop 'true'
	assert_failure 2
	assert_line --index 0 "ipc-pipe: loop: needs CMD1 and CMD2"
	run ipc-pipe loop a b c
	assert_failure 2
	assert_line --index 0 "ipc-pipe: loop: too many operands (quote each command)"
}

# --- found in review --------------------------------------------------------

@test "recv -f reopens the FIFO it has, never what now stands at the path" {
	ipc-pipe create "$f"
	# the line is there before recv starts: its -t 4 never runs out while
	# a busy machine keeps the test from writing (a wait of ours for the
	# reader once let it time out, and then waited for none)
	exec 5<>"$f"
	echo one >&5
	bg sh -c "exec timeout -s KILL 120 ipc-pipe recv -f -t 4 $f > out"
	wait_for grep -qx one out
	rm "$f"
	echo secret > "$f"
	exec 5>&-
	st=0
	wait "$BG_LAST" || st=$?
	[ "$st" -eq 0 ]
	run cat out
	assert_output one
}

@test "recv -t 0 does not release a writer blocked in open when nobody holds the FIFO" {
	ipc-pipe create "$f"
	bg sh -c "echo kept > $f"
	w=$BG_LAST
	wait_for waits_for_peer "$w" sh "$f"
	run --separate-stderr timeout -s KILL 5 ipc-pipe recv -t 0 "$f"
	assert_failure 124
	[ "$stderr" = "ipc-pipe: recv fifo: timed out" ]
	run timeout -s KILL 5 cat "$f"
	assert_output kept
	wait "$w"
}

@test "send -t ends in time even when started with SIGALRM blocked" {
	ipc-pipe create "$f"
	run timeout -s KILL 5 perl -MPOSIX -e \
	    'sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGALRM)); exec @ARGV' \
	    ipc-pipe send -t 300ms "$f" hi
	assert_failure 124
	assert_output "ipc-pipe: send fifo: timed out waiting for a reader"
}

@test "recv -c takes nothing it could not write out" {
	ipc-pipe create "$f"
	exec 5<>"$f"
	printf 'one\ntwo\n' >&5
	run sh -c "timeout -s KILL 5 ipc-pipe recv -c 1 $f > /dev/full"
	assert_failure 1
	assert_output "ipc-pipe: recv fifo: stdout: No space left on device"
	run timeout -s KILL 5 ipc-pipe recv -c 2 "$f"
	assert_output "$(printf 'one\ntwo')"
}

@test "send -l of an endless line stops counting it and says so" {
	ipc-pipe create "$f"
	bg sh -c "exec cat $f > /dev/null"
	run timeout -s KILL 10 ipc-pipe send -l "$f" < /dev/zero
	assert_failure 1
	assert_output "ipc-pipe: send fifo: line 1: Message too long (more than 1048576 bytes > PIPE_BUF 4096)"
}

@test "loop started with SIGHUP ignored (nohup) keeps it ignored" {
	run timeout -s KILL 10 nohup ipc-pipe loop \
	    'kill -HUP $PPID; echo a; read x; [ "$x" = a ]' 'read y; echo "$y"'
	assert_success
}

@test "loop started with SIGCHLD ignored still sees its commands end" {
	# the kernel reaps the children of a process that ignores SIGCHLD,
	# and sends no SIGCHLD: a loop waiting for one would wait for ever
	run timeout -s KILL 10 perl -e '$SIG{CHLD} = "IGNORE"; exec @ARGV or die' \
	    ipc-pipe loop 'exit 3' 'cat > /dev/null'
	assert_failure 3
	assert_output ""
}

@test "kind is the object's, not guessed from its name" {
	ipc-pipe create 'pipe:[1]'
	run --separate-stderr ipc-pipe stat -o kind 'pipe:[1]'
	assert_output kind=fifo
	assert_equal "$stderr" "$(partial_note ipc-pipe stat 'readers and writers')"
}

@test "ls -j writes a byte that is not UTF-8 so it cannot be taken for a character" {
	mkdir d
	ipc-pipe create "d/$(printf '\377')" "d/$(printf '\303\277')"
	run sh -c 'ipc-pipe ls -j -o path d'
	assert_success
	assert_output '[
{"path":"d/ÿ"},
{"path":"d/\udcff"}
]'
}

@test "stat reads a held FIFO through its reader's descriptor, never opening it" {
	need_strace
	[ -z "${IPC_WRAP:-}" ] || skip "under valgrind, strace would trace valgrind"
	ipc-pipe create "$f"
	bg sh -c "exec sleep 30 < $f"
	exec 5>"$f"
	printf 'abc' >&5
	wait_comm "$BG_LAST" sleep
	ASAN_OPTIONS=detect_leaks=0 strace -qq -e trace=openat,open \
	    -o trace ipc-pipe stat -o bytes "$f" > o
	run cat o
	assert_output bytes=3
	run grep -F "\"$f\"" trace
	assert_failure
}

# --- races: what is checked is what is acted on ----------------------------

# run "$@" under strace with each newfstatat held for a second after it
# returns; once it is held in the first that does not follow a symlink
# (/proc/PID/syscall names the call), return with the traced pid in HELD
hold_fstatat() {
	[ "$(uname -m)" = x86_64 ] || skip "syscall numbers here are x86_64's"
	need_strace
	[ -z "${IPC_WRAP:-}" ] || skip "under valgrind, strace would trace valgrind"
	# LeakSanitizer cannot work under ptrace: SANITIZE=1 builds do without it
	ASAN_OPTIONS=detect_leaks=0 bg strace -qq -o /dev/null \
	    -e inject=newfstatat:delay_exit=1000000 "$@"
	wait_for traced_child "$BG_LAST"
	wait_for in_fstatat "$HELD"
}
traced_child() { HELD=$(pgrep -P "$1" -n) && [ -n "$HELD" ]; }
# stopped at a newfstatat (262) with AT_SYMLINK_NOFOLLOW (0x100)
in_fstatat() { awk '$1 == 262 && $5 == "0x100" { ok = 1 } END { exit !ok }' \
    "/proc/$1/syscall" 2>/dev/null; }

@test "rm removes only the FIFO it checked: a file put in its place is left" {
	mkdir d
	ipc-pipe create d/f
	hold_fstatat ipc-pipe rm d/f
	mv d/f d/old
	echo data > d/f
	st=0
	wait "$BG_LAST" 2> err || st=$?
	[ "$st" -eq 1 ]
	run cat d/f
	assert_output data
	[ -p d/old ]
	run ls -A d
	assert_output "$(printf 'f\nold')"
}

@test "rm never follows a parent directory swapped for a symlink" {
	mkdir d elsewhere
	ipc-pipe create d/f
	echo data > elsewhere/f
	hold_fstatat ipc-pipe rm d/f
	mv d d.real
	ln -s elsewhere d
	wait "$BG_LAST"
	run cat elsewhere/f
	assert_output data
	[ ! -e d.real/f ]
	run ls -A d.real
	assert_output ""
}

@test "recv of a file that is not a FIFO says so, exit 1, even with -t 0" {
	echo data > reg
	for t in "" "-t 0"; do
		run --separate-stderr timeout -s KILL 5 ipc-pipe recv $t reg
		assert_failure 1
		[ "$stderr" = "ipc-pipe: recv reg: not a FIFO" ]
	done
}

@test "ls with no process holding a pipe lists none (nothing sorted, nothing read)" {
	need_root "a PID namespace of its own"
	need_unshare -p -f --mount-proc
	run --separate-stderr unshare -p -f --mount-proc ipc-pipe ls
	assert_success
	assert_output "KIND INODE BYTES READERS WRITERS ORPHAN PATH"
	[ -z "$stderr" ]
}

@test "recv -c: two racing readers take every line exactly once" {
	ipc-pipe create "$f"
	exec 5<>"$f"
	# each reader takes 50 lines at a time until a second without one
	# once everything is sent (a busy machine may leave a second without
	# one before)
	for r in 1 2; do
		bg sh -c "while :; do timeout -s KILL 20 ipc-pipe recv -t 1s -c 50 $f >> o$r
		    st=\$?; [ \$st = 0 ] && continue
		    [ \$st = 124 ] && [ -e sent ] && exit 0
		    [ \$st = 124 ] || exit \$st; done"
	done
	# 2000 lines, 40 readers racing for them, show a line taken twice
	# or lost as 20000 did; bounded by progress: never 10 s without one
	n=2000
	seq "$n" | progress_run 10 "lines_in o1 o2" ipc-pipe send -l "$f"
	: > sent
	progress_until 10 "lines_in o1 o2" "$n"
	wait_bg
	each_once 'o1 o2' "$n"
	[ "$(wc -l < o1)" -gt 0 ] && [ "$(wc -l < o2)" -gt 0 ]
}

@test "recv -c: a reader without the lock that takes bytes first is caught, nothing dropped" {
	[ "$(uname -m)" = x86_64 ] || skip "syscall numbers here are x86_64's"
	need_strace
	[ -z "${IPC_WRAP:-}" ] || skip "under valgrind, strace would trace valgrind"
	ipc-pipe create "$f"
	exec 5<>"$f"
	printf 'a\nbbbb\n' >&5
	# hold our read(2) of the FIFO (2 bytes: the peeked "a\n") while dd
	# takes them: 3 s, for a loaded machine's wait_for to see it held
	ASAN_OPTIONS=detect_leaks=0 bg strace -qq -o /dev/null -P "$PWD/$f" \
	    -e inject=read:delay_enter=3000000 ipc-pipe recv -c 1 "$f" > out 2> err
	wait_for traced_child "$BG_LAST"
	wait_for in_read2 "$HELD"
	dd if="$f" of=taken bs=2 count=1 status=none
	st=0
	wait "$BG_LAST" || st=$?
	[ "$st" -eq 1 ]
	run cat err
	assert_output "ipc-pipe: recv fifo: another reader took bytes between our peek and our read: wrote out the 2 bytes read instead, after the lines it also took"
	run cat taken
	assert_output a
	run od -An -c out
	assert_output "   a  \\n   b   b"
	run timeout 5 dd if="$f" bs=16 count=1 status=none
	assert_output bb
}
# stopped entering a read (0) of 2 bytes
in_read2() { awk '$1 == 0 && $4 == "0x2" { ok = 1 } END { exit !ok }' \
    "/proc/$1/syscall" 2>/dev/null; }

# as nobody where we are root (so not every process can be seen), else
# as ourselves, who cannot see every process anyway
as_user() {
	if is_root; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
	else
		"$@"
	fi
}

@test "recv -t 0 by a user who cannot see every process leaves its own waiting writer alone" {
	chmod 777 "$BATS_TEST_TMPDIR"
	as_user ipc-pipe create -m 0666 "$f"
	if is_root; then
		bg setpriv --reuid=nobody --regid=nogroup --clear-groups \
		    sh -c "echo kept > $f"
	else
		bg sh -c "echo kept > $f"
	fi
	w=$BG_LAST
	wait_for waits_for_peer "$w" sh "$f"
	run --separate-stderr as_user timeout -s KILL 5 ipc-pipe recv -t 0 "$f"
	assert_failure 124
	[ "$stderr" = "ipc-pipe: recv fifo: timed out" ]
	waits_for_peer "$w" sh "$f"
	run timeout -s KILL 5 cat "$f"
	assert_output kept
	wait "$w"
}

# the test's own process $1 tells what it opens (/proc/PID/syscall); not
# where Yama's ptrace_scope hides even one's own processes
can_see_opener() {
	{ read -r _ < "/proc/$1/syscall"; } 2>/dev/null ||
	    skip "/proc/$1/syscall cannot be read here (ptrace_scope?)"
}

@test "stat and ls show a writer blocked in open as waiting, and leave it blocked" {
	ipc-pipe create "$f"
	bg sh -c "echo kept > $f"
	w=$BG_LAST
	wait_for waits_for_peer "$w" sh "$f"
	can_see_opener "$w"
	run --separate-stderr ipc-pipe stat -o readers,writers,waiting_writers,waiting_readers "$f"
	assert_success
	assert_output "readers=
writers=
waiting_writers=$w(sh)
waiting_readers="
	run --separate-stderr sh -c "ipc-pipe ls -H -o path,waiting_writers | grep -F '$PWD/$f'"
	assert_success
	assert_output --regexp "^$PWD/$f +$w\\(sh\\)\$"
	run --separate-stderr sh -c "ipc-pipe stat -j -o waiting_writers $f"
	assert_output "{\"waiting_writers\":[{\"pid\":$w,\"command\":\"sh\"}]}"
	waits_for_peer "$w" sh "$f"
	run timeout -s KILL 5 cat "$f"
	assert_output kept
	wait "$w"
}

@test "stat: a FIFO a writer waits to open is not an orphan" {
	ipc-pipe create "$f"
	bg sh -c "echo kept > $f"
	w=$BG_LAST
	wait_for waits_for_peer "$w" sh "$f"
	can_see_opener "$w"
	run --separate-stderr ipc-pipe stat -o orphan,waiting_writers "$f"
	assert_success
	assert_output "orphan=no
waiting_writers=$w(sh)"
	run --separate-stderr ipc-pipe stat -o orphan "$f"
	assert_success
	assert_output "orphan=no"
	waits_for_peer "$w" sh "$f"
	run timeout -s KILL 5 cat "$f"
	assert_output kept
	wait "$w"
}

@test "stat shows a reader blocked in open as waiting for a writer" {
	ipc-pipe create "$f"
	bg sh -c "exec cat $f > out"
	r=$BG_LAST
	wait_for waits_for_peer "$r" cat "$f"
	can_see_opener "$r"
	run --separate-stderr ipc-pipe stat -o waiting_writers,waiting_readers "$f"
	assert_success
	assert_output "waiting_writers=
waiting_readers=$r(cat)"
	echo done > "$f"
	wait "$r"
	run cat out
	assert_output done
}

# the lines the workers have taken so far
lines_done() { cat done.* 2>/dev/null | wc -l; }

@test "recv -e: two workers share a FIFO's lines, each line once, without its newline" {
	ipc-pipe create "$f"
	exec 5<>"$f"
	for w in 1 2; do
		bg ipc-pipe recv -f -e "cat >> done.$w; echo >> done.$w" "$f"
	done
	# bounded by progress, not by the whole: never 10 s without a line.
	# 600 lines are 2 KiB, all in the FIFO at once: a worker that took
	# more than its line would show as well as with more
	seq 600 | progress_run 10 lines_done ipc-pipe send -l "$f"
	progress_until 10 lines_done 600
	bg_end_by TERM
	each_once 'done.*' 600
	printf 'x\0y\0' >&5
	run timeout 10 ipc-pipe recv -0 -c 2 -e 'od -An -c | tr -s " "; echo "seq=$IPC_MSG_SEQ"' "$f"
	assert_success
	assert_output " x
seq=1
 y
seq=2"
}

@test "a PATH with a trailing slash names a directory: create and rm refuse it" {
	ipc-pipe create "$f"
	run --separate-stderr ipc-pipe rm "$f/"
	assert_failure 1
	[ "$stderr" = "ipc-pipe: rm fifo/: Not a directory" ]
	[ -p "$f" ]
	run --separate-stderr ipc-pipe create new/
	assert_failure 1
	[ "$stderr" = "ipc-pipe: create new/: No such file or directory" ]
	[ ! -e new ]
	run ipc-pipe rm -f gone/
	assert_success
	mkdir dir
	run --separate-stderr ipc-pipe rm dir/
	assert_failure 1
	[ "$stderr" = "ipc-pipe: rm dir/: Is a directory" ]
}

@test "recv -e: a line longer than one peek reaches CMD whole" {
	ipc-pipe create "$f"
	exec 5<>"$f"
	{ head -c 200000 /dev/zero | tr '\0' a; echo; echo short; } >&5 &
	run timeout 20 ipc-pipe recv -c 2 -e 'wc -c' "$f"
	assert_success
	assert_output "$(printf '200000\n5')"
}

@test "recv into a file past ulimit -f: EFBIG at the byte it stopped, exit 1, not death by SIGXFSZ" {
	mkfifo "$f"
	bg timeout 20 sh -c 'seq 100000 > "$1"' sh "$f"
	run -1 --separate-stderr timeout 20 bash -c \
	    'ulimit -f 64; exec ipc-pipe recv "$1" > out' sh "$f"
	assert_equal "$stderr" "ipc-pipe: recv $f: stdout: File too large (at byte 65536, RLIMIT_FSIZE 65536, ulimit -f)"
	[ "$(stat -c %s out)" = 65536 ]
	cmp out <(seq 100000 | head -c 65536)
}

@test "ls and stat walk /proc once, each process's directory opened once, for holders and waiting openers alike" {
	need_strace
	[ -z "${IPC_WRAP:-}" ] || skip "under valgrind, strace would trace valgrind"
	ipc-pipe create "$f"
	for v in ls "stat $f"; do
		# LeakSanitizer cannot run under ptrace
		ASAN_OPTIONS=detect_leaks=0 timeout 60 strace -qq \
		    -e trace=openat,open -o trace ipc-pipe $v > o 2>&1
		run grep -c 'openat(AT_FDCWD, "/proc", ' trace
		assert_output 1
		sed -n 's/^openat([0-9]*, "\([0-9]*\)", .*O_DIRECTORY.*/\1/p' \
		    trace | sort > pids
		[ -s pids ]
		run uniq -d pids
		assert_output ""
		# both parts were read: descriptors, and what each opens
		grep -q '"fd", .*O_DIRECTORY' trace
		grep -q '"syscall", ' trace
	done
}
