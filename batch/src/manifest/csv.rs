//! CSV manifests: a header row of field names, then one body per row,
//! each cell typed by the catalog entry of the row's model.
//!
//! - The header names the fields (surrounding spaces ignored); it must have
//!   a `model` column, and no name twice.
//! - An empty cell leaves its field out (so one file can mix models with
//!   different fields). A row with fewer cells than the header has the rest
//!   empty; a row with more is an error (a cell would be lost).
//! - A cell becomes the JSON type of its field for the row's model: a
//!   boolean field takes `true`/`false` (any case); an enum field whose
//!   allowed values are numbers takes a number (`5`); an image field takes
//!   a URL, a data URI, or a JSON object (`{"task_id":"…"}`); everything
//!   else is a string, as written. A cell that does not fit its type stays a
//!   string, so the validator reports it with the field's own message.
//! - Columns that are no field of the row's model are sent as strings and
//!   reported by the validator as unknown fields (with the nearest name).

use std::collections::HashSet;
use std::io::{self, Read};

use orux_models::catalog::{FieldInfo, FieldKind};
use orux_models::display::quoted;
use orux_models::{Limits, Model, WireValue};
use serde_json::Value;

use super::{Builder, Manifest, Problem, SourceFormat};
use crate::identity;

/// The column that names each row's model.
const MODEL: &str = "model";

pub(super) fn read(reader: impl Read, limits: &Limits) -> io::Result<Manifest> {
    let mut builder = Builder::new(SourceFormat::Csv);
    let mut csv = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let mut record = ::csv::ByteRecord::new();
    let mut header: Option<Vec<String>> = None;
    while read_record(&mut csv, &mut record)? {
        let line = record.position().map_or(0, |p| p.line());
        let Some(columns) = &header else {
            match read_header(&record) {
                Ok(columns) => header = Some(columns),
                Err(problems) => {
                    // Without a header no row can be typed: the header's
                    // problems are the manifest's only ones.
                    builder.push_invalid(line, problems);
                    return Ok(builder.finish());
                }
            }
            continue;
        };
        match cells(columns, &record) {
            Ok(cells) => {
                let digest = identity::cells_digest(cells.iter().copied());
                builder.push(line, digest, body(&cells), limits);
            }
            Err(problems) => builder.push_invalid(line, problems),
        }
    }
    Ok(builder.finish())
}

/// The next record; `false` at the end. A read error is an I/O error.
fn read_record(
    csv: &mut ::csv::Reader<impl Read>,
    record: &mut ::csv::ByteRecord,
) -> io::Result<bool> {
    csv.read_byte_record(record).map_err(|error| {
        let line = error.position().map_or(0, |p| p.line());
        match error.into_kind() {
            ::csv::ErrorKind::Io(error) => error,
            other => io::Error::new(
                io::ErrorKind::InvalidData,
                format!("CSV line {line}: {other:?}"),
            ),
        }
    })
}

/// The column names, or what is wrong with them.
fn read_header(record: &::csv::ByteRecord) -> Result<Vec<String>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut names = Vec::new();
    let mut seen = HashSet::new();
    for (index, raw) in record.iter().enumerate() {
        let raw = if index == 0 {
            raw.strip_prefix(super::BOM).unwrap_or(raw)
        } else {
            raw
        };
        let column = index + 1;
        let Ok(name) = std::str::from_utf8(raw) else {
            problems.push(Problem::manifest(
                "",
                format!("header column {column} is not UTF-8"),
            ));
            continue;
        };
        let name = name.trim();
        if name.is_empty() {
            problems.push(Problem::manifest(
                "",
                format!("header column {column} has no name"),
            ));
        } else if !seen.insert(name.to_owned()) {
            problems.push(Problem::manifest(
                "",
                format!("the header names {} twice", quoted(name)),
            ));
        }
        names.push(name.to_owned());
    }
    if problems.is_empty() && !seen.contains(MODEL) {
        problems.push(Problem::manifest(
            "",
            "the header has no `model` column (the first row names the fields of each body)",
        ));
    }
    if problems.is_empty() {
        Ok(names)
    } else {
        Err(problems)
    }
}

/// The row's non-empty cells as `(column, text)`, or its problems.
fn cells<'r>(
    columns: &'r [String],
    record: &'r ::csv::ByteRecord,
) -> Result<Vec<(&'r str, &'r str)>, Vec<Problem>> {
    if record.len() > columns.len() {
        return Err(vec![Problem::manifest(
            "",
            format!(
                "the row has {} cells but the header has {} columns",
                record.len(),
                columns.len()
            ),
        )]);
    }
    let mut cells = Vec::with_capacity(record.len());
    let mut problems = Vec::new();
    for (column, raw) in columns.iter().zip(record.iter()) {
        match std::str::from_utf8(raw) {
            Ok("") => {}
            Ok(text) => cells.push((column.as_str(), text)),
            Err(_) => problems.push(Problem::manifest(pointer(column), "the cell is not UTF-8")),
        }
    }
    if problems.is_empty() {
        Ok(cells)
    } else {
        Err(problems)
    }
}

/// The body of a row: `model` first, then the other cells in column
/// order, each typed by the model's field of that name.
fn body(cells: &[(&str, &str)]) -> Vec<u8> {
    let model = cells
        .iter()
        .find(|(column, _)| *column == MODEL)
        .and_then(|(_, id)| id.parse::<Model>().ok());
    let mut members: Vec<(&str, Value)> = Vec::with_capacity(cells.len());
    for (column, text) in cells {
        let field = model.and_then(|model| model.info().field(column));
        let value = if *column == MODEL {
            Value::from(*text)
        } else {
            typed(field, text)
        };
        members.push((column, value));
    }
    members.sort_by_key(|(column, _)| *column != MODEL);
    // Written member by member to keep this order (a JSON map would sort).
    let mut body = Vec::from(&b"{"[..]);
    for (index, (column, value)) in members.into_iter().enumerate() {
        if index > 0 {
            body.push(b',');
        }
        body.extend_from_slice(Value::from(column).to_string().as_bytes());
        body.push(b':');
        body.extend_from_slice(value.to_string().as_bytes());
    }
    body.push(b'}');
    body
}

/// A cell as the JSON type of its field.
fn typed(field: Option<&FieldInfo>, text: &str) -> Value {
    let Some(field) = field else {
        return Value::from(text);
    };
    let trimmed = text.trim();
    match field.kind {
        FieldKind::Boolean if trimmed.eq_ignore_ascii_case("true") => Value::Bool(true),
        FieldKind::Boolean if trimmed.eq_ignore_ascii_case("false") => Value::Bool(false),
        FieldKind::Enum { .. }
            if field
                .allowed
                .iter()
                .any(|value| matches!(value, WireValue::Int(_))) =>
        {
            match serde_json::from_str::<Value>(trimmed) {
                Ok(number @ Value::Number(_)) => number,
                _ => Value::from(text),
            }
        }
        FieldKind::ImageInput if trimmed.starts_with('{') => {
            serde_json::from_str::<Value>(trimmed).unwrap_or_else(|_| Value::from(text))
        }
        _ => Value::from(text),
    }
}

/// The JSON pointer of a top-level field.
fn pointer(name: &str) -> String {
    format!("/{}", name.replace('~', "~0").replace('/', "~1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &str) -> Manifest {
        read(text.as_bytes(), &Limits::default()).expect("reads")
    }

    fn bodies(manifest: &Manifest) -> Vec<String> {
        manifest
            .rows()
            .iter()
            .map(|row| String::from_utf8(row.body.to_vec()).expect("UTF-8"))
            .collect()
    }

    #[test]
    fn cells_are_typed_by_the_rows_model_and_empty_cells_are_left_out() {
        let manifest = read_str(
            "\u{feff}prompt, model ,duration,aspect_ratio\n\
             \"A boat, at night\",sora2,10,16:9\n\
             \"two\nlines\",sora2,,\n",
        );
        assert!(manifest.invalid().is_empty(), "{:?}", manifest.invalid());
        assert_eq!(
            bodies(&manifest),
            [
                r#"{"model":"sora2","prompt":"A boat, at night","duration":10,"aspect_ratio":"16:9"}"#,
                "{\"model\":\"sora2\",\"prompt\":\"two\\nlines\"}",
            ]
        );
        let lines: Vec<u64> = manifest.rows().iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3]);
    }

    #[test]
    fn a_cell_that_does_not_fit_is_reported_by_the_validator_at_its_field() {
        let manifest = read_str("model,prompt,duration,colour\nsora2,boat,ten,red\n");
        let paths: Vec<&str> = manifest.invalid()[0]
            .problems
            .iter()
            .map(|p| p.path.as_str())
            .collect();
        assert_eq!(paths, ["/duration", "/colour"]);
    }

    #[test]
    fn header_problems_are_reported_together_and_stop_the_read() {
        let manifest = read_str("prompt,,prompt\nboat,x,y\n");
        assert!(manifest.rows().is_empty());
        let messages: Vec<&str> = manifest.invalid()[0]
            .problems
            .iter()
            .map(|p| p.message.as_str())
            .collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("no name") && messages[1].contains("twice"));
        let manifest = read_str("prompt\nboat\n");
        assert!(
            manifest.invalid()[0].problems[0]
                .message
                .contains("no `model` column")
        );
    }

    #[test]
    fn too_many_cells_is_an_error_and_too_few_are_empty() {
        let manifest = read_str("model,prompt\nsora2,boat,extra\nsora2\n");
        assert_eq!(manifest.invalid().len(), 2);
        assert!(
            manifest.invalid()[0].problems[0]
                .message
                .contains("3 cells")
        );
        // The short row lacks its prompt: the validator says so.
        assert_eq!(manifest.invalid()[1].problems[0].path, "/prompt");
    }

    #[test]
    fn identity_ignores_column_order_and_empty_columns() {
        let a = read_str("model,prompt\nsora2,boat\n");
        let b = read_str("prompt,notes,model\nboat,,sora2\n");
        assert_eq!(a.rows()[0].identity, b.rows()[0].identity);
    }
}
