//! The JSON Schema peers: the `jsonschema` crate with the generated bundle.

use std::path::PathBuf;

use serde_json::Value;

/// The generated bundle (issue 4): one 2020-12 document whose root is the
/// `TaskRequest` dispatch over every model.
pub fn bundle_path() -> PathBuf {
    crate::repo_root().join("generated/schema/orux-models.schema.json")
}

/// The bundle, parsed; `None` when it has not been generated.
pub fn bundle() -> Option<Result<Value, String>> {
    let path = bundle_path();
    let text = std::fs::read_to_string(&path).ok()?;
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
