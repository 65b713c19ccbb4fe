//! How a run ended: the rows by state, why submissions stopped early, and
//! the verdict a command turns into its exit status.

use std::fmt;

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::journal::RowRecord;
use crate::state::State;

/// Rows by state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    by_state: [u64; State::ALL.len()],
}

impl Counts {
    /// The counts of these rows.
    pub fn of(rows: &[RowRecord]) -> Counts {
        let mut counts = Counts::default();
        for row in rows {
            counts.add(row.state, 1);
        }
        counts
    }

    /// Adds `n` rows in `state`.
    pub fn add(&mut self, state: State, n: u64) {
        self.by_state[index(state)] += n;
    }

    /// Moves one row from `from` to `to`.
    pub fn moved(&mut self, from: State, to: State) {
        let from = &mut self.by_state[index(from)];
        *from = from.saturating_sub(1);
        self.by_state[index(to)] += 1;
    }

    /// How many rows are in `state`.
    pub fn get(&self, state: State) -> u64 {
        self.by_state[index(state)]
    }

    /// How many rows in all.
    pub fn total(&self) -> u64 {
        self.by_state.iter().sum()
    }
}

fn index(state: State) -> usize {
    State::ALL
        .iter()
        .position(|s| *s == state)
        .unwrap_or_default()
}

/// `{"pending": 0, "submitting": 0, …}`, every state, in the order of
/// [`State::ALL`].
impl Serialize for Counts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(State::ALL.len()))?;
        for state in State::ALL {
            map.serialize_entry(state.as_str(), &self.get(state))?;
        }
        map.end()
    }
}

/// Why submissions stopped before every row was sent.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stop {
    /// The caller asked (Ctrl-C, SIGTERM).
    Interrupted,
    /// `--max-submits` rows were submitted in this run.
    Budget {
        /// The ceiling.
        max_submits: u64,
    },
    /// The API refused or could not be reached (a 401, no connection,
    /// rate limited for longer than allowed, several unknown outcomes in a
    /// row); the message says which.
    Refused {
        /// In words.
        message: String,
    },
    /// The journal could not record a change: nothing more is sent.
    Journal {
        /// In words.
        message: String,
    },
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::Interrupted => f.write_str("interrupted"),
            Stop::Budget { max_submits } => {
                write!(f, "--max-submits {max_submits} reached")
            }
            Stop::Refused { message } => {
                write!(f, "{}", orux_models::display::escape(message))
            }
            Stop::Journal { message } => write!(
                f,
                "the journal failed: {}",
                orux_models::display::escape(message)
            ),
        }
    }
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Every row of the journal by state, at the end.
    pub counts: Counts,
    /// Rows of the manifest that are invalid (skipped).
    pub invalid: u64,
    /// Rows whose submission started in this run.
    pub submitted: u64,
    /// Why submissions stopped early, if they did.
    pub stop: Option<Stop>,
    /// Whether result files are downloaded (a `succeeded` row is done only
    /// when they are not).
    pub downloads: bool,
}

/// What a run's outcome means for its caller; `orux batch` exits 0, 1, 3
/// or 130 for these.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every row succeeded (and is downloaded, unless downloads are off).
    Done,
    /// Every row is settled, and some failed, expired or were invalid.
    RowsFailed,
    /// Some rows are not settled: an unknown outcome, a task still running
    /// at its deadline, rows left pending (the API refused, a budget), or
    /// files not downloaded. A rerun picks them up.
    Unsettled,
    /// Interrupted: a rerun resumes.
    Interrupted,
}

impl Summary {
    /// The verdict: interrupted first, then unsettled rows, then failed
    /// ones.
    pub fn verdict(&self) -> Verdict {
        let counts = &self.counts;
        let unsettled = [
            State::Pending,
            State::Submitting,
            State::Unknown,
            State::Submitted,
        ]
        .into_iter()
        .any(|state| counts.get(state) > 0)
            || (self.downloads && counts.get(State::Succeeded) > 0);
        if self.stop == Some(Stop::Interrupted) {
            Verdict::Interrupted
        } else if unsettled || self.stop.is_some() {
            Verdict::Unsettled
        } else if counts.get(State::Failed) > 0 || self.invalid > 0 {
            Verdict::RowsFailed
        } else {
            Verdict::Done
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(states: &[(State, u64)]) -> Summary {
        let mut counts = Counts::default();
        for (state, n) in states {
            counts.add(*state, *n);
        }
        Summary {
            counts,
            invalid: 0,
            submitted: 0,
            stop: None,
            downloads: true,
        }
    }

    #[test]
    fn verdicts_in_order_of_precedence() {
        assert_eq!(summary(&[(State::Downloaded, 3)]).verdict(), Verdict::Done);
        assert_eq!(
            summary(&[(State::Downloaded, 3), (State::Failed, 1)]).verdict(),
            Verdict::RowsFailed
        );
        assert_eq!(
            summary(&[(State::Failed, 1), (State::Unknown, 1)]).verdict(),
            Verdict::Unsettled
        );
        assert_eq!(
            summary(&[(State::Succeeded, 1)]).verdict(),
            Verdict::Unsettled,
            "not downloaded yet"
        );
        let mut no_downloads = summary(&[(State::Succeeded, 1)]);
        no_downloads.downloads = false;
        assert_eq!(no_downloads.verdict(), Verdict::Done);
        let mut invalid = summary(&[(State::Downloaded, 1)]);
        invalid.invalid = 1;
        assert_eq!(invalid.verdict(), Verdict::RowsFailed);
        let mut interrupted = summary(&[(State::Pending, 1)]);
        interrupted.stop = Some(Stop::Interrupted);
        assert_eq!(interrupted.verdict(), Verdict::Interrupted);
    }

    #[test]
    fn counts_serialize_every_state_in_order() {
        let mut counts = Counts::default();
        counts.add(State::Failed, 2);
        counts.moved(State::Failed, State::Pending);
        let json = serde_json::to_string(&counts).unwrap();
        assert_eq!(
            json,
            r#"{"pending":1,"submitting":0,"unknown":0,"submitted":0,"succeeded":0,"downloaded":0,"failed":1}"#
        );
        assert_eq!(counts.total(), 2);
    }
}
