"""The request corpus and the gap list, as every cross-language harness reads
them (standard library only, so each harness's own environment can import
it), and the tally each harness prints.

- `load_corpus(root)`: every case of `tests/corpus/requests/*.jsonl`, with its
  body as the bytes a client sends (`bytes`).
- `excused_cases(root, cases, harness)`: the cases `schema-gaps.json` excuses
  for `harness`, each with its rule; a name that is not a corpus case stops
  the run.
- `Tally`: counts checks and prints each failure as it happens.
"""

import base64
import json


class Tally:
    def __init__(self):
        self.passed = 0
        self.failures = []

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failures.append(f"{name}: {detail}")
            print(f"FAIL {name}: {detail}")


def load_corpus(root):
    cases = []
    for path in sorted((root / "tests/corpus/requests").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            case = json.loads(line)
            if "body" in case:
                # Compact, in the key order written (dicts keep it).
                body = json.dumps(case["body"], separators=(",", ":"), ensure_ascii=False)
                body = body.encode("utf-8")
            elif "raw" in case:
                body = case["raw"].encode("utf-8")
            else:
                body = base64.b64decode(case["raw_base64"])
            case["bytes"] = body
            cases.append(case)
    return cases


def excused_cases(root, cases, harness):
    gaps = json.loads((root / "tests/cross-language/schema-gaps.json").read_text(encoding="utf-8"))
    names = {case["name"] for case in cases}
    excused = {}
    for gap in gaps["gaps"]:
        if harness not in gap["harnesses"]:
            continue
        for name in gap["cases"]:
            if name not in names:
                raise SystemExit(f"schema-gaps.json: {gap['rule']}: no corpus case {name}")
            excused[name] = gap["rule"]
    return excused
