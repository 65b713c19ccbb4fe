//! Crash-safe batches of Orux AI video tasks.

pub mod identity;
pub mod journal;
pub mod manifest;
pub mod state;
