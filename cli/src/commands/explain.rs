//! `orux explain MODEL`: a model's metadata and parameter table.

use std::io::{self, Write};

use orux_models::WireValue;
use orux_models::catalog::{FieldInfo, FieldKind, ModelInfo, describe_values};
use orux_models::display::escape;

use super::find_model;
use crate::render::PATH;
use crate::table;
use crate::{Error, Verdict};

/// Prints the model's parameter table, or suggests the nearest id.
pub fn run(id: &str) -> Result<Verdict, Error> {
    let info = find_model(id)?;
    let mut out = anstream::stdout().lock();
    write(&mut out, info)
        .and_then(|()| out.flush())
        .map_err(Error::stdout)?;
    Ok(Verdict::Success)
}

/// Everything shown comes from the spec, so text goes through `escape` (the
/// table does it for its cells): a spec cannot send terminal control either.
fn write(out: &mut impl Write, info: &ModelInfo) -> io::Result<()> {
    writeln!(
        out,
        "{PATH}{}{PATH:#}: {} ({})",
        escape(info.id),
        escape(info.name),
        escape(info.vendor)
    )?;
    writeln!(out, "{}", escape(info.description))?;
    let length = match info.max_duration {
        Some(seconds) => format!("up to {seconds} s"),
        None => "no length control".to_owned(),
    };
    let capabilities = match info.capabilities {
        [] => "none".to_owned(),
        capabilities => capabilities
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    };
    writeln!(
        out,
        "kind: {}; length: {length}; capabilities: {capabilities}",
        info.kind.as_str()
    )?;
    writeln!(out)?;
    let rows: Vec<Vec<String>> = info
        .fields
        .iter()
        .map(|field| {
            vec![
                field.name.to_owned(),
                field.kind.as_str().to_owned(),
                if field.required { "yes" } else { "no" }.to_owned(),
                field.default.map_or("-".to_owned(), WireValue::to_json),
                allowed(field),
                field.description.to_owned(),
            ]
        })
        .collect();
    table::write(
        out,
        &[
            "FIELD",
            "TYPE",
            "REQUIRED",
            "DEFAULT",
            "ALLOWED",
            "DESCRIPTION",
        ],
        &rows,
    )?;
    for field in info.fields {
        if let Some(set) = field.directives {
            writeln!(out)?;
            writeln!(
                out,
                "{} may contain {} directives, written inline in brackets; an unknown one is a warning:",
                escape(field.name),
                escape(set.id)
            )?;
            writeln!(out, "  {}", escape(&set.values.join(", ")))?;
        }
    }
    if let Some(body) = info.minimal_body() {
        writeln!(out)?;
        writeln!(out, "minimal body: {}", escape(&body))?;
    }
    Ok(())
}

/// What values a field accepts, in words (also in `orux run MODEL --help`).
pub(crate) fn allowed(field: &FieldInfo) -> String {
    match field.kind {
        FieldKind::Enum { .. } => describe_values(field.allowed),
        FieldKind::Boolean => "true or false".to_owned(),
        FieldKind::Url => "https URL".to_owned(),
        FieldKind::ImageInput => r#"https URL, image data URI or {"task_id": …}"#.to_owned(),
        FieldKind::String => match (field.min_length, field.max_length) {
            (None, None) => "any text".to_owned(),
            (Some(1), None) => "non-empty text".to_owned(),
            (Some(min), None) => format!("at least {min} characters"),
            (None, Some(max)) => format!("at most {max} characters"),
            (Some(min), Some(max)) => format!("{min} to {max} characters"),
        },
    }
}
