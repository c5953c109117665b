#!/usr/bin/env bats
# Faults injected into the calls each verb makes: with strace's
# -e inject, a call fails once with an error the kernel may give it;
# with tests/peers/shortio.so, every read(2) and write(2) moves only a
# few bytes; with a nearly full non-blocking pipe as stdout, a write
# stops part way. Each command either does its work exactly or fails
# with exit 1 and one line naming itself, never a crash, a hang, half a
# message or a lost one: after each case, the object still holds
# exactly what was not reported taken.
#
# verb                    call failed once      error: expected
# ipc-mq send             mq_timedsend          EINTR, EAGAIN: 0, sent once; ENOMEM: 1, not sent
# ipc-mq recv             mq_timedreceive       EINTR, EAGAIN: 0; ENOMEM: 1, still queued
#                         write (stdout)        EINTR, EAGAIN: 0; ENOSPC: 1, put back; EPIPE: 141, put back
# ipc-mq -S send          msgsnd                EINTR, EAGAIN: 0, sent once; ENOMEM: 1, not sent
# ipc-mq -S recv          msgrcv                EINTR: 0; ENOMEM: 1, still queued
# ipc-sem -S wait, post   semtimedop            EINTR: 0, one unit; ENOMEM: 1, value unchanged
# ipc-sem create          mmap (sem_open's)     ENOMEM: 1, nothing left behind
# ipc-shm create, -F      fallocate             EINTR: 0, the whole size; ENOSPC: 1, nothing left
# ipc-shm send, recv      openat (the object)   ENOMEM: 1, the content unchanged
# ipc-shm send            fallocate (its range) EINTR: 0, every byte; ENOSPC: 1, nothing written
# ipc-pipe send -l        write                 EINTR, EAGAIN: 0, every line; ENOSPC, EPIPE: 1, nothing sent
# ipc-pipe recv -c        write (stdout)        EINTR: 0; ENOSPC: 1, every line still in the FIFO
#                         read (the FIFO)       EINTR: 0, exactly N lines taken
# ipc-pipe recv           splice                EINTR: 0; ENOSPC: 1
# ipc-pipe send           openat (the FIFO)     EINTR: 0; ENOMEM: 1
# ipc-sock send dgram     sendmsg               EINTR, EAGAIN: 0, delivered once; ENOMEM: 1
#                         connect               EINTR: 0; EAGAIN: 1
# ipc-sock recv stream    accept4               EINTR, ECONNABORTED: 0
# ipc-sock recv dgram     recvmsg               EINTR: 0
#                         write (stdout)        ENOSPC: 1, the datagrams taken counted lost
# ipc-sig recv -P         rt_sigtimedwait       EINTR: 0, the signal
#                         write (pid file)      ENOSPC: 1, no pid file left
# short reads and writes (shortio.so): pipe send -l and recv -c, mq send
#   -l and recv, shm send and recv, sock stream and dgram: all exact
# a non-blocking stdout with no room: mq recv, pipe recv -c: whole
#   messages, written once the pipe drains

load helpers
bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR" || return
	need_strace
	q=f$$-$BATS_TEST_NUMBER
	key=$(printf '0x%x' $((0x66740000 + ($$ % 256) * 256 + BATS_TEST_NUMBER)))
	# LeakSanitizer stops the world with ptrace, which a traced process
	# cannot do; an LD_PRELOAD shim comes before the ASan runtime
	export ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0
	shim=$ROOT/tests/peers/shortio.so
}

teardown() {
	teardown_bg
	ipc-mq rm -f "$q" 2>/dev/null
	ipc-mq rm -S -f "$key" 2>/dev/null
	ipc-sem rm -f "$q" 2>/dev/null
	ipc-sem rm -S -f "$key" 2>/dev/null
	ipc-shm rm -f "$q" 2>/dev/null
	return 0
}

# a fault is to be injected into SYSCALL ($1): under VALGRIND=1 valgrind
# makes some calls itself, in the command's process (it opens, reads,
# maps and writes at start, and polls for signals with rt_sigtimedwait),
# and a fault in the Nth would land on valgrind's, not the command's:
# the test skips there
injectable() {
	[ -n "${IPC_WRAP:-}" ] || return 0
	case $1 in
	openat|read|write|mmap|rt_sigtimedwait)
		skip "under valgrind, a fault in $1 would hit valgrind's own" ;;
	esac
}

# CMD... with the Nth call ($3) of SYSCALL ($1) failing with ERR ($2),
# bounded (a hang is 143); its status in st, stdout in out, stderr in err
inject() {
	local sc=$1 e=$2 n=$3
	shift 3
	injectable "$sc"
	st=0
	timeout --preserve-status 30 strace -qq -f -o /dev/null \
	    -e inject="$sc:error=$e:when=$n" "$@" >out 2>err || st=$?
}

# the status was $1, and a failure said so in one line naming the command
expect() {
	if [ "$st" -ne "$1" ]; then
		echo "status $st, not $1; stderr: $(cat err)" >&2
		return 1
	fi
	[ "$1" -ne 1 ] && return 0
	[ "$(wc -l <err)" -eq 1 ] && grep -q '^ipc-[a-z]*: [a-z]' err ||
	    { echo "not one line naming the command: $(cat err)" >&2; return 1; }
}

# which call of SYSCALL ($1), counted from the start, is the first whose
# line in strace -y (descriptors named) matches the regex $2, in a run
# of CMD...: the loader's calls come first, and their number varies
nth() {
	local sc=$1 re=$2
	shift 2
	strace -qq -f -y -e trace="$sc" -o trace "$@" >/dev/null 2>&1
	grep -n -m 1 -E -- "$re" trace | cut -d: -f1
}

mq() { timeout --preserve-status 20 ipc-mq "$@"; }
curmsgs() { mq stat "$q" -o curmsgs | cut -d= -f2; }
sv_qnum() { mq stat -S "$key" -o qnum | cut -d= -f2; }

# a receiver in the background on socket file $1, ready once it exists
sock_recv() {
	local s=$1
	shift
	bg timeout --preserve-status 20 ipc-sock recv "$@" "$s" >rout 2>rerr
	wait_for bound_here "$s"
}

# a socket file $1 this test's processes have bound (listen on, with
# $2 = l), as /proc/net/unix names it: as it was given to bind(2)
bound_here() { unix_bound "$@"; }
listens_here() { bound_here "$1" l; }

# CMD... with every read(2) and write(2) moving at most $1 bytes
short() {
	local n=$1
	shift
	SHORTIO_MAX=$n LD_PRELOAD=$shim timeout --preserve-status 20 "$@"
}

# CMD... with stdout a non-blocking pipe that has $ROOM bytes free,
# drained only once the command sleeps, having met it full; prints what
# it wrote, and ends with its status (143 if it had to be killed)
nbfull() {
	python3 - "$@" <<'EOF'
import fcntl, os, subprocess, sys, time
r, w = os.pipe()
size = fcntl.fcntl(w, fcntl.F_GETPIPE_SZ)
fill = size - int(os.environ["ROOM"])
os.write(w, b"x" * fill)
fcntl.fcntl(w, fcntl.F_SETFL, fcntl.fcntl(w, fcntl.F_GETFL) | os.O_NONBLOCK)
p = subprocess.Popen(sys.argv[1:], stdout=w)
os.close(w)
end = time.time() + 20
def state():
    try:
        return open("/proc/%d/stat" % p.pid).read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"
while p.poll() is None and state() != "S" and time.time() < end:
    time.sleep(0.01)
data = b""
while True:
    b = os.read(r, 65536)
    if not b:
        break
    data += b
sys.stdout.buffer.write(data[fill:])
try:
    st = p.wait(timeout=20)
except subprocess.TimeoutExpired:
    p.kill()
    sys.exit(143)
sys.exit(st if st >= 0 else 128 - st)
EOF
}

@test "mq: send and recv with mq_timedsend, mq_timedreceive and stdout failing once" {
	mq create "$q"
	inject mq_timedsend EINTR 1 ipc-mq send "$q" m1;	expect 0
	inject mq_timedsend EAGAIN 1 ipc-mq send "$q" m2;	expect 0
	inject mq_timedsend ENOMEM 1 ipc-mq send "$q" m3;	expect 1
	[ "$(curmsgs)" = 2 ]
	inject mq_timedreceive EINTR 1 ipc-mq recv "$q";	expect 0
	[ "$(cat out)" = m1 ]
	inject mq_timedreceive ENOMEM 1 ipc-mq recv "$q";	expect 1
	[ "$(curmsgs)" = 1 ]
	inject mq_timedreceive EAGAIN 1 ipc-mq recv -t 5 "$q"; expect 0
	[ "$(cat out)" = m2 ]
	mq send "$q" a b
	for e in ENOSPC EPIPE; do
		inject write "$e" 1 ipc-mq recv -c 2 "$q"
		if [ "$e" = EPIPE ]; then expect 141; else expect 1; fi
		[ ! -s out ] && [ "$(curmsgs)" = 2 ]
	done
	inject write EINTR 1 ipc-mq recv "$q";		expect 0
	inject write EAGAIN 1 ipc-mq recv "$q";		expect 0
	[ "$(cat out)" = b ] && [ "$(curmsgs)" = 0 ]
}

@test "mq -S: send and recv with msgsnd and msgrcv failing once" {
	mq create -S "$key"
	inject msgsnd EINTR 1 ipc-mq send -S "$key" m1;	expect 0
	inject msgsnd EAGAIN 1 ipc-mq send -S "$key" m2;	expect 0
	inject msgsnd ENOMEM 1 ipc-mq send -S "$key" m3;	expect 1
	[ "$(sv_qnum)" = 2 ]
	inject msgrcv EINTR 1 ipc-mq recv -S "$key";		expect 0
	[ "$(cat out)" = m1 ]
	inject msgrcv ENOMEM 1 ipc-mq recv -S "$key";		expect 1
	[ "$(sv_qnum)" = 1 ]
	inject write ENOSPC 1 ipc-mq recv -S "$key";		expect 1
	[ "$(sv_qnum)" = 1 ]
	run -0 mq recv -S "$key"
	assert_output m2
}

@test "sem: wait, post and create with semtimedop and mmap failing once" {
	ipc-sem create -S -i 1 "$key" >/dev/null
	value() { ipc-sem stat -S "$key" -o value | cut -d= -f2; }
	inject semtimedop EINTR 1 ipc-sem wait -S -t 5 "$key";	expect 0
	[ "$(value)" = 0 ]
	# glibc's semop(3) is the semtimedop call without a timeout
	inject semtimedop EINTR 1 ipc-sem post -S "$key";	expect 0
	[ "$(value)" = 1 ]
	inject semtimedop ENOMEM 1 ipc-sem post -S "$key";	expect 1
	inject semtimedop ENOMEM 1 ipc-sem wait -S -t 5 "$key"; expect 1
	[ "$(value)" = 1 ]
	# sem_open maps the new semaphore: fail that, and none is left
	n=$(nth mmap MAP_SHARED ipc-sem create "$q")
	[ -n "$n" ]
	ipc-sem rm "$q"
	inject mmap ENOMEM "$n" ipc-sem create "$q";		expect 1
	[ ! -e "/dev/shm/sem.$q" ]
}

@test "shm: create reserves the whole size through a cut fallocate; a failed open changes nothing" {
	inject fallocate EINTR 1 ipc-shm create -s 64K "$q";	expect 0
	[ "$(stat -c %s "/dev/shm/$q")" = 65536 ]
	[ "$(du -k "/dev/shm/$q" | cut -f1)" -ge 64 ]
	ipc-shm rm "$q"
	inject fallocate ENOSPC 1 ipc-shm create -s 64K "$q";	expect 1
	[ ! -e "/dev/shm/$q" ]
	inject fallocate EINTR 1 ipc-shm create -F -s 8K file;	expect 0
	[ "$(stat -c %s file)" = 8192 ]
	inject fallocate ENOSPC 1 ipc-shm create -F -s 8K file2; expect 1
	[ ! -e file2 ]
	ipc-shm create -s 16 "$q"
	ipc-shm send "$q" before
	n=$(nth openat "/proc/self/fd/" ipc-shm send "$q" before)
	[ -n "$n" ]
	inject openat ENOMEM "$n" ipc-shm send "$q" after;	expect 1
	inject openat ENOMEM "$n" ipc-shm recv -c 6 "$q";	expect 1
	[ ! -s out ]
	run -0 ipc-shm recv -c 6 "$q"
	assert_output before
	inject fallocate ENOSPC 1 ipc-shm send "$q" after;	expect 1
	run -0 ipc-shm recv -c 6 "$q"
	assert_output before
	inject fallocate EINTR 1 ipc-shm send "$q" after;	expect 0
	run -0 ipc-shm recv -c 6 "$q"
	assert_output aftere
}

@test "pipe: send -l and recv -c with write, read, splice and openat failing once" {
	ipc-pipe create fifo
	exec 7<>fifo		# holds both ends: opens never wait
	for e in EINTR EAGAIN ENOSPC EPIPE; do
		inject write "$e" 1 ipc-pipe send -t 5 -l fifo \
		    < <(printf 'a\nb\n')
		case $e in
		EINTR|EAGAIN)	expect 0
				run -0 timeout 5 ipc-pipe recv -t 5 -c 2 fifo
				assert_output "$(printf 'a\nb')" ;;
		*)		expect 1 ;;
		esac
	done
	inject openat EINTR "$(nth openat fifo ipc-pipe send -t 5 fifo x)" \
	    ipc-pipe send -t 5 fifo y;				expect 0
	inject openat ENOMEM "$(nth openat fifo ipc-pipe send -t 5 fifo x)" \
	    ipc-pipe send -t 5 fifo z;				expect 1
	run -0 timeout 5 ipc-pipe recv -t 5 -c 3 fifo
	assert_output "$(printf 'x\ny\nx')"
	# nothing else was in it: ENOSPC and EPIPE sent nothing
	run -124 timeout 5 ipc-pipe recv -t 0 -c 1 fifo
	printf '1\n2\n3\n' >&7
	inject write ENOSPC 1 ipc-pipe recv -t 5 -c 2 fifo;	expect 1
	[ ! -s out ]
	inject write EINTR 1 ipc-pipe recv -t 5 -c 2 fifo;	expect 0
	[ "$(cat out)" = "$(printf '1\n2')" ]
	printf '4\n5\n' >&7
	# the run that counts the calls takes the 3
	n=$(nth read 'fifo>' ipc-pipe recv -t 5 -c 1 fifo)
	[ -n "$n" ]
	inject read EINTR "$n" ipc-pipe recv -t 5 -c 2 fifo;	expect 0
	[ "$(cat out)" = "$(printf '4\n5')" ]
	run -124 timeout 5 ipc-pipe recv -t 0 -c 1 fifo
	exec 7>&-
}

@test "pipe: recv's copy with splice failing once" {
	ipc-pipe create fifo
	for e in EINTR ENOSPC; do
		bg timeout 20 sh -c 'printf "a\nb\n" > fifo'
		inject splice "$e" 1 ipc-pipe recv -t 10 fifo
		if [ "$e" = EINTR ]; then
			expect 0
			[ "$(cat out)" = "$(printf 'a\nb')" ]
		else
			expect 1
		fi
		wait "$BG_LAST" || true
	done
}

@test "sock: dgram send with sendmsg and connect failing once: delivered once or not at all" {
	for c in 'sendmsg EINTR 0' 'sendmsg EAGAIN 0' 'sendmsg ENOMEM 1' \
	    'connect EINTR 0' 'connect EAGAIN 1'; do
		set -- $c
		rm -f d.sock
		sock_recv d.sock --type dgram -t 10 -c 1
		inject "$1" "$2" 1 ipc-sock send --type dgram -t 5 d.sock one
		expect "$3"
		[ "$3" = 1 ] && ipc-sock send --type dgram d.sock two
		wait "$BG_LAST"
		if [ "$3" = 0 ]; then
			[ "$(cat rout)" = one ]
		else
			[ "$(cat rout)" = two ]
		fi
	done
}

@test "sock: recv with accept4, recvmsg and stdout failing once" {
	for c in 'accept4 EINTR' 'accept4 ECONNABORTED'; do
		set -- $c
		rm -f s.sock
		bg timeout --preserve-status 20 strace -qq -f -o /dev/null \
		    -e inject="$1:error=$2:when=1" ipc-sock recv -t 10 s.sock \
		    >rout 2>rerr
		wait_for listens_here s.sock
		echo hello | ipc-sock send -t 5 s.sock
		wait "$BG_LAST"
		[ "$(cat rout)" = hello ]
	done
	rm -f d.sock
	bg timeout --preserve-status 20 strace -qq -f -o /dev/null \
	    -e inject=recvmsg:error=EINTR:when=1 \
	    ipc-sock recv --type dgram -t 10 -c 2 d.sock >rout 2>rerr
	wait_for bound_here d.sock
	ipc-sock send --type dgram d.sock one two
	wait "$BG_LAST"
	[ "$(cat rout)" = "$(printf 'one\ntwo')" ]
	rm -f d.sock
	st=0
	injectable write
	bg timeout --preserve-status 20 strace -qq -f -o /dev/null \
	    -e inject=write:error=ENOSPC:when=1 \
	    ipc-sock recv --type dgram -t 10 -c 1 d.sock >out 2>err
	wait_for bound_here d.sock
	ipc-sock send --type dgram d.sock one
	wait "$BG_LAST" || st=$?
	expect 1
	grep -qx 'ipc-sock: recv d.sock: stdout: No space left on device: 1 message taken and lost, 0 written in part' err
	[ ! -e d.sock ]
}

@test "sig: recv -P with rt_sigtimedwait and the pid file's write failing once" {
	injectable rt_sigtimedwait
	bg timeout --preserve-status 20 strace -qq -f -o /dev/null \
	    -e inject=rt_sigtimedwait:error=EINTR:when=1 \
	    ipc-sig recv -t 10 -P pid USR1 >out 2>err
	wait_for test -s pid
	ipc-sig send USR1 @pid
	wait "$BG_LAST"
	[ "$(cat out)" = USR1 ] && [ ! -e pid ]
	inject write ENOSPC 1 ipc-sig recv -t 5 -P pid USR1;	expect 1
	[ ! -e pid ] && [ ! -s out ]
}

@test "short reads and writes: every verb still moves whole messages" {
	[ -f "$shim" ] || skip "tests/peers/shortio.so not built (make peers)"
	ipc-pipe create fifo
	exec 7<>fifo
	for n in 1 3; do
		printf 'first line\nsecond\n' | short "$n" ipc-pipe send -l fifo
		run -0 short "$n" ipc-pipe recv -t 5 -c 1 fifo
		assert_output 'first line'
		run -0 short "$n" ipc-pipe recv -t 5 -c 1 fifo
		assert_output second
	done
	exec 7>&-
	mq create "$q"
	printf 'alpha\nbeta gamma\n' | short 2 ipc-mq send -l "$q"
	run -0 short 2 ipc-mq recv -c 2 "$q"
	assert_output "$(printf 'alpha\nbeta gamma')"
	ipc-shm create -s 64 "$q"
	printf 'shared bytes' | short 3 ipc-shm send "$q"
	run -0 short 3 ipc-shm recv -c 12 "$q"
	assert_output 'shared bytes'
	bg short 2 ipc-sock recv -t 10 s.sock >rout
	wait_for listens_here s.sock
	printf 'a stream, byte by byte\n' | short 2 ipc-sock send -t 5 s.sock
	wait "$BG_LAST"
	[ "$(cat rout)" = 'a stream, byte by byte' ]
	bg short 2 ipc-sock recv --type dgram -t 10 -c 2 d.sock >rout
	wait_for bound_here d.sock
	printf 'one line\ntwo line\n' | short 2 ipc-sock send --type dgram -l d.sock
	wait "$BG_LAST"
	[ "$(cat rout)" = "$(printf 'one line\ntwo line')" ]
}

@test "a non-blocking stdout with no room: recv waits, never cuts a message" {
	big=$(head -c 6000 /dev/zero | tr '\0' a)
	mq create "$q"
	mq send "$q" "$big" small
	ROOM=4096 run -0 nbfull ipc-mq recv -c 2 "$q"
	assert_output "$(printf '%s\nsmall' "$big")"
	[ "$(curmsgs)" = 0 ]
	ipc-pipe create fifo
	exec 7<>fifo
	printf '%s\nrest\n' "$big" >&7
	ROOM=4096 run -0 nbfull ipc-pipe recv -t 5 -c 1 fifo
	assert_output "$big"
	run -0 timeout 5 ipc-pipe recv -t 5 -c 1 fifo
	assert_output rest
	exec 7>&-
}
