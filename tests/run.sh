#!/bin/sh
# Run every bats file and close with the line CI reads: "N passed, M failed".
set -u
cd "$(dirname "$0")/.." || exit 1
out=$(mktemp)
vg=$(mktemp -d)
st=$(mktemp)
trap 'rm -rf "$out" "$vg" "$st"' EXIT INT TERM

# VALGRIND=1: every command runs under valgrind; an error fails its test
if [ "${VALGRIND:-0}" = 1 ]; then
	# a log of its own for each run, made by whoever runs it: named by
	# pid alone, a later run with a reused pid, as another user, could
	# not write it
	for b in "${IPC_BIN:-bin}"/ipc-*; do
		cat > "$vg/${b##*/}" <<-WRAP
		#!/bin/sh
		log=\$(mktemp "$vg/log.\$\$.XXXXXX") || exit 125
		exec valgrind -q --error-exitcode=99 --leak-check=full \\
		    --errors-for-leak-kinds=definite \\
		    --suppressions="$(pwd)/tests/valgrind.supp" --log-file="\$log" \\
		    "$(cd "${b%/*}" && pwd)/${b##*/}" "\$@"
		WRAP
		chmod +x "$vg/${b##*/}"
	done
	# tests run some commands as another user; valgrind's own words go
	# to a log, not into the output the tests check (errors still fail)
	chmod 1777 "$vg"
	IPC_WRAP=$vg
	export IPC_WRAP
fi
# what git does not know of in the tree before: a test that leaves files
# there (it wrote outside its own directory) is a failure
start=$(date +%s)
before=$(git ls-files --others --exclude-standard 2>/dev/null | sort)

# bats' own status as well as its TAP: a run that dies partway has
# neither its plan's count of results nor a "not ok" to show for it
{ bats --tap ${TESTS:-tests/*.bats}; echo $? > "$st"; } | tee "$out"
status=$(cat "$st")
# what valgrind said, where it said anything (with -q: errors, warnings)
for log in "$vg"/log.*; do
	[ -s "$log" ] && { echo "valgrind ${log##*/}:"; cat "$log"; }
done
pass=$(grep -c '^ok ' "$out")
skip=$(grep -c '^ok .* # skip' "$out")
notok=$(grep -c '^not ok ' "$out")
pass=$((pass - skip))
fail=$notok
ran=$((pass + skip + notok))
plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$out" | head -n 1)
if [ -z "$plan" ]; then
	echo "run.sh: bats printed no plan (1..N): counted as 1 failed"
	fail=$((fail + 1))
elif [ "$ran" -lt "$plan" ]; then
	echo "run.sh: bats planned $plan tests but reported $ran:" \
	    "$((plan - ran)) missing, counted as failed"
	fail=$((fail + plan - ran))
elif [ "$notok" -gt 0 ]; then
	:	# failed already, whatever else went wrong
elif [ "$ran" -gt "$plan" ]; then
	echo "run.sh: bats planned $plan tests but reported $ran:" \
	    "counted as 1 failed"
	fail=$((fail + 1))
elif [ "$status" != 0 ]; then
	echo "run.sh: bats exited $status with no failing test: counted as 1 failed"
	fail=$((fail + 1))
fi
after=$(git ls-files --others --exclude-standard 2>/dev/null | sort)
left=$(printf '%s\n' "$after" | grep -vxF -e "$before" | grep .)
if [ -n "$left" ]; then
	echo "run.sh: the tests left files in the work tree:" $left
	fail=$((fail + 1))
fi
echo "run.sh: the suite took $(($(date +%s) - start)) s"
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
