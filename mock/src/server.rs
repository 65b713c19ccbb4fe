//! The accept loop: HTTP/1.1 connections served by hyper with the router,
//! at most [`Limits::max_connections`] at once, each given a time limit for
//! its request heads and a bounded read buffer; past the cap, a few more
//! answered at once with 429 and closed; graceful shutdown; and
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
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};
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
    /// Connections served at once; past that, up to
    /// [`REFUSED_AT_ONCE`] more are answered 429 and closed, and the rest
    /// wait in the listen queue.
    pub max_connections: usize,
    /// How long a client has to send a request's head.
    pub head_read_timeout: Duration,
}

/// How many connections past [`Limits::max_connections`] are read at once
/// to be refused with 429 `rate_limited` and `Retry-After` (then closed).
///
/// Why answer at all: a client keeps idle connections open to reuse them
/// (a pool), so one client with more requests in flight than the cap holds
/// every slot with connections it is not using, and a request on a new
/// connection would wait in the listen queue until the client's own
/// timeout, which for a submit means an unknown outcome. A 429 says at once
/// that nothing was created, and the client retries on a connection it
/// already has. Beyond this many, connections wait in the listen queue: the
/// refusals are bounded too.
pub const REFUSED_AT_ONCE: usize = 64;

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
/// progress finish (for at most [`SHUTDOWN_GRACE`]). Connections past the
/// cap get `refusing` instead, which answers 429.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    refusing: Router,
    limits: Limits,
    mut stop: oneshot::Receiver<()>,
) {
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.head_read_timeout)
        .max_buf_size(READ_BUFFER_BYTES);
    // A refused connection is closed after its answer.
    let mut closing = http.clone();
    closing.keep_alive(false);
    let served = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let refused = Arc::new(Semaphore::new(REFUSED_AT_ONCE));
    loop {
        // A slot first (one to serve, else one to refuse): when every one
        // is taken, nothing more is accepted.
        let slot = tokio::select! {
            biased;
            _ = &mut stop => break,
            Ok(permit) = Arc::clone(&served).acquire_owned() => Slot::new(Lane::Serve, permit),
            Ok(permit) = Arc::clone(&refused).acquire_owned() => Slot::new(Lane::Refuse, permit),
            else => break, // not reached: the semaphores are never closed
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
        // A connection may have closed while this one was awaited.
        let slot = match slot.lane {
            Lane::Refuse => match Arc::clone(&served).try_acquire_owned() {
                Ok(permit) => Slot::new(Lane::Serve, permit),
                Err(_) => slot,
            },
            Lane::Serve => slot,
        };
        // Small answers: send them at once.
        let _ = stream.set_nodelay(true);
        let (builder, lane_router) = match slot.lane {
            Lane::Serve => (&http, router.clone()),
            Lane::Refuse => (&closing, refusing.clone()),
        };
        let service = hyper::service::service_fn(move |request: Request<Incoming>| {
            let router = lane_router.clone();
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
        let connection = builder.serve_connection(TokioIo::new(stream), service);
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

/// What a connection gets: served, or refused with 429.
#[derive(Clone, Copy)]
enum Lane {
    Serve,
    Refuse,
}

/// The slot a connection holds while it is open.
struct Slot {
    lane: Lane,
    _permit: OwnedSemaphorePermit,
}

impl Slot {
    fn new(lane: Lane, permit: OwnedSemaphorePermit) -> Slot {
        Slot {
            lane,
            _permit: permit,
        }
    }
}
