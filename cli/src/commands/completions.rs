//! `orux completions bash|zsh|fish|powershell`: a completion script from the
//! same `clap::Command` the parser uses, so model ids (`orux run <TAB>`), each
//! model's flags and their allowed values come from the catalog.

use std::io;

use clap::CommandFactory;

use crate::api_args::CompletionsArgs;
use crate::args::Cli;
use crate::{Error, Verdict};

/// Writes the script for the shell asked for to standard output.
pub fn run(args: &CompletionsArgs) -> Result<Verdict, Error> {
    let mut command = Cli::command();
    let mut out = io::stdout().lock();
    clap_complete::generate(args.shell, &mut command, "orux", &mut out);
    Ok(Verdict::Success)
}
