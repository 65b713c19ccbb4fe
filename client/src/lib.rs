//! An async client for the Orux AI video task API, on the public types of
//! [`orux_models`]: submit a validated request, poll its status on a schedule,
//! wait with a deadline, download the results resumably ([`download`]), and
//! verify webhook deliveries ([`webhooks`]).
//!
//! ```no_run
//! use orux_client::{Client, Error, WaitOptions};
//!
//! # async fn run() -> Result<(), Error> {
//! let client = Client::from_env()?; // ORUX_API_KEY, optional ORUX_BASE_URL
//! let body = br#"{"model": "sora2", "prompt": "A paper boat on a rainy street"}"#;
//! let task = client.submit_json(body).await?; // validated first: nothing is sent if invalid
//! let done = client.wait(&task.task_id, &WaitOptions::default()).await?;
//! println!("{}: {:?}", done.status, done.result_urls);
//! # Ok(()) }
//! ```
//!
//! How the client talks to the API:
//! - every call returns one [`Error`] to match on; the API key is never in
//!   `Debug`, `Display`, an error or a log line;
//! - a status request is retried (at most 4 times, with backoff) on connection
//!   errors, timeouts, 429 and 5xx; a submission only when it surely never
//!   reached the server, or on 429. Every submission carries an
//!   `Idempotency-Key` (kept across its retries); an ambiguous failure is
//!   [`Error::SubmitOutcomeUnknown`] with that key, and is never resubmitted;
//! - a submission never follows a redirect ([`Error::Redirected`], nothing
//!   re-sent); a status request follows a few, as [`redirect`] says;
//! - a deadline ([`WaitOptions`]) bounds a whole operation, submission
//!   included with [`Client::submit_and_watch`]: every exchange is cut at it
//!   and no retry starts past it;
//! - `Retry-After` (seconds or an HTTP date, read against [`clock`]) is
//!   obeyed up to 120 s, and a 429 or 503 that carries one holds every
//!   submission of the client and its clones for that long ([`Pause`]), not
//!   just the request told;
//! - responses are read liberally but bounded: success bodies over 1 MiB are
//!   refused, error bodies are kept up to 64 KiB, each exchange has a timeout.
//!
//! Nothing is spawned, except a download's writer thread: dropping a future
//! stops all its work (a writer thread writes what it already received and
//! ends).

mod client;
pub mod clock;
mod deadline;
pub mod download;
// The network edge is internal; the fuzz target `client_response` reaches
// it through the `fuzzing` cfg that cargo-fuzz sets, and no one else does.
#[cfg(fuzzing)]
pub mod edge;
#[cfg(not(fuzzing))]
mod edge;
mod error;
mod pause;
pub mod redirect;
mod retry;
pub mod schedule;
mod task_id;
mod wait;

pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_REQUEST_TIMEOUT, new_idempotency_key,
};
pub use download::{DownloadError, DownloadOptions, DownloadedFile, Progress};
pub use error::Error;
pub use orux_models::responses::{SubmitResponse, TaskStatus, TaskStatusResponse};
pub use orux_models::wire::FieldError;
pub use orux_webhooks as webhooks;
pub use pause::Pause;
pub use task_id::MAX_TASK_ID_BYTES;
pub use wait::{WaitOptions, Watch};

/// The crate's README.md: its Rust blocks run as doc tests (`cargo xtask
/// snippets` checks that every README's are).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
