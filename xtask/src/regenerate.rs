//! `cargo xtask regenerate [--check] [--spec PATH] [--out DIR]`: runs the
//! generator on the spec and writes (or, with `--check`, compares) the
//! generated files of the `orux-models` crate. All the work is in
//! `orux_codegen`; this module only reads arguments, writes files and reports.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use orux_codegen::output::{apply, plan};
use orux_codegen::{GENERATED_DIRS, generate};

use crate::root::display_name;

/// `cargo xtask regenerate --help`.
pub const USAGE: &str = "usage: cargo xtask regenerate [--check] [--spec PATH] [--out DIR]

  --check       write nothing; exit 1 and list stale files if the checked-in
                output differs from what the spec produces
  --spec PATH   the spec to read (default: models.yaml at the workspace root)
  --out DIR     the crate to write into (default: generated/ at the workspace root)";

/// Lines of diff shown per stale file with --check.
const DIFF_LINES: usize = 40;

struct Args {
    check: bool,
    spec: PathBuf,
    out: PathBuf,
}

/// Runs the task on the arguments after `regenerate`.
pub fn run(raw: impl Iterator<Item = String>, root: &Path) -> ExitCode {
    let args = match parse_args(raw, root) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
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

/// The arguments, or `None` for `--help`.
fn parse_args(mut raw: impl Iterator<Item = String>, root: &Path) -> Result<Option<Args>, String> {
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
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Some(args))
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
