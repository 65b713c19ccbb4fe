//! When to poll and when to retry: pure arithmetic over durations, with the
//! random jitter drawn by the caller's generator.

use std::time::Duration;

// `Retry-After` values up to this are obeyed; a longer one ends the
// retries (and, in a batch, the submissions). Defined at the network edge,
// where the header is read.
pub use crate::edge::MAX_RETRY_AFTER;

/// The first poll comes this long after a submission.
pub const FIRST_POLL: Duration = Duration::from_secs(1);
/// Each interval is this many times the previous one…
pub const POLL_GROWTH: f64 = 1.5;
/// …up to this.
pub const MAX_POLL_INTERVAL: Duration = Duration::from_secs(10);
/// Each wait is moved by up to this fraction either way, so that many clients
/// started together do not poll in lockstep.
pub const JITTER: f64 = 0.10;
/// A failed status request is retried at most this many times.
pub const MAX_RETRIES: u32 = 4;
/// The first retry waits this long, doubling after (before jitter).
pub const FIRST_RETRY: Duration = Duration::from_millis(500);
/// How long [`crate::WaitOptions`] waits by default.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(20 * 60);

/// The intervals between polls: 1 s, 1.5 s, 2.25 s, … capped at 10 s, each
/// with ±10% jitter.
#[derive(Debug, Clone)]
pub(crate) struct PollSchedule {
    next: Duration,
    rng: fastrand::Rng,
}

impl PollSchedule {
    pub fn new(rng: fastrand::Rng) -> Self {
        PollSchedule {
            next: FIRST_POLL,
            rng,
        }
    }

    /// The wait before the next poll.
    pub fn next_interval(&mut self) -> Duration {
        let base = self.next;
        self.next = base.mul_f64(POLL_GROWTH).min(MAX_POLL_INTERVAL);
        jitter(base, &mut self.rng)
    }
}

/// The wait before retry number `attempt` (0 is the first retry).
pub(crate) fn retry_delay(attempt: u32, rng: &mut fastrand::Rng) -> Duration {
    jitter(FIRST_RETRY * 2u32.saturating_pow(attempt.min(16)), rng)
}

fn jitter(base: Duration, rng: &mut fastrand::Rng) -> Duration {
    base.mul_f64(1.0 + JITTER * (2.0 * rng.f64() - 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polls_grow_by_half_with_bounded_jitter_and_a_cap() {
        let mut schedule = PollSchedule::new(fastrand::Rng::with_seed(7));
        let expected = [1.0, 1.5, 2.25, 3.375, 5.0625, 7.59375, 10.0, 10.0, 10.0];
        for base in expected {
            let got = schedule.next_interval().as_secs_f64();
            assert!(
                (got - base).abs() <= base * JITTER + 1e-9,
                "{got} vs {base}"
            );
        }
    }

    #[test]
    fn a_30_second_task_takes_about_7_polls() {
        let mut schedule = PollSchedule::new(fastrand::Rng::with_seed(1));
        let (mut elapsed, mut polls) = (Duration::ZERO, 0);
        while elapsed < Duration::from_secs(30) {
            elapsed += schedule.next_interval();
            polls += 1;
        }
        assert!((6..=8).contains(&polls), "{polls}");
    }

    #[test]
    fn retries_double() {
        let mut rng = fastrand::Rng::with_seed(3);
        for (attempt, base) in [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0)] {
            let got = retry_delay(attempt, &mut rng).as_secs_f64();
            assert!(
                (got - base).abs() <= base * JITTER + 1e-9,
                "{got} vs {base}"
            );
        }
    }
}
