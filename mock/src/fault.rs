//! Fault injection for client tests: the request header
//! `X-Orux-Mock-Fault` makes one request fail the way a real network or
//! server can. The values (case-insensitive, parameters after `;`):
//!
//! | value | what happens |
//! |---|---|
//! | `500` | 500 `internal`; the request is not carried out |
//! | `503` or `503; retry-after=N` | 503 `internal` with `Retry-After: N` (default 1); not carried out |
//! | `429` or `429; retry-after=N` | 429 `rate_limited` with `Retry-After: N` (default 1); not carried out |
//! | `reset` | the request **is** carried out (a task is created), then the connection is closed without an answer: the "did it arrive?" case |
//! | `slow` or `slow; seconds=N` | the request is carried out, the answer is held back N seconds (default 5, at most 600) |
//!
//! Anything else is 400 `invalid_param` naming the header.

use std::time::Duration;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use orux_models::wire::ErrorCode;

use crate::error::ApiError;

/// The header name.
pub const FAULT_HEADER: &str = "x-orux-mock-fault";

/// Longest `slow` delay, so a typo cannot hold a connection for hours.
const MAX_SLOW_SECONDS: u64 = 600;

/// A fault asked for by a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this status (500, 503, 429) and `Retry-After` when set.
    Status(StatusCode, Option<u64>),
    /// Carry the request out, then close the connection without answering.
    Reset,
    /// Carry the request out, then wait before answering.
    Slow(Duration),
}

/// Marks a response that must not be sent: the connection is closed instead.
#[derive(Clone, Copy, Debug)]
pub struct ResetConnection;

impl Fault {
    /// Reads a header value.
    pub fn parse(text: &str) -> Result<Fault, String> {
        let mut parts = text.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default().to_ascii_lowercase();
        let param = parts.next();
        if parts.next().is_some() {
            return Err(format!("{FAULT_HEADER} takes at most one parameter"));
        }
        let number = |key: &str, default: u64, max: u64| -> Result<u64, String> {
            let Some(param) = param else {
                return Ok(default);
            };
            let value = param
                .split_once('=')
                .filter(|(k, _)| k.trim().eq_ignore_ascii_case(key))
                .map(|(_, v)| v.trim())
                .ok_or_else(|| format!("{FAULT_HEADER}: `{name}` takes `; {key}=N`"))?;
            value
                .parse::<u64>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| {
                    format!("{FAULT_HEADER}: {key} must be a whole number from 0 to {max}")
                })
        };
        match name.as_str() {
            "500" if param.is_none() => Ok(Fault::Status(StatusCode::INTERNAL_SERVER_ERROR, None)),
            "503" => Ok(Fault::Status(
                StatusCode::SERVICE_UNAVAILABLE,
                Some(number("retry-after", 1, 86_400)?),
            )),
            "429" => Ok(Fault::Status(
                StatusCode::TOO_MANY_REQUESTS,
                Some(number("retry-after", 1, 86_400)?),
            )),
            "reset" if param.is_none() => Ok(Fault::Reset),
            "slow" => Ok(Fault::Slow(Duration::from_secs(number(
                "seconds",
                5,
                MAX_SLOW_SECONDS,
            )?))),
            _ => Err(format!(
                "{FAULT_HEADER} must be 500, 503, 429, reset or slow (see the mock's README)"
            )),
        }
    }
}

/// The middleware: applies the fault a request asks for, if any.
pub async fn inject(request: Request, next: Next) -> Response {
    let Some(value) = request.headers().get(FAULT_HEADER) else {
        return next.run(request).await;
    };
    let fault = match value
        .to_str()
        .map_err(|_| format!("{FAULT_HEADER} is not visible ASCII"))
    {
        Ok(text) => Fault::parse(text),
        Err(message) => Err(message),
    };
    match fault {
        Err(message) => ApiError::invalid_param(message).into_response(),
        Ok(Fault::Status(status, retry_after)) => {
            let error = if status == StatusCode::TOO_MANY_REQUESTS {
                ApiError::new(ErrorCode::RateLimited, "injected fault: rate limited")
            } else {
                ApiError::new(ErrorCode::Internal, format!("injected fault: {status}"))
                    .with_status(status)
            };
            match retry_after {
                Some(seconds) => error.retry_after(seconds),
                None => error,
            }
            .into_response()
        }
        Ok(Fault::Reset) => {
            let mut response = next.run(request).await;
            response.extensions_mut().insert(ResetConnection);
            response
        }
        Ok(Fault::Slow(delay)) => {
            let response = next.run(request).await;
            // Real time on purpose: this exercises the client's network timeout.
            tokio::time::sleep(delay).await;
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_parameters() {
        assert_eq!(
            Fault::parse("500"),
            Ok(Fault::Status(StatusCode::INTERNAL_SERVER_ERROR, None))
        );
        assert_eq!(
            Fault::parse("429; Retry-After=7"),
            Ok(Fault::Status(StatusCode::TOO_MANY_REQUESTS, Some(7)))
        );
        assert_eq!(
            Fault::parse("503"),
            Ok(Fault::Status(StatusCode::SERVICE_UNAVAILABLE, Some(1)))
        );
        assert_eq!(Fault::parse("RESET"), Ok(Fault::Reset));
        assert_eq!(
            Fault::parse("slow"),
            Ok(Fault::Slow(Duration::from_secs(5)))
        );
        assert_eq!(
            Fault::parse("slow;seconds=2"),
            Ok(Fault::Slow(Duration::from_secs(2)))
        );
        for bad in [
            "",
            "404",
            "slow; seconds=601",
            "slow; secs=1",
            "500; x=1",
            "reset; a",
            "429; retry-after=-1",
            "slow;seconds=1;x",
        ] {
            assert!(Fault::parse(bad).is_err(), "{bad:?}");
        }
    }
}
