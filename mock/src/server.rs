//! The accept loop: HTTP/1.1 connections served by hyper with the router,
//! graceful shutdown, and connections closed without an answer when a
//! request asked for the `reset` fault.

use std::fmt;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tower::ServiceExt;

use crate::fault::ResetConnection;

/// A client gets this long to send its request head.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a shutdown waits for requests in progress before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// The error that makes hyper drop a connection without writing an answer.
#[derive(Debug)]
struct Reset;

impl fmt::Display for Reset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection reset on request (X-Orux-Mock-Fault: reset)")
    }
}

impl std::error::Error for Reset {}

/// Serves `router` on `listener` until `stop` fires, then lets requests in
/// progress finish (for at most [`SHUTDOWN_GRACE`]).
pub async fn serve(listener: TcpListener, router: Router, mut stop: oneshot::Receiver<()>) {
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    // Out of file descriptors and the like: back off, keep serving.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        // Small answers: send them at once.
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |request: Request<Incoming>| {
            let router = router.clone();
            async move {
                let response = match router.oneshot(request).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                };
                if response.extensions().get::<ResetConnection>().is_some() {
                    return Err(Reset);
                }
                Ok::<_, Reset>(response)
            }
        });
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A failed connection (client gone, reset fault) concerns only itself.
            let _ = connection.await;
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}
