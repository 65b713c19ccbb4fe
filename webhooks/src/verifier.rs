//! The key, the signature scheme and the checks on a delivery.

use std::fmt;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::{
    WEBHOOK_ID, WEBHOOK_SIGNATURE, WEBHOOK_TIMESTAMP, WebhookError, WebhookEvent, WebhookEventRef,
    WebhookHeaders,
};

/// How far a delivery's timestamp may be from the receiver's clock, either way.
pub const TOLERANCE: Duration = Duration::from_secs(300);

const PREFIX: &str = "whsec_";
/// Standard base64 whose `=` padding may be there or not, as the Standard
/// Webhooks libraries read a secret.
const SECRET_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
/// Base64 (with padding) of a 32-byte HMAC-SHA256 is always 44 characters.
const SIGNATURE_B64_LEN: usize = 44;

/// Signs and verifies deliveries with one `whsec_` secret. Cheap to clone;
/// `Debug` never shows the key.
#[derive(Clone)]
pub struct Verifier {
    /// The HMAC already keyed: each message starts from a copy of this state,
    /// so the key schedule is paid once, not per delivery.
    keyed: Hmac<Sha256>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("key", &"<redacted>")
            .finish()
    }
}

impl Verifier {
    /// Reads a secret as the Standard Webhooks libraries do: `whsec_` and
    /// the base64 of the key, the prefix optional and the `=` padding too.
    /// An empty secret is refused, and so is a key outside the standard's 24
    /// to 64 bytes.
    pub fn new(secret: &str) -> Result<Verifier, WebhookError> {
        let encoded = secret.strip_prefix(PREFIX).unwrap_or(secret);
        if encoded.is_empty() {
            return Err(WebhookError::SecretEmpty);
        }
        let key = SECRET_BASE64
            .decode(encoded)
            .map_err(|_| WebhookError::SecretBase64)?;
        if !(24..=64).contains(&key.len()) {
            return Err(WebhookError::SecretLength { len: key.len() });
        }
        let keyed = Hmac::<Sha256>::new_from_slice(&key)
            .map_err(|_| WebhookError::SecretLength { len: key.len() })?;
        Ok(Verifier { keyed })
    }

    /// The `webhook-signature` header value: `v1,<base64 HMAC-SHA256 of id.ts.body>`.
    pub fn sign(&self, msg_id: &str, timestamp: u64, body: &[u8]) -> String {
        let mac = self.mac(msg_id, timestamp, body);
        let mut out = String::with_capacity(3 + SIGNATURE_B64_LEN);
        out.push_str("v1,");
        STANDARD.encode_string(mac, &mut out);
        out
    }

    /// Checks a delivery against the clock `now` and, when it is authentic and
    /// fresh, reads its raw `body` as the task event. Passes when any one of the
    /// `v1` signatures matches (secret rotation).
    pub fn verify(
        &self,
        headers: &impl WebhookHeaders,
        body: &[u8],
        now: SystemTime,
    ) -> Result<WebhookEvent, WebhookError> {
        self.verify_signature(headers, body, now)?;
        crate::event::parse(body).map_err(|error| WebhookError::InvalidEvent(error.to_string()))
    }

    /// [`Verifier::verify`], returning the event with its strings borrowed
    /// from `body`: the same checks, the same bodies accepted and the same
    /// errors, without copying each string out of the body.
    pub fn verify_borrowed<'b>(
        &self,
        headers: &impl WebhookHeaders,
        body: &'b [u8],
        now: SystemTime,
    ) -> Result<WebhookEventRef<'b>, WebhookError> {
        self.verify_signature(headers, body, now)?;
        crate::event::parse_borrowed(body)
            .map_err(|error| WebhookError::InvalidEvent(error.to_string()))
    }

    /// The checks of [`Verifier::verify`] without reading the body: for a
    /// receiver whose bodies are not task events.
    pub fn verify_signature(
        &self,
        headers: &impl WebhookHeaders,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        let msg_id = header(headers, WEBHOOK_ID)?;
        let timestamp = header(headers, WEBHOOK_TIMESTAMP)?;
        let signatures = header(headers, WEBHOOK_SIGNATURE)?;
        let timestamp = parse_timestamp(timestamp)?;
        check_fresh(timestamp, now)?;

        let expected = self.mac(msg_id, timestamp, body);
        let mut saw_v1 = false;
        let mut saw_well_formed = false;
        let mut matched = false;
        for entry in signatures.split(' ').filter(|entry| !entry.is_empty()) {
            let Some(("v1", encoded)) = entry.split_once(',') else {
                continue;
            };
            saw_v1 = true;
            // The length is checked before comparing: a comparison over the
            // shorter of two inputs would accept an empty `v1,`.
            let Some(candidate) = decode_signature(encoded) else {
                continue;
            };
            saw_well_formed = true;
            // Every candidate is compared, so timing does not reveal which one matched.
            matched |= bool::from(candidate.ct_eq(&expected));
        }
        if !matched {
            return Err(if !saw_v1 {
                WebhookError::UnknownVersion
            } else if !saw_well_formed {
                WebhookError::MalformedSignature
            } else {
                WebhookError::SignatureMismatch
            });
        }
        Ok(())
    }

    fn mac(&self, msg_id: &str, timestamp: u64, body: &[u8]) -> [u8; 32] {
        let mut mac = self.keyed.clone();
        mac.update(msg_id.as_bytes());
        mac.update(b".");
        mac.update(itoa::Buffer::new().format(timestamp).as_bytes());
        mac.update(b".");
        mac.update(body);
        mac.finalize().into_bytes().into()
    }
}

fn header<'h>(
    headers: &'h impl WebhookHeaders,
    name: &'static str,
) -> Result<&'h str, WebhookError> {
    match headers.get(name) {
        Some(value) if !value.trim().is_empty() => Ok(value.trim()),
        _ => Err(WebhookError::MissingHeader(name)),
    }
}

fn parse_timestamp(text: &str) -> Result<u64, WebhookError> {
    // Digits only: `u64::from_str` would also take a leading `+`.
    if text.is_empty() || text.len() > 20 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(WebhookError::InvalidTimestamp);
    }
    text.parse().map_err(|_| WebhookError::InvalidTimestamp)
}

fn check_fresh(timestamp: u64, now: SystemTime) -> Result<(), WebhookError> {
    let now = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let tolerance = TOLERANCE.as_secs();
    if now > timestamp && now - timestamp > tolerance {
        return Err(WebhookError::TimestampTooOld {
            age_secs: now - timestamp,
        });
    }
    if timestamp > now && timestamp - now > tolerance {
        return Err(WebhookError::TimestampInFuture {
            ahead_secs: timestamp - now,
        });
    }
    Ok(())
}

fn decode_signature(encoded: &str) -> Option<[u8; 32]> {
    if encoded.len() != SIGNATURE_B64_LEN {
        return None;
    }
    let mut out = [0u8; 33];
    match STANDARD.decode_slice(encoded, &mut out) {
        Ok(32) => out[..32].try_into().ok(),
        _ => None,
    }
}
