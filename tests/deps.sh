#!/bin/sh
# Install what the build and the tests need, where it is missing: as root
# with apt-get; otherwise print the exact command to run. Then mount the
# mqueue filesystem where it is not mounted and we may.
#
#	sh tests/deps.sh [bench]
#
# bench: also the contenders make bench measures against (pv, GNU
# parallel's sem, GNU time for memory); make check does not need them,
# and a bench without one says so in a note.
set -u

need=""
want() {	# want PACKAGE TEST...: the package, unless the test passes
	pkg=$1
	shift
	"$@" >/dev/null 2>&1 || need="$need $pkg"
}
has() { command -v "$1"; }

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
if [ "${1:-}" = bench ]; then
	want pv has pv
	want parallel has parallel
	want time test -x /usr/bin/time
fi

if [ -n "$need" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "ipc-tools needs:$need" >&2
		echo "run: sudo apt-get update && sudo apt-get install -y$need" >&2
		exit 1
	fi
	echo "installing:$need"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq </dev/null &&
	    apt-get install -y -qq --no-install-recommends $need </dev/null ||
	    exit 1
fi

if ! mountpoint -q /dev/mqueue 2>/dev/null; then
	if [ "$(id -u)" -eq 0 ]; then
		mkdir -p /dev/mqueue
		mount -t mqueue none /dev/mqueue ||
		    echo "note: could not mount /dev/mqueue" >&2
	else
		echo "note: /dev/mqueue is not mounted; as root: mount -t mqueue none /dev/mqueue" >&2
	fi
fi
exit 0
