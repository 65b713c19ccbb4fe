//! The client's one retry loop: an attempt, then either its result or a wait
//! before the next one, until the retries or the deadline run out. What may
//! be retried is the caller's to say (a submission and a status request
//! differ); how long to wait and when to stop is said here once.

use std::future::Future;
use std::time::Duration;

use tracing::warn;

use crate::deadline::Deadline;
use crate::edge::MAX_RETRY_AFTER;
use crate::error::Error;
use crate::schedule::{MAX_RETRIES, retry_delay};

/// How one attempt ended.
pub(crate) enum Attempt<T> {
    /// With this result: no retry.
    Done(Result<T, Error>),
    /// With an error that may be retried: after `retry_after` when the
    /// server said so, else on the backoff schedule.
    Retry {
        error: Error,
        retry_after: Option<Duration>,
    },
}

/// Runs `attempt(0)`, `attempt(1)`, … until one is done, no retry is left,
/// the server asks for a wait over [`MAX_RETRY_AFTER`], or the next attempt
/// would start past `deadline`. Then the last error is returned, through
/// `at_deadline` when the deadline is what stopped the retries.
pub(crate) async fn retrying<T, F, Fut>(
    what: &str,
    deadline: Deadline,
    at_deadline: fn(Error) -> Error,
    mut attempt: F,
) -> Result<T, Error>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Attempt<T>>,
{
    let mut rng = fastrand::Rng::new();
    let mut n = 0;
    loop {
        let (error, retry_after) = match attempt(n).await {
            Attempt::Done(result) => return result,
            Attempt::Retry { error, retry_after } => (error, retry_after),
        };
        let Some(wait) = retry_wait(retry_after, n, &mut rng) else {
            return Err(error);
        };
        if !deadline.leaves(wait) {
            warn!(
                attempt = n,
                "{what} failed ({error}); no retry: the deadline comes first"
            );
            return Err(at_deadline(error));
        }
        warn!(
            attempt = n,
            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            "{what} failed ({error}); retrying"
        );
        tokio::time::sleep(wait).await;
        n += 1;
    }
}

/// How long to wait before retry `attempt`, or `None` when no retry is left or
/// the server asked for more than [`MAX_RETRY_AFTER`].
fn retry_wait(
    retry_after: Option<Duration>,
    attempt: u32,
    rng: &mut fastrand::Rng,
) -> Option<Duration> {
    if attempt >= MAX_RETRIES {
        return None;
    }
    match retry_after {
        Some(after) if after > MAX_RETRY_AFTER => None,
        Some(after) => Some(after),
        None => Some(retry_delay(attempt, rng)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep(error: Error) -> Error {
        error
    }

    #[tokio::test(start_paused = true)]
    async fn retries_stop_after_four_or_at_the_deadline() {
        let mut tries = 0;
        let outcome: Result<(), Error> = retrying("test", Deadline::NONE, keep, |_| {
            tries += 1;
            async {
                Attempt::Retry {
                    error: Error::Timeout,
                    retry_after: None,
                }
            }
        })
        .await;
        assert!(matches!(outcome, Err(Error::Timeout)));
        assert_eq!(tries, 1 + MAX_RETRIES);

        // Retry-After 3 s with 2 s left: no second attempt, and no wait.
        let start = tokio::time::Instant::now();
        let mut tries = 0;
        let outcome: Result<(), Error> = retrying(
            "test",
            Deadline::after(Duration::from_secs(2)),
            |_| Error::DeadlinePassed { last: None },
            |_| {
                tries += 1;
                async {
                    Attempt::Retry {
                        error: Error::RateLimited { retry_after: None },
                        retry_after: Some(Duration::from_secs(3)),
                    }
                }
            },
        )
        .await;
        assert!(matches!(outcome, Err(Error::DeadlinePassed { .. })));
        assert_eq!(tries, 1);
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn a_long_retry_after_ends_the_retries() {
        let outcome: Result<(), Error> = retrying("test", Deadline::NONE, keep, |_| async {
            Attempt::Retry {
                error: Error::Timeout,
                retry_after: Some(MAX_RETRY_AFTER + Duration::from_secs(1)),
            }
        })
        .await;
        assert!(matches!(outcome, Err(Error::Timeout)));
    }
}
