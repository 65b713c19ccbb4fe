//! A one-pass, borrowing JSON scanner for request bodies.
//!
//! Validation needs things a `serde_json::Value` tree cannot give: the byte
//! offset of every error, every occurrence of a duplicated key (`serde_json`
//! silently keeps the last one), a nesting limit enforced without recursion,
//! and no copy of the 100 KB base64 image string. So this module scans the
//! body once, keeps only the top-level entries, and hands nested containers
//! back as grammar-checked raw text (see [`parse_object`] for the one place
//! that looks inside one).

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use crate::display;

/// Size, nesting and member-count limits applied while scanning a body.
///
/// Together they bound the work and memory one body can cost: the scan is one
/// linear pass over at most `max_body_bytes`; nesting is tracked on the heap,
/// one byte per open bracket, never on the call stack, up to `max_depth`; and
/// the objects whose members are kept in memory (the body itself, and Veo's
/// `image` object) hold at most `max_members` entries. Exceeding any of them
/// is a parse error at path `""` whose message names the limit and its value.
///
/// Change one and keep the others with struct update syntax
/// (`Limits { max_body_bytes: 1024, ..Limits::default() }`); an example
/// is at `orux_models::TaskRequest::from_json_with_limits`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted body, in bytes; checked before anything else.
    pub max_body_bytes: usize,
    /// Deepest accepted nesting of objects and arrays; the top-level object is depth 1.
    pub max_depth: usize,
    /// Most members accepted in one object whose members are kept in memory:
    /// the top-level object and the nested objects the validator reads
    /// (Veo's `{"task_id": …}`). Other nested containers are only
    /// grammar-checked, never stored, so they are bounded by the body size.
    pub max_members: usize,
}

impl Default for Limits {
    /// 20 MiB, 64 levels and 1,000 members: room for a large base64 image and
    /// for every field of any model a hundred times over, far below what would
    /// make a hostile body expensive (a 20 MiB body of `"a":1,` members would
    /// otherwise keep about 3.5 million entries, some 250 MB).
    fn default() -> Self {
        Limits {
            max_body_bytes: 20 * 1024 * 1024,
            max_depth: 64,
            max_members: 1_000,
        }
    }
}

/// One scanned JSON value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value<'a> {
    /// A string, unescaped; `Borrowed` when the source had no escapes.
    String(Cow<'a, str>),
    /// The raw text of a number, checked against the JSON grammar (see `number_as_integer`).
    Number(&'a str),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// The raw text of a whole object `{…}`, grammar-checked but not parsed further.
    Object(&'a str),
    /// The raw text of a whole array `[…]`, grammar-checked but not parsed further.
    Array(&'a str),
}

/// One `"key": value` member of an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The key, unescaped.
    pub key: Cow<'a, str>,
    /// The value.
    pub value: Value<'a>,
    /// Byte offset of the key's opening quote in the original body.
    pub key_offset: usize,
    /// Byte offset of the value's first byte in the original body.
    pub value_offset: usize,
}

/// The members of a scanned object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Object<'a> {
    /// The first occurrence of each key, in document order.
    pub entries: Vec<Entry<'a>>,
    /// Later occurrences of an already-seen key, in document order; the
    /// caller decides what a duplicate means (the API rejects them).
    pub duplicates: Vec<Entry<'a>>,
}

impl<'a> Object<'a> {
    /// The first entry whose key is exactly `key`, if any.
    pub fn get(&self, key: &str) -> Option<&Entry<'a>> {
        self.entries.iter().find(|entry| entry.key == key)
    }
}

/// Why a body is not an acceptable JSON object, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// Byte offset into the original body.
    pub offset: usize,
    /// What went wrong.
    pub kind: JsonErrorKind,
}

/// The kinds of [`JsonError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonErrorKind {
    /// The body is larger than [`Limits::max_body_bytes`].
    TooLarge {
        /// The limit in bytes.
        limit: usize,
        /// The body's size in bytes.
        size: usize,
    },
    /// The body is not valid UTF-8; the offset is that of the first bad byte.
    InvalidUtf8,
    /// The body is empty or only whitespace.
    Empty,
    /// The body is a JSON value other than an object.
    NotAnObject {
        /// What it is instead: "array", "string", "number", "boolean" or "null".
        found: &'static str,
    },
    /// The body ends in the middle of a value.
    UnexpectedEnd,
    /// A character that the grammar does not allow here.
    UnexpectedChar {
        /// The character found.
        found: char,
        /// What the grammar allows here, as a phrase ("',' or '}'").
        expected: &'static str,
    },
    /// A backslash escape that JSON does not define, or a malformed `\u` escape.
    InvalidEscape,
    /// A `\u` escape of a UTF-16 surrogate without its other half.
    LoneSurrogate,
    /// A raw control character (below U+0020) inside a string.
    ControlCharInString,
    /// A number that does not follow the JSON grammar (`01`, `1.`, `.5`, `+1`, `NaN`).
    InvalidNumber,
    /// Objects and arrays nested deeper than [`Limits::max_depth`].
    TooDeep {
        /// The depth limit.
        limit: usize,
    },
    /// An object with more members than [`Limits::max_members`]; the offset
    /// is that of the first member over the limit.
    TooManyMembers {
        /// The member limit.
        limit: usize,
    },
    /// Something other than whitespace after the top-level object.
    TrailingCharacters,
}

impl crate::ValidationErrors {
    /// The error for a body of `size` bytes over `limits.max_body_bytes`, for a
    /// caller that stopped reading it (a stream) instead of passing it whole.
    pub fn body_too_large(size: u64, limits: &Limits) -> crate::ValidationErrors {
        JsonError {
            offset: 0,
            kind: JsonErrorKind::TooLarge {
                limit: limits.max_body_bytes,
                size: usize::try_from(size).unwrap_or(usize::MAX),
            },
        }
        .into()
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.offset;
        match self.kind {
            JsonErrorKind::TooLarge { limit, size } => write!(
                f,
                "request body is {size} bytes, over the limit of {limit} bytes (max_body_bytes)"
            ),
            JsonErrorKind::InvalidUtf8 => {
                write!(f, "request body is not valid UTF-8 at byte {at}")
            }
            JsonErrorKind::Empty => {
                write!(f, "request body is empty; expected a JSON object")
            }
            JsonErrorKind::NotAnObject { found } => {
                let article = match found {
                    "array" => "an ",
                    "null" => "",
                    _ => "a ",
                };
                write!(
                    f,
                    "request body must be a JSON object, but it is {article}{found} (at byte {at})"
                )
            }
            JsonErrorKind::UnexpectedEnd => {
                write!(f, "invalid JSON at byte {at}: unexpected end of input")
            }
            JsonErrorKind::UnexpectedChar { found, expected } => write!(
                f,
                "invalid JSON at byte {at}: expected {expected} but found '{}'",
                display::escape(found.encode_utf8(&mut [0; 4]))
            ),
            JsonErrorKind::InvalidEscape => {
                write!(f, "invalid JSON at byte {at}: invalid escape sequence")
            }
            JsonErrorKind::LoneSurrogate => write!(
                f,
                "invalid JSON at byte {at}: \\u escape is half of a UTF-16 surrogate pair"
            ),
            JsonErrorKind::ControlCharInString => write!(
                f,
                "invalid JSON at byte {at}: unescaped control character in a string"
            ),
            JsonErrorKind::InvalidNumber => {
                write!(f, "invalid JSON at byte {at}: invalid number")
            }
            JsonErrorKind::TooDeep { limit } => write!(
                f,
                "JSON nesting deeper than the limit of {limit} levels (max_depth) at byte {at}"
            ),
            JsonErrorKind::TooManyMembers { limit } => write!(
                f,
                "JSON object has more than the limit of {limit} members (max_members) at byte {at}"
            ),
            JsonErrorKind::TrailingCharacters => write!(
                f,
                "invalid JSON at byte {at}: unexpected data after the JSON object"
            ),
        }
    }
}

impl std::error::Error for JsonError {}

/// Scans a request body that must be exactly one JSON object.
///
/// Checks the size first (so an oversized body costs nothing more), then
/// UTF-8, then the grammar. Whitespace around the object is allowed; anything
/// else after it is `JsonErrorKind::TrailingCharacters`. A byte order mark
/// is not whitespace (RFC 8259 §8.1 forbids sending one), so it is rejected.
/// A body that is not valid UTF-8 is always `JsonErrorKind::InvalidUtf8`
/// at the first bad byte, whatever grammar error comes before it.
pub fn parse_body<'a>(body: &'a [u8], limits: &Limits) -> Result<Object<'a>, JsonError> {
    check_size(body.len(), 0, limits)?;
    Scanner::new(utf8(body)?, 0, limits).top_level()
}

/// `body` as text, or `InvalidUtf8` at its first bad byte.
///
/// `simdutf8` checks 32 bytes per step where `str::from_utf8` does one
/// character (16 bytes for pure ASCII): the check of the whole body was a
/// twentieth of all the work of `orux validate --jsonl`, most of it on long
/// non-ASCII prompts. Its fast API only says yes or no, so the offset of
/// the bad byte comes from `std` on that (rare) path.
fn utf8(body: &[u8]) -> Result<&str, JsonError> {
    simdutf8::basic::from_utf8(body).map_err(|_| JsonError {
        offset: std::str::from_utf8(body)
            .err()
            .map_or(0, |bad| bad.valid_up_to()),
        kind: JsonErrorKind::InvalidUtf8,
    })
}

/// Scans `text`, the raw text of a [`Value::Object`], like [`parse_body`].
///
/// Offsets in the result and in errors are `base_offset` plus the offset in
/// `text`, so passing the value's `value_offset` makes them point into the
/// original body. Depth counts from this object as 1.
pub fn parse_object<'a>(
    text: &'a str,
    base_offset: usize,
    limits: &Limits,
) -> Result<Object<'a>, JsonError> {
    check_size(text.len(), base_offset, limits)?;
    Scanner::new(text, base_offset, limits).top_level()
}

/// The integer a JSON number denotes, if it denotes one that fits `i64`.
///
/// Works on the decimal digits, never through `f64`, so `"5.0"`, `"5e0"`,
/// `"0.5e1"` and `"50e-1"` are all `Some(5)`, `"-0"` is `Some(0)`, while
/// `"5.5"`, `"1e400"` and `"99999999999999999999"` are `None`. The work is
/// linear in `raw.len()` whatever the exponent (`"1e999999999"`). Text that
/// is not a JSON number gives `None`.
pub fn number_as_integer(raw: &str) -> Option<i64> {
    let parts = NumberParts::split(raw.as_bytes())?;
    let digits = || parts.int.iter().chain(parts.frac);
    let total = parts.int.len() + parts.frac.len();
    let leading_zeros = digits().take_while(|&&d| d == b'0').count();
    if leading_zeros == total {
        return Some(0); // every digit is zero, whatever the sign and exponent
    }
    let trailing_zeros = digits().rev().take_while(|&&d| d == b'0').count();
    let significant = total - leading_zeros - trailing_zeros;
    // value = (significant digits, no trailing zero) * 10^exponent
    let exponent = parts
        .exponent
        .saturating_sub(i64::try_from(parts.frac.len()).ok()?)
        .saturating_add(i64::try_from(trailing_zeros).ok()?);
    // A negative exponent leaves a fraction: the last significant digit is not 0.
    let exponent = usize::try_from(exponent).ok()?;
    // 20 or more digits is at least 10^19, beyond i64 (about 9.22 * 10^18).
    if significant.checked_add(exponent)? > 19 {
        return None;
    }
    let mut magnitude: u64 = 0;
    for &d in digits().skip(leading_zeros).take(significant) {
        magnitude = magnitude
            .checked_mul(10)?
            .checked_add(u64::from(d - b'0'))?;
    }
    magnitude = magnitude.checked_mul(10u64.checked_pow(u32::try_from(exponent).ok()?)?)?;
    if parts.negative {
        0i64.checked_sub_unsigned(magnitude)
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// A JSON number split into its grammar parts, for [`number_as_integer`].
struct NumberParts<'a> {
    negative: bool,
    int: &'a [u8],
    frac: &'a [u8],
    /// The exponent, saturated: anything past ±9.2e18 is far beyond i64 anyway.
    exponent: i64,
}

impl<'a> NumberParts<'a> {
    fn split(raw: &'a [u8]) -> Option<Self> {
        let (negative, rest) = match raw {
            [b'-', rest @ ..] => (true, rest),
            _ => (false, raw),
        };
        let (int, rest) = split_digits(rest);
        if int.is_empty() || (int.len() > 1 && int.first() == Some(&b'0')) {
            return None;
        }
        let (frac, rest) = match rest {
            [b'.', rest @ ..] => match split_digits(rest) {
                ([], _) => return None,
                found => found,
            },
            _ => (&[][..], rest),
        };
        let (exponent, rest) = match rest {
            [b'e' | b'E', rest @ ..] => {
                let (negative_exp, rest) = match rest {
                    [b'-', rest @ ..] => (true, rest),
                    [b'+', rest @ ..] => (false, rest),
                    _ => (false, rest),
                };
                let (digits, rest) = split_digits(rest);
                if digits.is_empty() {
                    return None;
                }
                let magnitude = digits.iter().fold(0i64, |acc, &d| {
                    acc.saturating_mul(10).saturating_add(i64::from(d - b'0'))
                });
                (if negative_exp { -magnitude } else { magnitude }, rest)
            }
            _ => (0, rest),
        };
        rest.is_empty().then_some(NumberParts {
            negative,
            int,
            frac,
            exponent,
        })
    }
}

/// Splits off the leading ASCII digits of `bytes`.
fn split_digits(bytes: &[u8]) -> (&[u8], &[u8]) {
    let count = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    bytes.split_at(count)
}

fn check_size(size: usize, offset: usize, limits: &Limits) -> Result<(), JsonError> {
    if size > limits.max_body_bytes {
        return Err(JsonError {
            offset,
            kind: JsonErrorKind::TooLarge {
                limit: limits.max_body_bytes,
                size,
            },
        });
    }
    Ok(())
}

/// Cursor over the text being scanned.
///
/// Invariant: `pos` only ever moves past whole ASCII bytes or whole strings,
/// so it always sits on a UTF-8 character boundary and every slice taken at a
/// `pos` is valid.
struct Scanner<'a, 'l> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Added to every local offset so errors point into the original body.
    base: usize,
    limits: &'l Limits,
}

impl<'a, 'l> Scanner<'a, 'l> {
    fn new(text: &'a str, base: usize, limits: &'l Limits) -> Self {
        Scanner {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            base,
            limits,
        }
    }

    fn error(&self, at: usize, kind: JsonErrorKind) -> JsonError {
        JsonError {
            offset: self.base.saturating_add(at),
            kind,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// `text[start..end]`; both ends are character boundaries by the
    /// struct's invariant, so the empty fallback is never taken.
    fn slice(&self, start: usize, end: usize) -> &'a str {
        self.text.get(start..end).unwrap_or_default()
    }

    fn char_at(&self, at: usize) -> char {
        self.text
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .unwrap_or(char::REPLACEMENT_CHARACTER)
    }

    /// The error for whatever is at `pos` when the grammar wanted `expected`.
    fn unexpected(&self, expected: &'static str) -> JsonError {
        match self.peek() {
            None => self.error(self.pos, JsonErrorKind::UnexpectedEnd),
            Some(_) => self.error(
                self.pos,
                JsonErrorKind::UnexpectedChar {
                    found: self.char_at(self.pos),
                    expected,
                },
            ),
        }
    }

    fn expect(&mut self, byte: u8, expected: &'static str) -> Result<(), JsonError> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected(expected))
        }
    }

    fn top_level(mut self) -> Result<Object<'a>, JsonError> {
        self.skip_whitespace();
        match self.peek() {
            None => return Err(self.error(self.pos, JsonErrorKind::Empty)),
            Some(b'{') => {}
            Some(_) => return Err(self.not_an_object()),
        }
        if self.limits.max_depth == 0 {
            return Err(self.error(self.pos, JsonErrorKind::TooDeep { limit: 0 }));
        }
        let all = self.members()?;
        self.skip_whitespace();
        if self.pos != self.bytes.len() {
            return Err(self.error(self.pos, JsonErrorKind::TrailingCharacters));
        }
        Ok(split_duplicates(all))
    }

    /// Names what the body is instead of an object, from its first byte; a
    /// misspelled literal (`nul`) or other garbage is a plain syntax error.
    fn not_an_object(&self) -> JsonError {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        let found = match rest {
            [b'[', ..] => "array",
            [b'"', ..] => "string",
            [b'-' | b'0'..=b'9', ..] => "number",
            [b't', b'r', b'u', b'e', ..] | [b'f', b'a', b'l', b's', b'e', ..] => "boolean",
            [b'n', b'u', b'l', b'l', ..] => "null",
            _ => return self.unexpected("'{'"),
        };
        self.error(self.pos, JsonErrorKind::NotAnObject { found })
    }

    /// Scans the object at `pos` (which is `{`), keeping its members.
    fn members(&mut self) -> Result<Vec<Entry<'a>>, JsonError> {
        self.pos += 1;
        // Room for a typical body's members at once, rather than growing
        // from 4 to 8 (most bodies have 2 to 8; nested objects are rarely
        // read into memory).
        let mut entries = Vec::with_capacity(8);
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Vec::new());
        }
        loop {
            if self.peek() != Some(b'"') {
                return Err(self.unexpected(if entries.is_empty() {
                    "a string key or '}'"
                } else {
                    "a string key"
                }));
            }
            let key_offset = self.pos;
            if entries.len() >= self.limits.max_members {
                return Err(self.error(
                    key_offset,
                    JsonErrorKind::TooManyMembers {
                        limit: self.limits.max_members,
                    },
                ));
            }
            let key = self.string(true)?;
            self.skip_whitespace();
            self.expect(b':', "':'")?;
            self.skip_whitespace();
            let value_offset = self.pos;
            let value = self.value()?;
            entries.push(Entry {
                key,
                value,
                key_offset: self.base.saturating_add(key_offset),
                value_offset: self.base.saturating_add(value_offset),
            });
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_whitespace();
                }
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(entries);
                }
                _ => return Err(self.unexpected("',' or '}'")),
            }
        }
    }

    /// Scans a member value of the top-level object.
    fn value(&mut self) -> Result<Value<'a>, JsonError> {
        match self.peek() {
            Some(b'"') => Ok(Value::String(self.string(true)?)),
            Some(b'{') => Ok(Value::Object(self.container()?)),
            Some(b'[') => Ok(Value::Array(self.container()?)),
            _ => self.scalar(),
        }
    }

    /// Scans a literal or a number.
    fn scalar(&mut self) -> Result<Value<'a>, JsonError> {
        match self.peek() {
            Some(b't') => self.literal(b"true", "'true'").map(|()| Value::Bool(true)),
            Some(b'f') => self
                .literal(b"false", "'false'")
                .map(|()| Value::Bool(false)),
            Some(b'n') => self.literal(b"null", "'null'").map(|()| Value::Null),
            // `+`, `.`, `N` and `I` start no JSON value, but they do start
            // numbers in other notations (`+1`, `.5`, `NaN`, `Infinity`), and
            // "invalid number" says more than "unexpected character".
            Some(b'-' | b'0'..=b'9' | b'+' | b'.' | b'N' | b'I') => {
                Ok(Value::Number(self.number()?))
            }
            _ => Err(self.unexpected("a JSON value")),
        }
    }

    fn literal(&mut self, word: &'static [u8], expected: &'static str) -> Result<(), JsonError> {
        for (i, &wanted) in word.iter().enumerate() {
            let at = self.pos + i;
            match self.bytes.get(at) {
                Some(&b) if b == wanted => {}
                Some(_) => {
                    return Err(self.error(
                        at,
                        JsonErrorKind::UnexpectedChar {
                            found: self.char_at(at),
                            expected,
                        },
                    ));
                }
                None => return Err(self.error(at, JsonErrorKind::UnexpectedEnd)),
            }
        }
        self.pos += word.len();
        Ok(())
    }

    /// Scans `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?` and returns its text.
    ///
    /// Errors point at the number's first byte; input that ends mid-number
    /// is [`JsonErrorKind::UnexpectedEnd`] instead, as for a truncated body.
    fn number(&mut self) -> Result<&'a str, JsonError> {
        let start = self.pos;
        let bytes = self.bytes;
        let invalid = || self.error(start, JsonErrorKind::InvalidNumber);
        let digits_from = |mut i: usize| -> Result<usize, JsonError> {
            match bytes.get(i) {
                Some(b) if b.is_ascii_digit() => {}
                Some(_) => return Err(invalid()),
                None => return Err(self.error(i, JsonErrorKind::UnexpectedEnd)),
            }
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            Ok(i)
        };
        let mut i = start;
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        i = match bytes.get(i) {
            Some(b'0') => i + 1,
            Some(b'1'..=b'9') => digits_from(i)?,
            Some(_) => return Err(invalid()),
            None => return Err(self.error(i, JsonErrorKind::UnexpectedEnd)),
        };
        if bytes.get(i) == Some(&b'.') {
            i = digits_from(i + 1)?;
        }
        if let Some(b'e' | b'E') = bytes.get(i) {
            i += 1;
            if let Some(b'+' | b'-') = bytes.get(i) {
                i += 1;
            }
            i = digits_from(i)?;
        }
        // A number running straight into more number-like text (`01`,
        // `1.5.3`, `1e5e5`, `12abc`) is one bad number, not a number followed
        // by an unexpected character.
        if bytes
            .get(i)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-'))
        {
            return Err(invalid());
        }
        self.pos = i;
        Ok(self.slice(start, i))
    }

    /// Scans the string at `pos` (which is `"`).
    ///
    /// With `keep`, returns the unescaped contents (borrowed when there are no
    /// escapes). Without it only validates, and returns the raw contents, to
    /// spare allocations for strings inside nested containers.
    fn string(&mut self, keep: bool) -> Result<Cow<'a, str>, JsonError> {
        let start = self.pos + 1;
        let end = find_special(self.bytes, start);
        // Nearly every string has no escape: this path stays small (the
        // rest, out of line, needs many more registers to save and restore).
        if self.bytes.get(end) == Some(&b'"') {
            self.pos = end + 1;
            return Ok(Cow::Borrowed(self.slice(start, end)));
        }
        self.string_rest(start, end, keep)
    }

    /// [`Scanner::string`] from `i`, the first byte of its contents at `start`
    /// that is not plain content (an escape, a control byte, the end).
    #[inline(never)]
    fn string_rest(
        &mut self,
        start: usize,
        mut i: usize,
        keep: bool,
    ) -> Result<Cow<'a, str>, JsonError> {
        let mut run_start = start; // start of the text not yet copied into `owned`
        let mut owned: Option<String> = None;
        loop {
            match self.bytes.get(i) {
                Some(b'"') => {
                    let run = self.slice(run_start, i);
                    self.pos = i + 1;
                    // Without `keep`, `run_start` never moved: `run` is the raw contents.
                    return Ok(match owned {
                        Some(mut text) => {
                            text.push_str(run);
                            Cow::Owned(text)
                        }
                        None => Cow::Borrowed(run),
                    });
                }
                Some(b'\\') => {
                    let (decoded, next) = self.escape(i)?;
                    if keep {
                        let text = owned.get_or_insert_with(String::new);
                        text.push_str(self.slice(run_start, i));
                        text.push(decoded);
                        run_start = next;
                    }
                    i = next;
                }
                Some(_) => return Err(self.error(i, JsonErrorKind::ControlCharInString)),
                None => return Err(self.error(i, JsonErrorKind::UnexpectedEnd)),
            }
            i = find_special(self.bytes, i);
        }
    }

    /// Decodes the escape at `at` (which is `\`); returns the character and
    /// the index just past the escape.
    fn escape(&self, at: usize) -> Result<(char, usize), JsonError> {
        let decoded = match self.bytes.get(at + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(at),
            Some(_) => return Err(self.error(at, JsonErrorKind::InvalidEscape)),
            None => return Err(self.error(at + 1, JsonErrorKind::UnexpectedEnd)),
        };
        Ok((decoded, at + 2))
    }

    /// Decodes `\uXXXX` at `at`, joining a surrogate pair `\uD83D\uDE00`.
    fn unicode_escape(&self, at: usize) -> Result<(char, usize), JsonError> {
        let lone = || self.error(at, JsonErrorKind::LoneSurrogate);
        let first = self.hex4(at)?;
        let code = match first {
            0xD800..=0xDBFF => {
                match self.bytes.get(at + 6..) {
                    Some([b'\\', b'u', ..]) => {}
                    Some([] | [b'\\']) | None => {
                        return Err(self.error(self.bytes.len(), JsonErrorKind::UnexpectedEnd));
                    }
                    Some(_) => return Err(lone()),
                }
                let second = self.hex4(at + 6)?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(lone());
                }
                let high = u32::from(first - 0xD800);
                let low = u32::from(second - 0xDC00);
                return char::from_u32(0x10000 + (high << 10) + low)
                    .map(|c| (c, at + 12))
                    .ok_or_else(lone);
            }
            0xDC00..=0xDFFF => return Err(lone()),
            code => code,
        };
        // Not a surrogate, so always a valid char.
        char::from_u32(u32::from(code))
            .map(|c| (c, at + 6))
            .ok_or_else(lone)
    }

    /// Reads the four hex digits of the `\u` escape at `at`.
    fn hex4(&self, at: usize) -> Result<u16, JsonError> {
        let mut code: u16 = 0;
        for i in at + 2..at + 6 {
            let digit = match self.bytes.get(i) {
                Some(&b @ b'0'..=b'9') => b - b'0',
                Some(&b @ b'a'..=b'f') => b - b'a' + 10,
                Some(&b @ b'A'..=b'F') => b - b'A' + 10,
                Some(_) => return Err(self.error(at, JsonErrorKind::InvalidEscape)),
                None => return Err(self.error(i, JsonErrorKind::UnexpectedEnd)),
            };
            code = (code << 4) | u16::from(digit);
        }
        Ok(code)
    }

    /// Checks the grammar of the object or array at `pos` and returns its
    /// raw text.
    ///
    /// Iterative, with an explicit stack of open brackets, so hostile nesting
    /// costs a bounded `Vec` rather than the call stack. The top-level object
    /// is depth 1, so this container is depth 2.
    fn container(&mut self) -> Result<&'a str, JsonError> {
        let start = self.pos;
        let mut open: Vec<u8> = Vec::new();
        'value: loop {
            // `pos` is at the first byte of a value.
            match self.peek() {
                Some(bracket @ (b'{' | b'[')) => {
                    let depth = 1 + open.len() + 1;
                    if depth > self.limits.max_depth {
                        return Err(self.error(
                            self.pos,
                            JsonErrorKind::TooDeep {
                                limit: self.limits.max_depth,
                            },
                        ));
                    }
                    open.push(bracket);
                    self.pos += 1;
                    self.skip_whitespace();
                    match (bracket, self.peek()) {
                        (b'{', Some(b'}')) | (b'[', Some(b']')) => {
                            self.pos += 1;
                            open.pop();
                        }
                        (b'{', Some(b'"')) => {
                            self.member_key()?;
                            continue 'value;
                        }
                        (b'{', _) => return Err(self.unexpected("a string key or '}'")),
                        _ => continue 'value,
                    }
                }
                Some(b'"') => {
                    self.string(false)?;
                }
                _ => {
                    self.scalar()?;
                }
            }
            // A value just ended: close brackets until one wants another value.
            loop {
                let Some(&innermost) = open.last() else {
                    return Ok(self.slice(start, self.pos));
                };
                self.skip_whitespace();
                match (innermost, self.peek()) {
                    (_, Some(b',')) => {
                        self.pos += 1;
                        self.skip_whitespace();
                        if innermost == b'{' {
                            if self.peek() != Some(b'"') {
                                return Err(self.unexpected("a string key"));
                            }
                            self.member_key()?;
                        }
                        continue 'value;
                    }
                    (b'{', Some(b'}')) | (b'[', Some(b']')) => {
                        self.pos += 1;
                        open.pop();
                    }
                    (b'{', _) => return Err(self.unexpected("',' or '}'")),
                    _ => return Err(self.unexpected("',' or ']'")),
                }
            }
        }
    }

    /// Scans `"key" :` inside a nested object, leaving `pos` at the value.
    fn member_key(&mut self) -> Result<(), JsonError> {
        self.string(false)?;
        self.skip_whitespace();
        self.expect(b':', "':'")?;
        self.skip_whitespace();
        Ok(())
    }
}

/// Splits scanned members into first occurrences and later duplicates,
/// both in document order.
fn split_duplicates(all: Vec<Entry<'_>>) -> Object<'_> {
    // Pairwise comparison is cheapest for the usual handful of keys, with
    // the duplicates marked in the bits of one word (no allocation per
    // body); past that a hash set keeps hostile bodies (100k keys) linear.
    // std's hasher is randomly keyed, so crafted keys cannot force collisions.
    const PAIRWISE_MAX: usize = 16;
    if all.len() <= PAIRWISE_MAX {
        let mut duplicates: u16 = 0;
        for (i, entry) in all.iter().enumerate() {
            if all.iter().take(i).any(|earlier| earlier.key == entry.key) {
                duplicates |= 1 << i;
            }
        }
        if duplicates == 0 {
            return no_duplicates(all);
        }
        return split_marked(all, |i| duplicates & (1 << i) != 0);
    }
    let mut seen = HashSet::with_capacity(all.len());
    let is_duplicate: Vec<bool> = all
        .iter()
        .map(|entry| !seen.insert(entry.key.as_ref()))
        .collect();
    if !is_duplicate.contains(&true) {
        return no_duplicates(all);
    }
    split_marked(all, |i| is_duplicate.get(i).copied().unwrap_or(false))
}

fn no_duplicates(all: Vec<Entry<'_>>) -> Object<'_> {
    Object {
        entries: all,
        duplicates: Vec::new(),
    }
}

/// The entries whose index `is_duplicate` marks go to `duplicates`, the
/// others to `entries`, each in document order.
fn split_marked(all: Vec<Entry<'_>>, is_duplicate: impl Fn(usize) -> bool) -> Object<'_> {
    let mut object = Object::default();
    for (i, entry) in all.into_iter().enumerate() {
        if is_duplicate(i) {
            object.duplicates.push(entry);
        } else {
            object.entries.push(entry);
        }
    }
    object
}

/// Index of the first byte at or after `from` that ends a run of plain
/// string content — `"`, `\` or a control character below 0x20 — or
/// `bytes.len()` when there is none.
///
/// Most strings are a few bytes (keys, model ids), so the first 32 bytes
/// are tested eight at a time (SWAR), the position of a hit read off its
/// word rather than searched byte by byte. Past them is the hot loop for the
/// 100 KB base64 image string: 32 bytes at a time through compares with no
/// branch inside a block, which the compiler turns into SIMD (half the
/// instructions per byte of the word loop alone, see BENCHMARKS.md), then
/// words again inside the block with the hit.
#[inline]
fn find_special(bytes: &[u8], from: usize) -> usize {
    let Some(rest) = bytes.get(from..) else {
        return bytes.len();
    };
    let head = rest.len().min(32) & !7; // whole words only
    if let Some(at) = first_special_in_words(rest.get(..head).unwrap_or_default()) {
        return from + at;
    }
    find_special_past(rest, from, head)
}

/// [`find_special`] past the first `head` bytes of `rest` (which is
/// `bytes[from..]`), out of line: only long strings get here.
#[inline(never)]
fn find_special_past(rest: &[u8], from: usize, head: usize) -> usize {
    // Whole blocks without a special byte; the block with the hit (if any)
    // is left to the word loop below.
    let (blocks, _) = rest.get(head..).unwrap_or_default().as_chunks::<32>();
    let clean_blocks = blocks
        .iter()
        .position(|block| {
            block.iter().fold(false, |any, &b| {
                any | (b == b'"') | (b == b'\\') | (b < 0x20)
            })
        })
        .unwrap_or(blocks.len());
    let start = head + clean_blocks * 32;
    let words = rest.get(start..).unwrap_or_default();
    if let Some(at) = first_special_in_words(words) {
        return from + start + at;
    }
    let tail_start = start + (words.len() & !7);
    rest.get(tail_start..)
        .unwrap_or_default()
        .iter()
        .position(|b| matches!(b, b'"' | b'\\' | 0..0x20))
        .map_or(from + rest.len(), |within| from + tail_start + within)
}

/// Index of the first special byte (as for [`find_special`]) in the whole
/// 8-byte words of `bytes`; the bytes after the last whole word are not
/// looked at.
fn first_special_in_words(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const QUOTES: u64 = u64::from_ne_bytes([b'"'; 8]);
    const BACKSLASHES: u64 = u64::from_ne_bytes([b'\\'; 8]);
    const SPACES: u64 = u64::from_ne_bytes([0x20; 8]);

    /// The high bit of each special byte of the little-endian `word`, exact
    /// up to the lowest one. `(x - 0x01..) & !x & 0x80..` marks the bytes of
    /// `x` that are zero, and with 0x20 in place of 0x01 the bytes below
    /// 0x20 (Bit Twiddling Hacks, "haszero"/"hasless"); a borrow only adds
    /// false marks above a true one, and lanes from 0x80 up are masked by
    /// `!x` (UTF-8 is plain content).
    fn special_marks(word: u64) -> u64 {
        let quote = word ^ QUOTES;
        let backslash = word ^ BACKSLASHES;
        let hits = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (word.wrapping_sub(SPACES) & !word);
        hits & HIGHS
    }

    let (words, _) = bytes.as_chunks::<8>();
    words.iter().enumerate().find_map(|(n, word)| {
        let marks = special_marks(u64::from_le_bytes(*word));
        // The lowest mark is bit 7 of the first special byte.
        (marks != 0).then(|| n * 8 + marks.trailing_zeros() as usize / 8)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body using every construct of the grammar.
    const SAMPLE: &str = concat!(
        r#"{"a": [1, -2.5e+3, "x\u00e9\ud83d\ude00", {"b": [true, false, null, {}]}],"#,
        r#" "c": {"d": ""}}"#
    );

    fn parse(text: &str) -> Result<Object<'_>, JsonError> {
        parse_body(text.as_bytes(), &Limits::default())
    }

    fn error_of(text: &str) -> (usize, JsonErrorKind) {
        match parse(text) {
            Ok(object) => panic!("{text:?} parsed: {object:?}"),
            Err(error) => (error.offset, error.kind),
        }
    }

    fn keys<'a>(entries: &'a [Entry<'_>]) -> Vec<&'a str> {
        entries.iter().map(|entry| entry.key.as_ref()).collect()
    }

    #[test]
    fn scans_top_level_members_with_offsets() {
        let body = r#" {"model": "veo-3.1-fast", "duration":8, "audio" :true, "x":null,
            "image": {"task_id": "img_1"}, "list": [1, [2, {"a": []}], "s"] } "#;
        let object = parse(body).unwrap();
        assert!(object.duplicates.is_empty());
        assert_eq!(
            keys(&object.entries),
            ["model", "duration", "audio", "x", "image", "list"]
        );
        let model = &object.entries[0];
        assert_eq!(model.value, Value::String(Cow::Borrowed("veo-3.1-fast")));
        assert!(matches!(&model.value, Value::String(Cow::Borrowed(_))));
        assert_eq!(model.key_offset, 2);
        assert_eq!(model.value_offset, 11);
        assert_eq!(object.entries[1].value, Value::Number("8"));
        assert_eq!(object.entries[2].value, Value::Bool(true));
        assert_eq!(object.entries[3].value, Value::Null);
        assert_eq!(
            object.entries[4].value,
            Value::Object(r#"{"task_id": "img_1"}"#)
        );
        assert_eq!(
            object.entries[5].value,
            Value::Array(r#"[1, [2, {"a": []}], "s"]"#)
        );
        let image = &object.entries[4];
        assert_eq!(&body[image.value_offset..][..1], "{");
        assert_eq!(
            object.get("audio").map(|e| &e.value),
            Some(&Value::Bool(true))
        );
        assert_eq!(object.get("nope"), None);
    }

    #[test]
    fn parse_object_reports_offsets_in_the_original_body() {
        let body = r#"{"image": {"task_id": "img_1", "task_id": 2, "bad" 1}}"#;
        let object = parse(body);
        assert_eq!(error_of(body).0, 51);
        assert!(object.is_err());

        let body = r#"{"image": {"task_id": "img_1", "task_id": 2}}"#;
        let outer = parse(body).unwrap();
        let image = &outer.entries[0];
        let Value::Object(raw) = image.value else {
            panic!("not an object")
        };
        let inner = parse_object(raw, image.value_offset, &Limits::default()).unwrap();
        assert_eq!(keys(&inner.entries), ["task_id"]);
        assert_eq!(keys(&inner.duplicates), ["task_id"]);
        assert_eq!(inner.entries[0].key_offset, 11);
        assert_eq!(&body[inner.duplicates[0].value_offset..][..1], "2");

        let error = parse_object(r#"{"a" 1}"#, 100, &Limits::default()).unwrap_err();
        assert_eq!(error.offset, 105);
    }

    #[test]
    fn empty_objects_and_whitespace() {
        assert!(parse("{}").unwrap().entries.is_empty());
        assert!(parse(" \t\r\n{ \n}\n ").unwrap().entries.is_empty());
        let object = parse(r#"{"a":{},"b":[],"c":[ ],"d":{ }}"#).unwrap();
        assert_eq!(object.entries[0].value, Value::Object("{}"));
        assert_eq!(object.entries[2].value, Value::Array("[ ]"));
    }

    #[test]
    fn duplicates_are_split_out_in_document_order() {
        let object = parse(r#"{"model":"a","b":1,"model":"b","b":2,"model":"c"}"#).unwrap();
        assert_eq!(keys(&object.entries), ["model", "b"]);
        assert_eq!(keys(&object.duplicates), ["model", "b", "model"]);
        assert_eq!(object.duplicates[0].value, Value::String("b".into()));
        assert_eq!(object.duplicates[2].value, Value::String("c".into()));
        // 16 keys (the most compared pairwise) and 17 (through the hash set),
        // the last one repeating the first.
        for count in [16, 17] {
            let members: Vec<String> = (1..count).map(|i| format!("\"k{i}\":{i}")).collect();
            let body = format!("{{{},\"k1\":0}}", members.join(","));
            let object = parse(&body).unwrap();
            assert_eq!(object.entries.len(), count - 1, "{body}");
            assert_eq!(keys(&object.duplicates), ["k1"]);
            assert_eq!(object.duplicates[0].value, Value::Number("0"));
        }
        // Keys compare after unescaping.
        let object = parse(r#"{"model":1,"mod\u0065l":2}"#).unwrap();
        assert_eq!(keys(&object.duplicates), ["model"]);
    }

    #[test]
    fn many_keys_are_fast_and_keep_order() {
        // Past the default member limit on purpose: the duplicate check must
        // stay linear for a caller who raises it.
        let limits = Limits {
            max_members: 200_001,
            ..Limits::default()
        };
        let mut body = String::from("{");
        for i in 0..100_000 {
            body.push_str(&format!("\"k{i}\":{i},"));
        }
        body.push_str("\"k5\":0,\"k99999\":1}");
        let object = parse_body(body.as_bytes(), &limits).unwrap();
        assert_eq!(object.entries.len(), 100_000);
        assert_eq!(object.entries[12345].key, "k12345");
        assert_eq!(keys(&object.duplicates), ["k5", "k99999"]);
        let same = format!("{{{}\"a\":1}}", "\"a\":1,".repeat(100_000));
        let object = parse_body(same.as_bytes(), &limits).unwrap();
        assert_eq!(object.entries.len(), 1);
        assert_eq!(object.duplicates.len(), 100_000);
    }

    #[test]
    fn members_are_limited_where_they_are_kept() {
        let limits = Limits {
            max_members: 3,
            ..Limits::default()
        };
        let at_limit = r#"{"a":1,"b":2,"a":3}"#;
        assert!(parse_body(at_limit.as_bytes(), &limits).is_ok());
        // Duplicates count: they are kept too (to be reported).
        let over = r#"{"a":1,"b":2,"a":3, "c":4}"#;
        let error = parse_body(over.as_bytes(), &limits).unwrap_err();
        assert_eq!(
            (error.offset, error.kind),
            (20, JsonErrorKind::TooManyMembers { limit: 3 })
        );
        // Nested containers are only scanned, so their members are not counted…
        let nested = r#"{"a":{"b":1,"c":2,"d":3,"e":4},"f":[1,2,3,4,5]}"#;
        assert!(parse_body(nested.as_bytes(), &limits).is_ok());
        // …until one is read into memory.
        let inner = parse_object(r#"{"b":1,"c":2,"d":3,"e":4}"#, 5, &limits).unwrap_err();
        assert_eq!(
            (inner.offset, inner.kind),
            (5 + 19, JsonErrorKind::TooManyMembers { limit: 3 })
        );
        let none = Limits {
            max_members: 0,
            ..Limits::default()
        };
        assert!(parse_body(b"{}", &none).is_ok());
        assert_eq!(
            parse_body(br#"{"a":1}"#, &none).unwrap_err().kind,
            JsonErrorKind::TooManyMembers { limit: 0 }
        );
    }

    #[test]
    fn strings_unescape() {
        let object =
            parse(r#"{"a":"\"\\\/\b\f\n\r\t","b":"\u00e9\u20AC\ud83d\ude00x","c":"é€😀","d":""}"#)
                .unwrap();
        assert_eq!(
            object.entries[0].value,
            Value::String("\"\\/\u{8}\u{c}\n\r\t".into())
        );
        assert_eq!(object.entries[1].value, Value::String("é€😀x".into()));
        assert!(matches!(
            &object.entries[2].value,
            Value::String(Cow::Borrowed("é€😀"))
        ));
        assert_eq!(object.entries[3].value, Value::String("".into()));
        let object = parse(r#"{"k\nk":1}"#).unwrap();
        assert_eq!(object.entries[0].key, "k\nk");
    }

    #[test]
    fn string_errors() {
        assert_eq!(
            error_of(r#"{"a":"x\qy"}"#),
            (7, JsonErrorKind::InvalidEscape)
        );
        assert_eq!(
            error_of(r#"{"a":"\u12G4"}"#),
            (6, JsonErrorKind::InvalidEscape)
        );
        assert_eq!(
            error_of(r#"{"a":"\ud800"}"#),
            (6, JsonErrorKind::LoneSurrogate)
        );
        assert_eq!(
            error_of(r#"{"a":"\ud800\n"}"#),
            (6, JsonErrorKind::LoneSurrogate)
        );
        assert_eq!(
            error_of(r#"{"a":"\ud800\u0041"}"#),
            (6, JsonErrorKind::LoneSurrogate)
        );
        assert_eq!(
            error_of(r#"{"a":"\udc00\ud800"}"#),
            (6, JsonErrorKind::LoneSurrogate)
        );
        assert_eq!(
            error_of(r#"{"a":["\udc00"]}"#),
            (7, JsonErrorKind::LoneSurrogate)
        );
        assert_eq!(
            error_of("{\"a\":\"x\ty\"}"),
            (7, JsonErrorKind::ControlCharInString)
        );
        assert_eq!(
            error_of("{\"a\":\"\u{1f}\"}"),
            (6, JsonErrorKind::ControlCharInString)
        );
        // DEL and non-ASCII are fine.
        assert!(parse("{\"a\":\"\u{7f}\u{80}\u{ffff}\"}").is_ok());
        assert_eq!(error_of(r#"{"a":"abc"#), (9, JsonErrorKind::UnexpectedEnd));
        assert_eq!(
            error_of(r#"{"a":"abc\"#),
            (10, JsonErrorKind::UnexpectedEnd)
        );
        assert_eq!(
            error_of(r#"{"a":"\u12"#),
            (10, JsonErrorKind::UnexpectedEnd)
        );
        assert_eq!(
            error_of(r#"{"a":"\ud800"#),
            (12, JsonErrorKind::UnexpectedEnd)
        );
        assert_eq!(
            error_of(r#"{"a":"\ud800\"#),
            (13, JsonErrorKind::UnexpectedEnd)
        );
    }

    #[test]
    fn special_byte_search_matches_a_plain_loop() {
        let mut state = 0x1234_5678_u32;
        let mut bytes = Vec::new();
        for _ in 0..4000 {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
            // Mostly plain bytes (including >= 0x80), sometimes a special one.
            let byte = match state >> 24 {
                0..4 => b'"',
                4..8 => b'\\',
                8..12 => (state >> 8) as u8 & 0x1f,
                _ => 0x20 + ((state >> 8) as u8 % 0xe0),
            };
            bytes.push(byte);
        }
        for from in 0..bytes.len() + 2 {
            let expected = bytes
                .iter()
                .enumerate()
                .skip(from)
                .find(|(_, b)| matches!(b, b'"' | b'\\' | 0..0x20))
                .map_or(bytes.len(), |(i, _)| i);
            assert_eq!(find_special(&bytes, from), expected, "from {from}");
        }
        // Every position in and around the first words, the blocks and the
        // tail, with a second special byte after the first.
        for special in [b'"', b'\\', 0, 0x1f] {
            for len in 1..=100 {
                for at in 0..len {
                    let mut bytes = vec![0x7f_u8; len];
                    bytes[at] = special;
                    if let Some(later) = bytes.get_mut(at + 3) {
                        *later = b'"';
                    }
                    assert_eq!(find_special(&bytes, 0), at, "{len} {at}");
                    let mut bytes = vec![0x7f_u8; len];
                    bytes[at] = 0xa2; // above 0x80 must not look like a control byte
                    assert_eq!(find_special(&bytes, 0), len);
                }
            }
        }
    }

    #[test]
    fn long_base64_string_stays_borrowed() {
        let payload = "iVBORw0KGgo".repeat(10_000);
        let body = format!(r#"{{"image":"data:image/png;base64,{payload}"}}"#);
        let object = parse(&body).unwrap();
        let Value::String(Cow::Borrowed(text)) = &object.entries[0].value else {
            panic!("not borrowed")
        };
        assert_eq!(text.len(), 22 + payload.len());
    }

    #[test]
    fn numbers() {
        for good in [
            "0",
            "-0",
            "5",
            "-12",
            "1.5",
            "0.25",
            "1e5",
            "1E+5",
            "1e-5",
            "-0.0e0",
            "123456789012345678901234567890",
        ] {
            let body = format!(r#"{{"n":{good}}}"#);
            assert_eq!(
                parse(&body).unwrap().entries[0].value,
                Value::Number(good),
                "{good}"
            );
            let nested = format!(r#"{{"n":[{good}]}}"#);
            assert!(parse(&nested).is_ok(), "{nested}");
        }
        for bad in [
            "01",
            "-01",
            "1.",
            ".5",
            "+1",
            "NaN",
            "Infinity",
            "-Infinity",
            "-",
            "1e",
            "1e+",
            "1.e5",
            "1.5.3",
            "0x10",
            "12abc",
            "--1",
            "1e5e5",
        ] {
            let body = format!(r#"{{"n":{bad} }}"#);
            assert_eq!(error_of(&body), (5, JsonErrorKind::InvalidNumber), "{bad}");
            let nested = format!(r#"{{"n":[{bad} ]}}"#);
            assert_eq!(
                error_of(&nested),
                (6, JsonErrorKind::InvalidNumber),
                "{bad}"
            );
        }
        assert_eq!(error_of(r#"{"n":1."#), (7, JsonErrorKind::UnexpectedEnd));
        assert_eq!(error_of(r#"{"n":-"#), (6, JsonErrorKind::UnexpectedEnd));
        assert_eq!(error_of(r#"{"n":12"#), (7, JsonErrorKind::UnexpectedEnd));
    }

    #[test]
    fn integers_from_number_text() {
        let cases: &[(&str, Option<i64>)] = &[
            ("5", Some(5)),
            ("5.0", Some(5)),
            ("5e0", Some(5)),
            ("0.5e1", Some(5)),
            ("50e-1", Some(5)),
            ("-0", Some(0)),
            ("0", Some(0)),
            ("0.000e-99999999999999999999", Some(0)),
            ("-8", Some(-8)),
            ("5.5", None),
            ("0.5", None),
            ("1e400", None),
            ("1e18", Some(1_000_000_000_000_000_000)),
            ("1e19", None),
            ("99999999999999999999", None),
            ("9223372036854775807", Some(i64::MAX)),
            ("9223372036854775808", None),
            ("-9223372036854775808", Some(i64::MIN)),
            ("-9223372036854775809", None),
            ("922337203685477580.7e1", Some(i64::MAX)),
            ("0.0000000000000000000000000000001e31", Some(1)),
            ("100000000000000000000e-20", Some(1)),
            ("1e999999999", None),
            ("1e99999999999999999999999999", None),
            ("1e-999999999", None),
            ("12.340e2", Some(1234)),
            ("1.2345e2", None),
            ("", None),
            ("01", None),
            ("1.", None),
            ("+1", None),
            ("1e", None),
            (" 1", None),
            ("-", None),
        ];
        for &(raw, expected) in cases {
            assert_eq!(number_as_integer(raw), expected, "{raw:?}");
        }
    }

    #[test]
    fn literals() {
        assert_eq!(
            error_of(r#"{"a":tru}"#),
            (
                8,
                JsonErrorKind::UnexpectedChar {
                    found: '}',
                    expected: "'true'"
                }
            )
        );
        assert_eq!(error_of(r#"{"a":nul"#), (8, JsonErrorKind::UnexpectedEnd));
        assert_eq!(
            error_of(r#"{"a":truex}"#),
            (
                9,
                JsonErrorKind::UnexpectedChar {
                    found: 'x',
                    expected: "',' or '}'"
                }
            )
        );
        assert_eq!(
            error_of(r#"{"a":[True]}"#),
            (
                6,
                JsonErrorKind::UnexpectedChar {
                    found: 'T',
                    expected: "a JSON value"
                }
            )
        );
        assert!(parse(r#"{"a":[true,false,null]}"#).is_ok());
    }

    #[test]
    fn structural_errors() {
        use JsonErrorKind::*;
        let unexpected = |found, expected| UnexpectedChar { found, expected };
        assert_eq!(error_of(""), (0, Empty));
        assert_eq!(error_of(" \n "), (3, Empty));
        assert_eq!(error_of("{"), (1, UnexpectedEnd));
        assert_eq!(error_of(r#"{"a""#), (4, UnexpectedEnd));
        assert_eq!(error_of(r#"{"a":"#), (5, UnexpectedEnd));
        assert_eq!(error_of(r#"{"a":1"#), (6, UnexpectedEnd));
        assert_eq!(error_of(r#"{"a":1,"#), (7, UnexpectedEnd));
        assert_eq!(error_of(r#"{"a":[1,"#), (8, UnexpectedEnd));
        assert_eq!(error_of(r#"{"a":{"b""#), (9, UnexpectedEnd));
        assert_eq!(
            error_of("{a:1}"),
            (1, unexpected('a', "a string key or '}'"))
        );
        assert_eq!(
            error_of(r#"{"a":1,}"#),
            (7, unexpected('}', "a string key"))
        );
        assert_eq!(error_of(r#"{"a" 1}"#), (5, unexpected('1', "':'")));
        assert_eq!(
            error_of(r#"{"a":1 "b":2}"#),
            (7, unexpected('"', "',' or '}'"))
        );
        assert_eq!(error_of(r#"{"a":1]"#), (6, unexpected(']', "',' or '}'")));
        assert_eq!(error_of(r#"{"a":}"#), (5, unexpected('}', "a JSON value")));
        assert_eq!(
            error_of(r#"{"a":[1,]}"#),
            (8, unexpected(']', "a JSON value"))
        );
        assert_eq!(error_of(r#"{"a":[1}"#), (7, unexpected('}', "',' or ']'")));
        assert_eq!(
            error_of(r#"{"a":{"b":1]}"#),
            (11, unexpected(']', "',' or '}'"))
        );
        assert_eq!(
            error_of(r#"{"a":{1:2}}"#),
            (6, unexpected('1', "a string key or '}'"))
        );
        assert_eq!(
            error_of(r#"{"a":{"b":1,}}"#),
            (12, unexpected('}', "a string key"))
        );
        assert_eq!(error_of(r#"{"a":{"b"}}"#), (9, unexpected('}', "':'")));
        assert_eq!(error_of(r#"{"a":é}"#), (5, unexpected('é', "a JSON value")));
        assert_eq!(error_of("\u{feff}{}"), (0, unexpected('\u{feff}', "'{'")));
        assert_eq!(error_of("{} x"), (3, TrailingCharacters));
        assert_eq!(error_of("{}{}"), (2, TrailingCharacters));
        assert_eq!(error_of("{}\0"), (2, TrailingCharacters));
    }

    #[test]
    fn non_objects() {
        for (body, found) in [
            ("[1]", "array"),
            ("[", "array"),
            ("\"x\"", "string"),
            ("-1", "number"),
            ("42", "number"),
            ("true", "boolean"),
            ("false", "boolean"),
            (" null ", "null"),
        ] {
            let offset = body.len() - body.trim_start().len();
            assert_eq!(
                error_of(body),
                (offset, JsonErrorKind::NotAnObject { found }),
                "{body}"
            );
        }
        assert_eq!(
            error_of("nope"),
            (
                0,
                JsonErrorKind::UnexpectedChar {
                    found: 'n',
                    expected: "'{'"
                }
            )
        );
    }

    #[test]
    fn size_and_utf8_are_checked_first() {
        let limits = Limits {
            max_body_bytes: 10,
            ..Limits::default()
        };
        let error = parse_body(b"{\"abc\":\"\xff\xff\"}", &limits).unwrap_err();
        assert_eq!(
            error.kind,
            JsonErrorKind::TooLarge {
                limit: 10,
                size: 12
            }
        );
        assert_eq!(error.offset, 0);
        assert!(parse_body(b"{\"a\":1234}", &limits).is_ok());
        let error = parse_body(b"{\"a\":\"\xe2\x82\"}", &Limits::default()).unwrap_err();
        assert_eq!((error.offset, error.kind), (6, JsonErrorKind::InvalidUtf8));
        let error = parse_object("{}", 7, &limits).map(|_| ());
        assert_eq!(error, Ok(()));
    }

    /// What `parse_body` means, with `std`'s UTF-8 check as the reference:
    /// the whole body checked first, then scanned as text.
    fn utf8_first(body: &[u8]) -> Result<Object<'_>, JsonError> {
        match std::str::from_utf8(body) {
            Err(bad) => Err(JsonError {
                offset: bad.valid_up_to(),
                kind: JsonErrorKind::InvalidUtf8,
            }),
            Ok(text) => parse_object(text, 0, &Limits::default()),
        }
    }

    #[test]
    fn invalid_utf8_anywhere_is_reported_before_grammar_errors() {
        // Non-ASCII in a key, a value, a nested string; a syntax error early
        // (`;`), late (`]`), or none.
        let bodies: [&[u8]; 4] = [
            "{\"ké\": \"v€\", \"n\": [\"😀\", {\"é\": 1}], \"x\": \"a\\u00e9\"}".as_bytes(),
            "{\"ké\"; \"v€\", \"n\": [\"😀\"]}".as_bytes(),
            "{\"ké\": \"v€\", \"n\": [\"😀\", 1}]}".as_bytes(),
            b"{\"a\":\"\"}",
        ];
        let bad: [&[u8]; 12] = [
            b"\x80",             // lone continuation byte
            b"\xbf\xbf",         // two of them
            b"\xc3",             // lead byte, no continuation
            b"\xc3(",            // lead byte, ASCII after it
            b"\xe2\x82",         // truncated 3-byte sequence
            b"\xf0\x9f\x98",     // truncated 4-byte sequence
            b"\xc0\xaf",         // overlong '/'
            b"\xed\xa0\x80",     // an encoded surrogate
            b"\xf4\x90\x80\x80", // above U+10FFFF
            b"\xff",
            b"\xe9t\xe9",    // Latin-1, not UTF-8
            b"\xc3\xa9\x80", // 'é', then a lone continuation byte
        ];
        let mut checked = 0;
        for body in bodies {
            for at in 0..=body.len() {
                for insert in bad {
                    let mut mutated = body[..at].to_vec();
                    mutated.extend_from_slice(insert);
                    mutated.extend_from_slice(&body[at..]);
                    for end in [mutated.len(), at + 1, at + insert.len().min(2)] {
                        let cut = &mutated[..end.min(mutated.len())];
                        assert_eq!(
                            parse_body(cut, &Limits::default()),
                            utf8_first(cut),
                            "{:?}",
                            String::from_utf8_lossy(cut)
                        );
                        checked += 1;
                    }
                }
                // Cutting the body inside one of its own multi-byte characters.
                assert_eq!(
                    parse_body(&body[..at], &Limits::default()),
                    utf8_first(&body[..at])
                );
            }
        }
        assert!(checked > 1000);
    }

    #[test]
    fn non_ascii_outside_strings_is_named_whole() {
        let body = "{\"a\": [\"é\", 1], \"b\": \"x\"}";
        for at in 0..=body.len() {
            if !body.is_char_boundary(at) {
                continue;
            }
            for c in ['é', '€', '😀', '\u{feff}'] {
                let mutated = format!("{}{c}{}", &body[..at], &body[at..]);
                let ours = parse_body(mutated.as_bytes(), &Limits::default());
                assert_eq!(ours, utf8_first(mutated.as_bytes()));
                let theirs = serde_json::from_str::<serde_json::Value>(&mutated);
                assert_eq!(ours.is_ok(), theirs.is_ok(), "{mutated}");
                if let Err(JsonError {
                    offset,
                    kind: JsonErrorKind::UnexpectedChar { found, .. },
                }) = ours
                {
                    assert_eq!(mutated[offset..].chars().next(), Some(found), "{mutated}");
                }
            }
        }
    }

    #[test]
    fn depth_is_limited_without_recursion() {
        let limits = Limits::default();
        let ok = format!(r#"{{"a":{}{}}}"#, "[".repeat(63), "]".repeat(63));
        assert!(parse_body(ok.as_bytes(), &limits).is_ok());
        let deep = format!(r#"{{"a":{}{}}}"#, "[".repeat(64), "]".repeat(64));
        assert_eq!(
            error_of(&deep),
            (5 + 63, JsonErrorKind::TooDeep { limit: 64 })
        );
        let mixed = format!(r#"{{"a":{}1{}}}"#, r#"{"b":["#.repeat(40), "]}".repeat(40));
        assert_eq!(error_of(&mixed).1, JsonErrorKind::TooDeep { limit: 64 });

        let hostile = format!(r#"{{"a":{}"#, "[".repeat(100_000));
        assert_eq!(error_of(&hostile).1, JsonErrorKind::TooDeep { limit: 64 });
        let hostile = "[".repeat(100_000);
        assert_eq!(
            error_of(&hostile).1,
            JsonErrorKind::NotAnObject { found: "array" }
        );
        let hostile = "{".repeat(100_000);
        assert_eq!(
            error_of(&hostile),
            (
                1,
                JsonErrorKind::UnexpectedChar {
                    found: '{',
                    expected: "a string key or '}'"
                }
            )
        );

        // A caller may raise the limit a long way: still no recursion.
        let huge = Limits {
            max_body_bytes: usize::MAX,
            max_depth: usize::MAX,
            max_members: usize::MAX,
        };
        let deep = format!(r#"{{"a":{}{}}}"#, "[".repeat(200_000), "]".repeat(200_000));
        assert!(parse_body(deep.as_bytes(), &huge).is_ok());
        let flat = Limits {
            max_body_bytes: 100,
            max_depth: 1,
            ..Limits::default()
        };
        assert!(parse_body(br#"{"a":1}"#, &flat).is_ok());
        let error = parse_body(br#"{"a":[]}"#, &flat).unwrap_err();
        assert_eq!(
            (error.offset, error.kind),
            (5, JsonErrorKind::TooDeep { limit: 1 })
        );
        let none = Limits {
            max_body_bytes: 100,
            max_depth: 0,
            ..Limits::default()
        };
        assert_eq!(
            parse_body(b" {}", &none).unwrap_err().kind,
            JsonErrorKind::TooDeep { limit: 0 }
        );
    }

    #[test]
    fn agrees_with_serde_json_on_validity() {
        // Every prefix of a body exercising each construct must fail (the
        // scanner never accepts truncated JSON), and serde_json must agree
        // that the whole body is valid.
        let body = SAMPLE;
        assert!(serde_json::from_str::<serde_json::Value>(body).is_ok());
        assert!(parse(body).is_ok());
        for end in 0..body.len() {
            if let Some(prefix) = body.get(..end) {
                assert!(parse(prefix).is_err(), "{prefix}");
            }
        }
    }

    #[test]
    fn never_panics_on_mutated_bodies() {
        let body = SAMPLE.as_bytes();
        let alphabet = b"{}[]\",:\\u0123456789eE+-.truefalsnl \x00\x1f\xc3\xa9x";
        let mut state = 7_u64;
        for _ in 0..50_000 {
            let mut mutated = body.to_vec();
            for _ in 0..3 {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                let at = (state >> 33) as usize % mutated.len();
                let byte = alphabet[(state >> 20) as usize % alphabet.len()];
                match state % 3 {
                    0 => mutated[at] = byte,
                    1 => mutated.insert(at, byte),
                    _ => {
                        mutated.remove(at);
                    }
                }
            }
            let ours = parse_body(&mutated, &Limits::default());
            let theirs = serde_json::from_slice::<serde_json::Value>(&mutated);
            // Validity must agree, given that only objects are wanted here,
            // except that serde_json rejects numbers beyond f64 (`1e400`)
            // while JSON's grammar has no range.
            if theirs
                .as_ref()
                .is_err_and(|e| e.to_string().starts_with("number out of range"))
            {
                continue;
            }
            let theirs_ok = theirs.as_ref().is_ok_and(serde_json::Value::is_object);
            assert_eq!(
                ours.is_ok(),
                theirs_ok,
                "{:?}: {ours:?} vs {theirs:?}",
                String::from_utf8_lossy(&mutated)
            );
            if let Err(error) = ours {
                assert!(error.offset <= mutated.len());
            }
        }
    }

    #[test]
    fn display() {
        let error = |offset, kind| JsonError { offset, kind }.to_string();
        assert_eq!(
            error(
                17,
                JsonErrorKind::UnexpectedChar {
                    found: 'x',
                    expected: "',' or '}'"
                }
            ),
            "invalid JSON at byte 17: expected ',' or '}' but found 'x'"
        );
        assert_eq!(
            error(
                0,
                JsonErrorKind::TooLarge {
                    limit: 20_971_520,
                    size: 25_000_000
                }
            ),
            "request body is 25000000 bytes, over the limit of 20971520 bytes (max_body_bytes)"
        );
        assert_eq!(
            error(130, JsonErrorKind::TooDeep { limit: 64 }),
            "JSON nesting deeper than the limit of 64 levels (max_depth) at byte 130"
        );
        assert_eq!(
            error(7, JsonErrorKind::TooManyMembers { limit: 1000 }),
            "JSON object has more than the limit of 1000 members (max_members) at byte 7"
        );
        assert_eq!(
            error(0, JsonErrorKind::NotAnObject { found: "array" }),
            "request body must be a JSON object, but it is an array (at byte 0)"
        );
        assert_eq!(
            error(2, JsonErrorKind::NotAnObject { found: "null" }),
            "request body must be a JSON object, but it is null (at byte 2)"
        );
        assert_eq!(
            error(
                3,
                JsonErrorKind::UnexpectedChar {
                    found: '\n',
                    expected: "':'"
                }
            ),
            "invalid JSON at byte 3: expected ':' but found '\\u000a'"
        );
    }
}
