//! `orux submit`, `status`, `wait` against a tiny loopback server, and
//! `orux webhook verify`: exit statuses and JSON shapes.

mod support;

use std::time::{SystemTime, UNIX_EPOCH};

use orux_client::webhooks::Verifier;
use serde_json::{Value, json};
use support::stub::Server;
use support::{code, orux, stderr, stdout};

const BODY: &str = r#"{"model": "sora2", "prompt": "A paper boat"}"#;
const SUBMITTED: &str =
    r#"{"task_id":"task_01JABC","status":"QUEUED","submit_time":"2026-06-04T22:00:00"}"#;
const DONE: &str = r#"{"task_id":"task_01JABC","status":"SUCCESS","result_urls":["https://cdn.example/v.mp4"],"duration_sec":8}"#;

fn json_out(output: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(output)).unwrap_or_else(|e| panic!("{e}: {}", stdout(output)))
}

#[test]
fn submit_prints_the_task_id_or_the_submit_response() {
    let server = Server::start(|_, _| (200, SUBMITTED.to_owned()));
    let output = server.run(&["submit"], BODY);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(stdout(&output), "task_01JABC\n");
    let output = server.run(&["submit", "-", "--format", "json"], BODY);
    assert_eq!(code(&output), 0);
    assert_eq!(
        json_out(&output),
        json!({"task_id": "task_01JABC", "status": "queued", "submit_time": "2026-06-04T22:00:00"})
    );
    assert_eq!(server.requests(), ["POST /api/v1/tasks HTTP/1.1"; 2]);
}

#[test]
fn an_invalid_body_exits_1_and_sends_nothing() {
    let server = Server::start(|_, _| (200, SUBMITTED.to_owned()));
    let body = r#"{"model": "sora2", "prompt": "p", "duration": 8}"#;
    let output = server.run(&["submit", "--format", "json"], body);
    assert_eq!(code(&output), 1);
    let out = json_out(&output);
    assert_eq!(out["error"]["code"], "invalid_param");
    assert_eq!(out["error"]["errors"][0]["path"], "/duration");
    let output = server.run(&["submit"], body);
    assert_eq!(code(&output), 1);
    assert!(
        stderr(&output).contains("/duration: duration must be 5 or 10"),
        "{}",
        stderr(&output)
    );
    assert_eq!(stdout(&output), "");
    assert!(server.requests().is_empty());
}

#[test]
fn a_missing_key_is_a_usage_error_that_says_so() {
    for format in ["human", "json"] {
        let output = orux()
            .env_remove("ORUX_API_KEY")
            .args([
                "status",
                "task_1",
                "--format",
                format,
                "--base-url",
                "http://127.0.0.1:9",
            ])
            .output()
            .unwrap();
        assert_eq!(code(&output), 2);
        let text = if format == "json" {
            let out = json_out(&output);
            assert_eq!(out["error"]["code"], "usage");
            out["error"]["message"].as_str().unwrap().to_owned()
        } else {
            stderr(&output)
        };
        assert!(text.contains("ORUX_API_KEY"), "{text}");
    }
}

#[test]
fn a_plain_http_remote_base_url_is_a_usage_error() {
    let output = orux()
        .env("ORUX_API_KEY", "sk-app-x")
        .args([
            "status",
            "t",
            "--base-url",
            "http://orux.top",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(code(&output), 2);
    assert_eq!(json_out(&output)["error"]["code"], "usage");
}

#[test]
fn api_refusals_exit_3_with_their_code() {
    let cases = [
        (401, "unauthorized"),
        (404, "not_found"),
        (400, "invalid_param"),
        (409, "idempotency_conflict"),
    ];
    for (status, want) in cases {
        let body = json!({"error": {"code": want, "message": "no"}}).to_string();
        let server = Server::start(move |_, _| (status, body.clone()));
        let output = server.run(&["status", "task_1", "--format", "json"], "");
        assert_eq!(code(&output), 3, "{status}");
        let out = json_out(&output);
        assert_eq!(out["error"]["code"], want, "{out}");
        assert!(out["error"]["message"].is_string());
    }
}

#[test]
fn a_5xx_on_submit_is_an_unknown_outcome_with_its_key() {
    let server = Server::start(|_, _| {
        (
            500,
            r#"{"error":{"code":"internal","message":"x"}}"#.to_owned(),
        )
    });
    let output = server.run(&["submit", "--format", "json"], BODY);
    assert_eq!(code(&output), 3);
    let out = json_out(&output);
    assert_eq!(out["error"]["code"], "submit_outcome_unknown");
    assert_eq!(out["error"]["idempotency_key"].as_str().unwrap().len(), 36);
    assert_eq!(server.requests().len(), 1);
    let output = server.run(&["submit"], BODY);
    assert_eq!(code(&output), 3);
    assert!(
        stderr(&output).contains("Idempotency-Key"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn status_prints_the_task_and_a_failed_task_exits_1() {
    let server = Server::start(|_, _| (200, DONE.to_owned()));
    let output = server.run(&["status", "task_01JABC"], "");
    assert_eq!(code(&output), 0);
    assert_eq!(
        stdout(&output),
        "task_01JABC: success\nhttps://cdn.example/v.mp4\n"
    );
    let failed = Server::start(|_, _| (200, r#"{"task_id":"t","status":"FAILED"}"#.to_owned()));
    let output = failed.run(&["status", "t", "--format", "json"], "");
    assert_eq!(code(&output), 1);
    assert_eq!(
        json_out(&output),
        json!({"task_id": "t", "status": "failed"})
    );
}

#[test]
fn submit_wait_prints_the_final_status_object() {
    let server = Server::start(|method, _| {
        if method == "POST" {
            (200, SUBMITTED.to_owned())
        } else {
            (200, DONE.to_owned())
        }
    });
    let output = server.run(&["submit", "--wait", "--format", "json"], BODY);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let out = json_out(&output);
    assert_eq!(out["status"], "success");
    assert_eq!(out["result_urls"], json!(["https://cdn.example/v.mp4"]));
    assert_eq!(
        stderr(&output),
        "submitted task_01JABC\n",
        "the id at once, and no progress when stderr is not a terminal"
    );
}

#[test]
fn wait_past_its_timeout_exits_3_with_the_last_status() {
    let server = Server::start(|_, _| (200, r#"{"task_id":"t","status":"RUNNING"}"#.to_owned()));
    let output = server.run(&["wait", "t", "--timeout", "1", "--format", "json"], "");
    assert_eq!(code(&output), 3);
    let out = json_out(&output);
    assert_eq!(out["error"]["code"], "deadline_passed");
    assert_eq!(out["error"]["last"]["status"], "running");
}

const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

fn delivery(body: &str) -> (Vec<String>, String) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let signature = Verifier::new(SECRET)
        .unwrap()
        .sign("msg_1", now, body.as_bytes());
    (
        vec![
            "--header".to_owned(),
            "webhook-id: msg_1".to_owned(),
            "--header".to_owned(),
            format!("Webhook-Timestamp: {now}"),
            "--header".to_owned(),
            format!("webhook-signature: {signature}"),
        ],
        now.to_string(),
    )
}

#[test]
fn webhook_verify_prints_the_event_or_says_why_not() {
    let (headers, _) = delivery(DONE);
    let output = orux()
        .args(["webhook", "verify", "--secret", SECRET])
        .args(&headers)
        .write_stdin(DONE)
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(json_out(&output)["task_id"], "task_01JABC");

    let changed = DONE.replace("SUCCESS", "FAILED");
    let output = orux()
        .args(["webhook", "verify", "--secret", SECRET, "-"])
        .args(&headers)
        .write_stdin(changed)
        .output()
        .unwrap();
    assert_eq!(code(&output), 1);
    assert!(
        stderr(&output).contains("no webhook-signature matches"),
        "{}",
        stderr(&output)
    );
    assert_eq!(stdout(&output), "");

    // A day later the same delivery is stale.
    let (headers, now) = delivery(DONE);
    let later = (now.parse::<u64>().unwrap() + 86_400).to_string();
    let output = orux()
        .args(["webhook", "verify", "--secret", SECRET, "--now", &later])
        .args(&headers)
        .write_stdin(DONE)
        .output()
        .unwrap();
    assert_eq!(code(&output), 1);
    assert!(stderr(&output).contains("old"), "{}", stderr(&output));

    let output = orux()
        .args(["webhook", "verify", "--secret", SECRET])
        .write_stdin(DONE)
        .output()
        .unwrap();
    assert_eq!(code(&output), 1);
    assert!(
        stderr(&output).contains("missing header webhook-id"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn webhook_verify_usage_errors_exit_2() {
    let (headers, _) = delivery(DONE);
    let output = orux()
        .args(["webhook", "verify", "--secret", "not-a-secret"])
        .args(&headers)
        .write_stdin(DONE)
        .output()
        .unwrap();
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("whsec_"), "{}", stderr(&output));
    let output = orux()
        .args([
            "webhook", "verify", "--secret", SECRET, "--header", "no colon",
        ])
        .write_stdin(DONE)
        .output()
        .unwrap();
    assert_eq!(code(&output), 2);
    let output = orux()
        .args([
            "webhook",
            "verify",
            "--secret",
            SECRET,
            "/nonexistent/body.json",
        ])
        .args(&headers)
        .output()
        .unwrap();
    assert_eq!(code(&output), 2);
}

#[test]
fn a_401_for_a_key_not_of_the_orux_form_says_what_the_form_is() {
    let body = json!({"error": {"code": "unauthorized", "message": "bad key"}}).to_string();
    let server = Server::start(move |_, _| (401, body.clone()));
    let run = |key: &str, format: &str| {
        orux()
            .env("ORUX_API_KEY", key)
            .args([
                "status",
                "task_1",
                "--format",
                format,
                "--base-url",
                &server.url,
            ])
            .output()
            .unwrap()
    };
    let pasted = run("ghp_0123456789", "human");
    assert_eq!(code(&pasted), 3);
    assert!(
        stderr(&pasted)
            .contains("ORUX_API_KEY does not look like an Orux API key, which starts with sk-app-"),
        "{}",
        stderr(&pasted)
    );
    let message = json_out(&run("ghp_0123456789", "json"))["error"]["message"].clone();
    assert!(
        message.as_str().unwrap().contains("starts with sk-app-"),
        "{message}"
    );
    // A key of the right form that was refused gets no such hint.
    let refused = run("sk-app-revoked", "human");
    assert_eq!(code(&refused), 3);
    assert!(
        !stderr(&refused).contains("does not look like"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn status_and_wait_help_name_only_the_exit_statuses_they_can_give() {
    let help = |command: &str| {
        let output = orux().args([command, "--help"]).output().unwrap();
        assert_eq!(code(&output), 0);
        stdout(&output)
    };
    for command in ["status", "wait"] {
        let text = help(command);
        assert!(!text.contains("body is invalid"), "{command}: {text}");
        assert!(
            text.contains("1  the task failed or expired"),
            "{command}: {text}"
        );
    }
    assert!(help("submit").contains("the body is invalid (nothing was sent)"));
}

#[test]
fn submit_of_json_lines_says_it_sends_one_body() {
    let server = Server::start(|_, _| (200, SUBMITTED.to_owned()));
    let lines = format!("{BODY}\n{BODY}\n");
    let output = server.run(&["submit"], &lines);
    assert_eq!(code(&output), 1);
    assert!(
        stderr(&output).contains(
            "it looks like JSON Lines (one body per line): `orux submit` sends one body; \
             `orux batch FILE` submits each line (and `orux validate --jsonl` checks each line)"
        ),
        "{}",
        stderr(&output)
    );
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[test]
fn webhook_verify_reads_the_secret_from_the_environment() {
    let (headers, _) = delivery(DONE);
    let output = orux()
        .env("ORUX_WEBHOOK_SECRET", SECRET)
        .args(["webhook", "verify"])
        .args(&headers)
        .write_stdin(DONE)
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(json_out(&output)["task_id"], "task_01JABC");
    // The flag wins over the environment.
    let output = orux()
        .env("ORUX_WEBHOOK_SECRET", "whsec_b3RoZXIta2V5LW90aGVyLWtleQ==")
        .args(["webhook", "verify", "--secret", SECRET])
        .args(&headers)
        .write_stdin(DONE)
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    // Neither: a usage error that names both places.
    let output = orux()
        .env_remove("ORUX_WEBHOOK_SECRET")
        .args(["webhook", "verify"])
        .args(&headers)
        .write_stdin(DONE)
        .output()
        .unwrap();
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("--secret"), "{}", stderr(&output));
    // The help says where the secret is safer, and never shows its value.
    let help = orux()
        .env("ORUX_WEBHOOK_SECRET", SECRET)
        .args(["webhook", "verify", "--help"])
        .output()
        .unwrap();
    let text = stdout(&help);
    assert!(text.contains("ORUX_WEBHOOK_SECRET"), "{text}");
    assert!(text.contains("(`ps`)"), "{text}");
    assert!(!text.contains(SECRET), "{text}");
}
