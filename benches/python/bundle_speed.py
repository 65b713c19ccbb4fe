"""The validation bundle against the pre-dispatch bundle, in one run.

Validates every body of the request corpus that `json` reads, with
`iter_errors` (a user wants the errors, not only the verdict), under Python
`jsonschema` (Draft202012Validator) and `jsonschema-rs`, first with
`benches/fixtures/pre-dispatch.schema.json` (the bundle before issue 14: a root
`oneOf` over the models) and then with `generated/schema/orux-models.schema.json`
(the dispatch on `model`). Prints the mean time per body of the best of
ROUNDS alternating rounds for each, the speed-up, and how many invalid bodies got only a
`oneOf` error at the root, which names no field. Fails (exit 1) if `jsonschema` is not at least 4x faster
with the new bundle.

Run by hand through the test venv (tests/cross-language/python/run.sh makes it):
    target/py-venv/bin/python benches/python/bundle_speed.py [ROUNDS]
"""

import base64
import json
import sys
import time
from pathlib import Path

import jsonschema_rs
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]


def corpus():
    bodies = []
    for path in sorted((ROOT / "tests/corpus/requests").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            case = json.loads(line)
            if "body" in case:
                bodies.append(case["body"])
                continue
            raw = case["raw"].encode("utf-8") if "raw" in case else base64.b64decode(case["raw_base64"])
            try:
                bodies.append(json.loads(raw.decode("utf-8")))
            except ValueError:
                pass  # never reaches a schema
    return bodies


def one_round(validate, bodies):
    start = time.perf_counter()
    for body in bodies:
        for _error in validate(body):
            pass
    return time.perf_counter() - start


def best_per_body(old, new, bodies, rounds):
    """The best round of each, per body. The rounds alternate between the two
    bundles so that both see the same load on a shared machine."""
    best_old = best_new = float("inf")
    for _ in range(rounds):
        best_old = min(best_old, one_round(old, bodies))
        best_new = min(best_new, one_round(new, bodies))
    return best_old / len(bodies), best_new / len(bodies)


def root_only(validator, bodies):
    """Invalid bodies whose only error is a `oneOf` at the root ("… is not
    valid under any of the given schemas"), which names no field."""
    count = 0
    for body in bodies:
        errors = list(validator.iter_errors(body))
        if errors and all(e.validator == "oneOf" and not list(e.absolute_path) for e in errors):
            count += 1
    return count


def main(rounds):
    bodies = corpus()
    old = json.loads((ROOT / "benches/fixtures/pre-dispatch.schema.json").read_text(encoding="utf-8"))
    new = json.loads((ROOT / "generated/schema/orux-models.schema.json").read_text(encoding="utf-8"))
    print(f"{len(bodies)} corpus bodies, best of {rounds} rounds, iter_errors on each")
    speedups = {}
    for name, make in [
        ("jsonschema", Draft202012Validator),
        ("jsonschema-rs", jsonschema_rs.Draft202012Validator),
    ]:
        before, after = make(old), make(new)
        t_old, t_new = best_per_body(before.iter_errors, after.iter_errors, bodies, rounds)
        speedups[name] = t_old / t_new
        print(
            f"{name:14} pre-dispatch {t_old * 1e6:9.1f} µs/body   dispatch {t_new * 1e6:9.1f} µs/body   "
            f"{t_old / t_new:5.1f}x"
        )
    old_v, new_v = Draft202012Validator(old), Draft202012Validator(new)
    print(
        f"jsonschema: bodies whose only error is the root oneOf: pre-dispatch {root_only(old_v, bodies)}, "
        f"dispatch {root_only(new_v, bodies)}"
    )
    if speedups["jsonschema"] < 4:
        print(f"FAIL: jsonschema speed-up {speedups['jsonschema']:.1f}x is under 4x")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10))
