"""Starts a server command and prints the milliseconds until its first HTTP answer.

Usage: first_answer.py PORT COMMAND...   (the server must listen on PORT)
The command is left running; its pid goes to stderr as `pid=N` for the caller
to stop. Polls every millisecond for at most 120 s.
"""
import http.client
import subprocess
import sys
import time

port = int(sys.argv[1])
start = time.monotonic()
child = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(f"pid={child.pid}", file=sys.stderr)
while time.monotonic() - start < 120:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        connection.request("GET", "/api/v1/tasks/task_01HZX00000000000000000000",
                           headers={"Authorization": "Bearer sk-app-bench"})
        connection.getresponse().read()
        print(f"{(time.monotonic() - start) * 1000:.1f}")
        sys.exit(0)
    except OSError:
        if child.poll() is not None:
            sys.exit(f"the server exited with {child.returncode}")
        time.sleep(0.001)
child.kill()
sys.exit("no answer within 120 s")
