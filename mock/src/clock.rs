//! Time as a dependency: the lifecycle, idempotency expiry and webhook retries
//! all read one [`Clock`], so tests move time forward instead of sleeping.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use tokio::sync::watch;

/// A future that completes when a clock reaches a deadline.
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// Where the server gets the time from.
pub trait Clock: Send + Sync + fmt::Debug + 'static {
    /// The current wall-clock time (UTC).
    fn now(&self) -> SystemTime;

    /// Completes once [`Clock::now`] has reached `deadline` (at once if it has).
    fn sleep_until(&self, deadline: SystemTime) -> Sleep;
}

/// The machine's clock; sleeps on tokio's timer.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep_until(&self, deadline: SystemTime) -> Sleep {
        // A wall-clock deadline becomes a monotonic sleep; a clock step while
        // sleeping only shifts that one wake-up.
        let wait = deadline
            .duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO);
        Box::pin(tokio::time::sleep(wait))
    }
}

/// A clock that only moves when told to: for tests.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use orux_mock::clock::{Clock, ManualClock};
///
/// let clock = ManualClock::new(UNIX_EPOCH + Duration::from_secs(1_780_000_000));
/// let start = clock.now();
/// clock.advance(Duration::from_secs(5));
/// assert_eq!(clock.now(), start + Duration::from_secs(5));
/// ```
#[derive(Clone)]
pub struct ManualClock {
    inner: Arc<Inner>,
}

struct Inner {
    now: Mutex<SystemTime>,
    changed: watch::Sender<SystemTime>,
}

impl ManualClock {
    /// A clock standing at `start`.
    pub fn new(start: SystemTime) -> ManualClock {
        let (changed, _) = watch::channel(start);
        ManualClock {
            inner: Arc::new(Inner {
                now: Mutex::new(start),
                changed,
            }),
        }
    }

    /// Moves the clock forward and wakes every sleeper whose deadline passed.
    pub fn advance(&self, by: Duration) {
        let now = {
            let mut now = self
                .inner
                .now
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            *now += by;
            *now
        };
        self.inner.changed.send_replace(now);
    }
}

impl fmt::Debug for ManualClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManualClock")
            .field("now", &self.now())
            .finish()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self
            .inner
            .now
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn sleep_until(&self, deadline: SystemTime) -> Sleep {
        let mut changed = self.inner.changed.subscribe();
        Box::pin(async move {
            // The sender lives as long as the clock; if every handle is gone,
            // time can no longer move and the sleeper never wakes.
            if changed.wait_for(|now| *now >= deadline).await.is_err() {
                std::future::pending::<()>().await;
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn manual_sleepers_wake_only_when_time_reaches_them() {
        let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
        let deadline = SystemTime::UNIX_EPOCH + Duration::from_secs(10);
        let mut sleep = clock.sleep_until(deadline);
        clock.advance(Duration::from_secs(9));
        tokio::select! {
            biased;
            () = &mut sleep => panic!("woke before its deadline"),
            () = tokio::task::yield_now() => {}
        }
        clock.advance(Duration::from_secs(1));
        tokio::time::timeout(Duration::from_secs(5), sleep)
            .await
            .expect("woke at its deadline");
        // A deadline already passed completes at once.
        tokio::time::timeout(Duration::from_secs(5), clock.sleep_until(deadline))
            .await
            .expect("past deadline");
    }
}
