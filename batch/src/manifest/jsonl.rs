//! JSON Lines manifests: one request body per line.

use std::io::{self, BufRead};

use orux_models::{Limits, ValidationErrors};

use super::{Builder, Manifest, Problem, SourceFormat};
use crate::identity;

/// Reads every line; a line longer than the body limit is not kept in
/// memory (it gets the validator's size error with its real size).
pub(super) fn read(mut reader: impl BufRead, limits: &Limits) -> io::Result<Manifest> {
    let mut builder = Builder::new(SourceFormat::JsonLines);
    let mut line = Vec::new();
    let mut number = 0u64;
    // Room for the body plus the whitespace around it.
    let keep = limits.max_body_bytes.saturating_add(64);
    while let Some(size) = read_line(&mut reader, &mut line, keep)? {
        number += 1;
        if number == 1 && line.starts_with(super::BOM) {
            line.drain(..super::BOM.len());
        }
        if size > keep as u64 {
            let too_large = ValidationErrors::body_too_large(size, limits);
            let problems = too_large.errors.into_iter().map(Problem::from).collect();
            builder.push_invalid(number, problems);
            continue;
        }
        let body = line.trim_ascii();
        if body.is_empty() {
            continue;
        }
        builder.push(number, identity::body_digest(body), body.to_vec(), limits);
    }
    Ok(builder.finish())
}

/// Reads one line into `line` (without its `\n`), keeping at most `keep`
/// bytes of it; returns the line's full length, or `None` at the end.
fn read_line(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
    keep: usize,
) -> io::Result<Option<u64>> {
    line.clear();
    let mut size = 0u64;
    let mut any = false;
    loop {
        let buffer = match reader.fill_buf() {
            Ok(buffer) => buffer,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if buffer.is_empty() {
            return Ok(any.then_some(size));
        }
        any = true;
        let (chunk, ends) = match buffer.iter().position(|b| *b == b'\n') {
            Some(end) => (&buffer[..end], true),
            None => (buffer, false),
        };
        let room = keep.saturating_sub(line.len()).min(chunk.len());
        line.extend_from_slice(&chunk[..room]);
        size += chunk.len() as u64;
        let used = chunk.len() + usize::from(ends);
        reader.consume(used);
        if ends {
            return Ok(Some(size));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &str) -> Manifest {
        read(text.as_bytes(), &Limits::default()).expect("reads")
    }

    #[test]
    fn lines_are_trimmed_blank_lines_skipped_and_numbered_as_in_the_file() {
        let manifest = read_str(
            "\u{feff}{\"model\":\"sora2\",\"prompt\":\"a\"}\r\n\n  \n\t{\"model\":\"sora2\",\"prompt\":\"b\"}  \n{\"model\":\"nope\"}",
        );
        let rows: Vec<(u64, &[u8])> = manifest
            .rows()
            .iter()
            .map(|r| (r.line, &r.body[..]))
            .collect();
        assert_eq!(
            rows,
            [
                (1, &br#"{"model":"sora2","prompt":"a"}"#[..]),
                (4, &br#"{"model":"sora2","prompt":"b"}"#[..])
            ]
        );
        assert_eq!(manifest.invalid().len(), 1);
        assert_eq!(manifest.invalid()[0].line, 5);
        assert_eq!(manifest.invalid()[0].problems[0].path, "/model");
    }

    #[test]
    fn every_error_of_every_row_is_kept() {
        let manifest = read_str(
            "{\"model\":\"sora2\",\"prompt\":\"\",\"duration\":7}\nnot json\n{\"model\":\"sora2\",\"prompt\":\"ok\"}\n",
        );
        let invalid: Vec<(u64, Vec<&str>)> = manifest
            .invalid()
            .iter()
            .map(|row| {
                (
                    row.line,
                    row.problems.iter().map(|p| p.path.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(invalid, [(1, vec!["/prompt", "/duration"]), (2, vec![""])]);
        assert_eq!(manifest.rows().len(), 1);
    }

    #[test]
    fn an_overlong_line_is_a_size_error_and_the_next_line_still_reads() {
        let limits = Limits {
            max_body_bytes: 100,
            ..Limits::default()
        };
        let long = format!(
            "{{\"model\":\"sora2\",\"prompt\":\"{}\"}}\n{{\"model\":\"sora2\",\"prompt\":\"b\"}}\n",
            "x".repeat(1000)
        );
        // A small buffer, so the long line arrives in many pieces.
        let reader = io::BufReader::with_capacity(16, long.as_bytes());
        let manifest = read(reader, &limits).expect("reads");
        assert_eq!(manifest.invalid().len(), 1);
        assert!(
            manifest.invalid()[0].problems[0]
                .message
                .contains("1029 bytes"),
            "{:?}",
            manifest.invalid()[0]
        );
        assert_eq!(manifest.rows().len(), 1);
        assert_eq!(manifest.rows()[0].line, 2);
    }
}
