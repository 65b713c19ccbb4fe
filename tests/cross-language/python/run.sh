#!/usr/bin/env bash
# The bundle and the OpenAPI document under Python's jsonschema, jsonschema-rs
# and openapi-spec-validator (see check.py), then pydantic v2 models generated
# by datamodel-code-generator (see pydantic_types.py). Installs the pinned requirements into
# a virtual environment at target/py-venv first, again whenever
# requirements.txt changes.
set -euo pipefail
# The scripts import modules beside them: no __pycache__ in the source tree.
export PYTHONDONTWRITEBYTECODE=1
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
venv="$root/target/py-venv"
stamp="$venv/installed-requirements.txt"

if [ ! -x "$venv/bin/python" ] || ! cmp -s "$here/requirements.txt" "$stamp"; then
    echo "python: installing tests/cross-language/python/requirements.txt into target/py-venv"
    python3 -m venv --clear "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input \
        -r "$here/requirements.txt"
    cp "$here/requirements.txt" "$stamp"
fi

status=0
"$venv/bin/python" "$here/check.py" "$root" || status=1
"$venv/bin/python" "$here/pydantic_types.py" "$root" || status=1
exit "$status"
