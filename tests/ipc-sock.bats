#!/usr/bin/env bats
# ipc-sock: every verb, option, error and exit status, on real sockets,
# checked against peers that are not this code (python3, socat).

load helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
	s=t$$-$BATS_TEST_NUMBER.sock
	n=t$$-$BATS_TEST_NUMBER
}

teardown() {
	teardown_bg
}

# stat, ls, rm ---------------------------------------------------------------

# ADDR $1 has a listening socket bound to it, as stat says
listens() {
	[ "$(ipc-sock stat -o state "$1" 2>/dev/null)" = state=listen ]
}

# a listener on ADDR $1 in the background, pid in L, waited for
listener() {
	bg timeout 30 ipc-sock listen -1 -e 'echo seen > seen' "$1"
	wait_for listens "$1"
	L=$(pgrep -P "$BG_LAST" -x ipc-sock || echo "$BG_LAST")
	C=$(cat "/proc/$L/comm")
}

@test "stat of a listening socket file: listen, its listener, and no connection" {
	listener "$s"
	run --separate-stderr ipc-sock stat -o kind,type,state,rq,holders,peer,path,name "$s"
	assert_success
	assert_output "kind=path
type=stream
state=listen
rq=0
holders=$L($C)
peer=
path=$s
name=$s"
	assert_equal "$stderr" "$(partial_note ipc-sock stat holders)"
	# nothing waits to be accepted, and nothing was served
	run ipc-sock stat -o rq "$s"
	assert_output rq=0
	[ ! -e seen ]
	kill -0 "$L"
}

@test "stat gives the file's mode, owner, group and inode; the socket's inode" {
	listener "$s"
	ino=$(stat -c %i "$s")
	run ipc-sock stat -o mode,owner,group,file_inode "$s"
	assert_success
	assert_output "mode=0600
owner=$(id -un)
group=$(id -gn)
file_inode=$ino"
	# the socket's own inode, as its holder's descriptor shows it
	sino=$(ipc-sock stat -o inode "$s")
	ls -l "/proc/$L/fd" | grep -q "socket:\[${sino#inode=}\]\$"
}

@test "stat of a socket file nobody is bound to says stale, exit 0" {
	stale_sock "$s"
	run --separate-stderr ipc-sock stat -o kind,type,state,inode,holders,path "$s"
	assert_success
	assert_output "kind=path
type=
state=stale
inode=
holders=
path=$s"
	# no socket, no holders to look for: nothing on stderr
	assert_equal "$stderr" ""
}

@test "stat of unix:PATH is stat of PATH" {
	stale_sock "$s"
	run ipc-sock stat -o state,path "unix:$s"
	assert_success
	assert_output "state=stale
path=$s"
}

@test "stat of an abstract name: its listener, no file" {
	listener "@$n"
	run --separate-stderr ipc-sock stat -o kind,type,state,mode,holders,path,name "@$n"
	assert_success
	assert_output "kind=abstract
type=stream
state=listen
mode=
holders=$L($C)
path=
name=@$n"
	run ipc-sock stat -o name "abstract:$n"
	assert_output "name=@$n"
	[ ! -e seen ]
}

@test "stat of an abstract name nobody has: exit 1" {
	run ipc-sock stat "@$n-none"
	assert_failure 1
	assert_output "ipc-sock: stat @$n-none: No such file or directory"
}

@test "stat -j prints one JSON object with every field" {
	listener "$s"
	run --separate-stderr sh -c "ipc-sock stat -j $s | python3 -c 'import json,sys; d=json.load(sys.stdin); print(sorted(d)); print(d[\"state\"], d[\"holders\"][0][\"pid\"], d[\"holders\"][0][\"command\"], d[\"peer\"], d[\"peer_holders\"])'"
	assert_success
	assert_line --index 0 "['file_inode', 'group', 'holders', 'inode', 'kind', 'mode', 'name', 'owner', 'path', 'peer', 'peer_holders', 'rq', 'state', 'type', 'wq']"
	assert_line --index 1 "listen $L $C None []"
}

@test "stat refuses a regular file, a symlink, a missing path; the target untouched" {
	echo data > reg
	stale_sock "$s"
	ln -s "$s" link
	run ipc-sock stat reg
	assert_failure 1
	assert_output "ipc-sock: stat reg: not a socket"
	run ipc-sock stat link
	assert_failure 1
	assert_output "ipc-sock: stat link: not a socket"
	[ -S "$s" ] && [ -L link ] && [ "$(cat reg)" = data ]
	run ipc-sock stat nope
	assert_failure 1
	assert_output "ipc-sock: stat nope: No such file or directory"
}

@test "stat of TCP or UDP, no ADDR, or two: usage errors" {
	run ipc-sock stat tcp:127.0.0.1:80
	assert_failure 2
	assert_line --index 0 "ipc-sock: stat: tcp:127.0.0.1:80: stat is for Unix sockets (ss(8) shows TCP and UDP)"
	assert_line --index 1 "usage: ipc-sock stat [-o LIST] [-j] ADDR"
	run ipc-sock stat udp:127.0.0.1:53
	assert_failure 2
	run ipc-sock stat
	assert_failure 2
	assert_line --index 0 "ipc-sock: stat: missing ADDR"
	run ipc-sock stat a b
	assert_failure 2
	run ipc-sock stat -o nope "$s"
	assert_failure 2
}

@test "stat as another user of a socket in a root-only directory: Permission denied" {
	need_nobody
	d=$(mktemp -d)
	chmod 700 "$d"
	stale_sock "$d/s"
	run as_nobody ipc-sock stat "$d/s"
	assert_failure 1
	assert_output "ipc-sock: stat $d/s: Permission denied"
	run as_nobody ipc-sock rm "$d/s"
	assert_failure 1
	assert_output "ipc-sock: rm $d/s: Permission denied"
	[ -S "$d/s" ]
	rm -r "$d"
}

@test "ls lists a listening socket with its pid and command, by the name bound" {
	listener "$BATS_TEST_TMPDIR/$s"
	ino=$(ipc-sock stat -o inode "$s")
	run --separate-stderr sh -c "ipc-sock ls -H -o inode,type,state,holders,peer,name | awk '\$1 == ${ino#inode=}'"
	assert_success
	# bound from its directory: the kernel has the last component
	assert_output --regexp "^${ino#inode=} stream listen +$L\\($C\\) +- $s\$"
	assert_equal "$stderr" "$(partial_note ipc-sock ls holders)"
}

@test "ls prints a header and the default columns" {
	run --separate-stderr ipc-sock ls
	assert_success
	assert_line --index 0 --regexp '^TYPE +STATE +INODE +HOLDERS +PEER +PEER_HOLDERS +NAME$'
}

@test "ls shows a connected pair, each with the other as its peer" {
	python3 -c 'import os, socket, sys, time
a, b = socket.socketpair()
ia, ib = os.fstat(a.fileno()).st_ino, os.fstat(b.fileno()).st_ino
with open("pair.tmp", "w") as f:
    print(os.getpid(), ia, ib, file=f)
os.rename("pair.tmp", "pair")
time.sleep(30)' &
	BG_PIDS="$BG_PIDS $!"
	wait_for test -s pair
	read -r p ia ib < pair
	c=$(cat "/proc/$p/comm")
	run --separate-stderr sh -c "ipc-sock ls -H -o inode,state,holders,peer,peer_holders,name | awk '\$1 == $ia || \$1 == $ib { \$1 = \$1; print }' | sort -n"
	assert_success
	lo=$((ia < ib ? ia : ib)) hi=$((ia < ib ? ib : ia))
	assert_output --regexp "^$lo connected $p\\($c\\) $hi $p\\($c\\) -
$hi connected $p\\($c\\) $lo $p\\($c\\) -\$"
}

@test "ls shows a client connected to a listener, and the server's end" {
	bg timeout 30 socat "UNIX-LISTEN:$s" EXEC:'sleep 30'
	wait_for listens "$s"
	bg timeout 30 socat -u OPEN:/dev/null,ignoreeof "UNIX-CONNECT:$s"
	wait_for sh -c "ipc-sock ls -H -o state,name | grep -q '^connected  *$s\$'"
	run --separate-stderr sh -c "ipc-sock ls -H -o inode,peer,name | awk '\$3 == \"$s\" && \$2 != \"-\"'"
	[ "${#lines[@]}" -eq 1 ]
	read -r server client _ <<<"${lines[0]}"
	# the client's socket is unnamed; its peer is the server's end
	run --separate-stderr sh -c "ipc-sock ls -H -o inode,peer,name,peer_holders | awk '\$1 == $client { \$1 = \$1; print }'"
	assert_output --regexp "^$client $server - [0-9]+\\(socat\\)\$"
}

@test "ls -j is a JSON array with the listener in it" {
	listener "$s"
	run --separate-stderr sh -c "ipc-sock ls -j | python3 -c 'import json,sys; d=json.load(sys.stdin); r=[x for x in d if x[\"name\"] == \"$s\"]; print(len(r), r[0][\"state\"], r[0][\"holders\"][0][\"pid\"], r[0][\"peer\"])'"
	assert_success
	assert_output "1 listen $L None"
}

@test "ls -o with an unknown field, or an operand that is no directory" {
	run ipc-sock ls -o nope
	assert_failure 2
	assert_line --index 0 "ipc-sock: ls: -o: unknown field 'nope' (fields: kind, type, state, inode, mode, owner, group, file_inode, rq, wq, holders, peer, peer_holders, path, name)"
	assert_line --index 1 "usage: ipc-sock ls [-H] [-o LIST] [-j] [DIR...]"
	run ipc-sock ls -H -o path nodir
	assert_failure 1
	assert_output "ipc-sock: ls nodir: No such file or directory"
}

@test "ls DIR lists the socket files in it: live and stale, nothing else" {
	mkdir d
	listener "d/$s"
	stale_sock d/old
	touch d/reg
	ln -s old d/link
	run --separate-stderr ipc-sock ls -H -o path,state,holders d
	assert_success
	assert_output --regexp "^d/old +stale +-
d/$s +listen +$L\\($C\\)\$"
}

@test "ls escapes a name with a blank or a newline" {
	listener "@$n a
b"
	run --separate-stderr sh -c "ipc-sock ls -H -o name | grep -F '@$n'"
	assert_output "@$n\\040a\\012b"
}

@test "rm removes a stale socket file, silently" {
	stale_sock "$s"
	run ipc-sock rm "$s"
	assert_success
	assert_output ""
	[ ! -e "$s" ]
}

@test "rm refuses a socket with a live listener, names it, keeps the file" {
	listener "$s"
	run ipc-sock rm "$s"
	assert_failure 1
	assert_output "ipc-sock: rm $s: has a live listener: pid $L ($C)"
	[ -S "$s" ]
	[ ! -e seen ]
}

@test "rm refuses what is not a socket, and a symlink to one: neither goes" {
	echo data > reg
	stale_sock "$s"
	ln -s "$s" link
	run ipc-sock rm reg
	assert_failure 1
	assert_output "ipc-sock: rm reg: not a socket"
	run ipc-sock rm link
	assert_failure 1
	assert_output "ipc-sock: rm link: not a socket"
	[ "$(cat reg)" = data ] && [ -L link ] && [ -S "$s" ]
}

@test "rm of a missing one: exit 1; with -f, exit 0" {
	run ipc-sock rm nope
	assert_failure 1
	assert_output "ipc-sock: rm nope: No such file or directory"
	run ipc-sock rm -f nope
	assert_success
	assert_output ""
}

@test "rm tries each PATH, reports each failure, exits 1" {
	stale_sock a
	touch b
	stale_sock c
	run ipc-sock rm a b unix:c
	assert_failure 1
	assert_output "ipc-sock: rm b: not a socket"
	[ ! -e a ] && [ -f b ] && [ ! -e c ]
}

@test "rm of an abstract name or a TCP address is a usage error; nothing goes" {
	stale_sock a
	run ipc-sock rm a "@$n"
	assert_failure 2
	assert_line --index 0 "ipc-sock: rm: @$n: an abstract name has no file to remove; it goes with its last holder"
	assert_line --index 1 "usage: ipc-sock rm [-f] PATH..."
	[ -S a ]
	run ipc-sock rm tcp:127.0.0.1:80
	assert_failure 2
	assert_line --index 0 "ipc-sock: rm: tcp:127.0.0.1:80: a TCP socket has no file to remove"
	run ipc-sock rm
	assert_failure 2
	assert_line --index 0 "ipc-sock: rm: missing PATH"
}

@test "/proc/net/unix, where unix_diag is missing: names, types, states, inodes" {
	printf '%s\n' 'Num       RefCount Protocol Flags    Type St Inode Path' \
	    '0000000000000000: 00000002 00000000 00010000 0001 01 4242 /run/a b.sock' \
	    '0000000000000000: 00000003 00000000 00000000 0001 03  1058' \
	    '0000000000000000: 00000002 00000000 00000000 0002 01 77 @logs' \
	    '0000000000000000: 00000002 00000000 00000000 0005 02 78 rel.sock' > net
	run tests_unit netunix net
	assert_success
	assert_output "4242 stream listen /run/a b.sock
1058 stream connected 
77 dgram unconnected @logs
78 seqpacket connecting rel.sock"
}
