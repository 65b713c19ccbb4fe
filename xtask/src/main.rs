//! `cargo xtask regenerate [--check] [--spec PATH] [--out DIR]`
//! `cargo xtask diff --base OLD [--spec NEW] [--format human|json] [--fail-on …]`
//! `cargo xtask test`
//!
//! Runs the generator on the spec and writes (or, with `--check`, compares) the
//! generated files of the `orux-models` crate. All the work is in
//! `orux_codegen`; this binary only reads arguments, writes files and reports.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use orux_codegen::output::{apply, plan};
use orux_codegen::{GENERATED_DIRS, generate};

mod diff;
mod test;

const USAGE: &str = "usage: cargo xtask regenerate [--check] [--spec PATH] [--out DIR]
       cargo xtask diff --base OLD.yaml|git:REV [--spec NEW.yaml] [--format human|json]
                        [--fail-on breaking|additive]
       cargo xtask test

  --check       write nothing; exit 1 and list stale files if the checked-in
                output differs from what the spec produces
  --spec PATH   the spec to read (default: models.yaml at the workspace root)
  --out DIR     the crate to write into (default: generated/ at the workspace root)

  diff          classify the changes from one spec to another and the semver
                bump they need (`cargo xtask diff --help`)
  test          run the whole test suite (what CI runs)";

/// Lines of diff shown per stale file with --check.
const DIFF_LINES: usize = 40;

struct Args {
    check: bool,
    spec: PathBuf,
    out: PathBuf,
}

fn main() -> ExitCode {
    match std::env::args().nth(1).as_deref() {
        Some("test") => return test::run(&workspace_root()),
        Some("diff") => return diff::run(std::env::args().skip(2), &workspace_root()),
        _ => {}
    }
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match regenerate(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args(mut raw: impl Iterator<Item = String>) -> Result<Args, String> {
    match raw.next().as_deref() {
        Some("regenerate") => {}
        Some("-h" | "--help") | None => return Err("cargo xtask: name a task".to_owned()),
        Some(other) => return Err(format!("cargo xtask: unknown task `{other}`")),
    }
    let root = workspace_root();
    let mut args = Args {
        check: false,
        spec: root.join("models.yaml"),
        out: root.join("generated"),
    };
    while let Some(arg) = raw.next() {
        match arg.as_str() {
            "--check" => args.check = true,
            "--spec" => args.spec = raw.next().ok_or("--spec needs a path")?.into(),
            "--out" => args.out = raw.next().ok_or("--out needs a directory")?.into(),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(args)
}

fn regenerate(args: &Args) -> Result<ExitCode, String> {
    let text = std::fs::read_to_string(&args.spec)
        .map_err(|e| format!("cannot read {}: {e}", args.spec.display()))?;
    let shown = display_name(&args.spec);
    let files = match generate(&text, &shown) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("{error}");
            eprintln!("nothing was written");
            return Ok(ExitCode::FAILURE);
        }
    };
    let changes = plan(&args.out, &files, GENERATED_DIRS)
        .map_err(|e| format!("cannot read {}: {e}", args.out.display()))?;
    if args.check {
        if changes.is_empty() {
            println!("generated files are up to date ({} files)", files.len());
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("{} generated file(s) are stale:", changes.len());
        for change in &changes {
            eprintln!("{}", change.describe(DIFF_LINES));
        }
        eprintln!("run `cargo xtask regenerate` and commit the result");
        return Ok(ExitCode::FAILURE);
    }
    apply(&args.out, &files, &changes)
        .map_err(|e| format!("cannot write {}: {e}", args.out.display()))?;
    if changes.is_empty() {
        println!("generated files are up to date ({} files)", files.len());
    }
    for change in &changes {
        println!("{}", change.describe(0).lines().next().unwrap_or_default());
    }
    Ok(ExitCode::SUCCESS)
}

/// The spec path as shown in error places: relative to the current directory
/// when possible, so messages read `models.yaml:12:5`.
fn display_name(spec: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| spec.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| spec.to_path_buf())
        .display()
        .to_string()
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
