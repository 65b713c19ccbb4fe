"""`orux mock` for the cross-language tests: started on loopback on a free
port (`--port 0`), its address read from the line it prints when ready, and
stopped (SIGTERM, then SIGKILL) when the test is done, whatever happens.

    with Mock(orux_binary, task_seconds=1) as base_url:
        ...

`environment(base_url)` is the environment a README program reads its server
and key from. Standard library only.
"""

import os
import re
import subprocess
import threading

# Any `sk-app-…` key is accepted by the mock.
API_KEY = "sk-app-cross-language"

READY = re.compile(r"listening on (http://\S+)")


class Mock:
    def __init__(self, binary, task_seconds=1.0, webhook_target=None):
        self.argv = [str(binary), "mock", "--bind", "127.0.0.1", "--port", "0", "--task-seconds", str(task_seconds)]
        # Deliveries go where the test says, or to a loopback port nothing
        # should listen on (the discard port), never to a host from a body.
        self.argv += ["--webhook-target", webhook_target or "http://127.0.0.1:9/"]
        self.process = None
        self.log = []

    def __enter__(self):
        self.process = subprocess.Popen(
            self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        ready = threading.Event()
        found = []

        def drain():
            # Keeps reading, so the mock never blocks on a full pipe.
            for line in self.process.stderr:
                self.log.append(line.rstrip("\n"))
                match = READY.search(line)
                if match and not found:
                    found.append(match.group(1))
                    ready.set()
            ready.set()

        threading.Thread(target=drain, daemon=True).start()
        if not ready.wait(timeout=60) or not found:
            self.stop()
            raise SystemExit("orux mock did not start:\n" + "\n".join(self.log[-20:]))
        return found[0]

    def __exit__(self, *exc):
        self.stop()
        return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def environment(base_url):
    """The environment a README program reads its server and key from."""
    env = dict(os.environ)
    env.update(ORUX_BASE_URL=base_url, ORUX_API_KEY=API_KEY)
    return env
