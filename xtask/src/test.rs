//! `cargo xtask test`: the whole test suite, in the order CI runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

/// Where `cli/tests/installed_build.rs` finds the `orux` built as `cargo
/// install` builds it.
const INSTALLED_BIN: &str = "ORUX_INSTALLED_BIN";

/// Runs every step; stops at the first that fails.
pub fn run(root: &Path) -> ExitCode {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    eprintln!("==> orux as `cargo install` builds it");
    let installed = match installed_orux(&cargo, root) {
        Ok(path) => path,
        Err(message) => {
            eprintln!("==> cannot build orux as installed: {message}");
            return ExitCode::FAILURE;
        }
    };
    let mut steps: Vec<(&str, Command)> = vec![("cargo test", {
        let mut command = Command::new(&cargo);
        command.args(["test", "--workspace", "--locked"]);
        // cli/tests/installed_build.rs compares it with the tested `orux`.
        command.env(INSTALLED_BIN, &installed);
        command
    })];
    // The JSON Schema bundle under Python's jsonschema and openapi-spec-validator,
    // and under json-schema-to-typescript, tsc and ajv. Each script installs its
    // pinned packages itself (a venv under target/, `npm ci`).
    for (name, script) in [
        (
            "cross-language: Python",
            "tests/cross-language/python/run.sh",
        ),
        (
            "cross-language: TypeScript",
            "tests/cross-language/ts/run.sh",
        ),
    ] {
        let mut command = Command::new("bash");
        command.arg(script);
        steps.push((name, command));
    }
    for (name, mut command) in steps {
        eprintln!("==> {name}");
        match command.current_dir(root).status() {
            Ok(status) if status.success() => {}
            Ok(status) => {
                eprintln!("==> {name} failed ({status})");
                return ExitCode::FAILURE;
            }
            Err(error) => {
                eprintln!("==> cannot run {name}: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}

/// Builds `orux` alone, as `cargo install --path cli` does: without the
/// dev-dependencies' features, which a workspace test build turns on (such
/// as serde_json's `preserve_order`). The test build then replaces
/// `target/debug/orux`, so a copy is kept beside it; its path is returned.
fn installed_orux(cargo: &str, root: &Path) -> Result<PathBuf, String> {
    let output = Command::new(cargo)
        .args(["build", "--locked", "-p", "orux-cli", "--bin", "orux"])
        .args(["--message-format", "json-render-diagnostics"])
        .current_dir(root)
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
