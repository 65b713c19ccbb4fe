//! Request validation from raw bytes: `TaskRequest::from_json` on anything.
//!
//! Beyond "no panic, no hang, no unbounded memory", each input is checked
//! against oracles that must hold for every body:
//! - a rejection has at least one error, each with a JSON pointer path and
//!   an offset, when it has one, within the body (at most its length);
//! - an accepted body serializes back to a body that validates to the same
//!   request and warnings (paths and messages; offsets move with the text),
//!   and the serde path (`serde_json::from_slice`)
//!   reads it as the same request;
//! - tighter limits can only turn "valid" into "invalid", never change the
//!   request;
//! - every finding prints (`Display`) without a raw control or bidi
//!   character, and there are at most `MAX_WARNINGS` warnings plus the one
//!   that counts the rest.

#![no_main]

use libfuzzer_sys::fuzz_target;
use orux_models::MAX_WARNINGS;
use orux_models::display::is_unsafe;
use orux_models::{Diagnostic, Limits, TaskRequest};

/// The printable form of each finding is data only, and warnings are capped.
fn check_shown(errors: &[Diagnostic], warnings: &[Diagnostic]) {
    assert!(warnings.len() <= MAX_WARNINGS + 1, "{} warnings", warnings.len());
    for diagnostic in errors.iter().chain(warnings) {
        let shown = diagnostic.to_string();
        assert!(!shown.chars().any(is_unsafe), "{shown:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let outcome = TaskRequest::from_json(data);
    match &outcome {
        Ok(valid) => check_shown(&[], &valid.warnings),
        Err(invalid) => check_shown(&invalid.errors, &invalid.warnings),
    }
    match &outcome {
        Ok(valid) => {
            let json = valid.request.to_json().expect("a typed request serializes");
            let again = TaskRequest::from_json(json.as_bytes())
                .unwrap_or_else(|e| panic!("re-serialized body {json} is rejected: {e}"));
            assert_eq!(again.request, valid.request, "{json}");
            // The same warnings; only their byte offsets move with the text.
            let findings = |warnings: &[orux_models::Diagnostic]| -> Vec<(String, String)> {
                warnings
                    .iter()
                    .map(|w| (w.path.clone(), w.message.clone()))
                    .collect()
            };
            assert_eq!(
                findings(&again.warnings),
                findings(&valid.warnings),
                "{json}"
            );
            let serde: TaskRequest = serde_json::from_slice(data)
                .unwrap_or_else(|e| panic!("validated, but serde rejects it: {e}"));
            assert_eq!(serde, valid.request);
        }
        Err(invalid) => {
            assert!(!invalid.errors.is_empty(), "rejected without an error");
            for error in &invalid.errors {
                assert!(
                    error.path.is_empty() || error.path.starts_with('/'),
                    "{error:?}"
                );
                assert!(!error.message.is_empty(), "{error:?}");
                if let Some(offset) = error.offset {
                    assert!(offset <= data.len(), "{error:?}");
                }
            }
        }
    }
    let tight = Limits {
        max_body_bytes: 2048,
        max_depth: 3,
        max_members: 5,
    };
    if let Ok(valid) = TaskRequest::from_json_with_limits(data, &tight) {
        let default = outcome.as_ref().map(|v| &v.request).ok();
        assert_eq!(default, Some(&valid.request));
    }
});
