//! `cargo xtask rehearse` (the last step of `cargo xtask test`): the
//! maintainer's path of README.md, "Adding a model", on a copy of the
//! workspace. A model with two new value sets goes into `models.yaml`;
//! `cargo xtask regenerate`; the generated crate builds; `cargo xtask test
//! --accept` (every step but this one) ends green; `cargo test` passes
//! again on the accepted snapshots; the CLI serves the model; and the only
//! files that changed are `models.yaml`, `generated/` and snapshots. A test
//! that still counted or listed the models would fail here.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::metadata::Metadata;
use crate::steps::{self, Detail};
use crate::workspace_copy;

/// The model the rehearsal adds, its id and its two new value sets.
pub const MODEL_ID: &str = "rehearsal-model";
const VALUE_SETS: &str = "  rehearsal_length:
    description: Clip length in seconds (the rehearsal's model).
    variant_prefix: Seconds
    values: [3, 7]
  rehearsal_style:
    description: Visual style (the rehearsal's model).
    values: [\"noir\", \"pastel\"]
";
const MODEL: &str = "  rehearsal-model:
    name: Rehearsal Model
    vendor: Orux
    description: A model added by the maintainer rehearsal (cargo xtask rehearse).
    kind: text-to-video
    max_duration: 7
    capabilities: []
    params:
      prompt: {use: prompt}
      duration:
        type: enum
        values: rehearsal_length
        default: 3
        description: Length in seconds.
      style:
        type: enum
        values: rehearsal_style
        description: Visual style.
        example: noir
";

/// Where the cross-language installers put the pinned Python and npm
/// packages (`tests/cross-language/*/install.sh`), relative to the root.
const INSTALLED: &[&str] = &[
    "target/py-venv",
    "target/cross-language/openapi/venv",
    "target/cross-language/openapi/node",
    "tests/cross-language/ts/node_modules",
];

/// `cargo xtask rehearse --help`.
pub const USAGE: &str = "usage: cargo xtask rehearse

The maintainer's path of README.md, \"Adding a model\", on a copy of the
workspace in <target>/rehearsal/workspace (its own target directory, seeded
with this workspace's build of the dependencies): a model with two new value
sets is added to models.yaml, then `cargo xtask regenerate`, `cargo build -p
orux-models`, `cargo xtask test --accept --skip rehearsal --skip
installed-orux`, `cargo test
--workspace --tests` again; the CLI must list, explain and validate the new model,
and only models.yaml, generated/ and snapshot files may change. The last
step of `cargo xtask test`.";

/// Runs the rehearsal; the detail says what it changed. The copy is
/// removed when it passes, and kept (its path in the error) when not.
pub fn run(root: &Path) -> Result<Detail, String> {
    let metadata = Metadata::read(root)?;
    let base = workspace_copy::scratch(&metadata.target_directory, "maintainer");
    if base.exists() {
        std::fs::remove_dir_all(&base)
            .map_err(|error| format!("cannot clear {}: {error}", base.display()))?;
    }
    let copy = base.join("workspace");
    rehearse(root, &metadata, &base, &copy)
        .map_err(|problem| format!("{problem}\n(the copy is kept in {})", copy.display()))
}

fn rehearse(root: &Path, metadata: &Metadata, base: &Path, copy: &Path) -> Result<Detail, String> {
    let copy = copy.to_path_buf();
    let files = workspace_copy::copy_sources(root, &copy)?;
    let target = copy.join("target");
    let packages: Vec<String> = metadata.packages.iter().map(|p| p.name.clone()).collect();
    let seeded = workspace_copy::seed_target(
        &metadata.target_directory.join("debug"),
        &target.join("debug"),
        &packages,
    )?;
    eprintln!(
        "rehearsal: {files} files copied to {}; {} build outputs linked, {} copied",
        copy.display(),
        seeded.linked,
        seeded.copied
    );
    // The pinned Python and npm packages are the original's (the installers
    // find them up to date by their stamps).
    for installed in INSTALLED {
        let original = root.join(installed);
        if original.exists() {
            link(&original, &copy.join(installed))?;
        }
    }
    git(&copy, &["init", "-q"])?;
    git(&copy, &["add", "-A"])?;
    git(
        &copy,
        &["commit", "-q", "-m", "the workspace before the model"],
    )?;

    let spec = copy.join("models.yaml");
    let text = std::fs::read_to_string(&spec)
        .map_err(|error| format!("cannot read {}: {error}", spec.display()))?;
    std::fs::write(&spec, add_model(&text)?)
        .map_err(|error| format!("cannot write {}: {error}", spec.display()))?;

    let cargo = |args: &[&str]| {
        let mut command = steps::cargo(&copy);
        command.args(args).env("CARGO_TARGET_DIR", &target);
        command
    };
    let regenerate = output(cargo(&["xtask", "regenerate"]))?;
    let module = format!(
        "new      src/generated/models/{}.rs",
        MODEL_ID.replace('-', "_")
    );
    if !regenerate.contains(&module) {
        return Err(format!(
            "`cargo xtask regenerate` did not write the model's module ({module}):\n{regenerate}"
        ));
    }
    steps::run_command(cargo(&["build", "--locked", "-p", "orux-models"]))?;
    // The comparison of the installed and tested `orux` does not depend on
    // the models: it is left to the workspace's own run.
    steps::run_command(cargo(&[
        "xtask",
        "test",
        "--accept",
        "--skip",
        "rehearsal",
        "--skip",
        "installed-orux",
    ]))?;
    // Green again without --accept: the accepted snapshots are what the
    // tests now print, every time.
    // (Unit and integration tests, where the snapshots are; the doc tests
    // ran in the step before and hold none.)
    let counts = steps::run_cargo_test(cargo(&["test", "--workspace", "--locked", "--tests"]))?;
    served(&copy, &target)?;
    let changed = changed_files(&copy)?;
    // Its build is a few GB; a failed rehearsal's copy stays for a look.
    std::fs::remove_dir_all(base)
        .map_err(|error| format!("cannot remove {}: {error}", base.display()))?;
    Ok(Some(format!(
        "{} changed: models.yaml, {} generated, {} snapshots; then {counts}",
        changed.len(),
        changed
            .iter()
            .filter(|p| p.starts_with("generated/"))
            .count(),
        changed.iter().filter(|p| p.ends_with(".snap")).count(),
    )))
}

/// `text` with the rehearsal's value sets at the top of `value_sets:` and
/// its model at the end of `models:`.
pub fn add_model(text: &str) -> Result<String, String> {
    if text.contains(&format!("\n  {MODEL_ID}:")) {
        return Err(format!("models.yaml already has a model {MODEL_ID}"));
    }
    let lines: Vec<&str> = text.lines().collect();
    let top_level = |key: &str| lines.iter().position(|line| line.trim_end() == key);
    let value_sets = top_level("value_sets:").ok_or("models.yaml has no `value_sets:`")?;
    let models = top_level("models:").ok_or("models.yaml has no `models:`")?;
    // The models end where the next top-level key starts, or at the end.
    let models_end = lines
        .iter()
        .enumerate()
        .skip(models + 1)
        .find(|(_, line)| line.starts_with(|c: char| c.is_ascii_alphanumeric()))
        .map_or(lines.len(), |(index, _)| index);
    let mut out = String::with_capacity(text.len() + VALUE_SETS.len() + MODEL.len());
    for (index, line) in lines.iter().enumerate() {
        if index == models_end {
            out.push_str(MODEL);
        }
        out.push_str(line);
        out.push('\n');
        if index == value_sets {
            out.push_str(VALUE_SETS);
        }
    }
    if models_end == lines.len() {
        out.push_str(MODEL);
    }
    Ok(out)
}

/// The copy's `orux` lists the model, explains it, and accepts its example.
fn served(copy: &Path, target: &Path) -> Result<(), String> {
    let orux = target.join("debug/orux");
    let run = |args: &[&str]| -> Result<String, String> {
        let mut command = Command::new(&orux);
        command.args(args).current_dir(copy);
        output(command)
    };
    let models = run(&["models"])?;
    if !models.lines().any(|line| line.starts_with(MODEL_ID)) {
        return Err(format!("`orux models` does not list {MODEL_ID}:\n{models}"));
    }
    let explained = run(&["explain", MODEL_ID])?;
    if !explained.contains("\"noir\" or \"pastel\"") {
        return Err(format!(
            "`orux explain {MODEL_ID}` does not show the new value set:\n{explained}"
        ));
    }
    let example = run(&["example", MODEL_ID])?;
    let mut validate = Command::new(&orux)
        .args(["validate", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot run orux validate: {error}"))?;
    if let Some(mut stdin) = validate.stdin.take() {
        use std::io::Write;
        stdin
            .write_all(example.as_bytes())
            .map_err(|error| format!("cannot write to orux validate: {error}"))?;
    }
    let verdict = validate
        .wait_with_output()
        .map_err(|error| format!("orux validate: {error}"))?;
    if !verdict.status.success() {
        return Err(format!(
            "`orux example {MODEL_ID} | orux validate` failed: {}",
            String::from_utf8_lossy(&verdict.stdout)
        ));
    }
    Ok(())
}

/// The files that differ from the copy's first commit; anything but
/// `models.yaml`, `generated/` and snapshots is an error: adding a model
/// needed an edit elsewhere (or a test left a file behind).
fn changed_files(copy: &Path) -> Result<Vec<String>, String> {
    let mut command = Command::new("git");
    command
        .args(["status", "--porcelain", "--untracked-files=all"])
        .current_dir(copy);
    let status = output(command)?;
    let changed: Vec<String> = status
        .lines()
        .map(|line| line.get(3..).unwrap_or(line).to_owned())
        .collect();
    let unexpected: Vec<&String> = changed
        .iter()
        .filter(|path| {
            *path != "models.yaml" && !path.starts_with("generated/") && !path.ends_with(".snap")
        })
        .collect();
    if !unexpected.is_empty() {
        return Err(format!(
            "adding a model changed more than models.yaml, generated/ and snapshots: {unexpected:?}"
        ));
    }
    if !changed.iter().any(|path| path.ends_with(".snap")) {
        return Err(
            "no snapshot changed: the model table (`orux models`) should list the new model"
                .to_owned(),
        );
    }
    Ok(changed)
}

fn link(original: &Path, link: &Path) -> Result<(), String> {
    if let Some(parent) = link.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|error| format!("cannot create {}: {error}", parent.display()))?;
    }
    std::os::unix::fs::symlink(original, link)
        .map_err(|error| format!("cannot link {}: {error}", link.display()))
}

/// Runs git in `dir` with no user or system configuration.
fn git(dir: &Path, args: &[&str]) -> Result<(), String> {
    let mut command = Command::new("git");
    command
        .args([
            "-c",
            "user.name=rehearsal",
            "-c",
            "user.email=rehearsal@localhost",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    output(command).map(drop)
}

/// Runs a command to its end; its standard output, or an error with both streams.
fn output(mut command: Command) -> Result<String, String> {
    let shown = steps::describe(&command);
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("cannot run `{shown}`: {error}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if output.status.success() {
        Ok(stdout)
    } else {
        Err(format!(
            "`{shown}` exited with {}:\n{stdout}{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// `cargo xtask rehearse`: the rehearsal alone (the pinned Python and npm
/// packages installed first, as `cargo xtask test` would).
pub fn task(mut raw: impl Iterator<Item = String>, root: &Path) -> std::process::ExitCode {
    if let Some(arg) = raw.next() {
        if arg == "-h" || arg == "--help" {
            println!("{USAGE}");
            return std::process::ExitCode::SUCCESS;
        }
        eprintln!("unknown argument `{arg}`\n\n{USAGE}");
        return std::process::ExitCode::from(2);
    }
    steps::run(
        "cargo xtask rehearse",
        vec![
            steps::Step::new("prerequisites", "prerequisites", || {
                crate::prerequisites::check(root)
            }),
            steps::Step::new("rehearsal", "maintainer rehearsal", || run(root)),
        ],
        &[],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_goes_into_both_sections() {
        let spec =
            "version: 1\n\nvalue_sets:\n  a:\n    values: [1]\n\nmodels:\n  m:\n    name: M\n";
        let edited = add_model(spec).expect("edits");
        assert!(edited.starts_with("version: 1\n\nvalue_sets:\n  rehearsal_length:\n"));
        assert!(edited.ends_with(&format!("    name: M\n{MODEL}")));
        assert!(add_model(&edited).is_err(), "the model is added once");
        let later = format!("{spec}shared_params:\n  x: {{}}\n");
        let edited = add_model(&later).expect("edits");
        assert!(edited.contains(&format!("    name: M\n{MODEL}shared_params:")));
        assert!(add_model("models:\n").is_err());
    }
}
