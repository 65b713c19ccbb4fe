//! `orux`: see the `orux_cli` library for what each command does.

use std::process::ExitCode;

fn main() -> ExitCode {
    orux_cli::run(&orux_cli::parse())
}
