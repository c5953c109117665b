#!/usr/bin/env bats
# Shell completions: bash's is driven through its completion function, as
# bash would call it; zsh's and fish's are checked where the shell is
# installed (fish's run too, through `complete -C`).

load helpers

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	ipc-pipe create f-one f-two 'with space' 'back\slash' -- -dash
	mkdir dir dir/sub
	ipc-pipe create dir/inner
	touch plain dir/plain
	# shellcheck source=/dev/null
	source "$ROOT/completions/bash/ipc-pipe"
}

teardown() {
	cd "$BATS_TEST_TMPDIR" &&
	    ipc-pipe rm -f f-one f-two 'with space' 'back\slash' dir/inner -- -dash
}

# comp LINE: complete at the end of LINE as bash does: COMP_WORDS split at
# blanks that are not quoted or escaped, and around = and :; the matches,
# one a line, sorted
comp() {
	local line=$1 i c w='' q='' esc=0

	COMP_WORDS=()
	for ((i = 0; i < ${#line}; i++)); do
		c=${line:i:1}
		if ((esc)); then
			w+=$c
			esc=0
		elif [[ -n $q ]]; then
			w+=$c
			[[ $c == "$q" ]] && q=''
		elif [[ $c == \\ ]]; then
			w+=$c
			esc=1
		elif [[ $c == [\'\"] ]]; then
			w+=$c
			q=$c
		elif [[ $c == [[:blank:]] ]]; then
			[[ -n $w ]] && COMP_WORDS+=("$w")
			w=
		elif [[ $c == [=:] ]]; then
			[[ -n $w && $w == *[!=:]* ]] && COMP_WORDS+=("$w") && w=
			w+=$c
		else
			[[ -n $w && $w != *[!=:]* ]] && COMP_WORDS+=("$w") && w=
			w+=$c
		fi
	done
	COMP_WORDS+=("$w")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMP_WORDBREAKS=$' \t\n"\'><=;|&(:'
	COMPREPLY=()
	_ipc_pipe || return
	((${#COMPREPLY[@]} == 0)) || printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
}

lines() {
	printf '%s\n' "$@"
}

@test "bash: the verbs, for the first word" {
	run comp 'ipc-pipe '
	assert_success
	assert_output "$(lines create loop ls recv rm send stat)"
}

@test "bash: verbs that begin with the word" {
	run comp 'ipc-pipe r'
	assert_output "$(lines recv rm)"
	run comp 'ipc-pipe lo'
	assert_output loop
}

@test "bash: every verb completed is one the command accepts" {
	local v
	run comp 'ipc-pipe '
	for v in $output; do
		run ipc-pipe "$v" -h
		assert_success
		assert_line --index 0 --partial "usage: ipc-pipe $v"
	done
}

@test "bash: -h, --help, -V, --version before a verb" {
	run comp 'ipc-pipe -'
	assert_output "$(lines --help --version -V -h)"
	run comp 'ipc-pipe --v'
	assert_output --version
}

@test "bash: the options of create" {
	run comp 'ipc-pipe create -'
	assert_output "$(lines --exist-ok --help --mode -h -m -x)"
}

@test "bash: the options of send" {
	run comp 'ipc-pipe send -'
	assert_output "$(lines --help --lines --null --timeout -0 -h -l -t)"
}

@test "bash: the options of recv" {
	run comp 'ipc-pipe recv -'
	assert_output "$(lines --count --follow --help --null --timeout -0 -c -f -h -t)"
}

@test "bash: the options of rm" {
	run comp 'ipc-pipe rm -'
	assert_output "$(lines --force --help -f -h)"
}

@test "bash: the options of stat" {
	run comp 'ipc-pipe stat -'
	assert_output "$(lines --help --json --output -h -j -o)"
}

@test "bash: the options of ls" {
	run comp 'ipc-pipe ls -'
	assert_output "$(lines --help --json --no-header --output -H -h -j -o)"
}

@test "bash: the options of loop" {
	run comp 'ipc-pipe loop -'
	assert_output "$(lines --help -h)"
}

@test "bash: long options that begin with the word" {
	run comp 'ipc-pipe recv --f'
	assert_output --follow
	run comp 'ipc-pipe rm --'
	assert_output "$(lines --force --help)"
}

@test "bash: an unknown verb completes nothing" {
	run comp 'ipc-pipe frob '
	assert_success
	assert_output ''
	run comp 'ipc-pipe frob -'
	assert_output ''
}

@test "bash: a PATH operand: the FIFOs here and the directories" {
	run comp 'ipc-pipe send '
	assert_output "$(lines -dash 'back\slash' dir f-one f-two 'with space')"
}

@test "bash: FIFOs that begin with the word" {
	run comp 'ipc-pipe stat f-'
	assert_output "$(lines f-one f-two)"
	run comp 'ipc-pipe recv -c 2 f-t'
	assert_output f-two
}

@test "bash: FIFOs in the directory part of the word" {
	run comp 'ipc-pipe rm dir/'
	assert_output "$(lines dir/inner dir/sub)"
	run comp 'ipc-pipe rm dir/i'
	assert_output dir/inner
}

@test "bash: FIFOs under ./ keep it" {
	run comp 'ipc-pipe rm ./f'
	assert_output "$(lines ./f-one ./f-two)"
}

@test "bash: FIFOs under an absolute directory" {
	run comp "ipc-pipe rm $BATS_TEST_TMPDIR/f-"
	assert_output "$(lines "$BATS_TEST_TMPDIR/f-one" "$BATS_TEST_TMPDIR/f-two")"
}

@test "bash: FIFO names with a blank or a backslash, quoted or not" {
	run comp 'ipc-pipe rm wi'
	assert_output 'with space'
	run comp "ipc-pipe rm 'with s"
	assert_output 'with space'
	run comp 'ipc-pipe rm with\ s'
	assert_output 'with space'
	run comp 'ipc-pipe rm ba'
	assert_output 'back\slash'
}

@test "bash: rm takes more FIFOs after the first" {
	run comp 'ipc-pipe rm f-one f-t'
	assert_output f-two
	run comp 'ipc-pipe rm -f f-one f-t'
	assert_output f-two
}

@test "bash: after -- an operand may begin with -" {
	run comp 'ipc-pipe rm -- -'
	assert_output -- -dash
}

@test "bash: send's messages and recv after its PATH complete nothing" {
	run comp 'ipc-pipe send f-one '
	assert_output ''
	run comp 'ipc-pipe send f-one hello '
	assert_output ''
	run comp 'ipc-pipe recv f-one '
	assert_output ''
}

@test "bash: an option's value is skipped when counting operands" {
	run comp 'ipc-pipe send -t 1 f-o'
	assert_output f-one
	run comp 'ipc-pipe send -t1 f-o'
	assert_output f-one
	run comp 'ipc-pipe send --timeout 1 f-o'
	assert_output f-one
	run comp 'ipc-pipe send --timeout=1 f-o'
	assert_output f-one
	run comp 'ipc-pipe send --time 1 f-o'
	assert_output f-one
	run comp 'ipc-pipe send f-one -t 1 '
	assert_output ''
}

@test "bash: a duration, count or mode completes nothing" {
	run comp 'ipc-pipe send -t '
	assert_output ''
	run comp 'ipc-pipe recv -c '
	assert_output ''
	run comp 'ipc-pipe create -m '
	assert_output ''
}

@test "bash: create completes only directories: its PATH is new" {
	run comp 'ipc-pipe create '
	assert_output dir
	run comp 'ipc-pipe create -m 0644 dir/'
	assert_output dir/sub
}

@test "bash: ls completes directories" {
	run comp 'ipc-pipe ls '
	assert_output dir
	run comp 'ipc-pipe ls -H -o path dir/'
	assert_output dir/sub
}

@test "bash: loop's commands complete nothing" {
	run comp 'ipc-pipe loop '
	assert_output ''
	run comp 'ipc-pipe loop true '
	assert_output ''
}

@test "bash: -o completes the fields" {
	run comp 'ipc-pipe stat -o '
	assert_output "$(lines bytes capacity group inode kind mode owner path readers writers)"
	run comp 'ipc-pipe ls -o r'
	assert_output readers
}

@test "bash: -o completes the field after the last comma" {
	run comp 'ipc-pipe ls -o kind,ca'
	assert_output kind,capacity
	run comp 'ipc-pipe stat -o kind,inode,w'
	assert_output kind,inode,writers
}

@test "bash: -o's value in a cluster, after = and abbreviated" {
	run comp 'ipc-pipe ls -Ho p'
	assert_output path
	run comp 'ipc-pipe ls -Ho path '
	assert_output dir
	# bash replaces only what follows the =
	run comp 'ipc-pipe stat --output=ki'
	assert_output kind
	run comp 'ipc-pipe stat --out=in'
	assert_output inode
}

@test "bash: every field completed is one the command accepts" {
	local f
	run comp 'ipc-pipe ls -o '
	for f in $output; do
		run ipc-pipe ls -H -o "$f" "$BATS_TEST_TMPDIR"
		assert_success
	done
}

@test "bash: the command typed is the one asked" {
	local PATH=/usr/bin:/bin

	run comp 'ipc-pipe '
	assert_output ''
	run comp "$ROOT/${IPC_BIN:-bin}/ipc-pipe s"
	assert_output "$(lines send stat)"
	run comp "$ROOT/${IPC_BIN:-bin}/ipc-pipe stat f-o"
	assert_output f-one
}

@test "zsh: the completion parses" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	run zsh -n "$ROOT/completions/zsh/_ipc-pipe"
	assert_success
	assert_output ''
}

# fish_complete LINE: fish's matches at the end of LINE, sorted
fish_complete() {
	fish -c 'set PATH $argv[1] $PATH; source $argv[2]; complete -C$argv[3]' \
	    "$ROOT/${IPC_BIN:-bin}" "$ROOT/completions/fish/ipc-pipe.fish" "$1" |
	    cut -f1 | LC_ALL=C sort
}

@test "fish: the completion parses" {
	command -v fish >/dev/null || skip "fish is not installed"
	run fish -n "$ROOT/completions/fish/ipc-pipe.fish"
	assert_success
	assert_output ''
}

@test "fish: the verbs and a verb's options" {
	command -v fish >/dev/null || skip "fish is not installed"
	run fish_complete 'ipc-pipe '
	assert_output "$(lines create loop ls recv rm send stat)"
	run fish_complete 'ipc-pipe recv -'
	assert_output "$(lines --count --follow --help --null --timeout -0 -c -f -h -t)"
}

@test "fish: FIFOs and directories, fields of -o" {
	command -v fish >/dev/null || skip "fish is not installed"
	run fish_complete 'ipc-pipe rm '
	assert_output "$(lines -dash 'back\slash' dir/ f-one f-two 'with space')"
	run fish_complete 'ipc-pipe recv -t 1 dir/'
	assert_output "$(lines dir/inner dir/sub/)"
	run fish_complete 'ipc-pipe ls -Ho kind,ca'
	assert_output kind,capacity
	run fish_complete 'ipc-pipe create '
	assert_output dir/
}
