//! `orux mock` as a process: the ready line, `--port 0`, answers, one log line
//! per request without the key, a clean stop on SIGTERM, and start-up errors.

#![cfg(feature = "mock")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const KEY: &str = "sk-app-process-test-key";

fn orux() -> Command {
    Command::new(env!("CARGO_BIN_EXE_orux"))
}

/// Starts `orux mock ARGS`; returns the child, its address and its stderr lines.
fn start(args: &[&str]) -> (Child, SocketAddr, mpsc::Receiver<String>) {
    let mut child = orux()
        .arg("mock")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("orux runs");
    let stderr = child.stderr.take().expect("piped");
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let first = received
        .recv_timeout(Duration::from_secs(30))
        .expect("a ready line in time");
    let addr = first
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("not a ready line: {first:?}"))
        .parse()
        .expect("ADDR:PORT");
    (child, addr, received)
}

/// One HTTP/1.1 exchange; returns the status code and the body.
fn exchange(addr: SocketAddr, request: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer");
    let status = answer[9..12].parse().expect("a status code");
    let body = answer
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    (status, body)
}

fn post(addr: SocketAddr, body: &str) -> (u16, String) {
    exchange(
        addr,
        &format!(
            "POST /api/v1/tasks HTTP/1.1\r\nhost: {addr}\r\nauthorization: Bearer {KEY}\r\n\
             content-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
}

fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    exchange(
        addr,
        &format!(
            "GET {path} HTTP/1.1\r\nhost: {addr}\r\nauthorization: Bearer {KEY}\r\nconnection: close\r\n\r\n"
        ),
    )
}

fn wait(child: &mut Child, within: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + within;
    loop {
        if let Some(status) = child.try_wait().expect("waitable") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("orux mock did not stop within {within:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn serves_on_a_free_port_and_stops_on_sigterm() {
    let (mut child, addr, lines) = start(&["--port", "0", "--task-seconds", "0"]);
    assert!(addr.ip().is_loopback() && addr.port() != 0, "{addr}");

    let (status, body) = post(addr, r#"{"model":"sora2","prompt":"A paper boat"}"#);
    assert_eq!(status, 200, "{body}");
    let submitted: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let task_id = submitted["task_id"].as_str().expect("task_id");
    let (status, body) = get(addr, &format!("/api/v1/tasks/{task_id}"));
    assert_eq!(status, 200, "{body}");
    let task: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(task["status"], "success", "--task-seconds 0 ends at once");

    let (status, body) = post(
        addr,
        r#"{"model":"sora2","prompt":"A paper boat","duration":8}"#,
    );
    assert_eq!(status, 400, "{body}");
    assert!(body.contains(r#""path":"/duration""#), "{body}");

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let exit = wait(&mut child, Duration::from_secs(20));
    assert!(exit.success(), "clean stop: {exit:?}");
    assert!(TcpStream::connect(addr).is_err(), "the port is closed");

    let log: Vec<String> = lines.try_iter().collect();
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
    let (mut child, addr, lines) = start(&["--port", "0", "--task-seconds", "0"]);
    drop(lines); // the reader thread ends at the next line, closing the pipe
    for _ in 0..3 {
        let (status, body) = post(addr, r#"{"model":"sora2","prompt":"A paper boat"}"#);
        assert_eq!(status, 200, "{body}");
    }
    let _ = child.kill();
    let _ = child.wait();
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
