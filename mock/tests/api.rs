//! The API over real HTTP on loopback: errors, lifecycle, outcomes,
//! idempotency, eviction and faults.

mod common;

use std::time::Duration;

use common::{Mock, SORA, error_code, start};
use orux_mock::Config;
use orux_models::responses::{SubmitResponse, TaskStatus, TaskStatusResponse};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn submitted(answer: &common::Answer) -> SubmitResponse {
    assert_eq!(answer.status, 200, "{answer:?}");
    serde_json::from_value(answer.json.clone()).expect("a submit response")
}

async fn status_of(mock: &Mock, task_id: &str) -> TaskStatusResponse {
    let answer = mock.status(task_id).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    serde_json::from_value(answer.json).expect("a status response")
}

#[tokio::test]
async fn a_task_is_queued_then_running_then_succeeds() {
    let mock = start(Config::default()).await;
    let task = submitted(&mock.submit(SORA, &[]).await);
    assert_eq!(task.status, TaskStatus::Queued);
    assert_eq!(task.submit_time, "2026-06-04T22:00:00");
    let ulid = task.task_id.strip_prefix("task_").expect("task_ prefix");
    assert_eq!(ulid.len(), 26);
    assert!(ulid.bytes().all(|b| b.is_ascii_alphanumeric()), "{ulid}");

    let queued = status_of(&mock, &task.task_id).await;
    assert_eq!(queued.status, TaskStatus::Queued);
    assert_eq!(queued.submit_time.as_deref(), Some("2026-06-04T22:00:00"));
    assert!(queued.result_urls.is_empty() && queued.duration_sec.is_none());

    mock.clock.advance(Duration::from_secs(1));
    assert_eq!(
        status_of(&mock, &task.task_id).await.status,
        TaskStatus::Running
    );
    mock.clock.advance(Duration::from_millis(3999));
    assert_eq!(
        status_of(&mock, &task.task_id).await.status,
        TaskStatus::Running
    );
    mock.clock.advance(Duration::from_millis(1));
    let done = status_of(&mock, &task.task_id).await;
    assert_eq!(done.status, TaskStatus::Success);
    assert_eq!(done.duration_sec, Some(10.0), "the requested length");
    assert_eq!(done.result_urls.len(), 1);
    // The result is served by the mock itself (tests/results.rs).
    let prefix = format!("{}/_mock/results/{}/1.mp4?token=", mock.base, task.task_id);
    assert!(
        done.result_urls[0].starts_with(&prefix),
        "{:?}",
        done.result_urls
    );
}

#[tokio::test]
async fn the_outcome_header_scripts_each_ending() {
    let mock = start(Config {
        task_duration: Duration::from_secs(2),
        ..Config::default()
    })
    .await;
    let mut ids = Vec::new();
    for (header, expected) in [
        (None, TaskStatus::Success),
        (Some("success"), TaskStatus::Success),
        (Some("failed"), TaskStatus::Failed),
        (Some("EXPIRED"), TaskStatus::Expired),
    ] {
        let headers: Vec<(&str, &str)> = header
            .map(|h| ("x-orux-mock-outcome", h))
            .into_iter()
            .collect();
        ids.push((
            submitted(&mock.submit(SORA, &headers).await).task_id,
            expected,
        ));
    }
    mock.clock.advance(Duration::from_secs(2));
    for (id, expected) in ids {
        let status = status_of(&mock, &id).await;
        assert_eq!(status.status, expected, "{id}");
        assert_eq!(
            status.result_urls.is_empty(),
            expected != TaskStatus::Success
        );
        assert_eq!(
            status.duration_sec.is_some(),
            expected == TaskStatus::Success
        );
    }
    let bad = mock.submit(SORA, &[("x-orux-mock-outcome", "done")]).await;
    assert_eq!((bad.status, error_code(&bad)), (400, "invalid_param"));
}

#[tokio::test]
async fn a_model_without_a_duration_field_reports_its_length() {
    let mock = start(Config {
        task_duration: Duration::ZERO,
        ..Config::default()
    })
    .await;
    // Veo fixes its length at 8 s.
    let veo = r#"{"model":"veo-3.1-fast","prompt":"A paper boat"}"#;
    let task = submitted(&mock.submit(veo, &[]).await);
    let done = status_of(&mock, &task.task_id).await;
    assert_eq!(done.status, TaskStatus::Success);
    assert_eq!(done.duration_sec, Some(8.0));
}

#[tokio::test]
async fn without_a_duration_a_success_reports_the_models_documented_default() {
    let mock = start(Config {
        task_duration: Duration::ZERO,
        ..Config::default()
    })
    .await;
    // For every model whose table documents a default duration, a body
    // without one reports that default (not the longest clip).
    let mut checked = 0;
    for info in orux_models::catalog::MODELS {
        let Some(orux_models::WireValue::Int(default)) =
            info.field("duration").and_then(|field| field.default)
        else {
            continue;
        };
        let body = info.minimal_body().expect("a minimal body");
        let task = submitted(&mock.submit(body, &[]).await);
        let done = status_of(&mock, &task.task_id).await;
        assert_eq!(done.duration_sec, Some(default as f64), "{}", info.id);
        checked += 1;
    }
    assert!(checked > 0, "some model documents a default duration");
    // sora2 by name: the docs' default is 5, its longest clip 10.
    let sora = r#"{"model":"sora2","prompt":"A paper boat"}"#;
    let task = submitted(&mock.submit(sora, &[]).await);
    assert_eq!(
        status_of(&mock, &task.task_id).await.duration_sec,
        Some(5.0)
    );
}

#[tokio::test]
async fn an_invalid_body_gets_every_error() {
    let mock = start(Config::default()).await;
    let body = r#"{"model":"sora2","prompt":"","duration":8,"resolution":"4k"}"#;
    let answer = mock.submit(body, &[]).await;
    assert_eq!((answer.status, error_code(&answer)), (400, "invalid_param"));
    let paths: Vec<&str> = answer.json["error"]["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            assert_eq!(e["code"], "invalid_param");
            assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
            e["path"].as_str().expect("path")
        })
        .collect();
    assert_eq!(paths, ["/prompt", "/duration", "/resolution"]);
}

#[tokio::test]
async fn auth_is_bearer_with_an_app_key_or_the_configured_one() {
    let mock = start(Config::default()).await;
    let url = format!("{}/api/v1/tasks", mock.base);
    let post = |key: Option<&str>| {
        let request = mock
            .http
            .post(&url)
            .header("content-type", "application/json")
            .body(SORA);
        match key {
            Some(key) => request.header("authorization", key),
            None => request,
        }
    };
    for key in [
        None,
        Some("Bearer sk-live-1"),
        Some("Bearer sk-app-"),
        Some("sk-app-1"),
    ] {
        let answer = common::answer(post(key).send().await.unwrap()).await;
        assert_eq!(
            (answer.status, error_code(&answer)),
            (401, "unauthorized"),
            "{key:?}"
        );
    }
    let answer = common::answer(post(Some("Bearer sk-app-anything")).send().await.unwrap()).await;
    assert_eq!(answer.status, 200);
    // GET needs a key too.
    let task = answer.json["task_id"].as_str().unwrap().to_owned();
    let get = mock.http.get(format!("{url}/{task}")).send().await.unwrap();
    assert_eq!(get.status(), 401);

    let exact = start(Config {
        api_key: Some("secret-key-1".to_owned()),
        ..Config::default()
    })
    .await;
    let url = format!("{}/api/v1/tasks", exact.base);
    for (key, status) in [
        ("Bearer secret-key-1", 200),
        ("Bearer sk-app-1", 401),
        ("Bearer secret-key-2", 401),
    ] {
        let response = exact
            .http
            .post(&url)
            .header("authorization", key)
            .header("content-type", "application/json")
            .body(SORA)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{key}");
        let text = response.text().await.unwrap();
        assert!(
            !text.contains("secret-key"),
            "the key is never echoed: {text}"
        );
    }
}

#[tokio::test]
async fn only_json_is_accepted() {
    let mock = start(Config::default()).await;
    let url = format!("{}/api/v1/tasks", mock.base);
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/jsonx"),
        Some("multipart/form-data"),
    ] {
        let mut request = mock.http.post(&url).bearer_auth(common::KEY).body(SORA);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let answer = common::answer(request.send().await.unwrap()).await;
        assert_eq!(
            (answer.status, error_code(&answer)),
            (415, "unsupported_media_type"),
            "{content_type:?}"
        );
    }
    let answer = mock
        .submit(SORA, &[("content-type", "Application/JSON; charset=utf-8")])
        .await;
    assert_eq!(answer.status, 200, "{answer:?}");
}

/// Sends a raw request head (and optional body bytes) and returns the first
/// line of the answer, without waiting for the request to be complete.
async fn raw_status_line(mock: &Mock, head: &str, body: &[u8]) -> String {
    let mut stream = tokio::net::TcpStream::connect(mock.server.local_addr())
        .await
        .unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    // The server may stop reading (and answer) before all of it is written.
    let _ = stream.write_all(body).await;
    let mut answer = vec![0; 512];
    let read = tokio::time::timeout(Duration::from_secs(20), stream.read(&mut answer))
        .await
        .expect("an answer while the request is still open")
        .unwrap();
    String::from_utf8_lossy(&answer[..read])
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_without_reading_it_all() {
    let mock = start(Config::default()).await;
    let limit = orux_models::Limits::default().max_body_bytes;
    let head = |length: &str| {
        format!(
            "POST /api/v1/tasks HTTP/1.1\r\nhost: x\r\nauthorization: Bearer sk-app-1\r\n\
             content-type: application/json\r\n{length}\r\n"
        )
    };
    // Declared too large: refused before a byte of the body is sent.
    let line = raw_status_line(
        &mock,
        &head(&format!("content-length: {}\r\n", limit + 1)),
        b"",
    )
    .await;
    assert!(line.starts_with("HTTP/1.1 413"), "{line}");
    // Chunked, no length: refused once the limit is passed, while the chunk
    // (and the request) is still unfinished.
    let chunk = format!("{:x}\r\n", limit + 2);
    let mut body = chunk.into_bytes();
    body.extend(std::iter::repeat_n(b' ', limit + 1));
    let line = raw_status_line(&mock, &head("transfer-encoding: chunked\r\n"), &body).await;
    assert!(line.starts_with("HTTP/1.1 413"), "{line}");
    // At the limit exactly, the body is read and validated (and is invalid: spaces only).
    let at_limit = vec![b' '; limit];
    let answer = mock.submit(at_limit, &[]).await;
    assert_eq!((answer.status, error_code(&answer)), (400, "invalid_param"));
}

#[tokio::test]
async fn unknown_routes_tasks_and_methods_answer_json() {
    let mock = start(Config::default()).await;
    let base = &mock.base;
    for path in ["/", "/api/v1", "/api/v2/tasks", "/api/v1/tasks/a/b"] {
        let answer =
            common::answer(mock.http.get(format!("{base}{path}")).send().await.unwrap()).await;
        assert_eq!(
            (answer.status, error_code(&answer)),
            (404, "not_found"),
            "{path}"
        );
    }
    for id in [
        "task_01HZX0000000000000000000",
        "nope",
        "task_",
        "task_01hzx0000000000000000000",
    ] {
        let answer = mock.status(id).await;
        assert_eq!(
            (answer.status, error_code(&answer)),
            (404, "not_found"),
            "{id}"
        );
    }
    let wrong = common::answer(
        mock.http
            .delete(format!("{base}/api/v1/tasks"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (wrong.status, error_code(&wrong)),
        (405, "method_not_allowed")
    );
    assert_eq!(
        wrong.headers.get("allow").map(|v| v.to_str().unwrap()),
        Some("POST")
    );
    let wrong = common::answer(
        mock.http
            .post(format!("{base}/api/v1/tasks/task_1"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (wrong.status, error_code(&wrong)),
        (405, "method_not_allowed")
    );
}

#[tokio::test]
async fn idempotency_keys_replay_conflict_and_expire() {
    let mock = start(Config::default()).await;
    let key = [("idempotency-key", "5b1d8c1e-7a0e-4d5b-9a57-0c1f0e2b9a11")];
    let first = mock.submit(SORA, &key).await;
    assert_eq!(first.headers.get("idempotent-replayed"), None);
    mock.clock.advance(Duration::from_secs(60));
    let again = mock.submit(SORA, &key).await;
    assert_eq!(again.json, first.json, "the first task, as first answered");
    assert_eq!(again.headers.get("idempotent-replayed").unwrap(), "true");
    let other = mock
        .submit(r#"{"model":"sora2","prompt":"Another boat"}"#, &key)
        .await;
    assert_eq!(
        (other.status, error_code(&other)),
        (409, "idempotency_conflict")
    );
    // An invalid body is rejected as such and does not take the key.
    let fresh = [("idempotency-key", "fresh")];
    let invalid = mock.submit(r#"{"model":"sora2"}"#, &fresh).await;
    assert_eq!(invalid.status, 400);
    assert_eq!(mock.submit(SORA, &fresh).await.status, 200);
    // Without a key, the same body makes a new task each time.
    let a = submitted(&mock.submit(SORA, &[]).await);
    let b = submitted(&mock.submit(SORA, &[]).await);
    assert_ne!(a.task_id, b.task_id);
    // After 24 hours the key is new again.
    mock.clock.advance(orux_mock::KEY_TTL);
    let later = submitted(
        &mock
            .submit(r#"{"model":"sora2","prompt":"Another boat"}"#, &key)
            .await,
    );
    assert_ne!(serde_json::to_value(&later).unwrap(), first.json);
    for bad in ["", "has space", &"k".repeat(256)] {
        let answer = mock.submit(SORA, &[("idempotency-key", bad)]).await;
        assert_eq!(
            (answer.status, error_code(&answer)),
            (400, "invalid_param"),
            "{bad:?}"
        );
    }
}

#[tokio::test]
async fn past_max_tasks_the_oldest_terminal_tasks_are_forgotten() {
    let mock = start(Config {
        max_tasks: 3,
        task_duration: Duration::from_secs(5),
        ..Config::default()
    })
    .await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(submitted(&mock.submit(SORA, &[]).await).task_id);
        mock.clock.advance(Duration::from_secs(2));
    }
    // Now the first is terminal (6 s old), the others are not.
    assert_eq!(status_of(&mock, &ids[0]).await.status, TaskStatus::Success);
    ids.push(submitted(&mock.submit(SORA, &[]).await).task_id);
    let gone = mock.status(&ids[0]).await;
    assert_eq!((gone.status, error_code(&gone)), (404, "not_found"));
    for id in &ids[1..] {
        assert_eq!(mock.status(id).await.status, 200, "{id}");
    }
    // Memory stays bounded: ten more, and only the last three are kept.
    for _ in 0..10 {
        ids.push(submitted(&mock.submit(SORA, &[]).await).task_id);
    }
    let kept = {
        let mut kept = 0;
        for id in &ids {
            kept += usize::from(mock.status(id).await.status == 200);
        }
        kept
    };
    assert_eq!(kept, 3);
    for id in &ids[ids.len() - 3..] {
        assert_eq!(mock.status(id).await.status, 200, "{id}");
    }
}

#[tokio::test]
async fn faults_fail_requests_the_way_networks_do() {
    let mock = start(Config::default()).await;
    let answer = mock.submit(SORA, &[("x-orux-mock-fault", "500")]).await;
    assert_eq!((answer.status, error_code(&answer)), (500, "internal"));
    let answer = mock
        .submit(SORA, &[("x-orux-mock-fault", "503; retry-after=3")])
        .await;
    assert_eq!((answer.status, error_code(&answer)), (503, "internal"));
    assert_eq!(answer.headers.get("retry-after").unwrap(), "3");
    let answer = mock.submit(SORA, &[("x-orux-mock-fault", "429")]).await;
    assert_eq!((answer.status, error_code(&answer)), (429, "rate_limited"));
    assert_eq!(answer.headers.get("retry-after").unwrap(), "1");
    let answer = mock.status("task_x").await;
    assert_eq!(answer.status, 404, "no fault without the header");
    let answer = mock.submit(SORA, &[("x-orux-mock-fault", "teapot")]).await;
    assert_eq!((answer.status, error_code(&answer)), (400, "invalid_param"));
    assert!(
        answer.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("x-orux-mock-fault")
    );

    // reset: the task is created, but the answer never comes.
    let key = [
        ("x-orux-mock-fault", "reset"),
        ("idempotency-key", "reset-1"),
    ];
    let mut request = mock
        .http
        .post(format!("{}/api/v1/tasks", mock.base))
        .bearer_auth(common::KEY)
        .header("content-type", "application/json")
        .body(SORA);
    for (name, value) in key {
        request = request.header(name, value);
    }
    let error = request.send().await.expect_err("no answer");
    assert!(!error.is_timeout(), "{error}");
    let replay = mock.submit(SORA, &[("idempotency-key", "reset-1")]).await;
    assert_eq!(
        replay.headers.get("idempotent-replayed").unwrap(),
        "true",
        "it was created"
    );

    // slow: the answer is held back.
    let quick = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = quick
        .post(format!("{}/api/v1/tasks", mock.base))
        .bearer_auth(common::KEY)
        .header("content-type", "application/json")
        .header("x-orux-mock-fault", "slow; seconds=5")
        .body(SORA)
        .send()
        .await
        .expect_err("too slow");
    assert!(error.is_timeout(), "{error}");
}

#[tokio::test]
async fn shutdown_is_graceful_and_frees_the_port() {
    let mock = start(Config::default()).await;
    let addr = mock.server.local_addr();
    assert_eq!(mock.submit(SORA, &[]).await.status, 200);
    tokio::time::timeout(Duration::from_secs(15), mock.server.shutdown())
        .await
        .expect("stops in time");
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "no longer listening"
    );
}
