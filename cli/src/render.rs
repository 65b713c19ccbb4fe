//! How a validation outcome is printed: one JSON object, or lines for people.
//!
//! Human output carries ANSI styles unconditionally; the stream it is written
//! to (`anstream`) strips them unless standard output is a terminal and
//! `NO_COLOR` is unset, so there is one rendering, not two. Text from the
//! body never carries raw control characters into it: paths and messages are
//! shown through `orux_models::display`, so the stripping removes
//! only our own styles and the escaped text reads the same either way.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use orux_models::Diagnostic;
use orux_models::{WARNINGS_OMITTED, display};
use serde::Serialize;

use crate::json_out;
use crate::outcome::Outcome;

/// Field paths.
pub const PATH: Style = Style::new().bold();
/// The `warning:` mark.
pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
/// `invalid`, and `error:` on standard error.
pub const ERROR: Style = AnsiColor::Red.on_default().bold();
/// `valid`.
pub const VALID: Style = AnsiColor::Green.on_default().bold();
/// Table headers.
pub const HEADER: Style = Style::new().bold().underline();

/// The JSON result object, in the documented key order: what
/// [`crate::json_out::push_result`] writes, kept as the reference its tests
/// compare with.
#[cfg(test)]
#[derive(Serialize)]
struct JsonResult<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    valid: bool,
    model: Option<&'static str>,
    errors: &'a [Diagnostic],
    warnings: &'a [Diagnostic],
}

/// [`write_json`] through the serde writer ([`json_out::write`]), for the
/// tests of the hand-written one.
#[cfg(test)]
pub(crate) fn write_json_serde(
    out: &mut impl Write,
    outcome: &Outcome,
    line: Option<u64>,
) -> io::Result<()> {
    let result = JsonResult {
        line,
        valid: outcome.is_valid(),
        model: outcome.model,
        errors: &outcome.errors,
        warnings: &outcome.warnings,
    };
    json_out::write(out, &result)
}

/// Writes the outcome as one compact JSON object and a newline:
/// `{"valid":…,"model":…,"errors":[{"code","path","message"}…],"warnings":[…]}`,
/// with `"line":N` first when `line` is given (JSON Lines).
pub fn write_json(out: &mut impl Write, outcome: &Outcome, line: Option<u64>) -> io::Result<()> {
    let mut buf = Vec::new();
    json_out::push_result(&mut buf, outcome, line);
    out.write_all(&buf)
}

/// The code of the one error in the result printed when the input could not
/// be read at all (a missing file, a directory): exit status 2.
pub const INPUT_ERROR: &str = "input_error";

/// One error in [`write_json_failure`]'s object, shaped like a [`Diagnostic`].
#[derive(Serialize)]
struct Failure<'a> {
    code: &'static str,
    path: &'static str,
    message: &'a str,
}

/// The failure result, in the key order of [`JsonResult`].
#[derive(Serialize)]
struct FailureResult<'a> {
    valid: bool,
    model: Option<&'static str>,
    errors: [Failure<'a>; 1],
    warnings: [Failure<'a>; 0],
}

/// Writes the object printed instead of a result when the input could not be
/// read, so a script reading standard output always gets one object:
/// `{"valid":false,"model":null,"errors":[{"code":"input_error","path":"","message":…}],"warnings":[]}`.
pub fn write_json_failure(out: &mut impl Write, message: &str) -> io::Result<()> {
    let result = FailureResult {
        valid: false,
        model: None,
        errors: [Failure {
            code: INPUT_ERROR,
            path: "",
            message,
        }],
        warnings: [],
    };
    json_out::write(out, &result)
}

/// Writes one line per error (`/duration: duration must be 5 or 10 …`), one
/// per warning (`warning: /prompt: …`), then a verdict line
/// (`invalid sora2 request: 2 errors`).
pub fn write_human(out: &mut impl Write, outcome: &Outcome) -> io::Result<()> {
    for error in &outcome.errors {
        write_diagnostic(out, error)?;
    }
    for warning in &outcome.warnings {
        write!(out, "{WARNING}warning:{WARNING:#} ")?;
        write_diagnostic(out, warning)?;
    }
    let request = match outcome.model {
        Some(model) => format!("{model} request"),
        None => "request".to_owned(),
    };
    // The warning that says how many were left out is not one of them.
    let omitted = outcome.warnings.iter().any(|w| w.code == WARNINGS_OMITTED);
    let shown = outcome.warnings.len() - usize::from(omitted);
    let warnings = match (shown, omitted) {
        (0, _) => String::new(),
        (1, false) => " (1 warning)".to_owned(),
        (n, false) => format!(" ({n} warnings)"),
        (n, true) => format!(" ({n} warnings shown, more left out)"),
    };
    if outcome.is_valid() {
        writeln!(out, "{VALID}valid{VALID:#} {request}{warnings}")
    } else {
        let count = outcome.errors.len();
        let plural = if count == 1 { "" } else { "s" };
        writeln!(
            out,
            "{ERROR}invalid{ERROR:#} {request}: {count} error{plural}{warnings}"
        )
    }
}

/// `<path>: <message>`; a whole-body problem (path `""`) is just the message.
/// The path is the body's key: escaped and cut to
/// [`display::QUOTE_LIMIT`] characters here (it stays exact in JSON).
fn write_diagnostic(out: &mut impl Write, diagnostic: &Diagnostic) -> io::Result<()> {
    if !diagnostic.path.is_empty() {
        let path = display::excerpt(&diagnostic.path);
        write!(out, "{PATH}{path}{PATH:#}: ")?;
    }
    writeln!(out, "{}", display::escape(&diagnostic.message))
}
