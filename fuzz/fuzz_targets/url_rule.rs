//! The URL rule on arbitrary strings, said three ways: `HttpsUrl::parse`
//! (the Rust rule), the bundle's `HttpsUrl` pattern (read from the bundle, under
//! fancy-regex, which takes its lookahead) and `fluent-uri` with the https,
//! host and port rules on top (`orux_spec_tests::url_oracle`).
//!
//! Oracles, on the input (when it is UTF-8) and on `https://` + the input
//! (so that mutations spend their time past the scheme):
//! - the three give the same verdict;
//! - a rejection's message is bounded (at most ~80 characters of any part of
//!   the input are quoted), and an offset it carries is inside the string at
//!   a character boundary.

#![no_main]

use std::sync::LazyLock;

use fancy_regex::Regex;
use libfuzzer_sys::fuzz_target;
use orux_models::{HttpsUrl, UrlError};
use orux_spec_tests::url_oracle;

/// The pattern exactly as the bundle states it to other languages.
static PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    let bundle: serde_json::Value =
        serde_json::from_str(orux_models::schema::BUNDLE).expect("the bundle is JSON");
    let pattern = bundle["$defs"]["HttpsUrl"]["pattern"]
        .as_str()
        .expect("the bundle has an HttpsUrl pattern");
    Regex::new(pattern).expect("the URL pattern compiles")
});

fn check(text: &str) {
    let rule = HttpsUrl::parse(text);
    let regex = PATTERN
        .is_match(text)
        .unwrap_or_else(|e| panic!("the URL pattern failed on {text:?}: {e}"));
    let oracle = url_oracle::is_https_url(text);
    assert_eq!(
        rule.is_ok(),
        oracle,
        "rule vs fluent-uri on {text:?}: {rule:?}"
    );
    assert_eq!(rule.is_ok(), regex, "rule vs pattern on {text:?}: {rule:?}");
    if let Err(error) = rule {
        // `quote` keeps 80 characters, each at most six when escaped.
        assert!(error.to_string().chars().count() <= 80 * 6 + 200, "{error}");
        let offset = match error {
            UrlError::InvalidCharacter { offset, .. }
            | UrlError::InvalidPercent { offset, .. }
            | UrlError::AfterIpLiteral { offset, .. } => Some(offset),
            _ => None,
        };
        if let Some(offset) = offset {
            assert!(
                offset < text.len() && text.is_char_boundary(offset),
                "offset {offset} in {text:?}"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    check(text);
    if !text.starts_with("https://") {
        check(&format!("https://{text}"));
    }
});
