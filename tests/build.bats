#!/usr/bin/env bats
# The build's own promises: install puts binaries, man pages and
# completions where DESTDIR and PREFIX say; uninstall removes exactly those.

load helpers

@test "make install DESTDIR=... PREFIX=/usr installs every part, uninstall removes exactly those" {
	d=$BATS_TEST_TMPDIR/root
	mkdir -p "$d/usr/bin"
	echo mine > "$d/usr/bin/other-tool"
	run make -s -C "$ROOT" install DESTDIR="$d" PREFIX=/usr
	assert_success
	for c in "$ROOT"/cmd/ipc-*; do
		n=$(basename "$c" .c)
		[ -x "$d/usr/bin/$n" ]
		[ -f "$d/usr/share/man/man1/$n.1" ]
		[ -f "$d/usr/share/bash-completion/completions/$n" ]
		[ -f "$d/usr/share/zsh/site-functions/_$n" ]
		[ -f "$d/usr/share/fish/vendor_completions.d/$n.fish" ]
	done
	[ -f "$d/usr/share/man/man7/ipc-tools.7" ]
	"$d/usr/bin/ipc-pipe" -V
	run make -s -C "$ROOT" uninstall DESTDIR="$d" PREFIX=/usr
	assert_success
	run find "$d" -type f
	assert_output "$d/usr/bin/other-tool"
}

@test "a command that is a directory: each .c compiled apart per build, again when its header changes, linked into one binary" {
	unset MAKEFLAGS MFLAGS MAKELEVEL SANITIZE
	n=0
	for d in "$ROOT"/cmd/ipc-*/; do
		c=$(basename "$d")
		for san in 0 1; do
			o=obj b=bin
			[ "$san" = 0 ] || o=obj-san b=bin-san
			# as if each of its headers had just changed
			w=()
			for h in "$d"*.h; do
				w+=(-W "cmd/$c/${h##*/}")
			done
			run make -n --no-print-directory -C "$ROOT" SANITIZE="$san" "${w[@]}" "$b/$c"
			assert_success
			objs=
			for f in "$d"*.c; do
				f=${f##*/}
				assert_line --partial "-c -o $o/cmd/$c/${f%.c}.o cmd/$c/$f"
				objs="$objs $o/cmd/$c/${f%.c}.o"
			done
			assert_line --partial "-o $b/$c$objs $o/libipc.a"
		done
		n=$((n + 1))
	done
	[ "$n" -gt 0 ]
}

# --- the build's dependencies, probed before anything is compiled -----------

@test "make without libbsd: names libbsd-dev and the command that installs it, compiles nothing" {
	unset MAKEFLAGS MFLAGS MAKELEVEL SANITIZE
	d=$BATS_TEST_TMPDIR
	# pkg-config looks only here, so it knows no libbsd-overlay: as on a
	# machine without libbsd-dev, where the compiler said "implicit
	# declaration of function 'getprogname'"
	mkdir "$d/pc"
	PKG_CONFIG_LIBDIR=$d/pc run make -s -C "$ROOT" O="$d/obj" B="$d/bin" all
	assert_failure 2
	assert_line -n 0 "ipc-tools: cannot build: libbsd-dev is not installed"
	if is_root; then
		assert_line -n 1 "run: make deps"
	else
		assert_line -n 1 "run: sudo make deps"
	fi
	assert_line -n 2 --regexp "^make: \*\*\* \[Makefile:[0-9]+: $d/obj/deps.ok\] Error 1$"
	[ "${#lines[@]}" -eq 3 ]
	[ ! -e "$d/obj/deps.ok" ]
	[ ! -e "$d/bin" ]
	run find "$d/obj" -name '*.o'
	assert_output ""
}

@test "make probes the build's dependencies once a build directory, before the first compile" {
	unset MAKEFLAGS MFLAGS MAKELEVEL SANITIZE
	d=$BATS_TEST_TMPDIR
	run make -n --no-print-directory -C "$ROOT" O="$d/obj" "$d/obj/num.o"
	assert_success
	assert_line -n 0 "mkdir -p $d/obj"
	assert_line -n 1 --partial "sh tests/deps.sh build"
	assert_line -n 2 "touch $d/obj/deps.ok"
	assert_line -n 4 --partial "-c -o $d/obj/num.o lib/num.c"
	run make -s -C "$ROOT" O="$d/obj" "$d/obj/deps.ok"
	assert_success
	assert_output ""
	# made once: up to date until config.mk changes
	run make -q -C "$ROOT" O="$d/obj" "$d/obj/deps.ok"
	assert_success
	run make -n --no-print-directory -C "$ROOT" O="$d/obj" "$d/obj/num.o"
	assert_success
	refute_output --partial "deps.sh"
}
