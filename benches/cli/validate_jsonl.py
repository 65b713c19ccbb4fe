"""The Python peer of `orux validate --jsonl`: what a Python team would write.

Reads JSON Lines (one request body per line) from FILE, validates each body
with the `jsonschema` package's `Draft202012Validator` and the generated
bundle (compiled once), and writes one result line per body to stdout, like
the CLI: {"line": N, "valid": bool, "errors": [{"path": ..., "message": ...}]}.
A line that is not UTF-8 JSON is one error at path "".

Usage: validate_jsonl.py BUNDLE FILE
Prints to stderr: lines, valid lines, and the time of the validation loop
alone (interpreter start-up and schema compilation excluded), per line.
"""

import json
import sys
import time

from jsonschema import Draft202012Validator


def pointer(path):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def main():
    bundle_path, lines_path = sys.argv[1], sys.argv[2]
    with open(bundle_path, encoding="utf-8") as f:
        validator = Draft202012Validator(json.load(f))
    out = sys.stdout
    count = valid = 0
    start = time.perf_counter()
    with open(lines_path, "rb") as lines:
        for number, line in enumerate(lines, start=1):
            line = line.rstrip(b"\n")
            if not line.strip():
                continue
            count += 1
            try:
                body = json.loads(line)
            except ValueError as error:  # includes UnicodeDecodeError
                errors = [{"path": "", "message": str(error)}]
            else:
                errors = [
                    {"path": pointer(e.absolute_path), "message": e.message}
                    for e in validator.iter_errors(body)
                ]
            valid += not errors
            out.write(json.dumps({"line": number, "valid": not errors, "errors": errors}))
            out.write("\n")
    elapsed = time.perf_counter() - start
    print(
        f"python: {count} lines, {valid} valid, {elapsed:.3f} s in the loop, "
        f"{elapsed / max(count, 1) * 1e6:.1f} us per line",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
