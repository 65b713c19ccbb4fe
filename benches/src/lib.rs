//! Inputs and instruments for the Orux benchmarks (`cargo bench`; results and
//! how to read them in `BENCHMARKS.md`).
//!
//! Everything here is deterministic: the request mixes, the PNG inside the
//! 100 KB data URI and the synthetic specs are all derived from fixed seeds, so
//! two runs time the same bytes.

pub mod alloc;
pub mod base64;
pub mod floor;
pub mod lines;
pub mod mix;
pub mod png;
pub mod rng;
pub mod schema;
pub mod summary;
pub mod synthetic_spec;

use std::path::PathBuf;

/// The repository root (this crate lives in `benches/`).
pub fn repo_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
