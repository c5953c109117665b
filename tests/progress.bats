#!/usr/bin/env bats
# --progress on the bulk verbs: bytes, rate, and % and ETA where the size
# is known, on one stderr line rewritten at most four times a second,
# then a summary with the exact count; nothing of it without the option.
# A stall is made by a reader that holds the FIFO open and waits before
# it reads: the 1 MiB pipe fills and the sender waits in the kernel.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR" || return
	n=/p$$-$BATS_TEST_NUMBER
	head -c 4194304 /dev/urandom >data
}

teardown() {
	teardown_bg
	ipc-shm rm -f "$n" 2>/dev/null
	return 0
}

# the pieces of stderr file $1: what each carriage return or newline ends
pieces() {
	tr '\r' '\n' <"$1" | sed '/^$/d'
}

# the updates among them: "ipc-pipe: send: 1.00 MiB in 0:01, 0 B/s..."
updates() {
	pieces "$1" | grep -E ': [0-9.]+ (B|KiB|MiB|GiB) (sent, .* )?in [0-9]+:[0-9]{2}, '
}

# the last piece of stderr file $1 is the summary for $2 ("ipc-pipe:
# send") of exactly $3 bytes
summary_is() {
	local last re
	last=$(pieces "$1" | tail -n 1)
	re="^$2: $3 bytes( \\([0-9.]+ [KMG]iB\\))? in [0-9]+\\.[0-9]{2} s, "
	re+="[0-9.]+ (B|KiB|MiB|GiB)/s\$"
	[[ $last =~ $re ]] || {
		echo "not the summary: $last" >&2
		return 1
	}
}

# no more than four updates a second: the summary says how long it took
at_most_four_a_second() {
	local secs count
	secs=$(pieces "$1" | tail -n 1 | sed -E 's/.* in ([0-9.]+) s,.*/\1/')
	count=$(updates "$1" | wc -l)
	awk -v c="$count" -v s="$secs" 'BEGIN { exit !(c <= 4 * s + 1) }' || {
		echo "$count updates in $secs s" >&2
		return 1
	}
}

# a reader of FIFO $1 that opens it at once, waits $2 seconds, then
# copies it to the file out
slow_reader() {
	bg sh -c 'exec 3<"$1"; sleep "$2"; exec cat <&3 >out' sh "$1" "$2"
}

@test "--progress: send from a file shows %, ETA and a stall as 0 B/s, then the exact count" {
	ipc-pipe create f
	slow_reader f 1.2
	ipc-pipe send --progress f <data 2>err
	wait_bg
	cmp data out
	updates err | grep -qE ', 0 B/s, [0-9]+%, ETA [0-9]+:[0-9]{2}$'
	summary_is err "ipc-pipe: send" 4194304
	assert_equal "$(pieces err | tail -n 1 | cut -d' ' -f5,6)" "(4.00 MiB)"
	at_most_four_a_second err
	# one line: nothing but the last piece ends in a newline
	assert_equal "$(wc -l <err)" 1
}

@test "--progress: without it, nothing goes to stderr" {
	ipc-pipe create f
	slow_reader f 0.6
	run -0 --separate-stderr ipc-pipe send f <data
	wait_bg
	assert_equal "$stderr" ""
	cmp data out
}

@test "--progress: stdin a pipe has no size: bytes and rate, no percent" {
	ipc-pipe create f
	slow_reader f 0.8
	cat data | ipc-pipe send --progress f 2>err
	wait_bg
	cmp data out
	updates err >/dev/null
	run ! grep -q % err
	summary_is err "ipc-pipe: send" 4194304
}

@test "--progress: send -l counts the lines' bytes" {
	ipc-pipe create f
	seq 200000 >lines
	slow_reader f 0.3
	ipc-pipe send -l --progress f <lines 2>err
	wait_bg
	cmp lines out
	summary_is err "ipc-pipe: send" "$(wc -c <lines)"
}

@test "--progress: recv counts what reached stdout" {
	ipc-pipe create f
	bg sh -c 'exec ipc-pipe recv --progress f >out 2>err'
	ipc-pipe send f <data
	wait_bg
	cmp data out
	summary_is err "ipc-pipe: recv" 4194304
}

@test "--progress: a failure ends the line first: the error is a line of its own, then the summary" {
	ipc-pipe create f
	bg sh -c 'exec 3<f; sleep 0.8; exec head -c 1048576 <&3 >/dev/null'
	run -1 sh -c 'exec ipc-pipe send --progress f <data 2>err'
	wait_bg
	updates err >/dev/null
	grep -qxE "ipc-pipe: send f: Broken pipe( \([0-9]+ bytes written and not read are lost\))?" err
	run -0 grep -c "Broken pipe" err
	assert_output 1
	pieces err | tail -n 1 | grep -qE '^ipc-pipe: send: [0-9]+ bytes'
}

@test "--progress: a verb that fails before anything moves prints no summary" {
	ipc-pipe create f
	run -1 --separate-stderr sh -c 'exec ipc-pipe recv --progress f >/dev/full'
	assert_equal "$stderr" "ipc-pipe: recv f: stdout: No space left on device"
	run -1 --separate-stderr ipc-pipe send --progress nosuch </dev/null
	refute [ -z "$stderr" ]
	run ! grep -q bytes <<<"$stderr"
}

@test "--progress: ipc-sock send and recv count a stream's bytes" {
	bg sh -c 'exec ipc-sock recv --progress s >out 2>rerr'
	ipc-sock stat --wait -t 10s s >/dev/null
	ipc-sock send --progress s <data 2>serr
	wait_bg
	cmp data out
	summary_is serr "ipc-sock: send" 4194304
	summary_is rerr "ipc-sock: recv" 4194304
}

@test "--progress: ipc-sock datagrams: sent counts the messages, recv what it wrote" {
	bg sh -c 'exec ipc-sock recv --type dgram -c 3 --progress d >out 2>rerr'
	ipc-sock stat --wait -t 10s d >/dev/null
	ipc-sock send --type dgram --progress d one two three 2>serr
	wait_bg
	assert_equal "$(cat out)" "$(printf 'one\ntwo\nthree')"
	summary_is serr "ipc-sock: send" 11
	summary_is rerr "ipc-sock: recv" 14
}

@test "--progress: connect counts what it sent and what it received, each apart" {
	bg ipc-sock listen -1 -e 'head -c 1000; cat >/dev/null' e
	ipc-sock stat --wait -t 10s e >/dev/null
	ipc-sock connect --progress e <data >back 2>err
	wait_bg
	cmp back <(head -c 1000 data)
	run pieces err
	assert_line --index $((${#lines[@]} - 1)) --regexp \
	    '^ipc-sock: connect: sent 4194304 bytes \(4.00 MiB\), received 1000 bytes in [0-9.]+ s, '
}

@test "--progress: ipc-shm send and recv show % of the size, and the exact count" {
	ipc-shm create -s 4M "$n"
	ipc-shm send --progress "$n" <data 2>err
	summary_is err "ipc-shm: send" 4194304
	ipc-shm recv --progress "$n" >out 2>err
	cmp data out
	summary_is err "ipc-shm: recv" 4194304
	# a pipe is read to its end first; the count is what went in
	cat data | ipc-shm send --progress "$n" 2>err
	summary_is err "ipc-shm: send" 4194304
}

@test "--progress: ipc-shm recv into a slow pipe shows % and ETA" {
	ipc-shm create -s 4M "$n"
	ipc-shm send "$n" <data
	ipc-shm recv --progress "$n" 2>err | { sleep 0.8; cat >out; }
	cmp data out
	updates err | grep -qE ', [0-9]+%, ETA [0-9]+:[0-9]{2}$'
	summary_is err "ipc-shm: recv" 4194304
	at_most_four_a_second err
}

@test "--progress is refused where nothing bulk moves: exit 2" {
	run -2 --separate-stderr ipc-pipe create --progress f
	assert_equal "${stderr_lines[0]}" "ipc-pipe: create: unknown option '--progress'"
	run -2 --separate-stderr ipc-mq send --progress /q x
	assert_equal "${stderr_lines[0]}" "ipc-mq: send: unknown option '--progress'"
	run -2 --separate-stderr ipc-sock listen --progress s
	assert_equal "${stderr_lines[0]}" "ipc-sock: listen: unknown option '--progress'"
	[ ! -e f ] && [ ! -e s ]
}
