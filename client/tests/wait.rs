//! Status requests and waiting: retries on GET, the polling schedule, the
//! deadline, unknown states, cancellation, oversize and garbage answers.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use orux_client::{Client, Error, TaskStatus, WaitOptions};
use support::{KEY, Reply, SUBMITTED, Server, client, status};

#[tokio::test(start_paused = true)]
async fn get_reads_a_status_and_sends_only_plain_task_ids() {
    let server = Server::start(|_, _| Reply::json(200, &status("task_1", "Success"))).await;
    let client = client(&server);
    let done = client.get("task_1").await.expect("status");
    assert_eq!(done.status, TaskStatus::Success);
    assert_eq!(done.result_urls, ["https://cdn.example/v.mp4"]);
    assert_eq!(done.duration_sec, Some(8.0));
    assert_eq!(server.seen()[0].path, "/api/v1/tasks/task_1");
    // An id that is not one plain path segment is refused before anything
    // is sent: `..` would climb to /api/v1.
    for bad in ["..", ".", "task/../1?x", "a%2F", "", "t\u{1b}"] {
        let refused = client.get(bad).await;
        assert!(
            matches!(refused, Err(Error::Config(_))),
            "{bad:?}: {refused:?}"
        );
    }
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn get_retries_5xx_and_resets_then_succeeds() {
    let server = Server::start(|_, n| match n {
        0 => Reply::json(500, "{}"),
        1 => Reply::Reset,
        2 => Reply::With(503, vec![("retry-after", "3".to_owned())], Vec::new()),
        _ => Reply::json(200, &status("t", "RUNNING")),
    })
    .await;
    let running = client(&server)
        .get("t")
        .await
        .expect("status after retries");
    assert_eq!(running.status, TaskStatus::Running);
    let seen = server.seen();
    assert_eq!(seen.len(), 4);
    assert!(
        seen[3].at - seen[2].at >= Duration::from_secs(3),
        "Retry-After on 503 obeyed"
    );
}

#[tokio::test(start_paused = true)]
async fn get_gives_up_after_four_retries() {
    let server = Server::start(|_, _| Reply::json(502, "bad gateway")).await;
    let outcome = client(&server).get("t").await;
    assert!(
        matches!(&outcome, Err(Error::Server { status: 502, raw }) if raw == "bad gateway"),
        "{outcome:?}"
    );
    assert_eq!(server.count("GET"), 5);

    let server =
        Server::start(|_, _| Reply::With(429, vec![("retry-after", "2".to_owned())], Vec::new()))
            .await;
    let started = tokio::time::Instant::now();
    let outcome = client(&server).get("t").await;
    assert!(
        matches!(outcome, Err(Error::RateLimited { retry_after: Some(d) }) if d.as_secs() == 2),
        "{outcome:?}"
    );
    assert_eq!(server.count("GET"), 5);
    assert!(started.elapsed() >= Duration::from_secs(8));
}

#[tokio::test(start_paused = true)]
async fn a_dripping_server_is_a_timeout_not_a_hang() {
    let server = Server::start(|_, _| Reply::Drip(Duration::from_millis(50))).await;
    let client = Client::builder(KEY)
        .base_url(&server.base_url)
        .request_timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let outcome = client.get("t").await;
    assert!(matches!(outcome, Err(Error::Timeout)), "{outcome:?}");
    assert_eq!(server.count("GET"), 5);
}

#[tokio::test(start_paused = true)]
async fn oversize_garbage_and_wrong_content_type_are_invalid_responses() {
    type Case = (fn() -> Reply, &'static str);
    let cases: Vec<Case> = vec![
        (
            || Reply::With(200, vec![], vec![b' '; 1024 * 1024 + 1]),
            "over the 1 MiB",
        ),
        (|| Reply::json(200, "not json"), "not the expected JSON"),
        (
            || Reply::json(200, r#"{"status":"running"}"#),
            "missing field `task_id`",
        ),
        (
            || {
                Reply::With(
                    200,
                    vec![("content-type", "text/plain".to_owned())],
                    b"{}".to_vec(),
                )
            },
            "not JSON",
        ),
    ];
    for (reply, want) in cases {
        let server = Server::start(move |_, _| reply()).await;
        let outcome = client(&server).get("t").await;
        let Err(Error::InvalidResponse {
            status: 200,
            reason,
        }) = &outcome
        else {
            panic!("expected InvalidResponse, got {outcome:?}");
        };
        assert!(reason.contains(want), "{reason}");
        assert_eq!(server.count("GET"), 1, "{want}: not retried");
    }
}

#[tokio::test(start_paused = true)]
async fn a_large_error_body_is_kept_to_64_kib() {
    let server = Server::start(|_, _| Reply::With(400, vec![], vec![b'x'; 500 * 1024])).await;
    let outcome = client(&server).get("t").await;
    let Err(Error::Rejected { raw, errors, .. }) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(raw.len(), 64 * 1024);
    assert!(errors.is_empty());
}

/// A server whose task runs for `running_for`, counted from its first GET.
async fn task_server(running_for: Duration, final_status: &'static str) -> Server {
    let started: Arc<std::sync::Mutex<Option<tokio::time::Instant>>> = Arc::default();
    Server::start(move |seen, _| {
        if seen.method == "POST" {
            return Reply::json(200, SUBMITTED);
        }
        let first = *started.lock().unwrap().get_or_insert(seen.at);
        let state = if seen.at - first >= running_for {
            final_status
        } else if seen.at - first >= Duration::from_secs(2) {
            "RUNNING"
        } else {
            "QUEUED"
        };
        Reply::json(200, &status("task_01JABC", state))
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn wait_polls_on_the_schedule_until_the_task_ends() {
    let server = task_server(Duration::from_secs(30), "SUCCESS").await;
    let started = tokio::time::Instant::now();
    let done = client(&server)
        .wait("task_01JABC", &WaitOptions::default())
        .await
        .expect("done");
    assert_eq!(done.status, TaskStatus::Success);
    let gets: Vec<Duration> = server.seen().iter().map(|s| s.at - started).collect();
    // At once, then 1, 1.5, 2.25, … s apart (±10%), capped at 10 s: 8 polls.
    assert_eq!(gets[0], Duration::ZERO);
    assert!((7..=9).contains(&gets.len()), "{gets:?}");
    for pair in gets.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(
            gap >= Duration::from_millis(900) && gap <= Duration::from_secs(11),
            "{gets:?}"
        );
    }
    let last = *gets.last().unwrap();
    assert!(
        last >= Duration::from_secs(30) && last <= Duration::from_secs(41),
        "{gets:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn submit_and_wait_first_polls_one_second_after_submitting() {
    let server = task_server(Duration::from_secs(5), "FAILED").await;
    let request = orux_models::TaskRequest::from(orux_models::Sora2Request::new("A paper boat"));
    let done = client(&server)
        .submit_and_wait(&request, &WaitOptions::default())
        .await
        .expect("ended");
    assert_eq!(
        done.status,
        TaskStatus::Failed,
        "a failed task is an outcome, not an error"
    );
    let seen = server.seen();
    assert_eq!(seen[0].method, "POST");
    let first_poll = seen[1].at - seen[0].at;
    assert!(
        first_poll >= Duration::from_millis(900) && first_poll <= Duration::from_millis(1100),
        "{first_poll:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn watch_yields_each_change_once_then_ends() {
    let server = task_server(Duration::from_secs(12), "EXPIRED").await;
    let client = client(&server);
    let mut watch = client.watch("task_01JABC", &WaitOptions::default());
    let mut changes = Vec::new();
    while let Some(change) = watch.next().await {
        changes.push(change.expect("no error").status);
    }
    assert_eq!(
        changes,
        [TaskStatus::Queued, TaskStatus::Running, TaskStatus::Expired]
    );
    assert_eq!(watch.polls() as usize, server.count("GET"));
    assert!(watch.next().await.is_none());
}

#[tokio::test(start_paused = true)]
async fn the_deadline_ends_a_wait_with_the_last_status() {
    let server = task_server(Duration::from_secs(3600), "SUCCESS").await;
    let started = tokio::time::Instant::now();
    let outcome = client(&server)
        .wait(
            "task_01JABC",
            &WaitOptions::with_deadline(Duration::from_secs(60)),
        )
        .await;
    let Err(Error::DeadlinePassed { last: Some(last) }) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(last.status, TaskStatus::Running);
    assert_eq!(started.elapsed(), Duration::from_secs(60));
    // 0, 1, 2.5, 4.75, 8.1, 13.2, 20.8, 30.8, 40.8, 50.8 s (±10%).
    assert!(
        (9..=11).contains(&server.count("GET")),
        "{}",
        server.count("GET")
    );
}

#[tokio::test(start_paused = true)]
async fn an_unknown_status_keeps_polling_on_the_schedule_until_the_deadline() {
    // Kept as the server wrote it, control characters and all; shown escaped.
    let server = Server::start(|_, _| Reply::json(200, &status("t", r"PAUSED\u001b[2J"))).await;
    let client = client(&server);
    let mut watch = client.watch("t", &WaitOptions::with_deadline(Duration::from_secs(30)));
    let first = watch.next().await.expect("a change").expect("a status");
    assert_eq!(
        first.status,
        TaskStatus::Unknown("PAUSED\u{1b}[2J".to_owned())
    );
    let Some(Err(error @ Error::DeadlinePassed { last: Some(_) })) = watch.next().await else {
        panic!("deadline")
    };
    assert_eq!(
        error.to_string(),
        r"deadline passed; task t was last PAUSED\u001b[2J"
    );
    // No tight loop: the schedule allows 7 or 8 polls in 30 s.
    let gets = server.count("GET");
    assert!((6..=9).contains(&gets), "{gets}");
}

#[tokio::test(start_paused = true)]
async fn dropping_a_wait_stops_all_polling() {
    let polls = Arc::new(AtomicUsize::new(0));
    let counter = polls.clone();
    let server = Server::start(move |_, _| {
        counter.fetch_add(1, Ordering::SeqCst);
        Reply::json(200, &status("t", "RUNNING"))
    })
    .await;
    let client = client(&server);
    let options = WaitOptions::default();
    tokio::select! {
        _ = client.wait("t", &options) => panic!("the task never ends"),
        _ = tokio::time::sleep(Duration::from_secs(10)) => {}
    }
    let at_drop = polls.load(Ordering::SeqCst);
    assert!(at_drop >= 4, "{at_drop}");
    tokio::time::sleep(Duration::from_secs(600)).await;
    assert_eq!(
        polls.load(Ordering::SeqCst),
        at_drop,
        "nothing polls after the drop"
    );
}

#[tokio::test(start_paused = true)]
async fn a_not_found_task_ends_the_wait_at_once() {
    let server =
        Server::start(|_, _| Reply::json(404, r#"{"error":{"code":"not_found","message":"no"}}"#))
            .await;
    let outcome = client(&server).wait("t", &WaitOptions::default()).await;
    assert!(matches!(outcome, Err(Error::NotFound)), "{outcome:?}");
    assert_eq!(server.count("GET"), 1);
}
