//! `cargo xtask` as a person runs it: the task list, the prerequisites
//! check, one binary shared by two clones, and the README's publish order.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use xtask::workspace_copy::copy_sources;

/// The workspace this test runs in (cargo test's run-time manifest dir).
fn root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into());
    manifest_dir
        .parent()
        .expect("xtask is in the workspace")
        .to_path_buf()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs")
}

#[test]
fn help_lists_every_task_and_exits_0() {
    for help in [&["--help"][..], &["-h"], &["help"]] {
        let output = xtask(help);
        assert_eq!(output.status.code(), Some(0), "{help:?}");
        let listed = text(&output.stdout);
        for task in ["regenerate", "diff", "test", "snippets", "rehearse", "ci"] {
            assert!(
                listed.contains(&format!("\n  {task} ")),
                "{task} missing:\n{listed}"
            );
        }
    }
    for task in ["regenerate", "diff", "test", "snippets", "rehearse", "ci"] {
        let output = xtask(&[task, "--help"]);
        assert_eq!(output.status.code(), Some(0), "{task} --help");
        assert!(text(&output.stdout).starts_with(&format!("usage: cargo xtask {task}")));
    }
    let none = xtask(&[]);
    assert_eq!(none.status.code(), Some(2));
    assert!(text(&none.stderr).contains("name a task"));
}

/// A directory on `PATH` holding only the named tools, as links to the
/// real ones.
fn path_with(dir: &Path, tools: &[&str]) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    for tool in tools {
        let found = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .map(|dir| dir.join(tool))
            .find(|path| path.is_file())
            .unwrap_or_else(|| panic!("{tool} is on PATH"));
        std::os::unix::fs::symlink(found, bin.join(tool)).expect("link");
    }
    bin
}

/// Without node and npm, `cargo xtask test` stops before running any test
/// and names both; with python3 missing too, all three at once.
#[test]
fn test_names_missing_tools_before_running_anything() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (tools, missing) in [
        (
            &["cargo", "rustc", "python3", "git"][..],
            &["Node.js", "npm"][..],
        ),
        (&["cargo", "rustc", "git"], &["Python", "Node.js", "npm"]),
    ] {
        let scratch = tempfile::tempdir_in(dir.path()).expect("tempdir");
        let bin = path_with(scratch.path(), tools);
        let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("test")
            .env("PATH", &bin)
            .output()
            .expect("xtask runs");
        assert_eq!(output.status.code(), Some(1));
        let stderr = text(&output.stderr);
        assert!(stderr.contains("missing prerequisites"), "{stderr}");
        for tool in missing {
            assert!(
                stderr.contains(&format!("  - {tool}: ")),
                "{tool}: {stderr}"
            );
        }
        assert!(stderr.contains("README.md, \"Set-up"), "{stderr}");
        assert!(
            !stderr.contains("==> cargo test\n"),
            "no test ran: {stderr}"
        );
        assert!(
            stderr.contains(
                "not run: orux as cargo install builds it, cargo test, Python cross-language checks"
            ),
            "{stderr}"
        );
    }
}

/// Two clones, one target directory (a global `CARGO_TARGET_DIR`): the
/// xtask binary built for one is reused by the other, and each checks its
/// own spec. An edit to clone B's spec makes only B's check fail; with the
/// workspace found at compile time, both would have checked the same clone.
#[test]
fn two_clones_sharing_a_target_dir_each_check_their_own_spec() {
    let root = root();
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target directory")
        .to_path_buf();
    let clones = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("tempdir");
    let (a, b) = (clones.path().join("a"), clones.path().join("b"));
    copy_sources(&root, &a).expect("clone a");
    copy_sources(&root, &b).expect("clone b");
    let spec = b.join("models.yaml");
    let edited = std::fs::read_to_string(&spec).expect("read").replacen(
        "description: Aspect ratio.",
        "description: Aspect ratio (clone B).",
        1,
    );
    std::fs::write(&spec, edited).expect("write");
    let check = |clone: &Path| {
        Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["xtask", "regenerate", "--check"])
            .current_dir(clone)
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .expect("cargo runs")
    };
    let b_checked = check(&b);
    let a_checked = check(&a);
    assert_eq!(
        a_checked.status.code(),
        Some(0),
        "{}",
        text(&a_checked.stderr)
    );
    assert_eq!(
        b_checked.status.code(),
        Some(1),
        "{}",
        text(&b_checked.stderr)
    );
    let stderr = text(&b_checked.stderr);
    assert!(
        stderr.contains("Aspect ratio (clone B)."),
        "B's own edit: {stderr}"
    );
}

/// README.md, "Publishing": every crate cargo calls publishable, each after
/// the workspace crates it depends on.
#[test]
fn the_readme_publishes_every_published_crate_after_its_dependencies() {
    let root = root();
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    let section = readme
        .split("## Publishing")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("a Publishing section");
    let order: Vec<&str> = section
        .lines()
        .filter_map(|line| line.split("`cargo publish -p ").nth(1))
        .filter_map(|rest| rest.split('`').next())
        .collect();
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["metadata", "--format-version", "1", "--no-deps", "--locked"])
        .current_dir(&root)
        .output()
        .expect("cargo metadata");
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let packages = metadata["packages"].as_array().expect("packages");
    let published: Vec<&serde_json::Value> = packages
        .iter()
        .filter(|p| p["publish"].as_array().is_none_or(|to| !to.is_empty()))
        .collect();
    let mut names: Vec<&str> = published
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    let mut listed = order.clone();
    names.sort_unstable();
    listed.sort_unstable();
    assert_eq!(
        listed, names,
        "the README's publish order lists every published crate"
    );
    for package in published {
        let name = package["name"].as_str().expect("name");
        let at = order.iter().position(|n| *n == name).expect("listed");
        for dependency in package["dependencies"].as_array().expect("dependencies") {
            let dep = dependency["name"].as_str().expect("name");
            if dependency["kind"].is_null()
                && let Some(before) = order.iter().position(|n| *n == dep)
            {
                assert!(
                    before < at,
                    "{name} is published before its dependency {dep}"
                );
            }
        }
    }
}
