/*
 * The raw reference for connections per second: what `ipc-sock listen
 * -e CMD PATH` does for each connection, and nothing more. Bind and
 * listen on a Unix stream socket at PATH, then loop: accept, ask the
 * peer's credentials (SO_PEERCRED) and address, build the environment
 * (ours with IPC_PEER_PID, IPC_PEER_UID, IPC_PEER_GID and IPC_PEER_ADDR
 * added) in the parent, vfork, and in the child put the connection on
 * stdin and stdout, in a process group of its own, and exec `sh -c
 * CMD`; the parent closes its copy and reaps, without waiting, whatever
 * has ended. Runs until killed.
 *
 *	conn_raw PATH CMD
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int
main(int argc, char *argv[])
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX }, peer;
	char pid[32], uid[32], gid[32], addr[sizeof(peer.sun_path) + 16];
	char **env;
	struct ucred uc;
	socklen_t len;
	size_t n, i, k;
	pid_t p;
	int lfd, fd;

	if (argc != 3 || strlen(argv[1]) >= sizeof(sun.sun_path))
		errx(2, "usage: conn_raw PATH CMD");
	strcpy(sun.sun_path, argv[1]);
	if ((lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(lfd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(lfd, SOMAXCONN) == -1)
		err(1, "%s", argv[1]);
	for (n = 0; environ[n] != NULL; n++)
		;
	if ((env = calloc(n + 5, sizeof(*env))) == NULL)
		err(1, "calloc");
	for (;;) {
		if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) == -1)
			err(1, "accept");
		len = sizeof(uc);
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == -1)
			err(1, "SO_PEERCRED");
		len = sizeof(peer);
		if (getpeername(fd, (struct sockaddr *)&peer, &len) == -1)
			err(1, "getpeername");
		snprintf(pid, sizeof(pid), "IPC_PEER_PID=%ld", (long)uc.pid);
		snprintf(uid, sizeof(uid), "IPC_PEER_UID=%lu",
		    (unsigned long)uc.uid);
		snprintf(gid, sizeof(gid), "IPC_PEER_GID=%lu",
		    (unsigned long)uc.gid);
		snprintf(addr, sizeof(addr), "IPC_PEER_ADDR=%.*s",
		    len > sizeof(sa_family_t) ?
		    (int)(len - sizeof(sa_family_t)) : 0, peer.sun_path);
		for (i = k = 0; i < n; i++)
			if (strncmp(environ[i], "IPC_PEER_", 9) != 0)
				env[k++] = environ[i];
		env[k++] = pid;
		env[k++] = uid;
		env[k++] = gid;
		env[k++] = addr;
		env[k] = NULL;
		if ((p = vfork()) == -1)
			err(1, "vfork");
		if (p == 0) {
			if (setpgid(0, 0) == -1 || dup2(fd, 0) == -1 || dup2(fd, 1) == -1)
				_exit(125);
			execve("/bin/sh", (char *[]){ "sh", "-c", argv[2],
			    NULL }, env);
			_exit(127);
		}
		close(fd);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
}
