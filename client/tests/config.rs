//! Building a client: which base URLs are allowed, and that the key stays secret.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use orux_client::{Client, Error};

const KEY: &str = "sk-app-very-secret-key-42";

#[test]
fn https_or_loopback_only() {
    for ok in [
        "https://orux.top",
        "https://orux.top/",
        "https://api.example.com/prefix",
        "http://127.0.0.1:8080",
        "http://127.8.9.10",
        "http://localhost:3000",
        "http://LOCALHOST",
        "http://[::1]:9000",
    ] {
        let client = Client::builder(KEY).base_url(ok).build();
        assert!(client.is_ok(), "{ok}: {client:?}");
    }
    for bad in [
        "http://orux.top",
        "http://10.0.0.1",
        "http://localhost.evil.com",
        "ftp://127.0.0.1",
        "orux.top",
        "",
        "https://user:pw@orux.top",
        "https://orux.top/?key=1",
    ] {
        let outcome = Client::builder(KEY).base_url(bad).build();
        assert!(
            matches!(outcome, Err(Error::Config(_))),
            "{bad}: {outcome:?}"
        );
    }
}

#[test]
fn the_key_never_shows() {
    let client = Client::builder(KEY)
        .base_url("http://127.0.0.1:1")
        .request_timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    let debug = format!("{client:?}");
    assert!(!debug.contains("very-secret"), "{debug}");
    assert!(debug.contains("127.0.0.1:1"));
    let builder = format!("{:?}", Client::builder(KEY));
    assert!(!builder.contains("very-secret"), "{builder}");
}

#[test]
fn a_bad_key_is_refused_without_echoing_it() {
    for key in ["", "  ", "sk-app-line\nbreak"] {
        let Err(Error::Config(message)) = Client::new(key) else {
            panic!("{key:?} accepted")
        };
        assert!(!message.contains("line"), "{message}");
    }
}

/// Log lines, collected.
#[derive(Clone, Default)]
struct Lines(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Lines {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn errors_and_logs_never_carry_the_key() {
    let lines = Lines::default();
    let writer = lines.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // A refused connection walks the retry path, with its log lines.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder(KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let error = client.get("t").await.unwrap_err();
    let submit = client
        .submit_json(br#"{"model":"sora2","prompt":"p"}"#)
        .await
        .unwrap_err();
    let logged = String::from_utf8_lossy(&lines.0.lock().unwrap()).into_owned();
    assert!(
        logged.contains("retrying"),
        "the retries were logged: {logged}"
    );
    for text in [
        error.to_string(),
        format!("{error:?}"),
        submit.to_string(),
        format!("{submit:?}"),
        logged,
    ] {
        assert!(!text.contains("very-secret"), "{text}");
    }
}
