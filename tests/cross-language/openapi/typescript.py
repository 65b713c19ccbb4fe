"""The OpenAPI document in TypeScript: openapi-typescript with openapi-fetch,
and @hey-api/openapi-ts with its fetch client.

1. The README's commands (blocks `typescript-generate`, `hey-api-config`,
   `hey-api-generate`) run as written, with the packages run.sh installed
   (their versions must be the README's), in target/cross-language/openapi/node.
2. `tsc --strict` compiles, with both generated outputs: every valid body of
   the request corpus as a `TaskRequest` of each generator (corpus-*.ts,
   written here), ts/typed-rules.ts (bodies that break a typed rule, each
   under `@ts-expect-error`), ts/hey-roundtrip.ts and the README's program
   (block `typescript-submit-and-wait`).
3. The README's program submits to a fresh `orux mock` and waits for success
   with result URLs; ts/hey-roundtrip.ts does the same with the hey-api
   client, and gets typed 404 and 400 answers.

Usage: typescript.py REPO_ROOT ORUX_BINARY. Prints one line per failure and a
closing "typescript (OpenAPI): N passed, M failed" line; exits 1 on any failure.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from corpus import Tally, load_corpus  # noqa: E402
import readme  # noqa: E402
from mock import Mock, environment  # noqa: E402


def run(argv, cwd, tally, what, env=None, timeout=300):
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    tally.check(what, done.returncode == 0, done.stdout + done.stderr)
    return done


def generate(root, node, tally):
    lock = json.loads((node / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    for argv in readme.commands(readme.block(root, "typescript-generate")):
        if argv[:2] == ["npm", "install"]:
            # The README's install line: the version run.sh installed.
            name, _, version = argv[2].rpartition("@")
            pinned = lock.get(f"node_modules/{name}", {}).get("version")
            tally.check(f"README pins {name}", pinned == version, f"README {version}, lock {pinned}")
        else:
            run(readme.npx(argv, node), node, tally, "openapi-typescript generates")
    (node / "openapi-ts.config.mjs").write_text(readme.block(root, "hey-api-config"), encoding="utf-8")
    shutil.rmtree(node / "orux-hey-api", ignore_errors=True)
    for argv in readme.commands(readme.block(root, "hey-api-generate")):
        run(readme.npx(argv, node), node, tally, "@hey-api/openapi-ts generates")


def write_corpus(root, node):
    """Every valid corpus body, as written (JSON text is a TypeScript
    expression), typed as each generator's `TaskRequest`."""
    bodies = [case for case in load_corpus(root) if case["valid"]]
    for file, module in (("corpus-openapi-typescript.ts", "./orux-api.js"),
                         ("corpus-hey-api.ts", "./orux-hey-api/index.js")):
        lines = [
            "// Written by typescript.py: every valid body of tests/corpus/requests.",
            f'import type {{ TaskRequest }} from "{module}";',
            "export const bodies: TaskRequest[] = [",
        ]
        for case in bodies:
            lines.append(f"  // {case['name']}")
            lines.append("  " + case["bytes"].decode("utf-8").strip() + ",")
        lines.append("];")
        (node / file).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(bodies)


def main(root, orux):
    tally = Tally()
    node = readme.stage(root, root / "target/cross-language/openapi/node")
    generate(root, node, tally)
    count = write_corpus(root, node)
    tally.check("valid corpus bodies found", count > 50, f"{count} bodies")
    for source in (HERE / "ts").iterdir():
        shutil.copy(source, node / source.name)
    (node / "submit-and-wait.ts").write_text(readme.block(root, "typescript-submit-and-wait"), encoding="utf-8")
    shutil.rmtree(node / "dist", ignore_errors=True)
    tsc = run(["node", str(node / "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], node, tally,
              "tsc --strict")
    if tsc.returncode == 0:
        print(f"typescript (OpenAPI): tsc --strict accepts {count} corpus bodies for each generator and rejects "
              "every @ts-expect-error body")
        with Mock(orux, task_seconds=3) as base_url:
            said = run(["node", "dist/submit-and-wait.js"], node, tally, "README program runs",
                       env=environment(base_url), timeout=120).stdout.strip()
            # `console.log(status, urls)`: `success [ 'https://…' ]`, the list
            # over several lines when long.
            tally.check("README program waits for success with result URLs",
                        said.startswith("success [") and "'http" in said, said)
        with Mock(orux, task_seconds=0.5) as base_url:
            run(["node", "dist/hey-roundtrip.js"], node, tally, "hey-api client round trip",
                env=environment(base_url), timeout=120)
    print(f"typescript (OpenAPI): {tally.passed} passed, {len(tally.failures)} failed")
    return 1 if tally.failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: typescript.py REPO_ROOT ORUX_BINARY")
    sys.exit(main(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()))
