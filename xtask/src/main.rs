//! `cargo xtask TASK`: dispatches to the task modules of the xtask library
//! (`cargo xtask --help` lists them).

use std::process::ExitCode;

use xtask::root::workspace_root;
use xtask::{USAGE, ci, diff, regenerate, rehearsal, snippets, test};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let task = args.next();
    let root = workspace_root();
    match task.as_deref() {
        Some("regenerate") => regenerate::run(args, &root),
        Some("diff") => diff::run(args, &root),
        Some("test") => test::run(args, &root),
        Some("ci") => ci::run(args, &root),
        Some("snippets") => snippets::task(args, &root),
        Some("rehearse") => rehearsal::task(args, &root),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("cargo xtask: name a task\n\n{USAGE}");
            ExitCode::from(2)
        }
        Some(other) => {
            eprintln!("cargo xtask: unknown task `{other}`\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
