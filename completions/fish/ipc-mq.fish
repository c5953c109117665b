# fish completion for ipc-mq(1): verbs, each verb's options, and the
# names of existing queues (System V keys with -S), asked of ipc-mq ls.

# -S or --sysv, alone or in a cluster (-Sv)
function __ipc_mq_sysv
    string match -qr -- '^(-[^-]*S|--sysv$)' (commandline -opc)
end

function __ipc_mq_queues
    if __ipc_mq_sysv
        # a private queue has no key: it is named by id
        ipc-mq ls -S -H -o key,id 2>/dev/null | awk '{ print ($1 == "0x00000000") ? "id:" $2 : $1 }'
    else if string match -q -- '/*' (commandline -ct)
        ipc-mq ls -H -o name 2>/dev/null
    else
        # "jobs" and "/jobs" are the same queue: offer the form begun
        ipc-mq ls -H -o name 2>/dev/null | string replace -r '^/' ''
    end
end

# the queue operand: the first one, or any for rm
function __ipc_mq_wants_queue
    set -l words (commandline -opc)
    set -l verb $words[2]
    contains -- $verb send recv peek rm stat; or return 1
    test $verb = rm; and return 0
    set -l n 0
    set -l skip 0
    for w in $words[3..-1]
        if test $skip = 1
            set skip 0
        else if string match -qr -- '^(-[mqspTtco]|--(mode|maxmsg|size|priority|type|timeout|count|output))$' $w
            set skip 1
        else if not string match -q -- '-*' $w
            set n (math $n + 1)
        end
    end
    test $n = 0
end

function __ipc_mq_fields
    set -l tok (commandline -ct)
    # an empty list would make $pre$f empty too: '' where there is no comma
    set -l pre (string match -r '^.*,' -- $tok; or echo '')
    set -l fields name maxmsg msgsize curmsgs qsize mode owner group notify_pid holders
    if __ipc_mq_sysv
        set fields key id qnum qbytes cbytes lspid lrpid stime rtime ctime mode owner group
    end
    for f in $fields
        echo $pre$f
    end
end

set -l verbs create send recv peek rm stat ls
complete -c ipc-mq -f
complete -c ipc-mq -n "not __fish_seen_subcommand_from $verbs" -a create -d 'make a queue'
complete -c ipc-mq -n "not __fish_seen_subcommand_from $verbs" -a send -d 'send messages'
complete -c ipc-mq -n "not __fish_seen_subcommand_from $verbs" -a recv -d 'receive messages'
complete -c ipc-mq -n "not __fish_seen_subcommand_from $verbs" -a peek -d 'read System V messages without taking them'
complete -c ipc-mq -n "not __fish_seen_subcommand_from $verbs" -a rm -d 'remove queues'
complete -c ipc-mq -n "not __fish_seen_subcommand_from $verbs" -a stat -d 'show a queue'
complete -c ipc-mq -n "not __fish_seen_subcommand_from $verbs" -a ls -d 'list every queue'
complete -c ipc-mq -n "not __fish_seen_subcommand_from $verbs" -s V -l version -d 'show the version'
complete -c ipc-mq -s h -l help -d 'show the usage'

complete -c ipc-mq -n "__fish_seen_subcommand_from $verbs" -s S -l sysv -d 'System V: the operand is a key'
complete -c ipc-mq -n '__fish_seen_subcommand_from create' -s m -l mode -x -d 'octal permissions'
complete -c ipc-mq -n '__fish_seen_subcommand_from create' -s x -l exist-ok -d 'succeed if it exists'
complete -c ipc-mq -n '__fish_seen_subcommand_from create' -s q -l maxmsg -x -d 'messages the queue holds'
complete -c ipc-mq -n '__fish_seen_subcommand_from create' -s s -l size -x -d 'largest message, or qbytes with -S'
complete -c ipc-mq -n '__fish_seen_subcommand_from send' -s p -l priority -x -d 'priority, 0 to 32767'
complete -c ipc-mq -n '__fish_seen_subcommand_from send recv' -s T -l type -x -d 'System V message type'
complete -c ipc-mq -n '__fish_seen_subcommand_from send recv' -s t -l timeout -x -d 'bound each wait'
complete -c ipc-mq -n '__fish_seen_subcommand_from send' -s l -l lines -d 'each line of stdin is a message'
complete -c ipc-mq -n '__fish_seen_subcommand_from send recv peek' -s 0 -l null -d 'NUL-ended records'
complete -c ipc-mq -n '__fish_seen_subcommand_from recv peek' -s c -l count -x -d 'receive N messages'
complete -c ipc-mq -n '__fish_seen_subcommand_from recv' -s f -l follow -d 'keep receiving'
complete -c ipc-mq -n '__fish_seen_subcommand_from recv peek' -s v -l verbose -d 'priority or type before each message'
complete -c ipc-mq -n '__fish_seen_subcommand_from recv peek' -s r -l raw -d 'nothing after each message'
complete -c ipc-mq -n '__fish_seen_subcommand_from recv peek stat ls' -s j -l json -d 'JSON output'
complete -c ipc-mq -n '__fish_seen_subcommand_from rm' -s f -l force -d 'no error for a missing queue'
complete -c ipc-mq -n '__fish_seen_subcommand_from stat ls' -s o -l output -x -a '(__ipc_mq_fields)' -d 'only these fields'
complete -c ipc-mq -n '__fish_seen_subcommand_from ls' -s H -l no-header -d 'no header line'
complete -c ipc-mq -n __ipc_mq_wants_queue -a '(__ipc_mq_queues)' -d queue
