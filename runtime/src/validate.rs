//! Body-level validation: scan once, find the model, hand its fields to the
//! model's generated validator, and collect every finding.

use crate::catalog::ModelInfo;
use crate::display::quoted;
use crate::fields::{FieldReader, describe_typed};
use crate::json::{self, Entry, Limits, Value};
use crate::report::{DiagnosticKind, Report, Validated, ValidationErrors, pointer};
use crate::suggest::nearest;

/// Validates a raw body: every error at once, or the typed request.
///
/// `models` are every model in spec order, `info` gives one's parameter
/// table and `validate` runs its generated field validator.
pub fn validate_body<M: Copy, R>(
    body: &[u8],
    limits: &Limits,
    models: &[M],
    info: impl Fn(M) -> &'static ModelInfo,
    validate: impl FnOnce(M, &[Entry<'_>], &mut FieldReader<'_>) -> Option<R>,
) -> Result<Validated<R>, ValidationErrors> {
    let object = json::parse_body(body, limits)?;
    let mut report = Report::default();
    for duplicate in &object.duplicates {
        report.error(
            DiagnosticKind::DuplicateKey,
            pointer("", &duplicate.key),
            Some(duplicate.key_offset),
            message!(
                "duplicate key {}: a key may appear only once",
                quoted(&duplicate.key)
            ),
            None,
        );
    }
    let ids = || models.iter().map(|&m| info(m).id);
    let Some(model) = find_model(&object.entries, &mut report, models, &info, ids) else {
        return report.finish(None, None);
    };
    let mut reader = FieldReader::new(info(model), &mut report, limits);
    let request = validate(model, &object.entries, &mut reader);
    report.finish(Some(info(model).id), request)
}

/// The model the body names, or why there is none.
fn find_model<M: Copy, I: Iterator<Item = &'static str>>(
    entries: &[Entry<'_>],
    report: &mut Report,
    models: &[M],
    info: impl Fn(M) -> &'static ModelInfo,
    ids: impl Fn() -> I,
) -> Option<M> {
    let known = || ids().collect::<Vec<_>>().join(", ");
    let path = || "/model".to_owned();
    let Some(entry) = entries.iter().find(|e| e.key == "model") else {
        report.error(
            DiagnosticKind::MissingModel,
            path(),
            None,
            message!("model is required; one of: {}", known()),
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
            message!(
                "model must be a string naming a model, got {}",
                describe_typed(&entry.value)
            ),
            None,
        );
        return None;
    };
    if let Some(&model) = models.iter().find(|&&m| info(m).id == id.as_ref()) {
        return Some(model);
    }
    let unknown = UnknownModel::new(id, ids());
    let mut message = unknown.to_string();
    if unknown.suggestion.is_none() {
        // Nothing is close: list what there is instead.
        message.push_str(&message!("; known models: {}", known()));
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
///
/// Its message quotes the id with [`crate::display::quote`]: at most
/// [`QUOTE_LIMIT`](crate::display::QUOTE_LIMIT) characters, control
/// and bidi characters escaped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownModel {
    /// The id given, whole (only the message shortens it).
    pub id: String,
    /// The nearest known id, if any is close.
    pub suggestion: Option<&'static str>,
}

impl UnknownModel {
    /// `id`, with the nearest of the `known` ids for the message.
    pub fn new(id: &str, known: impl IntoIterator<Item = &'static str>) -> Self {
        UnknownModel {
            id: id.to_owned(),
            suggestion: nearest(id, known),
        }
    }
}

impl std::fmt::Display for UnknownModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let id = quoted(&self.id);
        match self.suggestion {
            Some(near) => write!(f, "unknown model {id}; did you mean \"{near}\"?"),
            None => write!(f, "unknown model {id}"),
        }
    }
}

impl std::error::Error for UnknownModel {}
