"""Schemathesis against `orux mock`, on a fixed budget: 0 failures.

1. One run with every check (`--checks all`) and every phase: the examples
   of the document, the coverage phase, fuzzing (valid and invalid data) and
   the stateful phase, which follows the `createTask` -> `getTask` link.
   The budget: at most MAX_EXAMPLES cases per operation and phase, and
   MAX_TIME seconds in all; a fixed seed, and no example database, so a run
   does not depend on the ones before.
2. The examples phase once per injected fault (the mock's
   `X-Orux-Mock-Fault` request header, sent with every request of the run):
   every answer must still be one the document describes, with its status,
   headers and body. Each run leaves out the one check whose premise the
   fault breaks on purpose: `not_a_server_error` for 500 and 503 (the 5xx is
   the point), `positive_data_acceptance` for a malformed fault header (the
   mock refuses a request the document allows, because of a header the
   document does not know). `reset` and `slow` are left out: they are no
   answer (a closed connection, a delay), which no document describes.

Usage: schemathesis_run.py REPO_ROOT ORUX_BINARY. Prints Schemathesis's
summary of each run and a closing "schemathesis: N passed, M failed" line;
exits 1 on any failure.
"""

import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from corpus import Tally  # noqa: E402
from mock import API_KEY, Mock  # noqa: E402

MAX_EXAMPLES = 30
MAX_TIME = 60
SEED = 22

FAULTS = [
    ("500", "not_a_server_error"),
    ("503", "not_a_server_error"),
    ("503; retry-after=7", "not_a_server_error"),
    ("429", None),
    ("429; retry-after=3", None),
    ("no-such-fault", "positive_data_acceptance"),
]


def schemathesis(root, base_url, extra, tally, what, timeout):
    argv = [
        str(Path(sys.executable).with_name("schemathesis")), "run", str(root / "generated/schema/openapi.json"),
        "--url", base_url,
        "--header", f"Authorization: Bearer {API_KEY}",
        "--checks", "all",
        "--seed", str(SEED),
        "--generation-database", "none",
        "--workers", "1",
        "--request-timeout", "10",
        "--no-color",
    ] + extra
    done = subprocess.run(argv, cwd=root / "target", capture_output=True, text=True, timeout=timeout)
    said = done.stdout + done.stderr
    summary = said[said.rfind("SUMMARY"):] if "SUMMARY" in said else said[-3000:]
    print(f"--- {what}\n{summary.strip()}")
    tally.check(what, done.returncode == 0, said[-6000:])
    return said


def main(root, orux):
    tally = Tally()
    with Mock(orux, task_seconds=0.5) as base_url:
        said = schemathesis(root, base_url, ["--max-examples", str(MAX_EXAMPLES), "--max-time", str(MAX_TIME)],
                            tally, f"every phase, every check ({MAX_EXAMPLES} examples, {MAX_TIME} s)",
                            timeout=MAX_TIME + 240)
        # The stateful phase chained submit and poll through the link.
        links = re.search(r"API Links:\s+(\d+) covered / (\d+) selected / (\d+) total", said)
        print(links.group(0) if links else "API Links: not reported")
        tally.check("the stateful phase follows the link", bool(links) and links.group(1) == links.group(3) != "0",
                    links.group(0) if links else said[-3000:])
        for fault, excluded in FAULTS:
            extra = ["--phases", "examples", "--header", f"X-Orux-Mock-Fault: {fault}"]
            if excluded:
                extra += ["--exclude-checks", excluded]
            schemathesis(root, base_url, extra, tally, f"examples with fault {fault!r}", timeout=240)
    print(f"schemathesis: {tally.passed} passed, {len(tally.failures)} failed")
    return 1 if tally.failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: schemathesis_run.py REPO_ROOT ORUX_BINARY")
    sys.exit(main(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()))
