//! What the task API sends back: the submit response, the task status
//! response and the webhook event.
//!
//! Read liberally: fields these types do not know are ignored, and a status
//! they do not know is kept as [`TaskStatus::Unknown`] instead of failing, so a
//! new state on the server does not break a client. The JSON Schemas of the
//! same shapes are in `orux_models::schema::RESPONSES`.
//!
//! ```
//! use orux_runtime::responses::{SubmitResponse, TaskStatus, TaskStatusResponse};
//!
//! // The docs' own examples.
//! let submit: SubmitResponse = serde_json::from_str(
//!     r#"{ "task_id": "task_01HZX...", "status": "QUEUED", "submit_time": "2026-06-04T22:00:00" }"#,
//! )?;
//! assert_eq!(submit.status, TaskStatus::Queued);
//!
//! let done: TaskStatusResponse = serde_json::from_str(
//!     r#"{ "task_id": "...", "status": "SUCCESS", "result_urls": ["https://..."], "duration_sec": 38 }"#,
//! )?;
//! assert!(done.status.is_terminal());
//! assert_eq!(done.result_urls, ["https://..."]);
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A task's state. Parsed case-insensitively (the docs write both `QUEUED`
/// and `queued`); written in lowercase.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TaskStatus {
    /// Waiting for a worker.
    Queued,
    /// A worker is generating the video.
    Running,
    /// Finished; the results are available (terminal).
    Success,
    /// Finished without a result (terminal).
    Failed,
    /// Not finished in time (terminal).
    Expired,
    /// A state this version does not know, as the server wrote it.
    Unknown(String),
}

impl TaskStatus {
    /// The five states the docs name, each with its lowercase spelling.
    pub const KNOWN: [(TaskStatus, &'static str); 5] = [
        (TaskStatus::Queued, "queued"),
        (TaskStatus::Running, "running"),
        (TaskStatus::Success, "success"),
        (TaskStatus::Failed, "failed"),
        (TaskStatus::Expired, "expired"),
    ];

    /// Reads a status; never fails (see [`TaskStatus::Unknown`]).
    pub fn parse(text: &str) -> TaskStatus {
        Self::KNOWN
            .iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(text))
            .map_or_else(
                || TaskStatus::Unknown(text.to_owned()),
                |(status, _)| status.clone(),
            )
    }

    /// The lowercase name of a known state; an unknown one as it was written.
    pub fn as_str(&self) -> &str {
        match self {
            TaskStatus::Unknown(text) => text,
            known => Self::KNOWN
                .iter()
                .find(|(status, _)| status == known)
                .map_or("", |(_, name)| name),
        }
    }

    /// Whether the task is over: success, failed or expired. Webhooks fire then.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            TaskStatus::Success | TaskStatus::Failed | TaskStatus::Expired
        )
    }
}

impl FromStr for TaskStatus {
    type Err = Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(TaskStatus::parse(text))
    }
}

/// The lowercase name; an unknown state as the server wrote it, through
/// [`crate::display::escape`] (it is the server's text). [`TaskStatus::as_str`]
/// gives it exactly.
impl fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::display::escape(self.as_str()))
    }
}

impl Serialize for TaskStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TaskStatus {
    /// Any JSON string; anything else is an error.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(TaskStatus::parse(&text))
    }
}

/// What `POST /api/v1/tasks` returns at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SubmitResponse {
    /// The new task's id, for `GET /api/v1/tasks/{task_id}` and webhooks.
    pub task_id: String,
    /// Its status (queued).
    pub status: TaskStatus,
    /// When it was submitted: ISO-8601, without a zone in the docs
    /// (`2026-06-04T22:00:00`), kept as written.
    pub submit_time: String,
}

/// What `GET /api/v1/tasks/{task_id}` returns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TaskStatusResponse {
    /// The task's id.
    pub task_id: String,
    /// Its status.
    pub status: TaskStatus,
    /// When it was submitted, when the server says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submit_time: Option<String>,
    /// Where the finished video can be downloaded (empty until success).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub result_urls: Vec<String>,
    /// A duration in seconds reported with the result; the docs do not define
    /// it further (their example shows 38 for an 8-second clip).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_sec: Option<f64>,
}

impl SubmitResponse {
    /// A submit response with every field set.
    pub fn new(
        task_id: impl Into<String>,
        status: TaskStatus,
        submit_time: impl Into<String>,
    ) -> SubmitResponse {
        SubmitResponse {
            task_id: task_id.into(),
            status,
            submit_time: submit_time.into(),
        }
    }
}

impl TaskStatusResponse {
    /// A status response with the optional fields absent; set them after.
    pub fn new(task_id: impl Into<String>, status: TaskStatus) -> TaskStatusResponse {
        TaskStatusResponse {
            task_id: task_id.into(),
            status,
            submit_time: None,
            result_urls: Vec::new(),
            duration_sec: None,
        }
    }
}

/// The body of the signed POST sent to a request's `webhook_url` when its task
/// reaches a terminal state: the docs give no fields of their own, so it is
/// read as the task status object. Verify its Standard Webhooks signature
/// (`webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`)
/// before trusting it.
pub type WebhookEvent = TaskStatusResponse;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_is_case_insensitive_and_keeps_unknown_values() {
        for text in ["QUEUED", "queued", "Queued"] {
            assert_eq!(TaskStatus::parse(text), TaskStatus::Queued);
        }
        assert_eq!(
            TaskStatus::parse("PAUSED"),
            TaskStatus::Unknown("PAUSED".to_owned())
        );
        assert_eq!(TaskStatus::parse("PAUSED").as_str(), "PAUSED");
        assert_eq!(TaskStatus::parse("SUCCESS").to_string(), "success");
        let hostile = TaskStatus::parse("PAUSED\u{1b}[2J");
        assert_eq!(hostile.as_str(), "PAUSED\u{1b}[2J");
        assert_eq!(hostile.to_string(), "PAUSED\\u001b[2J");
        let terminal: Vec<&str> = TaskStatus::KNOWN
            .iter()
            .filter(|(s, _)| s.is_terminal())
            .map(|(_, n)| *n)
            .collect();
        assert_eq!(terminal, ["success", "failed", "expired"]);
        assert!(!TaskStatus::Unknown("done".to_owned()).is_terminal());
    }

    #[test]
    fn status_json() {
        let status: TaskStatus = serde_json::from_str(r#""Running""#).unwrap();
        assert_eq!(status, TaskStatus::Running);
        assert_eq!(serde_json::to_string(&status).unwrap(), r#""running""#);
        assert!(serde_json::from_str::<TaskStatus>("5").is_err());
        // Escapes cannot be borrowed; they still parse.
        let escaped: TaskStatus = serde_json::from_str(r#""F\u0041ILED""#).unwrap();
        assert_eq!(escaped, TaskStatus::Failed);
    }
}
