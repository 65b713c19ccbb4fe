//! The request body `orux run` builds from its flags: `model`, then each
//! parameter given, in the model's table order, with its JSON type. A local
//! file for an inline-image field becomes a data URI; a local file for a
//! URL-only field is refused. Problems are named by their flag
//! ([`crate::run_flags::shown_flag`]), all at once.

use std::path::Path;

use orux_models::catalog::{FieldInfo, FieldKind, ModelInfo};
use orux_models::display::{escape, quoted};
use orux_models::{Diagnostic, Limits, WireValue};
use serde::Serialize;
use serde_json::Value;

use crate::local_image::{self, WARN_ABOVE_BYTES};
use crate::run_flags::{Given, shown_flag};

/// One problem with a command line, named by its flag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FlagProblem {
    /// `--duration`, `PROMPT`, or empty for the body as a whole.
    pub flag: String,
    /// The JSON pointer the validator gave, when it came from there.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// A request body built from flags, with what was noticed on the way.
#[derive(Debug)]
pub struct Built {
    /// The body: `model`, then the parameters given, in table order.
    pub body: String,
    /// Things worth saying that do not stop the run (a large inline image).
    pub notes: Vec<FlagProblem>,
}

/// The body for `model` from what was given: `{"model": …, <field>: <value>…}`
/// in the model's table order, each value with its JSON type (an integer
/// enum member as a number, a boolean as `true`/`false`). A local file for
/// an inline-image field becomes a data URI; for a URL-only field it is a
/// problem naming the models that do take a file. Every problem is returned
/// at once. `models` is the catalog searched for those models.
pub fn build_body(
    model: &ModelInfo,
    given: &[(&'static FieldInfo, Given)],
    models: &[&'static ModelInfo],
) -> Result<Built, Vec<FlagProblem>> {
    let mut members = vec![("model", Value::from(model.id))];
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    for (field, value) in given {
        let value = match (value, field.kind) {
            (Given::Bool(flag), _) => Value::Bool(*flag),
            (Given::Text(text), FieldKind::Enum { .. }) => enum_value(field, text),
            (Given::Text(text), FieldKind::Url) => {
                if let Some(problem) = local_file_for_url(field, text, models) {
                    problems.push(problem);
                    continue;
                }
                Value::from(text.as_str())
            }
            (Given::Text(text), FieldKind::ImageInput) => match image_value(field, text) {
                Ok((value, note)) => {
                    notes.extend(note);
                    value
                }
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            },
            (Given::Text(text), _) => Value::from(text.as_str()),
        };
        members.push((field.name, value));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut body = String::from("{");
    for (i, (name, value)) in members.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&Value::from(*name).to_string());
        body.push(':');
        body.push_str(&value.to_string());
    }
    body.push('}');
    Ok(Built { body, notes })
}

/// An enum member with its wire type: the number for an integer set when
/// the text is one, else the text (the validator then says what is allowed).
fn enum_value(field: &FieldInfo, text: &str) -> Value {
    let integers = field
        .allowed
        .iter()
        .any(|value| matches!(value, WireValue::Int(_)));
    match text.parse::<i64>() {
        Ok(number) if integers => Value::from(number),
        _ => Value::from(text),
    }
}

/// Whether `text` starts with a URL scheme (`https:`, `data:`, `ftp://`…).
fn has_scheme(text: &str) -> bool {
    match text.split_once(':') {
        Some((scheme, rest)) => {
            let letters = scheme.len() > 1
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
            letters && (rest.starts_with("//") || scheme.eq_ignore_ascii_case("data"))
        }
        None => false,
    }
}

/// A URL-only field given a file that exists on disk: Orux has no upload
/// endpoint, so say so, and which models take an inline image instead.
fn local_file_for_url(
    field: &FieldInfo,
    text: &str,
    models: &[&'static ModelInfo],
) -> Option<FlagProblem> {
    if has_scheme(text) || !Path::new(text).exists() {
        return None;
    }
    let inline: Vec<String> = models
        .iter()
        .flat_map(|info| {
            info.fields
                .iter()
                .filter(|f| f.kind == FieldKind::ImageInput)
                .map(move |f| format!("{} ({})", escape(info.id), shown_flag(f)))
        })
        .collect();
    let takers = if inline.is_empty() {
        "no model takes one".to_owned()
    } else {
        format!("models that take an inline image: {}", inline.join(", "))
    };
    Some(FlagProblem {
        flag: shown_flag(field),
        path: format!("/{}", field.name),
        message: format!(
            "{} is a local file, but this field takes an https URL: Orux has no upload \
             endpoint, so host the file and pass its URL ({takers})",
            quoted(text)
        ),
    })
}

/// An inline-image field's value: a URL or data URI as given, a
/// `{"task_id": …}` object as JSON, or a local file as a data URI.
fn image_value(field: &FieldInfo, text: &str) -> Result<(Value, Option<FlagProblem>), FlagProblem> {
    if has_scheme(text) {
        return Ok((Value::from(text), None));
    }
    if text.trim_start().starts_with('{') {
        return serde_json::from_str::<Value>(text)
            .map(|value| (value, None))
            .map_err(|error| FlagProblem {
                flag: shown_flag(field),
                path: format!("/{}", field.name),
                message: format!("not a JSON object such as {{\"task_id\": \"img_…\"}}: {error}"),
            });
    }
    let limit = Limits::default().max_body_bytes as u64 / 4 * 3;
    let image = local_image::read(Path::new(text), limit).map_err(|why| FlagProblem {
        flag: shown_flag(field),
        path: format!("/{}", field.name),
        message: format!("{}: {why}", quoted(text)),
    })?;
    let note = (image.bytes > WARN_ABOVE_BYTES).then(|| FlagProblem {
        flag: shown_flag(field),
        path: format!("/{}", field.name),
        message: format!(
            "{} is {} bytes; sent inline it makes a request of about {} MiB (the image is \
             sent again on every retry); a hosted image passed as an https URL is lighter",
            quoted(text),
            image.bytes,
            image.uri.len().div_ceil(1024 * 1024)
        ),
    });
    Ok((Value::from(image.uri), note))
}

/// A validator diagnostic as a problem with the flag its path points into.
pub fn problem(model: &ModelInfo, diagnostic: &Diagnostic) -> FlagProblem {
    let top = diagnostic
        .path
        .strip_prefix('/')
        .map(|rest| rest.split('/').next().unwrap_or(rest));
    let flag = top
        .and_then(|name| model.field(name))
        .map(shown_flag)
        .unwrap_or_default();
    FlagProblem {
        flag,
        path: diagnostic.path.clone(),
        message: diagnostic.message.clone(),
    }
}
