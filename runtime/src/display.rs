//! Showing untrusted text to a person: keys, values, model ids and directive
//! tokens from a request body, names from a spec file.
//!
//! Such text is data, never terminal control. [`escape`] writes every control
//! character (C0, DEL, C1) and every bidirectional override or isolate
//! (U+202A–U+202E, U+2066–U+2069) as a `\u001b`-style escape, so nothing in it
//! can move the cursor, set a window title or reorder the line, and nothing is
//! silently dropped either. [`quote`] also bounds the text to
//! [`QUOTE_LIMIT`] characters, so a 10 MB key is not echoed whole.
//!
//! This module stands alone (it uses nothing else of the crate): the generator
//! compiles the same file for its spec diagnostics.

use std::borrow::Cow;
use std::fmt::{self, Write};

/// Most characters of one input value, key or model id that a message quotes;
/// a longer one is cut there and ends with `…`.
pub const QUOTE_LIMIT: usize = 80;

/// Whether `c` must not reach a terminal raw: a C0 control, DEL, a C1
/// control, or a bidirectional embedding, override or isolate.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every [`is_unsafe`] character written as `\uXXXX` (lowercase
/// hex, as JSON writes it); everything else, backslashes included, unchanged.
/// Borrowed when there is nothing to escape. Escaping twice changes nothing.
pub fn escape(text: &str) -> Cow<'_, str> {
    // Printable ASCII is the usual case, and a byte test is enough for it.
    let printable = |b: &u8| matches!(b, b' '..=b'~');
    if text.as_bytes().iter().all(printable) || !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    // Writing into a String cannot fail.
    let _ = push_escaped_prefix(&mut out, text, false, usize::MAX);
    Cow::Owned(out)
}

/// `text` as a JSON string literal, cut after [`QUOTE_LIMIT`] characters with
/// `…`: `"` and `\` are backslash-escaped and every [`is_unsafe`] character
/// is `\uXXXX`. Uncut, the result parses as JSON back to `text`.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4 * QUOTE_LIMIT) + 2);
    push_quoted(&mut out, text);
    out
}

/// Appends [`quote`]`(text)` to `out`, without a `String` of its own.
pub fn push_quoted(out: &mut String, text: &str) {
    // Writing into a String cannot fail.
    let _ = write_quoted(out, text);
}

/// [`quote`]`(text)` as a value to format (`format!("got {}", quoted(text))`):
/// written straight into the message, without a `String` of its own.
/// Width and other format flags are ignored.
pub fn quoted(text: &str) -> Quoted<'_> {
    Quoted(text)
}

/// What [`quoted`] returns.
#[derive(Clone, Copy, Debug)]
pub struct Quoted<'a>(&'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_quoted(f, self.0)
    }
}

fn write_quoted(out: &mut impl Write, text: &str) -> fmt::Result {
    out.write_char('"')?;
    if push_escaped_prefix(out, text, true, QUOTE_LIMIT)? {
        out.write_char('…')?;
    }
    out.write_char('"')
}

/// [`escape`], cut after [`QUOTE_LIMIT`] characters with `…`: for text shown
/// without quotes (a number as written, a file name).
pub fn excerpt(text: &str) -> Cow<'_, str> {
    if text.len() <= QUOTE_LIMIT {
        return escape(text); // no more characters than bytes
    }
    match text.char_indices().nth(QUOTE_LIMIT) {
        None => escape(text),
        Some((cut, _)) => Cow::Owned(format!("{}…", escape(&text[..cut]))),
    }
}

/// Appends the first `limit` characters of `text` to `out`, each as
/// [`push_escaped`] writes it; returns whether `text` has more.
///
/// The runs of characters written unchanged are copied whole, not one
/// character at a time: messages quote many values, nearly all plain ASCII.
fn push_escaped_prefix(
    out: &mut impl Write,
    text: &str,
    quoted: bool,
    limit: usize,
) -> Result<bool, fmt::Error> {
    let bytes = text.as_bytes();
    let plain_ascii = |b: &u8| matches!(b, b' '..=b'~') && !(quoted && matches!(b, b'"' | b'\\'));
    let mut clean = 0; // text[clean..at] is still to be copied unchanged
    let mut at = 0;
    let mut count = 0; // characters before `at`
    while at < bytes.len() {
        // A run of plain ASCII in one tight loop: one byte, one character.
        let room = limit - count;
        let run = bytes
            .get(at..)
            .unwrap_or_default()
            .iter()
            .take(room)
            .take_while(|b| plain_ascii(b))
            .count();
        at += run;
        count += run;
        if at == bytes.len() {
            break;
        }
        if count == limit {
            out.write_str(text.get(clean..at).unwrap_or_default())?;
            return Ok(true);
        }
        let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
            break; // not reached: `at` is a character boundary before the end
        };
        if c.is_ascii() || is_unsafe(c) {
            out.write_str(text.get(clean..at).unwrap_or_default())?;
            push_escaped(out, c, quoted)?;
            clean = at + c.len_utf8();
        }
        at += c.len_utf8();
        count += 1;
    }
    out.write_str(text.get(clean..).unwrap_or_default())?;
    Ok(false)
}

/// Appends `c`: backslash-escaped if it is `"` or `\` and `quoted`, as
/// `\uXXXX` if it [`is_unsafe`], else as it is.
fn push_escaped(out: &mut impl Write, c: char, quoted: bool) -> fmt::Result {
    match c {
        '"' | '\\' if quoted => {
            out.write_char('\\')?;
            out.write_char(c)
        }
        c if is_unsafe(c) => {
            // Every unsafe character is in the Basic Multilingual Plane, so
            // four hex digits always suffice.
            write!(out, "\\u{:04x}", u32::from(c))
        }
        c => out.write_char(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_escaped_never_dropped() {
        assert_eq!(escape("\u{1b}[2Jx"), "\\u001b[2Jx");
        assert_eq!(escape("\u{1b}]0;title\u{7}"), "\\u001b]0;title\\u0007");
        assert_eq!(escape("a\nb\tc\r"), "a\\u000ab\\u0009c\\u000d");
        assert_eq!(
            escape("\u{7f}\u{80}\u{9b}\u{9f}"),
            "\\u007f\\u0080\\u009b\\u009f"
        );
        assert_eq!(escape("abc\u{202e}def"), "abc\\u202edef");
        for c in ('\u{202a}'..='\u{202e}').chain('\u{2066}'..='\u{2069}') {
            assert_eq!(escape(&c.to_string()), format!("\\u{:04x}", u32::from(c)));
        }
    }

    #[test]
    fn other_text_is_unchanged() {
        for text in [
            "",
            "Pan Right",
            "ünïcödé 🎥",
            "a\\u001b",
            "\u{200b}\u{2028}\u{a0}",
            "\"q\"",
        ] {
            assert!(
                matches!(escape(text), Cow::Borrowed(t) if t == text),
                "{text:?}"
            );
        }
        let once = escape("\u{1b}\u{202e}\\");
        assert_eq!(escape(&once), once);
    }

    #[test]
    fn every_char_below_u_00a0_is_either_kept_or_escaped() {
        for code in 0..0xa0u32 {
            let c = char::from_u32(code).unwrap();
            let shown = escape(&c.to_string()).into_owned();
            if (0x20..0x7f).contains(&code) {
                assert_eq!(shown, c.to_string());
            } else {
                assert_eq!(shown, format!("\\u{code:04x}"));
            }
        }
    }

    #[test]
    fn quotes_are_json_literals_and_bounded() {
        assert_eq!(quote("resolution"), "\"resolution\"");
        assert_eq!(quote("a\"b\\c\u{1b}"), r#""a\"b\\c\u001b""#);
        let text = "x\u{202e}\u{85}\"\\\u{0}é";
        let parsed: String = serde_json::from_str(&quote(text)).unwrap();
        assert_eq!(parsed, text);
        let exact = "y".repeat(QUOTE_LIMIT);
        assert_eq!(quote(&exact), format!("\"{exact}\""));
        let long = "é".repeat(10_000_000);
        let quoted = quote(&long);
        assert_eq!(quoted, format!("\"{}…\"", "é".repeat(QUOTE_LIMIT)));
    }

    /// `quote` and `escape` one character at a time, as they were written
    /// before copying runs whole.
    fn quote_by_char(text: &str) -> String {
        let mut out = String::from('"');
        let mut chars = text.chars();
        for c in chars.by_ref().take(QUOTE_LIMIT) {
            push_escaped(&mut out, c, true).unwrap();
        }
        if chars.next().is_some() {
            out.push('…');
        }
        out.push('"');
        out
    }

    fn escape_by_char(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            push_escaped(&mut out, c, false).unwrap();
        }
        out
    }

    #[test]
    fn runs_copied_whole_give_the_same_text() {
        let pieces = [
            "a",
            "Pan Right",
            "\"",
            "\\",
            "\n",
            "\u{1b}",
            "\u{7f}",
            "\u{85}",
            "\u{9f}",
            "\u{a0}",
            "é",
            "日本",
            "🎥",
            "\u{202a}",
            "\u{202e}",
            "\u{202f}",
            "\u{2066}",
            "\u{2069}",
            "\u{206a}",
            "~",
            " ",
            "\u{0}",
        ];
        let mut state = 3_u32;
        for round in 0..4000 {
            let mut text = String::new();
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
            // Up to 127 pieces: around and past QUOTE_LIMIT characters.
            for _ in 0..(state >> 25) {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                text.push_str(pieces[(state >> 16) as usize % pieces.len()]);
            }
            if round % 2 == 0 {
                text = text.chars().take(QUOTE_LIMIT - 2 + round % 5).collect();
            }
            assert_eq!(quote(&text), quote_by_char(&text), "{text:?}");
            assert_eq!(format!("{}", quoted(&text)), quote_by_char(&text));
            let mut pushed = String::from("x");
            push_quoted(&mut pushed, &text);
            assert_eq!(pushed, format!("x{}", quote_by_char(&text)));
            assert_eq!(escape(&text), escape_by_char(&text), "{text:?}");
            let cut = text
                .char_indices()
                .nth(QUOTE_LIMIT)
                .map_or(text.len(), |(at, _)| at);
            let more = if cut < text.len() { "…" } else { "" };
            assert_eq!(
                excerpt(&text),
                format!("{}{more}", escape_by_char(&text[..cut])),
                "{text:?}"
            );
        }
    }

    #[test]
    fn excerpts_are_escaped_and_bounded() {
        assert_eq!(excerpt("8"), "8");
        assert_eq!(excerpt("a\u{1b}"), "a\\u001b");
        let long = "\u{1b}".repeat(QUOTE_LIMIT + 1);
        assert_eq!(
            excerpt(&long),
            format!("{}…", "\\u001b".repeat(QUOTE_LIMIT))
        );
    }
}
