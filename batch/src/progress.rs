//! What a run tells whoever watches it: one [`Event`] per thing that
//! happened, to a [`Progress`] sink of the caller's (bars on a terminal,
//! lines in a log, metrics in a service, or nothing).

use std::time::Duration;

use orux_client::TaskStatus;

use crate::state::State;
use crate::summary::{Counts, Stop};

/// Receives a run's events. Called from the run's tasks, concurrently:
/// keep it quick (no I/O that can block for long).
pub trait Progress: Send + Sync {
    /// One event.
    fn event(&self, event: &Event<'_>);
}

/// A sink that drops every event.
#[derive(Clone, Copy, Debug, Default)]
pub struct Silent;

impl Progress for Silent {
    fn event(&self, _: &Event<'_>) {}
}

/// Something that happened in a run.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// The run starts, with the rows by state after the manifest was read
    /// against the journal.
    Started {
        /// Rows by state.
        counts: &'a Counts,
    },
    /// A row moved from one state to another.
    Moved {
        /// The row's line in the manifest.
        line: u64,
        /// Its task, once it has one.
        task_id: Option<&'a str>,
        /// Where it was.
        from: State,
        /// Where it is.
        to: State,
        /// Why, when the move is not the expected next step (an error, a
        /// refusal).
        reason: Option<&'a str>,
    },
    /// A row's task reported a status that is not terminal (queued,
    /// running, or one this version does not know).
    Status {
        /// The row's line.
        line: u64,
        /// The task.
        task_id: &'a str,
        /// The status.
        status: &'a TaskStatus,
    },
    /// Bytes of result files arrived (since the previous such event of the
    /// same file).
    Bytes {
        /// How many.
        bytes: u64,
    },
    /// The API asked to wait (`Retry-After`): no submission is sent for
    /// this long.
    Held {
        /// How long from now.
        wait: Duration,
    },
    /// No new submission is started from now on; the rows in flight go on
    /// (or, when interrupted, their requests finish).
    Stopping {
        /// Why.
        stop: &'a Stop,
    },
    /// A note about one row that does not move it (its polls fail, its
    /// deadline passed, its download failed, its unknown submit is not
    /// resubmitted).
    Note {
        /// The row's line.
        line: u64,
        /// What happened.
        message: &'a str,
    },
}
