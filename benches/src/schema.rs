//! The JSON Schema peers: the `jsonschema` crate with the generated
//! validation bundle (an if/then/else dispatch on `model`), with the bundle
//! as it was before that dispatch (a root `oneOf`, kept as a fixture), and
//! with per-model dispatch in Rust.

use std::collections::HashMap;
use std::path::PathBuf;

use orux_models::catalog::MODELS;

use serde_json::Value;

/// The generated validation bundle: one 2020-12 document whose root
/// dispatches on `model` (a balanced if/then/else tree over every model).
pub fn bundle_path() -> PathBuf {
    crate::repo_root().join("generated/schema/orux-models.schema.json")
}

/// The bundle before the dispatch (issue 14): a root `oneOf` over every
/// model, which makes a failing body collect every branch's errors.
pub fn pre_dispatch_path() -> PathBuf {
    crate::repo_root().join("benches/fixtures/pre-dispatch.schema.json")
}

/// The generated bundle, parsed; `None` when it has not been generated.
pub fn bundle() -> Option<Result<Value, String>> {
    read(&bundle_path())
}

/// The pre-dispatch bundle, parsed; `None` when the fixture is missing.
pub fn pre_dispatch() -> Option<Result<Value, String>> {
    read(&pre_dispatch_path())
}

fn read(path: &std::path::Path) -> Option<Result<Value, String>> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display())))
}

/// The bundle compiled once by the `jsonschema` crate (draft 2020-12, no
/// remote references: the crate is built with `default-features = false`).
pub fn compile(bundle: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::draft202012::new(bundle).map_err(|e| format!("the bundle does not compile: {e}"))
}

/// Peer (3), verdict only: bytes → `serde_json::Value` → `is_valid`.
pub fn is_valid(validator: &jsonschema::Validator, body: &[u8]) -> bool {
    serde_json::from_slice::<Value>(body).is_ok_and(|value| validator.is_valid(&value))
}

/// Peer (3), every error: bytes → `serde_json::Value` → `iter_errors`, each
/// error's instance path kept (a body that does not parse is one error at
/// `""`). Messages are not rendered, which favours the peer: the generated
/// validator always renders its messages.
pub fn error_paths(validator: &jsonschema::Validator, body: &[u8]) -> Vec<String> {
    match serde_json::from_slice::<Value>(body) {
        Ok(value) => validator
            .iter_errors(&value)
            .map(|error| error.instance_path().to_string())
            .collect(),
        Err(_) => vec![String::new()],
    }
}

/// Peer (4), as a careful user sets up the `jsonschema` crate (and as the
/// cross-language tests do): each model's own schema
/// (`orux_models::schema::model(id)`) compiled once, and the body's `model`
/// picks the validator. No root `oneOf`, so errors come at the fields.
pub struct PerModel {
    validators: HashMap<&'static str, jsonschema::Validator>,
}

impl PerModel {
    /// Compiles every model's schema.
    pub fn compile() -> Result<PerModel, String> {
        let mut validators = HashMap::new();
        for info in MODELS.iter() {
            let id = info.id;
            let text = orux_models::schema::model(id)
                .ok_or_else(|| format!("no schema for model {id}"))?;
            let schema: Value =
                serde_json::from_str(text).map_err(|e| format!("schema of {id}: {e}"))?;
            let validator = jsonschema::draft202012::new(&schema)
                .map_err(|e| format!("schema of {id} does not compile: {e}"))?;
            validators.insert(id, validator);
        }
        Ok(PerModel { validators })
    }

    /// The validator the body's `model` names, if it names a known one.
    fn pick(&self, value: &Value) -> Option<&jsonschema::Validator> {
        self.validators.get(value.get("model")?.as_str()?)
    }

    /// Verdict only: bytes → `Value` → dispatch on `model` → `is_valid`.
    /// A body without a known model is invalid without a schema call.
    pub fn is_valid(&self, body: &[u8]) -> bool {
        serde_json::from_slice::<Value>(body)
            .is_ok_and(|value| self.pick(&value).is_some_and(|v| v.is_valid(&value)))
    }

    /// Every error: bytes → `Value` → dispatch → `iter_errors`, each error's
    /// instance path kept (messages not rendered, which favours the peer). A
    /// body that does not parse is one error at `""`; one without a known
    /// model one error at `/model`.
    pub fn error_paths(&self, body: &[u8]) -> Vec<String> {
        let Ok(value) = serde_json::from_slice::<Value>(body) else {
            return vec![String::new()];
        };
        match self.pick(&value) {
            Some(validator) => validator
                .iter_errors(&value)
                .map(|error| error.instance_path().to_string())
                .collect(),
            None => vec!["/model".to_owned()],
        }
    }
}
