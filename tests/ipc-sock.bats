#!/usr/bin/env bats
# ipc-sock: Unix, abstract, TCP and UDP sockets served, connected to,
# sent to and received from, checked against peers that are not this
# code: socat and Python's socket module.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR" || return
	ab=ipct$$-$BATS_TEST_NUMBER
}

teardown() {
	teardown_bg
}

# every command that may block is bounded; a hang shows as 143, never as
# the 124 of a timed-out wait
sock() {
	timeout --preserve-status 20 ipc-sock "$@"
}

# the kernel has a socket bound to name $1 (a path's last component, or
# @NAME), listening when $2 is "l": /proc/net/unix, flag __SO_ACCEPTCON
bound() {
	awk -v n="$1" -v l="${2:-}" '$8 == n && (l != "l" || $4 == "00010000") \
	    { f = 1 } END { exit !f }' /proc/net/unix
}
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
	server s recv --type dgram -c 8000 s
	for k in 1 2 3 4; do
		seq $(((k - 1) * 2000 + 1)) $((k * 2000)) > in$k
		# a background job's stdin is /dev/null unless it says
		bg sh -c "exec ipc-sock send --type dgram -l s < in$k"
	done
	wait_bg
	each_once out 8000
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

@test "--pass-fd of a descriptor that is not open, --take-fd without CMD: exit 2" {
	run sock send --pass-fd 9 s
	assert_failure 2
	assert_line --index 0 "ipc-sock: send: --pass-fd 9: Bad file descriptor"
	run sock recv --take-fd s
	assert_failure 2
	assert_line --index 0 "ipc-sock: recv: --take-fd needs -- CMD..."
	[ ! -e s ]
}

@test "recv --take-fd: a message without descriptors is 125; CMD not found 127" {
	bg sock recv --take-fd s -- true >out 2>err
	wait_for listens s
	sock send s nofd
	st=0
	wait "$BG_LAST" || st=$?
	[ "$st" -eq 125 ]
	assert_equal "$(cat err)" "ipc-sock: recv s: no descriptor came with the message"
	bg sock recv --take-fd s -- ./nosuch >out 2>err
	wait_for listens s
	sock send --pass-fd 0 s </dev/null
	st=0
	wait "$BG_LAST" || st=$?
	[ "$st" -eq 127 ]
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
