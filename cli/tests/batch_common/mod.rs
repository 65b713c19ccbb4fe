//! Shared by the `orux batch` process tests: `orux batch` runs against an
//! `orux mock` process (the test support's [`MockProcess`]), and readers of
//! what a run left (the journal through `orux batch status`,
//! `results.jsonl`).

#![allow(dead_code)] // each test file uses a part

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

pub use crate::support::mock_process::{MockProcess, wait};

pub const KEY: &str = "sk-app-batch-process-test";

/// How long any one run may take before a test fails instead of hanging.
pub const RUN_LIMIT: Duration = Duration::from_secs(120);

fn orux() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_orux"));
    command
        .env_remove("ORUX_BASE_URL")
        .env("ORUX_API_KEY", KEY)
        .env("NO_COLOR", "1");
    command
}

/// A batch directory: the manifest and the output directory.
pub struct BatchDir {
    pub dir: tempfile::TempDir,
    pub manifest: PathBuf,
    pub out: PathBuf,
}

impl BatchDir {
    /// A directory with `manifest` as `m.jsonl` (or `m.csv`).
    pub fn new(name: &str, manifest: &str) -> BatchDir {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, manifest).unwrap();
        let out = dir.path().join("out");
        BatchDir {
            dir,
            manifest: path,
            out,
        }
    }

    /// `orux batch MANIFEST --out OUT --base-url MOCK ARGS`.
    pub fn command(&self, mock: &MockProcess, args: &[&str]) -> Command {
        self.command_for(&self.manifest, mock, args)
    }

    /// [`BatchDir::command`] with another manifest.
    pub fn command_for(&self, manifest: &Path, mock: &MockProcess, args: &[&str]) -> Command {
        let mut command = orux();
        command
            .arg("batch")
            .arg(manifest)
            .arg("--out")
            .arg(&self.out)
            .args(["--base-url", &mock.base_url])
            .args(args)
            .stdin(Stdio::null());
        command
    }

    /// Runs to the end (within [`RUN_LIMIT`]).
    pub fn run(&self, mock: &MockProcess, args: &[&str]) -> Output {
        finish(
            self.command(mock, args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("orux batch runs"),
        )
    }

    /// `orux batch status --out OUT --format json`.
    pub fn status(&self) -> Value {
        let output = orux()
            .args(["batch", "status", "--format", "json", "--out"])
            .arg(&self.out)
            .output()
            .expect("orux batch status runs");
        serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
            panic!(
                "status is JSON: {}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )
        })
    }

    /// The lines of `results.jsonl`.
    pub fn results(&self) -> Vec<Value> {
        std::fs::read_to_string(self.out.join("results.jsonl"))
            .expect("results.jsonl")
            .lines()
            .map(|line| serde_json::from_str(line).expect("a JSON line"))
            .collect()
    }

    pub fn journal(&self) -> PathBuf {
        self.out.join("orux-batch.sqlite")
    }
}

/// Waits for a child, killing it and failing past [`RUN_LIMIT`].
pub fn finish(mut child: Child) -> Output {
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let status = wait(&mut child, RUN_LIMIT);
    Output {
        status,
        stdout: take(&stdout),
        stderr: take(&stderr),
    }
}

type Sink = Arc<Mutex<Vec<u8>>>;

fn drain(stream: Option<impl Read + Send + 'static>) -> Sink {
    let sink = Sink::default();
    if let Some(mut stream) = stream {
        let copy = Arc::clone(&sink);
        std::thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            while let Ok(n) = stream.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                copy.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
        });
    }
    sink
}

fn take(sink: &Sink) -> Vec<u8> {
    // The reader threads finish right after the child exits.
    std::thread::sleep(Duration::from_millis(50));
    std::mem::take(&mut *sink.lock().unwrap())
}

/// Sends `signal` (`INT`, `TERM`) to a process.
pub fn signal(child: &Child, signal: &str) {
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
}

/// `n` distinct sora2 bodies as JSON Lines, with `mark(i)` in row i's prompt.
pub fn jsonl(n: usize, mark: impl Fn(usize) -> &'static str) -> String {
    (0..n)
        .map(|i| {
            serde_json::json!({"model": "sora2", "prompt": format!("scene {i}{}", mark(i))})
                .to_string()
                + "\n"
        })
        .collect()
}

pub fn code(output: &Output) -> i32 {
    output.status.code().expect("exited, not killed")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The count of `state` in a status or summary object.
pub fn count(summary: &Value, state: &str) -> u64 {
    summary["counts"][state].as_u64().unwrap_or(0)
}

/// Reads a path of a test file's own.
pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The SHA-256 of each file, as lowercase hex, by coreutils' `sha256sum`
/// (an implementation apart from the one under test).
pub fn sha256_of_files(paths: &[PathBuf]) -> Vec<String> {
    if paths.is_empty() {
        return Vec::new();
    }
    let output = Command::new("sha256sum")
        .arg("--")
        .args(paths)
        .output()
        .expect("sha256sum runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    text(&output.stdout)
        .lines()
        .map(|line| {
            line.split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}
