//! The `orux` users get prints what the tested `orux` prints.
//!
//! `cargo test` builds `orux` with the features its dev-dependencies turn on
//! (serde_json's `preserve_order` among them); `cargo install --path cli`
//! builds it without. Any JSON object printed through a map rather than a
//! typed struct would then come out with its keys in another order. `cargo
//! xtask test` (what CI runs) first builds `orux` as `cargo install` does
//! (`cargo build -p orux-cli --bin orux`), keeps a copy, and names it in
//! `ORUX_INSTALLED_BIN`; this test runs both binaries through every kind of
//! JSON object the CLI prints and compares the bytes.

mod support;

use std::ffi::OsString;
use std::process::{Command, Output};
use std::time::{SystemTime, UNIX_EPOCH};

use orux_client::webhooks::Verifier;
use support::stub::{Reply, Server};

const BODY: &str = r#"{"model": "sora2", "prompt": "A paper boat"}"#;
const SUBMITTED: &str =
    r#"{"task_id":"task_01JABC","status":"QUEUED","submit_time":"2026-06-04T22:00:00"}"#;
const DONE: &str = r#"{"duration_sec":8,"result_urls":["https://cdn.example/v.mp4"],"task_id":"task_01JABC","submit_time":"2026-06-04T22:00:00","status":"SUCCESS"}"#;
const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

/// One run: arguments and standard input.
struct Case {
    args: Vec<String>,
    stdin: String,
}

fn case(args: &[&str], stdin: &str) -> Case {
    Case {
        args: args.iter().map(|a| (*a).to_owned()).collect(),
        stdin: stdin.to_owned(),
    }
}

fn run(binary: &OsString, case: &Case, base_url: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(binary)
        .args(&case.args)
        .env("ORUX_API_KEY", "sk-app-cli-test")
        .env("ORUX_BASE_URL", base_url)
        .env_remove("NO_COLOR")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("orux starts");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(case.stdin.as_bytes())
        .expect("stdin written");
    drop(stdin);
    child.wait_with_output().expect("orux ends")
}

/// Standard output with the one random value (a submission's idempotency
/// key) replaced.
fn comparable(output: &Output) -> String {
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let key = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v["error"]["idempotency_key"].as_str().map(str::to_owned));
    match key {
        Some(key) => text.replace(&key, "KEY"),
        None => text,
    }
}

#[test]
fn the_installed_build_prints_the_same_json() {
    let Some(installed) = std::env::var_os("ORUX_INSTALLED_BIN") else {
        eprintln!(
            "ORUX_INSTALLED_BIN is not set: `cargo xtask test` builds orux as `cargo install` \
             does and runs this comparison; plain `cargo test` does not"
        );
        return;
    };
    let tested = OsString::from(assert_cmd::cargo::cargo_bin!("orux"));
    let stub = Server::start_with(|request, n| {
        let path = request.line.split(' ').nth(1).unwrap_or_default();
        let (status, body, headers) = match (request.method.as_str(), path) {
            ("POST", _) => (200, SUBMITTED.to_owned(), vec![]),
            (_, "/api/v1/tasks/task_01JABC") => (200, DONE.to_owned(), vec![]),
            (_, "/api/v1/tasks/task_RUNNING") => (
                200,
                r#"{"task_id":"task_RUNNING","status":"running","submit_time":"2026-06-04T22:00:00"}"#
                    .to_owned(),
                vec![],
            ),
            (_, "/api/v1/tasks/task_LIMITED") if n % 2 == 0 => (
                429,
                String::new(),
                vec![("retry-after", "0".to_owned())],
            ),
            (_, "/api/v1/tasks/task_MOVED") => (
                308,
                String::new(),
                vec![("location", "http://10.0.0.1/x".to_owned())],
            ),
            _ => (
                400,
                r#"{"error":{"message":"no","errors":[{"path":"/x","message":"m","code":"invalid_param"}],"code":"invalid_param"}}"#
                    .to_owned(),
                vec![],
            ),
        };
        Reply {
            status,
            headers,
            body,
        }
    });
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let event = r#"{"status":"SUCCESS","task_id":"task_01JABC","result_urls":["https://cdn.example/v.mp4"],"duration_sec":8}"#;
    let signature = Verifier::new(SECRET)
        .expect("a secret")
        .sign("msg_1", now, event.as_bytes());
    let (id, timestamp, signature) = (
        "webhook-id: msg_1".to_owned(),
        format!("webhook-timestamp: {now}"),
        format!("webhook-signature: {signature}"),
    );
    let invalid = r#"{"model":"sora2","prompt":"","duration":8,"x\u202e":1}"#;
    let cases = [
        case(&["submit", "--format", "json"], BODY),
        case(&["submit", "--wait", "--format", "json"], BODY),
        case(&["submit", "--format", "json"], invalid),
        case(&["status", "task_01JABC", "--format", "json"], ""),
        case(&["status", "task_OTHER", "--format", "json"], ""),
        case(&["status", "task_LIMITED", "--format", "json"], ""),
        case(&["status", "task_MOVED", "--format", "json"], ""),
        case(&["status", "..", "--format", "json"], ""),
        case(
            &["wait", "task_RUNNING", "--timeout", "1", "--format", "json"],
            "",
        ),
        case(&["validate", "--format", "json"], invalid),
        case(&["validate", "--jsonl"], &format!("{BODY}\n{invalid}\n")),
        case(&["models", "--format", "json"], ""),
        case(
            &[
                "webhook", "verify", "--secret", SECRET, "--header", &id, "--header", &timestamp,
                "--header", &signature,
            ],
            event,
        ),
    ];
    for case in &cases {
        let from_tested = run(&tested, case, &stub.url);
        let from_installed = run(&installed, case, &stub.url);
        assert_eq!(
            from_tested.status.code(),
            from_installed.status.code(),
            "{:?}",
            case.args
        );
        let printed = comparable(&from_tested);
        assert!(
            printed.starts_with('{') || printed.starts_with('['),
            "{:?}: {printed}",
            case.args
        );
        assert_eq!(printed, comparable(&from_installed), "{:?}", case.args);
    }
}
