//! The bundle (`TaskRequest` over every model's request) and the standalone
//! schema of each model.

use serde_json::{Map, Value, json};

use super::defs::{self, Definitions, MODEL, reference};
use super::{BASE_ID, BUNDLE_FILE, DIALECT, model_file, notice};
use crate::ir::{Ir, Model};

/// The bundle: `TaskRequest` at the root, every definition under `$defs`.
///
/// `TaskRequest` dispatches on `model` with `oneOf` over the request
/// definitions (each fixes `model` with `const`) plus an OpenAPI `discriminator`
/// with an explicit `mapping`, rather than a chain of `if`/`then`. Code
/// generators (json-schema-to-typescript, OpenAPI generators) turn `oneOf` into
/// a real tagged union, which is the point of having types per model; they
/// ignore `if`/`then`. The cost of `oneOf`, an error per branch, is met by the
/// `required` and `dependentSchemas` on `model` beside it (a missing or unknown
/// id fails there, at `/model`) and by the discriminator, which tells tools
/// that support it to report only the branch `model` names; JSON Schema
/// validators that do not know it ignore it as an annotation.
pub(super) fn bundle(ir: &Ir, defs: &Definitions) -> Value {
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
    let mut root = json!({
        "$schema": DIALECT,
        "$id": format!("{BASE_ID}{BUNDLE_FILE}"),
        "$comment": notice(),
        "title": "TaskRequest",
        "description": format!(
            "A request body for `POST /api/v1/tasks`: the request of one of the {} models, chosen by `model`. Each model accepts exactly the fields its own schema lists.",
            ir.models.len()
        ),
        "type": "object",
        "required": ["model"],
        // Not `properties`: generators would intersect the union with an open
        // object type, which turns off TypeScript's excess-property checks.
        "dependentSchemas": { "model": { "properties": { "model": reference(MODEL) } } },
        "oneOf": branches,
        "discriminator": { "propertyName": "model", "mapping": mapping },
    });
    let examples: Vec<Value> = ir
        .models
        .iter()
        .flat_map(|m| m.examples.iter().map(move |e| defs::example_body(m, e)))
        .collect();
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
