//! Webhook deliveries: when a task with a `webhook_url` reaches its terminal
//! state, its status object is POSTed, signed with Standard Webhooks
//! (`orux_webhooks::Verifier::sign`), and retried on the configured schedule
//! until a 2xx answer.
//!
//! One worker holds the pending deliveries in a queue ordered by due time
//! and sleeps on the server's clock until the next one, so a test clock
//! drives first attempts and retries alike. Sends run concurrently within
//! the delivery [`Slots`] (per host and in all); a due delivery without a
//! slot waits for one. The queue holds at most as many deliveries as the
//! server keeps tasks, and a delivery that finds it full is dropped with a
//! log line rather than growing memory without bound.
//!
//! Where deliveries may go is [`crate::destination`]'s to say: by default a
//! task's `webhook_url` must lead to loopback addresses, or the delivery is
//! skipped (logged once, never retried). No proxy is used, and redirects are
//! not followed.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::header::CONTENT_TYPE;
use orux_webhooks::{Verifier, WEBHOOK_ID, WEBHOOK_SIGNATURE, WEBHOOK_TIMESTAMP};
use tokio::sync::Notify;
use ulid::Ulid;

use crate::clock::Clock;
use crate::destination::{self, LoopbackResolver, Reach};
use crate::lifecycle::Task;
use crate::results::Results;
use crate::slots::Slots;

/// How long one attempt may take before it counts as failed.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where deliveries go.
#[derive(Clone, Debug)]
pub enum Target {
    /// Each task's own `webhook_url`.
    TaskUrl,
    /// Every delivery to this URL (`--webhook-target`).
    Fixed(reqwest::Url),
}

impl Target {
    /// Reads `--webhook-target`: an https URL, or http on a loopback host.
    pub fn parse(text: &str) -> Result<Target, String> {
        let url = reqwest::Url::parse(text)
            .map_err(|e| format!("--webhook-target {text:?} is not a URL: {e}"))?;
        let loopback = match url.host() {
            Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        };
        match url.scheme() {
            "https" if url.host().is_some() => Ok(Target::Fixed(url)),
            "http" if loopback => Ok(Target::Fixed(url)),
            "http" => Err(format!(
                "--webhook-target {text:?}: http is only allowed for a loopback host \
                 (127.0.0.1, [::1], localhost); use https"
            )),
            _ => Err(format!("--webhook-target {text:?} must be an https URL")),
        }
    }
}

/// One event on its way.
#[derive(Debug)]
struct Delivery {
    /// The task it is about, for the log.
    task_id: String,
    /// `webhook-id`: the same on every attempt of this event.
    msg_id: String,
    url: reqwest::Url,
    body: Arc<[u8]>,
    /// Index into the schedule of the attempt that is due next.
    attempt: usize,
}

/// A delivery and when it is due; ordered by due time, then by arrival.
struct Pending {
    due: SystemTime,
    seq: u64,
    delivery: Delivery,
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        (self.due, self.seq) == (other.due, other.seq)
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Pending {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.due, self.seq).cmp(&(other.due, other.seq))
    }
}

#[derive(Default)]
struct Queue {
    heap: BinaryHeap<Reverse<Pending>>,
    /// Due, but no slot was free for them: sent first when one is.
    waiting: VecDeque<Delivery>,
    seq: u64,
}

/// The pending deliveries and what sends them.
pub struct Outbox {
    queue: Mutex<Queue>,
    wake: Notify,
    capacity: usize,
    clock: Arc<dyn Clock>,
    signer: Verifier,
    target: Target,
    /// Which hosts a task's own `webhook_url` may name.
    reach: Reach,
    schedule: Vec<Duration>,
    http: reqwest::Client,
    slots: Slots,
    /// Deliveries answered with a 2xx.
    delivered: AtomicU64,
}

impl Outbox {
    /// An outbox; nothing is sent until [`Outbox::run`] is spawned.
    pub fn new(
        clock: Arc<dyn Clock>,
        secret: &str,
        target: Target,
        reach: Reach,
        schedule: Vec<Duration>,
        capacity: usize,
    ) -> Result<Outbox, String> {
        let signer = Verifier::new(secret).map_err(|e| format!("--webhook-secret: {e}"))?;
        if schedule.is_empty() {
            return Err("the webhook retry schedule needs at least one attempt".to_owned());
        }
        let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .and_then(|builder| {
                rustls_platform_verifier::BuilderVerifierExt::with_platform_verifier(builder)
            })
            .map_err(|e| format!("cannot set up TLS for the webhook sender: {e}"))?
            .with_no_client_auth();
        let mut http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .timeout(ATTEMPT_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            // HTTPS_PROXY and the like would send every delivery through a
            // proxy, past the address checks below.
            .no_proxy();
        if matches!(target, Target::TaskUrl) && reach == Reach::LoopbackOnly {
            http = http.dns_resolver(LoopbackResolver);
        }
        let http = http
            .build()
            .map_err(|e| format!("cannot set up the webhook sender: {e}"))?;
        Ok(Outbox {
            queue: Mutex::new(Queue::default()),
            wake: Notify::new(),
            capacity: capacity.max(1),
            clock,
            signer,
            target,
            reach,
            schedule,
            http,
            slots: Slots::new(),
            delivered: AtomicU64::new(0),
        })
    }

    /// How many deliveries were answered with a 2xx.
    pub fn delivered(&self) -> u64 {
        self.delivered.load(Ordering::Relaxed)
    }

    /// Schedules the terminal event of `task` for when it ends (its result
    /// URLs issued at that moment).
    pub fn schedule_terminal(
        &self,
        task: &Task,
        webhook_url: &str,
        task_duration: Duration,
        results: &Results,
    ) {
        let url = match &self.target {
            Target::Fixed(url) => url.clone(),
            Target::TaskUrl => match reqwest::Url::parse(webhook_url) {
                Ok(url) => url,
                Err(error) => {
                    // The validator accepted it; a parser disagreement is logged.
                    tracing::warn!(task_id = %task.wire_id(), %error, "webhook_url not deliverable");
                    return;
                }
            },
        };
        let terminal_at = task.terminal_at(task_duration);
        let event = task.response_at(terminal_at, task_duration, |task| {
            results.urls(task, terminal_at)
        });
        let body = match serde_json::to_vec(&event) {
            Ok(body) => body,
            Err(error) => {
                tracing::error!(task_id = %event.task_id, %error, "cannot write the webhook event");
                return;
            }
        };
        let delivery = Delivery {
            task_id: event.task_id.clone(),
            msg_id: format!("msg_{}", Ulid::from_datetime(self.clock.now())),
            url,
            body: body.into(),
            attempt: 0,
        };
        self.push(terminal_at + self.schedule[0], delivery);
    }

    fn push(&self, due: SystemTime, delivery: Delivery) {
        {
            let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
            if queue.heap.len() + queue.waiting.len() >= self.capacity {
                tracing::warn!(msg_id = %delivery.msg_id, "webhook queue full; delivery dropped");
                return;
            }
            queue.seq += 1;
            let seq = queue.seq;
            queue.heap.push(Reverse(Pending { due, seq, delivery }));
        }
        self.wake.notify_one();
    }

    /// Sends deliveries as they fall due and slots free up; runs until the
    /// server stops.
    pub async fn run(self: Arc<Self>) {
        loop {
            let now = self.clock.now();
            // Registered before looking, so a slot freed meanwhile wakes us.
            let woken = self.wake.notified();
            let (ready, next) = self.take_due(now);
            let mut no_slot = Vec::new();
            for delivery in ready {
                let Some(slot) = self.slots.try_take(&delivery.url) else {
                    no_slot.push(delivery);
                    continue;
                };
                let outbox = Arc::clone(&self);
                tokio::spawn(async move {
                    outbox.attempt(delivery).await;
                    drop(slot);
                    // A slot is free: a waiting delivery may go.
                    outbox.wake.notify_one();
                });
            }
            if !no_slot.is_empty() {
                let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
                queue.waiting.extend(no_slot);
            }
            match next {
                Some(next) => {
                    tokio::select! {
                        () = self.clock.sleep_until(next) => {}
                        () = woken => {}
                    }
                }
                None => woken.await,
            }
        }
    }

    /// Removes the deliveries waiting for a slot and every one due by
    /// `now`; returns them (the waiting first) and the next due time.
    fn take_due(&self, now: SystemTime) -> (Vec<Delivery>, Option<SystemTime>) {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        let mut due: Vec<Delivery> = queue.waiting.drain(..).collect();
        while queue.heap.peek().is_some_and(|Reverse(p)| p.due <= now) {
            if let Some(Reverse(pending)) = queue.heap.pop() {
                due.push(pending.delivery);
            }
        }
        (due, queue.heap.peek().map(|Reverse(p)| p.due))
    }

    async fn attempt(&self, mut delivery: Delivery) {
        if delivery.attempt == 0
            && matches!(self.target, Target::TaskUrl)
            && self.reach == Reach::LoopbackOnly
            && let Err(why) =
                destination::check_loopback(&delivery.url, destination::system_resolve).await
        {
            // Once per task: a skipped delivery is never retried.
            tracing::warn!(
                task_id = %delivery.task_id,
                "webhook not delivered: {why}; the mock sends only to loopback \
                 addresses unless started with --webhook-allow-any-host (or --webhook-target)"
            );
            return;
        }
        let now = self.clock.now();
        let timestamp = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let signature = self
            .signer
            .sign(&delivery.msg_id, timestamp, &delivery.body);
        let result = self
            .http
            .post(delivery.url.clone())
            .header(CONTENT_TYPE, "application/json")
            .header(WEBHOOK_ID, &delivery.msg_id)
            .header(WEBHOOK_TIMESTAMP, timestamp)
            .header(WEBHOOK_SIGNATURE, signature)
            .body(delivery.body.to_vec())
            .send()
            .await;
        let attempt = delivery.attempt + 1;
        let failure = match result {
            Ok(response) if response.status().is_success() => {
                self.delivered.fetch_add(1, Ordering::Relaxed);
                tracing::info!(msg_id = %delivery.msg_id, attempt, "webhook delivered");
                return;
            }
            Ok(response) => format!("answered {}", response.status().as_u16()),
            // Without the URL: it may carry a token in its query.
            Err(error) => format!("{}", error.without_url()),
        };
        delivery.attempt = attempt;
        match self.schedule.get(attempt) {
            Some(wait) => {
                tracing::info!(msg_id = %delivery.msg_id, attempt, failure, "webhook attempt failed; will retry");
                // Counted from the start of the failed attempt, not from its
                // end, so a slow receiver does not stretch the schedule.
                self.push(now + *wait, delivery);
            }
            None => {
                tracing::warn!(msg_id = %delivery.msg_id, attempt, failure, "webhook given up");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_https_or_loopback_http() {
        for ok in [
            "https://hooks.example/orux",
            "http://127.0.0.1:9000/hook",
            "http://[::1]:9000/",
            "http://localhost/x",
        ] {
            assert!(Target::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/hook",
            "ftp://127.0.0.1/",
            "not a url",
            "http://10.0.0.1/",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }
}
