//! The JSON result object written straight into a byte buffer.
//!
//! `orux validate --jsonl` writes one result per line, and going through
//! `serde_json`'s serializer cost a fifth of the whole run (its string
//! escaping looks at every byte through a table and a call per run). The
//! bytes are the same as `serde_json::to_writer`'s compact output: the tests
//! below compare the two on every kind of byte.

use orux_models::Diagnostic;

use crate::outcome::Outcome;

/// Appends the result object and a newline to `out`:
/// `{"line":N,"valid":…,"model":…,"errors":[…],"warnings":[…]}`, with
/// `"line"` only when `line` is given, in the key order of
/// [`crate::render::write_json`].
pub fn push_result(out: &mut Vec<u8>, outcome: &Outcome, line: Option<u64>) {
    out.push(b'{');
    if let Some(line) = line {
        out.extend_from_slice(b"\"line\":");
        push_u64(out, line);
        out.push(b',');
    }
    out.extend_from_slice(if outcome.is_valid() {
        b"\"valid\":true,\"model\":"
    } else {
        b"\"valid\":false,\"model\":"
    });
    match outcome.model {
        Some(model) => push_str(out, model),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"errors\":");
    push_diagnostics(out, &outcome.errors);
    out.extend_from_slice(b",\"warnings\":");
    push_diagnostics(out, &outcome.warnings);
    out.extend_from_slice(b"}\n");
}

/// `[{"code":…,"path":…,"message":…},…]`: the serialized fields of
/// [`Diagnostic`], in its declaration order.
fn push_diagnostics(out: &mut Vec<u8>, diagnostics: &[Diagnostic]) {
    out.push(b'[');
    for (i, diagnostic) in diagnostics.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"code\":");
        push_str(out, diagnostic.code);
        out.extend_from_slice(b",\"path\":");
        push_str(out, &diagnostic.path);
        out.extend_from_slice(b",\"message\":");
        push_str(out, &diagnostic.message);
        out.push(b'}');
    }
    out.push(b']');
}

/// A decimal number (`itoa`, as `serde_json` writes one).
fn push_u64(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
const QUOTES: u64 = u64::from_ne_bytes([b'"'; 8]);
const BACKSLASHES: u64 = u64::from_ne_bytes([b'\\'; 8]);

/// Whether any byte of `word` is zero (exact for "any", the usual trick).
const fn has_zero(word: u64) -> bool {
    word.wrapping_sub(ONES) & !word & HIGHS != 0
}

/// Whether any of the 8 bytes needs escaping: a control byte (below 0x20),
/// `"` or `\`. Bytes from 0x80 up never count (UTF-8 passes through).
const fn needs_escape(word: u64) -> bool {
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS != 0;
    control || has_zero(word ^ QUOTES) || has_zero(word ^ BACKSLASHES)
}

/// A JSON string literal, escaped exactly like `serde_json`: `\"`, `\\`,
/// `\b \t \n \f \r`, other control bytes as `\u00xx` (lowercase hex),
/// everything else as is. Clean 8-byte blocks are skipped whole; the last
/// partial block is checked as the (overlapping) last 8 bytes.
fn push_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut clean = 0; // bytes[clean..at] are still to be copied as they are
    let mut at = 0;
    while at < bytes.len() {
        let word = if let Some(block) = bytes.get(at..at + 8) {
            Some(block)
        } else if bytes.len() >= 8 {
            // The tail, as the last 8 bytes: the ones before `at` were clean.
            bytes.get(bytes.len() - 8..)
        } else {
            None
        };
        if let Some(block) = word {
            let mut word = [0u8; 8];
            word.copy_from_slice(block);
            if !needs_escape(u64::from_ne_bytes(word)) {
                at = (at + 8).min(bytes.len());
                continue;
            }
        }
        // Byte by byte until the end of this block (or of the text).
        let end = (at + 8).min(bytes.len());
        while at < end {
            let byte = bytes[at];
            if !ESCAPED[usize::from(byte)] {
                at += 1;
                continue;
            }
            out.extend_from_slice(&bytes[clean..at]);
            match byte {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                0x08 => out.extend_from_slice(b"\\b"),
                b'\t' => out.extend_from_slice(b"\\t"),
                b'\n' => out.extend_from_slice(b"\\n"),
                0x0C => out.extend_from_slice(b"\\f"),
                b'\r' => out.extend_from_slice(b"\\r"),
                _ => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.extend_from_slice(b"\\u00");
                    out.push(HEX[usize::from(byte >> 4)]);
                    out.push(HEX[usize::from(byte & 0xF)]);
                }
            }
            at += 1;
            clean = at;
        }
    }
    out.extend_from_slice(&bytes[clean..]);
    out.push(b'"');
}

/// The bytes [`push_str`] escapes: control bytes, `"` and `\`.
const ESCAPED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

#[cfg(test)]
mod tests {
    use super::*;
    use orux_models::Limits;

    fn escaped(text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        push_str(&mut out, text);
        out
    }

    #[test]
    fn strings_are_escaped_like_serde_json() {
        // Every ASCII byte, each at every offset in a block, and UTF-8.
        let mut texts: Vec<String> = (0u8..0x80)
            .flat_map(|b| {
                (0..10).map(move |pad| format!("{}{}tail", "x".repeat(pad), char::from(b)))
            })
            .collect();
        texts.extend(
            [
                "",
                "plain text that is longer than one block",
                "é ü 日本 \u{7f} \u{202e}",
                "\"quoted\" \\back\\ \u{0}\u{1f}",
                "ends with a quote\"",
            ]
            .map(str::to_owned),
        );
        let all: String = (0u8..0x80).map(char::from).collect();
        texts.push(all.repeat(3));
        for text in &texts {
            assert_eq!(escaped(text), serde_json::to_vec(text).unwrap(), "{text:?}");
        }
    }

    #[test]
    fn numbers_are_decimal() {
        for n in [0, 7, 10, 99, 100, 12_345, u64::MAX] {
            let mut out = Vec::new();
            push_u64(&mut out, n);
            assert_eq!(out, n.to_string().as_bytes());
        }
    }

    #[test]
    fn results_match_the_serde_rendering() {
        let bodies: [&[u8]; 6] = [
            br#"{"model":"sora2","prompt":"a boat"}"#,
            br#"{"model":"sora2","prompt":"","duration":8,"resolution":"4k"}"#,
            br#"{"model":"sora-2-pro"}"#,
            br#"{"model":"hailuo-02","prompt":"[Pan Rihgt] a \"boat\"\n\u0001"}"#,
            b"{\"model\":\"sora2\",\"prompt\":\"\xff\"}",
            b"not json",
        ];
        for body in bodies {
            let outcome = Outcome::of_body(body, &Limits::default());
            for line in [None, Some(1), Some(123_456_789)] {
                let mut fast = Vec::new();
                push_result(&mut fast, &outcome, line);
                let mut serde = Vec::new();
                crate::render::write_json_serde(&mut serde, &outcome, line).unwrap();
                assert_eq!(
                    String::from_utf8_lossy(&fast),
                    String::from_utf8_lossy(&serde)
                );
            }
        }
    }
}
