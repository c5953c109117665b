#!/usr/bin/env bats
# ipc-sock: Unix, abstract, TCP and UDP sockets served, connected to,
# sent to and received from, checked against peers that are not this
# code: socat and Python's socket module.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR" || return
	ab=ipct$$-$BATS_TEST_NUMBER
	s=t$$-$BATS_TEST_NUMBER.sock
	n=t$$-$BATS_TEST_NUMBER
}

teardown() {
	teardown_bg
	exec 5>&-
}

# every command that may block is bounded; a hang shows as 143, never as
# the 124 of a timed-out wait
sock() {
	timeout --preserve-status 20 ipc-sock "$@"
}

# the kernel has a socket bound to name $1 (a path's last component, or
# @NAME), listening when $2 is "l", held by this test's processes
bound() { unix_bound "$@"; }
listens() { bound "$1" l; }

# a receiver or server in the background, ready once its socket $1 is
# bound (listening, for connections); output in out, errors in err
server() {
	local name=$1
	shift
	bg sock "$@" >out 2>err
	case " $* " in
	*" dgram "*)	wait_for bound "$name" ;;
	*)		wait_for listens "$name" ;;
	esac
}

# the port a verb bound to port 0 said on stderr (file $1)
port_of() {
	wait_for grep -q ':[0-9]*$' "$1"
	sed -n 's/.*:\([0-9]*\)$/\1/p' "$1" | head -1
}

# Python: socks() lists the descriptors of the process that are sockets
socks_py() {
	cat <<'EOF'
import os
def socks():
    out = []
    for f in os.listdir("/proc/self/fd"):
        try:
            if os.readlink("/proc/self/fd/" + f).startswith("socket:"):
                out.append(f)
        except OSError:
            pass
    return sorted(out, key=int)
EOF
}

# file $1 has $2 lines
has_lines() {
	[ -e "$1" ] && [ "$(wc -l < "$1")" -eq "$2" ]
}

# a socket file nobody is bound to: Python binds it and exits
stale() {
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])' "$1"
	[ -S "$1" ]
}

# --- stream ------------------------------------------------------------------

@test "send and recv: stdin copied byte for byte over a stream, the file 0600 and gone after" {
	server s recv s
	[ "$(stat -c %a s)" = 600 ]
	head -c 100000 /dev/urandom > data
	run sock send s < data
	assert_success
	wait_bg
	cmp data out
	[ ! -e s ]
	[ ! -s err ]
}

@test "send: each MSG, -l line and -0 record framed as echo and printf would" {
	server s recv s
	sock send s one 'two words'
	wait_bg
	printf 'one\ntwo words\n' | cmp - out
	server s recv s
	printf 'a\0b\0' | sock send -0 s
	wait_bg
	printf 'a\0b\0' | cmp - out
}

@test "recv -m: the socket file gets the mode exactly, whatever the umask" {
	umask 077
	server s recv -m 0666 s
	[ "$(stat -c %a s)" = 666 ]
	sock send s x
	wait_bg
}

@test "recv -c N on a stream: N lines, across connections, nothing past them" {
	server s recv -c 3 s
	sock send s a b
	sock send s c d
	wait_bg
	assert_equal "$(cat out)" "$(printf 'a\nb\nc')"
}

@test "recv -c N: what is left past N is counted on stderr as lost, exit 0" {
	server s recv -c 2 s
	sock send s a b c
	wait_bg
	assert_equal "$(cat out)" "$(printf 'a\nb')"
	assert_equal "$(cat err)" "ipc-sock: recv s: 2 bytes left unread, lost"
	# stopped while the messages queue up, so all are there when it counts
	for t in dgram seqpacket; do
		rm -f s
		server s recv --type $t -c 1 s
		kill -STOP $(descendants "$BG_LAST")
		sock send --type $t s one two three
		kill -CONT $(descendants "$BG_LAST")
		st=0
		wait "$BG_LAST" || st=$?
		[ "$st" -eq 0 ]
		assert_equal "$(cat out)" one
		w=datagrams
		[ $t = dgram ] || w=records
		assert_equal "$(cat err)" "ipc-sock: recv s: 8 bytes (2 $w) left unread, lost"
	done
}

@test "recv -c, -v, -j: a last line without its newline is written as it came, and said" {
	server s recv -c 2 s
	printf 'a\n0123456789abcd' | socat -u - UNIX-CONNECT:s
	wait_bg
	printf 'a\n0123456789abcd' | cmp - out
	assert_equal "$(cat err)" "ipc-sock: recv s: last line incomplete: 14 bytes"
	server s recv -v -c 2 s
	printf 'a\n0123456' | socat -u - UNIX-CONNECT:s
	wait_bg
	pid=$(sed -n '1s/\t.*//p' out)
	printf '%s\t0\t0\ta\n%s\t0\t0\t0123456' "$pid" "$pid" | cmp - <(sed 's/\t[0-9]*\t[0-9]*\t/\t0\t0\t/' out)
	assert_equal "$(cat err)" "ipc-sock: recv s: last line incomplete: 7 bytes"
	server s recv -j -c 2 s
	printf 'a\n0123456' | socat -u - UNIX-CONNECT:s
	wait_bg
	assert_equal "$(sed 's/.*"message"://' out)" "$(printf '"a"}\n"0123456"}')"
	assert_equal "$(cat err)" "ipc-sock: recv s: last line incomplete: 7 bytes"
}

@test "recv -c -t: a partial line pending when the wait runs out is written and said, 124" {
	# the peer connects once recv listens, and holds its connection
	# open, mid-line, until recv closes it
	bg python3 -c 'import socket, time
s = socket.socket(socket.AF_UNIX)
open("ready", "w").close()
for i in range(500):
    if s.connect_ex("s") == 0:
        s.sendall(b"a\n0123456"); s.recv(1)
        break
    time.sleep(0.02)'
	wait_for test -e ready
	st=0
	sock recv -c 3 -t 1s s >out 2>err || st=$?
	[ "$st" -eq 124 ]
	wait_bg
	printf 'a\n0123456' | cmp - out
	assert_equal "$(sed -n 1p err)" "ipc-sock: recv s: last line incomplete: 7 bytes"
	assert_equal "$(sed -n 2p err)" "ipc-sock: recv s: timed out waiting for a line: 1 line received"
}

# a Python peer bound at $2 (type $1) that takes nothing until the file
# done appears, then everything queued: how many messages and bytes
hold_py() {
	cat > hold.py <<'EOF'
import os, socket, sys, time
stream = sys.argv[1] == "stream"
l = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM if stream else socket.SOCK_DGRAM)
l.bind(sys.argv[2])
c = l
if stream:
    l.listen(); c, _ = l.accept()
while not os.path.exists("done"):
    time.sleep(0.02)
c.setblocking(False)
n = b = 0
while True:
    try:
        m = c.recv(1 << 16)
    except BlockingIOError:
        break
    if stream and not m:
        break
    n += 1; b += len(m)
print(n if not stream else "", b)
EOF
	bg python3 hold.py "$@" >held
	wait_for test -S "$2"
}

@test "send -t: a time-out counts what got through, datagrams and stream bytes" {
	hold_py dgram d
	run -124 sock send -l -t 300ms --type dgram d < <(seq 1 100000)
	touch done
	wait_bg
	read -r n b < held
	assert_output "ipc-sock: send d: timed out waiting for room: $n messages ($b bytes) sent"
	rm -f done
	hold_py stream st
	run -124 sock send -t 300ms st < <(head -c 20000000 /dev/zero)
	touch done
	wait_bg
	assert_output "ipc-sock: send st: timed out waiting for room: $(tr -d ' ' < held) bytes sent"
}

@test "recv -t: a time-out counts what was received, messages, lines and bytes" {
	# each peer is ready before recv, and sends once it is there
	bg python3 -c 'import socket, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
open("ready", "w").close()
for i in range(500):
    if s.connect_ex("s") == 0:
        s.send(b"a"); s.send(b"b")
        break
    time.sleep(0.02)'
	wait_for test -e ready
	run -124 sock recv --type dgram -c 5 -t 1s s
	assert_line "ipc-sock: recv s: timed out waiting for a message: 2 messages received"
	wait_bg
	for c in "-c 5" ""; do
		rm -f ready
		bg python3 -c 'import socket, time
s = socket.socket(socket.AF_UNIX)
open("ready", "w").close()
for i in range(500):
    if s.connect_ex("s") == 0:
        s.sendall(b"a\nb\n"); s.recv(1)
        break
    time.sleep(0.02)'
		wait_for test -e ready
		run -124 sock recv $c -t 1s s
		if [ -n "$c" ]; then
			assert_line "ipc-sock: recv s: timed out waiting for a line: 2 lines received"
		else
			assert_line "ipc-sock: recv s: timed out: 4 bytes received"
		fi
		wait_bg
	done
}

@test "recv -f on a stream: one connection after another until killed" {
	bg ipc-sock recv -f s >out 2>err
	wait_for listens s
	sock send s 1
	sock send s 2
	wait_for grep -q 2 out
	ends_by "$BG_LAST" TERM
	assert_equal "$(cat out)" "$(printf '1\n2')"
	[ ! -e s ]
}

@test "recv -v: each line with the sender's pid, uid and gid as the kernel gives them" {
	server s recv -c 1 -v s
	python3 -c 'import os, socket
s = socket.socket(socket.AF_UNIX); s.connect("s")
s.sendall(b"hi\n"); print(os.getpid())' > pid
	wait_bg
	assert_equal "$(cat out)" "$(cat pid)	$(id -u)	$(id -g)	hi"
}

@test "recv -j: JSON lines with the sender" {
	server s recv -c 2 -j s
	sock send s 'q"uote' b
	wait_bg
	run python3 -c 'import json, sys
for l in open("out"): d = json.loads(l); print(d["message"], d["uid"])'
	assert_output "$(printf 'q"uote %s\nb %s' "$(id -u)" "$(id -u)")"
}

@test "recv -t: no connection in time is 124, named, and the socket file goes" {
	run sock recv -t 0.2 s
	assert_failure 124
	assert_output "ipc-sock: recv s: timed out waiting for a connection"
	[ ! -e s ]
}

# --- datagrams and records ---------------------------------------------------

@test "dgram: one datagram per message, boundaries kept, no terminator in them" {
	server "@$ab" recv --type dgram -c 3 -r "@$ab"
	sock send --type dgram "@$ab" one two
	printf 'x\ny' | sock send --type dgram "@$ab"
	wait_bg
	assert_equal "$(cat out)" "onetwox
y"
}

@test "dgram -v: the sender's pid, uid and gid with each, from SCM_CREDENTIALS" {
	server s recv --type dgram -c 1 -v s
	python3 -c 'import os, socket
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(b"hello", "s"); print(os.getpid())' > pid
	wait_bg
	assert_equal "$(cat out)" "$(cat pid)	$(id -u)	$(id -g)	hello"
}

@test "dgram: a message larger than the socket takes is refused before anything is sent" {
	server s recv --type dgram -c 1 s
	head -c 300000 /dev/zero > big
	run sock send --type dgram s < big
	assert_failure 1
	assert_output --regexp '^ipc-sock: send s: Message too long \(300000 bytes > SO_SNDBUF [0-9]+\)$'
	sock send --type dgram s after
	wait_bg
	assert_equal "$(cat out)" after
}

@test "dgram -l: 2000 lines from 4 senders, none lost or twice, none torn" {
	local n
	# fewer under valgrind, where each recvmsg into a buffer of twice
	# wmem_max costs some 10 ms: 8000 would outlast the 20 s bound
	n=${IPC_WRAP:+200}
	n=${n:-2000}
	server s recv --type dgram -c $((4 * n)) s
	for k in 1 2 3 4; do
		seq $(((k - 1) * n + 1)) $((k * n)) > in$k
		# a background job's stdin is /dev/null unless it says
		bg sh -c "exec ipc-sock send --type dgram -l s < in$k"
	done
	wait_bg
	each_once out $((4 * n))
}

@test "seqpacket: records kept whole over a connection, -c counts them" {
	server s recv --type seqpacket -c 2 -r s
	sock send --type seqpacket s ab cd
	wait_bg
	assert_equal "$(cat out)" abcd
}

@test "seqpacket -c N: records from one connection after another" {
	server s recv --type seqpacket -c 3 s
	sock send --type seqpacket s ab cd
	sock send --type seqpacket s ef
	wait_bg
	assert_equal "$(cat out)" "$(printf 'ab\ncd\nef')"
}

@test "udp: to a free port on 127.0.0.1, said on stderr; -v gives the sender's address" {
	bg sock recv -c 1 -v udp:127.0.0.1:0 >out 2>err
	p=$(port_of err)
	assert_equal "$(cat err)" "ipc-sock: recv udp:127.0.0.1:$p"
	sock send "udp:127.0.0.1:$p" hello
	wait_bg
	run cat out
	assert_output --regexp '^127\.0\.0\.1:[0-9]+	hello$'
}

# --- TCP ---------------------------------------------------------------------

@test "tcp: port 0 binds a free port, IPv4 and IPv6, -v gives the peer's address" {
	for host in 127.0.0.1 '[::1]'; do
		bg sock recv -c 1 -v "tcp:$host:0" >out 2>err
		p=$(port_of err)
		assert_equal "$(cat err)" "ipc-sock: recv tcp:$host:$p"
		sock send "tcp:$host:$p" hi
		wait_bg
		run cat out
		assert_output --regexp "^(127\.0\.0\.1|\[::1\]):[0-9]+	hi\$"
	done
}

@test "tcp: nobody at the port is exit 1, naming the address" {
	bg sock recv -c 1 tcp:127.0.0.1:0 >/dev/null 2>err
	p=$(port_of err)
	sock send "tcp:127.0.0.1:$p" first
	wait_bg
	run sock send "tcp:127.0.0.1:$p" x
	assert_failure 1
	assert_output "ipc-sock: send tcp:127.0.0.1:$p: Connection refused"
}

# --- listen ------------------------------------------------------------------

@test "listen -e: each connection runs CMD with the peer's credentials in its environment" {
	server s listen -1 -e 'echo "$IPC_PEER_PID $IPC_PEER_UID $IPC_PEER_GID [$IPC_PEER_ADDR]"; cat' s
	run python3 -c 'import os, socket
s = socket.socket(socket.AF_UNIX); s.connect("s")
s.sendall(b"echoed\n"); s.shutdown(socket.SHUT_WR)
got = b""
while True:
    b = s.recv(100)
    if not b: break
    got += b
print(os.getpid()); print(got.decode(), end="")'
	assert_success
	assert_line --index 1 "${lines[0]} $(id -u) $(id -g) []"
	assert_line --index 2 echoed
	wait_bg
	[ ! -e s ]
}

@test "listen -e over tcp: IPC_PEER_ADDR is the client's address, no credentials" {
	bg sock listen -1 -e 'echo "[$IPC_PEER_ADDR] ${IPC_PEER_PID-none}"' tcp:127.0.0.1:0 >out 2>err
	p=$(port_of err)
	run sock connect "tcp:127.0.0.1:$p" </dev/null
	assert_success
	assert_output --regexp '^\[127\.0\.0\.1:[0-9]+\] none$'
}

@test "listen -1 -e: exits with CMD's status" {
	server s listen -1 -e 'exit 7' s
	sock connect s </dev/null
	st=0
	wait "$BG_LAST" || st=$?
	[ "$st" -eq 7 ]
}

@test "listen -n: at most MAX commands at once; the others wait in the backlog" {
	server s listen -n 2 -e 'echo x >> started; sleep 30' s
	for k in 1 2 3 4; do
		bg timeout 20 ipc-sock connect s </dev/null
	done
	wait_for has_lines started 2
	# the other two stay waiting while those two run
	sleep 0.3
	assert_equal "$(wc -l < started)" 2
}

@test "listen without -e: each connection's bytes to stdout, in turn" {
	server s listen s
	sock send s first
	sock send s second
	wait_for grep -q second out
	assert_equal "$(cat out)" "$(printf 'first\nsecond')"
}

@test "listen: a datagram address is a usage error" {
	run sock listen --type dgram s
	assert_failure 2
	assert_line --index 0 "ipc-sock: listen: s: a datagram socket has no connections to serve (recv takes its messages)"
	[ ! -e s ]
}

@test "listen: a stale socket file is replaced; a live one is refused and kept" {
	stale s
	server s listen -1 -e 'echo ok' s
	run sock connect s </dev/null
	assert_output ok
	wait_bg
	server s listen -e 'echo first' s
	ino=$(stat -c %i s)
	run sock listen -e 'echo second' s
	assert_failure 1
	assert_output "ipc-sock: listen s: Address already in use (a live socket is bound there)"
	[ "$(stat -c %i s)" = "$ino" ]
	run sock connect s </dev/null
	assert_output first
}

@test "listen: a regular file or a symlink at the path is never removed or followed" {
	echo keep > s
	run sock listen s
	assert_failure 1
	assert_output "ipc-sock: listen s: exists and is not a socket"
	assert_equal "$(cat s)" keep
	mkdir d
	ln -s d/target l
	run sock listen l
	assert_failure 1
	assert_output "ipc-sock: listen l: exists and is not a socket"
	[ ! -e d/target ] && [ -L l ]
}

@test "listen: a directory on the path that is a symlink is refused, not followed" {
	mkdir real
	ln -s real link
	run sock listen -1 link/s
	assert_failure 1
	assert_output "ipc-sock: listen link/s: Not a directory"
	[ ! -e real/s ]
}

@test "listen: SIGINT, SIGTERM and SIGHUP remove the socket file and exit 128+signal" {
	for sig in INT TERM HUP; do
		bg env --default-signal=INT ipc-sock listen -e cat s >/dev/null 2>err
		wait_for listens s
		ends_by "$BG_LAST" "$sig"
		[ ! -e s ]
		[ ! -s err ]
	done
}

@test "listen: QUIT, USR1, ALRM and RTMIN+5 remove the socket file too, 128+signal" {
	for sig in QUIT USR1 ALRM RTMIN+5; do
		# a background job starts with SIGQUIT ignored: give it back
		bg env --default-signal=INT,QUIT ipc-sock listen -e cat s \
		    >/dev/null 2>err
		wait_for listens s
		ends_by "$BG_LAST" "$sig"
		[ ! -e s ]
		[ ! -s err ]
	done
}

# listen -e, in the background under a bound: its pid in L, the
# connection's CMD started (its pid in the file cmd), the client's pid in C
listen_busy() {
	bg timeout -s KILL 30 ipc-sock listen "$@" s 2>err
	wait_for listens s
	L=$(child_is "$BG_LAST" ipc-sock)
	LT=$BG_LAST
	bg timeout 20 ipc-sock connect s </dev/null >/dev/null
	C=$BG_LAST
	wait_for test -s cmd
}

@test "listen -e: a signal removes the file at once; a CMD that ignores it is waited for, a second signal ends it" {
	listen_busy -e 'trap "" TERM; echo $$ > cmd; exec sleep 30'
	kill -TERM "$L"
	wait_for test -s err
	assert_equal "$(cat err)" "ipc-sock: listen s: waiting for 1 connection to end (pid $(cat cmd)); a second signal ends it"
	[ ! -e s ]
	run timeout 10 ipc-sock connect s </dev/null
	assert_failure 1
	assert_output "ipc-sock: connect s: No such file or directory"
	# both still there: nothing kills a CMD unasked
	kill -0 "$L"
	kill -0 "$(cat cmd)"
	kill -TERM "$L"
	st=0
	wait "$LT" || st=$?
	assert_equal "$st" 143
	! kill -0 "$(cat cmd)" 2>/dev/null
}

@test "listen -e --kill-after: a CMD that ignores the signal is killed DUR after it, 143" {
	listen_busy --kill-after 1s -e 'trap "" TERM; echo $$ > cmd; exec sleep 30'
	t0=$(date +%s%N)
	kill -TERM "$L"
	st=0
	wait "$LT" || st=$?
	t1=$(date +%s%N)
	assert_equal "$st" 143
	# never before the bound
	[ $(( (t1 - t0) / 1000000 )) -ge 1000 ]
	! kill -0 "$(cat cmd)" 2>/dev/null
	assert_equal "$(cat err)" "ipc-sock: listen s: waiting for 1 connection to end (pid $(cat cmd)); a second signal ends it"
}

@test "listen -e: the signal reaches the whole of a CMD's group; the client sees the end, listen exits 143" {
	# sleep is in the CMD's group, not its pid: passed to the pid only,
	# it would keep the connection open for 30 seconds
	listen_busy -e 'echo $$ > cmd; sleep 30 & wait; echo once >> seen'
	kill -TERM "$L"
	st=0
	wait "$LT" || st=$?
	assert_equal "$st" 143
	st=0
	wait "$C" || st=$?
	assert_equal "$st" 0
	[ ! -e s ]
	[ ! -e seen ]
}

# --- connect -----------------------------------------------------------------

@test "connect: stdin to the server, its reply to stdout, half-closed at the end of input" {
	server s listen -1 -e 'tr a-z A-Z' s
	run sock connect s <<<"shout"
	assert_success
	assert_output SHOUT
}

@test "connect to socat, and socat to recv: both directions with a peer that is not ours" {
	bg socat UNIX-LISTEN:s1 EXEC:'tr a-z A-Z'
	wait_for listens s1
	run sock connect s1 <<<"peer"
	assert_output PEER
	server s recv s
	echo from-socat | socat -u STDIN UNIX-CONNECT:s
	wait_bg
	assert_equal "$(cat out)" from-socat
}

@test "connect to /dev/full: exit 1 naming connect and stdout before connecting; nothing sent" {
	bg socat -u UNIX-LISTEN:s OPEN:got,creat
	wait_for listens s
	st=0
	sock connect s <<<important-request >/dev/full 2>err || st=$?
	[ "$st" -eq 1 ]
	assert_equal "$(cat err)" "ipc-sock: connect s: stdout: No space left on device"
	# the server's one connection is the next one, not that request's
	socat -u - UNIX-CONNECT:s <<<next
	wait_bg
	assert_equal "$(cat got)" next
}

@test "connect: a signal that ends it ends its stdin half too, and the connection closes" {
	server s listen -1 s
	srv=$BG_LAST
	mkfifo in
	exec 5<>in			# a writer kept: stdin never ends
	# its own redirection: a bare & job's stdin would be /dev/null
	bg sh -c 'exec timeout --preserve-status 20 ipc-sock connect s <in 5>&-'
	echo hello >&5
	wait_for outputs hello cat out
	# timeout(1) would pass the signal to its whole group: to connect only
	read -r conn half < <(descendants "$BG_LAST" | xargs)
	[ -n "$half" ]
	kill -TERM "$conn"
	st=0
	wait "$BG_LAST" || st=$?
	[ "$st" -eq 143 ]
	wait_for eval '! kill -0 "$half" 2>/dev/null'
	# the server's one connection has ended: listen -1 is done
	wait "$srv"
	assert_equal "$(cat out)" hello
}

@test "connect: no such socket, exit 1 naming it" {
	run sock connect nosuch
	assert_failure 1
	assert_output "ipc-sock: connect nosuch: No such file or directory"
}

@test "connect: a socket only root may reach is Permission denied for others" {
	need_nobody
	mkdir -m 0755 pub
	server s recv -m 0600 pub/s
	run as_nobody ipc-sock send pub/s x
	assert_failure 1
	assert_output "ipc-sock: send pub/s: Permission denied"
}

# --- activate ----------------------------------------------------------------

@test "activate: a LISTEN_FDS daemon gets fd 3, 4 listening, its own pid and the names" {
	socks_py > socks.py
	cat > daemon.py <<'EOF'
import os, socket
from socks import socks
assert int(os.environ["LISTEN_PID"]) == os.getpid()
n = int(os.environ["LISTEN_FDS"])
for fd in range(3, 3 + n):
    s = socket.socket(fileno=fd)
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 1
    assert os.get_inheritable(fd)
    s.detach()
print(n, os.environ["LISTEN_FDNAMES"], socks())
EOF
	run sock activate --name web --name ctl s "@$ab" -- python3 daemon.py
	assert_success
	assert_output "2 web:ctl ['3', '4']"
}

@test "activate: names default to unknown; a colon in one is refused" {
	run sock activate --name a s1 s2 -- sh -c 'echo $LISTEN_FDNAMES'
	assert_output a:unknown
	run sock activate --name 'a:b' s -- true
	assert_failure 2
	assert_line --index 0 "ipc-sock: activate: --name 'a:b': not 1 to 255 printable bytes without a colon"
	run sock activate --name '' s -- true
	assert_failure 2
}

@test "activate: no command is 2; not found 127, not runnable 126, and its files go" {
	run sock activate s
	assert_failure 2
	assert_line --index 0 "ipc-sock: activate: missing -- CMD..."
	run -127 sock activate s -- ./nosuch
	assert_output "ipc-sock: activate: ./nosuch: No such file or directory"
	touch plain
	run sock activate s -- ./plain
	assert_failure 126
	[ ! -e s ]
}

@test "activate: a live socket at an address is 125, the command never runs" {
	server s listen s
	run sock activate s -- touch ran
	assert_failure 125
	assert_output "ipc-sock: activate s: Address already in use (a live socket is bound there)"
	[ ! -e ran ]
}

# --- descriptors -------------------------------------------------------------

@test "send --pass-fd to recv --take-fd: CMD reads the file through fd 3; no socket leaks" {
	echo secret > f
	socks_py > socks.py
	bg sock recv --take-fd s -- python3 -c 'import os
from socks import socks
print(os.read(3, 100).decode(), end="")
print(socks())' >out 2>err
	wait_for listens s
	sock send --pass-fd 3 s 3<f
	wait_bg
	run cat out
	assert_line --index 0 secret
	assert_line --index 1 "[]"
	[ ! -e s ]
}

@test "fd passing with Python: send_fds to our recv, our send to recv_fds" {
	echo one > f1
	echo two > f2
	bg sock recv --take-fd s -- sh -c 'cat <&3; cat <&4' >out 2>err
	wait_for listens s
	python3 -c 'import socket
s = socket.socket(socket.AF_UNIX); s.connect("s")
a, b = open("f1"), open("f2")
socket.send_fds(s, [b"x"], [a.fileno(), b.fileno()])'
	wait_bg
	assert_equal "$(cat out)" "$(printf 'one\ntwo')"
	cat > take.py <<'EOF'
import os, socket
l = socket.socket(socket.AF_UNIX); l.bind("p"); l.listen()
open("ready", "w").close()
c, _ = l.accept()
msg, fds, _, _ = socket.recv_fds(c, 10, 4)
print(msg, os.read(fds[0], 10).decode(), end="")
os.unlink("p")
EOF
	bg python3 take.py >out2
	wait_for test -e ready
	sock send --pass-fd 0 p < f2
	wait_bg
	assert_equal "$(cat out2)" "b'\\x00' two"
}

# Python's recv_fds on a socket of type $1 at p: every byte, the
# descriptors that came with them, and what the first one reads
recv_fds_py() {
	cat > take.py <<'EOF'
import os, socket, sys
t = getattr(socket, "SOCK_" + sys.argv[1].upper())
l = socket.socket(socket.AF_UNIX, t); l.bind("p")
c = l
if t != socket.SOCK_DGRAM:
    l.listen()
open("ready", "w").close()
if t != socket.SOCK_DGRAM:
    c, _ = l.accept()
data, got = b"", []
while True:
    msg, fds, _, _ = socket.recv_fds(c, 100, 4)
    data += msg; got += fds
    if not msg or t != socket.SOCK_STREAM:
        break
print(repr(data), len(got), os.read(got[0], 10).decode() if got else "", end="")
EOF
	rm -f ready p
	bg python3 take.py "$1" >out2
	wait_for test -e ready
}

@test "send --pass-fd with a message: the descriptor rides on the data, stream, seqpacket and dgram" {
	echo two > f2
	for t in stream seqpacket dgram; do
		recv_fds_py $t
		sock send --type $t --pass-fd 3 p hello 3<f2
		wait_bg
		if [ $t = stream ]; then
			assert_equal "$(cat out2)" "b'hello\\n' 1 two"
		else
			assert_equal "$(cat out2)" "b'hello' 1 two"
		fi
	done
	recv_fds_py stream
	printf 'x\ny\n' | sock send -l --pass-fd 3 p 3<f2
	wait_bg
	assert_equal "$(cat out2)" "b'x\\ny\\n' 1 two"
	# no message: a datagram of no bytes, never a NUL read as data
	recv_fds_py dgram
	sock send --type dgram --pass-fd 3 p 3<f2
	wait_bg
	assert_equal "$(cat out2)" "b'' 1 two"
}

@test "recv without --take-fd: descriptors that came with a datagram are closed and said" {
	server s recv --type dgram s
	python3 -c 'import socket
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.connect("s"); socket.send_fds(s, [b"hi"], [0])' </dev/null
	wait_bg
	assert_equal "$(cat out)" hi
	assert_equal "$(cat err)" "ipc-sock: recv s: descriptors came with a message: closed, not taken (--take-fd takes them)"
}

@test "--pass-fd of a descriptor that is not open, --take-fd without CMD: exit 2" {
	run sock send --pass-fd 9 s
	assert_failure 2
	assert_line --index 0 "ipc-sock: send: --pass-fd 9: Bad file descriptor"
	run sock recv --take-fd s
	assert_failure 2
	assert_line --index 0 "ipc-sock: recv: --take-fd needs -- CMD..."
	[ ! -e s ]
}

@test "recv --take-fd: a message without descriptors is 125" {
	bg sock recv --take-fd s -- true >out 2>err
	wait_for listens s
	sock send s nofd
	st=0
	wait "$BG_LAST" || st=$?
	[ "$st" -eq 125 ]
	assert_equal "$(cat err)" "ipc-sock: recv s: no descriptor came with the message"
}

@test "recv --take-fd: CMD not found 127, not runnable 126, before binding: nothing taken" {
	run -127 sock recv -t 5s --take-fd s -- ./nosuch
	assert_failure 127
	assert_output "ipc-sock: recv: ./nosuch: No such file or directory"
	[ ! -e s ]
	run -127 sock recv -t 5s --take-fd s -- nosuch-$$
	assert_failure 127
	assert_output "ipc-sock: recv: nosuch-$$: No such file or directory"
	echo x > f
	chmod 644 f
	run sock recv -t 5s --take-fd s -- ./f
	assert_failure 126
	assert_output "ipc-sock: recv: ./f: Permission denied"
	[ ! -e s ]
}

# --- bad input ---------------------------------------------------------------

@test "addresses that do not parse are usage errors with one clear line" {
	local bad
	while IFS='|' read -r addr msg; do
		run sock send "$addr" x
		assert_failure 2
		assert_line --index 0 "ipc-sock: send: $addr: $msg"
	done <<EOF
foo:bar|unknown address form 'foo:' (unix:, abstract:, tcp:, udp:; a path with a colon: ./foo:bar)
tcp:127.0.0.1:0|port 0 only binds (a free port); connect to 1-65535
tcp:127.0.0.1:65536|port '65536' is not a number from 1 to 65535
tcp:127.0.0.1:x|port 'x' is not a number from 1 to 65535
tcp:[::1|unterminated '['
tcp:::1:80|an IPv6 host goes in brackets: [::1]:PORT
tcp:localhost|no :PORT (HOST:PORT)
unix:|empty path
@|empty name
EOF
	bad=$(printf 'p%.0s' $(seq 108))
	run sock send "$bad" x
	assert_failure 2
	assert_line --index 0 "ipc-sock: send: $bad: path too long (108 bytes > 107, sun_path's limit)"
	run sock send --type bogus s x
	assert_failure 2
	assert_line --index 0 "ipc-sock: send: --type bogus: not stream, dgram or seqpacket"
	run sock send --type dgram tcp:127.0.0.1:1 x
	assert_failure 2
	assert_line --index 0 "ipc-sock: send: tcp:127.0.0.1:1: --type dgram is for Unix sockets; tcp is stream, udp is dgram"
}

@test "an unresolvable host is exit 1 with the resolver's words, not a usage error" {
	words=$(python3 -c 'import socket
try:
    socket.getaddrinfo("nonexistent.invalid", None)
except socket.gaierror as e:
    print(e.strerror)')
	run sock send tcp:nonexistent.invalid:80 x
	assert_failure 1
	assert_output "ipc-sock: send tcp:nonexistent.invalid:80: host 'nonexistent.invalid': $words"
}

@test "listen -h: -e is per connection, up to -n at once" {
	run sock listen -h
	assert_success
	assert_line "  -e, --exec CMD           sh -c CMD per connection, on its stdin/stdout, up to -n at once"
}

@test "a path with a colon is a path, given as ./ or unix:" {
	server a:b recv ./a:b
	sock send unix:a:b hi
	wait_bg
	assert_equal "$(cat out)" hi
}

# --- consumers that cannot deliver ----------------------------------------------

@test "recv to /dev/full: exit 1 naming stdout before taking anything, the socket file gone" {
	run sh -c 'exec timeout 20 ipc-sock recv --type dgram s >/dev/full'
	assert_failure 1
	assert_output "ipc-sock: recv s: stdout: No space left on device"
	[ ! -e s ]
}

@test "a reader that has gone ends recv quietly, and the sender is told, never hangs" {
	bg sh -c 'ipc-sock recv s | head -c 10 >/dev/null'
	wait_for listens s
	run sock send s < <(head -c 50000000 /dev/zero)
	assert_failure 1
	assert_output --regexp "^ipc-sock: send s: (Broken pipe|Connection reset by peer)$"
	wait_bg
	[ ! -e s ]
}

# --- stat, ls, rm ---------------------------------------------------------------

# ADDR $1 has a listening socket bound to it, as stat says (for a path
# with a directory, whose kernel name is only its last part)
stat_listens() {
	[ "$(ipc-sock stat -o state "$1" 2>/dev/null)" = state=listen ]
}

# a listener on ADDR $1 in the background, pid in L, waited for
listener() {
	bg timeout 30 ipc-sock listen -1 -e 'echo seen > seen' "$1"
	wait_for stat_listens "$1"
	L=$(child_is "$BG_LAST" ipc-sock || echo "$BG_LAST")
	C=$(cat "/proc/$L/comm")
}

@test "stat of a listening socket file: listen, its listener, and no connection" {
	listener "$s"
	run --separate-stderr ipc-sock stat -o addr_type,type,state,rq,holders,peer,path,name "$s"
	assert_success
	assert_output "addr_type=path
type=stream
state=listen
rq=0
holders=$L($C)
peer=
path=$s
name=$s"
	assert_equal "$stderr" "$(partial_note ipc-sock stat holders)"
	# nothing waits to be accepted, and nothing was served
	run ipc-sock stat -o rq "$s"
	assert_output rq=0
	[ ! -e seen ]
	kill -0 "$L"
}

@test "stat gives the file's mode, owner, group and inode; the socket's inode" {
	listener "$s"
	ino=$(stat -c %i "$s")
	run ipc-sock stat -o mode,owner,group,file_inode "$s"
	assert_success
	assert_output "mode=0600
owner=$(id -un)
group=$(id -gn)
file_inode=$ino"
	# the socket's own inode, as its holder's descriptor shows it
	sino=$(ipc-sock stat -o inode "$s")
	ls -l "/proc/$L/fd" | grep -q "socket:\[${sino#inode=}\]\$"
}

@test "stat of a socket file nobody is bound to says stale, exit 0" {
	stale_sock "$s"
	run --separate-stderr ipc-sock stat -o addr_type,type,state,inode,holders,path "$s"
	assert_success
	assert_output "addr_type=path
type=
state=stale
inode=
holders=
path=$s"
	# no socket, no holders to look for: nothing on stderr
	assert_equal "$stderr" ""
}

@test "a listener closed while an accepted connection lives: stale, restartable; a dgram recv stays live" {
	bg python3 -c 'import socket, os, time
l = socket.socket(socket.AF_UNIX); l.bind("s"); l.listen()
c = socket.socket(socket.AF_UNIX); c.connect("s")
a, _ = l.accept(); l.close()
open("ready", "w").close()
while os.path.exists("ready"):
    time.sleep(0.02)'
	wait_for test -e ready
	run sock stat -o state s
	assert_success
	assert_output "state=stale"
	server s recv s
	sock send s again
	rm ready
	wait_bg
	assert_equal "$(cat out)" again
	server d recv --type dgram d
	run sock stat -o state d
	assert_output "state=unconnected"
	run sock rm d
	assert_failure 1
}

@test "stat of unix:PATH is stat of PATH" {
	stale_sock "$s"
	run ipc-sock stat -o state,path "unix:$s"
	assert_success
	assert_output "state=stale
path=$s"
}

@test "stat of an abstract name: its listener, no file" {
	listener "@$n"
	run --separate-stderr ipc-sock stat -o addr_type,type,state,mode,holders,path,name "@$n"
	assert_success
	assert_output "addr_type=abstract
type=stream
state=listen
mode=
holders=$L($C)
path=
name=@$n"
	run ipc-sock stat -o name "abstract:$n"
	assert_output "name=@$n"
	[ ! -e seen ]
}

@test "stat of an abstract name nobody has: exit 1" {
	run ipc-sock stat "@$n-none"
	assert_failure 1
	assert_output "ipc-sock: stat @$n-none: No such file or directory"
}

# abstract names with a NUL, a space, '@', a newline, a backslash and a
# byte that is not UTF-8, each listening; what each is sent goes to gotN
odd_names() {
	cat >odd.py <<'PY'
import os, select, socket, sys
pre = sys.argv[1].encode()
names = [b"\0a", b" sp", b"@at", b"\nnl", b"\\bs", b"\xff"]
ls = []
for k, x in enumerate(names):
    s = socket.socket(socket.AF_UNIX)
    s.bind(b"\0" + pre + x)
    s.listen(4)
    ls.append(s)
open("ready", "w").close()
while True:
    r, _, _ = select.select(ls, [], [])
    for s in r:
        c, _ = s.accept()
        got = b""
        while True:
            b = c.recv(100)
            if not b:
                break
            got += b
        c.close()
        with open("got%d" % ls.index(s), "ab") as f:
            f.write(got)
PY
	bg timeout 60 python3 odd.py "$n"
	wait_for test -e ready
}

@test "abstract names with odd bytes: ls escapes them, and stat and send take the printed name back" {
	odd_names
	run --separate-stderr ipc-sock ls -H -o name
	assert_success
	assert_equal "$(printf '%s\n' "${lines[@]}" | grep -F "@$n" | LC_ALL=C sort)" \
	    "$(printf '%s\n' "@$n\\000a" "@$n\\012nl" "@$n\\040sp" \
	    "@$n\\134bs" "@$n\\377" "@$n@at" | LC_ALL=C sort)"
	k=0
	for name in "@$n\\000a" "@$n\\040sp" "@$n@at" "@$n\\012nl" \
	    "@$n\\134bs" "@$n\\377"; do
		run ipc-sock stat -o state,name "$name"
		assert_success
		assert_output "state=listen
name=${name//\\040/ }"
		run sock send "$name" "to-$k"
		assert_success
		wait_for test -s "got$k"
		assert_equal "$(cat "got$k")" "to-$k"
		k=$((k + 1))
	done
	# \\ is a backslash too, as typed by hand
	run ipc-sock stat -o name "@$n\\\\bs"
	assert_success
	assert_output "name=@$n\\134bs"
}

@test "abstract names with odd bytes: ls -j and stat -j carry the exact bytes" {
	odd_names
	run --separate-stderr sh -c "ipc-sock ls -j | python3 -c '
import json, sys
pre = sys.argv[1]
for r in json.load(sys.stdin):
    if (r[\"name\"] or \"\").startswith(\"@\" + pre):
        print(repr(r[\"name\"][len(pre) + 1:].encode(\"utf-8\", \"surrogateescape\")))
' $n | LC_ALL=C sort"
	assert_success
	assert_output "b' sp'
b'@at'
b'\\\\bs'
b'\\nnl'
b'\\x00a'
b'\\xff'"
	run --separate-stderr ipc-sock stat -j -o name "@$n\\000a"
	assert_success
	assert_output "{\"name\":\"@$n\\u0000a\"}"
	run --separate-stderr ipc-sock stat -j -o name "@$n\\377"
	assert_output "{\"name\":\"@$n\\udcff\"}"
}

@test "a socket path with odd bytes: ls escapes it, and stat and send take the printed path back" {
	mkdir d
	bg timeout 60 python3 -c 'import socket
s = socket.socket(socket.AF_UNIX); s.bind(b"d/a b\n\\c"); s.listen(1)
open("ready", "w").close()
c, _ = s.accept()
got = b""
while True:
    b = c.recv(100)
    if not b: break
    got += b
open("got", "wb").write(got)'
	wait_for test -e ready
	run --separate-stderr ipc-sock ls -H -o path d
	assert_success
	assert_output 'd/a\040b\012\134c'
	run --separate-stderr ipc-sock stat -o state,path 'd/a\040b\012\134c'
	assert_success
	assert_output 'state=listen
path=d/a b\012\134c'
	run sock send 'd/a b\012\\c' hello
	assert_success
	wait_bg
	assert_equal "$(cat got)" hello
}

@test "listen -e: IPC_PEER_ADDR of a client bound to an odd abstract name is its escaped name" {
	server s listen -1 -e 'printf "[%s]\n" "$IPC_PEER_ADDR"' s
	run python3 -c 'import socket, sys
c = socket.socket(socket.AF_UNIX)
c.bind(b"\0" + sys.argv[1].encode() + b"\0x y\n\\")
c.connect("s"); c.shutdown(socket.SHUT_WR)
got = b""
while True:
    b = c.recv(100)
    if not b: break
    got += b
sys.stdout.write(got.decode())' "$n"
	assert_success
	assert_output "[@$n\\000x\\040y\\012\\134]"
	wait_bg
}

@test "stat -j prints one JSON object with every field" {
	listener "$s"
	run --separate-stderr sh -c "ipc-sock stat -j $s | python3 -c 'import json,sys; d=json.load(sys.stdin); print(sorted(d)); print(d[\"state\"], d[\"holders\"][0][\"pid\"], d[\"holders\"][0][\"command\"], d[\"peer\"], d[\"peer_holders\"])'"
	assert_success
	assert_line --index 0 "['addr_type', 'file_inode', 'group', 'holders', 'inode', 'kind', 'mode', 'name', 'owner', 'path', 'peer', 'peer_holders', 'rq', 'state', 'type', 'wq']"
	assert_line --index 1 "listen $L $C None []"
}

@test "stat refuses a regular file, a symlink, a missing path; the target untouched" {
	echo data > reg
	stale_sock "$s"
	ln -s "$s" link
	run ipc-sock stat reg
	assert_failure 1
	assert_output "ipc-sock: stat reg: not a socket"
	run ipc-sock stat link
	assert_failure 1
	assert_output "ipc-sock: stat link: not a socket"
	[ -S "$s" ] && [ -L link ] && [ "$(cat reg)" = data ]
	run ipc-sock stat nope
	assert_failure 1
	assert_output "ipc-sock: stat nope: No such file or directory"
}

@test "stat of TCP or UDP, no ADDR, or two: usage errors" {
	run ipc-sock stat tcp:127.0.0.1:80
	assert_failure 2
	assert_line --index 0 "ipc-sock: stat: tcp:127.0.0.1:80: stat is for Unix sockets (ss(8) shows TCP and UDP)"
	assert_line --index 1 "usage: ipc-sock stat [-o LIST] [-j] [--wait [-t DUR]] ADDR"
	run ipc-sock stat udp:127.0.0.1:53
	assert_failure 2
	run ipc-sock stat
	assert_failure 2
	assert_line --index 0 "ipc-sock: stat: missing ADDR"
	run ipc-sock stat a b
	assert_failure 2
	run ipc-sock stat -o nope "$s"
	assert_failure 2
}

@test "stat as another user of a socket in a root-only directory: Permission denied" {
	need_nobody
	d=$(mktemp -d)
	chmod 700 "$d"
	stale_sock "$d/s"
	run as_nobody ipc-sock stat "$d/s"
	assert_failure 1
	assert_output "ipc-sock: stat $d/s: Permission denied"
	run as_nobody ipc-sock rm "$d/s"
	assert_failure 1
	assert_output "ipc-sock: rm $d/s: Permission denied"
	[ -S "$d/s" ]
	rm -r "$d"
}

@test "ls lists a listening socket with its pid and command, by the name bound" {
	listener "$BATS_TEST_TMPDIR/$s"
	ino=$(ipc-sock stat -o inode "$s")
	run --separate-stderr sh -c "ipc-sock ls -H -o inode,type,state,holders,peer,name | awk '\$1 == ${ino#inode=}'"
	assert_success
	# bound from its directory, the kernel has the last component; the
	# listener's working directory has the file: named where it is
	assert_output --regexp "^${ino#inode=} stream listen +$L\\($C\\) +- $BATS_TEST_TMPDIR/$s\$"
	assert_equal "$stderr" "$(partial_note ipc-sock ls holders)"
}

@test "ls prints a header and the default columns" {
	run --separate-stderr ipc-sock ls
	assert_success
	assert_line --index 0 --regexp '^TYPE +STATE +INODE +HOLDERS +PEER +PEER_HOLDERS +NAME$'
}

@test "ls shows a connected pair, each with the other as its peer" {
	python3 -c 'import os, socket, sys, time
a, b = socket.socketpair()
ia, ib = os.fstat(a.fileno()).st_ino, os.fstat(b.fileno()).st_ino
with open("pair.tmp", "w") as f:
    print(os.getpid(), ia, ib, file=f)
os.rename("pair.tmp", "pair")
time.sleep(30)' &
	BG_PIDS="$BG_PIDS $!"
	wait_for test -s pair
	read -r p ia ib < pair
	c=$(cat "/proc/$p/comm")
	run --separate-stderr sh -c "ipc-sock ls -H -o inode,state,holders,peer,peer_holders,name | awk '\$1 == $ia || \$1 == $ib { \$1 = \$1; print }' | sort -n"
	assert_success
	lo=$((ia < ib ? ia : ib)) hi=$((ia < ib ? ib : ia))
	assert_output --regexp "^$lo connected $p\\($c\\) $hi $p\\($c\\) -
$hi connected $p\\($c\\) $lo $p\\($c\\) -\$"
}

@test "ls shows a client connected to a listener, and the server's end" {
	bg timeout 30 socat "UNIX-LISTEN:$s" EXEC:'sleep 30'
	wait_for listens "$s"
	bg timeout 30 socat -u OPEN:/dev/null,ignoreeof "UNIX-CONNECT:$s"
	wait_for sh -c "ipc-sock ls -H -o state,name | grep -q '^connected  *$BATS_TEST_TMPDIR/$s\$'"
	run --separate-stderr sh -c "ipc-sock ls -H -o inode,peer,name | awk '\$3 == \"$BATS_TEST_TMPDIR/$s\" && \$2 != \"-\"'"
	[ "${#lines[@]}" -eq 1 ]
	read -r server client _ <<<"${lines[0]}"
	# the client's socket is unnamed; its peer is the server's end
	run --separate-stderr sh -c "ipc-sock ls -H -o inode,peer,name,peer_holders | awk '\$1 == $client { \$1 = \$1; print }'"
	assert_output --regexp "^$client $server - [0-9]+\\(socat\\)\$"
}

@test "ls -j is a JSON array with the listener in it" {
	listener "$s"
	run --separate-stderr sh -c "ipc-sock ls -j | python3 -c 'import json,sys; d=json.load(sys.stdin); r=[x for x in d if x[\"name\"] == \"$BATS_TEST_TMPDIR/$s\"]; print(len(r), r[0][\"state\"], r[0][\"holders\"][0][\"pid\"], r[0][\"peer\"])'"
	assert_success
	assert_output "1 listen $L None"
}

@test "ls -o with an unknown field, or an operand that is no directory" {
	run ipc-sock ls -o nope
	assert_failure 2
	assert_line --index 0 "ipc-sock: ls: -o: unknown field 'nope' (fields: kind, addr_type, type, state, inode, mode, owner, group, file_inode, rq, wq, holders, peer, peer_holders, path, name, all)"
	assert_line --index 1 "usage: ipc-sock ls [-H] [--notruncate] [-o LIST] [-j] [--pid PID] [DIR...]"
	run ipc-sock ls -H -o path nodir
	assert_failure 1
	assert_output "ipc-sock: ls nodir: No such file or directory"
}

@test "ls DIR lists the socket files in it: live and stale, nothing else" {
	mkdir d
	listener "d/$s"
	stale_sock d/old
	touch d/reg
	ln -s old d/link
	run --separate-stderr ipc-sock ls -H -o path,state,holders d
	assert_success
	assert_output --regexp "^d/old +stale +-
d/$s +listen +$L\\($C\\)\$"
}

@test "ls escapes a name with a blank or a newline" {
	listener "@$n a
b"
	run --separate-stderr sh -c "ipc-sock ls -H -o name | grep -F '@$n'"
	assert_output "@$n\\040a\\012b"
}

@test "rm removes a stale socket file, silently" {
	stale_sock "$s"
	run ipc-sock rm "$s"
	assert_success
	assert_output ""
	[ ! -e "$s" ]
}

@test "rm refuses a socket with a live listener, names it, keeps the file" {
	listener "$s"
	run ipc-sock rm "$s"
	assert_failure 1
	assert_output "ipc-sock: rm $s: has a live listener: pid $L ($C)"
	[ -S "$s" ]
	[ ! -e seen ]
}

@test "rm refuses what is not a socket, and a symlink to one: neither goes" {
	echo data > reg
	stale_sock "$s"
	ln -s "$s" link
	run ipc-sock rm reg
	assert_failure 1
	assert_output "ipc-sock: rm reg: not a socket"
	run ipc-sock rm link
	assert_failure 1
	assert_output "ipc-sock: rm link: not a socket"
	[ "$(cat reg)" = data ] && [ -L link ] && [ -S "$s" ]
}

@test "rm of a missing one: exit 1; with -f, exit 0" {
	run ipc-sock rm nope
	assert_failure 1
	assert_output "ipc-sock: rm nope: No such file or directory"
	run ipc-sock rm -f nope
	assert_success
	assert_output ""
}

@test "rm tries each PATH, reports each failure, exits 1" {
	stale_sock a
	touch b
	stale_sock c
	run ipc-sock rm a b unix:c
	assert_failure 1
	assert_output "ipc-sock: rm b: not a socket"
	[ ! -e a ] && [ -f b ] && [ ! -e c ]
}

@test "rm of an abstract name or a TCP address is a usage error; nothing goes" {
	stale_sock a
	run ipc-sock rm a "@$n"
	assert_failure 2
	assert_line --index 0 "ipc-sock: rm: @$n: an abstract name has no file to remove; it goes with its last holder"
	assert_line --index 1 "usage: ipc-sock rm [-f] PATH..."
	[ -S a ]
	run ipc-sock rm tcp:127.0.0.1:80
	assert_failure 2
	assert_line --index 0 "ipc-sock: rm: tcp:127.0.0.1:80: a TCP socket has no file to remove"
	run ipc-sock rm
	assert_failure 2
	assert_line --index 0 "ipc-sock: rm: missing PATH"
}

@test "/proc/net/unix, where unix_diag is missing: names, types, states, inodes" {
	printf '%s\n' 'Num       RefCount Protocol Flags    Type St Inode Path' \
	    '0000000000000000: 00000002 00000000 00010000 0001 01 4242 /run/a b.sock' \
	    '0000000000000000: 00000003 00000000 00000000 0001 03  1058' \
	    '0000000000000000: 00000002 00000000 00000000 0002 01 77 @logs' \
	    '0000000000000000: 00000002 00000000 00000000 0005 02 78 rel.sock' > net
	run tests_unit netunix net
	assert_success
	assert_output "4242 stream listen /run/a b.sock
1058 stream connected 
77 dgram unconnected @logs
78 seqpacket connecting rel.sock"
}

# --- tap ---------------------------------------------------------------------
#
# The servers are Python's (tests/peers/unixpeer.py): a server that says
# which pid and uid it saw, one that takes and passes descriptors.

# a server that is not ours at $1, listening: serve (default), once, fds,
# seqpacket; its pid in SRV, what it says in srv.out
pyserver() {
	bg unixpeer.py "${2:-serve}" "$1" > srv.out
	SRV=$BG_LAST
	wait_for grep -qx ready srv.out
}

# ipc-sock tap ARGS... in the background, SIGINT not ignored, once it
# relays (its start line is out): its pid in TAP, tap.out, tap.err; fd 5
# (a test's end of a FIFO) not inherited
tap_bg() {
	bg env --default-signal=INT ipc-sock tap "$@" > tap.out 2> tap.err 5>&-
	TAP=$BG_LAST
	wait_for grep -q relaying tap.err
}

# a client, ipc-sock connect to $1 with stdin from the file $2: its pid in
# cpid, the reply on stdout
client() {
	timeout 10 sh -c 'echo $$ > cpid; exec ipc-sock connect "$1"' sh "$1" \
	    < "$2"
}

# the inode of the file $1, not following a symlink
ino() { stat -c %i "$1"; }

# nothing but what the test made is left beside the socket: no file aside
nothing_aside() {
	! ls -A | grep -q '\.tap\.'
}

@test "tap: both directions, the client's pid and each length; the reply unchanged" {
	pyserver "$s"
	tap_bg "$s"
	printf 'hello\tworld\n' > in
	run client "$s" in
	assert_success
	cp=$(cat cpid)
	[[ $output =~ ^pid=([0-9]+)\ uid=[0-9]+\ got=hello$'\t'world$ ]]
	[ "${BASH_REMATCH[1]}" != "$cp" ]	# the server saw the tap, not it
	reply="$output"$'\n'
	esc=${reply//$'\t'/\\011}
	run cat tap.out
	assert_output "c>s $cp 12
hello\\011world\\012
s>c $cp ${#reply}
${esc%$'\n'}\\012"
}

@test "tap: the start line says where the server is and what it no longer sees" {
	pyserver "$s"
	before=$(ino "$s")
	tap_bg "$s"
	if is_root; then
		sees="the pid of a short-lived child of the tap (with the client's uid and gid)"
	else
		sees="the tap's pid $TAP, uid $(id -u) and gid $(id -g)"
	fi
	run cat tap.err
	assert_output "ipc-sock: tap $s: relaying to the server, moved aside to .$s.tap.$TAP; for every new client the server now sees $sees, not the client's"
	[ "$(ino ".$s.tap.$TAP")" = "$before" ] && [ -S "$s" ]
}

@test "tap -X: each chunk as hexdump -C shows it" {
	pyserver "$s"
	tap_bg -X "$s"
	printf 'hello\0world\377, and more than sixteen bytes' > in
	client "$s" in > reply
	cp=$(cat cpid)
	{
		echo "c>s $cp $(wc -c < in)"
		hexdump -C in | sed '$d'
		echo "s>c $cp $(wc -c < reply)"
		hexdump -C reply | sed '$d'
	} > want
	run diff want tap.out
	assert_success
}

@test "tap -j: one JSON object a chunk, with dir, pid, bytes, fds and message" {
	pyserver "$s"
	tap_bg -j "$s"
	printf 'hi\n\001' > in
	client "$s" in > reply
	cp=$(cat cpid)
	run python3 -c '
import json, sys
for line in open("tap.out"):
    d = json.loads(line)
    print(d["dir"], d["pid"] == int(sys.argv[1]), d["bytes"], d["fds"],
          repr(d["message"][-4:]))' "$cp"
	assert_success
	assert_output "c>s True 4 0 'hi\\n\\x01'
s>c True $(wc -c < reply) 0 'hi\\n\\x01'"
}

@test "tap: SIGTERM, SIGINT, SIGHUP put the server's file back; new clients reach it" {
	pyserver "$s"
	before=$(ino "$s")
	echo x > in
	for sig in TERM INT HUP; do
		tap_bg "$s"
		[ "$(ino "$s")" != "$before" ]
		ends_by "$TAP" "$sig"
		[ "$(ino "$s")" = "$before" ]
		nothing_aside
		run client "$s" in
		assert_success
		assert_output "pid=$(cat cpid) uid=$(id -u) got=x"
	done
}

@test "tap: QUIT and USR2 put the server's file back too, 128+signal" {
	pyserver "$s"
	before=$(ino "$s")
	for sig in QUIT USR2; do
		bg env --default-signal=INT,QUIT ipc-sock tap "$s" > tap.out \
		    2> tap.err 5>&-
		TAP=$BG_LAST
		wait_for grep -q relaying tap.err
		[ "$(ino "$s")" != "$before" ]
		ends_by "$TAP" "$sig"
		[ "$(ino "$s")" = "$before" ]
		nothing_aside
	done
}

@test "tap: SIGTERM at any moment of its start never leaves the server's file aside" {
	pyserver "$s"
	before=$(ino "$s")
	for i in $(seq 10); do
		bg ipc-sock tap "$s" > tap.out 2> tap.err
		TAP=$BG_LAST
		# kill it once it is ours (a shell's child killed before its
		# exec can lose the signal): at once, or the moment the
		# server's file is aside
		wait_comm "$TAP" ipc-sock
		if [ $((i % 2)) = 0 ]; then
			for n in $(seq 20000); do
				[ -e ".$s.tap.$TAP" ] && break
			done
		fi
		ends_by "$TAP" TERM
		[ "$(ino "$s")" = "$before" ]
		nothing_aside
	done
}

@test "tap: a client connected before keeps talking to the server, unseen" {
	pyserver "$s"
	mkfifo in
	bg sh -c 'echo $$ > cpid; exec ipc-sock connect "$0" < in > early' "$s"
	early=$BG_LAST
	exec 5> in
	wait_for grep -qx accepted srv.out
	tap_bg "$s"
	echo early >&5
	exec 5>&-
	wait "$early"
	run cat early
	assert_output "pid=$(cat cpid) uid=$(id -u) got=early"
	run cat tap.out
	assert_output ""
}

@test "tap: descriptors pass through both ways (SCM_RIGHTS)" {
	pyserver "$s" fds
	tap_bg "$s"
	run timeout 10 unixpeer.py client-fds "$s"
	assert_success
	assert_output "1 fds: from the client / from the server"
	run grep -c ' fds=1$' tap.out
	assert_output 2
}

@test "tap: a descriptor from ipc-sock send --pass-fd reaches the server" {
	pyserver "$s" fds
	tap_bg "$s"
	echo secret > f
	run timeout 10 ipc-sock send --pass-fd 3 "$s" 3< f
	assert_success
	wait_for grep -q '^held:' srv.out
	run grep '^held:' srv.out
	assert_output "held: secret"
	run head -n 2 tap.out
	assert_output --regexp '^c>s [0-9]+ 1 fds=1
\\000$'
}

@test "tap: as root, our file has the server's mode and owner; it sees the client's uid" {
	need_nobody
	d=$(mktemp -d)
	chmod 755 "$d"
	chown nobody "$d"
	bg setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    sh -c "umask 077; exec unixpeer.py serve $d/s.sock" > srv.out
	wait_for grep -qx ready srv.out
	want=$(stat -c '%a %U %G' "$d/s.sock")
	tap_bg "$d/s.sock"
	got=$(stat -c '%a %U %G' "$d/s.sock")
	echo hi > in
	run as_nobody ipc-sock connect "$d/s.sock" < in
	ends_by "$TAP" TERM
	rm -r "$d"
	[ "$want" = "700 nobody nogroup" ] && [ "$got" = "$want" ]
	assert_success
	assert_output --regexp "^pid=[0-9]+ uid=$(id -u nobody) got=hi$"
	grep -q 'c>s [0-9]* 3$' tap.out
}

@test "tap: not root, the server sees the tap's uid; an owner it cannot give is said" {
	need_nobody
	d=$(mktemp -d)
	chmod 777 "$d"
	bg sh -c "umask 0; exec unixpeer.py serve $d/s.sock" > srv.out
	wait_for grep -qx ready srv.out
	bg setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    ipc-sock tap "$d/s.sock" > tap.out 2> tap.err
	TAP=$BG_LAST
	wait_for grep -q relaying tap.err
	echo hi > in
	run client "$d/s.sock" in
	ends_by "$TAP" TERM
	rm -r "$d"
	assert_success
	assert_output --regexp "^pid=$TAP uid=$(id -u nobody) got=hi$"
	run cat tap.err
	assert_output "ipc-sock: tap $d/s.sock: relaying to the server, moved aside to $d/.s.sock.tap.$TAP; for every new client the server now sees the tap's pid $TAP, uid $(id -u nobody) and gid $(id -g nobody), not the client's; it is owned by $(id -u nobody):$(id -g nobody), not by the server's 0:0 (only root can give it away)"
}

@test "tap: a server that stops listening ends the tap, 1, its file back" {
	pyserver "$s" once
	before=$(ino "$s")
	tap_bg "$s"
	echo x > in
	run client "$s" in
	assert_success
	run client "$s" in
	assert_failure
	st=0
	wait "$TAP" || st=$?
	[ "$st" -eq 1 ]
	run cat tap.err
	assert_line --index 1 "ipc-sock: tap $s: the server stopped listening: Connection refused"
	[ "$(ino "$s")" = "$before" ]
	nothing_aside
}

@test "tap: a stale socket, nobody listening: 1, left as it is" {
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$s"
	before=$(ino "$s")
	run timeout 10 ipc-sock tap "$s"
	assert_failure 1
	assert_output "ipc-sock: tap $s: stale: nobody listens"
	[ "$(ino "$s")" = "$before" ]
}

@test "tap: a regular file, or nothing there: 1" {
	touch f
	run timeout 10 ipc-sock tap f
	assert_failure 1
	assert_output "ipc-sock: tap f: not a socket"
	run timeout 10 ipc-sock tap nothere
	assert_failure 1
	assert_output "ipc-sock: tap nothere: No such file or directory"
}

@test "tap: a symlink, even to a live socket, is refused and its target untouched" {
	pyserver "$s"
	before=$(ino "$s")
	ln -s "$s" l
	run timeout 10 ipc-sock tap l
	assert_failure 1
	assert_output "ipc-sock: tap l: a symbolic link, not a socket (tap follows none)"
	[ "$(ino "$s")" = "$before" ] && [ -L l ]
	nothing_aside
}

@test "tap: a datagram socket: 1, streams and seqpacket only" {
	bg sock recv --type dgram "$s" > out 2> err
	wait_for bound "$s"
	run timeout 10 ipc-sock tap "$s"
	assert_failure 1
	assert_output "ipc-sock: tap $s: a dgram socket: tap relays stream and seqpacket sockets only"
	nothing_aside
}

@test "tap: an abstract name, TCP, UDP, -X with -j: usage errors, 2" {
	run timeout 10 ipc-sock tap @x
	assert_failure 2
	assert_output "ipc-sock: tap: @x: an abstract name has no file to move aside; tap takes a socket file
usage: ipc-sock tap [-X|-j] PATH"
	for a in tcp:127.0.0.1:1 udp:127.0.0.1:1; do
		run timeout 10 ipc-sock tap "$a"
		assert_failure 2
		assert_line --index 0 "ipc-sock: tap: $a: tap takes a Unix socket file, not TCP or UDP"
	done
	run timeout 10 ipc-sock tap -X -j "$s"
	assert_failure 2
	assert_line --index 0 "ipc-sock: tap: -X and -j: one output format"
}

# --- tap: it never hurts the server it watches --------------------------------
#
# Relayed first, shown as stdout takes it; left without cutting a
# connection; one at a time; a dead tap's file found again.

# a client through the tap whose stdin is the FIFO in, held open on fd 5:
# its pid in cpid, its reply in the file early
early_client() {
	mkfifo in
	bg sh -c 'echo $$ > cpid; exec ipc-sock connect "$0" < in > early' "$1"
	EARLY=$BG_LAST
	exec 5> in
}

# the sum of the gaps the output $1 marks
gaps() {
	sed -n 's/^\.\.\. \([0-9]*\) bytes not shown \.\.\.$/\1/p' "$1" |
	    awk '{ n += $1 } END { print n + 0 }'
}

@test "tap: a stdout nobody reads stalls no client; what was not shown is marked and counted" {
	pyserver "$s"
	mkfifo o
	# a reader that holds the FIFO and reads only once told to
	bg sh -c 'exec 3< o; while [ ! -e go ]; do sleep 0.05; done
	    exec cat <&3 > seen'
	bg env --default-signal=INT ipc-sock tap "$s" > o 2> tap.err
	TAP=$BG_LAST
	wait_for grep -q relaying tap.err
	run -0 sh -c 'head -c 1048576 /dev/zero |
	    timeout 20 ipc-sock connect "$0" | wc -c' "$s"
	[ "$output" -gt 1048576 ]
	reply=$output
	touch go
	kill -TERM "$TAP"
	st=0
	wait "$TAP" || st=$?
	[ "$st" -eq 143 ]
	lost=$(sed -n 's/.* \([0-9]*\) bytes relayed and not shown (stdout did not keep up)$/\1/p' tap.err)
	[ "$lost" -gt 0 ]
	[ "$(gaps seen)" -eq "$lost" ]
	# what was shown and what was not make up all that was relayed
	shown=$(awk '/^[cs]>[sc] [0-9]+ [0-9]+$/ { n += $3 } END { print n }' seen)
	[ $((shown + lost)) -eq $((1048576 + reply)) ]
}

@test "tap -j: a gap is an object of its own, not_shown, its bytes counted" {
	pyserver "$s"
	mkfifo o
	bg sh -c 'exec 3< o; while [ ! -e go ]; do sleep 0.05; done
	    exec cat <&3 > seen'
	bg env --default-signal=INT ipc-sock tap -j "$s" > o 2> tap.err
	TAP=$BG_LAST
	wait_for grep -q relaying tap.err
	run -0 sh -c 'head -c 524288 /dev/zero |
	    timeout 20 ipc-sock connect "$0" | wc -c' "$s"
	reply=$output
	touch go
	ends_by "$TAP" TERM
	lost=$(sed -n 's/.* \([0-9]*\) bytes relayed and not shown (stdout did not keep up)$/\1/p' tap.err)
	run python3 -c '
import json, sys
shown = gap = 0
for line in open("seen"):
    d = json.loads(line)
    if d.get("not_shown") is True:
        gap += d["bytes"]
    else:
        shown += d["bytes"]
print(gap == int(sys.argv[1]) > 0, shown + gap)' "$lost"
	assert_success
	assert_output "True $((524288 + reply))"
}

@test "tap: stdout failing ends the showing, not the relaying: said, the file back, the connection whole" {
	pyserver "$s"
	before=$(ino "$s")
	mkfifo o
	bg head -c 1 o > /dev/null
	HEAD=$BG_LAST
	bg env --default-signal=INT ipc-sock tap "$s" > o 2> tap.err
	TAP=$BG_LAST
	wait_for grep -q relaying tap.err
	early_client "$s"
	echo one >&5
	wait "$HEAD"		# the reader took a byte and went
	echo two >&5
	wait_for grep -q 'waiting for' tap.err
	[ "$(ino "$s")" = "$before" ]
	echo three >&5
	exec 5>&-
	wait "$EARLY"
	run cat early
	assert_output --regexp "^pid=[0-9]+ uid=$(id -u) got=one
two
three$"
	st=0
	wait "$TAP" || st=$?
	[ "$st" -eq 141 ]
	run sed 1d tap.err
	assert_output "ipc-sock: tap $s: stdout: nothing more is shown: Broken pipe
ipc-sock: tap $s: the server's file is back; waiting for 1 connection to end (client pid $(cat cpid)); a signal ends them now"
	nothing_aside
}

@test "tap: SIGTERM puts the server's file back at once and lets each connection end; a second ends them" {
	pyserver "$s"
	before=$(ino "$s")
	for sig in TERM INT; do
		rm -f in early
		tap_bg "$s"
		early_client "$s"
		echo one >&5
		wait_for grep -q '^one' tap.out
		kill -s "$sig" "$TAP"
		wait_for grep -q 'waiting for' tap.err
		[ "$(ino "$s")" = "$before" ]
		nothing_aside
		run sed 1d tap.err
		assert_output "ipc-sock: tap $s: the server's file is back; waiting for 1 connection to end (client pid $(cat cpid)); a second signal ends them now"
		echo two >&5
		exec 5>&-
		wait "$EARLY"
		run cat early
		assert_output --regexp "^pid=[0-9]+ uid=$(id -u) got=one
two$"
		st=0
		wait "$TAP" || st=$?
		[ "$st" -eq $((128 + $(kill -l "$sig"))) ]
	done
	rm -f in early
	tap_bg "$s"
	early_client "$s"
	echo one >&5
	wait_for grep -q '^one' tap.out
	kill -TERM "$TAP"
	wait_for grep -q 'waiting for' tap.err
	ends_by "$TAP" TERM
	exec 5>&-
	wait "$EARLY" || true
	[ "$(ino "$s")" = "$before" ]
	nothing_aside
	run client "$s" tap.err
	assert_success
	assert_output --regexp "^pid=$(cat cpid) uid=$(id -u) got="
}

@test "tap: leaving, a server's file replaced meanwhile is left as it is" {
	pyserver "$s"
	tap_bg "$s"
	mv "$s" moved
	stale_sock "$s"
	other=$(ino "$s")
	ends_by "$TAP" TERM
	[ "$(ino "$s")" = "$other" ] && [ -S ".$s.tap.$TAP" ]
	run cat tap.err
	assert_line --index 1 "ipc-sock: tap $s: replaced by another file during the tap: left as it is; the server's file stays at .$s.tap.$TAP"
}

@test "tap: a second tap on the same server is refused, naming the first" {
	pyserver "$s"
	tap_bg "$s"
	run timeout 10 ipc-sock tap "$s"
	assert_failure 1
	assert_output "ipc-sock: tap $s: already tapped by pid $TAP (the server's file is at .$s.tap.$TAP): one tap at a time"
	ends_by "$TAP" TERM
	nothing_aside
}

@test "tap: killed with SIGKILL: stat, rm and tap say where the server is and the command that puts it back" {
	pyserver "$s"
	before=$(ino "$s")
	tap_bg "$s"
	kill -KILL "$TAP"
	wait "$TAP" || true
	note="the server's socket is at .$s.tap.$TAP, moved aside by a tap (pid $TAP) that has gone; to put it back: mv -fT .$s.tap.$TAP $s"
	run --separate-stderr timeout 10 ipc-sock stat -o state "$s"
	assert_success
	assert_output "state=stale"
	[ "$stderr" = "ipc-sock: stat $s: $note" ]
	run --separate-stderr timeout 10 ipc-sock stat -o state ".$s.tap.$TAP"
	assert_success
	[ "$stderr" = "ipc-sock: stat .$s.tap.$TAP: $note" ]
	run timeout 10 ipc-sock tap "$s"
	assert_failure 1
	assert_output "ipc-sock: tap $s: $note
ipc-sock: tap $s: stale: nobody listens"
	run timeout 10 ipc-sock rm ".$s.tap.$TAP"
	assert_failure 1
	assert_line --index 0 "ipc-sock: rm .$s.tap.$TAP: $note"
	eval "${note##*: }"
	[ "$(ino "$s")" = "$before" ]
	nothing_aside
	run client "$s" tap.err
	assert_success
	run --separate-stderr timeout 10 ipc-sock stat -o state "$s"
	[ "$stderr" = "" ]
}

@test "tap: a descriptor goes on with the very byte it came with" {
	pyserver "$s" fdat
	tap_bg "$s"
	# stopped, the tap finds all three sends queued and reads them at once
	kill -STOP "$TAP"
	timeout 10 unixpeer.py client-fdat "$s"
	kill -CONT "$TAP"
	wait_for grep -q '^got' srv.out
	run sed 1d srv.out
	assert_output "fds at 3: passed
got abcdefghi"
	run grep -c ' fds=1$' tap.out
	assert_output 1
}

@test "tap: seqpacket: each record relayed whole and shown as one, an empty one too" {
	pyserver "$s" records
	tap_bg "$s"
	kill -STOP "$TAP"
	timeout 10 unixpeer.py client-records "$s"
	kill -CONT "$TAP"
	wait_for grep -q ' 3$' srv.out
	run sed 1d srv.out
	assert_output "1 0 100000 3"
	run sed -n 's/^c>s [0-9]* //p' tap.out
	assert_output "1
0
100000
3"
}
