//! `cargo xtask ci`: exactly what CI runs (`.ci/run` calls it): the checks
//! (format, lints, generated files, bench build, package lists), then every
//! step of `cargo xtask test`, then a short run of each fuzz target.

use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

use crate::metadata::Metadata;
use crate::steps::{self, Step, cargo, describe};

/// `cargo xtask ci --help`.
pub const USAGE: &str = "usage: cargo xtask ci [--skip STEP]...

What CI runs on every change, in order, stopping at the first failure:
  fmt            cargo fmt --all --check
  clippy         cargo clippy --workspace --all-targets --locked -- -D warnings
  regenerate     cargo xtask regenerate --check
  bench-build    cargo bench --workspace --no-run --locked (benchmarks keep
                 building; nothing is timed)
  package        cargo package --no-verify --list --locked -p CRATE for each
                 published crate (every file it needs is in the package)
  then every step of `cargo xtask test` (cargo xtask test --help)
  fuzz           fuzz/run.sh TARGET 30 for each target in fuzz/fuzz_targets/
                 (nightly or RUSTC_BOOTSTRAP=1; the end of each run's output)

  --skip STEP    leave out a step (repeatable)";

/// Seconds each fuzz target runs in CI (fuzz/README.md has the long runs).
const FUZZ_SECONDS: &str = "30";
/// Lines kept of each fuzz run's output (a failure's report is at the end).
const FUZZ_TAIL: usize = 80;

/// Runs the task on the arguments after `ci`.
pub fn run(mut raw: impl Iterator<Item = String>, root: &Path) -> ExitCode {
    let mut skip = Vec::new();
    while let Some(arg) = raw.next() {
        match arg.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            "--skip" => match raw.next() {
                Some(step) if step_keys().any(|key| key == step) => skip.push(step),
                Some(step) => {
                    let keys: Vec<&str> = step_keys().collect();
                    eprintln!(
                        "--skip: no step `{step}`; the steps are {}\n\n{USAGE}",
                        keys.join(", ")
                    );
                    return ExitCode::from(2);
                }
                None => {
                    eprintln!("--skip needs a step\n\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            other => {
                eprintln!("unknown argument `{other}`\n\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let mut all = checks(root);
    all.extend(crate::test::steps(root, false));
    all.push(Step::new("fuzz", "fuzz smoke runs", || fuzz(root)));
    steps::run("cargo xtask ci", all, &skip)
}

/// The step keys of `ci`, in order: its checks, the test steps, fuzz.
fn step_keys() -> impl Iterator<Item = &'static str> {
    CHECK_KEYS
        .iter()
        .chain(crate::test::STEP_KEYS)
        .chain(&["fuzz"])
        .copied()
}

/// The keys of [`checks`], in order.
const CHECK_KEYS: &[&str] = &["fmt", "clippy", "regenerate", "bench-build", "package"];

fn checks(root: &Path) -> Vec<Step<'_>> {
    let command = |args: &[&str]| {
        let mut command = cargo(root);
        command.args(args);
        command
    };
    let mut regenerate = match std::env::current_exe() {
        Ok(xtask) => Command::new(xtask),
        Err(_) => command(&["xtask"]),
    };
    regenerate.args(["regenerate", "--check"]).current_dir(root);
    vec![
        Step::command(
            "fmt",
            "cargo fmt --check",
            command(&["fmt", "--all", "--check"]),
        ),
        Step::command(
            "clippy",
            "cargo clippy",
            command(&[
                "clippy",
                "--workspace",
                "--all-targets",
                "--locked",
                "--",
                "-D",
                "warnings",
            ]),
        ),
        Step::command("regenerate", "cargo xtask regenerate --check", regenerate),
        Step::command(
            "bench-build",
            "cargo bench --no-run",
            command(&["bench", "--workspace", "--no-run", "--locked"]),
        ),
        Step::new("package", "cargo package --list", || package_lists(root)),
    ]
}

/// `cargo package --list` for every published crate: a file a crate needs
/// (README.md, MODELS.md, the schema files `include_str!` reads) that would
/// be left out of its package fails here.
fn package_lists(root: &Path) -> Result<steps::Detail, String> {
    let metadata = Metadata::read(root)?;
    let crates: Vec<&str> = metadata.published().collect();
    for name in &crates {
        let mut command = cargo(root);
        command
            .args(["package", "--no-verify", "--list", "--locked", "-p", name])
            .stdout(Stdio::null());
        steps::run_command(command)?;
    }
    Ok(Some(crates.join(", ")))
}

/// Each fuzz target for a short run; only the end of each run's output is
/// shown.
fn fuzz(root: &Path) -> Result<steps::Detail, String> {
    let dir = root.join("fuzz/fuzz_targets");
    let mut targets: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|error| format!("cannot read {}: {error}", dir.display()))?
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            (path.extension()? == "rs").then(|| path.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    targets.sort();
    for target in &targets {
        eprintln!("==> fuzz/run.sh {target} {FUZZ_SECONDS}");
        let mut command = Command::new("bash");
        command
            .args([
                "-c",
                "\"$0\" \"$1\" \"$2\" 2>&1",
                "fuzz/run.sh",
                target,
                FUZZ_SECONDS,
            ])
            .current_dir(root);
        let shown = describe(&command);
        let output = command
            .output()
            .map_err(|error| format!("cannot run `{shown}`: {error}"))?;
        let text = String::from_utf8_lossy(&output.stdout);
        let lines: Vec<&str> = text.lines().collect();
        for line in &lines[lines.len().saturating_sub(FUZZ_TAIL)..] {
            println!("{line}");
        }
        if !output.status.success() {
            return Err(format!(
                "fuzz/run.sh {target} exited with {}",
                output.status
            ));
        }
    }
    Ok(Some(format!(
        "{} targets × {FUZZ_SECONDS} s",
        targets.len()
    )))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn the_step_keys_are_the_steps() {
        let root = Path::new("/repo");
        let checks: Vec<&str> = super::checks(root).iter().map(|step| step.key).collect();
        assert_eq!(checks, super::CHECK_KEYS);
        let tests: Vec<&str> = crate::test::steps(root, false)
            .iter()
            .map(|step| step.key)
            .collect();
        assert_eq!(tests, crate::test::STEP_KEYS);
    }
}
