//! Checking request bodies: one body, or a stream of JSON Lines with flat memory.

use std::fmt;
use std::io::{self, BufRead, Write};

use orux_models::Limits;

use crate::input::{self, Fit};
use crate::json_out;
pub use crate::outcome::{JSONL_HINT, Outcome};

/// Counts of a JSON Lines run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Lines read, blank ones included (the last line may lack its `\n`).
    pub lines: u64,
    /// Lines skipped because they were empty or only JSON whitespace.
    pub blank: u64,
    /// Valid bodies.
    pub valid: u64,
    /// Invalid bodies.
    pub invalid: u64,
}

impl Summary {
    /// Whether no body was invalid (true for an input with no bodies).
    pub fn all_valid(&self) -> bool {
        self.invalid == 0
    }
}

/// `100000 bodies: 99000 valid, 1000 invalid (2 blank lines skipped)`.
impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bodies = self.valid + self.invalid;
        let plural = |n: u64| if n == 1 { "" } else { "s" };
        write!(
            f,
            "{bodies} bod{}: {} valid, {} invalid",
            if bodies == 1 { "y" } else { "ies" },
            self.valid,
            self.invalid
        )?;
        if self.blank > 0 {
            write!(
                f,
                " ({} blank line{} skipped)",
                self.blank,
                plural(self.blank)
            )?;
        }
        Ok(())
    }
}

/// Why a JSON Lines run stopped before the end of its input.
#[derive(Debug)]
pub enum StreamError {
    /// Reading the input failed.
    Read(io::Error),
    /// Writing a result failed (a closed pipe, a full disk).
    Write(io::Error),
}

impl StreamError {
    /// The underlying I/O error.
    pub fn io_error(&self) -> &io::Error {
        match self {
            StreamError::Read(error) | StreamError::Write(error) => error,
        }
    }
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Read(error) => write!(f, "cannot read input: {error}"),
            StreamError::Write(error) => write!(f, "cannot write output: {error}"),
        }
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.io_error())
    }
}

impl From<StreamError> for io::Error {
    fn from(error: StreamError) -> io::Error {
        match error {
            StreamError::Read(error) | StreamError::Write(error) => error,
        }
    }
}

/// Validates JSON Lines: each line of `input` is one request body, and each
/// gets one compact JSON result line on `output`:
/// `{"line":N,"valid":…,"model":…,"errors":[…],"warnings":[…]}`.
///
/// Memory stays flat however long the input: lines are read one at a time
/// into one reused buffer, and a line longer than `limits.max_body_bytes` is
/// counted, not stored, and reported as too large. Bytes are not decoded
/// first, so a line that is not UTF-8 is an invalid body like any other, not
/// an I/O error. Lines are numbered from 1 in the input; a line that is empty
/// or only JSON whitespace (a trailing blank line, a `\r` left by CRLF) is
/// skipped without a result but still counted, so numbers stay those of the
/// input. `output` is buffered here; results are flushed before returning.
pub fn validate_jsonl(
    mut input: impl BufRead,
    mut output: impl Write,
    limits: &Limits,
) -> Result<Summary, StreamError> {
    // Results are rendered into one reused buffer and written in large
    // pieces: no writer call per result, no allocation per line.
    let mut results = Vec::with_capacity(2 * OUTPUT_CHUNK);
    let mut buf = Vec::new();
    let mut summary = Summary::default();
    while let Some(fit) =
        input::read_line(&mut input, &mut buf, limits.max_body_bytes).map_err(StreamError::Read)?
    {
        summary.lines += 1;
        if fit == Fit::Complete && is_blank(&buf) {
            summary.blank += 1;
            continue;
        }
        let outcome = Outcome::of_read(&buf, fit, limits);
        if outcome.is_valid() {
            summary.valid += 1;
        } else {
            summary.invalid += 1;
        }
        json_out::push_result(&mut results, &outcome, Some(summary.lines));
        if results.len() >= OUTPUT_CHUNK {
            output.write_all(&results).map_err(StreamError::Write)?;
            results.clear();
        }
    }
    output.write_all(&results).map_err(StreamError::Write)?;
    output.flush().map_err(StreamError::Write)?;
    Ok(summary)
}

/// Rendered results are written once they hold this many bytes.
const OUTPUT_CHUNK: usize = 64 * 1024;

/// Whether a line is empty or only JSON whitespace (`\n` is already gone).
pub(crate) fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &[u8]) -> (Summary, Vec<serde_json::Value>) {
        let mut output = Vec::new();
        let summary = validate_jsonl(input, &mut output, &Limits::default()).unwrap();
        let results = output
            .split(|&b| b == b'\n')
            .filter(|line| !line.is_empty())
            .map(|line| serde_json::from_slice(line).unwrap())
            .collect();
        (summary, results)
    }

    #[test]
    fn every_body_line_gets_a_numbered_result() {
        let (summary, results) =
            run(b"{\"model\":\"sora2\",\"prompt\":\"a\"}\n\n  \r\n{\"model\":\"sora2\"}");
        assert_eq!(
            summary,
            Summary {
                lines: 4,
                blank: 2,
                valid: 1,
                invalid: 1
            }
        );
        assert_eq!(
            summary.to_string(),
            "2 bodies: 1 valid, 1 invalid (2 blank lines skipped)"
        );
        let lines: Vec<_> = results
            .iter()
            .map(|r| r["line"].as_u64().unwrap())
            .collect();
        assert_eq!(lines, [1, 4]);
        assert_eq!(results[0]["valid"], true);
        assert_eq!(results[1]["errors"][0]["path"], "/prompt");
    }

    #[test]
    fn a_line_over_the_size_limit_is_reported_with_its_size() {
        let limits = Limits {
            max_body_bytes: 10,
            ..Limits::default()
        };
        let mut output = Vec::new();
        let line = format!("{{\"model\":\"{}\"}}\n", "x".repeat(100));
        let summary = validate_jsonl(line.as_bytes(), &mut output, &limits).unwrap();
        assert_eq!(summary.invalid, 1);
        let result: serde_json::Value = serde_json::from_slice(&output).unwrap();
        assert_eq!(result["errors"][0]["path"], "");
        let message = result["errors"][0]["message"].as_str().unwrap();
        assert!(
            message.contains("is 112 bytes, over the limit of 10 bytes"),
            "{message}"
        );
    }

    #[test]
    fn empty_input_has_no_bodies() {
        let (summary, results) = run(b"");
        assert_eq!(summary, Summary::default());
        assert!(summary.all_valid());
        assert_eq!(results, Vec::<serde_json::Value>::new());
    }
}
