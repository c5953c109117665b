#!/usr/bin/env bats
# Malformed input to every command and verb: each case ends with the
# status it names (2: usage, 1: failed), one "ipc-KIND:" line on stderr
# and, for 2, the one-line usage hint after it; never a crash, a
# sanitizer's report or a hang, and nothing made, in the directory it
# ran in or among the POSIX and System V objects.
#
# A case is a line: STATUS COMMAND ARGS..., the arguments as the shell
# reads them (STATUS 2! : a usage error said in one line, no usage hint), with $NAME (a name nothing has), $KEY (a key nothing
# has), $LONG (5000 bytes), $HUGE (100000), $BAD (not UTF-8) and $NL (a
# newline in it) to use.

load helpers

setup() {
	mkdir "$BATS_TEST_TMPDIR/w"
	cd "$BATS_TEST_TMPDIR/w"
	NAME=bi$$x$BATS_TEST_NUMBER
	KEY=$(printf '0x6269%04x' $(($$ % 65536)))
	LONG=$(printf '%5000s' | tr ' ' x)
	HUGE=$(printf '%100000s' | tr ' ' y)
	BAD=$'\xff\xfe\x80z'
	NL=$'a\nb'
}

# what the case left: files here, POSIX objects of NAME, SysV ones of KEY
made() {
	ls -A
	ls /dev/mqueue /dev/shm 2>/dev/null | grep -F "$NAME"
	# no mqueue mount to list: ask for the queue NAME itself
	mqueue_mounted || mqpeer attr "/$NAME" 2>/dev/null
	ipcs 2>/dev/null | grep -i "${KEY}"
	return 0
}

# each case of the command $1 in the table on stdin; every one that
# fails is named, then the test fails
cases() {
	local which=$1 want cmd line st err n=0 bad=0
	while read -r want cmd line; do
		[ -z "$want" ] || [ "${want#\#}" != "$want" ] && continue
		[ "$cmd" = "$which" ] || continue
		n=$((n + 1))
		eval "set -- $line"
		st=0
		err=$(timeout -s KILL 10 "$cmd" "$@" 2>&1 >/dev/null </dev/null) ||
		    st=$?
		if ! judge "$cmd" "$want" "$st" "$err"; then
			bad=$((bad + 1))
			printf '%s\n' "case: $want $cmd $line" "  status $st," \
			    "  stderr: ${err:0:600}" >&2
		fi
	done
	[ "$n" -gt 0 ] && [ "$bad" -eq 0 ] && [ -z "$(made)" ]
}

# status, then stderr: one line from the command (and usage for 2)
judge() {
	local cmd=$1 want=$2 st=$3 err=$4 lines
	[ "$st" = "${want%!}" ] || return 1
	[[ $err == *Sanitizer* || $err == *"runtime error"* ]] && return 1
	lines=$(printf '%s\n' "$err" | wc -l)
	[[ $err == "$cmd: "* ]] || return 1
	if [ "$want" = 2 ]; then	# "2!" is one line, as 1 is
		[ "$lines" -eq 2 ] &&
		    [[ $(printf '%s\n' "$err" | tail -n 1) == "usage: $cmd "* ]]
	else
		[ "$lines" -eq 1 ]
	fi
}

@test "bad input: every command, no verb or one that is not" {
	cases ipc-mq <<'CASES'
2 ipc-mq
2 ipc-mq ''
2 ipc-mq nosuch
2 ipc-mq re
2 ipc-mq "$LONG"
2 ipc-mq "$BAD"
2 ipc-mq "$NL"
2 ipc-mq -x
2 ipc-mq --nosuch
2 ipc-mq -h extra
2 ipc-mq --version extra
CASES
	for c in ipc-pipe ipc-shm ipc-sem ipc-sig ipc-sock ipc-proc; do
		cases "$c" <<CASES
2 $c
2 $c ''
2 $c nosuch
2 $c "\$HUGE"
2 $c "\$BAD"
2 $c "\$NL"
2 $c -Z
2 $c -V extra
CASES
	done
}

@test "bad input: ipc-mq, each verb" {
	cases ipc-mq <<'CASES'
2 ipc-mq create
2 ipc-mq create ''
2 ipc-mq create /
2 ipc-mq create a/b
2 ipc-mq create ..
2 ipc-mq create "$LONG"
2 ipc-mq create -m 8 "$NAME"
2 ipc-mq create -m 01777 "$NAME"
2 ipc-mq create -m '' "$NAME"
2 ipc-mq create -m
2 ipc-mq create -M 0 "$NAME"
2 ipc-mq create -M -1 "$NAME"
2 ipc-mq create -M 99999999999999999999999 "$NAME"
2 ipc-mq create -s 1Q "$NAME"
2 ipc-mq create -s '' "$NAME"
2 ipc-mq create -s
2 ipc-mq create -z "$NAME"
2 ipc-mq create "$NAME" extra
2 ipc-mq create -S 0 
2 ipc-mq create -S 0xg1
2 ipc-mq create -S 0x1ffffffff
2 ipc-mq create -S id:1
2 ipc-mq create -S :1
2 ipc-mq create -S .:0
2 ipc-mq create -S .:256
2 ipc-mq create -S "$BAD"
2 ipc-mq create -S -M 1 "$KEY"
2 ipc-mq send
2 ipc-mq send ''
2 ipc-mq send -t '' "$NAME" m
2 ipc-mq send -t 1.x "$NAME" m
2 ipc-mq send -t -1 "$NAME" m
2 ipc-mq send -t 99999999999s "$NAME" m
2 ipc-mq send -t
2 ipc-mq send -p x "$NAME" m
2 ipc-mq send -p -1 "$NAME" m
2 ipc-mq send -p 99999999999999999999 "$NAME" m
2 ipc-mq send -l -0 "$NAME"
2 ipc-mq send -T 1 "$NAME" m
2 ipc-mq send -S -p 1 "$KEY" m
2 ipc-mq send -S -T 0 "$KEY" m
2 ipc-mq send -S -T x "$KEY" m
2 ipc-mq send -S private m
2 ipc-mq send "$BAD/x" m
1 ipc-mq send "$NAME" m
1 ipc-mq send -S "$KEY" m
1 ipc-mq send -S id:2147483647 m
2 ipc-mq recv
2 ipc-mq recv -c x "$NAME"
2 ipc-mq recv -c 0 "$NAME"
2 ipc-mq recv -c 1 -f "$NAME"
2 ipc-mq recv -0 -r "$NAME"
2 ipc-mq recv -e
2 ipc-mq recv --kill "$NAME"
2 ipc-mq recv "$NAME" extra
2 ipc-mq recv -S -T x "$KEY"
1 ipc-mq recv -t 0 "$NAME"
2 ipc-mq recv "$HUGE"
2! ipc-mq peek "$KEY"
2 ipc-mq peek -S
2 ipc-mq peek -S -c -1 "$KEY"
1 ipc-mq peek -S "$KEY"
2 ipc-mq rm
2 ipc-mq rm ''
2 ipc-mq rm "$NAME" a/b
2 ipc-mq rm -S "$KEY" 0xzz
1 ipc-mq rm "$NAME"
2 ipc-mq stat
2 ipc-mq stat -o '' "$NAME"
2 ipc-mq stat -o , "$NAME"
2 ipc-mq stat -o name, "$NAME"
2 ipc-mq stat -o "$LONG" "$NAME"
2 ipc-mq stat -o "$BAD" "$NAME"
2 ipc-mq stat -o "$NL" "$NAME"
2 ipc-mq stat -o name,name,name,name,name,name,name,name,name,name,name,name,name,name,name,name,name,name,name,name,name,name,name,name,name,name,name,name,name,name,name,name,name "$NAME"
2 ipc-mq stat -o
2 ipc-mq stat "$NAME" "$NAME"
1 ipc-mq stat "$NAME"
1 ipc-mq stat "$NL"
1 ipc-mq stat -S "$KEY"
2 ipc-mq ls extra
2 ipc-mq ls --pid x
2 ipc-mq ls --pid -1
2 ipc-mq ls --pid 99999999999
2 ipc-mq ls --pid
2 ipc-mq ls --ns x
2 ipc-mq ls --ns 0
2 ipc-mq ls --ns -0
2 ipc-mq ls --pid 00
2 ipc-mq ls --output=
2 ipc-mq send --timeout= "$NAME" m
2 ipc-mq send --timeout=x "$NAME" m
2 ipc-mq send --timeou "$NAME" m
2 ipc-mq send --nosuch=1 "$NAME" m
2 ipc-mq send -- '' m
2 ipc-mq ls -o nope
2 ipc-mq ls -S -o nope
2 ipc-mq ls -H -H -o ''
CASES
}

@test "bad input: ipc-pipe, each verb" {
	cases ipc-pipe <<'CASES'
2 ipc-pipe create
2 ipc-pipe create ''
2 ipc-pipe create -m 0800 f
2 ipc-pipe create -m x f
2 ipc-pipe create -m
2 ipc-pipe create -S f
2 ipc-pipe create -x -m 1 f ''
1 ipc-pipe create "$LONG"
1 ipc-pipe create nosuchdir/f
2 ipc-pipe send
2 ipc-pipe send ''
2 ipc-pipe send -t x f m
2 ipc-pipe send -t
2 ipc-pipe send -l -0 f
2 ipc-pipe send -c 1 f m
1 ipc-pipe send -t 0 "$NAME" m
1 ipc-pipe send "$HUGE" m
1 ipc-pipe send "$BAD" m
2 ipc-pipe recv
2 ipc-pipe recv -c x f
2 ipc-pipe recv -c 1 -f f
2 ipc-pipe recv -e
2 ipc-pipe recv f g
1 ipc-pipe recv -t 0 "$NAME"
1 ipc-pipe recv "$NL"
2 ipc-pipe rm
2 ipc-pipe rm ''
1 ipc-pipe rm "$NAME"
1 ipc-pipe rm "$LONG"
2 ipc-pipe stat
2 ipc-pipe stat -o nope f
2 ipc-pipe stat -o '' f
2 ipc-pipe stat f g
1 ipc-pipe stat "$NAME"
1 ipc-pipe stat "$BAD"
2 ipc-pipe ls -o nope
2 ipc-pipe ls --pid x
2 ipc-pipe stat --wait -t x f
2 ipc-pipe ls -o
2 ipc-pipe ls --notruncate=yes
1 ipc-pipe ls "$NAME"
2 ipc-pipe loop
2 ipc-pipe loop one
2 ipc-pipe loop a b c
CASES
}

@test "bad input: ipc-shm, each verb" {
	cases ipc-shm <<'CASES'
2 ipc-shm create
2 ipc-shm create "$NAME"
2 ipc-shm create -s '' "$NAME"
2 ipc-shm create -s 0 "$NAME"
2 ipc-shm create -s 1X "$NAME"
2 ipc-shm create -s 99999999999999999999T "$NAME"
2 ipc-shm create -s 16E "$NAME"
2 ipc-shm create -s
2 ipc-shm create -s 4K ''
2 ipc-shm create -s 4K a/b
2 ipc-shm create -x -t soon -s 4K "$NAME"
2 ipc-shm create -x --any-owner=yes -s 4K "$NAME"
2 ipc-shm create -s 4K "$LONG"
2 ipc-shm create -s 4K -m 9 "$NAME"
2 ipc-shm create -S -F -s 4K "$NAME"
2 ipc-shm create -S -s 4K 0
2 ipc-shm create -S -s 4K id:3
2 ipc-shm create -S -s 4K "$BAD"
2 ipc-shm send
2 ipc-shm send -O x "$NAME" d
2 ipc-shm send -O -1 "$NAME" d
2 ipc-shm send -O
2 ipc-shm send -S private d
1 ipc-shm send "$NAME" d
1 ipc-shm send -S "$KEY" d
1 ipc-shm send -F "$NAME" d
2 ipc-shm write
2 ipc-shm recv
2 ipc-shm recv -c x "$NAME"
2 ipc-shm recv -c
2 ipc-shm recv "$NAME" extra
1 ipc-shm recv "$NAME"
1 ipc-shm read -F "$HUGE"
2 ipc-shm rm
2 ipc-shm rm ''
1 ipc-shm rm "$NAME"
2 ipc-shm stat
2 ipc-shm stat -o nope "$NAME"
2 ipc-shm stat -o "$HUGE" "$NAME"
1 ipc-shm stat "$NAME"
1 ipc-shm stat -F "$NAME"
2 ipc-shm create -s 4K "sem.$NAME"
2 ipc-shm send "sem.$NAME" d
2 ipc-shm recv "/sem.$NAME"
2 ipc-shm stat "sem.$NAME"
2 ipc-shm rm -f "$NAME" "sem.$NAME"
2 ipc-shm ls -F
2 ipc-shm ls -o nope
2 ipc-shm ls x
2 ipc-shm ls --pid x
2 ipc-shm ls -S --pid 0
1 ipc-shm ls --pid 2147483647
2 ipc-shm stat --wait -t x "$NAME"
124 ipc-shm stat --wait -t 0 "$NAME"
2 ipc-shm --ns "$BAD" ls
1 ipc-shm ls --ns 2147483647
CASES
}

@test "bad input: ipc-sem, each verb" {
	cases ipc-sem <<'CASES'
2 ipc-sem create
2 ipc-sem create ''
2 ipc-sem create -i x "$NAME"
2 ipc-sem create -i -1 "$NAME"
2 ipc-sem create -i 99999999999 "$NAME"
2 ipc-sem create -i
2 ipc-sem create --nsems 2 "$NAME"
2 ipc-sem create -S --nsems 0 "$KEY"
2 ipc-sem create -S --nsems x "$KEY"
2 ipc-sem create -S --nsems
2 ipc-sem create -m 1000 "$NAME"
2 ipc-sem create "$LONG"
2 ipc-sem post
2 ipc-sem post -c 0 "$NAME"
2 ipc-sem post -c x "$NAME"
2 ipc-sem post --index 1 "$NAME"
2 ipc-sem post -S --index x "$KEY"
2 ipc-sem post -S --index -1 "$KEY"
1 ipc-sem post "$NAME"
1 ipc-sem send -S "$KEY"
2 ipc-sem wait
2 ipc-sem wait -t x "$NAME"
2 ipc-sem wait -t
1 ipc-sem wait -t 0 "$NAME"
1 ipc-sem recv -S -t 0 "$KEY"
2 ipc-sem run
2 ipc-sem run "$NAME"
2 ipc-sem run "$NAME" --
2 ipc-sem run -i x "$NAME" -- true
2 ipc-sem run -t x "$NAME" -- true
125 ipc-sem run -t 0 "$NAME" -- true
2 ipc-sem rm
2 ipc-sem rm ''
1 ipc-sem rm "$NAME"
1 ipc-sem rm -S "$KEY"
2 ipc-sem stat
2 ipc-sem stat -o nope "$NAME"
2 ipc-sem stat --index 0 "$NAME"
1 ipc-sem stat "$NAME"
1 ipc-sem stat -S "$KEY"
2 ipc-sem ls -o ''
2 ipc-sem ls x
2 ipc-sem ls --pid ""
2 ipc-sem ls -S --pid "$LONG"
1 ipc-sem ls --pid 2147483647
124 ipc-sem stat -S --wait -t 0 "$KEY"
2 ipc-sem stat --ns 1x "$NAME"
CASES
}

@test "bad input: ipc-sig, each verb" {
	cases ipc-sig <<'CASES'
2 ipc-sig send
2 ipc-sig send ''
2 ipc-sig send NOSUCH $$
2 ipc-sig send SIG $$
2 ipc-sig send 0x1 $$
2 ipc-sig send 65 $$
2 ipc-sig send -1 $$
2 ipc-sig send RTMIN+99 $$
2 ipc-sig send RTMAX-99 $$
2 ipc-sig send RTMIN- $$
2 ipc-sig send RTMIN+ $$
2 ipc-sig send "$LONG" $$
2 ipc-sig send "$BAD" $$
2 ipc-sig send "$NL" $$
2 ipc-sig send TERM x
2 ipc-sig send TERM ''
2 ipc-sig send TERM -5
2 ipc-sig send TERM 99999999999999999999
2 ipc-sig send -q x TERM $$
2 ipc-sig send -q
2 ipc-sig send --group x TERM
2 ipc-sig send --group
2 ipc-sig send USR1 0
2 ipc-sig send USR1 -- -1
2 ipc-sig send USR1 00
2 ipc-sig send USR1 +0
2 ipc-sig send USR1 -- -0
2 ipc-sig send USR1 -- -01
2 ipc-sig send USR1 ' 1'
2 ipc-sig send USR1 +
2 ipc-sig send 0 --group 01
2 ipc-sig send 0 --group 001
2 ipc-sig send 0 --group +1
2 ipc-sig send 0 --group 00
2 ipc-sig send 0 --group +0
2 ipc-sig send 0 --group -0
2 ipc-sig send 0 --group -01
2 ipc-sig send 0 --group ' 1'
1 ipc-sig send 0 @nosuch
2 ipc-sig send -q 99999999999999999999 USR1 $$
1 ipc-sig send 0 2147483647
2 ipc-sig recv
2 ipc-sig recv NOSUCH
2 ipc-sig recv KILL
2 ipc-sig recv STOP
2 ipc-sig recv -t x USR1
2 ipc-sig recv -c x USR1
2 ipc-sig recv -P '' USR1
2 ipc-sig recv -P
2 ipc-sig recv "$HUGE"
2 ipc-sig ls -o nope
2 ipc-sig ls x
2 ipc-sig ls -1
2 ipc-sig ls 00
2 ipc-sig ls +0
2 ipc-sig ls -- -01
2 ipc-sig ls --ns +0
2 ipc-sig --ns -0 ls
2 ipc-sig ls 99999999999999999999
1 ipc-sig ls 2147483647
2 ipc-sig ls --ns x
2 ipc-sig --ns
1 ipc-sig ls --ns 2147483647
2 ipc-sig run
2 ipc-sig run --block
2 ipc-sig run --block NOSUCH -- true
2 ipc-sig run --block '' -- true
2 ipc-sig run --block , -- true
2 ipc-sig run --block USR1, -- true
2 ipc-sig run --block "$LONG" -- true
2 ipc-sig run --ignore KILL -- true
2 ipc-sig run --block all,KILL -- true
2 ipc-sig run --block ALL,stop -- true
2 ipc-sig run --block 32 -- true
2 ipc-sig run --block USR1,,all -- true
2 ipc-sig run --block "$HUGE" -- true
2 ipc-sig run --default
2 ipc-sig run --unblock "$BAD" -- true
2 ipc-sig watch
2 ipc-sig watch 0
2 ipc-sig watch -1
2 ipc-sig watch 00
2 ipc-sig watch -- -0
2 ipc-sig watch +0
2 ipc-sig watch x
2 ipc-sig watch ''
2 ipc-sig watch -t x 1
2 ipc-sig watch -c x 1
2 ipc-sig watch -c 1 -f 1
2 ipc-sig watch 99999999999999999999
2 ipc-sig watch "$BAD"
2 ipc-sig watch 1 2
1 ipc-sig watch 2147483647
CASES
}

@test "bad input: ipc-sock, each verb" {
	cases ipc-sock <<'CASES'
2 ipc-sock listen
2 ipc-sock listen ''
2 ipc-sock listen @
2 ipc-sock listen abstract:
2 ipc-sock listen unix:
2 ipc-sock listen "$LONG"
2 ipc-sock listen "@$LONG"
2 ipc-sock listen nosuch:x
2 ipc-sock listen tcp:
2 ipc-sock listen tcp:host
2 ipc-sock listen tcp::80
2 ipc-sock listen tcp:127.0.0.1:
2 ipc-sock listen tcp:127.0.0.1:x
2 ipc-sock listen tcp:127.0.0.1:65536
2 ipc-sock listen tcp:127.0.0.1:-1
2 ipc-sock listen tcp:::1:80
2 ipc-sock listen tcp:[::1
2 ipc-sock listen tcp:[::1]80
1 ipc-sock send tcp:nonexistent.invalid:80 x
2 ipc-sock listen "tcp:$LONG:80"
2 ipc-sock send '@a\0' m
2 ipc-sock stat '@a\400'
2 ipc-sock connect 'x\q'
2 ipc-sock connect 'x\'
2 ipc-sock listen 'x\000y'
2 ipc-sock listen "tcp:[$LONG]:80"
2 ipc-sock listen "tcp:$BAD:80"
2 ipc-sock listen --type x s
2 ipc-sock listen --type dgram tcp:127.0.0.1:0
2 ipc-sock listen --type
2 ipc-sock listen -n x s
2 ipc-sock listen -n -1 s
2 ipc-sock listen -e cat --kill-after x s
2 ipc-sock listen -e cat --kill-after -1s s
2 ipc-sock listen -e cat --kill-after s
2 ipc-sock listen --kill-after 1s s
2 ipc-sock listen -m 9 s
2 ipc-sock listen -e
2 ipc-sock listen s t
2 ipc-sock activate
2 ipc-sock activate s
2 ipc-sock activate -- true
2 ipc-sock activate --name '' s -- true
2 ipc-sock activate "tcp:$BAD" -- true
2 ipc-sock connect
2 ipc-sock connect tcp:127.0.0.1:0
2 ipc-sock connect -t x s
2 ipc-sock connect -t
2 ipc-sock connect s t
2 ipc-sock connect "$HUGE"
1 ipc-sock connect -t 1 "$NAME"
1 ipc-sock connect -t 1 "@$NAME"
2 ipc-sock send
2 ipc-sock send --pass-fd x s
2 ipc-sock send --pass-fd -1 s
2 ipc-sock send --pass-fd
2 ipc-sock send -l -0 s
2 ipc-sock send udp:127.0.0.1:0 m
1 ipc-sock send -t 1 "$NAME" m
2 ipc-sock recv
2 ipc-sock recv -c x s
2 ipc-sock recv -c 1 -f s
2 ipc-sock recv -0 -r s
2 ipc-sock recv --type nope s
2 ipc-sock recv -m 9 s
2 ipc-sock recv "udp:$NL:1"
2 ipc-sock stat
2 ipc-sock stat ''
2 ipc-sock stat --notruncate @x
2 ipc-sock stat foo:bar
2 ipc-sock stat tcp:127.0.0.1:1
2 ipc-sock stat -o nope s
2 ipc-sock stat "$LONG"
2 ipc-sock stat s t
1 ipc-sock stat nosuch
2 ipc-sock ls -o nope
2 ipc-sock ls --pid x
1 ipc-sock ls --pid 2147483647
2 ipc-sock stat --wait -t 1x s
124 ipc-sock stat --wait -t 0 nosuch
2 ipc-sock --ns -5 ls
2 ipc-sock ls -o "$HUGE"
1 ipc-sock ls nosuchdir
2 ipc-sock rm
2 ipc-sock rm @x
2 ipc-sock rm tcp:127.0.0.1:1
2 ipc-sock rm ''
1 ipc-sock rm nosuch
2 ipc-sock tap
2 ipc-sock tap @x
2 ipc-sock tap tcp:127.0.0.1:1
2 ipc-sock tap -X -j s
2 ipc-sock tap a b
2 ipc-sock tap "$BAD$LONG"
1 ipc-sock tap nosuch
CASES
}

@test "bad input: ipc-proc stat" {
	cases ipc-proc <<'CASES'
2 ipc-proc stat
2 ipc-proc stat 0
2 ipc-proc stat -- -1
2 ipc-proc stat 00
2 ipc-proc stat +0
2 ipc-proc stat x
2 ipc-proc stat ''
2 ipc-proc stat "$BAD"
2 ipc-proc stat 99999999999999999999
2 ipc-proc stat 1 2
2 ipc-proc stat -o nosuch 1
2 ipc-proc stat -o '' 1
2 ipc-proc stat -t 1 1
1 ipc-proc stat 2147483647
CASES
}

@test "bad input: ipc-proc why, ls, map, and stat's other forms" {
	cases ipc-proc <<'CASES'
2 ipc-proc stat 1x
2 ipc-proc stat "$LONG"
2 ipc-proc why
2 ipc-proc why x
2 ipc-proc why 0
2 ipc-proc why -- -1
2 ipc-proc why --check
2 ipc-proc why --check 00
2 ipc-proc why --check=x 1
2 ipc-proc why "$NL"
1 ipc-proc why 2147483647
1 ipc-proc why --check 2147483647
2 ipc-proc ls x
2 ipc-proc ls 1
2 ipc-proc ls --min
2 ipc-proc ls --min x
2 ipc-proc ls --min -1s
2 ipc-proc ls --min "$HUGE"
2 ipc-proc ls -o nope
2 ipc-proc ls -a -o "$BAD"
2 ipc-proc map x
2 ipc-proc map 0
2 ipc-proc map 1 -- -1
2 ipc-proc map --format
2 ipc-proc map --format x
2 ipc-proc map --format ''
2 ipc-proc map --format "$BAD"
2 ipc-proc map --format "$LONG"
1 ipc-proc map 2147483647
2 ipc-proc --ns x stat 1
CASES
}

@test "bad input: every verb of every command has cases here" {
	local c v missing=
	for c in ipc-mq ipc-pipe ipc-shm ipc-sem ipc-sig ipc-sock ipc-proc; do
		for v in $("$c" -h | sed -n "s/^ *\(usage:\)\{0,1\} *$c \([a-z][a-z]*\) .*/\2/p"); do
			grep -Eq "^[0-9]+!? $c $v( |$)" "$BATS_TEST_FILENAME" ||
			    missing="$missing $c-$v"
		done
	done
	[ -z "$missing" ] || { echo "no cases for:$missing" >&2; return 1; }
}
