//! Writes the CLI benchmark's JSON Lines input to stdout:
//! `orux-bench-lines COUNT` repeats the one-line corpus bodies to COUNT lines,
//! and prints the count of lines, bytes and valid lines to stderr.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let count = match std::env::args().nth(1).map(|arg| arg.parse::<u64>()) {
        Some(Ok(count)) => count,
        _ => {
            eprintln!("usage: orux-bench-lines COUNT > lines.jsonl");
            return ExitCode::from(2);
        }
    };
    let cases = orux_spec_tests::corpus::load();
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    match orux_benches::lines::write(&mut out, &cases, count).and_then(|w| out.flush().map(|()| w))
    {
        Ok(written) => {
            eprintln!(
                "{} lines, {} bytes, {} valid",
                written.lines, written.bytes, written.valid
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("orux-bench-lines: {error}");
            ExitCode::from(2)
        }
    }
}
