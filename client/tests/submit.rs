//! Submitting against a loopback server: the happy path, every error the API
//! can answer with, and how many POSTs each fault costs.

mod support;

use std::time::Duration;

use orux_client::{Client, Error, TaskStatus};
use support::{KEY, Reply, SUBMITTED, Server, client};

const BODY: &[u8] = br#"{"model": "sora2", "prompt": "A paper boat", "duration": 10}"#;

#[tokio::test(start_paused = true)]
async fn submit_sends_the_body_as_written_with_auth_and_an_idempotency_key() {
    let server = Server::start(|_, _| Reply::json(200, SUBMITTED)).await;
    let submitted = client(&server).submit_json(BODY).await.expect("accepted");
    assert_eq!(submitted.task_id, "task_01JABC");
    assert_eq!(submitted.status, TaskStatus::Queued);
    assert_eq!(submitted.submit_time, "2026-06-04T22:00:00");

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let post = &seen[0];
    assert_eq!(
        (post.method.as_str(), post.path.as_str()),
        ("POST", "/api/v1/tasks")
    );
    assert_eq!(post.body, BODY);
    assert_eq!(post.headers["authorization"], format!("Bearer {KEY}"));
    assert_eq!(post.headers["content-type"], "application/json");
    let key = uuid::Uuid::parse_str(&post.headers["idempotency-key"]).expect("a uuid");
    assert_eq!(key.get_version_num(), 4);
    assert!(post.headers["user-agent"].starts_with("orux-client/"));
}

#[tokio::test(start_paused = true)]
async fn a_typed_request_is_serialized_and_each_submission_has_its_own_key() {
    let server = Server::start(|_, _| Reply::json(201, SUBMITTED)).await;
    let request = orux_models::TaskRequest::from(orux_models::Sora2Request::new("A paper boat"));
    let client = client(&server);
    client.submit(&request).await.expect("accepted");
    client.submit(&request).await.expect("accepted");
    let seen = server.seen();
    assert_eq!(
        seen[0].body,
        br#"{"model":"sora2","prompt":"A paper boat"}"#
    );
    assert_ne!(
        seen[0].headers["idempotency-key"],
        seen[1].headers["idempotency-key"]
    );
}

#[tokio::test(start_paused = true)]
async fn an_invalid_body_is_every_error_and_sends_nothing() {
    let server = Server::start(|_, _| Reply::json(200, SUBMITTED)).await;
    let body = br#"{"model": "sora2", "prompt": "", "duration": 8}"#;
    let Err(Error::Invalid(invalid)) = client(&server).submit_json(body).await else {
        panic!("expected Invalid");
    };
    let paths: Vec<&str> = invalid.errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["/prompt", "/duration"]);
    assert_eq!(server.seen().len(), 0);
}

#[tokio::test(start_paused = true)]
async fn rejected_bodies_keep_every_listed_error_in_each_shape() {
    let nested = r#"{"error":{"code":"invalid_param","message":"2 problems","errors":[
        {"code":"invalid_param","path":"/duration","message":"bad duration"},
        {"code":"invalid_param","path":"/prompt","message":"empty"}]}}"#;
    let top_errors =
        r#"{"errors":[{"code":"invalid_param","path":"/duration","message":"bad duration"}]}"#;
    let flat = r#"{"code":"idempotency_conflict","message":"key reused with another body"}"#;
    let cases = [
        (
            400,
            nested,
            Some("invalid_param"),
            Some("2 problems"),
            vec!["/duration", "/prompt"],
        ),
        (422, top_errors, None, None, vec!["/duration"]),
        (
            409,
            flat,
            Some("idempotency_conflict"),
            Some("key reused with another body"),
            vec![],
        ),
        (413, "<html>too big</html>", None, None, vec![]),
        (415, "", None, None, vec![]),
    ];
    for (status, body, want_code, want_message, want_paths) in cases {
        let server = Server::start(move |_, _| Reply::json(status, body)).await;
        let outcome = client(&server).submit_json(BODY).await;
        let Err(Error::Rejected {
            status: got,
            code,
            message,
            errors,
            raw,
        }) = outcome
        else {
            panic!("{status}: expected Rejected, got {outcome:?}");
        };
        assert_eq!(got, status);
        assert_eq!(code.as_deref(), want_code, "{status}");
        assert_eq!(message.as_deref(), want_message, "{status}");
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, want_paths, "{status}");
        assert_eq!(raw, body);
        assert_eq!(
            server.count("POST"),
            1,
            "{status}: a refusal is not retried"
        );
    }
}

/// Whether `text` holds a character that could drive a terminal (its own
/// line breaks aside).
fn has_unsafe(text: &str) -> bool {
    text.chars()
        .any(|c| c != '\n' && orux_models::display::is_unsafe(c))
}

#[tokio::test(start_paused = true)]
async fn text_from_the_server_is_kept_exactly_and_shown_escaped() {
    let hostile = r#"{"error":{"code":"bad\u001b[2J","message":"clear\u001b]0;owned\u0007\u202e",
        "errors":[{"code":"invalid_param","path":"/a\u001b[31m","message":"no\u0085"}]}}"#;
    let server = Server::start(move |_, _| Reply::json(400, hostile)).await;
    let error = client(&server).submit_json(BODY).await.unwrap_err();
    let shown = error.to_string();
    let Error::Rejected {
        code,
        message,
        errors,
        ..
    } = &error
    else {
        panic!("expected Rejected, got {error:?}");
    };
    // The fields are what the server sent; `Display` escapes them.
    assert_eq!(code.as_deref(), Some("bad\u{1b}[2J"));
    assert_eq!(message.as_deref(), Some("clear\u{1b}]0;owned\u{7}\u{202e}"));
    assert_eq!(errors[0].path, "/a\u{1b}[31m");
    assert!(!has_unsafe(&shown), "{shown:?}");
    assert_eq!(
        shown,
        "the API rejected the request (400 bad\\u001b[2J): clear\\u001b]0;owned\\u0007\\u202e\n  \
         /a\\u001b[31m: no\\u0085"
    );

    // With no message and no field errors, an excerpt of the raw body.
    let server =
        Server::start(|_, _| Reply::json(413, "<html>\u{1b}[2J too big\u{9b}</html>")).await;
    let shown = client(&server)
        .submit_json(BODY)
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(
        shown,
        "the API rejected the request (413): <html>\\u001b[2J too big\\u009b</html>"
    );
}

#[tokio::test(start_paused = true)]
async fn unauthorized_and_not_found() {
    let server = Server::start(|seen, _| {
        if seen.method == "POST" {
            Reply::json(
                401,
                r#"{"error":{"code":"unauthorized","message":"bad key"}}"#,
            )
        } else {
            Reply::json(404, r#"{"error":{"code":"not_found","message":"no task"}}"#)
        }
    })
    .await;
    let client = client(&server);
    assert!(matches!(
        client.submit_json(BODY).await,
        Err(Error::Unauthorized)
    ));
    assert!(matches!(
        client.get("task_nope").await,
        Err(Error::NotFound)
    ));
    assert_eq!((server.count("POST"), server.count("GET")), (1, 1));
}

async fn unknown_after_one_post(reply: fn() -> Reply, timeout: Duration) {
    let server = Server::start(move |_, _| reply()).await;
    let client = Client::builder(KEY)
        .base_url(&server.base_url)
        .request_timeout(timeout)
        .build()
        .unwrap();
    let outcome = client.submit_json(BODY).await;
    let Err(Error::SubmitOutcomeUnknown {
        idempotency_key,
        reason,
    }) = outcome
    else {
        panic!("expected SubmitOutcomeUnknown, got {outcome:?}");
    };
    let seen = server.seen();
    assert_eq!(
        seen.len(),
        1,
        "an ambiguous POST is never retried ({reason})"
    );
    assert_eq!(seen[0].headers["idempotency-key"], idempotency_key);
}

#[tokio::test(start_paused = true)]
async fn a_5xx_on_submit_is_an_unknown_outcome_after_one_post() {
    unknown_after_one_post(
        || Reply::json(500, r#"{"error":{"code":"internal","message":"oops"}}"#),
        Duration::from_secs(5),
    )
    .await;
    unknown_after_one_post(|| Reply::json(503, ""), Duration::from_secs(5)).await;
}

#[tokio::test(start_paused = true)]
async fn a_reset_after_the_body_is_an_unknown_outcome_after_one_post() {
    unknown_after_one_post(|| Reply::Reset, Duration::from_secs(5)).await;
}

#[tokio::test(start_paused = true)]
async fn a_timeout_on_submit_is_an_unknown_outcome_after_one_post() {
    unknown_after_one_post(|| Reply::Silence, Duration::from_secs(2)).await;
    unknown_after_one_post(
        || Reply::Drip(Duration::from_millis(100)),
        Duration::from_secs(2),
    )
    .await;
}

#[tokio::test(start_paused = true)]
async fn garbage_oversize_or_non_json_success_is_an_unknown_outcome_after_one_post() {
    unknown_after_one_post(
        || Reply::Raw(b"\x00\xffnot http at all\r\n\r\n".to_vec()),
        Duration::from_secs(5),
    )
    .await;
    unknown_after_one_post(
        || Reply::json(200, "{\"task_id\": 5"),
        Duration::from_secs(5),
    )
    .await;
    unknown_after_one_post(
        || {
            Reply::With(
                200,
                vec![("content-type", "text/html".to_owned())],
                b"<html>".to_vec(),
            )
        },
        Duration::from_secs(5),
    )
    .await;
    unknown_after_one_post(
        || Reply::With(200, vec![], vec![b' '; 2 * 1024 * 1024]),
        Duration::from_secs(5),
    )
    .await;
}

#[tokio::test(start_paused = true)]
async fn a_429_is_retried_after_retry_after_with_the_same_key() {
    let server = Server::start(|_, n| {
        if n == 0 {
            Reply::With(
                429,
                vec![("retry-after", "7".to_owned())],
                br#"{"error":{"code":"rate_limited","message":"slow down"}}"#.to_vec(),
            )
        } else {
            Reply::json(200, SUBMITTED)
        }
    })
    .await;
    let submitted = client(&server)
        .submit_json(BODY)
        .await
        .expect("accepted on the retry");
    assert_eq!(submitted.task_id, "task_01JABC");
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[0].headers["idempotency-key"],
        seen[1].headers["idempotency-key"]
    );
    assert_eq!(seen[0].body, seen[1].body);
    let gap = seen[1].at - seen[0].at;
    assert!(
        gap >= Duration::from_secs(7) && gap < Duration::from_secs(8),
        "{gap:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_429_with_an_http_date_or_none_is_retried_then_reported() {
    // An HTTP date in the past means "now"; no header means the backoff.
    let server = Server::start(|_, _| {
        Reply::With(
            429,
            vec![("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT".to_owned())],
            Vec::new(),
        )
    })
    .await;
    let outcome = client(&server).submit_json(BODY).await;
    assert!(
        matches!(outcome, Err(Error::RateLimited { retry_after: Some(d) }) if d == Duration::ZERO),
        "{outcome:?}"
    );
    assert_eq!(server.count("POST"), 5, "one try and four retries");
    let keys: std::collections::HashSet<String> = server
        .seen()
        .iter()
        .map(|s| s.headers["idempotency-key"].clone())
        .collect();
    assert_eq!(keys.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_beyond_120_seconds_is_reported_at_once() {
    let server =
        Server::start(|_, _| Reply::With(429, vec![("retry-after", "600".to_owned())], Vec::new()))
            .await;
    let outcome = client(&server).submit_json(BODY).await;
    assert!(
        matches!(outcome, Err(Error::RateLimited { retry_after: Some(d) }) if d == Duration::from_secs(600)),
        "{outcome:?}"
    );
    assert_eq!(server.count("POST"), 1);
}

#[tokio::test(start_paused = true)]
async fn a_refused_connection_is_retried_then_a_transport_error() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder(KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    let outcome = client.submit_json(BODY).await;
    assert!(matches!(outcome, Err(Error::Transport(_))), "{outcome:?}");
    // Four backoff waits: 0.5 + 1 + 2 + 4 s, ±10%.
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs_f64(6.75) && waited <= Duration::from_secs_f64(8.25),
        "{waited:?}"
    );
    let message = outcome.unwrap_err().to_string();
    assert!(message.contains("could not reach"), "{message}");
}

#[tokio::test(start_paused = true)]
async fn a_chosen_key_is_sent_as_is_and_a_malformed_one_sends_nothing() {
    let server = Server::start(|_, _| Reply::json(200, SUBMITTED)).await;
    let client = client(&server);
    let key = orux_client::new_idempotency_key();
    client
        .submit_json_with_key(BODY, &key)
        .await
        .expect("accepted");
    assert_eq!(server.seen()[0].headers["idempotency-key"], key);
    let too_long = "k".repeat(orux_models::wire::IDEMPOTENCY_KEY_MAX_LEN + 1);
    for bad in ["", "has space", "caf\u{e9}", too_long.as_str()] {
        let outcome = client.submit_json_with_key(BODY, bad).await;
        assert!(
            matches!(outcome, Err(Error::Config(_))),
            "{bad:?}: {outcome:?}"
        );
    }
    assert_eq!(server.count("POST"), 1);
}

#[tokio::test(start_paused = true)]
async fn a_429_told_to_one_submission_holds_every_clone_of_the_client() {
    let server = Server::start(|_, n| {
        if n == 0 {
            Reply::With(429, vec![("retry-after", "3".to_owned())], Vec::new())
        } else {
            Reply::json(200, SUBMITTED)
        }
    })
    .await;
    let first = client(&server);
    let second = first.clone();
    let started = tokio::time::Instant::now();
    let later = tokio::spawn(async move {
        // Starts after the first submission was told to wait.
        tokio::time::sleep(Duration::from_secs(1)).await;
        second.submit_json(BODY).await
    });
    first
        .submit_json(BODY)
        .await
        .expect("accepted on the retry");
    later
        .await
        .expect("the task ends")
        .expect("accepted after the hold");
    let seen = server.seen();
    assert_eq!(seen.len(), 3, "one 429, then each submission once");
    for post in &seen[1..] {
        let at = post.at - started;
        assert!(at >= Duration::from_secs(3), "sent during the hold: {at:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_503_with_retry_after_is_unknown_and_holds_the_next_submissions() {
    let server = Server::start(|_, n| {
        if n == 0 {
            Reply::With(503, vec![("retry-after", "5".to_owned())], Vec::new())
        } else {
            Reply::json(200, SUBMITTED)
        }
    })
    .await;
    let client = client(&server);
    let started = tokio::time::Instant::now();
    let outcome = client.submit_json(BODY).await;
    assert!(
        matches!(outcome, Err(Error::SubmitOutcomeUnknown { .. })),
        "{outcome:?}"
    );
    assert_eq!(
        client.pause().until(),
        Some(started + Duration::from_secs(5))
    );
    client.submit_json(BODY).await.expect("accepted");
    let seen = server.seen();
    assert!(seen[1].at - started >= Duration::from_secs(5));
}
