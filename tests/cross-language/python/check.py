"""The JSON Schema bundle and the OpenAPI document, as a Python user meets them.

1. Every schema file passes `Draft202012Validator.check_schema`.
2. `openapi.json` passes `openapi-spec-validator` (which follows its references
   into the bundle and the response schemas beside it); its request examples
   are valid under the bundle, its response examples under the response
   schemas.
3. Every body of the request corpus, read with the standard `json` module and
   validated with `Draft202012Validator`, gets the corpus's verdict and error
   paths, except for the cases `../schema-gaps.json` lists for `python` (which
   must really differ).

4. Every string of the URL corpus (`tests/corpus/urls.jsonl`) gets its
   verdict from the bundle's `HttpsUrl` pattern under Python's `re` (as
   `jsonschema` applies `pattern`) and from the `HttpsUrl` definition under
   `Draft202012Validator`.

Error paths are computed as in `tests/tests/suite/json_schema.rs`: an error's
instance path, or the property itself for `required` and
`additionalProperties`; from the branch the discriminator names, else from the
root without its `oneOf` error. Paths are compared as sets.

Usage: check.py REPO_ROOT. Prints one line per failure and a closing
"python: N passed, M failed" line; exits 1 on any failure.
"""

import base64
import json
import re
import sys
from pathlib import Path

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from openapi_spec_validator.readers import read_from_filename

HARNESS = "python"


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


def escape(key):
    return key.replace("~", "~0").replace("/", "~1")


def pointer(path):
    return "".join("/" + escape(str(part)) for part in path)


def pointers(error, out):
    """Where a jsonschema error points, as the Rust validator would say it."""
    at = pointer(error.absolute_path)
    instance = error.instance
    if error.validator == "required" and isinstance(instance, dict):
        # One error per missing property; the set covers each of them.
        out.update(f"{at}/{escape(p)}" for p in error.validator_value if p not in instance)
    elif error.validator == "additionalProperties" and isinstance(instance, dict):
        known = error.schema.get("properties", {})
        out.update(f"{at}/{escape(k)}" for k in instance if k not in known)
    else:
        out.add(at)


def definition(document, name):
    """A schema for one `$defs` entry of `document`, with all its definitions."""
    return {
        "$schema": document["$schema"],
        "$ref": f"#/$defs/{name}",
        "$defs": document["$defs"],
    }


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


def excused_cases(root, cases):
    gaps = json.loads((root / "tests/cross-language/schema-gaps.json").read_text(encoding="utf-8"))
    names = {case["name"] for case in cases}
    excused = {}
    for gap in gaps["gaps"]:
        if HARNESS not in gap["harnesses"]:
            continue
        for name in gap["cases"]:
            if name not in names:
                raise SystemExit(f"schema-gaps.json: {gap['rule']}: no corpus case {name}")
            excused[name] = gap["rule"]
    return excused


class Bundle:
    def __init__(self, document):
        self.root = Draft202012Validator(document)
        self.branches = {
            model: Draft202012Validator(definition(document, target.removeprefix("#/$defs/")))
            for model, target in document["discriminator"]["mapping"].items()
        }

    def outcome(self, body):
        """(valid, paths) for a Python user: `json.loads` on the UTF-8 text,
        then the bundle. A body `json` refuses never reaches the schema."""
        try:
            instance = json.loads(body.decode("utf-8"))
        except ValueError:  # UnicodeDecodeError and JSONDecodeError both are
            return False, {""}
        valid = self.root.is_valid(instance)
        paths = set()
        model = instance.get("model") if isinstance(instance, dict) else None
        branch = self.branches.get(model) if isinstance(model, str) else None
        if branch is not None:
            errors = branch.iter_errors(instance)
        else:
            errors = (e for e in self.root.iter_errors(instance) if e.validator != "oneOf")
        for error in errors:
            pointers(error, paths)
        return valid, paths


def check_url_corpus(root, document, tally):
    """The bundle's URL rule under `re` and `jsonschema` on the URL corpus."""
    # Split on "\n" only: `splitlines` also splits inside the JSON strings
    # (U+2028, U+0085 and other line breaks are written raw).
    lines = (root / "tests/corpus/urls.jsonl").read_text(encoding="utf-8").split("\n")
    urls = [json.loads(line) for line in lines if line.strip()]
    accepted = sum(1 for item in urls if item["valid"])
    tally.check(
        "URL corpus has both verdicts",
        accepted > 1000 and len(urls) - accepted > 2000,
        f"{accepted} of {len(urls)}",
    )
    pattern = re.compile(document["$defs"]["HttpsUrl"]["pattern"])
    validator = Draft202012Validator(definition(document, "HttpsUrl"))
    engines = [
        ("Python re", lambda url: pattern.search(url) is not None),
        ("Draft202012Validator HttpsUrl", validator.is_valid),
    ]
    for name, accepts in engines:
        wrong = [item for item in urls if accepts(item["url"]) != item["valid"]]
        tally.check(
            f"URL corpus under {name}",
            not wrong,
            f"{len(wrong)} of {len(urls)} disagree, first {wrong[:3]}",
        )


def main(root):
    tally = Tally()
    schema_dir = root / "generated/schema"

    files = [schema_dir / "orux-models.schema.json", schema_dir / "responses.schema.json"]
    files += sorted((schema_dir / "models").glob("*.schema.json"))
    for path in files:
        try:
            Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))
            tally.check(f"check_schema {path.name}", True)
        except Exception as error:  # noqa: BLE001 - reported as a failure
            tally.check(f"check_schema {path.name}", False, str(error))

    openapi_path = schema_dir / "openapi.json"
    spec, base_uri = read_from_filename(str(openapi_path))
    try:
        validate_openapi(spec, base_uri=base_uri)
        tally.check("openapi-spec-validator openapi.json", True)
    except Exception as error:  # noqa: BLE001 - reported as a failure
        tally.check("openapi-spec-validator openapi.json", False, str(error))

    document = json.loads((schema_dir / "orux-models.schema.json").read_text(encoding="utf-8"))
    bundle = Bundle(document)
    media = spec["paths"]["/api/v1/tasks"]["post"]["requestBody"]["content"]["application/json"]
    for name, example in media["examples"].items():
        errors = [e.message for e in bundle.root.iter_errors(example["value"])]
        tally.check(f"OpenAPI example {name}", not errors, "; ".join(errors))

    # The response examples (the docs' own) are valid under the response schemas.
    responses = json.loads((schema_dir / "responses.schema.json").read_text(encoding="utf-8"))
    for route, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                media = response.get("content", {}).get("application/json")
                if not media or "example" not in media:
                    continue
                component = media["schema"]["$ref"].rsplit("/", 1)[-1]
                target = spec["components"]["schemas"][component]["$ref"].split("#/$defs/")[1]
                validator = Draft202012Validator(definition(responses, target))
                errors = [e.message for e in validator.iter_errors(media["example"])]
                tally.check(f"{method.upper()} {route} {status} example", not errors, "; ".join(errors))

    cases = load_corpus(root)
    excused = excused_cases(root, cases)
    for case in cases:
        valid, paths = bundle.outcome(case["bytes"])
        agrees = valid == case["valid"] and paths == set(case["errors"])
        rule = excused.get(case["name"])
        if rule is None:
            tally.check(
                case["name"],
                agrees,
                f"expected valid={case['valid']} {sorted(set(case['errors']))}, "
                f"schema valid={valid} {sorted(paths)}",
            )
        else:
            tally.check(
                case["name"],
                not agrees,
                f"excused by {rule!r} but the schema agrees; drop it from schema-gaps.json",
            )

    check_url_corpus(root, document, tally)

    print(f"python: {len(excused)} corpus cases excused by schema-gaps.json")
    print(f"python: {tally.passed} passed, {len(tally.failures)} failed")
    return 1 if tally.failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: check.py REPO_ROOT")
    sys.exit(main(Path(sys.argv[1]).resolve()))
