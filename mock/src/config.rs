//! What a server is started with, and why starting can fail.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use crate::clock::{Clock, SystemClock};
use crate::outcomes::Script;
use crate::results::ResultsConfig;

/// The webhook secret used when none is given: a published test value, like
/// stripe-mock's keys, so a local receiver can verify without configuration.
/// It protects nothing; pass your own with `--webhook-secret`.
pub const DEFAULT_WEBHOOK_SECRET: &str = "whsec_b3J1eC1tb2NrLWRlZmF1bHQtd2ViaG9vay1zZWNyZXQ=";

/// The default for `--max-tasks`.
pub const DEFAULT_MAX_TASKS: usize = 100_000;

/// The default for `--max-connections`: well under the usual 1,024 open
/// files, with room left for webhook deliveries.
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;

/// How many bytes of request bodies are held at once, across all requests,
/// by default: three bodies of the 20 MiB maximum, or thousands of ordinary
/// ones. A body that does not fit is answered 503 with `Retry-After`.
pub const DEFAULT_BODY_BUDGET_BYTES: usize = 64 * 1024 * 1024;

/// How long a client has to send a request's head, and then its body, by
/// default; past that the connection is closed without an answer.
pub const DEFAULT_REQUEST_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// The Standard Webhooks retry schedule (immediately, 5 s, 5 min, 30 min,
/// 2 h, 5 h, 10 h, 10 h), compressed 60 times: minutes become seconds. Each
/// entry is the wait before that attempt, counted from the previous one.
pub fn compressed_retry_schedule() -> Vec<Duration> {
    [
        0,
        5,
        5 * 60,
        30 * 60,
        2 * 3600,
        5 * 3600,
        10 * 3600,
        10 * 3600,
    ]
    .into_iter()
    .map(|secs| Duration::from_secs(secs) / 60)
    .collect()
}

/// How a [`crate::Server`] behaves.
#[derive(Clone)]
pub struct Config {
    /// Where to listen; port 0 picks a free port.
    pub addr: SocketAddr,
    /// How long a task takes from submit to its terminal state: queued for
    /// the first fifth, then running.
    pub task_duration: Duration,
    /// When set, the only accepted bearer key; otherwise any `sk-app-…` key.
    pub api_key: Option<String>,
    /// The Standard Webhooks secret (`whsec_<base64>`) deliveries are signed with.
    pub webhook_secret: String,
    /// Send every webhook delivery here instead of the task's `webhook_url`:
    /// an https URL, or http on a loopback host. The operator named it, so
    /// it is trusted whatever its address.
    pub webhook_target: Option<String>,
    /// Deliver to a task's `webhook_url` whatever its host. When false (the
    /// default) a delivery goes only to a host that is, or resolves only
    /// to, loopback addresses; any other is skipped and logged once.
    pub webhook_allow_any_host: bool,
    /// Most tasks kept; past that the oldest are forgotten (terminal ones first).
    pub max_tasks: usize,
    /// Waits before each delivery attempt; the delivery is given up after the last.
    pub retry_schedule: Vec<Duration>,
    /// Most connections served at once; past that a few more are answered
    /// 429 with `Retry-After` and closed, and the rest wait in the listen
    /// queue.
    pub max_connections: usize,
    /// Most bytes of request bodies held at once, across all requests.
    pub body_budget_bytes: usize,
    /// How long a client has to send a request's head, and again its body.
    pub request_read_timeout: Duration,
    /// The time source of the lifecycle, idempotency and retries.
    pub clock: Arc<dyn Clock>,
    /// The result files: their content, expiry, count and download faults.
    pub results: ResultsConfig,
    /// How tasks end and which submits are rate limited when no request
    /// header says ([`crate::outcomes`]); by default every task succeeds.
    pub outcomes: Script,
}

impl Default for Config {
    /// `127.0.0.1:8080`, 5-second tasks, any `sk-app-` key,
    /// [`DEFAULT_WEBHOOK_SECRET`], deliveries to each task's `webhook_url`
    /// on loopback only, [`DEFAULT_MAX_TASKS`], the
    /// [compressed schedule](compressed_retry_schedule),
    /// [`DEFAULT_MAX_CONNECTIONS`], [`DEFAULT_BODY_BUDGET_BYTES`],
    /// [`DEFAULT_REQUEST_READ_TIMEOUT`], the system clock, no scripted
    /// outcomes.
    fn default() -> Self {
        Config {
            addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 8080),
            task_duration: Duration::from_secs(5),
            api_key: None,
            webhook_secret: DEFAULT_WEBHOOK_SECRET.to_owned(),
            webhook_target: None,
            webhook_allow_any_host: false,
            max_tasks: DEFAULT_MAX_TASKS,
            retry_schedule: compressed_retry_schedule(),
            max_connections: DEFAULT_MAX_CONNECTIONS,
            body_budget_bytes: DEFAULT_BODY_BUDGET_BYTES,
            request_read_timeout: DEFAULT_REQUEST_READ_TIMEOUT,
            clock: Arc::new(SystemClock),
            results: ResultsConfig::default(),
            outcomes: Script::default(),
        }
    }
}

impl fmt::Debug for Config {
    /// The API key and the webhook secret are never shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("task_duration", &self.task_duration)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("webhook_secret", &"<redacted>")
            .field("webhook_target", &self.webhook_target)
            .field("webhook_allow_any_host", &self.webhook_allow_any_host)
            .field("max_tasks", &self.max_tasks)
            .field("retry_schedule", &self.retry_schedule)
            .field("max_connections", &self.max_connections)
            .field("body_budget_bytes", &self.body_budget_bytes)
            .field("request_read_timeout", &self.request_read_timeout)
            .field("clock", &self.clock)
            .field("results", &self.results)
            .field("outcomes", &self.outcomes)
            .finish()
    }
}

/// Why a server could not start.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The address could not be bound.
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// A setting is out of range or malformed; the message names it.
    Config(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Bind { addr, source } => write!(f, "cannot listen on {addr}: {source}"),
            Error::Config(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Bind { source, .. } => Some(source),
            Error::Config(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let config = Config {
            api_key: Some("sk-app-very-secret".to_owned()),
            webhook_secret: "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=".to_owned(),
            ..Config::default()
        };
        let shown = format!("{config:?}");
        assert!(!shown.contains("very-secret"), "{shown}");
        assert!(!shown.contains("c2VjcmV0"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }

    #[test]
    fn the_schedule_is_standard_webhooks_in_seconds_for_minutes() {
        let schedule = compressed_retry_schedule();
        assert_eq!(schedule.len(), 8);
        assert_eq!(schedule[0], Duration::ZERO);
        assert_eq!(schedule[2], Duration::from_secs(5));
        assert_eq!(schedule[7], Duration::from_secs(600));
    }
}
