//! What validation returns: structured errors and warnings with JSON pointers.

use std::fmt;

use serde::Serialize;

use crate::display;
use crate::json::{JsonError, JsonErrorKind};

/// The code Orux AI answers with for any rejected parameter; every error has it.
pub const INVALID_PARAM: &str = crate::wire::ErrorCode::InvalidParam.as_str();
/// The code of the warning about an unknown inline prompt directive.
pub const UNKNOWN_DIRECTIVE: &str = "unknown_directive";
/// The code of the warning about an empty inline prompt directive (`[]`,
/// `[Pan Right,]`).
pub const EMPTY_DIRECTIVE: &str = "empty_directive";
/// The code of the last warning of a body that had more than
/// [`MAX_WARNINGS`]: it says how many were left out.
pub const WARNINGS_OMITTED: &str = "warnings_omitted";

/// Most warnings reported for one body; beyond them one more warning
/// ([`WARNINGS_OMITTED`]) says how many were left out. It bounds the output
/// of a prompt made of thousands of `[a]`, which is still a valid request.
pub const MAX_WARNINGS: usize = 100;

/// What a diagnostic is about, for programs that branch on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// The body is not one well-formed JSON object (or exceeds a limit).
    InvalidJson,
    /// One well-formed JSON object, then more data after it (as when several
    /// JSON Lines are given as one body).
    TrailingData,
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
    /// A bracket or comma-separated slot with no directive in it (a warning).
    EmptyDirective,
    /// More warnings than [`MAX_WARNINGS`]: the rest were left out (a warning).
    WarningsOmitted,
}

/// One finding about a request body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// `invalid_param` for errors; `unknown_directive`, `empty_directive` or
    /// `warnings_omitted` for warnings.
    pub code: &'static str,
    /// JSON pointer to the offending value (`/duration`, `/image/task_id`), or to
    /// the missing field; `""` for the whole body.
    pub path: String,
    /// What is wrong, in words, naming the field, the model and the value.
    /// Text from the body in it is quoted with [`display::quote`]: bounded,
    /// and with control and bidi characters escaped.
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

/// `path: message`, safe to print: the message through [`display::escape`],
/// the path (exact in [`Diagnostic::path`]) through [`display::excerpt`], so
/// a 10 MB key is not shown whole there either.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = display::escape(&self.message);
        if self.path.is_empty() {
            f.write_str(&message)
        } else {
            write!(f, "{}: {message}", display::excerpt(&self.path))
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
                kind: match error.kind {
                    JsonErrorKind::TrailingCharacters => DiagnosticKind::TrailingData,
                    _ => DiagnosticKind::InvalidJson,
                },
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
    /// Warnings beyond [`MAX_WARNINGS`], counted, not kept.
    omitted: usize,
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

    /// Records a warning, or only counts it once [`MAX_WARNINGS`] are kept.
    pub fn warning(&mut self, diagnostic: Diagnostic) {
        if self.has_warning_room() {
            self.warnings.push(diagnostic);
        } else {
            self.omitted += 1;
        }
    }

    /// Whether another warning would still be kept; past that, a caller may
    /// skip building its message and call [`Report::omit_warning`].
    pub fn has_warning_room(&self) -> bool {
        self.warnings.len() < MAX_WARNINGS
    }

    /// Counts a warning that is left out.
    pub fn omit_warning(&mut self) {
        self.omitted += 1;
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
        if self.omitted > 0 {
            let omitted = self.omitted;
            self.warnings.push(Diagnostic {
                code: WARNINGS_OMITTED,
                path: String::new(),
                message: format!(
                    "{omitted} more warning{} left out; at most {MAX_WARNINGS} are reported per body",
                    if omitted == 1 { "" } else { "s" }
                ),
                kind: DiagnosticKind::WarningsOmitted,
                suggestion: None,
                offset: None,
            });
        }
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
    // A byte test: `~` and `/` are ASCII, so they are never part of another
    // character's UTF-8 (and a `char` pattern was most of this function).
    if !key.bytes().any(|b| b == b'~' || b == b'/') {
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

/// A validation finding as the server lists it: its code, path and message.
impl From<Diagnostic> for crate::wire::FieldError {
    fn from(diagnostic: Diagnostic) -> crate::wire::FieldError {
        crate::wire::FieldError::new(diagnostic.code, diagnostic.path, diagnostic.message)
    }
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
        assert_eq!(pointer("/é", "ü/~"), "/é/ü~1~0");
        assert_eq!(pointer("", "日本"), "/日本");
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
