#!/usr/bin/env bats
# The suite itself on a machine it does not own: a test that needs a
# namespace, a mount or a capability the environment refuses skips,
# saying why; a test's bound follows its work's progress, not the wall
# clock, so a busy machine makes it slow, never failed.

load helpers

setup() {
	cd "$BATS_TEST_TMPDIR" || return
}

teardown() {
	teardown_bg
	return 0
}

# --- what the environment refuses ------------------------------------------

# the tests that make a namespace, mount in one or drop a capability, by
# a part of their names (bats -f takes a regular expression)
NS_TESTS='ls with no process holding a pipe lists none|create: raising msg_max|create: queues_max and msgmni|-S create private: an id that cannot|ls: with /dev/mqueue not mounted|a process root may not read without CAP_SYS_PTRACE|under a /proc mounted hidepid=2|sockets in another network namespace|another pid namespace.s\) is not known|on a nearly full tmpfs writes nothing|--ns: a container|--ns: System V sets and segments|--ns: verbs that make and take'

@test "where unshare and setpriv's capabilities are refused (a build chroot), every test that needs them skips, saying why" {
	need_root "the tests it runs need root before they need a namespace"
	mkdir fake
	# as util-linux's say it in a chroot, where / cannot be made private
	printf '%s\n' '#!/bin/sh' \
	    'echo "unshare: cannot change root filesystem propagation: Invalid argument" >&2' \
	    'exit 1' >fake/unshare
	printf '%s\n' '#!/bin/sh' 'case "$*" in *--bounding-set*)' \
	    '	echo "setpriv: setpcap failed: Operation not permitted" >&2' \
	    '	exit 127 ;; esac' "exec $(command -v setpriv) \"\$@\"" >fake/setpriv
	chmod +x fake/unshare fake/setpriv
	run -0 --separate-stderr env PATH="$PWD/fake:$PATH" timeout 300 \
	    bats --tap -f "$NS_TESTS" "$ROOT"/tests/ipc-pipe.bats \
	    "$ROOT"/tests/ipc-mq.bats "$ROOT"/tests/ipc-proc.bats \
	    "$ROOT"/tests/ipc-shm.bats "$ROOT"/tests/ns.bats
	assert_line --index 0 1..13
	refute_line --partial 'not ok'
	refused="refused here: unshare: cannot change root filesystem propagation: Invalid argument"
	assert_line --regexp "^ok [0-9]+ ls with no process holding a pipe lists none .* # skip needs unshare -p -f --mount-proc, $refused\$"
	assert_line --regexp "^ok [0-9]+ why: .* # skip needs unshare -p -f --mount-proc, $refused\$"
	assert_line --regexp "^ok [0-9]+ create: raising msg_max .* # skip needs unshare -i, $refused\$"
	assert_line --regexp "^ok [0-9]+ ls: with /dev/mqueue not mounted, says how to mount it # skip needs unshare -m sh -c ! mountpoint -q /dev/mqueue \\|\\| umount /dev/mqueue, $refused\$"
	assert_line --regexp "^ok [0-9]+ stat: sockets in another network namespace .* # skip needs unshare -n, $refused\$"
	assert_line --regexp "^ok [0-9]+ stat: as another user under a /proc mounted hidepid=2.* # skip needs unshare -m mount -t proc -o hidepid=2 proc /proc, $refused\$"
	assert_line --regexp "^ok [0-9]+ send into a sparse object on a nearly full tmpfs .* # skip needs unshare -m mount -t tmpfs -o size=4M none /dev/shm, $refused\$"
	assert_line --regexp "^ok [0-9]+ stat: a process root may not read without CAP_SYS_PTRACE.* # skip needs setpriv --bounding-set=-sys_ptrace, refused here: setpriv: setpcap failed: Operation not permitted\$"
	run -0 grep -c " # skip needs [a-z]* .*, refused here: " <<<"$output"
	assert_output 13
}

# --- bounds that follow progress -------------------------------------------

# writes $2 lines to out every $1 seconds, $3 times, then stops
producer() {
	local i
	for ((i = 0; i < $3; i++)); do
		sleep "$1"
		printf 'x\n%.0s' $(seq "$2") >>out
	done
}

@test "progress_until: a slow count that never stalls is waited for past its bound, one that passes its target is reached" {
	: >out
	bg producer 0.3 1 10
	SECONDS=0
	run -0 --separate-stderr progress_until 2 "lines_in out" 10
	# the whole took longer than the bound: only a stall would fail it
	[ "$SECONDS" -ge 3 ]
	[ -z "$stderr" ]
	# 0, 2, 4, 6: never 5, but at least 5
	: >out
	bg producer 0.2 2 3
	run -0 --separate-stderr progress_until 2 "lines_in out" 5
	[ "$(lines_in out)" -eq 6 ]
}

@test "progress_until and progress_run: a count that stops fails once it has stayed BOUND s, naming the measure" {
	: >out
	bg producer 0.1 1 3
	wait_bg
	run -1 --separate-stderr progress_until 1 "lines_in out" 10
	assert_equal "$stderr" "progress: lines_in out stayed at 3 for 1s"
	# a command that stalls is killed (143), whatever it was doing
	run -143 --separate-stderr progress_run 1 "lines_in out" sleep 60
	assert_equal "${stderr_lines[0]}" "progress: lines_in out stayed at 3 for 1s"
	assert_equal "${stderr_lines[1]}" "progress_run: sleep 60 stopped"
}
