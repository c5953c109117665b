#!/usr/bin/env bats
# ipc-sem: POSIX named semaphores, and System V sets with -S, checked
# against peers that are not this code: tests/peers/sempeer (libc's
# sem_* calls) and util-linux ipcs.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR" || return
	s=t$$-$BATS_TEST_NUMBER
	key=$(sysv_key 0x73)
	ids=$BATS_TEST_TMPDIR/ids
}

teardown() {
	local id
	teardown_bg
	ipc-sem rm -f "$s" "$s-b" 2>/dev/null
	ipc-sem rm -S -f "$key" 2>/dev/null
	if [ -f "$ids" ]; then
		while read -r id; do
			ipc-sem rm -S -f "id:$id" 2>/dev/null
		done <"$ids"
	fi
	return 0
}

# every command that may block is bounded; a hang shows as 143, never
# as the 124 of a timed-out wait
sem() {
	timeout --preserve-status 20 ipc-sem "$@"
}

# the value libc sees
value() {
	sempeer value "/$1"
}

# a System V set's id from ipcs, by key
sv_id() {
	ipcs -s | awk -v k="$(printf '0x%08x' "$1")" '$1 == k { print $2 }'
}

# column $3 (value, ncount, zcount, pid) of semaphore $2 of the set $1,
# from ipcs -s -i
sv_col() {
	ipcs -s -i "$(sv_id "$1")" | awk -v n="$2" -v c="$3" '
	    $1 == "semnum" { for (i = 1; i <= NF; i++) col[$i] = i; on = 1; next }
	    on && $1 == n { print $col[c] }'
}

sv_value() {
	sv_col "$1" "${2:-0}" value
}

# every process's maps can be read (root can be refused a guarded init's)
sees_maps() {
	local p
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = "$BASHPID" ] && continue
		{ : <"$p/maps"; } 2>/dev/null && continue
		[ -d "$p" ] && return 1
	done
	return 0
}

# the note stat and ls ($1) write when some process's maps are unreadable;
# they mark orphans from the same maps
maps_note() {
	if ! is_root || ! sees_maps; then
		unread_note "ipc-sem: $1" "holders may be partial$ORPHAN_NOTE"
	fi
}

usage_line() {
	ipc-sem -h | sed -n "s/^ *ipc-sem $1 /usage: ipc-sem $1 /p"
}

# process $1 is asleep in ipc-sem (not the shell before exec)
asleep() {
	comm_is "$1" ipc-sem && sleeping "$1"
}

dead() {
	! kill -0 "$1" 2>/dev/null
}

dead_either() {
	dead "$1" || dead "$2"
}

# the ipc-sem that timeout $1 runs is asleep, or has ended
settled() {
	local c
	c=$(pgrep -P "$1") || return 0
	asleep "$c"
}

# --- the command line ---

@test "-h lists every verb and alias; VERB -h lists that verb's options" {
	run -0 ipc-sem -h
	for v in create post send wait recv run rm stat ls; do
		assert_line --regexp "^ +ipc-sem $v "
	done
	run -0 ipc-sem wait -h
	assert_line 'usage: ipc-sem wait [-S] [--index N] [-t DUR] [-c N] NAME|KEY'
	assert_line --regexp '^      --index N +which semaphore of the set \(-S; default 0\)$'
	assert_line --regexp '^  -t, --timeout DUR '
	run -0 ipc-sem create -h
	assert_line --regexp '^  -i, --init VALUE +start value \(default 1\)$'
	run -0 ipc-sem run -h
	assert_line --index 0 'usage: ipc-sem run [-S] [--index N] [-t DUR] [-i N [--any-owner]] NAME|KEY -- CMD...'
	assert_line --regexp '^  -i, --init N +create it with value N where it is missing$'
}

@test "missing operands, extra operands and unknown options are usage errors" {
	run -2 --separate-stderr ipc-sem create
	assert_equal "${stderr_lines[0]}" "ipc-sem: create: missing NAME"
	assert_equal "${stderr_lines[1]}" "$(usage_line create)"
	run -2 --separate-stderr ipc-sem create -S
	assert_equal "${stderr_lines[0]}" "ipc-sem: create: missing KEY"
	run -2 --separate-stderr ipc-sem post "$s" extra
	assert_equal "${stderr_lines[0]}" "ipc-sem: post: too many operands"
	run -2 --separate-stderr ipc-sem ls extra
	assert_equal "${stderr_lines[0]}" "ipc-sem: ls: too many operands"
	run -2 --separate-stderr ipc-sem rm
	assert_equal "${stderr_lines[0]}" "ipc-sem: rm: missing NAME"
	run -2 --separate-stderr ipc-sem post -t 1 "$s"
	assert_equal "${stderr_lines[0]}" "ipc-sem: post: unknown option '-t'"
	run -2 --separate-stderr ipc-sem wait -x "$s"
	assert_equal "${stderr_lines[0]}" "ipc-sem: wait: unknown option '-x'"
	run -2 --separate-stderr ipc-sem po "$s"
	assert_equal "${stderr_lines[0]}" "ipc-sem: unknown verb 'po' (did you mean 'post'?)"
	run -1 value "$s"
}

@test "-i, -c and --index out of range, negative, overflowing or junk: usage errors, nothing made" {
	run -2 --separate-stderr ipc-sem create -i -1 "$s"
	assert_equal "${stderr_lines[0]}" "ipc-sem: create: -i: '-1' is not a whole number from 0 to 2147483647"
	assert_equal "${#stderr_lines[@]}" 2
	run -2 --separate-stderr ipc-sem create -i 2147483648 "$s"
	assert_equal "${stderr_lines[0]}" "ipc-sem: create: -i: '2147483648' is not a whole number from 0 to 2147483647"
	run -2 ipc-sem create -i 99999999999999999999999 "$s"
	run -2 ipc-sem create -i 1x "$s"
	run -2 ipc-sem create -i '' "$s"
	run -1 value "$s"
	run -2 --separate-stderr ipc-sem create -S -i 32768 "$key"
	assert_equal "${stderr_lines[0]}" "ipc-sem: create: -i: '32768' is not a whole number from 0 to 32767"
	run -2 --separate-stderr ipc-sem create -S --nsems 0 "$key"
	assert_equal "${stderr_lines[0]}" "ipc-sem: create: --nsems: '0' is not a whole number from 1 to 65535"
	[ -z "$(sv_id "$key")" ]
	ipc-sem create "$s"
	run -2 --separate-stderr ipc-sem post -c 0 "$s"
	assert_equal "${stderr_lines[0]}" "ipc-sem: post: -c: '0' is not a whole number from 1 to 9223372036854775807"
	run -2 --separate-stderr ipc-sem post -c 2147483648 "$s"
	assert_equal "${stderr_lines[0]}" "ipc-sem: post: -c: '2147483648' is not a whole number from 1 to 2147483647"
	run -2 ipc-sem wait -c -1 "$s"
	run -2 --separate-stderr ipc-sem wait -S -c 32768 "$key"
	assert_equal "${stderr_lines[0]}" "ipc-sem: wait: -c: '32768' is not a whole number from 1 to 32767"
	run -2 --separate-stderr ipc-sem post -S --index -1 "$key"
	assert_equal "${stderr_lines[0]}" "ipc-sem: post: --index: '-1' is not a whole number from 0 to 65535"
	run -2 --separate-stderr ipc-sem run -i -3 "$s" -- true
	assert_equal "${stderr_lines[0]}" "ipc-sem: run: -i: '-3' is not a whole number from 0 to 2147483647"
	run -0 value "$s"
	assert_output 1
}

@test "the System V options without -S are refused, naming -S" {
	run -2 --separate-stderr ipc-sem post --index 1 "$s"
	assert_equal "${stderr_lines[0]}" "ipc-sem: post: --index is for System V semaphore sets (-S)"
	run -2 --separate-stderr ipc-sem create --nsems 2 "$s"
	assert_equal "${stderr_lines[0]}" "ipc-sem: create: --nsems is for System V semaphore sets (-S)"
	run -1 value "$s"
}

@test "names: with or without the slash the same; bad names are usage errors" {
	run -0 ipc-sem create "/$s"
	run -0 ipc-sem post "$s"
	run -0 value "$s"
	assert_output 2
	run -2 --separate-stderr ipc-sem create "$s/x"
	assert_equal "${stderr_lines[0]}" "ipc-sem: create: '$s/x': a name may have only a leading slash"
	run -2 --separate-stderr ipc-sem wait ''
	assert_equal "${stderr_lines[0]}" "ipc-sem: wait: empty name"
}

# --- create ---

@test "create: value 1, mode 0600 whatever the umask, seen by libc" {
	umask 000
	run -0 ipc-sem create "$s"
	assert_output ''
	run -0 value "$s"
	assert_output 1
	run -0 stat -c %a "/dev/shm/sem.$s"
	assert_output 600
}

@test "create -m -i: the mode exactly, the value given; -i 0 is a closed gate" {
	umask 077
	run -0 ipc-sem create -m 0644 -i 5 "$s"
	run -0 stat -c %a "/dev/shm/sem.$s"
	assert_output 644
	run -0 value "$s"
	assert_output 5
	run -0 ipc-sem create --init=0 --mode=640 "$s-b"
	run -0 value "$s-b"
	assert_output 0
	run -3 sempeer trywait "/$s-b"
}

@test "create: an existing one is refused with the -x hint; -x leaves its value alone" {
	ipc-sem create -i 3 "$s"
	run -1 --separate-stderr ipc-sem create "$s"
	assert_equal "$stderr" "ipc-sem: create /$s: File exists (-x: succeed if it already exists)"
	run -0 ipc-sem create -x -i 9 "$s"
	run -0 value "$s"
	assert_output 3
}

# --- post and wait ---

@test "post and send add one, -c N adds N, as libc sees" {
	ipc-sem create -i 0 "$s"
	run -0 ipc-sem post "$s"
	run -0 ipc-sem send "$s"
	run -0 ipc-sem post -c 5 "$s"
	assert_output ''
	run -0 value "$s"
	assert_output 7
	sempeer post "/$s"
	run -0 ipc-sem stat -o value "$s"
	assert_output value=8
}

@test "post: past SEM_VALUE_MAX is refused with the numbers, nothing added" {
	ipc-sem create -i 2147483646 "$s"
	run -1 --separate-stderr ipc-sem post -c 2 "$s"
	assert_equal "$stderr" "ipc-sem: post /$s: Value too large for defined data type (value 2147483646 + 2 > SEM_VALUE_MAX 2147483647)"
	run -0 value "$s"
	assert_output 2147483646
	run -0 ipc-sem post "$s"
	run -0 value "$s"
	assert_output 2147483647
}

@test "wait and recv take one; -c N takes N; what libc posted is there to take" {
	ipc-sem create -i 4 "$s"
	run -0 sem wait "$s"
	assert_output ''
	run -0 sem recv "$s"
	run -0 value "$s"
	assert_output 2
	run -0 sem wait -c 2 "$s"
	run -0 value "$s"
	assert_output 0
	sempeer post "/$s"
	run -0 sem wait -t 0 "$s"
	run -0 value "$s"
	assert_output 0
}

@test "wait -t 0 is trywait: 124 at once when it would block, nothing taken" {
	ipc-sem create -i 0 "$s"
	run -124 --separate-stderr timeout -s KILL 5 ipc-sem wait -t 0 "$s"
	assert_equal "$stderr" "ipc-sem: wait /$s: timed out"
	assert_output ''
	ipc-sem post -c 2 "$s"
	run -124 --separate-stderr timeout -s KILL 5 ipc-sem wait -t 0 -c 3 "$s"
	assert_equal "$stderr" "ipc-sem: wait /$s: timed out"
	run -0 value "$s"
	assert_output 2
}

@test "wait -c N is all or nothing: a timeout part way gives back what it took" {
	ipc-sem create -i 2 "$s"
	run -124 --separate-stderr timeout -s KILL 10 ipc-sem wait -t 200ms -c 3 "$s"
	assert_equal "$stderr" "ipc-sem: wait /$s: timed out"
	run -0 value "$s"
	assert_output 2
}

@test "a waiter blocks until a libc peer posts, then takes it" {
	ipc-sem create -i 0 "$s"
	bg ipc-sem wait "$s"
	wait_for asleep "$BG_LAST"
	sempeer post "/$s"
	wait "$BG_LAST"
	run -0 value "$s"
	assert_output 0
}

@test "wait -c N cut by SIGTERM, SIGINT or SIGHUP part way: what it took goes back, 128+signal" {
	env --default-signal=INT true 2>/dev/null ||
	    skip "env has no --default-signal (coreutils < 8.31)"
	ipc-sem create -i 2 "$s"
	for sig in TERM INT HUP; do
		bg env --default-signal=INT ipc-sem wait -c 3 "$s" 2>err
		wait_for asleep "$BG_LAST"
		wait_for outputs 0 value "$s"
		kill -s "$sig" "$BG_LAST"
		st=0
		wait "$BG_LAST" || st=$?
		[ "$st" -eq "$((128 + $(kill -l "$sig")))" ]
		[ ! -s err ]
		[ "$(value "$s")" = 2 ]
	done
}

@test "a waiter's stdout on /dev/full changes nothing: wait writes nothing" {
	ipc-sem create -i 1 "$s"
	run -0 sh -c "ipc-sem wait -t 0 $s > /dev/full"
	assert_output ''
	run -0 value "$s"
	assert_output 0
}

# --- missing, another user's, rm ---

@test "a missing semaphore is named: exit 1; -f makes rm quiet" {
	for v in post wait stat; do
		run -1 --separate-stderr ipc-sem "$v" "$s"
		assert_equal "$stderr" "ipc-sem: $v /$s: No such file or directory"
	done
	run -1 --separate-stderr ipc-sem rm "$s"
	assert_equal "$stderr" "ipc-sem: rm /$s: No such file or directory"
	run -0 ipc-sem rm -f "$s"
	run -1 --separate-stderr ipc-sem wait -S "$key"
	assert_equal "$stderr" "ipc-sem: wait $key: No such file or directory"
	run -1 --separate-stderr ipc-sem stat -S "$key"
	assert_equal "$stderr" "ipc-sem: stat $key: No such file or directory"
	run -0 ipc-sem rm -S -f "$key"
}

@test "rm: several at once; a missing one is named and the rest removed; a bad name removes none" {
	ipc-sem create "$s"
	ipc-sem create "$s-b"
	run -2 ipc-sem rm "$s" "a/b"
	run -0 value "$s"
	run -1 --separate-stderr ipc-sem rm "$s" "$s-c" "$s-b"
	assert_equal "$stderr" "ipc-sem: rm /$s-c: No such file or directory"
	run -1 value "$s"
	run -1 value "$s-b"
}

@test "another user's 0600 semaphore: Permission denied, untouched" {
	need_nobody
	ipc-sem create -i 2 "$s"
	for v in post wait rm; do
		run -1 --separate-stderr as_nobody "$BIN/ipc-sem" "$v" "$s"
		assert_equal "$stderr" "ipc-sem: $v /$s: Permission denied"
	done
	run -125 --separate-stderr as_nobody "$BIN/ipc-sem" run "$s" -- true
	assert_equal "$stderr" "ipc-sem: run /$s: Permission denied"
	run -0 value "$s"
	assert_output 2
	ipc-sem create -S -i 2 "$key" >/dev/null
	for v in post wait; do
		run -1 --separate-stderr as_nobody "$BIN/ipc-sem" "$v" -S "$key"
		assert_equal "$stderr" "ipc-sem: $v $key: Permission denied"
	done
	run -1 --separate-stderr as_nobody "$BIN/ipc-sem" rm -S "$key"
	assert_equal "$stderr" "ipc-sem: rm $key: Operation not permitted"
	[ "$(sv_value "$key")" = 2 ]
}

# --- stat and ls ---

@test "stat: value, mode, owner, group and the processes that map it" {
	ipc-sem create -i 3 "$s"
	bg sempeer hold "/$s" ready
	wait_for test -e ready
	run -0 --separate-stderr ipc-sem stat "$s"
	assert_equal "${lines[*]}" "name=/$s value=3 mode=0600 owner=$(id -un) group=$(id -gn) orphan=no holders=$BG_LAST(sempeer)"
	assert_equal "$stderr" "$(maps_note stat)"
	run -0 --separate-stderr ipc-sem stat -o value,mode "$s"
	assert_output "$(printf 'value=3\nmode=0600')"
	[ -z "$stderr" ]
	run -0 --separate-stderr sh -c "ipc-sem stat -j $s | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[\"value\"], d[\"holders\"][0][\"command\"])'"
	assert_output "3 sempeer"
}

@test "stat: a full stdout is an error, named" {
	ipc-sem create "$s"
	run -1 --separate-stderr sh -c "ipc-sem stat -o value $s > /dev/full"
	assert_equal "$stderr" "ipc-sem: stat /$s: stdout: No space left on device"
}

@test "ls: every semaphore in /dev/shm, names for completion, JSON" {
	ipc-sem create -i 4 "$s"
	ipc-sem create "$s-b"
	run -0 --separate-stderr ipc-sem ls -H -o name
	assert_line "/$s"
	assert_line "/$s-b"
	run -0 --separate-stderr ipc-sem ls
	assert_line --index 0 --regexp '^NAME +VALUE +MODE +OWNER +ORPHAN +HOLDERS$'
	assert_line --regexp "^/$s +4 0600 "
	assert_equal "$stderr" "$(maps_note ls)"
	run -0 --separate-stderr sh -c "ipc-sem ls -j -o name,value | python3 -c 'import json,sys; print([r[\"value\"] for r in json.load(sys.stdin) if r[\"name\"] == \"/$s\"])'"
	assert_output '[4]'
}

# --- run ---

@test "run: CMD with its arguments, its status passed on, the unit given back" {
	ipc-sem create -i 1 "$s"
	run -0 sem run "$s" -- printf '%s|' a 'b c'
	assert_output 'a|b c|'
	run -3 sem run "$s" -- sh -c "sempeer value /$s; exit 3"
	assert_output 0
	run -0 value "$s"
	assert_output 1
	run -137 sem run "$s" -- sh -c 'kill -9 $$'
	run -0 value "$s"
	assert_output 1
}

@test "run: while CMD runs, stat shows ipc-sem holding it" {
	ipc-sem create "$s"
	run -0 --separate-stderr sem run "$s" -- ipc-sem stat -o value,holders "$s"
	assert_line value=0
	assert_line --regexp "^holders=[0-9]+\\($(comm_re ipc-sem)\\)\$"
}

@test "run: not found 127, not executable 126, each named; the unit given back" {
	ipc-sem create "$s"
	run -127 --separate-stderr sem run "$s" -- "nosuch-$$"
	assert_equal "$stderr" "ipc-sem: run: nosuch-$$: No such file or directory"
	printf '#!/bin/sh\n' > script
	chmod 644 script
	run -126 --separate-stderr sem run "$s" -- ./script
	assert_equal "$stderr" "ipc-sem: run: ./script: Permission denied"
	run -0 value "$s"
	assert_output 1
}

@test "run: without -- or without CMD is a usage error; a missing semaphore 125, CMD never run" {
	run -2 --separate-stderr ipc-sem run "$s" true
	assert_equal "${stderr_lines[0]}" "ipc-sem: run: missing -- before CMD"
	assert_equal "${stderr_lines[1]}" "$(usage_line run)"
	run -2 --separate-stderr ipc-sem run "$s" --
	assert_equal "${stderr_lines[0]}" "ipc-sem: run: missing CMD after --"
	run -2 --separate-stderr ipc-sem run -- true
	assert_equal "${stderr_lines[0]}" "ipc-sem: run: missing NAME"
	run -125 --separate-stderr ipc-sem run "$s" -- touch ran
	assert_equal "$stderr" "ipc-sem: run /$s: No such file or directory"
	[ ! -e ran ]
	run -125 --separate-stderr ipc-sem run -S "$key" -- touch ran
	assert_equal "$stderr" "ipc-sem: run $key: No such file or directory"
	[ ! -e ran ]
}

@test "run: CMD's own options after -- are its own" {
	ipc-sem create "$s"
	run -0 sem run "$s" -- ls -d -t .
	assert_output .
}

@test "run -t: no unit in time is 124, CMD never run" {
	ipc-sem create -i 0 "$s"
	run -124 --separate-stderr timeout -s KILL 10 ipc-sem run -t 100ms "$s" -- touch ran
	assert_equal "$stderr" "ipc-sem: run /$s: timed out"
	[ ! -e ran ]
	run -124 timeout -s KILL 10 ipc-sem run -t 0 "$s" -- touch ran
	[ ! -e ran ]
	run -0 value "$s"
	assert_output 0
}

@test "run -i and create -x refuse another user's semaphore; --any-owner takes it" {
	need_nobody
	run -0 ipc-sem create -m 0666 -i 100 "$s"
	run -125 --separate-stderr as_nobody ipc-sem run -i 1 "$s" -- touch ran
	assert_equal "$stderr" "ipc-sem: run /$s: exists owned by root, not nobody (--any-owner takes another user's)"
	[ ! -e ran ]
	run -1 --separate-stderr as_nobody ipc-sem create -x "$s"
	assert_equal "$stderr" "ipc-sem: create /$s: exists owned by root, not nobody (--any-owner takes another user's)"
	run -0 value "$s"
	assert_output 100
	run -0 as_nobody ipc-sem run -i 1 --any-owner "$s" -- true
	run -0 as_nobody ipc-sem create -x --any-owner "$s"
	run -0 as_nobody ipc-sem create -i 1 "$s-b"
	run -125 --separate-stderr ipc-sem run -i 1 "$s-b" -- true
	assert_equal "$stderr" "ipc-sem: run /$s-b: exists owned by nobody, not root (--any-owner takes another user's)"
	run -1 --separate-stderr ipc-sem create -x -m 0600 "$s"
	assert_equal "$stderr" "ipc-sem: create /$s: exists with mode 0666, not 0600"
	run -0 ipc-sem create -S -m 0666 -i 100 "$key"
	run -125 --separate-stderr as_nobody ipc-sem run -S -i 1 "$key" -- touch ran
	assert_equal "$stderr" "ipc-sem: run $key: exists owned by root, not nobody (--any-owner takes another user's)"
	run -1 --separate-stderr as_nobody ipc-sem create -S -x "$key"
	assert_equal "$stderr" "ipc-sem: create $key: exists owned by root, not nobody (--any-owner takes another user's)"
	[ ! -e ran ]
	run -1 --separate-stderr ipc-sem create -S -x --nsems 2 "$key"
	assert_equal "$stderr" "ipc-sem: create $key: exists with nsems 1, not 2"
	run -0 as_nobody ipc-sem run -S -i 1 --any-owner "$key" -- true
}

@test "run -i N creates it with value N where missing, and leaves an existing one" {
	run -0 sem run -i 3 "$s" -- sempeer value "/$s"
	assert_output 2
	run -0 value "$s"
	assert_output 3
	run -0 sem run -i 7 "$s" -- true
	run -0 value "$s"
	assert_output 3
	run -0 stat -c %a "/dev/shm/sem.$s"
	assert_output 600
}

# runners.sh N FLAVOUR OBJ: 20 runs at once of a body that counts who is
# inside (under flock), records the most at once, and does not leave
# until N are inside or every runner left has come in: so N must have
# run together, and more never can have
racing_runners() {
	local n=$1 pids= i
	shift
	echo 0 > in
	echo 0 > max
	echo 0 > done
	cat > body.sh <<-EOF
	flock lk sh -c 'n=\$((\$(cat in) + 1)); echo \$n > in
	    [ \$n -gt \$(cat max) ] && echo \$n > max; echo \$n >> log'
	until flock lk sh -c '[ \$(cat in) -ge $n ] ||
	    [ \$((\$(cat in) + \$(cat done))) -ge 20 ]'; do
		sleep 0.01
	done
	flock lk sh -c 'echo \$((\$(cat in) - 1)) > in
	    echo \$((\$(cat done) + 1)) > done'
	EOF
	for i in $(seq 20); do
		bg ipc-sem run "$@" -- sh body.sh
		pids="$pids $BG_LAST"
	done
	# bounded by progress, not by the whole: a busy machine may take
	# long over 20 runs, but never 10 s without one more done
	progress_until 10 "cat done" 20
	for i in $pids; do
		wait "$i"
	done
	[ "$(wc -l < log)" -eq 20 ]
	[ "$(cat max)" -eq "$n" ]
	[ "$(cat in)" -eq 0 ]
}

@test "run -i 3: 20 racing runners, never more than 3 at once, and 3 did run together" {
	racing_runners 3 -i 3 "$s"
	run -0 value "$s"
	assert_output 3
}

@test "wait -c 5 cut by QUIT, USR1, ALRM or RTMIN+3 after taking 3: they go back, 128+signal" {
	env --default-signal=INT,QUIT true 2>/dev/null ||
	    skip "env has no --default-signal (coreutils < 8.31)"
	ipc-sem create -i 3 "$s"
	for sig in QUIT USR1 ALRM RTMIN+3; do
		# a background job starts with SIGQUIT ignored: give it back
		bg env --default-signal=INT,QUIT ipc-sem wait -c 5 "$s" 2>err
		wait_for asleep "$BG_LAST"
		wait_for outputs 0 value "$s"
		ends_by "$BG_LAST" "$sig"
		[ ! -s err ]
		[ "$(value "$s")" = 3 ]
	done
}

@test "wait -c N -t: the deadline bounds the whole call on a large value: 124, all given back" {
	ipc-sem create -i 2000000000 "$s"
	# before, each take was there at once and the deadline never looked at
	run -124 --separate-stderr timeout --preserve-status 15 \
	    ipc-sem wait -c 300000000 -t 100ms "$s"
	assert_equal "$stderr" "ipc-sem: wait /$s: timed out"
	[ "$(value "$s")" = 2000000000 ]
	run -0 ipc-sem wait -c 3 -t 0 "$s"
	[ "$(value "$s")" = 1999999997 ]
}

@test "wait -c 3 twice, each holding 2 of 4: one gives way, both end once there are 6" {
	ipc-sem create -i 0 "$s"
	bg timeout 20 ipc-sem wait -c 3 "$s"
	a=$BG_LAST
	wait_for settled "$a"
	bg timeout 20 ipc-sem wait -c 3 "$s"
	b=$BG_LAST
	wait_for settled "$b"
	# one unit at a time, each taken before the next: the futex queue
	# wakes them in turn, so each holds 2 and waits for a third
	for i in 1 2 3 4; do
		ipc-sem post "$s"
		wait_for outputs 0 value "$s"
		wait_for settled "$a"
		wait_for settled "$b"
	done
	wait_for dead_either "$a" "$b"
	ipc-sem post -c 2 "$s"
	wait "$a"
	wait "$b"
	[ "$(value "$s")" = 0 ]
}

@test "wait: a signal ignored when it started stays ignored (nohup's HUP, a job's QUIT)" {
	ipc-sem create -i 1 "$s"
	bg env --ignore-signal=HUP,QUIT ipc-sem wait -c 2 "$s" 2>err
	wait_for asleep "$BG_LAST"
	wait_for outputs 0 value "$s"
	kill -s HUP "$BG_LAST"
	kill -s QUIT "$BG_LAST"
	# TERM after them: had either ended it, the status would say so
	kill -s TERM "$BG_LAST"
	st=0
	wait "$BG_LAST" || st=$?
	[ "$st" -eq 143 ]
	[ ! -s err ]
	[ "$(value "$s")" = 1 ]
}

@test "run: killed by QUIT or USR1 while CMD runs: passed on, the unit given back, 128+signal" {
	env --default-signal=INT,QUIT true 2>/dev/null ||
	    skip "env has no --default-signal (coreutils < 8.31)"
	ipc-sem create "$s"
	for sig in QUIT USR1; do
		rm -f pid
		bg env --default-signal=INT,QUIT ipc-sem run "$s" -- \
		    sh -c 'echo $$ > pid; exec sleep 30' 2> err
		wait_for test -s pid
		wait_comm "$(cat pid)" sleep
		ends_by "$BG_LAST" "$sig"
		dead "$(cat pid)"
		[ ! -s err ]
		[ "$(value "$s")" = 1 ]
	done
}

@test "run: CMD gets the mask and dispositions ipc-sem started with (PIPE ignored, XFSZ not)" {
	ipc-sem create "$s"
	# signals 32 and 33 are glibc's own (SIGCANCEL, SIGSETXID): no
	# program can set them, and a shell of the suite may pass them on
	# ignored, so they are left out of what is compared
	run -0 env --ignore-signal=PIPE timeout 20 ipc-sem run "$s" -- \
	    awk '$1 == "SigIgn:" || $1 == "SigBlk:" { print $1, $2 }' \
	    /proc/self/status
	assert_equal "${lines[0]}" "SigBlk: 0000000000000000"
	assert_equal "$(printf 'SigIgn: %016x' \
	    $((0x${lines[1]#SigIgn: } & ~0x180000000)))" \
	    "SigIgn: 0000000000001000"
	[ "$(value "$s")" = 1 ]
}

@test "run -S -i 3: 20 racing runners on one new set, never more than 3 at once" {
	racing_runners 3 -S -i 3 "$key"
	[ "$(sv_value "$key")" = 3 ]
}

@test "run: SIGTERM, SIGINT and SIGHUP are passed on; CMD's status is ours" {
	env --default-signal=INT true 2>/dev/null ||
	    skip "env has no --default-signal (coreutils < 8.31)"
	ipc-sem create "$s"
	cat > trapper.sh <<-'EOF'
	sleep 30 & k=$!
	for sig in TERM INT HUP; do
		trap "kill $k; echo got $sig; exit 7" $sig
	done
	echo $$ > pid
	wait
	EOF
	for sig in TERM INT HUP; do
		rm -f pid
		bg env --default-signal=INT ipc-sem run "$s" -- sh trapper.sh > out 2> err
		wait_for test -s pid
		kill -s "$sig" "$BG_LAST"
		st=0
		wait "$BG_LAST" || st=$?
		[ "$st" -eq 7 ]
		[ "$(cat out)" = "got $sig" ]
		[ ! -s err ]
		[ "$(value "$s")" = 1 ]
	done
}

@test "run: CMD killed by the signal passed on: 128+signal, the unit given back" {
	env --default-signal=INT true 2>/dev/null ||
	    skip "env has no --default-signal (coreutils < 8.31)"
	ipc-sem create "$s"
	for sig in TERM INT HUP; do
		rm -f pid
		bg env --default-signal=INT ipc-sem run "$s" -- sh -c 'echo $$ > pid; exec sleep 30' 2> err
		wait_for test -s pid
		wait_comm "$(cat pid)" sleep
		kill -s "$sig" "$BG_LAST"
		st=0
		wait "$BG_LAST" || st=$?
		[ "$st" -eq "$((128 + $(kill -l "$sig")))" ]
		dead "$(cat pid)"
		[ ! -s err ]
		[ "$(value "$s")" = 1 ]
	done
}

@test "run: a signal while waiting for the unit ends it, CMD never run, nothing taken" {
	ipc-sem create -i 0 "$s"
	bg ipc-sem run "$s" -- touch ran
	wait_for asleep "$BG_LAST"
	kill -TERM "$BG_LAST"
	st=0
	wait "$BG_LAST" || st=$?
	[ "$st" -eq 143 ]
	[ ! -e ran ]
	[ "$(value "$s")" = 0 ]
}

@test "run: a wrapper killed with SIGKILL takes CMD with it (the POSIX unit is lost)" {
	ipc-sem create "$s"
	bg ipc-sem run "$s" -- sh -c 'echo $$ > pid; exec sleep 30'
	wait_for test -s pid
	p=$(cat pid)
	kill -KILL "$BG_LAST"
	wait "$BG_LAST" || true
	wait_for dead "$p"
	# as ipc-sem(1) says: only -S can give back a unit after SIGKILL
	[ "$(value "$s")" = 0 ]
}

# --- System V ---

@test "create -S: prints the id; value 1, mode 0600, as ipcs sees" {
	run -0 ipc-sem create -S "$key"
	assert_output "$(sv_id "$key")"
	run -0 ipcs -s -i "$output"
	assert_line --regexp '^mode=0600, access_perms=0600'
	assert_line 'nsems = 1'
	[ "$(sv_value "$key")" = 1 ]
	# the value was set by a semop, so otime says the set is ready
	run -0 ipc-sem stat -S -o otime "$key"
	assert_output --regexp '^otime=[0-9]{4}-'
}

@test "create -S --nsems -i -m: every semaphore gets the value" {
	run -0 ipc-sem create -S --nsems 3 -i 4 -m 640 "$key"
	run -0 ipcs -s -i "$(sv_id "$key")"
	assert_line 'nsems = 3'
	assert_line --regexp '^mode=0640'
	for i in 0 1 2; do
		[ "$(sv_value "$key" "$i")" = 4 ]
	done
	run -0 ipc-sem create -S -i 0 private
	echo "$output" > "$ids"
	run -0 ipc-sem stat -S -o value,otime "id:$(cat "$ids")"
	assert_line value=0
	assert_line --regexp '^otime=[0-9]{4}-'
}

@test "create -S: a set of more semaphores than one semop takes (SEMOPM) gets its value in each" {
	local n
	n=$(($(awk '{ print $3 }' /proc/sys/kernel/sem) + 3))
	[ "$n" -le "$(awk '{ print $1 }' /proc/sys/kernel/sem)" ] ||
	    skip "SEMMSL is not above SEMOPM here"
	run -0 ipc-sem create -S --nsems "$n" -i 2 "$key"
	[ "$(sv_value "$key" 0)" = 2 ]
	[ "$(sv_value "$key" $((n - 1)))" = 2 ]
}

@test "create -S: an existing set is refused; -x prints its id and never resets it" {
	ipc-sem create -S -i 2 "$key" >/dev/null
	run -1 --separate-stderr ipc-sem create -S "$key"
	assert_equal "$stderr" "ipc-sem: create $key: File exists (-x: succeed if it already exists)"
	# a holder's undo must survive create -x: a SETVAL would clear it
	bg ipc-sem run -S "$key" -- sh -c 'echo $$ > pid; exec sleep 30'
	wait_for test -s pid
	[ "$(sv_value "$key")" = 1 ]
	run -0 ipc-sem create -S -x -i 9 "$key"
	assert_output "$(sv_id "$key")"
	[ "$(sv_value "$key")" = 1 ]
	kill -KILL "$(cat pid)"
	wait "$BG_LAST" || true
	wait_for outputs 2 sv_value "$key"
}

@test "create -S: over SEMMSL is refused naming it; private with stdout full leaves nothing" {
	local msl
	msl=$(awk '{ print $1 }' /proc/sys/kernel/sem)
	[ "$msl" -lt 65535 ] || skip "SEMMSL is at its ceiling"
	run -1 --separate-stderr ipc-sem create -S --nsems $((msl + 1)) "$key"
	assert_equal "$stderr" "ipc-sem: create $key: --nsems $((msl + 1)) is over SEMMSL ($msl, the first number in /proc/sys/kernel/sem)"
	[ -z "$(sv_id "$key")" ]
	before=$(ipcs -s | grep -c '^0x00000000 ' || true)
	run -1 --separate-stderr sh -c 'ipc-sem create -S private > /dev/full'
	assert_equal "$stderr" "ipc-sem: create private: stdout: No space left on device"
	[ "$(ipcs -s | grep -c '^0x00000000 ' || true)" = "$before" ]
}

@test "post -S and wait -S, as ipcs sees; wait -S keeps its unit after it exits" {
	ipc-sem create -S -i 0 "$key" >/dev/null
	run -0 ipc-sem post -S -c 3 "$key"
	assert_output ''
	run -0 ipc-sem send -S "$key"
	[ "$(sv_value "$key")" = 4 ]
	run -0 sem wait -S "$key"
	run -0 sem recv -S -c 2 "$key"
	[ "$(sv_value "$key")" = 1 ]
	[ "$(sv_col "$key" 0 pid)" != 0 ]
}

@test "wait -S: -t 0 at once, -t DUR in time: 124; -c N takes all N in one semop or none" {
	ipc-sem create -S -i 2 "$key" >/dev/null
	run -124 --separate-stderr timeout -s KILL 5 ipc-sem wait -S -t 0 -c 3 "$key"
	assert_equal "$stderr" "ipc-sem: wait $key: timed out"
	run -124 timeout -s KILL 10 ipc-sem wait -S -t 150ms -c 3 "$key"
	[ "$(sv_value "$key")" = 2 ]
	bg sem wait -S -c 3 "$key"
	wait_for outputs 1 sv_col "$key" 0 ncount
	[ "$(sv_value "$key")" = 2 ]
	ipc-sem post -S "$key"
	wait "$BG_LAST"
	[ "$(sv_value "$key")" = 0 ]
}

@test "wait -S and run -S: -t bounds the wait for a set's maker to set it up" {
	# ipcmk makes a set with semget alone: sem_otime stays 0, as a
	# maker's between its semget and its first semop
	run -0 ipcmk -S 1 -p 600
	id=${output##* }
	echo "$id" >"$ids"
	run -0 ipc-sem stat -S -o otime,value "id:$id"
	assert_output $'otime=\nvalue=0'
	# the wait for it to be set up (at most 1 s) ends with -t's deadline
	run -124 --separate-stderr timeout -s KILL 0.9 \
	    ipc-sem wait -S -t 50ms "id:$id"
	assert_equal "$stderr" "ipc-sem: wait id:$id: timed out"
	run -124 --separate-stderr timeout -s KILL 0.9 \
	    ipc-sem run -S -t 0 "id:$id" -- touch ran
	assert_equal "$stderr" "ipc-sem: run id:$id: timed out"
	[ ! -e ran ]
}

@test "wait -S: a set removed while it waits ends it, named: exit 1" {
	ipc-sem create -S -i 0 "$key" >/dev/null
	bg sh -c "exec ipc-sem wait -S $key 2> err"
	wait_for outputs 1 sv_col "$key" 0 ncount
	ipc-sem rm -S "$key"
	st=0
	wait "$BG_LAST" || st=$?
	[ "$st" -eq 1 ]
	[ "$(cat err)" = "ipc-sem: wait $key: the set was removed" ]
}

@test "wait -S: SIGTERM or SIGHUP while it waits ends it, 128+signal" {
	local sig
	ipc-sem create -S -i 0 "$key" >/dev/null
	for sig in TERM HUP; do
		bg ipc-sem wait -S "$key"
		wait_for outputs 1 sv_col "$key" 0 ncount
		ends_by "$BG_LAST" "$sig"
	done
}

@test "post -S: past SEMVMX is refused with the numbers" {
	ipc-sem create -S -i 32767 "$key" >/dev/null
	run -1 --separate-stderr ipc-sem post -S "$key"
	assert_equal "$stderr" "ipc-sem: post $key: Numerical result out of range (value 32767 + 1 > SEMVMX 32767)"
	[ "$(sv_value "$key")" = 32767 ]
}

@test "--index picks one semaphore of a set; past the set's end is named" {
	ipc-sem create -S --nsems 2 -i 0 "$key" >/dev/null
	run -0 ipc-sem post -S --index 1 -c 2 "$key"
	[ "$(sv_value "$key" 0)" = 0 ]
	[ "$(sv_value "$key" 1)" = 2 ]
	run -0 sem wait -S --index 1 "$key"
	run -0 ipc-sem stat -S --index 1 -o nsems,value "$key"
	assert_output "$(printf 'nsems=2\nvalue=1')"
	run -1 --separate-stderr ipc-sem post -S --index 2 "$key"
	assert_equal "$stderr" "ipc-sem: post $key: --index 2: the set has 2 semaphores (0 to 1)"
	run -125 --separate-stderr ipc-sem run -S --index 5 "$key" -- true
	assert_equal "$stderr" "ipc-sem: run $key: --index 5: the set has 2 semaphores (0 to 1)"
}

@test "stat -S and ls -S: value, ncnt, zcnt, sempid, times, mode, owner" {
	id=$(ipc-sem create -S -i 2 "$key")
	run -0 ipc-sem stat -S "$key"
	assert_line --index 0 "key=$(printf '0x%08x' "$key")"
	assert_line "id=$id"
	assert_line nsems=1
	assert_line value=2
	assert_line ncnt=0
	assert_line zcnt=0
	assert_line "sempid=$(sv_col "$key" 0 pid)"
	assert_line mode=0600
	assert_line "owner=$(id -un)"
	run -0 ipc-sem stat -S -o id "id:$id"
	assert_output "id=$id"
	run -0 ipc-sem ls -S
	assert_line --index 0 --regexp '^KEY +ID NSEMS VALUE NCNT ZCNT SEMPID MODE OWNER$'
	assert_line --regexp "^$(printf '0x%08x' "$key") +$id +1 +2 +0 +0 +[0-9]+ 0600 "
	run -0 ipc-sem ls -S -H -o key,id
	assert_line --regexp "^$(printf '0x%08x' "$key") $id$"
	run -0 sh -c "ipc-sem stat -S -j $key | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[\"value\"], d[\"nsems\"])'"
	assert_output '2 1'
}

@test "run -S: CMD is exec'd and holds the unit itself; SIGKILL gives it back" {
	ipc-sem create -S "$key" >/dev/null
	bg ipc-sem run -S "$key" -- sh -c 'echo $$ > pid; exec sleep 30'
	wait_for test -s pid
	[ "$(cat pid)" = "$BG_LAST" ]
	[ "$(sv_value "$key")" = 0 ]
	kill -KILL "$BG_LAST"
	wait "$BG_LAST" || true
	wait_for outputs 1 sv_value "$key"
}

@test "run -S: status, 127 and 126, a timeout; the unit comes back every time" {
	ipc-sem create -S "$key" >/dev/null
	run -5 sem run -S "$key" -- sh -c "test \$(ipcs -s -i $(sv_id "$key") | awk '\$1 == 0 { print \$2 }') = 0 && exit 5"
	[ "$(sv_value "$key")" = 1 ]
	run -127 --separate-stderr sem run -S "$key" -- "nosuch-$$"
	assert_equal "$stderr" "ipc-sem: run: nosuch-$$: No such file or directory"
	[ "$(sv_value "$key")" = 1 ]
	bg ipc-sem run -S "$key" -- sh -c 'echo $$ > pid; exec sleep 30'
	wait_for test -s pid
	run -124 --separate-stderr timeout -s KILL 10 ipc-sem run -S -t 100ms "$key" -- touch ran
	assert_equal "$stderr" "ipc-sem: run $key: timed out"
	[ ! -e ran ]
	kill "$BG_LAST"
	wait "$BG_LAST" || true
	wait_for outputs 1 sv_value "$key"
}

@test "run -S: SIGTERM reaches CMD itself, which ends 143" {
	ipc-sem create -S "$key" >/dev/null
	bg ipc-sem run -S "$key" -- sh -c 'echo $$ > pid; exec sleep 30'
	wait_for test -s pid
	wait_comm "$BG_LAST" sleep
	kill -TERM "$BG_LAST"
	st=0
	wait "$BG_LAST" || st=$?
	[ "$st" -eq 143 ]
	[ "$(sv_value "$key")" = 1 ]
}

@test "rm -S: by key and by id; a bad key among them removes none" {
	ipc-sem create -S "$key" >/dev/null
	ipc-sem create -S private > "$ids"
	run -2 ipc-sem rm -S "$key" nokey
	[ -n "$(sv_id "$key")" ]
	run -0 ipc-sem rm -S "$key" "id:$(cat "$ids")"
	[ -z "$(sv_id "$key")" ]
	run -1 --separate-stderr ipc-sem stat -S "id:$(cat "$ids")"
	assert_equal "$stderr" "ipc-sem: stat id:$(cat "$ids"): No such file or directory"
}
