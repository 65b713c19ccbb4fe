//! The entry points of [`TaskRequest`] that are not generated.

use crate::runtime::validate::validate_body;
use crate::runtime::{Limits, Validated, ValidationErrors};
use crate::{Model, TaskRequest};

impl TaskRequest {
    /// Checks a raw JSON body against the spec with the default [`Limits`].
    ///
    /// Returns the typed request with any warnings, or every error found: the
    /// body is scanned once, without building a JSON tree.
    pub fn from_json(body: &[u8]) -> Result<Validated<TaskRequest>, ValidationErrors> {
        Self::from_json_with_limits(body, &Limits::default())
    }

    /// [`TaskRequest::from_json`] with explicit size and nesting limits.
    pub fn from_json_with_limits(
        body: &[u8],
        limits: &Limits,
    ) -> Result<Validated<TaskRequest>, ValidationErrors> {
        validate_body::<Model>(body, limits)
    }

    /// The request as compact JSON: `model` first, then only the fields set.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }
}
