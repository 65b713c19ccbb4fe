//! The network edge: one HTTP exchange, and what came back (status, headers,
//! body) read into our types. Everything above works on our types only.
//!
//! Limits: a success body over [`MAX_RESPONSE_BYTES`] is refused, an error body
//! is kept up to [`MAX_ERROR_BODY_BYTES`], and the whole exchange (connect,
//! send, every body byte) must finish within the request timeout, so a server
//! that drips bytes cannot hold a call open.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode, header};
use orux_models::display::quoted;
use orux_models::wire::ErrorObject;
use reqwest::Url;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::Error;

/// The largest success body read: a status response is a few hundred bytes.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;
/// How much of an error body is kept.
pub const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;
/// `Retry-After` values up to this are obeyed; a longer one ends the retries.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(120);

/// A complete response, its body within the limits.
#[derive(Debug)]
pub(crate) struct Raw {
    /// Where the answer came from: the request's URL, unless the HTTP client
    /// (one given to `ClientBuilder::http_client`) followed a redirect.
    pub url: Url,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// Why an exchange produced no response, sorted by what it means for a POST.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The connection was never established: the request surely did not arrive.
    NotConnected(reqwest::Error),
    /// The request may have arrived: the connection broke after sending began.
    Broken(reqwest::Error),
    /// The request timeout passed.
    Timeout,
    /// A success body over the limit (or a success declaring such a length).
    TooLarge { status: StatusCode },
}

/// Sends `request` and reads the whole response within `timeout`.
pub(crate) async fn exchange(
    request: reqwest::RequestBuilder,
    timeout: Duration,
) -> Result<Raw, Failure> {
    match tokio::time::timeout(timeout, exchange_inner(request)).await {
        Ok(outcome) => outcome,
        Err(_) => Err(Failure::Timeout),
    }
}

async fn exchange_inner(request: reqwest::RequestBuilder) -> Result<Raw, Failure> {
    let mut response = request.send().await.map_err(classify)?;
    let url = response.url().clone();
    let status = response.status();
    let limit = if status.is_success() {
        MAX_RESPONSE_BYTES
    } else {
        MAX_ERROR_BODY_BYTES
    };
    if status.is_success()
        && response
            .content_length()
            .is_some_and(|len| len > limit as u64)
    {
        return Err(Failure::TooLarge { status });
    }
    let headers = std::mem::take(response.headers_mut());
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(classify)? {
        let room = limit - body.len();
        if chunk.len() > room {
            if status.is_success() {
                return Err(Failure::TooLarge { status });
            }
            // An error body is only for people: keep its start, drop the rest.
            body.extend_from_slice(&chunk[..room]);
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Raw {
        url,
        status,
        headers,
        body,
    })
}

fn classify(error: reqwest::Error) -> Failure {
    if error.is_connect() {
        Failure::NotConnected(error)
    } else if error.is_timeout() {
        Failure::Timeout
    } else {
        Failure::Broken(error)
    }
}

/// Reads a response: a 2xx body as `T` (JSON), anything else as the matching
/// [`Error`]. Liberal in what it accepts; never panics on any input.
///
/// `now` is the wall-clock time a `Retry-After` date is counted from.
pub fn parse_response<T: DeserializeOwned>(
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
    now: SystemTime,
) -> Result<T, Error> {
    let Ok(status) = StatusCode::from_u16(status) else {
        return Err(Error::InvalidResponse {
            status,
            reason: "not an HTTP status".to_owned(),
        });
    };
    if !status.is_success() {
        return Err(parse_error(status, headers, body, now));
    }
    if let Some(kind) = headers.get(header::CONTENT_TYPE) {
        let kind = kind.to_str().unwrap_or("");
        if !is_json(kind) {
            return Err(Error::InvalidResponse {
                status: status.as_u16(),
                reason: format!("content type {} is not JSON", quoted(kind)),
            });
        }
    }
    if body.len() > MAX_RESPONSE_BYTES {
        return Err(too_large(status));
    }
    serde_json::from_slice(body).map_err(|error| Error::InvalidResponse {
        status: status.as_u16(),
        reason: format!("body is not the expected JSON: {error}"),
    })
}

pub(crate) fn too_large(status: StatusCode) -> Error {
    Error::InvalidResponse {
        status: status.as_u16(),
        reason: format!(
            "body is over the {} MiB limit",
            MAX_RESPONSE_BYTES / (1024 * 1024)
        ),
    }
}

fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The three error shapes the API may use, read in one pass: the wire's
/// `{"error": {code, message, errors}}`, or the members of its `error`
/// object at the top level (`{"errors": [...]}`, `{code, message}`).
#[derive(Deserialize, Default)]
struct ErrorShape {
    #[serde(default)]
    error: Option<ErrorObject>,
    #[serde(flatten)]
    top: ErrorObject,
}

/// An error response as an [`Error`]: `{"error": {code, message, errors}}`,
/// `{"errors": [...]}` or `{code, message}`; otherwise just the raw text.
/// A 3xx is a redirect nobody followed.
fn parse_error(status: StatusCode, headers: &HeaderMap, body: &[u8], now: SystemTime) -> Error {
    let body = &body[..body.len().min(MAX_ERROR_BODY_BYTES)];
    let raw = String::from_utf8_lossy(body).into_owned();
    match status.as_u16() {
        300..=399 => {
            return Error::Redirected {
                status: status.as_u16(),
                location: location(headers),
                reason: "not followed".to_owned(),
            };
        }
        401 => return Error::Unauthorized,
        404 => return Error::NotFound,
        429 => {
            return Error::RateLimited {
                retry_after: retry_after(headers, now),
            };
        }
        500..=599 => {
            return Error::Server {
                status: status.as_u16(),
                raw,
            };
        }
        _ => {}
    }
    let shape: ErrorShape = serde_json::from_slice(body).unwrap_or_default();
    let error = match shape.error {
        Some(mut inner) => {
            if inner.errors.is_empty() {
                inner.errors = shape.top.errors;
            }
            inner
        }
        None => shape.top,
    };
    let given = |text: String| (!text.is_empty()).then_some(text);
    Error::Rejected {
        status: status.as_u16(),
        code: given(error.code),
        message: given(error.message),
        errors: error.errors,
        raw,
    }
}

/// The `Location` header as text (lossy), when there is one.
pub(crate) fn location(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::LOCATION)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
}

/// `Retry-After` as a wait from `now`: whole seconds or an HTTP date (a date in
/// the past is no wait). Unreadable values are ignored.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Saturate rather than fail on absurd values: they end the retries anyway.
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}
