#!/usr/bin/env bash
# Installs the pinned Python packages (requirements.txt) and npm packages
# (package-lock.json) of the OpenAPI checks under target/cross-language/openapi/,
# again whenever either file changes; does nothing when they are installed.
# Run by run.sh and by the prerequisites step of `cargo xtask test` (so a
# registry that cannot be reached fails the run at once).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="$root/target/cross-language/openapi"
node="$out/node"
mkdir -p "$out"

bash "$here/../pinned-venv.sh" "$out/venv" "$here/requirements.txt"

if [ ! -d "$node/node_modules" ] || ! cmp -s "$here/package-lock.json" "$node/node_modules/.installed-package-lock.json"; then
    echo "openapi: npm ci (tests/cross-language/openapi/package-lock.json) in target/cross-language/openapi/node"
    mkdir -p "$node"
    cp "$here/package.json" "$here/package-lock.json" "$node/"
    (cd "$node" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$here/package-lock.json" "$node/node_modules/.installed-package-lock.json"
fi
