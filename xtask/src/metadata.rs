//! What `cargo metadata` says about the workspace: its packages and the
//! target directory (which `CARGO_TARGET_DIR` or a config may have moved).

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The part of `cargo metadata --no-deps` the tasks read.
#[derive(Debug, Deserialize)]
pub struct Metadata {
    /// The workspace's packages.
    pub packages: Vec<Package>,
    /// Where cargo builds this workspace.
    pub target_directory: PathBuf,
}

/// One workspace package.
#[derive(Debug, Deserialize)]
pub struct Package {
    /// The package name (`orux-models`).
    pub name: String,
    /// `rust-version`, when set.
    pub rust_version: Option<String>,
    /// `None` when publishable anywhere; `Some([])` for `publish = false`.
    pub publish: Option<Vec<String>>,
}

impl Metadata {
    /// Runs `cargo metadata --no-deps` in `root`.
    pub fn read(root: &Path) -> Result<Metadata, String> {
        let output = crate::steps::cargo(root)
            .args(["metadata", "--format-version", "1", "--no-deps", "--locked"])
            .output()
            .map_err(|error| format!("cannot run cargo metadata: {error}"))?;
        if !output.status.success() {
            return Err(format!(
                "cargo metadata failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        serde_json::from_slice(&output.stdout)
            .map_err(|error| format!("cannot read cargo metadata's output: {error}"))
    }

    /// The crates published to crates.io (README, "Publishing").
    pub fn published(&self) -> impl Iterator<Item = &str> {
        self.packages
            .iter()
            .filter(|package| package.publish.as_ref().is_none_or(|to| !to.is_empty()))
            .map(|package| package.name.as_str())
    }

    /// The workspace's `rust-version` (every package inherits it).
    pub fn rust_version(&self) -> Option<&str> {
        self.packages
            .iter()
            .find_map(|package| package.rust_version.as_deref())
    }
}
