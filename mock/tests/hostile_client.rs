//! The mock against hostile clients, over raw TCP: stalled heads and
//! bodies, more connections than it serves (429 at once, then the
//! listen queue), bodies beyond its memory
//! budget, giant methods and paths, header bombs, and request bodies that
//! aim its webhooks at hosts it must not reach (request forgery). Time is
//! tokio's paused clock: a 30 s read timeout passes at once.
//!
//! Every case counts the POSTs that reached the server, from its own log
//! (one line per request, captured per test).

mod common;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use common::{SORA, start};
use orux_mock::{Config, DEFAULT_REQUEST_READ_TIMEOUT};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

/// The mock's log lines, captured for one test.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Log {
    /// Captures what this thread logs until the guard is dropped: the
    /// tests run the server on their own (current-thread) runtime.
    fn capture() -> (Log, tracing::subscriber::DefaultGuard) {
        let log = Log::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        (log, tracing::subscriber::set_default(subscriber))
    }

    fn lines(&self) -> Vec<String> {
        let bytes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes)
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// Request lines for this method.
    fn requests(&self, method: &str) -> usize {
        let field = format!("method={method} ");
        self.lines()
            .iter()
            .filter(|line| line.contains(" request ") && line.contains(&field))
            .count()
    }

    fn containing(&self, text: &str) -> usize {
        self.lines().iter().filter(|l| l.contains(text)).count()
    }
}

impl std::io::Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const HEAD: &str = "POST /api/v1/tasks HTTP/1.1\r\nhost: x\r\nauthorization: Bearer sk-app-1\r\n\
                    content-type: application/json\r\n";

/// Reads until the server closes the connection (or resets it); returns
/// what it sent.
async fn until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut answer = Vec::new();
    let mut chunk = [0u8; 4096];
    while let Ok(n) = stream.read(&mut chunk).await {
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&chunk[..n]);
    }
    answer
}

/// Lets every task that can run do so, before the paused clock moves.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

/// Whether `elapsed` is the read timeout (to the millisecond the paused
/// clock moves by).
fn is_read_timeout(elapsed: Duration) -> bool {
    let timeout = DEFAULT_REQUEST_READ_TIMEOUT;
    elapsed >= timeout && elapsed < timeout + Duration::from_millis(50)
}

/// Lets the server's tasks (and the paused clock) move until `done`.
async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..2000 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("never happened: {what}");
}

#[tokio::test(start_paused = true)]
async fn stalled_bodies_are_cut_at_the_read_timeout_without_an_answer() {
    let (log, _guard) = Log::capture();
    let mock = start(Config::default()).await;
    let stalls = [
        // Content-Length longer than what is sent.
        format!("{HEAD}content-length: 1000\r\n\r\n{{\"model\":"),
        // A chunked body that never ends.
        format!("{HEAD}transfer-encoding: chunked\r\n\r\n5\r\n{{\"mod\r\n"),
    ];
    for stall in &stalls {
        let mut stream = TcpStream::connect(mock.server.local_addr()).await.unwrap();
        stream.write_all(stall.as_bytes()).await.unwrap();
        let started = Instant::now();
        let answer = until_closed(&mut stream).await;
        assert_eq!(answer, b"", "closed without an answer");
        assert!(
            is_read_timeout(started.elapsed()),
            "{:?}",
            started.elapsed()
        );
    }
    // Each reached the server (and was logged as reset), none made a task.
    assert_eq!(log.requests("POST"), 2);
    assert_eq!(log.containing("reset=true"), 2);

    // A stalled head is cut too, before it is a request.
    let mut stream = TcpStream::connect(mock.server.local_addr()).await.unwrap();
    stream
        .write_all(b"POST /api/v1/tasks HTTP/1.1\r\nhost: x\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    until_closed(&mut stream).await;
    assert!(
        is_read_timeout(started.elapsed()),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(log.requests("POST"), 2);

    // The server still answers.
    let answer = mock.submit(SORA, &[]).await;
    assert_eq!(answer.status, 200);
    assert_eq!(log.requests("POST"), 3);
}

#[tokio::test(start_paused = true)]
async fn connections_past_the_cap_get_429_at_once_then_wait_for_one_to_close() {
    let (log, _guard) = Log::capture();
    let mock = start(Config {
        max_connections: 2,
        ..Config::default()
    })
    .await;
    let addr = mock.server.local_addr();
    let request = format!("{HEAD}content-length: {}\r\n\r\n{SORA}", SORA.len());
    // Two idle connections hold every slot, as a client's pool does.
    let mut idle = vec![
        TcpStream::connect(addr).await.unwrap(),
        TcpStream::connect(addr).await.unwrap(),
    ];
    settle().await;

    // A submit on a third connection is refused at once, not left to time
    // out (an unknown outcome for the client): 429, nothing created.
    let mut third = TcpStream::connect(addr).await.unwrap();
    third.write_all(request.as_bytes()).await.unwrap();
    let started = Instant::now();
    let answer = String::from_utf8_lossy(&until_closed(&mut third).await).into_owned();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(answer.starts_with("HTTP/1.1 429"), "{answer}");
    let head = answer.to_ascii_lowercase();
    assert!(head.contains("retry-after: 1\r\n"), "{answer}");
    assert!(head.contains("connection: close\r\n"), "{answer}");
    assert!(answer.contains(r#""code":"rate_limited""#), "{answer}");
    let stats = mock.server.stats();
    assert_eq!((stats.tasks_created, stats.rejected_submits), (0, 1));
    assert_eq!(log.containing("status=429"), 1);

    // The refusals are bounded too: with every refusing slot held by a
    // silent connection, the next one waits in the listen queue...
    let mut silent = Vec::new();
    for _ in 0..orux_mock::REFUSED_AT_ONCE {
        silent.push(TcpStream::connect(addr).await.unwrap());
    }
    settle().await;
    let mut waiting = TcpStream::connect(addr).await.unwrap();
    waiting.write_all(request.as_bytes()).await.unwrap();
    let mut status = [0u8; 12];
    let waited = tokio::time::timeout(Duration::from_secs(5), waiting.read(&mut status)).await;
    assert!(waited.is_err(), "not answered while every slot is held");
    // ...and is served once a served connection closes.
    drop(idle.pop());
    waiting.read_exact(&mut status).await.unwrap();
    assert_eq!(&status, b"HTTP/1.1 200");
    assert_eq!(mock.server.stats().tasks_created, 1);
}

#[tokio::test(start_paused = true)]
async fn bodies_past_the_memory_budget_get_503_with_retry_after() {
    let (log, _guard) = Log::capture();
    let budget = 1024 * 1024;
    let mock = start(Config {
        body_budget_bytes: budget,
        ..Config::default()
    })
    .await;
    // A body of 600 KiB that is still arriving holds its share...
    let big = 600 * 1024;
    let mut first = TcpStream::connect(mock.server.local_addr()).await.unwrap();
    let head = format!("{HEAD}content-length: {big}\r\n\r\n");
    first.write_all(head.as_bytes()).await.unwrap();
    first.write_all(&vec![b' '; 1000]).await.unwrap();
    settle().await;
    // ...so a second one, declared or streamed, does not fit.
    for second in [
        format!("{HEAD}content-length: {big}\r\n\r\n"),
        format!("{HEAD}transfer-encoding: chunked\r\n\r\n{:x}\r\n", big),
    ] {
        let mut stream = TcpStream::connect(mock.server.local_addr()).await.unwrap();
        stream.write_all(second.as_bytes()).await.unwrap();
        let _ = stream.write_all(&vec![b' '; big]).await;
        let answer = String::from_utf8_lossy(&until_closed(&mut stream).await).into_owned();
        assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
        assert!(
            answer.to_ascii_lowercase().contains("retry-after: 1"),
            "{answer}"
        );
        assert!(answer.contains(r#""code":"internal""#), "{answer}");
    }
    // Small bodies still fit beside it.
    let answer = mock.submit(SORA, &[]).await;
    assert_eq!(answer.status, 200);
    // Once the first body is done, its bytes are free again.
    first.write_all(&vec![b' '; big - 1000]).await.unwrap();
    let done = String::from_utf8_lossy(&until_closed(&mut first).await).into_owned();
    assert!(
        done.starts_with("HTTP/1.1 400"),
        "spaces are no body: {done}"
    );
    let padded = format!("{SORA}{}", " ".repeat(big - SORA.len()));
    let second = mock.submit(padded, &[]).await;
    assert_eq!(second.status, 200, "{:?}", second.json);
    assert_eq!(log.requests("POST"), 5);
}

#[tokio::test(start_paused = true)]
async fn giant_methods_paths_and_header_bombs_make_no_giant_log_lines() {
    let (log, _guard) = Log::capture();
    let mock = start(Config::default()).await;
    let addr = mock.server.local_addr();
    // A path of 60 KB (within what a head may be).
    let path = format!("/api/v1/tasks/{}", "a".repeat(60_000));
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let answer = String::from_utf8_lossy(&until_closed(&mut stream).await).into_owned();
    assert!(answer.starts_with("HTTP/1.1 "), "{answer}");
    // A 350 KB method, and 10,000 headers: refused before they are requests.
    for request in [
        format!(
            "{} /api/v1/tasks HTTP/1.1\r\nhost: x\r\n\r\n",
            "P".repeat(350_000)
        ),
        format!(
            "POST /api/v1/tasks HTTP/1.1\r\n{}\r\n",
            (0..10_000)
                .map(|n| format!("x-h{n}: v\r\n"))
                .collect::<String>()
        ),
    ] {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let _ = stream.write_all(request.as_bytes()).await;
        let answer = String::from_utf8_lossy(&until_closed(&mut stream).await).into_owned();
        assert!(!answer.starts_with("HTTP/1.1 2"), "{answer}");
    }
    let lines = log.lines();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("path=/api/v1/tasks/aaaa") && l.contains("a…")),
        "the long path is logged, cut: {lines:?}"
    );
    for line in &lines {
        assert!(line.len() < 400, "a log line of {} bytes", line.len());
    }
    assert_eq!(log.requests("POST"), 0);
}

/// A TCP listener on loopback that counts the connections it accepts and
/// answers none of them (a receiver that hangs, or one speaking no TLS).
async fn hanging_receiver() -> (u16, Arc<Mutex<usize>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(Mutex::new(0));
    let count = Arc::clone(&accepted);
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            *count.lock().unwrap_or_else(PoisonError::into_inner) += 1;
            held.push(stream);
        }
    });
    (port, accepted)
}

fn count(counter: &Mutex<usize>) -> usize {
    *counter.lock().unwrap_or_else(PoisonError::into_inner)
}

fn with_hook(url: &str) -> String {
    format!(r#"{{"model":"sora2","prompt":"A paper boat","webhook_url":"{url}"}}"#)
}

#[tokio::test]
async fn webhooks_go_only_to_loopback_unless_allowed() {
    let (log, _guard) = Log::capture();
    let mock = start(Config {
        task_duration: Duration::ZERO,
        ..Config::default()
    })
    .await;
    // Hosts a request body must not make the mock reach: each delivery is
    // skipped, logged once, and never retried.
    let forged = [
        "https://203.0.113.7/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://10.0.0.1/internal",
        "https://0.0.0.0:9/",
        "https://[::ffff:192.0.2.1]/",
        "https://unresolvable.invalid/hook",
    ];
    for url in forged {
        assert_eq!(mock.submit(with_hook(url), &[]).await.status, 200, "{url}");
    }
    eventually("every forged delivery is skipped", || {
        log.containing("webhook not delivered") == forged.len()
    })
    .await;
    // Loopback, by address or by a name that resolves there, is reached.
    let (port, accepted) = hanging_receiver().await;
    for url in [
        format!("https://127.0.0.1:{port}/hook"),
        format!("https://localhost:{port}/hook"),
        format!("https://[::ffff:127.0.0.1]:{port}/hook"),
    ] {
        assert_eq!(mock.submit(with_hook(&url), &[]).await.status, 200);
    }
    eventually("the loopback receiver is reached three times", || {
        count(&accepted) == 3
    })
    .await;
    // Moving the clock past every retry sends nothing more to the forged
    // hosts, and logs nothing more about them.
    mock.clock.advance(Duration::from_secs(86_400));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(log.containing("webhook not delivered"), forged.len());
    assert_eq!(log.requests("POST"), forged.len() + 3);
}

#[tokio::test]
async fn one_hanging_receiver_does_not_delay_the_others() {
    let mock = start(Config {
        task_duration: Duration::ZERO,
        ..Config::default()
    })
    .await;
    let (slow, slow_accepted) = hanging_receiver().await;
    let (fast, fast_accepted) = hanging_receiver().await;
    // More deliveries to the hanging host than there are slots in all.
    for _ in 0..70 {
        let hook = with_hook(&format!("https://127.0.0.1:{slow}/hook"));
        assert_eq!(mock.submit(hook, &[]).await.status, 200);
    }
    let hook = with_hook(&format!("https://127.0.0.1:{fast}/hook"));
    assert_eq!(mock.submit(hook, &[]).await.status, 200);
    // The other receiver is reached while the hanging one still holds its
    // deliveries (each attempt waits 10 s before it fails), and the hanging
    // one holds no more than its own slots.
    eventually("the other receiver is reached", || {
        count(&fast_accepted) == 1
    })
    .await;
    let held = count(&slow_accepted);
    assert!(
        (1..=8).contains(&held),
        "{held} deliveries to one host at once"
    );
}
