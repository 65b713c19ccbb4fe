//! Crash-safe batches of Orux AI video tasks: hundreds of paid jobs that
//! survive a crash, a Ctrl-C and a 429.
//!
//! A [`Manifest`](manifest::Manifest) (JSON Lines, CSV typed by the
//! catalog, or a program's own bodies) is validated row by row; a
//! [`Batch`] reads it against its [`Journal`](journal::Journal), a SQLite
//! file that records each row's state before every step, and
//! [`Batch::run`] submits, follows and records every row with an
//! [`orux_client::Client`], reporting to a [`Progress`](progress::Progress)
//! sink of the caller's. Running the same batch again resumes it: rows with
//! a task are followed, never submitted again.
//!
//! ```no_run
//! use std::sync::Arc;
//!
//! use orux_batch::manifest::Manifest;
//! use orux_batch::progress::Silent;
//! use orux_batch::{Batch, CancellationToken, Options};
//!
//! # async fn run(bodies: Vec<String>) -> Result<(), Box<dyn std::error::Error>> {
//! let client = orux_client::Client::from_env()?;
//! let manifest = Manifest::from_bodies(bodies); // validated, row by row
//! assert!(manifest.invalid().is_empty());
//! let batch = Batch::open(
//!     "renders.sqlite".as_ref(),
//!     &manifest,
//!     "nightly renders",
//!     client.base_url().as_str(),
//!     Options::default(),
//! )?;
//! let finished = batch.run(&client, Arc::new(Silent), CancellationToken::new()).await?;
//! for row in finished.journal.rows()? {
//!     println!("{}: {} {:?}", row.line, row.state, row.task_id);
//! }
//! # Ok(()) }
//! ```
//!
//! The journal's schema, how a row is identified, and what happens when a
//! manifest changes between runs are in the crate's README.

#![warn(missing_docs)]

pub mod files;
pub mod identity;
pub mod journal;
pub mod manifest;
pub mod progress;
mod run;
pub mod state;
pub mod summary;

pub use run::{Batch, Finished, Options};
pub use tokio_util::sync::CancellationToken;

// The README's Rust example is doctested so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
