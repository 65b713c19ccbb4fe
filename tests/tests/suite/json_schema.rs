//! The JSON Schema bundle (`generated/schema/`) says what the Rust validator
//! says.
//!
//! Every body of the request corpus gets a verdict and a set of error paths
//! from `TaskRequest::from_json` and from the bundle under the `jsonschema`
//! crate; they must be equal, except for the cases that
//! `tests/cross-language/schema-gaps.json` lists (rules a JSON Schema cannot
//! state), and each of those must really differ. The Python and TypeScript
//! runners under `tests/cross-language/` apply the same rules with their own
//! validators.
//!
//! Error paths from the schema: an error's instance location, except that a
//! missing required property and an unexpected property point at the property
//! (as the Rust validator does). Paths are compared as sets: the Rust
//! validator reports in document order, a JSON Schema validator in keyword
//! order. The validation bundle dispatches on `model`, so the paths come from
//! its root alone; every single-mistake case must be located there (an error
//! at the field, or at its parent naming the key), and the types bundle (the
//! discriminated `oneOf` for code generators) must give the same verdicts.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, Validator};
use orux_models::responses::{SubmitResponse, TaskStatus, TaskStatusResponse};
use orux_models::{Model, TaskRequest};
use orux_spec_tests::corpus::{self, Case};
use orux_spec_tests::lcg::Lcg;
use orux_spec_tests::spec_cases::root;
use serde_json::{Value, json};

/// This harness's name in `schema-gaps.json`.
const HARNESS: &str = "rust";

fn schema_dir() -> PathBuf {
    root().join("generated/schema")
}

fn read_json(path: PathBuf) -> Value {
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The validation bundle, as the crate embeds it.
fn bundle() -> Value {
    serde_json::from_str(orux_models::schema::BUNDLE).expect("the bundle is JSON")
}

/// The types bundle, as the crate embeds it.
fn types_bundle() -> Value {
    serde_json::from_str(orux_models::schema::TYPES_BUNDLE).expect("the types bundle is JSON")
}

fn compile(schema: &Value) -> Validator {
    jsonschema::draft202012::new(schema).unwrap_or_else(|e| panic!("schema does not compile: {e}"))
}

/// A schema for one `$defs` entry of `document`, with all its definitions.
fn definition(document: &Value, name: &str) -> Value {
    json!({
        "$schema": document["$schema"],
        "$ref": format!("#/$defs/{name}"),
        "$defs": document["$defs"],
    })
}

/// A JSON pointer segment.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Where an error points, as the Rust validator would say it.
fn pointers(error: &ValidationError<'_>, out: &mut BTreeSet<String>) {
    let at = error.instance_path().as_str();
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            out.insert(format!(
                "{at}/{}",
                escape(property.as_str().unwrap_or_default())
            ));
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            out.extend(unexpected.iter().map(|key| format!("{at}/{}", escape(key))));
        }
        _ => {
            out.insert(at.to_owned());
        }
    }
}

/// Verdict and error paths.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Outcome {
    valid: bool,
    paths: BTreeSet<String>,
}

/// The validation bundle's root validator.
struct Bundle {
    root: Validator,
}

impl Bundle {
    fn new() -> Bundle {
        Bundle {
            root: compile(&bundle()),
        }
    }

    /// What a JSON Schema user gets for `body`: parsed with serde_json (a
    /// body it rejects never reaches the schema: one error at the root), then
    /// validated.
    fn outcome(&self, body: &[u8]) -> Outcome {
        let Ok(instance) = serde_json::from_slice::<Value>(body) else {
            return Outcome {
                valid: false,
                paths: BTreeSet::from([String::new()]),
            };
        };
        let valid = self.root.is_valid(&instance);
        let mut paths = BTreeSet::new();
        self.root
            .iter_errors(&instance)
            .for_each(|e| pointers(&e, &mut paths));
        Outcome { valid, paths }
    }
}

/// Whether `errors` locate a single mistake at `path`: at least one error at
/// the field's pointer, or at its parent naming the key (a missing or an
/// unknown key), and none anywhere but there or below the field.
fn locates(errors: &[ValidationError<'_>], path: &str) -> bool {
    let (parent, key) = match path.rsplit_once('/') {
        Some((parent, key)) => (Some(parent), key.replace("~1", "/").replace("~0", "~")),
        None => (None, String::new()),
    };
    let at = |e: &ValidationError<'_>| {
        let here = e.instance_path().as_str();
        here == path
            || (Some(here) == parent
                && match e.kind() {
                    ValidationErrorKind::Required { property } => property.as_str() == Some(&key),
                    ValidationErrorKind::AdditionalProperties { unexpected } => {
                        unexpected.len() == 1 && unexpected[0] == key
                    }
                    _ => false,
                })
    };
    let below =
        |e: &ValidationError<'_>| e.instance_path().as_str().starts_with(&format!("{path}/"));
    errors.iter().any(at) && errors.iter().all(|e| at(e) || below(e))
}

/// Every single-mistake case (invalid, one expected path, a body serde_json
/// reads, not excused) gets an error at its field from the bundle alone.
#[test]
fn single_mistakes_are_reported_at_their_field() {
    let bundle = Bundle::new();
    let cases = corpus::load();
    let excused = excused(&cases);
    let mut failures = Vec::new();
    let mut singles = 0;
    for case in &cases {
        let expected: BTreeSet<&String> = case.errors.iter().collect();
        let Ok(instance) = serde_json::from_slice::<Value>(&case.body) else {
            continue;
        };
        if case.valid || expected.len() != 1 || excused.contains_key(&case.name) {
            continue;
        }
        singles += 1;
        let path = expected.iter().next().map_or("", |p| p.as_str());
        let errors: Vec<ValidationError<'_>> = bundle.root.iter_errors(&instance).collect();
        if !locates(&errors, path) {
            let said: Vec<String> = errors
                .iter()
                .map(|e| format!("{}: {e}", e.instance_path().as_str()))
                .collect();
            failures.push(format!("{}: expected {path:?}, got {said:?}", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(singles > 100, "only {singles} single-mistake cases");
}

/// The types bundle (`oneOf` + `discriminator`) gives every corpus body the
/// validation bundle's verdict: the two shapes state the same rules.
#[test]
fn types_bundle_gives_the_same_verdicts() {
    let validation = compile(&bundle());
    let types = compile(&types_bundle());
    let mut checked = 0;
    for case in corpus::load() {
        let Ok(instance) = serde_json::from_slice::<Value>(&case.body) else {
            continue;
        };
        assert_eq!(
            validation.is_valid(&instance),
            types.is_valid(&instance),
            "{}",
            case.name
        );
        checked += 1;
    }
    assert!(checked > 300, "{checked} bodies");
}

/// What the Rust validator says.
fn rust_outcome(body: &[u8]) -> Outcome {
    match TaskRequest::from_json(body) {
        Ok(_) => Outcome {
            valid: true,
            paths: BTreeSet::new(),
        },
        Err(invalid) => Outcome {
            valid: false,
            paths: invalid.errors.iter().map(|e| e.path.clone()).collect(),
        },
    }
}

/// The corpus cases `schema-gaps.json` excuses for this harness, with the rule.
fn excused(cases: &[Case]) -> BTreeMap<String, String> {
    let gaps = read_json(root().join("tests/cross-language/schema-gaps.json"));
    let mut excused = BTreeMap::new();
    for gap in gaps["gaps"].as_array().expect("a `gaps` list") {
        let rule = gap["rule"].as_str().expect("a rule").to_owned();
        assert!(
            gap["why"].as_str().is_some_and(|w| !w.is_empty()),
            "{rule}: say why"
        );
        let harnesses = gap["harnesses"].as_array().expect("harnesses");
        if !harnesses.iter().any(|h| h == HARNESS) {
            continue;
        }
        for name in gap["cases"].as_array().expect("cases") {
            let name = name.as_str().expect("a case name");
            assert!(
                cases.iter().any(|c| c.name == name),
                "{rule}: no corpus case {name}"
            );
            excused.insert(name.to_owned(), rule.clone());
        }
    }
    excused
}

#[test]
fn corpus_verdicts_and_paths_agree_with_the_rust_validator() {
    let bundle = Bundle::new();
    let cases = corpus::load();
    let excused = excused(&cases);
    let mut failures = Vec::new();
    let (mut agreed, mut gaps) = (0, 0);
    for case in &cases {
        let rust = rust_outcome(&case.body);
        let schema = bundle.outcome(&case.body);
        match (excused.get(&case.name), rust == schema) {
            (None, true) => agreed += 1,
            (Some(_), false) => gaps += 1,
            (None, false) => {
                failures.push(format!("{}: Rust {rust:?}, schema {schema:?}", case.name))
            }
            (Some(rule), true) => failures.push(format!(
                "{}: excused by {rule:?} but the schema agrees; drop it from schema-gaps.json",
                case.name
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(agreed > 300 && gaps > 0, "{agreed} agreed, {gaps} gaps");
}

/// The gaps are what the README says: every rule named there is in the list.
#[test]
fn readme_lists_every_gap() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let gaps = read_json(root().join("tests/cross-language/schema-gaps.json"));
    for gap in gaps["gaps"].as_array().expect("gaps") {
        let rule = gap["rule"].as_str().expect("rule");
        assert!(readme.contains(rule), "README does not list {rule:?}");
    }
}

#[test]
fn every_schema_file_is_a_valid_2020_12_schema() {
    let mut files = vec![
        schema_dir().join("orux-models.schema.json"),
        schema_dir().join("orux-models.types.schema.json"),
        schema_dir().join("responses.schema.json"),
    ];
    for model in Model::ALL {
        files.push(schema_dir().join(format!("models/{}.schema.json", model.id())));
    }
    for path in files {
        let schema = read_json(path.clone());
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema",
            "{}",
            path.display()
        );
        if let Err(error) = jsonschema::meta::validate(&schema) {
            panic!("{}: {error}", path.display());
        }
        compile(&schema);
    }
}

/// Each standalone model schema is the bundle's definition of that model, with
/// exactly the definitions it uses.
#[test]
fn standalone_schemas_are_the_bundle_definitions() {
    let document = bundle();
    let types = types_bundle();
    // The two bundles share their definitions, except how `ImageInput`
    // combines its three shapes (`types_bundle_gives_the_same_verdicts` and
    // `patterns_agree_with_the_runtime_parsers` check that they accept the same).
    let mut validation_defs = document["$defs"].clone();
    let mut types_defs = types["$defs"].clone();
    for defs in [&mut validation_defs, &mut types_defs] {
        defs.as_object_mut().expect("$defs").remove("ImageInput");
    }
    assert_eq!(
        validation_defs, types_defs,
        "the bundles share their definitions"
    );
    assert_eq!(
        types["$defs"]["ImageInput"]["anyOf"],
        json!([
            { "$ref": "#/$defs/DataUri" },
            { "$ref": "#/$defs/HttpsUrl" },
            { "$ref": "#/$defs/TaskRef" },
        ]),
        "generators see the three shapes as a union of named schemas"
    );
    for model in Model::ALL {
        let text = orux_models::schema::model(model.id()).expect("every model has a schema");
        let mut standalone: Value = serde_json::from_str(text).expect("JSON");
        let map = standalone.as_object_mut().expect("an object");
        assert_eq!(
            map.remove("$id")
                .and_then(|id| id.as_str().map(str::to_owned)),
            Some(format!(
                "https://orux.top/schemas/orux-models/models/{}.schema.json",
                model.id()
            ))
        );
        map.remove("$schema");
        map.remove("$comment");
        let defs = map.remove("$defs").expect("$defs");
        let name = types["discriminator"]["mapping"][model.id()]
            .as_str()
            .and_then(|t| t.strip_prefix("#/$defs/"))
            .expect("mapped");
        assert_eq!(&standalone, &document["$defs"][name], "{}", model.id());
        for (def, schema) in defs.as_object().expect("object") {
            assert_eq!(schema, &document["$defs"][def], "{}: {def}", model.id());
        }
        // Nothing dangling: the standalone schema compiles and accepts the
        // model's minimal example.
        let full: Value = serde_json::from_str(text).expect("JSON");
        let example = &full["examples"][0];
        assert!(compile(&full).is_valid(example), "{}", model.id());
    }
    assert_eq!(orux_models::schema::model("sora-2-pro"), None);
}

/// Every example in the bundle and every request example of the OpenAPI
/// document is valid for the Rust validator and for the schema.
#[test]
fn every_example_is_valid_everywhere() {
    let document = bundle();
    let root = compile(&document);
    let mut examples: Vec<(String, Value)> = Vec::new();
    for (index, example) in document["examples"]
        .as_array()
        .expect("examples")
        .iter()
        .enumerate()
    {
        examples.push((format!("bundle example {index}"), example.clone()));
    }
    for (name, def) in document["$defs"].as_object().expect("$defs") {
        if def["properties"]["model"]["const"].is_string() {
            let listed = def["examples"]
                .as_array()
                .expect("examples on every request");
            assert!(!listed.is_empty(), "{name}");
            for (index, example) in listed.iter().enumerate() {
                examples.push((format!("{name} example {index}"), example.clone()));
            }
        }
    }
    let openapi = read_json(schema_dir().join("openapi.json"));
    let request =
        &openapi["paths"]["/api/v1/tasks"]["post"]["requestBody"]["content"]["application/json"];
    let listed = request["examples"].as_object().expect("request examples");
    assert_eq!(listed.len(), 3, "the docs have three request examples");
    for (name, example) in listed {
        assert!(example["summary"].is_string(), "{name}");
        examples.push((format!("OpenAPI {name}"), example["value"].clone()));
    }
    for (name, example) in examples {
        let body = serde_json::to_vec(&example).expect("serializes");
        if let Err(invalid) = TaskRequest::from_json(&body) {
            panic!("{name}: {invalid}");
        }
        assert!(root.is_valid(&example), "{name}");
    }
}

/// The URL and data URI patterns in the bundle accept exactly what the
/// runtime's parsers accept, on strings one to three edits from valid ones.
#[test]
fn patterns_agree_with_the_runtime_parsers() {
    let document = bundle();
    let url = compile(&definition(&document, "HttpsUrl"));
    let data_uri = compile(&definition(&document, "DataUri"));
    let image = compile(&definition(&document, "ImageInput"));
    // The generators' `anyOf` of the same three shapes.
    let image_union = compile(&definition(&types_bundle(), "ImageInput"));
    let url_seeds = [
        "https://example.com/frames/start.png",
        "https://user:pw@[::1]:65535/a?b#c",
        "https://a.b:00080/%41",
        "HTTPS://x",
    ];
    let url_alphabet: Vec<char> = ":/?#[]@%.-_~!$&'()*+,;=09AaFfgZ \n\t\u{7f}é6553"
        .chars()
        .collect();
    let data_seeds = [
        "data:image/png;base64,QUJD",
        "data:image/svg+xml;base64,QQ==",
        "data:image/gif;base64,QUI=",
    ];
    let data_alphabet: Vec<char> = "data:image/;,base64=+/AQgwRJz09-_ \n.".chars().collect();
    let mut rng = Lcg(7);
    let (mut accepted, mut rejected) = (0, 0);
    for round in 0..20_000 {
        let (text, parsed, pattern) = if round % 2 == 0 {
            let seed = url_seeds[rng.next(url_seeds.len())];
            let text = rng.mutate(seed, &url_alphabet, 3);
            let ok = orux_models::HttpsUrl::parse(&text).is_ok();
            (text, ok, &url)
        } else {
            let seed = data_seeds[rng.next(data_seeds.len())];
            let text = rng.mutate(seed, &data_alphabet, 3);
            let ok = orux_models::DataUri::parse(&text).is_ok();
            (text, ok, &data_uri)
        };
        let instance = Value::String(text.clone());
        assert_eq!(pattern.is_valid(&instance), parsed, "{text:?}");
        let image_ok = orux_models::ImageInput::parse(&text).is_ok();
        assert_eq!(image.is_valid(&instance), image_ok, "image {text:?}");
        assert_eq!(
            image_union.is_valid(&instance),
            image_ok,
            "image union {text:?}"
        );
        if parsed {
            accepted += 1;
        } else {
            rejected += 1;
        }
    }
    // Both sides are exercised, so the agreement is not vacuous.
    assert!(
        accepted > 2_000 && rejected > 2_000,
        "{accepted} accepted, {rejected} rejected"
    );
}

fn responses() -> Value {
    serde_json::from_str(orux_models::schema::RESPONSES).expect("JSON")
}

/// The response schemas and the Rust response types accept and reject the
/// same documents: the docs' examples, and one change at a time from them.
#[test]
fn response_schemas_agree_with_the_response_types() {
    let document = responses();
    let submit = compile(&definition(&document, "SubmitResponse"));
    let status = compile(&definition(&document, "TaskStatusResponse"));
    let webhook = compile(&definition(&document, "WebhookEvent"));
    let submit_example = json!({ "task_id": "task_01HZX...", "status": "QUEUED", "submit_time": "2026-06-04T22:00:00" });
    let status_example = json!({ "task_id": "...", "status": "SUCCESS", "result_urls": ["https://..."], "duration_sec": 38 });
    assert_eq!(
        document["$defs"]["SubmitResponse"]["examples"][0],
        submit_example
    );
    assert_eq!(
        document["$defs"]["TaskStatusResponse"]["examples"][0],
        status_example
    );

    let with = |base: &Value, key: &str, value: Option<Value>| {
        let mut changed = base.clone();
        let map = changed.as_object_mut().expect("object");
        match value {
            Some(value) => map.insert(key.to_owned(), value),
            None => map.remove(key),
        };
        changed
    };
    let submit_cases = [
        (submit_example.clone(), true),
        (with(&submit_example, "status", Some(json!("paused"))), true),
        (with(&submit_example, "extra", Some(json!({"x": 1}))), true),
        (with(&submit_example, "task_id", None), false),
        (with(&submit_example, "submit_time", None), false),
        (with(&submit_example, "status", Some(json!(1))), false),
        (with(&submit_example, "task_id", Some(json!(null))), false),
        (json!([]), false),
    ];
    for (body, valid) in submit_cases {
        assert_eq!(submit.is_valid(&body), valid, "schema: {body}");
        let typed = serde_json::from_value::<SubmitResponse>(body.clone());
        assert_eq!(typed.is_ok(), valid, "type: {body}");
    }
    let status_cases = [
        (status_example.clone(), true),
        (json!({ "task_id": "t", "status": "queued" }), true),
        (
            with(&status_example, "duration_sec", Some(json!(38.5))),
            true,
        ),
        (with(&status_example, "result_urls", Some(json!([]))), true),
        (with(&status_example, "status", None), false),
        (
            with(&status_example, "result_urls", Some(json!("https://x"))),
            false,
        ),
        (
            with(&status_example, "result_urls", Some(json!([1]))),
            false,
        ),
        (
            with(&status_example, "duration_sec", Some(json!("38"))),
            false,
        ),
    ];
    for (body, valid) in status_cases {
        assert_eq!(status.is_valid(&body), valid, "schema: {body}");
        assert_eq!(webhook.is_valid(&body), valid, "webhook schema: {body}");
        let typed = serde_json::from_value::<TaskStatusResponse>(body.clone());
        assert_eq!(typed.is_ok(), valid, "type: {body}");
    }
    let done: TaskStatusResponse =
        serde_json::from_value(status_example).expect("the docs' example");
    assert_eq!(done.status, TaskStatus::Success);
    assert_eq!(done.duration_sec, Some(38.0));
}

/// The schema's known states (its examples: the type is any string, as a
/// client keeps a state it does not know) are the Rust type's.
#[test]
fn known_task_states_agree() {
    let document = responses();
    let listed: Vec<&str> = document["$defs"]["TaskStatus"]["examples"]
        .as_array()
        .expect("examples")
        .iter()
        .map(|v| v.as_str().expect("string"))
        .collect();
    let known: Vec<&str> = TaskStatus::KNOWN.iter().map(|(_, name)| *name).collect();
    assert_eq!(listed, known);
    for name in listed {
        assert_ne!(
            TaskStatus::parse(&name.to_uppercase()),
            TaskStatus::Unknown(name.to_uppercase())
        );
    }
}

/// Numbers at the edges, sent as every integer-valued field of every model
/// (derived from the spec, so a new model or set is covered unwritten): the
/// bundle and the Rust validator give the same verdict and paths. A value
/// written as `5.0`, `5e0` or `50E-1` is the integer 5 for both; a fraction,
/// `-0` where 0 is not allowed, or a huge number is one error at the field.
/// `1e400` is the documented exception (serde_json refuses the whole body).
#[test]
fn numeric_edge_cases_agree_for_every_integer_field() {
    use orux_codegen::ir::{FieldType, Literal, SetKind};
    use orux_spec_tests::spec_cases;

    let bundle = Bundle::new();
    let ir = spec_cases::ir();
    let mut checked = 0;
    for model in &ir.models {
        let base = spec_cases::minimal(&ir, model);
        for field in &model.fields {
            let FieldType::Enum(id) = field.ty else {
                continue;
            };
            let set = ir.value_set(id).expect("a lowered IR resolves its own ids");
            if set.kind != SetKind::Integer {
                continue;
            }
            let ints: Vec<i64> = set
                .variants
                .iter()
                .filter_map(|v| match v.wire {
                    Literal::Integer(i) => Some(i),
                    _ => None,
                })
                .collect();
            let (min, max) = (ints.iter().min().copied(), ints.iter().max().copied());
            let (Some(min), Some(max)) = (min, max) else {
                continue;
            };
            let path = spec_cases::pointer(&field.wire_name);
            let body = |raw: &str| base.with(&field.wire_name, raw).to_json().into_bytes();
            for n in &ints {
                for raw in [
                    n.to_string(),
                    format!("{n}.0"),
                    format!("{n}.000"),
                    format!("{n}e0"),
                    format!("{n}E+0"),
                    format!("{}e-1", n * 10),
                    format!("{}.0e-2", n * 100),
                ] {
                    let rust = rust_outcome(&body(&raw));
                    assert!(rust.valid, "{}: {raw}: {rust:?}", model.id);
                    assert_eq!(bundle.outcome(&body(&raw)), rust, "{}: {raw}", model.id);
                    checked += 1;
                }
            }
            let mut refused = vec![
                (max + 1).to_string(),
                (min - 1).to_string(),
                format!("{min}.5"),
                format!("{max}.000001"),
                format!("{min}e-1"),
                "1e308".to_owned(),
                "-1e308".to_owned(),
                "9007199254740993".to_owned(),
                "18446744073709551621".to_owned(),
                format!("{max}{}", "0".repeat(30)),
            ];
            if !ints.contains(&0) {
                refused.extend(["0".to_owned(), "-0".to_owned(), "-0.0".to_owned()]);
            }
            for raw in refused {
                let rust = rust_outcome(&body(&raw));
                assert_eq!(
                    rust,
                    Outcome {
                        valid: false,
                        paths: BTreeSet::from([path.clone()]),
                    },
                    "{}: {raw}",
                    model.id
                );
                assert_eq!(bundle.outcome(&body(&raw)), rust, "{}: {raw}", model.id);
                checked += 1;
            }
            // The documented gap: the server reads 1e400 and rejects the
            // field; serde_json refuses the whole body.
            let huge = body("1e400");
            assert_eq!(rust_outcome(&huge).paths, BTreeSet::from([path.clone()]));
            assert_eq!(bundle.outcome(&huge).paths, BTreeSet::from([String::new()]));
        }
    }
    assert!(checked > 100, "only {checked} numeric cases");
}
