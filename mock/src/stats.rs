//! `GET /_mock/stats`: counters for tests that check exactly-once behaviour
//! (one task per submit, one webhook per event, how many bytes a download
//! really pulled). Not part of the API, so not in its OpenAPI document.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

/// The route.
pub const STATS_PATH: &str = "/_mock/stats";

/// The live counters.
#[derive(Debug, Default)]
pub struct Stats {
    pub tasks_created: AtomicU64,
    pub idempotent_replays: AtomicU64,
    pub rejected_submits: AtomicU64,
    pub file_requests: AtomicU64,
    pub file_requests_with_authorization: AtomicU64,
    pub bytes_served: AtomicU64,
}

/// The counters at one moment, as `GET /_mock/stats` answers them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsSnapshot {
    /// Submits that created a task.
    pub tasks_created: u64,
    /// Submits answered with an earlier task (same `Idempotency-Key`, same body).
    pub idempotent_replays: u64,
    /// Submits answered with an error (invalid body, conflict, injected fault,
    /// a connection past `--max-connections`, …).
    pub rejected_submits: u64,
    /// Requests for result files (GET and HEAD, refused ones included).
    pub file_requests: u64,
    /// Of those, how many carried an `Authorization` header (a client should
    /// never send its API key to a file host).
    pub file_requests_with_authorization: u64,
    /// Result file body bytes sent.
    pub bytes_served: u64,
    /// Webhook deliveries answered with a 2xx.
    pub webhooks_delivered: u64,
}

impl Stats {
    /// Adds one to a counter.
    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The counters now, with the webhook count from the outbox.
    pub fn snapshot(&self, webhooks_delivered: u64) -> StatsSnapshot {
        let read = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        StatsSnapshot {
            tasks_created: read(&self.tasks_created),
            idempotent_replays: read(&self.idempotent_replays),
            rejected_submits: read(&self.rejected_submits),
            file_requests: read(&self.file_requests),
            file_requests_with_authorization: read(&self.file_requests_with_authorization),
            bytes_served: read(&self.bytes_served),
            webhooks_delivered,
        }
    }
}
