#!/usr/bin/env python3
"""Sends exactly N requests over one keep-alive connection and checks each answer's status
(bench/callgrind.sh: a fixed request count, so instructions per request = total / N).
Usage: keepalive_client.py PORT N PATH [METHOD] [BODY] [HEADER: value]..."""
import socket
import sys

port, n, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
method = sys.argv[4] if len(sys.argv) > 4 else "GET"
body = sys.argv[5].encode() if len(sys.argv) > 5 else b""
headers = "".join(h + "\r\n" for h in sys.argv[6:])
if body:
    headers += "Content-Type: application/json\r\nContent-Length: %d\r\n" % len(body)
req = ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n" % (method, path, headers)).encode() + body

s = socket.create_connection(("127.0.0.1", port))
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
buf = b""
statuses = {}
for _ in range(n):
    s.sendall(req)
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            sys.exit("connection closed")
        buf += chunk
    head, _, buf = buf.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v)
    while len(buf) < length:
        chunk = s.recv(65536)
        if not chunk:
            sys.exit("connection closed")
        buf += chunk
    buf = buf[length:]
    statuses[status] = statuses.get(status, 0) + 1
print(" ".join("%d:%d" % kv for kv in sorted(statuses.items())))
