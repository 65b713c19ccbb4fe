//! The first step of `cargo xtask test`: the tools the suite needs are there
//! (README, "Set-up"), then the pinned packages are fetched, so that a
//! missing tool or an unreachable registry fails the run in seconds, named,
//! instead of minutes later in the middle of the suite.

use std::path::Path;
use std::process::Command;

use crate::metadata::Metadata;
use crate::steps::{Detail, cargo, describe};

/// The oldest Python the cross-language tools support (openapi-python-client
/// needs 3.11).
const PYTHON_MIN: (u64, u64) = (3, 11);

/// The scripts that install the pinned Python and npm packages, and the
/// registries they need.
pub const INSTALLERS: &[(&str, &str)] = &[
    (
        "Python packages (PyPI)",
        "tests/cross-language/python/install.sh",
    ),
    (
        "npm packages (the npm registry)",
        "tests/cross-language/ts/install.sh",
    ),
    (
        "OpenAPI tools (PyPI and the npm registry)",
        "tests/cross-language/openapi/install.sh",
    ),
];
/// The oldest Node.js the TypeScript checks and README snippets are run on
/// (import attributes, `with { type: "json" }`).
const NODE_MIN: u64 = 20;

/// A tool's version, or what is wrong with it.
type ToolCheck = fn(&Metadata) -> Result<String, String>;

/// Checks every tool (all problems at once), then installs or checks the
/// pinned packages: crates (`cargo fetch`), the Python virtual environment,
/// the npm packages.
pub fn check(root: &Path) -> Result<Detail, String> {
    let metadata = Metadata::read(root)?;
    let mut found = Vec::new();
    let mut missing = Vec::new();
    let checks: [(&str, ToolCheck); 4] = [
        ("Rust", rust),
        ("Python", python),
        ("Node.js", node),
        ("npm", npm),
    ];
    for (tool, check) in checks {
        match check(&metadata) {
            Ok(version) => found.push(format!("{tool} {version}")),
            Err(problem) => missing.push(format!("  - {tool}: {problem}")),
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "missing prerequisites (README.md, \"Set-up: the two commands\"):\n{}",
            missing.join("\n")
        ));
    }
    let host = host_triple()?;
    let mut fetch = cargo(root);
    fetch.args(["fetch", "--locked", "--target", &host]);
    registry("crates (crates.io)", fetch)?;
    for (registry_name, script) in INSTALLERS {
        let mut install = Command::new("bash");
        install.arg(script).current_dir(root);
        registry(registry_name, install)?;
    }
    Ok(Some(found.join(", ")))
}

/// Runs an install or fetch; its failure names the registry it needed.
fn registry(what: &str, mut command: Command) -> Result<(), String> {
    let shown = describe(&command);
    match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!(
            "cannot install the {what}: `{shown}` exited with {status} (is the registry reachable?)"
        )),
        Err(error) => Err(format!("cannot run `{shown}`: {error}")),
    }
}

/// The first line a program prints for `args`, or why it could not run.
fn first_line(program: &str, args: &[&str]) -> Result<String, String> {
    let output = Command::new(program)
        .args(args)
        .output()
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => format!("`{program}` is not on PATH"),
            _ => format!("cannot run `{program}`: {error}"),
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().last().unwrap_or_default().trim();
        return Err(format!(
            "`{program} {}` failed ({}): {last}",
            args.join(" "),
            output.status
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned())
}

/// The numbers of a version such as `1.95.0`, `v20.20.2` or `3.11.7`.
fn numbers(version: &str) -> Vec<u64> {
    version
        .trim_start_matches('v')
        .split(['.', '-', ' '])
        .map_while(|part| part.parse().ok())
        .collect()
}

fn rust(metadata: &Metadata) -> Result<String, String> {
    let line = first_line("rustc", &["--version"])?;
    let version = line
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    if let Some(wanted) = metadata.rust_version()
        && numbers(&version) < numbers(wanted)
    {
        return Err(format!(
            "rustc {version} is older than the workspace's rust-version {wanted}"
        ));
    }
    Ok(version)
}

fn python(_: &Metadata) -> Result<String, String> {
    // `venv` alone is not enough: Debian's python3 without python3-venv has
    // the module but not `ensurepip`, and `python3 -m venv` then fails.
    let version = first_line(
        "python3",
        &[
            "-c",
            "import sys, venv, ensurepip; print('%d.%d.%d' % sys.version_info[:3])",
        ],
    )
    .map_err(|problem| format!("{problem} (python3 with the venv module and ensurepip)"))?;
    let (major, minor) = PYTHON_MIN;
    if numbers(&version) < vec![major, minor] {
        return Err(format!("python3 {version} is older than {major}.{minor}"));
    }
    Ok(version)
}

fn node(_: &Metadata) -> Result<String, String> {
    let version = first_line("node", &["--version"])
        .map_err(|problem| format!("{problem} (Node.js {NODE_MIN} or later)"))?;
    if numbers(&version)
        .first()
        .is_none_or(|major| *major < NODE_MIN)
    {
        return Err(format!("node {version} is older than {NODE_MIN}"));
    }
    Ok(version)
}

fn npm(_: &Metadata) -> Result<String, String> {
    first_line("npm", &["--version"])
}

fn host_triple() -> Result<String, String> {
    let output = Command::new("rustc")
        .arg("-vV")
        .output()
        .map_err(|error| format!("cannot run rustc -vV: {error}"))?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_owned)
        .ok_or_else(|| "rustc -vV names no host".to_owned())
}

#[cfg(test)]
mod tests {
    use super::numbers;

    #[test]
    fn versions_compare_by_their_numbers() {
        assert_eq!(numbers("v20.20.2"), [20, 20, 2]);
        assert_eq!(numbers("1.95.0"), [1, 95, 0]);
        assert!(numbers("1.89") <= numbers("1.95.0"));
        assert!(numbers("1.100.0") > numbers("1.95.0"));
        assert!(numbers("3.8.10") < numbers("3.9"));
    }
}
