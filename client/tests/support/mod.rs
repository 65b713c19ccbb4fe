//! A tiny HTTP/1.1 server on loopback (port 0), in the test's own runtime, that
//! answers each request as the test's script says: a response, a reset after
//! reading the body, garbage, a drip, or silence. It records every request.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as received.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
    pub at: tokio::time::Instant,
}

impl Seen {
    /// A header's value (names are lower-cased).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// What to do with a request.
pub enum Reply {
    /// A response with a status, extra headers and a body (content type JSON
    /// unless a `content-type` header is given).
    With(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// Close the connection abruptly after reading the whole request.
    Reset,
    /// Write these bytes as the whole response, then close.
    Raw(Vec<u8>),
    /// Send a 200 head promising a long body, then one byte per interval.
    Drip(Duration),
    /// Never answer.
    Silence,
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::With(status, Vec::new(), body.as_bytes().to_vec())
    }
}

type Script = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

/// A running server; dropped with the test's runtime.
pub struct Server {
    pub base_url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Starts a server whose `script` gets each request and how many requests
    /// with the same method came before it.
    pub async fn start(script: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let base_url = format!("http://{}", listener.local_addr().expect("local addr"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let script: Arc<Script> = Arc::new(script);
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, script.clone(), log.clone()));
            }
        });
        Server { base_url, seen }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn count(&self, method: &str) -> usize {
        self.seen().iter().filter(|s| s.method == method).count()
    }
}

async fn serve(mut stream: TcpStream, script: Arc<Script>, log: Arc<Mutex<Vec<Seen>>>) {
    // One request per connection (every response says `Connection: close`).
    let Some(seen) = read_request(&mut stream).await else {
        return;
    };
    let index = {
        let mut log = log.lock().unwrap();
        let index = log.iter().filter(|s| s.method == seen.method).count();
        log.push(seen.clone());
        index
    };
    match script(&seen, index) {
        Reply::With(status, headers, body) => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nconnection: close\r\ncontent-length: {}\r\n",
                body.len()
            );
            if !headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            {
                head.push_str("content-type: application/json\r\n");
            }
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
            let _ = stream.shutdown().await;
        }
        Reply::Reset => {
            let _ = stream.set_zero_linger();
            drop(stream);
        }
        Reply::Raw(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Reply::Drip(every) => {
            let head = "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n";
            let _ = stream.write_all(head.as_bytes()).await;
            loop {
                if stream.write_all(b" ").await.is_err() {
                    return;
                }
                tokio::time::sleep(every).await;
            }
        }
        Reply::Silence => {
            let mut sink = [0u8; 64];
            // Hold the connection until the client gives up.
            while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
        }
    }
}

/// Reads one request (head, and a body of its `Content-Length`).
pub async fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let path = first.next()?.to_owned();
    let headers: HashMap<String, String> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Seen {
        method,
        path,
        headers,
        body,
        at: tokio::time::Instant::now(),
    })
}

pub const SUBMITTED: &str =
    r#"{"task_id":"task_01JABC","status":"QUEUED","submit_time":"2026-06-04T22:00:00"}"#;

pub fn status(task_id: &str, status: &str) -> String {
    if status.eq_ignore_ascii_case("success") {
        format!(
            r#"{{"task_id":"{task_id}","status":"{status}","result_urls":["https://cdn.example/v.mp4"],"duration_sec":8}}"#
        )
    } else {
        format!(r#"{{"task_id":"{task_id}","status":"{status}"}}"#)
    }
}

pub const KEY: &str = "sk-app-test-secret-0123456789";

pub fn client(server: &Server) -> orux_client::Client {
    orux_client::Client::builder(KEY)
        .base_url(&server.base_url)
        .request_timeout(Duration::from_secs(5))
        .build()
        .expect("loopback client")
}
