//! IR → the JSON files under `schema/`: the JSON Schema (draft 2020-12)
//! bundles (one for validators, one for code generators), one standalone schema per model, the response schemas and the OpenAPI 3.1
//! document; plus `src/generated/schema.rs`, which embeds them for Rust users.
//!
//! Every constraint comes from the IR, and the URL and data URI patterns are the
//! runtime's own regexes, so the schemas say what the Rust validator says. JSON is
//! built as `serde_json::Value` (with `preserve_order`, so keys come out in the
//! order they are inserted) and pretty-printed.

mod bundle;
mod defs;
mod embed;
mod openapi;
mod responses;

use std::path::PathBuf;

use serde_json::Value;

use crate::emit::{EmitError, GeneratedFile, HEADER};
use crate::ir::{Ir, Model};

pub(super) use embed::emit as embed;

/// The schema directory, relative to the crate root.
pub(super) const DIR: &str = "schema";

/// The prefix of every schema's `$id`. The ids are names, never fetched: every
/// `$ref` resolves inside its own file.
const BASE_ID: &str = "https://orux.top/schemas/orux-models/";

/// The validation bundle: `TaskRequest` as a dispatch on `model`, and every
/// model's request (see `bundle` for why there are two bundles).
const BUNDLE_FILE: &str = "orux-models.schema.json";
/// The types bundle: `TaskRequest` as a discriminated `oneOf`, for code
/// generators; the OpenAPI document holds the same definitions.
const TYPES_FILE: &str = "orux-models.types.schema.json";
/// Submit response, task status, webhook event.
const RESPONSES_FILE: &str = "responses.schema.json";
/// `POST /api/v1/tasks`, `GET /api/v1/tasks/{task_id}` and the webhook, one
/// self-contained file.
const OPENAPI_FILE: &str = "openapi.json";
/// The dialect every schema declares.
const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The standalone schema of one model, relative to [`DIR`].
fn model_file(model: &Model) -> String {
    format!("models/{}.schema.json", model.id)
}

/// The generated-file notice. JSON has no comments, so it goes in a top-level
/// `"$comment"` (or, in the OpenAPI document, which allows no other extra keys,
/// an `x-` extension).
fn notice() -> String {
    HEADER.trim_start_matches("// ").to_owned()
}

/// Every JSON file under `schema/`.
pub(super) fn files(ir: &Ir) -> Result<Vec<GeneratedFile>, EmitError> {
    let definitions = |audience| {
        defs::Definitions::new(ir, audience).map_err(|message| EmitError {
            path: PathBuf::from(DIR).join(BUNDLE_FILE),
            message,
        })
    };
    let defs = definitions(defs::Audience::Validators)?;
    let types = definitions(defs::Audience::Generators)?;
    let mut files = vec![
        json_file(BUNDLE_FILE, &bundle::validation_bundle(ir, &defs))?,
        json_file(TYPES_FILE, &bundle::types_bundle(ir, &types))?,
    ];
    for model in &ir.models {
        let name = model_file(model);
        let schema = bundle::standalone(model, &defs).ok_or_else(|| EmitError {
            path: PathBuf::from(DIR).join(&name),
            message: format!("no request definition for model `{}`", model.id),
        })?;
        files.push(json_file(&name, &schema)?);
    }
    files.push(json_file(RESPONSES_FILE, &responses::schema())?);
    files.push(json_file(OPENAPI_FILE, &openapi::document(ir, &types))?);
    Ok(files)
}

/// Pretty-printed JSON with a final newline.
fn json_file(name: &str, value: &Value) -> Result<GeneratedFile, EmitError> {
    let path = PathBuf::from(DIR).join(name);
    let text = serde_json::to_string_pretty(value).map_err(|e| EmitError {
        path: path.clone(),
        message: e.to_string(),
    })?;
    Ok(GeneratedFile {
        path,
        contents: format!("{text}\n"),
    })
}
