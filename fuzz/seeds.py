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
