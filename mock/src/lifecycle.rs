//! A task's life: queued, running, then the ending its submitter chose, all
//! derived from its submit time and the clock (nothing runs per task).

use std::time::{Duration, SystemTime};

use orux_models::responses::{TaskStatus, TaskStatusResponse};
use ulid::Ulid;

use crate::timefmt::iso_utc;

/// The header that picks a task's ending.
pub const OUTCOME_HEADER: &str = "x-orux-mock-outcome";

/// How a task ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// With `result_urls` and `duration_sec`.
    Success,
    /// Without a result.
    Failed,
    /// Not finished in time.
    Expired,
}

impl Outcome {
    /// Reads an `X-Orux-Mock-Outcome` value (case-insensitive).
    pub fn parse(text: &str) -> Option<Outcome> {
        [
            ("success", Outcome::Success),
            ("failed", Outcome::Failed),
            ("expired", Outcome::Expired),
        ]
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(text.trim()))
        .map(|(_, outcome)| outcome)
    }

    fn status(self) -> TaskStatus {
        match self {
            Outcome::Success => TaskStatus::Success,
            Outcome::Failed => TaskStatus::Failed,
            Outcome::Expired => TaskStatus::Expired,
        }
    }
}

/// One task, as the server keeps it: a few dozen bytes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Task {
    /// The ULID of `task_<ULID>`.
    pub id: Ulid,
    /// When it was submitted.
    pub submitted: SystemTime,
    /// How it ends.
    pub outcome: Outcome,
    /// The `duration_sec` a success reports: the requested length.
    pub duration_sec: f64,
    /// How many result files a success has.
    pub results: u8,
}

impl Task {
    /// The wire id, `task_` followed by the ULID.
    pub fn wire_id(&self) -> String {
        wire_id(self.id)
    }

    /// When the task reaches its ending.
    pub fn terminal_at(&self, task_duration: Duration) -> SystemTime {
        self.submitted + task_duration
    }

    /// Its status at `now`: queued for the first fifth of `task_duration`,
    /// then running, then its outcome.
    pub fn status_at(&self, now: SystemTime, task_duration: Duration) -> TaskStatus {
        let elapsed = now.duration_since(self.submitted).unwrap_or(Duration::ZERO);
        if elapsed >= task_duration {
            self.outcome.status()
        } else if elapsed >= task_duration / 5 {
            TaskStatus::Running
        } else {
            TaskStatus::Queued
        }
    }

    /// What `GET /api/v1/tasks/{task_id}` answers at `now` (and, once
    /// terminal, what the webhook carries): a success has the result URLs
    /// `result_urls` gives (the results side issues them).
    pub fn response_at(
        &self,
        now: SystemTime,
        task_duration: Duration,
        result_urls: impl FnOnce(&Task) -> Vec<String>,
    ) -> TaskStatusResponse {
        let status = self.status_at(now, task_duration);
        let success = status == TaskStatus::Success;
        let task_id = self.wire_id();
        let mut response = TaskStatusResponse::new(task_id, status);
        if success {
            response.result_urls = result_urls(self);
            response.duration_sec = Some(self.duration_sec);
        }
        response.submit_time = Some(iso_utc(self.submitted));
        response
    }
}

/// `task_` followed by the ULID.
pub fn wire_id(id: Ulid) -> String {
    format!("task_{id}")
}

/// Reads a wire task id back; `None` for anything the server cannot have issued.
pub fn parse_wire_id(text: &str) -> Option<Ulid> {
    let ulid = text.strip_prefix("task_")?;
    // Only the canonical spelling: a lowercase variant is another id.
    let id = Ulid::from_string(ulid).ok()?;
    (id.to_string() == ulid).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_the_clock() {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_610_400);
        let task = Task {
            id: Ulid::from_parts(1, 2),
            submitted: start,
            outcome: Outcome::Failed,
            duration_sec: 8.0,
            results: 1,
        };
        let five = Duration::from_secs(5);
        let at = |ms| task.status_at(start + Duration::from_millis(ms), five);
        assert_eq!(at(0), TaskStatus::Queued);
        assert_eq!(at(999), TaskStatus::Queued);
        assert_eq!(at(1000), TaskStatus::Running);
        assert_eq!(at(4999), TaskStatus::Running);
        assert_eq!(at(5000), TaskStatus::Failed);
        let failed = task.response_at(start + five, five, |_| vec!["unused".to_owned()]);
        assert!(failed.result_urls.is_empty() && failed.duration_sec.is_none());
        assert_eq!(failed.submit_time.as_deref(), Some("2026-06-04T22:00:00"));
        // A zero-length task is terminal at once.
        assert_eq!(task.status_at(start, Duration::ZERO), TaskStatus::Failed);
    }

    #[test]
    fn wire_ids_round_trip_and_nothing_else_parses() {
        let id = Ulid::from_parts(1_780_610_400_000, 42);
        let wire = wire_id(id);
        assert!(wire.starts_with("task_") && wire.len() == 5 + 26, "{wire}");
        assert_eq!(parse_wire_id(&wire), Some(id));
        for other in [
            "",
            "task_",
            &wire[5..],
            &wire.to_lowercase(),
            &format!("{wire}x"),
        ] {
            assert_eq!(parse_wire_id(other), None, "{other}");
        }
    }

    #[test]
    fn outcomes_parse_case_insensitively() {
        assert_eq!(Outcome::parse("EXPIRED"), Some(Outcome::Expired));
        assert_eq!(Outcome::parse(" success "), Some(Outcome::Success));
        assert_eq!(Outcome::parse("done"), None);
    }
}
