//! Command-line definitions of `orux batch` and `orux batch status`.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::api_args::ApiOptions;
use crate::format::Format;

/// `--concurrency` unless given.
pub const DEFAULT_CONCURRENCY: NonZeroUsize = NonZeroUsize::MIN.saturating_add(9);
/// `--downloads` unless given.
pub const DEFAULT_DOWNLOADS: NonZeroUsize = NonZeroUsize::MIN.saturating_add(3);
/// `--timeout` unless given: 20 minutes, as `orux wait`.
pub const DEFAULT_TIMEOUT_SECS: u64 = 1200;

/// What `orux batch --help` ends with.
pub const BATCH_HELP: &str = "\
MANIFEST is JSON Lines (one request body per line) or CSV (a header row of
field names, `model` among them; each cell typed by the row's model). Every
row is validated first: any invalid row means exit status 1 and nothing is
sent, unless --skip-invalid.

The journal (SQLite, default DIR/orux-batch.sqlite) records every row's state
before each step; rerun the same command to resume: rows with a task are
followed, never submitted again; downloaded files are checked against their
recorded size and SHA-256; a partial download resumes. A row is its content
(not its line): rows may be added, moved or removed between runs.

A row whose submit outcome is unknown (the run died mid-submit, or the API
answered ambiguously) is reported with its idempotency key and left alone.
--resubmit-unknown sends it again with the same key: only for servers that
honour Idempotency-Key, as `orux mock` does; the upstream API docs do not
promise it, and a server that ignores the key would create a second task.

Ctrl-C (or SIGTERM) once: no new submissions, requests in flight finish, the
journal is committed, a summary and the command to resume are printed (exit
status 130). Twice: exit at once; the journal is still consistent.

The API key is read from ORUX_API_KEY; the base URL from --base-url, else
ORUX_BASE_URL, else https://orux.top.

Exit status:
  0    every row succeeded (and its files are downloaded)
  1    some row failed, expired or was invalid (and none is unsettled)
  2    usage or local error (manifest unreadable, journal locked, damaged or
       made for another manifest)
  3    the API refused or could not be reached, or some row is unsettled
       (outcome unknown, still running at --timeout, left by --max-submits)
  130  interrupted";

/// `orux batch`.
#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = BATCH_HELP
)]
pub struct BatchArgs {
    /// `status`, or nothing to run a batch.
    #[command(subcommand)]
    pub command: Option<BatchCommand>,

    /// Running a batch.
    #[command(flatten)]
    pub run: BatchRunArgs,
}

/// The `batch` subcommands.
#[derive(Debug, Subcommand)]
pub enum BatchCommand {
    /// Print a batch's rows by state and the rows that need attention
    Status(BatchStatusArgs),
}

/// The flags of a batch run.
#[derive(Debug, Args)]
pub struct BatchRunArgs {
    /// The manifest: JSON Lines or CSV (a file; `status` is the subcommand,
    /// write `./status` for a file of that name)
    #[arg(value_name = "MANIFEST", required = true)]
    pub manifest: Option<PathBuf>,

    /// Where the journal, results.jsonl and the result files go (created if absent)
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,

    /// The journal [default: DIR/orux-batch.sqlite]
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,

    /// Most tasks in flight at once (submitted and not ended)
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CONCURRENCY)]
    pub concurrency: NonZeroUsize,

    /// Most result downloads at once
    #[arg(long, value_name = "N", default_value_t = DEFAULT_DOWNLOADS)]
    pub downloads: NonZeroUsize,

    /// Record the result URLs, do not download the files
    #[arg(long)]
    pub no_download: bool,

    /// Start at most N submissions in this run (a budget ceiling); the rest wait for a rerun
    #[arg(long, value_name = "N")]
    pub max_submits: Option<u64>,

    /// Resubmit rows whose outcome is unknown, with their recorded Idempotency-Key
    /// (only for servers that honour the key; see below)
    #[arg(long)]
    pub resubmit_unknown: bool,

    /// Run the valid rows and report the invalid ones (exit status 1 at the end)
    #[arg(long)]
    pub skip_invalid: bool,

    /// Follow each task at most this long per run; a task still running is
    /// followed again by the next run
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT_SECS)]
    pub timeout: u64,

    /// No progress on standard error (the summary is still printed)
    #[arg(long)]
    pub quiet: bool,

    /// Base URL and output format.
    #[command(flatten)]
    pub api: ApiOptions,
}

/// `orux batch status`.
#[derive(Debug, Args)]
#[command(after_help = "\
Reads the journal only (no lock: a run may be going on). Exit status 0 when
every row succeeded, 1 when some failed, 3 when some are unsettled, 2 when the
journal cannot be read.")]
pub struct BatchStatusArgs {
    /// The batch's output directory
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,

    /// The journal [default: DIR/orux-batch.sqlite]
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,

    /// Output: lines for people, or one JSON object
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "human")]
    pub format: Format,
}
