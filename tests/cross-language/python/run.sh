#!/usr/bin/env bash
# The bundle and the OpenAPI document under Python's jsonschema, jsonschema-rs
# and openapi-spec-validator (see check.py), then pydantic v2 models generated
# by datamodel-code-generator (see pydantic_types.py), in the virtual
# environment install.sh keeps at target/py-venv.
set -euo pipefail
# The scripts import modules beside them: no __pycache__ in the source tree.
export PYTHONDONTWRITEBYTECODE=1
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
venv="$root/target/py-venv"
bash "$here/install.sh"

status=0
"$venv/bin/python" "$here/check.py" "$root" || status=1
"$venv/bin/python" "$here/pydantic_types.py" "$root" || status=1
exit "$status"
