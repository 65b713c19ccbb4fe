//! Command-line definitions of the commands that talk to the API
//! (`submit`, `status`, `wait`) and of `webhook verify`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::format::Format;

/// Where the API commands find the key and the base URL.
macro_rules! api_environment {
    () => {
        "The API key is read from ORUX_API_KEY; the base URL from --base-url, else
ORUX_BASE_URL, else https://orux.top.
"
    };
}

/// What every API command says last about `--format json`.
macro_rules! json_errors {
    () => {
        "
With --format json every outcome is one JSON object on standard output; an
error is {\"error\": {\"code\", \"message\", …}}, with \"task_id\" and
\"resume\" once a task is known to exist."
    };
}

/// `orux submit --help`: the environment and the exit statuses.
pub const SUBMIT_EXIT_STATUS: &str = concat!(
    api_environment!(),
    "
Exit status:
  0  success
  1  the body is invalid (nothing was sent), or (--wait) the task failed or
     expired
  2  usage or local I/O error (including a missing ORUX_API_KEY)
  3  the API refused or could not be reached (auth, rate limit, server error,
     transport, redirect, invalid response, unknown submit outcome, deadline
     passed)
  130  (--wait) interrupted by SIGINT or SIGTERM: the task goes on; the command
     that resumes the wait is printed

A created task's id is printed on standard error (`submitted TASK_ID`) as
soon as it exists.
",
    json_errors!()
);

/// `orux status --help` and `orux wait --help`: no body is read, so exit
/// status 1 is only a task that failed or expired.
pub const TASK_EXIT_STATUS: &str = concat!(
    api_environment!(),
    "
Exit status:
  0  success: the status is printed (wait: the task succeeded)
  1  the task failed or expired
  2  usage error (including a missing ORUX_API_KEY, or a task id that is not
     one plain path segment)
  3  the API refused or could not be reached (auth, unknown task, rate limit,
     server error, transport, redirect, invalid response, deadline passed)
  130  wait: interrupted by SIGINT or SIGTERM; the command that resumes the
     wait is printed
",
    json_errors!()
);

/// Options every API command takes.
#[derive(Debug, Args)]
pub struct ApiOptions {
    /// The API's base URL (https, or http to a loopback address)
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Output: lines for people, or one JSON object
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "human")]
    pub format: Format,
}

/// `orux submit`.
#[derive(Debug, Args)]
#[command(after_help = SUBMIT_EXIT_STATUS)]
pub struct SubmitArgs {
    /// The request body; `-` or nothing reads standard input. Validated first
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// Wait for the task to end and print its final status
    #[arg(long)]
    pub wait: bool,

    /// With --wait: give up after this many seconds, the submission
    /// included [default: 1200]
    #[arg(long, value_name = "SECS", requires = "wait", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: Option<u64>,

    /// With --wait: download the results into DIR [default: the current directory]
    #[arg(long, value_name = "DIR", num_args = 0..=1, default_missing_value = ".", requires = "wait")]
    pub download: Option<PathBuf>,

    /// With --download: replace result files that already exist
    #[arg(long, requires = "download")]
    pub force: bool,

    /// Base URL and output format.
    #[command(flatten)]
    pub api: ApiOptions,
}

/// `orux status`.
#[derive(Debug, Args)]
#[command(after_help = TASK_EXIT_STATUS)]
pub struct StatusArgs {
    /// The task id returned by `orux submit`
    #[arg(value_name = "TASK_ID")]
    pub task_id: String,

    /// Base URL and output format.
    #[command(flatten)]
    pub api: ApiOptions,
}

/// `orux wait`.
#[derive(Debug, Args)]
#[command(after_help = TASK_EXIT_STATUS)]
pub struct WaitArgs {
    /// The task id returned by `orux submit`
    #[arg(value_name = "TASK_ID")]
    pub task_id: String,

    /// Give up after this many seconds [default: 1200]
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: Option<u64>,

    /// Then download the results into DIR [default: the current directory]
    #[arg(long, value_name = "DIR", num_args = 0..=1, default_missing_value = ".")]
    pub download: Option<PathBuf>,

    /// With --download: replace result files that already exist
    #[arg(long, requires = "download")]
    pub force: bool,

    /// Base URL and output format.
    #[command(flatten)]
    pub api: ApiOptions,
}

/// `orux download`.
#[derive(Debug, Args)]
#[command(after_help = DOWNLOAD_EXIT_STATUS)]
pub struct DownloadArgs {
    /// The task id returned by `orux submit`
    #[arg(value_name = "TASK_ID")]
    pub task_id: String,

    /// Where to save the files [default: the current directory]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Replace files that already exist
    #[arg(long)]
    pub force: bool,

    /// Base URL and output format.
    #[command(flatten)]
    pub api: ApiOptions,
}

/// `orux completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write the script for
    #[arg(value_name = "SHELL", value_parser = clap::value_parser!(clap_complete::Shell))]
    pub shell: clap_complete::Shell,
}

/// How `orux download` (and `--download`) name files and end.
pub const DOWNLOAD_EXIT_STATUS: &str = "\
Files are named <task_id>.<ext>, or <task_id>-<n>.<ext> when a task has several
results; the extension comes from the file's content type. Each file is
streamed to <name>.part beside it (with <name>.part.meta), checked, synced and
renamed: a file is complete or absent. A failed download keeps its .part file
and the next run resumes it. The API key is never sent to the file host.

The API key is read from ORUX_API_KEY; the base URL from --base-url, else
ORUX_BASE_URL, else https://orux.top.

Exit status:
  0  the files are on disk
  1  the task failed, expired or has not finished
  2  usage or local I/O error: a file exists (use --force), the directory is
     not writable, the disk is full
  3  the API refused or could not be reached, or the download failed on the
     network or at the file host

With --format json the outcome is the task's status object plus
\"files\": [{\"url\", \"path\", \"bytes\", \"sha256\"}]; an error is
{\"error\": {\"code\", \"message\", …}}.";

/// `orux webhook`.
#[derive(Debug, Args)]
pub struct WebhookArgs {
    /// What to do with a webhook delivery.
    #[command(subcommand)]
    pub command: WebhookCommand,
}

/// The `webhook` subcommands.
#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Check a delivery's Standard Webhooks signature and print its event
    Verify(VerifyArgs),
}

/// `orux webhook verify`.
#[derive(Debug, Args)]
#[command(after_help = "\
Exit status:
  0  verified: the event is printed as JSON
  1  not verified: the reason is printed on standard error
  2  usage or I/O error (a malformed secret or header, an unreadable body)")]
pub struct VerifyArgs {
    /// The endpoint's signing secret, whsec_<base64> (the prefix and the
    /// base64 padding are optional, as in the Standard Webhooks libraries).
    /// The environment is the
    /// safer place: other users of the machine see a command's arguments
    /// (`ps`), not its environment
    #[arg(
        long,
        value_name = "SECRET",
        env = "ORUX_WEBHOOK_SECRET",
        hide_env_values = true
    )]
    pub secret: String,

    /// A request header, 'NAME: VALUE' (webhook-id, webhook-timestamp,
    /// webhook-signature); repeat for each
    #[arg(long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,

    /// The time to check the timestamp against, in Unix seconds [default: now]
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub now: Option<u64>,

    /// The raw request body, byte for byte; `-` or nothing reads standard input
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}
