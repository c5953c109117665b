#!/bin/sh
# Run every bats file and close with the line CI reads: "N passed, M failed".
set -u
cd "$(dirname "$0")/.." || exit 1
out=$(mktemp)
vg=$(mktemp -d)
trap 'rm -rf "$out" "$vg"' EXIT INT TERM

# VALGRIND=1: every command runs under valgrind; an error fails its test
if [ "${VALGRIND:-0}" = 1 ]; then
	for b in "${IPC_BIN:-bin}"/ipc-*; do
		cat > "$vg/${b##*/}" <<-WRAP
		#!/bin/sh
		exec valgrind -q --error-exitcode=99 --leak-check=full \\
		    --errors-for-leak-kinds=definite "$PWD/$b" "\$@"
		WRAP
		chmod +x "$vg/${b##*/}"
	done
	chmod 755 "$vg"	# tests run some commands as another user
	IPC_WRAP=$vg
	export IPC_WRAP
fi
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
