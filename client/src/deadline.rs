//! The deadline of a whole operation (a submission, a wait, or both), on
//! tokio's clock: every exchange is cut at it and no retry starts past it.

use std::time::Duration;

use tokio::time::Instant;

/// A deadline further away than this is no deadline: it saturates instead
/// of overflowing `Instant + Duration` (`Duration::MAX` means "no limit").
const FAR: Duration = Duration::from_secs(100 * 365 * 24 * 60 * 60);

/// When an operation must be over; `None` inside for "never".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Deadline(Option<Instant>);

impl Deadline {
    /// No deadline: only the per-exchange timeout and the retry count bound a call.
    pub const NONE: Deadline = Deadline(None);

    /// `limit` from now; any limit beyond a century (up to `Duration::MAX`)
    /// is no deadline at all.
    pub fn after(limit: Duration) -> Deadline {
        if limit > FAR {
            return Deadline::NONE;
        }
        Deadline(Instant::now().checked_add(limit))
    }

    /// The instant, if there is one.
    pub fn instant(self) -> Option<Instant> {
        self.0
    }

    /// Whether it has passed.
    pub fn passed(self) -> bool {
        self.0.is_some_and(|at| Instant::now() >= at)
    }

    /// `timeout`, or less when the deadline comes first.
    pub fn cap(self, timeout: Duration) -> Duration {
        match self.0 {
            Some(at) => timeout.min(at.saturating_duration_since(Instant::now())),
            None => timeout,
        }
    }

    /// Whether waiting `wait` from now still ends before the deadline.
    pub fn leaves(self, wait: Duration) -> bool {
        match self.0 {
            Some(at) => Instant::now().checked_add(wait).is_some_and(|end| end < at),
            None => true,
        }
    }

    /// Completes at the deadline; never, without one.
    pub async fn reached(self) {
        match self.0 {
            Some(at) => tokio::time::sleep_until(at).await,
            None => std::future::pending().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn huge_limits_saturate_instead_of_panicking() {
        for limit in [Duration::MAX, Duration::from_secs(u64::MAX), FAR * 2] {
            let deadline = Deadline::after(limit);
            assert_eq!(deadline, Deadline::NONE);
            assert!(!deadline.passed());
            assert!(deadline.leaves(Duration::MAX));
            assert_eq!(
                deadline.cap(Duration::from_secs(30)),
                Duration::from_secs(30)
            );
        }
        let soon = Deadline::after(Duration::from_secs(2));
        assert_eq!(soon.cap(Duration::from_secs(30)), Duration::from_secs(2));
        assert!(soon.leaves(Duration::from_secs(1)));
        assert!(!soon.leaves(Duration::from_secs(2)));
        soon.reached().await;
        assert!(soon.passed());
        assert_eq!(soon.cap(Duration::from_secs(30)), Duration::ZERO);
    }
}
