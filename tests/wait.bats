#!/usr/bin/env bats
# stat --wait on every command: waits, bounded by -t, until the object
# exists (a socket: until it listens), then prints what stat prints; 124
# at the deadline, named. Made by a peer where there is one.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR" || return
	n=w$$-$BATS_TEST_NUMBER
	key=$(printf '0x%x' $((0x77610000 + ($$ % 256) * 256 + BATS_TEST_NUMBER)))
}

teardown() {
	teardown_bg
	ipc-mq rm -f "$n" 2>/dev/null
	ipc-shm rm -f "$n" 2>/dev/null
	ipc-sem rm -f "$n" 2>/dev/null
	ipc-mq rm -S -f "$key" 2>/dev/null
	ipc-shm rm -S -f "$key" 2>/dev/null
	ipc-sem rm -S -f "$key" 2>/dev/null
	return 0
}

# stat --wait of $2 by the command $1 (and options after), in the
# background, its output in out, its status in st once it ends. No -t:
# on a busy machine the test's steps before the object comes may take
# longer than any bound would give; done_ok bounds the wait once it
# has come, and teardown ends one that never does
waiting() {
	local cmd=$1 obj=$2
	shift 2
	bg sh -c '"$@" > out 2> err; echo $? > st' sh "$cmd" stat --wait \
	    "$@" "$obj"
}

# it is still waiting: no status yet, and asleep
still_waiting() {
	sleep 0.2
	[ ! -e st ]
}

# it ended 0, with nothing on stderr but, where the caller cannot see
# every process, the note that says holders may be partial
done_ok() {
	wait_for test -s st
	[ "$(cat st)" = 0 ]
	! grep -v 'may be partial$' err | grep -q .
}

@test "stat --wait -t: 124 at the deadline, naming what it waited for" {
	for c in "ipc-pipe f" "ipc-mq $n" "ipc-shm $n" "ipc-sem $n" "ipc-sock s"; do
		set -- $c
		run --separate-stderr "$1" stat --wait -t 50ms "$2"
		assert_failure 124
		[ -z "$output" ]
		case $1 in
		ipc-sock) what=listen obj=$2 ;;
		ipc-pipe) what=exist obj=$2 ;;
		*) what=exist obj=/$2 ;;
		esac
		assert_equal "$stderr" "$1: stat $obj: timed out waiting for it to $what"
	done
	for c in ipc-mq ipc-shm ipc-sem; do
		run --separate-stderr "$c" stat -S --wait -t 0 "$key"
		assert_failure 124
		assert_equal "$stderr" "$c: stat $key: timed out waiting for it to exist"
	done
}

@test "stat without --wait still fails at once on a missing object" {
	run --separate-stderr ipc-mq stat "$n"
	assert_failure 1
	run --separate-stderr ipc-pipe stat -t 5s f
	assert_failure 1
}

@test "ipc-pipe stat --wait: until the FIFO is made" {
	waiting ipc-pipe f -o kind,path
	still_waiting
	mkfifo f
	done_ok
	assert_equal "$(cat out)" $'kind=fifo\npath=f'
}

@test "ipc-mq stat --wait: until the queue exists; -S: the key" {
	waiting ipc-mq "$n" -o name
	still_waiting
	ipc-mq create "$n"
	done_ok
	assert_equal "$(cat out)" "name=/$n"
	rm -f st
	waiting ipc-mq "$key" -S -o key
	still_waiting
	ipc-mq create -S "$key"
	done_ok
	assert_equal "$(cat out)" "key=$key"
}

@test "ipc-shm stat --wait: POSIX, -S and -F" {
	waiting ipc-shm "$n" -o name,size
	still_waiting
	ipc-shm create -s 4k "$n"
	done_ok
	assert_equal "$(cat out)" $'name=/'"$n"$'\nsize=4096'
	rm -f st
	waiting ipc-shm "$key" -S -o key
	still_waiting
	ipc-shm create -S -s 4k "$key"
	done_ok
	assert_equal "$(cat out)" "key=$key"
	rm -f st
	waiting ipc-shm file -F -o size
	still_waiting
	printf abc > file
	done_ok
	assert_equal "$(cat out)" "size=3"
}

@test "ipc-sem stat --wait: POSIX and -S" {
	waiting ipc-sem "$n" -o name,value
	still_waiting
	ipc-sem create -i 3 "$n"
	done_ok
	assert_equal "$(cat out)" $'name=/'"$n"$'\nvalue=3'
	rm -f st
	waiting ipc-sem "$key" -S -o key
	still_waiting
	ipc-sem create -S "$key"
	done_ok
	assert_equal "$(cat out)" "key=$key"
}

@test "ipc-sock stat --wait: until it listens, not while the file is stale" {
	waiting ipc-sock s -o state
	still_waiting
	# a stale socket file: bound once, nobody listening now
	python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind("s")'
	still_waiting
	bg ipc-sock listen s
	done_ok
	assert_equal "$(cat out)" "state=listen"
	rm -f st
	waiting ipc-sock @"$n" -o state,name
	still_waiting
	bg ipc-sock listen @"$n"
	done_ok
	assert_equal "$(cat out)" $'state=listen\nname=@'"$n"
}
