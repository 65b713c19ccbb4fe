//! Property tests of the request validator: arbitrary input never panics,
//! the verdict never depends on key order, and a body that validates
//! serializes back to an equivalent one.
//!
//! Bodies around a real model are drawn from the spec-derived values
//! (`orux_spec_tests::spec_cases`): each parameter is absent, valid, broken
//! in one way, or arbitrary JSON, so both verdicts come up often. Case counts
//! are kept moderate so that `cargo test` stays quick in a debug build.

use std::sync::OnceLock;

use orux_codegen::ir::Ir;
use orux_models::{Diagnostic, TaskRequest, ValidationErrors};
use orux_spec_tests::spec_cases::{self, Body, json_string};
use proptest::prelude::*;
use serde_json::Value;

fn ir() -> &'static Ir {
    static IR: OnceLock<Ir> = OnceLock::new();
    IR.get_or_init(spec_cases::ir)
}

/// Arbitrary JSON, a few levels deep.
fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("\\PC{0,8}", inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// The members of a body around a real model: `model` plus, for each
/// parameter any model knows, nothing or one candidate value, and maybe an
/// arbitrary key. The model's own parameters are usually valid and
/// sometimes broken; other models' parameters and arbitrary keys turn up
/// rarely, so that both verdicts are common. Keys are distinct.
fn arb_members() -> impl Strategy<Value = Vec<(String, String)>> {
    let ir = ir();
    (0..ir.models.len()).prop_flat_map(move |index| {
        let model = &ir.models[index];
        let mut slots: Vec<BoxedStrategy<Option<(String, String)>>> = Vec::new();
        for pool in candidates(ir, index) {
            let Pool {
                key,
                valid,
                broken,
                own,
            } = pool;
            let values = prop_oneof![
                12 => prop::sample::select(valid),
                3 => prop::sample::select(broken),
                1 => arb_json().prop_map(|v| v.to_string()),
            ];
            let present = if own { 0.7 } else { 0.03 };
            slots.push(
                prop::option::weighted(present, values.prop_map(move |raw| (key.clone(), raw)))
                    .boxed(),
            );
        }
        let extra = prop::option::weighted(0.05, ("\\PC{0,8}", arb_json()));
        let model_member = ("model".to_owned(), json_string(&model.id));
        (slots, extra).prop_map(move |(chosen, extra)| {
            let mut members = vec![model_member.clone()];
            let extra = extra.map(|(key, value)| (key, value.to_string()));
            for (key, raw) in chosen.into_iter().flatten().chain(extra) {
                if members.iter().all(|(k, _)| k != &key) {
                    members.push((key, raw));
                }
            }
            members
        })
    })
}

/// The values tried for one parameter name in a body for one model.
struct Pool {
    key: String,
    /// Valid for the model (for another model's parameter: valid there).
    valid: Vec<String>,
    /// Each breaks one rule of the model's parameter (or is the other
    /// model's valid value again: any value is unknown here).
    broken: Vec<String>,
    /// Whether the model has this parameter.
    own: bool,
}

/// A pool for each parameter name any model knows, for model `index`, from
/// the spec-derived valid values and one-rule breakers.
fn candidates(ir: &Ir, index: usize) -> Vec<Pool> {
    let model = &ir.models[index];
    let breakers = spec_cases::invalid(ir, model);
    let mut pools: Vec<Pool> = Vec::new();
    for field in ir.models.iter().flat_map(|m| &m.fields) {
        let key = &field.wire_name;
        if pools.iter().any(|pool| &pool.key == key) {
            continue;
        }
        let own = model.fields.iter().find(|f| &f.wire_name == key);
        let valid = spec_cases::valid_values(ir, own.unwrap_or(field));
        // The value each one-rule breaker of this key sets for it.
        let mut broken: Vec<String> = breakers
            .iter()
            .filter(|case| case.path.starts_with(&spec_cases::pointer(key)))
            .filter_map(|case| case.body.members.iter().find(|(k, _)| k == key))
            .map(|(_, raw)| raw.clone())
            .collect();
        broken.sort();
        broken.dedup();
        if broken.is_empty() {
            broken = valid.clone();
        }
        pools.push(Pool {
            key: key.clone(),
            valid,
            broken,
            own: own.is_some(),
        });
    }
    pools
}

/// Errors and warnings of a verdict, without offsets, in a canonical order.
fn findings(
    outcome: &Result<orux_models::Validated<TaskRequest>, ValidationErrors>,
) -> Vec<String> {
    let describe =
        |kind: &str, d: &Diagnostic| format!("{kind} {} {}: {}", d.code, d.path, d.message);
    let mut all: Vec<String> = match outcome {
        Ok(valid) => valid
            .warnings
            .iter()
            .map(|d| describe("warning", d))
            .collect(),
        Err(invalid) => invalid
            .errors
            .iter()
            .map(|d| describe("error", d))
            .chain(invalid.warnings.iter().map(|d| describe("warning", d)))
            .collect(),
    };
    all.sort();
    all
}

fn sane(
    outcome: &Result<orux_models::Validated<TaskRequest>, ValidationErrors>,
) -> Result<(), TestCaseError> {
    if let Err(invalid) = outcome {
        prop_assert!(!invalid.errors.is_empty());
        for error in &invalid.errors {
            prop_assert_eq!(error.code, "invalid_param");
            prop_assert!(
                error.path.is_empty() || error.path.starts_with('/'),
                "{}",
                error.path
            );
            prop_assert!(!error.message.is_empty());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any bytes at all get a verdict, never a panic.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let outcome = TaskRequest::from_json(&bytes);
        sane(&outcome)?;
    }

    /// Any JSON value gets a verdict; a value that is not an object is one
    /// parse error at the root, and an object never is.
    #[test]
    fn arbitrary_json_never_panics(value in arb_json()) {
        let text = value.to_string();
        let outcome = TaskRequest::from_json(text.as_bytes());
        sane(&outcome)?;
        let root_errors = outcome
            .as_ref()
            .err()
            .map_or(0, |e| e.errors.iter().filter(|d| d.path.is_empty()).count());
        if value.is_object() {
            prop_assert_eq!(root_errors, 0, "{}", text);
        } else {
            prop_assert_eq!(outcome.map_err(|e| e.errors.len()).err(), Some(1), "{}", text);
        }
    }

    /// Reordering the members of a body changes neither the verdict, nor the
    /// findings (only their order), nor the typed request.
    #[test]
    fn verdict_does_not_depend_on_key_order(
        (members, shuffled) in arb_members()
            .prop_flat_map(|members| (Just(members.clone()), Just(members).prop_shuffle()))
    ) {
        let first = Body { members }.to_json();
        let second = Body { members: shuffled }.to_json();
        let a = TaskRequest::from_json(first.as_bytes());
        let b = TaskRequest::from_json(second.as_bytes());
        sane(&a)?;
        prop_assert_eq!(a.is_ok(), b.is_ok(), "{} vs {}", first, second);
        prop_assert_eq!(findings(&a), findings(&b), "{} vs {}", first, second);
        if let (Ok(a), Ok(b)) = (a, b) {
            prop_assert_eq!(a.request, b.request);
        }
    }

    /// A body that validates serializes back to an equivalent body: the same
    /// keys, a valid body again, and the same typed request and warnings.
    #[test]
    fn a_valid_body_serializes_back_to_an_equivalent_one(members in arb_members()) {
        let text = Body { members }.to_json();
        let Ok(valid) = TaskRequest::from_json(text.as_bytes()) else {
            return Ok(());
        };
        let json = valid.request.to_json().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let again = TaskRequest::from_json(json.as_bytes());
        prop_assert!(again.is_ok(), "{} → {} is rejected", text, json);
        let again = again.map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&again.request, &valid.request);
        // The same warnings; only their byte offsets move with the text.
        let findings = |warnings: &[Diagnostic]| -> Vec<(String, String)> {
            warnings.iter().map(|w| (w.path.clone(), w.message.clone())).collect()
        };
        prop_assert_eq!(findings(&again.warnings), findings(&valid.warnings));
        let keys = |text: &str| -> Vec<String> {
            let value: Value = serde_json::from_str(text).unwrap_or_default();
            let mut keys: Vec<String> = value
                .as_object()
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default();
            keys.sort();
            keys
        };
        prop_assert_eq!(keys(&text), keys(&json));
    }
}

/// The body strategy is not one-sided: both verdicts come up, so the
/// properties above are exercised on valid bodies too.
#[test]
fn body_strategy_yields_both_verdicts() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let strategy = arb_members();
    let (mut valid, mut invalid) = (0, 0);
    for _ in 0..400 {
        let members = strategy.new_tree(&mut runner).expect("a body").current();
        match TaskRequest::from_json(Body { members }.to_json().as_bytes()) {
            Ok(_) => valid += 1,
            Err(_) => invalid += 1,
        }
    }
    assert!(
        valid >= 20 && invalid >= 20,
        "valid {valid}, invalid {invalid}"
    );
}
