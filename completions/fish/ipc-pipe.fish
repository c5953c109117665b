# fish completion for ipc-pipe(1)
#
# Everything is asked of the command itself, so the completion can never
# disagree with it: the verbs of `ipc-pipe --help`, each verb's options and
# operands of `ipc-pipe VERB -h`, the fields of -o of the error the command
# gives for an unknown one, and the FIFOs of `ipc-pipe ls -H -o path DIR`.

# the command being completed, as a path; the one on PATH if it is not one
function __ipc_pipe_cmd
    set -l c (commandline -opc)[1]
    if string match -q -- '*/*' $c
        set c (string replace -r '^~/' "$HOME/" -- $c)
        if test -x "$c"
            echo $c
            return
        end
    end
    command -s ipc-pipe
end

# the word under the cursor without its quoting
function __ipc_pipe_token
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

# the verbs, with their usage as the description
function __ipc_pipe_verbs --argument-names cmd
    for line in ($cmd --help 2>/dev/null)
        if string match -rq '^\s+\S+\s+(?<v>[a-z][a-z0-9-]*)(?<rest>.*)$' -- $line
            printf '%s\t%s\n' $v (string trim -- "$v$rest")
        end
    end
end

# the fields -o of the verb takes
function __ipc_pipe_fields --argument-names cmd verb
    set -l msg ($cmd $verb -o '?' /dev/null 2>&1 >/dev/null)
    set -l m (string match -r '\(fields: ([^)]*)\)' -- "$msg")
    or return
    string split ', ' -- $m[2]
end

# FIFOs in the directory part of the word, and directories to descend into
function __ipc_pipe_fifos --argument-names cmd want
    set -l dir
    if string match -q -- '*/*' $want
        set dir (string replace -r '[^/]*$' '' -- $want)
    end
    set -l qdir $dir
    test -n "$qdir"; or set qdir .
    set qdir (string replace -r '^~/' "$HOME/" -- $qdir)
    for line in ($cmd ls -H -o path -- $qdir 2>/dev/null)
        # the command writes blanks, controls and \ as \ooo
        set line (printf '%b' $line | string collect)
        if test -z "$dir"
            set line (string replace -r '^\./' '' -- $line)
        else
            set line $dir(string sub -s (math (string length -- $qdir) + 1) -- $line)
        end
        printf '%s\tFIFO\n' $line
    end
    __fish_complete_directories (commandline -ct) directory
end

# the value of an option that takes an ARG: LIST, PATH, DIR or none
function __ipc_pipe_optarg --argument-names cmd verb arg want
    switch $arg
        case LIST
            set -l pre (string replace -r '[^,]*$' '' -- $want)
            for f in (__ipc_pipe_fields $cmd $verb)
                echo $pre$f
            end
        case PATH
            __ipc_pipe_fifos $cmd "$want"
        case DIR
            __fish_complete_directories (commandline -ct) directory
    end
end

# what may come at the cursor of an ipc-pipe command line
function __ipc_pipe_complete
    set -l cmd (__ipc_pipe_cmd)
    or return
    set -l words (commandline -opc)
    set -l want (__ipc_pipe_token)
    set want "$want"
    if test (count $words) -eq 1
        if string match -q -- '-*' $want
            printf '%s\t%s\n' -h 'usage of every verb' --help 'usage of every verb' \
                -V 'the version' --version 'the version'
        else
            __ipc_pipe_verbs $cmd
        end
        return
    end
    set -l verb $words[2]
    string match -q -- '-*' $verb; and return

    # the verb's usage and options: "-t --timeout DUR desc"
    set -l usage
    set -l opts
    for line in ($cmd $verb -h 2>/dev/null)
        if not set -q usage[1]; and string match -q 'usage: *' -- $line
            set usage (string split -n ' ' -- $line)
        else if string match -rq '^  (?:-(?<s>.), |    )--(?<lo>\S+)(?: (?<a>[A-Z][A-Z0-9_]*))?\s+(?<d>.*)$' -- $line
            test -n "$s"; or set s -
            test -n "$a"; or set a -
            set -a opts "$s"\t"$lo"\t"$a"\t"$d"
        end
    end
    set -q usage[1]; or return
    set -l operands $usage[4..-1] # after "usage: ipc-pipe VERB"

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
            if not string match -q -- '*=*' $w
                set need (__ipc_pipe_opt $w $opts)
            end
        else
            set -l len (string length -- $w)
            for i in (seq 2 $len)
                set -l o (__ipc_pipe_opt -(string sub -s $i -l 1 -- $w) $opts)
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
        __ipc_pipe_optarg $cmd $verb $f[3] "$want"
    else if test $ddash = 0; and string match -q -- '--*=*' $want
        set -l name (string replace -r '=.*' '' -- $want)
        set -l o (__ipc_pipe_opt $name $opts)
        or return
        set -l f (string split \t -- $o)
        set -l value (string replace -r '^[^=]*=' '' -- $want)
        for v in (__ipc_pipe_optarg $cmd $verb $f[3] "$value")
            echo $name=$v
        end
    else if test $ddash = 0; and string match -q -- '-*' $want
        for o in $opts
            set -l f (string split \t -- $o)
            test "$f[1]" != -; and printf '%s\t%s\n' -$f[1] $f[4]
            printf '%s\t%s\n' --$f[2] $f[4]
        end
    else
        __ipc_pipe_operand $cmd $verb $n "$want" $operands
    end
end

# the spec in the rest of argv of option $argv[1] (-x, --name or a
# unique prefix of --name); fails for none or several
function __ipc_pipe_opt
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

# operand number $n (from 0) of the verb, from the usage's operands
function __ipc_pipe_operand --argument-names cmd verb n want
    set -l operands
    set -l group 0
    for w in $argv[5..-1]
        if test $group = 1
            string match -q -- '*]' $w; and set group 0
        else if string match -q -- '[-*' $w
            string match -q -- '*]' $w; or set group 1
        else
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
    switch $kind
        case PATH
            if test "$verb" = create
                # a new name: only where to put it
                __fish_complete_directories (commandline -ct) directory
            else
                __ipc_pipe_fifos $cmd "$want"
            end
        case DIR
            __fish_complete_directories (commandline -ct) directory
    end
end

complete -c ipc-pipe -f -a '(__ipc_pipe_complete)'
