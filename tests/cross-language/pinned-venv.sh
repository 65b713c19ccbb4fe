#!/usr/bin/env bash
# pinned-venv.sh VENV REQUIREMENTS: a virtual environment at VENV (under
# target/) with exactly the pinned REQUIREMENTS installed, made again
# whenever the requirements file changes (a copy of it is the stamp).
set -euo pipefail
venv="$1"
requirements="$2"
stamp="$venv/installed-requirements.txt"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$stamp"; then
    echo "installing $requirements into $venv"
    python3 -m venv --clear "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$requirements"
    cp "$requirements" "$stamp"
fi
