"""The README's commands and programs, as the cross-language tests run them.

A block the tests run is the fenced block right after a line
`<!-- cross-language: NAME -->` in README.md, so the README shows exactly what
is tested. Standard library only.

- `block(root, name)`: the block's text; a missing marker or block stops the run.
- `commands(text)`: each command line of a shell block as an argument list
  (a line ending in `\\` continues on the next one).
- `npx(argv, node_dir)`: `npx --yes NAME@VERSION ARGS` as the command that
  runs the package installed in `node_dir` with ARGS, after checking that
  VERSION is the one its package-lock.json pins, so the README cannot name
  another (and nothing is fetched).
- `stage(root, directory)`: a directory holding `generated/schema` (a link to
  the repository's), in which a README command runs as written without
  writing into the repository.
"""

import json
import os
import shlex
from pathlib import Path

MARK = "<!-- cross-language: {} -->"


def block(root, name):
    lines = (Path(root) / "README.md").read_text(encoding="utf-8").split("\n")
    mark = MARK.format(name)
    try:
        at = lines.index(mark)
    except ValueError:
        raise SystemExit(f"README.md: no line {mark!r}") from None
    if at + 1 >= len(lines) or not lines[at + 1].startswith("```"):
        raise SystemExit(f"README.md: {mark!r} is not followed by a fenced block")
    body = []
    for line in lines[at + 2:]:
        if line.startswith("```"):
            return "\n".join(body) + "\n"
        body.append(line)
    raise SystemExit(f"README.md: the block after {mark!r} is not closed")


def commands(text):
    joined = text.replace("\\\n", " ")
    return [shlex.split(line) for line in joined.split("\n") if line.strip() and not line.lstrip().startswith("#")]


def npx(argv, node_dir):
    if argv[:2] != ["npx", "--yes"] or len(argv) < 3:
        raise SystemExit(f"README: expected `npx --yes NAME@VERSION ...`, got {argv}")
    name, _, version = argv[2].rpartition("@")
    node_dir = Path(node_dir)
    lock = node_dir / "package-lock.json"
    pinned = json.loads(lock.read_text(encoding="utf-8"))["packages"].get(f"node_modules/{name}", {})
    if pinned.get("version") != version:
        raise SystemExit(f"README runs {name}@{version}; {lock} pins {pinned.get('version')}")
    bins = json.loads((node_dir / "node_modules" / name / "package.json").read_text(encoding="utf-8"))["bin"]
    (binary,) = [bins] if isinstance(bins, str) else bins.values()
    return ["node", str(node_dir / "node_modules" / name / binary)] + argv[3:]


def stage(root, directory):
    directory = Path(directory)
    (directory / "generated").mkdir(parents=True, exist_ok=True)
    link = directory / "generated" / "schema"
    if not link.is_symlink():
        os.symlink(Path(root).resolve() / "generated" / "schema", link)
    return directory
