"""Prism as a validating proxy in front of `orux mock`: every answer of a
script of valid, invalid, faulted and unknown-id requests is one the
document describes.

Prism (`prism proxy`, installed by run.sh) forwards each request to the mock
and checks the request and the mock's answer against openapi.json, listing
what breaks it in the `sl-violations` header (`location` starts with
`request` or `response`) and in its log. For every request of the script:
the mock's status is the expected one, no response violation is listed, and
a request violation is listed exactly when the request breaks the document
(so Prism really reads the rules). At the end its log must hold no response
violation either.

Usage: prism_proxy.py REPO_ROOT ORUX_BINARY. Prints one line per failure and
a closing "prism: N passed, M failed" line; exits 1 on any failure.
"""

import json
import sys
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from corpus import Tally  # noqa: E402
from mock import API_KEY, Mock, Server  # noqa: E402

AUTH = {"Authorization": f"Bearer {API_KEY}"}
UNKNOWN_ID = "task_01HZZZZZZZZZZZZZZZZZZZZZZZ"


class Prism(Server):
    """`prism proxy` on a free loopback port, in front of `upstream`."""

    def __init__(self, node, document, upstream):
        cli = node / "node_modules/@stoplight/prism-cli/dist/index.js"
        argv = ["node", cli, "proxy", document, upstream, "-h", "127.0.0.1", "-p", "0", "--errors", "false"]
        super().__init__(argv, r"Prism is listening on (http://\S+)", "prism")


def violations(response):
    """(request violations, response violations) from `sl-violations`."""
    text = response.headers.get("sl-violations")
    if text is None:
        return [], []
    if text.startswith("Too many violations!"):
        # Cut at 8 KB: the request's own come first. What the header lost
        # about the response is in Prism's log, checked at the end.
        cut = text.removeprefix("Too many violations!")
        request = [cut[:200]] if '"location":["request"' in cut else []
        return request, [cut] if '"location":["response"' in cut else []
    listed = json.loads(text)
    request = [v for v in listed if v["location"][:1] == ["request"]]
    answer = [v for v in listed if v["location"][:1] != ["request"]]
    return request, answer


def script(document):
    """(name, method, path, headers, body, expected status, breaks the document)."""
    sora = {"model": "sora2", "prompt": "A paper boat"}
    json_headers = dict(AUTH, **{"Content-Type": "application/json"})
    key = {"idempotency-key": "prism-script-key-1"}
    steps = [
        ("submit", "POST", "/api/v1/tasks", dict(json_headers, **key), sora, 200, False),
        ("submit again: replayed", "POST", "/api/v1/tasks", dict(json_headers, **key), sora, 200, False),
        ("same key, other body", "POST", "/api/v1/tasks", dict(json_headers, **key), dict(sora, prompt="Other"), 409, False),
    ]
    media = document["paths"]["/api/v1/tasks"]["post"]["requestBody"]["content"]["application/json"]
    for name, example in media["examples"].items():
        steps.append((f"docs example {name}", "POST", "/api/v1/tasks", json_headers, example["value"], 200, False))
    steps.append(("unknown id", "GET", f"/api/v1/tasks/{UNKNOWN_ID}", AUTH, None, 404, False))
    for name, body in [
        ("Sora 2 for 8 s", dict(sora, duration=8)),
        ("square Sora 2", dict(sora, aspect_ratio="1:1")),
        ("unknown field", dict(sora, resolution="1080p")),
        ("unknown model", dict(sora, model="sora-2-pro")),
        ("no prompt", {"model": "sora2"}),
        ("cut-off data URI", {"model": "veo-3.1-fast", "prompt": "p", "image": "data:image/png;base64,AAA"}),
        ("http image URL", {"model": "veo-3.1-fast", "prompt": "p", "image": "http://example.com/a.png"}),
        ("task reference with a number", {"model": "veo-3.1-fast", "prompt": "p", "image": {"task_id": 5}}),
    ]:
        steps.append((f"invalid: {name}", "POST", "/api/v1/tasks", json_headers, body, 400, True))
    steps.append(("invalid: idempotency key of 256 characters", "POST", "/api/v1/tasks",
                  dict(json_headers, **{"idempotency-key": "k" * 256}), sora, 400, True))
    steps.append(("invalid: no API key", "POST", "/api/v1/tasks", {"Content-Type": "application/json"}, sora, 401,
                  True))
    steps.append(("invalid: no API key on status", "GET", f"/api/v1/tasks/{UNKNOWN_ID}", {}, None, 401, True))
    steps.append(("invalid: not JSON", "POST", "/api/v1/tasks", dict(AUTH, **{"Content-Type": "text/plain"}),
                  "a paper boat", 415, True))
    for fault, status in [("500", 500), ("503", 503), ("503; retry-after=9", 503), ("429", 429),
                          ("429; retry-after=2", 429), ("bogus", 400)]:
        faulted = {"X-Orux-Mock-Fault": fault}
        steps.append((f"fault {fault} on submit", "POST", "/api/v1/tasks", dict(json_headers, **faulted), sora,
                      status, False))
        steps.append((f"fault {fault} on status", "GET", f"/api/v1/tasks/{UNKNOWN_ID}", dict(AUTH, **faulted), None,
                      status, False))
    return steps


def main(root, orux):
    tally = Tally()
    document_path = root / "generated/schema/openapi.json"
    document = json.loads(document_path.read_text(encoding="utf-8"))
    node = root / "target/cross-language/openapi/node"
    with Mock(orux, task_seconds=1) as upstream:
        prism = Prism(node, document_path, upstream)
        with prism as proxy, httpx.Client(base_url=proxy, timeout=60) as http:
            created = None
            for name, method, path, headers, body, status, breaks in script(document):
                content = body if body is None or isinstance(body, str) else json.dumps(body)
                answer = http.request(method, path, headers=headers, content=content)
                request_problems, answer_problems = violations(answer)
                tally.check(f"{name}: status {status}", answer.status_code == status,
                            f"{answer.status_code} {answer.text[:300]}")
                tally.check(f"{name}: the answer is documented", not answer_problems, answer_problems)
                if status >= 400:
                    # The mock's own error body, not one Prism made up.
                    code = answer.json().get("error", {}).get("code") if answer.headers.get(
                        "content-type", "").startswith("application/json") else None
                    tally.check(f"{name}: the mock's error body", isinstance(code, str), answer.text[:300])
                tally.check(f"{name}: request violations {'listed' if breaks else 'none'}",
                            bool(request_problems) == breaks, request_problems)
                if name == "submit" and answer.status_code == 200:
                    created = answer.json()["task_id"]
                if name == "submit again: replayed":
                    tally.check("replayed: the header is set", answer.headers.get("idempotent-replayed") == "true",
                                dict(answer.headers))
            # The created task, polled through the proxy until it succeeds.
            status = {}
            for _ in range(100):
                answer = http.get(f"/api/v1/tasks/{created}", headers=AUTH)
                request_problems, answer_problems = violations(answer)
                tally.check("poll: the answer is documented", answer.status_code == 200 and not answer_problems
                            and not request_problems, f"{answer.status_code} {answer_problems} {request_problems}")
                status = answer.json()
                if status.get("status") == "success":
                    break
                time.sleep(0.2)
            tally.check("poll: the task succeeds with result URLs", bool(status.get("result_urls")), status)
    logged = [line for line in prism.log if "Violation: response" in line]
    tally.check("prism logs no response violation", not logged, "\n".join(logged[:20]))
    print(f"prism: {tally.passed} passed, {len(tally.failures)} failed")
    return 1 if tally.failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: prism_proxy.py REPO_ROOT ORUX_BINARY")
    sys.exit(main(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()))
