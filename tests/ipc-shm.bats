#!/usr/bin/env bats
# ipc-shm: POSIX shared memory, System V segments with -S and mapped files
# with -F, checked against peers that are not this code: Python's
# multiprocessing.shared_memory, tests/peers/shmpeer (shmat) and ipcs.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR" || return
	n=t$$-$BATS_TEST_NUMBER
	key=$(sysv_key 0x68)
	ids=$BATS_TEST_TMPDIR/ids
}

teardown() {
	local id
	teardown_bg
	[ -z "${ps_saved:-}" ] ||
	    echo "$ps_saved" >/proc/sys/fs/protected_symlinks
	[ -z "${shared:-}" ] || rm -rf "$shared"
	ipc-sem rm -f "$n" 2>/dev/null
	ipc-shm rm -f "$n" "$n-b" 2>/dev/null
	ipc-shm rm -S -f "$key" 2>/dev/null
	if [ -f "$ids" ]; then
		while read -r id; do
			ipc-shm rm -S -f "id:$id" 2>/dev/null
		done <"$ids"
	fi
	return 0
}

# every command that may block is bounded
shm() {
	timeout --preserve-status 20 ipc-shm "$@"
}

# Python's shared_memory, without its resource tracker (which would
# remove the object when the peer exits)
py() {
	timeout --preserve-status 20 python3 -c '
import sys
from multiprocessing import shared_memory, resource_tracker
m = shared_memory.SharedMemory(sys.argv[1])
resource_tracker.unregister(m._name, "shared_memory")
exec(sys.argv[2])
m.close()' "$@"
}

usage_line() {
	ipc-shm -h | sed -n "s/^ *ipc-shm $1 /usage: ipc-shm $1 /p"
}

# stderr holds nothing, or only the note that some processes' maps could
# not be read (another user's; even root is refused some, such as pid 1);
# $2 "orphan" where the output marks orphans from those maps
only_note() {
	[ -z "$stderr" ] || [ "$stderr" = "$(unread_note "ipc-shm: $1" \
	    "holders may be partial${2:+$ORPHAN_NOTE}")" ]
}

# --- the command line ---

@test "-h lists every verb and alias; VERB -h lists that verb's options" {
	run -0 ipc-shm -h
	for v in create send write recv read rm stat ls; do
		assert_line --regexp "^ +ipc-shm $v "
	done
	run -0 ipc-shm send -h
	assert_line 'usage: ipc-shm send [-S|-F] [-O OFFSET] [-g] [--progress] NAME|KEY [DATA...]'
	assert_line --regexp '^  -O, --offset OFFSET '
	assert_line --regexp '^  -g, --grow '
	assert_line --regexp '^  -F, --file '
	run -0 ipc-shm create -h
	assert_line --regexp '^  -s, --size SIZE '
}

@test "missing operands, extra operands and missing size are usage errors" {
	run -2 --separate-stderr ipc-shm create -s 4K
	assert_equal "${stderr_lines[0]}" "ipc-shm: create: missing NAME"
	assert_equal "${stderr_lines[1]}" "$(usage_line create)"
	run -2 --separate-stderr ipc-shm create -S -s 4K
	assert_equal "${stderr_lines[0]}" "ipc-shm: create: missing KEY"
	run -2 --separate-stderr ipc-shm create -F -s 4K
	assert_equal "${stderr_lines[0]}" "ipc-shm: create: missing PATH"
	run -2 --separate-stderr ipc-shm create "$n"
	assert_equal "${stderr_lines[0]}" "ipc-shm: create: -s SIZE is needed: the bytes of the new object"
	run -2 --separate-stderr ipc-shm recv "$n" extra
	assert_equal "${stderr_lines[0]}" "ipc-shm: recv: too many operands"
	run -2 --separate-stderr ipc-shm send
	assert_equal "${stderr_lines[0]}" "ipc-shm: send: missing NAME"
	run -2 --separate-stderr ipc-shm rm
	assert_equal "${stderr_lines[0]}" "ipc-shm: rm: missing NAME"
	run -2 --separate-stderr ipc-shm ls extra
	assert_equal "${stderr_lines[0]}" "ipc-shm: ls: too many operands"
	[ ! -e "/dev/shm/$n" ]
}

@test "sizes: zero, unknown suffixes and overflow are usage errors" {
	local s
	for s in 0 4Q 1.5K -1 99999999999999999999 9000000T; do
		run -2 --separate-stderr ipc-shm create -s "$s" "$n"
		assert_equal "${stderr_lines[0]}" "ipc-shm: create: -s: '$s' is not a size from 1 to 9223372036854775807 bytes (a number, optionally with K, M, G or T)"
	done
	[ ! -e "/dev/shm/$n" ]
}

@test "offsets: negative or malformed ones are usage errors" {
	shm create -s 4K "$n"
	run -2 --separate-stderr ipc-shm recv -O -1 "$n"
	assert_equal "${stderr_lines[0]}" "ipc-shm: recv: -O: '-1' is not a size from 0 to 9223372036854775807 bytes (a number, optionally with K, M, G or T)"
	run -2 --separate-stderr ipc-shm send -O x "$n" a
	assert_equal "${stderr_lines[0]}" "ipc-shm: send: -O: 'x' is not a size from 0 to 9223372036854775807 bytes (a number, optionally with K, M, G or T)"
	run -2 --separate-stderr ipc-shm recv -c 0 "$n"
	assert_equal "${stderr_lines[0]}" "ipc-shm: recv: -c: '0' is not a whole number from 1 to 9223372036854775807"
}

@test "-S and -F exclude each other; -g is refused with -S" {
	run -2 --separate-stderr ipc-shm stat -S -F "$key"
	assert_equal "${stderr_lines[0]}" "ipc-shm: stat: -S and -F exclude each other"
	run -2 --separate-stderr ipc-shm send -S -g "$key" x
	assert_equal "${stderr_lines[0]}" "ipc-shm: send: -g is for POSIX shared memory and files (-F), not with -S"
	run -2 --separate-stderr ipc-shm ls -F
	assert_equal "${stderr_lines[0]}" "ipc-shm: ls: ls -F: files are listed by ls(1); stat -F FILE tells one"
}

# --- POSIX ---

@test "create reserves the whole size, mode 0600 exactly whatever the umask" {
	umask 077
	run -0 shm create -s 64K "$n"
	assert_output ''
	[ "$(stat -c '%s %a' "/dev/shm/$n")" = "65536 600" ]
	[ "$(($(stat -c '%b' "/dev/shm/$n") * 512))" -ge 65536 ]
	umask 022
	run -0 shm create -m 0660 -s 1 "$n-b"
	[ "$(stat -c '%s %a' "/dev/shm/$n-b")" = "1 660" ]
}

@test "create: an existing one fails unless -x" {
	shm create -s 4K "/$n"
	run -1 --separate-stderr ipc-shm create -s 4K "$n"
	assert_equal "$stderr" "ipc-shm: create /$n: File exists (-x: succeed if it already exists)"
	run -0 shm create -x -s 4K "$n"
}

@test "create -x: an object of another size or mode is refused, naming both" {
	shm create -s 1M "$n"
	run -1 --separate-stderr ipc-shm create -x -s 2M "$n"
	assert_equal "$stderr" "ipc-shm: create /$n: exists with size 1048576, not 2097152"
	run -1 --separate-stderr ipc-shm create -x -m 0666 -s 1M "$n"
	assert_equal "$stderr" "ipc-shm: create /$n: exists with mode 0600, not 0666"
	run -0 shm create -x -m 0600 -s 1M "$n"
	[ "$(stat -c %s "/dev/shm/$n")" -eq 1048576 ]
	run -0 shm create -S -s 4K "$key"
	run -1 --separate-stderr ipc-shm create -S -x -s 8K "$key"
	assert_equal "$stderr" "ipc-shm: create $key: exists with size 4096, not 8192"
	run -1 --separate-stderr ipc-shm create -S -x -m 0640 -s 4K "$key"
	assert_equal "$stderr" "ipc-shm: create $key: exists with mode 0600, not 0640"
}

@test "create -x: another user's object is refused, root's to a user and a user's to root; --any-owner takes it" {
	need_nobody
	shm create -m 0666 -s 4K "$n"
	run -1 --separate-stderr as_nobody ipc-shm create -x -s 4K "$n"
	assert_equal "$stderr" "ipc-shm: create /$n: exists owned by root, not nobody (--any-owner takes another user's)"
	run -0 as_nobody ipc-shm create -x --any-owner -s 4K "$n"
	run -0 as_nobody ipc-shm create -s 4K "$n-b"
	run -1 --separate-stderr ipc-shm create -x -s 4K "$n-b"
	assert_equal "$stderr" "ipc-shm: create /$n-b: exists owned by nobody, not root (--any-owner takes another user's)"
	run -0 shm create -x --any-owner -s 4K "$n-b"
	run -0 as_nobody ipc-shm create -x -s 4K "$n-b"
	run -0 shm create -S -m 0666 -s 4K "$key"
	run -1 --separate-stderr as_nobody ipc-shm create -S -x -s 4K "$key"
	assert_equal "$stderr" "ipc-shm: create $key: exists owned by root, not nobody (--any-owner takes another user's)"
	run -0 as_nobody ipc-shm create -S -x --any-owner -s 4K "$key"
}

@test "create -x: one another program made empty is waited for within -t only" {
	: > "/dev/shm/$n"
	run -1 --separate-stderr ipc-shm create -x -s 1M "$n"
	assert_equal "$stderr" "ipc-shm: create /$n: exists with size 0, not 1048576"
	run -124 --separate-stderr ipc-shm create -x -t 100ms -s 1M "$n"
	assert_equal "$stderr" "ipc-shm: create /$n: timed out waiting for its maker to size it (size 0, not 1048576)"
	bg timeout 20 ipc-shm create -x -t 15s -s 1M "$n"
	truncate -s 1M "/dev/shm/$n"
	wait "$BG_LAST"
}

@test "create -x: three at once never show an object half made, round after round" {
	local i k pids
	for i in $(seq 20); do
		pids=
		for k in 1 2 3; do
			{ timeout 20 ipc-shm create -x -s 128M "$n" &&
			    timeout 20 ipc-shm send -O 134217727 "$n" z ||
			    echo "round $i: $k failed"; } >>log 2>&1 &
			pids="$pids $!"
		done
		wait $pids
		run cat log
		assert_output ""
		ipc-shm rm "$n"
	done
}

@test "create: a size that does not fit is refused naming the free space, nothing left" {
	run -1 --separate-stderr ipc-shm create -s 8000T "$n"
	assert_regex "$stderr" "^ipc-shm: create /$n: No space left on device \(8796093022208000 bytes wanted, [0-9]+ free in /dev/shm\)$"
	[ ! -e "/dev/shm/$n" ]
}

@test "send writes operands back to back at OFFSET; recv and read give them back" {
	shm create -s 16 "$n"
	run -0 shm send "$n" hello ", " world
	run -0 shm recv -c 12 "$n"
	assert_output 'hello, world'
	run -0 shm write -O 7 "$n" W
	run -0 shm read -O 7 -c 5 "$n"
	assert_output 'World'
	run -0 bash -c "ipc-shm recv '$n' | od -An -c | tr -s ' '"
	assert_output ' h e l l o , W o r l d \0 \0 \0 \0'
}

@test "send with no operands copies stdin, a pipe or a file" {
	shm create -s 8K "$n"
	printf 'from a pipe' | shm send "$n"
	run -0 shm recv -c 11 "$n"
	assert_output 'from a pipe'
	head -c 8192 /dev/urandom >data
	shm send "$n" <data
	shm recv "$n" >got
	cmp data got
}

@test "a write past the end is refused before any byte, unless -g grows it" {
	shm create -s 8 "$n"
	shm send "$n" 12345678
	run -1 --separate-stderr ipc-shm send -O 6 "$n" abc
	assert_equal "$stderr" "ipc-shm: send /$n: 3 bytes at offset 6 run past the end (size 8; -g grows it)"
	printf abc >abc
	run -1 --separate-stderr ipc-shm send -O 6 "$n" <abc
	assert_equal "$stderr" "ipc-shm: send /$n: 3 bytes at offset 6 run past the end (size 8; -g grows it)"
	run -0 shm recv "$n"
	assert_output 12345678
	run -0 shm send -g -O 6 "$n" abc
	run -0 shm recv "$n"
	assert_output 123456abc
	printf xyz | shm send --grow -O 12 "$n"
	[ "$(stat -c %s "/dev/shm/$n")" -eq 15 ]
}

@test "send from a pipe writes what fits, then says exactly how much went" {
	shm create -s 8 "$n"
	shm send "$n" 12345678
	run -0 bash -c "printf ab | ipc-shm send -O 6 '$n'"
	run -1 --separate-stderr bash -c "printf xyz | ipc-shm send -O 6 '$n'"
	assert_equal "$stderr" "ipc-shm: send /$n: stdin runs past the end (size 8): 2 bytes written at offset 6, the rest not"
	run -0 shm recv "$n"
	assert_output 123456xy
	run -1 --separate-stderr bash -c "printf x | ipc-shm send -O 9 '$n'"
	assert_equal "$stderr" "ipc-shm: send /$n: offset 9 is past the end (size 8; -g grows it)"
	shm create -s 1M "$n-b"
	head -c 3000000 /dev/urandom >data
	run -1 --separate-stderr bash -c "cat data | ipc-shm send '$n-b'"
	assert_equal "$stderr" "ipc-shm: send /$n-b: stdin runs past the end (size 1048576): 1048576 bytes written at offset 0, the rest not"
	shm recv "$n-b" | cmp - <(head -c 1048576 data)
	shm create -S -s 8 "$key" >/dev/null
	run -1 --separate-stderr bash -c "printf abcdefghij | ipc-shm send -S '$key'"
	assert_equal "$stderr" "ipc-shm: send $key: stdin runs past the end (size 8): 8 bytes written at offset 0, the rest not"
	run -0 shm recv -S "$key"
	assert_output abcdefgh
}

@test "send from a pipe streams into the object: nothing waits for the end of input" {
	shm create -s 1M "$n"
	mkfifo in
	bg sh -c "exec ipc-shm send -O 3 '$n' <in"
	exec 7>in
	printf streamed >&7
	# the bytes are in the object while the writer still holds the pipe,
	# and the sender holds no copy of its input (no memory file)
	wait_for outputs streamed ipc-shm recv -O 3 -c 8 "$n"
	run -0 ls -l "/proc/$BG_LAST/fd"
	refute_output --partial memfd
	printf ' on' >&7
	exec 7>&-
	wait "$BG_LAST"
	run -0 shm recv -O 3 -c 11 "$n"
	assert_output 'streamed on'
}

@test "recv: an offset or count past the end exits 1 with the numbers" {
	shm create -s 10 "$n"
	run -1 --separate-stderr ipc-shm recv -O 11 "$n"
	assert_equal "$stderr" "ipc-shm: recv /$n: offset 11 is past the end (size 10)"
	run -1 --separate-stderr ipc-shm recv -O 5 -c 6 "$n"
	assert_equal "$stderr" "ipc-shm: recv /$n: 6 bytes at offset 5 run past the end (size 10)"
	run -0 shm recv -O 10 "$n"
	assert_output ''
}

@test "recv to /dev/full reports it and exits 1" {
	shm create -s 4K "$n"
	run -1 --separate-stderr bash -c "timeout --preserve-status 20 ipc-shm recv '$n' >/dev/full"
	assert_equal "$stderr" "ipc-shm: recv /$n: stdout: No space left on device"
}

@test "a missing object is reported, exit 1" {
	run -1 --separate-stderr ipc-shm recv "$n"
	assert_equal "$stderr" "ipc-shm: recv /$n: No such file or directory"
	run -1 --separate-stderr ipc-shm send "$n" x
	assert_equal "$stderr" "ipc-shm: send /$n: No such file or directory"
	run -1 --separate-stderr ipc-shm stat "$n"
	assert_equal "$stderr" "ipc-shm: stat /$n: No such file or directory"
}

@test "bytes written by ipc-shm are read by Python's shared_memory, and back" {
	shm create -s 4K "$n"
	shm send -O 100 "$n" 'to python'
	run -0 py "$n" 'print(bytes(m.buf[100:109]).decode())'
	assert_output 'to python'
	py "$n" 'm.buf[0:11] = b"from python"'
	run -0 shm recv -c 11 "$n"
	assert_output 'from python'
}

@test "stat: size, allocated, mode, owner, and the holders that map it" {
	local peer
	shm create -m 0640 -s 8K "$n"
	bg python3 -c '
import sys, mmap, os
fd = os.open("/dev/shm/" + sys.argv[1], os.O_RDWR)
m = mmap.mmap(fd, 0)
os.close(fd)
open(sys.argv[2], "w").close()
import signal; signal.pause()' "$n" ready
	peer=$BG_LAST
	wait_for test -e ready
	run -0 --separate-stderr ipc-shm stat "$n"
	only_note stat orphan
	assert_line "name=/$n"
	assert_line size=8192
	assert_line allocated=8192
	assert_line mode=0640
	assert_line "owner=$(id -un)"
	assert_line orphan=no
	assert_line "holders=$peer(python3)"
	run -0 --separate-stderr ipc-shm stat -j -o name,size "$n"
	assert_output "{\"name\":\"/$n\",\"size\":8192}"
}

@test "ls lists shared memory but not semaphores" {
	shm create -s 4K "$n"
	: >"/dev/shm/sem.$n"
	run -0 --separate-stderr ipc-shm ls -H -o name,size
	rm -f "/dev/shm/sem.$n"
	only_note ls
	assert_line --regexp "^/$n +4096$"
	refute_line --partial "sem.$n"
}

@test "rm removes each; a missing one is an error unless -f, the others still go" {
	shm create -s 4K "$n"
	shm create -s 4K "$n-b"
	run -1 --separate-stderr ipc-shm rm "$n" missing-$n "$n-b"
	assert_equal "$stderr" "ipc-shm: rm /missing-$n: No such file or directory"
	[ ! -e "/dev/shm/$n" ] && [ ! -e "/dev/shm/$n-b" ]
	run -0 shm rm -f "$n"
}

@test "another user gets Permission denied" {
	need_nobody
	shm create -s 4K "$n"
	run -1 --separate-stderr as_nobody ipc-shm recv "$n"
	assert_equal "$stderr" "ipc-shm: recv /$n: Permission denied"
	run -1 --separate-stderr as_nobody ipc-shm send "$n" x
	assert_equal "$stderr" "ipc-shm: send /$n: Permission denied"
}

# --- System V ---

@test "-S: create private prints the id; ipcs sees the segment" {
	run -0 shm create -S -s 8K private
	echo "$output" >>"$ids"
	assert_regex "$output" '^[0-9]+$'
	run -0 bash -c "ipcs -m | awk '\$2 == $output { print \$4, \$5 }'"
	assert_output '600 8192'
}

@test "-S: create KEY, an existing one fails unless -x; ls -S lists it" {
	run -0 shm create -S -m 0640 -s 4K "$key"
	local id=$output
	run -1 --separate-stderr ipc-shm create -S -s 4K "$key"
	assert_equal "$stderr" "ipc-shm: create $key: File exists (-x: succeed if it already exists)"
	run -0 shm create -S -x -s 4K "$key"
	assert_output "$id"
	run -0 shm ls -S -H -o key,id,size,mode
	assert_line --regexp "^$(printf '0x%08x' "$key") +$id +4096 +0640$"
}

@test "-S: bytes written by ipc-shm are read through shmat, and back" {
	local id
	id=$(shm create -S -s 4K "$key")
	shm send -S -O 10 "$key" 'to the peer'
	run -0 shmpeer read "$id" 10 11
	assert_output 'to the peer'
	shmpeer write "$id" 0 'from peer'
	run -0 shm recv -S -c 9 "id:$id"
	assert_output 'from peer'
	printf piped | shm write -S "$key"
	run -0 shm read -S -c 5 "$key"
	assert_output piped
}

@test "-S: past the end is refused with the numbers, without -g" {
	shm create -S -s 4K "$key" >/dev/null
	run -1 --separate-stderr ipc-shm send -S -O 4094 "$key" abc
	assert_equal "$stderr" "ipc-shm: send $key: 3 bytes at offset 4094 run past the end (size 4096)"
	run -1 --separate-stderr ipc-shm recv -S -O 4097 "$key"
	assert_equal "$stderr" "ipc-shm: recv $key: offset 4097 is past the end (size 4096)"
}

@test "-S: stat shows size, nattch and pids; rm says who keeps it alive" {
	local id peer
	id=$(shm create -S -s 4K "$key")
	bg shmpeer hold "$id" ready
	peer=$BG_LAST
	wait_for test -e ready
	run -0 shm stat -S -o id,size,nattch,cpid "$key"
	assert_output "id=$id
size=4096
nattch=1
cpid=$(ipcs -m -p | awk -v i="$id" '$1 == i { print $3 }')"
	run -0 --separate-stderr ipc-shm rm -S "$key"
	assert_equal "$stderr" "ipc-shm: rm $key: marked for removal; 1 attached process keeps it until it detaches"
	run -0 bash -c "ipcs -m | awk '\$2 == $id { print \$6 }'"
	assert_output 1
}

@test "-S: ls and stat show a segment removed while still attached as dest" {
	local id
	id=$(shm create -S -s 4K "$key")
	run -0 shm stat -S -o status "$key"
	assert_output "status="
	bg shmpeer hold "$id" ready
	wait_for test -e ready
	shm rm -S "$key" 2>/dev/null
	run -0 --separate-stderr ipc-shm ls -S -H -o id,key,nattch,status
	assert_line --regexp "^ *$id 0x00000000 +1 dest\$"
	run -0 shm stat -S -o nattch,status "id:$id"
	assert_output "nattch=1
status=dest"
	run -0 bash -c "ipcs -m | awk '\$2 == $id { print \$7 }'"
	assert_output dest
}

@test "-S: a missing key, and another user's segment" {
	run -1 --separate-stderr ipc-shm recv -S "$key"
	assert_equal "$stderr" "ipc-shm: recv $key: No such file or directory"
	run -0 shm rm -S -f "$key"
	need_nobody
	shm create -S -s 4K "$key" >/dev/null
	run -1 --separate-stderr as_nobody ipc-shm recv -S "$key"
	assert_equal "$stderr" "ipc-shm: recv $key: Permission denied"
}

# --- files ---

@test "-F: create sizes and reserves a file, exact mode, no symlink followed" {
	umask 077
	run -0 shm create -F -m 0644 -s 8K f
	[ "$(stat -c '%s %a' f)" = "8192 644" ]
	ln -s f link
	mkfifo fifo
	for x in "" -x; do
		for o in link fifo; do
			run -1 --separate-stderr ipc-shm create -F $x -s 4K $o
			assert_equal "$stderr" "ipc-shm: create $o: exists and is not a regular file"
		done
	done
	[ "$(stat -c %s f)" -eq 8192 ]
	run -1 --separate-stderr ipc-shm create -F -s 4K f
	assert_equal "$stderr" "ipc-shm: create f: File exists (-x: succeed if it already exists)"
	run -1 --separate-stderr ipc-shm create -F -x -s 4K f
	assert_equal "$stderr" "ipc-shm: create f: exists with size 8192, not 4096"
	run -0 ipc-shm create -F -x -s 8K f
	[ "$(stat -c %s f)" -eq 8192 ]
	run -1 --separate-stderr ipc-shm create -F -s 4K nodir/f
	assert_equal "$stderr" "ipc-shm: create nodir/f: No such file or directory"
}

@test "-F: send, recv, -g, and the range checked first" {
	shm create -F -s 8 f
	shm send -F f abcdefgh
	run -1 --separate-stderr ipc-shm send -F -O 7 f xy
	assert_equal "$stderr" "ipc-shm: send f: 2 bytes at offset 7 run past the end (size 8; -g grows it)"
	run -0 shm recv -F f
	assert_output abcdefgh
	shm send -F -g -O 7 f xy
	run -0 shm recv -F -O 6 f
	assert_output gxy
	head -c 3000000 /dev/urandom >data
	shm send -F -g big <data 2>/dev/null && false
	shm create -F -s 1 big
	cat data | shm send -F -g big
	shm recv -F big | cmp - data
}

@test "-F: stat shows holders; rm removes regular files only" {
	shm create -F -s 4K f
	bg bash -c 'exec 3<f; : >ready; exec sleep 30'
	wait_for test -e ready
	run -0 --separate-stderr ipc-shm stat -F -o path,size,holders f
	only_note stat
	assert_output "path=f
size=4096
holders=$BG_LAST(sleep)"
	mkdir d
	run -1 --separate-stderr ipc-shm rm -F d
	assert_equal "$stderr" "ipc-shm: rm d: not a regular file"
	run -0 shm rm -F f
	[ ! -e f ]
	run -1 --separate-stderr ipc-shm recv -F f
	assert_equal "$stderr" "ipc-shm: recv f: No such file or directory"
}

@test "-F: a file truncated by another process is read at its new size" {
	shm create -F -s 4K f
	truncate -s 0 f
	run -1 --separate-stderr ipc-shm recv -F -c 4096 f
	assert_equal "$stderr" "ipc-shm: recv f: 4096 bytes at offset 0 run past the end (size 0)"
}

# --- paths: no symlink followed, no FIFO opened, no other kind's name ---

# a shared directory that is not sticky (as ${1:-0777} says), with a file
# of root's, and a symlink to it another user planted where a verb
# expects a file
plant() {
	need_nobody
	shared=$(mktemp -d)
	chmod "${1:-0777}" "$shared"
	printf 'root data\n' >"$shared/owned"
	as_nobody ln -s "$shared/owned" "$shared/x"
}

# every -F verb that opens an existing file, on $1: refused, exit 1
refuses_all() {
	local v why=$2
	for v in "send -F" "send -F -g" "write -F -g -O 100"; do
		run -1 --separate-stderr ipc-shm $v "$1" overwritten
		assert_equal "$stderr" "ipc-shm: ${v%% *} $1: $why"
		run -1 --separate-stderr bash -c "echo piped | timeout 10 ipc-shm $v '$1'"
		assert_equal "$stderr" "ipc-shm: ${v%% *} $1: $why"
	done
	for v in "recv -F" "recv -F -c 1" "stat -F"; do
		run -1 --separate-stderr timeout 10 ipc-shm $v "$1"
		assert_equal "$stderr" "ipc-shm: ${v%% *} $1: $why"
		assert_output ""
	done
}

@test "-F: a symlink another user planted is never followed, whatever fs.protected_symlinks says" {
	local ps mode
	need_root "sets fs.protected_symlinks"
	ps_saved=$(cat /proc/sys/fs/protected_symlinks)
	for mode in 0777 1777; do
		plant $mode
		for ps in 0 1; do
			echo $ps >/proc/sys/fs/protected_symlinks
			refuses_all "$shared/x" "is a symbolic link"
		done
		[ "$(cat "$shared/owned")" = "root data" ]
		rm -rf "$shared"
	done
}

@test "-F: a FIFO is refused without blocking, and a writer waiting to open it stays waiting" {
	mkfifo fifo
	bg env --default-signal=PIPE dd of=fifo status=none
	wait_for waits_for_peer "$BG_LAST" dd fifo
	refuses_all fifo "is a FIFO, not a regular file"
	waits_for_peer "$BG_LAST" dd fifo
	mkdir dir
	run -1 --separate-stderr ipc-shm recv -F dir
	assert_equal "$stderr" "ipc-shm: recv dir: is a directory, not a regular file"
}

@test "a symlink or a FIFO in /dev/shm is refused by every verb, nothing opened" {
	[ -w /dev/shm ] || skip "/dev/shm is not writable"
	mkfifo "/dev/shm/$n"
	run -1 --separate-stderr timeout 10 ipc-shm recv "$n"
	assert_equal "$stderr" "ipc-shm: recv /$n: is a FIFO, not a regular file"
	run -1 --separate-stderr timeout 10 ipc-shm send "$n" x
	assert_equal "$stderr" "ipc-shm: send /$n: is a FIFO, not a regular file"
	rm "/dev/shm/$n"
	printf 'root data\n' >owned
	ln -s "$PWD/owned" "/dev/shm/$n"
	run -1 --separate-stderr ipc-shm send "$n" x
	assert_equal "$stderr" "ipc-shm: send /$n: is a symbolic link"
	[ "$(cat owned)" = "root data" ]
}

@test "every verb refuses a name beginning with sem.: it is a semaphore's (exit 2)" {
	local v why
	ipc-sem create -i 3 "$n"
	why="'sem.$n': a name beginning with sem. is a POSIX semaphore's (ipc-sem), not shared memory"
	for v in "create -s 4K" "create -x -s 32" send write recv read stat rm "rm -f"; do
		run -2 --separate-stderr ipc-shm $v "sem.$n"
		assert_equal "$(head -n1 <<<"$stderr")" "ipc-shm: ${v%% *}: $why"
		assert_equal "$(sed -n 2p <<<"$stderr")" "$(usage_line "${v%% *}")"
	done
	run -2 --separate-stderr ipc-shm send "/sem.$n" xxxxxxxx
	assert_equal "$(head -n1 <<<"$stderr")" "ipc-shm: send: '/sem.$n': a name beginning with sem. is a POSIX semaphore's (ipc-sem), not shared memory"
	run -2 bash -c "echo xxxxxxxx | ipc-shm send -O 1 sem.$n"
	run -0 ipc-sem stat -o value "$n"
	assert_output value=3
	run -2 ipc-shm create -s 4K sem.other$n
	[ ! -e "/dev/shm/sem.other$n" ]
}

# --- a sparse object on a nearly full tmpfs ---

# $2 (sh) run in a mount namespace of its own, with a 4 MiB tmpfs on
# /dev/shm holding a 2 MiB file, and $1 there as a 3 MiB object Python's
# shared_memory made (sized with ftruncate: nothing allocated); $n and
# the test's directory as they are. What it prints comes back.
nearly_full() {
	unshare -m sh -c '
	mount -t tmpfs -o size=4M none /dev/shm || exit 99
	head -c 2M /dev/zero >/dev/shm/filler
	timeout 20 python3 -c "
import sys
from multiprocessing import shared_memory, resource_tracker
m = shared_memory.SharedMemory(sys.argv[1], create=True, size=3 << 20)
resource_tracker.unregister(m._name, \"shared_memory\")
m.close()" "$1" || exit 98
	truncate -s 3M /dev/shm/file
	eval "$2"' sh "$@"
}

@test "send into a sparse object on a nearly full tmpfs writes nothing when it cannot fit, and says so" {
	need_root "mounts a small tmpfs in a mount namespace of its own"
	need_unshare -m -- mount -t tmpfs -o size=4M none /dev/shm
	head -c 3M /dev/urandom >data
	# a file on stdin, operands, and -F: reserved before the first byte
	run -0 --separate-stderr nearly_full "$n" '
	    ipc-shm send "$1" <data; echo "stdin $? $(stat -c %b /dev/shm/$1)"
	    ipc-shm send -F /dev/shm/file <data; echo "file $? $(stat -c %b /dev/shm/file)"
	    head -c 100000 data >part
	    ipc-shm send -O 2M "$1" "$(cat part)"; echo "fits $? $(stat -c %b /dev/shm/$1)"'
	assert_output "stdin 1 0
file 1 0
fits 0 200"
	assert_equal "${stderr_lines[0]}" "ipc-shm: send /$n: No space left on device (3145728 bytes wanted, 2097152 free): nothing written"
	assert_equal "${stderr_lines[1]}" "ipc-shm: send /dev/shm/file: No space left on device (3145728 bytes wanted, 2097152 free): nothing written"
	# a pipe's length is known only at its end: what went is counted
	run -0 --separate-stderr nearly_full "$n" '
	    cat data | ipc-shm send "$1"; echo "pipe $? $(stat -c %b /dev/shm/$1)"'
	assert_output "pipe 1 4096"
	assert_equal "$stderr" "ipc-shm: send /$n: 2097152 bytes written at offset 0, then: No space left on device"
}

@test "create, send -g past ulimit -f: EFBIG with the sizes, exit 1, not death by SIGXFSZ" {
	run -1 --separate-stderr timeout 20 bash -c \
	    'ulimit -f 1024; exec ipc-shm create -s 2M "$1"' sh "$n"
	assert_equal "$stderr" "ipc-shm: create /$n: File too large (2097152 bytes > RLIMIT_FSIZE 1048576, ulimit -f)"
	run -1 ipc-shm stat "$n"
	run -0 ipc-shm create -s 4K "$n"
	run -1 --separate-stderr timeout 20 bash -c \
	    'ulimit -f 1024; exec ipc-shm send -g -O 2M "$1" x' sh "$n"
	assert_equal "$stderr" "ipc-shm: send /$n: File too large (2097153 bytes > RLIMIT_FSIZE 1048576, ulimit -f)"
	run -0 ipc-shm stat -o size "$n"
	assert_output size=4096
}

@test "send: QUIT, USR1 or ALRM while it waits for stdin end it by that signal; the object keeps its size and nothing is left beside it" {
	env --default-signal=QUIT true 2>/dev/null ||
	    skip "env has no --default-signal (coreutils < 8.31)"
	ipc-shm create -s 8 "$n"
	mkfifo in
	# its own: the object's name and any hidden file (other files here
	# are other tests', run beside this one)
	before=$(ls -A /dev/shm | grep -e "$n" -e '^\.' | sort)
	for sig in QUIT USR1 ALRM; do
		# a background job starts with SIGQUIT ignored: give it back
		bg sh -c 'exec env --default-signal=QUIT ipc-shm send "$1" < in' \
		    sh "$n"
		exec 5> in
		printf ab >&5
		wait_for waits_for_data "$BG_LAST" ipc-shm in
		ends_by "$BG_LAST" "$sig"
		exec 5>&-
		run -0 ipc-shm stat -o size "$n"
		assert_output 'size=8'
	done
	assert_equal "$(ls -A /dev/shm | grep -e "$n" -e '^\.' | sort)" "$before"
	ipc-shm rm "$n"
}
