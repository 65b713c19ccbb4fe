//! Webhook verification on anything a sender could send:
//! `orux_webhooks::Verifier::verify` with arbitrary headers and body.
//!
//! Input: `id \n timestamp \n signature-header \n body` (missing parts are
//! absent headers). Oracles beyond "no panic":
//! - a delivery passes only if one of its `v1,` entries is exactly the
//!   signature `sign` gives for that id, timestamp and body (no forgery, no
//!   empty or truncated signature);
//! - the same id, timestamp and body signed by `sign` always pass the
//!   signature check, and fail it once the body is changed;
//! - `verify` and `verify_borrowed` read an authentic body exactly as
//!   `serde_json::from_slice::<WebhookEvent>` does: same event, same error.

#![no_main]

use std::time::{Duration, SystemTime};

use libfuzzer_sys::fuzz_target;
use orux_webhooks::{
    Verifier, WEBHOOK_ID, WEBHOOK_SIGNATURE, WEBHOOK_TIMESTAMP, WebhookError, WebhookEvent,
};

const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
const NOW: u64 = 1_649_367_553;

fuzz_target!(|data: &[u8]| {
    let verifier = Verifier::new(SECRET).expect("a valid secret");
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(NOW);
    let mut parts = data.splitn(4, |&b| b == b'\n');
    let text = |part: Option<&[u8]>| part.map(|p| String::from_utf8_lossy(p).into_owned());
    let (id, ts, sig) = (text(parts.next()), text(parts.next()), text(parts.next()));
    let body = parts.next().unwrap_or(&[]);

    let mut headers: Vec<(&str, String)> = Vec::new();
    for (name, value) in [(WEBHOOK_ID, &id), (WEBHOOK_TIMESTAMP, &ts), (WEBHOOK_SIGNATURE, &sig)] {
        if let Some(value) = value {
            headers.push((name, value.clone()));
        }
    }
    match verifier.verify_signature(&headers, body, now) {
        Ok(()) => {
            let (Some(id), Some(ts), Some(sig)) = (&id, &ts, &sig) else {
                panic!("verified without all three headers");
            };
            let timestamp = ts.trim().parse().expect("a verified timestamp is a number");
            let expected = verifier.sign(id.trim(), timestamp, body);
            assert!(sig.split(' ').any(|entry| entry == expected), "forged: {sig:?}");
        }
        Err(error) => assert!(!error.to_string().is_empty()),
    }
    // The event reader sees only authentic bodies; it must not panic either.
    let owned = verifier.verify(&headers, body, now);
    let borrowed = verifier.verify_borrowed(&headers, body, now).map(|event| event.into_owned());
    assert_eq!(owned, borrowed);

    // Round trip: what `sign` writes verifies, and only for its own body.
    let id = id.unwrap_or_default();
    let id = id.trim();
    if id.is_empty() {
        return;
    }
    let signature = verifier.sign(id, NOW, body);
    let signed = [(WEBHOOK_ID, id.to_owned()), (WEBHOOK_TIMESTAMP, NOW.to_string()), (WEBHOOK_SIGNATURE, signature)];
    assert_eq!(verifier.verify_signature(&signed, body, now), Ok(()));
    // On an authentic body both event readers say what serde_json says.
    let plain = serde_json::from_slice::<WebhookEvent>(body)
        .map_err(|error| WebhookError::InvalidEvent(error.to_string()));
    assert_eq!(verifier.verify(&signed, body, now), plain);
    let borrowed = verifier.verify_borrowed(&signed, body, now).map(|event| event.into_owned());
    assert_eq!(borrowed, plain);
    let mut changed = body.to_vec();
    changed.push(b'x');
    assert_eq!(verifier.verify_signature(&signed, &changed, now), Err(WebhookError::SignatureMismatch));
});
