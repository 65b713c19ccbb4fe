//! Compare generated files with what is on disk, and write them.
//!
//! `cargo xtask regenerate` and the staleness test both call this, so "stale" means
//! the same thing to both.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::emit::GeneratedFile;

/// How one file on disk differs from the generated output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Generated, but not on disk.
    Create(PathBuf),
    /// On disk with other contents (which are kept here for the diff).
    Update {
        /// The file, relative to the output directory.
        path: PathBuf,
        /// What is on disk now.
        old: String,
        /// What the spec produces.
        new: String,
    },
    /// On disk in a generated directory, but no longer generated.
    Remove(PathBuf),
}

impl Change {
    /// The file concerned, relative to the output directory.
    pub fn path(&self) -> &Path {
        match self {
            Change::Create(path) | Change::Remove(path) => path,
            Change::Update { path, .. } => path,
        }
    }

    /// One line naming the change, and for an update a unified diff cut to
    /// `max_lines` lines.
    pub fn describe(&self, max_lines: usize) -> String {
        match self {
            Change::Create(path) => format!("new      {}", path.display()),
            Change::Remove(path) => format!("removed  {}", path.display()),
            Change::Update { path, old, new } => {
                let diff = TextDiff::from_lines(old, new)
                    .unified_diff()
                    .context_radius(2)
                    .header("checked in", "generated")
                    .to_string();
                let mut lines: Vec<&str> = diff.lines().collect();
                let total = lines.len();
                lines.truncate(max_lines);
                let mut text = format!("changed  {}\n", path.display());
                for line in lines {
                    text.push_str("    ");
                    text.push_str(line);
                    text.push('\n');
                }
                if total > max_lines {
                    text.push_str(&format!("    … {} more diff lines\n", total - max_lines));
                }
                text.trim_end().to_owned()
            }
        }
    }
}

/// Every difference between `files` and the contents of `out_dir`, in path order.
/// Files under `generated_dirs` that are not generated any more count as removed.
pub fn plan(
    out_dir: &Path,
    files: &[GeneratedFile],
    generated_dirs: &[&str],
) -> io::Result<Vec<Change>> {
    let mut changes = Vec::new();
    for file in files {
        match fs::read_to_string(out_dir.join(&file.path)) {
            Ok(old) if old == file.contents => {}
            Ok(old) => changes.push(Change::Update {
                path: file.path.clone(),
                old,
                new: file.contents.clone(),
            }),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                changes.push(Change::Create(file.path.clone()))
            }
            Err(error) => return Err(error),
        }
    }
    for dir in generated_dirs {
        for path in files_under(&out_dir.join(dir))? {
            let relative = path.strip_prefix(out_dir).unwrap_or(&path).to_path_buf();
            if !files.iter().any(|f| f.path == relative) {
                changes.push(Change::Remove(relative));
            }
        }
    }
    changes.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(changes)
}

/// Applies `changes`: each new or changed file is written to a temporary file
/// beside it and renamed into place, so no reader ever sees half a file.
pub fn apply(out_dir: &Path, files: &[GeneratedFile], changes: &[Change]) -> io::Result<()> {
    for change in changes {
        let target = out_dir.join(change.path());
        match change {
            Change::Remove(_) => fs::remove_file(&target)?,
            Change::Create(path) | Change::Update { path, .. } => {
                let Some(file) = files.iter().find(|f| &f.path == path) else {
                    continue;
                };
                if let Some(parent) = target.parent() {
                    fs::create_dir_all(parent)?;
                }
                let temporary = target.with_extension("rs.tmp-regenerate");
                fs::write(&temporary, &file.contents)?;
                fs::rename(&temporary, &target)?;
            }
        }
    }
    Ok(())
}

/// Every file below `dir`, sorted; none when it does not exist.
fn files_under(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = match fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error),
        };
        for entry in entries {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                pending.push(entry.path());
            } else {
                found.push(entry.path());
            }
        }
    }
    found.sort();
    Ok(found)
}
