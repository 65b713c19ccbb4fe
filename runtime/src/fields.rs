//! Field-level checks the generated validators call, one method per field type.
//!
//! Each method takes a scanned entry and the field's row of the catalog, and
//! returns the typed value or records why not. Messages name the field, the model
//! and the value received, so they read well without the rest of the body.

use crate::catalog::{FieldInfo, ModelInfo};
use crate::directives::unknown_directives;
use crate::display::{excerpt, push_quoted, quote, quoted};
use crate::image::{ImageError, ImageInput, TaskRef};
use crate::json::{self, Entry, Limits, Value};
use crate::report::{
    Diagnostic, DiagnosticKind, EMPTY_DIRECTIVE, Report, UNKNOWN_DIRECTIVE, pointer,
};
use crate::suggest::nearest;
use crate::url::{HttpsUrl, UrlError};
use crate::value_set::{ClosedSet, describe_values};

/// Checks the fields of one body against one model's table.
pub struct FieldReader<'r> {
    model: &'static ModelInfo,
    report: &'r mut Report,
    limits: &'r Limits,
}

impl<'r> FieldReader<'r> {
    /// A reader for a body that names `model`.
    pub fn new(model: &'static ModelInfo, report: &'r mut Report, limits: &'r Limits) -> Self {
        FieldReader {
            model,
            report,
            limits,
        }
    }

    /// Whether any error has been recorded for the body so far.
    pub fn has_errors(&self) -> bool {
        self.report.has_errors()
    }

    /// A string field: its length limits and inline directives.
    pub fn string(&mut self, entry: &Entry<'_>, field: &'static FieldInfo) -> Option<String> {
        let Value::String(text) = &entry.value else {
            self.wrong_type(entry, field, "a string");
            return None;
        };
        // A character is 1 to 4 bytes, so the byte length alone settles both
        // limits for most strings (then it passes both checks below); only
        // otherwise are the characters counted, a pass over the whole text.
        let bytes = text.len() as u64;
        let settled = field.min_length.is_none_or(|min| bytes.div_ceil(4) >= min)
            && field.max_length.is_none_or(|max| bytes <= max);
        let length = if settled {
            bytes
        } else {
            text.chars().count() as u64
        };
        if let Some(min) = field.min_length
            && length < min
        {
            let message = if min == 1 {
                message!("{} must not be empty for {}", field.name, self.model.id)
            } else {
                message!(
                    "{} must be at least {min} characters for {}, got {length}",
                    field.name,
                    self.model.id
                )
            };
            self.error(entry, DiagnosticKind::TooShort, message, None);
            return None;
        }
        if let Some(max) = field.max_length
            && length > max
        {
            let message = message!(
                "{} must be at most {max} characters for {}, got {length}",
                field.name,
                self.model.id
            );
            self.error(entry, DiagnosticKind::TooLong, message, None);
            return None;
        }
        if let Some(set) = field.directives {
            for unknown in unknown_directives(text, set.values) {
                if !self.report.has_warning_room() {
                    self.report.omit_warning();
                    continue;
                }
                let (code, kind, mut message) = if unknown.token.is_empty() {
                    let message = message!(
                        "empty {} directive in {} for {}: a bracket holds directive names separated by commas",
                        set.id,
                        field.name,
                        self.model.id
                    );
                    (EMPTY_DIRECTIVE, DiagnosticKind::EmptyDirective, message)
                } else {
                    let message = message!(
                        "unknown {} directive {} in {} for {}",
                        set.id,
                        quoted(unknown.token),
                        field.name,
                        self.model.id
                    );
                    (UNKNOWN_DIRECTIVE, DiagnosticKind::UnknownDirective, message)
                };
                if let Some(near) = unknown.suggestion {
                    message.push_str(&message!("; did you mean \"{near}\"?"));
                }
                self.report.warning(Diagnostic {
                    code,
                    path: pointer("", &entry.key),
                    message,
                    kind,
                    suggestion: unknown.suggestion.map(str::to_owned),
                    offset: Some(entry.value_offset),
                });
            }
        }
        Some(text.clone().into_owned())
    }

    /// A URL field: an absolute https URL with a host.
    pub fn url(&mut self, entry: &Entry<'_>, field: &'static FieldInfo) -> Option<HttpsUrl> {
        let Value::String(text) = &entry.value else {
            self.wrong_type(entry, field, "a string holding an https URL");
            return None;
        };
        match HttpsUrl::parse(text) {
            Ok(url) => Some(url),
            Err(error) => {
                let message = message!(
                    "{} for {} {error}: {}",
                    field.name,
                    self.model.id,
                    quoted(text)
                );
                self.error(entry, DiagnosticKind::InvalidUrl, message, None);
                None
            }
        }
    }

    /// A boolean field: JSON `true` or `false` only.
    pub fn boolean(&mut self, entry: &Entry<'_>, field: &'static FieldInfo) -> Option<bool> {
        match entry.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.wrong_type(entry, field, "true or false");
                None
            }
        }
    }

    /// An enum field: one member of its value set, with the member's JSON type.
    pub fn closed_set<E: ClosedSet>(
        &mut self,
        entry: &Entry<'_>,
        field: &'static FieldInfo,
    ) -> Option<E> {
        let integers = matches!(
            E::ALL.first().map(|m| m.wire()),
            Some(crate::WireValue::Int(_))
        );
        let member = match (&entry.value, integers) {
            (Value::String(text), false) => E::from_wire_str(text),
            (Value::Number(raw), true) => json::number_as_integer(raw).and_then(E::from_wire_int),
            (_, true) => {
                let expected = message!("an integer ({})", describe_values(field.allowed));
                self.wrong_type(entry, field, &expected);
                return None;
            }
            (_, false) => {
                let expected = message!("a string ({})", describe_values(field.allowed));
                self.wrong_type(entry, field, &expected);
                return None;
            }
        };
        if member.is_none() {
            let message = message!(
                "{} must be {} for {}, got {}",
                field.name,
                describe_values(field.allowed),
                self.model.id,
                describe_plain(&entry.value)
            );
            self.error(entry, DiagnosticKind::NotAllowed, message, None);
        }
        member
    }

    /// An image input: an https URL, an image data URI, or `{"task_id": "…"}`.
    pub fn image(&mut self, entry: &Entry<'_>, field: &'static FieldInfo) -> Option<ImageInput> {
        match &entry.value {
            Value::String(text) => match ImageInput::parse(text) {
                Ok(image) => Some(image),
                Err(error) => {
                    let kind = match error {
                        ImageError::DataUri(_) => DiagnosticKind::InvalidDataUri,
                        ImageError::Url(_) => DiagnosticKind::InvalidUrl,
                    };
                    let message = match error {
                        ImageError::Url(UrlError::NotHttps { .. }) => message!(
                            "{} must be an https URL, a data:image/…;base64 URI or {{\"task_id\": \"…\"}} for {}, got {}",
                            field.name,
                            self.model.id,
                            quoted(text)
                        ),
                        error => message!(
                            "{} for {} {error}: {}",
                            field.name,
                            self.model.id,
                            quoted(text)
                        ),
                    };
                    self.error(entry, kind, message, None);
                    None
                }
            },
            Value::Object(raw) => self.task_ref(entry, field, raw),
            _ => {
                self.wrong_type(
                    entry,
                    field,
                    "a string (https URL or image data URI) or an object {\"task_id\": \"…\"}",
                );
                None
            }
        }
    }

    /// The object shape of an image input: exactly one non-empty `task_id`.
    fn task_ref(
        &mut self,
        entry: &Entry<'_>,
        field: &'static FieldInfo,
        raw: &str,
    ) -> Option<ImageInput> {
        let parent = pointer("", &entry.key);
        let object = match json::parse_object(raw, entry.value_offset, self.limits) {
            Ok(object) => object,
            Err(error) => {
                self.report.error(
                    DiagnosticKind::InvalidJson,
                    parent,
                    Some(error.offset),
                    error.to_string(),
                    None,
                );
                return None;
            }
        };
        for duplicate in &object.duplicates {
            self.report.error(
                DiagnosticKind::DuplicateKey,
                pointer(&parent, &duplicate.key),
                Some(duplicate.key_offset),
                message!("duplicate key {} in {}", quoted(&duplicate.key), field.name),
                None,
            );
        }
        let task_path = pointer(&parent, "task_id");
        let mut task_id = None;
        for inner in &object.entries {
            if inner.key != "task_id" {
                let message = message!(
                    "unknown field {} in {} for {}; an image task reference holds only \"task_id\"",
                    quoted(&inner.key),
                    field.name,
                    self.model.id
                );
                let path = pointer(&parent, &inner.key);
                let suggestion = nearest(&inner.key, ["task_id"]);
                self.report.error(
                    DiagnosticKind::UnknownField,
                    path,
                    Some(inner.key_offset),
                    message,
                    suggestion,
                );
                continue;
            }
            match &inner.value {
                Value::String(id) if !id.is_empty() => task_id = Some(id.clone().into_owned()),
                Value::String(_) => {
                    let message = message!(
                        "{}.task_id must not be empty for {}",
                        field.name,
                        self.model.id
                    );
                    self.report.error(
                        DiagnosticKind::TooShort,
                        task_path.clone(),
                        Some(inner.value_offset),
                        message,
                        None,
                    );
                }
                other => {
                    let message = message!(
                        "{}.task_id must be a string naming an image task for {}, got {}",
                        field.name,
                        self.model.id,
                        describe_typed(other)
                    );
                    let kind = if matches!(other, Value::Null) {
                        DiagnosticKind::NullValue
                    } else {
                        DiagnosticKind::WrongType
                    };
                    self.report.error(
                        kind,
                        task_path.clone(),
                        Some(inner.value_offset),
                        message,
                        None,
                    );
                }
            }
        }
        if !object.entries.iter().any(|e| e.key == "task_id") {
            let message = message!(
                "{}.task_id is required when {} is an object for {}",
                field.name,
                field.name,
                self.model.id
            );
            // Placed at the object's closing brace: after its own keys' errors,
            // as missing top-level fields come after the body's.
            let end = entry.value_offset + raw.len().saturating_sub(1);
            self.report.error(
                DiagnosticKind::MissingField,
                task_path,
                Some(end),
                message,
                None,
            );
        }
        if object.entries.len() != 1 || !object.duplicates.is_empty() {
            return None;
        }
        task_id.map(|task_id| ImageInput::Task(TaskRef { task_id }))
    }

    /// A key the model does not list.
    pub fn unknown_field(&mut self, entry: &Entry<'_>) {
        let suggestion = nearest(&entry.key, self.model.field_names());
        // Built in one buffer: this message is the most common error, and
        // the nested `format!`s it was made of reallocated it several times.
        let mut message = String::with_capacity(128);
        message.push_str("unknown field ");
        push_quoted(&mut message, &entry.key);
        message.push_str(" for ");
        message.push_str(self.model.id);
        match suggestion {
            Some(near) => {
                message.push_str("; did you mean \"");
                message.push_str(near);
                message.push_str("\"?");
            }
            None => {
                message.push_str("; it accepts: ");
                for (i, field) in self.model.fields.iter().enumerate() {
                    if i > 0 {
                        message.push_str(", ");
                    }
                    message.push_str(field.name);
                }
            }
        }
        self.report.error(
            DiagnosticKind::UnknownField,
            pointer("", &entry.key),
            Some(entry.key_offset),
            message,
            suggestion,
        );
    }

    /// Records a missing required field (a present but invalid one was reported
    /// already, so it is not called missing too).
    pub fn require(&mut self, entries: &[Entry<'_>], field: &'static FieldInfo) {
        if entries.iter().any(|e| e.key == field.name) {
            return;
        }
        let message = message!("{} is required for {}", field.name, self.model.id);
        self.report.error(
            DiagnosticKind::MissingField,
            pointer("", field.name),
            None,
            message,
            None,
        );
    }

    fn wrong_type(&mut self, entry: &Entry<'_>, field: &'static FieldInfo, expected: &str) {
        if matches!(entry.value, Value::Null) {
            let advice = match (field.required, field.default) {
                (true, _) => "it is required".to_owned(),
                (false, Some(default)) => {
                    message!("leave it out to use the default {}", default.to_json())
                }
                (false, None) => "leave it out instead".to_owned(),
            };
            let message = message!(
                "{} must not be null for {}; {advice}",
                field.name,
                self.model.id
            );
            self.error(entry, DiagnosticKind::NullValue, message, None);
        } else {
            let message = message!(
                "{} must be {expected} for {}, got {}",
                field.name,
                self.model.id,
                describe_typed(&entry.value)
            );
            self.error(entry, DiagnosticKind::WrongType, message, None);
        }
    }

    fn error(
        &mut self,
        entry: &Entry<'_>,
        kind: DiagnosticKind,
        message: String,
        suggestion: Option<&str>,
    ) {
        self.report.error(
            kind,
            pointer("", &entry.key),
            Some(entry.value_offset),
            message,
            suggestion,
        );
    }
}

/// A value with its JSON type, for "got …": `string "5"`, `number 8`, `null`.
pub fn describe_typed(value: &Value<'_>) -> String {
    match value {
        Value::String(s) => message!("string {}", quoted(s)),
        Value::Number(n) => message!("number {}", excerpt(n)),
        Value::Bool(b) => message!("boolean {b}"),
        Value::Null => "null".to_owned(),
        Value::Object(_) => "an object".to_owned(),
        Value::Array(_) => "an array".to_owned(),
    }
}

/// A value as the user wrote it, for "got …" after a type matched: `8`, `"1:1"`.
fn describe_plain(value: &Value<'_>) -> String {
    match value {
        Value::String(s) => quote(s),
        Value::Number(n) => excerpt(n).into_owned(),
        other => describe_typed(other),
    }
}
