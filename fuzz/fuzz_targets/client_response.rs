//! The client's network edge on anything a server could send:
//! `orux_client::edge::parse_response` (status, headers, body) and
//! `edge::retry_after`. The `edge` module is public only under the `fuzzing`
//! cfg, which cargo-fuzz sets.
//!
//! Input: two bytes of status (taken modulo 600), one byte choosing the
//! content type, a `Retry-After` value up to the first `\n`, then the body.
//! Oracles beyond "no panic, no hang":
//! - a non-2xx status is never read as a success;
//! - 401, 404, 429 and 5xx map to their own variants, other 4xx to `Rejected`,
//!   whose raw text is at most 64 KiB and is the body's start (lossy UTF-8);
//! - a success read as a status re-serializes and reads back the same;
//! - every error has a non-empty message.

#![no_main]

use http::{HeaderMap, HeaderValue, header};
use libfuzzer_sys::fuzz_target;
use orux_client::edge::{MAX_ERROR_BODY_BYTES, parse_response, retry_after};
use orux_client::{Error, SubmitResponse, TaskStatusResponse};

const CONTENT_TYPES: [Option<&str>; 5] = [
    None,
    Some("application/json"),
    Some("application/json; charset=utf-8"),
    Some("text/html"),
    Some("application/problem+json"),
];

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let status = u16::from_be_bytes([data[0], data[1]]) % 600;
    let mut headers = HeaderMap::new();
    if let Some(kind) = CONTENT_TYPES[data[2] as usize % CONTENT_TYPES.len()] {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    }
    let rest = &data[3..];
    let split = rest.iter().position(|&b| b == b'\n').unwrap_or(0);
    if let Ok(value) = HeaderValue::from_bytes(&rest[..split]) {
        headers.insert(header::RETRY_AFTER, value);
    }
    let body = rest.get(split + 1..).unwrap_or(&[]);
    let now = std::time::SystemTime::UNIX_EPOCH;
    let _ = retry_after(&headers, now);

    let submit = parse_response::<SubmitResponse>(status, &headers, body, now);
    let polled = parse_response::<TaskStatusResponse>(status, &headers, body, now);
    for error in [submit.as_ref().err(), polled.as_ref().err()].into_iter().flatten() {
        assert!(!error.to_string().is_empty());
    }
    let success = (200..300).contains(&status);
    if !success {
        assert!(submit.is_err() && polled.is_err(), "{status} read as a success");
        let error = polled.as_ref().unwrap_err();
        match status {
            401 => assert!(matches!(error, Error::Unauthorized)),
            404 => assert!(matches!(error, Error::NotFound)),
            429 => assert!(matches!(error, Error::RateLimited { .. })),
            500..=599 => assert!(matches!(error, Error::Server { .. })),
            300..=399 => assert!(matches!(error, Error::Redirected { .. })),
            400..=499 => {
                let Error::Rejected { raw, .. } = error else { panic!("{status}: {error:?}") };
                let kept = &body[..body.len().min(MAX_ERROR_BODY_BYTES)];
                assert_eq!(raw, &String::from_utf8_lossy(kept));
            }
            _ => {}
        }
    }
    if let Ok(status) = polled {
        let json = serde_json::to_vec(&status).expect("a status serializes");
        let again: TaskStatusResponse = serde_json::from_slice(&json).expect("reads back");
        assert_eq!(again.task_id, status.task_id);
        assert_eq!(again.status, status.status);
        assert_eq!(again.result_urls, status.result_urls);
    }
});
