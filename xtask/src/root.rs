//! Where the repository is: found at run time, never baked into the binary.

use std::path::{Path, PathBuf};

/// The workspace root: the parent of xtask's own manifest directory.
///
/// `cargo run` (and so `cargo xtask`) sets `CARGO_MANIFEST_DIR` at run time
/// to the package of the workspace it was started in, as rust-analyzer's
/// xtask relies on. The compile-time value is only a fallback for a binary
/// run by hand: with a shared `CARGO_TARGET_DIR` (sccache, a global target
/// dir), a binary built in one clone is reused by another, and the
/// compile-time path would point the second clone's commands at the first.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The spec path as shown in error places: relative to the current directory
/// when possible, so messages read `models.yaml:12:5`.
pub fn display_name(spec: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| spec.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| spec.to_path_buf())
        .display()
        .to_string()
}
