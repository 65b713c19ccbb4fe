//! How large a spec the generator accepts.
//!
//! The loader is fed whatever the next maintainer (or a stray file) puts in
//! `models.yaml`, so the work and memory one spec can cost are bounded: the
//! text by its size, and what it expands to (an `every_model` parameter is
//! copied into each model, an enum field's catalog entry lists its whole
//! value set) by counts. Each default is some hundred times what the real
//! 17-model spec needs; exceeding one is a spec error naming the limit.
//! A much larger catalog (the generator benchmark's 10,000 models) raises
//! them through [`crate::load_with_limits`]; the YAML nesting and alias caps
//! in [`crate::yaml`] are not size-dependent and stay fixed.

/// The size caps on one spec. Change one and keep the others with struct
/// update syntax: `SpecLimits { max_spec_bytes: 8 << 20, ..SpecLimits::default() }`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpecLimits {
    /// Largest spec text accepted, in bytes; checked before parsing.
    pub max_spec_bytes: usize,
    /// Most parameters in all models together, counting an `every_model`
    /// parameter once per model.
    pub max_fields: usize,
    /// Most allowed values in all enum fields together, counting a value set
    /// once per field that uses it.
    pub max_allowed_values: usize,
}

/// Default [`SpecLimits::max_spec_bytes`]: 1 MiB. `models.yaml` is about
/// 16 KB for 17 models, so this is room for some thousand models, while a
/// hostile multi-megabyte file is refused before it is parsed.
pub const MAX_SPEC_BYTES: usize = 1024 * 1024;

/// Default [`SpecLimits::max_fields`].
pub const MAX_FIELDS: usize = 10_000;

/// Default [`SpecLimits::max_allowed_values`].
pub const MAX_ALLOWED_VALUES: usize = 100_000;

impl Default for SpecLimits {
    fn default() -> Self {
        SpecLimits {
            max_spec_bytes: MAX_SPEC_BYTES,
            max_fields: MAX_FIELDS,
            max_allowed_values: MAX_ALLOWED_VALUES,
        }
    }
}
