//! The request corpus (`tests/corpus/requests/*.jsonl`): every case gets the
//! expected verdict, error paths (in order), warning paths and messages; every
//! valid body round-trips through the typed request unchanged.

use orux_models::{TaskRequest, ValidationErrors};
use orux_spec_tests::corpus;
use serde_json::Value;

fn paths(errors: &[orux_models::Diagnostic]) -> Vec<String> {
    errors.iter().map(|e| e.path.clone()).collect()
}

/// Every corpus file names a known model (or is one of the two body-level
/// files), so a renamed or removed model cannot leave its cases silently
/// unchecked, and every model file holds both valid and invalid cases.
/// A model without a file is covered by the spec-derived tests: adding a
/// model needs no hand-written cases.
#[test]
fn corpus_files_name_known_models() {
    let cases = corpus::load();
    assert!(cases.len() > 100, "corpus too small: {}", cases.len());
    let mut verdicts: std::collections::BTreeMap<&str, (bool, bool)> = Default::default();
    for case in &cases {
        let (file, _) = case.name.split_once('/').expect("names are <file>/<case>");
        if ["envelope", "docs-examples"].contains(&file) {
            continue;
        }
        assert!(
            orux_models::Model::from_id(file).is_some(),
            "{}: {file} is not a model id",
            case.name
        );
        let (valid, invalid) = verdicts.entry(file).or_default();
        *valid |= case.valid;
        *invalid |= !case.valid;
    }
    assert!(!verdicts.is_empty(), "no model has corpus cases");
    for (file, (valid, invalid)) in verdicts {
        assert!(valid, "{file}.jsonl has no valid case");
        assert!(invalid, "{file}.jsonl has no invalid case");
    }
}

#[test]
fn every_case_gets_its_expected_verdict() {
    let mut failures = Vec::new();
    for case in corpus::load() {
        let outcome = TaskRequest::from_json(&case.body);
        let (errors, warnings) = match &outcome {
            Ok(valid) => (Vec::new(), valid.warnings.clone()),
            Err(ValidationErrors {
                errors, warnings, ..
            }) => (errors.clone(), warnings.clone()),
        };
        let mut problems = Vec::new();
        if outcome.is_ok() != case.valid {
            problems.push(format!(
                "verdict: expected valid={}, got valid={}",
                case.valid,
                outcome.is_ok()
            ));
        }
        if paths(&errors) != case.errors {
            problems.push(format!(
                "error paths: expected {:?}, got {:?}",
                case.errors,
                paths(&errors)
            ));
        }
        if paths(&warnings) != case.warnings {
            problems.push(format!(
                "warning paths: expected {:?}, got {:?}",
                case.warnings,
                paths(&warnings)
            ));
        }
        for (index, needle) in case.message_contains.iter().enumerate() {
            let message = errors.get(index).map_or("", |e| e.message.as_str());
            if !message.contains(needle.as_str()) {
                problems.push(format!(
                    "error {index}: {message:?} does not contain {needle:?}"
                ));
            }
        }
        for error in &errors {
            if error.code != "invalid_param" || error.message.is_empty() {
                problems.push(format!("bad diagnostic {error:?}"));
            }
        }
        if !problems.is_empty() {
            let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
            failures.push(format!(
                "{}:\n    {}\n    messages: {messages:?}",
                case.name,
                problems.join("\n    ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Valid body → typed request → JSON → the same verdict and request, with the
/// same keys (none added, none dropped) and the same values.
#[test]
fn valid_bodies_round_trip() {
    let mut checked = 0;
    for case in corpus::load().into_iter().filter(|c| c.valid) {
        let first =
            TaskRequest::from_json(&case.body).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let json = first.request.to_json().expect("serializes");
        let second = TaskRequest::from_json(json.as_bytes()).unwrap_or_else(|e| {
            panic!("{}: re-serialized body is invalid: {e}\n{json}", case.name)
        });
        assert_eq!(first.request, second.request, "{}", case.name);
        assert_eq!(first.warnings, second.warnings, "{}", case.name);

        let original: Value = serde_json::from_slice(&case.body).expect("valid JSON");
        let written: Value = serde_json::from_str(&json).expect("valid JSON");
        let (Value::Object(original), Value::Object(written)) = (original, written) else {
            panic!("{}: not objects", case.name)
        };
        let keys = |o: &serde_json::Map<String, Value>| {
            let mut k: Vec<String> = o.keys().cloned().collect();
            k.sort();
            k
        };
        assert_eq!(
            keys(&original),
            keys(&written),
            "{}: keys differ",
            case.name
        );
        for (key, value) in &original {
            let same = match (value, &written[key]) {
                (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
                (a, b) => a == b,
            };
            assert!(
                same,
                "{}: {key} changed from {value} to {}",
                case.name, written[key]
            );
        }
        // The derived serde path reads the same body into the same request.
        let via_serde: TaskRequest = serde_json::from_slice(&case.body)
            .unwrap_or_else(|e| panic!("{}: serde rejects a valid body: {e}", case.name));
        assert_eq!(via_serde, first.request, "{}", case.name);
        checked += 1;
    }
    assert!(checked >= 34, "only {checked} valid cases");
}
