#!/bin/sh
# The layering the code promises, read from what the compiler made of it
# (nm of the objects), not from what the sources seem to say:
#  - lib/'s files call each other without a cycle: each file stands on
#    the ones below it, never on one that stands on it;
#  - a command (cmd/ipc-X.c, or every file of cmd/ipc-X/) calls lib/ and
#    itself only, and lib/ calls no command;
#  - every section of lib/ipc.h is labelled with a lib/ file that exists
#    and defines each function and variable the section declares, and
#    each function its "these exit on failure:" line names is one of them.
# usage: sh tests/structure.sh [OBJDIR]   (the tree's lib/ objects; obj)
# The commands' own files are compiled here, to objects of their own.
set -u
cd "$(dirname "$0")/.." || exit 1
objdir=${1:-obj}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# lib/'s objects, each of a file that is there (not one left over)
set --
for o in lib/*.c; do
	o=${o#lib/}
	if [ ! -f "$objdir/${o%.c}.o" ]; then
		echo "structure: $objdir/${o%.c}.o is missing: build first (make)"
		exit 1
	fi
	set -- "$@" "$objdir/${o%.c}.o"
done

# every symbol, as "UNIT GROUP TYPE NAME": UNIT the source file, GROUP
# lib or the command it belongs to (one nm for all: it is slow to start)
syms=$tmp/syms
nm -P -A "$@" | awk '{
	u = $1; sub(/:$/, "", u); sub(/.*\//, "", u); sub(/\.o$/, ".c", u)
	print "lib/" u, "lib", $3, $2
}' > "$syms" || exit 1
cflags="-std=c11 -D_GNU_SOURCE -Ilib -O0 -w"
cflags="$cflags $(pkg-config --cflags libbsd-overlay 2>/dev/null)"
for f in cmd/ipc-*.c cmd/ipc-*/*.c; do
	[ -f "$f" ] || continue
	mkdir -p "$tmp/${f%/*}"
	# shellcheck disable=SC2086
	${CC:-cc} $cflags -DIPC_VERSION='"0"' -c -o "$tmp/$f.o" "$f" || {
		echo "structure: cannot compile $f"
		exit 1
	}
done
if [ -d "$tmp/cmd" ]; then
	(cd "$tmp" && find cmd -name '*.o' -exec nm -P -A {} +) | awk '{
		u = $1; sub(/\.o:$/, "", u)
		g = u; sub(/^cmd\//, "", g); sub(/[\/.].*/, "", g)
		print u, g, $3, $2
	}' >> "$syms" || exit 1
fi
awk '$2 == "lib" && $3 ~ /^[A-TV-Z]$/ { print $1, $4 }' "$syms" > "$tmp/libdefs"
if [ ! -s "$tmp/libdefs" ]; then
	echo "structure: nm finds no symbol in $objdir/*.o: nothing to check"
	exit 1
fi

awk -f - "$syms" <<'AWK' || status=1
# a symbol is defined by an upper-case type other than U (locals are lower)
$3 == "U" { ref[$1 SUBSEP $4] = 1; grp[$1] = $2; next }
$3 ~ /^[A-TV-Z]$/ {
	grp[$1] = $2
	if ($2 == "lib") { libdef[$4] = $1; next }
	if (!(($4, $2) in cmddef))
		cmddef[$4, $2] = $1
	defs[$4] = defs[$4] " " $1
}
function base(u) { sub(/^lib\//, "", u); return u }
END {
	for (k in ref) {
		split(k, p, SUBSEP)
		u = p[1]; s = p[2]; g = grp[u]
		if (s in libdef) {
			if (g == "lib" && libdef[s] != u)
				edge(base(u), base(libdef[s]), s)
			continue
		}
		if (g != "lib" && ((s, g) in cmddef))
			continue
		if (s in defs) {
			split(defs[s], d, " ")
			bad[u " calls " d[1] ": " s] = 1
		}
	}
	# a command's symbol that lib/ defines too stands in for lib's
	for (k in cmddef) {
		split(k, p, SUBSEP)
		if (p[1] in libdef && p[1] != "main")
			bad[cmddef[k] " defines " libdef[p[1]] "'s " p[1]] = 1
	}
	for (b in bad) {
		print "structure: " b
		status = 1
	}
	cycles()
	exit status
}
function edge(a, b, s) {
	if (!((a, b) in via)) {
		succ[a] = succ[a] " " b
		node[a] = node[b] = 1
	}
	via[a, b] = via[a, b] (via[a, b] == "" ? "" : ",") s
}
# each elementary cycle once, from its least file: a search from each
# file through the files greater than it
function cycles(   n, s, list, i) {
	n = 0
	for (s in node)
		list[++n] = s
	sortstr(list, n)
	for (i = 1; i <= n; i++) {
		start = list[i]
		depth = 0
		walk(start)
	}
}
function walk(v,   nx, m, j, w) {
	path[++depth] = v
	onpath[v] = 1
	m = split(succ[v], nx, " ")
	for (j = 1; j <= m; j++) {
		w = nx[j]
		if (w == start)
			found()
		else if (w > start && !(w in onpath) && ncyc < 1000)
			walk(w)
	}
	delete onpath[v]
	depth--
}
function found(   i, key, words) {
	ncyc++
	words = path[1]
	for (i = 2; i <= depth; i++)
		words = words " -> " path[i] " (" syms(path[i-1], path[i]) ")"
	words = words " -> " path[1] " (" syms(path[depth], path[1]) ")"
	print "structure: lib/ call cycle: " words
	status = 1
}
# what a calls of b, in order
function syms(a, b,   n, l, i, out) {
	n = split(via[a, b], l, ",")
	sortstr(l, n)
	out = l[1]
	for (i = 2; i <= n; i++)
		out = out "," l[i]
	return out
}
function sortstr(a, n,   i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j-1] > a[j]; j--) {
			t = a[j]; a[j] = a[j-1]; a[j-1] = t
		}
}
AWK

# lib/ipc.h: "/* FILE.c: ..." or "/*\n * FILE.c: ..." opens a section;
# each prototype and extern at the top level is what FILE.c defines
awk '
/^\/\*/ {
	incomment = 1
	first = $0
	exits = $0 ~ /^\/\* these exit on failure/
}
incomment && exits {
	t = $0
	sub(/^\/\* these exit on failure[^:]*:/, "", t)
	sub(/^ \*/, "", t)
	sub(/\*\/.*/, "", t)
	gsub(/\([^)]*\)/, "", t)
	n = split(t, w, /[ ,]+/)
	for (i = 1; i <= n; i++)
		if (w[i] ~ /^[a-z_][a-z0-9_]*$/)
			print "exits", w[i], NR
}
incomment {
	label = ""
	if ($0 == first && match($0, /^\/\* [a-z0-9_]+\.c:/))
		label = substr($0, 4, RLENGTH - 4)
	else if (prev == "/*" && match($0, /^ \* [a-z0-9_]+\.c:/))
		label = substr($0, 4, RLENGTH - 4)
	if (label != "")
		print "section", label, NR
	prev = $0
	if ($0 ~ /\*\//)
		incomment = 0
	next
}
# the lines of a macro, continued with a backslash, declare nothing
cont || /^#/ { cont = $0 ~ /\\$/; next }
{
	line = $0
	sub(/\/\*.*/, "", line)
	if (braces == 0 && line ~ /^[a-z_]/ && line !~ /^(typedef|struct [a-z_]+ *\{|struct [a-z_]+;|enum|union)/) {
		if (line ~ /^extern /) {
			sub(/;.*/, "", line)
			n = split(line, w, /[ *\t]+/)
			print "decl", w[n], NR
		} else if (match(line, /[a-z_0-9]+\(/)) {
			print "decl", substr(line, RSTART, RLENGTH - 1), NR
		}
	}
	t = line
	braces += gsub(/\{/, "", t)
	t = line
	braces -= gsub(/\}/, "", t)
}' lib/ipc.h > "$tmp/decls"
awk -v defs="$tmp/libdefs" '
FILENAME == defs { def[$1, $2] = 1; next }
$1 == "section" { file = $2; line = $3
	if (system("test -f lib/" file) != 0) {
		print "structure: lib/ipc.h:" line ": section " file \
		    ": no such file in lib/"
		status = 1
	}
	next
}
$1 == "exits" { marked[$2] = file; markline[$2] = $3; next }
$1 == "decl" {
	declared[file, $2] = 1
	if (file == "") {
		print "structure: lib/ipc.h:" $3 ": " $2 ": declared before any section"
		status = 1
		next
	}
	if (!(("lib/" file, $2) in def)) {
		print "structure: lib/ipc.h:" $3 ": " $2 " is declared under " \
		    file ", which does not define it"
		status = 1
	}
}
END {
	for (f in marked)
		if (!((marked[f], f) in declared)) {
			print "structure: lib/ipc.h:" markline[f] ": " f \
			    " is marked to exit but not declared under " \
			    marked[f]
			status = 1
		}
	exit status
}' "$tmp/libdefs" "$tmp/decls" || status=1

if [ "${status:-0}" -eq 0 ]; then
	echo "structure: lib/ acyclic; commands apart;" \
	    "lib/ipc.h true to its files"
fi
exit "${status:-0}"
