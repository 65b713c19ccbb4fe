//! The whole path, as a user runs it: `orux submit --wait` against `orux mock`
//! (two processes, real HTTP on loopback) ends in success, and the task's
//! signed webhook reaches a local receiver and verifies with the client's
//! verifier.

#![cfg(feature = "mock")]

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use orux_client::webhooks::Verifier;
use support::mock_process::MockProcess;

/// The Standard Webhooks test secret: any valid `whsec_` key would do.
const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

/// One webhook delivery as the receiver saw it: lower-cased headers and the
/// raw body.
struct Delivery {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Reads one HTTP/1.1 request from `stream` and answers 200.
fn receive(stream: TcpStream) -> Option<Delivery> {
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .ok()?;
    let mut reader = BufReader::new(stream);
    let mut headers = Vec::new();
    let mut line = String::new();
    reader.read_line(&mut line).ok()?; // the request line
    loop {
        line.clear();
        reader.read_line(&mut line).ok()?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")?
        .1
        .parse()
        .ok()?;
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let mut stream = reader.into_inner();
    stream
        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        .ok()?;
    Some(Delivery { headers, body })
}

/// A webhook receiver on a free loopback port; deliveries arrive on the channel.
fn receiver() -> (String, mpsc::Receiver<Delivery>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let (deliveries, received) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            if let Some(delivery) = receive(stream)
                && deliveries.send(delivery).is_err()
            {
                break;
            }
        }
    });
    (url, received)
}

/// Starts `orux mock` on a free port, delivering webhooks to `webhook_target`.
fn mock(webhook_target: &str) -> MockProcess {
    MockProcess::start(&[
        "--task-seconds",
        "2",
        "--webhook-secret",
        SECRET,
        "--webhook-target",
        webhook_target,
    ])
}

#[test]
fn submit_wait_against_the_mock_succeeds_and_the_signed_webhook_arrives() {
    let (target, deliveries) = receiver();
    let mock = mock(&target);
    let base = &mock.base_url;
    let body = r#"{"model": "sora2", "prompt": "A paper boat on a rainy street", "duration": 10,
                   "webhook_url": "https://hooks.example.com/orux"}"#;

    let output = Command::new(env!("CARGO_BIN_EXE_orux"))
        .args([
            "submit",
            "-",
            "--wait",
            "--timeout",
            "60",
            "--format",
            "json",
        ])
        .args(["--base-url", base])
        .env("ORUX_API_KEY", "sk-app-end-to-end")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child
                .stdin
                .take()
                .expect("piped")
                .write_all(body.as_bytes())?;
            child.wait_with_output()
        })
        .expect("orux submit runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let status: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON object");
    assert!(
        status["status"]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case("success"),
        "{status}"
    );
    let task_id = status["task_id"].as_str().expect("a task id");
    assert!(task_id.starts_with("task_"), "{task_id}");
    let urls = status["result_urls"].as_array().expect("result_urls");
    assert!(!urls.is_empty(), "{status}");
    // The results are served by the mock itself, on loopback.
    assert!(
        urls.iter().all(|u| {
            let url = u.as_str().unwrap();
            url.starts_with("http://127.0.0.1:") && url.contains("/_mock/results/")
        }),
        "{status}"
    );
    assert_eq!(status["duration_sec"], 10.0, "{status}");

    let delivery = deliveries
        .recv_timeout(Duration::from_secs(30))
        .expect("the webhook arrives");
    let event = Verifier::new(SECRET)
        .unwrap()
        .verify(&delivery.headers, &delivery.body, SystemTime::now())
        .expect("the delivery verifies");
    assert_eq!(event.task_id, task_id);
    assert!(event.status.is_terminal(), "{:?}", event.status);
    assert_eq!(event.result_urls.len(), urls.len());
    // Once per terminal task: no second delivery follows a 200.
    assert!(
        deliveries.recv_timeout(Duration::from_secs(2)).is_err(),
        "a second delivery"
    );
}
