#!/usr/bin/env bats
# The pages agree with the commands: ipc-tools.7 names every verb each
# command's -h lists, and says a signal's exit status as the section-1
# pages do; a page names every option its command's verbs take.

load helpers

# the verbs of command $1, as its -h lists them
verbs_of() {
	"$BIN/$1" -h | awk -v c="$1" 'NR > 1 && $1 == c && $2 !~ /^-/ { print $2 }'
}

# the verbs ipc-tools.7's "The commands" list names for command $1: every
# .Cm in the item that opens with .It Xr $1 1
overview_verbs() {
	awk -v c="$1" '
	/^\.Ss / { on = ($0 == ".Ss The commands"); next }
	!on { next }
	/^\.It / { item = ($0 == ".It Xr " c " 1"); next }
	item && /^\.Cm / {
		for (i = 2; i <= NF; i++)
			if ($i ~ /^[a-z]+$/)
				print $i
	}' "$ROOT/man/ipc-tools.7" | sort -u
}

@test "pages: ipc-tools.7 names every verb of every command, as its -h lists them" {
	local c v out=
	for c in "$BIN"/ipc-*; do
		c=${c##*/}
		grep -qx "\.It Xr $c 1" "$ROOT/man/ipc-tools.7" ||
		    out="$out$c: no item in ipc-tools.7's list of commands"$'\n'
		for v in $(verbs_of "$c"); do
			overview_verbs "$c" | grep -qx "$v" ||
			    out="$out$c: ipc-tools.7 does not name the verb $v"$'\n'
		done
	done
	[ -z "$out" ] || fail "$out"
}

@test "pages: ipc-tools.7 says a signal's exit status as every section-1 page does" {
	local page=$ROOT/man/ipc-tools.7
	grep -qx '\.It 128+ Ns Ar n' "$page" ||
	    fail "ipc-tools.7: no .It 128+ Ns Ar n"
	mandoc -Tutf8 "$page" | perl -CS -pe 's/.\x08//g' | tr -s ' \n' ' ' |
	    grep -qF 'Killed by signal n (130 for SIGINT, 143 for SIGTERM), as a shell shows it' ||
	    fail "ipc-tools.7: 128+n not said as the section-1 pages say it"
}

# every option command $1's verbs list in their -h is a .Fl of its page
names_every_option() {
	local c=$1 v o out=
	for o in $(for v in $(verbs_of "$c"); do
		"$BIN/$c" "$v" -h 2>&1
	done | grep -oE '^ +(-[[:alnum:]], )?--?[[:alnum:]-]+' |
	    grep -oE -- '--?[[:alnum:]-]+' | sort -u); do
		grep -qE "Fl ${o#-}( |$)" "$ROOT/man/$c.1" ||
		    out="$out$c.1 does not name $o"$'\n'
	done
	[ -z "$out" ] || fail "$out"
}

@test "pages: ipc-sig.1 names every option its verbs' -h lists" { names_every_option ipc-sig; }
@test "pages: ipc-sem.1 names every option its verbs' -h lists" { names_every_option ipc-sem; }
@test "pages: ipc-sock.1 names every option its verbs' -h lists" { names_every_option ipc-sock; }
@test "pages: ipc-proc.1 names every option its verbs' -h lists" { names_every_option ipc-proc; }
