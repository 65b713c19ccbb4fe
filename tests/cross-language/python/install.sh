#!/usr/bin/env bash
# Installs the pinned Python packages (requirements.txt) into a virtual
# environment at target/py-venv, again whenever requirements.txt changes;
# does nothing when they are installed. Run by run.sh and by the
# prerequisites step of `cargo xtask test` (so a registry that cannot be
# reached fails the run at once).
set -euo pipefail
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
