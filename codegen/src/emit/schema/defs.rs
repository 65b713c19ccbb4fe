//! The request definitions: the model ids, one request schema per model, and
//! the shared definitions the requests refer to (value sets, https URL, image
//! data URI, task reference, image input).
//!
//! Every definition is named by the Rust type it mirrors, through
//! [`naming`](crate::naming) like the Rust code, and carries that name as its
//! `title` too: generators name a type by one or the other, so each language
//! gets the Rust name (`Sora2Request`, `AspectRatio`, `ImageInput`) and never
//! one of its own (`ImageInput1`, `KlingV25ProI2VRequest`).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::ir::{Field, FieldType, Ir, Literal, Model, RequestExample, SetKind, StringRules};
// The runtime's own regexes, so the schema says what the validator says.
use orux_runtime::__private::{DATA_URI_PATTERN, HTTPS_URL_PATTERN};

/// The definition of the model ids (the Rust `Model` enum).
pub(super) const MODEL: &str = "Model";
const HTTPS_URL: &str = "HttpsUrl";
const DATA_URI: &str = "DataUri";
const TASK_REF: &str = "TaskRef";
const IMAGE_INPUT: &str = "ImageInput";

/// Selects the data URI shape of an image input, exactly as the runtime's
/// `ImageInput::parse` does: a string starting with `data:` is a data URI,
/// any other string must be an https URL.
const DATA_URI_PREFIX_PATTERN: &str = "^data:";

/// Who reads the definitions: the two differ only in how [`IMAGE_INPUT`]
/// combines its three shapes (see [`image_input`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Audience {
    /// JSON Schema validators (the validation bundle, the standalone schemas).
    Validators,
    /// Code generators (the types bundle, the OpenAPI document).
    Generators,
}

/// Every definition, in bundle order, plus what is needed to look them up.
pub(super) struct Definitions {
    entries: Vec<(String, Value)>,
    /// The position of each name in `entries` (the first, should one repeat),
    /// so that looking up a model's request stays logarithmic: with a scan,
    /// the standalone schemas cost quadratic time in the number of models
    /// (4 s of 12 for 10,000 models, BENCHMARKS.md).
    index: BTreeMap<String, usize>,
}

impl Definitions {
    /// All definitions for `ir`, shaped for `audience`.
    /// `Err` says what is wrong with an IR that lowering never produces.
    pub(super) fn new(ir: &Ir, audience: Audience) -> Result<Definitions, String> {
        let mut entries = vec![(MODEL.to_owned(), model_ids(ir))];
        for model in &ir.models {
            entries.push((model.struct_name(), request(ir, model)?));
        }
        entries.extend([
            (HTTPS_URL.to_owned(), https_url()),
            (DATA_URI.to_owned(), data_uri()),
            (TASK_REF.to_owned(), task_ref()),
            (IMAGE_INPUT.to_owned(), image_input(audience)),
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
        for (name, schema) in &mut entries {
            titled(name, schema);
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

    /// Every definition, in bundle order.
    pub(super) fn all(&self) -> Map<String, Value> {
        self.entries.iter().cloned().collect()
    }

    /// The definitions `value` refers to, directly or through other definitions,
    /// in bundle order (unused ones are left out).
    pub(super) fn reachable(&self, value: &Value) -> Map<String, Value> {
        // Positions, so that iterating the set gives bundle order.
        let mut found = std::collections::BTreeSet::new();
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

/// Puts `"title": name` first in `schema`.
pub(super) fn titled(name: &str, schema: &mut Value) {
    if let Value::Object(map) = schema {
        let mut with_title = Map::new();
        with_title.insert("title".to_owned(), Value::String(name.to_owned()));
        with_title.extend(
            std::mem::take(map)
                .into_iter()
                .filter(|(k, _)| k != "title"),
        );
        *map = with_title;
    }
}

/// `{"$ref": "#/$defs/<name>"}`.
pub(super) fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/$defs/{name}") })
}

/// `value` with every local reference (`#/$defs/<name>`, in a `$ref` or a
/// discriminator's `mapping`) pointing at `prefix<name>` instead: the same
/// definitions, placed under another key (`#/components/schemas/` in the
/// OpenAPI document).
pub(super) fn relocated(value: &Value, prefix: &str) -> Value {
    let target = |item: &Value| match item.as_str().and_then(|t| t.strip_prefix("#/$defs/")) {
        Some(name) => Value::String(format!("{prefix}{name}")),
        None => item.clone(),
    };
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, item)| {
                    let item = match (key.as_str(), item) {
                        ("$ref", Value::String(_)) => target(item),
                        ("discriminator", Value::Object(discriminator)) => Value::Object(
                            discriminator
                                .iter()
                                .map(|(k, v)| match (k.as_str(), v) {
                                    ("mapping", Value::Object(mapping)) => (
                                        k.clone(),
                                        mapping
                                            .iter()
                                            .map(|(id, to)| (id.clone(), target(to)))
                                            .collect(),
                                    ),
                                    _ => (k.clone(), v.clone()),
                                })
                                .collect(),
                        ),
                        _ => relocated(item, prefix),
                    };
                    (key.clone(), item)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|i| relocated(i, prefix)).collect()),
        other => other.clone(),
    }
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
fn request(ir: &Ir, model: &Model) -> Result<Value, String> {
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
        properties.insert(field.wire_name.clone(), property(ir, field)?);
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
        "description": format!("A {} request. {}", model.name, model.description),
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
        "examples": examples,
    }))
}

/// The schema of one field: its type and constraints, then its annotations.
fn property(ir: &Ir, field: &Field) -> Result<Value, String> {
    let mut schema = match &field.ty {
        FieldType::String(rules) => string_schema(rules),
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

fn task_ref() -> Value {
    json!({
        "description": "An image produced by an earlier Orux AI task, named by its id.",
        "type": "object",
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

/// The three shapes of an image input, each a named definition.
///
/// For generators, an `anyOf` of the three: every generator turns it into a
/// union of the three types (with each string's pattern where the language
/// can check one). Validators report an `anyOf` that fails as one error at
/// the field, so the validators' shape chooses the shape first, exactly as
/// `ImageInput::parse` does (an object is a task reference; a string
/// starting with `data:` is a data URI, any other string a URL) and then
/// reports what the Rust validator reports: one error at the field for a bad
/// string, errors at `/image/task_id` or `/image/<key>` for a bad object.
/// Both accept the same values (the data URI and URL patterns exclude each
/// other); a test checks it on the corpus.
fn image_input(audience: Audience) -> Value {
    let description = "A starting image in one of three shapes: an https URL, an image data URI (`data:image/png;base64,...`), or `{\"task_id\": \"img_...\"}` naming an earlier Orux AI task that produced an image.";
    match audience {
        Audience::Generators => json!({
            "description": description,
            "anyOf": [reference(DATA_URI), reference(HTTPS_URL), reference(TASK_REF)],
        }),
        Audience::Validators => json!({
            "description": description,
            "type": ["string", "object"],
            "if": { "type": "string" },
            "then": {
                "if": { "pattern": DATA_URI_PREFIX_PATTERN },
                "then": reference(DATA_URI),
                "else": reference(HTTPS_URL),
            },
            "else": reference(TASK_REF),
        }),
    }
}
