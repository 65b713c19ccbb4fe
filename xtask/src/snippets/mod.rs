//! `cargo xtask snippets` (a step of `cargo xtask test`): every fenced code
//! block of every `README.md` in the repository runs in the tests, so that a
//! README cannot drift from what the tools do.
//!
//! # The convention (README.md, "Writing README snippets", says the same)
//!
//! Every `README.md` the repository holds (`git ls-files`; outside
//! `target/` and `node_modules/`) is read, and its fenced blocks are taken
//! in document order, in one scratch directory per README
//! (`target/snippets/<README path>/`). That directory looks like the
//! repository's root, as a reader's shell would: it links every top-level
//! entry (`generated/`, `models.yaml`, …) except `target/`, hidden entries
//! and the Cargo manifest and lock (so `cargo xtask …` run there finds the
//! real workspace above it), plus `node_modules` (the pinned npm packages
//! of `tests/cross-language/ts`). Files a block creates land in the scratch
//! directory and are there for the blocks after it; `export` and `cd` carry
//! over from one command to the next.
//!
//! Commands find, before the inherited `PATH`: `orux` built as users build
//! it (`cargo build -p orux-cli`, no test features), the Python virtual
//! environment's tools (`python3`, `datamodel-codegen`, …) and the npm
//! packages' tools (`tsc`, `json-schema-to-typescript`; `npx` finds them in
//! `node_modules`). `ORUX_*` variables are unset, `NO_COLOR=1`,
//! `CARGO_TERM_QUIET=true` (cargo's progress lines are not README output),
//! standard input is empty (not a terminal).
//!
//! What each block language means:
//! - `console`: lines starting with `$ ` are commands (a line ending in `\`
//!   continues on the next); the lines after a command, up to the next, are
//!   its output, standard output and error interleaved as a terminal shows
//!   them. Each command runs with bash and its output must match, line by
//!   line (trailing blanks ignored); in an expected line `…` stands for any
//!   text (task ids, times). The exit status is not compared: `orux
//!   validate` exits 1 on an invalid body, as the README shows.
//!   A command ending in ` &` is a server: it must name its port (`--port
//!   N`, `--port=N` or `-p N`); the harness runs it with port 0, waits (90
//!   s at most) for `listening on http://HOST:PORT` in its output, and from
//!   then on replaces every `:N` in the README's later commands, outputs and
//!   files with the real port. It shows no output in the README; it is
//!   stopped (its whole process group) when the README is done. So
//!   `$ orux mock --port 8080 &` and `$ export
//!   ORUX_BASE_URL=http://127.0.0.1:8080` run as written on a free port.
//! - `sh`, `bash`, `shell`: the block is one bash script (`set -eo
//!   pipefail`) and must exit 0; its output is not compared.
//! - `python`, `py`: run with the virtual environment's `python3` and must
//!   exit 0.
//! - `rust`: a doc test. The README must be included as documentation by a
//!   crate (`#![doc = include_str!("../README.md")]`, or a
//!   `#[cfg(doctest)]` item with `#[doc = include_str!(…)]`), so `cargo
//!   test` compiles and runs it. `ignore` and `no_run` need a `skip`
//!   directive saying why the block cannot run.
//! - `json`, `toml`, `yaml`: parsed; a syntax error fails.
//! - `text`: prose in a box (a diagram, a usage synopsis); not run.
//! - `ts`, `typescript`, `js`: must carry a `file` directive: they are
//!   compiled with the settings the README states (its `tsconfig.json`
//!   block, itself written with `file`), by the commands a later console
//!   block shows.
//! - anything else, or no language: an error.
//!
//! A block that cannot run as written takes a directive, an HTML comment on
//! the line(s) right before its opening fence:
//! - `<!-- snippet: file PATH -->`: write the block to PATH (relative, in
//!   the scratch directory) instead of running it; JSON, TOML and YAML are
//!   parsed first. For a `tsconfig.json`, a source file a later command
//!   compiles, a config file.
//! - `<!-- cross-language: NAME -->`: a script under `tests/cross-language/`
//!   reads the block by NAME (`readme.block(root, "NAME")`) and runs it with
//!   the tools it installs (OpenAPI generators); the harness checks that a
//!   script names it.
//! - `<!-- snippet: skip REASON -->`: do not run it; REASON says why (it
//!   installs into the user's home, it runs for ten minutes, it is the
//!   command that runs this harness). The summary counts skipped blocks.

mod console;
mod doctests;
mod markdown;
mod scenario;

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::metadata::Metadata;
use crate::steps::{self, Detail, cargo};
pub use scenario::Outcome;
use scenario::{Scenario, Tools};

/// Runs every README's blocks; all problems, of every README, at once.
pub fn run(root: &Path) -> Result<Detail, String> {
    run_some(root, &[])
}

/// [`run`] on the READMEs named in `only` (paths relative to `root`), or on
/// all of them when it is empty.
pub fn run_some(root: &Path, only: &[PathBuf]) -> Result<Detail, String> {
    let mut readmes = readmes(root)?;
    if !only.is_empty() {
        for wanted in only {
            if !readmes.contains(wanted) {
                return Err(format!(
                    "{} is not a README.md of the repository",
                    wanted.display()
                ));
            }
        }
        readmes.retain(|readme| only.contains(readme));
    }
    let tools = tools(root)?;
    let mut problems = Vec::new();
    let mut outcomes: Vec<Outcome> = Vec::new();
    for readme in &readmes {
        let shown = readme.display().to_string();
        eprintln!("snippets: {shown}");
        let text = std::fs::read_to_string(root.join(readme))
            .map_err(|error| format!("cannot read {shown}: {error}"))?;
        let blocks = match markdown::blocks(&text) {
            Ok(blocks) => blocks,
            Err(found) => {
                problems.extend(
                    found
                        .into_iter()
                        .map(|problem| format!("{shown}:{problem}")),
                );
                continue;
            }
        };
        if blocks.iter().any(|block| block.language == "rust")
            && let Err(problem) = doctests::included(root, readme)
        {
            problems.push(format!("{shown}: {problem}"));
        }
        let scratch = root.join("target/snippets").join(shown.replace('/', "__"));
        for block in &blocks {
            if let Some(markdown::Directive::CrossLanguage(name)) = &block.directive
                && !cross_language_reads(root, name)
            {
                problems.push(format!(
                    "{shown}:{}: marked `cross-language: {name}`, but no script under \
                     tests/cross-language/ reads a block of that name",
                    block.line
                ));
            }
        }
        let mut scenario = Scenario::new(root, scratch, &tools)?;
        for block in &blocks {
            match scenario.run(block) {
                Ok(outcome) => outcomes.push(outcome),
                Err(failure) => {
                    // The blocks after it may build on it: this README stops here.
                    problems.push(format!("{shown}:{}: {}", failure.line, failure.message));
                    break;
                }
            }
        }
    }
    if !problems.is_empty() {
        for problem in &problems {
            eprintln!("snippets: {problem}");
        }
        return Err(format!(
            "{} README snippet problem(s), listed above",
            problems.len()
        ));
    }
    Ok(Some(summary(readmes.len(), &outcomes)))
}

/// `58 blocks in 8 READMEs: 20 run, 9 doc tests, …`.
fn summary(readmes: usize, outcomes: &[Outcome]) -> String {
    let count = |wanted: Outcome| outcomes.iter().filter(|o| **o == wanted).count();
    let parts: Vec<String> = [
        (Outcome::Ran, "run"),
        (Outcome::DocTest, "doc tests"),
        (Outcome::Written, "files"),
        (Outcome::Parsed, "parsed"),
        (Outcome::CrossLanguage, "run by the cross-language tests"),
        (Outcome::Prose, "prose"),
        (Outcome::Skipped, "skipped"),
    ]
    .iter()
    .filter(|(outcome, _)| count(*outcome) > 0)
    .map(|(outcome, name)| format!("{} {name}", count(*outcome)))
    .collect();
    format!(
        "{} blocks in {readmes} READMEs: {}",
        outcomes.len(),
        parts.join(", ")
    )
}

/// Whether a script under `tests/cross-language/` names the README block
/// `name` (as `readme.block(root, "NAME")` does).
fn cross_language_reads(root: &Path, name: &str) -> bool {
    let quoted = format!("\"{name}\"");
    let mut pending = vec![root.join("tests/cross-language")];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_name() == "node_modules" {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else if std::fs::read_to_string(&path).is_ok_and(|text| text.contains(&quoted)) {
                return true;
            }
        }
    }
    false
}

/// Every `README.md` in the repository, relative to `root`, sorted: the
/// files git tracks or would track (untracked, not ignored), so a README a
/// change adds is read before it is committed.
fn readmes(root: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found: Vec<PathBuf> = crate::workspace_copy::repository_files(root)?
        .into_iter()
        .filter(|path| path.file_name().is_some_and(|name| name == "README.md"))
        .filter(|path| root.join(path).is_file())
        .collect();
    found.sort();
    found.dedup();
    if found.is_empty() {
        return Err("no README.md found".to_owned());
    }
    Ok(found)
}

/// Builds `orux` as users get it and finds the installed Python and npm
/// tools (the prerequisites step installs them).
fn tools(root: &Path) -> Result<Tools, String> {
    let mut build = cargo(root);
    build.args(["build", "--locked", "-p", "orux-cli", "--bin", "orux"]);
    steps::run_command(build)?;
    let target = Metadata::read(root)?.target_directory;
    let bin = root.join("target/snippets/bin");
    std::fs::create_dir_all(&bin)
        .map_err(|error| format!("cannot create {}: {error}", bin.display()))?;
    let link = bin.join("orux");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(target.join("debug/orux"), &link)
        .map_err(|error| format!("cannot link {}: {error}", link.display()))?;
    let tools = Tools {
        bin,
        python_bin: root.join("target/py-venv/bin"),
        node_modules: root.join("tests/cross-language/ts/node_modules"),
    };
    for (path, installer) in [
        (&tools.python_bin, "tests/cross-language/python/install.sh"),
        (&tools.node_modules, "tests/cross-language/ts/install.sh"),
    ] {
        if !path.is_dir() {
            return Err(format!(
                "{} is missing: run `bash {installer}` (the prerequisites step of \
                 `cargo xtask test` does)",
                path.display()
            ));
        }
    }
    Ok(tools)
}

/// `cargo xtask snippets --help`.
pub const USAGE: &str = "usage: cargo xtask snippets [README.md...]

Runs every fenced block of every README.md (a step of `cargo xtask test`), or
of the READMEs named (paths from the repository's root): console blocks are
run and their output compared, sh and Python blocks must exit 0, Rust blocks
must be doc tests, JSON/TOML/YAML must parse; a
`<!-- snippet: skip REASON -->` or `<!-- snippet: file PATH -->` comment
right before a block says how to treat one that cannot run as written.
The whole convention: README.md, \"Writing README snippets\", and
xtask/src/snippets/mod.rs.";

/// `cargo xtask snippets [README.md...]`: installs the pinned Python and npm
/// packages if needed, then runs the harness.
pub fn task(raw: impl Iterator<Item = String>, root: &Path) -> std::process::ExitCode {
    let mut only = Vec::new();
    for arg in raw {
        if arg == "-h" || arg == "--help" {
            println!("{USAGE}");
            return std::process::ExitCode::SUCCESS;
        }
        if arg.starts_with('-') {
            eprintln!("unknown argument `{arg}`\n\n{USAGE}");
            return std::process::ExitCode::from(2);
        }
        only.push(PathBuf::from(arg));
    }
    let mut all: Vec<steps::Step<'_>> = crate::prerequisites::INSTALLERS
        .iter()
        .map(|(_, script)| {
            let mut command = Command::new("bash");
            command.arg(script).current_dir(root);
            steps::Step::command("install", *script, command)
        })
        .collect();
    all.push(steps::Step::new("snippets", "README snippets", || {
        run_some(root, &only)
    }));
    steps::run("cargo xtask snippets", all, &[])
}
