//! `cargo xtask diff` as a command: `--base git:REV` in a throwaway git
//! repository, the JSON output, and the exit status (0, 1 when `--fail-on`
//! is met, 2 on a usage error or a broken spec).

use std::path::Path;
use std::process::{Command, Output};

fn spec_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models.yaml");
    std::fs::read_to_string(path).expect("models.yaml is readable")
}

fn xtask(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("diff")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("xtask runs")
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A repository with `models.yaml` committed, then edited in the work tree
/// (one allowed value of Sora's aspect ratio removed).
fn repo_with_edit() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("spec")).expect("mkdir");
    let spec = dir.path().join("spec/models.yaml");
    std::fs::write(&spec, spec_text()).expect("write");
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "spec"]);
    let edited = spec_text().replacen(r#"values: ["16:9", "9:16"]"#, r#"values: ["16:9"]"#, 1);
    assert_ne!(edited, spec_text(), "the edit must apply");
    std::fs::write(&spec, edited).expect("write");
    dir
}

#[test]
fn git_head_is_the_committed_spec() {
    let repo = repo_with_edit();
    // Run from another directory: the path inside the repository is found
    // from the spec's own location.
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let spec = repo.path().join("spec/models.yaml");
    let spec = spec.to_str().expect("UTF-8 temp path");
    let output = xtask(
        elsewhere.path(),
        &["--base", "git:HEAD", "--spec", spec, "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        stdout(&output),
        "{\"bump\":\"major\",\"changes\":[{\"class\":\"breaking\",\"model\":\"sora2\",\"field\":\"aspect_ratio\",\"message\":\"allowed value \\\"9:16\\\" removed\"}]}\n"
    );
}

#[test]
fn fail_on_sets_the_exit_status() {
    let repo = repo_with_edit();
    let spec = repo.path().join("spec/models.yaml");
    let spec = spec.to_str().expect("UTF-8 temp path");
    for threshold in ["breaking", "additive"] {
        let args = ["--base", "git:HEAD", "--spec", spec, "--fail-on", threshold];
        let output = xtask(repo.path(), &args);
        assert_eq!(output.status.code(), Some(1), "{threshold}: {output:?}");
        assert!(
            stdout(&output)
                .starts_with("breaking  sora2.aspect_ratio: allowed value \"9:16\" removed\n"),
            "{output:?}"
        );
    }
    // Undoing the edit adds a value back: additive, so only `additive` fails.
    let old = repo.path().join("old.yaml");
    std::fs::copy(repo.path().join("spec/models.yaml"), &old).expect("copy");
    git(repo.path(), &["checkout", "-q", "--", "spec/models.yaml"]);
    let old = old.to_str().expect("UTF-8 temp path");
    let base = ["--base", old, "--spec", spec, "--fail-on"];
    let breaking = xtask(repo.path(), &[&base[..], &["breaking"]].concat());
    assert_eq!(breaking.status.code(), Some(0), "{breaking:?}");
    assert!(stdout(&breaking).ends_with("bump: minor (0 breaking, 1 additive, 0 docs)\n"));
    let additive = xtask(repo.path(), &[&base[..], &["additive"]].concat());
    assert_eq!(additive.status.code(), Some(1), "{additive:?}");
}

#[test]
fn a_broken_spec_or_a_bad_revision_is_exit_status_2() {
    let repo = repo_with_edit();
    let broken = repo.path().join("broken.yaml");
    std::fs::write(&broken, "version: 1\nmodels: {x: 1}\n").expect("write");
    let output = xtask(
        repo.path(),
        &["--base", "broken.yaml", "--spec", "spec/models.yaml"],
    );
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "broken.yaml:2:13: model `x`: expected a model (a mapping), found an integer"
        ),
        "{stderr}"
    );
    assert_eq!(stdout(&output), "");

    let output = xtask(
        repo.path(),
        &["--base", "git:no-such-rev", "--spec", "spec/models.yaml"],
    );
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("at git revision \"no-such-rev\""),
        "{stderr}"
    );

    let output = xtask(repo.path(), &["--spec", "spec/models.yaml"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("--base is required"));
}
