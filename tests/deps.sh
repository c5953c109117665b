#!/bin/sh
# Install what the build and the tests need, where it is missing: as root
# with apt-get; otherwise print the exact command to run. Then mount the
# mqueue filesystem where it is not mounted and we may. IPC_NOINSTALL=1:
# only say what is missing.
#
#	sh tests/deps.sh [bench|fuzz]
#
# bench: also the contenders make bench measures against (pv, GNU
# parallel's sem, GNU time for memory); make check does not need them,
# and a bench without one says so in a note. fuzz: what make fuzz needs
# besides, clang with its libFuzzer, and nothing else.
set -u

need=""
want() {	# want PACKAGE TEST...: the package, unless the test passes
	pkg=$1
	shift
	"$@" >/dev/null 2>&1 || need="$need $pkg"
}
has() { command -v "$1"; }
# clang links a fuzz target: it has its libFuzzer runtime
fuzzer() {
	echo 'int LLVMFuzzerTestOneInput(const char *p, long n) { return 0; }' |
	    clang -fsanitize=fuzzer -x c -o /dev/null -
}

if [ "${1:-}" = fuzz ]; then
	want clang fuzzer
	what="make fuzz"
else
	what=ipc-tools
	want gcc has cc
	want make has make
	want pkg-config has pkg-config
	want libbsd-dev pkg-config --exists libbsd-overlay
	want bats has bats
	want bats-support test -f /usr/lib/bats/bats-support/load.bash
	want bats-assert test -f /usr/lib/bats/bats-assert/load.bash
	want mandoc has mandoc
	want socat has socat
	want python3 has python3
	want util-linux has ipcs
	want procps has pkill
	want strace has strace
	want zsh has zsh
	want fish has fish
	# ipc-proc map --format dot, rendered by Graphviz in its test
	want graphviz has dot
	if [ "${1:-}" = bench ]; then
		want pv has pv
		want parallel has parallel
		want time test -x /usr/bin/time
	fi
fi

# IPC_NOINSTALL=1 (a package build): say what is missing, change nothing
if [ "${IPC_NOINSTALL:-0}" = 1 ]; then
	[ -z "$need" ] || echo "note: missing, so their tests skip:$need" >&2
	mountpoint -q /dev/mqueue 2>/dev/null ||
	    echo "note: /dev/mqueue is not mounted: the tests that need it (ipc-mq ls, queue names in completion) skip, each saying so" >&2
	exit 0
fi

if [ -n "$need" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "$what needs:$need" >&2
		echo "run: sudo apt-get update && sudo apt-get install -y$need" >&2
		exit 1
	fi
	echo "installing:$need"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq </dev/null &&
	    apt-get install -y -qq --no-install-recommends $need </dev/null ||
	    exit 1
fi

if [ "${1:-}" != fuzz ] && ! mountpoint -q /dev/mqueue 2>/dev/null; then
	if [ "$(id -u)" -eq 0 ]; then
		mkdir -p /dev/mqueue
		mount -t mqueue none /dev/mqueue ||
		    echo "note: could not mount /dev/mqueue" >&2
	else
		echo "note: /dev/mqueue is not mounted; as root: mount -t mqueue none /dev/mqueue" >&2
	fi
fi
exit 0
