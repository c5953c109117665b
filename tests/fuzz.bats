#!/usr/bin/env bats
# Every fuzz target's corpus (tests/fuzz/TARGET/: the seeds, and each
# input that once crashed it) replayed through the target, built with
# the C compiler of the build and no libFuzzer: what the fuzzer found
# stays fixed. make fuzz looks for more (tests/fuzz/README.md).

load helpers

replay() {
	local t=$1
	run --separate-stderr "$ROOT/${IPC_OBJ:-obj}/fuzz-$t" \
	    "$ROOT/tests/fuzz/$t"
	assert_success
	assert_output ""
	[[ $stderr =~ ^[1-9][0-9]*\ inputs$ ]]
}

@test "fuzz corpus: num (numbers, sizes, durations, modes)" { replay num; }
@test "fuzz corpus: name (POSIX names, System V keys)" { replay name; }
@test "fuzz corpus: addr (socket addresses)" { replay addr; }
@test "fuzz corpus: sig (signal names and lists)" { replay sig; }
@test "fuzz corpus: table (-o field lists, cells in text and JSON)" { replay table; }
@test "fuzz corpus: msgin (whole stdin, -l and -0 records)" { replay msgin; }
@test "fuzz corpus: batch (framed records, batch_put and batch_stream)" { replay batch; }
@test "fuzz corpus: sysv (/proc/sysvipc lines)" { replay sysv; }
@test "fuzz corpus: proc (/proc fdinfo, maps and syscall lines)" { replay proc; }
@test "fuzz corpus: udiag (unix_diag datagrams)" { replay udiag; }
@test "fuzz corpus: pid (pids by value, operands and pid files)" { replay pid; }
@test "fuzz corpus: blocked (a blocked thread's syscall, epoll, maps, locks and sched text)" { replay blocked; }

@test "fuzz corpus: every target has a test here, and a corpus" {
	local f t
	for f in "$ROOT"/tests/fuzz/*.c; do
		t=${f##*/}
		t=${t%.c}
		[ "$t" = harness ] || [ "$t" = replay ] && continue
		grep -q "replay $t; }" "$BATS_TEST_FILENAME"
		[ -n "$(ls -A "$ROOT/tests/fuzz/$t")" ]
	done
}
