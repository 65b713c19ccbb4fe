//! `orux validate [FILE|-] [--format human|json] [--jsonl]`.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;

use orux_models::Limits;

use crate::args::{Format, ValidateArgs};
use crate::input;
use crate::render;
use crate::validate::{Outcome, StreamError, validate_jsonl};
use crate::{Error, Verdict};

/// Validates one body, or every line of JSON Lines.
pub fn run(args: &ValidateArgs) -> Result<Verdict, Error> {
    if args.jsonl && args.format == Some(Format::Human) {
        return Err(Error::Message(
            "--jsonl prints one JSON result per line; it cannot be combined with --format human"
                .to_owned(),
        ));
    }
    let limits = Limits::default();
    let (mut reader, name) = open(args.file.as_deref())?;
    let read_error = |source| Error::Io {
        context: format!("cannot read {name}"),
        source,
    };
    if args.jsonl {
        let summary =
            validate_jsonl(reader, io::stdout().lock(), &limits).map_err(|error| match error {
                StreamError::Read(source) => read_error(source),
                StreamError::Write(source) => Error::stdout(source),
            })?;
        // Standard output holds only results; the totals are for whoever watches.
        let _ = writeln!(io::stderr(), "{summary}");
        return Ok(verdict(summary.all_valid()));
    }
    let mut body = Vec::new();
    let fit = input::read_all(&mut reader, &mut body, limits.max_body_bytes).map_err(read_error)?;
    let outcome = Outcome::of_read(&body, fit, &limits);
    match args.format.unwrap_or(Format::Human) {
        Format::Json => {
            let mut out = io::stdout().lock();
            render::write_json(&mut out, &outcome, None).and_then(|()| out.flush())
        }
        Format::Human => {
            let mut out = anstream::stdout().lock();
            render::write_human(&mut out, &outcome).and_then(|()| out.flush())
        }
    }
    .map_err(Error::stdout)?;
    Ok(verdict(outcome.is_valid()))
}

fn verdict(valid: bool) -> Verdict {
    if valid {
        Verdict::Success
    } else {
        Verdict::Invalid
    }
}

/// The input to read and its name for messages; no path or `-` is stdin.
pub(super) fn open(path: Option<&Path>) -> Result<(Box<dyn BufRead>, String), Error> {
    match path {
        None => Ok((Box::new(io::stdin().lock()), "standard input".to_owned())),
        Some(path) if path == Path::new("-") => {
            Ok((Box::new(io::stdin().lock()), "standard input".to_owned()))
        }
        Some(path) => {
            let name = path.display().to_string();
            match File::open(path) {
                Ok(file) => Ok((Box::new(BufReader::with_capacity(1 << 16, file)), name)),
                Err(source) => Err(Error::Io {
                    context: format!("cannot read {name}"),
                    source,
                }),
            }
        }
    }
}
