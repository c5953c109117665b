#!/usr/bin/env bats
# How the library's message path stands, read from the objects the build
# made (nm), so what is checked is what runs: its files in one line, each
# calling only those below it, and none of them reading the parsed
# options (`opt`), which the verb hands down as arguments.

load helpers

setup() {
	O=$ROOT/${IPC_OBJ:-obj}
	[ -f "$O/msgout.o" ] || skip "no $O/msgout.o: build first"
}

# the global symbols FILE.o defines, and those it uses
defines() { nm -g --defined-only "$O/$1.o" | awk '{ print $3 }' | sort; }
uses() { nm -u "$O/$1.o" | awk '{ print $2 }' | sort; }

@test "lib: the message path calls only down its line: deadline, wait, fd, progress, copy, batch, stdout, msgout, worker" {
	local line="deadline wait fd progress copy batch stdout msgout worker" f g up bad=
	for f in $line; do
		up=${line#*"$f"}
		for g in $up; do
			calls=$(comm -12 <(uses "$f") <(defines "$g") | tr '\n' ' ')
			[ -z "$calls" ] || bad="$bad$f.c calls $g.c: $calls
"
		done
	done
	assert_equal "$bad" ""
}

@test "lib: the message path reads no opt: msgout, stdout, progress, worker, msgin, copy, batch, wait, deadline, fd" {
	local f bad=
	for f in msgout stdout progress worker msgin copy batch wait deadline fd; do
		uses "$f" | grep -qx opt && bad="$bad $f.c"
	done
	assert_equal "$bad" ""
}

@test "lib: msgout words no command's object: where a message goes back is the caller's" {
	run grep -ao -e 'the queue' -e 'its priority' "$O/msgout.o"
	assert_output ""
}
