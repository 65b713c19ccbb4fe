//! Running the `orux` binary as a user would, with a predictable environment.

#![allow(dead_code)] // each test file uses part of this

use std::path::PathBuf;
use std::process::Output;

#[cfg(feature = "mock")]
pub mod mock_process;
pub mod stub;

/// `orux` with colour left to its own detection: no colour variables
/// inherited from the environment, and stdout is a pipe, not a terminal.
pub fn orux() -> assert_cmd::Command {
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("orux");
    command
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE");
    command
}

/// Runs `orux ARGS` with `stdin` and returns what it printed and its status.
pub fn run(args: &[&str], stdin: &[u8]) -> Output {
    orux().args(args).write_stdin(stdin).output().unwrap()
}

/// The exit code, which every run must have (no death by signal).
pub fn code(output: &Output) -> i32 {
    output.status.code().expect("orux exited normally")
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// `tests/corpus/requests/` at the workspace root.
pub fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/requests")
}

/// One corpus case with a `body` (JSON), as its compact text and expectations.
pub struct Case {
    pub name: String,
    pub body: String,
    pub valid: bool,
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

/// Every corpus case that has a `body`, in file and line order. Their
/// compact serialization (key order kept) is one line, as JSON Lines needs.
pub fn body_cases() -> Vec<Case> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let strings = |value: &serde_json::Value| -> Vec<String> {
        value
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect()
    };
    let mut cases = Vec::new();
    for file in files {
        for line in std::fs::read_to_string(&file).unwrap().lines() {
            let case: serde_json::Value = serde_json::from_str(line).unwrap();
            let Some(body) = case.get("body") else {
                continue;
            };
            cases.push(Case {
                name: case["name"].as_str().unwrap().to_owned(),
                body: serde_json::to_string(body).unwrap(),
                valid: case["valid"].as_bool().unwrap(),
                errors: strings(&case["errors"]),
                warnings: strings(&case["warnings"]),
            });
        }
    }
    cases
}

/// The mock server on a runtime of its own, on a free loopback port, with
/// tasks that end at once (the client's first poll, a second after the
/// submit, sees them done). Keep the runtime as long as the server.
#[cfg(feature = "mock")]
pub fn mock_server(
    results: orux_mock::ResultsConfig,
) -> (orux_mock::Server, tokio::runtime::Runtime) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime
        .block_on(orux_mock::Server::bind(orux_mock::Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            task_duration: std::time::Duration::ZERO,
            results,
            ..orux_mock::Config::default()
        }))
        .expect("the mock starts");
    (server, runtime)
}
