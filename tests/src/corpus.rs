//! The request corpus (`tests/corpus/requests/*.jsonl`, format in
//! `tests/corpus/README.md`), read into [`Case`]s.

use std::path::PathBuf;

use serde_json::Value;

/// One line of the corpus.
#[derive(Clone, Debug)]
pub struct Case {
    /// Unique name, `<file-stem>/<description>`.
    pub name: String,
    /// The exact bytes to validate.
    pub body: Vec<u8>,
    /// The expected verdict.
    pub valid: bool,
    /// Expected error paths, in report order.
    pub errors: Vec<String>,
    /// Expected warning paths.
    pub warnings: Vec<String>,
    /// One expected substring per error message, in order.
    pub message_contains: Vec<String>,
}

/// The corpus directory.
pub fn dir() -> PathBuf {
    crate::spec_cases::root().join("tests/corpus/requests")
}

/// Every case, files in name order, lines in file order.
///
/// A `body` is sent as its compact serialization in the key order it was
/// written (this crate enables `serde_json/preserve_order`).
pub fn load() -> Vec<Case> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("corpus dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    paths.sort();
    let mut cases = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("readable");
        for (number, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let line: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), number + 1));
            let body = if let Some(body) = line.get("body") {
                serde_json::to_vec(body).expect("serializable")
            } else if let Some(raw) = line.get("raw") {
                raw.as_str().expect("raw is a string").as_bytes().to_vec()
            } else {
                let encoded = line["raw_base64"].as_str().expect("raw_base64 is a string");
                decode_base64(encoded)
            };
            cases.push(Case {
                name: line["name"].as_str().expect("name").to_owned(),
                body,
                valid: line["valid"].as_bool().expect("valid"),
                errors: strings(&line, "errors"),
                warnings: strings(&line, "warnings"),
                message_contains: strings(&line, "message_contains"),
            });
        }
    }
    cases
}

fn strings(line: &Value, key: &str) -> Vec<String> {
    line.get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|v| v.as_str().expect("a string").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// A tiny decoder for the corpus's `raw_base64` lines (test data only).
fn decode_base64(text: &str) -> Vec<u8> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for byte in text.bytes().filter(|&b| b != b'=') {
        let value = alphabet.iter().position(|&a| a == byte).expect("base64") as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}
