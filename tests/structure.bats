#!/usr/bin/env bats
# tests/structure.sh, the layering make check holds the tree to: it
# passes on the tree, and fails on a copy broken in each of its ways,
# naming what broke.

load helpers

OBJ=${IPC_OBJ:-obj}

# a copy of the tree as the check reads it: lib/, the script, the built
# lib/ objects, and cmd/ with the files named
copy_tree() {
	T=$BATS_TEST_TMPDIR/tree
	mkdir -p "$T/tests" "$T/cmd" "$T/$OBJ"
	cp -R "$ROOT/lib" "$T/"
	cp "$ROOT/tests/structure.sh" "$T/tests/"
	cp "$ROOT/$OBJ"/*.o "$T/$OBJ/"
	for c do
		cp -R "$ROOT/cmd/$c" "$T/cmd/"
	done
}

# compile the copy's lib/FILE.c again into its objects
relib() {
	cc -std=c11 -D_GNU_SOURCE $(pkg-config --cflags libbsd-overlay) \
	    -DIPC_VERSION='"0"' -c -o "$T/$OBJ/${1%.c}.o" "$T/lib/$1"
}

@test "structure: the tree's lib/ has no cycle, its commands keep apart, ipc.h is true" {
	run timeout 300 sh "$ROOT/tests/structure.sh" "$OBJ"
	assert_success
	refute_line --partial 'structure: lib/ call cycle: '
	assert_line 'structure: lib/ acyclic; commands apart; lib/ipc.h true to its files'
}

@test "structure: a call cycle between lib/ files fails, naming the files and the calls" {
	copy_tree
	printf '%s\n' 'int cyc_b(void);' 'int cyc_a(void) { return cyc_b(); }' \
	    > "$T/lib/cyca.c"
	printf '%s\n' 'int cyc_a(void);' 'int cyc_b(void) { return cyc_a(); }' \
	    'int cyc_c(void) { return cyc_b(); }' > "$T/lib/cycb.c"
	printf '%s\n' 'int cyc_c(void);' 'int cyc_d(void) { return cyc_c(); }' \
	    > "$T/lib/cycd.c"
	relib cyca.c
	relib cycb.c
	relib cycd.c
	run timeout 300 sh "$T/tests/structure.sh" "$OBJ"
	assert_failure 1
	assert_line 'structure: lib/ call cycle: cyca.c -> cycb.c (cyc_b) -> cyca.c (cyc_a)'
	refute_line --partial 'cycd.c ->'
}

@test "structure: a lower file that calls up into the one it serves is a cycle: usage.c reading opt" {
	copy_tree
	printf '%s\n' '#include "ipc.h"' \
	    'const char *usage_peek(void) { return opt.verb->usage; }' \
	    >> "$T/lib/usage.c"
	relib usage.c
	run timeout 300 sh "$T/tests/structure.sh" "$OBJ"
	assert_failure 1
	assert_line --partial 'structure: lib/ call cycle: opt.c -> usage.c (usage_error) -> opt.c (opt)'
}

@test "structure: a command calling another, or lib/ calling a command, fails; a command's own files may call each other" {
	copy_tree
	mkdir "$T/cmd/ipc-one" "$T/cmd/ipc-two"
	printf '%s\n' 'int one_a(void);' 'int one_b(void) { return one_a(); }' \
	    > "$T/cmd/ipc-one/b.c"
	printf '%s\n' 'int one_b(void);' 'int one_a(void) { return 1; }' \
	    'int main(void) { return one_b(); }' > "$T/cmd/ipc-one/a.c"
	printf '%s\n' 'int one_a(void);' 'int main(void) { return one_a(); }' \
	    > "$T/cmd/ipc-two.c"
	printf '%s\n' 'int one_b(void);' \
	    'int esc_calls_up(void) { return one_b(); }' >> "$T/lib/esc.c"
	relib esc.c
	run timeout 300 sh "$T/tests/structure.sh" "$OBJ"
	assert_failure 1
	assert_line 'structure: cmd/ipc-two.c calls cmd/ipc-one/a.c: one_a'
	assert_line 'structure: lib/esc.c calls cmd/ipc-one/b.c: one_b'
	refute_line --partial 'cmd/ipc-one/b.c calls'
	refute_line --partial 'cmd/ipc-one/a.c calls'
}

@test "structure: a command that defines a lib/ function in its place fails" {
	copy_tree
	printf '%s\n' 'const char *esc_name(const char *s) { return s; }' \
	    'int main(void) { return 0; }' > "$T/cmd/ipc-one.c"
	run timeout 300 sh "$T/tests/structure.sh" "$OBJ"
	assert_failure 1
	assert_line "structure: cmd/ipc-one.c defines lib/esc.c's esc_name"
}

@test "structure: an ipc.h section naming no lib/ file, or declaring what its file does not define, fails" {
	copy_tree
	sed -i 's|^/\* fsize\.c: |/* fsz.c: |; s|^/\* dir\.c: |/* path.c: |' \
	    "$T/lib/ipc.h"
	l=$(grep -n '^/\* fsz\.c: ' "$T/lib/ipc.h" | cut -d: -f1)
	d=$(grep -n '^char	\*\*dir_names(' "$T/lib/ipc.h" | cut -d: -f1)
	z=$(grep -n '^uintmax_t fsize_limit(' "$T/lib/ipc.h" | cut -d: -f1)
	run timeout 300 sh "$T/tests/structure.sh" "$OBJ"
	assert_failure 1
	assert_line "structure: lib/ipc.h:$l: section fsz.c: no such file in lib/"
	assert_line "structure: lib/ipc.h:$z: fsize_limit is declared under fsz.c, which does not define it"
	assert_line "structure: lib/ipc.h:$d: dir_names is declared under path.c, which does not define it"
}

@test "structure: a function marked in ipc.h to exit on failure must be declared in that section" {
	copy_tree
	sed -i 's|^/\* these exit on failure: ns_enter \*/$|/* these exit on failure: ns_enter, ns_leave */|' \
	    "$T/lib/ipc.h"
	l=$(grep -n '^/\* these exit on failure: ns_enter, ns_leave' "$T/lib/ipc.h" |
	    cut -d: -f1)
	[ -n "$l" ]
	run timeout 300 sh "$T/tests/structure.sh" "$OBJ"
	assert_failure 1
	assert_output --partial "structure: lib/ipc.h:$l: ns_leave is marked to exit but not declared under ns.c"
	refute_output --partial 'ns_enter is marked'
}

@test "structure: lib/ sets up its signalfd in one place, and only lib/child.c execs a command" {
	run sh -c 'cd "$1" && nm -A "$2"/*.o | awk "\$2 == \"U\" && \$3 == \"signalfd\" { print \$1 }"' \
	    sh "$ROOT" "$OBJ"
	assert_success
	assert_output "$OBJ/sigset.o:"
	run sh -c 'cd "$1" && nm -A "$2"/*.o | awk "\$2 == \"U\" && \$3 ~ /^exec/ { print \$1 }" | sort -u' \
	    sh "$ROOT" "$OBJ"
	assert_success
	assert_output "$OBJ/child.o:"
	# a call, not a comment that names one
	run sh -c 'grep -rEn --include="*.c" "(^|[^_a-z])exec(l|lp|le|v|vp|vpe|ve)[[:space:]]*\(" "$1"/cmd |
	    grep -Ev ":[0-9]+:[[:space:]]*(/?\*)"' sh "$ROOT"
	assert_failure 1
	assert_output ""
}

@test "structure: a verb's function is cmd_VERB; a command's other functions use no prefix of lib/'s" {
	pre=$(cd "$ROOT/lib" && ls *.c | sed 's/\.c$//' | paste -sd '|')
	run grep -l '^cmd_[a-z_0-9]*(' "$ROOT"/lib/*.c
	assert_failure 1
	# every command, one file or one directory of them
	for c in "$ROOT"/cmd/ipc-*; do
		[ -d "$c" ] && set -- "$c"/*.c || set -- "$c"
		run sh -c 'p=$1; shift; grep -hE "^[a-z_][a-z_0-9]*\(" "$@" |
		    sed "s/(.*//" | grep -E "^($p)_"' sh "$pre" "$@"
		assert_output ""
		run sh -c 'sed -n "/^static const struct verb verbs/,/^};/p" "$@" |
		    sed -n "s/^[[:space:]]*{ \"[a-z]*\", \([a-z_0-9]*\),.*/\1/p" |
		    grep -v "^cmd_"' sh "$@"
		assert_output ""
		run sh -c 'sed -n "/^static const struct verb verbs/,/^};/p" "$@" | grep -c "cmd_"' sh "$@"
		[ "$output" -gt 0 ]
	done
}

# what lib/'s files define, but for FILE.o's, one name a line
lib_defs_but() {
	for f in "$ROOT"/lib/*.c; do
		f=${f##*/}
		[ "${f%.c}.o" = "$1" ] || echo "$ROOT/$OBJ/${f%.c}.o"
	done | xargs nm -P --defined-only |
	    awk '$2 ~ /^[A-TV-Z]$/ { print $1 }' | sort -u
}

@test "structure: procfs.c reads /proc below the index and calls nothing of lib/; pidx.c and proc.c are no cycle" {
	run timeout 300 sh "$ROOT/tests/structure.sh" "$OBJ"
	assert_success
	refute_line --partial 'pidx.c'
	lib_defs_but procfs.o > "$BATS_TEST_TMPDIR/defs"
	[ -s "$BATS_TEST_TMPDIR/defs" ]
	run sh -c 'nm -P --undefined-only "$1" | awk "{ print \$1 }" |
	    grep -xF -f "$2"' sh "$ROOT/$OBJ/procfs.o" "$BATS_TEST_TMPDIR/defs"
	assert_failure 1
	assert_output ""
}

@test "structure: pidx.c and blocked.c read /proc text and maps lines through procfs.c, keeping no copy" {
	for o in pidx.o blocked.o; do
		run sh -c 'nm -P --undefined-only "$1" | awk "{ print \$1 }" |
		    grep -x "procfs_[a-z_]*" | sort | paste -sd " "' \
		    sh "$ROOT/$OBJ/$o"
		assert_success
		case $o in
		pidx.o)		assert_output 'procfs_fopen procfs_link_acc procfs_maps_line procfs_opening' ;;
		blocked.o)	assert_output 'procfs_fopen procfs_maps_line procfs_text' ;;
		esac
	done
	# the parsers and readers they had of their own are gone from lib/
	run sh -c 'nm -P "$1"/*.o | awk "{ print \$1 }" |
	    grep -xE "(pidx_text|proc_fdinfo_acc|proc_maps_line|proc_opening|proc_syscall_open|blocked_maps_line|task_text|task_fopen)"' \
	    sh "$ROOT/$OBJ"
	assert_failure 1
	assert_output ""
}
