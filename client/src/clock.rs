//! The wall clock the client reads `Retry-After` dates against.
//!
//! Waiting itself is on tokio's clock (`tokio::time`), which tests pause and
//! move forward; the wall clock is needed only to turn an HTTP date into a
//! wait, and [`ClientBuilder::clock`](crate::ClientBuilder::clock) lets a
//! test fix it too.

use std::fmt;
use std::time::SystemTime;

/// A source of the current wall-clock time.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Now.
    fn now(&self) -> SystemTime;
}

/// The system's clock: [`SystemTime::now`].
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}
