"""The Python client openapi-python-client generates, against `orux mock`.

1. The README's generate command (block `python-generate`) runs as written,
   in a directory under target/, and warns about nothing.
2. The README's program (block `python-submit-and-wait`) submits a Sora 2
   task to a fresh `orux mock` and polls it to success with result URLs.
3. The generated client's typed answers: an unknown task id is a 404 parsed
   into `ErrorResponse` (`not_found`); a rejected body a 400 whose
   `ErrorResponse` lists the field; the same `idempotency_key` twice answers
   the same task with `Idempotent-Replayed: true`, and with another body a
   409; injected 503 and 429 are `ErrorResponse`s with `Retry-After`.
4. The webhook a finished task sends matches the document's
   `webhooks.taskFinished`: its three Standard Webhooks headers, a valid
   signature under the mock's published test secret, and a body valid under
   `WebhookEvent`.

Usage: python_client.py REPO_ROOT ORUX_BINARY. Prints one line per failure
and a closing "openapi-python-client: N passed, M failed" line; exits 1 on
any failure.
"""

import base64
import hashlib
import hmac
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import jsonschema_rs

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from corpus import Tally  # noqa: E402
import readme  # noqa: E402
from mock import API_KEY, Mock, environment  # noqa: E402

# `orux_mock::DEFAULT_WEBHOOK_SECRET`, published in mock/README.md.
MOCK_WEBHOOK_SECRET = "whsec_b3J1eC1tb2NrLWRlZmF1bHQtd2ViaG9vay1zZWNyZXQ="

PINNED = {
    line.split("==")[0].lower(): line.split("==")[1]
    for line in (HERE / "requirements.txt").read_text(encoding="utf-8").split("\n")
    if "==" in line
}


def generate(root, stage, tally):
    """Runs the README's commands; `pip install` only names the pinned version."""
    for argv in readme.commands(readme.block(root, "python-generate")):
        if argv[:2] == ["pip", "install"]:
            name, _, version = argv[2].partition("==")
            tally.check(f"README pins {name}", PINNED.get(name.lower()) == version,
                        f"README {version}, requirements.txt {PINNED.get(name.lower())}")
            continue
        output = stage / argv[argv.index("--output-path") + 1]
        shutil.rmtree(output, ignore_errors=True)
        env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
        run = subprocess.run(argv, cwd=stage, env=env, capture_output=True, text=True, timeout=300)
        said = run.stdout + run.stderr
        tally.check("openapi-python-client generates", run.returncode == 0, said)
        noisy = [line for line in said.split("\n") if any(w in line for w in ("Warning", "Unable", "Skipping", "error"))]
        tally.check("openapi-python-client warns about nothing", not noisy, "\n".join(noisy))
        return output
    raise SystemExit("README block python-generate has no generate command")


def run_readme_program(root, stage, orux, tally):
    program = stage / "submit_and_wait.py"
    program.write_text(readme.block(root, "python-submit-and-wait"), encoding="utf-8")
    with Mock(orux, task_seconds=3) as base_url:
        run = subprocess.run([sys.executable, str(program)], cwd=stage, env=environment(base_url),
                             capture_output=True, text=True, timeout=120)
    said = run.stdout.strip()
    tally.check("README program runs", run.returncode == 0, run.stdout + run.stderr)
    status, _, urls = said.partition(" ")
    tally.check("README program waits for success", status.lower() == "success", said)
    tally.check("README program prints result URLs", urls.startswith("['http") , said)


class Sink(http.server.BaseHTTPRequestHandler):
    """Receives the mock's webhook deliveries."""

    received = []
    arrived = threading.Event()

    def do_POST(self):  # noqa: N802 - the http.server name
        length = int(self.headers.get("Content-Length", "0"))
        Sink.received.append((dict(self.headers.items()), self.rfile.read(length)))
        Sink.arrived.set()
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def verify_signature(headers, body):
    """Standard Webhooks v1: HMAC-SHA256 of `id.timestamp.body`, base64."""
    key = base64.b64decode(MOCK_WEBHOOK_SECRET.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest(part.partition(",")[2], expected)
               for part in headers["webhook-signature"].split(" ") if part.startswith("v1,"))


def component(document, name):
    """A validator for one component schema, as the document states it."""
    return jsonschema_rs.Draft202012Validator(
        {"$ref": f"#/components/schemas/{name}", "components": document["components"]})


def typed_answers(root, stage, orux, tally):
    sys.path.insert(0, str(stage))
    from orux_client import AuthenticatedClient
    from orux_client.api.tasks import create_task, get_task
    from orux_client.models import ErrorResponse, Sora2Request, SubmitResponse, TaskStatusResponse

    document = json.loads((root / "generated/schema/openapi.json").read_text(encoding="utf-8"))
    sink = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Sink)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    hook = f"http://127.0.0.1:{sink.server_address[1]}/hook"
    try:
        with Mock(orux, task_seconds=0.5, webhook_target=hook) as base_url:
            api = AuthenticatedClient(base_url=base_url, token=API_KEY, raise_on_unexpected_status=True)

            unknown = get_task.sync_detailed(client=api, task_id="task_01HZZZZZZZZZZZZZZZZZZZZZZZ")
            tally.check("unknown id: 404 ErrorResponse", unknown.status_code == 404
                        and isinstance(unknown.parsed, ErrorResponse) and unknown.parsed.error.code == "not_found",
                        repr(unknown))

            empty = create_task.sync_detailed(client=api, body=Sora2Request(model="sora2", prompt=""))
            paths = [e.path for e in empty.parsed.error.errors] if isinstance(empty.parsed, ErrorResponse) else None
            tally.check("rejected body: 400 ErrorResponse at /prompt",
                        empty.status_code == 400 and paths == ["/prompt"], repr(empty))

            key = str(uuid.uuid4())
            body = Sora2Request(model="sora2", prompt="A paper boat", webhook_url="https://example.com/hook")
            first = create_task.sync_detailed(client=api, body=body, idempotency_key=key)
            again = create_task.sync_detailed(client=api, body=body, idempotency_key=key)
            tally.check("submit: SubmitResponse", isinstance(first.parsed, SubmitResponse), repr(first))
            tally.check("same key, same body: the same task, replayed",
                        isinstance(again.parsed, SubmitResponse) and again.parsed.task_id == first.parsed.task_id
                        and again.headers.get("idempotent-replayed") == "true"
                        and "idempotent-replayed" not in first.headers, repr(again))
            other = create_task.sync_detailed(client=api, body=Sora2Request(model="sora2", prompt="Another"),
                                              idempotency_key=key)
            tally.check("same key, another body: 409 ErrorResponse", other.status_code == 409
                        and isinstance(other.parsed, ErrorResponse)
                        and other.parsed.error.code == "idempotency_conflict", repr(other))

            for fault, status, code in (("503; retry-after=7", 503, "internal"), ("429", 429, "rate_limited")):
                # A client of its own: `with_headers` would change `api`'s too.
                faulty = AuthenticatedClient(base_url=base_url, token=API_KEY, headers={"X-Orux-Mock-Fault": fault})
                faulted = get_task.sync_detailed(client=faulty, task_id=first.parsed.task_id)
                tally.check(f"fault {fault}: {status} ErrorResponse with Retry-After", faulted.status_code == status
                            and isinstance(faulted.parsed, ErrorResponse) and faulted.parsed.error.code == code
                            and faulted.headers.get("retry-after", "").isdigit(), repr(faulted))

            tally.check("webhook delivered", Sink.arrived.wait(timeout=30), "no delivery in 30 s")
            done = get_task.sync(client=api, task_id=first.parsed.task_id)
            tally.check("task polled to success", isinstance(done, TaskStatusResponse)
                        and done.status == "success" and len(done.result_urls) > 0, repr(done))
    finally:
        sink.shutdown()
    if Sink.received:
        headers, raw = Sink.received[0]
        headers = {k.lower(): v for k, v in headers.items()}
        hook_doc = document["webhooks"]["taskFinished"]["post"]
        for parameter in hook_doc["parameters"]:
            value = headers.get(parameter["name"])
            valid = value is not None and jsonschema_rs.is_valid(parameter["schema"], value)
            tally.check(f"webhook header {parameter['name']}", valid, repr(value))
        tally.check("webhook signature verifies", verify_signature(headers, raw), repr(headers))
        event = json.loads(raw)
        errors = [e.message for e in component(document, "WebhookEvent").iter_errors(event)]
        tally.check("webhook body is a WebhookEvent", not errors and event["task_id"] == first.parsed.task_id,
                    f"{errors} {event}")


def main(root, orux):
    tally = Tally()
    stage = readme.stage(root, root / "target/cross-language/openapi/python")
    generate(root, stage, tally)
    run_readme_program(root, stage, orux, tally)
    typed_answers(root, stage, orux, tally)
    print(f"openapi-python-client: {tally.passed} passed, {len(tally.failures)} failed")
    return 1 if tally.failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: python_client.py REPO_ROOT ORUX_BINARY")
    sys.exit(main(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()))
