//! How many webhook deliveries run at once: at most [`MAX_IN_FLIGHT`] in
//! all, and at most [`MAX_PER_HOST`] to one destination (host and port), so
//! that one receiver that hangs cannot hold every slot and delay the
//! deliveries to everyone else.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use reqwest::Url;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Most deliveries sent at the same time, in all.
pub const MAX_IN_FLIGHT: usize = 64;

/// Most deliveries sent at the same time to one host and port.
pub const MAX_PER_HOST: usize = 8;

/// Past this many destinations remembered, the idle ones are forgotten, so
/// that deliveries to many hosts (with `--webhook-allow-any-host`) do not
/// grow the map without bound.
const MAX_REMEMBERED_HOSTS: usize = 1024;

/// The delivery slots.
#[derive(Debug)]
pub struct Slots {
    total: Arc<Semaphore>,
    per_host: Mutex<HashMap<String, Arc<Semaphore>>>,
}

/// A delivery's two slots, given back when dropped.
#[derive(Debug)]
pub struct Slot {
    _host: OwnedSemaphorePermit,
    _total: OwnedSemaphorePermit,
}

impl Slots {
    /// No delivery running.
    pub fn new() -> Slots {
        Slots {
            total: Arc::new(Semaphore::new(MAX_IN_FLIGHT)),
            per_host: Mutex::new(HashMap::new()),
        }
    }

    /// A slot for a delivery to `url`, if both its host's and the total
    /// have one free now.
    pub fn try_take(&self, url: &Url) -> Option<Slot> {
        let host = destination(url);
        let host_slots = {
            let mut per_host = self.per_host.lock().unwrap_or_else(PoisonError::into_inner);
            if per_host.len() >= MAX_REMEMBERED_HOSTS && !per_host.contains_key(&host) {
                // Idle destinations hold no permit: only the map refers to them.
                per_host.retain(|_, slots| Arc::strong_count(slots) > 1);
            }
            Arc::clone(
                per_host
                    .entry(host)
                    .or_insert_with(|| Arc::new(Semaphore::new(MAX_PER_HOST))),
            )
        };
        let host = host_slots.try_acquire_owned().ok()?;
        let total = Arc::clone(&self.total).try_acquire_owned().ok()?;
        Some(Slot {
            _host: host,
            _total: total,
        })
    }
}

/// Host and port: what "one receiver" is.
fn destination(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or(0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).expect("a URL")
    }

    #[test]
    fn one_host_cannot_take_every_slot() {
        let slots = Slots::new();
        let slow = url("https://127.0.0.1:9000/hook");
        let held: Vec<Slot> = (0..MAX_PER_HOST)
            .filter_map(|_| slots.try_take(&slow))
            .collect();
        assert_eq!(held.len(), MAX_PER_HOST);
        assert!(slots.try_take(&slow).is_none(), "its own slots are spent");
        let other = url("https://127.0.0.1:9001/hook");
        assert!(slots.try_take(&other).is_some(), "another host still goes");
        drop(held);
        assert!(slots.try_take(&slow).is_some());
    }

    #[test]
    fn the_total_bounds_all_hosts() {
        let slots = Slots::new();
        let held: Vec<Slot> = (0..MAX_IN_FLIGHT)
            .filter_map(|n| slots.try_take(&url(&format!("https://127.0.0.1:{}/", 1000 + n))))
            .collect();
        assert_eq!(held.len(), MAX_IN_FLIGHT);
        assert!(slots.try_take(&url("https://127.0.0.1:2/")).is_none());
    }

    #[test]
    fn idle_hosts_are_forgotten() {
        let slots = Slots::new();
        for n in 0..(MAX_REMEMBERED_HOSTS + 10) {
            drop(slots.try_take(&url(&format!("https://h{n}.test/"))));
        }
        let remembered = slots.per_host.lock().map(|m| m.len()).unwrap_or(0);
        assert!(remembered <= MAX_REMEMBERED_HOSTS, "{remembered}");
    }
}
