//! The one JSON writer of the CLI: every JSON object `orux` prints goes
//! through [`write`] (or [`write_pretty`]), or, for `orux validate`'s
//! results, through [`push_result`], which writes the same bytes faster.
//!
//! JSON written for a terminal must not carry terminal control: besides what
//! JSON escapes (`"`, `\`, C0 controls), DEL, the C1 controls (U+0080 to
//! U+009F; U+009B is an 8-bit CSI) and the bidirectional overrides and
//! isolates (U+202A to U+202E, U+2066 to U+2069) are written as `\uXXXX`,
//! exactly the characters `orux_models::display::is_unsafe` names. That is
//! still JSON, with the same value; `serde_json` alone leaves them raw.
//!
//! The writers take typed `Serialize` structs, whose fields are written in
//! declaration order: no `serde_json::Value` map, whose key order would
//! depend on whether some crate in the build turned on serde_json's
//! `preserve_order` (the test build does; `cargo install` does not).
//!
//! `orux validate --jsonl` writes one result per line, and going through
//! `serde_json`'s serializer cost a fifth of the whole run (its string
//! escaping looks at every byte through a table and a call per run), so
//! [`push_result`] writes straight into a byte buffer; the tests below
//! compare it with [`write`] on every kind of character.

use std::io;

use orux_models::Diagnostic;
use orux_models::display::is_unsafe;
use serde::Serialize;
use serde_json::ser::{CharEscape, CompactFormatter, Formatter, PrettyFormatter};

use crate::outcome::Outcome;

/// Writes `value` as one line of compact JSON, escaped for a terminal.
pub fn write<T: Serialize + ?Sized>(out: &mut impl io::Write, value: &T) -> io::Result<()> {
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut *out, TerminalSafe(CompactFormatter));
    value.serialize(&mut serializer).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// Writes `value` as indented JSON and a newline, escaped for a terminal.
pub fn write_pretty<T: Serialize + ?Sized>(out: &mut impl io::Write, value: &T) -> io::Result<()> {
    let formatter = TerminalSafe(PrettyFormatter::new());
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, formatter);
    value.serialize(&mut serializer).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// A `serde_json` formatter that writes the characters `serde_json` leaves
/// raw but a terminal would obey (DEL, C1, bidi controls) as `\uXXXX`;
/// everything else is the inner formatter's.
struct TerminalSafe<F>(F);

impl<F: Formatter> Formatter for TerminalSafe<F> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut clean = 0;
        for (at, c) in fragment.char_indices() {
            if is_unsafe(c) {
                writer.write_all(fragment.get(clean..at).unwrap_or_default().as_bytes())?;
                write!(writer, "\\u{:04x}", u32::from(c))?;
                clean = at + c.len_utf8();
            }
        }
        writer.write_all(fragment.get(clean..).unwrap_or_default().as_bytes())
    }

    fn write_char_escape<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        escape: CharEscape,
    ) -> io::Result<()> {
        self.0.write_char_escape(writer, escape)
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn end_object_key<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_key(writer)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

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
const DELS: u64 = u64::from_ne_bytes([0x7F; 8]);
/// The first byte of every character from U+0080 to U+00BF (the C1
/// controls among them).
const C2S: u64 = u64::from_ne_bytes([0xC2; 8]);
/// The first byte of every character from U+2000 to U+2FFF (the bidi
/// controls among them).
const E2S: u64 = u64::from_ne_bytes([0xE2; 8]);

/// The high bit of each byte of the little-endian `word` that may need
/// escaping (a control byte below 0x20, `"`, `\`, DEL, or the first byte of
/// a character in a block with C1 or bidi controls), exact up to the lowest
/// such byte: `(x - 0x01..) & !x & 0x80..` marks the bytes of `x` that are
/// zero, and with 0x20 in place of 0x01 the bytes below 0x20, where a borrow
/// can only add false marks above a true one (Bit Twiddling Hacks,
/// "haszero"/"hasless"). Other bytes from 0x80 up are masked by `!x`: most
/// UTF-8 passes through without a look.
const fn escape_marks(word: u64) -> u64 {
    const fn zero_marks(x: u64) -> u64 {
        x.wrapping_sub(ONES) & !x
    }
    let control = word.wrapping_sub(ONES * 0x20) & !word;
    let json = control | zero_marks(word ^ QUOTES) | zero_marks(word ^ BACKSLASHES);
    let terminal = zero_marks(word ^ DELS) | zero_marks(word ^ C2S) | zero_marks(word ^ E2S);
    (json | terminal) & HIGHS
}

/// Index of the first byte at or after `from` that may need escaping, or
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

/// A JSON string literal, escaped as [`write`] escapes it: `serde_json`'s
/// escapes (`\"`, `\\`, `\b \t \n \f \r`, other control bytes as
/// `\u00xx`), and DEL, C1 and bidi controls as `\uXXXX` (lowercase hex);
/// everything else as is. Each run of bytes between two escapes is copied
/// whole, so quoted values inside a message cost one escape each rather
/// than a byte-by-byte pass over their word.
fn push_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut clean = 0; // bytes[clean..] are still to be written
    let mut from = 0; // where to look for the next escape
    loop {
        let at = next_escaped(bytes, from);
        let Some(&byte) = bytes.get(at) else { break };
        let width = match byte {
            // A character that may be a C1 or bidi control: `\u` and its
            // code point when it is one, kept as it is when not.
            0xC2 | 0xE2 => match text.get(at..).and_then(|rest| rest.chars().next()) {
                Some(c) if is_unsafe(c) => {
                    out.extend_from_slice(bytes.get(clean..at).unwrap_or_default());
                    push_unicode_escape(out, u32::from(c));
                    c.len_utf8()
                }
                _ => {
                    from = at + 1;
                    continue;
                }
            },
            _ => {
                out.extend_from_slice(bytes.get(clean..at).unwrap_or_default());
                match byte {
                    b'"' => out.extend_from_slice(b"\\\""),
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    0x08 => out.extend_from_slice(b"\\b"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    0x0C => out.extend_from_slice(b"\\f"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => push_unicode_escape(out, u32::from(byte)),
                }
                1
            }
        };
        clean = at + width;
        from = clean;
    }
    out.extend_from_slice(bytes.get(clean..).unwrap_or_default());
    out.push(b'"');
}

/// `\u` and four lowercase hex digits: every character escaped this way is
/// in the Basic Multilingual Plane.
fn push_unicode_escape(out: &mut Vec<u8>, code: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.extend_from_slice(b"\\u");
    for shift in [12, 8, 4, 0] {
        out.push(HEX[(code >> shift & 0xF) as usize]);
    }
}

/// The bytes [`next_escaped`] stops at: control bytes, `"`, `\`, DEL and
/// the first bytes of the blocks with C1 and bidi controls.
const ESCAPED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[0x7F] = true;
    table[0xC2] = true;
    table[0xE2] = true;
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

    /// A string as [`write`] writes it, without its newline.
    fn written(text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        write(&mut out, text).unwrap();
        assert_eq!(out.pop(), Some(b'\n'));
        out
    }

    #[test]
    fn strings_are_escaped_like_the_serde_writer() {
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
                "\u{80}\u{9b}\u{9f}\u{a0}\u{bf} \u{2026}\u{2029}\u{202a}\u{202f}\u{2066}\u{2069}\u{206a}",
                "\"quoted\" \\back\\ \u{0}\u{1f}",
                "ends with a quote\"",
            ]
            .map(str::to_owned),
        );
        let all: String = (0u8..0x80).map(char::from).collect();
        texts.push(all.repeat(3));
        for text in &texts {
            assert_eq!(escaped(text), written(text), "{text:?}");
        }
    }

    #[test]
    fn dense_and_sparse_escapes_match_the_serde_writer() {
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
            "\u{7f}",
            "\u{85}",
            "\u{9b}",
            "\u{a0}",
            "\u{202e}",
            "\u{2066}",
            "\u{2026}",
            "€",
        ];
        let mut state = 11_u32;
        for _ in 0..3000 {
            let mut text = String::new();
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
            for _ in 0..(state >> 27) {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                text.push_str(pieces[(state >> 16) as usize % pieces.len()]);
            }
            assert_eq!(escaped(&text), written(&text), "{text:?}");
        }
    }

    /// Every character a terminal would obey is `\uXXXX`, in both writers,
    /// and the JSON still reads back as the same text.
    #[test]
    fn terminal_controls_are_escaped_and_the_value_is_kept() {
        let controls = (0u32..0x20)
            .chain(0x7f..0xa0)
            .chain(0x202a..=0x202e)
            .chain(0x2066..=0x2069)
            .filter_map(char::from_u32);
        for c in controls {
            let text = format!("a{c}b");
            for bytes in [escaped(&text), written(&text)] {
                let json = String::from_utf8(bytes).unwrap();
                assert!(!json.chars().any(is_unsafe), "{c:?}: {json:?}");
                assert_eq!(serde_json::from_str::<String>(&json).unwrap(), text);
            }
        }
        let mut pretty = Vec::new();
        write_pretty(&mut pretty, &["\u{9b}2J", "\u{202e}"]).unwrap();
        assert_eq!(
            String::from_utf8(pretty).unwrap(),
            "[\n  \"\\u009b2J\",\n  \"\\u202e\"\n]\n"
        );
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
    fn results_match_the_serde_writer() {
        let bodies: [&[u8]; 7] = [
            br#"{"model":"sora2","prompt":"a boat"}"#,
            br#"{"model":"sora2","prompt":"","duration":8,"resolution":"4k"}"#,
            br#"{"model":"sora-2-pro"}"#,
            br#"{"model":"hailuo-02","prompt":"[Pan Rihgt] a \"boat\"\n\u0001"}"#,
            "{\"model\":\"sora2\",\"\u{202e}\u{9b}\u{7f}\":1,\"prompt\":\"\u{2026}\"}".as_bytes(),
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
