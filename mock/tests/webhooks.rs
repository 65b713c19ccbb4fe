//! Webhooks: one signed delivery per terminal task, verified with
//! `orux_webhooks::Verifier`, retried after a 500 from the receiver.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use common::{Mock, start};
use orux_mock::Config;
use orux_models::responses::TaskStatus;
use orux_webhooks::{Verifier, WEBHOOK_ID};
use tokio::sync::mpsc;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// What the receiver saw.
struct Delivery {
    headers: HeaderMap,
    body: Bytes,
}

struct Receiver {
    seen: mpsc::UnboundedSender<Delivery>,
    /// Answer 500 to this many requests first.
    failures: AtomicUsize,
}

/// A webhook receiver on a free loopback port; returns its URL and what it gets.
async fn receiver(failures: usize) -> (String, mpsc::UnboundedReceiver<Delivery>) {
    let (seen, deliveries) = mpsc::unbounded_channel();
    let state = Arc::new(Receiver {
        seen,
        failures: AtomicUsize::new(failures),
    });
    async fn hook(
        State(state): State<Arc<Receiver>>,
        headers: HeaderMap,
        body: Bytes,
    ) -> StatusCode {
        let _ = state.seen.send(Delivery { headers, body });
        let failing = state
            .failures
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if failing {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::NO_CONTENT
        }
    }
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(hook))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, deliveries)
}

async fn next(deliveries: &mut mpsc::UnboundedReceiver<Delivery>) -> Delivery {
    tokio::time::timeout(Duration::from_secs(20), deliveries.recv())
        .await
        .expect("a delivery in time")
        .expect("the receiver is running")
}

async fn mock_for(url: String) -> Mock {
    start(Config {
        webhook_secret: SECRET.to_owned(),
        webhook_target: Some(url),
        ..Config::default()
    })
    .await
}

fn with_hook(prompt: &str) -> String {
    format!(
        r#"{{"model":"sora2","prompt":"{prompt}","webhook_url":"https://hooks.example/orux?t=1"}}"#
    )
}

#[tokio::test]
async fn each_terminal_task_is_delivered_once_signed() {
    let (url, mut deliveries) = receiver(0).await;
    let mock = mock_for(url).await;
    let verifier = Verifier::new(SECRET).unwrap();
    let mut expected = Vec::new();
    for (prompt, outcome, status) in [
        ("a", "success", TaskStatus::Success),
        ("b", "failed", TaskStatus::Failed),
        ("c", "expired", TaskStatus::Expired),
    ] {
        let answer = mock
            .submit(with_hook(prompt), &[("x-orux-mock-outcome", outcome)])
            .await;
        expected.push((answer.json["task_id"].as_str().unwrap().to_owned(), status));
    }
    // No webhook_url, no delivery.
    assert_eq!(mock.submit(common::SORA, &[]).await.status, 200);
    // Nothing is sent while the tasks are still running.
    mock.clock.advance(Duration::from_millis(4999));
    assert!(
        tokio::time::timeout(Duration::from_millis(200), deliveries.recv())
            .await
            .is_err(),
        "a delivery before the task ended"
    );
    mock.clock.advance(Duration::from_millis(1));
    let mut got = Vec::new();
    let mut ids = Vec::new();
    for _ in 0..3 {
        let delivery = next(&mut deliveries).await;
        let event = verifier
            .verify(&delivery.headers, &delivery.body, mock.now())
            .expect("a valid signature");
        assert_eq!(event.submit_time.as_deref(), Some("2026-06-04T22:00:00"));
        assert_eq!(
            event.result_urls.is_empty(),
            event.status != TaskStatus::Success
        );
        assert_eq!(delivery.headers["content-type"], "application/json");
        // Signed with this secret, not any: another key fails.
        let other = Verifier::new("whsec_QWxsIHlvdXIgYmFzZSBhcmUgYmVsb25nIHRvIHVz").unwrap();
        assert!(
            other
                .verify(&delivery.headers, &delivery.body, mock.now())
                .is_err()
        );
        ids.push(delivery.headers[WEBHOOK_ID].to_str().unwrap().to_owned());
        got.push((event.task_id, event.status));
    }
    got.sort_by(|a, b| a.0.cmp(&b.0));
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(got, expected);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3, "webhook-id is unique per event");
    // Long after every retry would have run, a later task's delivery is the
    // next thing the receiver sees: nothing was sent twice.
    mock.clock.advance(Duration::from_secs(3600));
    let sentinel = mock.submit(with_hook("sentinel"), &[]).await;
    mock.clock.advance(Duration::from_secs(5));
    let delivery = next(&mut deliveries).await;
    let event = verifier
        .verify(&delivery.headers, &delivery.body, mock.now())
        .unwrap();
    assert_eq!(event.task_id, sentinel.json["task_id"].as_str().unwrap());
    assert!(deliveries.try_recv().is_err());
}

#[tokio::test]
async fn a_failed_delivery_is_retried_on_the_schedule() {
    let (url, mut deliveries) = receiver(2).await;
    let mock = mock_for(url).await;
    let verifier = Verifier::new(SECRET).unwrap();
    let schedule = orux_mock::compressed_retry_schedule();
    mock.submit(with_hook("retry me"), &[]).await;
    mock.clock.advance(Duration::from_secs(5));
    let first = next(&mut deliveries).await; // answered 500
    let first_at = mock.now();
    // The second attempt waits for its slot of the schedule.
    mock.clock.advance(schedule[1]);
    let second = next(&mut deliveries).await; // answered 500
    assert!(mock.now() >= first_at + schedule[1]);
    mock.clock.advance(schedule[2]);
    let third = next(&mut deliveries).await; // answered 204
    for delivery in [&first, &second, &third] {
        let event = verifier
            .verify(&delivery.headers, &delivery.body, mock.now())
            .unwrap();
        assert_eq!(event.status, TaskStatus::Success);
        assert_eq!(
            delivery.headers[WEBHOOK_ID], first.headers[WEBHOOK_ID],
            "one event, one id"
        );
        assert_eq!(delivery.body, first.body, "the same bytes each time");
    }
    // Delivered: no fourth attempt even when the rest of the schedule passes.
    let sentinel = {
        mock.clock.advance(Duration::from_secs(7200));
        let answer = mock.submit(with_hook("sentinel"), &[]).await;
        mock.clock.advance(Duration::from_secs(5));
        answer.json["task_id"].as_str().unwrap().to_owned()
    };
    let delivery = next(&mut deliveries).await;
    let event = verifier
        .verify(&delivery.headers, &delivery.body, mock.now())
        .unwrap();
    assert_eq!(event.task_id, sentinel);
    // Two deliveries were answered 2xx (the third attempt and the
    // sentinel); the stats count them once the answers are read.
    tokio::time::timeout(Duration::from_secs(10), async {
        while mock.server.stats().webhooks_delivered < 2 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("both deliveries counted");
    assert_eq!(mock.server.stats().webhooks_delivered, 2);
}

#[tokio::test]
async fn a_bad_webhook_setting_stops_the_start() {
    for config in [
        Config {
            webhook_secret: "not-a-secret".to_owned(),
            ..Config::default()
        },
        Config {
            webhook_target: Some("http://example.com/hook".to_owned()),
            ..Config::default()
        },
        Config {
            max_tasks: 0,
            ..Config::default()
        },
    ] {
        let config = Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            ..config
        };
        let error = orux_mock::Server::bind(config)
            .await
            .err()
            .expect("refused");
        assert!(!error.to_string().is_empty());
    }
}
