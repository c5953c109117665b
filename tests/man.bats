#!/usr/bin/env bats
# The man pages as a reader meets them: rendered without artefacts, every
# section-1 page built on one skeleton that agrees with the command's own
# -h, and every line of every EXAMPLES section run.
#
# An example is a block of consecutive .Dl lines (or one .Bd -literal
# block) in EXAMPLES. The line right before it is a comment saying how it
# is run; a block without one fails:
#	.\" ex: exit N		run it as one shell script; its status must be N
#	.\" ex: bg		run it in the background (it blocks); killed
#				when the page's examples end
#	.\" ex: root exit N	as exit N, only as root (skipped, saying so,
#				otherwise)
#	.\" ex: manual: WHY	not run: WHY says why it cannot run unattended
# An example that ends 127 because a program it calls is not installed
# (jq, bc: not ours, and not in every build environment) is skipped,
# saying so.
# and before that, lines not shown to the reader that prepare it:
#	.\" ex-setup: SHELL COMMAND
# A page's examples run in order, each bounded (IPC_EX_TIMEOUT, 20 s), in
# a scratch directory of their own that is their working directory: /tmp
# in an example and its set-up stands for that directory. The text run is
# the text the reader sees (the block rendered by mandoc). Set-up lines run
# in the runner's own shell, before the example, so what they set (a
# variable, with set -a exported to the example) lasts for the page's later
# examples, and they may wait with helpers.bash's wait_for; an example runs
# in a bash of its own, its standard input /dev/null. A number the text
# names that only the reader can know (a pid: 1234) stays plain in the
# text: set-up sets ex_1234 to a real one, which the runner puts in its
# place (`.\" ex-setup: bg sleep 1000 3<>/tmp/jobs; ex_1234=$BG_LAST`;
# a process set-up starts is started with bg, so that it is killed at the
# end). A POSIX name or System V key an example makes is removed by a
# later example or a set-up line, so that the page runs twice.

load helpers
bats_require_minimum_version 1.5.0

PAGES1="ipc-mq.1 ipc-pipe.1 ipc-proc.1 ipc-sem.1 ipc-shm.1 ipc-sig.1 ipc-sock.1"
PAGES7="ipc-tools.7"

setup_file() {
	known_options > "$BATS_FILE_TMPDIR/known"
}

setup() {
	cd "$BATS_TEST_TMPDIR" || return
}

teardown() {
	local g
	# the background examples' process groups: what they started outlives
	# the shell that started it
	for g in ${EX_BGS:-}; do
		kill -TERM -- "-$g" 2>/dev/null || :
	done
	teardown_bg
}

# --- rendering --------------------------------------------------------------

# mandoc's output without the overstrike that makes bold and underline
# (col -b, but col is not in every build environment)
plain() {
	perl -CS -pe 's/.\x08//g'
}

# the page as a reader sees it
render() {
	mandoc -Tutf8 -Owidth=200 "$ROOT/man/$1" | plain
}

# the page without its literal text (.Dl lines, .Bd -literal displays):
# what is left is prose, where a dash is an option's
prose() {
	awk '
	/^\.Bd[ \t].*-literal/ { lit = 1; next }
	lit && /^\.Ed/ { lit = 0; next }
	lit || /^\.Dl[ \t]/ { next }
	{ print }' "$ROOT/man/$1" | mandoc -Tutf8 -Owidth=200 | plain
}

# every option any command has, long and short, from the commands' own -h:
# a dash before anything else in prose is a macro's artefact
known_options() {
	local c v
	for c in "$BIN"/ipc-*; do
		"$c" -h
		for v in $("$c" -h | awk -v c="${c##*/}" \
		    'NR > 1 && $1 == c && $2 !~ /^-/ { print $2 }'); do
			"$c" "$v" -h 2>&1 || :
		done
	done | grep -oE '(^|[][ |,(])--?[[:alnum:]][[:alnum:]-]*' |
	    sed 's/^[][ |,(]//' | sort -u
}

# the options a page defines: each .Fl in its SYNOPSIS and in the heads of
# its lists (an option the command is given in the same change as its page)
page_options() {
	awk '/^\.Sh / { syn = ($0 == ".Sh SYNOPSIS") }
	syn || /^\.It / {
		for (i = 1; i < NF; i++)
			if ($i == "Fl" && $(i + 1) ~ /^-?[[:alnum:]][[:alnum:]-]*$/)
				print "-" $(i + 1)
	}' "$ROOT/man/$1"
}

# artefacts PAGE: each line of the rendered page that shows one, as
# "PAGE:LINE: what: the line"
artefacts() {
	local page=$1 known
	known=$({ cat "$BATS_FILE_TMPDIR/known"; page_options "$page"; } |
	    sort -u | tr '\n' ' ')
	render "$page" | awk -v p="$page" '
	function bad(what) { printf "%s:%d: %s: %s\n", p, NR, what, $0 }
	/‘[^’]*‘/ || /“[^”]*“/ { bad("nested quotes") }
	/\\&/ { bad("a literal \\&") }
	/(^|[ (])\.(Xr|Fl|Ar|Cm|Ql|Dq|Pq|Ns|Li|Sx|Op|Dv|Ev|Pa|Nm|No|Em)( |$)/ ||
	    /(^|[ (])Xr [[:alnum:]._-]+ [1-9]/ { bad("a macro shown") }
	# two blanks inside a sentence: after a word that does not end one and
	# before one in lower case, past the third word of the line (a tag
	# list pads its head; a sentence that ends a source line gets two)
	{
		s = $0; sub(/^ +/, "", s)
		if (match(s, /[^ ] [^ ]* [^ ]*[[:alnum:],;]  +[a-z]/))
			bad("two blanks")
	}'
	prose "$page" | awk -v p="$page" -v known=" $known " '
	function bad(what) { printf "%s: %s: %s\n", p, what, $0 }
	{
		s = $0
		gsub(/‘[^’]*’/, "", s)		# a literal: its dashes are its own
		gsub(/“[^”]*”/, "", s)
		if (s ~ /---/)
			bad("three dashes")
		while (match(s, /(^|[^[:alnum:]_-])-+[[:alnum:]][[:alnum:]_-]*/)) {
			w = substr(s, RSTART, RLENGTH)
			s = substr(s, RSTART + RLENGTH)
			sub(/^[^-]+/, "", w)
			if (index(known, " " w " ") || w ~ /^-[0-9]+$/)
				continue
			# -Hj: letters of short options together
			if (w ~ /^-[[:alnum:]]+$/) {
				ok = 1
				for (i = 2; i <= length(w); i++)
					if (!index(known, " -" substr(w, i, 1) " "))
						ok = 0
				if (ok)
					continue
			}
			bad("an option dash before a word that is no option (" w ")")
		}
	}'
}

renders_cleanly() {
	local out
	[ -e "$ROOT/man/$1" ] || { fail "no page man/$1"; return; }
	out=$(artefacts "$1")
	[ -z "$out" ] || { fail "$out"; return; }
}

@test "render: the test's own checks find the artefacts the issue names" {
	local page=ipc-zz.1
	mkdir -p man
	ROOT=$BATS_TEST_TMPDIR
	cat > man/$page <<-'EOF'
	.Dd December 2, 2026
	.Dt IPC-ZZ 1
	.Os
	.Sh NAME
	.Nm ipc-zz
	.Nd a page with every artefact
	.Sh DESCRIPTION
	The offset
	.Pq Fl O , -offset ; default 0 .
	Names
	.Pq Ql USR1 , Ql SIGUSR1 , Ql usr1 .
	Lists
	.Pq Fl -block No all Fl --unblock Ar INT .
	See
	.Ql \e&
	and \e& and
	\&Xr fifo 7 .
	EOF
	run artefacts $page
	assert_line --partial "option dash before a word that is no option (-default)"
	assert_line --partial "nested quotes: "
	assert_line --partial "three dashes: "
	assert_line --partial "a macro shown: "
}

@test "render: ipc-mq.1 shows no artefacts" { renders_cleanly ipc-mq.1; }
@test "render: ipc-pipe.1 shows no artefacts" { renders_cleanly ipc-pipe.1; }
@test "render: ipc-proc.1 shows no artefacts" { renders_cleanly ipc-proc.1; }
@test "render: ipc-sem.1 shows no artefacts" { renders_cleanly ipc-sem.1; }
@test "render: ipc-shm.1 shows no artefacts" { renders_cleanly ipc-shm.1; }
@test "render: ipc-sig.1 shows no artefacts" { renders_cleanly ipc-sig.1; }
@test "render: ipc-sock.1 shows no artefacts" { renders_cleanly ipc-sock.1; }
@test "render: ipc-tools.7 shows no artefacts" { renders_cleanly ipc-tools.7; }

# --- the skeleton of a section-1 page -----------------------------------------

# the sections, in order; those marked ? may be left out. SEE ALSO comes
# before CAVEATS, as mdoc(7) orders them: mandoc -Tlint warns otherwise
SKELETON="NAME SYNOPSIS DESCRIPTION VERBS SHARED_OPTIONS OUTPUT EXIT_STATUS
ENVIRONMENT? FILES? EXAMPLES SEE_ALSO CAVEATS"

# the lines of section $2 of page $1 (source)
section() {
	awk -v want="$2" '
	/^\.Sh / { s = substr($0, 5); gsub(/"/, "", s); on = (s == want); next }
	on' "$ROOT/man/$1"
}

# the verbs the command has, from its own -h: "VERB" or "VERB ALIAS-OF"
# (a row whose usage is another's but for the verb's name is an alias)
verbs_of() {
	"$BIN/$1" -h | awk -v c="$1" 'NR > 1 && $1 == c && $2 !~ /^-/ {
		v = $2; $1 = ""; $2 = ""; u = $0
		if (u in seen) print v, seen[u]; else { seen[u] = v; print v }
	}'
}

# the heads of the VERBS list's items (the first .Cm of each top-level
# .It), then "alias VERB ALIAS" for each "Also called .Cm ALIAS ." that
# opens an item
verb_items() {
	section "$1" VERBS | awk '
	/^\.Bl / { depth++; next }
	/^\.El/ { depth--; next }
	depth == 1 && /^\.It / {
		head = ""; if ($2 == "Cm") head = $3; else if ($2 == "Xo") want = 1
		if (head != "") { print "item", head; cur = head; first = 1 }
		next
	}
	want && /^\.Cm / { print "item", $2; cur = $2; want = 0; first = 1; next }
	depth == 1 && /^\.Xc/ { next }
	depth == 1 && first && !/^\.(Op|Oo|Oc|Ar|Fl|Cm|Ns|No|Xc|Pf)( |$)/ {
		first = 0
		if ($0 == "Also called")
			also = 1
		next
	}
	also && /^\.Cm / { print "alias", cur, $2; also = 0 }
	'
}

# "VERB OPTION" for each option of each verb's lines in the SYNOPSIS of
# page $1 (-Hj is -H and -j)
synopsis_options() {
	section "$1" SYNOPSIS | awk '
	/^\.Nm/ { nv = 0; next }
	/^\.Cm / && nv == 0 { for (i = 2; i <= NF; i++) if ($i != "|") v[++nv] = $i; next }
	{
		for (i = 1; i < NF; i++) {
			if ($i != "Fl" && $i != ".Fl") continue
			o = $(i + 1)
			if (o ~ /^-/) { f[1] = "-" o; n = 1 }
			else { n = length(o); for (k = 1; k <= n; k++) f[k] = "-" substr(o, k, 1) }
			for (k = 1; k <= n; k++) for (j = 1; j <= nv; j++) print v[j], f[k]
		}
	}'
}

# "VERB OPTION" for each option of each verb's usage line in -h
usage_options() {
	"$BIN/$1" -h | awk -v c="$1" 'NR > 1 && $1 == c && $2 !~ /^-/ {
		for (i = 3; i <= NF; i++) {
			w = $i
			while (match(w, /(^|[][|])--?[[:alnum:]][[:alnum:]-]*/)) {
				o = substr(w, RSTART, RLENGTH); w = substr(w, RSTART + RLENGTH)
				sub(/^[][|]/, "", o)
				print $2, o
			}
		}
	}'
}

has_skeleton() {
	local page=$1 cmd=${1%.1} out= got want s s2 v o alias items
	[ -e "$ROOT/man/$page" ] || { fail "no page man/$page"; return; }
	# the sections, in order
	got=$(awk '/^\.Sh / { s = substr($0, 5); gsub(/"/, "", s);
	    gsub(/ /, "_", s); print s }' "$ROOT/man/$page" | tr '\n' ' ')
	want=
	for s in $SKELETON; do
		case " $got " in
		*" ${s%\?} "*) want="$want${s%\?} " ;;
		*) [ "${s%\?}" != "$s" ] || want="$want$s " ;;
		esac
	done
	[ "$got" = "$want" ] ||
	    out="$out$page: sections are: $got"$'\n'"$page: the skeleton wants: $want"$'\n'
	# no other title for the shared options
	s=$(grep -inE '^\.S[hs] .*(shared options|options for every)' \
	    "$ROOT/man/$page" | grep -v ':\.Sh SHARED OPTIONS$' || :)
	[ -z "$s" ] || out="$out$page: shared options under another title: $s"$'\n'
	# SYNOPSIS: every verb, -h and -V
	s=$(section "$page" SYNOPSIS)
	while read -r v alias; do
		grep -qxE "\.Cm ([a-z]+ \| )*$v( \| [a-z]+)*" <<<"$s" ||
		    out="$out$page: SYNOPSIS lacks the verb $v${alias:+ (an alias: .Cm $alias | $v)}"$'\n'
	done < <(verbs_of "$cmd")
	# and every option of each verb's usage line (one the page calls an old
	# spelling is given in its new one)
	s2=$(synopsis_options "$page")
	while read -r v o; do
		grep -qxF "$v $o" <<<"$s2" && continue
		# a verb missing whole is said above
		grep -qxE "\.Cm ([a-z]+ \| )*$v( \| [a-z]+)*" <<<"$s" || continue
		render "$page" | tr -s ' \n' ' ' | grep -qF -- "$o, the old spelling of" &&
		    continue
		out="$out$page: SYNOPSIS: $v lacks $o, which its usage has"$'\n'
	done < <(usage_options "$cmd")
	grep -qE '^\.(Fl|Op Fl) h( |$)|Fl h ' <<<"$s" ||
	    out="$out$page: SYNOPSIS lacks -h"$'\n'
	grep -qE 'Fl V( |$)' <<<"$s" ||
	    out="$out$page: SYNOPSIS lacks -V"$'\n'
	# VERBS: one list, one item per verb, an alias named in its verb's item
	[ "$(section "$page" VERBS | awk '/^\.Bl / && !d++ { n++ }
	    /^\.El/ { d-- } END { print n + 0 }')" = 1 ] ||
	    out="$out$page: VERBS is not one .Bl -tag list"$'\n'
	items=$(verb_items "$page")
	while read -r v alias; do
		if [ -n "$alias" ]; then
			grep -qx "alias $alias $v" <<<"$items" ||
			    out="$out$page: VERBS: $alias's item does not open with \"Also called $v\""$'\n'
			! grep -qx "item $v" <<<"$items" ||
			    out="$out$page: VERBS: $v, an alias of $alias, has an item of its own"$'\n'
		else
			[ "$(grep -cx "item $v" <<<"$items")" = 1 ] ||
			    out="$out$page: VERBS: not one item for $v"$'\n'
		fi
	done < <(verbs_of "$cmd")
	while read -r s v; do
		verbs_of "$cmd" | grep -q "^$v\( \|$\)" ||
		    out="$out$page: VERBS: an item for $v, which is no verb"$'\n'
	done < <(grep '^item ' <<<"$items")
	# EXIT STATUS: a signal said one way
	section "$page" "EXIT STATUS" | grep -qx '\.It 128+ Ns Ar n' ||
	    out="$out$page: EXIT STATUS has no .It 128+ Ns Ar n"$'\n'
	render "$page" | tr -s ' \n' ' ' | grep -qF 'Killed by signal n (130 for SIGINT, 143 for SIGTERM), as a shell shows it' ||
	    out="$out$page: EXIT STATUS lacks \"Killed by signal n (130 for SIGINT, 143 for SIGTERM), as a shell shows it\""$'\n'
	[ -z "$out" ] || { fail "$out"; return; }
}

@test "skeleton: ipc-mq.1" { has_skeleton ipc-mq.1; }
@test "skeleton: ipc-pipe.1" { has_skeleton ipc-pipe.1; }
@test "skeleton: ipc-proc.1" { has_skeleton ipc-proc.1; }
@test "skeleton: ipc-sem.1" { has_skeleton ipc-sem.1; }
@test "skeleton: ipc-shm.1" { has_skeleton ipc-shm.1; }
@test "skeleton: ipc-sig.1" { has_skeleton ipc-sig.1; }
@test "skeleton: ipc-sock.1" { has_skeleton ipc-sock.1; }

@test "man: every page has its render, skeleton and examples tests" {
	local p
	for p in "$ROOT"/man/*.[1-8]; do
		p=${p##*/}
		case " $PAGES1 $PAGES7 " in
		*" $p "*) ;;
		*) fail "man/$p: not in man.bats' PAGES1 or PAGES7, nor tested" ;;
		esac
		grep -q "^@test \"render: $p " "$BATS_TEST_FILENAME" ||
		    fail "no render test for $p"
		grep -q "^@test \"examples: $p\"" "$BATS_TEST_FILENAME" ||
		    fail "no examples test for $p"
		case $p in
		*.1) grep -q "^@test \"skeleton: $p\"" "$BATS_TEST_FILENAME" ||
		    fail "no skeleton test for $p" ;;
		esac
	done
}

# --- running the examples -------------------------------------------------------

# extract PAGE DIR: each example of PAGE's EXAMPLES as DIR/N.spec (its
# annotation), DIR/N.setup (its set-up lines), DIR/N.mdoc (its block) and
# DIR/N.line (the source line it starts at); a block without an annotation
# is said on stderr, and extract fails
extract() {
	awk -v dir="$2" -v page="$1" '
	function close_block() {
		if (inblk) { close(dir "/" n ".mdoc"); inblk = 0 }
	}
	function open_block() {
		n++
		if (prev !~ /^\.\\" ex: /) {
			printf "%s:%d: an example without an annotation (.\\\" ex: ...) on the line before it\n",
			    page, NR > "/dev/stderr"
			bad = 1
		}
		print spec > (dir "/" n ".spec"); close(dir "/" n ".spec")
		printf "%s", setup > (dir "/" n ".setup"); close(dir "/" n ".setup")
		print NR > (dir "/" n ".line"); close(dir "/" n ".line")
		setup = ""; spec = ""; inblk = 1
	}
	/^\.Sh / { close_block(); ex = ($0 == ".Sh EXAMPLES"); prev = $0; next }
	!ex { next }
	lit { print > (dir "/" n ".mdoc"); if (/^\.Ed/) { lit = 0; close_block() }
	    prev = $0; next }
	/^\.\\" ex-setup: / { close_block(); s = $0; sub(/^\.\\" ex-setup: /, "", s)
	    setup = setup s "\n"; prev = ""; next }
	/^\.\\" ex: / { close_block(); spec = $0; sub(/^\.\\" ex: /, "", spec)
	    prev = $0; next }
	/^\.Dl[ \t]/ { if (!inblk) open_block(); print > (dir "/" n ".mdoc")
	    prev = $0; next }
	/^\.Bd[ \t].*-literal/ { close_block(); open_block(); lit = 1
	    print > (dir "/" n ".mdoc"); prev = $0; next }
	{ close_block(); prev = $0 }
	END { close_block(); print n + 0 > (dir "/count"); exit bad }
	' "$ROOT/man/$1"
}

# the text of block DIR/N.mdoc as the reader sees it
shown() {
	{
		printf '.Dd December 2, 2026\n.Dt X 1\n.Os\n.Sh X\n'
		cat "$1"
	} | mandoc -Tascii -Owidth=1000 | plain | awk '
	NR > 1 && /^ / { body[++n] = $0; next }
	END {
		min = 1000
		for (i = 1; i <= n; i++) {
			if (body[i] ~ /^ *$/) continue
			match(body[i], /^ */)
			if (RLENGTH < min) min = RLENGTH
		}
		for (i = 1; i <= n; i++) print substr(body[i], min + 1)
	}'
}

# /tmp (a word of its own, or a path's first part) as the scratch directory
scratched() {
	sed -E "s#(^|[^[:alnum:]_./-])/tmp(/|\$|[^[:alnum:]_.-])#\\1$2\\2#g" "$1"
}

# the text on stdin with each number N that set-up gave as ex_N in its place
numbered() {
	local v s
	s=$(cat)
	for v in $(compgen -v ex_); do
		s=$(N=${v#ex_} V=${!v} perl -pe \
		    's/(?<![\w])\Q$ENV{N}\E(?![\w])/$ENV{V}/g' <<<"$s")
	done
	printf '%s\n' "$s"
}

runs_examples() {
	local page=$1 meta=$BATS_TEST_TMPDIR/meta scratch=$BATS_TEST_TMPDIR/ex
	local n i spec text line st out= want p
	local t=${IPC_EX_TIMEOUT:-20}
	[ -e "$ROOT/man/$page" ] || { fail "no page man/$page"; return; }
	mkdir -p "$meta" "$scratch"
	extract "$page" "$meta" 2>"$meta/err" || { fail "$(cat "$meta/err")"; return; }
	n=$(cat "$meta/count")
	[ "$n" -gt 0 ] || { fail "$page: no examples"; return; }
	cd "$scratch" || return
	set -a
	for i in $(seq "$n"); do
		spec=$(cat "$meta/$i.spec")
		line=$(cat "$meta/$i.line")
		shown "$meta/$i.mdoc" > "$meta/$i.shown"
		scratched "$meta/$i.shown" "$scratch" > "$meta/$i.sh"
		scratched "$meta/$i.setup" "$scratch" > "$meta/$i.pre"
		text=$(cat "$meta/$i.sh")
		if [ -s "$meta/$i.pre" ] && [ "${spec#manual:}" = "$spec" ] &&
		    { [ "${spec#root }" = "$spec" ] || is_root; }; then
			if ! . "$meta/$i.pre" > "$meta/$i.preout" 2>&1; then
				out="$out$page:$line: the set-up failed:"$'\n'"$(cat "$meta/$i.setup")"$'\n'"$(cat "$meta/$i.preout")"$'\n\n'
				continue
			fi
		fi
		text=$(numbered <<<"$text")
		case $spec in
		"root exit "*)
			if ! is_root; then
				echo "# $page:$line: skipped, needs root: $(head -n 1 "$meta/$i.shown")" >&3
				continue
			fi
			spec=${spec#root } ;;
		"manual: "?*)
			continue ;;
		esac
		case $spec in
		bg)
			setsid bash -c "$text" </dev/null >"$meta/$i.out" 2>&1 &
			EX_BGS="${EX_BGS:-} $!" ;;
		"exit "[0-9]*)
			want=${spec#exit }
			st=0
			SECONDS=0
			timeout -k 5 "$t" bash -c "$text" </dev/null \
			    >"$meta/$i.out" 2>&1 || st=$?
			[ -z "${IPC_EX_LOG:-}" ] ||
			    echo "$page:$line: exit $st in $SECONDS s" >> "$IPC_EX_LOG"
			# a program the machine lacks (not one of ours): said, not failed
			if [ "$st" = 127 ] && [ "$want" != 127 ] &&
			    p=$(sed -nE 's/.*: ([^ :]+): (command )?not found$/\1/p' \
			    "$meta/$i.out" | grep -v '^ipc-' | head -n 1) &&
			    [ -n "$p" ] && ! command -v "$p" >/dev/null; then
				echo "# $page:$line: skipped, $p is not installed: $(head -n 1 "$meta/$i.shown")" >&3
				continue
			fi
			[ "$st" = "$want" ] ||
			    out="$out$page:$line: exit $st, not $want:"$'\n'"$(sed 's/^/	/' "$meta/$i.shown")"$'\n'"output:"$'\n'"$(sed 's/^/	/' "$meta/$i.out")"$'\n\n' ;;
		*)
			out="$out$page:$line: not an annotation: .\\\" ex: $spec"$'\n\n' ;;
		esac
	done
	set +a
	for p in ${EX_BGS:-}; do
		kill -TERM -- "-$p" 2>/dev/null || :
	done
	cd "$BATS_TEST_TMPDIR" || return
	[ -z "$out" ] || { fail "$out"; return; }
}

# pid $1 has ended: gone, or a zombie its parent has yet to reap
ended() {
	! kill -0 "$1" 2>/dev/null ||
	    grep -q '^State:[[:blank:]]*Z' "/proc/$1/status" 2>/dev/null
}

@test "examples: the runner's own checks" {
	local page=ipc-zz.1
	mkdir -p man
	ROOT=$BATS_TEST_TMPDIR
	cat > man/$page <<-'EOF'
	.Dd December 2, 2026
	.Dt IPC-ZZ 1
	.Os
	.Sh NAME
	.Nm ipc-zz
	.Nd examples
	.Sh EXAMPLES
	Fine:
	.Pp
	.\" ex-setup: echo hi > /tmp/f; pid=$$
	.\" ex: exit 0
	.Dl grep -q hi /tmp/f && test \(dq$pid\(dq = $pid && test \e! -e /tmp/g
	.Pp
	Process 4321:
	.Pp
	.\" ex-setup: ex_4321=77
	.\" ex: exit 0
	.Dl test 4321 = 77 && test 43210 != 77
	.Pp
	Fails as it should:
	.Pp
	.\" ex: exit 1
	.Dl false
	.Pp
	Says the wrong status:
	.Pp
	.\" ex: exit 0
	.Dl echo wrong-status; exit 3
	.Pp
	Blocks:
	.Pp
	.\" ex: bg
	.Dl echo $$ > /tmp/bgpid; exec sleep 100
	.Pp
	Only root:
	.Pp
	.\" ex-setup: wait_for test -s /tmp/bgpid
	.\" ex: root exit 0
	.Dl test \(dq$(id -u)\(dq = 0
	.Pp
	Hangs:
	.Pp
	.\" ex: exit 0
	.Dl sleep 30
	.Pp
	Needs a program not installed, then one of ours that is not there:
	.Pp
	.\" ex: exit 0
	.Dl echo x | zz-not-installed -r
	.Pp
	.\" ex: exit 0
	.Dl ipc-zz-none ls
	.Pp
	Cannot:
	.Pp
	.\" ex: manual: needs a second terminal
	.Dl exit 9
	.Pp
	Not annotated:
	.Pp
	.Dl true
	EOF
	IPC_EX_TIMEOUT=1
	run runs_examples $page
	assert_failure
	assert_output --partial "ipc-zz.1:61: an example without an annotation"
	sed -i '$d' man/$page; sed -i '$d' man/$page
	run runs_examples $page
	assert_failure
	assert_output --partial "ipc-zz.1:28: exit 3, not 0:"
	assert_output --partial "	echo wrong-status; exit 3"
	assert_line --partial "wrong-status"
	refute_output --partial "ipc-zz.1:12"
	refute_output --partial "ipc-zz.1:17"
	refute_output --partial "ipc-zz.1:23"
	refute_output --partial "exit 9"
	refute_output --partial "ipc-zz.1:39"
	assert_output --partial "ipc-zz.1:44: exit 124, not 0:"
	refute_output --partial "ipc-zz.1:49"
	assert_output --partial "ipc-zz.1:52: exit 127, not 0:"
	# the background one was killed at the end
	run wait_for ended "$(cat ex/bgpid)"
	assert_success
}

@test "examples: ipc-mq.1" { runs_examples ipc-mq.1; }
@test "examples: ipc-pipe.1" { runs_examples ipc-pipe.1; }
@test "examples: ipc-proc.1" { runs_examples ipc-proc.1; }
@test "examples: ipc-sem.1" { runs_examples ipc-sem.1; }
@test "examples: ipc-shm.1" { runs_examples ipc-shm.1; }
@test "examples: ipc-sig.1" { runs_examples ipc-sig.1; }
@test "examples: ipc-sock.1" { runs_examples ipc-sock.1; }
@test "examples: ipc-tools.7" { runs_examples ipc-tools.7; }
