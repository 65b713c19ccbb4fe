//! The `orux` command-line tool: validate Orux AI video task request bodies
//! against the spec, and look up the models, their parameters, schemas and
//! example bodies. Everything it knows about models comes from `orux-models`
//! (`orux_models::catalog`), which is generated from `models.yaml`.
//!
//! The binary is a thin wrapper around [`run`]. [`validate::validate_jsonl`]
//! is the streaming JSON Lines validator, usable on its own.

#![warn(missing_docs)]

pub mod api_args;
pub mod args;
#[cfg(feature = "batch")]
pub mod batch_args;
mod commands;
pub mod format;
pub mod input;
pub mod json_out;
pub mod local_image;
pub mod outcome;
pub mod parallel;
pub mod render;
pub mod run_args;
pub mod run_body;
pub mod run_flags;
mod stop_signal;
pub mod table;
pub mod validate;

use std::fmt;
use std::io::{self, Write};
use std::process::ExitCode;

pub use args::Cli;

/// How a command that ran to completion ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Exit status 0: done, and (for `validate`) every body is valid.
    Success,
    /// Exit status 1: a body is invalid, a task failed or expired, or a
    /// webhook delivery is not verified.
    Invalid,
    /// Exit status 2, already reported (as JSON on standard output).
    UsageReported,
    /// Exit status 3: the API refused or could not be reached (reported),
    /// or (`batch`) some row is unsettled.
    Refused,
    /// Exit status 130: interrupted by SIGINT or SIGTERM: a wait (the
    /// task's id and the command to resume were reported), or a batch.
    Interrupted,
}

/// Why a command could not do its job: exit status 2.
#[derive(Debug)]
pub enum Error {
    /// A problem put in words, such as an unknown model id; the message says what to do.
    Message(String),
    /// Reading input or writing output failed.
    Io {
        /// What was being done: "cannot read big.json".
        context: String,
        /// The cause.
        source: io::Error,
    },
}

impl Error {
    /// An I/O error while writing to standard output.
    pub fn stdout(source: io::Error) -> Error {
        Error::Io {
            context: "cannot write to standard output".to_owned(),
            source,
        }
    }

    /// Whether the reader of our output went away (`orux … | head`): the
    /// run stops quietly, as there is no one to tell.
    pub(crate) fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Message(message) => f.write_str(message),
            Error::Io { context, source } => write!(f, "{context}: {source}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Message(_) => None,
            Error::Io { source, .. } => Some(source),
        }
    }
}

/// Parses the process's command line, or exits as clap does (help and
/// version on standard output with status 0, usage errors on standard error
/// with status 2).
///
/// clap quotes an offending argument in its error as given; when an
/// argument holds control or bidi characters, the error is the one for the
/// arguments as shown through `display::escape`, so it quotes them as data.
pub fn parse() -> Cli {
    use clap::Parser;
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let error = match Cli::try_parse_from(&args) {
        Ok(cli) => return cli,
        Err(error) => error,
    };
    let escape = orux_models::display::escape;
    let hostile = args
        .iter()
        .any(|arg| matches!(escape(&arg.to_string_lossy()), std::borrow::Cow::Owned(_)));
    if hostile {
        let shown = args
            .iter()
            .map(|arg| escape(&arg.to_string_lossy()).into_owned());
        if let Err(shown_error) = Cli::try_parse_from(shown) {
            shown_error.exit();
        }
        // Escaped, the arguments parse (no known case does): print the
        // original error escaped line by line, clap's own styles included,
        // rather than let anything through raw or drop it.
        let text = error.render().ansi().to_string();
        let _ = text
            .lines()
            .try_for_each(|line| writeln!(io::stderr(), "{}", escape(line)));
        std::process::exit(error.exit_code());
    }
    error.exit()
}

/// Runs a parsed command line and returns the process's exit status: 0
/// success, 1 an invalid body (or a failed task), 2 a usage or I/O error
/// (reported on standard error as `error: …`), 3 the API refused or could not
/// be reached, 130 a wait interrupted by a signal.
pub fn run(cli: &Cli) -> ExitCode {
    match commands::run(&cli.command) {
        Ok(Verdict::Success) => ExitCode::SUCCESS,
        Ok(Verdict::Invalid) => ExitCode::from(1),
        Ok(Verdict::UsageReported) => ExitCode::from(2),
        Ok(Verdict::Refused) => ExitCode::from(3),
        Ok(Verdict::Interrupted) => ExitCode::from(130),
        Err(error) => {
            if !error.is_broken_pipe() {
                let style = render::ERROR;
                // A message may quote the command line (a file name): shown
                // as data, like everything else that came from a user.
                let message = error.to_string();
                let message = orux_models::display::escape(&message);
                // Nothing is left to report a failure to report to.
                let _ = writeln!(anstream::stderr(), "{style}error:{style:#} {message}");
            }
            ExitCode::from(2)
        }
    }
}
