//! `orux mock` as a process: the ready line, `--port 0`, answers, one log line
//! per request without the key, a clean stop on SIGTERM, and start-up errors.

#![cfg(feature = "mock")]

mod support;

use std::net::TcpStream;
use std::process::Command;

use support::mock_process::{KEY, MockProcess};

fn orux() -> Command {
    Command::new(env!("CARGO_BIN_EXE_orux"))
}

#[test]
fn serves_on_a_free_port_and_stops_on_sigterm() {
    let mut mock = MockProcess::start(&["--task-seconds", "0"]);
    let addr = mock.addr;
    assert!(addr.ip().is_loopback() && addr.port() != 0, "{addr}");

    let answer = mock.post(r#"{"model":"sora2","prompt":"A paper boat"}"#, None);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let submitted: serde_json::Value = serde_json::from_str(&answer.body).expect("JSON");
    let task_id = submitted["task_id"].as_str().expect("task_id");
    let answer = mock.get(&format!("/api/v1/tasks/{task_id}"));
    assert_eq!(answer.status, 200, "{}", answer.body);
    let task: serde_json::Value = serde_json::from_str(&answer.body).expect("JSON");
    assert_eq!(task["status"], "success", "--task-seconds 0 ends at once");

    let answer = mock.post(
        r#"{"model":"sora2","prompt":"A paper boat","duration":8}"#,
        None,
    );
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert!(
        answer.body.contains(r#""path":"/duration""#),
        "{}",
        answer.body
    );

    let exit = mock.terminate();
    assert!(exit.success(), "clean stop: {exit:?}");
    assert!(TcpStream::connect(addr).is_err(), "the port is closed");

    let log = mock.log();
    let requests: Vec<&String> = log.iter().filter(|l| l.contains("request")).collect();
    assert_eq!(requests.len(), 3, "one line per request: {log:#?}");
    assert!(
        requests[0].contains("POST")
            && requests[0].contains("200")
            && requests[0].contains("sora2"),
        "{}",
        requests[0]
    );
    assert!(requests[2].contains("400"), "{}", requests[2]);
    assert!(
        log.iter().all(|l| !l.contains(KEY)),
        "the key is never logged: {log:#?}"
    );
}

#[test]
fn a_closed_standard_error_loses_log_lines_not_requests() {
    // `orux mock 2>&1 | head -1`: whoever read the ready line goes away.
    let mut mock = MockProcess::start(&["--task-seconds", "0"]);
    mock.close_log();
    for _ in 0..3 {
        let answer = mock.post(r#"{"model":"sora2","prompt":"A paper boat"}"#, None);
        assert_eq!(answer.status, 200, "{}", answer.body);
    }
}

#[test]
fn start_up_problems_are_usage_errors() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    for (args, expected) in [
        (vec!["--port", port.as_str()], "cannot listen on 127.0.0.1:"),
        (vec!["--port", "0", "--task-seconds=-1"], "--task-seconds"),
        (
            vec!["--port", "0", "--webhook-secret", "nope"],
            "--webhook-secret",
        ),
        (
            vec!["--port", "0", "--webhook-target", "http://example.com/"],
            "--webhook-target",
        ),
        (vec!["--port", "0", "--max-tasks", "0"], "--max-tasks"),
        (vec!["--port", "0", "--fail-share", "1.5"], "--fail-share"),
        (
            vec![
                "--port",
                "0",
                "--fail-share",
                "0.6",
                "--expire-share",
                "0.6",
            ],
            "add up to more than 1",
        ),
        (
            vec!["--port", "0", "--rate-limit-share", "2"],
            "--rate-limit-share",
        ),
        (
            vec!["--port", "0", "--fail-if-prompt-contains", ""],
            "must not be empty",
        ),
    ] {
        let output = orux().arg("mock").args(&args).output().expect("orux runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}
