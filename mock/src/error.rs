//! Error answers in the one shape clients read:
//! `{"error": {"code", "message", "errors"?}}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use orux_models::Diagnostic;
use serde::Serialize;

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    errors: Vec<Diagnostic>,
    retry_after: Option<u64>,
}

#[derive(Serialize)]
struct Envelope<'a> {
    error: Body<'a>,
}

#[derive(Serialize)]
struct Body<'a> {
    code: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "<[Diagnostic]>::is_empty")]
    errors: &'a [Diagnostic],
}

impl ApiError {
    /// An answer with this status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// 400 `invalid_param` listing every error of a rejected body.
    pub fn invalid_body(errors: Vec<Diagnostic>) -> ApiError {
        let count = errors.len();
        ApiError {
            errors,
            ..ApiError::invalid_param(format!(
                "the request body is invalid: {count} error{}",
                if count == 1 { "" } else { "s" }
            ))
        }
    }

    /// 400 `invalid_param` about something other than the body (a header).
    pub fn invalid_param(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_param", message)
    }

    /// 404 `not_found`.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// Adds `Retry-After: <seconds>`.
    pub fn retry_after(mut self, seconds: u64) -> ApiError {
        self.retry_after = Some(seconds);
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let envelope = Envelope {
            error: Body {
                code: self.code,
                message: &self.message,
                errors: &self.errors,
            },
        };
        let body = match serde_json::to_vec(&envelope) {
            Ok(body) => body,
            // Strings and static codes always serialize; say so if not.
            Err(_) => {
                br#"{"error":{"code":"internal","message":"cannot write the error"}}"#.to_vec()
            }
        };
        let mut response = (
            self.status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
