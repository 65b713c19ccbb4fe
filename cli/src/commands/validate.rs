//! `orux validate [FILE|-] [--format human|json] [--jsonl [--jobs N]]`.

use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Write};
use std::num::NonZeroUsize;
use std::path::Path;
use std::thread;

use orux_models::Limits;
use orux_models::display;

use crate::args::ValidateArgs;
use crate::format::Format;
use crate::input;
use crate::parallel::validate_jsonl_jobs;
use crate::render;
use crate::validate::{Outcome, StreamError, validate_jsonl};
use crate::{Error, Verdict};

/// Validates one body, or every line of JSON Lines.
///
/// With JSON output (`--format json`, `--jsonl`), an input that cannot be
/// read still gets one JSON object on standard output (see
/// [`render::write_json_failure`]) besides the `error:` line: exit status 2.
pub fn run(args: &ValidateArgs) -> Result<Verdict, Error> {
    if args.jsonl && args.format == Some(Format::Human) {
        return Err(Error::Message(
            "--jsonl prints one JSON result per line; it cannot be combined with --format human"
                .to_owned(),
        ));
    }
    let json = args.jsonl || args.format == Some(Format::Json);
    check(args).inspect_err(|error| {
        if json && !error.is_broken_pipe() {
            let mut out = io::stdout().lock();
            // The error itself goes to standard error whatever happens here.
            let _ =
                render::write_json_failure(&mut out, &error.to_string()).and_then(|()| out.flush());
        }
    })
}

/// [`run`] without the failure object.
fn check(args: &ValidateArgs) -> Result<Verdict, Error> {
    let limits = Limits::default();
    let (mut reader, name) = open(args.file.as_deref())?;
    if reads_stdin(args.file.as_deref()) && io::stdin().is_terminal() {
        // Otherwise the command seems to hang: it waits for the body.
        let what = if args.jsonl {
            "JSON Lines"
        } else {
            "a request body"
        };
        let _ = writeln!(
            io::stderr(),
            "orux validate: reading {what} from the terminal; end it with Ctrl-D, or give a FILE"
        );
    }
    let read_error = |source| Error::Io {
        context: format!("cannot read {name}"),
        source,
    };
    if args.jsonl {
        let jobs = args
            .jobs
            .unwrap_or_else(|| thread::available_parallelism().unwrap_or(NonZeroUsize::MIN));
        // One job needs no threads: the plain streaming loop. With more,
        // any thread may write, so they share `Stdout` (locked per batch)
        // rather than one thread's lock.
        let summary = if jobs.get() == 1 {
            validate_jsonl(reader, io::stdout().lock(), &limits)
        } else {
            validate_jsonl_jobs(reader, io::stdout(), &limits, jobs)
        }
        .map_err(|error| match error {
            StreamError::Read(source) => read_error(source),
            StreamError::Write(source) => Error::stdout(source),
        })?;
        // Standard output holds only results; the totals are for whoever watches.
        let _ = writeln!(io::stderr(), "{summary}");
        return Ok(verdict(summary.all_valid()));
    }
    let mut body = Vec::new();
    let fit = input::read_all(&mut reader, &mut body, limits.max_body_bytes).map_err(read_error)?;
    let mut outcome = Outcome::of_read(&body, fit, &limits);
    outcome.suggest_jsonl(&body, crate::outcome::JSONL_HINT);
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

/// Whether `path` means standard input (none, or `-`).
fn reads_stdin(path: Option<&Path>) -> bool {
    path.is_none_or(|path| path == Path::new("-"))
}

/// Bytes read from the input at a time.
const INPUT_BUFFER: usize = 1 << 16;

/// The input to read and its name for messages (escaped: a file name is
/// text from the user); no path or `-` is stdin. `Send`, so that any thread
/// of `--jobs` may read: stdin is read through `Stdin`, not one thread's lock
/// (reads of the buffer's size go past `Stdin`'s own buffer).
pub(super) fn open(path: Option<&Path>) -> Result<(Box<dyn BufRead + Send>, String), Error> {
    let stdin = || -> (Box<dyn BufRead + Send>, String) {
        let reader = BufReader::with_capacity(INPUT_BUFFER, io::stdin());
        (Box::new(reader), "standard input".to_owned())
    };
    match path {
        None => Ok(stdin()),
        Some(path) if path == Path::new("-") => Ok(stdin()),
        Some(path) => {
            let name = display::escape(&path.display().to_string()).into_owned();
            match File::open(path) {
                Ok(file) => Ok((Box::new(BufReader::with_capacity(INPUT_BUFFER, file)), name)),
                Err(source) => Err(Error::Io {
                    context: format!("cannot read {name}"),
                    source,
                }),
            }
        }
    }
}
