"""The JSON Schema bundle and the OpenAPI document, as a Python user meets them.

1. Every schema file passes `Draft202012Validator.check_schema`.
2. `openapi.json` passes `openapi-spec-validator` (it is self-contained:
   every schema is under `components/schemas`); its request examples are
   valid under the bundle, its response examples under their schemas in the
   document itself.
3. Every body of the request corpus, read with the standard `json` module and
   validated with `Draft202012Validator`, gets the corpus's verdict and error
   paths, except for the cases `../schema-gaps.json` lists for `python` (which
   must really differ).

4. Every string of the URL corpus (`tests/corpus/urls.jsonl`) gets its
   verdict from the bundle's `HttpsUrl` pattern under Python's `re` (as
   `jsonschema` applies `pattern`) and from the `HttpsUrl` definition under
   `Draft202012Validator`.

5. Every single-mistake corpus case (invalid, exactly one expected error path,
   a body `json` reads, not excused) gets from the bundle alone, under both
   `jsonschema` and `jsonschema-rs`, an error at the field's pointer or at its
   parent naming the key (a missing or unknown key), and no error elsewhere.

6. The pydantic v2 models generated from the types bundle by
   `datamodel-code-generator` (see pydantic_types.py).

Error paths are computed as in `tests/tests/suite/json_schema.rs`: an error's
instance path, or the property itself for `required` and
`additionalProperties`, from the validation bundle's root (it dispatches on
`model`, so the field errors come from it). Paths are compared as sets.

Usage: check.py REPO_ROOT. Prints one line per failure and a closing
"python: N passed, M failed" line; exits 1 on any failure.
"""

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jsonschema_rs
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from openapi_spec_validator.readers import read_from_filename

from corpus import Tally, excused_cases, load_corpus

HARNESS = "python"


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


class Bundle:
    def __init__(self, document):
        self.root = Draft202012Validator(document)
        self.rs = jsonschema_rs.Draft202012Validator(document)

    def outcome(self, body):
        """(instance, valid, errors, paths) for a Python user: `json.loads` on
        the UTF-8 text, then the bundle. A body `json` refuses never reaches
        the schema (instance and errors are None)."""
        try:
            instance = json.loads(body.decode("utf-8"))
        except ValueError:  # UnicodeDecodeError and JSONDecodeError both are
            return None, False, None, {""}
        valid = self.root.is_valid(instance)
        errors = list(self.root.iter_errors(instance))
        paths = set()
        for error in errors:
            pointers(error, paths)
        return instance, valid, errors, paths


def names_key(message, key):
    """Whether an error message names `key`, quoted as Python or JSON quote it."""
    return any(q in message for q in (repr(key), json.dumps(key), json.dumps(key, ensure_ascii=False)))


def locates(errors, path):
    """Whether `errors` (as (pointer, kind, message) triples) locate a single
    mistake at `path`: at least one at the field's pointer, or at its parent
    naming the key with `required` or `additionalProperties`, and none
    anywhere but there or below the field."""
    parent, _, key = path.rpartition("/")
    key = key.replace("~1", "/").replace("~0", "~")

    def at(error):
        pointer_, kind, message = error
        if pointer_ == path:
            return True
        return (
            path != ""
            and pointer_ == parent
            and kind in ("required", "additionalProperties")
            and names_key(message, key)
        )

    def below(error):
        return error[0].startswith(path + "/")

    return any(at(e) for e in errors) and all(at(e) or below(e) for e in errors)


def rs_kind(error):
    """The keyword of a jsonschema-rs error, as `jsonschema` names it."""
    name = type(error.kind).__name__
    return {"Required": "required", "AdditionalProperties": "additionalProperties"}.get(name, name)


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

    files = [schema_dir / name for name in ("orux-models.schema.json", "orux-models.types.schema.json", "responses.schema.json")]
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

    # The response examples (the docs' own) are valid under their schemas, as
    # the document states them.
    components = json.loads(json.dumps(spec["components"]["schemas"]).replace("#/components/schemas/", "#/$defs/"))
    in_document = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": components}
    for route, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                media = response.get("content", {}).get("application/json")
                if not media or "example" not in media:
                    continue
                component = media["schema"]["$ref"].rsplit("/", 1)[-1]
                validator = Draft202012Validator(definition(in_document, component))
                errors = [e.message for e in validator.iter_errors(media["example"])]
                tally.check(f"{method.upper()} {route} {status} example", not errors, "; ".join(errors))

    # The error bodies of `components.responses` match the error schema.
    errors_schema = Draft202012Validator(definition(in_document, "ErrorResponse"))
    components = spec["components"].get("responses", {})
    tally.check("OpenAPI error responses", len(components) >= 8, f"{sorted(components)}")
    for name, response in components.items():
        example = response["content"]["application/json"]["example"]
        problems = [e.message for e in errors_schema.iter_errors(example)]
        tally.check(f"OpenAPI response {name} example", not problems, "; ".join(problems))

    cases = load_corpus(root)
    excused = excused_cases(root, cases, HARNESS)
    singles = 0
    for case in cases:
        instance, valid, errors, paths = bundle.outcome(case["bytes"])
        expected = set(case["errors"])
        if not case["valid"] and len(expected) == 1 and errors is not None and case["name"] not in excused:
            singles += 1
            (path,) = expected
            found = [(pointer(e.absolute_path), e.validator, e.message) for e in errors]
            tally.check(f"{case['name']} (located, jsonschema)", locates(found, path), f"expected {path!r}, got {found}")
            found = [(pointer(e.instance_path), rs_kind(e), e.message) for e in bundle.rs.iter_errors(instance)]
            tally.check(f"{case['name']} (located, jsonschema-rs)", locates(found, path), f"expected {path!r}, got {found}")
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

    tally.check("single-mistake cases found", singles > 100, f"{singles} cases")
    print(f"python: {singles} single-mistake corpus cases located at their field by jsonschema and jsonschema-rs")

    check_url_corpus(root, document, tally)

    print(f"python: {len(excused)} corpus cases excused by schema-gaps.json")
    print(f"python: {tally.passed} passed, {len(tally.failures)} failed")
    return 1 if tally.failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: check.py REPO_ROOT")
    sys.exit(main(Path(sys.argv[1]).resolve()))
