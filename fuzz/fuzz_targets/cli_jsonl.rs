//! The CLI's JSON Lines path: `orux_cli::validate::validate_jsonl` on any
//! input.
//!
//! The first input byte picks the reader's buffer size (1 to 64 bytes, so
//! lines cross buffer boundaries everywhere) and the body-size limit (the
//! default, or 64 bytes so that over-long lines are common); the rest is the
//! input. Oracles: reading from memory never fails; the summary counts every
//! line; there is one JSON result line per non-blank input line, numbered as
//! in the input, with the verdict `TaskRequest::from_json_with_limits` gives
//! that line on its own.

#![no_main]

use std::io::BufReader;

use libfuzzer_sys::fuzz_target;
use orux_cli::validate::validate_jsonl;
use orux_models::{Limits, TaskRequest};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Some((&control, input)) = data.split_first() else {
        return;
    };
    let capacity = usize::from(control & 0x3f) + 1;
    let limits = if control & 0x40 == 0 {
        Limits::default()
    } else {
        Limits {
            max_body_bytes: 64,
            ..Limits::default()
        }
    };
    let mut output = Vec::new();
    let summary = validate_jsonl(
        BufReader::with_capacity(capacity, input),
        &mut output,
        &limits,
    )
    .expect("reading and writing memory cannot fail");

    // The input's lines: split at `\n`; a final `\n` ends the last line
    // rather than starting an empty one.
    let mut lines: Vec<&[u8]> = input.split(|&b| b == b'\n').collect();
    if input.is_empty() || input.ends_with(b"\n") {
        lines.pop();
    }
    let results: Vec<Value> = output
        .split(|&b| b == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| serde_json::from_slice(line).expect("each result is one JSON line"))
        .collect();
    assert_eq!(summary.lines, lines.len() as u64);
    assert_eq!(summary.valid + summary.invalid, results.len() as u64);
    assert_eq!(summary.blank + results.len() as u64, summary.lines);

    let mut results = results.iter();
    for (index, line) in lines.iter().enumerate() {
        if line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
            continue;
        }
        let result = results.next().expect("a result for every non-blank line");
        assert_eq!(result["line"], index + 1, "{result}");
        let valid = TaskRequest::from_json_with_limits(line, &limits).is_ok();
        assert_eq!(result["valid"], valid, "line {}: {result}", index + 1);
        let errors = result["errors"].as_array().expect("an errors list");
        assert_eq!(errors.is_empty(), valid, "line {}: {result}", index + 1);
    }
    assert!(results.next().is_none(), "a result without a line");
});
