#!/usr/bin/env bash
# The bundle as a TypeScript user meets it: types from json-schema-to-typescript
# checked with tsc --strict against requests.ts, then the request corpus under
# ajv (validate-corpus.mjs), with the packages install.sh keeps in
# node_modules; generated types go to target/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="$root/target/cross-language/ts"
bash "$here/install.sh"
cd "$here"

mkdir -p "$out"
node generate-types.mjs "$root" "$out/orux-models.ts"
node_modules/.bin/tsc -p tsconfig.json
echo "typescript: tsc --strict accepts the valid requests in requests.ts and rejects every @ts-expect-error one"
node validate-corpus.mjs "$root"
