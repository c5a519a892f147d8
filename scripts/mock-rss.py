#!/usr/bin/env python3
"""Peak RSS of `dsop-harness mocks serve` while it receives an 800 MB request body.

Usage: scripts/mock-rss.py BINARY TRUST_DIR [FRONT_END]
Starts `mocks serve --banks 4` (banks on FRONT_END, default: the binary's default), reads the
manifest, sends a few ordinary requests, reads VmRSS/VmHWM from /proc/PID/status (idle), then
POSTs 800 MB (1) with Content-Length to Maskinporten /token, (2) chunked to Maskinporten
/token, (3) with Content-Length to the first bank, (4) chunked to the first bank, each
streamed from a 1 MiB buffer until the server answers or closes; prints the bytes the client
got out, the first answer line, and VmRSS/VmHWM after each.
"""
import json, os, signal, socket, subprocess, sys, time, urllib.request

BODY = 800_000_000
STDERR = os.path.join(os.environ.get("TMPDIR", "/tmp"), "mock-rss-stderr.txt")
binary, trust = sys.argv[1], sys.argv[2]
args = [binary, "mocks", "serve", "--banks", "4", "--trust-dir", trust]
if len(sys.argv) > 3:
    args += ["--front-end", sys.argv[3]]
proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=open(STDERR, "w"), text=True)
text = ""
for line in proc.stdout:
    text += line
    if line.rstrip() == "}":
        break
manifest = json.loads(text)

def status():
    fields = {}
    with open(f"/proc/{proc.pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                fields[k] = int(v.split()[0]) / 1024
    return fields

def post(url, chunked):
    host, port = url.split("//")[1].split("/")[0].split(":")
    path = "/" + "/".join(url.split("//")[1].split("/")[1:])
    s = socket.create_connection((host, int(port)))
    s.settimeout(120)
    head = f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    head += "Transfer-Encoding: chunked\r\n\r\n" if chunked else f"Content-Length: {BODY}\r\n\r\n"
    s.sendall(head.encode())
    chunk = b"a" * (1 << 20)
    sent = 0
    try:
        while sent < BODY:
            data = (b"%x\r\n" % len(chunk) + chunk + b"\r\n") if chunked else chunk
            s.sendall(data)
            sent += len(chunk)
        if chunked:
            s.sendall(b"0\r\n\r\n")
    except OSError:
        pass
    try:
        answer = s.recv(200).split(b"\r\n")[0].decode(errors="replace")
    except OSError as e:
        answer = f"({e})"
    s.close()
    return sent, answer

for _ in range(3):
    urllib.request.urlopen(manifest["maskinporten"]["metadata"]).read()
    urllib.request.urlopen(manifest["datakatalog"]["endpoints"]).read()
time.sleep(1)
idle = status()
print(f"pid {proc.pid}; idle: VmRSS {idle['VmRSS']:.1f} MB, VmHWM {idle['VmHWM']:.1f} MB")
bank = manifest["banks"][0]["url"] + "/accounts"
for name, url, chunked in [
    ("maskinporten /token, Content-Length 800 MB", manifest["maskinporten"]["tokenEndpoint"], False),
    ("maskinporten /token, chunked 800 MB", manifest["maskinporten"]["tokenEndpoint"], True),
    ("bank /v2/accounts, Content-Length 800 MB", bank, False),
    ("bank /v2/accounts, chunked 800 MB", bank, True),
]:
    start = time.time()
    sent, answer = post(url, chunked)
    time.sleep(0.5)
    st = status()
    print(f"{name}: client got {sent/1e6:.1f} MB out in {time.time()-start:.1f} s, answer {answer!r}; "
          f"VmRSS {st['VmRSS']:.1f} MB, VmHWM {st['VmHWM']:.1f} MB (peak +{st['VmHWM']-idle['VmHWM']:.1f} MB over idle)")
urllib.request.urlopen(manifest["maskinporten"]["metadata"]).read()
print("still answering after: yes")
proc.send_signal(signal.SIGINT)
proc.wait(timeout=20)
print("exit", proc.returncode, "; 'panicked' in stderr:", "panicked" in open(STDERR).read())
