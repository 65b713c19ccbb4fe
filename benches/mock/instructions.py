"""Instructions an `orux mock` executes per submit, counted by valgrind.

Usage: instructions.py ORUX KIND [FEW [MANY]]   (KIND valid or invalid; 200, 1200)

Runs `ORUX mock` under `valgrind --tool=callgrind` twice, once answering FEW
submits and once MANY (sequential, on one keep-alive connection, after one
warm-up request), and prints (instructions of MANY - instructions of FEW) /
(MANY - FEW): the cost of one submit, start-up and shutdown cancelled out.
Unlike requests per second, the count does not depend on what else the
machine is doing. Everything is on 127.0.0.1; each server is stopped with
SIGTERM (a clean stop, so callgrind writes its totals).
"""
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

orux, kind = sys.argv[1], sys.argv[2]
few = int(sys.argv[3]) if len(sys.argv) > 3 else 200
many = int(sys.argv[4]) if len(sys.argv) > 4 else 1200
bodies = {
    "valid": b'{"model":"sora2","prompt":"A drone shot flying over Tokyo at sunset, cinematic","duration":10}',
    "invalid": b'{"model":"sora2","prompt":"","duration":8,"resolution":"4k","aspect_ratio":"1:1"}',
}
body = bodies[kind]
headers = {"Authorization": "Bearer sk-app-bench", "Content-Type": "application/json"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def instructions(submits):
    port = free_port()
    out = tempfile.NamedTemporaryFile(prefix="callgrind.", delete=False).name
    server = subprocess.Popen(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", orux, "mock",
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("POST", "/api/v1/tasks", body=body, headers=headers)
            connection.getresponse().read()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("the server did not answer")
            time.sleep(0.05)
    for _ in range(submits):
        connection.request("POST", "/api/v1/tasks", body=body, headers=headers)
        connection.getresponse().read()
    connection.close()
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=120)
    text = open(out).read()
    os.unlink(out)
    match = re.search(r"^(?:summary|totals): (\d+)", text, re.MULTILINE)
    if not match:
        sys.exit("no totals in the callgrind output")
    return int(match.group(1))


print(f"{(instructions(many) - instructions(few)) / (many - few):.0f}")
