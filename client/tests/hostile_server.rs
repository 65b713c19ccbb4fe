//! The client against a hostile server: redirects of every kind, answers
//! that lie (an empty task id, another task's status, an id that climbs
//! the path), drips, silence and rate limits under a deadline, and inputs
//! that used to panic. Every case counts the POSTs that reached the server:
//! a paid submission is never sent twice, and never sent anywhere else.

mod support;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use orux_client::clock::Clock;
use orux_client::redirect::MAX_REDIRECTS;
use orux_client::{Client, Error, TaskStatus, WaitOptions};
use support::{KEY, Reply, SUBMITTED, Server, client, status};
use tokio::time::Instant;

const BODY: &[u8] = br#"{"model": "sora2", "prompt": "A paper boat"}"#;

fn redirect(code: u16, location: &str) -> Reply {
    Reply::With(code, vec![("location", location.to_owned())], Vec::new())
}

/// A server that must never be reached: it answers like the API would, so a
/// client that went there would take its answer.
async fn elsewhere() -> Server {
    Server::start(|seen, _| match seen.method.as_str() {
        "POST" => Reply::json(200, SUBMITTED),
        _ => Reply::json(200, &status("task_01JABC", "success")),
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn a_redirected_submission_is_an_error_and_nothing_is_resent() {
    let other = elsewhere().await;
    for code in [301, 302, 303, 307, 308] {
        for target in [
            format!("{}/api/v1/tasks", other.base_url),
            "/api/v1/tasks".to_owned(),
            "https://orux.example/api/v1/tasks".to_owned(),
        ] {
            let location = target.clone();
            let server = Server::start(move |_, _| redirect(code, &location)).await;
            let outcome = client(&server).submit_json(BODY).await;
            let Err(Error::Redirected {
                status, location, ..
            }) = &outcome
            else {
                panic!("{code} to {target}: {outcome:?}");
            };
            assert_eq!(*status, code);
            assert_eq!(location.as_deref(), Some(target.as_str()));
            let shown = outcome.as_ref().unwrap_err().to_string();
            assert!(
                shown.contains(&target) && shown.contains("nothing was re-sent"),
                "{shown}"
            );
            assert_eq!(server.count("POST"), 1, "{code} to {target}");
            assert_eq!(server.count("GET"), 0, "{code} to {target}");
        }
    }
    assert_eq!(other.seen().len(), 0, "nothing reached the other server");
}

#[tokio::test(start_paused = true)]
async fn a_redirect_loop_on_submit_costs_one_post() {
    let server = Server::start(|_, _| redirect(307, "/api/v1/tasks")).await;
    let outcome = submit_and_watch(&server, Duration::from_secs(60)).await;
    assert!(
        matches!(outcome, Err(Error::Redirected { status: 307, .. })),
        "{outcome:?}"
    );
    assert_eq!(server.count("POST"), 1);
}

async fn submit_and_watch(server: &Server, deadline: Duration) -> Result<String, Error> {
    client(server)
        .submit_json_and_watch(BODY, &WaitOptions::with_deadline(deadline))
        .await
        .map(|watch| watch.task_id().to_owned())
}

#[tokio::test(start_paused = true)]
async fn a_status_request_follows_loopback_redirects_and_keeps_the_key_home() {
    let other = elsewhere().await;
    let to_other = format!("{}/moved/task_01JABC", other.base_url);
    let server = Server::start(move |seen, _| match seen.path.as_str() {
        "/api/v1/tasks/task_01JABC" => redirect(302, "/same-origin/task_01JABC"),
        "/same-origin/task_01JABC" => redirect(307, &to_other),
        _ => Reply::json(404, "{}"),
    })
    .await;
    let done = client(&server).get("task_01JABC").await.expect("followed");
    assert_eq!(done.status, TaskStatus::Success);
    let home = server.seen();
    assert_eq!(home.len(), 2);
    let bearer = format!("Bearer {KEY}");
    assert!(
        home.iter()
            .all(|s| s.headers.get("authorization") == Some(&bearer)),
        "the key goes along on the API's own origin"
    );
    let away = other.seen();
    assert_eq!(away.len(), 1);
    assert_eq!(away[0].path, "/moved/task_01JABC");
    assert_eq!(
        away[0].headers.get("authorization"),
        None,
        "the key never goes to another origin"
    );
}

#[tokio::test(start_paused = true)]
async fn status_redirects_stop_after_a_few_hops_and_never_go_to_plain_http_elsewhere() {
    let server = Server::start(|_, n| redirect(308, &format!("/hop/{n}"))).await;
    let outcome = client(&server).get("task_01JABC").await;
    assert!(
        matches!(&outcome, Err(Error::Redirected { reason, .. }) if reason.contains("too many")),
        "{outcome:?}"
    );
    assert_eq!(server.count("GET"), 1 + MAX_REDIRECTS);

    for refused in [
        "http://10.0.0.1/api/v1/tasks/task_01JABC",
        "http://localhost.example/x",
        "ftp://127.0.0.1/x",
        "javascript:alert(1)",
    ] {
        let location = refused.to_owned();
        let server = Server::start(move |_, _| redirect(302, &location)).await;
        let outcome = client(&server).get("task_01JABC").await;
        assert!(
            matches!(&outcome, Err(Error::Redirected { location: Some(l), .. }) if l == refused),
            "{refused}: {outcome:?}"
        );
        assert_eq!(server.count("GET"), 1, "{refused}: not retried");
    }
}

#[tokio::test(start_paused = true)]
async fn answers_that_lie_are_invalid_responses() {
    let empty_id = r#"{"task_id":"","status":"queued","submit_time":"2026-06-04T22:00:00"}"#;
    let climbing = r#"{"task_id":"..","status":"queued","submit_time":"2026-06-04T22:00:00"}"#;
    for answer in [empty_id, climbing] {
        let server = Server::start(move |_, _| Reply::json(200, answer)).await;
        let outcome = client(&server).submit_json(BODY).await;
        let Err(Error::InvalidResponse { reason, .. }) = &outcome else {
            panic!("{answer}: {outcome:?}");
        };
        assert!(reason.contains("Idempotency-Key"), "{reason}");
        assert_eq!(server.count("POST"), 1);
    }

    // A status for another task is not ours.
    let server = Server::start(|_, _| Reply::json(200, &status("task_OTHER", "success"))).await;
    let outcome = client(&server).get("task_01JABC").await;
    assert!(
        matches!(&outcome, Err(Error::InvalidResponse { reason, .. }) if reason.contains("task_OTHER")),
        "{outcome:?}"
    );
    assert_eq!(server.count("GET"), 1);
}

/// The issue's measurements: each must end by the deadline, on tokio's
/// clock (paused: nothing sleeps for real).
#[tokio::test(start_paused = true)]
async fn the_deadline_bounds_the_submission_under_every_fault() {
    let deadline = Duration::from_secs(5);
    // A server that drips one byte a second (30 s request timeout).
    let server = Server::start(|_, _| Reply::Drip(Duration::from_secs(1))).await;
    let started = Instant::now();
    let outcome = submit_and_watch(&server, deadline).await;
    assert!(
        matches!(outcome, Err(Error::SubmitOutcomeUnknown { .. })),
        "{outcome:?}"
    );
    assert!(started.elapsed() <= deadline, "{:?}", started.elapsed());
    assert_eq!(server.count("POST"), 1);

    // 429 with Retry-After: 3 and 2 s to go: no wait that cannot fit.
    let server =
        Server::start(|_, _| Reply::With(429, vec![("retry-after", "3".to_owned())], Vec::new()))
            .await;
    let started = Instant::now();
    let outcome = submit_and_watch(&server, Duration::from_secs(2)).await;
    assert!(
        matches!(outcome, Err(Error::RateLimited { .. })),
        "{outcome:?}"
    );
    assert!(started.elapsed() <= Duration::from_secs(2));
    assert_eq!(server.count("POST"), 1);

    // Connection refused, 2 s: the backoff stops before the deadline.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let refused = Client::builder(KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .build()
        .expect("a client");
    let started = Instant::now();
    let outcome = refused
        .submit_json_and_watch(BODY, &WaitOptions::with_deadline(Duration::from_secs(2)))
        .await;
    assert!(matches!(outcome, Err(Error::Transport(_))), "{outcome:?}");
    assert!(started.elapsed() <= Duration::from_secs(2));

    // Silence: the POST is cut at the deadline, not at the 30 s timeout.
    let server = Server::start(|_, _| Reply::Silence).await;
    let started = Instant::now();
    let outcome = submit_and_watch(&server, Duration::from_secs(3)).await;
    let Err(Error::SubmitOutcomeUnknown { reason, .. }) = &outcome else {
        panic!("{outcome:?}");
    };
    assert!(reason.contains("deadline"), "{reason}");
    assert_eq!(started.elapsed(), Duration::from_secs(3));
    assert_eq!(server.count("POST"), 1);
}

#[tokio::test(start_paused = true)]
async fn the_deadline_bounds_the_polls_under_every_fault() {
    for (name, reply) in [
        (
            "drip",
            (|| Reply::Drip(Duration::from_secs(1))) as fn() -> Reply,
        ),
        ("silence", || Reply::Silence),
        ("429", || {
            Reply::With(429, vec![("retry-after", "100".to_owned())], Vec::new())
        }),
        ("reset", || Reply::Reset),
        ("500", || Reply::json(500, "{}")),
    ] {
        let server = Server::start(move |seen, _| match seen.method.as_str() {
            "POST" => Reply::json(200, SUBMITTED),
            _ => reply(),
        })
        .await;
        let started = Instant::now();
        let deadline = Duration::from_secs(4);
        let watch = client(&server)
            .submit_json_and_watch(BODY, &WaitOptions::with_deadline(deadline))
            .await
            .expect("submitted");
        assert_eq!(
            watch.task_id(),
            "task_01JABC",
            "{name}: the id is known at once"
        );
        let mut watch = watch;
        let mut last = None;
        while let Some(outcome) = watch.next().await {
            last = Some(outcome);
        }
        assert!(
            matches!(last, Some(Err(Error::DeadlinePassed { .. }))),
            "{name}: {last:?}"
        );
        let took = started.elapsed();
        assert!(took <= deadline, "{name}: {took:?}");
        assert_eq!(server.count("POST"), 1, "{name}");
    }
}

#[tokio::test(start_paused = true)]
async fn impossible_deadlines_and_timeouts_saturate_instead_of_panicking() {
    let server = Server::start(|seen, _| match seen.method.as_str() {
        "POST" => Reply::json(200, SUBMITTED),
        _ => Reply::json(200, &status("task_01JABC", "success")),
    })
    .await;
    let client = Client::builder(KEY)
        .base_url(&server.base_url)
        .request_timeout(Duration::MAX)
        .build()
        .expect("any timeout is accepted");
    for deadline in [Duration::MAX, Duration::from_secs(u64::MAX), Duration::ZERO] {
        let options = WaitOptions::with_deadline(deadline);
        let outcome = client.wait("task_01JABC", &options).await;
        if deadline.is_zero() {
            assert!(
                matches!(outcome, Err(Error::DeadlinePassed { .. })),
                "{outcome:?}"
            );
        } else {
            assert_eq!(outcome.expect("done").status, TaskStatus::Success);
        }
    }
    let request = orux_models::TaskRequest::from(orux_models::Sora2Request::new("A boat"));
    let options = WaitOptions::with_deadline(Duration::MAX);
    let done = client
        .submit_and_wait(&request, &options)
        .await
        .expect("done");
    assert_eq!(done.status, TaskStatus::Success);
    assert_eq!(server.count("POST"), 1);
}

/// A wall clock stopped at a known time.
#[derive(Debug)]
struct Fixed(SystemTime);

impl Clock for Fixed {
    fn now(&self) -> SystemTime {
        self.0
    }
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_date_is_read_against_the_injected_clock() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_610_400);
    let later = httpdate::fmt_http_date(now + Duration::from_secs(9));
    let server = Server::start(move |seen, n| match (seen.method.as_str(), n) {
        ("GET", 0) => Reply::With(503, vec![("retry-after", later.clone())], Vec::new()),
        _ => Reply::json(200, &status("task_01JABC", "running")),
    })
    .await;
    let client = Client::builder(KEY)
        .base_url(&server.base_url)
        .clock(Arc::new(Fixed(now)))
        .build()
        .expect("a client");
    client.get("task_01JABC").await.expect("the retry answers");
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].at - seen[0].at, Duration::from_secs(9));
}
