//! Error answers in the one shape clients read,
//! `{"error": {"code", "message", "errors"?}}`: the wire's own
//! [`ErrorResponse`], with its [`ErrorCode`].

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use orux_models::Diagnostic;
use orux_models::wire::{ErrorCode, ErrorResponse};

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorResponse,
    retry_after: Option<u64>,
}

impl ApiError {
    /// An answer with this code (and the status that goes with it) and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::from_u16(code.status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            body: ErrorResponse::new(code, message),
            retry_after: None,
        }
    }

    /// 400 `invalid_param` listing every error of a rejected body.
    pub fn invalid_body(errors: Vec<Diagnostic>) -> ApiError {
        let count = errors.len();
        let message = format!(
            "the request body is invalid: {count} error{}",
            if count == 1 { "" } else { "s" }
        );
        ApiError {
            status: StatusCode::BAD_REQUEST,
            body: ErrorResponse::invalid_body(message, errors),
            retry_after: None,
        }
    }

    /// 400 `invalid_param` about something other than the body (a header).
    pub fn invalid_param(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::InvalidParam, message)
    }

    /// 404 `not_found`.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::NotFound, message)
    }

    /// 503 `internal` with `Retry-After`: the server is busy, try again.
    pub fn busy(message: impl Into<String>, retry_after: u64) -> ApiError {
        ApiError::new(ErrorCode::Internal, message)
            .with_status(StatusCode::SERVICE_UNAVAILABLE)
            .retry_after(retry_after)
    }

    /// The same answer with another status of its code's class (503 for
    /// `internal`).
    pub fn with_status(mut self, status: StatusCode) -> ApiError {
        self.status = status;
        self
    }

    /// Adds `Retry-After: <seconds>`.
    pub fn retry_after(mut self, seconds: u64) -> ApiError {
        self.retry_after = Some(seconds);
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = match serde_json::to_vec(&self.body) {
            Ok(body) => body,
            // Strings always serialize; say so if not.
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
