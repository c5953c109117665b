#!/usr/bin/env bats
# The tiers commands stand on, through the library's harness (obj/unit):
# children run as a shell runs them and waited for (child.c), and what a
# command made for its own use undone on every exit (cleanup.c).

load helpers

setup() {
	# a directory of the test's own: what is left in it is what it made
	mkdir "$BATS_TEST_TMPDIR/w"
	cd "$BATS_TEST_TMPDIR/w"
	U=$ROOT/${IPC_OBJ:-obj}/unit
	KEEP=
	MADE=
	SEM=
}

teardown() {
	teardown_bg
	# children that outlived the harness on purpose, now below pid 1
	[ -z "$KEEP" ] || kill $KEEP 2>/dev/null
	[ -z "${MADE:-}" ] || eval "$MADE" 2>/dev/null
	[ -z "${SEM:-}" ] || rm -f "/dev/shm/sem.$SEM"
	return 0
}

# process $1 has ended: gone, or a zombie nobody has reaped yet
dead() {
	local s
	s=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" \
	    2>/dev/null) || return 0
	[ -z "$s" ] || [ "$s" = Z ]
}

# signal $2 (a name) waits in process $1's shared pending set: sent,
# not yet taken (a signalfd read takes it)
pending() {
	local mask
	mask=$(sed -n 's/^ShdPnd:[[:space:]]*//p' "/proc/$1/status") || return 1
	(( (16#$mask >> ($(kill -l "$2") - 1)) & 1 ))
}
taken() { ! pending "$@"; }

# the harness started in a state a caller could give it: SIGUSR1
# blocked, SIGHUP and SIGCHLD ignored, SIGINT, SIGTERM, SIGPIPE default
started_odd() {
	perl -MPOSIX -e 'sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGUSR1));
	    $SIG{HUP} = $SIG{CHLD} = "IGNORE";
	    $SIG{INT} = $SIG{TERM} = $SIG{PIPE} = "DEFAULT";
	    exec @ARGV or die "$ARGV[0]: $!\n"' "$@"
}

# --- child.c ----------------------------------------------------------------

@test "child: not found exits 127, found but not executable 126, each named" {
	run -127 --separate-stderr "$U" child -- "nosuch-$$"
	assert_failure 127
	assert_output ""
	[ "$stderr" = "unit: child: nosuch-$$: No such file or directory" ]
	# a directory on PATH we may not search finds nothing (execvp says
	# EACCES): not found, as the shell has it
	mkdir locked
	chmod 0 locked
	run -127 --separate-stderr env PATH="$PWD/locked:$PATH" "$U" child -- \
	    "nosuch-$$"
	[ "$stderr" = "unit: child: nosuch-$$: No such file or directory" ]
	printf 'echo hi\n' > script
	chmod 0644 script
	run --separate-stderr "$U" child -- ./script
	assert_failure 126
	assert_output ""
	[ "$stderr" = "unit: child: ./script: Permission denied" ]
	mkdir dir
	cp script dir/tool
	run --separate-stderr env PATH="$PWD/dir:$PATH" "$U" child -- tool
	assert_failure 126
	[ "$stderr" = "unit: child: tool: Permission denied" ]
}

@test "child: an argv runs through PATH, a string under sh -c; status as the shell's" {
	run --separate-stderr "$U" child -- printf '%s|' a 'b c'
	assert_success
	assert_output "a|b c|"
	run --separate-stderr "$U" child -s -- 'echo hi; exit 3'
	assert_failure 3
	assert_output hi
	[ -z "$stderr" ]
	run "$U" child -- sh -c 'kill -9 $$'
	assert_failure 137
	assert_output ""
}

@test "child: the NAME=VALUE entries are added to our environment, replacing ours" {
	run --separate-stderr env FOO=old KEPT=yes "$U" child -- IPC_MSG_SEQ=7 \
	    FOO=new sh -c 'echo "$IPC_MSG_SEQ $FOO $KEPT"'
	assert_success
	assert_output "7 new yes"
	run env FOO=old "$U" child -s -- FOO=new 'echo "$FOO"'
	assert_output new
}

@test "child: gets the mask and ignored signals we were started with, SIGPIPE default" {
	want=$(started_odd grep -E '^Sig(Blk|Ign)' /proc/self/status)
	# what started_odd set up is what the child must see
	[ "$(( 16#$(echo "$want" | sed -n 's/^SigBlk:\s*//p') & 0x200 ))" -ne 0 ]
	[ "$(( 16#$(echo "$want" | sed -n 's/^SigIgn:\s*//p') & 0x10001 ))" -eq 65537 ]
	run --separate-stderr started_odd "$U" child -u made -- \
	    grep -E '^Sig(Blk|Ign)' /proc/self/status
	assert_success
	assert_output "$want"
	[ -z "$stderr" ]
	# SIGCHLD inherited ignored must not let the kernel reap it first
	run started_odd "$U" child -s -- 'exit 3'
	assert_failure 3
}

@test "child: SIGTERM is passed on; once the child ends, it dies of it: 128+15" {
	cat > child.sh <<-'EOF'
	trap 'kill $s; echo got TERM; exit 7' TERM
	sleep 30 & s=$!
	echo $$ > pid
	wait
	EOF
	bg "$U" child -- sh child.sh > out 2> err
	wait_for test -s pid
	ends_by "$BG_LAST" TERM
	[ "$(cat out)" = "got TERM" ]
	[ ! -s err ]
}

@test "child: one leading its own group has the signal passed to the whole group" {
	bg "$U" child -g -- sh -c 'sleep 30 & echo $! > pid; wait'
	wait_for test -s pid
	ends_by "$BG_LAST" TERM
	wait_for dead "$(cat pid)"
	# in our group, only the child itself is told: what it started stays
	rm pid
	bg "$U" child -- sh -c 'sleep 30 & echo $! > pid; wait'
	wait_for test -s pid
	KEEP=$(cat pid)
	ends_by "$BG_LAST" TERM
	! dead "$KEEP"
}

@test "child: a signal held (-n) is not passed on: the child finishes, then it dies of it" {
	mkfifo go
	bg "$U" child -n -- sh -c 'echo $$ > pid; read x < go; echo finished' \
	    > out
	wait_for test -s pid
	kill -TERM "$BG_LAST"
	wait_for taken "$BG_LAST" TERM
	timeout 10 sh -c 'echo > go'
	st=0
	wait "$BG_LAST" || st=$?
	[ "$st" -eq 143 ]
	[ "$(cat out)" = finished ]
}

# the harness on a terminal of its own, as its session's foreground
# group: once the pid file is written, ^C is typed; prints the harness's
# status (negative: killed by that signal) and what the terminal showed
on_tty() {
	timeout -s KILL 20 python3 -c '
import os, pty, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
while not (os.path.exists("pid") and os.path.getsize("pid") > 0):
    time.sleep(0.02)
os.write(fd, b"\x03")
out = b""
while True:
    try:
        d = os.read(fd, 1024)
    except OSError:
        break
    if not d:
        break
    out += d
print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
sys.stdout.write(out.decode().replace("\r", ""))
' "$@"
}

@test "child: ^C on the terminal reaches a child in our group once, others' by us" {
	command -v python3 > /dev/null || skip "python3 is not installed"
	# a second SIGINT would come within the 300 ms it listens on
	run on_tty "$U" child -- perl -e '$SIG{INT} = sub { $n++ };
	    open(F, ">pid") and print F "$$\n" and close(F) or die;
	    sleep 1 until $n; select(undef, undef, undef, 0.3);
	    print "INT $n\n"'
	assert_success
	assert_output "$(printf -- '-2\n^CINT 1')"
	rm pid
	# the terminal signals its foreground group: another group hears of
	# it from us alone
	run on_tty "$U" child -g -- sh -c 'echo $$ > pid; exec sleep 30'
	assert_success
	assert_output "$(printf -- '-2\n^C')"
}

@test "child: -d: a parent killed with SIGKILL takes the child with it" {
	bg "$U" child -d -- sh -c 'echo $$ > pid; exec sleep 30'
	wait_for test -s pid
	p=$(cat pid)
	kill -KILL "$BG_LAST"
	wait "$BG_LAST" || true
	wait_for dead "$p"
	# without it, the child outlives its parent
	rm pid
	bg "$U" child -- sh -c 'echo $$ > pid; exec sleep 30'
	wait_for test -s pid
	KEEP=$(cat pid)
	kill -KILL "$BG_LAST"
	wait "$BG_LAST" || true
	! dead "$KEEP"
}

@test "child: SIGINT while waiting: passed on, then what we made goes and it dies 128+2" {
	env --default-signal=INT true 2>/dev/null ||
	    skip "env has no --default-signal (coreutils < 8.31)"
	# a background job starts with SIGINT ignored: give it back
	bg env --default-signal=INT "$U" child -u made -- \
	    sh -c 'echo $$ > pid; exec sleep 30'
	wait_for test -s pid
	p=$(cat pid)
	[ -e made ]
	kill -INT "$BG_LAST"
	st=0
	wait "$BG_LAST" || st=$?
	[ "$st" -eq 130 ]
	[ ! -e made ]
	dead "$p"
}

# --- cleanup.c --------------------------------------------------------------

@test "cleanup: what it made is removed when it returns, and on err(3)" {
	run --separate-stderr "$U" cleanup make:f make:g
	assert_success
	assert_output ""
	[ -z "$stderr" ]
	[ ! -e f ] && [ ! -e g ]
	run --separate-stderr "$U" cleanup -E make:f
	assert_failure 1
	assert_output ""
	[ "$stderr" = "unit: cleanup: Operation canceled" ]
	[ ! -e f ]
	[ -z "$(ls -A)" ]
}

@test "cleanup: SIGTERM, SIGINT and SIGHUP remove it, and it dies with 128+signal" {
	env --default-signal=INT true 2>/dev/null ||
	    skip "env has no --default-signal (coreutils < 8.31)"
	for sig in TERM INT HUP; do
		rm -f pid
		bg env --default-signal=INT "$U" cleanup -P pid make:f
		wait_for test -s pid
		[ -e f ]
		kill -s "$sig" "$BG_LAST"
		st=0
		wait "$BG_LAST" || st=$?
		[ "$st" -eq "$((128 + $(kill -l "$sig")))" ]
		[ ! -e f ]
	done
	[ "$(ls -A)" = pid ]
}

@test "cleanup: a file put in its place since is someone else's: left alone" {
	bg "$U" cleanup -P pid make:f
	wait_for test -s pid
	rm f
	echo theirs > f
	ends_by "$BG_LAST" TERM
	[ "$(cat f)" = theirs ]
	[ "$(ls -A | tr '\n' ' ')" = "f pid " ]
}

@test "cleanup: a file moved aside is put back, after the one made in its place goes" {
	echo orig > f
	run "$U" cleanup aside:f
	assert_success
	[ "$(cat f)" = orig ]
	[ ! -e f.aside ]
	bg "$U" cleanup -P pid aside:f make:f
	wait_for test -s pid
	[ "$(cat f.aside)" = orig ] && [ ! -s f ]
	ends_by "$BG_LAST" TERM
	[ "$(cat f)" = orig ]
	[ "$(ls -A | tr '\n' ' ')" = "f pid " ]
}

@test "cleanup: a moved file is never put back over one that stands there now" {
	echo orig > f
	bg "$U" cleanup -P pid aside:f
	wait_for test -s pid
	echo theirs > f
	ends_by "$BG_LAST" TERM
	[ "$(cat f)" = theirs ]
	[ "$(cat f.aside)" = orig ]
}

@test "cleanup: an action dropped is not undone; the others still are" {
	run "$U" cleanup make:f drop make:g
	assert_success
	[ -e f ] && [ ! -e g ]
}

@test "cleanup: a signal it was started ignoring (nohup) stays ignored" {
	bg sh -c "trap '' HUP; exec '$U' cleanup -P pid make:f"
	wait_for test -s pid
	# an ignored signal is dropped when sent: nothing to wait for
	kill -HUP "$BG_LAST"
	! dead "$BG_LAST"
	[ -e f ]
	ends_by "$BG_LAST" TERM
	[ ! -e f ]
}

# path_open: the one opener for a path a verb acts on

@test "path_open: a regular file is opened and read" {
	echo hello >f
	run --separate-stderr "$U" open f
	assert_success
	assert_output hello
}

@test "path_open: a symlink is refused, never followed, even to a regular file" {
	echo secret >target
	ln -s target link
	run --separate-stderr "$U" open link
	assert_failure 1
	[ "$stderr" = "unit: open link: is a symbolic link" ]
	run --separate-stderr "$U" open -w link
	assert_failure 1
	[ "$(cat target)" = secret ]
}

@test "path_open: a FIFO where a file is expected is refused without being opened" {
	mkfifo fifo
	# a writer blocked opening the FIFO: opening its read end would
	# release it, and closing that would kill it with SIGPIPE
	bg env --default-signal=PIPE dd of=fifo status=none
	wait_for waits_for_peer "$BG_LAST" dd fifo
	run --separate-stderr timeout 5 "$U" open fifo
	assert_failure 1
	[ "$stderr" = "unit: open fifo: is a FIFO, not a regular file" ]
	# the writer is still blocked in open(2), neither released nor killed
	waits_for_peer "$BG_LAST" dd fifo
}

@test "path_open: a directory, and a missing file, named with the reason" {
	mkdir d
	run --separate-stderr "$U" open d
	assert_failure 1
	[ "$stderr" = "unit: open d: is a directory, not a regular file" ]
	run --separate-stderr "$U" open missing
	assert_failure 1
	[ "$stderr" = "unit: open missing: No such file or directory" ]
	run --separate-stderr "$U" open -T fifo d
	[ "$stderr" = "unit: open d: is a directory, not a FIFO" ]
}

# pidx: the one pass over /proc, asked by object, by pid, and for who
# could not be read; and the commands walking /proc once a run

# DEV INO of the file $1 leads to, as the index prints them
dev_ino() { stat -L -c '%d %i' "$1"; }

@test "pidx: one process's descriptors by pid, each with its object and access mode" {
	mkfifo fifo
	bg sleep 60 3<>fifo 4<fifo 5>/dev/null
	wait_for holds "$BG_LAST" fifo r
	run --separate-stderr "$U" pidx -A pid "$BG_LAST"
	assert_success
	p=$BG_LAST fifo=$(dev_ino fifo) null=$(dev_ino /dev/null)
	[ "$(grep -E "^$p fd [345] " <<<"$output")" = "$p fd 3 rw $fifo
$p fd 4 r $fifo
$p fd 5 w $null" ]
	# every line is that process's, and no mapping without -M
	[ -z "$(grep -v "^$p fd " <<<"$output")" ]
}

@test "pidx: every holder of one object by device and inode, in pid order" {
	mkfifo fifo
	bg sleep 60 3<>fifo
	a=$BG_LAST
	bg sleep 60 4<>fifo 5>fifo
	b=$BG_LAST
	wait_for holds "$a" fifo
	wait_for holds "$b" fifo
	run --separate-stderr "$U" pidx -A obj fifo
	assert_success
	f=$(dev_ino fifo)
	[ "$output" = "$a fd 3 rw $f
$b fd 4 rw $f
$b fd 5 w $f" ]
}

@test "pidx: a socket is found by its inode; other descriptors' access modes only with -A" {
	bg perl -MSocket -e 'socketpair(my $x, my $y, AF_UNIX, SOCK_STREAM, 0)
	    or die; open(my $f, ">", "ready") or die; close($f); sleep 60'
	wait_for test -e ready
	p=$BG_LAST
	# perl's socketpair takes the first free numbers after its script's
	sock=$(for fd in /proc/$p/fd/*; do
		[ -S "$fd" ] && echo "$fd" && break; done)
	[ -n "$sock" ]
	run --separate-stderr "$U" pidx obj "$sock"
	assert_success
	assert_output "$p fd ${sock##*/} ? $(dev_ino "$sock")"
	run --separate-stderr "$U" pidx -A obj "$sock"
	assert_output "$p fd ${sock##*/} rw $(dev_ino "$sock")"
}

@test "pidx -M: a mapped file's holders from maps, once a process however often mapped" {
	bg sleep 60
	p=$BG_LAST
	wait_for comm_is "$p" sleep
	exe=$(readlink -f "/proc/$p/exe")
	[ "$(grep -c " $exe\$" "/proc/$p/maps")" -gt 1 ]	# mapped in parts
	run --separate-stderr "$U" pidx -M obj "$exe"
	assert_success
	[ "$(grep "^$p " <<<"$output")" = "$p map -1 - $(dev_ino "$exe")" ]
	run --separate-stderr "$U" pidx obj "$exe"	# no maps read: only fds
	[ -z "$(grep "^$p " <<<"$output")" ]
}

@test "pidx -O: a process blocked opening a FIFO, with what it opens and how" {
	mkfifo fifo
	bg env --default-signal=PIPE dd of=fifo status=none
	wait_for waits_for_peer "$BG_LAST" dd fifo
	run --separate-stderr "$U" pidx -O obj fifo
	assert_success
	assert_output "$BG_LAST open -1 w $(dev_ino fifo) $PWD/fifo"
	run --separate-stderr "$U" pidx obj fifo	# not asked: not read
	assert_output ""
}

@test "pidx: the processes that could not be read are counted, the first named" {
	need_nobody
	[ "$(stat -c %u /proc/1)" = 0 ] || skip "pid 1 is not root's here"
	run --separate-stderr as_nobody "$U" pidx unread
	assert_success
	[[ $output =~ ^[1-9][0-9]*\ 1(\ [0-9]+){0,3}$ ]]
	run --separate-stderr "$U" pidx unread
	assert_output 0
}

# how many times $@ opens /proc itself to walk it
proc_walks() {
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=open,openat \
	    -e signal=none -o "$BATS_TEST_TMPDIR/trace" "$@" >/dev/null || return
	grep -c '"/proc", ' "$BATS_TEST_TMPDIR/trace"
}

@test "descriptors and maps are read in one walk of /proc: shm and sem stat and ls" {
	need_strace
	[ -z "${IPC_WRAP:-}" ] || skip "under valgrind, strace would see valgrind's opens"
	n=pidx$$
	MADE="ipc-shm rm -f $n; ipc-sem rm -f $n"
	ipc-shm create -s 4K "$n"
	ipc-sem create "$n"
	run -0 --separate-stderr proc_walks ipc-shm stat "$n"
	assert_output 1
	run -0 --separate-stderr proc_walks ipc-shm ls
	assert_output 1
	run -0 --separate-stderr proc_walks ipc-sem stat "$n"
	assert_output 1
	run -0 --separate-stderr proc_walks ipc-sem ls
	assert_output 1
	run -0 --separate-stderr proc_walks ipc-mq ls
	assert_output 1
}

# --- what a thread is blocked on (blocked.c), with programs not ours -------

# thread $1 sits in system call number $2 (x86_64), as its syscall file says
in_call() {
	[ "$(cut -d' ' -f1 "/proc/$1/syscall" 2>/dev/null)" = "$2" ]
}

# the pid a program wrote to file $1, once it is there
pid_in() {
	wait_for test -s "$1"
	head -n 1 "$1"
}

# reading process $1's system call needs ptrace attach-level access: an
# ordinary user under Yama's ptrace_scope >= 1 has it only for its own
# descendants, and the reader here is not one
traceable() {
	cat "/proc/$1/syscall" >/dev/null 2>&1 ||
	    skip "cannot read another process's system call (Yama ptrace_scope)"
}

@test "blocked: cat reading an empty pipe reads on descriptor 0, the pipe named" {
	bg sh -c 'sleep 60 | sh -c "echo \$\$ >cat.pid; exec cat"'
	p=$(pid_in cat.pid)
	traceable "$p"
	wait_for in_call "$p" 0
	ino=$(stat -L -c %i "/proc/$p/fd/0")
	run --separate-stderr timeout 10 "$U" blocked "$p"
	assert_success
	[ "${lines[0]}" = "$p read from pipe:[$ino], no timeout" ]
	[[ ${lines[1]} == "  wchan "*pipe_read ]]
	[[ ${lines[2]} =~ ^\ \ asleep\ [0-9]+\ ms$ ]]
}

@test "blocked: a shell in echo x > FIFO with no reader opens the FIFO for writing" {
	mkfifo f
	bg sh -c 'echo $$ >sh.pid; echo x >"$1"' sh "$PWD/f"
	p=$(pid_in sh.pid)
	traceable "$p"
	wait_for in_call "$p" 257
	run --separate-stderr timeout 10 "$U" blocked "$p"
	assert_success
	[ "${lines[0]}" = "$p open of FIFO $PWD/f for writing, no timeout" ]
	[ "${lines[1]}" = "  wchan wait_for_partner" ]
	# read without opening it: the writer is still waiting for a reader
	in_call "$p" 257
}

@test "blocked: an open of a relative path is said from the directory it is relative to" {
	mkdir d
	mkfifo d/f
	bg sh -c 'echo $$ >sh.pid; cd d && echo x >f'
	p=$(pid_in sh.pid)
	traceable "$p"
	wait_for in_call "$p" 257
	run --separate-stderr timeout 10 "$U" blocked "$p"
	assert_success
	[ "${lines[0]}" = "$p open of FIFO $PWD/d/f for writing, no timeout" ]
}

@test "blocked: flock waiting on a held lock, its real holders from fdinfo" {
	: >l
	bg flock l sleep 60
	holder=$BG_LAST
	wait_for grep -q " FLOCK .* $holder " /proc/locks
	sleeper=$(pgrep -P "$holder")
	bg flock l true
	p=$BG_LAST
	traceable "$p"
	wait_for in_call "$p" 73
	run --separate-stderr timeout 10 "$U" blocked "$p"
	assert_success
	[ "${lines[0]}" = "$p flock (exclusive) of $PWD/l, no timeout" ]
	assert_line "  file $(stat -c '%Hd:%Ld %i' l)"
	assert_line "  lock $holder holds FLOCK"
	assert_line "  lock $p waits FLOCK"
	# /proc/locks names only the first locker; fdinfo names both
	assert_line --regexp "^  holder $holder fd [0-9]+ FLOCK$"
	assert_line --regexp "^  holder $sleeper fd [0-9]+ FLOCK$"
}

@test "blocked: python's select.poll on two pipes, both descriptors found" {
	bg python3 -c '
import os, select
r1, w1 = os.pipe(); r2, w2 = os.pipe()
p = select.poll(); p.register(r1, select.POLLIN); p.register(r2, select.POLLIN)
open("py.pid", "w").write("%d\n%d %d\n" % (os.getpid(), r1, r2))
p.poll()'
	p=$(pid_in py.pid)
	traceable "$p"
	read -r r1 r2 < <(sed -n 2p py.pid)
	wait_for in_call "$p" 7
	run --separate-stderr timeout 10 "$U" blocked "$p"
	assert_success
	[ "${lines[0]}" = "$p poll on $r1,$r2, no timeout" ]
	assert_line "  watch $r1 i 0 0:0"
	assert_line "  watch $r2 i 0 0:0"
}

@test "blocked: python's select.epoll, the watched pipe by its inode" {
	bg python3 -c '
import os, select
r, w = os.pipe()
e = select.epoll(); e.register(r, select.EPOLLIN)
open("py.pid", "w").write("%d\n%d %d\n" % (os.getpid(), e.fileno(), r))
e.poll()'
	p=$(pid_in py.pid)
	traceable "$p"
	read -r ep r < <(sed -n 2p py.pid)
	wait_for in_call "$p" 232
	run --separate-stderr timeout 10 "$U" blocked "$p"
	assert_success
	[ "${lines[0]}" = "$p epoll_wait on $ep watching $r, no timeout" ]
	assert_line "  watch $r i $(stat -L -c '%i %Hd:%Ld' "/proc/$p/fd/$r")"
}

@test "blocked: sem_wait on a POSIX semaphore of value 0 is a futex in its mapping" {
	sem=t$$-$BATS_TEST_NUMBER
	SEM=$sem
	bg python3 -c '
import ctypes, os, sys
c = ctypes.CDLL(None, use_errno=True)
c.sem_open.restype = ctypes.c_void_p
c.sem_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_uint, ctypes.c_uint]
c.sem_wait.argtypes = [ctypes.c_void_p]
s = c.sem_open(sys.argv[1].encode(), os.O_CREAT, 0o600, 0)
open("py.pid", "w").write("%d\n" % os.getpid())
c.sem_wait(s)' "/$sem"
	p=$(pid_in py.pid)
	traceable "$p"
	wait_for in_call "$p" 202
	run --separate-stderr timeout 10 "$U" blocked "$p"
	assert_success
	# its creator maps it under glibc's temporary name, since unlinked
	[[ ${lines[0]} =~ ^$p\ futex\ in\ /dev/shm/sem\.[^\ ]+\ \(deleted\)\ \(POSIX\ semaphore\),\ no\ timeout$ ]]
	# matched by device and inode, not by name
	[[ $output =~ "  map $(stat -c '%Hd:%Ld %i' "/dev/shm/sem.$sem") shared " ]]
}

@test "blocked: a shell in wait for its child is in wait4 for any child" {
	bg bash -c 'echo $$ >sh.pid; sleep 60 & wait'
	p=$(pid_in sh.pid)
	traceable "$p"
	wait_for in_call "$p" 61
	run --separate-stderr timeout 10 "$U" blocked "$p"
	assert_success
	[ "${lines[0]}" = "$p wait for any child, no timeout" ]
	[ "${lines[1]}" = "  wchan do_wait" ]
}

@test "blocked: python's signal.sigwait names the signals it waits for" {
	bg python3 -c '
import os, signal
open("py.pid", "w").write("%d\n" % os.getpid())
signal.sigwait({signal.SIGUSR1, signal.SIGTERM})'
	p=$(pid_in py.pid)
	traceable "$p"
	wait_for in_call "$p" 128
	run --separate-stderr timeout 10 "$U" blocked "$p"
	assert_success
	[ "${lines[0]}" = "$p sigwait for SIGUSR1,SIGTERM, no timeout" ]
}

@test "blocked: a timed poll says timed, and its timeout" {
	bg python3 -c '
import os, select
r, w = os.pipe()
p = select.poll(); p.register(r, select.POLLIN)
open("py.pid", "w").write("%d\n%d\n" % (os.getpid(), r))
p.poll(60000)'
	p=$(pid_in py.pid)
	traceable "$p"
	r=$(sed -n 2p py.pid)
	wait_for in_call "$p" 7
	run --separate-stderr timeout 10 "$U" blocked "$p"
	assert_success
	[ "${lines[0]}" = "$p poll on $r, timed" ]
}

@test "blocked: another user's process cannot be read, never 'not blocked'" {
	need_nobody
	bg sh -c 'sleep 60 | sh -c "echo \$\$ >cat.pid; exec cat"'
	p=$(pid_in cat.pid)
	wait_for in_call "$p" 0
	run --separate-stderr as_nobody "$U" blocked "$p"
	assert_success
	[ "${lines[0]}" = "$p cannot be read (Permission denied)" ]
	[ "${lines[1]}" = "  wchan ?" ]
}

@test "blocked: a process that has ended is gone, not a crash" {
	run --separate-stderr "$U" blocked 2147483647
	assert_failure 1
	[ "$stderr" = "unit: blocked 2147483647: No such file or directory" ]
}

@test "blocked: a plain sleep is not IPC; stopped and continued, its call is lost" {
	bg sleep 60
	p=$BG_LAST
	traceable "$p"
	wait_for in_call "$p" 230
	run --separate-stderr timeout 10 "$U" blocked "$p"
	assert_success
	[ "${lines[0]}" = "$p sleep (not IPC)" ]
	assert_line "  timeout 60.000000000"
	kill -STOP "$p"
	wait_for grep -q '^State:.*stopped' "/proc/$p/status"
	kill -CONT "$p"
	wait_for in_call "$p" 219
	run --separate-stderr timeout 10 "$U" blocked "$p"
	assert_success
	[ "${lines[0]}" = "$p restart_syscall (stopped and continued: the call it was in is lost)" ]
}

@test "blocked: processes ending while they are read: gone or read, never a crash" {
	local i p
	for i in $(seq 100); do
		true &
		p=$!
		run --separate-stderr timeout 10 "$U" blocked "$p"
		# read whole, gone before the first read, or gone between two
		case $status in
		0) [[ ${lines[0]} == "$p "* ]] ;;
		1) [ "$stderr" = "unit: blocked $p: No such file or directory" ] ;;
		*) false ;;
		esac
		wait "$p"
	done
}

@test "blocked: an epoll watch whose number was closed and reused is said stale" {
	bg python3 -c '
import os, select
r, w = os.pipe()
keep = os.dup(r)
e = select.epoll(); e.register(r, select.EPOLLIN)
os.close(r)
r2, w2 = os.pipe()
assert r2 == r
open("py.pid", "w").write("%d\n%d %d %d\n" % (os.getpid(), e.fileno(), r, keep))
e.poll()'
	p=$(pid_in py.pid)
	traceable "$p"
	read -r ep r keep < <(sed -n 2p py.pid)
	wait_for in_call "$p" 232
	run --separate-stderr timeout 10 "$U" blocked "$p"
	assert_success
	[ "${lines[0]}" = "$p epoll_wait on $ep watching $r (stale: now another file), no timeout" ]
	# the file it watches is still known: the one kept open as $keep
	assert_line "  watch $r i $(stat -L -c '%i %Hd:%Ld' "/proc/$p/fd/$keep")"
}

@test "blocked: python's select.select, the read and write sets from its memory" {
	bg python3 -c '
import os, select
r1, w1 = os.pipe(); r2, w2 = os.pipe()
os.write(w2, b"x" * 65536)
open("py.pid", "w").write("%d\n%d %d\n" % (os.getpid(), r1, w2))
select.select([r1], [w2], [])'
	p=$(pid_in py.pid)
	traceable "$p"
	read -r r w < <(sed -n 2p py.pid)
	wait_for in_call "$p" 270	# glibc makes select a pselect6
	run --separate-stderr timeout 10 "$U" blocked "$p"
	assert_success
	[ "${lines[0]}" = "$p select on $r,$w, no timeout" ]
	assert_line "  watch $r i 0 0:0"
	assert_line "  watch $w o 0 0:0"
}

@test "blocked: a poll set past the bound is kept in part and the rest counted" {
	bg python3 -c '
import os, resource, select
resource.setrlimit(resource.RLIMIT_NOFILE, (4096, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
r, w = os.pipe()
p = select.poll()
for i in range(1500):
	p.register(os.dup(r), select.POLLIN)
open("py.pid", "w").write("%d\n" % os.getpid())
p.poll()'
	p=$(pid_in py.pid)
	traceable "$p"
	wait_for in_call "$p" 7
	run --separate-stderr timeout 10 "$U" blocked "$p"
	assert_success
	# said by its first 16: what is kept and what is not, counted
	[[ ${lines[0]} =~ ^$p\ poll\ on\ ([0-9]+,){15}[0-9]+\ and\ 1484\ more,\ no\ timeout$ ]]
	[ "$(grep -c '^  watch ' <<<"$output")" -eq 1024 ]
}
