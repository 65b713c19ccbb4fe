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
mod commands;
pub mod input;
pub mod render;
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
    /// Exit status 3: the API refused or could not be reached (reported).
    Refused,
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
    fn is_broken_pipe(&self) -> bool {
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

/// Runs a parsed command line and returns the process's exit status: 0
/// success, 1 an invalid body (or a failed task), 2 a usage or I/O error
/// (reported on standard error as `error: …`), 3 the API refused or could not
/// be reached.
pub fn run(cli: &Cli) -> ExitCode {
    match commands::run(&cli.command) {
        Ok(Verdict::Success) => ExitCode::SUCCESS,
        Ok(Verdict::Invalid) => ExitCode::from(1),
        Ok(Verdict::UsageReported) => ExitCode::from(2),
        Ok(Verdict::Refused) => ExitCode::from(3),
        Err(error) => {
            if !error.is_broken_pipe() {
                let style = render::ERROR;
                // Nothing is left to report a failure to report to.
                let _ = writeln!(anstream::stderr(), "{style}error:{style:#} {error}");
            }
            ExitCode::from(2)
        }
    }
}
