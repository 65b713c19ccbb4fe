//! The accept loop: HTTP/1.1 connections served by hyper with the router,
//! at most [`Limits::max_connections`] at once, each given a time limit for
//! its request heads and a bounded read buffer; graceful shutdown; and
//! connections closed without an answer when a request asked for the
//! `reset` fault or did not send its body in time.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, oneshot};
use tower::ServiceExt;

use crate::fault::ResetConnection;

/// The most a connection buffers while reading a request head (hyper's
/// default is 400 KiB): heads are a few hundred bytes, and with
/// [`Limits::max_connections`] connections this bounds what idle or slow
/// clients can make the server hold.
const READ_BUFFER_BYTES: usize = 64 * 1024;

/// The limits of the accept loop.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Connections served at once; past that, new ones wait in the
    /// listen queue until one closes.
    pub max_connections: usize,
    /// How long a client has to send a request's head.
    pub head_read_timeout: Duration,
}

/// How long a shutdown waits for requests in progress before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// The error that makes hyper drop a connection without writing an answer.
#[derive(Debug)]
struct Reset;

impl fmt::Display for Reset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection closed without an answer (a reset fault, or a body too slow)")
    }
}

impl std::error::Error for Reset {}

/// Serves `router` on `listener` until `stop` fires, then lets requests in
/// progress finish (for at most [`SHUTDOWN_GRACE`]).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    mut stop: oneshot::Receiver<()>,
) {
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.head_read_timeout)
        .max_buf_size(READ_BUFFER_BYTES);
    let connections = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    loop {
        // A slot first: when every one is taken, nothing more is accepted.
        let slot = tokio::select! {
            slot = Arc::clone(&connections).acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break, // not reached: the semaphore is never closed
            },
            _ = &mut stop => break,
        };
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
            // A failed connection (client gone, reset fault, too slow)
            // concerns only itself.
            let _ = connection.await;
            drop(slot);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}
