#!/usr/bin/env python3
"""Unix stream servers and a client that are not ipc-tools' code.

unixpeer.py serve PATH
    each connection, one after another: read to its end, then reply
    "pid=P uid=U got=" and the bytes, P and U as SO_PEERCRED says.
    Prints "ready" once it listens and "accepted" for each connection.
unixpeer.py once PATH
    as serve, for one connection; then it closes the listener and waits
    to be killed, its socket file left behind (stale).
unixpeer.py fds PATH
    one connection: take the descriptors that come with its first bytes,
    print "held: " and what they hold, reply "N fds: " and the same, and
    pass back a pipe that holds "from the server".
unixpeer.py client-fds PATH
    connect, send "hi" with a pipe that holds "from the client", print
    what comes back and what the descriptor passed with it holds.
unixpeer.py seqpacket PATH
    listen on a seqpacket socket, and wait to be killed.
The servers never remove their socket file, as many servers do not.
"""
import os
import signal
import socket
import struct
import sys


def listen(path, kind=socket.SOCK_STREAM):
    s = socket.socket(socket.AF_UNIX, kind)
    s.bind(path)
    s.listen(16)
    print("ready", flush=True)
    return s


def serve_one(s):
    c, _ = s.accept()
    print("accepted", flush=True)
    pid, uid, _ = struct.unpack("3i", c.getsockopt(
        socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
    data = b""
    while True:
        b = c.recv(65536)
        if not b:
            break
        data += b
    c.sendall(b"pid=%d uid=%d got=" % (pid, uid) + data)
    c.close()


def fds(path):
    s = listen(path)
    c, _ = s.accept()
    msg, got, _, _ = socket.recv_fds(c, 1024, 16)
    held = b"".join(os.read(fd, 4096) for fd in got)
    print("held:", held.decode(), flush=True)
    r, w = os.pipe()
    os.write(w, b"from the server")
    os.close(w)
    socket.send_fds(c, [b"%d fds: " % len(got) + held], [r])
    c.close()


def client_fds(path):
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.connect(path)
    r, w = os.pipe()
    os.write(w, b"from the client")
    os.close(w)
    socket.send_fds(c, [b"hi"], [r])
    c.shutdown(socket.SHUT_WR)
    msg, got, _, _ = socket.recv_fds(c, 1024, 16)
    print(msg.decode(), "/", b"".join(os.read(fd, 4096) for fd in got)
          .decode(), flush=True)


def main():
    verb, path = sys.argv[1], sys.argv[2]
    if verb == "serve":
        s = listen(path)
        while True:
            serve_one(s)
    elif verb == "once":
        s = listen(path)
        serve_one(s)
        s.close()
        signal.pause()
    elif verb == "fds":
        fds(path)
    elif verb == "client-fds":
        client_fds(path)
    elif verb == "seqpacket":
        s = listen(path, socket.SOCK_SEQPACKET)
        signal.pause()
        s.close()


main()
