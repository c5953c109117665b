#!/bin/sh
# Run every bats file and close with the line CI reads: "N passed, M failed".
set -u
cd "$(dirname "$0")/.." || exit 1
out=$(mktemp)
trap 'rm -f "$out"' EXIT INT TERM
bats --tap ${TESTS:-tests/*.bats} | tee "$out"
pass=$(grep -c '^ok ' "$out")
skip=$(grep -c '^ok .* # skip' "$out")
fail=$(grep -c '^not ok ' "$out")
pass=$((pass - skip))
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
