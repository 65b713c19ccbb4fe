//! `orux run MODEL [PROMPT] [--FIELD VALUE]…`: the command line, with one
//! subcommand per model of the catalog ([`crate::run_flags`]) and the
//! options `orux run` shares with `orux submit`.
//!
//! clap's derive cannot describe flags that come from data, so `RunArgs`
//! implements `clap::Args` itself: the derive-built `orux` command calls it
//! to add the model subcommands, and `orux --help`, `orux run --help`,
//! `orux run MODEL --help` and the completions all see them.

use std::path::PathBuf;

use clap::builder::EnumValueParser;
use clap::{Arg, ArgAction, ArgMatches, Command, FromArgMatches};
use orux_models::catalog::{FieldInfo, MODELS, ModelInfo};

use crate::api_args::ApiOptions;
use crate::format::Format;
use crate::run_flags::{self, Given};

/// How `orux run` ends, after the per-model help.
pub const RUN_EXIT_STATUS: &str = "\
Builds the request body from the flags (nothing else is sent), checks it
against the spec (every problem at once, each named by its flag), submits it,
waits for the task with progress, and downloads the results into --out as
<task_id>.<ext> (or <task_id>-<n>.<ext> for several). A local file for an
image field that takes an inline image is sent as a data: URI.

The API key is read from ORUX_API_KEY; the base URL from --base-url, else
ORUX_BASE_URL, else https://orux.top.

Exit status:
  0  success: the files are on disk (or, with --no-wait, the task was submitted;
     with --dry-run, the body is valid)
  1  the task failed or expired
  2  usage error: an unknown model, a bad flag or value (nothing was sent), or
     a local I/O error such as an unwritable --out or a full disk
  3  the API refused or could not be reached, or the download failed on the
     network (the .part file is kept: `orux download TASK_ID` resumes it)";

/// Ids of `orux run`'s own options (`run:` keeps them apart from parameter ids).
const OUT: &str = "run:out";
const NO_WAIT: &str = "run:no-wait";
const DRY_RUN: &str = "run:dry-run";
const FORCE: &str = "run:force";
const TIMEOUT: &str = "run:timeout";
const BASE_URL: &str = "run:base-url";
const FORMAT: &str = "run:format";

/// `orux run`, parsed.
#[derive(Debug)]
pub struct RunArgs {
    /// The model (its subcommand).
    pub model: &'static ModelInfo,
    /// The parameters given, in the model's table order.
    pub given: Vec<(&'static FieldInfo, Given)>,
    /// Where the results go [default: the current directory].
    pub out: Option<PathBuf>,
    /// Submit and print the task id; do not wait.
    pub no_wait: bool,
    /// Print the body and send nothing.
    pub dry_run: bool,
    /// Replace result files that already exist.
    pub force: bool,
    /// Give up waiting after this many seconds.
    pub timeout: Option<u64>,
    /// Base URL and output format.
    pub api: ApiOptions,
}

impl RunArgs {
    /// The `run` command for `models`: their subcommands and the shared
    /// options (global, so they go before or after the model).
    pub fn command(run: Command, models: &[&'static ModelInfo]) -> Command {
        let run = run
            .about("Run a model from the command line: flags from its parameter table, then submit, wait and download")
            .subcommand_required(true)
            .disable_help_subcommand(true)
            .subcommand_value_name("MODEL")
            .subcommand_help_heading("Models")
            .after_help(RUN_EXIT_STATUS)
            .next_help_heading("Run options")
            .arg(
                Arg::new(OUT)
                    .long("out")
                    .value_name("DIR")
                    .global(true)
                    .value_parser(clap::value_parser!(PathBuf))
                    .help("Where to save the results [default: the current directory]"),
            )
            .arg(
                Arg::new(NO_WAIT)
                    .long("no-wait")
                    .global(true)
                    .action(ArgAction::SetTrue)
                    .help("Submit, print the task id and stop"),
            )
            .arg(
                Arg::new(DRY_RUN)
                    .long("dry-run")
                    .global(true)
                    .action(ArgAction::SetTrue)
                    .help("Check and print the request body; send nothing"),
            )
            .arg(
                Arg::new(FORCE)
                    .long("force")
                    .global(true)
                    .action(ArgAction::SetTrue)
                    .help("Replace result files that already exist"),
            )
            .arg(
                Arg::new(TIMEOUT)
                    .long("timeout")
                    .value_name("SECS")
                    .global(true)
                    .value_parser(clap::value_parser!(u64).range(1..))
                    .help("Give up after this many seconds, the submission included [default: 1200]"),
            )
            .arg(
                Arg::new(BASE_URL)
                    .long("base-url")
                    .value_name("URL")
                    .global(true)
                    .help("The API's base URL (https, or http to a loopback address)"),
            )
            .arg(
                Arg::new(FORMAT)
                    .long("format")
                    .value_name("FORMAT")
                    .global(true)
                    .value_parser(EnumValueParser::<Format>::new())
                    .help("Output: lines for people, or one JSON object [default: human]"),
            );
        run_flags::add_models(run, models)
    }

    /// Reads parsed matches of [`RunArgs::command`] built for `models`.
    pub fn from_matches(
        matches: &ArgMatches,
        models: &[&'static ModelInfo],
    ) -> Result<RunArgs, clap::Error> {
        let missing = || clap::Error::new(clap::error::ErrorKind::MissingSubcommand);
        let (id, sub) = matches.subcommand().ok_or_else(missing)?;
        let model = models
            .iter()
            .copied()
            .find(|info| info.id == id)
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidSubcommand))?;
        Ok(RunArgs {
            model,
            given: run_flags::given(model, sub),
            out: sub.get_one::<PathBuf>(OUT).cloned(),
            no_wait: sub.get_flag(NO_WAIT),
            dry_run: sub.get_flag(DRY_RUN),
            force: sub.get_flag(FORCE),
            timeout: sub.get_one::<u64>(TIMEOUT).copied(),
            api: ApiOptions {
                base_url: sub.get_one::<String>(BASE_URL).cloned(),
                format: sub
                    .get_one::<Format>(FORMAT)
                    .copied()
                    .unwrap_or(Format::Human),
            },
        })
    }
}

impl FromArgMatches for RunArgs {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        RunArgs::from_matches(matches, &MODELS)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = RunArgs::from_matches(matches, &MODELS)?;
        Ok(())
    }
}

impl clap::Args for RunArgs {
    fn augment_args(cmd: Command) -> Command {
        RunArgs::command(cmd, &MODELS)
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        RunArgs::command(cmd, &MODELS)
    }
}
