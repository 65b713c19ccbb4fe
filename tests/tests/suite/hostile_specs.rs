//! Hostile specs: the generator gives a clear error or finishes, never hangs,
//! overflows its stack or exhausts memory, whatever `models.yaml` holds.
//!
//! Nothing here is timed (the machines are shared and noisy); the spec size
//! cap and the linear checks bound the work by construction, and each test
//! only has to complete. Each test runs on the test harness's own thread
//! (2 MiB of stack), the tightest place the generator is called from.

use orux_codegen::{GenerateError, SpecErrors, SpecLimits};
use orux_spec_tests::spec_cases::spec_text;

/// The errors of a spec that must be rejected.
fn rejected(text: &str) -> SpecErrors {
    match orux_codegen::load(text, "hostile.yaml") {
        Ok(_) => panic!("the spec was accepted"),
        Err(errors) => {
            assert!(!errors.errors.is_empty());
            errors
        }
    }
}

/// The one error of a spec rejected as a whole, as printed.
fn one_error(text: &str) -> String {
    let errors = rejected(text);
    assert_eq!(errors.errors.len(), 1, "{errors}");
    errors.to_string()
}

/// `models.yaml` with `extra` parameters added to `sora2`.
fn with_sora_params(extra: &str) -> String {
    let anchor = "      duration: {use: duration_5_or_10, description: Length in seconds.}\n";
    let text = spec_text();
    assert!(
        text.contains(anchor),
        "models.yaml changed; update the anchor"
    );
    text.replacen(anchor, &format!("{anchor}{extra}"), 1)
}

#[test]
fn a_ten_megabyte_spec_is_refused_unread() {
    // Valid YAML (comments), so only the size can reject it.
    let text = format!("{}{}", spec_text(), "# padding\n".repeat(1_000_000));
    assert!(text.len() > 10_000_000);
    let message = one_error(&text);
    assert!(
        message.starts_with(&format!(
            "hostile.yaml:1:1: the spec is {} bytes, over the limit of 1048576 bytes \
             (max_spec_bytes)",
            text.len()
        )),
        "{message}"
    );
    // The cap is a default: a caller who expects a spec that large raises it.
    let limits = SpecLimits {
        max_spec_bytes: 16 << 20,
        ..SpecLimits::default()
    };
    let ir = orux_codegen::load_with_limits(&text, "hostile.yaml", &limits)
        .unwrap_or_else(|e| panic!("{e}"));
    // Padding adds no model: every model of the spec, none lost.
    assert_eq!(ir.models.len(), orux_models::catalog::MODELS.len());
}

#[test]
fn a_spec_just_under_the_size_limit_loads() {
    let limit = orux_codegen::limits::MAX_SPEC_BYTES;
    let mut text = spec_text();
    let padding = limit - text.len();
    text.push_str(&"#".repeat(padding - 1));
    text.push('\n');
    assert_eq!(text.len(), limit);
    orux_codegen::load(&text, "models.yaml").unwrap_or_else(|e| panic!("{e}"));
    text.push('\n');
    assert!(one_error(&text).contains("over the limit"));
}

#[test]
fn a_model_with_a_thousand_fields_generates() {
    let mut extra = String::new();
    for i in 0..1_000 {
        extra.push_str(&format!(
            "      field_{i}:\n        type: string\n        description: Field {i}.\n"
        ));
    }
    let files = orux_codegen::generate(&with_sora_params(&extra), "models.yaml")
        .unwrap_or_else(|e| panic!("{e}"));
    let sora = files
        .iter()
        .find(|f| f.path.ends_with("models/sora2.rs"))
        .expect("sora2's module");
    for i in [0, 500, 999] {
        assert!(
            sora.contents
                .contains(&format!("pub field_{i}: ::std::option::Option<")),
            "field_{i}"
        );
    }
}

#[test]
fn a_model_with_a_thousand_colliding_fields_gets_every_error() {
    // `aB` and `a_b` both become the Rust field `a_b`: 500 collisions.
    let mut extra = String::new();
    for i in 0..500 {
        extra.push_str(&format!(
            "      f{i}X: {{type: string, description: x}}\n      f{i}_x: {{type: string, description: x}}\n"
        ));
    }
    let errors = rejected(&with_sora_params(&extra));
    assert_eq!(errors.errors.len(), 500, "{errors}");
    assert!(
        errors.errors[0]
            .message
            .contains("both become the Rust field"),
        "{errors}"
    );
}

#[test]
fn an_enum_with_ten_thousand_values_generates() {
    let values: Vec<String> = (11..10_009).map(|i| i.to_string()).collect();
    let text = spec_text().replacen(
        "    values: [6, 10]",
        &format!("    values: [6, 10, {}]", values.join(", ")),
        1,
    );
    assert_ne!(text, spec_text(), "models.yaml changed; update the anchor");
    let files = orux_codegen::generate(&text, "models.yaml").unwrap_or_else(|e| panic!("{e}"));
    let sets = files
        .iter()
        .find(|f| f.path.ends_with("value_sets.rs"))
        .expect("value sets");
    assert!(sets.contents.contains("Seconds10008"));
}

#[test]
fn an_enum_with_repeated_values_reports_each_repeat() {
    // Duplicate checks are linear: 50,000 values, half of them repeats.
    let values: Vec<String> = (0..50_000).map(|i| (i % 25_000).to_string()).collect();
    let text = spec_text().replacen(
        "    values: [6, 10]",
        &format!("    values: [6, 10, {}]", values.join(", ")),
        1,
    );
    let errors = rejected(&text);
    let repeats = errors
        .errors
        .iter()
        .filter(|e| e.message.starts_with("duplicate value"))
        .count();
    // 6 and 10 repeat twice more each, every other value once.
    assert_eq!(repeats, 25_002);
}

/// What 10,000 duplicate model ids report. That the check is linear is a
/// timing claim, so it is measured, not asserted here: `cargo bench --bench
/// linear` prints the time ratio between n and 4n duplicate ids.
#[test]
fn many_duplicate_keys_are_each_reported() {
    // 10,000 models that are not mappings, each written twice.
    let mut text = String::from("version: 1\nmodels:\n");
    for i in 0..10_000 {
        text.push_str(&format!("  m{i}: 1\n"));
    }
    for i in 0..10_000 {
        text.push_str(&format!("  m{i}: 2\n"));
    }
    let errors = rejected(&text);
    let duplicates = errors
        .errors
        .iter()
        .filter(|e| e.message.starts_with("duplicate model id"))
        .count();
    assert_eq!(duplicates, 10_000);
}

#[test]
fn deeply_nested_yaml_is_refused_at_the_depth_limit() {
    // Block mappings 1,000 levels deep (this overflowed the stack before
    // the nesting cap).
    let mut text = String::new();
    for level in 0..1_000 {
        text.push_str(&" ".repeat(level));
        text.push_str("a:\n");
    }
    let message = one_error(&text);
    assert!(
        message.contains("nesting deeper than the limit of 16 levels"),
        "{message}"
    );
    // Flow sequences 100,000 levels deep.
    let text = format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000));
    let message = one_error(&text);
    assert!(
        message.contains("nesting deeper than the limit of 16 levels"),
        "{message}"
    );
    // Within the limit, the spec is read and its shape checked as usual.
    let mut text = String::from("version: 1\nmodels:\n  m:\n    params:\n");
    for level in 0..12 {
        text.push_str(&" ".repeat(6 + 2 * level));
        text.push_str("p:\n");
    }
    let errors = rejected(&text);
    assert!(
        errors.errors.iter().all(|e| !e.message.contains("nesting")),
        "{errors}"
    );
}

#[test]
fn an_alias_bomb_is_refused() {
    // Each level refers to the previous one ten times: 10^11 strings if expanded.
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..12 {
        let previous = format!("*a{}", level - 1);
        text.push_str(&format!(
            "a{level}: &a{level} [{}]\n",
            [previous.as_str(); 10].join(", ")
        ));
    }
    let message = one_error(&text);
    assert!(
        message.contains("aliases") && message.contains("limit"),
        "{message}"
    );
}

#[test]
fn generate_reports_spec_errors_not_emit_errors() {
    // A hostile spec never reaches the emitters: `generate` gives the same
    // spec errors as `load`.
    let text = format!("a: {}{}", "[".repeat(1_000), "]".repeat(1_000));
    match orux_codegen::generate(&text, "hostile.yaml") {
        Err(GenerateError::Spec(errors)) => assert_eq!(errors.errors.len(), 1),
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("generated"),
    }
}

/// Did-you-mean hints cost an edit distance per known name: with thousands
/// of long unknown names they are dropped rather than computed for minutes,
/// and every error is still reported.
#[test]
fn many_long_unknown_references_are_all_reported() {
    let long = |prefix: &str, i: usize| format!("{prefix}{}{i}", "x".repeat(200));
    let mut text = String::from("version: 1\nvalue_sets:\n");
    for i in 0..1_000 {
        text.push_str(&format!(
            "  {}: {{description: d, variant_prefix: V, values: [{i}]}}\n",
            long("s", i)
        ));
    }
    text.push_str("models:\n  m:\n    params:\n");
    for i in 0..1_000 {
        text.push_str(&format!(
            "      p{i}: {{type: enum, values: {}, description: d}}\n",
            long("t", i)
        ));
    }
    let errors = rejected(&text);
    let unknown = errors
        .errors
        .iter()
        .filter(|e| e.message.starts_with("unknown value set"))
        .count();
    assert_eq!(unknown, 1_000, "{errors}");
    // A typo in a normal spec still gets its hint.
    let typo = spec_text().replacen("values: duration_6_or_10", "values: duration_6_or_11", 1);
    let errors = rejected(&typo);
    assert!(
        errors
            .errors
            .iter()
            .any(|e| e.message.ends_with("did you mean `duration_6_or_10`?")),
        "{errors}"
    );
}

/// A default outside a large value set is one short message, not a copy of
/// the whole set per error.
#[test]
fn errors_against_a_large_value_set_stay_short() {
    let values: Vec<String> = (11..1_009).map(|i| i.to_string()).collect();
    let mut extra = String::new();
    for i in 0..90 {
        extra.push_str(&format!(
            "      p{i}: {{type: enum, values: duration_6_or_10, default: 7, description: d}}\n"
        ));
    }
    let text = with_sora_params(&extra).replacen(
        "    values: [6, 10]",
        &format!("    values: [6, 10, {}]", values.join(", ")),
        1,
    );
    let errors = rejected(&text);
    let defaults: Vec<&str> = errors
        .errors
        .iter()
        .map(|e| e.message.as_str())
        .filter(|m| m.starts_with("default 7 is not one of"))
        .collect();
    assert_eq!(defaults.len(), 90, "{errors}");
    assert!(defaults.iter().all(|m| m.len() < 300), "{}", defaults[0]);
    assert!(
        defaults[0].contains("(6, 10, 11, 12, ") && defaults[0].contains(", … 1000 in all)"),
        "{}",
        defaults[0]
    );
}

/// A large value set used by many fields is copied into each one's catalog
/// entry: the expansion is capped, with an error naming the cap.
#[test]
fn a_value_set_copied_into_many_fields_hits_the_values_cap() {
    let values: Vec<String> = (11..10_009).map(|i| i.to_string()).collect();
    let mut extra = String::new();
    for i in 0..2_000 {
        extra.push_str(&format!(
            "      p{i}: {{type: enum, values: duration_6_or_10, description: d}}\n"
        ));
    }
    let text = with_sora_params(&extra).replacen(
        "    values: [6, 10]",
        &format!("    values: [6, 10, {}]", values.join(", ")),
        1,
    );
    let message = one_error(&text);
    assert!(
        message.contains(
            "model `sora2`: the spec expands to more than the limit of 100000 allowed values"
        ) && message.contains("(max_allowed_values;"),
        "{message}"
    );
}

/// `every_model` parameters are copied into every model: the expansion is
/// capped, with an error naming the cap.
#[test]
fn every_model_parameters_times_many_models_hit_the_fields_cap() {
    let mut text = String::from("version: 1\nshared_params:\n");
    for i in 0..200 {
        text.push_str(&format!(
            "  s{i}: {{type: string, every_model: true, description: d}}\n"
        ));
    }
    text.push_str("models:\n");
    for i in 0..100 {
        text.push_str(&format!(
            "  m{i}: {{name: M, vendor: V, description: d, kind: upscale, max_duration: null, capabilities: [], params: {{}}}}\n"
        ));
    }
    let message = one_error(&text);
    assert!(
        // 50 models of 200 parameters fill the cap exactly; the 51st exceeds it.
        message
            .contains("model `m50`: the spec expands to more than the limit of 10000 parameters")
            && message.contains("(max_fields;"),
        "{message}"
    );
    // A catalog that large on purpose raises the cap.
    let limits = SpecLimits {
        max_fields: 20_000,
        ..SpecLimits::default()
    };
    let ir = orux_codegen::load_with_limits(&text, "hostile.yaml", &limits)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ir.models.len(), 100);
    assert!(ir.models.iter().all(|model| model.fields.len() == 200));
}

/// What 7,000 value sets with 700 twins report. The linear-time claim is
/// measured by `cargo bench --bench linear` (time ratio between n and 4n sets).
#[test]
fn many_value_sets_report_each_twin() {
    // 7,000 sets, each used by one parameter; every tenth repeats an
    // earlier set's values (a twin), which is an error.
    let mut text = String::from("version: 1\nvalue_sets:\n");
    for i in 0..7_000 {
        let value = if i % 10 == 9 { i - 1 } else { i };
        text.push_str(&format!(
            "  s{i}: {{description: d, variant_prefix: V, values: [{value}]}}\n"
        ));
    }
    text.push_str("models:\n  m:\n    name: M\n    vendor: V\n    description: d\n    kind: upscale\n    max_duration: null\n    capabilities: []\n    params:\n");
    for i in 0..7_000 {
        text.push_str(&format!(
            "      p{i}: {{type: enum, values: s{i}, description: d}}\n"
        ));
    }
    let errors = rejected(&text);
    let twins = errors
        .errors
        .iter()
        .filter(|e| e.message.starts_with("has the same values as value set"))
        .count();
    assert_eq!(twins, 700, "{errors}");
}
