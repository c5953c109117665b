#!/bin/sh
# Install what the build and the tests need, where it is missing: as root
# with apt-get; otherwise print the exact command to run. Then mount the
# mqueue filesystem where it is not mounted and we may. IPC_NOINSTALL=1:
# only say what is missing.
#
#	sh tests/deps.sh [bench|fuzz|build|deb]
#
# bench: also the contenders make bench measures against (pv, GNU
# parallel's sem, GNU time for memory); make check does not need them,
# and a bench without one says so in a note. fuzz: what make fuzz needs
# besides, clang with its libFuzzer, and nothing else. build: make's own
# probe before it compiles anything (the compiler $CC, pkg-config,
# libbsd's headers): installs nothing, names what is missing and the one
# command that installs it, exit 1. deb: what make deb needs, run in the
# tree to package: dpkg-dev, debhelper, fakeroot, lintian and every
# build dependency debian/control names that is not installed.
set -u

mode=${1:-}
need=""
want() {	# want PACKAGE TEST...: the package, unless the test passes
	pkg=$1
	shift
	case " $need " in
	*" $pkg "*) return 0 ;;
	esac
	"$@" >/dev/null 2>&1 || need="$need $pkg"
}
has() { command -v "$1"; }
# clang links a fuzz target: it has its libFuzzer runtime
fuzzer() {
	echo 'int LLVMFuzzerTestOneInput(const char *p, long n) { return 0; }' |
	    clang -fsanitize=fuzzer -x c -o /dev/null -
}
# libbsd's overlay is known to pkg-config and its header declares what
# the commands call, as config.mk compiles them
libbsd() {
	pkg-config --exists libbsd-overlay || return 1
	cc=${CC:-cc}
	has "${cc%% *}" || return 0	# no compiler to ask: said apart
	printf '#include <stdlib.h>\nint main(void) { return !getprogname(); }\n' |
	    $cc -D_GNU_SOURCE $(pkg-config --cflags libbsd-overlay) \
	    -Werror=implicit-function-declaration -fsyntax-only -x c -
}
# the build dependencies debian/control names that are not installed, as
# packages to install: an alternative's first, no version, debhelper for
# debhelper-compat
builddeps() {
	dpkg-checkbuilddeps 2>&1 >/dev/null |
	    sed -n 's/.*Unmet build dependencies: //p' | sed 's/([^)]*)//g' |
	    awk '{ for (i = 1; i <= NF; i++) {
		if ($i == "|") { i++; continue }
		print ($i == "debhelper-compat" ? "debhelper" : $i) } }'
}

case $mode in
fuzz)
	want clang fuzzer
	what="make fuzz"
	;;
build)
	cc=${CC:-cc}
	want gcc has "${cc%% *}"
	want pkg-config has pkg-config
	want libbsd-dev libbsd
	[ -z "$need" ] && exit 0
	set -- $need
	if [ $# -eq 1 ]; then
		echo "ipc-tools: cannot build: $1 is not installed" >&2
	else
		echo "ipc-tools: cannot build: $* are not installed" >&2
	fi
	if [ "$(id -u)" -eq 0 ]; then
		echo "run: make deps" >&2
	else
		echo "run: sudo make deps" >&2
	fi
	exit 1
	;;
deb)
	want dpkg-dev has dpkg-buildpackage
	want debhelper has dh
	want fakeroot has fakeroot
	want lintian has lintian
	if has dpkg-checkbuilddeps >/dev/null 2>&1; then
		for p in $(builddeps); do
			want "$p" false
		done
	fi
	what="make deb"
	;;
*)
	what=ipc-tools
	want gcc has cc
	want make has make
	want pkg-config has pkg-config
	want libbsd-dev libbsd
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
	# the man pages' examples filter JSON and talk to a calculator
	want jq has jq
	want bc has bc
	if [ "$mode" = bench ]; then
		want pv has pv
		want parallel has parallel
		want time test -x /usr/bin/time
	fi
	;;
esac

# IPC_NOINSTALL=1 (a package build): say what is missing, change nothing
if [ "${IPC_NOINSTALL:-0}" = 1 ] && [ "$mode" != deb ]; then
	[ -z "$need" ] || echo "note: missing, so their tests skip:$need" >&2
	mountpoint -q /dev/mqueue 2>/dev/null ||
	    echo "note: /dev/mqueue is not mounted: the tests that need it (ipc-mq ls, queue names in completion) skip, each saying so" >&2
	exit 0
fi

if [ -n "$need" ]; then
	if [ "$(id -u)" -ne 0 ] || [ "${IPC_NOINSTALL:-0}" = 1 ]; then
		sudo="sudo "
		[ "$(id -u)" -ne 0 ] || sudo=
		echo "$what needs:$need" >&2
		echo "run: ${sudo}apt-get update && ${sudo}apt-get install -y$need" >&2
		exit 1
	fi
	echo "installing:$need"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq </dev/null &&
	    apt-get install -y -qq --no-install-recommends $need </dev/null ||
	    exit 1
	# dpkg-checkbuilddeps came with dpkg-dev just now: the build
	# dependencies it finds missing, once more
	if [ "$mode" = deb ] && [ -z "${IPC_DEPS_AGAIN:-}" ]; then
		IPC_DEPS_AGAIN=1 exec sh "$0" deb
	fi
fi

if [ "$mode" != fuzz ] && [ "$mode" != deb ] &&
    ! mountpoint -q /dev/mqueue 2>/dev/null; then
	if [ "$(id -u)" -eq 0 ]; then
		mkdir -p /dev/mqueue
		mount -t mqueue none /dev/mqueue ||
		    echo "note: could not mount /dev/mqueue" >&2
	else
		echo "note: /dev/mqueue is not mounted; as root: mount -t mqueue none /dev/mqueue" >&2
	fi
fi
exit 0
