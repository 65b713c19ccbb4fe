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

/// The high bit of each byte of the little-endian `word` that needs escaping
/// (a control byte below 0x20, `"` or `\`), exact up to the lowest such
/// byte: `(x - 0x01..) & !x & 0x80..` marks the bytes of `x` that are zero,
/// and with 0x20 in place of 0x01 the bytes below 0x20, where a borrow can
/// only add false marks above a true one (Bit Twiddling Hacks, "haszero"/
/// "hasless"). Bytes from 0x80 up are masked by `!x`: UTF-8 passes through.
const fn escape_marks(word: u64) -> u64 {
    const fn zero_marks(x: u64) -> u64 {
        x.wrapping_sub(ONES) & !x
    }
    let control = word.wrapping_sub(ONES * 0x20) & !word;
    (control | zero_marks(word ^ QUOTES) | zero_marks(word ^ BACKSLASHES)) & HIGHS
}

/// Index of the first byte at or after `from` that needs escaping, or
/// `bytes.len()`: eight bytes at a time, the position in a word with a hit
/// read off its lowest mark.
fn next_escaped(bytes: &[u8], from: usize) -> usize {
    let rest = bytes.get(from..).unwrap_or_default();
    let (words, tail) = rest.as_chunks::<8>();
    for (n, word) in words.iter().enumerate() {
        let marks = escape_marks(u64::from_le_bytes(*word));
        if marks != 0 {
            // The lowest mark is bit 7 of its byte.
            return from + n * 8 + marks.trailing_zeros() as usize / 8;
        }
    }
    let tail_start = from + words.len() * 8;
    tail.iter()
        .position(|&byte| ESCAPED[usize::from(byte)])
        .map_or(bytes.len(), |within| tail_start + within)
}

/// A JSON string literal, escaped exactly like `serde_json`: `\"`, `\\`,
/// `\b \t \n \f \r`, other control bytes as `\u00xx` (lowercase hex),
/// everything else as is. Each run of bytes between two escapes is copied
/// whole, so quoted values inside a message cost one escape each rather
/// than a byte-by-byte pass over their word.
fn push_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut clean = 0; // bytes[clean..] are still to be written
    loop {
        let at = next_escaped(bytes, clean);
        out.extend_from_slice(bytes.get(clean..at).unwrap_or_default());
        let Some(&byte) = bytes.get(at) else { break };
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
        clean = at + 1;
    }
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
    fn dense_and_sparse_escapes_match_serde_json() {
        // Escapes next to each other, in every lane of a word, between runs
        // of every length, with multi-byte characters around them.
        let pieces = [
            "\"",
            "\\",
            "\n",
            "\u{1}",
            "\u{1f}",
            "a",
            "bcdefghij",
            "é",
            "日本",
            " ",
        ];
        let mut state = 11_u32;
        for _ in 0..3000 {
            let mut text = String::new();
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
            for _ in 0..(state >> 27) {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                text.push_str(pieces[(state >> 16) as usize % pieces.len()]);
            }
            assert_eq!(
                escaped(&text),
                serde_json::to_vec(&text).unwrap(),
                "{text:?}"
            );
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
