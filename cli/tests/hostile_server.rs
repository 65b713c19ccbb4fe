//! `orux submit`, `status` and `wait` against a stub of the API that
//! misbehaves: redirects, answers that lie, hostile text; and the CLI's own
//! edges: impossible timeouts, task ids that would leave their path segment,
//! a wait interrupted by a signal. Every case counts the POSTs that reached
//! the stub.

mod support;

use serde_json::{Value, json};
use support::stub::{Reply, Server};
use support::{code, stderr, stdout};

const BODY: &str = r#"{"model": "sora2", "prompt": "A paper boat"}"#;
const SUBMITTED: &str =
    r#"{"task_id":"task_01JABC","status":"QUEUED","submit_time":"2026-06-04T22:00:00"}"#;
const RUNNING: &str = r#"{"task_id":"task_01JABC","status":"RUNNING"}"#;
const DONE: &str = r#"{"task_id":"task_01JABC","status":"SUCCESS","result_urls":["https://cdn.example/v.mp4"],"duration_sec":8}"#;

/// Whether standard output holds a character a terminal would obey, apart
/// from the newline that ends each object.
fn has_raw_controls(output: &std::process::Output) -> bool {
    stdout(output)
        .chars()
        .any(|c| c != '\n' && orux_models::display::is_unsafe(c))
}

fn json_out(output: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(output)).unwrap_or_else(|e| panic!("{e}: {}", stdout(output)))
}

/// A stub that creates `task_01JABC` and then reports `status`.
fn api(status: &'static str) -> Server {
    Server::start(move |method, _| match method {
        "POST" => (200, SUBMITTED.to_owned()),
        _ => (200, status.to_owned()),
    })
}

#[test]
fn a_task_id_that_is_not_one_path_segment_is_refused_before_sending() {
    let server = api(DONE);
    for id in ["..", ".", "a/b", "../tasks", "task_1?x=1", "t#f", "%2e%2e"] {
        for command in ["status", "wait"] {
            let output = server.run(&[command, id, "--format", "json"], "");
            assert_eq!(code(&output), 2, "{command} {id}: {}", stdout(&output));
            let error = &json_out(&output)["error"];
            assert_eq!(error["code"], "usage");
            let message = error["message"].as_str().unwrap_or_default();
            assert!(message.contains("plain path segment"), "{message}");
            assert_eq!(error.get("resume"), None, "no task to resume");
        }
    }
    assert_eq!(server.requests(), Vec::<String>::new(), "nothing was sent");
}

#[test]
fn answers_that_lie_are_invalid_responses() {
    let empty = Server::start(|_, _| {
        (
            200,
            r#"{"task_id":"","status":"queued","submit_time":"2026-06-04T22:00:00"}"#.to_owned(),
        )
    });
    for args in [
        &["submit", "--format", "json"][..],
        &["submit", "--wait", "--format", "json"],
    ] {
        let output = empty.run(args, BODY);
        assert_eq!(code(&output), 3, "{args:?}: not a usage error");
        assert_eq!(json_out(&output)["error"]["code"], "invalid_response");
    }
    assert_eq!((empty.count("POST"), empty.count("GET")), (2, 0));

    let other = api(r#"{"task_id":"task_OTHER","status":"SUCCESS"}"#);
    let output = other.run(&["status", "task_01JABC", "--format", "json"], "");
    assert_eq!(code(&output), 3);
    let error = &json_out(&output)["error"];
    assert_eq!(error["code"], "invalid_response");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("task_OTHER")
    );
}

#[test]
fn a_redirected_submission_says_where_and_resends_nothing() {
    let elsewhere = api(DONE);
    let location = format!("{}/api/v1/tasks", elsewhere.url);
    let target = location.clone();
    let server = Server::start_with(move |_, _| Reply {
        status: 307,
        headers: vec![("location", target.clone())],
        body: String::new(),
    });
    let output = server.run(&["submit", "--wait", "--format", "json"], BODY);
    assert_eq!(code(&output), 3);
    let error = &json_out(&output)["error"];
    assert_eq!(error["code"], "redirected");
    assert_eq!(error["location"], location.as_str());
    assert_eq!(error["status"], 307);
    let output = server.run(&["submit"], BODY);
    assert_eq!(code(&output), 3);
    let said = stderr(&output);
    assert!(
        said.contains(&location) && said.contains("nothing was re-sent"),
        "{said}"
    );
    assert_eq!(server.count("POST"), 2, "one per run");
    assert_eq!(elsewhere.requests(), Vec::<String>::new());
}

#[test]
fn an_error_after_the_task_exists_names_it_and_how_to_resume() {
    // The task is created, then every status request fails.
    let server = Server::start(|method, _| match method {
        "POST" => (200, SUBMITTED.to_owned()),
        _ => (
            401,
            r#"{"error":{"code":"unauthorized","message":"key revoked"}}"#.to_owned(),
        ),
    });
    let output = server.run(&["submit", "--wait", "--format", "json"], BODY);
    assert_eq!(code(&output), 3);
    let error = &json_out(&output)["error"];
    assert_eq!(error["code"], "unauthorized");
    assert_eq!(error["task_id"], "task_01JABC");
    let resume = format!(
        "orux wait task_01JABC --base-url {} --format json",
        server.url
    );
    assert_eq!(error["resume"], resume.as_str());
    let output = server.run(&["submit", "--wait"], BODY);
    let said = stderr(&output);
    assert!(said.starts_with("submitted task_01JABC\n"), "{said}");
    assert!(said.contains("orux wait task_01JABC"), "{said}");
    assert_eq!(server.count("POST"), 2, "one per run");
}

#[test]
fn huge_timeouts_saturate_and_a_zero_timeout_is_a_usage_error() {
    let server = api(DONE);
    let max = u64::MAX.to_string();
    let output = server.run(&["wait", "task_01JABC", "--timeout", &max], "");
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let output = server.run(
        &["submit", "--wait", "--timeout", &max, "--format", "json"],
        BODY,
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(json_out(&output)["status"], "success");
    assert_eq!(stderr(&output), "submitted task_01JABC\n");
    assert_eq!(server.count("POST"), 1);

    let posts = server.count("POST");
    for args in [
        &["wait", "task_01JABC", "--timeout", "0"][..],
        &["submit", "--wait", "--timeout", "0"],
        &["wait", "task_01JABC", "--timeout", "18446744073709551616"],
    ] {
        let output = server.run(args, BODY);
        assert_eq!(code(&output), 2, "{args:?}");
        assert!(stderr(&output).contains("--timeout"), "{}", stderr(&output));
    }
    assert_eq!(
        server.count("POST"),
        posts,
        "nothing sent for a refused timeout"
    );
}

#[test]
fn json_output_escapes_what_a_terminal_would_obey() {
    let hostile_status = "PAUSED\u{9b}2J\u{202e}";
    let hostile_url = "https://cdn.example/\u{2066}v.mp4\u{7f}";
    let status = json!({"task_id": "task_01JABC", "status": hostile_status,
        "result_urls": [hostile_url]})
    .to_string();
    let refusal = json!({"error": {"code": "invalid_param", "message": "bad \u{1b}[2J\u{85}",
        "errors": [{"code": "invalid_param", "path": "/\u{202d}x", "message": "m\u{9b}"}]}})
    .to_string();
    let server = Server::start(move |method, _| match method {
        "GET" => (200, status.clone()),
        _ => (400, refusal.clone()),
    });
    let output = server.run(&["status", "task_01JABC", "--format", "json"], "");
    assert!(!has_raw_controls(&output), "{:?}", stdout(&output));
    let value = json_out(&output);
    assert_eq!(value["status"], hostile_status, "the same value, escaped");
    assert_eq!(value["result_urls"][0], hostile_url);

    let output = server.run(&["submit", "--format", "json"], BODY);
    assert_eq!(code(&output), 3);
    let printed = stdout(&output);
    assert!(!has_raw_controls(&output), "{printed:?}");
    let error = &json_out(&output)["error"];
    assert_eq!(error["errors"][0]["path"], "/\u{202d}x");
    assert!(
        printed.contains(r"\u202d") && printed.contains(r"\u009b"),
        "{printed}"
    );
}

/// A signal during a wait: exit 130, the task's id and the command that
/// resumes the wait, on standard output with `--format json`.
#[cfg(unix)]
#[test]
fn an_interrupted_wait_exits_130_with_the_task_and_how_to_resume() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    use rustix::process::{Pid, Signal, kill_process};

    for (signal, format) in [(Signal::INT, "json"), (Signal::TERM, "human")] {
        let server = api(RUNNING);
        let mut child = Command::new(assert_cmd::cargo::cargo_bin!("orux"))
            .args([
                "submit",
                "--wait",
                "--format",
                format,
                "--base-url",
                &server.url,
            ])
            .env("ORUX_API_KEY", "sk-app-cli-test")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("orux starts");
        std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), BODY.as_bytes())
            .expect("the body is written");
        // The id is on standard error as soon as the task exists, before
        // the wait ends (it never does: the task keeps running).
        let mut errors = BufReader::new(child.stderr.take().expect("stderr"));
        let mut first = String::new();
        errors.read_line(&mut first).expect("a line");
        assert_eq!(first, "submitted task_01JABC\n");
        kill_process(Pid::from_child(&child), signal).expect("the signal is sent");

        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("waitable") {
                break status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "orux did not stop"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status.code(), Some(130), "{format}");
        let mut out = String::new();
        child
            .stdout
            .take()
            .expect("stdout")
            .read_to_string(&mut out)
            .expect("read");
        let mut rest = String::new();
        errors.read_to_string(&mut rest).expect("read");
        let resume = format!("orux wait task_01JABC --base-url {}", server.url);
        if format == "json" {
            let value: Value = serde_json::from_str(&out).expect("one JSON object");
            assert_eq!(value["error"]["code"], "interrupted");
            assert_eq!(value["error"]["task_id"], "task_01JABC");
            assert_eq!(value["error"]["resume"], format!("{resume} --format json"));
        } else {
            assert_eq!(out, "");
            assert!(
                rest.contains(&resume) && rest.contains("task_01JABC"),
                "{rest}"
            );
        }
        assert_eq!(server.count("POST"), 1);
    }
}
