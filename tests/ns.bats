#!/usr/bin/env bats
# --ns PID: the verb runs in PID's IPC, network and mount namespaces. A
# "container" here is unshare(1) --ipc --net --mount; the objects are
# made inside it and looked at from outside.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR" || return
	n=n$$-$BATS_TEST_NUMBER
	key=$(printf '0x%x' $((0x6e730000 + ($$ % 256) * 256 + BATS_TEST_NUMBER)))
}

teardown() {
	teardown_bg
	ipc-shm rm -f "$n" 2>/dev/null
	return 0
}

# a process in namespaces of its own, after running $1 there; its pid in ns
container() {
	need_root "enters namespaces (unshare, setns)"
	need_unshare --ipc --net --mount
	bg unshare --ipc --net --mount --fork sh -c "$1"'
	    echo $$ > ns.pid; exec sleep 30' </dev/null >/dev/null 2>&1
	wait_for test -s ns.pid
	ns=$(cat ns.pid)
	wait_comm "$ns" sleep
}

@test "--ns: a container's POSIX and System V queues, not the host's" {
	container "ipc-mq create $n; ipc-mq create -S $key;"
	fs=$(stat -f -c %T /dev/mqueue)
	run --separate-stderr ipc-mq --ns "$ns" ls -H -o name
	assert_success
	assert_output "/$n"
	run --separate-stderr ipc-mq ls --ns "$ns" -S -H -o key
	assert_success
	assert_output "$key"
	run --separate-stderr ipc-mq stat --ns "$ns" "$n" -o name
	assert_output "name=/$n"
	run --separate-stderr ipc-mq stat "$n"
	assert_failure 1
	run --separate-stderr ipc-mq stat -S "$key"
	assert_failure 1
	# the host's mount of /dev/mqueue is as it was (or its lack of one:
	# the container's queues are listed through a mount of its own)
	assert_equal "$(stat -f -c %T /dev/mqueue)" "$fs"
	if mqueue_mounted; then
		# the host may have no queue at all: an empty list is no line
		run --separate-stderr ipc-mq ls -H -o name
		assert_success
		run ! grep -qx -- "/$n" <<<"$output"
	fi
}

@test "--ns: System V sets and segments, and sockets, of the container" {
	container "ipc-sem create -S $key; ipc-shm create -S -s 4k $key;
	    ipc-sock listen @$n & while ! ipc-sock stat -t 1 --wait @$n \
	    >/dev/null 2>&1; do :; done;"
	run --separate-stderr ipc-sem ls --ns "$ns" -S -H -o key
	assert_output "$key"
	run --separate-stderr ipc-shm ls --ns "$ns" -S -H -o key
	assert_output "$key"
	run --separate-stderr ipc-sock stat --ns "$ns" @"$n" -o state
	assert_success
	assert_output "state=listen"
	run --separate-stderr ipc-sock stat @"$n"
	assert_failure 1
}

@test "--ns: verbs that make and take act in the container" {
	container ""
	ipc-mq --ns "$ns" create "$n"
	ipc-mq send --ns "$ns" "$n" hello
	run --separate-stderr ipc-mq stat "$n"
	assert_failure 1
	run --separate-stderr ipc-mq recv --ns "$ns" -t 5s "$n"
	assert_success
	assert_output hello
}

@test "--ns: no such process, and not permitted, exit 1 naming it" {
	run --separate-stderr ipc-mq ls --ns 2147483647
	assert_failure 1
	assert_equal "$stderr" "ipc-mq: --ns 2147483647: No such process"
	need_nobody
	bg sleep 30
	run --separate-stderr as_nobody ipc-sem --ns "$BG_LAST" ls
	assert_failure 1
	[[ $stderr == "ipc-sem: --ns $BG_LAST: "@(Permission denied|Operation not permitted) ]]
}

@test "--ns: malformed PIDs are usage errors" {
	for a in x 0 -1 00 +0 -0 -01 ' 5' 99999999999; do
		run --separate-stderr ipc-pipe ls --ns "$a"
		assert_failure 2
		run --separate-stderr ipc-pipe --ns "$a" ls
		assert_failure 2
	done
	run --separate-stderr ipc-pipe --ns
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-pipe: option '--ns' needs an argument"
}

@test "--ns of one's own namespaces (--ns \$\$) is a quiet no-op, for root and any user" {
	run --separate-stderr ipc-mq --ns $$ ls -H -o name
	assert_success
	assert_equal "$stderr" ''
	run --separate-stderr ipc-mq ls -H -o name
	local here=$output
	run --separate-stderr ipc-mq ls --ns "0$$" -H -o name
	assert_success
	assert_equal "$stderr" ''
	assert_equal "$output" "$here"
	need_nobody
	run --separate-stderr as_nobody sh -c 'exec ipc-sem --ns $$ ls -H -o name'
	assert_success
	assert_equal "$stderr" ''
}
