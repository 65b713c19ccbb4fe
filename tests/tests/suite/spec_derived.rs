//! Cases derived from `models.yaml` itself (see `orux_spec_tests::spec_cases`):
//! for every model, its minimal and maximal bodies validate and round-trip,
//! and every body breaking one rule fails with exactly one error, at the
//! mutated path. A model added to the spec gets all of this with no test code.

use orux_models::{TaskRequest, ValidationErrors};
use orux_spec_tests::spec_cases::{self, Body, Invalid};

/// Validates a body that must be valid, and checks its round trip: typed
/// request → JSON → the same request, and the same members as sent.
fn check_valid(body: &Body) -> Result<(), String> {
    let text = body.to_json();
    let valid =
        TaskRequest::from_json(text.as_bytes()).map_err(|e| format!("{text}\n  rejected: {e}"))?;
    if !valid.warnings.is_empty() {
        return Err(format!("{text}\n  warnings: {:?}", valid.warnings));
    }
    let json = valid
        .request
        .to_json()
        .map_err(|e| format!("{text}\n  does not serialize: {e}"))?;
    let again = TaskRequest::from_json(json.as_bytes())
        .map_err(|e| format!("{text}\n  re-serialized {json} is rejected: {e}"))?;
    if again.request != valid.request {
        return Err(format!("{text}\n  round trip changed the request: {json}"));
    }
    let sent: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let written: serde_json::Value = serde_json::from_str(&json).map_err(|e| e.to_string())?;
    if sent != written {
        return Err(format!("{text}\n  serializes as {json}"));
    }
    // The serde path (a service deserializing a trusted body) agrees.
    match serde_json::from_str::<TaskRequest>(&text) {
        Ok(request) if request == valid.request => Ok(()),
        other => Err(format!("{text}\n  serde gives {other:?}")),
    }
}

fn check_invalid(case: &Invalid) -> Result<(), String> {
    let text = case.body.to_json();
    let shown = || {
        let mut shown: String = text.chars().take(300).collect();
        if shown.len() < text.len() {
            shown.push('…');
        }
        shown
    };
    match TaskRequest::from_json(text.as_bytes()) {
        Ok(_) => Err(format!("{}: {} was accepted", case.rule, shown())),
        Err(ValidationErrors {
            errors, warnings, ..
        }) => {
            let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
            if paths != [case.path.as_str()] || !warnings.is_empty() {
                let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
                return Err(format!(
                    "{}: {}\n  expected one error at {}, got {messages:?} (warnings {warnings:?})",
                    case.rule,
                    shown(),
                    case.path
                ));
            }
            Ok(())
        }
    }
}

#[test]
fn minimal_and_maximal_bodies_validate_and_round_trip() {
    let ir = spec_cases::ir();
    let mut failures = Vec::new();
    let mut checked = 0;
    for model in &ir.models {
        let minimal = spec_cases::minimal(&ir, model);
        // The minimal body holds the model id and the required fields only.
        let required = model.fields.iter().filter(|f| f.required).count();
        assert_eq!(minimal.members.len(), 1 + required, "{}", model.id);
        let maximal = spec_cases::maximal(&ir, model);
        assert!(
            maximal
                .iter()
                .all(|body| body.members.len() == 1 + model.fields.len()),
            "{}: a maximal body lacks a field",
            model.id
        );
        for body in std::iter::once(&minimal).chain(&maximal) {
            checked += 1;
            if let Err(failure) = check_valid(body) {
                failures.push(format!("{}: {failure}", model.id));
            }
        }
    }
    assert!(checked > 2 * ir.models.len(), "only {checked} valid bodies");
    assert!(
        failures.is_empty(),
        "{} valid bodies failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every allowed value of every enum field is sent by some maximal body, so
/// "each allowed value in turn" cannot silently shrink.
#[test]
fn maximal_bodies_send_every_allowed_value() {
    let ir = spec_cases::ir();
    for model in &ir.models {
        let bodies = spec_cases::maximal(&ir, model);
        for field in &model.fields {
            for value in spec_cases::valid_values(&ir, field) {
                assert!(
                    bodies.iter().any(|body| body
                        .members
                        .iter()
                        .any(|(k, v)| k == &field.wire_name && v == &value)),
                    "{}: {} = {value} is never sent",
                    model.id,
                    field.wire_name
                );
            }
        }
    }
}

#[test]
fn each_broken_rule_is_one_error_at_its_path() {
    let ir = spec_cases::ir();
    let mut failures = Vec::new();
    let mut checked = 0;
    for model in &ir.models {
        let cases = spec_cases::invalid(&ir, model);
        // Per field at least: null, and each wrong JSON type.
        assert!(
            cases.len() >= 3 * model.fields.len(),
            "{}: only {} invalid cases",
            model.id,
            cases.len()
        );
        for case in &cases {
            checked += 1;
            if let Err(failure) = check_invalid(case) {
                failures.push(format!("{}: {failure}", model.id));
            }
        }
    }
    assert!(
        checked > 20 * ir.models.len(),
        "only {checked} invalid bodies"
    );
    assert!(
        failures.is_empty(),
        "{} invalid bodies failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The generator of invalid bodies covers every rule kind the issue lists, for
/// every model that has a field of the relevant type.
#[test]
fn invalid_cases_cover_every_rule() {
    let ir = spec_cases::ir();
    for model in &ir.models {
        let cases = spec_cases::invalid(&ir, model);
        let has = |needle: &str| cases.iter().any(|c| c.rule.contains(needle));
        assert!(has("unknown field"), "{}", model.id);
        assert!(has("of another model"), "{}", model.id);
        for field in &model.fields {
            let name = &field.wire_name;
            assert!(has(&format!("{name} null")), "{}: {name}", model.id);
            assert!(
                has(&format!("{name} of the wrong JSON type")),
                "{}: {name}",
                model.id
            );
            if field.required {
                assert!(has(&format!("required {name} removed")), "{}", model.id);
            }
            let outside = format!("{name} outside its rules");
            match &field.ty {
                orux_codegen::ir::FieldType::Boolean => {}
                orux_codegen::ir::FieldType::String(rules)
                    if rules.min_length.is_none() && rules.max_length.is_none() => {}
                _ => assert!(has(&outside), "{}: {name}", model.id),
            }
        }
    }
}

/// The checks are not vacuous: a spec that allows one value more than the
/// crate implements makes a maximal body fail.
#[test]
fn a_spec_the_crate_does_not_implement_is_caught() {
    let mut ir = spec_cases::ir();
    let set = ir
        .value_sets
        .iter_mut()
        .find(|set| set.id == "duration_5_or_10")
        .expect("the spec has duration_5_or_10");
    set.variants.push(orux_codegen::ir::Variant {
        wire: orux_codegen::ir::Literal::Integer(7),
        rust_name: "Seconds7".to_owned(),
    });
    let model = ir.models.iter().find(|m| m.id == "sora2").expect("sora2");
    let failures: Vec<String> = spec_cases::maximal(&ir, model)
        .iter()
        .filter_map(|body| check_valid(body).err())
        .collect();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(failures[0].contains("\"duration\":7"), "{failures:?}");
}
