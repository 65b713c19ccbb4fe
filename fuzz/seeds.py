#!/usr/bin/env python3
"""Writes the seed corpus of one fuzz target into a directory, one file per seed.

Usage: seeds.py TARGET DIR

- validate_request: every request body of tests/corpus/requests/*.jsonl, sent
  exactly as the corpus test sends it (`body` compact, `raw` as UTF-8,
  `raw_base64` decoded).
- cli_jsonl: the same bodies, one seed per body, plus one seed per corpus file
  holding all its bodies as JSON Lines, each after the target's control byte.
- spec_loader: models.yaml and every tests/broken-specs/*.yaml.
- url_rule: every string of tests/corpus/urls.jsonl, as UTF-8.
- client_response: the responses of the API and its error shapes, each
  after a status, a content-type byte and a Retry-After line.
- webhook_verify: the Standard Webhooks test vector and its rejected
  variants, as id, timestamp, signature and body lines.

Only the standard library is used, so a fresh clone needs nothing installed.
"""

import base64
import hashlib
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def bodies(path):
    """The bodies of one corpus file, in order."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        case = json.loads(line)
        if "body" in case:
            yield json.dumps(case["body"], separators=(",", ":"), ensure_ascii=False).encode()
        elif "raw" in case:
            yield case["raw"].encode("utf-8", "surrogatepass")
        elif "raw_base64" in case:
            yield base64.b64decode(case["raw_base64"])
        else:
            sys.exit(f"{path}:{number}: no body, raw or raw_base64")


def seeds(target):
    corpus = sorted((ROOT / "tests/corpus/requests").glob("*.jsonl"))
    if target == "validate_request":
        for path in corpus:
            yield from bodies(path)
    elif target == "cli_jsonl":
        # The target reads a control byte first: 0x07 is an 8-byte read
        # buffer with the default limits, 0x47 the same with a 64-byte body
        # limit (see fuzz_targets/cli_jsonl.rs).
        for path in corpus:
            all_bodies = list(bodies(path))
            for body in all_bodies:
                yield b"\x07" + body
            lines = b"\n".join(all_bodies) + b"\n"
            yield b"\x07" + lines
            yield b"\x47" + lines
    elif target == "spec_loader":
        yield (ROOT / "models.yaml").read_bytes()
        for path in sorted((ROOT / "tests/broken-specs").glob("*.yaml")):
            yield path.read_bytes()
    elif target == "url_rule":
        # Lines end at "\n" only: the strings hold other line breaks raw.
        text = (ROOT / "tests/corpus/urls.jsonl").read_text(encoding="utf-8")
        for line in text.split("\n"):
            if line.strip():
                yield json.loads(line)["url"].encode("utf-8")
    elif target == "client_response":
        submitted = b'{"task_id":"task_01J","status":"QUEUED","submit_time":"2026-06-04T22:00:00"}'
        done = b'{"task_id":"t","status":"SUCCESS","result_urls":["https://cdn.example/v.mp4"],"duration_sec":38}'
        nested = b'{"error":{"code":"invalid_param","message":"m","errors":[{"code":"invalid_param","path":"/duration","message":"bad"}]}}'
        flat = b'{"code":"idempotency_conflict","message":"m"}'
        top = b'{"errors":[{"code":"invalid_param","path":"/prompt","message":"empty"}]}'
        for status, kind, retry, body in [
            (200, 1, b"", submitted), (200, 0, b"", done), (201, 2, b"", done),
            (200, 3, b"", b"<html>"), (200, 4, b"", b"{}"), (400, 1, b"", nested),
            (422, 1, b"", top), (409, 1, b"", flat), (413, 3, b"", b"too large"),
            (429, 1, b"7", b""), (429, 1, b"Wed, 21 Oct 2015 07:28:00 GMT", b""),
            (503, 0, b"120", b"oops"), (401, 1, b"", b""), (404, 1, b"", b""),
        ]:
            yield status.to_bytes(2, "big") + bytes([kind]) + retry + b"\n" + body
    elif target == "webhook_verify":
        body = b'{"email":"test@example.com","username":"test_user"}'
        event = b'{"task_id":"t","status":"SUCCESS","result_urls":["https://cdn.example/v.mp4"]}'
        sig = b"v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw="
        for signature in [sig, b"v1,", b"v1, " + sig, b"v2,abc " + sig, sig[:-4], b"v1,abc"]:
            yield b"msg_27UH4WbU6Z5A5EzD8u03UvzRbpk\n1649367553\n" + signature + b"\n" + body
        yield b"msg_1\n1649367553\nv1,AAAA\n" + event
        yield b"msg_27UH4WbU6Z5A5EzD8u03UvzRbpk\n1649367553"
    else:
        sys.exit(f"unknown fuzz target {target!r}")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    target, out = sys.argv[1], pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for seed in seeds(target):
        # Named by content, like libFuzzer's own corpus files.
        (out / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
        count += 1
    print(f"{count} seeds for {target} in {out}")


if __name__ == "__main__":
    main()
