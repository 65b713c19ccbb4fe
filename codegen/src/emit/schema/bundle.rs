//! The two bundles over every model's request, and the standalone schema of
//! each model.
//!
//! One rule set, two shapes, because validators and code generators need
//! opposite things from `TaskRequest`:
//!
//! - **The validation bundle** (`orux-models.schema.json`) dispatches on
//!   `model`: `model` must be one of the known ids (an `enum`), then
//!   `if`/`then`/`else` conditions on `model` lead to the one model's
//!   `{$ref: X}` (a balanced tree of them, see `dispatch`). A JSON Schema
//!   validator evaluates only the branch `model` names and reports that
//!   branch's errors at their own pointers
//!   (`/duration`, or the parent naming a missing or unknown key). A root
//!   `oneOf` instead makes Python `jsonschema` report one error at `/` ("… is
//!   not valid under any of the given schemas") for almost every single-field
//!   mistake, and makes every validator evaluate all the branches in full:
//!   the dispatch is several times faster (see BENCHMARKS.md).
//! - **The types bundle** (`orux-models.types.schema.json`) keeps `oneOf`
//!   over the requests plus an OpenAPI `discriminator`: code generators
//!   (json-schema-to-typescript, datamodel-code-generator, OpenAPI
//!   generators) turn that into a real tagged union, and they ignore
//!   `if`/`then`, so nothing in it uses one. The OpenAPI document holds the
//!   same `TaskRequest` and definitions under `components/schemas`.
//!
//! The definitions are the same in both except `ImageInput`, which combines
//! the same three shapes for each audience (see `defs::image_input`); the
//! verdict on a body is the same.

use serde_json::{Map, Value, json};

use super::defs::{self, Definitions, MODEL, reference};
use super::{BASE_ID, BUNDLE_FILE, DIALECT, TYPES_FILE, model_file, notice};

/// The request body's type: the Rust `TaskRequest` enum.
pub(super) const TASK_REQUEST: &str = "TaskRequest";
use crate::ir::{Ir, Model};

/// The validation bundle: `TaskRequest` at the root as a dispatch on
/// `model`, every definition under `$defs`.
pub(super) fn validation_bundle(ir: &Ir, defs: &Definitions) -> Value {
    let models: Vec<&Model> = ir.models.iter().collect();
    let mut root = json!({
        "$schema": DIALECT,
        "$id": format!("{BASE_ID}{BUNDLE_FILE}"),
        "$comment": notice(),
        "title": TASK_REQUEST,
        "description": format!(
            "A request body for `POST /api/v1/tasks`: the request of one of the {} models, chosen by `model`. Each model accepts exactly the fields its own schema lists. This bundle is shaped for validators (a dispatch on `model`); code generators read `{TYPES_FILE}` or the OpenAPI document.",
            ir.models.len()
        ),
        "type": "object",
        "required": ["model"],
        "properties": { "model": reference(MODEL) },
    });
    if let (Value::Object(root), Value::Object(dispatch)) = (&mut root, dispatch(&models)) {
        root.extend(dispatch);
    }
    finish(ir, defs, root)
}

/// The dispatch over `models` (in spec order) as a balanced tree of
/// `if`/`then`/`else`: a node asks whether `model` is in the first half of
/// its ids, then goes on in that half, else in the other; a leaf asks for its
/// one id and then applies that model's request. A body meets about log2(n)
/// conditions instead of one per model (a flat `allOf` of `if`/`then` costs
/// Python `jsonschema` twice the time for 17 models), and the nesting stays
/// shallow for any catalog (14 levels for 10,000 models). Every condition
/// requires `model`, so a body without it meets none; an unknown id reaches
/// a leaf whose condition fails, so only the `model` error is reported.
fn dispatch(models: &[&Model]) -> Value {
    let condition = |ids: Value| json!({ "properties": { "model": ids }, "required": ["model"] });
    match models {
        [] => json!({}),
        [model] => json!({
            "if": condition(json!({ "const": model.id })),
            "then": reference(&model.struct_name()),
        }),
        _ => {
            let (first, second) = models.split_at(models.len() / 2);
            let ids: Vec<&str> = first.iter().map(|m| m.id.as_str()).collect();
            let condition = match ids.as_slice() {
                [id] => condition(json!({ "const": id })),
                _ => condition(json!({ "enum": ids })),
            };
            json!({
                "if": condition,
                "then": dispatch(first),
                "else": dispatch(second),
            })
        }
    }
}

/// `TaskRequest` for code generators: `oneOf` over the requests with a
/// `discriminator` on `model`. The root of the types bundle, and (with its
/// references relocated) `TaskRequest` in the OpenAPI document.
///
/// Only `oneOf` and the discriminator: a `type` or `properties` beside them
/// makes generators intersect the union with an open object type, which
/// turns off TypeScript's excess-property checks. An unknown `model` matches
/// no branch, since each request fixes its own id.
pub(super) fn task_request(ir: &Ir) -> Value {
    let branches: Vec<Value> = ir
        .models
        .iter()
        .map(|m| reference(&m.struct_name()))
        .collect();
    let mapping: Map<String, Value> = ir
        .models
        .iter()
        .map(|m| (m.id.clone(), json!(format!("#/$defs/{}", m.struct_name()))))
        .collect();
    json!({
        "title": TASK_REQUEST,
        "description": format!(
            "A request body for `POST /api/v1/tasks`: the request of one of the {} models, chosen by `model`. Each model accepts exactly the fields its own schema lists.",
            ir.models.len()
        ),
        "oneOf": branches,
        "discriminator": { "propertyName": "model", "mapping": mapping },
    })
}

/// The types bundle: [`task_request`] at the root, every definition under
/// `$defs`.
pub(super) fn types_bundle(ir: &Ir, defs: &Definitions) -> Value {
    let mut root = Map::new();
    root.insert("$schema".to_owned(), json!(DIALECT));
    root.insert("$id".to_owned(), json!(format!("{BASE_ID}{TYPES_FILE}")));
    root.insert("$comment".to_owned(), json!(notice()));
    if let Value::Object(request) = task_request(ir) {
        root.extend(request);
    }
    let mut root = Value::Object(root);
    if let Value::Object(map) = &mut root {
        let examples = examples(ir);
        if !examples.is_empty() {
            map.insert("examples".to_owned(), Value::Array(examples));
        }
        map.insert("$defs".to_owned(), Value::Object(defs.all()));
    }
    root
}

/// Every docs example, as a body.
fn examples(ir: &Ir) -> Vec<Value> {
    ir.models
        .iter()
        .flat_map(|m| m.examples.iter().map(move |e| defs::example_body(m, e)))
        .collect()
}

/// Adds the examples and the definitions `root` reaches.
fn finish(ir: &Ir, defs: &Definitions, mut root: Value) -> Value {
    let examples = examples(ir);
    let reachable = defs.reachable(&root);
    if let Value::Object(map) = &mut root {
        if !examples.is_empty() {
            map.insert("examples".to_owned(), Value::Array(examples));
        }
        map.insert("$defs".to_owned(), Value::Object(reachable));
    }
    root
}

/// One model's request as a schema of its own, with the definitions it uses.
/// `None` only if `defs` lacks the model (it never does for the same IR).
pub(super) fn standalone(model: &Model, defs: &Definitions) -> Option<Value> {
    let Value::Object(request) = defs.get(&model.struct_name())? else {
        return None;
    };
    let mut root = Map::new();
    root.insert("$schema".to_owned(), json!(DIALECT));
    root.insert(
        "$id".to_owned(),
        json!(format!("{BASE_ID}{}", model_file(model))),
    );
    root.insert("$comment".to_owned(), json!(notice()));
    root.extend(request.clone());
    let reachable = defs.reachable(&Value::Object(request.clone()));
    root.insert("$defs".to_owned(), Value::Object(reachable));
    Some(Value::Object(root))
}
