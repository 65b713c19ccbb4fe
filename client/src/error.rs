//! The one error type of the client.

use std::fmt;
use std::time::Duration;

use orux_models::ValidationErrors;
use orux_models::display::quoted;
use orux_models::display::{escape, excerpt};
use orux_models::responses::TaskStatusResponse;
use orux_models::wire::FieldError;

/// Everything a call can end with, to be matched on. No variant contains the
/// API key; error bodies are kept (at most 64 KiB) as the server sent them.
///
/// `Display` shows text that came from the server (codes, messages, paths,
/// task ids, bodies) through `orux_models::display`, so a log line or a
/// terminal gets it escaped; the fields hold it exactly as sent.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The body broke a rule of the spec; checked locally, nothing was sent.
    Invalid(ValidationErrors),
    /// The server refused the request (a 4xx other than 401, 404 and 429).
    Rejected {
        /// The HTTP status (400, 409, 413, 415, …).
        status: u16,
        /// The error code the server gave (`invalid_param`, `idempotency_conflict`, …).
        code: Option<String>,
        /// The server's message, if it gave one.
        message: Option<String>,
        /// Every field problem the server listed.
        errors: Vec<FieldError>,
        /// The raw body text, at most 64 KiB.
        raw: String,
    },
    /// 401: the API key is missing, wrong or revoked.
    Unauthorized,
    /// 404: no such task (or route).
    NotFound,
    /// 429 after the retries allowed, or with a `Retry-After` beyond 120 s.
    RateLimited {
        /// What the server asked for, if it said.
        retry_after: Option<Duration>,
    },
    /// A 5xx on a status request, after the retries allowed.
    Server {
        /// The HTTP status.
        status: u16,
        /// The raw body text, at most 64 KiB.
        raw: String,
    },
    /// A submission may or may not have created a task (a timeout, a reset after
    /// the body was sent, a 5xx, an unreadable success response). Never retried:
    /// reconcile with the idempotency key instead of submitting again.
    SubmitOutcomeUnknown {
        /// The `Idempotency-Key` the POST carried.
        idempotency_key: String,
        /// What happened.
        reason: String,
    },
    /// The connection failed (could not connect, or broke) after the retries allowed.
    Transport(reqwest::Error),
    /// No complete response within the request timeout, after the retries allowed.
    Timeout,
    /// A redirect (3xx) that was not followed. A submission follows none:
    /// nothing was re-sent to where it pointed. A status request follows a
    /// few, to https only (or loopback when the base URL is loopback).
    Redirected {
        /// The HTTP status (301, 302, 303, 307, 308, …).
        status: u16,
        /// The `Location` it pointed to, as sent, if any.
        location: Option<String>,
        /// Why it was not followed.
        reason: String,
    },
    /// A response that is not what the API sends: not JSON, the wrong shape,
    /// the wrong content type, over 1 MiB, an empty or unusable task id, or
    /// the status of another task.
    InvalidResponse {
        /// The HTTP status of that response.
        status: u16,
        /// What is wrong with it.
        reason: String,
    },
    /// A wait reached its deadline before the task ended.
    DeadlinePassed {
        /// The last status seen, if any poll succeeded.
        last: Option<Box<TaskStatusResponse>>,
    },
    /// The client could not be set up (bad base URL, missing or malformed key).
    Config(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid(errors) => write!(f, "{errors}"),
            Error::Rejected {
                status,
                code,
                message,
                errors,
                raw,
            } => {
                write!(f, "the API rejected the request ({status}")?;
                if let Some(code) = code {
                    write!(f, " {}", escape(code))?;
                }
                f.write_str(")")?;
                match message {
                    Some(message) => write!(f, ": {}", escape(message))?,
                    None if errors.is_empty() && !raw.is_empty() => {
                        write!(f, ": {}", excerpt(raw))?
                    }
                    None => {}
                }
                for error in errors {
                    write!(
                        f,
                        "\n  {}: {}",
                        excerpt(&error.path),
                        escape(&error.message)
                    )?;
                }
                Ok(())
            }
            Error::Unauthorized => f.write_str("the API key was refused (401 unauthorized)"),
            Error::NotFound => f.write_str("no such task (404 not found)"),
            Error::RateLimited {
                retry_after: Some(after),
            } => write!(
                f,
                "rate limited (429); the server asks to retry after {} s",
                after.as_secs()
            ),
            Error::RateLimited { retry_after: None } => f.write_str("rate limited (429)"),
            Error::Server { status, .. } => write!(f, "server error ({status})"),
            Error::SubmitOutcomeUnknown {
                idempotency_key,
                reason,
            } => write!(
                f,
                "the submission may or may not have created a task ({}); \
                 do not resubmit blindly, reconcile with Idempotency-Key {}",
                escape(reason),
                escape(idempotency_key)
            ),
            Error::Transport(error) => {
                write!(f, "could not reach the API: {}", escape(&chain(error)))
            }
            Error::Timeout => f.write_str("the API did not answer within the request timeout"),
            Error::Redirected {
                status,
                location,
                reason,
            } => {
                write!(f, "the API answered {status}, a redirect")?;
                if let Some(location) = location {
                    write!(f, " to {}", quoted(location))?;
                }
                write!(
                    f,
                    ", not followed ({}); nothing was re-sent",
                    escape(reason)
                )
            }
            Error::InvalidResponse { status, reason } => {
                write!(
                    f,
                    "unexpected response from the API ({status}): {}",
                    escape(reason)
                )
            }
            Error::DeadlinePassed { last: Some(last) } => write!(
                f,
                "deadline passed; task {} was last {}",
                excerpt(&last.task_id),
                last.status
            ),
            Error::DeadlinePassed { last: None } => {
                f.write_str("deadline passed before any status was read")
            }
            Error::Config(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(error) => Some(error),
            _ => None,
        }
    }
}

/// reqwest's top-level message is generic ("error sending request"); the
/// cause (connection refused, reset) is what a person needs.
pub(crate) fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
