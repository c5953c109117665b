#!/usr/bin/env bats
# ipc-sock listen -e: a command per connection, started as a shell would
# start it, with who is at the other end in its environment; signals
# passed to each command's group once, every command reaped.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR" || return
	s=c$$-$BATS_TEST_NUMBER.sock
	# every wait below is bounded by the test's own bound, a guard
	# against a hang: a loaded machine or valgrind makes a connection
	# take a second, not the milliseconds it takes on an idle one
	bound=$BATS_TEST_TIMEOUT
}

teardown() {
	teardown_bg
}

listens() { unix_bound "$1" l; }

# listen ARG... in the background, with errors in err; ready once it
# listens on $s; its own pid (below timeout) in L
listen_bg() {
	bg timeout -s KILL "$bound" ipc-sock listen "$@" "$s" \
	    >out 2>err
	LT=$BG_LAST
	wait_for listens "$s"
	L=$(child_is "$LT" ipc-sock)
}

# the wait status of the background job $1, in ST (wait in a subshell
# would not find it: it is not the subshell's child)
waited() {
	ST=0
	wait "$1" || ST=$?
}

# the environment file $1 (NUL-separated), one entry a line; under
# valgrind without what valgrind adds for itself and takes out of a
# command it runs
env_lines() {
	if [ -n "${IPC_WRAP:-}" ]; then
		tr '\0' '\n' < "$1" |
		    grep -Ev '^(LD_PRELOAD|VALGRIND_LAUNCHER)='
	else
		tr '\0' '\n' < "$1"
	fi
}

# --- listen -e: environment, $0, status --------------------------------------

@test "listen -e: IPC_PEER_* are the peer's, each once, ours of the same name replaced; the rest of the environment as we had it" {
	bg env IPC_PEER_PID=999 IPC_PEER_ADDR=stale CONN_KEEP='a b=c' \
	    timeout -s KILL "$bound" ipc-sock listen -1 \
	    -e 'cat /proc/$$/environ' "$s" >out 2>err
	LT=$BG_LAST
	wait_for listens "$s"
	L=$(child_is "$LT" ipc-sock)
	cp "/proc/$L/environ" ours
	timeout "$bound" sh -c 'echo $$ > cpid; exec ipc-sock connect "$1"' sh \
	    "$s" </dev/null >theirs
	waited "$LT"
	assert_equal "$ST" 0
	{
		env_lines ours | grep -v '^IPC_PEER_'
		printf '%s\n' "IPC_PEER_PID=$(cat cpid)" "IPC_PEER_UID=$(id -u)" \
		    "IPC_PEER_GID=$(id -g)" "IPC_PEER_ADDR="
	} | sort > want
	env_lines theirs | sort > got
	diff want got
	grep -qx 'CONN_KEEP=a b=c' got
	[ ! -s err ]
}

@test "listen -e over tcp: IPC_PEER_PID, UID and GID we were started with are taken out; IPC_PEER_ADDR is the client's" {
	bg env IPC_PEER_PID=999 IPC_PEER_UID=7 IPC_PEER_GID=8 \
	    IPC_PEER_ADDR=stale timeout -s KILL "$bound" \
	    ipc-sock listen -1 -e 'env | grep ^IPC_PEER_' tcp:127.0.0.1:0 \
	    >out 2>err
	LT=$BG_LAST
	wait_for grep -q ':[0-9]*$' err
	p=$(sed -n 's/.*:\([0-9]*\)$/\1/p' err)
	run timeout "$bound" ipc-sock connect "tcp:127.0.0.1:$p" </dev/null
	assert_success
	assert_output --regexp '^IPC_PEER_ADDR=127\.0\.0\.1:[0-9]+$'
	waited "$LT"
	assert_equal "$ST" 0
}

@test "listen -e: CMD runs under sh -c, \$0 is sh's; not found is sh's 127, not runnable 126, with sh's message" {
	[ "$(readlink -f /bin/sh)" = /usr/bin/dash ] ||
	    skip "the messages checked are dash's, and /bin/sh is not dash"
	listen_bg -1 -e 'echo "$0"'
	run timeout "$bound" ipc-sock connect "$s" </dev/null
	assert_output sh
	waited "$LT"
	assert_equal "$ST" 0
	# a PATH of our own: a directory of the tester's we may not search
	# would make it dash's "Permission denied"
	listen_bg -1 -e "PATH=/usr/bin:/bin; nosuch-$$"
	run timeout "$bound" ipc-sock connect "$s" </dev/null
	assert_success
	assert_output ""
	waited "$LT"
	assert_equal "$ST" 127
	assert_equal "$(cat err)" "sh: 1: nosuch-$$: not found"
	printf 'echo hi\n' > script
	chmod 0644 script
	listen_bg -1 -e ./script
	run timeout "$bound" ipc-sock connect "$s" </dev/null
	assert_output ""
	waited "$LT"
	assert_equal "$ST" 126
	assert_equal "$(cat err)" "sh: 1: ./script: Permission denied"
}

# --- listen -e: children bounded, signalled, reaped --------------------------

# file $1 has $2 lines
has_lines() {
	[ -e "$1" ] && [ "$(wc -l < "$1")" -eq "$2" ]
}

# connections waiting in the backlog of the socket named $1, not taken
backlog() {
	ss -xlH | awk -v n="$1" '$5 == n || $5 ~ "/" n "$" { print $3 }'
}

@test "listen -e -n 2: two commands at once, the others wait in the backlog; all answered" {
	mkdir run
	listen_bg -n 2 -e 'touch run/$$; ls run | wc -l >> peak
	    while [ ! -e go ]; do sleep 0.02; done; rm run/$$; echo ok'
	for k in 1 2 3 4 5; do
		bg timeout "$bound" ipc-sock connect "$s" </dev/null >"got.$k"
		eval "c$k=\$BG_LAST"
	done
	wait_for has_lines peak 2
	# the other three connected and not taken
	wait_for outputs 3 backlog "$s"
	assert_equal "$(ls run | wc -l)" 2
	touch go
	for k in 1 2 3 4 5; do
		eval "c=\$c$k"
		waited "$c"
		assert_equal "$ST" 0
		assert_equal "$(cat "got.$k")" ok
	done
	assert_equal "$(wc -l < peak)" 5
	assert_equal "$(sort -n peak | tail -n 1)" 2
}

@test "listen -e: TERM and USR1 reach each command's group once, the command and what it started; listen ends 128+signal" {
	for sig in TERM USR1; do
		rm -f got cmd kid
		# the sleeps have it too, in the background: no sh reports it
		listen_bg -e "trap 'echo cmd >> got; exit 3' $sig
		    sh -c 'trap \"echo kid >> got; exit\" $sig
			sleep 30 & echo \$\$ > kid; wait' &
		    sleep 30 & echo \$\$ > cmd; wait"
		bg timeout "$bound" ipc-sock connect "$s" </dev/null >/dev/null
		C=$BG_LAST
		wait_for test -s kid
		wait_for test -s cmd
		kill -s "$sig" "$L"
		waited "$LT"
		assert_equal "$ST" $((128 + $(kill -l "$sig")))
		wait_for test ! -d "/proc/$(cat kid)"
		assert_equal "$(sort got)" "$(printf 'cmd\nkid')"
		waited "$C"
		assert_equal "$ST" 0
		assert_equal "$(cat err)" "ipc-sock: listen $s: waiting for 1 connection to end (pid $(cat cmd)); a second signal ends it"
		[ ! -e "$s" ]
	done
}

# no process below $1 (a zombie is one until reaped)
childless() {
	! pgrep -P "$1" >/dev/null
}

@test "listen -e: 200 connections in a row, each answered whole; no zombie left" {
	listen_bg -e cat
	run timeout "$bound" python3 -c 'import socket, sys
for i in range(200):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    s.sendall(b"line %d\n" % i)
    s.shutdown(socket.SHUT_WR)
    got = b""
    while True:
        b = s.recv(100)
        if not b:
            break
        got += b
    s.close()
    if got != b"line %d\n" % i:
        sys.exit("connection %d: %r" % (i, got))
print("200 answered")' "$s"
	assert_success
	assert_output "200 answered"
	wait_for childless "$L"
	kill -0 "$L"
	[ ! -s err ]
}
