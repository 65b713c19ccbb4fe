"""Pydantic v2 models generated from the types bundle, as a Python user would
generate them, must admit the valid requests and refuse the invalid ones.

1. `datamodel-codegen` turns `generated/schema/orux-models.types.schema.json`
   (the discriminated union) into a module under target/ (the same command as
   the README's).
2. Every example body in the bundle, and every valid body of the request
   corpus that JSON Schema accepts (not one `schema-gaps.json` excuses), is
   accepted by `TaskRequest`; requests built field by field are accepted and
   serialize back to the same body.
3. A Sora 2 request with `aspect_ratio="1:1"` or `duration=8` raises
   `ValidationError`, built directly or read through `TaskRequest`, and so do
   an unknown field, an unknown model and a missing prompt.

Usage: pydantic_types.py REPO_ROOT. Prints one line per failure and a closing
"pydantic: N passed, M failed" line; exits 1 on any failure.
"""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

from pydantic import ValidationError

from check import Tally, excused_cases, load_corpus

HARNESS = "python"


def generate(root):
    """Runs datamodel-codegen and imports the module it wrote."""
    out = root / "target/cross-language/python/orux_models.py"
    out.parent.mkdir(parents=True, exist_ok=True)
    codegen = Path(sys.executable).with_name("datamodel-codegen")
    subprocess.run(
        [
            str(codegen),
            "--input", str(root / "generated/schema/orux-models.types.schema.json"),
            "--input-file-type", "jsonschema",
            "--output-model-type", "pydantic_v2.BaseModel",
            "--output", str(out),
            "--field-constraints",
            "--use-annotated",
            "--enum-field-as-literal", "all",
            "--formatters", "builtin",
            "--disable-timestamp",
        ],
        check=True,
        timeout=300,
    )
    spec = importlib.util.spec_from_file_location("orux_models_pydantic", out)
    module = importlib.util.module_from_spec(spec)
    # pydantic resolves generic models through sys.modules.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def rejects(build):
    """Whether `build()` raises pydantic's ValidationError."""
    try:
        build()
    except ValidationError:
        return True
    return False


def main(root):
    tally = Tally()
    types = generate(root)
    task_request = types.TaskRequest

    bundle = json.loads((root / "generated/schema/orux-models.types.schema.json").read_text(encoding="utf-8"))
    for example in bundle["examples"]:
        try:
            task_request.model_validate(example)
            tally.check(f"example {example['model']}", True)
        except ValidationError as error:
            tally.check(f"example {example['model']}", False, str(error))

    cases = load_corpus(root)
    excused = excused_cases(root, cases)
    accepted = 0
    for case in cases:
        if not case["valid"] or case["name"] in excused or "body" not in case:
            continue
        accepted += 1
        try:
            task_request.model_validate(case["body"])
            tally.check(f"corpus {case['name']}", True)
        except ValidationError as error:
            tally.check(f"corpus {case['name']}", False, str(error))
    tally.check("valid corpus bodies found", accepted > 50, f"{accepted} bodies")

    # Built field by field, then serialized without the unset defaults.
    sora = types.Sora2Request(model="sora2", prompt="A paper boat", duration=10, aspect_ratio="9:16")
    body = sora.model_dump(mode="json", exclude_unset=True)
    tally.check(
        "Sora2Request built and dumped",
        body == {"model": "sora2", "prompt": "A paper boat", "duration": 10, "aspect_ratio": "9:16"},
        repr(body),
    )
    tally.check(
        "TaskRequest picks Sora2Request by model",
        isinstance(task_request.model_validate(body).root, types.Sora2Request),
        repr(task_request.model_validate(body)),
    )
    default = types.Sora2Request(model="sora2", prompt="A paper boat")
    tally.check("Sora 2 defaults", default.duration.root == 5 and default.aspect_ratio.root == "16:9", repr(default))

    refused = {
        "Sora2Request aspect_ratio='1:1'": lambda: types.Sora2Request(model="sora2", prompt="p", aspect_ratio="1:1"),
        "Sora2Request duration=8": lambda: types.Sora2Request(model="sora2", prompt="p", duration=8),
        "TaskRequest sora2 aspect_ratio 1:1": lambda: task_request.model_validate(
            {"model": "sora2", "prompt": "p", "aspect_ratio": "1:1"}
        ),
        "TaskRequest sora2 duration 8": lambda: task_request.model_validate({"model": "sora2", "prompt": "p", "duration": 8}),
        "TaskRequest sora2 unknown field": lambda: task_request.model_validate(
            {"model": "sora2", "prompt": "p", "resolution": "4k"}
        ),
        "TaskRequest sora2 without prompt": lambda: task_request.model_validate({"model": "sora2"}),
        "TaskRequest unknown model": lambda: task_request.model_validate({"model": "sora-2-pro", "prompt": "p"}),
    }
    for name, build in refused.items():
        tally.check(name, rejects(build), "no ValidationError")

    print(f"pydantic: {tally.passed} passed, {len(tally.failures)} failed")
    return 1 if tally.failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: pydantic_types.py REPO_ROOT")
    sys.exit(main(Path(sys.argv[1]).resolve()))
