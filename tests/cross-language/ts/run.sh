#!/usr/bin/env bash
# The bundle as a TypeScript user meets it: types from json-schema-to-typescript
# checked with tsc --strict against requests.ts, then the request corpus under
# ajv (validate-corpus.mjs). Installs the locked npm packages first (npm ci),
# again whenever package-lock.json changes; generated types go to target/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="$root/target/cross-language/ts"
stamp="$here/node_modules/.installed-package-lock.json"
cd "$here"

if [ ! -d node_modules ] || ! cmp -s package-lock.json "$stamp"; then
    echo "typescript: npm ci (tests/cross-language/ts/package-lock.json)"
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json "$stamp"
fi

mkdir -p "$out"
node generate-types.mjs "$root" "$out/orux-models.ts"
node_modules/.bin/tsc -p tsconfig.json
echo "typescript: tsc --strict accepts the valid requests in requests.ts and rejects every @ts-expect-error one"
node validate-corpus.mjs "$root"
