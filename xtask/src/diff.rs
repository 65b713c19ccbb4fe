//! `cargo xtask diff --base OLD [--spec NEW] [--format human|json]
//! [--fail-on breaking|additive]`: what a spec change does to users.
//!
//! Reads the two specs (`--base git:REV` reads the spec file at a git
//! revision), loads each to its IR and prints `orux_codegen::diff`'s
//! classification. The comparison itself is in the codegen library.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use orux_codegen::diff::{Class, diff};

pub const USAGE: &str = "usage: cargo xtask diff --base OLD.yaml|git:REV [--spec NEW.yaml]
                       [--format human|json] [--fail-on breaking|additive]

  --base OLD    the spec before the change: a file, or git:REV for the --spec
                file at a git revision (git show REV:PATH)
  --spec NEW    the spec after the change (default: models.yaml at the
                workspace root)
  --format      human (default) or json: {\"bump\", \"changes\": [{\"class\",
                \"model\", \"field\", \"message\"}]}
  --fail-on     exit 1 if any change is breaking, or additive or breaking

  exit status: 0, 1 when --fail-on is met, 2 on a usage error or a broken spec";

#[derive(Debug, PartialEq)]
enum Base {
    File(PathBuf),
    Git(String),
}

#[derive(Debug)]
struct Args {
    base: Base,
    spec: PathBuf,
    json: bool,
    fail_on: Option<Class>,
}

/// Runs the task on the arguments after `diff`.
pub fn run(raw: impl Iterator<Item = String>, root: &Path) -> ExitCode {
    let raw: Vec<String> = raw.collect();
    if raw.iter().any(|arg| arg == "-h" || arg == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let args = match parse_args(raw.into_iter(), root) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let (old_text, old_name) = match read_base(&args) {
        Ok(read) => read,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let new_text = match std::fs::read_to_string(&args.spec) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", args.spec.display());
            return ExitCode::from(2);
        }
    };
    let new_name = crate::root::display_name(&args.spec);
    // Both specs are checked before anything is compared, so both lists of
    // problems are shown at once.
    let old = orux_codegen::load(&old_text, &old_name);
    let new = orux_codegen::load(&new_text, &new_name);
    let (old, new) = match (old, new) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => {
            for errors in [old.err(), new.err()].into_iter().flatten() {
                eprintln!("{errors}");
            }
            return ExitCode::from(2);
        }
    };
    let changes = diff(&old, &new);
    if args.json {
        println!("{}", changes.to_json());
    } else {
        println!("{changes}");
    }
    match args.fail_on {
        Some(threshold) if changes.reaches(threshold) => ExitCode::FAILURE,
        _ => ExitCode::SUCCESS,
    }
}

fn parse_args(mut raw: impl Iterator<Item = String>, root: &Path) -> Result<Args, String> {
    let mut base = None;
    let mut spec = root.join("models.yaml");
    let mut json = false;
    let mut fail_on = None;
    while let Some(arg) = raw.next() {
        match arg.as_str() {
            "--base" => {
                let value = raw.next().ok_or("--base needs a file or git:REV")?;
                base = Some(match value.strip_prefix("git:") {
                    Some("") => return Err("--base git: needs a revision".to_owned()),
                    Some(rev) => Base::Git(rev.to_owned()),
                    None => Base::File(value.into()),
                });
            }
            "--spec" => spec = raw.next().ok_or("--spec needs a path")?.into(),
            "--format" => {
                json = match raw.next().as_deref() {
                    Some("human") => false,
                    Some("json") => true,
                    _ => return Err("--format needs `human` or `json`".to_owned()),
                }
            }
            "--fail-on" => {
                fail_on = Some(match raw.next().as_deref() {
                    Some("breaking") => Class::Breaking,
                    Some("additive") => Class::Additive,
                    _ => return Err("--fail-on needs `breaking` or `additive`".to_owned()),
                })
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let base = base.ok_or("--base is required")?;
    Ok(Args {
        base,
        spec,
        json,
        fail_on,
    })
}

/// The old spec's text and the name its error places show.
fn read_base(args: &Args) -> Result<(String, String), String> {
    match &args.base {
        Base::File(path) => std::fs::read_to_string(path)
            .map(|text| (text, crate::root::display_name(path)))
            .map_err(|e| format!("cannot read {}: {e}", path.display())),
        Base::Git(rev) => git_show(rev, &args.spec),
    }
}

/// `git show REV:PATH`, PATH being `spec` relative to its repository's root
/// (git resolves `./NAME` from the directory it runs in).
fn git_show(rev: &str, spec: &Path) -> Result<(String, String), String> {
    let name = spec
        .file_name()
        .ok_or_else(|| format!("{} names no file", spec.display()))?
        .to_string_lossy()
        .into_owned();
    let dir = match spec.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let object = format!("{rev}:./{name}");
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["show", "--end-of-options", &object])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "cannot read {name} at git revision {rev:?}: {}",
            stderr.trim()
        ));
    }
    let text = String::from_utf8(output.stdout)
        .map_err(|_| format!("{name} at git revision {rev:?} is not UTF-8"))?;
    Ok((text, format!("{rev}:{name}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Args, String> {
        parse_args(args.iter().map(|s| s.to_string()), Path::new("/repo"))
    }

    #[test]
    fn base_is_a_file_or_a_git_revision() {
        let args = parse(&["--base", "old.yaml"]).expect("valid");
        assert_eq!(args.base, Base::File("old.yaml".into()));
        assert_eq!(args.spec, Path::new("/repo/models.yaml"));
        let args = parse(&["--base", "git:HEAD~1", "--format", "json"]).expect("valid");
        assert_eq!(args.base, Base::Git("HEAD~1".to_owned()));
        assert!(args.json);
    }

    #[test]
    fn usage_errors_name_the_problem() {
        assert_eq!(parse(&[]).unwrap_err(), "--base is required");
        assert_eq!(
            parse(&["--base", "a", "--fail-on", "docs"]).unwrap_err(),
            "--fail-on needs `breaking` or `additive`"
        );
        assert_eq!(
            parse(&["--base", "git:"]).unwrap_err(),
            "--base git: needs a revision"
        );
        assert_eq!(
            parse(&["--base", "a", "--format", "yaml"]).unwrap_err(),
            "--format needs `human` or `json`"
        );
    }
}
