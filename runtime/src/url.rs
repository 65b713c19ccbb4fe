//! Absolute `https` URLs, as every `url` field of the API requires.
//!
//! The rule is deliberately a regular language so that the JSON Schema bundle
//! can state it as [`HTTPS_URL_PATTERN`] and agree with [`HttpsUrl::parse`]
//! on every string.

use std::fmt;
use std::str::FromStr;

/// ECMA-262 regex (for JSON Schema `pattern`) accepting exactly the strings
/// [`HttpsUrl::parse`] accepts.
///
/// Pieces: scheme; optional `userinfo@`; a reg-name host (unreserved,
/// sub-delims or `%XX`) or an `[IP-literal]`; an optional `:port` of up to
/// five digits worth at most 65535 (leading zeros allowed: a 5-digit port is
/// at most 65535 exactly when it sorts at or before `65535`); then path,
/// query or fragment without ASCII controls or space. It ends in
/// `$(?![\s\S])` because Python's `re` (which the `jsonschema` package uses)
/// lets `$` match before a final newline; the lookahead makes every engine
/// require the true end.
pub const HTTPS_URL_PATTERN: &str = concat!(
    r"^[Hh][Tt][Tt][Pp][Ss]://",
    r"(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?",
    r"(?:(?:[A-Za-z0-9._~!$&'()*+,;=-]|%[0-9A-Fa-f]{2})+|\[[0-9A-Fa-f:.]+\])",
    r"(?::(?:[0-9]{0,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?",
    r"(?:[/?#][^\x00-\x20\x7F]*)?$(?![\s\S])",
);

/// An absolute `https` URL with a host, kept exactly as written.
///
/// It is never normalized (case, percent-encoding, default port), so a
/// request serializes byte for byte what the caller set.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HttpsUrl(String);

/// Why a string is not an acceptable [`HttpsUrl`].
///
/// The messages read as the tail of a sentence about the field
/// (`image_url has no host`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlError {
    /// The string does not start with `https://`.
    NotHttps {
        /// The scheme it has instead, when it looks like it has one.
        scheme: Option<String>,
    },
    /// Nothing between `https://` and the path (or `https:` without `//`).
    MissingHost,
    /// A malformed `[IP-literal]`, or junk right after one.
    InvalidHost,
    /// A port that is not 0 to 65535 written in at most five digits.
    InvalidPort,
    /// A character not allowed where it stands.
    InvalidCharacter {
        /// The character.
        ch: char,
        /// Its byte offset in the string.
        offset: usize,
    },
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
            UrlError::InvalidHost => write!(f, "has a malformed host"),
            UrlError::InvalidPort => write!(f, "has an invalid port (must be 0 to 65535)"),
            UrlError::InvalidCharacter { ch: ' ', offset } => {
                write!(f, "contains a space at offset {offset}")
            }
            UrlError::InvalidCharacter { ch, offset } if ch.is_control() => write!(
                f,
                "contains the control character U+{:04X} at offset {offset}",
                u32::from(*ch)
            ),
            UrlError::InvalidCharacter { ch, offset } => {
                write!(
                    f,
                    "contains {ch:?} at offset {offset}, where it is not allowed"
                )
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

fn check(s: &str) -> Result<(), UrlError> {
    let Some(rest) = s
        .get(..SCHEME_LEN)
        .filter(|prefix| prefix.eq_ignore_ascii_case("https://"))
        .and(s.get(SCHEME_LEN..))
    else {
        return Err(scheme_error(s));
    };
    // The authority ends at the first `/`, `?` or `#`; everything after is
    // path, query and fragment, where only controls and space are refused.
    let authority_len = rest
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_len);
    let tail_start = SCHEME_LEN + authority_len;
    // Byte-wise: every refused character is ASCII, and no byte of a multi-byte
    // UTF-8 sequence is, so this finds the same character as a `char` scan
    // without decoding the path (the hot part of a URL check).
    let refused = tail
        .bytes()
        .enumerate()
        .find(|&(_, b)| is_control_or_space(char::from(b)));
    if let Some((at, b)) = refused {
        return Err(UrlError::InvalidCharacter {
            ch: char::from(b),
            offset: tail_start + at,
        });
    }

    // Userinfo and host cannot contain `@`, so the first one ends the userinfo.
    let (host_port, host_start) = match split_at_ascii(authority, b'@') {
        Some((userinfo, host_port)) => {
            check_chars(userinfo, SCHEME_LEN, is_userinfo_char, true)?;
            (host_port, SCHEME_LEN + userinfo.len() + 1)
        }
        None => (authority, SCHEME_LEN),
    };
    if host_port.is_empty() {
        return Err(UrlError::MissingHost);
    }

    let after_host = if let Some(literal) = host_port.strip_prefix('[') {
        let (inner, after) = split_at_ascii(literal, b']').ok_or(UrlError::InvalidHost)?;
        if inner.is_empty() {
            return Err(UrlError::InvalidHost);
        }
        check_chars(inner, host_start + 1, is_ip_literal_char, false)?;
        after
    } else {
        let host_len = host_port
            .bytes()
            .position(|b| b == b':')
            .unwrap_or(host_port.len());
        let (host, after) = host_port.split_at(host_len);
        if host.is_empty() {
            return Err(UrlError::MissingHost);
        }
        check_chars(host, host_start, is_reg_name_char, true)?;
        after
    };

    match after_host.strip_prefix(':') {
        Some(port) => check_port(port),
        None if after_host.is_empty() => Ok(()),
        // Only reachable after `[…]`: a reg-name host runs to the `:`.
        None => Err(UrlError::InvalidHost),
    }
}

/// `s` split around the first `byte` (ASCII, so both sides are `str`s), like
/// `split_once` with a `char` but a plain loop: URL parts are a few dozen
/// bytes, too short for the `memchr` set-up of a `char` search to pay off.
fn split_at_ascii(s: &str, byte: u8) -> Option<(&str, &str)> {
    let at = s.bytes().position(|b| b == byte)?;
    Some((s.get(..at)?, s.get(at + 1..)?))
}

/// The error for a string that does not start with `https://`.
fn scheme_error(s: &str) -> UrlError {
    // A leading space or control usually means padding around a good URL;
    // pointing at it helps more than "must be https".
    if let Some(ch) = s.chars().next().filter(|&ch| is_control_or_space(ch)) {
        return UrlError::InvalidCharacter { ch, offset: 0 };
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

fn is_control_or_space(ch: char) -> bool {
    ch.is_ascii_control() || ch == ' '
}

/// RFC 3986 unreserved and sub-delims, the characters of a reg-name.
fn is_reg_name_char(b: u8) -> bool {
    // One `match`, which compiles to a range test and a bit mask rather
    // than a scan of the punctuation list for every host byte.
    matches!(
        b,
        b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
    )
}

fn is_userinfo_char(b: u8) -> bool {
    is_reg_name_char(b) || b == b':'
}

/// Checks that `part` (starting at byte `start` of the URL) holds only
/// bytes that `allowed` accepts or, where `percent` is set, `%XX` escapes.
fn check_chars(
    part: &str,
    start: usize,
    allowed: impl Fn(u8) -> bool,
    percent: bool,
) -> Result<(), UrlError> {
    let bytes = part.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let escape = || {
            bytes
                .get(i + 1..i + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
        };
        if allowed(b) {
            i += 1;
        } else if percent && b == b'%' && escape() {
            i += 3;
        } else {
            let ch = part
                .get(i..)
                .and_then(|rest| rest.chars().next())
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            return Err(UrlError::InvalidCharacter {
                ch,
                offset: start + i,
            });
        }
    }
    Ok(())
}

fn is_ip_literal_char(b: u8) -> bool {
    b.is_ascii_hexdigit() || b == b':' || b == b'.'
}

fn check_port(port: &str) -> Result<(), UrlError> {
    // An empty port is allowed by RFC 3986 (`https://host:/`).
    if port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(UrlError::InvalidPort);
    }
    match port.parse::<u32>() {
        Ok(value) if value > 65535 => Err(UrlError::InvalidPort),
        _ => Ok(()),
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

    /// Strings both `parse` and [`HTTPS_URL_PATTERN`] accept; the pattern was
    /// checked on both lists with node's `RegExp` (with and without the `u`
    /// flag) when it was written, and the workspace test `json_schema.rs`
    /// compares it with `parse` on many generated strings.
    const ACCEPTED: &[&str] = &[
        "https://a.b/c?d#e",
        "HTTPS://EXAMPLE.COM",
        "hTtPs://example.com",
        "https://[::1]:8080/x",
        "https://[2001:db8::7]",
        "https://[::ffff:192.0.2.1]/",
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
        "https://x?",
        "https://x#",
        "https://x?q=1&r=a",
        "https://cdn.example.com/v/1.mp4?sig=abc%2F==&t=1#t=5",
        "https://example.com/路径/ü?q=é",
        "https://example.com/a[b]c{d}|e^f`g\\h\"i<j>k%zz",
        "https://sub_domain.example~!$&'()*+,;=/",
        "https://127.0.0.1:8080/webhook",
        "https://example.com?query",
        "https://example.com#frag/with?stuff",
    ];

    /// Strings both `parse` and the pattern reject, with `parse`'s error.
    fn rejected() -> Vec<(&'static str, UrlError)> {
        let not_https = |scheme: &str| UrlError::NotHttps {
            scheme: Some(scheme.to_owned()),
        };
        let bad = |ch, offset| UrlError::InvalidCharacter { ch, offset };
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
            (" https://x", bad(' ', 0)),
            ("\thttps://x", bad('\t', 0)),
            ("https://", UrlError::MissingHost),
            ("https:///path", UrlError::MissingHost),
            ("https://?q", UrlError::MissingHost),
            ("https://user@", UrlError::MissingHost),
            ("https://user@/x", UrlError::MissingHost),
            ("https://:443", UrlError::MissingHost),
            ("https:example.com", UrlError::MissingHost),
            ("https:/example.com", UrlError::MissingHost),
            ("https://a b", bad(' ', 9)),
            ("https://example.com/a b", bad(' ', 21)),
            ("https://example.com/a\nb", bad('\n', 21)),
            ("https://example.com/a\u{7f}", bad('\u{7f}', 21)),
            ("https://example.com/ ", bad(' ', 20)),
            ("https://ex ample.com", bad(' ', 10)),
            ("https://exa\u{0}mple.com", bad('\u{0}', 11)),
            ("https://exämple.com", bad('ä', 10)),
            ("https://a@b@c", bad('@', 11)),
            ("https://a%2x", bad('%', 9)),
            ("https://a%2", bad('%', 9)),
            ("https://a%/", bad('%', 9)),
            ("https://us%er@x", bad('%', 10)),
            ("https://us er@x", bad(' ', 10)),
            ("https://us[er@x", bad('[', 10)),
            ("https://a[b", bad('[', 9)),
            ("https://a\\b", bad('\\', 9)),
            ("https://a<b>", bad('<', 9)),
            ("https://x:99999", UrlError::InvalidPort),
            ("https://x:65536", UrlError::InvalidPort),
            ("https://x:123456", UrlError::InvalidPort),
            ("https://x:8o", UrlError::InvalidPort),
            ("https://x:8:8", UrlError::InvalidPort),
            ("https://x:-1", UrlError::InvalidPort),
            ("https://[]", UrlError::InvalidHost),
            ("https://[::1", UrlError::InvalidHost),
            ("https://[::1]x", UrlError::InvalidHost),
            ("https://[::1]]", UrlError::InvalidHost),
            ("https://[::g]", bad('g', 11)),
            ("https://[%41]", bad('%', 9)),
            ("https://[v1.x]", bad('v', 9)),
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
        assert_eq!(
            message("http://x"),
            Err("must be an absolute https URL, got scheme \"http\"".into())
        );
        assert_eq!(message("https://"), Err("has no host".into()));
        assert_eq!(
            message("https://ab/c d"),
            Err("contains a space at offset 12".into())
        );
        assert_eq!(
            message("https://a/b\tc"),
            Err("contains the control character U+0009 at offset 11".into())
        );
        assert_eq!(
            message("https://a<b"),
            Err("contains '<' at offset 9, where it is not allowed".into())
        );
        assert_eq!(
            message("free text"),
            Err("must be an absolute https URL (https://host/path)".into())
        );
        assert_eq!(
            message("https://x:70000"),
            Err("has an invalid port (must be 0 to 65535)".into())
        );
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
    fn pattern_is_anchored_ecma_syntax() {
        assert!(HTTPS_URL_PATTERN.starts_with('^') && HTTPS_URL_PATTERN.ends_with(r"$(?![\s\S])"));
        assert!(!HTTPS_URL_PATTERN.contains("(?<") && !HTTPS_URL_PATTERN.contains("(?i"));
    }
}
