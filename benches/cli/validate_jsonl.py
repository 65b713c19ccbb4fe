"""The Python peers of `orux validate --jsonl`: what a Python team would write.

Reads JSON Lines (one request body per line) from FILE and validates each
body, writing one result line per body to stdout like the CLI:
{"line": N, "valid": bool, ...}. A line that is not UTF-8 JSON is invalid.

PEER is one of:
  bundle          `jsonschema` Draft202012Validator on the pre-dispatch
                  bundle (benches/fixtures/pre-dispatch.schema.json: a root
                  `oneOf` over every model), every error with its path and
                  message (iter_errors)
  model           `jsonschema` with per-model dispatch: json.loads, pick the
                  validator compiled from models/<model>.schema.json by the
                  body's "model", is_valid; an unknown or missing model is
                  invalid without a schema call
  model-rs        the same dispatch with `jsonschema_rs` (the Python binding
                  of the Rust `jsonschema` crate)
  dispatch        `jsonschema` on the generated bundle alone, whose root
                  dispatches on "model" with if/then/else: json.loads,
                  is_valid (no dispatch in Python)

Usage: validate_jsonl.py PEER SCHEMA_DIR FILE   (SCHEMA_DIR: generated/schema)
Prints to stderr: lines, valid lines, and the time of the validation loop
alone (interpreter start-up and schema compilation excluded), per line.
"""

import json
import pathlib
import sys
import time


def pointer(path):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


# The bundle as it was before it dispatched on "model" (a root oneOf over
# every model), kept as a fixture so the "bundle" peer measures what it says.
PRE_DISPATCH = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "pre-dispatch.schema.json"


def bundle_checker(schemas):
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(json.loads(PRE_DISPATCH.read_text()))

    def check(body):
        errors = [
            {"path": pointer(e.absolute_path), "message": e.message}
            for e in validator.iter_errors(body)
        ]
        return not errors, errors

    return check


def dispatch_checker(schemas):
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(json.loads((schemas / "orux-models.schema.json").read_text()))

    def check(body):
        return validator.is_valid(body), None

    return check


def per_model_checker(schemas, compile_schema):
    validators = {
        path.name.removesuffix(".schema.json"): compile_schema(json.loads(path.read_text()))
        for path in sorted((schemas / "models").glob("*.schema.json"))
    }

    def check(body):
        model = body.get("model") if isinstance(body, dict) else None
        validator = validators.get(model) if isinstance(model, str) else None
        return (validator is not None and validator.is_valid(body)), None

    return check


def checker(peer, schemas):
    if peer == "bundle":
        return bundle_checker(schemas)
    if peer == "model":
        from jsonschema import Draft202012Validator

        return per_model_checker(schemas, Draft202012Validator)
    if peer == "model-rs":
        import jsonschema_rs

        return per_model_checker(schemas, jsonschema_rs.Draft202012Validator)
    if peer == "dispatch":
        return dispatch_checker(schemas)
    sys.exit(f"unknown peer {peer!r}: bundle, model, model-rs or dispatch")


def main():
    peer, schemas, lines_path = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3]
    check = checker(peer, schemas)
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
                ok, errors = False, [{"path": "", "message": str(error)}]
            else:
                ok, errors = check(body)
            valid += ok
            result = {"line": number, "valid": ok}
            if errors is not None:
                result["errors"] = errors
            out.write(json.dumps(result))
            out.write("\n")
    elapsed = time.perf_counter() - start
    print(
        f"python {peer}: {count} lines, {valid} valid, {elapsed:.3f} s in the loop, "
        f"{elapsed / max(count, 1) * 1e6:.2f} us per line",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
