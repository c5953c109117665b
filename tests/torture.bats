#!/usr/bin/env bats
# Faults from outside, with nothing lost: a sender killed with SIGKILL
# mid-stream leaves only whole messages; many senders and receivers at
# once lose and double nothing; a reader that quits early never hangs a
# writer; a stdout that refuses every write takes nothing from the
# object; a signal that ends a command removes the files it made.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR" || return
	q=u$$-$BATS_TEST_NUMBER
	key=$(printf '0x%x' $((0x74720000 + ($$ % 256) * 256 + BATS_TEST_NUMBER)))
}

teardown() {
	teardown_bg
	ipc-mq rm -f "$q" 2>/dev/null
	ipc-mq rm -S -f "$key" 2>/dev/null
	ipc-shm rm -S -f "$key" 2>/dev/null
	return 0
}

# lines 1..$1, each "N:" and N % 300 x's: a torn one shows
lines() {
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) { printf "%d:", i
	    for (j = 0; j < i % 300; j++) printf "x"; print "" } }'
}

# file $1 is lines 1..K of `lines`, for some K >= $2, each whole, none
# missing, none twice, and ends in a newline: nothing torn or lost
whole_prefix() {
	[ -s "$1" ] && [ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ] ||
	    { echo "whole_prefix: $1 is empty or ends part way" >&2; return 1; }
	awk -F: -v min="$2" '$1 != NR || length($2) != $1 % 300 ||
	    $2 !~ /^x*$/ { print "line " NR ": " substr($0, 1, 40); bad = 1;
	    exit } END { if (!bad && NR < min) { print NR " < " min; bad = 1 }
	    exit bad }' "$1" >&2
}

# lines 1, 2, ... as lines makes them, without end
endless() {
	awk 'BEGIN { x = sprintf("%299s", ""); gsub(/ /, "x", x)
	    for (i = 1; ; i++) print i ":" substr(x, 1, i % 300) }'
}

nlines() { wc -l <"$1" 2>/dev/null || echo 0; }

# a socket file $1 bound (and listening, with $2 = l) by this test
bound() { unix_bound "$@"; }

# --- SIGKILL of a sender mid-stream ------------------------------------------

# SIGKILL to sender $1, command $2 (itself: a timeout(1) over it would
# die alone), once out has 300 lines (bounded by their progress: never
# 10 s without one more); the receiver goes on
kill_mid_stream() {
	progress_until 10 "lines_in out" 300
	comm_is "$1" "$2"
	kill -KILL "$1"
	wait "$1" || true
}

@test "SIGKILL of a POSIX queue's sender mid-stream: only whole messages, in order" {
	ipc-mq create "$q"
	mkfifo gen		# without end: killed mid-way, however fast
	bg sh -c 'exec ipc-mq send -l "$1" <gen' sh "$q"
	s=$BG_LAST
	bg endless >gen
	bg ipc-mq recv -f "$q" >out
	r=$BG_LAST
	kill_mid_stream "$s" ipc-mq
	wait_for outputs curmsgs=0 ipc-mq stat -o curmsgs "$q"
	ends_by "$r" TERM
	whole_prefix out 300
}

@test "SIGKILL of a System V queue's sender mid-stream: only whole messages, in order" {
	ipc-mq create -S "$key"
	mkfifo gen		# without end: killed mid-way, however fast
	bg sh -c 'exec ipc-mq send -S -l "$1" <gen' sh "$key"
	s=$BG_LAST
	bg endless >gen
	bg ipc-mq recv -S -f "$key" >out
	r=$BG_LAST
	kill_mid_stream "$s" ipc-mq
	wait_for outputs qnum=0 ipc-mq stat -S -o qnum "$key"
	ends_by "$r" TERM
	whole_prefix out 300
}

@test "SIGKILL of a FIFO's send -l mid-stream: every line in the FIFO whole" {
	ipc-pipe create fifo
	lines 100000 >in
	# a slow reader downstream keeps the FIFO full: the sender is
	# killed in the middle of its writes
	bg sh -c 'timeout 60 ipc-pipe recv fifo | {
	    while IFS= read -r l; do printf "%s\n" "$l"; done
	    printf "%s" "$l"; } >out'	# a line cut short, as it came
	r=$BG_LAST
	bg sh -c 'exec ipc-pipe send -l fifo <in'
	kill_mid_stream "$BG_LAST" ipc-pipe
	# the writer gone, the reader copies what is left and ends
	wait "$r"
	whole_prefix out 300
	[ "$(nlines out)" -lt 100000 ]
}

@test "SIGKILL of a datagram sender mid-stream: only whole datagrams, in order" {
	bg ipc-sock recv --type dgram -f d.sock >out
	r=$BG_LAST
	wait_for bound d.sock
	# a stream without end: the sender is mid-way when it is killed, as
	# fast as both ends may be (100000 lines from a file could all be
	# sent before the kill came)
	mkfifo gen
	bg sh -c 'exec ipc-sock send --type dgram -l d.sock <gen'
	s=$BG_LAST
	bg endless >gen
	kill_mid_stream "$s" ipc-sock
	# queued after every datagram of the killed sender's
	ipc-sock send --type dgram d.sock end
	wait_for grep -qx end out
	ends_by "$r" TERM
	grep -vx end out >got
	whole_prefix got 300
	[ ! -e d.sock ]
}

# --- many senders, many receivers ---------------------------------------------

# 4 senders of 3000 numbers each, sender k the numbers (k-1)*3000+1..
# k*3000, one message a line; CMD... is the sending command, which
# reads stdin (a background job's stdin is /dev/null unless it says);
# their pids in spids. No bound of their own: received() bounds them by
# the progress of what they send
senders() {
	local k
	spids=
	for k in 1 2 3 4; do
		seq $(((k - 1) * 3000 + 1)) $((k * 3000)) >"in$k"
		bg sh -c 'f=$1; shift; exec "$@" < "$f"' sh "in$k" "$@"
		spids="$spids $BG_LAST"
	done
}

# the receivers have taken all 12000 messages: never 10 s without one
# more, however long the whole takes on a busy machine
received() { progress_until 10 "lines_in r1 r2" 12000; }

# receive into $1 with CMD... (a receiver that ends 124 when a wait
# finds nothing) again and again, until the file done exists and a
# receive finds nothing
receiver() {
	local o=$1 st
	shift
	while :; do
		st=0
		"$@" >>"$o" || st=$?
		case $st in
		0)	;;
		124)	[ -e done ] && return 0 ;;
		*)	echo "receiver: $* ended $st" >&2; return 1 ;;
		esac
	done
}

# the senders $@ have all ended well: the receivers may stop
senders_done() {
	local p
	for p in "$@"; do
		wait "$p"
	done
	touch done
}

@test "POSIX queue: 4 senders, 2 receivers, 12000 messages: none lost, none twice" {
	ipc-mq create "$q"
	senders ipc-mq send -l "$q"
	bg receiver r1 ipc-mq recv -f -t 1 "$q"
	r1=$BG_LAST
	bg receiver r2 ipc-mq recv -f -t 1 "$q"
	r2=$BG_LAST
	received
	senders_done $spids
	wait "$r1"
	wait "$r2"
	# whatever came in the last instant of a receiver's wait
	ipc-mq recv -f -t 0 "$q" >>r1 || true
	each_once 'r1 r2' 12000
}

@test "System V queue: 4 senders, 2 receivers, 12000 messages: none lost, none twice" {
	ipc-mq create -S "$key"
	senders ipc-mq send -S -l "$key"
	bg receiver r1 ipc-mq recv -S -f -t 1 "$key"
	r1=$BG_LAST
	bg receiver r2 ipc-mq recv -S -f -t 1 "$key"
	r2=$BG_LAST
	received
	senders_done $spids
	wait "$r1"
	wait "$r2"
	ipc-mq recv -S -f -t 0 "$key" >>r1 || true
	each_once 'r1 r2' 12000
}

@test "FIFO: 4 senders, 2 readers taking 200 lines at a time, 12000 lines: none lost, none twice" {
	ipc-pipe create fifo
	# held open both ways: a sender never finds the FIFO without a
	# reader between two recv -c, and an open never waits
	exec 7<>fifo
	senders ipc-pipe send -l fifo
	bg receiver r1 ipc-pipe recv -t 1 -c 200 fifo
	r1=$BG_LAST
	bg receiver r2 ipc-pipe recv -t 1 -c 200 fifo
	r2=$BG_LAST
	received
	senders_done $spids
	wait "$r1"
	wait "$r2"
	timeout 60 ipc-pipe recv -t 0.2 -c 20000 fifo >>r1 || true
	exec 7>&-
	each_once 'r1 r2' 12000
}

@test "datagrams: two addresses, two senders each, 12000 datagrams: a full socket makes them wait, none lost" {
	bg ipc-sock recv --type dgram -c 6000 -t 30 a.sock >r1
	r1=$BG_LAST
	bg ipc-sock recv --type dgram -c 6000 -t 30 b.sock >r2
	r2=$BG_LAST
	wait_for bound a.sock
	wait_for bound b.sock
	for k in 1 2 3 4; do
		seq $(((k - 1) * 3000 + 1)) $((k * 3000)) >"in$k"
	done
	bg sh -c 'exec ipc-sock send --type dgram -l a.sock < in1'
	bg sh -c 'exec ipc-sock send --type dgram -l a.sock < in2'
	bg sh -c 'exec ipc-sock send --type dgram -l b.sock < in3'
	bg sh -c 'exec ipc-sock send --type dgram -l b.sock < in4'
	received
	wait_bg
	each_once 'r1 r2' 12000
	[ ! -e a.sock ] && [ ! -e b.sock ]
}

# --- a reader that quits early -------------------------------------------------

@test "a FIFO reader that quits early: the writer is told, never hangs" {
	ipc-pipe create fifo
	lines 100000 >in
	bg ipc-pipe recv -c 1 fifo >out
	run timeout --preserve-status 30 ipc-pipe send -l fifo <in
	# a reader gone is EPIPE, or SIGPIPE itself: never 124 or 143
	[ "$status" -eq 1 ] || [ "$status" -eq 141 ]
	[ "$status" -eq 141 ] || assert_output --regexp \
	    '^ipc-pipe: send fifo: Broken pipe( \([0-9]+ bytes written and not read are lost\))?$'
	wait_bg
	[ "$(cat out)" = 1:x ]
}

@test "a datagram reader that quits early: the sender is told, never hangs" {
	lines 20000 >in
	bg ipc-sock recv --type dgram -c 1 d.sock >out
	wait_for bound d.sock
	run timeout --preserve-status 30 ipc-sock send --type dgram -l d.sock <in
	assert_failure 1
	assert_output --regexp '^ipc-sock: send d.sock: (Connection refused|No such file or directory)$'
	wait_bg
	[ "$(cat out)" = 1:x ]
}

@test "a queue reader that quits early: send -t ends 124, the rest still queued, none lost" {
	ipc-mq create -M 10 "$q"
	lines 100 >in
	bg ipc-mq recv -c 3 "$q" >out
	run --separate-stderr timeout --preserve-status 30 ipc-mq send -t 1 -l "$q" <in
	assert_failure 124
	wait_bg
	ipc-mq recv -f -t 0 "$q" >>out
	# 3 taken, 10 left queued: the first 13 lines, each once, in order
	whole_prefix out 13
	[ "$(nlines out)" -eq 13 ]
}

# --- a stdout that refuses every write -----------------------------------------

# CMD... >/dev/full is exit 1 with one line naming stdout
refused() {
	run --separate-stderr timeout --preserve-status 20 "$@"
	[ "$status" -eq 1 ] || { echo "$*: status $status" >&2; return 1; }
	[[ $stderr == *": stdout: No space left on device"* ]] ||
	    { echo "$*: $stderr" >&2; return 1; }
	[ "${#stderr_lines[@]}" -eq 1 ]
}

@test "/dev/full on stdout: the receiving verbs not covered elsewhere take nothing" {
	ipc-pipe create fifo
	exec 7<>fifo
	echo kept >&7
	refused sh -c 'exec ipc-pipe recv -f -t 1 fifo >/dev/full'
	refused sh -c 'exec ipc-pipe recv -0 -c 1 -t 1 fifo >/dev/full'
	run -0 timeout 5 ipc-pipe recv -t 1 -c 1 fifo
	assert_output kept
	exec 7>&-
	ipc-mq create -S "$key"
	ipc-mq send -S "$key" kept
	refused sh -c "exec ipc-mq peek -S '$key' >/dev/full"
	refused sh -c "exec ipc-mq recv -S -v -c 1 '$key' >/dev/full"
	run -0 ipc-mq recv -S -t 0 "$key"
	assert_output kept
	ipc-shm create -S -s 16 "$key" >/dev/null
	refused sh -c "exec ipc-shm recv -S '$key' >/dev/full"
	ipc-shm create -F -s 16 file
	refused sh -c 'exec ipc-shm recv -F file >/dev/full'
	refused sh -c 'exec ipc-sock recv -t 5 s.sock >/dev/full'
	[ ! -e s.sock ]
	refused sh -c 'exec ipc-sock recv --type seqpacket -t 5 p.sock >/dev/full'
	[ ! -e p.sock ]
}

# --- signals remove what a command made ----------------------------------------

@test "SIGINT, SIGTERM and SIGHUP end ipc-sock recv with 128+signal, its socket file gone" {
	env --default-signal=INT true 2>/dev/null ||
	    skip "env has no --default-signal (coreutils < 8.31)"
	for type in stream dgram seqpacket; do
		for sig in INT TERM HUP; do
			bg env --default-signal=INT timeout --preserve-status 20 \
			    ipc-sock recv --type "$type" s.sock
			wait_for bound s.sock
			wait_for sleeping "$BG_LAST"
			# timeout(1) passes the signal on to recv
			ends_by "$BG_LAST" "$sig"
			[ ! -e s.sock ]
		done
	done
}

@test "SIGINT and SIGHUP end ipc-sig recv -P with 128+signal, its pid file gone" {
	env --default-signal=INT true 2>/dev/null ||
	    skip "env has no --default-signal (coreutils < 8.31)"
	for sig in INT HUP; do
		bg env --default-signal=INT ipc-sig recv -P pid USR1
		wait_for test -s pid
		ends_by "$BG_LAST" "$sig"
		[ ! -e pid ]
	done
	run ls -A
	refute_output --partial pid
}
