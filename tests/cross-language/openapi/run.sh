#!/usr/bin/env bash
# The OpenAPI document in the generators and testers other-language teams
# use, each pinned and installed under target/cross-language/openapi/ (again
# whenever requirements.txt or package-lock.json changes), each generating
# from the checked-in generated/schema/openapi.json:
#   python_client.py     openapi-python-client, its client against orux mock
#   typescript.py        openapi-typescript + openapi-fetch and
#                        @hey-api/openapi-ts: tsc --strict, then against orux mock
#   prism_proxy.py       Prism as a validating proxy in front of orux mock
#   schemathesis_run.py  Schemathesis against orux mock, with a fixed budget
# Every one that talks to a server starts its own `orux mock --port 0` on
# loopback (the debug binary, built here if needed) and stops it.
set -euo pipefail
# The scripts import modules beside them: no __pycache__ in the source tree.
export PYTHONDONTWRITEBYTECODE=1
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="$root/target/cross-language/openapi"
venv="$out/venv"
bash "$here/install.sh"

# `cargo xtask test` has built it already; this only checks it is current.
cargo build --quiet --locked -p orux-cli --bin orux
orux="$root/target/debug/orux"

status=0
for step in python_client.py typescript.py prism_proxy.py schemathesis_run.py; do
    echo "openapi: $step"
    started=$SECONDS
    "$venv/bin/python" "$here/$step" "$root" "$orux" || status=1
    echo "openapi: $step took $((SECONDS - started)) s"
done
exit "$status"
