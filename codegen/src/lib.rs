//! The Orux models generator: `models.yaml` → the `orux-models` crate.
//!
//! The pipeline reads in one direction, each stage in its own module:
//!
//! 1. [`yaml`]: YAML text → a tree with a line and column on every node;
//! 2. [`spec`]: the tree → the spec as written (shape checked: keys, kinds);
//! 3. [`lower`]: the spec → the [`ir::Ir`] (meaning checked: references, allowed
//!    values, names), or every problem at once as [`SpecErrors`];
//! 4. [`emit`]: the IR → whole files, formatted by prettyplease.
//!
//! [`generate`] runs all four and never writes anything; the `xtask` writes or
//! compares what it returns, and a test in the suite calls it to catch drift.
//! The file format is documented at the top of `models.yaml`.

pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod ir;
pub mod limits;
pub mod lower;
pub mod naming;
pub mod output;
pub mod spec;
pub mod yaml;

pub use diagnostic::{SpecError, SpecErrors};
pub use emit::GeneratedFile;
pub use limits::SpecLimits;

use diagnostic::{Sink, Subject};

/// Why nothing was generated.
#[derive(Debug)]
pub enum GenerateError {
    /// The spec has problems; every one found is listed.
    Spec(SpecErrors),
    /// An emitter produced invalid Rust (a generator bug).
    Emit(emit::EmitError),
}

impl std::fmt::Display for GenerateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GenerateError::Spec(errors) => errors.fmt(f),
            GenerateError::Emit(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for GenerateError {}

/// Reads, checks and lowers a spec within the default [`SpecLimits`]. `file`
/// is the name shown in error places.
pub fn load(text: &str, file: &str) -> Result<ir::Ir, SpecErrors> {
    load_with_limits(text, file, &SpecLimits::default())
}

/// [`load`] with other size caps, for a catalog larger than the defaults allow.
pub fn load_with_limits(text: &str, file: &str, limits: &SpecLimits) -> Result<ir::Ir, SpecErrors> {
    let mut sink = Sink::default();
    let tree = match yaml::parse(text, limits.max_spec_bytes) {
        Ok(tree) => tree,
        Err(error) => {
            sink.error(
                error.loc.unwrap_or(yaml::Loc { line: 1, column: 1 }),
                Subject::TOP,
                error.message,
            );
            return Err(sink.finish(file).err().unwrap_or_else(|| SpecErrors {
                file: file.to_owned(),
                errors: Vec::new(),
            }));
        }
    };
    let spec = spec::read(&tree, &mut sink);
    let ir = lower::lower(&spec, &mut sink, limits);
    sink.finish(file)?;
    ir.ok_or_else(|| SpecErrors {
        file: file.to_owned(),
        errors: Vec::new(),
    })
}

/// Every generated file for the spec text, paths relative to the output
/// directory (the `orux-models` crate root), within the default
/// [`SpecLimits`]. Pure: reads and writes nothing.
pub fn generate(text: &str, file: &str) -> Result<Vec<GeneratedFile>, GenerateError> {
    generate_with_limits(text, file, &SpecLimits::default())
}

/// [`generate`] with other size caps.
pub fn generate_with_limits(
    text: &str,
    file: &str,
    limits: &SpecLimits,
) -> Result<Vec<GeneratedFile>, GenerateError> {
    let ir = load_with_limits(text, file, limits).map_err(GenerateError::Spec)?;
    emit::all_files(&ir).map_err(GenerateError::Emit)
}

/// The directories under the output directory that hold only generated files;
/// any other file found there is stale and is removed by `regenerate`.
pub const GENERATED_DIRS: &[&str] = &[emit::RUST_DIR, emit::SCHEMA_DIR];

/// The IR of the repository's own `models.yaml`, for unit tests that break
/// one piece of a real spec. The path is `cargo test`'s run-time
/// `CARGO_MANIFEST_DIR` (the compile-time one only as a fallback): a test
/// binary reused from another clone through a shared target directory reads
/// the spec of the clone it runs in.
#[cfg(test)]
pub(crate) fn spec_ir() -> ir::Ir {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into());
    let path = manifest_dir.join("../models.yaml");
    let text = std::fs::read_to_string(path).expect("models.yaml is readable");
    load(&text, "models.yaml").expect("models.yaml is valid")
}
