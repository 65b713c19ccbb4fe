#!/usr/bin/env bash
# Installs the pinned Python packages (requirements.txt) into a virtual
# environment at target/py-venv, again whenever requirements.txt changes;
# does nothing when they are installed. Run by run.sh and by the
# prerequisites step of `cargo xtask test` (so a registry that cannot be
# reached fails the run at once).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
bash "$here/../pinned-venv.sh" "$root/target/py-venv" "$here/requirements.txt"
