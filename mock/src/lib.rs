//! `orux-mock`: a local Orux AI task API for tests, on loopback.
//!
//! Unlike a mock generated from an OpenAPI document, it speaks the spec: a
//! body is checked by `orux_models::TaskRequest::from_json`, so it is
//! accepted or rejected (with every error and its JSON pointer) exactly as
//! the validator decides; a task goes through its lifecycle on a clock the
//! caller controls; submits are idempotent by `Idempotency-Key`; terminal
//! tasks with a `webhook_url` are delivered signed with Standard Webhooks and
//! retried; results are real files the mock serves itself ([`results`]:
//! signed, expiring, resumable, with scripted download faults); a request
//! header injects faults; and `GET /_mock/stats` counts what happened. See
//! the crate's README for the wire behaviour.
//!
//! ```no_run
//! # async fn demo() -> Result<(), orux_mock::Error> {
//! use orux_mock::{Config, Server};
//!
//! let config = Config { addr: "127.0.0.1:0".parse().unwrap(), ..Config::default() };
//! let server = Server::bind(config).await?;
//! println!("listening on {}", server.base_url());
//! // … point a client at server.base_url() …
//! server.shutdown().await;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod auth;
mod body;
pub mod clock;
mod config;
mod destination;
mod error;
pub mod fault;
mod lifecycle;
mod log;
pub mod outcomes;
pub mod results;
mod routes;
mod server;
mod slots;
mod stats;
mod store;
mod timefmt;
mod webhook;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::{
    Config, DEFAULT_BODY_BUDGET_BYTES, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_TASKS,
    DEFAULT_REQUEST_READ_TIMEOUT, DEFAULT_WEBHOOK_SECRET, Error, compressed_retry_schedule,
};
pub use lifecycle::OUTCOME_HEADER;
pub use results::{RESULT_MP4, ResultContent, ResultsConfig};
pub use server::REFUSED_AT_ONCE;
pub use stats::{STATS_PATH, StatsSnapshot};
pub use store::KEY_TTL;

/// A running server. Dropping it stops the server without waiting; call
/// [`Server::shutdown`] to let requests in progress finish.
pub struct Server {
    addr: SocketAddr,
    state: Arc<routes::AppState>,
    stop: Option<oneshot::Sender<()>>,
    serving: Option<JoinHandle<()>>,
    outbox: JoinHandle<()>,
}

impl Server {
    /// Checks `config`, binds its address and starts serving in the
    /// background on the current tokio runtime.
    pub async fn bind(config: Config) -> Result<Server, Error> {
        let keys = match &config.api_key {
            Some(key) if key.is_empty() => {
                return Err(Error::Config("--api-key must not be empty".to_owned()));
            }
            Some(key) => auth::Keys::Exactly(key.clone()),
            None => auth::Keys::AnyAppKey,
        };
        config.outcomes.check().map_err(Error::Config)?;
        if config.max_tasks == 0 {
            return Err(Error::Config("--max-tasks must be at least 1".to_owned()));
        }
        if config.max_connections == 0 {
            return Err(Error::Config(
                "--max-connections must be at least 1".to_owned(),
            ));
        }
        let target = match &config.webhook_target {
            Some(text) => webhook::Target::parse(text).map_err(Error::Config)?,
            None => webhook::Target::TaskUrl,
        };
        let outbox = webhook::Outbox::new(
            Arc::clone(&config.clock),
            &config.webhook_secret,
            target,
            if config.webhook_allow_any_host {
                destination::Reach::AnyHost
            } else {
                destination::Reach::LoopbackOnly
            },
            config.retry_schedule.clone(),
            config.max_tasks,
        )
        .map_err(Error::Config)?;
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|source| Error::Bind {
                addr: config.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| Error::Bind {
            addr: config.addr,
            source,
        })?;
        let outbox = Arc::new(outbox);
        let results = results::Results::new(&config.results, addr, config.max_tasks)
            .map_err(Error::Config)?;
        let state = Arc::new(routes::AppState {
            keys,
            task_duration: config.task_duration,
            clock: config.clock,
            store: Mutex::new(store::Store::new(config.max_tasks)),
            outbox: Arc::clone(&outbox),
            max_body_bytes: routes::default_max_body_bytes(),
            rate_limiter: outcomes::RateLimiter::new(config.outcomes.rate_limit),
            outcomes: config.outcomes,
            body_budget: body::BodyBudget::new(config.body_budget_bytes),
            body_read_timeout: config.request_read_timeout,
            results,
            stats: Arc::default(),
        });
        let (stop, stopped) = oneshot::channel();
        let limits = server::Limits {
            max_connections: config.max_connections,
            head_read_timeout: config.request_read_timeout,
        };
        let serving = tokio::spawn(server::serve(
            listener,
            routes::router(Arc::clone(&state)),
            routes::refusing_router(Arc::clone(&state)),
            limits,
            stopped,
        ));
        Ok(Server {
            addr,
            state,
            stop: Some(stop),
            serving: Some(serving),
            outbox: tokio::spawn(outbox.run()),
        })
    }

    /// The address it listens on (the real port when port 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR:PORT`, the base URL for a client.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The counters `GET /_mock/stats` answers with.
    pub fn stats(&self) -> StatsSnapshot {
        self.state.stats.snapshot(self.state.outbox.delivered())
    }

    /// Stops accepting connections, lets requests in progress finish (up
    /// to 10 seconds), and drops pending webhook deliveries.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(serving) = self.serving.take() {
            let _ = serving.await;
        }
        self.outbox.abort();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.outbox.abort();
    }
}

/// The crate's README.md: its Rust blocks run as doc tests (`cargo xtask
/// snippets` checks that every README's are).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
