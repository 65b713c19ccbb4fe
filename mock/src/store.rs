//! The server's memory: tasks and idempotency keys, both bounded by count.
//!
//! Tasks are kept in submit order. Every task takes the same time, so the
//! oldest task is also the first to have become terminal: evicting from the
//! front evicts terminal tasks first, and a still-running task only when
//! `max_tasks` tasks are all still running. Idempotency keys expire after
//! [`KEY_TTL`] and are bounded by the same count.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use ulid::Ulid;

use crate::lifecycle::Task;

/// How long an idempotency key is remembered.
pub const KEY_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// A SHA-256 of a request body, to tell "same body" from "other body"
/// without keeping bodies of up to 20 MiB.
pub type BodyDigest = [u8; 32];

/// What a submission did.
#[derive(Debug, PartialEq)]
pub enum Admission {
    /// A new task.
    Created(Task),
    /// The key was seen with the same body: the first task, unchanged
    /// (possibly evicted since).
    Replayed(Task),
    /// The key was seen with another body.
    Conflict,
}

struct KeyEntry {
    digest: BodyDigest,
    task: Task,
    expires: SystemTime,
}

/// Tasks and keys.
pub struct Store {
    max: usize,
    tasks: HashMap<u128, Task>,
    order: VecDeque<u128>,
    keys: HashMap<Arc<str>, KeyEntry>,
    key_order: VecDeque<(SystemTime, Arc<str>)>,
}

impl Store {
    /// An empty store keeping at most `max` tasks and `max` keys (at least 1).
    pub fn new(max: usize) -> Store {
        Store {
            max: max.max(1),
            tasks: HashMap::new(),
            order: VecDeque::new(),
            keys: HashMap::new(),
            key_order: VecDeque::new(),
        }
    }

    /// Records `task`, unless `key` was seen before; evicts what the bounds require.
    pub fn submit(
        &mut self,
        now: SystemTime,
        task: Task,
        key: Option<(&str, BodyDigest)>,
    ) -> Admission {
        self.expire_keys(now);
        if let Some((key, digest)) = key {
            if let Some(entry) = self.keys.get(key) {
                return if entry.digest == digest {
                    Admission::Replayed(entry.task)
                } else {
                    Admission::Conflict
                };
            }
            if self.keys.len() >= self.max {
                self.forget_oldest_key();
            }
            let key: Arc<str> = Arc::from(key);
            let expires = now + KEY_TTL;
            self.key_order.push_back((expires, Arc::clone(&key)));
            self.keys.insert(
                key,
                KeyEntry {
                    digest,
                    task,
                    expires,
                },
            );
        }
        while self.tasks.len() >= self.max {
            match self.order.pop_front() {
                Some(oldest) => {
                    self.tasks.remove(&oldest);
                }
                None => break,
            }
        }
        self.tasks.insert(task.id.0, task);
        self.order.push_back(task.id.0);
        Admission::Created(task)
    }

    /// The task with this id, if it is still kept.
    pub fn get(&self, id: Ulid) -> Option<Task> {
        self.tasks.get(&id.0).copied()
    }

    /// How many tasks are kept.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.tasks.len()
    }

    fn expire_keys(&mut self, now: SystemTime) {
        while self
            .key_order
            .front()
            .is_some_and(|(expires, _)| *expires <= now)
        {
            self.forget_oldest_key();
        }
    }

    fn forget_oldest_key(&mut self) {
        if let Some((expires, key)) = self.key_order.pop_front() {
            // The map holds the entry this queue slot was made for, unless the
            // key expired earlier and was taken again (then it has a later expiry).
            if self.keys.get(&key).is_some_and(|e| e.expires == expires) {
                self.keys.remove(&key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::Outcome;

    fn task(n: u64) -> Task {
        Task {
            id: Ulid::from_parts(n, u128::from(n)),
            submitted: SystemTime::UNIX_EPOCH + Duration::from_secs(n),
            outcome: Outcome::Success,
            duration_sec: 5.0,
            results: 1,
        }
    }

    #[test]
    fn the_oldest_tasks_go_first() {
        let mut store = Store::new(3);
        let now = SystemTime::UNIX_EPOCH;
        for n in 1..=5 {
            store.submit(now, task(n), None);
        }
        assert_eq!(store.len(), 3);
        assert_eq!(store.get(task(1).id), None);
        assert_eq!(store.get(task(2).id), None);
        assert_eq!(store.get(task(3).id), Some(task(3)));
        assert_eq!(store.get(task(5).id), Some(task(5)));
    }

    #[test]
    fn keys_replay_conflict_and_expire() {
        let mut store = Store::new(10);
        let t0 = SystemTime::UNIX_EPOCH;
        let a = [1; 32];
        assert_eq!(
            store.submit(t0, task(1), Some(("k", a))),
            Admission::Created(task(1))
        );
        assert_eq!(
            store.submit(t0, task(2), Some(("k", a))),
            Admission::Replayed(task(1))
        );
        assert_eq!(
            store.submit(t0, task(3), Some(("k", [2; 32]))),
            Admission::Conflict
        );
        assert_eq!(
            store.len(),
            1,
            "neither a replay nor a conflict makes a task"
        );
        let just_before = t0 + KEY_TTL - Duration::from_secs(1);
        assert_eq!(
            store.submit(just_before, task(4), Some(("k", [2; 32]))),
            Admission::Conflict
        );
        assert_eq!(
            store.submit(t0 + KEY_TTL, task(5), Some(("k", [2; 32]))),
            Admission::Created(task(5))
        );
        // The expired slot of the first use must not drop the new entry.
        assert_eq!(
            store.submit(t0 + KEY_TTL, task(6), Some(("k", [2; 32]))),
            Admission::Replayed(task(5))
        );
    }

    #[test]
    fn keys_are_bounded_too() {
        let mut store = Store::new(2);
        let now = SystemTime::UNIX_EPOCH;
        for n in 1..=3 {
            store.submit(now, task(n), Some((&format!("k{n}"), [0; 32])));
        }
        assert_eq!(store.keys.len(), 2);
        assert!(!store.keys.contains_key("k1"));
    }
}
