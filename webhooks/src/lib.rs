//! [Standard Webhooks](https://www.standardwebhooks.com) v1 (symmetric) for the
//! events Orux sends to a request's `webhook_url` when its task ends.
//!
//! A delivery carries three headers, [`WEBHOOK_ID`], [`WEBHOOK_TIMESTAMP`] (Unix
//! seconds) and [`WEBHOOK_SIGNATURE`] (one or more space-separated
//! `v1,<base64 HMAC-SHA256>` entries), and the HMAC is taken over
//! `<id>.<timestamp>.<raw body bytes>` with the key of a `whsec_<base64>`
//! secret (read as the Standard Webhooks libraries read it: the `whsec_`
//! prefix and the base64 padding are optional).
//! [`Verifier::verify`] checks all of that on the raw bytes, in constant time,
//! and only then reads the body as a [`WebhookEvent`]; [`Verifier::sign`] is the
//! sender's half (the mock server signs its deliveries with it).
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use orux_webhooks::{Verifier, WEBHOOK_ID, WEBHOOK_SIGNATURE, WEBHOOK_TIMESTAMP};
//!
//! let verifier = Verifier::new("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD")?;
//! let body = br#"{"task_id":"task_1","status":"SUCCESS","result_urls":["https://cdn.example/v.mp4"]}"#;
//! let signature = verifier.sign("msg_1", 1_700_000_000, body);
//! let headers = [
//!     (WEBHOOK_ID, "msg_1"),
//!     (WEBHOOK_TIMESTAMP, "1700000000"),
//!     (WEBHOOK_SIGNATURE, signature.as_str()),
//! ];
//! let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_010);
//! let event = verifier.verify(&headers, body, now)?;
//! assert_eq!(event.task_id, "task_1");
//! # Ok::<(), orux_webhooks::WebhookError>(())
//! ```

mod error;
mod event;
mod headers;
mod verifier;

pub use error::WebhookError;
pub use event::WebhookEventRef;
pub use headers::WebhookHeaders;
pub use orux_models::responses::WebhookEvent;
pub use verifier::{TOLERANCE, Verifier};

/// The three header names, defined with the API's other wire words.
pub use orux_models::wire::{WEBHOOK_ID, WEBHOOK_SIGNATURE, WEBHOOK_TIMESTAMP};

/// The crate's README.md: its Rust blocks run as doc tests (`cargo xtask
/// snippets` checks that every README's are).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
