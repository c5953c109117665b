#!/bin/sh
# Every man page must pass mandoc -Tlint with nothing to say.
cd "$(dirname "$0")/.." || exit 1
status=0
for page in man/*.[1-8]; do
	[ -e "$page" ] || continue
	if ! mandoc -Tlint -W warning "$page"; then
		status=1
	fi
done
[ "$status" -eq 0 ] && echo "man pages: lint clean"
exit "$status"
