"""Servers the cross-language tests start and stop themselves, on loopback
and on a free port.

- `Server(argv, ready, name)`: a process run in the background until the
  `with` block ends (SIGTERM, then SIGKILL), ready once a line of its output
  matches `ready`, whose first group (its base URL) the `with` gives; its
  output is kept in `log`.
- `Mock(orux_binary, task_seconds, webhook_target)`: `orux mock --port 0`.
- `environment(base_url)`: the environment a README program reads its server
  and key from (ORUX_BASE_URL, ORUX_API_KEY).

Standard library only.
"""

import os
import re
import subprocess
import threading

# Any `sk-app-…` key is accepted by the mock.
API_KEY = "sk-app-cross-language"


class Server:
    def __init__(self, argv, ready, name):
        self.argv = [str(a) for a in argv]
        self.ready = re.compile(ready)
        self.name = name
        self.process = None
        self.log = []

    def __enter__(self):
        self.process = subprocess.Popen(
            self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        ready = threading.Event()
        found = []

        def drain():
            # Keeps reading, so the server never blocks on a full pipe.
            for line in self.process.stdout:
                self.log.append(line.rstrip("\n"))
                match = self.ready.search(line)
                if match and not found:
                    found.append(match.group(1))
                    ready.set()
            ready.set()

        threading.Thread(target=drain, daemon=True).start()
        if not ready.wait(timeout=120) or not found:
            self.stop()
            raise SystemExit(f"{self.name} did not start:\n" + "\n".join(self.log[-20:]))
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


class Mock(Server):
    def __init__(self, binary, task_seconds=1.0, webhook_target=None):
        argv = [binary, "mock", "--bind", "127.0.0.1", "--port", "0", "--task-seconds", task_seconds]
        # Deliveries go where the test says, or to a loopback port nothing
        # should listen on (the discard port), never to a host from a body.
        argv += ["--webhook-target", webhook_target or "http://127.0.0.1:9/"]
        super().__init__(argv, r"listening on (http://\S+)", "orux mock")


def environment(base_url):
    env = dict(os.environ)
    env.update(ORUX_BASE_URL=base_url, ORUX_API_KEY=API_KEY)
    return env
