//! Why a secret or a delivery was refused.

use std::fmt;

/// One variant per reason a secret is unusable or a delivery is not trusted.
/// No variant carries the key, and none carries a signature value.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret is empty (or `whsec_` alone).
    SecretEmpty,
    /// The secret (after an optional `whsec_`) is not standard base64.
    SecretBase64,
    /// The decoded key is not 24 to 64 bytes long (the Standard Webhooks range).
    SecretLength {
        /// The decoded length.
        len: usize,
    },
    /// A required header is absent, empty, or not visible ASCII.
    MissingHeader(&'static str),
    /// `webhook-timestamp` is not a whole number of Unix seconds.
    InvalidTimestamp,
    /// The timestamp is further in the past than the tolerance allows.
    TimestampTooOld {
        /// How many seconds old it is.
        age_secs: u64,
    },
    /// The timestamp is further in the future than the tolerance allows.
    TimestampInFuture {
        /// How many seconds ahead it is.
        ahead_secs: u64,
    },
    /// No entry of `webhook-signature` is a `v1` signature.
    UnknownVersion,
    /// The only `v1` entries are malformed: empty, not base64, or not 32 bytes.
    MalformedSignature,
    /// Well-formed `v1` signatures, none of which matches the content.
    SignatureMismatch,
    /// The signature matched but the body is not a task status event.
    InvalidEvent(String),
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::SecretEmpty => f.write_str("webhook secret is empty"),
            WebhookError::SecretBase64 => {
                f.write_str("webhook secret (whsec_ and a base64 key) is not valid base64")
            }
            WebhookError::SecretLength { len } => write!(
                f,
                "webhook secret key must be 24 to 64 bytes, this one is {len} bytes"
            ),
            WebhookError::MissingHeader(name) => {
                write!(f, "missing header {name} (or it is empty or not ASCII)")
            }
            WebhookError::InvalidTimestamp => {
                f.write_str("webhook-timestamp is not a whole number of Unix seconds")
            }
            WebhookError::TimestampTooOld { age_secs } => write!(
                f,
                "webhook-timestamp is {age_secs} s old, more than the {} s allowed",
                crate::TOLERANCE.as_secs()
            ),
            WebhookError::TimestampInFuture { ahead_secs } => write!(
                f,
                "webhook-timestamp is {ahead_secs} s in the future, more than the {} s allowed",
                crate::TOLERANCE.as_secs()
            ),
            WebhookError::UnknownVersion => {
                f.write_str("webhook-signature has no v1 signature (unknown version)")
            }
            WebhookError::MalformedSignature => f.write_str(
                "webhook-signature has no well-formed v1 signature (empty, not base64, or not 32 bytes)",
            ),
            WebhookError::SignatureMismatch => {
                f.write_str("no webhook-signature matches this body, id and timestamp")
            }
            WebhookError::InvalidEvent(why) => {
                // The reason can quote the body: the sender's text, shown escaped.
                write!(
                    f,
                    "signature is valid but the body is not a task event: {}",
                    orux_models::display::escape(why)
                )
            }
        }
    }
}

impl std::error::Error for WebhookError {}
