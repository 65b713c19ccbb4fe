//! The `$defs` of the bundle: the model ids, one request schema per model, and
//! the shared definitions the requests refer to (value sets, https URL, image
//! data URI, image input, constrained strings such as the prompt).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use crate::ir::{Field, FieldType, Ir, Literal, Model, RequestExample, SetKind, StringRules};
use crate::naming;
// The runtime's own regexes, so the schema says what the validator says.
use orux_runtime::__private::{DATA_URI_PATTERN, HTTPS_URL_PATTERN};

// Shared definitions are named like the Rust types they mirror and carry no
// `title`: type generators then inline them where used (`duration?: 5 | 10`)
// instead of minting a numbered type for every use that adds a description.
// Only the requests have a title, the model's name from `models.yaml`.

/// The definition of the model ids (named like the Rust `Model` enum).
pub(super) const MODEL: &str = "Model";
const HTTPS_URL: &str = "HttpsUrl";
const DATA_URI: &str = "DataUri";
const IMAGE_INPUT: &str = "ImageInput";

/// Selects the data URI shape of an image input, exactly as the runtime's
/// `ImageInput::parse` does: a string starting with `data:` is a data URI,
/// any other string must be an https URL.
const DATA_URI_PREFIX_PATTERN: &str = "^data:";

/// Every definition, in bundle order, plus what is needed to look them up.
pub(super) struct Definitions {
    entries: Vec<(String, Value)>,
    /// The position of each name in `entries` (the first, should one repeat),
    /// so that looking up a model's request or a reference stays logarithmic:
    /// with a scan, the standalone schemas cost quadratic time in the number
    /// of models (4 s of 12 for 10,000 models, BENCHMARKS.md).
    index: BTreeMap<String, usize>,
}

impl Definitions {
    /// All definitions for `ir`.
    /// `Err` says what is wrong with an IR that lowering never produces.
    pub(super) fn new(ir: &Ir) -> Result<Definitions, String> {
        let strings = SharedStrings::new(ir);
        let mut entries = vec![(MODEL.to_owned(), model_ids(ir))];
        for model in &ir.models {
            entries.push((model.struct_name(), request(ir, model, &strings)?));
        }
        for shared in &strings.0 {
            entries.push((shared.name.clone(), shared.schema()));
        }
        entries.extend([
            (HTTPS_URL.to_owned(), https_url()),
            (DATA_URI.to_owned(), data_uri()),
            (IMAGE_INPUT.to_owned(), image_input()),
        ]);
        for set in &ir.value_sets {
            let (ty, values): (&str, Vec<Value>) = match set.kind {
                SetKind::String => (
                    "string",
                    set.variants.iter().map(|v| literal(&v.wire)).collect(),
                ),
                SetKind::Integer => (
                    "integer",
                    set.variants.iter().map(|v| literal(&v.wire)).collect(),
                ),
            };
            // `"type": "integer"` accepts 5.0 as 5 (draft 2020-12 compares
            // numbers by value), as the Rust validator does.
            entries.push((
                set.rust_name.clone(),
                json!({
                    "description": set.description,
                    "type": ty,
                    "enum": values,
                }),
            ));
        }
        let mut index = BTreeMap::new();
        for (at, (name, _)) in entries.iter().enumerate() {
            index.entry(name.clone()).or_insert(at);
        }
        Ok(Definitions { entries, index })
    }

    /// The definition named `name`.
    pub(super) fn get(&self, name: &str) -> Option<&Value> {
        let at = *self.index.get(name)?;
        self.entries.get(at).map(|(_, value)| value)
    }

    /// The definitions `value` refers to, directly or through other definitions,
    /// in bundle order (unused ones are left out).
    pub(super) fn reachable(&self, value: &Value) -> Map<String, Value> {
        // Positions, so that iterating the set gives bundle order.
        let mut found = BTreeSet::new();
        let mut pending = Vec::new();
        refs(value, &mut pending);
        while let Some(name) = pending.pop() {
            if let Some(&at) = self.index.get(&name)
                && found.insert(at)
                && let Some((_, def)) = self.entries.get(at)
            {
                refs(def, &mut pending);
            }
        }
        found
            .into_iter()
            .filter_map(|at| self.entries.get(at))
            .map(|(name, def)| (name.clone(), def.clone()))
            .collect()
    }
}

/// `{"$ref": "#/$defs/<name>"}`.
pub(super) fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/$defs/{name}") })
}

/// The names of the local definitions `value` refers to.
fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                match (key.as_str(), item) {
                    ("$ref", Value::String(target)) => {
                        if let Some(name) = target.strip_prefix("#/$defs/") {
                            out.push(name.to_owned());
                        }
                    }
                    _ => refs(item, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| refs(item, out)),
        _ => {}
    }
}

/// A literal from the spec as JSON.
pub(super) fn literal(literal: &Literal) -> Value {
    match literal {
        Literal::String(s) => Value::String(s.clone()),
        Literal::Integer(i) => Value::from(*i),
        Literal::Bool(b) => Value::Bool(*b),
    }
}

/// A request body for `model` with the given fields.
pub(super) fn body(model: &Model, values: &[(String, Literal)]) -> Value {
    let mut map = Map::new();
    map.insert("model".to_owned(), Value::String(model.id.clone()));
    for (key, value) in values {
        map.insert(key.clone(), literal(value));
    }
    Value::Object(map)
}

/// The smallest valid body, built by the runtime's own `minimal_body` (what
/// `ModelInfo::minimal_body` and `orux example` give): `model` and every
/// required field's example, which lowering requires.
pub(super) fn minimal_body(model: &Model) -> Result<Value, String> {
    let required = model.fields.iter().filter(|f| f.required);
    let text = orux_runtime::__private::minimal_body(
        &model.id,
        required.map(|f| {
            (
                f.wire_name.as_str(),
                f.example.as_ref().map(Literal::to_json),
            )
        }),
    )
    .ok_or_else(|| {
        format!(
            "model `{}` has a required field without an example",
            model.id
        )
    })?;
    serde_json::from_str(&text).map_err(|e| format!("minimal body of `{}`: {e}", model.id))
}

/// A docs example as a body.
pub(super) fn example_body(model: &Model, example: &RequestExample) -> Value {
    body(model, &example.values)
}

fn model_ids(ir: &Ir) -> Value {
    let ids: Vec<&str> = ir.models.iter().map(|m| m.id.as_str()).collect();
    json!({
        "description": "The id of an Orux AI video model, sent as `model`.",
        "type": "string",
        "enum": ids,
    })
}

/// One model's request: its fields, nothing else, `model` fixed to its id.
fn request(ir: &Ir, model: &Model, strings: &SharedStrings) -> Result<Value, String> {
    let mut properties = Map::new();
    properties.insert(
        "model".to_owned(),
        json!({
            "type": "string",
            "const": model.id,
            "description": format!("The model id: {} ({}).", model.name, model.vendor),
        }),
    );
    for field in &model.fields {
        properties.insert(field.wire_name.clone(), property(ir, field, strings)?);
    }
    let required: Vec<&str> = std::iter::once("model")
        .chain(
            model
                .fields
                .iter()
                .filter(|f| f.required)
                .map(|f| f.wire_name.as_str()),
        )
        .collect();
    let examples: Vec<Value> = std::iter::once(minimal_body(model)?)
        .chain(model.examples.iter().map(|e| example_body(model, e)))
        .collect();
    Ok(json!({
        "title": format!("{} request", model.name),
        "description": model.description,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
        "examples": examples,
    }))
}

/// The schema of one field: its type and constraints, then its annotations.
fn property(ir: &Ir, field: &Field, strings: &SharedStrings) -> Result<Value, String> {
    let mut schema = match &field.ty {
        FieldType::String(rules) => match strings.name_for(field) {
            Some(name) => reference(name),
            None => string_schema(rules),
        },
        FieldType::Url => reference(HTTPS_URL),
        FieldType::Boolean => json!({ "type": "boolean" }),
        FieldType::Enum(id) => match ir.value_set(*id) {
            Some(set) => reference(&set.rust_name),
            None => return Err(format!("field `{}` names no value set", field.wire_name)),
        },
        FieldType::ImageInput => reference(IMAGE_INPUT),
    };
    let mut description = field.description.clone();
    if let FieldType::String(StringRules {
        directives: Some(id),
        ..
    }) = &field.ty
        && let Some(set) = ir.directive_set(*id)
    {
        // Not a schema rule: an unknown directive is a warning, never an error.
        let listed: Vec<String> = set.values.iter().map(|v| format!("`[{v}]`")).collect();
        description.push_str(&format!(
            "\n\nInline directives: {}. A bracketed token outside this list draws a warning from the Rust validator, not an error.",
            listed.join(", ")
        ));
    }
    if let Value::Object(map) = &mut schema {
        map.insert("description".to_owned(), Value::String(description));
        if let Some(default) = &field.default {
            map.insert("default".to_owned(), literal(default));
        }
        if let Some(example) = &field.example {
            map.insert("examples".to_owned(), json!([literal(example)]));
        }
    }
    Ok(schema)
}

/// `{"type": "string"}` with the length limits that are set.
fn string_schema(rules: &StringRules) -> Value {
    let mut map = Map::new();
    map.insert("type".to_owned(), json!("string"));
    if let Some(min) = rules.min_length {
        map.insert("minLength".to_owned(), json!(min));
    }
    if let Some(max) = rules.max_length {
        map.insert("maxLength".to_owned(), json!(max));
    }
    Value::Object(map)
}

fn https_url() -> Value {
    json!({
        "description": "An absolute https URL with a host, such as `https://example.com/frames/start.png`: an RFC 3986 URI, strictly (the scheme may be in any case; a bracketed host is an IPv6 address or IPvFuture, without a zone id; a port is at most 65535; only the characters RFC 3986 allows in each part, every `%` followed by two hex digits, nothing outside ASCII: an internationalized host in its `xn--` form, anything else percent-encoded).",
        "type": "string",
        "pattern": HTTPS_URL_PATTERN,
    })
}

fn data_uri() -> Value {
    json!({
        "description": "An inline image, `data:image/<subtype>;base64,<payload>`, whose payload is canonical standard base64: whole 4-character groups, `=` padding only at the end, no line breaks, not cut short or elided with `...`.",
        "type": "string",
        "pattern": DATA_URI_PATTERN,
    })
}

/// The three shapes of an image input.
///
/// Written with `type` plus `if`/`then` rather than `anyOf` over three shapes,
/// so that every validator reports what the Rust validator reports: one error
/// at the field for a bad string (checked as a data URI when it starts with
/// `data:`, else as a URL, like `ImageInput::parse`), and errors at
/// `/image/task_id` or `/image/<key>` for a bad object (the object keywords
/// beside `if` ignore strings). Type generators still read it as
/// `string | {task_id: string}`.
fn image_input() -> Value {
    json!({
        "description": "A starting image in one of three shapes: an https URL, an image data URI (`data:image/png;base64,...`), or `{\"task_id\": \"img_...\"}` naming an earlier Orux AI task that produced an image.",
        "type": ["string", "object"],
        "if": { "type": "string" },
        "then": {
            "if": { "pattern": DATA_URI_PREFIX_PATTERN },
            "then": reference(DATA_URI),
            "else": reference(HTTPS_URL),
        },
        "properties": {
            "task_id": {
                "type": "string",
                "minLength": 1,
                "description": "The id of an earlier Orux AI task whose output image to start from (image task ids look like `img_...`).",
            },
        },
        "required": ["task_id"],
        "additionalProperties": false,
    })
}

/// A constrained string field that several models share under one wire name
/// with the same limits (`prompt`): one definition, named after the field.
struct SharedString {
    wire: String,
    name: String,
    min: Option<u64>,
    max: Option<u64>,
}

impl SharedString {
    fn schema(&self) -> Value {
        let words = match (self.min, self.max) {
            (Some(1), None) => "A non-empty string.".to_owned(),
            (Some(1), Some(max)) => format!("A non-empty string of at most {max} characters."),
            (Some(min), None) => format!("A string of at least {min} characters."),
            (Some(min), Some(max)) => format!("A string of {min} to {max} characters."),
            (None, Some(max)) => format!("A string of at most {max} characters."),
            (None, None) => "A string.".to_owned(),
        };
        let mut map = Map::new();
        map.insert("description".to_owned(), json!(words));
        if let Value::Object(limits) = string_schema(&StringRules {
            min_length: self.min,
            max_length: self.max,
            directives: None,
        }) {
            map.extend(limits);
        }
        Value::Object(map)
    }
}

/// The shared constrained strings of a spec, in order of first use.
struct SharedStrings(Vec<SharedString>);

impl SharedStrings {
    fn new(ir: &Ir) -> SharedStrings {
        // Names the bundle uses otherwise; a field whose name would clash stays inline.
        let mut taken: BTreeSet<String> = [MODEL, HTTPS_URL, DATA_URI, IMAGE_INPUT, "TaskRequest"]
            .into_iter()
            .map(str::to_owned)
            .chain(ir.value_sets.iter().map(|s| s.rust_name.clone()))
            .chain(ir.models.iter().map(Model::struct_name))
            .collect();
        let mut shared: Vec<SharedString> = Vec::new();
        let mut wires: Vec<&str> = Vec::new();
        for field in ir.models.iter().flat_map(|m| &m.fields) {
            if let FieldType::String(rules) = &field.ty
                && (rules.min_length.is_some() || rules.max_length.is_some())
                && !wires.contains(&field.wire_name.as_str())
            {
                wires.push(&field.wire_name);
            }
        }
        for wire in wires {
            let limits: Vec<(Option<u64>, Option<u64>)> = ir
                .models
                .iter()
                .flat_map(|m| &m.fields)
                .filter(|f| f.wire_name == wire)
                .map(|f| match &f.ty {
                    FieldType::String(rules) => (rules.min_length, rules.max_length),
                    _ => (None, None),
                })
                .collect();
            let same = limits.windows(2).all(|pair| pair[0] == pair[1]);
            let Some(name) = naming::type_name(wire) else {
                continue;
            };
            if same && limits.len() > 1 && taken.insert(name.clone()) {
                let (min, max) = limits[0];
                shared.push(SharedString {
                    wire: wire.to_owned(),
                    name,
                    min,
                    max,
                });
            }
        }
        SharedStrings(shared)
    }

    /// The shared definition a string field uses, if any.
    fn name_for(&self, field: &Field) -> Option<&str> {
        self.0
            .iter()
            .find(|s| s.wire == field.wire_name)
            .map(|s| s.name.as_str())
    }
}
