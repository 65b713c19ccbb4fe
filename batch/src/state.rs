//! The states a row moves through, as the journal spells them.
//!
//! ```text
//! pending ──► submitting ──► submitted ──► succeeded ──► downloaded
//!    ▲            │               │
//!    └─(refused)──┤               └──► failed (failed, expired, not found)
//!                 ├──► unknown ──(--resubmit-unknown, same key)──► submitting
//!                 └──► failed (the API rejected the body)
//! ```
//!
//! `submitting` is written, with the row's idempotency key, before the POST
//! is sent; a row found in it when a run starts was cut off mid-submit and
//! becomes `unknown`.

use std::fmt;

/// Where a row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum State {
    /// Nothing sent yet (or a submit the API surely refused, key kept).
    Pending,
    /// The idempotency key is recorded and the POST may be on its way.
    Submitting,
    /// A submit whose outcome is unknown: a task may exist. Resubmitted with
    /// the same key only when asked.
    Unknown,
    /// The task exists (its id is recorded) and has not ended.
    Submitted,
    /// The task succeeded; its result URLs are recorded, not downloaded.
    Succeeded,
    /// Every result file is on disk, with its size and SHA-256 recorded.
    Downloaded,
    /// The task failed or expired, or the API rejected the row: see its error.
    Failed,
}

impl State {
    /// Every state, in the order above.
    pub const ALL: [State; 7] = [
        State::Pending,
        State::Submitting,
        State::Unknown,
        State::Submitted,
        State::Succeeded,
        State::Downloaded,
        State::Failed,
    ];

    /// The journal's spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Submitting => "submitting",
            State::Unknown => "unknown",
            State::Submitted => "submitted",
            State::Succeeded => "succeeded",
            State::Downloaded => "downloaded",
            State::Failed => "failed",
        }
    }

    /// The state spelled this way in the journal.
    pub fn parse(text: &str) -> Option<State> {
        State::ALL.into_iter().find(|state| state.as_str() == text)
    }

    /// Whether a row in this state has a task that may exist on the API.
    pub const fn may_have_task(self) -> bool {
        !matches!(self, State::Pending)
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip() {
        for state in State::ALL {
            assert_eq!(State::parse(state.as_str()), Some(state));
        }
        assert_eq!(State::parse("Pending"), None);
    }
}
