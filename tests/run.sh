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

# JOBS=N (2 unless given; 1 under valgrind, which needs the memory): the
# bats files run N at once, each in a bats of its own, a lane taking the
# next file when it is done with one, the slow ones first. The files of
# SERIAL run alone after them: ipc-proc.bats reads every process of the
# machine for waits and deadlocks, where another file's tests make
# blocked processes and deadlocks of their own; build.bats runs make in
# the tree, which may link anew the commands the other files' tests run
# (release.bats builds in clones of its own, so it shares the lanes). Every other test is written to share the
# machine (keys and names of its own, bounds that follow progress), as
# suites run at once by several people do.
if [ "${VALGRIND:-0}" = 1 ]; then
	: "${JOBS:=1}"
else
	: "${JOBS:=2}"
fi
SERIAL="tests/ipc-proc.bats tests/build.bats"
# the files that take longest first, so no lane is left with one at the end
FIRST="tests/ipc-sock.bats tests/completion.bats tests/ipc-pipe.bats
    tests/cli.bats tests/release.bats tests/badinput.bats
    tests/ipc-mq.bats tests/ipc-sig.bats tests/ipc-sem.bats tests/faults.bats
    tests/torture.bats tests/ipc-shm.bats tests/lib.bats"
files=${TESTS:-tests/*.bats}
queue=$vg/queue
mkdir "$queue" "$queue/todo" "$queue/taken" "$queue/seen"
n=0
# shellcheck disable=SC2086
for f in $FIRST $files; do
	case " $(echo $files) " in *" $f "*) ;; *) continue ;; esac
	case " $(echo $SERIAL) " in *" $f "*) continue ;; esac
	[ -e "$queue/seen/${f##*/}" ] && continue
	: > "$queue/seen/${f##*/}"
	n=$((n + 1))
	printf '%s\n' "$f" > "$queue/todo/$(printf %04d $n)"
done
for f in $SERIAL; do
	case " $(echo $files) " in *" $f "*) echo "$f" >> "$queue/serial" ;; esac
done

# one file's run: bats' TAP to $vg/tap.N, its exit status and seconds
# after it in $vg/st.N; printed whole when it ends, so lanes do not mix
run_file() {
	t0=$(date +%s)
	bats --tap --timing "$2" > "$vg/tap.$1" 2>&1
	echo "$? $(($(date +%s) - t0))" > "$vg/st.$1"
	{ echo "# $2"; cat "$vg/tap.$1"; } > "$vg/show.$1"
	cat "$vg/show.$1"
}

# a lane: takes the next file of the queue (by rename, which one lane
# alone wins) until none is left
lane() {
	for q in "$queue"/todo/*; do
		mv "$q" "$queue/taken/" 2>/dev/null || continue
		run_file "${q##*/}" "$(cat "$queue/taken/${q##*/}")"
	done
}

i=0
while [ "$i" -lt "$JOBS" ]; do
	i=$((i + 1))
	lane "$i" &
done
wait
n=9000
if [ -e "$queue/serial" ]; then
	while read -r f; do
		n=$((n + 1))
		run_file "$n" "$f"
	done < "$queue/serial"
fi
cat "$vg"/show.* > "$out" 2>/dev/null

# per file: a run that dies partway has neither its plan's count of
# results nor a "not ok" to show for it; bats' own status counts too
pass=0 skip=0 fail=0
for st in "$vg"/st.*; do
	[ -e "$st" ] || continue
	k=${st##*.}
	f=$(sed -n '1s/^# //p' "$vg/show.$k")
	tap=$vg/tap.$k
	read -r status secs < "$st"
	echo "$f $secs" >> "$vg/times"
	p=$(grep -c '^ok ' "$tap")
	s=$(grep -c '^ok .* # skip' "$tap")
	notok=$(grep -c '^not ok ' "$tap")
	ran=$((p + notok))
	pass=$((pass + p - s))
	skip=$((skip + s))
	fail=$((fail + notok))
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$tap" | head -n 1)
	if [ -z "$plan" ]; then
		echo "run.sh: $f: bats printed no plan (1..N): counted as 1 failed"
		fail=$((fail + 1))
	elif [ "$ran" -lt "$plan" ]; then
		echo "run.sh: $f: bats planned $plan tests but reported $ran:" \
		    "$((plan - ran)) missing, counted as failed"
		fail=$((fail + plan - ran))
	elif [ "$notok" -gt 0 ]; then
		:	# failed already, whatever else went wrong
	elif [ "$ran" -gt "$plan" ]; then
		echo "run.sh: $f: bats planned $plan tests but reported $ran:" \
		    "counted as 1 failed"
		fail=$((fail + 1))
	elif [ "$status" != 0 ]; then
		echo "run.sh: $f: bats exited $status with no failing test:" \
		    "counted as 1 failed"
		fail=$((fail + 1))
	fi
done
[ -s "$vg/times" ] || { echo "run.sh: no bats file ran"; fail=$((fail + 1)); }
# what valgrind said, where it said anything (with -q: errors, warnings)
for log in "$vg"/log.*; do
	[ -s "$log" ] && { echo "valgrind ${log##*/}:"; cat "$log"; }
done
after=$(git ls-files --others --exclude-standard 2>/dev/null | sort)
left=$(printf '%s\n' "$after" | grep -vxF -e "$before" | grep .)
if [ -n "$left" ]; then
	echo "run.sh: the tests left files in the work tree:" $left
	fail=$((fail + 1))
fi
# where the time went, the slowest first
sort -k 2 -rn "$vg/times" 2>/dev/null | awk '{ sub(/.*\//, "", $1)
    sub(/\.bats$/, "", $1); s = s sep $1 " " $2; sep = ", " }
    END { if (s != "") print "run.sh: seconds per file: " s }'
echo "run.sh: the suite took $(($(date +%s) - start)) s"
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
