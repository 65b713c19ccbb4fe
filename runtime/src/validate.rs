//! Body-level validation: scan once, find the model, hand its fields to the
//! model's generated validator, and collect every finding.

use crate::catalog::ModelInfo;
use crate::fields::{FieldReader, describe_typed};
use crate::json::{self, Entry, Limits, Value};
use crate::report::{DiagnosticKind, Report, Validated, ValidationErrors, pointer};
use crate::suggest::nearest;

/// What the generated `Model` enum provides to the body-level validator.
pub trait Dispatch: Copy + 'static {
    /// The typed request of any model.
    type Request;

    /// Every model id, in spec order.
    fn ids() -> &'static [&'static str];

    /// The model with this exact id.
    fn from_id(id: &str) -> Option<Self>;

    /// Metadata and parameter table.
    fn info(self) -> &'static ModelInfo;

    /// Runs the model's generated validator over the body's entries.
    fn validate(self, entries: &[Entry<'_>], reader: &mut FieldReader<'_>)
    -> Option<Self::Request>;
}

/// Validates a raw body: every error at once, or the typed request.
pub fn validate_body<M: Dispatch>(
    body: &[u8],
    limits: &Limits,
) -> Result<Validated<M::Request>, ValidationErrors> {
    let object = json::parse_body(body, limits)?;
    let mut report = Report::default();
    for duplicate in &object.duplicates {
        report.error(
            DiagnosticKind::DuplicateKey,
            pointer("", &duplicate.key),
            Some(duplicate.key_offset),
            format!(
                "duplicate key \"{}\": a key may appear only once",
                duplicate.key
            ),
            None,
        );
    }
    let Some(model) = find_model::<M>(&object.entries, &mut report) else {
        return report.finish(None, None);
    };
    let mut reader = FieldReader::new(model.info(), &mut report, limits);
    let request = model.validate(&object.entries, &mut reader);
    report.finish(Some(model.info().id), request)
}

/// The model the body names, or why there is none.
fn find_model<M: Dispatch>(entries: &[Entry<'_>], report: &mut Report) -> Option<M> {
    let path = || "/model".to_owned();
    let Some(entry) = entries.iter().find(|e| e.key == "model") else {
        report.error(
            DiagnosticKind::MissingModel,
            path(),
            None,
            format!("model is required; one of: {}", M::ids().join(", ")),
            None,
        );
        return None;
    };
    let Value::String(id) = &entry.value else {
        let kind = if matches!(entry.value, Value::Null) {
            DiagnosticKind::NullValue
        } else {
            DiagnosticKind::MissingModel
        };
        report.error(
            kind,
            path(),
            Some(entry.value_offset),
            format!(
                "model must be a string naming a model, got {}",
                describe_typed(&entry.value)
            ),
            None,
        );
        return None;
    };
    if let Some(model) = M::from_id(id) {
        return Some(model);
    }
    let unknown = UnknownModel::new::<M>(id);
    let mut message = unknown.to_string();
    if unknown.suggestion.is_none() {
        // Nothing is close: list what there is instead.
        message.push_str(&format!("; known models: {}", M::ids().join(", ")));
    }
    report.error(
        DiagnosticKind::UnknownModel,
        path(),
        Some(entry.value_offset),
        message,
        unknown.suggestion,
    );
    None
}

/// A model id that names no model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownModel {
    /// The id given.
    pub id: String,
    /// The nearest known id, if any is close.
    pub suggestion: Option<&'static str>,
}

impl UnknownModel {
    /// Looks up the nearest known id for the message.
    pub fn new<M: Dispatch>(id: &str) -> Self {
        UnknownModel {
            id: id.to_owned(),
            suggestion: nearest(id, M::ids().iter().copied()),
        }
    }
}

impl std::fmt::Display for UnknownModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let id = serde_json::Value::from(self.id.as_str());
        match self.suggestion {
            Some(near) => write!(f, "unknown model {id}; did you mean \"{near}\"?"),
            None => write!(f, "unknown model {id}"),
        }
    }
}

impl std::error::Error for UnknownModel {}
