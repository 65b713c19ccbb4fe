//! A webhook receiver with axum: verifies each delivery's Standard Webhooks
//! signature on the raw body, drops replays by `webhook-id`, and answers 2xx
//! only for deliveries it accepted (the sender retries anything else).
//!
//! ```sh
//! ORUX_WEBHOOK_SECRET=whsec_… cargo run -p orux-client --example webhook_receiver -- 127.0.0.1:3000
//! ```

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use orux_client::webhooks::{Verifier, WEBHOOK_ID, WebhookError};

struct Receiver {
    verifier: Verifier,
    /// Ids already handled: a sender may deliver one event more than once.
    /// A real service keeps these in its database, for longer than the
    /// 300 s a signature stays fresh.
    seen: Mutex<HashSet<String>>,
}

async fn receive(
    State(receiver): State<Arc<Receiver>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    // The raw bytes, exactly as sent: a re-serialized JSON would not verify.
    let event = match receiver.verifier.verify(&headers, &body, SystemTime::now()) {
        Ok(event) => event,
        Err(error @ WebhookError::InvalidEvent(_)) => {
            return (StatusCode::BAD_REQUEST, error.to_string());
        }
        Err(error) => return (StatusCode::UNAUTHORIZED, error.to_string()),
    };
    let id = headers
        .get(WEBHOOK_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let first_time = receiver
        .seen
        .lock()
        .map(|mut seen| seen.insert(id))
        .unwrap_or(false);
    if first_time {
        println!(
            "task {} is {} {:?}",
            event.task_id, event.status, event.result_urls
        );
    }
    (StatusCode::NO_CONTENT, String::new())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret =
        std::env::var("ORUX_WEBHOOK_SECRET").map_err(|_| "set ORUX_WEBHOOK_SECRET=whsec_…")?;
    let addr: SocketAddr = std::env::args()
        .nth(1)
        .as_deref()
        .unwrap_or("127.0.0.1:3000")
        .parse()?;
    let receiver = Arc::new(Receiver {
        verifier: Verifier::new(&secret)?,
        seen: Mutex::default(),
    });
    let app = Router::new()
        .route("/webhooks/orux", post(receive))
        // A task event is a few hundred bytes.
        .layer(DefaultBodyLimit::max(64 * 1024))
        .with_state(receiver);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!(
        "listening on http://{}/webhooks/orux",
        listener.local_addr()?
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
