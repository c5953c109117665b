#!/bin/sh
# make deb: ipc-tools_VERSION_ARCH.deb, built by dpkg-buildpackage from a
# clean copy of the files git knows (as they are in the tree), then
# checked with lintian. Says which packages it needs when they are
# missing; installs nothing.
set -u
cd "$(dirname "$0")/.." || exit 1

need=""
for p in dpkg-dev:dpkg-buildpackage debhelper:dh fakeroot:fakeroot \
    lintian:lintian; do
	command -v "${p#*:}" >/dev/null 2>&1 || need="$need ${p%%:*}"
done
if [ -n "$need" ]; then
	echo "make deb needs:$need" >&2
	echo "run: sudo apt-get install -y$need" >&2
	exit 1
fi
if ! missing=$(dpkg-checkbuilddeps 2>&1); then
	printf '%s\n' "$missing" | sed 's/^dpkg-checkbuilddeps: error: //' >&2
	exit 1
fi

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
	lintian --info "${f##*/}" || exit 1
done
