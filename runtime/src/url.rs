//! Absolute `https` URLs, as every `url` field of the API requires.
//!
//! The rule is RFC 3986's `URI`, strictly, with three restrictions on top:
//! the scheme is `https` (in any letter case), the authority is present and
//! its host is not empty, and a port is at most 65535 (in at most five
//! digits). Every part admits only the characters the RFC's grammar gives
//! it, every `%` starts a `%XX` escape, and nothing outside ASCII is accepted
//! anywhere (an internationalized host is written in its `xn--` form, a
//! non-ASCII path percent-encoded). A bracketed host must really be an IPv6
//! address or an IPvFuture literal; zone ids (RFC 6874) are not part of RFC
//! 3986 and are refused.
//!
//! The rule is a regular language, so the JSON Schema bundle states it as
//! [`HTTPS_URL_PATTERN`], built from the RFC's ABNF rule by rule, and it
//! agrees with [`HttpsUrl::parse`] on every string (the workspace tests
//! check both, and an RFC 3986 parser crate, on a generated corpus).

use std::fmt;
use std::str::FromStr;

use crate::display::quoted;

// The pattern's pieces, one per ABNF rule of RFC 3986 (sections 2 and 3,
// appendix A), so that the regex can be read against the RFC. Each expands
// to a string literal, for `concat!`. Character-class contents are written
// without brackets so that unions can be formed; `unreserved` ends in `-`,
// and goes last in a union, where `-` is a literal in every regex dialect.

/// `HEXDIG` (hex digits are case-insensitive, RFC 3986 section 2.1).
macro_rules! hexdig {
    () => {
        "[0-9A-Fa-f]"
    };
}
/// `pct-encoded = "%" HEXDIG HEXDIG`
macro_rules! pct_encoded {
    () => {
        concat!("%", hexdig!(), "{2}")
    };
}
/// `unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"` (class contents).
macro_rules! unreserved {
    () => {
        "A-Za-z0-9._~-"
    };
}
/// `sub-delims = "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "="`
/// (class contents).
macro_rules! sub_delims {
    () => {
        "!$&'()*+,;="
    };
}
/// `dec-octet = DIGIT / %x31-39 DIGIT / "1" 2DIGIT / "2" %x30-34 DIGIT / "25" %x30-35`
macro_rules! dec_octet {
    () => {
        "(?:[0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])"
    };
}
/// `IPv4address = dec-octet "." dec-octet "." dec-octet "." dec-octet`
macro_rules! ipv4address {
    () => {
        concat!(
            dec_octet!(),
            r"\.",
            dec_octet!(),
            r"\.",
            dec_octet!(),
            r"\.",
            dec_octet!()
        )
    };
}
/// `h16 = 1*4HEXDIG`
macro_rules! h16 {
    () => {
        concat!(hexdig!(), "{1,4}")
    };
}
/// `ls32 = ( h16 ":" h16 ) / IPv4address`
macro_rules! ls32 {
    () => {
        concat!("(?:", h16!(), ":", h16!(), "|", ipv4address!(), ")")
    };
}
/// `n( h16 ":" )` (`$n` is a regex repetition count such as `{6}`).
macro_rules! h16_colon {
    ($n:literal) => {
        concat!("(?:", h16!(), ":)", $n)
    };
}
/// `[ *n( h16 ":" ) h16 ]`, the part before `::` (`$n` as `{0,n}`).
macro_rules! before_gap {
    ($n:literal) => {
        concat!("(?:", h16_colon!($n), h16!(), ")?")
    };
}
/// `IPv6address`, its nine alternatives in the RFC's order:
///
/// ```text
///                              6( h16 ":" ) ls32
///  /                      "::" 5( h16 ":" ) ls32
///  / [               h16 ] "::" 4( h16 ":" ) ls32
///  / [ *1( h16 ":" ) h16 ] "::" 3( h16 ":" ) ls32
///  / [ *2( h16 ":" ) h16 ] "::" 2( h16 ":" ) ls32
///  / [ *3( h16 ":" ) h16 ] "::"    h16 ":"   ls32
///  / [ *4( h16 ":" ) h16 ] "::"              ls32
///  / [ *5( h16 ":" ) h16 ] "::"              h16
///  / [ *6( h16 ":" ) h16 ] "::"
/// ```
macro_rules! ipv6address {
    () => {
        concat!(
            "(?:",
            h16_colon!("{6}"),
            ls32!(),
            "|::",
            h16_colon!("{5}"),
            ls32!(),
            "|(?:",
            h16!(),
            ")?::",
            h16_colon!("{4}"),
            ls32!(),
            "|",
            before_gap!("{0,1}"),
            "::",
            h16_colon!("{3}"),
            ls32!(),
            "|",
            before_gap!("{0,2}"),
            "::",
            h16_colon!("{2}"),
            ls32!(),
            "|",
            before_gap!("{0,3}"),
            "::",
            h16!(),
            ":",
            ls32!(),
            "|",
            before_gap!("{0,4}"),
            "::",
            ls32!(),
            "|",
            before_gap!("{0,5}"),
            "::",
            h16!(),
            "|",
            before_gap!("{0,6}"),
            "::)"
        )
    };
}
/// `IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )`
/// (ABNF strings are case-insensitive, so `V` too).
macro_rules! ipvfuture {
    () => {
        concat!(
            "[Vv]",
            hexdig!(),
            r"+\.[",
            sub_delims!(),
            ":",
            unreserved!(),
            "]+"
        )
    };
}
/// `IP-literal = "[" ( IPv6address / IPvFuture ) "]"`
macro_rules! ip_literal {
    () => {
        concat!(r"\[(?:", ipv6address!(), "|", ipvfuture!(), r")\]")
    };
}
/// `reg-name = *( unreserved / pct-encoded / sub-delims )`, made non-empty:
/// the host must not be empty.
macro_rules! reg_name {
    () => {
        concat!(
            "(?:[",
            sub_delims!(),
            unreserved!(),
            "]|",
            pct_encoded!(),
            ")+"
        )
    };
}
/// `host = IP-literal / IPv4address / reg-name`. Every `IPv4address` is also
/// a `reg-name` (digits and dots are unreserved), so the union leaves it out
/// without changing the language.
macro_rules! host {
    () => {
        concat!("(?:", ip_literal!(), "|", reg_name!(), ")")
    };
}
/// `userinfo = *( unreserved / pct-encoded / sub-delims / ":" )`
macro_rules! userinfo {
    () => {
        concat!(
            "(?:[",
            sub_delims!(),
            ":",
            unreserved!(),
            "]|",
            pct_encoded!(),
            ")*"
        )
    };
}
/// `port = *DIGIT`, restricted to at most five digits worth at most 65535
/// (leading zeros allowed; a five-digit port is at most 65535 exactly when
/// it sorts at or before `65535`).
macro_rules! port {
    () => {
        "(?:[0-9]{0,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
    };
}
/// `authority = [ userinfo "@" ] host [ ":" port ]`
macro_rules! authority {
    () => {
        concat!("(?:", userinfo!(), "@)?", host!(), "(?::", port!(), ")?")
    };
}
/// `pchar = unreserved / pct-encoded / sub-delims / ":" / "@"`
macro_rules! pchar {
    () => {
        concat!(
            "(?:[",
            sub_delims!(),
            ":@",
            unreserved!(),
            "]|",
            pct_encoded!(),
            ")"
        )
    };
}
/// `path-abempty = *( "/" segment )`, `segment = *pchar`
macro_rules! path_abempty {
    () => {
        concat!("(?:/", pchar!(), "*)*")
    };
}
/// `query = *( pchar / "/" / "?" )`; `fragment` is the same.
macro_rules! query {
    () => {
        concat!(
            "(?:[",
            sub_delims!(),
            ":@/?",
            unreserved!(),
            "]|",
            pct_encoded!(),
            ")*"
        )
    };
}

/// ECMA-262 regex (for JSON Schema `pattern`) accepting exactly the strings
/// [`HttpsUrl::parse`] accepts:
///
/// ```text
/// "https://" authority path-abempty [ "?" query ] [ "#" fragment ]
/// ```
///
/// RFC 3986's `URI` with its `hier-part` limited to the `"//" authority`
/// form, each rule spelled out as in the RFC (see the source). Only ASCII
/// classes appear, so it means the same with and without the `u` flag, under
/// Python's `re` and Rust's regex crates. It ends in `$(?![\s\S])` because
/// Python's `re` (which the `jsonschema` package uses) lets `$` match before
/// a final newline; the lookahead makes every engine require the true end.
pub const HTTPS_URL_PATTERN: &str = concat!(
    "^[Hh][Tt][Tt][Pp][Ss]://",
    authority!(),
    path_abempty!(),
    r"(?:\?",
    query!(),
    ")?(?:#",
    query!(),
    r")?$(?![\s\S])",
);

/// An absolute `https` URL with a host, kept exactly as written.
///
/// It is never normalized (case, percent-encoding, default port), so a
/// request serializes byte for byte what the caller set.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HttpsUrl(String);

/// The part of a URL a character was found in, for error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UrlPart {
    /// Before `://` (a leading space or control character).
    Scheme,
    /// Before the `@` of the authority.
    Userinfo,
    /// The host (a reg-name; IP literals have their own errors).
    Host,
    /// From the first `/` after the authority.
    Path,
    /// After the first `?`.
    Query,
    /// After the first `#`.
    Fragment,
}

impl fmt::Display for UrlPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UrlPart::Scheme => "a URL scheme",
            UrlPart::Userinfo => "URL userinfo",
            UrlPart::Host => "a URL host",
            UrlPart::Path => "a URL path",
            UrlPart::Query => "a URL query",
            UrlPart::Fragment => "a URL fragment",
        })
    }
}

/// Why a string is not an acceptable [`HttpsUrl`].
///
/// The messages read as the tail of a sentence about the field
/// (`image_url has no host`). Any part of the input they quote is cut to
/// 80 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlError {
    /// The string does not start with `https://`.
    NotHttps {
        /// The scheme it has instead, when it looks like it has one.
        scheme: Option<String>,
    },
    /// Nothing between `https://` and the path (or `https:` without `//`).
    MissingHost,
    /// A `[` host without its closing `]`.
    UnclosedIpLiteral,
    /// `[…]` holding neither an IPv6 address nor an IPvFuture literal.
    InvalidIpLiteral {
        /// The literal, brackets included, as written (its message quotes it
        /// with [`crate::display::quote`]: bounded and escaped).
        literal: String,
    },
    /// Something other than `:port` right after an `[IP-literal]`.
    AfterIpLiteral {
        /// The character.
        ch: char,
        /// Its byte offset in the string.
        offset: usize,
    },
    /// A port that is not 0 to 65535 written in at most five digits.
    InvalidPort {
        /// The port as written (its message quotes it with [`crate::display::quote`]).
        port: String,
    },
    /// A `%` not followed by two hex digits.
    InvalidPercent {
        /// The byte offset of the `%`.
        offset: usize,
        /// Where it stands.
        part: UrlPart,
    },
    /// A character RFC 3986 does not allow where it stands.
    InvalidCharacter {
        /// The character.
        ch: char,
        /// Its byte offset in the string.
        offset: usize,
        /// Where it stands.
        part: UrlPart,
    },
}

/// A character as a message names it: `a space`, `the control character
/// U+0009`, `the non-ASCII character 'é'`, `the character '<'`.
fn describe_char(ch: char, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if ch == ' ' {
        f.write_str("a space")
    } else if ch.is_control() {
        write!(f, "the control character U+{:04X}", u32::from(ch))
    } else if !ch.is_ascii() {
        write!(f, "the non-ASCII character {ch:?}")
    } else {
        write!(f, "the character {ch:?}")
    }
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlError::NotHttps {
                scheme: Some(scheme),
            } => write!(f, "must be an absolute https URL, got scheme {scheme:?}"),
            UrlError::NotHttps { scheme: None } => {
                write!(f, "must be an absolute https URL (https://host/path)")
            }
            UrlError::MissingHost => write!(f, "has no host"),
            UrlError::UnclosedIpLiteral => {
                write!(f, "has a host that opens '[' and never closes it")
            }
            UrlError::InvalidIpLiteral { literal } => {
                let is_future = literal.starts_with("[v") || literal.starts_with("[V");
                let what = if is_future {
                    "an IPvFuture literal (v<hex>.<address>)"
                } else {
                    "an IPv6 address"
                };
                write!(f, "has the host {}, which is not {what}", quoted(literal))
            }
            UrlError::AfterIpLiteral { ch, offset } => {
                f.write_str("has ")?;
                describe_char(*ch, f)?;
                write!(
                    f,
                    " at offset {offset}, right after its bracketed host, where only ':port' or the path may follow"
                )
            }
            UrlError::InvalidPort { port } => {
                write!(f, "has the port {}, which is not 0 to 65535", quoted(port))
            }
            UrlError::InvalidPercent { offset, part } => write!(
                f,
                "has a '%' at offset {offset} that is not followed by two hex digits, in {part}"
            ),
            UrlError::InvalidCharacter { ch, offset, part } => {
                f.write_str("has ")?;
                describe_char(*ch, f)?;
                write!(f, " at offset {offset}, which is not allowed in {part}")?;
                match part {
                    _ if ch.is_ascii() => Ok(()),
                    UrlPart::Host => {
                        f.write_str(" (write an internationalized host in its xn-- form)")
                    }
                    _ => f.write_str(" (percent-encode it)"),
                }
            }
        }
    }
}

impl std::error::Error for UrlError {}

impl HttpsUrl {
    /// Validates `s` (see the module docs and [`HTTPS_URL_PATTERN`]).
    pub fn parse(s: &str) -> Result<HttpsUrl, UrlError> {
        check(s)?;
        Ok(HttpsUrl(s.to_owned()))
    }

    /// The URL as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The URL as written, without copying.
    pub fn into_string(self) -> String {
        self.0
    }
}

const SCHEME_LEN: usize = "https://".len();

/// Character classes of the ASCII bytes, one bit each, as RFC 3986 names
/// them; a byte outside ASCII has none.
const REG_NAME: u8 = 1; // unreserved / sub-delims
const COLON: u8 = 2;
const AT: u8 = 4;
const SLASH: u8 = 8;
const QUESTION: u8 = 16;
const HEX: u8 = 32;

/// What each part admits besides `%XX` escapes.
const USERINFO_OK: u8 = REG_NAME | COLON;
const PATH_OK: u8 = REG_NAME | COLON | AT | SLASH; // pchar / "/"
const QUERY_OK: u8 = PATH_OK | QUESTION; // pchar / "/" / "?", also the fragment's

/// The class bits of every byte.
static CLASSES: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        let mut bits = 0;
        if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~') {
            bits |= REG_NAME; // unreserved
        }
        if matches!(
            c,
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
        ) {
            bits |= REG_NAME; // sub-delims
        }
        if c.is_ascii_hexdigit() {
            bits |= HEX;
        }
        bits |= match c {
            b':' => COLON,
            b'@' => AT,
            b'/' => SLASH,
            b'?' => QUESTION,
            _ => 0,
        };
        table[b] = bits;
        b += 1;
    }
    table
};

fn class(b: u8) -> u8 {
    CLASSES[usize::from(b)]
}

/// The character that starts at byte `at` of `s` (which the scanners only
/// call at a character boundary: they stop at the first byte of a
/// non-ASCII character).
fn char_at(s: &str, at: usize) -> char {
    s.get(at..)
        .and_then(|rest| rest.chars().next())
        .unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// Why byte `at` of `s` (in `part`) is refused: a bad escape or a bad character.
fn refused(s: &str, at: usize, part: UrlPart) -> UrlError {
    if s.as_bytes().get(at) == Some(&b'%') {
        UrlError::InvalidPercent { offset: at, part }
    } else {
        UrlError::InvalidCharacter {
            ch: char_at(s, at),
            offset: at,
            part,
        }
    }
}

/// Skips, from byte `at` of `bytes`, the bytes whose class meets `ok` and
/// the `%XX` escapes; returns where that run ends.
fn run(bytes: &[u8], mut at: usize, ok: u8) -> usize {
    while let Some(&b) = bytes.get(at) {
        if class(b) & ok != 0 {
            at += 1;
        } else if b == b'%' && is_escape(bytes, at) {
            at += 3;
        } else {
            break;
        }
    }
    at
}

/// Whether the `%` at `at` is followed by two hex digits.
fn is_escape(bytes: &[u8], at: usize) -> bool {
    bytes
        .get(at + 1..at + 3)
        .is_some_and(|hex| hex.iter().all(|&b| class(b) & HEX != 0))
}

fn check(s: &str) -> Result<(), UrlError> {
    let Some(rest) = s
        .get(..SCHEME_LEN)
        .filter(|prefix| prefix.eq_ignore_ascii_case("https://"))
        .and(s.get(SCHEME_LEN..))
    else {
        return Err(scheme_error(s));
    };
    // The authority ends at the first `/`, `?` or `#`, none of which any of
    // its parts may contain (not even an IP literal).
    let authority_end = SCHEME_LEN
        + rest
            .bytes()
            .position(|b| matches!(b, b'/' | b'?' | b'#'))
            .unwrap_or(rest.len());
    check_authority(s, authority_end)?;
    check_tail(s, authority_end)
}

/// Checks `s[SCHEME_LEN..end]`: `[ userinfo "@" ] host [ ":" port ]`.
fn check_authority(s: &str, end: usize) -> Result<(), UrlError> {
    let bytes = s.as_bytes().get(..end).unwrap_or_default();
    // Userinfo cannot contain `@`, so the first one ends it; a second one
    // is then a character the host does not allow.
    let host_start = match bytes
        .get(SCHEME_LEN..)
        .and_then(|authority| authority.iter().position(|&b| b == b'@'))
    {
        Some(at) => {
            let at = SCHEME_LEN + at;
            let userinfo_end = run(bytes, SCHEME_LEN, USERINFO_OK);
            if userinfo_end < at {
                return Err(refused(s, userinfo_end, UrlPart::Userinfo));
            }
            at + 1
        }
        None => SCHEME_LEN,
    };
    let host_end = match bytes.get(host_start) {
        None | Some(b':') => return Err(UrlError::MissingHost),
        Some(b'[') => check_ip_literal(s, host_start, end)?,
        Some(_) => {
            let host_end = run(bytes, host_start, REG_NAME);
            match bytes.get(host_end) {
                None | Some(b':') => host_end,
                Some(_) => return Err(refused(s, host_end, UrlPart::Host)),
            }
        }
    };
    match bytes.get(host_end) {
        None => Ok(()),
        Some(_) => check_port(s.get(host_end + 1..end).unwrap_or_default()),
    }
}

/// Checks the `[…]` host starting at byte `start` of `s`, in an authority
/// ending at `end`; returns where the host ends, at the end or at a `:`.
fn check_ip_literal(s: &str, start: usize, end: usize) -> Result<usize, UrlError> {
    let bytes = s.as_bytes().get(..end).unwrap_or_default();
    let close = bytes
        .get(start..)
        .and_then(|host| host.iter().position(|&b| b == b']'))
        .map(|at| start + at)
        .ok_or(UrlError::UnclosedIpLiteral)?;
    let inner = bytes.get(start + 1..close).unwrap_or_default();
    if !(is_ipv6(inner) || is_ipvfuture(inner)) {
        return Err(UrlError::InvalidIpLiteral {
            literal: s.get(start..=close).unwrap_or_default().to_owned(),
        });
    }
    let after = close + 1;
    match bytes.get(after) {
        None | Some(b':') => Ok(after),
        Some(_) => Err(UrlError::AfterIpLiteral {
            ch: char_at(s, after),
            offset: after,
        }),
    }
}

/// RFC 3986 `IPv6address`: eight 16-bit groups (the last two may be written
/// as an IPv4 address), or at most seven around one `::`.
fn is_ipv6(address: &[u8]) -> bool {
    match address.windows(2).position(|pair| pair == b"::") {
        Some(gap) => {
            let before = address.get(..gap).unwrap_or_default();
            let after = address.get(gap + 2..).unwrap_or_default();
            match (groups(before, false), groups(after, true)) {
                (Some(before), Some(after)) => before + after <= 7,
                _ => false,
            }
        }
        None => groups(address, true) == Some(8),
    }
}

/// The number of 16-bit groups in `h16 *( ":" h16 )` (or nothing), where
/// with `ipv4_last` the last piece may be an IPv4 address, worth two; `None`
/// when `part` is not of that form.
fn groups(part: &[u8], ipv4_last: bool) -> Option<usize> {
    if part.is_empty() {
        return Some(0);
    }
    let mut count = 0;
    let mut pieces = part.split(|&b| b == b':').peekable();
    while let Some(piece) = pieces.next() {
        let is_last = pieces.peek().is_none();
        if (1..=4).contains(&piece.len()) && piece.iter().all(|&b| class(b) & HEX != 0) {
            count += 1;
        } else if is_last && ipv4_last && is_ipv4(piece) {
            count += 2;
        } else {
            return None;
        }
    }
    Some(count)
}

/// RFC 3986 `IPv4address`: four `dec-octet`s, 0 to 255 without leading zeros.
fn is_ipv4(address: &[u8]) -> bool {
    let mut octets = 0;
    for octet in address.split(|&b| b == b'.') {
        let is_dec_octet = match octet {
            [d] => d.is_ascii_digit(),
            [b'1'..=b'9', rest @ ..] if rest.len() <= 2 => {
                rest.iter().all(u8::is_ascii_digit)
                    && (octet.len() < 3 || octet <= b"255".as_slice())
            }
            _ => false,
        };
        if !is_dec_octet {
            return false;
        }
        octets += 1;
    }
    octets == 4
}

/// RFC 3986 `IPvFuture`: `v` (either case), hex digits, `.`, then at least
/// one unreserved, sub-delims or `:` character.
fn is_ipvfuture(literal: &[u8]) -> bool {
    let Some((b'v' | b'V', rest)) = literal.split_first() else {
        return false;
    };
    let version_len = rest.iter().take_while(|&&b| class(b) & HEX != 0).count();
    match rest.get(version_len..) {
        Some([b'.', address @ ..]) if version_len > 0 && !address.is_empty() => {
            address.iter().all(|&b| class(b) & USERINFO_OK != 0)
        }
        _ => false,
    }
}

fn check_port(port: &str) -> Result<(), UrlError> {
    // An empty port is allowed by RFC 3986 (`https://host:/`).
    let in_range = port.len() <= 5
        && port.bytes().all(|b| b.is_ascii_digit())
        && (port.is_empty() || port.parse::<u32>().is_ok_and(|value| value <= 65535));
    if in_range {
        Ok(())
    } else {
        Err(UrlError::InvalidPort {
            port: port.to_owned(),
        })
    }
}

/// Checks path, query and fragment: `s[start..]`, which is empty or starts
/// with `/`, `?` or `#`.
fn check_tail(s: &str, start: usize) -> Result<(), UrlError> {
    let bytes = s.as_bytes();
    let mut at = start;
    let mut part = UrlPart::Path;
    loop {
        let ok = if part == UrlPart::Path {
            PATH_OK
        } else {
            QUERY_OK
        };
        at = run(bytes, at, ok);
        part = match (bytes.get(at), part) {
            (None, _) => return Ok(()),
            (Some(b'?'), UrlPart::Path) => UrlPart::Query,
            (Some(b'#'), UrlPart::Path | UrlPart::Query) => UrlPart::Fragment,
            (Some(_), part) => return Err(refused(s, at, part)),
        };
        at += 1;
    }
}

/// The error for a string that does not start with `https://`.
fn scheme_error(s: &str) -> UrlError {
    // A leading space or control usually means padding around a good URL;
    // pointing at it helps more than "must be https".
    if let Some(ch) = s
        .chars()
        .next()
        .filter(|&ch| ch.is_ascii_control() || ch == ' ')
    {
        return UrlError::InvalidCharacter {
            ch,
            offset: 0,
            part: UrlPart::Scheme,
        };
    }
    match s.split_once(':').map(|(scheme, _)| scheme) {
        // `https:` without `//` has no authority, so no host.
        Some(scheme) if scheme.eq_ignore_ascii_case("https") => UrlError::MissingHost,
        // RFC 3986 scheme syntax, minus `.` so that `example.com:8080`
        // is not reported as having the scheme "example.com".
        Some(scheme)
            if (1..=32).contains(&scheme.len())
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-') =>
        {
            UrlError::NotHttps {
                scheme: Some(scheme.to_owned()),
            }
        }
        _ => UrlError::NotHttps { scheme: None },
    }
}

impl FromStr for HttpsUrl {
    type Err = UrlError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        HttpsUrl::parse(s)
    }
}

impl TryFrom<String> for HttpsUrl {
    type Error = UrlError;

    /// Validates and keeps the `String` without copying it.
    fn try_from(s: String) -> Result<Self, Self::Error> {
        check(&s)?;
        Ok(HttpsUrl(s))
    }
}

impl TryFrom<&str> for HttpsUrl {
    type Error = UrlError;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        HttpsUrl::parse(s)
    }
}

impl AsRef<str> for HttpsUrl {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for HttpsUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for HttpsUrl {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for HttpsUrl {
    /// Accepts a string that [`HttpsUrl::parse`] accepts; the error message
    /// is the [`UrlError`]'s.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        HttpsUrl::try_from(s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Strings `parse` accepts; the workspace tests (`url_rule.rs`) check
    /// that [`HTTPS_URL_PATTERN`] and an RFC 3986 parser crate accept them
    /// too, on a much larger generated corpus.
    const ACCEPTED: &[&str] = &[
        "https://a.b/c?d#e",
        "HTTPS://EXAMPLE.COM",
        "hTtPs://example.com",
        "https://[::1]:8080/x",
        "https://[2001:db8::7]",
        "https://[::ffff:192.0.2.1]/",
        "https://[1:2:3:4:5:6:7:8]",
        "https://[1:2:3:4:5:6:1.2.3.4]",
        "https://[1:2:3:4:5:6:7::]",
        "https://[::2:3:4:5:6:7:8]",
        "https://[::]",
        "https://[1::]",
        "https://[FFFF::abcd]",
        "https://[::255.255.255.255]",
        "https://[v1.x]",
        "https://[V1F.a:b!$&'()*+,;=-._~]",
        "https://example.com",
        "https://example.com/",
        "https://example.com:443/path",
        "https://example.com:/",
        "https://example.com:0",
        "https://example.com:65535",
        "https://example.com:00080",
        "https://user:pass@example.com/x",
        "https://user@example.com",
        "https://@example.com",
        "https://a%20b.example/",
        "https://999.1.1.1/",
        "https://x?",
        "https://x#",
        "https://x?q=1&r=a",
        "https://cdn.example.com/v/1.mp4?sig=abc%2F==&t=1#t=5",
        "https://example.com/%E8%B7%AF%E5%BE%84?q=%C3%A9",
        "https://sub_domain.example~!$&'()*+,;=/",
        "https://127.0.0.1:8080/webhook",
        "https://example.com?query",
        "https://example.com#frag/with?stuff:@",
        "https://example.com/a:b@c//d/",
        "https://xn--exmple-cua.com/",
    ];

    /// Strings `parse` rejects, with `parse`'s error.
    fn rejected() -> Vec<(&'static str, UrlError)> {
        use UrlPart::*;
        let not_https = |scheme: &str| UrlError::NotHttps {
            scheme: Some(scheme.to_owned()),
        };
        let bad = |ch, offset, part| UrlError::InvalidCharacter { ch, offset, part };
        let percent = |offset, part| UrlError::InvalidPercent { offset, part };
        let literal = |literal: &str| UrlError::InvalidIpLiteral {
            literal: literal.to_owned(),
        };
        let port = |port: &str| UrlError::InvalidPort {
            port: port.to_owned(),
        };
        vec![
            ("http://x", not_https("http")),
            ("ftp://x", not_https("ftp")),
            ("data:image/png;base64,AAAA", not_https("data")),
            ("HTTP://EXAMPLE.COM", not_https("HTTP")),
            ("/relative", UrlError::NotHttps { scheme: None }),
            ("example.com", UrlError::NotHttps { scheme: None }),
            ("example.com:8080/x", UrlError::NotHttps { scheme: None }),
            ("", UrlError::NotHttps { scheme: None }),
            ("https", UrlError::NotHttps { scheme: None }),
            ("//example.com", UrlError::NotHttps { scheme: None }),
            ("https ://x", UrlError::NotHttps { scheme: None }),
            (" https://x", bad(' ', 0, Scheme)),
            ("\thttps://x", bad('\t', 0, Scheme)),
            ("https://", UrlError::MissingHost),
            ("https:///path", UrlError::MissingHost),
            ("https://?q", UrlError::MissingHost),
            ("https://user@", UrlError::MissingHost),
            ("https://user@/x", UrlError::MissingHost),
            ("https://:443", UrlError::MissingHost),
            ("https:example.com", UrlError::MissingHost),
            ("https:/example.com", UrlError::MissingHost),
            ("https://a b", bad(' ', 9, Host)),
            ("https://example.com/a b", bad(' ', 21, Path)),
            ("https://example.com/a\nb", bad('\n', 21, Path)),
            ("https://example.com/a\u{7f}", bad('\u{7f}', 21, Path)),
            ("https://example.com/ ", bad(' ', 20, Path)),
            ("https://ex ample.com", bad(' ', 10, Host)),
            ("https://exa\u{0}mple.com", bad('\u{0}', 11, Host)),
            ("https://exämple.com", bad('ä', 10, Host)),
            ("https://example.com/路径", bad('路', 20, Path)),
            ("https://example.com/?q=é", bad('é', 23, Query)),
            (
                "https://example.com/#\u{202e}",
                bad('\u{202e}', 21, Fragment),
            ),
            ("https://üser@x", bad('ü', 8, Userinfo)),
            ("https://a@b@c", bad('@', 11, Host)),
            ("https://a%2x", percent(9, Host)),
            ("https://a%2", percent(9, Host)),
            ("https://a%/", percent(9, Host)),
            ("https://us%er@x", percent(10, Userinfo)),
            ("https://x/%zz", percent(10, Path)),
            ("https://x/a%", percent(11, Path)),
            ("https://x?%4g", percent(10, Query)),
            ("https://x#%", percent(10, Fragment)),
            ("https://us er@x", bad(' ', 10, Userinfo)),
            ("https://us[er@x", bad('[', 10, Userinfo)),
            ("https://a[b", bad('[', 9, Host)),
            ("https://a\\b", bad('\\', 9, Host)),
            ("https://a<b>", bad('<', 9, Host)),
            ("https://x/a<b", bad('<', 11, Path)),
            ("https://x/a>", bad('>', 11, Path)),
            ("https://x/\"", bad('"', 10, Path)),
            ("https://x/{}", bad('{', 10, Path)),
            ("https://x/a|b", bad('|', 11, Path)),
            ("https://x/a\\b", bad('\\', 11, Path)),
            ("https://x/a^b", bad('^', 11, Path)),
            ("https://x/a`b", bad('`', 11, Path)),
            ("https://x/a[b]", bad('[', 11, Path)),
            ("https://x?a[0]=1", bad('[', 11, Query)),
            ("https://x#a#b", bad('#', 11, Fragment)),
            ("https://x:99999", port("99999")),
            ("https://x:65536", port("65536")),
            ("https://x:123456", port("123456")),
            ("https://x:000080", port("000080")),
            ("https://x:8o", port("8o")),
            ("https://x:8:8", port("8:8")),
            ("https://x:-1", port("-1")),
            ("https://[]", literal("[]")),
            ("https://[::1", UrlError::UnclosedIpLiteral),
            (
                "https://[::1]x",
                UrlError::AfterIpLiteral {
                    ch: 'x',
                    offset: 13,
                },
            ),
            (
                "https://[::1]]",
                UrlError::AfterIpLiteral {
                    ch: ']',
                    offset: 13,
                },
            ),
            ("https://[1]/a.png", literal("[1]")),
            ("https://[::::]/hook", literal("[::::]")),
            ("https://[:::]", literal("[:::]")),
            ("https://[.]", literal("[.]")),
            ("https://[::g]", literal("[::g]")),
            ("https://[%41]", literal("[%41]")),
            ("https://[v1.x%41]", literal("[v1.x%41]")),
            ("https://[v1.]", literal("[v1.]")),
            ("https://[v.x]", literal("[v.x]")),
            ("https://[vg.x]", literal("[vg.x]")),
            ("https://[fe80::1%25eth0]", literal("[fe80::1%25eth0]")),
            (
                "https://[1:2:3:4:5:6:7:8:9]",
                literal("[1:2:3:4:5:6:7:8:9]"),
            ),
            ("https://[1:2:3:4:5:6:7]", literal("[1:2:3:4:5:6:7]")),
            (
                "https://[1:2:3:4:5:6:7:8::]",
                literal("[1:2:3:4:5:6:7:8::]"),
            ),
            ("https://[1:2:3:4::5:6:7:8]", literal("[1:2:3:4::5:6:7:8]")),
            ("https://[1::2::3]", literal("[1::2::3]")),
            ("https://[12345::]", literal("[12345::]")),
            ("https://[:1::]", literal("[:1::]")),
            ("https://[1::1:]", literal("[1::1:]")),
            ("https://[1.2.3.4]", literal("[1.2.3.4]")),
            ("https://[::1.2.3.4:1]", literal("[::1.2.3.4:1]")),
            ("https://[1.2.3.4::]", literal("[1.2.3.4::]")),
            ("https://[::256.1.1.1]", literal("[::256.1.1.1]")),
            ("https://[::01.1.1.1]", literal("[::01.1.1.1]")),
            ("https://[::1.2.3]", literal("[::1.2.3]")),
            (
                "https://[1:2:3:4:5:6:7:1.2.3.4]",
                literal("[1:2:3:4:5:6:7:1.2.3.4]"),
            ),
            ("https://[::1]:99999", port("99999")),
        ]
    }

    #[test]
    fn accepts() {
        for url in ACCEPTED {
            let parsed = HttpsUrl::parse(url);
            assert_eq!(parsed.as_ref().map(HttpsUrl::as_str), Ok(*url), "{url}");
        }
    }

    #[test]
    fn rejects() {
        for (url, error) in rejected() {
            assert_eq!(HttpsUrl::parse(url), Err(error), "{url:?}");
        }
    }

    #[test]
    fn messages() {
        let message = |s: &str| HttpsUrl::parse(s).map(|_| ()).map_err(|e| e.to_string());
        let cases = [
            (
                "http://x",
                "must be an absolute https URL, got scheme \"http\"",
            ),
            ("https://", "has no host"),
            (
                "https://ab/c d",
                "has a space at offset 12, which is not allowed in a URL path",
            ),
            (
                "https://a/b\tc",
                "has the control character U+0009 at offset 11, which is not allowed in a URL path",
            ),
            (
                "https://a/<b",
                "has the character '<' at offset 10, which is not allowed in a URL path",
            ),
            (
                "https://a/?<b",
                "has the character '<' at offset 11, which is not allowed in a URL query",
            ),
            (
                "https://a/é",
                "has the non-ASCII character 'é' at offset 10, which is not allowed in a URL path (percent-encode it)",
            ),
            (
                "https://bücher.example/",
                "has the non-ASCII character 'ü' at offset 9, which is not allowed in a URL host (write an internationalized host in its xn-- form)",
            ),
            (
                "https://a/%zz",
                "has a '%' at offset 10 that is not followed by two hex digits, in a URL path",
            ),
            (
                "https://[1]/a.png",
                "has the host \"[1]\", which is not an IPv6 address",
            ),
            (
                "https://[v1]/a.png",
                "has the host \"[v1]\", which is not an IPvFuture literal (v<hex>.<address>)",
            ),
            (
                "https://[::1",
                "has a host that opens '[' and never closes it",
            ),
            (
                "https://[::1]x",
                "has the character 'x' at offset 13, right after its bracketed host, where only ':port' or the path may follow",
            ),
            (
                "free text",
                "must be an absolute https URL (https://host/path)",
            ),
            (
                "https://x:70000",
                "has the port \"70000\", which is not 0 to 65535",
            ),
        ];
        for (url, expected) in cases {
            assert_eq!(message(url), Err(expected.to_owned()), "{url:?}");
        }
    }

    #[test]
    fn messages_quote_at_most_80_characters() {
        let long_port = format!("https://x:{}", "9".repeat(10_000));
        let long_literal = format!("https://[{}]", ":".repeat(10_000));
        // Control characters: `quote` keeps 80 of them, each shown as a
        // six-character `\u000e`, so the message stays bounded.
        let escaped_port = format!("https://x:>{}x", "\u{e}".repeat(100));
        let escaped_literal = format!("https://[{}]", "\u{1}".repeat(100));
        for url in [long_port, long_literal, escaped_port, escaped_literal] {
            let message = HttpsUrl::parse(&url).map(|_| ()).unwrap_err().to_string();
            assert!(message.chars().count() < 80 * 6 + 120, "{message}");
            assert!(message.contains('…'), "{message}");
        }
    }

    #[test]
    fn conversions_and_serde() {
        let url: HttpsUrl = "https://example.com/a".parse().unwrap();
        assert_eq!(url.to_string(), "https://example.com/a");
        assert_eq!(url.as_ref(), "https://example.com/a");
        assert_eq!(HttpsUrl::try_from("https://example.com/a"), Ok(url.clone()));
        assert_eq!(
            HttpsUrl::try_from(String::from("https://example.com/a")),
            Ok(url.clone())
        );
        assert_eq!(
            serde_json::to_string(&url).unwrap(),
            "\"https://example.com/a\""
        );
        let back: HttpsUrl = serde_json::from_str("\"https://example.com/a\"").unwrap();
        assert_eq!(back, url);
        assert_eq!(url.clone().into_string(), "https://example.com/a");
        let error = serde_json::from_str::<HttpsUrl>("\"http://x\"").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("must be an absolute https URL, got scheme \"http\"")
        );
        assert!(serde_json::from_str::<HttpsUrl>("5").is_err());
    }

    #[test]
    fn pattern_is_anchored_ascii_ecma_syntax() {
        assert!(HTTPS_URL_PATTERN.starts_with('^') && HTTPS_URL_PATTERN.ends_with(r"$(?![\s\S])"));
        assert!(!HTTPS_URL_PATTERN.contains("(?<") && !HTTPS_URL_PATTERN.contains("(?i"));
        // No shorthand class whose meaning depends on the engine or the `u`
        // flag (`\d` is Unicode digits in Python), and no non-ASCII.
        let body = HTTPS_URL_PATTERN.trim_end_matches(r"$(?![\s\S])");
        for shorthand in [r"\d", r"\w", r"\s", r"\b", "."] {
            let unescaped = body.replace(r"\.", "").replace(r"._~", "");
            assert!(!unescaped.contains(shorthand), "{shorthand}");
        }
        assert!(HTTPS_URL_PATTERN.is_ascii());
    }
}
