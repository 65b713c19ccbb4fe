//! A hostile file host on loopback (port 0), in the test's own runtime: it
//! serves versions of one file, and each GET is answered the way the
//! test's script says (honestly, or cut short, stalled, ignoring the range,
//! lying about the length, with a wrong range, endless…). Every request is
//! recorded, headers included, so tests can count requests and check what
//! was sent (`Seen`, as the API test server records it).

#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub use crate::support::Seen;
use crate::support::read_request;

/// One version of the file.
#[derive(Clone, Debug)]
pub struct Version {
    pub body: Arc<Vec<u8>>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_type: Option<String>,
}

impl Version {
    /// `len` deterministic pseudo-random bytes from `seed`, with a strong
    /// ETag naming the seed, and `video/mp4`.
    pub fn random(seed: u64, len: usize) -> Version {
        let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        let body = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        Version {
            body: Arc::new(body),
            etag: Some(format!("\"v{seed}\"")),
            last_modified: Some("Wed, 03 Jun 2026 22:00:00 GMT".to_owned()),
            content_type: Some("video/mp4".to_owned()),
        }
    }
}

/// How one request is answered. `usize` fields pick the version.
#[derive(Clone, Debug)]
pub enum Serve {
    /// Honours `Range` and `If-Range` (strong ETag or the exact date).
    Honest(usize),
    /// Like `Honest`, then closes after this many body bytes.
    DropAfter(usize, u64),
    /// Like `Honest`, then sends nothing more after this many body bytes,
    /// holding the connection open until the client closes it.
    StallAfter(usize, u64),
    /// 200 with the whole file, whatever the `Range`.
    IgnoreRange(usize),
    /// Declares this many bytes more than it sends, then closes.
    LongerThanSent(usize, u64),
    /// A 206 whose `Content-Range` starts one byte later than asked.
    WrongRange(usize),
    /// Chunked transfer encoding: no length at all.
    Chunked(usize),
    /// Chunked, and never ends.
    Endless,
    /// This status, these headers, no body.
    Status(u16, Vec<(String, String)>),
    /// A redirect (this 3xx status) to this `Location`.
    Redirect(u16, String),
}

type Script = dyn Fn(&Seen, usize) -> Serve + Send + Sync;

/// A running host; it lives as long as the test's runtime.
pub struct FileHost {
    pub base_url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl FileHost {
    /// Serves `versions`; `script` gets each request and how many GETs came before it.
    pub async fn start(
        versions: Vec<Version>,
        script: impl Fn(&Seen, usize) -> Serve + Send + Sync + 'static,
    ) -> FileHost {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base_url = format!("http://{}", listener.local_addr().expect("addr"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let script: Arc<Script> = Arc::new(script);
        let versions = Arc::new(versions);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, versions.clone(), script.clone(), log.clone()));
            }
        });
        FileHost { base_url, seen }
    }

    /// The URL of a path on this host.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn gets(&self) -> usize {
        self.seen().iter().filter(|s| s.method == "GET").count()
    }
}

async fn serve(
    mut stream: TcpStream,
    versions: Arc<Vec<Version>>,
    script: Arc<Script>,
    log: Arc<Mutex<Vec<Seen>>>,
) {
    let Some(seen) = read_request(&mut stream).await else {
        return;
    };
    let index = {
        let mut log = log.lock().unwrap();
        let index = log.iter().filter(|s| s.method == "GET").count();
        log.push(seen.clone());
        index
    };
    let serve = script(&seen, index);
    let version = |v: usize| versions[v].clone();
    match serve {
        Serve::Honest(v) => honest(&mut stream, &seen, &version(v), None).await,
        Serve::DropAfter(v, n) => honest(&mut stream, &seen, &version(v), Some(n)).await,
        Serve::StallAfter(v, n) => {
            honest(&mut stream, &seen, &version(v), Some(n)).await;
            // Hold the connection until the client gives up on it.
            let mut sink = [0u8; 64];
            while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
        }
        Serve::IgnoreRange(v) => {
            let v = version(v);
            let head = head(200, &v, v.body.len() as u64, None);
            write(&mut stream, &head, &v.body).await;
        }
        Serve::LongerThanSent(v, extra) => {
            let v = version(v);
            let head = head(200, &v, v.body.len() as u64 + extra, None);
            write(&mut stream, &head, &v.body).await;
        }
        Serve::WrongRange(v) => {
            let v = version(v);
            let start = requested_start(&seen).unwrap_or(0) + 1;
            let len = v.body.len() as u64;
            let range = format!("bytes {start}-{}/{len}", len - 1);
            let head = head(206, &v, len - start, Some(range));
            write(&mut stream, &head, &v.body[start as usize..]).await;
        }
        Serve::Chunked(v) => {
            let v = version(v);
            let mut head = head(200, &v, 0, None);
            head = head.replace("content-length: 0\r\n", "transfer-encoding: chunked\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
            for piece in v.body.chunks(8192) {
                let _ = stream
                    .write_all(format!("{:x}\r\n", piece.len()).as_bytes())
                    .await;
                let _ = stream.write_all(piece).await;
                let _ = stream.write_all(b"\r\n").await;
            }
            let _ = stream.write_all(b"0\r\n\r\n").await;
            let _ = stream.shutdown().await;
        }
        Serve::Endless => {
            let head = "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-type: video/mp4\r\ntransfer-encoding: chunked\r\n\r\n";
            let _ = stream.write_all(head.as_bytes()).await;
            let piece = vec![7u8; 65536];
            loop {
                let framed =
                    [format!("{:x}\r\n", piece.len()).as_bytes(), &piece, b"\r\n"].concat();
                if stream.write_all(&framed).await.is_err() {
                    return;
                }
            }
        }
        Serve::Redirect(status, location) => {
            let head = format!(
                "HTTP/1.1 {status} X\r\nconnection: close\r\ncontent-length: 0\r\nlocation: {location}\r\n\r\n"
            );
            write(&mut stream, &head, &[]).await;
        }
        Serve::Status(status, headers) => {
            let mut head =
                format!("HTTP/1.1 {status} X\r\nconnection: close\r\ncontent-length: 0\r\n");
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            write(&mut stream, &head, &[]).await;
        }
    }
}

/// The start of `Range: bytes=N-`, if the request has one.
fn requested_start(seen: &Seen) -> Option<u64> {
    seen.header("range")?
        .strip_prefix("bytes=")?
        .strip_suffix('-')?
        .parse()
        .ok()
}

/// An honest answer: 206 when a range was asked and `If-Range` (if any)
/// names this version, 416 past the end, else 200; cut after `cut` body bytes.
async fn honest(stream: &mut TcpStream, seen: &Seen, v: &Version, cut: Option<u64>) {
    let len = v.body.len() as u64;
    let if_range_ok = match seen.header("if-range") {
        None => true,
        Some(value) => {
            v.etag.as_deref() == Some(value) || v.last_modified.as_deref() == Some(value)
        }
    };
    let (status, start, range) = match requested_start(seen) {
        Some(start) if if_range_ok && start >= len => {
            let head = format!(
                "HTTP/1.1 416 X\r\nconnection: close\r\ncontent-length: 0\r\ncontent-range: bytes */{len}\r\n\r\n"
            );
            write(stream, &head, &[]).await;
            return;
        }
        Some(start) if if_range_ok => {
            (206, start, Some(format!("bytes {start}-{}/{len}", len - 1)))
        }
        _ => (200, 0, None),
    };
    let body = &v.body[start as usize..];
    let head = head(status, v, body.len() as u64, range);
    let body = match cut {
        Some(n) => &body[..(n as usize).min(body.len())],
        None => body,
    };
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body).await;
    if cut.is_none() {
        let _ = stream.shutdown().await;
    }
}

fn head(status: u16, v: &Version, length: u64, range: Option<String>) -> String {
    let mut head =
        format!("HTTP/1.1 {status} X\r\nconnection: close\r\ncontent-length: {length}\r\n");
    for (name, value) in [
        ("etag", &v.etag),
        ("last-modified", &v.last_modified),
        ("content-type", &v.content_type),
        ("content-range", &range),
    ] {
        if let Some(value) = value {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str("\r\n");
    head
}

async fn write(stream: &mut TcpStream, head: &str, body: &[u8]) {
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body).await;
    let _ = stream.shutdown().await;
}
