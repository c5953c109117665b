#!/usr/bin/env bats
# ipc-sock: every verb, option, error and exit status, on real sockets,
# checked against peers that are not this code (socat, Python's socket).

load helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
	s=s.sock
}

teardown() {
	teardown_bg
	exec 5>&-
}

# tap ---------------------------------------------------------------------
#
# The servers are Python's (tests/peers/unixpeer.py): a server that says
# which pid and uid it saw, one that takes and passes descriptors.

# a server that is not ours at $1, listening: serve (default), once, fds,
# seqpacket; its pid in SRV, what it says in srv.out
server() {
	bg unixpeer.py "${2:-serve}" "$1" > srv.out
	SRV=$BG_LAST
	wait_for grep -qx ready srv.out
}

# ipc-sock tap ARGS... in the background, SIGINT not ignored, once it
# relays (its start line is out): its pid in TAP, tap.out, tap.err; fd 5
# (a test's end of a FIFO) not inherited
tap_bg() {
	bg env --default-signal=INT ipc-sock tap "$@" > tap.out 2> tap.err 5>&-
	TAP=$BG_LAST
	wait_for grep -q relaying tap.err
}

# a client, ipc-sock connect to $1 with stdin from the file $2: its pid in
# cpid, the reply on stdout
client() {
	timeout 10 sh -c 'echo $$ > cpid; exec ipc-sock connect "$1"' sh "$1" \
	    < "$2"
}

# the inode of the file $1, not following a symlink
ino() { stat -c %i "$1"; }

# nothing but what the test made is left beside the socket: no file aside
nothing_aside() {
	! ls -A | grep -q '\.tap\.'
}

@test "tap: both directions, the client's pid and each length; the reply unchanged" {
	server "$s"
	tap_bg "$s"
	printf 'hello\tworld\n' > in
	run client "$s" in
	assert_success
	cp=$(cat cpid)
	[[ $output =~ ^pid=([0-9]+)\ uid=[0-9]+\ got=hello$'\t'world$ ]]
	[ "${BASH_REMATCH[1]}" != "$cp" ]	# the server saw the tap, not it
	reply="$output"$'\n'
	esc=${reply//$'\t'/\\011}
	run cat tap.out
	assert_output "c>s $cp 12
hello\\011world\\012
s>c $cp ${#reply}
${esc%$'\n'}\\012"
}

@test "tap: the start line says where the server is and what it no longer sees" {
	server "$s"
	before=$(ino "$s")
	tap_bg "$s"
	if is_root; then
		sees="the pid of a short-lived child of the tap (with the client's uid and gid)"
	else
		sees="the tap's pid, uid and gid"
	fi
	run cat tap.err
	assert_output "ipc-sock: tap $s: relaying to the server, moved aside to .$s.tap.$TAP; for every new client the server now sees $sees, not the client's"
	[ "$(ino ".$s.tap.$TAP")" = "$before" ] && [ -S "$s" ]
}

@test "tap -X: each chunk as hexdump -C shows it" {
	server "$s"
	tap_bg -X "$s"
	printf 'hello\0world\377, and more than sixteen bytes' > in
	client "$s" in > reply
	cp=$(cat cpid)
	{
		echo "c>s $cp $(wc -c < in)"
		hexdump -C in | sed '$d'
		echo "s>c $cp $(wc -c < reply)"
		hexdump -C reply | sed '$d'
	} > want
	run diff want tap.out
	assert_success
}

@test "tap -j: one JSON object a chunk, with dir, pid, len, fds and message" {
	server "$s"
	tap_bg -j "$s"
	printf 'hi\n\001' > in
	client "$s" in > reply
	cp=$(cat cpid)
	run python3 -c '
import json, sys
for line in open("tap.out"):
    d = json.loads(line)
    print(d["dir"], d["pid"] == int(sys.argv[1]), d["len"], d["fds"],
          repr(d["message"][-4:]))' "$cp"
	assert_success
	assert_output "c>s True 4 0 'hi\\n\\x01'
s>c True $(wc -c < reply) 0 'hi\\n\\x01'"
}

@test "tap: SIGTERM, SIGINT, SIGHUP put the server's file back; new clients reach it" {
	server "$s"
	before=$(ino "$s")
	echo x > in
	for sig in TERM INT HUP; do
		tap_bg "$s"
		[ "$(ino "$s")" != "$before" ]
		ends_by "$TAP" "$sig"
		[ "$(ino "$s")" = "$before" ]
		nothing_aside
		run client "$s" in
		assert_success
		assert_output "pid=$(cat cpid) uid=$(id -u) got=x"
	done
}

@test "tap: SIGTERM at any moment of its start never leaves the server's file aside" {
	server "$s"
	before=$(ino "$s")
	for i in $(seq 10); do
		bg ipc-sock tap "$s" > tap.out 2> tap.err
		TAP=$BG_LAST
		# kill it once it is ours (a shell's child killed before its
		# exec can lose the signal): at once, or the moment the
		# server's file is aside
		wait_comm "$TAP" ipc-sock
		if [ $((i % 2)) = 0 ]; then
			for n in $(seq 20000); do
				[ -e ".$s.tap.$TAP" ] && break
			done
		fi
		ends_by "$TAP" TERM
		[ "$(ino "$s")" = "$before" ]
		nothing_aside
	done
}

@test "tap: a client connected before keeps talking to the server, unseen" {
	server "$s"
	mkfifo in
	bg sh -c 'echo $$ > cpid; exec ipc-sock connect s.sock < in > early'
	early=$BG_LAST
	exec 5> in
	wait_for grep -qx accepted srv.out
	tap_bg "$s"
	echo early >&5
	exec 5>&-
	wait "$early"
	run cat early
	assert_output "pid=$(cat cpid) uid=$(id -u) got=early"
	run cat tap.out
	assert_output ""
}

@test "tap: descriptors pass through both ways (SCM_RIGHTS)" {
	server "$s" fds
	tap_bg "$s"
	run timeout 10 unixpeer.py client-fds "$s"
	assert_success
	assert_output "1 fds: from the client / from the server"
	run grep -c ' fds=1$' tap.out
	assert_output 2
}

@test "tap: a descriptor from ipc-sock send --pass-fd reaches the server" {
	server "$s" fds
	tap_bg "$s"
	echo secret > f
	run timeout 10 ipc-sock send --pass-fd 3 "$s" 3< f
	assert_success
	wait_for grep -q '^held:' srv.out
	run grep '^held:' srv.out
	assert_output "held: secret"
	run head -n 2 tap.out
	assert_output --regexp '^c>s [0-9]+ 1 fds=1
\\000$'
}

@test "tap: as root, our file has the server's mode and owner; it sees the client's uid" {
	need_nobody
	d=$(mktemp -d)
	chmod 755 "$d"
	chown nobody "$d"
	bg setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    sh -c "umask 077; exec unixpeer.py serve $d/s.sock" > srv.out
	wait_for grep -qx ready srv.out
	want=$(stat -c '%a %U %G' "$d/s.sock")
	tap_bg "$d/s.sock"
	got=$(stat -c '%a %U %G' "$d/s.sock")
	echo hi > in
	run as_nobody ipc-sock connect "$d/s.sock" < in
	ends_by "$TAP" TERM
	rm -r "$d"
	[ "$want" = "700 nobody nogroup" ] && [ "$got" = "$want" ]
	assert_success
	assert_output --regexp "^pid=[0-9]+ uid=$(id -u nobody) got=hi$"
	grep -q 'c>s [0-9]* 3$' tap.out
}

@test "tap: not root, the server sees the tap's uid; an owner it cannot give is said" {
	need_nobody
	d=$(mktemp -d)
	chmod 777 "$d"
	bg sh -c "umask 0; exec unixpeer.py serve $d/s.sock" > srv.out
	wait_for grep -qx ready srv.out
	bg setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    ipc-sock tap "$d/s.sock" > tap.out 2> tap.err
	TAP=$BG_LAST
	wait_for grep -q relaying tap.err
	echo hi > in
	run client "$d/s.sock" in
	ends_by "$TAP" TERM
	rm -r "$d"
	assert_success
	assert_output --regexp "^pid=$TAP uid=$(id -u nobody) got=hi$"
	run cat tap.err
	assert_output "ipc-sock: tap $d/s.sock: relaying to the server, moved aside to $d/.s.sock.tap.$TAP; for every new client the server now sees the tap's pid, uid and gid, not the client's; it is owned by $(id -u nobody):$(id -g nobody), not by the server's 0:0 (only root can give it away)"
}

@test "tap: a server that stops listening ends the tap, 1, its file back" {
	server "$s" once
	before=$(ino "$s")
	tap_bg "$s"
	echo x > in
	run client "$s" in
	assert_success
	run client "$s" in
	assert_failure
	st=0
	wait "$TAP" || st=$?
	[ "$st" -eq 1 ]
	run cat tap.err
	assert_line --index 1 "ipc-sock: tap $s: the server stopped listening: Connection refused"
	[ "$(ino "$s")" = "$before" ]
	nothing_aside
}

@test "tap: a stale socket, nobody listening: 1, left as it is" {
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$s"
	before=$(ino "$s")
	run timeout 10 ipc-sock tap "$s"
	assert_failure 1
	assert_output "ipc-sock: tap $s: stale: nobody listens"
	[ "$(ino "$s")" = "$before" ]
}

@test "tap: a regular file, or nothing there: 1" {
	touch f
	run timeout 10 ipc-sock tap f
	assert_failure 1
	assert_output "ipc-sock: tap f: not a socket"
	run timeout 10 ipc-sock tap nothere
	assert_failure 1
	assert_output "ipc-sock: tap nothere: No such file or directory"
}

@test "tap: a symlink, even to a live socket, is refused and its target untouched" {
	server "$s"
	before=$(ino "$s")
	ln -s "$s" l
	run timeout 10 ipc-sock tap l
	assert_failure 1
	assert_output "ipc-sock: tap l: a symbolic link, not a socket (tap follows none)"
	[ "$(ino "$s")" = "$before" ] && [ -L l ]
	nothing_aside
}

@test "tap: a seqpacket server: 1, streams only" {
	server "$s" seqpacket
	run timeout 10 ipc-sock tap "$s"
	assert_failure 1
	assert_output "ipc-sock: tap $s: a seqpacket socket: tap relays stream sockets only"
	nothing_aside
}

@test "tap: an abstract name, TCP, UDP, -X with -j: usage errors, 2" {
	run timeout 10 ipc-sock tap @x
	assert_failure 2
	assert_output "ipc-sock: tap: @x: an abstract name has no file to move aside; tap takes a socket file
usage: ipc-sock tap [-X|-j] PATH"
	for a in tcp:127.0.0.1:1 udp:127.0.0.1:1; do
		run timeout 10 ipc-sock tap "$a"
		assert_failure 2
		assert_line --index 0 "ipc-sock: tap: $a: tap takes a Unix socket file, not TCP or UDP"
	done
	run timeout 10 ipc-sock tap -X -j "$s"
	assert_failure 2
	assert_line --index 0 "ipc-sock: tap: -X and -j: one output format"
}
