//! The words of the wire, defined once: the API's paths, the header names
//! beyond HTTP's own, the error codes and the error body.
//!
//! The client, the mock server, the CLI and the OpenAPI/JSON Schema emitter
//! all take these from here (through `orux_models::wire`), so a word cannot
//! be spelled two ways; a test ties the emitted schema to these types.
//!
//! ```
//! use orux_runtime::wire::{ErrorCode, ErrorResponse};
//!
//! let body = br#"{"error": {"code": "rate_limited", "message": "slow down"}}"#;
//! let answer: ErrorResponse = serde_json::from_slice(body)?;
//! assert_eq!(answer.error.code(), Some(ErrorCode::RateLimited));
//! assert_eq!(ErrorCode::RateLimited.status(), 429);
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

/// `POST` here submits a task.
pub const TASKS_PATH: &str = "/api/v1/tasks";
/// `GET` here reads a task's status; `{task_id}` is one path segment.
pub const TASK_PATH: &str = "/api/v1/tasks/{task_id}";
/// The name of the path parameter of [`TASK_PATH`].
pub const TASK_ID_PARAM: &str = "task_id";

/// How every Orux API key starts (`sk-app-…`): the mock accepts any key of
/// this form, and the CLI says so when a key of another form is refused.
pub const API_KEY_PREFIX: &str = "sk-app-";

/// The segments of [`TASKS_PATH`] (`api`, `v1`, `tasks`), for building a URL
/// one percent-encoded segment at a time.
pub fn tasks_segments() -> impl Iterator<Item = &'static str> {
    TASKS_PATH.split('/').filter(|segment| !segment.is_empty())
}

// Header names are lowercase: HTTP/2 writes them so, and
// `http::HeaderName::from_static` accepts nothing else. HTTP compares them
// case-insensitively.

/// The request header that makes a submit safe to repeat: a UUID v4 per
/// submission, the same on every retry of it.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// The longest [`IDEMPOTENCY_KEY`], in characters; a key is 1 to this many
/// visible ASCII characters (`!` to `~`).
pub const IDEMPOTENCY_KEY_MAX_LEN: usize = 255;
/// Set (to `true`) on the answer to a repeated submit: same key, same body.
pub const IDEMPOTENT_REPLAYED: &str = "idempotent-replayed";
/// The webhook header naming the delivery: unique per event, the
/// receiver's idempotency key (Standard Webhooks).
pub const WEBHOOK_ID: &str = "webhook-id";
/// The webhook header with the time of signing, in Unix seconds.
pub const WEBHOOK_TIMESTAMP: &str = "webhook-timestamp";
/// The webhook header with the space-separated `v1,<base64>` signatures.
pub const WEBHOOK_SIGNATURE: &str = "webhook-signature";

/// The error codes the API answers with, each with its HTTP status
/// (`docs/decisions.md`, "Talking to the API"). A server may send others: a
/// client keeps the code as text ([`ErrorObject::code`]) and reads it with
/// [`ErrorCode::parse`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// 400: the body broke a rule; `errors` lists every problem.
    InvalidParam,
    /// 401: the API key is missing or not valid.
    Unauthorized,
    /// 404: no task has this id, or no such route.
    NotFound,
    /// 405: a known route with another method.
    MethodNotAllowed,
    /// 409: the `Idempotency-Key` was used with another body.
    IdempotencyConflict,
    /// 413: the body is larger than the server accepts.
    PayloadTooLarge,
    /// 415: the body is not `application/json`.
    UnsupportedMediaType,
    /// 429: too many requests; `Retry-After` says when to try again.
    RateLimited,
    /// 5xx: the server failed or is busy (503 with `Retry-After`).
    Internal,
}

impl ErrorCode {
    /// Every code, in the order of their statuses.
    pub const ALL: [ErrorCode; 9] = [
        ErrorCode::InvalidParam,
        ErrorCode::Unauthorized,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::IdempotencyConflict,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::RateLimited,
        ErrorCode::Internal,
    ];

    /// The code as written on the wire (`invalid_param`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidParam => "invalid_param",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::IdempotencyConflict => "idempotency_conflict",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Internal => "internal",
        }
    }

    /// The HTTP status that carries it; [`ErrorCode::Internal`] stands for
    /// every 5xx and gives 500.
    pub const fn status(self) -> u16 {
        match self {
            ErrorCode::InvalidParam => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::IdempotencyConflict => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::RateLimited => 429,
            ErrorCode::Internal => 500,
        }
    }

    /// When the API answers with it, in one sentence for documentation.
    pub const fn description(self) -> &'static str {
        match self {
            ErrorCode::InvalidParam => {
                "The request was rejected: its body broke a rule of the model's request schema (`errors` lists every problem, each with the JSON pointer of the offending field: `/duration`, `/image/task_id`, or a missing or unknown key's own), or a request header is malformed (such as an `Idempotency-Key` that is not 1 to 255 visible ASCII characters)."
            }
            ErrorCode::Unauthorized => "The API key is missing or not valid.",
            ErrorCode::NotFound => "No task has this id, or no such route.",
            ErrorCode::MethodNotAllowed => "The route exists, but not with this method.",
            ErrorCode::IdempotencyConflict => {
                "An earlier request with the same `Idempotency-Key` had another body."
            }
            ErrorCode::PayloadTooLarge => "The body is larger than the server accepts.",
            ErrorCode::UnsupportedMediaType => "The body is not `application/json`.",
            ErrorCode::RateLimited => "Too many requests; retry after `Retry-After` seconds.",
            ErrorCode::Internal => {
                "The server failed (500), or is overloaded or down for a moment (503, with `Retry-After` when it knows when to come back). A GET may be retried; a POST may or may not have created the task, so retry it only with the same `Idempotency-Key`."
            }
        }
    }

    /// The code written `text`, if it is one of ours (exact spelling).
    pub fn parse(text: &str) -> Option<ErrorCode> {
        ErrorCode::ALL
            .into_iter()
            .find(|code| code.as_str() == text)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of every error answer: `{"error": {"code", "message", "errors"?}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorResponse {
    /// What went wrong.
    pub error: ErrorObject,
}

/// The `error` member of an [`ErrorResponse`].
///
/// Read liberally: a missing `code` or `message` reads as empty text, so a
/// client can take what a server did send.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorObject {
    /// One of [`ErrorCode`] as text, or another code the server used.
    #[serde(default)]
    pub code: String,
    /// A message for a person.
    #[serde(default)]
    pub message: String,
    /// Only for `invalid_param`: every problem of the body.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// One problem the server listed for a rejected body: `{code, path, message}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FieldError {
    /// Machine-readable code, `invalid_param` for a broken rule.
    #[serde(default)]
    pub code: String,
    /// JSON pointer to the offending field (`/duration`), `""` for the body.
    #[serde(default)]
    pub path: String,
    /// What is wrong, in words.
    #[serde(default)]
    pub message: String,
}

impl ErrorResponse {
    /// An answer with `code` and `message`, and no field errors.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ErrorResponse {
        ErrorResponse {
            error: ErrorObject {
                code: code.as_str().to_owned(),
                message: message.into(),
                errors: Vec::new(),
            },
        }
    }

    /// The `invalid_param` answer listing every problem of a rejected body
    /// (the validator's `Diagnostic`s, for one).
    pub fn invalid_body(
        message: impl Into<String>,
        errors: impl IntoIterator<Item = impl Into<FieldError>>,
    ) -> ErrorResponse {
        let mut response = ErrorResponse::new(ErrorCode::InvalidParam, message);
        response.error.errors = errors.into_iter().map(Into::into).collect();
        response
    }
}

impl ErrorObject {
    /// The code, when it is one of [`ErrorCode`].
    pub fn code(&self) -> Option<ErrorCode> {
        ErrorCode::parse(&self.code)
    }
}

impl FieldError {
    /// A field error with every part given.
    pub fn new(
        code: impl Into<String>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> FieldError {
        FieldError {
            code: code.into(),
            path: path.into(),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_distinct() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
            assert_eq!(code.to_string(), code.as_str());
            assert!(!code.description().is_empty());
        }
        let mut statuses: Vec<u16> = ErrorCode::ALL.iter().map(|c| c.status()).collect();
        assert!(statuses.is_sorted(), "ALL is in status order");
        statuses.dedup();
        assert_eq!(statuses.len(), ErrorCode::ALL.len());
        assert_eq!(ErrorCode::parse("Invalid_Param"), None);
    }

    #[test]
    fn the_error_body_writes_strictly_and_reads_liberally() {
        let written = serde_json::to_string(&ErrorResponse::new(ErrorCode::NotFound, "gone"))
            .expect("serializes");
        assert_eq!(
            written,
            r#"{"error":{"code":"not_found","message":"gone"}}"#
        );
        let read: ErrorResponse =
            serde_json::from_str(r#"{"error":{"message":"no code","extra":1}}"#).expect("reads");
        assert_eq!(read.error.code, "");
        assert_eq!(read.error.code(), None);
        assert_eq!(read.error.message, "no code");
    }

    #[test]
    fn the_tasks_path_splits_into_its_segments() {
        assert_eq!(tasks_segments().collect::<Vec<_>>(), ["api", "v1", "tasks"]);
        assert_eq!(
            TASK_PATH,
            format!("{TASKS_PATH}/{{{TASK_ID_PARAM}}}"),
            "the status path is the tasks path and one segment"
        );
    }
}
