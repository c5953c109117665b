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
	# shellcheck source=/dev/null
	source "$ROOT/completions/bash/ipc-mq"
	# shellcheck source=/dev/null
	source "$ROOT/completions/bash/ipc-sem"
	# shellcheck source=/dev/null
	source "$ROOT/completions/bash/ipc-sig"
	sm=cs$$-$BATS_TEST_NUMBER
	smkey=$(printf '0x%08x' "$(sysv_key 0x74)")
	mq=cq$$-$BATS_TEST_NUMBER
	mqkey=$(printf '0x%08x' "$(sysv_key 0x6e)")
	mqids=
}

teardown() {
	local id
	teardown_bg
	ipc-mq rm -f "$mq" "$mq-b" 2>/dev/null
	ipc-mq rm -S -f "$mqkey" 2>/dev/null
	ipc-sem rm -f "$sm" "$sm-b" 2>/dev/null
	ipc-sem rm -S -f "$smkey" 2>/dev/null
	for id in $mqids; do
		ipc-mq rm -S -f "id:$id"
	done
	cd "$BATS_TEST_TMPDIR" &&
	    ipc-pipe rm -f f-one f-two 'with space' 'back\slash' dir/inner -- -dash
	teardown_bg
}

# comp LINE: complete at the end of LINE as bash does: COMP_WORDS split at
# blanks that are not quoted or escaped, and around = and :; the matches,
# one a line, sorted; the function is the one registered for the command
comp() {
	local line=$1 i c w='' q='' esc=0 fn

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
	# the function bash would call: the one registered for the command
	fn=$(complete -p "${COMP_WORDS[0]##*/}" | sed -n 's/.*-F \([^ ]*\).*/\1/p')
	"$fn" || return
	((${#COMPREPLY[@]} == 0)) || printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
}

# every field the completion of line $1 offers, the command "$2..." takes
# with -o (options may follow its operands)
fields_accepted() {
	local line=$1 f
	shift
	run comp "$line"
	[ -n "$output" ]
	for f in $output; do
		"$@" -o "$f" > /dev/null
	done
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
	assert_output "$(help_opts ipc-pipe create)"
}

@test "bash: the options of send" {
	run comp 'ipc-pipe send -'
	assert_output "$(help_opts ipc-pipe send)"
}

@test "bash: the options of recv" {
	run comp 'ipc-pipe recv -'
	assert_output "$(help_opts ipc-pipe recv)"
}

@test "bash: the options of rm" {
	run comp 'ipc-pipe rm -'
	assert_output "$(help_opts ipc-pipe rm)"
}

@test "bash: the options of stat" {
	run comp 'ipc-pipe stat -'
	assert_output "$(help_opts ipc-pipe stat)"
}

@test "bash: the options of ls" {
	run comp 'ipc-pipe ls -'
	assert_output "$(help_opts ipc-pipe ls)"
}

@test "bash: the options of loop" {
	run comp 'ipc-pipe loop -'
	assert_output "$(help_opts ipc-pipe loop)"
}

@test "bash: long options that begin with the word" {
	run comp 'ipc-pipe recv --f'
	assert_output --follow
	run comp 'ipc-pipe rm --'
	assert_output "$(help_opts ipc-pipe rm | grep -e ^--)"
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
	assert_output "$(lines all bytes capacity group inode kind mode orphan owner path readers waiting_readers waiting_writers writers)"
	run comp 'ipc-pipe ls -o r'
	assert_output readers
}

@test "bash: -o completes the field after the last comma" {
	run comp 'ipc-pipe ls -o kind,ca'
	assert_output kind,capacity
	run comp 'ipc-pipe stat -o kind,inode,wr'
	assert_output kind,inode,writers
}

@test "bash, fish, zsh: -o does not offer a field already in the list" {
	run comp 'ipc-pipe ls -o kind,readers,'
	refute_line kind,readers,kind
	refute_line kind,readers,readers
	assert_line kind,readers,writers
	if command -v fish >/dev/null; then
		run fish_complete 'ipc-pipe ls -o kind,readers,'
		refute_line kind,readers,kind
		refute_line kind,readers,readers
		assert_line kind,readers,writers
	fi
	if command -v zsh >/dev/null && zsh -fc 'zmodload zsh/zpty' 2>/dev/null; then
		run zsh_complete 'ipc-mq stat -jS -o key,q'
		assert_output "$(lines key,qbytes key,qnum)"
		run zsh_complete 'ipc-mq stat -jS -o qnum,q'
		assert_output qnum,qbytes
	fi
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
	fields_accepted 'ipc-pipe ls -o ' ipc-pipe ls -H "$BATS_TEST_TMPDIR"
}

@test "bash: the command typed is the one asked" {
	local PATH=/usr/bin:/bin

	# not on this PATH, nothing to ask (unless installed there)
	if ! command -v ipc-pipe >/dev/null; then
		run comp 'ipc-pipe '
		assert_output ''
	fi
	run comp "$BIN/ipc-pipe s"
	assert_output "$(lines send stat)"
	run comp "$BIN/ipc-pipe stat f-o"
	assert_output f-one
}

@test "zsh: the completion parses" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	run zsh -n "$ROOT/completions/zsh/_ipc-pipe"
	assert_success
	assert_output ''
}

# fish_described LINE: fish's matches at the end of LINE with their
# descriptions (MATCH<TAB>DESCRIPTION), sorted, with the completion of
# LINE's command; fish_complete LINE: the matches alone
fish_described() {
	local c=${1%% *}
	fish -c 'set PATH $argv[1] $PATH; source $argv[2]; complete -C$argv[3]' \
	    "$BIN" "$ROOT/completions/fish/${c##*/}.fish" "$1" |
	    LC_ALL=C sort
}
fish_complete() {
	fish_described "$1" | cut -f1 | LC_ALL=C sort
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
	assert_output "$(help_opts ipc-pipe recv)"
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

# --- ipc-mq ---

# the options ipc-mq VERB -h lists, one a line, sorted
mq_opts() {
	ipc-mq "$1" -h | sed -nE 's/^  -(.), --([^ ]+).*/-\1\n--\2/p
	    s/^      --([^ ]+).*/--\1/p' | LC_ALL=C sort
}

@test "bash ipc-mq: the verbs; each one the command accepts" {
	local v
	run comp 'ipc-mq '
	assert_output "$(lines create ls peek recv rm send stat)"
	for v in $output; do
		run ipc-mq "$v" -h
		assert_success
	done
	run comp 'ipc-mq r'
	assert_output "$(lines recv rm)"
	run comp 'ipc-mq -'
	assert_output "$(lines --help --version -V -h)"
}

@test "bash ipc-mq: each verb's options, the ones its -h lists" {
	local v
	for v in create send recv peek rm stat ls; do
		run comp "ipc-mq $v -"
		assert_output "$(mq_opts "$v")"
	done
	run comp 'ipc-mq send --p'
	assert_output --priority
	run comp 'ipc-mq frob -'
	assert_output ''
}

@test "bash ipc-mq: queue names, with the slash or without, where a queue goes" {
	need_mqueue "queue names are completed from ipc-mq ls"
	ipc-mq create "$mq"
	ipc-mq create "$mq-b"
	run comp "ipc-mq recv $mq"
	assert_output "$(lines "$mq" "$mq-b")"
	run comp "ipc-mq stat -j /$mq-"
	assert_output "/$mq-b"
	# an option's value is not the queue; send's messages are not queues
	run comp "ipc-mq send -p 3 -t 1 $mq-"
	assert_output "$mq-b"
	run comp "ipc-mq send $mq $mq"
	assert_output ''
	run comp "ipc-mq rm $mq-b $mq-"
	assert_output "$mq-b"
	run comp "ipc-mq rm -- $mq-"
	assert_output "$mq-b"
	# create's NAME is new; ls has none
	run comp "ipc-mq create $mq"
	assert_output ''
	run comp "ipc-mq ls $mq"
	assert_output ''
	run comp 'ipc-mq send -p '
	assert_output ''
}

@test "bash ipc-mq: -S completes keys, a private queue as id:N" {
	ipc-mq create -S "$mqkey"
	id=$(ipc-mq create -S private)
	mqids=$id
	run comp "ipc-mq peek -S $mqkey"
	assert_output "$mqkey"
	# bash breaks the word at the colon: only what follows it is replaced
	run comp "ipc-mq recv -S id:$id"
	assert_output "$id"
	run comp "ipc-mq rm -Sf $mqkey"
	assert_output "$mqkey"
}

@test "bash ipc-mq: -o completes fields, after a comma, = and in a cluster" {
	run comp 'ipc-mq stat -o cur'
	assert_output curmsgs
	run comp 'ipc-mq ls -o name,ho'
	assert_output name,holders
	run comp 'ipc-mq ls -Ho notify'
	assert_output notify_pid
	run comp 'ipc-mq stat --output=ms'
	assert_output msgsize
	run comp 'ipc-mq ls -S -o lr'
	assert_output lrpid
}

@test "bash ipc-mq: every field completed is one the command accepts" {
	local f
	ipc-mq create "$mq"
	ipc-mq create -S "$mqkey"
	fields_accepted 'ipc-mq stat -o ' ipc-mq stat "$mq"
	fields_accepted 'ipc-mq stat -S -o ' ipc-mq stat -S "$mqkey"
}

# zcomp FN PREFIX WORDS...: the zsh engine's helper FN, with PREFIX and
# words as compsys sets them, loaded from the completion of the command
# WORDS begin with; the compsys functions the helpers hand their lists to
# are stubbed to print them (_describe's as NAME:DESCRIPTION)
zcomp() {
	zsh -f -c '
	    _describe() { local a=${@[-1]}; print -rl -- ${(P)a}; }
	    _values() { shift 3; print -rl -- $@; }
	    _arguments() { :; }
	    words=($4 ""); CURRENT=2
	    fpath=("${1:h}" $fpath)
	    source "$1" >/dev/null
	    fn=$2; PREFIX=$3; shift 3; words=("$@"); $fn' \
	    _ "$ROOT/completions/zsh/_$3" "$@"
}

@test "zsh ipc-mq: the completion parses; keys and fields" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	run zsh -n "$ROOT/completions/zsh/_ipc-mq"
	assert_success
	assert_output ''
	ipc-mq create -S "$mqkey"
	id=$(ipc-mq create -S private)
	mqids=$id
	run zcomp _ipc_tools_objects 0x ipc-mq recv -S 0x
	assert_line "$mqkey"
	assert_line "id\\:$id"
	run zcomp _ipc_tools_fields '' ipc-mq stat -o ''
	assert_output "$(lines kind name maxmsg msgsize curmsgs qsize mode owner group notify_pid orphan holders all)"
}

@test "zsh ipc-mq: queue names, with the slash or without" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	need_mqueue "queue names are completed from ipc-mq ls"
	ipc-mq create "$mq"
	run zcomp _ipc_tools_objects "$mq" ipc-mq recv "$mq"
	assert_line "$mq"
	refute_line "/$mq"
	run zcomp _ipc_tools_objects "/$mq" ipc-mq recv "/$mq"
	assert_line "/$mq"
}

@test "fish ipc-mq: the completion parses; verbs, options, keys, fields" {
	command -v fish >/dev/null || skip "fish is not installed"
	run fish -n "$ROOT/completions/fish/ipc-mq.fish"
	assert_success
	assert_output ''
	ipc-mq create -S "$mqkey"
	run fish_complete 'ipc-mq '
	assert_output "$(lines create ls peek recv rm send stat)"
	run fish_complete 'ipc-mq peek -'
	assert_output "$(mq_opts peek)"
	run fish_complete "ipc-mq rm -S $mqkey"
	assert_output "$mqkey"
	run fish_complete 'ipc-mq ls -o name,notify'
	assert_output name,notify_pid
	run fish_complete 'ipc-mq stat -o cur'
	assert_output curmsgs
	run fish_complete 'ipc-mq ls -jS -o lr'
	assert_output lrpid
}

@test "fish ipc-mq: queue names, with the slash or without, where a queue goes" {
	command -v fish >/dev/null || skip "fish is not installed"
	need_mqueue "queue names are completed from ipc-mq ls"
	ipc-mq create "$mq"
	run fish_complete "ipc-mq recv $mq"
	assert_output "$mq"
	run fish_complete "ipc-mq stat /$mq"
	assert_output "/$mq"
	run fish_complete "ipc-mq send $mq $mq"
	assert_output ''
}

# --- zsh and fish: one engine each, as installed, by real completion ---

# zsh_complete LINE: zsh's matches at the end of LINE, sorted, with the
# completions installed as make install does (into a site-functions
# directory first in $fpath, picked up by compinit): an interactive zsh in
# a pseudo-terminal (zpty) is given LINE and a TAB; compadd is wrapped to
# write what it is handed that matches the word, as the line would have it
zsh_complete() {
	# not in the test's directory: its FIFOs and directories are completed
	local d=$BATS_FILE_TMPDIR/zc-$BATS_TEST_NUMBER

	rm -rf "$d"
	mkdir -p "$d/site-functions"
	cp -f "$ROOT"/completions/zsh/* "$d/site-functions/"
	cat > "$d/init.zsh" <<-'INIT'
	PS1= RPS1= PROMPT_EOL_MARK=
	fpath=($ZC_DIR/site-functions $fpath)
	# one dump for the file's tests: a compinit without one reads every
	# function in $fpath, seconds on a busy machine, for each line
	autoload -Uz compinit && compinit -u -d ${ZC_DIR:h}/zcompdump
	zstyle ':completion:*' list-prompt ''
	compadd() {
		local -a zc_hits zc_P zc_p zc_i
		# -O, -A, -D: the caller collects the matches, none is added
		if [[ " ${@[1,(i)(-|--)]} " == *' '-[OAD]' '* ]]; then
			builtin compadd "$@"
			return
		fi
		builtin compadd -O zc_hits "$@"
		zparseopts -E P:=zc_P p:=zc_p i:=zc_i
		(( $#zc_hits )) && print -rl -- \
		    $IPREFIX$zc_i[2]$zc_P[2]$zc_p[2]${^zc_hits} >> $ZC_DIR/out
		builtin compadd "$@"
	}
	zc_done() { : >| $ZC_DIR/done; }
	comppostfuncs=(zc_done)
	zle-line-init() { : >| $ZC_DIR/ready; }
	zle -N zle-line-init
	INIT
	: > "$d/out"
	ZC_DIR=$d zsh -f -c '
	    zmodload zsh/zpty zsh/zselect || exit 2
	    # wait for file $1, reading what the shell writes: up to 60 s, a
	    # guard against a hang, which a busy machine (a zsh with compinit
	    # took 10 s at a load of 18 on 2 cores) does not reach
	    await() {
		local i junk
		for (( i = 0; i < 6000; i++ )); do
			[[ -e $1 ]] && return 0
			while zpty -r -t z junk; do print -rn -- $junk >> $ZC_DIR/tty; done
			zselect -t 1
		done
		print -u2 "zsh_complete: no ${1:t} after 60 s; the terminal had:"
		cat -v $ZC_DIR/tty >&2
		return 1
	    }
	    export ZC_DIR
	    zpty z zsh -f -i || exit 2
	    zpty -w z "source ${(q)ZC_DIR}/init.zsh"
	    await $ZC_DIR/ready && zpty -w -n z "$1"$'\''\t'\'' && await $ZC_DIR/done
	    ret=$?
	    zpty -d z
	    exit $ret' _ "$1" || return
	LC_ALL=C sort -u "$d/out"
}

# fish_installed LINE: as fish_complete, with the completions installed as
# make install does, into a vendor_completions.d that fish loads them from
# on demand (HOME and XDG dirs of the test's own, so no user's file is found)
fish_installed() {
	local d=$BATS_FILE_TMPDIR/fc-$BATS_TEST_NUMBER

	mkdir -p "$d/home" "$d/share/fish/vendor_completions.d"
	cp -f "$ROOT"/completions/fish/* "$d/share/fish/vendor_completions.d/"
	HOME=$d/home XDG_CONFIG_HOME=$d/home/.config XDG_DATA_HOME=$d/home/.local \
	    XDG_DATA_DIRS=$d/share fish -c 'complete -C$argv[1]' "$1" |
	    cut -f1 | LC_ALL=C sort
}

@test "zsh: the shared engine and each command's file parse; each file calls the engine" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	local c
	run zsh -n "$ROOT/completions/zsh/_ipc_tools"
	assert_success
	assert_output ''
	run head -n 1 "$ROOT/completions/zsh/_ipc_tools"
	assert_output '#autoload'
	for c in ipc-pipe ipc-mq ipc-sig; do
		run zsh -n "$ROOT/completions/zsh/_$c"
		assert_success
		run head -n 1 "$ROOT/completions/zsh/_$c"
		assert_output "#compdef $c"
		run grep -c '^_ipc_tools "\$@"$' "$ROOT/completions/zsh/_$c"
		assert_output 1
	done
}

@test "zsh: the shared engine completes ipc-pipe's verbs, options and FIFOs" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	zsh -fc 'zmodload zsh/zpty' 2>/dev/null || skip "zsh has no zpty"
	run zsh_complete 'ipc-pipe '
	assert_success
	assert_output "$(lines create loop ls recv rm send stat)"
	run zsh_complete 'ipc-pipe recv -'
	assert_output "$(help_opts ipc-pipe recv)"
	run zsh_complete 'ipc-pipe stat f-o'
	assert_output f-one
	run zsh_complete 'ipc-pipe recv --follow f-o'
	assert_output f-one
	run zsh_complete 'ipc-pipe rm '
	assert_output "$(lines -dash 'back\slash' dir f-one f-two 'with space')"
	run zsh_complete 'ipc-pipe rm -- -'
	assert_output -dash
	run zsh_complete 'ipc-pipe recv -t 1 dir/'
	assert_output "$(lines dir/inner dir/sub)"
	run zsh_complete 'ipc-pipe ls -Ho kind,ca'
	assert_output kind,capacity
	run zsh_complete 'ipc-pipe create '
	assert_output dir
}

@test "zsh: the shared engine completes an ipc-mq System V key, a private one as id:N" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	zsh -fc 'zmodload zsh/zpty' 2>/dev/null || skip "zsh has no zpty"
	ipc-mq create "$mq"
	ipc-mq create -S "$mqkey"
	id=$(ipc-mq create -S private)
	mqids=$id
	# keys, not names, with -S; names, not keys, without
	run zsh_complete 'ipc-mq rm -S '
	assert_success
	assert_line "$mqkey"
	assert_line "id:$id"
	refute_line "$mq"
	# another run of these tests at once may have keys that begin the same
	run zsh_complete "ipc-mq rm -fS ${mqkey%??}"
	assert_line "$mqkey"
	run zsh_complete "ipc-mq peek $mqkey"
	assert_output "$mqkey"
	run zsh_complete "ipc-mq recv -vS id:$id"
	assert_line "id:$id"
	run zsh_complete "ipc-mq stat ${mqkey%??}"
	assert_output ''
	run zsh_complete "ipc-mq create -S ${mqkey%??}"
	assert_output ''
}

@test "zsh: the shared engine completes an ipc-mq queue name without -S, not a key" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	zsh -fc 'zmodload zsh/zpty' 2>/dev/null || skip "zsh has no zpty"
	need_mqueue "queue names are completed from ipc-mq ls"
	ipc-mq create "$mq"
	ipc-mq create -S "$mqkey"
	run zsh_complete 'ipc-mq rm '
	assert_success
	assert_line "$mq"
	refute_line "$mqkey"
}

@test "zsh: the shared engine completes an ipc-mq field with -S, and without" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	zsh -fc 'zmodload zsh/zpty' 2>/dev/null || skip "zsh has no zpty"
	run zsh_complete 'ipc-mq ls -S -o lr'
	assert_success
	assert_output lrpid
	run zsh_complete 'ipc-mq stat -jS -o key,q'
	assert_output "$(lines key,qbytes key,qnum)"
	run zsh_complete 'ipc-mq ls -o q'
	assert_output qsize
	run zsh_complete 'ipc-mq stat -S -o '
	assert_output "$(ipc-mq stat -S -o '?' 1 2>&1 |
	    sed -n 's/.*(fields: \(.*\)).*/\1/p' | tr -d ' ' | tr , '\n' | LC_ALL=C sort)"
}

@test "fish: the shared engine is sourced from each command's file, installed or not" {
	command -v fish >/dev/null || skip "fish is not installed"
	local c
	run fish -n "$ROOT/completions/fish/ipc-tools.fish"
	assert_success
	assert_output ''
	for c in ipc-pipe ipc-mq ipc-sig; do
		run fish -n "$ROOT/completions/fish/$c.fish"
		assert_success
		run grep -c '^source (status dirname)/ipc-tools.fish$' \
		    "$ROOT/completions/fish/$c.fish"
		assert_output 1
	done
	# installed, loaded on demand: the verbs come from the command
	run fish_installed 'ipc-mq s'
	assert_output "$(lines send stat)"
	run fish_installed 'ipc-pipe l'
	assert_output "$(lines loop ls)"
}

@test "fish: the shared engine completes an ipc-pipe FIFO" {
	command -v fish >/dev/null || skip "fish is not installed"
	run fish_complete 'ipc-pipe stat f-o'
	assert_output f-one
	run fish_complete 'ipc-pipe recv --follow f-o'
	assert_output f-one
	# FIFOs and directories, not the plain file fish itself would offer
	run fish_installed 'ipc-pipe stat '
	assert_output "$(lines -dash 'back\slash' dir/ f-one f-two 'with space')"
	run fish_installed 'ipc-pipe rm dir/i'
	assert_output dir/inner
}

@test "fish: the shared engine completes an ipc-mq System V key, a private one as id:N" {
	command -v fish >/dev/null || skip "fish is not installed"
	ipc-mq create "$mq"
	ipc-mq create -S "$mqkey"
	id=$(ipc-mq create -S private)
	mqids=$id
	# keys, not names, with -S; names, not keys, without
	run fish_installed 'ipc-mq rm -S '
	assert_line "$mqkey"
	assert_line "id:$id"
	refute_line "$mq"
	# another run of these tests at once may have keys that begin the same
	run fish_complete "ipc-mq peek ${mqkey%??}"
	assert_line "$mqkey"
	run fish_complete "ipc-mq recv -vS id:$id"
	assert_line "id:$id"
	run fish_installed "ipc-mq rm -S $mqkey"
	assert_output "$mqkey"
	run fish_complete "ipc-mq stat ${mqkey%??}"
	assert_output ''
	run fish_complete "ipc-mq create -S ${mqkey%??}"
	assert_output ''
}

@test "fish: the shared engine completes an ipc-mq queue name without -S, not a key" {
	command -v fish >/dev/null || skip "fish is not installed"
	need_mqueue "queue names are completed from ipc-mq ls"
	ipc-mq create "$mq"
	ipc-mq create -S "$mqkey"
	run fish_installed 'ipc-mq rm '
	assert_line "$mq"
	refute_line "$mqkey"
}

@test "fish: the shared engine completes an ipc-mq field with -S, and without" {
	command -v fish >/dev/null || skip "fish is not installed"
	run fish_installed 'ipc-mq ls -S -o lr'
	assert_output lrpid
	run fish_complete 'ipc-mq stat -jS -o key,q'
	assert_output "$(lines key,qbytes key,qnum)"
	run fish_complete 'ipc-mq ls -o q'
	assert_output qsize
	run fish_complete 'ipc-mq stat --sysv --output=rt'
	assert_output --output=rtime
}

# --- ipc-sem ---

@test "bash ipc-sem: verbs and aliases; semaphore names; keys with -S" {
	ipc-sem create "$sm"
	ipc-sem create "$sm-b"
	ipc-sem create -S "$smkey" >/dev/null
	run comp 'ipc-sem '
	assert_output "$(lines create ls post recv rm run send stat wait)"
	run comp 'ipc-sem wait --i'
	assert_output --index
	run comp "ipc-sem post $sm"
	assert_output "$(lines "$sm" "$sm-b")"
	run comp "ipc-sem run -t 1 /$sm-"
	assert_output "/$sm-b"
	run comp "ipc-sem stat -S ${smkey%??}"
	assert_line "$smkey"
	run comp "ipc-sem create $sm"
	assert_output ''
}

# --- ipc-sock ---

# socket files here and in dir/, and a listener on the abstract name $an
sock_setup() {
	stale_sock s-one.sock
	stale_sock dir/s-in.sock
	an=ca$$-$BATS_TEST_NUMBER
	bg timeout 3600 ipc-sock listen "@$an"
	wait_for sh -c "ipc-sock stat -o state @$an 2>/dev/null | grep -qx state=listen"
}

@test "bash ipc-sock: ADDR: socket files, directories, abstract names as @NAME" {
	# shellcheck source=/dev/null
	source "$ROOT/completions/bash/ipc-sock"
	sock_setup
	run comp 'ipc-sock stat s'
	assert_output s-one.sock
	run comp 'ipc-sock connect -t 1 dir/'
	assert_output "$(lines dir/s-in.sock dir/sub)"
	run comp "ipc-sock send @$an"
	assert_output "@$an"
	run comp 'ipc-sock stat '
	assert_line "@$an"
	assert_line s-one.sock
	assert_line dir
	refute_line f-one
	refute_line plain
	# rm's PATH: socket files only, never an abstract name
	run comp 'ipc-sock rm '
	assert_output "$(lines dir s-one.sock)"
}

@test "bash ipc-sock: --type completes the socket types" {
	# shellcheck source=/dev/null
	source "$ROOT/completions/bash/ipc-sock"
	# listen refuses dgram
	run comp 'ipc-sock listen --type '
	assert_output "$(lines seqpacket stream)"
	run comp 'ipc-sock recv --type '
	assert_output "$(lines dgram seqpacket stream)"
	run comp 'ipc-sock recv --type=s'
	assert_output "$(lines seqpacket stream)"
	run comp 'ipc-sock ls -o peer'
	assert_output "$(lines peer peer_holders)"
}

@test "zsh ipc-sock: ADDR and --type" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	zsh -fc 'zmodload zsh/zpty' 2>/dev/null || skip "zsh has no zpty"
	sock_setup
	run zsh_complete 'ipc-sock stat s'
	assert_success
	assert_output s-one.sock
	run zsh_complete 'ipc-sock connect dir/'
	assert_output "$(lines dir/s-in.sock dir/sub)"
	run zsh_complete "ipc-sock send @$an"
	assert_output "@$an"
	run zsh_complete 'ipc-sock rm '
	assert_output "$(lines dir s-one.sock)"
	run zsh_complete 'ipc-sock recv --type '
	assert_output "$(lines dgram seqpacket stream)"
}

@test "fish ipc-sock: ADDR and --type" {
	command -v fish >/dev/null || skip "fish is not installed"
	sock_setup
	run fish_complete 'ipc-sock stat s'
	assert_output s-one.sock
	run fish_complete 'ipc-sock connect dir/'
	assert_output "$(lines dir/s-in.sock dir/sub/)"
	run fish_complete "ipc-sock send @$an"
	assert_output "@$an"
	run fish_installed 'ipc-sock rm '
	assert_output "$(lines dir/ s-one.sock)"
	run fish_complete 'ipc-sock send --type '
	assert_output "$(lines dgram seqpacket stream)"
}

# --- ipc-sig ---

# the signal names ipc-sig lists that begin with $1, sorted
sig_names() {
	ipc-sig ls -H -o name | grep "^$1" | LC_ALL=C sort
}

# a process to complete, in pid: a sleep of this test's, killed at its
# end; not a bound on the test, which a busy machine makes slow (five
# zsh completions took 40 s at a load of 18 on 2 cores)
sleeper() {
	bg sleep 3600
	pid=$BG_LAST
	wait_comm "$pid" sleep
}

# the kernel's own threads (kthreadd, 2, and its children), as /proc/PID/stat has them
kthreads() {
	local s
	for s in /proc/[0-9]*/stat; do
		{ read -r s <"$s"; } 2>/dev/null || continue
		read -r _ p _ <<<"${s##*) }"
		[[ ${s%% *} == 2 || $p == 2 ]] && echo "${s%% *}"
	done
}

@test "bash ipc-sig: a SIG operand completes the signal names the command lists" {
	# the real-time signals but RTMIN and RTMAX once the word begins with RT
	run comp 'ipc-sig send '
	assert_output "$(sig_names | grep -v '^RTM..[-+]')"
	run comp 'ipc-sig send US'
	assert_output "$(lines USR1 USR2)"
	run comp 'ipc-sig send SIGUS'
	assert_output "$(lines SIGUSR1 SIGUSR2)"
	run comp 'ipc-sig send -q 1 RTMAX-1'
	assert_output "$(sig_names RTMAX-1)"
	# recv takes several; run's SIGS and send's TARGET are not SIG
	run comp 'ipc-sig recv -v USR1 HU'
	assert_output HUP
	run comp 'ipc-sig recv -t 1 -c 2 T'
	assert_output "$(sig_names T)"
	run comp 'ipc-sig send USR1 US'
	assert_output ''
	run comp 'ipc-sig run --block '
	assert_output ''
}

@test "bash ipc-sig: PID and TARGET complete the processes, not the kernel's threads" {
	local p k
	sleeper
	for line in "ipc-sig send USR1 $pid" "ipc-sig send -q 3 RTMIN $$ $pid" \
	    "ipc-sig watch $pid" "ipc-sig watch -j -t 1 $pid" "ipc-sig ls $pid" \
	    "ipc-sig ls -H -o blocked $pid"; do
		run comp "$line"
		assert_line "$pid"
		for p in $output; do
			[[ $p == "$pid"* ]]
		done
	done
	run comp 'ipc-sig watch '
	assert_line "$pid"
	assert_line "$$"
	for k in $(kthreads); do
		refute_line "$k"
	done
	run comp "ipc-sig watch $pid "
	assert_output ''
	run comp 'ipc-sig watch -'
	assert_output "$(help_opts ipc-sig watch)"
}

@test "bash, zsh, fish: --pid and --ns complete the processes" {
	sleeper
	run comp "ipc-mq ls --pid $pid"
	assert_line "$pid"
	run comp "ipc-pipe send --ns $pid"
	assert_line "$pid"
	if command -v zsh >/dev/null && zsh -fc 'zmodload zsh/zpty' 2>/dev/null; then
		run zsh_complete "ipc-sem ls --pid $pid"
		assert_line "$pid"
	fi
	if command -v fish >/dev/null; then
		run fish_complete "ipc-sock ls --pid $pid"
		assert_line "$pid"
	fi
}

@test "zsh ipc-sig: signal names and processes, each described" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	zsh -fc 'zmodload zsh/zpty' 2>/dev/null || skip "zsh has no zpty"
	sleeper
	run zsh_complete 'ipc-sig send US'
	assert_success
	assert_output "$(lines USR1 USR2)"
	run zsh_complete 'ipc-sig send SIGUS'
	assert_output "$(lines SIGUSR1 SIGUSR2)"
	run zsh_complete 'ipc-sig recv -v USR1 HU'
	assert_output HUP
	run zsh_complete "ipc-sig send USR1 $pid"
	assert_line "$pid"
	run zsh_complete "ipc-sig watch -t 1 $pid"
	assert_line "$pid"
	run zsh_complete "ipc-sig ls $pid"
	assert_line "$pid"
	# what each is: a signal's description, a process's command
	run zcomp _ipc_tools_objects US ipc-sig send US
	assert_line 'USR1:user-defined signal 1'
	run zcomp _ipc_tools_objects RT ipc-sig send RT
	assert_line 'RTMIN+1:real-time signal: queued, carries a value'
	run zcomp _ipc_tools_objects '' ipc-sig watch ''
	assert_line "$pid:sleep"
	refute_line --regexp '^2:'
}

@test "fish ipc-sig: signal names and processes, each described" {
	command -v fish >/dev/null || skip "fish is not installed"
	sleeper
	run fish_complete 'ipc-sig send US'
	assert_output "$(lines USR1 USR2)"
	run fish_complete 'ipc-sig send SIGUS'
	assert_output "$(lines SIGUSR1 SIGUSR2)"
	run fish_complete 'ipc-sig recv -v USR1 HU'
	assert_output HUP
	run fish_complete "ipc-sig send USR1 $pid"
	assert_line "$pid"
	run fish_installed "ipc-sig watch -t 1 $pid"
	assert_line "$pid"
	run fish_complete "ipc-sig ls $pid"
	assert_line "$pid"
	# what each is: a signal's description, a process's command
	run fish_described 'ipc-sig send USR'
	assert_output "USR1	user-defined signal 1
USR2	user-defined signal 2"
	run fish_described "ipc-sig watch $pid"
	assert_line "$pid	sleep"
	run fish_complete 'ipc-sig watch '
	refute_line 2
}

# --- ipc-proc ---

@test "bash ipc-proc: --format completes the formats map names; PID the processes" {
	# shellcheck source=/dev/null
	source "$ROOT/completions/bash/ipc-proc"
	sleeper
	run comp 'ipc-proc map --format '
	assert_success
	assert_output "$(lines dot json text)"
	run comp 'ipc-proc map -j --format d'
	assert_output dot
	run comp 'ipc-proc map --format=t'
	assert_output text
	run comp "ipc-proc map --format dot $pid"
	assert_line "$pid"
	run comp "ipc-proc why --check $pid"
	assert_line "$pid"
	run comp "ipc-proc stat $pid"
	assert_line "$pid"
}

@test "zsh ipc-proc: --format and PID" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	zsh -fc 'zmodload zsh/zpty' 2>/dev/null || skip "zsh has no zpty"
	sleeper
	run zsh_complete 'ipc-proc map --format '
	assert_success
	assert_output "$(lines dot json text)"
	run zsh_complete 'ipc-proc map --format=j'
	assert_output --format=json
	run zsh_complete "ipc-proc why $pid"
	assert_line "$pid"
	run zcomp _ipc_tools_objects '' ipc-proc stat ''
	assert_line "$pid:sleep"
}

@test "fish ipc-proc: --format and PID" {
	command -v fish >/dev/null || skip "fish is not installed"
	sleeper
	run fish_complete 'ipc-proc map --format '
	assert_output "$(lines dot json text)"
	run fish_complete 'ipc-proc map --format=d'
	assert_output --format=dot
	run fish_installed 'ipc-proc map -j --format '
	assert_output "$(lines dot json text)"
	run fish_described "ipc-proc why $pid"
	assert_line "$pid	sleep"
}

# --- one voice: each shell offers what the command takes, and no more ---

# the options ipc-X VERB -h lists (with $3, a flavour's option: -S, -F),
# one a line, sorted: read at test time, so a renamed or removed option
# is followed
help_opts() {
	"$1" "$2" ${3:+"$3"} -h | sed -nE 's/^  -(.), --([^ ]+).*/-\1\n--\2/p
	    s/^      --([^ ]+).*/--\1/p' | LC_ALL=C sort
}

# the verbs ipc-X -h lists
help_verbs() {
	"$1" -h | sed -nE "s/^(usage:)? +$1 ([a-z][a-z0-9-]*).*/\\2/p"
}

# fish_many LINE...: fish_complete of each LINE, in one fish, each list
# closed by a line "=="
fish_many() {
	local c=${1%% *}
	fish -c 'set PATH $argv[1] $PATH; source $argv[2]
	    for l in $argv[3..-1]
		complete -C$l | cut -f1 | LC_ALL=C sort; echo ==
	    end' "$BIN" "$ROOT/completions/fish/${c##*/}.fish" "$@"
}

# zsh_opts CMD VERB...: the option spellings zsh's engine hands
# _arguments for `CMD VERB -`, one list a verb, each closed by "=="
zsh_opts() {
	zsh -f -c '
	    _describe() { :; }
	    _arguments() { shift 3; print -rl -- $@; }
	    fpath=("${1:h}" $fpath)
	    words=($2 ""); CURRENT=2
	    source "$1" >/dev/null
	    c=$2; shift 2
	    for v; do
		words=($c $v -); CURRENT=3; PREFIX=-
		_ipc_tools | sed -nE "s/^(\\([^)]*\\))?(-[^=+:[]+).*/\\2/p" |
		    LC_ALL=C sort -u
		print -r -- \=\=
	    done' _ "$ROOT/completions/zsh/_$1" "$@"
}

@test "bash, zsh, fish: every verb's options are the ones its -h lists" {
	local c v cl want
	local -a verbs
	for c in ipc-pipe ipc-mq ipc-shm ipc-sock ipc-sig ipc-sem ipc-proc; do
		# shellcheck source=/dev/null
		source "$ROOT/completions/bash/$c"
		cl=()
		want=
		mapfile -t verbs < <(help_verbs "$c")
		for v in "${verbs[@]}"; do
			cl+=("$c $v -")
			want+="$(help_opts "$c" "$v")"$'\n'==$'\n'
			run comp "$c $v -"
			assert_output "$(help_opts "$c" "$v")"
		done
		[ "${#cl[@]}" -gt 3 ]
		if command -v fish >/dev/null; then
			run fish_many "${cl[@]}"
			assert_output "${want%$'\n'}"
		fi
		if command -v zsh >/dev/null; then
			run zsh_opts "$c" "${verbs[@]}"
			assert_output "${want%$'\n'}"
		fi
	done
}

@test "bash, zsh, fish: no option the usage line makes an alternative to one given" {
	# shellcheck source=/dev/null
	source "$ROOT/completions/bash/ipc-shm"
	run comp 'ipc-pipe recv -c 1 -'
	refute_line -f
	refute_line --follow
	assert_line --count
	run comp 'ipc-pipe recv --follow -'
	refute_line -c
	run comp 'ipc-mq send -p 1 -'
	refute_line -T
	refute_line --type
	run comp 'ipc-shm stat -S -'
	refute_line -F
	refute_line --file
	if command -v fish >/dev/null; then
		run fish_complete 'ipc-pipe recv -c 1 -'
		refute_line -f
		assert_line --count
		run fish_complete 'ipc-mq send -Sp 1 -'
		refute_line -T
		assert_line -S
	fi
	if command -v zsh >/dev/null && zsh -fc 'zmodload zsh/zpty' 2>/dev/null; then
		run zsh_complete 'ipc-pipe recv -c 1 -'
		refute_line -f
		refute_line --follow
		assert_line --timeout
	fi
}

@test "bash, zsh, fish: --type offers the socket types the verb's help names; -T of ipc-mq none" {
	# shellcheck source=/dev/null
	source "$ROOT/completions/bash/ipc-sock"
	# listen refuses dgram, and its help says so
	run ipc-sock listen --type dgram @ct$$
	assert_failure 2
	run ipc-sock listen -h
	assert_line --regexp '^ +--type TYPE +stream \(default\) or seqpacket$'
	run comp 'ipc-sock listen --type '
	assert_output "$(lines seqpacket stream)"
	run comp 'ipc-sock activate --type '
	assert_output "$(lines dgram seqpacket stream)"
	run comp 'ipc-sock listen --type=d'
	assert_output ''
	# a message type is a number, not a socket type
	run comp 'ipc-mq send -T '
	assert_output ''
	if command -v fish >/dev/null; then
		run fish_many 'ipc-sock listen --type ' 'ipc-sock recv --type='
		assert_output "$(lines seqpacket stream == --type=dgram --type=seqpacket --type=stream ==)"
		run fish_complete 'ipc-mq recv -S -T '
		assert_output ''

	fi
	if command -v zsh >/dev/null && zsh -fc 'zmodload zsh/zpty' 2>/dev/null; then
		run zsh_complete 'ipc-sock listen --type '
		assert_output "$(lines seqpacket stream)"
		run zsh_complete 'ipc-mq send -T '
		assert_output ''
	fi
}

@test "bash, zsh, fish: -F's object is a file" {
	# shellcheck source=/dev/null
	source "$ROOT/completions/bash/ipc-shm"
	run comp 'ipc-shm stat -F pl'
	assert_output plain
	run comp 'ipc-shm recv --file dir/p'
	assert_output dir/plain
	if command -v fish >/dev/null; then
		run fish_complete 'ipc-shm stat -F pl'
		assert_output plain
	fi
	if command -v zsh >/dev/null && zsh -fc 'zmodload zsh/zpty' 2>/dev/null; then
		run zsh_complete 'ipc-shm rm -fF pl'
		assert_output plain
	fi
}

# --- real-time signals as one group ---

# the names ipc-sig lists but RTMIN+N and RTMAX-N
sig_plain() {
	sig_names | grep -v '^RTM..[-+]'
}

@test "bash, zsh, fish: the real-time signals are RTMIN and RTMAX until the word begins with RT" {
	local n
	n=$(sig_names RTM | wc -l)
	[ "$n" -gt 8 ]
	run comp 'ipc-sig send R'
	assert_output "$(lines RTMAX RTMIN)"
	run comp 'ipc-sig send RT'
	assert_output "$(sig_names RT)"
	run comp 'ipc-sig recv SIGRTMIN+'
	assert_output "$(sig_names RTMIN+ | sed 's/^/SIG/')"
	if command -v fish >/dev/null; then
		run fish_many 'ipc-sig send ' 'ipc-sig send RT'
		assert_output "$(sig_plain; echo '=='; sig_names RT; echo '==')"
		run fish_described 'ipc-sig send RTMA'
		assert_line 'RTMAX	real-time signal: queued, carries a value'
	fi
	if command -v zsh >/dev/null && zsh -fc 'zmodload zsh/zpty' 2>/dev/null; then
		run zsh_complete 'ipc-sig send '
		assert_output "$(sig_plain)"
		run zsh_complete 'ipc-sig send SIGRTMAX'
		assert_output "$(sig_names RTMAX | sed 's/^/SIG/')"
	fi
}

# zsh_screen LINE: what an interactive zsh of 80 columns and 24 lines,
# with compinit and nothing else, shows after LINE and a TAB: its list,
# or its question whether to show one
zsh_screen() {
	local d=$BATS_FILE_TMPDIR/zs-$BATS_TEST_NUMBER

	rm -rf "$d"
	mkdir -p "$d/site-functions"
	cp -f "$ROOT"/completions/zsh/* "$d/site-functions/"
	cat > "$d/init.zsh" <<-'INIT'
	PS1='zs> ' RPS1= PROMPT_EOL_MARK=
	fpath=($ZC_DIR/site-functions $fpath)
	autoload -Uz compinit && compinit -u -D
	zle-line-init() { : >| $ZC_DIR/ready; }
	zle -N zle-line-init
	INIT
	ZC_DIR=$d zsh -f -c '
	    zmodload zsh/zpty zsh/zselect || exit 2
	    export ZC_DIR
	    zpty z "stty cols 80 rows 24; exec zsh -f -i" || exit 2
	    zpty -w z "source ${(q)ZC_DIR}/init.zsh"
	    out=
	    # up to 60 s of no progress for each (a hang guard): the prompt,
	    # then the list and the line drawn again under it, or the question
	    for (( i = 0; i < 6000; i++ )); do
		[[ -e $ZC_DIR/ready ]] && break
		zpty -r -t z junk
		zselect -t 1
	    done
	    [[ -e $ZC_DIR/ready ]] || { print -u2 "zsh_screen: no prompt"; exit 1; }
	    zpty -r -t z junk
	    zpty -w -n z "$1"$'\''\t'\''
	    for (( i = 0; i < 6000; i++ )); do
		while zpty -r -t z junk; do out+=$junk; i=0; done
		[[ $out == *"do you wish"* ||
		    $out == *$'\''\n'\''*"zs> ${1% }"* ]] && break
		zselect -t 1
	    done
	    zpty -d z
	    print -r -- "${out//$'\''\r'\''/}"' _ "$1"
}

@test "zsh: ipc-sig send <TAB> lists the signals, each described, without asking first" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	zsh -fc 'zmodload zsh/zpty' 2>/dev/null || skip "zsh has no zpty"
	run zsh_screen 'ipc-sig send '
	assert_success
	refute_output --partial 'do you wish'
	assert_output --regexp $'\nUSR1 +-- user-defined signal 1'
	assert_output --regexp $'\nHUP +-- terminal hung up'
	assert_output --regexp $'\nRTMAX +RTMIN +-- real-time signal: queued, carries a value \\(type RT for all\\)'
	refute_output --partial 'RTMIN+1'
}

# ipc-sig as the table developer may have it print descriptions: blanks
# as blanks, not \040; the engines must read it either way
@test "zsh, fish: a signal's description with blanks as blanks, or as \\040" {
	mkdir fake
	# ls as the table may print it; every other verb the real command's
	printf '%s\n' '#!/bin/sh' '[ "$1" = ls ] || exec "$REAL" "$@"' \
	    "printf '%s\\n' 'USR1     user-defined signal 1'" \
	    "printf '%s\\n' 'USR2     user-defined\\040signal\\0402'" > fake/ipc-sig
	chmod +x fake/ipc-sig
	export REAL=$BIN/ipc-sig
	if command -v fish >/dev/null; then
		run fish -c 'set PATH $argv[1] $PATH; source $argv[2]; complete -C$argv[3]' \
		    "$PWD/fake" "$ROOT/completions/fish/ipc-sig.fish" 'ipc-sig send US'
		assert_output "USR1	user-defined signal 1
USR2	user-defined signal 2"
	fi
	if command -v zsh >/dev/null; then
		PATH=$PWD/fake:$PATH run zcomp _ipc_tools_objects US ipc-sig send US
		assert_output "USR1:user-defined signal 1
USR2:user-defined signal 2"
	fi
}

# --- processes: pids with their commands, @PIDFILE, process groups ---

@test "bash: pids with their commands where bash lists them, bare where it puts one on the line" {
	sleeper
	# a second TAB (63), show-all-if-ambiguous (33), -unmodified (64)
	for t in 63 33 64; do
		COMP_TYPE=$t run comp 'ipc-sig watch '
		assert_line "$pid (sleep)"
		assert_line "$$ (bash)"
		refute_line "$pid"
	done
	# a first TAB (9) and menu-complete (37) put the match on the line
	for t in 9 37; do
		COMP_TYPE=$t run comp 'ipc-sig watch '
		assert_line "$pid"
		refute_line "$pid (sleep)"
	done
	# one match: the pid alone, as readline would insert it whole
	COMP_TYPE=63 run comp "ipc-sig ls $pid"
	assert_line "$pid"
	refute_line --partial "$pid ("
	COMP_TYPE=63 run comp "ipc-pipe send --ns $pid"
	assert_line "$pid"
	COMP_TYPE=63 run comp "ipc-sig send USR1 "
	assert_line "$pid (sleep)"
}

@test "bash, zsh, fish: a TARGET's @PIDFILE completes files after the @" {
	echo $$ > pid-one
	echo $$ > dir/pid-in
	run comp 'ipc-sig send USR1 @pid'
	assert_output @pid-one
	run comp 'ipc-sig send -q 1 RTMIN @di'
	assert_output @dir/
	run comp 'ipc-sig send USR1 @dir/pid'
	assert_output @dir/pid-in
	# a PID operand takes no @: watch and ls read no pid file
	run comp 'ipc-sig watch @pid'
	assert_output ''
	if command -v fish >/dev/null; then
		run fish_complete 'ipc-sig send USR1 @pid'
		assert_output @pid-one
		run fish_complete 'ipc-sig send USR1 @dir/'
		assert_output "$(lines @dir/inner @dir/pid-in @dir/plain @dir/sub/)"
	fi
	if command -v zsh >/dev/null && zsh -fc 'zmodload zsh/zpty' 2>/dev/null; then
		run zsh_complete 'ipc-sig send USR1 @pid'
		assert_output @pid-one
	fi
}

@test "bash, zsh, fish: --group completes the process groups, not 1" {
	local pg
	# no line "1": refute_output, since where no process group starts
	# with 1 the output is empty, which refute_line cannot read
	pg=$(ps -o pgid= -p $$ | tr -d ' ')
	run comp "ipc-sig send --group $pg"
	assert_line "$pg"
	run comp 'ipc-sig send --group '
	assert_line "$pg"
	refute_output --regexp $'(^|\n)1(\n|$)'
	if command -v fish >/dev/null; then
		run fish_complete "ipc-sig send --group $pg"
		assert_line "$pg"
		run fish_complete 'ipc-sig send --group '
		refute_output --regexp $'(^|\n)1(\n|$)'
	fi
	if command -v zsh >/dev/null && zsh -fc 'zmodload zsh/zpty' 2>/dev/null; then
		run zsh_complete "ipc-sig send --group $pg"
		assert_line "$pg"
		run zsh_complete 'ipc-sig send --group 1'
		refute_output --regexp $'(^|\n)1(\n|$)'
	fi
}
