//! A pause shared by every submission of a client and its clones: when the
//! server tells one request to wait (`Retry-After` on a 429 or a 503), no
//! submission is sent before that time, not just the one that was told.
//!
//! A batch with hundreds of submitters in flight would otherwise keep
//! hitting a server that asked it to back off, each submitter learning it
//! separately (one 429 each).

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// When submissions may go again. Cheap to clone; clones share the one time.
#[derive(Clone, Debug, Default)]
pub struct Pause {
    until: Arc<Mutex<Option<Instant>>>,
}

impl Pause {
    /// A pause that holds nothing.
    pub fn new() -> Pause {
        Pause::default()
    }

    /// Holds submissions for `wait` from now. A hold that ends later than
    /// this one stays: the latest time any answer asked for wins.
    pub fn hold_for(&self, wait: Duration) {
        let end = Instant::now() + wait;
        let mut until = self.until.lock().unwrap_or_else(PoisonError::into_inner);
        if until.is_none_or(|current| current < end) {
            *until = Some(end);
        }
    }

    /// When submissions may go again, while a hold is in force.
    pub fn until(&self) -> Option<Instant> {
        let until = *self.until.lock().unwrap_or_else(PoisonError::into_inner);
        until.filter(|end| *end > Instant::now())
    }

    /// Returns once no hold is in force: at once when none is, else when the
    /// latest one ends (a hold made while waiting is waited for too).
    pub async fn wait(&self) {
        while let Some(end) = self.until() {
            tokio::time::sleep_until(end).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_latest_hold_wins_and_clones_share_it() {
        let pause = Pause::new();
        assert_eq!(pause.until(), None);
        let start = Instant::now();
        pause.hold_for(Duration::from_secs(3));
        pause.clone().hold_for(Duration::from_secs(1));
        assert_eq!(pause.until(), Some(start + Duration::from_secs(3)));
        pause.wait().await;
        assert_eq!(Instant::now(), start + Duration::from_secs(3));
        assert_eq!(pause.until(), None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_hold_made_while_waiting_is_waited_for() {
        let pause = Pause::new();
        let start = Instant::now();
        pause.hold_for(Duration::from_secs(1));
        let other = pause.clone();
        let extend = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(500)).await;
            other.hold_for(Duration::from_secs(2));
        });
        pause.wait().await;
        assert_eq!(Instant::now(), start + Duration::from_millis(2500));
        extend.await.expect("the task ends");
    }
}
