//! Shared by the integration tests: a server on a free loopback port with a
//! manual clock, and a small HTTP client.

#![allow(dead_code)] // each test file uses a part

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use orux_mock::clock::ManualClock;
use orux_mock::{Config, Server};
use serde_json::Value;

/// The docs' example instant, 2026-06-04T22:00:00 UTC.
pub const START: u64 = 1_780_610_400;

/// A running server and the clock it reads.
pub struct Mock {
    pub server: Server,
    pub clock: ManualClock,
    pub http: reqwest::Client,
    pub base: String,
}

/// An answer: status, headers and the body read as JSON (`Null` if not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub json: Value,
}

pub const KEY: &str = "sk-app-test";

/// Starts a server with `config` (port 0 and a manual clock at [`START`]).
pub async fn start(config: Config) -> Mock {
    let clock = ManualClock::new(UNIX_EPOCH + Duration::from_secs(START));
    let config = Config {
        addr: "127.0.0.1:0".parse().expect("an address"),
        clock: Arc::new(clock.clone()),
        ..config
    };
    let server = Server::bind(config).await.expect("the server starts");
    let base = server.base_url();
    // The test's own client: reqwest is built without a default TLS
    // provider (the crates choose `ring` explicitly), so give it one, as
    // the mock's webhook sender does; no TLS is spoken on loopback http.
    let _ = rustls::crypto::ring::default_provider().install_default();
    Mock {
        server,
        clock,
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("a client"),
        base,
    }
}

impl Mock {
    pub fn now(&self) -> SystemTime {
        use orux_mock::clock::Clock;
        self.clock.now()
    }

    /// POST /api/v1/tasks with the test key, JSON content type and `headers`.
    pub async fn submit(&self, body: impl Into<Vec<u8>>, headers: &[(&str, &str)]) -> Answer {
        let mut request = self
            .http
            .post(format!("{}/api/v1/tasks", self.base))
            .bearer_auth(KEY)
            .header("content-type", "application/json")
            .body(body.into());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        answer(request.send().await.expect("an answer")).await
    }

    /// GET /api/v1/tasks/{id} with the test key.
    pub async fn status(&self, task_id: &str) -> Answer {
        let request = self
            .http
            .get(format!("{}/api/v1/tasks/{task_id}", self.base))
            .bearer_auth(KEY);
        answer(request.send().await.expect("an answer")).await
    }
}

pub async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("a body");
    Answer {
        status,
        headers,
        json: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

/// The error code of an error answer, checking the shape on the way.
pub fn error_code(answer: &Answer) -> &str {
    let error = &answer.json["error"];
    assert!(error["message"].is_string(), "{answer:?}");
    assert_eq!(
        answer.headers.get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/json"[..]),
        "{answer:?}"
    );
    error["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no code: {answer:?}"))
}

pub const SORA: &str = r#"{"model":"sora2","prompt":"A paper boat","duration":10}"#;
