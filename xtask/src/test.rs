//! `cargo xtask test`: the whole test suite, in the order CI runs it.

use std::path::Path;
use std::process::{Command, ExitCode};

/// Runs every step; stops at the first that fails.
pub fn run(root: &Path) -> ExitCode {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut steps: Vec<(&str, Command)> = vec![("cargo test", {
        let mut command = Command::new(&cargo);
        command.args(["test", "--workspace", "--locked"]);
        command
    })];
    // The JSON Schema bundle under Python's jsonschema and openapi-spec-validator,
    // and under json-schema-to-typescript, tsc and ajv; the OpenAPI document in
    // openapi-python-client, openapi-typescript, @hey-api/openapi-ts,
    // Schemathesis and Prism, against `orux mock`. Each script installs its
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
        (
            "cross-language: OpenAPI generators and testers",
            "tests/cross-language/openapi/run.sh",
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
