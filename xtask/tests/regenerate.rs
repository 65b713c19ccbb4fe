//! `cargo xtask regenerate` as a user runs it: writes, checks, refuses bad specs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs")
}

fn spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../models.yaml")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn files_in(dir: &Path) -> usize {
    let mut count = 0;
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(current).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                count += 1;
            }
        }
    }
    count
}

#[test]
fn writes_then_reports_up_to_date_then_catches_drift() {
    let out = tempfile::tempdir().expect("tempdir");
    let spec = spec();
    let args = [
        "regenerate",
        "--spec",
        spec.to_str().expect("utf-8"),
        "--out",
        out.path().to_str().expect("utf-8"),
    ];

    let first = xtask(&args);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(text(&first.stdout).contains("new      src/generated/task_request.rs"));

    let mut check = args.to_vec();
    check.push("--check");
    let clean = xtask(&check);
    assert!(clean.status.success(), "{}", text(&clean.stderr));
    assert!(text(&clean.stdout).contains("up to date"));

    let value_sets = out.path().join("src/generated/value_sets.rs");
    let edited = std::fs::read_to_string(&value_sets)
        .expect("read")
        .replace("\"9:16\"", "\"9:17\"");
    std::fs::write(&value_sets, edited).expect("write");
    let stale = xtask(&check);
    assert_eq!(stale.status.code(), Some(1));
    let stderr = text(&stale.stderr);
    assert!(
        stderr.contains("changed  src/generated/value_sets.rs"),
        "{stderr}"
    );
    assert!(
        stderr.contains("-") && stderr.contains("9:17"),
        "a diff is shown: {stderr}"
    );
    assert!(stderr.contains("cargo xtask regenerate"), "{stderr}");

    let again = xtask(&args);
    assert!(again.status.success());
    assert_eq!(
        text(&again.stdout).trim(),
        "changed  src/generated/value_sets.rs",
        "only the changed file is rewritten"
    );
}

#[test]
fn a_broken_spec_writes_nothing() {
    let out = tempfile::tempdir().expect("tempdir");
    let broken =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/broken-specs/many-errors.yaml");
    let output = xtask(&[
        "regenerate",
        "--spec",
        broken.to_str().expect("utf-8"),
        "--out",
        out.path().to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("many-errors.yaml:2:10: unsupported version 2"),
        "{stderr}"
    );
    assert!(stderr.contains("4 errors"), "{stderr}");
    assert_eq!(files_in(out.path()), 0, "nothing written");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(xtask(&["regenerate", "--bogus"]).status.code(), Some(2));
    assert_eq!(xtask(&["frobnicate"]).status.code(), Some(2));
    let missing = xtask(&["regenerate", "--spec", "/nonexistent/models.yaml"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("cannot read /nonexistent/models.yaml"));
}
