# fish completion for ipc-proc(1): the engine every ipc-tools command shares,
# ipc-tools.fish from this file's own directory, which asks the command
# itself for its verbs, options and objects
source (status dirname)/ipc-tools.fish
complete -c ipc-proc -f -a '(__ipc_tools_complete)'
