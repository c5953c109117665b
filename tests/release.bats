#!/usr/bin/env bats
# The release: one version everywhere, a tarball that builds, a Debian
# package with every binary, page and completion where Debian keeps them.

load helpers

setup() {
	version=$(cat "$ROOT/VERSION")
	# a release is built as it ships: not as the suite's own build,
	# whose SANITIZE=1 a make run from make check would inherit
	unset MAKEFLAGS MFLAGS MAKELEVEL SANITIZE
}

@test "one version: VERSION, every -V, debian/changelog and NEWS agree" {
	[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]
	for c in "$ROOT"/cmd/ipc-*; do
		c=$(basename "$c" .c)
		run "$c" -V
		assert_output "$c $version"
	done
	run sed -n '1s/^ipc-tools (\([^)]*\)).*/\1/p' "$ROOT/debian/changelog"
	assert_output "$version"
	run grep -c "^$version (" "$ROOT/NEWS"
	assert_output 1
}

@test "every man page is dated as the version's entry in NEWS" {
	date=$(sed -n "s/^$version (\(.*\))$/\1/p" "$ROOT/NEWS")
	[ -n "$date" ]
	for page in "$ROOT"/man/*.[1-8]; do
		run sed -n 's/^\.Dd //p' "$page"
		assert_output "$date"
	done
}

@test "make dist: a tarball of what git has, which builds and reports the version" {
	command -v git >/dev/null && git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1 ||
	    skip "not a git checkout: make dist archives from git"
	d=$BATS_TEST_TMPDIR
	git clone -q "$ROOT" "$d/src"
	run make -s -C "$d/src" dist
	assert_success
	assert_output "ipc-tools-$version.tar.gz"
	tar xzf "$d/src/ipc-tools-$version.tar.gz" -C "$d"
	diff <(cd "$d/src" && git ls-files | sort) \
	    <(cd "$d/ipc-tools-$version" && find . -type f | sed 's|^\./||' | sort)
	run make -s -C "$d/ipc-tools-$version" all
	assert_success
	run "$d/ipc-tools-$version/bin/ipc-sock" -V
	assert_output "ipc-sock $version"
}

@test "make deb: the package holds every command, page and completion, README and NEWS, and only libc beside" {
	for t in dpkg-buildpackage dh fakeroot lintian; do
		command -v "$t" >/dev/null && continue
		# what it lacks, make deb installs as make check does: as root
		is_root && [ "${IPC_NOINSTALL:-0}" != 1 ] ||
		    skip "make deb needs $t (dpkg-dev, debhelper, fakeroot, lintian)"
	done
	command -v git >/dev/null && git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1 ||
	    skip "not a git checkout: make deb copies the files git knows"
	d=$BATS_TEST_TMPDIR
	git clone -q "$ROOT" "$d/src"
	# the suite is this one: not again inside the package build
	DEB_BUILD_OPTIONS=nocheck run make -s -C "$d/src" deb
	assert_success
	deb=$(ls "$d/src"/ipc-tools_"$version"_*.deb)
	dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' > "$d/contents"
	for c in "$ROOT"/cmd/ipc-*; do
		c=$(basename "$c" .c)
		grep -qx "/usr/bin/$c" "$d/contents"
		grep -qx "/usr/share/man/man1/$c.1.gz" "$d/contents"
		grep -qx "/usr/share/bash-completion/completions/$c" "$d/contents"
		grep -qx "/usr/share/zsh/vendor-completions/_$c" "$d/contents"
		grep -qx "/usr/share/fish/vendor_completions.d/$c.fish" "$d/contents"
	done
	grep -qx /usr/share/man/man7/ipc-tools.7.gz "$d/contents"
	# README and NEWS, which ipc-tools(7) names for interface changes,
	# each as it is in the tree (compressed where dh_compress does)
	for f in README.md NEWS; do
		p=$(grep -xE "/usr/share/doc/ipc-tools/$f(\.gz)?" "$d/contents")
		dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ".$p" > "$d/doc"
		case $p in
		*.gz) gzip -dc "$d/doc" ;;
		*) cat "$d/doc" ;;
		esac | cmp - "$d/src/$f"
	done
	run dpkg-deb -f "$deb" Depends
	assert_output --regexp '^libc6 \(>= [0-9.]+\)$'
}

# --- what make deb needs: installed, or named with the one command ----------

# debless DIR: DIR/src, a tree whose debian/control names one build
# dependency no archive has; DIR/path, every command of this machine's but
# make deb's own tools, as on a machine without dpkg-dev, debhelper,
# fakeroot and lintian
debless() {
	d=$1
	mkdir -p "$d/src/debian" "$d/path"
	cat > "$d/src/debian/control" <<-CONTROL
	Source: ipc-tools
	Build-Depends: debhelper-compat (= 13),
	               ipc-tools-no-such-dep (>= 1) | ipc-tools-no-such-alt

	Package: ipc-tools
	Architecture: any
	Description: test
	 test
	CONTROL
	ln -s /usr/bin/* "$d/path/"
	[ -L /bin ] || ln -s /bin/* "$d/path/" 2>/dev/null || :
	rm -f "$d/path/dh" "$d/path/lintian" "$d/path/fakeroot" \
	    "$d/path/dpkg-buildpackage"
	chmod 755 "$d" "$d/src" "$d/src/debian" "$d/path"
}

@test "make deb: what it lacks named with the one command that installs it, and it stops" {
	command -v dpkg-checkbuilddeps >/dev/null ||
	    skip "needs dpkg-checkbuilddeps (dpkg-dev) to read debian/control"
	debless "$BATS_TEST_TMPDIR"
	cd "$d/src"
	IPC_NOINSTALL=1 PATH=$d/path run timeout 60 sh "$ROOT/tests/deps.sh" deb
	assert_failure 1
	want=" dpkg-dev debhelper fakeroot lintian ipc-tools-no-such-dep"
	assert_line -n 0 "make deb needs:$want"
	if is_root; then
		assert_line -n 1 "run: apt-get update && apt-get install -y$want"
	else
		assert_line -n 1 "run: sudo apt-get update && sudo apt-get install -y$want"
	fi
	[ "${#lines[@]}" -eq 2 ]
}

@test "make deb as another user: the sudo command, nothing installed" {
	need_nobody
	command -v dpkg-checkbuilddeps >/dev/null ||
	    skip "needs dpkg-checkbuilddeps (dpkg-dev) to read debian/control"
	# a directory another user can enter, as BATS_TEST_TMPDIR is not
	debless "$(mktemp -d)"
	cd "$d/src"
	run as_nobody env PATH="$d/path" sh "$ROOT/tests/deps.sh" deb
	cd /
	rm -rf "$d"
	assert_failure 1
	want=" dpkg-dev debhelper fakeroot lintian ipc-tools-no-such-dep"
	assert_output "make deb needs:$want
run: sudo apt-get update && sudo apt-get install -y$want"
}

# --- the README's first screen ----------------------------------------------

@test "README: its first screen says what this is, how to install it, and shows one-liners" {
	r=$ROOT/README.md
	head -n 40 "$r" > "$BATS_TEST_TMPDIR/screen"
	cd "$BATS_TEST_TMPDIR"
	# what it is: the first paragraph names the objects
	grep -q 'inter-process communication' screen
	# how to install it
	grep -q '^    make  ' screen
	grep -q '^    sudo make install' screen
	grep -q '^    sudo make deps' screen
	# four or five one-liners before any section, each a command of ours
	# that a shell parses
	sed -n '/^## /q; /^    /p' screen > oneliners
	n=$(wc -l < oneliners)
	[ "$n" -ge 4 ] && [ "$n" -le 5 ]
	while read -r line; do
		bash -n -c "$line"
		c=$(printf '%s\n' "$line" | grep -o 'ipc-[a-z]*' | head -n 1)
		[ -e "$ROOT/cmd/$c.c" ] || [ -d "$ROOT/cmd/$c" ]
	done < oneliners
	# how long make check takes, and no column that says nothing
	grep -qE '`make check` takes about [0-9]+ minutes on a 2-core machine' "$r"
	run grep -c '| built ' "$r"
	assert_output 0
	# the speed table lives in bench/README.md, a summary in the README
	run grep -c '^| script | case | direction | ' "$r"
	assert_output 0
	run grep -c '^| script | case | direction | ' "$ROOT/bench/README.md"
	assert_output 1
}
