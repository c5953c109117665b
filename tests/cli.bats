#!/usr/bin/env bats
# The conventions every command keeps: help, version, verbs, options,
# exit status, the parsers of numbers, durations, sizes, modes and names,
# JSON, and a checked stdout.

load helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	teardown_bg
}

@test "-h and --help print every verb's usage to stdout and exit 0" {
	for h in -h --help; do
		run --separate-stderr ipc-pipe "$h"
		assert_success
		assert_line --index 0 "usage: ipc-pipe VERB [OPTIONS] OBJECT [ARGS...]"
		assert_line "       ipc-pipe create [-m MODE] [-x [--any-owner]] PATH..."
		assert_line "       ipc-pipe send [-t DUR] [-l|-0] [--progress] PATH [MSG...]"
		assert_line "       ipc-pipe recv [-t DUR] [-c N|-f] [-0] [-e CMD [--kill] [--stop]] [--progress] PATH"
		assert_line "       ipc-pipe rm [-f] PATH..."
		assert_line "       ipc-pipe stat [-o LIST] [-j] [--wait [-t DUR]] PATH"
		assert_line "       ipc-pipe ls [-H] [-o LIST] [-j] [--pid PID] [DIR...]"
		assert_line "       ipc-pipe loop CMD1 CMD2"
		[ -z "$stderr" ]
	done
}

@test "-V and --version print the name and version" {
	run ipc-pipe -V
	assert_success
	assert_output "ipc-pipe 0.1.0"
	run ipc-pipe --version
	assert_output "ipc-pipe 0.1.0"
}

# every command built, by name
commands() {
	local c
	for c in "$ROOT/cmd"/ipc-*; do
		c=${c##*/}
		echo "${c%.c}"
	done
}

@test "every verb of every command answers -h: its option table is sound" {
	for c in $(commands); do
		for v in $("$c" -h | awk -v c="$c" 'NR > 1 && $1 == c && $2 !~ /^-/ { print $2 }'); do
			run --separate-stderr "$c" "$v" -h
			assert_success
			assert_line --index 0 --partial "usage: $c $v"
			[ -z "$stderr" ]
		done
	done
}

@test "an option table naming no shared option, or reusing a shared letter, fails loudly" {
	run --separate-stderr tests_unit badname
	assert_failure
	[ "$stderr" = "unit: badname: internal error: no shared option 'no-such'" ]
	run --separate-stderr tests_unit badletter
	assert_failure
	[ "$stderr" = "unit: badletter: internal error: its own option takes a shared one's letter or name: 'tries'" ]
}

@test "-V and -h take no operands: exit 2" {
	for c in $(commands); do
		for o in -V --version -h --help; do
			run --separate-stderr "$c" "$o" extra
			assert_failure 2
			[ -z "$output" ]
			[ "${stderr_lines[0]}" = "$c: $o takes no operands" ]
		done
	done
}

@test "VERB -h prints that verb's usage and options, exit 0" {
	run --separate-stderr ipc-pipe send -h
	assert_success
	assert_line --index 0 "usage: ipc-pipe send [-t DUR] [-l|-0] [--progress] PATH [MSG...]"
	assert_line --partial "-t, --timeout DUR"
	assert_line --partial "-l, --lines"
	assert_line --partial "-0, --null"
	refute_line --partial "--count"
	run ipc-pipe recv --help
	assert_success
	assert_line --partial "-c, --count N"
}

@test "no verb is a usage error: exit 2, message and usage on stderr" {
	run --separate-stderr ipc-pipe
	assert_failure 2
	[ -z "$output" ]
	[ "${stderr_lines[0]}" = "ipc-pipe: missing verb" ]
	[ "${stderr_lines[1]}" = "usage: ipc-pipe VERB [OPTIONS] OBJECT [ARGS...] (see 'ipc-pipe --help')" ]
}

@test "an unknown verb exits 2; verbs match exactly, never by prefix" {
	run ipc-pipe frobnicate x
	assert_failure 2
	assert_line --index 0 "ipc-pipe: unknown verb 'frobnicate'"
	run ipc-pipe re x
	assert_failure 2
	assert_line --index 0 "ipc-pipe: unknown verb 're' (did you mean 'recv'?)"
	run ipc-pipe RECV x
	assert_failure 2
	assert_line --index 0 "ipc-pipe: unknown verb 'RECV' (did you mean 'recv'?)"
	run ipc-pipe sned x
	assert_failure 2
	assert_line --index 0 "ipc-pipe: unknown verb 'sned' (did you mean 'send'?)"
}

@test "an unknown option exits 2 with the verb's usage" {
	run ipc-pipe send -z f
	assert_failure 2
	assert_line --index 0 "ipc-pipe: send: unknown option '-z'"
	assert_line --index 1 "usage: ipc-pipe send [-t DUR] [-l|-0] [--progress] PATH [MSG...]"
	run ipc-pipe send --frob f
	assert_failure 2
	assert_line --index 0 "ipc-pipe: send: unknown option '--frob'"
}

@test "an option of another verb is unknown here" {
	run ipc-pipe create -c 3 f
	assert_failure 2
	assert_line --index 0 "ipc-pipe: create: unknown option '-c'"
	[ ! -e f ]
}

@test "an option missing its argument exits 2" {
	run ipc-pipe recv f -t
	assert_failure 2
	assert_line --index 0 "ipc-pipe: recv: option '-t' needs an argument"
	run ipc-pipe recv f --timeout
	assert_failure 2
	assert_line --index 0 "ipc-pipe: recv: option '-t' needs an argument"
}

@test "a missing operand exits 2 and names it" {
	run ipc-pipe send
	assert_failure 2
	assert_line --index 0 "ipc-pipe: send: missing PATH"
	assert_line --index 1 "usage: ipc-pipe send [-t DUR] [-l|-0] [--progress] PATH [MSG...]"
}

@test "options may follow operands, and -- ends them" {
	ipc-pipe create f
	run timeout -s KILL 5 ipc-pipe recv f -t 50ms
	assert_failure 124
	assert_output "ipc-pipe: recv f: timed out"
	bg sh -c 'exec ipc-pipe recv f > out'
	wait_for fifo_has_reader f
	run ipc-pipe send f -- -x --y
	assert_success
	wait "$BG_LAST"
	run cat out
	assert_output "$(printf -- '-x\n--y')"
}

@test "newlines are counted right at every alignment and length" {
	# runs of newlines longer than a vector lane counts to (252: four a
	# turn of 64 bytes, 63 turns), and every tail shorter than a turn
	{ seq 5000; head -c 5000 /dev/zero | tr '\0' '\n'; printf 'x\ny'; } >in
	want=
	for off in $(seq 0 64); do
		want+="$(tail -c +$((off + 1)) in | tr -cd '\n' | wc -c)"$'\n'
	done
	run tests_unit count <in
	assert_success
	assert_output "${want%$'\n'}"
	run tests_unit count </dev/null
	assert_output 0
}

@test "durations: 250ms, 1.5, 2s, 1m, 1h, 0" {
	run tests_unit dur 250ms
	assert_output 250000000
	run tests_unit dur 1.5
	assert_output 1500000000
	run tests_unit dur 2s
	assert_output 2000000000
	run tests_unit dur 1m
	assert_output 60000000000
	run tests_unit dur 1h
	assert_output 3600000000000
	run tests_unit dur 0
	assert_output 0
	run tests_unit dur 1.033359836
	assert_output 1033359836
	run tests_unit dur 1.5ms
	assert_output 1500000
	run tests_unit dur 2147483647
	assert_output 2147483647000000000
}

@test "durations that do not parse exit 2 naming the option" {
	for d in 5x 1. .5 1e3 "" " 1" 1s2 3000000000 2147483647.5 99999999999999999999 -1; do
		run ipc-pipe recv -t "$d" f
		assert_failure 2
		assert_line --index 0 "ipc-pipe: recv: -t: '$d' is not a duration (like 250ms, 1.5, 2s, 1m, 1h; at most 2147483647 seconds)"
	done
}

@test "-t 0 tries once and never blocks" {
	ipc-pipe create f
	run timeout -s KILL 5 ipc-pipe recv -t 0 f
	assert_failure 124
	assert_output "ipc-pipe: recv f: timed out"
	run timeout -s KILL 5 ipc-pipe send -t 0 f hi
	assert_failure 124
	assert_output "ipc-pipe: send f: timed out waiting for a reader"
}

@test "sizes: plain bytes and K, M, G, T suffixes" {
	run tests_unit size 4096
	assert_output 4096
	run tests_unit size 4K
	assert_output 4096
	run tests_unit size 1M
	assert_output 1048576
	run tests_unit size 2G
	assert_output 2147483648
	run tests_unit size 1KiB
	assert_output 1024
	run tests_unit size 3t
	assert_output 3298534883328
}

@test "sizes that do not parse or are out of range exit 2" {
	for s in 0 x 4Q 1.5K -1K "" 99999999999999999999 16777216T; do
		run tests_unit size -- "$s"
		assert_failure 2
		assert_line --index 0 "unit: size: SIZE: '$s' is not a size from 1 to 18446744073709551615 bytes (a number, optionally with K, M, G or T)"
	done
}

@test "counts: 0, junk, negatives and overflow exit 2; huge counts are fine" {
	ipc-pipe create f
	for c in 0 x -1 1.5 99999999999999999999 9223372036854775808; do
		run ipc-pipe recv -c "$c" -t 0 f
		assert_failure 2
		assert_line --index 0 "ipc-pipe: recv: -c: '$c' is not a whole number from 1 to 9223372036854775807"
	done
	run timeout -s KILL 5 ipc-pipe recv -c 9223372036854775807 -t 50ms f
	assert_failure 124
	assert_output "ipc-pipe: recv f: timed out"
}

@test "modes are octal, exact (the umask does not narrow them), at most 0777" {
	umask 077
	ipc-pipe create -m 0664 a
	ipc-pipe create -m 7 b
	ipc-pipe create --mode=750 c
	[ "$(stat -c %a a)" = 664 ]
	[ "$(stat -c %a b)" = 7 ]
	[ "$(stat -c %a c)" = 750 ]
	for m in 8 01000 rwx 0x1ff "" 0000000000600 -1 40000000777 20000000000; do
		run ipc-pipe create -m "$m" d
		assert_failure 2
		assert_line --index 0 "ipc-pipe: create: -m: '$m' is not an octal mode from 0 to 0777"
		[ ! -e d ]
	done
}

@test "POSIX names: with or without the slash; empty, inner slash, too long refused" {
	run tests_unit name jobs
	assert_output /jobs
	run tests_unit name /jobs
	assert_output /jobs
	run tests_unit name a/b
	assert_failure 2
	assert_line --index 0 "unit: name: 'a/b': a name may have only a leading slash"
	run tests_unit name ""
	assert_failure 2
	assert_line --index 0 "unit: name: empty name"
	run tests_unit name /
	assert_failure 2
	run tests_unit name "$(printf 'n%.0s' $(seq 255))"
	assert_success
	run tests_unit name "$(printf 'n%.0s' $(seq 256))"
	assert_failure 2
	assert_line --index 0 "unit: name: name too long (256 bytes > NAME_MAX 255)"
}

@test "System V keys: hex, decimal, PATH:PROJ, id:N, private" {
	run tests_unit key 0x1b2c
	assert_output "key 0x00001b2c 0"
	run tests_unit key 1234
	assert_output "key 0x000004d2 0"
	run tests_unit key id:7
	assert_output "id 0x00000000 7"
	run tests_unit key private
	assert_output "private 0x00000000 0"
	touch keyfile
	want=$(python3 -c 'import os,sys; s=os.stat(sys.argv[1]); print("0x%08x" % ((65 << 24) | ((s.st_dev & 0xff) << 16) | (s.st_ino & 0xffff)))' keyfile)
	run tests_unit key keyfile:65
	assert_output "key $want 0"
	run tests_unit key keyfile:A
	assert_output "key $want 0"
}

@test "System V keys that do not parse exit 2; a missing ftok file exits 1" {
	for k in 0 0x 0xfffffffff 12ab -5 "" id: id:x keyfile:0 keyfile:256; do
		touch keyfile
		run tests_unit key -- "$k"
		assert_failure 2
	done
	run tests_unit key 0
	assert_line --index 0 "unit: key: key 0 is IPC_PRIVATE: say 'private'"
	run tests_unit key nowhere:1
	assert_failure 1
	assert_output "unit: key nowhere:1: ftok nowhere: No such file or directory"
}

@test "-l and -0 exclude each other; so do -c and -f" {
	run ipc-pipe send -l -0 f
	assert_failure 2
	assert_line --index 0 "ipc-pipe: send: -l and -0 exclude each other"
	run ipc-pipe recv -c 1 -f f
	assert_failure 2
	assert_line --index 0 "ipc-pipe: recv: -c and -f exclude each other"
}

@test "-o with an unknown field exits 2 and lists the fields" {
	ipc-pipe create f
	run ipc-pipe stat -o bytes,nope f
	assert_failure 2
	assert_line --index 0 "ipc-pipe: stat: -o: unknown field 'nope' (fields: kind, inode, mode, owner, group, bytes, capacity, readers, writers, waiting_writers, waiting_readers, orphan, path, all)"
}

@test "-o with more fields than a table takes is refused, not cut short" {
	ipc-pipe create f
	run -0 --separate-stderr ipc-pipe stat -o "$(printf 'kind,%.0s' $(seq 31))kind" f
	[ "${#lines[@]}" -eq 32 ]
	run --separate-stderr ipc-pipe stat -o "$(printf 'kind,%.0s' $(seq 32))kind" f
	assert_failure 2
	[ -z "$output" ]
	[ "${stderr_lines[0]}" = "ipc-pipe: stat: -o: more than 32 fields" ]
}

@test "-j output is valid JSON (stat: an object, ls: an array)" {
	ipc-pipe create f g
	b=$(idle_fifo_bytes)
	run --separate-stderr sh -c 'ipc-pipe stat -j f | python3 -c "import json,sys; d=json.load(sys.stdin); print(type(d).__name__, d[\"kind\"], d[\"bytes\"])"'
	assert_output "dict fifo ${b:-None}"
	assert_equal "$stderr" "$(pipe_note stat orphan)"
	run --separate-stderr sh -c 'ipc-pipe ls -j . | python3 -c "import json,sys; d=json.load(sys.stdin); print(type(d).__name__, len(d))"'
	assert_output "list 2"
	assert_equal "$stderr" "$(pipe_note ls orphan)"
	run --separate-stderr sh -c 'mkdir e && ipc-pipe ls -j e | python3 -c "import json,sys; print(json.load(sys.stdin))"'
	assert_output "[]"
	assert_equal "$stderr" "$(pipe_note ls orphan)"
}

@test "a full disk on stdout is an error: exit 1, named" {
	ipc-pipe create f
	run --separate-stderr sh -c 'ipc-pipe stat f > /dev/full'
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "$(pipe_note stat orphan
	    echo "ipc-pipe: stat f: stdout: No space left on device")"
	run --separate-stderr sh -c 'ipc-pipe ls -o path . > /dev/full'
	assert_failure 1
	assert_equal "$stderr" "ipc-pipe: ls .: stdout: No space left on device"
	for o in -h --help -V --version; do
		for c in ipc-pipe ipc-mq ipc-sig; do
			run sh -c "$c $o > /dev/full"
			assert_failure 1
			assert_output "$c: $o: stdout: No space left on device"
		done
	done
	run sh -c 'ipc-pipe recv -h > /dev/full'
	assert_failure 1
	assert_output "ipc-pipe: recv: stdout: No space left on device"
}

@test "a full disk under recv's copy is an error: exit 1, named" {
	ipc-pipe create f
	bg sh -c 'echo hi > f'
	run sh -c 'timeout 10 ipc-pipe recv f > /dev/full'
	assert_failure 1
	assert_output "ipc-pipe: recv f: stdout: No space left on device"
}

@test "a reader of stdout that goes away ends the command quietly, as cat" {
	ipc-pipe create f
	bg sh -c 'exec yes > f'
	run bash -c 'set -o pipefail; timeout 10 ipc-pipe recv f 2>err | head -c 5 >/dev/null; echo $?; cat err'
	assert_output 141
}

@test "odd input neither crashes nor hangs: long, non-UTF-8 and empty paths" {
	run ipc-pipe create "$(printf 'x%.0s' $(seq 300))"
	assert_failure 1
	assert_output --partial "File name too long"
	run ipc-pipe create "$(printf '\377\376')"
	assert_success
	run ipc-pipe ls -H -o path .
	assert_output './\377\376'
	run ipc-pipe create ""
	assert_failure 2
	assert_line --index 0 "ipc-pipe: create: empty PATH"
	run ipc-pipe stat "$(printf 'd/%.0s' $(seq 3000))f"
	assert_failure 1
	assert_output --partial "File name too long"
}

@test "a closed stdout or stdin is an error, never taken by an object" {
	# valgrind opens files of its own, which take the closed numbers
	[ -z "${IPC_WRAP:-}" ] || skip "under valgrind, a closed descriptor is valgrind's"
	ipc-pipe create f
	bg sh -c 'echo hi > f'
	run sh -c 'timeout 10 ipc-pipe recv f >&-'
	assert_failure 1
	assert_output "ipc-pipe: recv f: stdout: Bad file descriptor"
	# nothing taken: the writer's line is there for the next reader
	run timeout 10 cat f
	assert_output hi
	run --separate-stderr sh -c 'ipc-pipe stat f >&-'
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "$(pipe_note stat orphan
	    echo "ipc-pipe: stat f: stdout: Bad file descriptor")"
	bg sh -c 'exec cat f > got'
	run sh -c 'timeout 10 ipc-pipe send f <&-'
	assert_failure 1
	assert_output "ipc-pipe: send f: stdin: Bad file descriptor"
	wait "$BG_LAST"
	[ ! -s got ]
}

@test "names with control bytes are escaped in errors: one line, no escape sequences" {
	run --separate-stderr ipc-pipe rm "$(printf 'a\nb\033[31m')"
	assert_failure 1
	[ "$stderr" = 'ipc-pipe: rm a\012b\033[31m: No such file or directory' ]
	run --separate-stderr ipc-mq stat "$(printf 'x\ny')"
	assert_failure 1
	[ "$stderr" = 'ipc-mq: stat /x\012y: No such file or directory' ]
	run --separate-stderr ipc-mq stat -S "$(printf '\033]0;hi\a')"
	assert_failure 2
	[ "${stderr_lines[0]}" = "ipc-mq: stat: '\\033]0;hi\\007' is not a key (0x1b2c, 1234, PATH:PROJ, id:N or private)" ]
	[ "${#stderr_lines[@]}" -eq 2 ]
}

@test "options follow operands even with POSIXLY_CORRECT set" {
	ipc-pipe create f
	run env POSIXLY_CORRECT=1 timeout -s KILL 5 ipc-pipe recv f -t 50ms
	assert_failure 124
	assert_output "ipc-pipe: recv f: timed out"
}

@test "a flag given an argument is named: takes no argument" {
	run ipc-pipe recv --follow=x f
	assert_failure 2
	assert_line --index 0 "ipc-pipe: recv: option '--follow' takes no argument"
}

@test "modes take leading zeros as chmod does; . and .. are not names" {
	run tests_unit mode 00600
	assert_output 0600
	run tests_unit name ..
	assert_failure 2
	assert_line --index 0 "unit: name: '..' is not a name"
	run tests_unit name /.
	assert_failure 2
}
