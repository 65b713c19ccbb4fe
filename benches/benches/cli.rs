//! CLI throughput: runs `benches/cli/run.sh` (one million JSON Lines through
//! `orux validate --jsonl`, against the Python `jsonschema` package on a
//! sample). It takes a few minutes and installs a Python virtual environment
//! under `target/`, so it runs only when asked:
//!
//! ```sh
//! ORUX_BENCH_CLI=1 cargo bench --bench cli
//! ```
//!
//! `ORUX_BENCH_LINES` and `ORUX_BENCH_SAMPLE` change the line counts.

use std::process::{Command, ExitCode};

const ENABLE: &str = "ORUX_BENCH_CLI";

fn main() -> ExitCode {
    if std::env::var_os(ENABLE).is_none() {
        println!("cli: skipped (set {ENABLE}=1 to run benches/cli/run.sh; see BENCHMARKS.md)");
        return ExitCode::SUCCESS;
    }
    let script = orux_benches::repo_root().join("benches/cli/run.sh");
    match Command::new("bash").arg(&script).status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => {
            eprintln!("cli: {} failed ({status})", script.display());
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("cli: cannot run {}: {error}", script.display());
            ExitCode::FAILURE
        }
    }
}
