#!/usr/bin/env bash
# Installs the locked npm packages (package-lock.json) into node_modules,
# again whenever package-lock.json changes; does nothing when they are
# installed. Run by run.sh and by the prerequisites step of
# `cargo xtask test` (so a registry that cannot be reached fails the run at
# once).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
stamp="$here/node_modules/.installed-package-lock.json"
cd "$here"

if [ ! -d node_modules ] || ! cmp -s package-lock.json "$stamp"; then
    echo "typescript: npm ci (tests/cross-language/ts/package-lock.json)"
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json "$stamp"
fi
