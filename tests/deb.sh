#!/bin/sh
# make deb: ipc-tools_VERSION_ARCH.deb, built by dpkg-buildpackage from a
# clean copy of the files git knows (as they are in the tree), then
# checked with lintian. What it needs and lacks is installed first, as
# root, or named with the command that installs it (tests/deps.sh deb).
set -u
cd "$(dirname "$0")/.." || exit 1

# what it lacks (its tools, debian/control's build dependencies) installed
# as make check installs its own: as root with apt-get; otherwise the one
# command to run is printed, and it stops
sh tests/deps.sh deb || exit 1

work=$(mktemp -d) || exit 1
# the suite runs some commands as another user, who must reach the tree
# as in any build directory: mktemp's 0700 would refuse them
chmod 755 "$work" || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
version=$(cat VERSION)
src=$work/ipc-tools-$version
mkdir "$src"
git ls-files -z | xargs -0 tar cf - | tar xf - -C "$src" || exit 1
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1 || {
	grep -A 12 '^not ok' "$work/build.log" >&2
	tail -n 20 "$work/build.log" >&2
	echo "deb: dpkg-buildpackage failed (the last lines above)" >&2
	exit 1
}
for f in "$work"/ipc-tools_"$version"_*.deb; do
	cp "$f" . || exit 1
	echo "${f##*/}"
	# lintian-clean: a warning fails it too
	lintian --info --fail-on error,warning "${f##*/}" || exit 1
done
