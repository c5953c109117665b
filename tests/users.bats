#!/usr/bin/env bats
# Other users: an unprivileged user (nobody, through setpriv) is refused
# root's 0600 objects with the kernel's own reason and exit 1, and
# leaves them as they were; in a directory anyone may write to, a
# symlink planted where root is about to make an object is never
# followed. What the per-command files test already (send and recv of
# queues, shared memory and semaphores, a FIFO's send, a signal's send,
# a socket's send and stat) is not repeated here.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR" || return
	need_root "acts as user nobody on root's objects (setpriv)"
	q=o$$-$BATS_TEST_NUMBER
	key=$(printf '0x%x' $((0x75730000 + ($$ % 256) * 256 + BATS_TEST_NUMBER)))
	# nobody reaches what is in here, and may write only to shared
	chmod 0755 "$BATS_TEST_TMPDIR"
	mkdir -m 1777 shared
}

teardown() {
	teardown_bg
	ipc-mq rm -f "$q" 2>/dev/null
	ipc-mq rm -S -f "$key" 2>/dev/null
	ipc-shm rm -f "$q" 2>/dev/null
	ipc-shm rm -S -f "$key" 2>/dev/null
	ipc-sem rm -f "$q" 2>/dev/null
	ipc-sem rm -S -f "$key" 2>/dev/null
	return 0
}

# CMD... as nobody: exit 1 and exactly the one line $1
refused() {
	local want=$1
	shift
	run --separate-stderr as_nobody "$@"
	[ "$status" -eq 1 ] && [ "$stderr" = "$want" ] && [ -z "$output" ] ||
	    { echo "$*: $status, $stderr" >&2; return 1; }
}

# a socket file named $1 bound (and listening, with $2 = l) by this
# test, as /proc/net/unix has it: its last part, bound through its directory
bound() { unix_bound "$@"; }

@test "a FIFO of root's in a shared sticky directory: reading or removing it is refused to nobody" {
	ipc-pipe create shared/p
	exec 7<>shared/p
	echo kept >&7
	refused "ipc-pipe: recv shared/p: Permission denied" \
	    ipc-pipe recv -t 1 shared/p
	refused "ipc-pipe: recv shared/p: Permission denied" \
	    ipc-pipe recv -t 1 -c 1 shared/p
	refused "ipc-pipe: rm shared/p: Operation not permitted" \
	    ipc-pipe rm shared/p
	[ -p shared/p ] && [ "$(stat -c %U:%a shared/p)" = root:600 ]
	run -0 timeout 5 ipc-pipe recv -t 1 -c 1 shared/p
	assert_output kept
	exec 7>&-
}

@test "queues: nobody cannot remove root's POSIX or System V queue, which keep their messages" {
	ipc-mq create "$q"
	ipc-mq send "$q" kept
	refused "ipc-mq: rm /$q: Permission denied" ipc-mq rm "$q"
	ipc-mq create -S "$key"
	ipc-mq send -S "$key" kept
	refused "ipc-mq: rm $key: Operation not permitted" ipc-mq rm -S "$key"
	refused "ipc-mq: rm $key: Operation not permitted" ipc-mq rm -S -f "$key"
	run -0 ipc-mq recv -t 0 "$q"
	assert_output kept
	run -0 ipc-mq recv -S -t 0 "$key"
	assert_output kept
}

@test "shared memory: nobody cannot write a System V segment or a file, nor remove any of them" {
	ipc-shm create -s 16 "$q"
	ipc-shm send "$q" kept
	refused "ipc-shm: rm /$q: Permission denied" ipc-shm rm "$q"
	ipc-shm create -S -s 16 "$key" >/dev/null
	ipc-shm send -S "$key" kept
	refused "ipc-shm: send $key: Permission denied" ipc-shm send -S "$key" x
	refused "ipc-shm: rm $key: Operation not permitted" ipc-shm rm -S "$key"
	ipc-shm create -F -s 16 shared/f
	ipc-shm send -F shared/f kept
	refused "ipc-shm: recv shared/f: Permission denied" ipc-shm recv -F shared/f
	refused "ipc-shm: send shared/f: Permission denied" ipc-shm send -F shared/f x
	refused "ipc-shm: rm shared/f: Operation not permitted" ipc-shm rm -F shared/f
	for o in "$q" "-S $key" "-F shared/f"; do
		run -0 ipc-shm recv -c 4 $o
		assert_output kept
	done
}

@test "stat as nobody of root's 0600 objects shows mode and owner, never the content or value" {
	ipc-sem create -i 5 "$q"
	ipc-sem create -S -i 5 "$key" >/dev/null
	run -0 as_nobody ipc-sem stat -o value,mode,owner "$q"
	assert_output "$(printf 'value=\nmode=0600\nowner=root')"
	run -0 as_nobody ipc-sem stat -S -o value,mode,owner "$key"
	assert_output "$(printf 'value=\nmode=0600\nowner=root')"
	[ "$(ipc-sem stat -o value "$q")" = value=5 ]
	ipc-sem rm "$q"
}

@test "sockets: nobody cannot connect or send to root's 0600 socket files, nor remove them" {
	bg timeout --preserve-status 20 ipc-sock recv -t 15 "shared/$q.s" >out
	wait_for bound "$q.s" l
	bg timeout --preserve-status 20 ipc-sock recv --type dgram -t 15 "shared/$q.d" >dout
	wait_for bound "$q.d"
	refused "ipc-sock: send shared/$q.s: Permission denied" ipc-sock send "shared/$q.s" x
	refused "ipc-sock: connect shared/$q.s: Permission denied" \
	    ipc-sock connect -t 1 "shared/$q.s"
	refused "ipc-sock: send shared/$q.d: Permission denied" \
	    ipc-sock send --type dgram "shared/$q.d" x
	run -1 as_nobody ipc-sock rm "shared/$q.s"
	[ -S "shared/$q.s" ]
	stale_sock "shared/$q.old"
	refused "ipc-sock: rm shared/$q.old: Operation not permitted" \
	    ipc-sock rm "shared/$q.old"
	[ -S "shared/$q.old" ]
	# root's own go through: nothing of nobody's came before them
	ipc-sock send "shared/$q.s" root
	ipc-sock send --type dgram "shared/$q.d" root
	wait_bg
	[ "$(cat out)" = root ] && [ "$(cat dout)" = root ]
}

# nobody plants, in directory $1, a symlink at each name root is about
# to make an object at, all pointing at root's file target
plant() {
	local n
	echo precious >target
	chmod 0644 target
	for n in p s d pid f; do
		as_nobody ln -s "$PWD/target" "$1/$n"
	done
}

# nothing followed: target as it was, each symlink still one or gone
untouched() {
	local n
	[ "$(cat target)" = precious ] &&
	    [ "$(stat -c %U:%a:%s target)" = root:644:9 ] || return 1
	for n in p s d pid f; do
		[ -L "$1/$n" ] || [ ! -e "$1/$n" ] || return 1
	done
}

@test "a symlink planted where root makes an object is never followed: sticky directory, or nobody's own" {
	mkdir -m 0755 theirs
	chown nobody theirs
	for d in shared theirs; do
		plant "$d"
		run -1 ipc-pipe create "$d/p"
		run -1 ipc-pipe create -x "$d/p"
		run -1 timeout --preserve-status 5 ipc-sock listen -1 "$d/s"
		assert_output "ipc-sock: listen $d/s: exists and is not a socket"
		run -1 timeout --preserve-status 5 ipc-sock recv -t 1 "$d/s"
		run -1 timeout --preserve-status 5 ipc-sock recv --type dgram -t 1 "$d/d"
		run -1 ipc-shm create -F -s 4K "$d/f"
		run -1 ipc-shm create -F -x -s 4K "$d/f"
		# the pid file goes in place of the link, never through it
		run -124 timeout --preserve-status 5 ipc-sig recv -t 0.1 -P "$d/pid" USR1
		untouched "$d"
	done
}
