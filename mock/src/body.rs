//! Reading a request body without letting clients set the server's memory:
//! each body is bounded ([`read`]'s `limit`, 413 past it), all bodies held
//! at once share one byte budget ([`BodyBudget`], 503 with `Retry-After`
//! when it is spent), and a body must arrive within the read timeout, or
//! the connection is closed without an answer.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, header};
use http_body_util::BodyExt;
use orux_models::wire::ErrorCode;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::ApiError;

/// The `Retry-After` of a 503 for a spent budget: bodies in flight are read
/// and validated in milliseconds.
const BUSY_RETRY_AFTER_SECS: u64 = 1;

/// The bytes of request bodies the server may hold at once.
#[derive(Clone, Debug)]
pub struct BodyBudget {
    bytes: Arc<Semaphore>,
}

/// Bytes taken from the budget, given back when dropped (when the request
/// is done with its body).
#[derive(Debug)]
pub struct Held {
    permits: Option<OwnedSemaphorePermit>,
    bytes: usize,
}

impl BodyBudget {
    /// A budget of `bytes` (at least one body's first byte; at most what a
    /// semaphore counts).
    pub fn new(bytes: usize) -> BodyBudget {
        BodyBudget {
            bytes: Arc::new(Semaphore::new(bytes.clamp(1, Semaphore::MAX_PERMITS))),
        }
    }

    /// Nothing held yet.
    fn empty() -> Held {
        Held {
            permits: None,
            bytes: 0,
        }
    }

    /// Grows `held` to `bytes`, if the budget has them now.
    fn grow(&self, held: &mut Held, bytes: usize) -> bool {
        let Some(more) = bytes.checked_sub(held.bytes).filter(|more| *more > 0) else {
            return true;
        };
        let Ok(more32) = u32::try_from(more) else {
            return false;
        };
        match Arc::clone(&self.bytes).try_acquire_many_owned(more32) {
            Ok(permit) => {
                match &mut held.permits {
                    Some(permits) => permits.merge(permit),
                    None => held.permits = Some(permit),
                }
                held.bytes = bytes;
                true
            }
            Err(_) => false,
        }
    }
}

/// Why a body was not read.
#[derive(Debug)]
pub enum Unread {
    /// Answer with this error.
    Refused(ApiError),
    /// The body did not arrive in time: close the connection, no answer.
    TooSlow,
}

/// Reads the whole body: at most `limit` bytes (413 at once when
/// `Content-Length` says more, or as soon as the stream passes it), held
/// within `budget` (503 when the budget cannot hold it), within `timeout`.
/// The bytes stay counted in the budget while the returned [`Held`] lives.
pub async fn read(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    budget: &BodyBudget,
    timeout: Duration,
) -> Result<(Bytes, Held), Unread> {
    let too_large = || {
        Unread::Refused(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("the body is larger than {limit} bytes"),
        ))
    };
    let busy = || {
        Unread::Refused(ApiError::busy(
            "the server is reading as many request bodies as it holds at once; retry shortly",
            BUSY_RETRY_AFTER_SECS,
        ))
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit as u64) {
        return Err(too_large());
    }
    let mut held = BodyBudget::empty();
    // A declared length is held up front: the whole body will be buffered.
    if let Some(len) = declared
        && !budget.grow(&mut held, usize::try_from(len).unwrap_or(usize::MAX))
    {
        return Err(busy());
    }
    let collect = async {
        let mut body = body;
        // A body that comes in one chunk (the usual case) is kept as it
        // came; a second chunk starts a buffer.
        let mut first = Bytes::new();
        let mut buffer: Option<Vec<u8>> = None;
        while let Some(frame) = body.frame().await {
            let Ok(frame) = frame else {
                return Err(Unread::Refused(ApiError::invalid_param(
                    "the request body could not be read to its end",
                )));
            };
            let Ok(chunk) = frame.into_data() else {
                continue; // trailers
            };
            let size = buffer.as_ref().map_or(first.len(), Vec::len) + chunk.len();
            if size > limit {
                return Err(too_large());
            }
            if !budget.grow(&mut held, size) {
                return Err(busy());
            }
            match &mut buffer {
                Some(buffer) => buffer.extend_from_slice(&chunk),
                None if first.is_empty() => first = chunk,
                None => {
                    let mut joined = Vec::with_capacity(held.bytes.max(size));
                    joined.extend_from_slice(&first);
                    joined.extend_from_slice(&chunk);
                    buffer = Some(joined);
                }
            }
        }
        Ok(buffer.map_or(first, Bytes::from))
    };
    match tokio::time::timeout(timeout, collect).await {
        Ok(Ok(bytes)) => Ok((bytes, held)),
        Ok(Err(unread)) => Err(unread),
        Err(_) => Err(Unread::TooSlow),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_is_shared_and_given_back() {
        let budget = BodyBudget::new(100);
        let mut a = BodyBudget::empty();
        assert!(budget.grow(&mut a, 60));
        assert!(budget.grow(&mut a, 60), "already held");
        let mut b = BodyBudget::empty();
        assert!(!budget.grow(&mut b, 41));
        assert!(budget.grow(&mut b, 40));
        assert!(!budget.grow(&mut a, 61));
        drop(a);
        assert!(budget.grow(&mut b, 100));
        let mut huge = BodyBudget::empty();
        assert!(!budget.grow(&mut huge, usize::MAX));
    }
}
