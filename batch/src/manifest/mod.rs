//! The manifest: the rows of a batch, every one validated before anything
//! is sent.
//!
//! A manifest comes from a JSON Lines file (one request body per line), a
//! CSV file (a header row of field names, one body per row, typed by the
//! catalog), or a caller's own source ([`Manifest::from_bodies`]). Each row
//! gets a [`RowIdentity`] from its content, and is checked with
//! [`TaskRequest::from_json`](orux_models::TaskRequest::from_json): a valid
//! row keeps its body, an invalid one keeps every problem found in it.

mod csv;
mod jsonl;

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use orux_models::{Diagnostic, Limits, TaskRequest};
use serde::Serialize;

use crate::identity::{self, Occurrences, RowIdentity};

/// Where a manifest's rows came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceFormat {
    /// JSON Lines: one body per line; blank lines are skipped.
    JsonLines,
    /// CSV with a header row of field names.
    Csv,
    /// Bodies handed over by a program ([`Manifest::from_bodies`]).
    Bodies,
}

impl SourceFormat {
    /// `jsonl`, `csv` or `bodies`: how the journal records it.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::JsonLines => "jsonl",
            SourceFormat::Csv => "csv",
            SourceFormat::Bodies => "bodies",
        }
    }
}

/// One valid row.
#[derive(Clone, Debug)]
pub struct Row {
    /// Its line in the file (a CSV row: the line it starts on), or its
    /// 1-based position among bodies handed over by a program.
    pub line: u64,
    /// What makes it the same row in the next run.
    pub identity: RowIdentity,
    /// The model it names.
    pub model: &'static str,
    /// The request body, exactly as it is sent.
    pub body: Arc<[u8]>,
    /// Warnings (an unknown camera directive): the row is still valid.
    pub warnings: Vec<Diagnostic>,
}

/// One invalid row and everything wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidRow {
    /// Its line (or position), as for [`Row::line`].
    pub line: u64,
    /// Every problem, in body order.
    pub problems: Vec<Problem>,
}

/// One problem with a row: a validation error of its body
/// (`invalid_param`, with the JSON pointer of the field), or a problem of
/// the file itself (`invalid_manifest`: a CSV header, a row with too many
/// cells, a line that is not UTF-8).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// `invalid_param` or `invalid_manifest`.
    pub code: &'static str,
    /// A JSON pointer into the row's body (`/duration`), `""` for the row
    /// as a whole.
    pub path: String,
    /// What is wrong, in words. Exact text: show it through
    /// `orux_models::display` (the `Display` of [`Problem`] does).
    pub message: String,
}

/// The code of a problem with the file rather than with a body.
pub const INVALID_MANIFEST: &str = "invalid_manifest";

impl Problem {
    pub(crate) fn manifest(path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            code: INVALID_MANIFEST,
            path: path.into(),
            message: message.into(),
        }
    }
}

impl From<Diagnostic> for Problem {
    fn from(diagnostic: Diagnostic) -> Problem {
        Problem {
            code: diagnostic.code,
            path: diagnostic.path,
            message: diagnostic.message,
        }
    }
}

/// `path: message`, with the path and the message shown as data
/// (`orux_models::display`).
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = orux_models::display::escape(&self.message);
        if self.path.is_empty() {
            f.write_str(&message)
        } else {
            write!(
                f,
                "{}: {message}",
                orux_models::display::excerpt(&self.path)
            )
        }
    }
}

/// A manifest read and validated.
#[derive(Clone, Debug)]
pub struct Manifest {
    format: SourceFormat,
    rows: Vec<Row>,
    invalid: Vec<InvalidRow>,
}

/// Why a manifest file could not be read at all (a problem inside it is an
/// [`InvalidRow`] instead).
#[derive(Debug)]
pub struct ReadError {
    /// What was being read: "cannot read prompts.csv".
    pub context: String,
    /// The cause.
    pub source: io::Error,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.context, self.source)
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

impl Manifest {
    /// Reads a manifest file. Its format comes from its first byte that is
    /// not whitespace (after a UTF-8 byte order mark): `{` is JSON Lines,
    /// anything else CSV (a CSV header starts with a field name).
    pub fn read_file(path: &Path) -> Result<Manifest, ReadError> {
        let context = || format!("cannot read {}", path.display());
        let file = File::open(path).map_err(|source| ReadError {
            context: context(),
            source,
        })?;
        let mut reader = BufReader::with_capacity(256 * 1024, file);
        let json_lines = starts_with_brace(&mut reader).map_err(|source| ReadError {
            context: context(),
            source,
        })?;
        let read = if json_lines {
            Manifest::read_json_lines(reader)
        } else {
            Manifest::read_csv(reader)
        };
        read.map_err(|source| ReadError {
            context: context(),
            source,
        })
    }

    /// Reads JSON Lines: one body per line, surrounding whitespace (and a
    /// `\r` before the newline) ignored, blank lines skipped.
    pub fn read_json_lines(reader: impl BufRead) -> io::Result<Manifest> {
        jsonl::read(reader, &Limits::default())
    }

    /// Reads CSV: the first record names the fields (`model` among them),
    /// each other record is one body. See the crate's README for how cells
    /// are typed.
    pub fn read_csv(reader: impl Read) -> io::Result<Manifest> {
        csv::read(reader, &Limits::default())
    }

    /// A manifest from a program's own bodies; each row's line is its
    /// 1-based position, its identity the digest of the body.
    pub fn from_bodies<B: Into<Vec<u8>>>(bodies: impl IntoIterator<Item = B>) -> Manifest {
        let mut builder = Builder::new(SourceFormat::Bodies);
        let limits = Limits::default();
        for (index, body) in bodies.into_iter().enumerate() {
            let body = body.into();
            let digest = identity::body_digest(&body);
            builder.push(index as u64 + 1, digest, body, &limits);
        }
        builder.finish()
    }

    /// Where the rows came from.
    pub fn format(&self) -> SourceFormat {
        self.format
    }

    /// The valid rows, in manifest order.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// The invalid rows, in manifest order, each with every problem.
    pub fn invalid(&self) -> &[InvalidRow] {
        &self.invalid
    }

    /// Whether it has no row at all, valid or not.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty() && self.invalid.is_empty()
    }
}

/// Collects rows as a reader produces them: validation and identities.
struct Builder {
    format: SourceFormat,
    occurrences: Occurrences,
    rows: Vec<Row>,
    invalid: Vec<InvalidRow>,
}

impl Builder {
    fn new(format: SourceFormat) -> Builder {
        Builder {
            format,
            occurrences: Occurrences::default(),
            rows: Vec::new(),
            invalid: Vec::new(),
        }
    }

    /// Validates `body`, the row at `line` whose content has `digest`.
    fn push(&mut self, line: u64, digest: [u8; 32], body: Vec<u8>, limits: &Limits) {
        // Counted valid or not, so a fixed row does not renumber its twins.
        let identity = self.occurrences.next(digest);
        match TaskRequest::from_json_with_limits(&body, limits) {
            Ok(valid) => self.rows.push(Row {
                line,
                identity,
                model: valid.request.model().id(),
                body: body.into(),
                warnings: valid.warnings,
            }),
            Err(invalid) => self.invalid.push(InvalidRow {
                line,
                problems: invalid.errors.into_iter().map(Problem::from).collect(),
            }),
        }
    }

    /// A row that never became a body (a problem of the file at that line).
    fn push_invalid(&mut self, line: u64, problems: Vec<Problem>) {
        self.invalid.push(InvalidRow { line, problems });
    }

    fn finish(self) -> Manifest {
        Manifest {
            format: self.format,
            rows: self.rows,
            invalid: self.invalid,
        }
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether the first byte that is not whitespace (after a byte order mark)
/// is `{`. Only looks at buffered data; consumes nothing.
fn starts_with_brace(reader: &mut impl BufRead) -> io::Result<bool> {
    let buffer = reader.fill_buf()?;
    let buffer = buffer.strip_prefix(BOM).unwrap_or(buffer);
    Ok(buffer
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_from_a_program_are_validated_and_numbered() {
        let manifest = Manifest::from_bodies([
            r#"{"model":"sora2","prompt":"a"}"#,
            r#"{"model":"sora2"}"#,
            r#"{"model":"sora2","prompt":"a"}"#,
        ]);
        assert_eq!(manifest.format(), SourceFormat::Bodies);
        let lines: Vec<u64> = manifest.rows().iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 3]);
        assert_eq!(manifest.rows()[1].identity.occurrence(), 1);
        assert_eq!(manifest.invalid()[0].line, 2);
        assert_eq!(manifest.invalid()[0].problems[0].path, "/prompt");
    }

    #[test]
    fn problems_show_their_text_as_data() {
        let problem = Problem::manifest("/a\u{1b}b", "bad \u{202e} value");
        assert_eq!(problem.to_string(), "/a\\u001bb: bad \\u202e value");
    }
}
