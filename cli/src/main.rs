//! `orux`: see the `orux_cli` library for what each command does.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    orux_cli::run(&orux_cli::Cli::parse())
}
