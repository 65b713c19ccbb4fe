//! The test cases of the official Standard Webhooks libraries (JavaScript,
//! Python, Go and Rust, `standard-webhooks/standard-webhooks`, `libraries/`),
//! replayed through `Verifier`: what they accept is accepted, what they
//! refuse is refused. Their secrets come with and without the `whsec_`
//! prefix, and with and without base64 padding.

use std::time::{Duration, SystemTime};

use orux_webhooks::{Verifier, WEBHOOK_ID, WEBHOOK_SIGNATURE, WEBHOOK_TIMESTAMP, WebhookError};

/// The JavaScript, Python and Go suites' secret (24 bytes, no prefix).
const SECRET: &str = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const MSG_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const PAYLOAD: &[u8] = br#"{"test": 2432232314}"#;
/// The suites' "sign function works" case.
const SIGNED_AT: u64 = 1_614_265_330;
const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
/// The Rust suite's secret and vector.
const RUST_SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
const RUST_MSG_ID: &str = "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk";
const RUST_PAYLOAD: &[u8] = br#"{"email":"test@example.com","username":"test_user"}"#;
const RUST_SIGNED_AT: u64 = 1_649_367_553;
const RUST_SIGNATURE: &str = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";

fn at(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
}

fn verify(
    secret: &str,
    headers: &[(&str, &str)],
    payload: &[u8],
    now: u64,
) -> Result<(), WebhookError> {
    Verifier::new(secret)?.verify_signature(&headers, payload, at(now))
}

fn delivery<'a>(id: &'a str, timestamp: &'a str, signature: &'a str) -> [(&'a str, &'a str); 3] {
    [
        (WEBHOOK_ID, id),
        (WEBHOOK_TIMESTAMP, timestamp),
        (WEBHOOK_SIGNATURE, signature),
    ]
}

#[test]
fn sign_function_works_with_and_without_the_prefix() {
    for secret in [format!("whsec_{SECRET}"), SECRET.to_owned()] {
        let verifier = Verifier::new(&secret).expect("the suites' secret");
        assert_eq!(verifier.sign(MSG_ID, SIGNED_AT, PAYLOAD), SIGNATURE);
    }
    for secret in [RUST_SECRET, RUST_SECRET.trim_start_matches("whsec_")] {
        let verifier = Verifier::new(secret).expect("the Rust suite's secret");
        assert_eq!(
            verifier.sign(RUST_MSG_ID, RUST_SIGNED_AT, RUST_PAYLOAD),
            RUST_SIGNATURE
        );
    }
}

#[test]
fn verification_works_with_and_without_the_prefix() {
    let ts = SIGNED_AT.to_string();
    for secret in [format!("whsec_{SECRET}"), SECRET.to_owned()] {
        let headers = delivery(MSG_ID, &ts, SIGNATURE);
        assert_eq!(verify(&secret, &headers, PAYLOAD, SIGNED_AT), Ok(()));
    }
}

#[test]
fn a_key_without_its_padding_is_the_same_key() {
    // 32 bytes (the mock server's published test secret): base64 with one
    // `=` of padding, and the same without it.
    let padded = "whsec_b3J1eC1tb2NrLWRlZmF1bHQtd2ViaG9vay1zZWNyZXQ=";
    let bare = padded.trim_end_matches('=');
    let unprefixed = bare.trim_start_matches("whsec_");
    let signature = Verifier::new(padded)
        .expect("padded")
        .sign(MSG_ID, SIGNED_AT, PAYLOAD);
    for secret in [bare, unprefixed] {
        let verifier = Verifier::new(secret).expect("unpadded");
        assert_eq!(verifier.sign(MSG_ID, SIGNED_AT, PAYLOAD), signature);
    }
    // Two bytes of padding (a 25-byte key), dropped.
    let key = "whsec_QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQQ==";
    let signature = Verifier::new(key).expect("padded").sign("m", 1, b"x");
    let bare = Verifier::new(key.trim_end_matches('=')).expect("unpadded");
    assert_eq!(bare.sign("m", 1, b"x"), signature);
}

#[test]
fn empty_and_out_of_range_keys_are_still_refused() {
    for empty in ["", "whsec_"] {
        assert_eq!(Verifier::new(empty).unwrap_err(), WebhookError::SecretEmpty);
    }
    // 23 and 65 bytes, with and without the prefix and the padding.
    let short = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE";
    let long = "QUFB".repeat(21) + "QUE=";
    for (secret, len) in [(short.to_owned(), 23), (long.clone(), 65)] {
        for written in [
            secret.clone(),
            format!("whsec_{secret}"),
            secret.trim_end_matches('=').to_owned(),
        ] {
            assert_eq!(
                Verifier::new(&written).unwrap_err(),
                WebhookError::SecretLength { len },
                "{written}"
            );
        }
    }
}

/// The rejections every suite has, each under the suites' own secret.
#[test]
fn the_suites_rejections_are_rejections() {
    let ts = SIGNED_AT.to_string();
    let ok = delivery(MSG_ID, &ts, SIGNATURE);
    let missing = |name: &str| -> Vec<(&str, &str)> {
        ok.iter().copied().filter(|(k, _)| *k != name).collect()
    };
    assert_eq!(verify(SECRET, &ok, PAYLOAD, SIGNED_AT), Ok(()));
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, u64);
    let rejected: Vec<Case> = vec![
        ("missing id", missing(WEBHOOK_ID), SIGNED_AT),
        ("missing timestamp", missing(WEBHOOK_TIMESTAMP), SIGNED_AT),
        ("missing signature", missing(WEBHOOK_SIGNATURE), SIGNED_AT),
        (
            "invalid timestamp",
            delivery(MSG_ID, "hello", SIGNATURE).to_vec(),
            SIGNED_AT,
        ),
        (
            "invalid signature",
            delivery(MSG_ID, &ts, "v1,dawfeoifkpqwoekfpqoekf").to_vec(),
            SIGNED_AT,
        ),
        (
            "another signature",
            delivery(
                MSG_ID,
                &ts,
                "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=",
            )
            .to_vec(),
            SIGNED_AT,
        ),
        (
            "partial signature",
            delivery(MSG_ID, &ts, &SIGNATURE[..8]).to_vec(),
            SIGNED_AT,
        ),
        ("empty v1", delivery(MSG_ID, &ts, "v1,").to_vec(), SIGNED_AT),
        ("old timestamp", ok.to_vec(), SIGNED_AT + 5 * 60 + 1),
        ("new timestamp", ok.to_vec(), SIGNED_AT - 5 * 60 - 1),
    ];
    for (case, headers, now) in rejected {
        assert!(
            verify(SECRET, &headers, PAYLOAD, now).is_err(),
            "{case} must be rejected"
        );
    }
}

#[test]
fn a_multi_signature_header_passes_when_one_matches() {
    let ts = SIGNED_AT.to_string();
    let others = [
        "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
        "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
    ];
    let with_valid = [others[0], others[1], SIGNATURE, others[0]].join(" ");
    let headers = delivery(MSG_ID, &ts, &with_valid);
    assert_eq!(verify(SECRET, &headers, PAYLOAD, SIGNED_AT), Ok(()));
    let without = others.join(" ");
    let headers = delivery(MSG_ID, &ts, &without);
    assert_eq!(
        verify(SECRET, &headers, PAYLOAD, SIGNED_AT),
        Err(WebhookError::SignatureMismatch)
    );
    // The Rust suite's multi-signature cases.
    let rust_ts = RUST_SIGNED_AT.to_string();
    let decoys = [
        "v1,tFtCZ5RDCPxzWQRWXWPgrCgE2frDBe9gjpbWQxnVfsQ=",
        "v1,Mm7xgUVICxZfQ3bgf0h0Dof65L/IFx+PnZvnDWPCX6Q=",
        "v1,9DfC1c3eeOrXB6w/5dIDydLNQaEyww5KalE5jLBZucE=",
    ];
    let with_valid = [decoys[0], decoys[1], RUST_SIGNATURE, decoys[2]].join(" ");
    let headers = delivery(RUST_MSG_ID, &rust_ts, &with_valid);
    assert_eq!(
        verify(RUST_SECRET, &headers, RUST_PAYLOAD, RUST_SIGNED_AT),
        Ok(())
    );
    let headers = delivery(
        RUST_MSG_ID,
        &rust_ts,
        "v1,R3PTzyfHASBKHH98a7yexTwaJ4yNIcGhFQc1yuN+BPU=",
    );
    assert!(verify(RUST_SECRET, &headers, RUST_PAYLOAD, RUST_SIGNED_AT).is_err());
    let all_decoys = decoys.join(" ");
    let headers = delivery(RUST_MSG_ID, &rust_ts, &all_decoys);
    assert!(verify(RUST_SECRET, &headers, RUST_PAYLOAD, RUST_SIGNED_AT).is_err());
}
