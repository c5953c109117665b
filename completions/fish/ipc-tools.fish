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

# -S if the line asks for System V (-S, --sysv, alone or in a cluster
# like -jS): options may come after the operands, so every word after the
# verb but the one being completed counts, up to --
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
    for w in $words[3..-1]
        test "x$w" = x--; and break
        if string match -qr -- '^(-[^-]*S|--sy(s|sv)?$)' $w
            echo -S
            return
        end
    end
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
    test -n "$sysv"; and set S -S
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
# like where the word begins with SIG
function __ipc_tools_sigs --argument-names cmd want
    set -l pre
    string match -q -- 'SIG*' $want; and set pre SIG
    for line in ($cmd ls -H -o name,description 2>/dev/null)
        # the name, then the description's words (controls and \ as \ooo)
        set -l w (string split -n ' ' -- $line)
        printf '%s%s\t%s\n' "$pre" $w[1] \
            (__ipc_tools_unescape (string join ' ' -- $w[2..-1]))
    end
end

# the processes, each described by its command, from /proc/PID/stat
# ("PID (COMM) STATE PPID ..."), read by one cat, which is quiet about
# those gone meanwhile: not the kernel's own threads, kthreadd (2) and
# its children, which no signal or tracer reaches
function __ipc_tools_pids
    set -l stats (string match -r '^/proc/\d+/stat$' -- /proc/*/stat)
    set -q stats[1]; or return
    for line in (cat $stats 2>/dev/null)
        set -l f (string match -r '^(\d+) \((.*)\) \S+ (\d+) ' -- $line)
        or continue
        test $f[2] = 2 -o $f[4] = 2; and continue
        printf '%s\t%s\n' $f[2] $f[3]
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

# the objects of kind $kind: PATH (FIFOs), NAME, KEY, DIR, SIG, or PID
# and TARGET (processes)
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
        case SIG
            __ipc_tools_sigs $cmd "$want"
        case PID TARGET
            __ipc_tools_pids
    end
end

# the value of an option that takes an ARG: LIST, PATH, DIR, TYPE, FORMAT,
# PID or none
function __ipc_tools_optarg --argument-names cmd verb sysv arg want
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
            printf '%s\n' stream dgram seqpacket
        case FORMAT
            __ipc_tools_formats $cmd $verb
        case PID
            __ipc_tools_pids
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
    test -n "$sysv"; and set S -S

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
    for w in $words[3..-1]
        if set -q need[1]
            set need
        else if test $ddash = 1; or not string match -q -- '-?*' $w
            set n (math $n + 1)
        else if test "$w" = --
            set ddash 1
        else if string match -q -- '--*' $w
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
        __ipc_tools_optarg $cmd $verb "$sysv" $f[3] "$want"
    else if test $ddash = 0; and string match -q -- '--*=*' $want
        set -l name (string replace -r '=.*' '' -- $want)
        set -l o (__ipc_tools_opt $name $opts)
        or return
        set -l f (string split \t -- $o)
        set -l value (string replace -r '^[^=]*=' '' -- $want)
        for v in (__ipc_tools_optarg $cmd $verb "$sysv" $f[3] "$value")
            echo $name=$v
        end
    else if test $ddash = 0; and string match -q -- '-*' $want
        for o in $opts
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
        if test -n "$sysv"
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
        case NAME KEY
            test "$verb" = create; or __ipc_tools_objects $cmd $kind "$want"
        case ADDR
            __ipc_tools_addrs $cmd "$want"
        case DIR
            __fish_complete_directories (commandline -ct) directory
        case SIG PID TARGET
            __ipc_tools_objects $cmd $kind "$want"
    end
end
