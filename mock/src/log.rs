//! One log line per request: method, path, status, latency and model. The
//! headers are never logged, so neither is the API key.

use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

use crate::fault::ResetConnection;

/// The model a request named, attached to its response by the handler.
#[derive(Clone, Copy, Debug)]
pub struct ModelTag(pub &'static str);

/// The middleware.
pub async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    // The path only: a query string is the client's and may hold anything.
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let model = response
        .extensions()
        .get::<ModelTag>()
        .map_or("-", |tag| tag.0);
    let reset = response.extensions().get::<ResetConnection>().is_some();
    tracing::info!(
        target: "orux_mock",
        method = %method,
        path = %path,
        status = response.status().as_u16(),
        latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        model,
        reset,
        "request"
    );
    response
}
