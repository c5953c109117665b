#!/bin/sh
# make demo: every built command at work on real objects, each step
# printed before it runs. Everything it makes is removed at the end.
set -eu
cd "$(dirname "$0")/.."
PATH="$PWD/bin:$PATH"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM

say() { printf '\n# %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; sh -c "$*"; }

cd "$dir"
if [ -x "$OLDPWD/bin/ipc-pipe" ]; then
	say "ipc-pipe: named pipes. Make one (mode 0600 unless -m says otherwise)"
	run "ipc-pipe create jobs"
	run "ls -l jobs"
	say "hold it open (as a service would), send three lines, take exactly two"
	exec 3<>jobs
	run "printf 'build\ntest\ndeploy\n' | ipc-pipe send -l jobs"
	run "ipc-pipe recv -c 2 jobs"
	say "the third line is still buffered, for the next reader"
	run "ipc-pipe stat -o bytes,capacity,readers jobs"
	run "ipc-pipe recv -c 1 jobs"
	exec 3>&-
	say "every pipe a process holds, anonymous ones too"
	run "sleep 2 | sleep 3 & sleep 0.2; ipc-pipe ls -H -o kind,readers,writers,path | awk '\$2 ~ /[(]sleep[)]\$/' | tr -s ' '"
	say "a bounded wait: nobody reads, so send gives up with status 124"
	run "ipc-pipe send -t 300ms jobs hello; echo \"exit status \$?\""
	say "why is my script stuck? a writer waits in open(2) for a reader: stat shows it"
	run "(echo stuck > jobs &); sleep 0.2; ipc-pipe stat -o readers,writers,waiting_writers jobs | sed 's/[0-9]*(/PID(/'; cat jobs"
	say "two commands feeding each other"
	run "ipc-pipe loop 'echo 3; while read n; do [ \$n -le 0 ] && exit; echo \$((n-1)); done' 'while read n; do echo \"countdown \$n\" >&2; echo \$n; done'"
	run "ipc-pipe rm jobs"
fi
if [ -x "$OLDPWD/bin/ipc-mq" ]; then
	say "ipc-mq: POSIX message queues, highest priority first"
	run "ipc-mq create -M 8 -s 256 demo$$"
	run "ipc-mq send -p 1 demo$$ 'low'; ipc-mq send -p 9 demo$$ 'urgent'"
	run "ipc-mq stat -o maxmsg,msgsize,curmsgs demo$$"
	run "ipc-mq recv -v -c 2 demo$$"
	say "workers: two share five jobs, each takes one only when done with the last"
	run "seq 5 | ipc-mq send -l demo$$; for w in A B; do ipc-mq recv -f -t 300ms -e \"echo worker \$w: job \\\$(cat)\" demo$$ & done; wait"
	run "ipc-mq rm demo$$"
	say "System V queues with -S: typed messages, and a peek that takes nothing"
	run "id=\$(ipc-mq create -S private); echo \"new queue id:\$id\"; ipc-mq send -S -T 2 id:\$id two; ipc-mq send -S -T 1 id:\$id one; ipc-mq peek -S -v -c 2 id:\$id; ipc-mq recv -S -T 1 id:\$id; ipc-mq rm -S id:\$id"
fi
if [ -x "$OLDPWD/bin/ipc-shm" ]; then
	say "ipc-shm: shared memory written and read from the shell"
	run "ipc-shm create -s 64K demo$$"
	run "ipc-shm send -O 8 demo$$ hello; ipc-shm recv -O 8 -c 5 demo$$; echo"
	run "ipc-shm send -O 65534 demo$$ toolong || echo refused, nothing written"
	run "ipc-shm stat -o size,allocated,mode demo$$"
	run "ipc-shm rm demo$$"
	say "System V segments with -S: through shmat"
	run "id=\$(ipc-shm create -S -s 4K private); ipc-shm send -S id:\$id segment; ipc-shm recv -S -c 7 id:\$id; echo; ipc-shm rm -S id:\$id"
fi
if [ -x "$OLDPWD/bin/ipc-sem" ]; then
	say "ipc-sem: a counting semaphore; run holds a unit while a command runs"
	run "for i in 1 2 3 4 5; do ipc-sem run -i 2 demo$$ -- sh -c 'echo \"job \$0 in: \$(ipc-sem stat -o value demo$$)\"; sleep 0.2' \$i & done; wait"
	run "ipc-sem stat -o value,mode demo$$"
	say "a wait bounded by -t: nothing free, so it gives up with status 124"
	run "ipc-sem create -i 0 gate$$; ipc-sem wait -t 200ms gate$$; echo \"exit status \$?\""
	run "ipc-sem post -c 2 gate$$; ipc-sem wait -c 2 gate$$ && echo took two"
	run "ipc-sem rm demo$$ gate$$"
	say "System V with -S: run takes its unit with SEM_UNDO, so even SIGKILL gives it back"
	run "id=\$(ipc-sem create -S private); ipc-sem run -S id:\$id -- sh -c 'kill -9 \$\$'; ipc-sem stat -S -o value id:\$id; ipc-sem rm -S id:\$id"
fi
if [ -x "$OLDPWD/bin/ipc-sock" ]; then
	say "ipc-sock: a server with a command per connection, told who connects"
	run "ipc-sock listen -1 -e 'echo \"hello uid \$IPC_PEER_UID\"; tr a-z A-Z' app.sock & while [ ! -S app.sock ]; do sleep 0.01; done; sleep 0.05; echo 'shout this' | ipc-sock connect app.sock; wait"
	say "datagrams keep their boundaries; -v says who sent each"
	run "ipc-sock recv -c 2 -v --type dgram @demo$$ & sleep 0.1; ipc-sock send --type dgram @demo$$ one 'two words'; wait"
	say "an open file handed to another process, which runs a command with it as fd 3"
	run "echo 'a secret line' > secret; ipc-sock recv --take-fd fd.sock -- sh -c 'cat <&3' & while [ ! -S fd.sock ]; do sleep 0.01; done; sleep 0.05; ipc-sock send --pass-fd 3 fd.sock 3< secret; wait"
fi
if [ -x "$OLDPWD/bin/ipc-sig" ]; then
	say "ipc-sig: a signal waited for, and who sent it"
	run "ipc-sig recv -v -c 2 -P sig$$.pid USR1 RTMIN & while [ ! -s sig$$.pid ]; do sleep 0.01; done; ipc-sig send USR1 @sig$$.pid; ipc-sig send -q 42 RTMIN @sig$$.pid; wait"
	run "ipc-sig send 0 \$\$ && echo this shell lives"
	run "ipc-sig ls -o number,name,action | sed -n '1,4p'"
	say "run: a command started with only SIGUSR1 and SIGUSR2 blocked, whatever it was given"
	run "ipc-sig run --unblock all --block USR1,USR2 -- sh -c 'exec ipc-sig ls -o blocked \$\$'"
	say "watch: who signals a running process; the signal goes on unchanged, and watch lets go"
	run "sleep 30 & t=\$!; ipc-sig watch -t 5 \$t & for i in \$(seq 200); do grep -q '^TracerPid:[[:space:]]*[1-9]' /proc/\$t/status && break; sleep 0.01; done; kill -CONT \$t; wait \$!; grep TracerPid /proc/\$t/status; kill \$t"
fi
if [ -x "$OLDPWD/bin/ipc-proc" ]; then
	say "ipc-proc: why is it stuck? two flock(1) commands, each holding one lock and waiting for the other's"
	run "flock -o a sh -c 'sleep 0.3; exec flock b true' & flock -o b sh -c 'sleep 0.3; exec flock a true' & echo \$! > b.pid; for i in \$(seq 100); do ipc-proc why --check \$(cat b.pid) && break; sleep 0.05; done"
	run "ipc-proc why \$(cat b.pid)"
	run "ipc-proc why --check \$(cat b.pid); echo \"exit status \$? (0: a proven deadlock)\""
	say "every process blocked in IPC, the deadlocked ones marked"
	run "ipc-proc ls -o pid,command,waits,asleep,deadlock | awk 'NR == 1 || /flock/'"
	say "undone: end one of them, and the other takes its lock and finishes"
	run "kill \$(cat b.pid); timeout 5 flock a true && timeout 5 flock b true && echo 'both locks are free again'"
	say "who talks to whom: a pipeline, as a tree (--format dot draws it with Graphviz)"
	run "{ sleep 1 | sort | cat; } </dev/null >/dev/null 2>&1 & sleep 0.2; ipc-proc map \$!; wait"
fi
say "done: every object made here has been removed"
