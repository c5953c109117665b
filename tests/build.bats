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
