//! What `submit`, `status` and `wait` share: the client from the environment,
//! one async runtime per run, and how outcomes and errors are printed and
//! mapped to exit statuses.

use std::io::{self, Write};

use orux_client::{Client, Error as ApiError, TaskStatus, TaskStatusResponse};
use orux_models::Diagnostic;
use orux_models::display::escape;
use serde_json::{Value, json};

use crate::Verdict;
use crate::api_args::ApiOptions;
use crate::format::Format;
use crate::render;

/// Prints outcomes in the chosen format and turns them into verdicts.
#[derive(Clone, Copy)]
pub(super) struct Reporter {
    pub format: Format,
}

impl Reporter {
    pub fn new(api: &ApiOptions) -> Reporter {
        Reporter { format: api.format }
    }

    /// A usage or local I/O problem: exit status 2.
    pub fn usage(self, message: &str) -> Verdict {
        self.error("usage", message, json!({}));
        Verdict::UsageReported
    }

    /// A failed API call: 1 for an invalid body, 2 for a set-up problem, 3 otherwise.
    pub fn api_error(self, error: &ApiError) -> Verdict {
        let mut message = error.to_string();
        if matches!(error, ApiError::Unauthorized) {
            message.push_str(key_form_hint());
        }
        let (code, extra, verdict) = describe(error);
        if let ApiError::Invalid(invalid) = error {
            return self.invalid(&invalid.errors, &invalid.warnings, &message);
        }
        self.error(&code, &message, extra);
        verdict
    }

    /// A body that failed local validation: nothing was sent, exit status 1.
    pub fn invalid(self, errors: &[Diagnostic], warnings: &[Diagnostic], message: &str) -> Verdict {
        match self.format {
            Format::Json => print_json(&json!({"error": {
                "code": "invalid_param",
                "message": message,
                "errors": errors,
                "warnings": warnings,
            }})),
            Format::Human => {
                let mut err = anstream::stderr().lock();
                let style = render::ERROR;
                let _ = writeln!(
                    err,
                    "{style}error:{style:#} the body is invalid; nothing was sent"
                );
                for diagnostic in errors {
                    let _ = writeln!(err, "{}", shown(&diagnostic.to_string()));
                }
                for diagnostic in warnings {
                    let _ = writeln!(err, "warning: {}", shown(&diagnostic.to_string()));
                }
            }
        }
        Verdict::Invalid
    }

    /// A task status: the object (json) or `TASK_ID: STATUS` and one line per
    /// result URL. A failed or expired task is exit status 1.
    pub fn status(self, status: &TaskStatusResponse) -> Verdict {
        match self.format {
            Format::Json => print_json(&json!(status)),
            Format::Human => {
                let mut out = io::stdout().lock();
                let _ = writeln!(
                    out,
                    "{}: {}",
                    shown(&status.task_id),
                    shown(status.status.as_str())
                );
                for url in &status.result_urls {
                    let _ = writeln!(out, "{}", shown(url));
                }
            }
        }
        match status.status {
            TaskStatus::Failed | TaskStatus::Expired => Verdict::Invalid,
            _ => Verdict::Success,
        }
    }

    /// An error: `{"error": {code, message, …extra}}` (json) or `error: …`.
    pub fn error(self, code: &str, message: &str, extra: Value) {
        match self.format {
            Format::Json => {
                let mut object = json!({"code": code, "message": message});
                if let (Some(object), Value::Object(extra)) = (object.as_object_mut(), extra) {
                    object.extend(extra);
                }
                print_json(&json!({ "error": object }));
            }
            Format::Human => {
                let style = render::ERROR;
                let _ = writeln!(
                    anstream::stderr(),
                    "{style}error:{style:#} {}",
                    shown(message)
                );
            }
        }
    }
}

/// The JSON `code`, the extra fields and the verdict of an API error.
fn describe(error: &ApiError) -> (String, Value, Verdict) {
    let refused = Verdict::Refused;
    match error {
        ApiError::Invalid(_) => ("invalid_param".into(), json!({}), Verdict::Invalid),
        ApiError::Rejected {
            status,
            code,
            errors,
            raw,
            ..
        } => (
            code.clone().unwrap_or_else(|| "rejected".to_owned()),
            json!({"status": status, "errors": errors, "raw": raw}),
            refused,
        ),
        ApiError::Unauthorized => ("unauthorized".into(), json!({"status": 401}), refused),
        ApiError::NotFound => ("not_found".into(), json!({"status": 404}), refused),
        ApiError::RateLimited { retry_after } => (
            "rate_limited".into(),
            json!({"status": 429, "retry_after": retry_after.map(|d| d.as_secs())}),
            refused,
        ),
        ApiError::Server { status, .. } => {
            ("server_error".into(), json!({"status": status}), refused)
        }
        ApiError::SubmitOutcomeUnknown {
            idempotency_key, ..
        } => (
            "submit_outcome_unknown".into(),
            json!({"idempotency_key": idempotency_key}),
            refused,
        ),
        ApiError::Transport(_) => ("transport".into(), json!({}), refused),
        ApiError::Timeout => ("timeout".into(), json!({}), refused),
        ApiError::InvalidResponse { status, .. } => (
            "invalid_response".into(),
            json!({"status": status}),
            refused,
        ),
        ApiError::DeadlinePassed { last } => {
            ("deadline_passed".into(), json!({"last": last}), refused)
        }
        ApiError::Config(_) => ("usage".into(), json!({}), Verdict::UsageReported),
        _ => ("error".into(), json!({}), refused),
    }
}

pub(super) fn print_json(value: &Value) {
    let mut out = io::stdout().lock();
    let _ = serde_json::to_writer(&mut out, value);
    let _ = out.write_all(b"\n");
}

/// What a 401 adds when the key is not of the form Orux gives out
/// (`sk-app-…`): a key pasted from elsewhere is the likeliest cause.
fn key_form_hint() -> &'static str {
    let key = std::env::var("ORUX_API_KEY").unwrap_or_default();
    if key.trim().starts_with(orux_models::wire::API_KEY_PREFIX) {
        ""
    } else {
        "; ORUX_API_KEY does not look like an Orux API key, which starts with sk-app-"
    }
}

/// The client: key from `ORUX_API_KEY`, base URL from the flag, else
/// `ORUX_BASE_URL`, else the default.
pub(super) fn client(api: &ApiOptions) -> Result<Client, String> {
    let key = std::env::var("ORUX_API_KEY")
        .ok()
        .filter(|key| !key.trim().is_empty())
        .ok_or("ORUX_API_KEY is not set: export the API key (sk-app-…) as ORUX_API_KEY")?;
    let base_url = api
        .base_url
        .clone()
        .or_else(|| std::env::var("ORUX_BASE_URL").ok())
        .unwrap_or_else(|| orux_client::DEFAULT_BASE_URL.to_owned());
    Client::builder(key)
        .base_url(base_url)
        .user_agent(concat!("orux-cli/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|error| error.to_string())
}

/// A single-threaded runtime: one command makes one request at a time.
pub(super) fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the async runtime: {error}"))
}

/// Text from the server shown to a person: each line through
/// [`escape`], so control and bidirectional-override characters are
/// escaped, never raw; the line breaks between them stay.
pub(super) fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&escape(line));
    }
    out
}
