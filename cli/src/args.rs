//! The command line, as clap definitions. The interface is fixed: scripts
//! call these commands, flags and exit codes.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::format::Format;

#[cfg(feature = "mock")]
pub use crate::commands::mock::MockArgs;

/// Exit statuses, shown at the end of `orux --help` and `orux validate --help`.
const EXIT_STATUS: &str = "\
Exit status:
  0  success (for validate: every body is valid)
  1  validate, submit: a body is invalid; submit --wait, status, wait, download,
     run: the task failed or expired; webhook verify: the delivery is not verified;
     batch: a row failed, expired or was invalid
  2  usage error (unknown model, bad flag or value) or local I/O error (missing
     file, unreadable input, unwritable output directory, full disk)
  3  submit, status, wait, download, run: the API refused or could not be
     reached, or a download failed on the network or at the file host;
     batch: that, or a row is unsettled (see orux batch --help)
  130  submit --wait, wait, run: interrupted by SIGINT or SIGTERM (the task goes on);
       batch: interrupted (the command to resume is printed)";

/// Validate Orux AI video task requests, look up the models they name, and
/// submit and follow tasks.
#[derive(Debug, Parser)]
#[command(name = "orux", version, after_help = EXIT_STATUS)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a request body (or JSON Lines of bodies) against the spec
    Validate(ValidateArgs),
    /// List the models: id, name, kind, durations, required fields
    Models(ModelsArgs),
    /// Show a model's parameter table
    Explain(ModelArg),
    /// Print the JSON Schema bundle, or one model's schema
    Schema(SchemaArgs),
    /// Print a minimal valid request body for a model
    Example(ModelArg),
    /// Run a local Orux API on loopback: validation, lifecycle, idempotency, webhooks
    #[cfg(feature = "mock")]
    Mock(MockArgs),
    /// Validate a request body and submit it to the API; optionally wait for the result
    Submit(crate::api_args::SubmitArgs),
    /// Print a task's current status
    Status(crate::api_args::StatusArgs),
    /// Wait for a task to end and print its final status
    Wait(crate::api_args::WaitArgs),
    /// Work with webhook deliveries
    Webhook(crate::api_args::WebhookArgs),
    /// Download a finished task's results into a directory (resumable)
    Download(crate::api_args::DownloadArgs),
    /// Run a model: flags from its parameter table, then submit, wait and download
    Run(crate::run_args::RunArgs),
    /// Print a shell completion script (models, their flags and values included)
    Completions(crate::api_args::CompletionsArgs),
    /// Run a manifest of requests as a crash-safe, resumable batch (SQLite journal)
    #[cfg(feature = "batch")]
    Batch(crate::batch_args::BatchArgs),
}

/// `orux validate`.
#[derive(Debug, Args)]
#[command(after_help = EXIT_STATUS)]
pub struct ValidateArgs {
    /// The request body to read; `-` or nothing reads standard input
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// Output: one line per error and warning, or one JSON object
    /// {"valid", "model", "errors", "warnings"} [default: human]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// Read JSON Lines: one body per line, one JSON result per line with its
    /// "line" number (the format is always json). Blank lines are skipped;
    /// a summary goes to standard error
    #[arg(long)]
    pub jsonl: bool,

    /// With --jsonl: validate on N threads; results stay in input order
    /// [default: the number of cores]
    #[arg(long, value_name = "N", requires = "jsonl")]
    pub jobs: Option<NonZeroUsize>,
}

/// `orux models`.
#[derive(Debug, Args)]
pub struct ModelsArgs {
    /// Output: a table, or a JSON array with one object per model
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "human")]
    pub format: Format,
}

/// Commands that take one model id.
#[derive(Debug, Args)]
#[command(
    after_help = "An unknown MODEL is a usage error (exit status 2), with the nearest id suggested."
)]
pub struct ModelArg {
    /// The model's wire id, as sent in "model" (see `orux models`)
    #[arg(value_name = "MODEL")]
    pub model: String,
}

/// `orux schema`.
#[derive(Debug, Args)]
#[command(
    after_help = "An unknown MODEL is a usage error (exit status 2), with the nearest id suggested."
)]
pub struct SchemaArgs {
    /// Print only this model's schema (its wire id); without it, the bundle of all models
    #[arg(value_name = "MODEL")]
    pub model: Option<String>,
}
