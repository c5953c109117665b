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

# the tests that make a namespace or mount in one, by a part of their
# names (bats -f takes a regular expression): ipc-pipe's, which a build
# chroot failed, and ns.bats' containers
NS_TESTS='ls with no process holding a pipe lists none|--ns: a container|--ns: System V sets and segments|--ns: verbs that make and take'

@test "where unshare is refused (a build chroot), a test that needs it skips, saying why" {
	need_root "the tests it runs need root before they need a namespace"
	mkdir fake
	# as util-linux's says it in a chroot, where / cannot be made private
	printf '%s\n' '#!/bin/sh' \
	    'echo "unshare: cannot change root filesystem propagation: Invalid argument" >&2' \
	    'exit 1' >fake/unshare
	chmod +x fake/unshare
	run -0 --separate-stderr env PATH="$PWD/fake:$PATH" timeout 300 \
	    bats --tap -f "$NS_TESTS" "$ROOT"/tests/ipc-pipe.bats \
	    "$ROOT"/tests/ns.bats
	assert_line --index 0 1..4
	refused="refused here: unshare: cannot change root filesystem propagation: Invalid argument"
	assert_line --regexp "^ok [0-9]+ ls with no process holding a pipe lists none .* # skip needs unshare -p -f --mount-proc, $refused\$"
	run -0 grep -c " # skip needs unshare --ipc --net --mount, $refused\$" <<<"$output"
	assert_output 3
}

@test "every test that runs unshare asks need_unshare first, itself or through its file's helper" {
	# a test's lines from @test to its closing brace: one that runs
	# unshare(1) and never asks is named
	run -0 awk '
	    /^@test / { name = $0; asks = 0; next }
	    /^}/ { name = ""; next }
	    name != "" && /need_unshare|own_ipc_ns|^\tcontainer / { asks = 1 }
	    /^[ \t]*#|need_root/ { next }
	    name != "" && !asks && /(^|[^_a-z])unshare / {
		print FILENAME ": " name; name = "" }' $(ls "$ROOT"/tests/*.bats |
	    grep -v /suite.bats)
	assert_output ""
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
