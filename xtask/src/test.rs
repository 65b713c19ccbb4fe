//! `cargo xtask test [--accept] [--skip STEP]…`: every test of the
//! repository, in the order CI runs them (`cargo xtask ci` runs these same
//! steps after its checks).

use std::cell::OnceCell;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::rc::Rc;

use crate::steps::{self, Step, cargo};

/// Where `cli/tests/installed_build.rs` finds the `orux` built as `cargo
/// install` builds it.
const INSTALLED_BIN: &str = "ORUX_INSTALLED_BIN";

/// `cargo xtask test --help`.
pub const USAGE: &str = "usage: cargo xtask test [--accept] [--skip STEP]...

Runs, in order, stopping at the first failure, then prints one summary line:
  prerequisites  Rust, python3 with venv, node and npm are there; the pinned
                 crates, Python and npm packages are fetched (target/py-venv,
                 target/cross-language/openapi,
                 tests/cross-language/ts/node_modules)
  installed-orux cargo build -p orux-cli --bin orux: orux as `cargo install`
                 builds it (without the dev-dependencies' features), kept as
                 orux-as-installed beside target/debug/orux
  cargo-test     cargo test --workspace --locked (unit, integration and doc
                 tests: every README's Rust blocks are doc tests; the
                 installed orux is compared with the tested one)
  python         tests/cross-language/python/run.sh: the JSON Schema bundle and
                 the OpenAPI document under Python's tools
  typescript     tests/cross-language/ts/run.sh: the bundle under tsc and ajv
  openapi        tests/cross-language/openapi/run.sh: the OpenAPI document in
                 openapi-python-client, openapi-typescript, @hey-api/openapi-ts,
                 Schemathesis and Prism, against orux mock
  snippets       every fenced block of every README.md (cargo xtask snippets)
  rehearsal      the maintainer's path on a copy of the workspace: add a model,
                 regenerate, cargo xtask test --accept, end green (cargo xtask
                 rehearse)

  --accept       accept changed insta snapshots (INSTA_UPDATE=always) instead
                 of failing on them; read them in `git diff` before committing
  --skip STEP    leave out a step (repeatable); the summary says what was skipped";

/// What the command line asked for.
pub struct Args {
    /// Accept changed snapshots.
    pub accept: bool,
    /// Step keys to leave out.
    pub skip: Vec<String>,
}

/// The step keys, in order.
pub const STEP_KEYS: &[&str] = &[
    "prerequisites",
    "installed-orux",
    "cargo-test",
    "python",
    "typescript",
    "openapi",
    "snippets",
    "rehearsal",
];

/// Runs the task on the arguments after `test`.
pub fn run(raw: impl Iterator<Item = String>, root: &Path) -> ExitCode {
    let args = match parse_args(raw) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("{message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    steps::run("cargo xtask test", steps(root, args.accept), &args.skip)
}

/// The arguments, or `None` for `--help`.
pub fn parse_args(mut raw: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut args = Args {
        accept: false,
        skip: Vec::new(),
    };
    while let Some(arg) = raw.next() {
        match arg.as_str() {
            "--accept" => args.accept = true,
            "--skip" => {
                let step = raw.next().ok_or("--skip needs a step")?;
                if !STEP_KEYS.contains(&step.as_str()) {
                    return Err(format!(
                        "--skip: no step `{step}`; the steps are {}",
                        STEP_KEYS.join(", ")
                    ));
                }
                args.skip.push(step);
            }
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Some(args))
}

/// The steps of the test suite, as `cargo xtask test` and `cargo xtask ci`
/// run them.
pub fn steps(root: &Path, accept: bool) -> Vec<Step<'_>> {
    let mut cargo_test = cargo(root);
    cargo_test.args(["test", "--workspace", "--locked"]);
    if accept {
        // insta writes a changed snapshot in place and lets the test pass.
        cargo_test.env("INSTA_UPDATE", "always");
    }
    let script = |path: &str| {
        let mut command = Command::new("bash");
        command.arg(path).current_dir(root);
        command
    };
    let installed: Rc<OnceCell<PathBuf>> = Rc::default();
    let built = Rc::clone(&installed);
    vec![
        Step::new("prerequisites", "prerequisites", || {
            crate::prerequisites::check(root)
        }),
        Step::new(
            "installed-orux",
            "orux as cargo install builds it",
            move || {
                let path = installed_orux(root)?;
                let shown = path.display().to_string();
                let _ = built.set(path);
                Ok(Some(shown))
            },
        ),
        Step::new("cargo-test", "cargo test", move || {
            // cli/tests/installed_build.rs compares it with the tested `orux`.
            if let Some(path) = installed.get() {
                cargo_test.env(INSTALLED_BIN, path);
            }
            let counts = steps::run_cargo_test(cargo_test)?;
            if accept {
                report_accepted(root);
            }
            Ok(Some(counts.to_string()))
        }),
        Step::command(
            "python",
            "Python cross-language checks",
            script("tests/cross-language/python/run.sh"),
        ),
        Step::command(
            "typescript",
            "TypeScript cross-language checks",
            script("tests/cross-language/ts/run.sh"),
        ),
        Step::command(
            "openapi",
            "OpenAPI generators and testers",
            script("tests/cross-language/openapi/run.sh"),
        ),
        Step::new("snippets", "README snippets", || crate::snippets::run(root)),
        Step::new("rehearsal", "maintainer rehearsal", || {
            crate::rehearsal::run(root)
        }),
    ]
}

/// Builds `orux` alone, as `cargo install --path cli` does: without the
/// dev-dependencies' features, which a workspace test build turns on (such
/// as serde_json's `preserve_order`). The test build then replaces
/// `target/debug/orux`, so a copy is kept beside it; its path is returned.
fn installed_orux(root: &Path) -> Result<PathBuf, String> {
    let output = cargo(root)
        .args(["build", "--locked", "-p", "orux-cli", "--bin", "orux"])
        .args(["--message-format", "json-render-diagnostics"])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !output.status.success() {
        return Err(format!("cargo build failed ({})", output.status));
    }
    let built = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["target"]["name"] == "orux")
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .ok_or("cargo named no orux executable")?;
    let copy = built.with_file_name(format!("orux-as-installed{}", std::env::consts::EXE_SUFFIX));
    std::fs::copy(&built, &copy).map_err(|error| {
        format!(
            "cannot copy {} to {}: {error}",
            built.display(),
            copy.display()
        )
    })?;
    Ok(copy)
}

/// Lists the snapshot files `--accept` changed, for the maintainer to read.
fn report_accepted(root: &Path) {
    let output = Command::new("git")
        .args(["status", "--porcelain", "--", "*.snap"])
        .current_dir(root)
        .output();
    let changed: Vec<String> = match output {
        Ok(output) if output.status.success() => String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|line| line.get(3..).unwrap_or(line).to_owned())
            .collect(),
        _ => return,
    };
    if changed.is_empty() {
        eprintln!("==> --accept: no snapshot changed");
    } else {
        eprintln!("==> --accept: changed snapshots (read them in `git diff` before committing):");
        for path in changed {
            eprintln!("      {path}");
        }
    }
}
