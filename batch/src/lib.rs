//! Crash-safe batches of Orux AI video tasks.

pub mod identity;
pub mod manifest;
