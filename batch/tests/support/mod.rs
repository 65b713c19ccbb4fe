//! Shared by the runner's tests: the mock server in the test's own runtime
//! on a clock that follows tokio's (paused) time, a progress sink that
//! keeps every event with its time, and the mock's request log.

#![allow(dead_code)] // each test file uses a part

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use orux_batch::progress::{Event, Progress};
use orux_batch::state::State;
use orux_mock::clock::{Clock, Sleep};
use orux_mock::{Config, Server};
use tokio::time::Instant;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};

pub const KEY: &str = "sk-app-batch-test";

/// The mock's time: a fixed start plus the tokio time elapsed since the
/// clock was made, so paused test time moves the mock's tasks too.
pub struct TokioClock {
    start: SystemTime,
    origin: Instant,
}

impl TokioClock {
    pub fn new() -> TokioClock {
        TokioClock {
            start: UNIX_EPOCH + Duration::from_secs(1_780_610_400),
            origin: Instant::now(),
        }
    }
}

impl fmt::Debug for TokioClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokioClock")
    }
}

impl Clock for TokioClock {
    fn now(&self) -> SystemTime {
        self.start + self.origin.elapsed()
    }

    fn sleep_until(&self, deadline: SystemTime) -> Sleep {
        let wait = deadline.duration_since(self.now()).unwrap_or_default();
        Box::pin(tokio::time::sleep(wait))
    }
}

/// A mock on a free loopback port, on test time, with `config`'s script.
pub async fn mock(config: Config) -> Server {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Server::bind(Config {
        addr: "127.0.0.1:0".parse().expect("an address"),
        clock: Arc::new(TokioClock::new()),
        ..config
    })
    .await
    .expect("the mock starts")
}

pub fn client(server: &Server) -> orux_client::Client {
    orux_client::Client::builder(KEY)
        .base_url(server.base_url())
        .build()
        .expect("a loopback client")
}

/// One event as the sink kept it.
#[derive(Clone, Debug, PartialEq)]
pub enum Seen {
    Moved {
        line: u64,
        task_id: Option<String>,
        from: State,
        to: State,
    },
    Held(Duration),
    Stopping(String),
    Note(u64, String),
    Other,
}

/// Keeps every event, with the (test) time it came.
#[derive(Default)]
pub struct Recorder {
    pub events: Mutex<Vec<(Instant, Seen)>>,
}

impl Recorder {
    pub fn seen(&self) -> Vec<(Instant, Seen)> {
        self.events.lock().unwrap().clone()
    }

    pub fn moves_to(&self, to: State) -> Vec<u64> {
        self.seen()
            .into_iter()
            .filter_map(|(_, seen)| match seen {
                Seen::Moved { line, to: t, .. } if t == to => Some(line),
                _ => None,
            })
            .collect()
    }
}

impl Progress for Recorder {
    fn event(&self, event: &Event<'_>) {
        let seen = match event {
            Event::Moved {
                line,
                task_id,
                from,
                to,
                ..
            } => Seen::Moved {
                line: *line,
                task_id: task_id.map(str::to_owned),
                from: *from,
                to: *to,
            },
            Event::Held { wait } => Seen::Held(*wait),
            Event::Stopping { stop } => Seen::Stopping(stop.to_string()),
            Event::Note { line, message } => Seen::Note(*line, (*message).to_owned()),
            _ => Seen::Other,
        };
        self.events.lock().unwrap().push((Instant::now(), seen));
    }
}

/// One request the mock answered: method, path, status, and when (test time).
#[derive(Clone, Debug)]
pub struct Logged {
    pub method: String,
    pub path: String,
    pub status: u64,
    pub at: Instant,
}

/// The mock's request log lines, captured (for the current thread: the
/// tests run on a current-thread runtime).
#[derive(Clone, Default)]
pub struct RequestLog {
    lines: Arc<Mutex<Vec<Logged>>>,
}

impl RequestLog {
    /// Starts capturing; keep the guard for as long as requests should be.
    pub fn capture() -> (RequestLog, tracing::subscriber::DefaultGuard) {
        let log = RequestLog::default();
        let subscriber = tracing_subscriber::registry().with(log.clone());
        (log, tracing::subscriber::set_default(subscriber))
    }

    pub fn lines(&self) -> Vec<Logged> {
        self.lines.lock().unwrap().clone()
    }

    pub fn posts(&self) -> Vec<Logged> {
        self.lines()
            .into_iter()
            .filter(|l| l.method == "POST" && l.path == "/api/v1/tasks")
            .collect()
    }
}

#[derive(Default)]
struct Fields {
    method: String,
    path: String,
    status: u64,
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        match field.name() {
            "method" => self.method = format!("{value:?}"),
            "path" => self.path = format!("{value:?}"),
            _ => {}
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "method" => self.method = value.to_owned(),
            "path" => self.path = value.to_owned(),
            _ => {}
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "status" {
            self.status = value;
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for RequestLog {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != "orux_mock" {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        if fields.method.is_empty() {
            return;
        }
        self.lines.lock().unwrap().push(Logged {
            method: fields.method,
            path: fields.path,
            status: fields.status,
            at: Instant::now(),
        });
    }
}

/// `n` distinct valid bodies, as JSON Lines: `prompt N` (with `suffix(n)`
/// appended) for sora2.
pub fn jsonl(n: usize, suffix: impl Fn(usize) -> &'static str) -> String {
    (0..n)
        .map(|i| {
            serde_json::json!({"model": "sora2", "prompt": format!("prompt {i}{}", suffix(i))})
                .to_string()
                + "\n"
        })
        .collect()
}
