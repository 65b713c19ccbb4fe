//! Scripted outcomes over real HTTP: endings chosen by prompt text or by
//! share, and a share of submits rate limited, for clients that cannot set
//! a header per request.

mod common;

use std::time::Duration;

use common::{error_code, start};
use orux_mock::Config;
use orux_mock::outcomes::{Outcome, PromptRule, RateLimit, Script, Shares};
use orux_models::responses::TaskStatus;

fn body(prompt: &str) -> String {
    serde_json::json!({"model": "sora2", "prompt": prompt}).to_string()
}

/// Submits `body` and returns how the task ends.
async fn ending(mock: &common::Mock, body: &str, headers: &[(&str, &str)]) -> TaskStatus {
    let answer = mock.submit(body.to_owned(), headers).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    let task_id = answer.json["task_id"]
        .as_str()
        .expect("a task id")
        .to_owned();
    mock.clock.advance(Duration::from_secs(5));
    let status = mock.status(&task_id).await;
    serde_json::from_value(status.json["status"].clone()).expect("a status")
}

#[tokio::test]
async fn a_prompt_rule_picks_the_ending_and_the_header_still_wins() {
    let mock = start(Config {
        outcomes: Script {
            prompt_rules: vec![
                PromptRule {
                    outcome: Outcome::Failed,
                    text: "#fail".to_owned(),
                },
                PromptRule {
                    outcome: Outcome::Expired,
                    text: "#late".to_owned(),
                },
            ],
            ..Script::default()
        },
        ..Config::default()
    })
    .await;
    assert_eq!(
        ending(&mock, &body("a boat #fail"), &[]).await,
        TaskStatus::Failed
    );
    assert_eq!(
        ending(&mock, &body("a boat #late"), &[]).await,
        TaskStatus::Expired
    );
    assert_eq!(
        ending(&mock, &body("a boat"), &[]).await,
        TaskStatus::Success
    );
    assert_eq!(
        ending(
            &mock,
            &body("a boat #fail"),
            &[("x-orux-mock-outcome", "success")]
        )
        .await,
        TaskStatus::Success
    );
}

#[tokio::test]
async fn shares_end_a_proportion_of_bodies_and_a_replay_agrees() {
    let mock = start(Config {
        outcomes: Script {
            shares: Shares {
                failed: 0.5,
                expired: 0.0,
            },
            ..Script::default()
        },
        ..Config::default()
    })
    .await;
    let mut failed = 0;
    for n in 0..40 {
        let body = body(&format!("boat number {n}"));
        let first = ending(&mock, &body, &[("idempotency-key", &format!("k{n}"))]).await;
        // The same key and body: the first task again, ending as before.
        let again = mock
            .submit(body.clone(), &[("idempotency-key", &format!("k{n}"))])
            .await;
        let status = mock
            .status(again.json["task_id"].as_str().expect("a task id"))
            .await;
        assert_eq!(status.json["status"].as_str(), Some(first.as_str()));
        failed += usize::from(first == TaskStatus::Failed);
    }
    assert!((8..=32).contains(&failed), "{failed} of 40 failed");
}

#[tokio::test]
async fn a_rate_limit_refuses_every_nth_submit_and_creates_nothing() {
    let mock = start(Config {
        outcomes: Script {
            rate_limit: Some(RateLimit {
                share: 0.25,
                retry_after: 4,
            }),
            ..Script::default()
        },
        ..Config::default()
    })
    .await;
    let mut refused = Vec::new();
    for n in 1..=8 {
        let answer = mock
            .submit(body("a boat"), &[("idempotency-key", &format!("key-{n}"))])
            .await;
        if answer.status == 429 {
            assert_eq!(error_code(&answer), "rate_limited");
            assert_eq!(
                answer.headers.get("retry-after").map(|v| v.as_bytes()),
                Some(&b"4"[..])
            );
            refused.push(n);
        }
    }
    assert_eq!(refused, [4, 8]);
    // The refused keys were not taken: each now creates a task (the 9th
    // and 10th submits, neither refused).
    for n in refused {
        let answer = mock
            .submit(body("a boat"), &[("idempotency-key", &format!("key-{n}"))])
            .await;
        assert_eq!(answer.status, 200, "{answer:?}");
        assert!(answer.headers.get("idempotent-replayed").is_none());
    }
}

#[tokio::test]
async fn out_of_range_scripts_refuse_to_start() {
    let config = Config {
        addr: "127.0.0.1:0".parse().expect("an address"),
        outcomes: Script {
            shares: Shares {
                failed: 2.0,
                expired: 0.0,
            },
            ..Script::default()
        },
        ..Config::default()
    };
    let Err(error) = orux_mock::Server::bind(config).await else {
        panic!("a share of 2 is refused");
    };
    assert!(error.to_string().contains("--fail-share"), "{error}");
}

#[tokio::test]
async fn a_submit_answer_delay_holds_the_answer_while_the_task_exists() {
    let mock = start(Config {
        outcomes: Script {
            answer_delay: Duration::from_secs(5),
            ..Script::default()
        },
        ..Config::default()
    })
    .await;
    let http = mock.http.clone();
    let url = format!("{}/api/v1/tasks", mock.base);
    let answer = tokio::spawn(async move {
        http.post(url)
            .bearer_auth(common::KEY)
            .header("content-type", "application/json")
            .header("idempotency-key", "held")
            .body(body("a boat"))
            .send()
            .await
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!answer.is_finished(), "answered before the delay");
    // The task already exists: the same key is a replay, not a new task.
    let replay = tokio::spawn({
        let http = mock.http.clone();
        let url = format!("{}/api/v1/tasks", mock.base);
        async move {
            http.post(url)
                .bearer_auth(common::KEY)
                .header("content-type", "application/json")
                .header("idempotency-key", "held")
                .body(body("a boat"))
                .send()
                .await
        }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    mock.clock.advance(Duration::from_secs(5));
    let first = answer.await.unwrap().expect("answered");
    let again = replay.await.unwrap().expect("answered");
    assert_eq!(first.status(), 200);
    assert!(again.headers().get("idempotent-replayed").is_some());
}
