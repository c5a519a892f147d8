#!/usr/bin/env python3
"""A hostile police implementation for the police suite (tests/police_suite, hostile triggers).

Before it runs the case with the reference client (`BINARY police lookup`, argv[1]), it sends
every mock of the scenario's ecosystem (Maskinporten, registry, datakatalog and each bank the
datakatalog lists) hostile framing: a chunk size that overflows, a body shorter than its
Content-Length followed by a close, and a head declaring an 800 MB body. Each mock must refuse
the 800 MB body with 413 while only the head has been sent, and must still answer a GET after
all three; otherwise this exits 1 naming the mock (the scenario then fails with that evidence).
"""
import json
import os
import socket
import sys
import urllib.request


def addr(url):
    host_port = url.split("//", 1)[1].split("/", 1)[0]
    host, _, port = host_port.rpartition(":")
    return host, int(port)


def exchange(target, data, half_close=False, timeout=10.0):
    try:
        s = socket.create_connection(target, timeout=5)
    except OSError as e:
        return f"(connect failed: {e})"
    s.settimeout(timeout)
    try:
        s.sendall(data)
        if half_close:
            s.shutdown(socket.SHUT_WR)
        answer = s.recv(4096)
    except OSError as e:
        answer = f"({e})".encode()
    finally:
        s.close()
    return answer.decode(errors="replace")


def main():
    binary = sys.argv[1]
    catalog = os.environ["DSOP_CATALOG_URL"].rstrip("/")
    urls = {
        "maskinporten": os.environ["DSOP_MASKINPORTEN_URL"],
        "registry": os.environ["DSOP_REGISTRY_URL"],
        "datakatalog": catalog,
    }
    with urllib.request.urlopen(catalog + "/datakatalog/v1/endpoints", timeout=10) as r:
        for entry in json.load(r):
            urls["bank " + entry["orgNo"]] = entry["url"]
    for name, url in urls.items():
        target = addr(url)
        head = f"POST / HTTP/1.1\r\nHost: {target[0]}\r\n"
        exchange(target, (head + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFFFFFF\r\nabc\r\n").encode(), True)
        exchange(target, (head + "Content-Length: 1000\r\n\r\nshort").encode(), True)
        answer = exchange(target, (head + "Content-Length: 800000000\r\n\r\n").encode())
        if not answer.startswith("HTTP/1.1 413"):
            print(f"{name} at {url}: an 800 MB body was not refused 413 before it was sent: {answer[:80]!r}", file=sys.stderr)
            return 1
        answer = exchange(target, f"GET / HTTP/1.1\r\nHost: {target[0]}\r\nConnection: close\r\n\r\n".encode())
        if not answer.startswith("HTTP/1.1 "):
            print(f"{name} at {url}: no longer answers after hostile framing: {answer[:80]!r}", file=sys.stderr)
            return 1
    os.execv(binary, [binary, "police", "lookup"])


if __name__ == "__main__":
    sys.exit(main())
