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
		assert_line "       ipc-pipe ls [-H] [--notruncate] [-o LIST] [-j] [--pid PID] [DIR...]"
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

# --- help: every verb's -h describes that verb, and the verb takes what
# its -h shows ---

# the verbs of command $1
verbs_of() {
	"$1" -h | awk -v c="$1" 'NR > 1 && $1 == c && $2 !~ /^-/ { print $2 }'
}

# the options of `$1 $2 -h`, one "SHORT|LONG|ARG" a line (SHORT, ARG
# empty where there is none), -h and --ns left out
help_opts() {
	"$1" "$2" -h | sed -nE 's/^  (-(.), |    )--([^ ]+)( ([A-Z][A-Z0-9_]*))?.*/\2|\3|\5/p' |
	    grep -v -e '^h|help|' -e '^|ns|' || :	# a verb may have none
}

# the options of the usage line of `$1 $2 -h`, one "OPTION ARG<TAB>DEPS"
# a line: DEPS the options of the groups it is in ([-e CMD [--kill]]:
# --kill needs -e CMD), an alternative (|) starting a group anew
usage_opts() {
	"$1" "$2" -h | head -n 1 | awk '{
		s = $0
		sub(/^usage: [^ ]+ [^ ]+ ?/, "", s)
		gsub(/\[/, " [ ", s); gsub(/\]/, " ] ", s); gsub(/\|/, " | ", s)
		n = split(s, w, " ")
		d = 0
		for (i = 1; i <= n; i++) {
			if (w[i] == "[") { lead[++d] = ""; continue }
			if (w[i] == "]") { d--; continue }
			if (w[i] == "|") { lead[d] = ""; continue }
			if (w[i] !~ /^-./ || w[i] == "--")
				continue
			a = i < n && w[i + 1] ~ /^[A-Z]/ ? " " w[i + 1] : ""
			if (d > 0 && lead[d] == "")
				lead[d] = w[i] a
			deps = ""
			for (k = 1; k <= d; k++)
				if (lead[k] != "" && lead[k] != w[i] a)
					deps = deps " " lead[k]
			print w[i] a "\t" deps
		}
	}'
}

# a value a placeholder takes, for command $1 verb $2
value_of() {
	case $3 in
	DUR) echo 1s ;;
	N|MAX|BYTES|VALUE|PRIO|MAXMSG) echo 1 ;;
	OFFSET) echo 0 ;;
	SIZE) echo 4096 ;;
	MODE) echo 0600 ;;
	CMD) echo true ;;
	PID|PGID) echo $$ ;;
	SIGS) echo USR1 ;;
	PIDFILE) echo pf ;;
	NAME) echo n ;;
	FORMAT) echo text ;;
	TYPE) [ "$1" = ipc-sock ] && echo stream || echo 1 ;;
	LIST)	# the first field -o takes
		"$1" "$2" -o '?' 2>&1 | sed -nE '1s/.*\(fields: ([^,)]*).*/\1/p' ;;
	*) echo "value_of: no value for $3" >&2; return 1 ;;
	esac
}

# every option the -h of each verb of command $1 shows is taken by that
# verb: none is refused as unknown or as not for it
options_taken() {
	local c=$1 v s l a spell u o deps w line field bad=
	local -a args
	for v in $(verbs_of "$c"); do
		u=$(usage_opts "$c" "$v")
		field=
		"$c" "$v" -h | grep -q -- '^  -o, --output LIST' &&
		    field=$(value_of "$c" "$v" LIST)
		while IFS='|' read -r s l a; do
			# as the usage line spells it, with the groups it is in
			spell=--$l
			[ -z "$s" ] || spell=-$s
			deps=
			while IFS=$'\t' read -r o w; do
				[ "${o%% *}" != "$spell" ] || deps=$w
			done <<<"$u"
			args=()
			for w in $deps; do
				[[ $w == -* ]] && args+=("$w") ||
				    args+=("$(value_of "$c" "$v" "$w")")
			done
			args+=("$spell")
			case $a in
			'') ;;
			LIST) args+=("$field") ;;
			*) args+=("$(value_of "$c" "$v" "$a")") ;;
			esac
			line=$(timeout 20 "$c" "$v" "${args[@]}" 2>&1 >/dev/null </dev/null |
			    head -n 1)
			case $line in
			*"unknown option"*|*": $v $spell"[:\ ]*|*"$spell is for"*|\
			*"not with $v"*|*"needs an argument"*|*"takes no argument"*|\
			*": $spell: "*)
				bad+="$c $v ${args[*]}: $line"$'\n' ;;
			esac
		done < <(help_opts "$c" "$v")
	done
	[ -z "$bad" ] || { printf '%s' "$bad"; false; }
}

@test "help: every option ipc-pipe's verbs show in -h, they take" { options_taken ipc-pipe; }
@test "help: every option ipc-mq's verbs show in -h, they take" { options_taken ipc-mq; }
@test "help: every option ipc-shm's verbs show in -h, they take" { options_taken ipc-shm; }
@test "help: every option ipc-sock's verbs show in -h, they take" { options_taken ipc-sock; }
@test "help: every option ipc-sig's verbs show in -h, they take" { options_taken ipc-sig; }
@test "help: every option ipc-sem's verbs show in -h, they take" { options_taken ipc-sem; }
@test "help: every option ipc-proc's verbs show in -h, they take" { options_taken ipc-proc; }

@test "help: a verb's usage line and its option list name the same options, with the same placeholders" {
	local c v s l a o u h bad=
	for c in $(commands); do
		for v in $(verbs_of "$c"); do
			u=$(usage_opts "$c" "$v" | cut -f 1)
			h=$(help_opts "$c" "$v")
			# every option listed is in the usage line, as -s ARG or --long ARG
			while IFS='|' read -r s l a; do
				[ -n "$l" ] || continue
				grep -qxF -e "-$s${a:+ $a}" -e "--$l${a:+ $a}" <<<"$u" ||
				    bad+="$c $v: -h lists ${s:+-$s, }--$l${a:+ $a}, the usage line not so"$'\n'
			done <<<"$h"
			# every option of the usage line is listed, spelled as there
			while read -r o a; do
				[ -n "$o" ] || continue
				case $o in
				--*) grep -qE -- "^[^|]*\|${o#--}\|$a\$" <<<"$h" ;;
				*) grep -qE -- "^${o#-}\|[^|]*\|$a\$" <<<"$h" ;;
				esac ||
				    bad+="$c $v: the usage line has $o${a:+ $a}, -h not so"$'\n'
			done <<<"$u"
		done
	done
	[ -z "$bad" ] || { printf '%s' "$bad"; false; }
}

# words a command's help must never use, and why: "COMMANDS|REGEX|WHY"
wrong_words() {
	cat <<-'WORDS'
	ipc-sem ipc-shm ipc-sig ipc-proc|[Mm]essage|no messages there
	ipc-pipe ipc-sock ipc-sig ipc-proc|System V|no -S there
	ipc-pipe ipc-mq ipc-shm ipc-sem ipc-sig ipc-proc|[Ss]ocket|not a socket
	ipc-mq ipc-sem ipc-shm ipc-sig ipc-proc|end of input|nothing ends its input
	ipc-pipe ipc-mq ipc-sock ipc-sig ipc-proc|[Ss]emaphore|not a semaphore
	ipc-pipe ipc-mq ipc-shm ipc-sem|[Ss]ignal [A-Z]|no signal sent
	WORDS
}

@test "help: no verb's -h speaks of what its command does not have" {
	local c v cmds re why line bad=
	while IFS='|' read -r cmds re why; do
		for c in $cmds; do
			for v in $(verbs_of "$c"); do
				while IFS= read -r line; do
					bad+="$c $v -h ($why): $line"$'\n'
				done < <("$c" "$v" -h | tail -n +2 | grep -E -- "$re")
			done
		done
	done < <(wrong_words)
	# an ls takes no object; a stat's -t bounds only --wait
	for c in $(commands); do
		for v in $(verbs_of "$c"); do
			case $v in
			ls) re='OBJECT|NAME is|KEY is' ;;
			stat) re='^  -t, .*every blocking wait' ;;
			*) continue ;;
			esac
			while IFS= read -r line; do
				bad+="$c $v -h: $line"$'\n'
			done < <("$c" "$v" -h | tail -n +2 | grep -E -- "$re")
		done
	done
	[ -z "$bad" ] || { printf '%s' "$bad"; false; }
}

# a harmless operand for a placeholder: nothing there, nothing made
operand_of() {
	case $1 in
	SIG) echo 0 ;;
	NAME|KEY|NAME\|KEY|PATH) echo "none$$" ;;
	*) return 1 ;;
	esac
}

@test "help: an operand a verb says is missing is not shown optional" {
	local c v usage bare word op bad=
	local -a args
	for c in $(commands); do
		for v in $(verbs_of "$c"); do
			usage=$("$c" "$v" -h | head -n 1)
			# the usage line with every [...] taken out, innermost first
			bare=$usage
			while [[ $bare =~ \[[^][]*\] ]]; do
				bare=${bare/"${BASH_REMATCH[0]}"/}
			done
			args=()
			while :; do
				run --separate-stderr timeout 20 "$c" "$v" "${args[@]}" </dev/null
				[ "$status" -eq 2 ] || break
				[[ ${stderr_lines[0]} =~ ": missing "([A-Z][A-Z0-9|]*)$ ]] || break
				word=${BASH_REMATCH[1]}
				[[ " $bare " =~ [\ |]"$word"(\.\.\.)?[\ |] ]] ||
				    bad+="$c $v: says missing $word; usage: $usage"$'\n'
				# on to the next operand, where one is left out of
				# the usage line's brackets and this one is harmless
				[[ $usage == *"[$word"* || $bare == *"$word "*[A-Z]* ]] ||
				    [[ $usage =~ $word[^[]*\[[A-Z] ]] || break
				op=$(operand_of "$word") || break
				args+=("$op")
			done
		done
	done
	[ -z "$bad" ] || { printf '%s' "$bad"; false; }
}

@test "help: the command's -h names --ns, which every verb takes" {
	for c in $(commands); do
		run --separate-stderr "$c" -h
		assert_success
		assert_line "       $c --ns PID VERB ...   (the verb in PID's IPC, network and mount namespaces)"
		for v in $(verbs_of "$c"); do
			run --separate-stderr "$c" "$v" -h
			assert_line --regexp '^      --ns PID +in the IPC, network and mount namespaces of PID$'
		done
	done
}

# --- options renamed: the old spelling works for one release, with a
# warning; the new one is silent ---

@test "renamed: ipc-mq create -q is -M; -q works, with a warning, for a release" {
	local q=clirename$$
	run --separate-stderr ipc-mq create -q 3 "$q"
	assert_success
	assert_equal "$stderr" "ipc-mq: warning: -q is now -M; -q goes in the next release"
	run --separate-stderr ipc-mq stat -o maxmsg "$q"
	assert_output "maxmsg=3"
	ipc-mq rm "$q"
	run --separate-stderr ipc-mq create -M 4 "$q"
	assert_success
	assert_equal "$stderr" ""
	run --separate-stderr ipc-mq create --maxmsg 4 -x "$q"
	assert_success
	assert_equal "$stderr" ""
	run --separate-stderr ipc-mq stat -o maxmsg "$q"
	assert_output "maxmsg=4"
	ipc-mq rm "$q"
	# still refused where -M is: the old spelling is the same option
	run --separate-stderr ipc-mq create -S -q 3 private
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "ipc-mq: warning: -q is now -M; -q goes in the next release"
	assert_equal "${stderr_lines[1]}" "ipc-mq: create: -M is for POSIX queues, not with -S"
}

@test "renamed: ipc-mq --type is --msg-type; --type works, with a warning, for a release" {
	local id
	id=id:$(ipc-mq create -S private)
	run --separate-stderr ipc-mq send -S --type 5 "$id" five
	assert_success
	assert_equal "$stderr" "ipc-mq: warning: --type is now --msg-type; --type goes in the next release"
	run --separate-stderr ipc-mq send -S --msg-type 7 "$id" seven
	assert_success
	assert_equal "$stderr" ""
	run --separate-stderr ipc-mq peek -S --type 7 "$id"
	assert_success
	assert_output seven
	assert_equal "$stderr" "ipc-mq: warning: --type is now --msg-type; --type goes in the next release"
	run --separate-stderr ipc-mq recv -S --msg-type 5 -t 0 "$id"
	assert_success
	assert_output five
	assert_equal "$stderr" ""
	run --separate-stderr ipc-mq recv -S --type=7 -v -t 0 "$id"
	assert_success
	assert_output $'7\tseven'
	assert_equal "$stderr" "ipc-mq: warning: --type is now --msg-type; --type goes in the next release"
	ipc-mq rm -S "$id"
}

@test "renamed: -h shows only the new spellings; ipc-sig's -q and ipc-sock's --type stay" {
	run -0 ipc-mq create -h
	assert_line --index 0 "usage: ipc-mq create [-S] [-m MODE] [-x [--any-owner]] [-M MAXMSG] [-s SIZE] NAME|KEY"
	assert_line --regexp '^  -M, --maxmsg MAXMSG '
	refute_line --regexp '^  -q'
	for v in send recv peek; do
		run -0 ipc-mq "$v" -h
		assert_line --regexp '^  -T, --msg-type TYPE '
		refute_line --partial -- '--type'
	done
	run -0 ipc-sig send -h
	assert_line --regexp '^  -q, --queue VALUE '
	run -0 ipc-sock listen -h
	assert_line --regexp '^      --type TYPE '
}

# --- the option table of ipc-tools(7): every option of every command ---

# its rows from the mdoc source, "SHORT|LONG|COMMAND VERB" a line; with
# items, "SHORT|LONG|why" an item, why 1 where it says why it stays
man_opts() {
	awk -v items="${1:-0}" '
	/^\.Sh / { on = $0 == ".Sh OPTIONS OF EVERY COMMAND"; next }
	!on { next }
	/^\.It / {
		if (items && it) print s "|" l "|" why
		s = l = ""; why = 0; it = 1
		for (i = 3; i <= NF; i++)
			if ($(i - 1) == "Fl") {
				if ($i ~ /^-/) l = substr($i, 2); else s = $i
			}
		next
	}
	/^\.El/ { if (items && it) print s "|" l "|" why; it = 0; next }
	/^Why it stays/ { why = 1 }
	/^\.Cm ipc-/ && !items {
		line = substr($0, 5)
		sub(/ :$/, "", line)
		n = split(line, p, " , ")
		for (i = 1; i <= n; i++)
			print s "|" l "|" p[i]
	}' "$ROOT/man/ipc-tools.7"
}

@test "ipc-tools.7's option table: every option each verb's -h shows, with that verb, and nothing more" {
	local c v s l a rows want bad=
	rows=$(man_opts)
	[ -n "$rows" ]
	want=
	for c in $(commands); do
		for v in $(verbs_of "$c"); do
			while IFS='|' read -r s l a; do
				want+="$s|$l|$c $v"$'\n'
				grep -qxF -- "$s|$l|$c $v" <<<"$rows" ||
				    bad+="not in the table: $c $v ${s:+-$s, }--$l"$'\n'
			done < <(help_opts "$c" "$v")
		done
	done
	# the table names no option a verb does not have
	while IFS= read -r line; do
		grep -qxF -- "$line" <<<"$want" ||
		    bad+="in the table, not in that verb's -h: $line"$'\n'
	done <<<"$rows"
	[ -z "$bad" ] || { printf '%s' "$bad"; false; }
}

@test "ipc-tools.7's option table: a letter with two meanings says why it stays" {
	local items s l why n bad=
	items=$(man_opts 1)
	[ -n "$items" ]
	while IFS='|' read -r s l why; do
		[ -n "$s" ] || continue
		n=$(cut -d '|' -f 1 <<<"$items" | grep -cxF -- "$s")
		[ "$n" -eq 1 ] || [ "$why" = 1 ] ||
		    bad+="-$s (--$l) is one of $n meanings, and does not say why it stays"$'\n'
	done <<<"$items"
	# and the letters the commands once shared stay explained
	for s in f s c i; do
		grep -q "^$s|[a-z-]*|1$" <<<"$items" || bad+="-$s: no why"$'\n'
	done
	[ -z "$bad" ] || { printf '%s' "$bad"; false; }
}
