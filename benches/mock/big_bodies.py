"""Peak memory of an `orux mock` under many large bodies at once.

Usage: big_bodies.py ORUX PORT [BODIES [MIB]]   (defaults 32 and 20)

Starts `ORUX mock --port PORT`, sends BODIES submits of MIB mebibytes each
at the same time (a Veo body whose inline image fills the size: valid, so
each is read, validated and answered), waits for every answer, and prints
the statuses seen and the server's peak RSS (VmHWM) before and after, in
MiB. The server is stopped at the end. Everything is on 127.0.0.1.
"""
import base64
import collections
import http.client
import socket
import subprocess
import sys
import threading
import time

orux, port = sys.argv[1], int(sys.argv[2])
bodies = int(sys.argv[3]) if len(sys.argv) > 3 else 32
mib = int(sys.argv[4]) if len(sys.argv) > 4 else 20

server = subprocess.Popen([orux, "mock", "--port", str(port)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def peak_mib():
    with open(f"/proc/{server.pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise SystemExit("no VmHWM")


def request(method, path, body=b""):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request(method, path, body=body, headers={
        "Authorization": "Bearer sk-app-bench", "Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    return response.status


for _ in range(5000):
    try:
        request("GET", "/api/v1/tasks/task_01HZX00000000000000000000")
        break
    except OSError:
        time.sleep(0.01)

# A PNG signature, then filler: the payload length makes the body MIB MiB.
prefix = b'{"model":"veo-3.1-fast","prompt":"A paper boat","image":"data:image/png;base64,'
suffix = b'"}'
payload_bytes = (mib * 1024 * 1024 - len(prefix) - len(suffix)) // 4 * 3
payload = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * (payload_bytes - 8))
body = prefix + payload + suffix

before = peak_mib()
statuses = collections.Counter()
lock = threading.Lock()
start = threading.Barrier(bodies)


def send():
    """One submit on a raw socket: the server may answer (503) before the
    body is all sent and close; its answer is read all the same."""
    head = (f"POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-app-bench\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            f"Connection: close\r\n\r\n").encode()
    start.wait()
    with socket.create_connection(("127.0.0.1", port), timeout=120) as stream:
        try:
            stream.sendall(head + body)
        except OSError:
            pass
        answer = b""
        try:
            while chunk := stream.recv(65536):
                answer += chunk
        except OSError:
            pass
    status = answer.split(b" ", 2)[1].decode() if answer.startswith(b"HTTP/1.1 ") else "no answer"
    with lock:
        statuses[status] += 1


threads = [threading.Thread(target=send) for _ in range(bodies)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
after = peak_mib()
server.terminate()
server.wait()
print(f"{bodies} bodies of {len(body) / 2**20:.1f} MiB at once: answers {dict(statuses)}; "
      f"peak RSS {before:.0f} MiB before, {after:.0f} MiB after")
