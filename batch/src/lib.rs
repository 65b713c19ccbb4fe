//! Crash-safe batches of Orux AI video tasks.

pub mod identity;
pub mod journal;
pub mod manifest;
pub mod progress;
mod run;
pub mod state;
pub mod summary;

pub use run::{Batch, Finished, Options};
