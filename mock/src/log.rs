//! One log line per request: method, path, status, latency and model. The
//! headers are never logged, so neither is the API key. The method and the
//! path came from the client: they are quoted escaped and cut to
//! `display::QUOTE_LIMIT` characters, so a 350 KB method name makes a short
//! line, and a control character in a path cannot reach the terminal raw.

use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use orux_models::display::excerpt;

use crate::fault::ResetConnection;

/// The model a request named, attached to its response by the handler.
#[derive(Clone, Copy, Debug)]
pub struct ModelTag(pub &'static str);

/// The middleware.
pub async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    // Both clones share the request's buffers: nothing is copied.
    let method = request.method().clone();
    let uri = request.uri().clone();
    let response = next.run(request).await;
    let model = response
        .extensions()
        .get::<ModelTag>()
        .map_or("-", |tag| tag.0);
    let reset = response.extensions().get::<ResetConnection>().is_some();
    tracing::info!(
        target: "orux_mock",
        method = %excerpt(method.as_str()),
        // The path only: a query string is the client's and may hold anything.
        path = %excerpt(uri.path()),
        status = response.status().as_u16(),
        latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        model,
        reset,
        "request"
    );
    response
}
