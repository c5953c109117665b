# fish completion shared by every ipc-tools command: each command's own
# file (ipc-pipe.fish, ipc-mq.fish, ...) sources this one from its own
# directory and registers __ipc_tools_complete for itself.
#
# Everything is asked of the command itself, so the completion can never
# disagree with it: the verbs of `ipc-X --help`, each verb's options and
# operands of `ipc-X VERB -h` (`VERB -S -h` with -S), the fields of -o of
# the error the command gives for an unknown one, and the objects of the
# command's own `ls`: FIFOs and socket files (`ls -H -o path DIR`), POSIX
# names and abstract socket names (`ls -H -o name`), System V keys
# (`ls -S -H -o key,id`) and signals (ipc-sig's `ls -H -o name,description`).
# Processes, which no command lists, come from /proc.
#
# fish has no dynamic scope: what a helper needs of the line (the
# command, the verb, -S as "-S" or "") is passed to it.

# the command being completed, as a path; the one on PATH if it is not one
function __ipc_tools_cmd
    set -l c (commandline -opc)[1]
    set c (string replace -r '^~/' "$HOME/" -- $c)
    if string match -q -- '*/*' $c; and test -x "$c"
        echo $c
        return
    end
    command -s -- (string replace -r '.*/' '' -- $c)
end

# the word under the cursor without its quoting
function __ipc_tools_token
    set -l t (commandline -ct)
    switch $t
        case "'*"
            string sub -s 2 -- $t | string replace -r "'\$" '' |
                string replace -ra "\\\\(['\\\\])" '$1'
        case '"*'
            string sub -s 2 -- $t | string replace -r '"$' '' |
                string replace -ra '\\\\(["$\\\\])' '$1'
        case '*'
            string unescape -- $t
    end
end

# the flavour the line asks for: -S for System V (-S, --sysv, alone or
# in a cluster like -jS), -F for a file (-F, --file), or nothing: options
# may come after the operands, so every word after the verb but the one
# being completed counts, up to --
function __ipc_tools_sysv
    set -l before (commandline -opc)
    set -l words $before
    set -l all (commandline -op)
    set -l skip (math (count $before) + 1)
    set -l cur (commandline -t | string collect)
    test -n "$cur"; or set skip 0
    for i in (seq (math (count $before) + 1) (count $all))
        test $i -eq $skip; or set -a words $all[$i]
    end
    set -l flavour
    for w in $words[3..-1]
        test "x$w" = x--; and break
        if string match -qr -- '^(-[^-]*S|--sy(s|sv)?$)' $w
            set flavour -S
        else if string match -qr -- '^(-[^-]*F|--fi(l|le)?$)' $w
            set flavour -F
        end
    end
    echo $flavour
end

# the verbs, with their usage as the description
function __ipc_tools_verbs --argument-names cmd
    for line in ($cmd --help 2>/dev/null)
        if string match -rq '^\s+\S+\s+(?<v>[a-z][a-z0-9-]*)(?<rest>.*)$' -- $line
            printf '%s\t%s\n' $v (string trim -- "$v$rest")
        end
    end
end

# the fields -o of the verb takes
function __ipc_tools_fields --argument-names cmd verb sysv
    set -l S
    test -n "$sysv"; and set S $sysv
    set -l msg ($cmd $verb $S -o '?' 1 2>&1 >/dev/null)
    # a verb that takes no operand
    string match -q -- '*(fields: *' "$msg"
    or set msg ($cmd $verb $S -o '?' 2>&1 >/dev/null)
    set -l m (string match -r '\(fields: ([^)]*)\)' -- "$msg")
    or return
    string split ', ' -- $m[2]
end

# a cell of the command's text output with its \ooo escapes undone; one
# that begins with 0 (\040) is written \0040, as printf's %b reads up to
# three digits after \0, and "signal\0401" would lose its 1
function __ipc_tools_unescape
    for line in $argv
        printf '%b' (string replace -ra '\\\\(0[0-7]{2})' '\\\\0$1' -- $line) |
            string collect
    end
end

# FIFOs (or what $what names) in the directory part of the word, and
# directories to descend into
function __ipc_tools_fifos --argument-names cmd want what
    test -n "$what"; or set what FIFO
    set -l dir
    if string match -q -- '*/*' $want
        set dir (string replace -r '[^/]*$' '' -- $want)
    end
    set -l qdir $dir
    test -n "$qdir"; or set qdir .
    set qdir (string replace -r '^~/' "$HOME/" -- $qdir)
    for line in ($cmd ls -H -o path -- $qdir 2>/dev/null)
        # the command writes blanks, controls and \ as \ooo
        set line (__ipc_tools_unescape $line)
        if test -z "$dir"
            set line (string replace -r '^\./' '' -- $line)
        else
            set line $dir(string sub -s (math (string length -- $qdir) + 1) -- $line)
        end
        printf '%s\t%s\n' $line $what
    end
    __fish_complete_directories (commandline -ct) directory
end

# socket addresses: abstract names as @NAME, socket files, directories
function __ipc_tools_addrs --argument-names cmd want
    if test -z "$want"; or string match -q -- '@*' $want
        for n in ($cmd ls -H -o name 2>/dev/null | sort -u)
            set n (__ipc_tools_unescape $n)
            string match -q -- '@*' $n; and printf '%s\tabstract name\n' $n
        end
    end
    string match -q -- '@*' $want; or __ipc_tools_fifos $cmd "$want" socket
end

# the POSIX objects: "jobs" and "/jobs" are the same one, so the form
# begun is offered
function __ipc_tools_names --argument-names cmd want
    for n in ($cmd ls -H -o name 2>/dev/null)
        set n (__ipc_tools_unescape $n)
        string match -q -- '/*' $want; or set n (string replace -r '^/' '' -- $n)
        printf '%s\tname\n' $n
    end
end

# the System V objects by key; a private one, which has none, as id:N
function __ipc_tools_keys --argument-names cmd
    for line in ($cmd ls -S -H -o key,id 2>/dev/null)
        set -l f (string split -n ' ' -- (string replace -a \t ' ' -- $line))
        if test "$f[1]" = 0x00000000
            printf 'id:%s\tprivate key\n' $f[2]
        else
            printf '%s\tkey\n' $f[1]
        end
    end
end

# the signals, each described, from the command's ls; SIGUSR1 and the
# like where the word begins with SIG. The real-time signals, thirty
# alike, are one group: RTMIN and RTMAX stand for it until the word
# begins with RT, and RTMIN+N and RTMAX-N are offered from then on
function __ipc_tools_sigs --argument-names cmd want
    set -l pre
    string match -q -- 'SIG*' $want; and set pre SIG
    set -l rt 0
    string match -qr -- '^(SIG)?RT' $want; and set rt 1
    for line in ($cmd ls -H -o name,description 2>/dev/null)
        # the name, blanks, the description (where the command writes
        # blanks, controls and \ as \ooo, undone)
        set -l w (string match -r '^(\S+)\s*(.*)$' -- $line)
        or continue
        set -l desc (__ipc_tools_unescape $w[3])
        if string match -qr '^RTM..[-+]' -- $w[2]
            test $rt = 1; or continue
        else if string match -q 'RTM*' -- $w[2]; and test $rt = 0
            set desc "$desc (type RT for all)"
        end
        printf '%s%s\t%s\n' "$pre" $w[2] "$desc"
    end
end

# the processes, each described by its command, from /proc/PID/stat
# ("PID (COMM) STATE PPID PGRP ..."), read by one cat, which is quiet
# about those gone meanwhile: not the kernel's own threads, kthreadd (2)
# and its children, which no signal or tracer reaches; with $argv[1],
# "group", the process groups instead, each by its leader's command where
# it has one, but 1, which --group refuses
function __ipc_tools_pids
    set -l stats (string match -r '^/proc/\d+/stat$' -- /proc/*/stat)
    set -q stats[1]; or return
    set -l pids
    set -l comms
    set -l groups
    for line in (cat $stats 2>/dev/null)
        set -l f (string match -r '^(\d+) \((.*)\) \S+ (\d+) (\d+) ' -- $line)
        or continue
        test $f[2] = 2 -o $f[4] = 2; and continue
        set -a pids $f[2]
        set -a comms $f[3]
        contains -- $f[5] $groups; or set -a groups $f[5]
    end
    if test "$argv[1]" != group
        for i in (seq (count $pids))
            printf '%s\t%s\n' $pids[$i] $comms[$i]
        end
        return
    end
    for g in $groups
        test $g -gt 1; or continue
        set -l i (contains -i -- $g $pids)
        and printf '%s\t%s\n' $g $comms[$i]
        or printf '%s\tprocess group\n' $g
    end
end

# the values of --format the verb takes, from its own error for an
# unknown one ("--format: '?' is not one of text, dot, json")
function __ipc_tools_formats --argument-names cmd verb
    set -l msg ($cmd $verb --format '?' 2>&1 >/dev/null)
    set -l m (string match -r 'is not one of (.*)$' -- $msg[1])
    or return
    string split ', ' -- (string replace -a ' or ' ', ' -- $m[2])
end

# the objects of kind $kind: PATH (FIFOs), NAME, KEY, DIR, FILE, SIG,
# PID (processes), PGID (process groups) or TARGET (processes, and files
# after @)
function __ipc_tools_objects --argument-names cmd kind want
    switch $kind
        case PATH
            __ipc_tools_fifos $cmd "$want"
        case NAME
            __ipc_tools_names $cmd "$want"
        case KEY
            __ipc_tools_keys $cmd
        case DIR
            __fish_complete_directories (commandline -ct) directory
        case FILE
            __fish_complete_path (commandline -ct)
        case SIG
            __ipc_tools_sigs $cmd "$want"
        case PID
            __ipc_tools_pids
        case PGID
            __ipc_tools_pids group
        case TARGET
            # a pid, or @PIDFILE: a file holding one
            if string match -q -- '@*' $want
                __fish_complete_path (string sub -s 2 -- $want) |
                    string replace -r '^' @
            else
                __ipc_tools_pids
            end
    end
end

# the value of an option that takes an ARG: LIST, PATH, DIR, TYPE (the
# socket types its help, desc, names: listen's takes no dgram, and
# ipc-mq's -T TYPE is a number), FORMAT, PID, PGID or none
function __ipc_tools_optarg --argument-names cmd verb sysv arg want desc
    switch $arg
        case LIST
            set -l pre (string replace -r '[^,]*$' '' -- $want)
            # a field already in the list is not offered again
            set -l given (string split -n , -- $pre)
            for f in (__ipc_tools_fields $cmd $verb "$sysv")
                contains -- $f $given; or echo $pre$f
            end
        case PATH DIR
            __ipc_tools_objects $cmd $arg "$want"
        case TYPE
            for t in stream dgram seqpacket
                string match -qr -- "[^a-z]"$t"[^a-z]" " $desc "; and echo $t
            end
        case FORMAT
            __ipc_tools_formats $cmd $verb
        case PID
            __ipc_tools_pids
        case PGID
            __ipc_tools_pids group
    end
end

# what may come at the cursor of an ipc-tools command line
function __ipc_tools_complete
    set -l cmd (__ipc_tools_cmd)
    or return
    set -l words (commandline -opc)
    set -l want (__ipc_tools_token)
    set want "$want"
    if test (count $words) -eq 1
        if string match -q -- '-*' $want
            printf '%s\t%s\n' -h 'usage of every verb' --help 'usage of every verb' \
                -V 'the version' --version 'the version'
        else
            __ipc_tools_verbs $cmd
        end
        return
    end
    set -l verb $words[2]
    string match -q -- '-*' $verb; and return
    set -l sysv (__ipc_tools_sysv)
    set sysv "$sysv"
    set -l S
    test -n "$sysv"; and set S $sysv

    # the verb's usage and options: "-t --timeout DUR desc"
    set -l usage
    set -l opts
    for line in ($cmd $verb $S -h 2>/dev/null)
        if not set -q usage[1]; and string match -q 'usage: *' -- $line
            set usage (string split -n ' ' -- $line)
        else if string match -rq '^  (?:-(?<s>.), |    )--(?<lo>\S+)(?: (?<a>[A-Z][A-Z0-9_]*))?\s+(?<d>.*)$' -- $line
            test -n "$s"; or set s -
            test -n "$a"; or set a -
            set -a opts "$s"\t"$lo"\t"$a"\t"$d"
        end
    end
    set -q usage[1]; or return
    set -l operands $usage[4..-1] # after "usage: ipc-X VERB"

    # the words after the verb: operands counted, options' values skipped
    set -l n 0
    set -l need
    set -l ddash 0
    set -l given
    for w in $words[3..-1]
        if set -q need[1]
            set need
        else if test $ddash = 1; or not string match -q -- '-?*' $w
            set n (math $n + 1)
        else if test "$w" = --
            set ddash 1
        else if string match -q -- '--*' $w
            set -l g (__ipc_tools_opt (string replace -r '=.*' '' -- $w) $opts)
            and set -a given $g
            # --name VALUE: the next word is the value; --name=VALUE and
            # an option without one: nothing more
            if not string match -q -- '*=*' $w
                set -l o (__ipc_tools_opt $w $opts)
                and test (string split \t -- $o)[3] != -
                and set need $o
            end
        else
            set -l len (string length -- $w)
            for i in (seq 2 $len)
                set -l o (__ipc_tools_opt -(string sub -s $i -l 1 -- $w) $opts)
                or continue
                set -a given $o
                set -l f (string split \t -- $o)
                test "$f[3]" = -; and continue
                # -ofoo: the value is the rest of the word; -o: the next word
                test $i -eq $len; and set need $o
                break
            end
        end
    end

    if set -q need[1]
        set -l f (string split \t -- $need)
        __ipc_tools_optarg $cmd $verb "$sysv" $f[3] "$want" "$f[4]"
    else if test $ddash = 0; and string match -q -- '--*=*' $want
        set -l name (string replace -r '=.*' '' -- $want)
        set -l o (__ipc_tools_opt $name $opts)
        or return
        set -l f (string split \t -- $o)
        set -l value (string replace -r '^[^=]*=' '' -- $want)
        for v in (__ipc_tools_optarg $cmd $verb "$sysv" $f[3] "$value" "$f[4]")
            echo $name=$v
        end
    else if test $ddash = 0; and string match -q -- '-*' $want
        # none the command would refuse beside one on the line
        set -l excl (__ipc_tools_excluded "$usage" (count $given) $given $opts)
        for o in $opts
            contains -- $o $excl; and continue
            set -l f (string split \t -- $o)
            test "$f[1]" != -; and printf '%s\t%s\n' -$f[1] $f[4]
            printf '%s\t%s\n' --$f[2] $f[4]
        end
    else
        __ipc_tools_operand $cmd $verb "$sysv" $n "$want" $operands
    end
end

# the spec in the rest of argv of option $argv[1] (-x, --name or a
# unique prefix of --name); fails for none or several
function __ipc_tools_opt
    set -l name $argv[1]
    set -l found
    for o in $argv[2..-1]
        set -l f (string split \t -- $o)
        # x: a word like -t must not be taken for test's own operator
        if test "x$name" = "x-$f[1]" -a "$f[1]" != -; or test "x$name" = "x--$f[2]"
            echo $o
            return
        end
        if string match -q -- "$name*" --$f[2]; and string match -q -- '--?*' $name
            set -a found $o
        end
    end
    test (count $found) -eq 1; or return 1
    echo $found
end

# the options the usage line $argv[1] has as alternatives to one on the
# line ([-c N|-f], [-l|-0], [-S|-F]), which the command refuses with it:
# then $argv[2] specs of those on the line, then every option's spec
function __ipc_tools_excluded
    set -l rest $argv[1]
    set -l given
    # not $argv[3..2], which fish reads backwards
    test $argv[2] -gt 0; and set given $argv[3..(math $argv[2] + 2)]
    set -l opts $argv[(math $argv[2] + 3)..-1]
    for g in (string match -ra -- '\[(-[^][|]*(?:\|[^][|]*)+)\]' $rest)
        string match -q -- '[*' $g; and continue
        set -l specs
        set -l on
        for alt in (string split '|' -- $g)
            set -l o (__ipc_tools_opt (string split ' ' -- $alt)[1] $opts)
            or continue
            set -a specs $o
            contains -- $o $given; and set on $o
        end
        set -q on[1]; or continue
        for o in $specs
            test "$o" = "$on"; or printf '%s\n' $o
        end
    end
end

# operand number $n (from 0) of the verb, from the usage's operands:
# option groups ([-c N|-f]) and the options it must have (peek -S)
# dropped; NAME|KEY is KEY with -S and NAME without
function __ipc_tools_operand --argument-names cmd verb sysv n want
    set -l operands
    set -l group 0
    for w in $argv[6..-1]
        if test $group = 1
            string match -q -- '*]' $w; and set group 0
        else if string match -q -- '[-*' $w
            string match -q -- '*]' $w; or set group 1
        else if not string match -q -- '-*' $w
            set -a operands $w
        end
    end
    set -q operands[1]; or return
    set -l kind
    if test $n -lt (count $operands)
        set kind $operands[(math $n + 1)]
    else
        set kind $operands[-1]
        string match -q -- '*...' (string trim -r -c ']' -- $kind); or return
    end
    set kind (string trim -c '[]' -- $kind | string replace -r '\.\.\.$' '')
    if string match -q -- '*|*' $kind
        if test "$sysv" = -S
            set kind (string replace -r '^.*\|' '' -- $kind)
        else
            set kind (string replace -r '\|.*$' '' -- $kind)
        end
    end
    switch $kind
        case PATH
            if test "$verb" = create
                # a new one: only where to put it
                __fish_complete_directories (commandline -ct) directory
            else
                __ipc_tools_objects $cmd PATH "$want"
            end
        case NAME
            if test "$sysv" = -F
                # -F: the object is a regular file
                __ipc_tools_objects $cmd FILE "$want"
            else if test "$verb" != create
                __ipc_tools_objects $cmd NAME "$want"
            end
        case KEY
            test "$verb" = create; or __ipc_tools_objects $cmd $kind "$want"
        case ADDR
            __ipc_tools_addrs $cmd "$want"
        case DIR
            __fish_complete_directories (commandline -ct) directory
        case SIG PID PGID TARGET
            __ipc_tools_objects $cmd $kind "$want"
    end
end
