//! The Standard Webhooks test vector and every rejection a receiver relies on.

use std::time::{Duration, SystemTime};

use orux_webhooks::{
    Verifier, WEBHOOK_ID, WEBHOOK_SIGNATURE, WEBHOOK_TIMESTAMP, WebhookError, WebhookHeaders,
};

const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
const MSG_ID: &str = "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk";
const TIMESTAMP: u64 = 1649367553;
const BODY: &[u8] = br#"{"email":"test@example.com","username":"test_user"}"#;
const SIGNATURE: &str = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";
const EVENT: &[u8] = br#"{"task_id":"task_01J","status":"SUCCESS","result_urls":["https://cdn.example/a.mp4"],"duration_sec":8,"extra":1}"#;

fn at(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
}

fn verifier() -> Verifier {
    Verifier::new(SECRET).expect("the vector's secret is valid")
}

fn headers(id: &str, ts: &str, sig: &str) -> Vec<(String, String)> {
    vec![
        (WEBHOOK_ID.to_owned(), id.to_owned()),
        (WEBHOOK_TIMESTAMP.to_owned(), ts.to_owned()),
        (WEBHOOK_SIGNATURE.to_owned(), sig.to_owned()),
    ]
}

fn check(sig: &str, body: &[u8]) -> Result<(), WebhookError> {
    verifier().verify_signature(
        &headers(MSG_ID, &TIMESTAMP.to_string(), sig),
        body,
        at(TIMESTAMP),
    )
}

#[test]
fn standard_webhooks_vector_signs_and_verifies() {
    assert_eq!(verifier().sign(MSG_ID, TIMESTAMP, BODY), SIGNATURE);
    assert_eq!(check(SIGNATURE, BODY), Ok(()));
    // Header names are case-insensitive, in pairs as in a HeaderMap.
    let upper = [
        ("Webhook-Id", MSG_ID),
        ("WEBHOOK-TIMESTAMP", "1649367553"),
        ("Webhook-Signature", SIGNATURE),
    ];
    assert_eq!(
        verifier().verify_signature(&upper, BODY, at(TIMESTAMP)),
        Ok(())
    );
    // The vector's body is not a task event: the signature passes, the event does not.
    assert!(matches!(
        verifier().verify(&upper, BODY, at(TIMESTAMP)),
        Err(WebhookError::InvalidEvent(_))
    ));
}

#[test]
fn a_signed_event_verifies_from_a_header_map() {
    let v = verifier();
    let mut map = http::HeaderMap::new();
    map.insert(WEBHOOK_ID, "msg_1".parse().unwrap());
    map.insert(WEBHOOK_TIMESTAMP, "1700000000".parse().unwrap());
    map.insert(
        WEBHOOK_SIGNATURE,
        v.sign("msg_1", 1_700_000_000, EVENT).parse().unwrap(),
    );
    let event = v
        .verify(&map, EVENT, at(1_700_000_299))
        .expect("fresh and signed");
    assert_eq!(event.task_id, "task_01J");
    assert!(event.status.is_terminal());
    assert_eq!(event.result_urls, ["https://cdn.example/a.mp4"]);
    assert_eq!(event.duration_sec, Some(8.0));
}

#[test]
fn empty_v1_signature_is_rejected() {
    assert_eq!(check("v1,", BODY), Err(WebhookError::MalformedSignature));
    assert_eq!(
        check("v1, v1,", BODY),
        Err(WebhookError::MalformedSignature)
    );
}

#[test]
fn wrongly_sized_or_garbled_signatures_are_rejected() {
    let short = &SIGNATURE[..SIGNATURE.len() - 4];
    let long = format!("{SIGNATURE}AAAA");
    // 44 base64 characters that decode to 33 bytes cannot exist; these are 44
    // characters that are not base64 at all, and a valid 31-byte prefix.
    let garbage = "v1,############################################";
    let truncated = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3";
    for sig in [short, long.as_str(), garbage, truncated, "v1,tZ1I"] {
        assert_eq!(
            check(sig, BODY),
            Err(WebhookError::MalformedSignature),
            "{sig}"
        );
    }
}

#[test]
fn any_one_of_several_signatures_may_match() {
    let other = Verifier::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let old = other.sign(MSG_ID, TIMESTAMP, BODY);
    assert_eq!(check(&format!("{old} {SIGNATURE}"), BODY), Ok(()));
    assert_eq!(check(&format!("v1, v2,abc {SIGNATURE}"), BODY), Ok(()));
    assert_eq!(check(&format!("{SIGNATURE} {old}"), BODY), Ok(()));
    assert_eq!(check(&old, BODY), Err(WebhookError::SignatureMismatch));
    // A good signature among malformed ones still counts; only a mismatch otherwise.
    assert_eq!(
        check(&format!("v1, {old}"), BODY),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn changed_body_id_or_timestamp_is_rejected() {
    let changed = br#"{"email":"test@example.com","username":"test_user2"}"#;
    assert_eq!(
        check(SIGNATURE, changed),
        Err(WebhookError::SignatureMismatch)
    );
    assert_eq!(check(SIGNATURE, b""), Err(WebhookError::SignatureMismatch));
    let v = verifier();
    let other_id = headers("msg_other", "1649367553", SIGNATURE);
    assert_eq!(
        v.verify_signature(&other_id, BODY, at(TIMESTAMP)),
        Err(WebhookError::SignatureMismatch)
    );
    let other_ts = headers(MSG_ID, "1649367554", SIGNATURE);
    assert_eq!(
        v.verify_signature(&other_ts, BODY, at(TIMESTAMP)),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn stale_and_future_timestamps_are_rejected_beyond_300_seconds() {
    let v = verifier();
    let h = headers(MSG_ID, "1649367553", SIGNATURE);
    assert_eq!(v.verify_signature(&h, BODY, at(TIMESTAMP + 300)), Ok(()));
    assert_eq!(v.verify_signature(&h, BODY, at(TIMESTAMP - 300)), Ok(()));
    assert_eq!(
        v.verify_signature(&h, BODY, at(TIMESTAMP + 301)),
        Err(WebhookError::TimestampTooOld { age_secs: 301 })
    );
    assert_eq!(
        v.verify_signature(&h, BODY, at(TIMESTAMP - 301)),
        Err(WebhookError::TimestampInFuture { ahead_secs: 301 })
    );
    // A clock before 1970 is not a panic.
    assert!(
        v.verify_signature(&h, BODY, SystemTime::UNIX_EPOCH - Duration::from_secs(5))
            .is_err()
    );
}

#[test]
fn malformed_timestamps_are_rejected() {
    let v = verifier();
    for ts in [
        "+1649367553",
        "-1",
        "1649367553.0",
        "abc",
        "99999999999999999999999",
        "1e9",
    ] {
        let h = headers(MSG_ID, ts, SIGNATURE);
        assert_eq!(
            v.verify_signature(&h, BODY, at(TIMESTAMP)),
            Err(WebhookError::InvalidTimestamp),
            "{ts}"
        );
    }
}

#[test]
fn unknown_versions_are_rejected() {
    let (_, encoded) = SIGNATURE.split_once(',').unwrap();
    for sig in [
        format!("v2,{encoded}"),
        format!("V1,{encoded}"),
        encoded.to_owned(),
        "v1a,x".to_owned(),
    ] {
        assert_eq!(
            check(&sig, BODY),
            Err(WebhookError::UnknownVersion),
            "{sig}"
        );
    }
}

#[test]
fn missing_headers_are_rejected() {
    let v = verifier();
    let all = headers(MSG_ID, "1649367553", SIGNATURE);
    for name in [WEBHOOK_ID, WEBHOOK_TIMESTAMP, WEBHOOK_SIGNATURE] {
        let without: Vec<(String, String)> =
            all.iter().filter(|(k, _)| k != name).cloned().collect();
        assert_eq!(
            v.verify_signature(&without, BODY, at(TIMESTAMP)),
            Err(WebhookError::MissingHeader(name))
        );
        let empty: Vec<(String, String)> = all
            .iter()
            .map(|(k, val)| {
                (
                    k.clone(),
                    if k == name {
                        " ".to_owned()
                    } else {
                        val.clone()
                    },
                )
            })
            .collect();
        assert_eq!(
            v.verify_signature(&empty, BODY, at(TIMESTAMP)),
            Err(WebhookError::MissingHeader(name))
        );
    }
    // A non-ASCII header value in a HeaderMap counts as absent, not as a panic.
    let mut map = http::HeaderMap::new();
    map.insert(
        WEBHOOK_ID,
        http::HeaderValue::from_bytes(b"msg_\xff").unwrap(),
    );
    assert_eq!(WebhookHeaders::get(&map, WEBHOOK_ID), None);
}

#[test]
fn bad_secrets_are_refused_with_the_reason() {
    for empty in ["", "whsec_"] {
        assert_eq!(Verifier::new(empty).unwrap_err(), WebhookError::SecretEmpty);
    }
    for garbled in [
        "whsec_not*base64!",
        "not*base64!",
        "whsec_ C2FV",
        "whsec_whsec_AAAA",
    ] {
        assert_eq!(
            Verifier::new(garbled).unwrap_err(),
            WebhookError::SecretBase64,
            "{garbled}"
        );
    }
    assert_eq!(
        Verifier::new("whsec_c2hvcnQ=").unwrap_err(),
        WebhookError::SecretLength { len: 5 }
    );
    let long = format!("whsec_{}", "A".repeat(88));
    assert_eq!(
        Verifier::new(&long).unwrap_err(),
        WebhookError::SecretLength { len: 66 }
    );
}

#[test]
fn debug_and_errors_never_show_the_key() {
    let v = verifier();
    let debug = format!("{v:?}");
    assert!(!debug.contains("C2FVsBQIhrscChlQIMV"), "{debug}");
    assert!(debug.contains("redacted"));
    let err = Verifier::new("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7").unwrap_err();
    assert!(!err.to_string().contains("C2FV"), "{err}");
}
