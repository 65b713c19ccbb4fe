//! A copy of the workspace that builds like the original: its files with
//! their modification times, and a target directory of its own seeded with
//! the original's build of every dependency, so only the workspace's own
//! crates are compiled again.
//!
//! The copy must not share the original's target directory: cargo hashes a
//! workspace package by its path relative to the workspace root, so the
//! copy's crates would get the same artifact names as the original's, and
//! each build would overwrite the other's.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository's files, relative to `root`: those git tracks, and
/// untracked ones it does not ignore (so uncommitted work counts too). A
/// tracked file deleted in the work tree is listed.
pub fn repository_files(root: &Path) -> Result<Vec<PathBuf>, String> {
    let output = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(root)
        .output()
        .map_err(|error| format!("cannot run git ls-files: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "git ls-files failed in {}: {}",
            root.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(output
        .stdout
        .split(|byte| *byte == 0)
        .filter(|path| !path.is_empty())
        .filter_map(|path| std::str::from_utf8(path).ok())
        .map(PathBuf::from)
        .collect())
}

/// Copies the [repository's files](repository_files) to `dest`, each with
/// its modification time (a file cargo already built from stays fresh).
/// Returns how many files were copied.
pub fn copy_sources(root: &Path, dest: &Path) -> Result<usize, String> {
    let mut copied = 0;
    for path in repository_files(root)? {
        let from = root.join(&path);
        // A tracked file deleted in the work tree is listed, and not copied.
        let Ok(metadata) = std::fs::symlink_metadata(&from) else {
            continue;
        };
        if !metadata.is_file() {
            continue;
        }
        let to = dest.join(&path);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|error| format!("cannot create {}: {error}", parent.display()))?;
        }
        std::fs::copy(&from, &to)
            .map_err(|error| format!("cannot copy {}: {error}", path.display()))?;
        if let Ok(modified) = metadata.modified() {
            let _ = std::fs::File::options()
                .write(true)
                .open(&to)
                .and_then(|file| file.set_modified(modified));
        }
        copied += 1;
    }
    Ok(copied)
}

/// What [`seed_target`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Seeded {
    /// Compiler outputs hard-linked (never rewritten in place).
    pub linked: usize,
    /// Small files copied (cargo and rustc rewrite them in place).
    pub copied: usize,
}

/// Fills the profile directory `dest` (`<copy>/target/debug`) from `source`
/// (`<original>/target/debug`) with the build of every package that is not
/// one of `workspace_packages`. Compiler outputs (`.rlib`, `.rmeta`, `.so`,
/// `.a`, executables) are hard-linked where the file system allows: the
/// compiler and the linker replace them rather than rewrite them, so the
/// original's are never touched. Everything else (fingerprints, dep-info)
/// is copied. Incremental caches, the lock file and the files cargo copies
/// up into the profile directory are left out.
pub fn seed_target(
    source: &Path,
    dest: &Path,
    workspace_packages: &[String],
) -> Result<Seeded, String> {
    let own = workspace_hashes(source, workspace_packages);
    let mut seeded = Seeded::default();
    for area in ["deps", "build", ".fingerprint", "examples"] {
        let from = source.join(area);
        if !from.is_dir() {
            continue;
        }
        let entries = std::fs::read_dir(&from)
            .map_err(|error| format!("cannot read {}: {error}", from.display()))?;
        for entry in entries.flatten() {
            let name = entry.file_name();
            if unit_hash(&name.to_string_lossy()).is_some_and(|hash| own.contains(hash)) {
                continue;
            }
            seed(&entry.path(), &dest.join(area).join(&name), &mut seeded)?;
        }
    }
    Ok(seeded)
}

/// The unit hashes of the workspace's own packages, read off the
/// fingerprint directories (`.fingerprint/orux-models-bf940ef0ed79f64b`).
fn workspace_hashes(source: &Path, workspace_packages: &[String]) -> HashSet<String> {
    let Ok(entries) = std::fs::read_dir(source.join(".fingerprint")) else {
        return HashSet::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let (package, hash) = name.rsplit_once('-')?;
            (workspace_packages.iter().any(|own| own == package) && is_hash(hash))
                .then(|| hash.to_owned())
        })
        .collect()
}

/// The unit hash at the end of an artifact's name: `liborux_models-bf940ef0ed79f64b.rlib`,
/// `suite-1862cd6778e1ec5c`, `serde-0a1b…` (a directory).
fn unit_hash(name: &str) -> Option<&str> {
    let stem = name.split('.').next()?;
    let (_, hash) = stem.rsplit_once('-')?;
    is_hash(hash).then_some(hash)
}

fn is_hash(text: &str) -> bool {
    text.len() == 16 && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

/// Links or copies one file, or a directory's whole tree.
fn seed(from: &Path, to: &Path, seeded: &mut Seeded) -> Result<(), String> {
    let metadata = std::fs::symlink_metadata(from)
        .map_err(|error| format!("cannot read {}: {error}", from.display()))?;
    if metadata.is_dir() {
        std::fs::create_dir_all(to)
            .map_err(|error| format!("cannot create {}: {error}", to.display()))?;
        let entries = std::fs::read_dir(from)
            .map_err(|error| format!("cannot read {}: {error}", from.display()))?;
        for entry in entries.flatten() {
            seed(&entry.path(), &to.join(entry.file_name()), seeded)?;
        }
        return Ok(());
    }
    if !metadata.is_file() || to.exists() {
        return Ok(());
    }
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|error| format!("cannot create {}: {error}", parent.display()))?;
    }
    if is_compiler_output(from, &metadata) && std::fs::hard_link(from, to).is_ok() {
        seeded.linked += 1;
        return Ok(());
    }
    std::fs::copy(from, to).map_err(|error| format!("cannot copy {}: {error}", from.display()))?;
    let _ = std::fs::File::options()
        .write(true)
        .open(to)
        .and_then(|file| file.set_modified(metadata.modified()?));
    seeded.copied += 1;
    Ok(())
}

/// A file the compiler or linker writes whole (and replaces, never edits).
fn is_compiler_output(path: &Path, metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    matches!(extension, "rlib" | "rmeta" | "so" | "a") || metadata.permissions().mode() & 0o111 != 0
}

/// Where a copy of `root` goes and builds: `<target>/rehearsal/…`.
pub fn scratch(target_directory: &Path, name: &str) -> PathBuf {
    target_directory.join("rehearsal").join(name)
}

#[cfg(test)]
mod tests {
    use super::unit_hash;

    #[test]
    fn unit_hashes_are_read_off_artifact_names() {
        assert_eq!(
            unit_hash("liborux_models-bf940ef0ed79f64b.rlib"),
            Some("bf940ef0ed79f64b")
        );
        assert_eq!(
            unit_hash("suite-1862cd6778e1ec5c"),
            Some("1862cd6778e1ec5c")
        );
        assert_eq!(
            unit_hash("orux-models-bf940ef0ed79f64b"),
            Some("bf940ef0ed79f64b")
        );
        assert_eq!(unit_hash("libserde.rlib"), None);
        assert_eq!(unit_hash("build-script-build"), None);
    }
}
