//! Request bodies derived from the spec (`models.yaml` → IR), never written by
//! hand: per model a minimal valid body, maximal valid bodies, and invalid
//! bodies that each break exactly one rule at one JSON pointer.
//!
//! The spec-derived tests and the property tests build on these, so adding a
//! model to `models.yaml` adds its cases with no test code written. Bodies are
//! kept as raw JSON text per member, so numbers the `serde_json` value model
//! cannot hold (`1e400`, `-0`, `5.0`) can be sent as written.

use std::path::{Path, PathBuf};

use orux_codegen::ir::{Field, FieldType, Ir, Literal, Model, SetKind, ValueSet, ValueSetId};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The text of `models.yaml`.
pub fn spec_text() -> String {
    std::fs::read_to_string(root().join("models.yaml")).expect("models.yaml is readable")
}

/// The checked IR of `models.yaml`.
pub fn ir() -> Ir {
    orux_codegen::load(&spec_text(), "models.yaml")
        .unwrap_or_else(|errors| panic!("models.yaml does not load:\n{errors}"))
}

/// A JSON object as ordered `(key, raw JSON value)` members.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Body {
    /// The members in document order; keys are distinct.
    pub members: Vec<(String, String)>,
}

impl Body {
    /// `{"model": "<id>"}`.
    pub fn for_model(id: &str) -> Self {
        Body {
            members: vec![("model".to_owned(), json_string(id))],
        }
    }

    /// The body as compact JSON text.
    pub fn to_json(&self) -> String {
        let members: Vec<String> = self
            .members
            .iter()
            .map(|(key, raw)| format!("{}:{raw}", json_string(key)))
            .collect();
        format!("{{{}}}", members.join(","))
    }

    /// This body with `key` set to `raw` (replaced in place, or appended).
    pub fn with(&self, key: &str, raw: &str) -> Self {
        let mut body = self.clone();
        match body.members.iter_mut().find(|(k, _)| k == key) {
            Some((_, value)) => *value = raw.to_owned(),
            None => body.members.push((key.to_owned(), raw.to_owned())),
        }
        body
    }

    /// This body without `key`.
    pub fn without(&self, key: &str) -> Self {
        let mut body = self.clone();
        body.members.retain(|(k, _)| k != key);
        body
    }
}

/// A body that must fail with exactly one error, at `path`.
#[derive(Clone, Debug)]
pub struct Invalid {
    /// What was broken, for failure messages.
    pub rule: String,
    /// The body.
    pub body: Body,
    /// The JSON pointer of the one expected error.
    pub path: String,
}

/// `text` as a JSON string literal.
pub fn json_string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// The JSON pointer of a top-level key.
pub fn pointer(key: &str) -> String {
    format!("/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// A valid `data:image/…;base64,…` URI (an 8-byte PNG signature).
pub const DATA_URI: &str = "data:image/png;base64,iVBORw0KGgo=";

/// A valid image task reference object.
pub const TASK_REF: &str = r#"{"task_id":"img_1"}"#;

/// Every valid value of a field, as raw JSON: each allowed value of an enum,
/// both booleans, the three image shapes, strings at their length bounds
/// (counted in characters, so the longest uses a two-byte character) and with
/// each inline directive. The first is the field's example when it has one.
pub fn valid_values(ir: &Ir, field: &Field) -> Vec<String> {
    let example = field.example.as_ref().map(Literal::to_json);
    match &field.ty {
        FieldType::String(rules) => {
            let shortest = rules.min_length.unwrap_or(0).max(1);
            let mut values =
                vec![example.unwrap_or_else(|| json_string(&"a".repeat(to_len(shortest))))];
            values.push(json_string(&"a".repeat(to_len(shortest))));
            if let Some(max) = rules.max_length {
                values.push(json_string(&"é".repeat(to_len(max))));
            }
            if let Some(set) = rules.directives.and_then(|id| ir.directive_set(id)) {
                for directive in &set.values {
                    values.push(json_string(&format!("[{directive}] a paper boat")));
                }
                values.push(json_string(&format!(
                    "[{}] a paper boat",
                    set.values.join(", ")
                )));
            }
            values
        }
        FieldType::Url => vec![example.unwrap_or_else(|| json_string("https://example.com/a"))],
        FieldType::Boolean => vec!["true".to_owned(), "false".to_owned()],
        FieldType::Enum(id) => value_set(ir, *id)
            .variants
            .iter()
            .map(|v| v.wire.to_json())
            .collect(),
        FieldType::ImageInput => vec![
            example.unwrap_or_else(|| json_string("https://example.com/a.png")),
            json_string(DATA_URI),
            TASK_REF.to_owned(),
        ],
    }
}

fn to_len(length: u64) -> usize {
    usize::try_from(length).expect("a length that fits in memory")
}

/// The model id and only its required fields.
pub fn minimal(ir: &Ir, model: &Model) -> Body {
    let mut body = Body::for_model(&model.id);
    for field in model.fields.iter().filter(|f| f.required) {
        body = body.with(&field.wire_name, &valid_values(ir, field)[0]);
    }
    body
}

/// Bodies with every field present: the n-th takes each field's n-th valid
/// value (wrapping), until every valid value of every field has been sent.
pub fn maximal(ir: &Ir, model: &Model) -> Vec<Body> {
    let values: Vec<Vec<String>> = model.fields.iter().map(|f| valid_values(ir, f)).collect();
    let rounds = values.iter().map(Vec::len).max().unwrap_or(1).max(1);
    (0..rounds)
        .map(|round| {
            let mut body = Body::for_model(&model.id);
            for (field, values) in model.fields.iter().zip(&values) {
                body = body.with(&field.wire_name, &values[round % values.len()]);
            }
            body
        })
        .collect()
}

/// One invalid body per rule, each a valid maximal body with one member
/// removed, added or replaced.
pub fn invalid(ir: &Ir, model: &Model) -> Vec<Invalid> {
    let base = maximal(ir, model).swap_remove(0);
    let mut cases = Vec::new();
    let mut push =
        |rule: String, body: Body, path: String| cases.push(Invalid { rule, body, path });
    for field in &model.fields {
        let name = &field.wire_name;
        let path = pointer(name);
        if field.required {
            push(
                format!("required {name} removed"),
                base.without(name),
                path.clone(),
            );
        }
        push(
            format!("{name} null"),
            base.with(name, "null"),
            path.clone(),
        );
        for raw in wrong_types(ir, field) {
            push(
                format!("{name} of the wrong JSON type {raw}"),
                base.with(name, &raw),
                path.clone(),
            );
        }
        for raw in outside_values(ir, field) {
            push(
                format!("{name} outside its rules: {raw}"),
                base.with(name, &raw),
                path.clone(),
            );
        }
        if matches!(field.ty, FieldType::ImageInput) {
            for (raw, inner) in [
                ("{}", "task_id"),
                (r#"{"task_id":""}"#, "task_id"),
                (r#"{"task_id":5}"#, "task_id"),
                (r#"{"task_id":null}"#, "task_id"),
                (
                    r#"{"task_id":"img_1","url":"https://example.com/a.png"}"#,
                    "url",
                ),
            ] {
                push(
                    format!("{name} task reference {raw}"),
                    base.with(name, raw),
                    format!("{path}/{inner}"),
                );
            }
        }
    }
    let unknown = "not_a_parameter";
    push(
        format!("unknown field {unknown}"),
        base.with(unknown, "1"),
        pointer(unknown),
    );
    // A parameter of another model is unknown here: the API rejects any field
    // a model does not list.
    for other in &ir.models {
        for field in &other.fields {
            let name = &field.wire_name;
            if model.fields.iter().all(|f| &f.wire_name != name)
                && !cases
                    .iter()
                    .any(|c| c.rule == format!("{name} of another model"))
            {
                let raw = &valid_values(ir, field)[0];
                cases.push(Invalid {
                    rule: format!("{name} of another model"),
                    body: base.with(name, raw),
                    path: pointer(name),
                });
            }
        }
    }
    cases
}

/// A value of each JSON type the field does not take (null aside).
fn wrong_types(ir: &Ir, field: &Field) -> Vec<String> {
    let number = "5".to_owned();
    let boolean = "true".to_owned();
    let object = r#"{"a":1}"#.to_owned();
    let array = r#"["https://example.com/a"]"#.to_owned();
    match &field.ty {
        FieldType::String(_) | FieldType::Url => vec![number, boolean, object, array],
        FieldType::Boolean => vec![json_string("true"), "1".to_owned(), object, array],
        FieldType::Enum(id) => match value_set(ir, *id).kind {
            SetKind::String => vec![number, boolean, object, array],
            SetKind::Integer => {
                // The right value in the wrong JSON type: `"5"` for 5.
                let first = value_set(ir, *id).variants[0].wire.to_json();
                vec![json_string(&first), boolean, object, array]
            }
        },
        FieldType::ImageInput => vec![number, boolean, array],
    }
}

/// Values of the right JSON type that its rules refuse.
fn outside_values(ir: &Ir, field: &Field) -> Vec<String> {
    let non_https = [
        "http://example.com/a.png",
        "ftp://example.com/a.png",
        "/frames/a.png",
        "https://",
        "example.com/a.png",
        "",
    ];
    match &field.ty {
        FieldType::String(rules) => {
            let mut values = Vec::new();
            if let Some(min) = rules.min_length.filter(|&min| min > 0) {
                values.push(json_string(&"a".repeat(to_len(min - 1))));
            }
            if let Some(max) = rules.max_length {
                values.push(json_string(&"a".repeat(to_len(max + 1))));
            }
            values
        }
        FieldType::Url => non_https.iter().map(|u| json_string(u)).collect(),
        FieldType::ImageInput => non_https
            .iter()
            .map(|u| json_string(u))
            .chain([
                json_string("data:image/png;base64,iVBORw0KGgoAAA..."),
                json_string("data:text/plain;base64,iVBORw0KGgo="),
            ])
            .collect(),
        FieldType::Boolean => Vec::new(),
        FieldType::Enum(id) => {
            let set = value_set(ir, *id);
            let allowed: Vec<&Literal> = set.variants.iter().map(|v| &v.wire).collect();
            match set.kind {
                SetKind::String => {
                    let mut values = vec![json_string("")];
                    for wire in &allowed {
                        if let Literal::String(s) = wire {
                            // Near misses: case, spacing, a suffix.
                            values.push(json_string(&s.to_uppercase()));
                            values.push(json_string(&format!(" {s}")));
                            values.push(json_string(&format!("{s}x")));
                        }
                    }
                    values.retain(|raw| allowed.iter().all(|wire| &wire.to_json() != raw));
                    values.sort();
                    values.dedup();
                    values
                }
                SetKind::Integer => {
                    let ints: Vec<i64> = allowed
                        .iter()
                        .filter_map(|w| match w {
                            Literal::Integer(i) => Some(*i),
                            _ => None,
                        })
                        .collect();
                    let max = ints.iter().copied().max().unwrap_or(0);
                    let min = ints.iter().copied().min().unwrap_or(0);
                    let mut values = vec![
                        (max + 1).to_string(),
                        (min - 1).to_string(),
                        format!("{min}.5"),
                        format!("{max}.000001"),
                        "1e400".to_owned(),
                        "-1e400".to_owned(),
                        "1e-400".to_owned(),
                        "18446744073709551621".to_owned(),
                        format!("{max}{}", "0".repeat(40)),
                    ];
                    if min > 0 {
                        values.push(format!("-{min}"));
                    }
                    if !ints.contains(&0) {
                        values.extend(["0".to_owned(), "-0".to_owned(), "0.0".to_owned()]);
                    }
                    values
                }
            }
        }
    }
}

/// The value set an enum field of the lowered spec names.
fn value_set(ir: &Ir, id: ValueSetId) -> &ValueSet {
    ir.value_set(id)
        .unwrap_or_else(|| panic!("a lowered IR resolves its own id {id:?}"))
}
