//! What `submit`, `status` and `wait` share: the client from the environment,
//! one async runtime per run, and how outcomes and errors are printed and
//! mapped to exit statuses.
//!
//! Every JSON object is a typed struct below, written by
//! [`crate::json_out::write`]: its keys come in the declared order whatever
//! features the build has, and text from the server is escaped for a
//! terminal.

use std::io::{self, Write};

use orux_client::{Client, Error as ApiError, FieldError, TaskStatus, TaskStatusResponse};
use orux_models::Diagnostic;
use orux_models::display::escape;
use serde::Serialize;

use crate::Verdict;
use crate::api_args::ApiOptions;
use crate::format::Format;
use crate::json_out;
use crate::render;

/// The JSON `code` of an interrupted wait.
pub(super) const INTERRUPTED: &str = "interrupted";

/// `{"error": {…}}`: every failure printed with `--format json`.
#[derive(Serialize)]
struct ErrorOutput<'a> {
    error: ErrorFields<'a>,
}

/// The members of an error object, in this order; each optional one only
/// where it applies.
#[derive(Serialize, Default)]
pub(super) struct ErrorFields<'a> {
    pub code: &'a str,
    pub message: &'a str,
    /// The HTTP status the API answered with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The problems the API listed for a rejected body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<&'a [FieldError]>,
    /// The body of a refusal as the API sent it (at most 64 KiB).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<&'a str>,
    /// Seconds the API asked to wait.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// Where a redirect pointed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<&'a str>,
    /// The key of a submission whose outcome is unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<&'a str>,
    /// The task, when one was created: it is never lost from view.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_id: Option<&'a str>,
    /// The last status seen before a deadline (`null` if none was read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last: Option<Option<&'a TaskStatusResponse>>,
    /// The command that goes on waiting for the task (or downloading its
    /// results).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resume: Option<&'a str>,
    /// The local file or directory a download error is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<&'a str>,
    /// Whether a failed download left its `.part` file for the next run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partial_file_kept: Option<bool>,
}

/// `{"error": {"code": "invalid_param", …}}` for a body that failed local
/// validation: its diagnostics and warnings.
#[derive(Serialize)]
struct InvalidOutput<'a> {
    error: InvalidFields<'a>,
}

#[derive(Serialize)]
struct InvalidFields<'a> {
    code: &'static str,
    message: &'a str,
    errors: &'a [Diagnostic],
    warnings: &'a [Diagnostic],
}

/// Prints outcomes in the chosen format and turns them into verdicts.
#[derive(Clone, Copy)]
pub(super) struct Reporter<'a> {
    pub format: Format,
    api: &'a ApiOptions,
}

impl<'a> Reporter<'a> {
    pub fn new(api: &'a ApiOptions) -> Reporter<'a> {
        Reporter {
            format: api.format,
            api,
        }
    }

    /// A usage or local I/O problem: exit status 2.
    pub fn usage(self, message: &str) -> Verdict {
        self.error(ErrorFields {
            code: "usage",
            message,
            ..ErrorFields::default()
        });
        Verdict::UsageReported
    }

    /// A failed API call: 1 for an invalid body, 2 for a set-up problem, 3
    /// otherwise. `task_id` is the task the call was about, once one exists:
    /// it is printed with the error, with the command that resumes the wait.
    pub fn api_error(self, error: &ApiError, task_id: Option<&str>) -> Verdict {
        if let ApiError::Invalid(invalid) = error {
            return self.invalid(&invalid.errors, &invalid.warnings, &error.to_string());
        }
        let mut message = error.to_string();
        if matches!(error, ApiError::Unauthorized) {
            message.push_str(key_form_hint());
        }
        // A usage error (an id that is not one) names no task to resume.
        let task_id = task_id.filter(|_| !matches!(error, ApiError::Config(_)));
        let resume = task_id.map(|id| self.resume_command(id));
        let mut fields = ErrorFields {
            message: &message,
            task_id,
            resume: resume.as_deref(),
            ..ErrorFields::default()
        };
        let verdict = describe(error, &mut fields);
        self.error(fields);
        verdict
    }

    /// A body that failed local validation: nothing was sent, exit status 1.
    pub fn invalid(self, errors: &[Diagnostic], warnings: &[Diagnostic], message: &str) -> Verdict {
        match self.format {
            Format::Json => print_json(&InvalidOutput {
                error: InvalidFields {
                    code: orux_models::INVALID_PARAM,
                    message,
                    errors,
                    warnings,
                },
            }),
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
            Format::Json => print_json(status),
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

    /// A task was created: its id on standard error at once, in every mode,
    /// so that nothing that happens next can lose it.
    pub fn created(self, task_id: &str) {
        let _ = writeln!(io::stderr(), "submitted {}", shown(task_id));
    }

    /// A wait ended by SIGINT or SIGTERM: the task goes on, and this says how
    /// to go on waiting for it. Exit status 130.
    pub fn interrupted(self, task_id: &str) -> Verdict {
        let resume = self.resume_command(task_id);
        let message = format!(
            "interrupted; task {} goes on (it was not cancelled); resume with: {resume}",
            shown(task_id)
        );
        self.error(ErrorFields {
            code: INTERRUPTED,
            message: &message,
            task_id: Some(task_id),
            resume: Some(&resume),
            ..ErrorFields::default()
        });
        Verdict::Interrupted
    }

    /// `orux wait TASK_ID`, with the `--base-url` and `--format` given to
    /// this command.
    fn resume_command(self, task_id: &str) -> String {
        self.command_for("wait", task_id, &[])
    }

    /// `orux COMMAND TASK_ID ARGS…`, with the `--base-url` and `--format`
    /// given to this command: how to go on with a task.
    pub fn command_for(self, what: &str, task_id: &str, args: &[&str]) -> String {
        let mut command = format!("orux {what} {}", shell_word(task_id));
        for arg in args {
            command.push(' ');
            command.push_str(&shell_word(arg));
        }
        if let Some(url) = &self.api.base_url {
            command.push_str(" --base-url ");
            command.push_str(&shell_word(url));
        }
        if self.format == Format::Json {
            command.push_str(" --format json");
        }
        command
    }

    /// An error: `{"error": {…}}` (json) or `error: …` on standard error.
    pub fn error(self, fields: ErrorFields<'_>) {
        match self.format {
            Format::Json => print_json(&ErrorOutput { error: fields }),
            Format::Human => {
                let style = render::ERROR;
                let mut err = anstream::stderr().lock();
                let _ = writeln!(err, "{style}error:{style:#} {}", shown(fields.message));
                if let (Some(task_id), Some(resume)) = (fields.task_id, fields.resume)
                    && fields.code != INTERRUPTED
                {
                    let _ = writeln!(
                        err,
                        "task {} exists; follow it with: {}",
                        shown(task_id),
                        shown(resume)
                    );
                }
            }
        }
    }
}

/// Fills in the JSON `code` and the fields of an API error; returns its verdict.
fn describe<'e>(error: &'e ApiError, fields: &mut ErrorFields<'e>) -> Verdict {
    let (code, verdict) = match error {
        ApiError::Invalid(_) => ("invalid_param", Verdict::Invalid),
        ApiError::Rejected {
            status,
            code,
            errors,
            raw,
            ..
        } => {
            fields.status = Some(*status);
            fields.errors = Some(errors);
            fields.raw = Some(raw);
            (code.as_deref().unwrap_or("rejected"), Verdict::Refused)
        }
        ApiError::Unauthorized => {
            fields.status = Some(401);
            ("unauthorized", Verdict::Refused)
        }
        ApiError::NotFound => {
            fields.status = Some(404);
            ("not_found", Verdict::Refused)
        }
        ApiError::RateLimited { retry_after } => {
            fields.status = Some(429);
            fields.retry_after = retry_after.map(|d| d.as_secs());
            ("rate_limited", Verdict::Refused)
        }
        ApiError::Server { status, .. } => {
            fields.status = Some(*status);
            ("server_error", Verdict::Refused)
        }
        ApiError::SubmitOutcomeUnknown {
            idempotency_key, ..
        } => {
            fields.idempotency_key = Some(idempotency_key);
            ("submit_outcome_unknown", Verdict::Refused)
        }
        ApiError::Redirected {
            status, location, ..
        } => {
            fields.status = Some(*status);
            fields.location = location.as_deref();
            ("redirected", Verdict::Refused)
        }
        ApiError::Transport(_) => ("transport", Verdict::Refused),
        ApiError::Timeout => ("timeout", Verdict::Refused),
        ApiError::InvalidResponse { status, .. } => {
            fields.status = Some(*status);
            ("invalid_response", Verdict::Refused)
        }
        ApiError::DeadlinePassed { last } => {
            fields.last = Some(last.as_deref());
            ("deadline_passed", Verdict::Refused)
        }
        ApiError::Config(_) => ("usage", Verdict::UsageReported),
        _ => ("error", Verdict::Refused),
    };
    fields.code = code;
    verdict
}

/// One object on standard output, through the one JSON writer. A failed
/// write has no one left to tell.
pub(super) fn print_json<T: Serialize + ?Sized>(value: &T) {
    let _ = json_out::write(&mut io::stdout().lock(), value);
}

/// `text` as one word for a POSIX shell: as it is when it holds only
/// characters no shell treats specially, else in single quotes. Shown to a
/// person only after [`shown`].
fn shell_word(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-._~/:@%+=,".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_when_a_shell_would_read_them() {
        assert_eq!(shell_word("task_01JABC"), "task_01JABC");
        assert_eq!(shell_word("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(shell_word("https://x/a b"), "'https://x/a b'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word("$(rm)"), "'$(rm)'");
        assert_eq!(shell_word(""), "''");
    }
}
