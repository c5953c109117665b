#!/usr/bin/env bats
# The library below the verbs takes its inputs as arguments: the parsed
# options (opt) are the verbs' to read, and lib/ gets what it needs from
# them as values (a table's format, what create and rm were asked, a
# deadline), so one run can ask twice with two answers.

load helpers

setup() {
	U=$ROOT/${IPC_OBJ:-obj}/unit
	key=$(sysv_key 0x69)	# i: inputs
	q=t$$-$BATS_TEST_NUMBER
}

teardown() {
	teardown_bg
	return 0
}

# the files of lib/ that take their inputs as arguments: none reads opt
ARGS_ONLY="table exists sysv posix path ns name fsize holders dir child
addr sock adopt pid sigset cleanup"

@test "lib: table, exists, sysv, posix, path, ns and the rest read no opt" {
	local f o found=
	for f in $ARGS_ONLY; do
		o=$ROOT/${IPC_OBJ:-obj}/$f.o
		[ -f "$o" ] || fail "no $o: build first"
		run -0 nm "$o"
		if printf '%s\n' "$output" | grep -qx ' *U opt'; then
			found="$found $f.o"
		fi
	done
	assert_equal "$found" ""
}

@test "table: two formats in one run, from table_init's argument, not from -o, -H, -j or --pid" {
	run -0 --separate-stderr "$U" table -o nosuch -H -j --pid 1
	assert_equal "$output" 'NAME SIZE
jobs 4096
[
{"size":4096}
]'
	assert_equal "$stderr" ""
}

@test "exists_wait: returns ETIMEDOUT at the deadline, and the verb words the 124" {
	run -124 --separate-stderr timeout 10 "$U" exists "$BATS_TEST_TMPDIR/none" 50ms
	assert_equal "$output" "-1 Connection timed out"
	assert_equal "$stderr" "unit: exists $BATS_TEST_TMPDIR/none: timed out waiting for it to exist"
	run -0 --separate-stderr timeout 10 "$U" exists "$BATS_TEST_TMPDIR" 0
	assert_equal "$output" "0 there"
	assert_equal "$stderr" ""
}

@test "rm: force is an argument: a missing queue, POSIX queue and FIFO are no error with it, and are without" {
	run -0 --separate-stderr "$U" rm "$key" "/$q" "$BATS_TEST_TMPDIR/$q"
	assert_equal "$output" "force 1: 0 failed
force 0: 3 failed"
	assert_equal "$stderr" "unit: rm $key: No such file or directory
unit: rm /$q: No such file or directory
unit: rm $BATS_TEST_TMPDIR/$q: No such file or directory"
}
