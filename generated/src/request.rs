//! The entry points of [`TaskRequest`] that are not generated.

use orux_runtime::__private::validate_body;
use orux_runtime::{Limits, Validated, ValidationErrors};

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
    ///
    /// Change one limit and keep the others with struct update syntax:
    ///
    /// ```
    /// use orux_models::{Limits, TaskRequest};
    ///
    /// let limits = Limits { max_body_bytes: 1024, ..Limits::default() };
    /// let body = format!(r#"{{"model":"sora2","prompt":"{}"}}"#, "x".repeat(2000));
    /// let errors = TaskRequest::from_json_with_limits(body.as_bytes(), &limits).unwrap_err();
    /// assert!(errors.errors[0].message.contains("over the limit of 1024 bytes (max_body_bytes)"));
    /// ```
    pub fn from_json_with_limits(
        body: &[u8],
        limits: &Limits,
    ) -> Result<Validated<TaskRequest>, ValidationErrors> {
        validate_body(
            body,
            limits,
            &Model::ALL,
            Model::info,
            Model::validate_fields,
        )
    }

    /// The request as compact JSON: `model` first, then only the fields set.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }
}
