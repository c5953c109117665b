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
unixpeer.py fdat PATH
    one connection: read it one byte at a time to its end, and print
    "fds at N: " and what they hold for each byte N that brought
    descriptors, then "got " and the bytes.
unixpeer.py client-fdat PATH
    connect, send "abc", "def" with a pipe that holds "passed", and
    "ghi", each with a sendmsg(2) of its own, then shut down.
unixpeer.py records PATH
    listen on a seqpacket socket; one connection: print the length of
    each record, one line, until a record "end".
unixpeer.py client-records PATH
    connect to a seqpacket socket and send the records "a", "" (empty),
    100000 bytes of "x", and "end", then shut down.
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
    try:
        c.sendall(b"pid=%d uid=%d got=" % (pid, uid) + data)
    except OSError:         # a client cut off still leaves a server
        pass
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


def fdat(path):
    s = listen(path)
    c, _ = s.accept()
    data = b""
    while True:
        b, got, _, _ = socket.recv_fds(c, 1, 16)
        if got:
            held = b"".join(os.read(fd, 4096) for fd in got)
            print("fds at %d: %s" % (len(data), held.decode()), flush=True)
        if not b:
            break
        data += b
    print("got", data.decode(), flush=True)


def client_fdat(path):
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.connect(path)
    r, w = os.pipe()
    os.write(w, b"passed")
    os.close(w)
    c.send(b"abc")
    socket.send_fds(c, [b"def"], [r])
    c.send(b"ghi")
    c.shutdown(socket.SHUT_WR)


def records(path):
    s = listen(path, socket.SOCK_SEQPACKET)
    c, _ = s.accept()
    lens = []
    while not lens or lens[-1] != b"end":
        lens.append(c.recv(1 << 20))
    print(" ".join(str(len(b)) for b in lens), flush=True)


def client_records(path):
    c = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    c.connect(path)
    for b in (b"a", b"", b"x" * 100000, b"end"):
        c.send(b)
    c.shutdown(socket.SHUT_WR)


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
    elif verb == "fdat":
        fdat(path)
    elif verb == "client-fdat":
        client_fdat(path)
    elif verb == "records":
        records(path)
    elif verb == "client-records":
        client_records(path)
    elif verb == "seqpacket":
        s = listen(path, socket.SOCK_SEQPACKET)
        signal.pause()
        s.close()


main()
