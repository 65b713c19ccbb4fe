//! Hostile request bodies: each has a defined answer, and none may panic,
//! overflow the stack or hold memory out of proportion to the limits.
//!
//! Nothing here is timed (the machines are shared and noisy); the work is
//! bounded by construction, and each test only has to complete.

use orux_models::{Diagnostic, ImageInput, Limits, TaskRequest, Veo31QualityRequest};

/// The one error of a body rejected as a whole.
fn root_error(body: &[u8], limits: &Limits) -> Diagnostic {
    let errors = TaskRequest::from_json_with_limits(body, limits)
        .map(|valid| valid.request)
        .expect_err("the body must be rejected")
        .errors;
    assert_eq!(errors.len(), 1, "{errors:?}");
    let error = errors.into_iter().next().expect("one error");
    assert_eq!(error.path, "", "{error}");
    assert_eq!(error.code, "invalid_param");
    error
}

/// The errors of a body that parses, as `(path, message)`.
fn field_errors(body: &[u8]) -> Vec<(String, String)> {
    match TaskRequest::from_json(body) {
        Ok(valid) => panic!("accepted: {:?}", valid.request),
        Err(invalid) => invalid
            .errors
            .into_iter()
            .map(|e| (e.path, e.message))
            .collect(),
    }
}

fn with_prompt(prompt: &str) -> Vec<u8> {
    format!(r#"{{"model":"sora2","prompt":"{prompt}"}}"#).into_bytes()
}

#[test]
fn a_hundred_thousand_open_brackets_stop_at_the_depth_limit() {
    let limits = Limits::default();
    let body = format!(r#"{{"model":"sora2","prompt":{}"#, "[".repeat(100_000));
    let error = root_error(body.as_bytes(), &limits);
    assert!(
        error
            .message
            .contains("deeper than the limit of 64 levels (max_depth)"),
        "{error}"
    );
    // The top-level object is level 1, so the 64th `[` is level 65.
    assert_eq!(
        error.offset,
        Some(r#"{"model":"sora2","prompt":"#.len() + 63)
    );

    let nested_objects = format!(r#"{{"a":{}"#, r#"{"a":"#.repeat(100_000));
    let error = root_error(nested_objects.as_bytes(), &limits);
    assert!(error.message.contains("(max_depth)"), "{error}");

    // Balanced, so only the limit can reject it.
    let balanced = format!(
        r#"{{"model":"sora2","prompt":"p","x":{}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let error = root_error(balanced.as_bytes(), &limits);
    assert!(error.message.contains("(max_depth)"), "{error}");

    // Bare brackets are not an object at all.
    let error = root_error("[".repeat(100_000).as_bytes(), &limits);
    assert!(error.message.contains("must be a JSON object"), "{error}");
}

#[test]
fn nesting_within_the_limit_reaches_the_field_check() {
    let body = format!(
        r#"{{"model":"sora2","prompt":{}"p"{}}}"#,
        "[".repeat(63),
        "]".repeat(63)
    );
    let errors = field_errors(body.as_bytes());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "/prompt");
    assert!(errors[0].1.contains("got an array"), "{errors:?}");
}

/// A 100 MB body is refused on its length alone: it is not even checked for
/// UTF-8 (the first byte here is invalid), let alone scanned.
#[test]
fn a_hundred_megabyte_string_is_refused_before_scanning() {
    let mut body = Vec::with_capacity(100 * 1024 * 1024 + 64);
    body.extend_from_slice(b"\xff{\"model\":\"sora2\",\"prompt\":\"");
    body.resize(100 * 1024 * 1024, b'a');
    body.extend_from_slice(b"\"}");
    let error = root_error(&body, &Limits::default());
    assert_eq!(
        error.message,
        format!(
            "request body is {} bytes, over the limit of 20971520 bytes (max_body_bytes)",
            body.len()
        )
    );
    assert_eq!(error.offset, Some(0));
}

/// A caller who raises `max_body_bytes` gets exactly that limit: a body of
/// that size passes, one byte more does not.
#[test]
fn a_raised_body_limit_is_exact() {
    // A 25 MiB image, over the default limit.
    let payload = "iVBORw0K".repeat(25 * 1024 * 1024 / 8);
    let body = format!(
        r#"{{"model":"veo-3.1-quality","prompt":"p","image":"data:image/png;base64,{payload}"}}"#
    );
    let size = body.len();
    let error = root_error(body.as_bytes(), &Limits::default());
    assert!(
        error.message.contains("over the limit of 20971520 bytes"),
        "{error}"
    );

    let raised = Limits {
        max_body_bytes: size,
        ..Limits::default()
    };
    let valid = TaskRequest::from_json_with_limits(body.as_bytes(), &raised)
        .unwrap_or_else(|e| panic!("{e}"));
    let TaskRequest::Veo31Quality(Veo31QualityRequest {
        image: Some(ImageInput::DataUri(image)),
        ..
    }) = valid.request
    else {
        panic!("not a Veo request with a data URI image")
    };
    assert_eq!(image.payload().len(), payload.len());

    let just_under = Limits {
        max_body_bytes: size - 1,
        ..Limits::default()
    };
    let error = root_error(body.as_bytes(), &just_under);
    assert_eq!(
        error.message,
        format!(
            "request body is {size} bytes, over the limit of {} bytes (max_body_bytes)",
            size - 1
        )
    );
}

#[test]
fn prompts_are_limited_to_ten_thousand_characters() {
    // Counted in characters: 10,000 two-byte characters are fine.
    let at_limit = "é".repeat(10_000);
    assert!(TaskRequest::from_json(&with_prompt(&at_limit)).is_ok());
    let over = "a".repeat(10_001);
    assert_eq!(
        field_errors(&with_prompt(&over)),
        [(
            "/prompt".to_owned(),
            "prompt must be at most 10000 characters for sora2, got 10001".to_owned()
        )]
    );
    // A prompt as large as the body limit allows is one field error, not a
    // parse failure or a copy of the text in the message.
    let huge = "a".repeat(20 * 1024 * 1024 - 64);
    let errors = field_errors(&with_prompt(&huge));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, "/prompt");
    assert!(errors[0].1.len() < 200, "{}", errors[0].1);
}

#[test]
fn invalid_utf8_is_one_error_with_its_offset() {
    let prefix = br#"{"model":"sora2","prompt":""#;
    for (bad, what) in [
        (&b"\xff"[..], "a byte that never occurs in UTF-8"),
        (b"\xc0\xaf", "an overlong encoding of '/'"),
        (b"\xed\xa0\x80", "an encoded surrogate"),
        (b"\xe2\x82", "a truncated sequence"),
        (b"\xf4\x90\x80\x80", "a code point above U+10FFFF"),
        (b"\x80", "a lone continuation byte"),
    ] {
        let mut body = prefix.to_vec();
        body.extend_from_slice(bad);
        body.extend_from_slice(b"\"}");
        let error = root_error(&body, &Limits::default());
        assert_eq!(
            error.message,
            format!("request body is not valid UTF-8 at byte {}", prefix.len()),
            "{what}"
        );
        assert_eq!(error.offset, Some(prefix.len()), "{what}");
    }
    // Deep inside a long string, the offset is still exact.
    let mut body = prefix.to_vec();
    body.resize(prefix.len() + 5_000_000, b'a');
    body.extend_from_slice(b"\xff\"}");
    let error = root_error(&body, &Limits::default());
    assert_eq!(error.offset, Some(prefix.len() + 5_000_000));
}

#[test]
fn lone_surrogate_escapes_are_parse_errors() {
    for (body, offset) in [
        (r#"{"model":"sora2","prompt":"\ud800"}"#, 27),
        (r#"{"model":"sora2","prompt":"a\udfff b"}"#, 28),
        (r#"{"model":"sora2","prompt":"\ud83d\u0041"}"#, 27),
        (r#"{"model":"sora2","prompt":"p","x":["\udc00"]}"#, 36),
        (
            r#"{"model":"veo-3.1-fast","prompt":"p","image":{"task_id":"\ud800"}}"#,
            57,
        ),
    ] {
        let error = root_error(body.as_bytes(), &Limits::default());
        assert!(
            error.message.contains("half of a UTF-16 surrogate pair"),
            "{body}: {error}"
        );
        assert_eq!(error.offset, Some(offset), "{body}");
    }
    // A proper pair is fine.
    assert!(TaskRequest::from_json(&with_prompt(r"\ud83e\udd8a")).is_ok());
}

/// Durations are integers from a closed set; a JSON number denoting one of
/// them is accepted however it is written (`5.0`, `5e0`, `50E-1`), anything
/// else is one error at `/duration`, whatever its size.
#[test]
fn huge_and_odd_numbers_as_durations() {
    let body = |raw: &str| format!(r#"{{"model":"sora2","prompt":"p","duration":{raw}}}"#);
    for raw in ["5", "5.0", "5e0", "5E+0", "50e-1", "0.5e1", "10.000", "1e1"] {
        let valid =
            TaskRequest::from_json(body(raw).as_bytes()).unwrap_or_else(|e| panic!("{raw}: {e}"));
        // It serializes as the plain integer.
        let json = valid.request.to_json().expect("serializes");
        assert!(
            json.ends_with(r#""duration":5}"#) || json.ends_with(r#""duration":10}"#),
            "{json}"
        );
    }
    let huge_digits = format!("5{}", "0".repeat(100_000));
    let huge_exponent = format!("1e{}", "9".repeat(100_000));
    let exact_but_long = format!("5{}e-100000", "0".repeat(100_000));
    for raw in [
        "1e400",
        "-1e400",
        "1e-400",
        "5.5",
        "-0",
        "0",
        "-5",
        "18446744073709551621",
        "9223372036854775813",
        "1e999999999999999999999",
        huge_digits.as_str(),
        huge_exponent.as_str(),
    ] {
        let errors = field_errors(body(raw).as_bytes());
        assert_eq!(errors.len(), 1, "{raw}: {errors:?}");
        assert_eq!(errors[0].0, "/duration", "{raw}");
        assert!(
            errors[0]
                .1
                .starts_with("duration must be 5 or 10 for sora2, got "),
            "{raw}: {}",
            errors[0].1
        );
        // The number is quoted back shortened, not in full.
        assert!(errors[0].1.len() < 200, "{raw}: {}", errors[0].1);
    }
    // 5 written with 100,000 zeros and a matching negative exponent is 5.
    assert!(TaskRequest::from_json(body(&exact_but_long).as_bytes()).is_ok());
}

#[test]
fn too_many_members_stop_at_the_member_limit() {
    let limits = Limits::default();
    // 20 MiB of `"a":1,`: about 3.5 million members, refused at the 1,001st.
    let member = r#""a":1,"#;
    let count = (20 * 1024 * 1024 - 64) / member.len();
    let body = format!(
        r#"{{"model":"sora2","prompt":"p",{}"a":1}}"#,
        member.repeat(count)
    );
    let error = root_error(body.as_bytes(), &limits);
    assert_eq!(
        error.message,
        format!(
            "JSON object has more than the limit of 1000 members (max_members) at byte {}",
            error.offset.unwrap_or_default()
        )
    );
    let first_member_over = r#"{"model":"sora2","prompt":"p","#.len() + 998 * member.len();
    assert_eq!(error.offset, Some(first_member_over));

    // Exactly 1,000 distinct members: parsed, and every unknown one reported.
    let mut body = String::from(r#"{"model":"sora2","prompt":"p""#);
    for i in 0..998 {
        body.push_str(&format!(r#","k{i}":1"#));
    }
    body.push('}');
    let errors = field_errors(body.as_bytes());
    assert_eq!(errors.len(), 998);
    assert!(errors.iter().all(|(path, _)| path.starts_with("/k")));

    // Veo's image object is read into memory too, so it is bounded the same way.
    let image = format!(
        r#"{{"task_id":"img_1",{}"x":1}}"#,
        r#""x":1,"#.repeat(1_000)
    );
    let body = format!(r#"{{"model":"veo-3.1-fast","prompt":"p","image":{image}}}"#);
    let errors = field_errors(body.as_bytes());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "/image");
    assert!(errors[0].1.contains("(max_members)"), "{errors:?}");

    // Members of other nested containers are never stored, so never counted.
    let nested = format!(
        r#"{{"model":"sora2","prompt":"p","x":{{{}"a":1}}}}"#,
        member.repeat(5_000)
    );
    let errors = field_errors(nested.as_bytes());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, "/x");
}

#[test]
fn limits_can_be_lowered_and_raised() {
    let strict = Limits {
        max_body_bytes: 1024,
        max_depth: 2,
        max_members: 3,
    };
    assert!(
        TaskRequest::from_json_with_limits(
            br#"{"model":"sora2","prompt":"p","duration":5}"#,
            &strict
        )
        .is_ok()
    );
    let error = root_error(
        br#"{"model":"sora2","prompt":"p","duration":5,"aspect_ratio":"16:9"}"#,
        &strict,
    );
    assert!(error.message.contains("limit of 3 members"), "{error}");
    let error = root_error(br#"{"model":"sora2","prompt":[["p"]]}"#, &strict);
    assert!(error.message.contains("limit of 2 levels"), "{error}");

    let generous = Limits {
        max_members: 10_000,
        ..Limits::default()
    };
    let mut body = String::from(r#"{"model":"sora2","prompt":"p""#);
    for i in 0..5_000 {
        body.push_str(&format!(r#","k{i}":1"#));
    }
    body.push('}');
    let errors = TaskRequest::from_json_with_limits(body.as_bytes(), &generous)
        .expect_err("unknown fields")
        .errors;
    assert_eq!(errors.len(), 5_000);
}
