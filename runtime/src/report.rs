//! What validation returns: structured errors and warnings with JSON pointers.

use std::fmt;

use serde::Serialize;

use crate::json::JsonError;

/// The code Orux AI answers with for any rejected parameter; every error has it.
pub const INVALID_PARAM: &str = "invalid_param";
/// The code of the warning about an unknown inline prompt directive.
pub const UNKNOWN_DIRECTIVE: &str = "unknown_directive";

/// What a diagnostic is about, for programs that branch on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// The body is not one well-formed JSON object (or exceeds a limit).
    InvalidJson,
    /// A key appears twice in one object.
    DuplicateKey,
    /// `model` is absent or not a string.
    MissingModel,
    /// `model` names no known model.
    UnknownModel,
    /// A key the model's parameter table does not list.
    UnknownField,
    /// A required field is absent.
    MissingField,
    /// A field is `null`; optional fields are absent or typed, never null.
    NullValue,
    /// A field has the wrong JSON type.
    WrongType,
    /// A value outside the field's closed set.
    NotAllowed,
    /// A string shorter than its minimum (an empty prompt).
    TooShort,
    /// A string longer than its maximum.
    TooLong,
    /// Not an absolute https URL with a host.
    InvalidUrl,
    /// Not a well-formed image data URI with valid base64.
    InvalidDataUri,
    /// A bracketed prompt directive outside the model's directive set (a warning).
    UnknownDirective,
}

/// One finding about a request body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// `invalid_param` for errors, `unknown_directive` for warnings.
    pub code: &'static str,
    /// JSON pointer to the offending value (`/duration`, `/image/task_id`), or to
    /// the missing field; `""` for the whole body.
    pub path: String,
    /// What is wrong, in words, naming the field, the model and the value.
    pub message: String,
    /// What it is about.
    #[serde(skip)]
    pub kind: DiagnosticKind,
    /// The nearest known name, when the input looks like a misspelling.
    #[serde(skip)]
    pub suggestion: Option<String>,
    /// Byte offset in the body where the problem starts, if it is in the body.
    #[serde(skip)]
    pub offset: Option<usize>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// A request that passed validation, with any non-fatal findings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validated<R> {
    /// The typed request.
    pub request: R,
    /// Warnings (an unknown Hailuo camera directive): the request is still valid.
    pub warnings: Vec<Diagnostic>,
}

/// Why a body was rejected: every error found, plus any warnings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationErrors {
    /// The model id the body named, when it named a known one.
    pub model: Option<&'static str>,
    /// Every error, in the order of the body (missing fields last).
    pub errors: Vec<Diagnostic>,
    /// Warnings found along the way.
    pub warnings: Vec<Diagnostic>,
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.errors.len();
        write!(
            f,
            "invalid request ({count} error{})",
            if count == 1 { "" } else { "s" }
        )?;
        for error in &self.errors {
            write!(f, "\n  {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

impl From<JsonError> for ValidationErrors {
    /// A body that is not one well-formed JSON object within the limits: a
    /// single error about the whole body, at the offset where reading stopped.
    fn from(error: JsonError) -> Self {
        ValidationErrors {
            model: None,
            errors: vec![Diagnostic {
                code: INVALID_PARAM,
                path: String::new(),
                message: error.to_string(),
                kind: DiagnosticKind::InvalidJson,
                suggestion: None,
                offset: Some(error.offset),
            }],
            warnings: Vec::new(),
        }
    }
}

/// Collects diagnostics while a body is checked.
#[derive(Debug, Default)]
pub struct Report {
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl Report {
    /// Records an error. `offset` orders errors by their place in the body; a
    /// missing field has none and sorts last.
    pub fn error(
        &mut self,
        kind: DiagnosticKind,
        path: String,
        offset: Option<usize>,
        message: String,
        suggestion: Option<&str>,
    ) {
        self.errors.push(Diagnostic {
            code: INVALID_PARAM,
            path,
            message,
            kind,
            suggestion: suggestion.map(str::to_owned),
            offset,
        });
    }

    /// Records a warning.
    pub fn warning(&mut self, diagnostic: Diagnostic) {
        self.warnings.push(diagnostic);
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The findings in body order; `Ok` only when there are no errors.
    pub fn finish<R>(
        mut self,
        model: Option<&'static str>,
        request: Option<R>,
    ) -> Result<Validated<R>, ValidationErrors> {
        // Stable sort: errors at the same offset, and missing fields, keep the
        // order they were found in (the parameter table's order).
        self.errors.sort_by_key(|e| e.offset.unwrap_or(usize::MAX));
        self.warnings
            .sort_by_key(|e| e.offset.unwrap_or(usize::MAX));
        match request {
            Some(request) if self.errors.is_empty() => Ok(Validated {
                request,
                warnings: self.warnings,
            }),
            _ => Err(ValidationErrors {
                model,
                errors: self.errors,
                warnings: self.warnings,
            }),
        }
    }
}

/// Appends one key to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub fn pointer(parent: &str, key: &str) -> String {
    let mut path = String::with_capacity(parent.len() + key.len() + 1);
    path.push_str(parent);
    path.push('/');
    if !key.contains(['~', '/']) {
        path.push_str(key);
        return path;
    }
    for c in key.chars() {
        match c {
            '~' => path.push_str("~0"),
            '/' => path.push_str("~1"),
            c => path.push(c),
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_per_rfc_6901() {
        assert_eq!(pointer("", "duration"), "/duration");
        assert_eq!(pointer("/image", "task_id"), "/image/task_id");
        assert_eq!(pointer("", "a/b~c"), "/a~1b~0c");
        assert_eq!(pointer("", ""), "/");
    }

    #[test]
    fn value_lists_read_naturally() {
        use crate::value_set::{WireValue, describe_values};
        assert_eq!(describe_values(&[WireValue::Int(8)]), "8");
        assert_eq!(
            describe_values(&[WireValue::Int(5), WireValue::Int(10)]),
            "5 or 10"
        );
        assert_eq!(
            describe_values(&[
                WireValue::Str("16:9"),
                WireValue::Str("9:16"),
                WireValue::Str("1:1")
            ]),
            r#""16:9", "9:16" or "1:1""#
        );
    }
}
