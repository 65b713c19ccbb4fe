//! What a file host's response head says, read into our types: its
//! validator (for `If-Range`), its lengths, the range it sent, its type.
//! Lenient in what it reads; anything unreadable counts as absent.

use http::HeaderMap;
use http::header::{CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, ETAG, LAST_MODIFIED};
use serde::{Deserialize, Serialize};

/// Longest header value kept (an ETag, a date, a content type).
const MAX_VALUE_BYTES: usize = 1024;

/// What identifies one version of a file (RFC 9110, 8.8): a strong ETag,
/// else `Last-Modified`. A weak ETag (`W/"…"`) cannot guard a range.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Validator {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validator {
    pub fn of(headers: &HeaderMap) -> Validator {
        Validator {
            etag: text(headers, ETAG).filter(|tag| is_strong_etag(tag)),
            last_modified: text(headers, LAST_MODIFIED),
        }
    }

    /// The value to send as `If-Range`, if a range can be asked for safely.
    pub fn if_range(&self) -> Option<&str> {
        self.etag.as_deref().or(self.last_modified.as_deref())
    }

    /// Whether a 206 answer carries the version asked for: its validator, if
    /// it sent the same kind, must be the one our `If-Range` named.
    pub fn matches(&self, answer: &Validator) -> bool {
        match (&self.etag, &answer.etag) {
            (Some(ours), Some(theirs)) => ours == theirs,
            (Some(_), None) => true,
            (None, _) => match (&self.last_modified, &answer.last_modified) {
                (Some(ours), Some(theirs)) => ours == theirs,
                _ => true,
            },
        }
    }
}

/// A strong entity tag: `"…"` with only the characters RFC 9110 allows.
fn is_strong_etag(tag: &str) -> bool {
    let Some(inner) = tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else {
        return false;
    };
    inner
        .bytes()
        .all(|b| b == 0x21 || (0x23..=0x7e).contains(&b))
}

/// `Content-Range: bytes START-END/TOTAL` of a 206 (END inclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ContentRange {
    pub start: u64,
    pub end: u64,
    pub total: Option<u64>,
}

/// The parts of a response head a download acts on.
#[derive(Clone, Debug)]
pub(crate) struct Head {
    pub content_length: Option<u64>,
    pub range: Option<ContentRange>,
    pub validator: Validator,
    pub content_type: Option<String>,
}

impl Head {
    pub fn of(headers: &HeaderMap) -> Head {
        Head {
            content_length: text(headers, CONTENT_LENGTH).and_then(|v| number(&v)),
            range: text(headers, CONTENT_RANGE)
                .as_deref()
                .and_then(content_range),
            validator: Validator::of(headers),
            content_type: text(headers, CONTENT_TYPE),
        }
    }
}

fn text(headers: &HeaderMap, name: http::header::HeaderName) -> Option<String> {
    let value = headers.get(name)?.to_str().ok()?.trim();
    (!value.is_empty() && value.len() <= MAX_VALUE_BYTES).then(|| value.to_owned())
}

/// A decimal length: digits only, no sign, no overflow.
fn number(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn content_range(text: &str) -> Option<ContentRange> {
    let rest = strip_bytes_unit(text)?;
    let (span, total) = rest.split_once('/')?;
    let (start, end) = span.split_once('-')?;
    let (start, end) = (number(start.trim())?, number(end.trim())?);
    let total = match total.trim() {
        "*" => None,
        digits => Some(number(digits)?),
    };
    let fits = start <= end && total.is_none_or(|total| end < total);
    fits.then_some(ContentRange { start, end, total })
}

fn strip_bytes_unit(text: &str) -> Option<&str> {
    let (unit, rest) = text.trim().split_once(' ')?;
    unit.eq_ignore_ascii_case("bytes").then_some(rest.trim())
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn content_ranges() {
        let head = Head::of(&headers(&[("content-range", "bytes 100-199/200")]));
        assert_eq!(
            head.range,
            Some(ContentRange {
                start: 100,
                end: 199,
                total: Some(200)
            })
        );
        let head = Head::of(&headers(&[("content-range", "BYTES 0-9/*")]));
        assert_eq!(head.range.map(|r| r.total), Some(None));
        for bad in [
            "bytes 10-9/20",
            "bytes 0-20/20",
            "bytes -1-5/9",
            "items 0-1/2",
            "bytes 0-1",
            "bytes 0-99999999999999999999999/1",
            "bytes */20",
        ] {
            assert_eq!(
                Head::of(&headers(&[("content-range", bad)])).range,
                None,
                "{bad}"
            );
        }
    }

    #[test]
    fn only_strong_etags_guard_a_range() {
        let strong = Validator::of(&headers(&[("etag", "\"abc\"")]));
        assert_eq!(strong.if_range(), Some("\"abc\""));
        let weak = Validator::of(&headers(&[
            ("etag", "W/\"abc\""),
            ("last-modified", "Wed, 21 Oct 2015 07:28:00 GMT"),
        ]));
        assert_eq!(weak.if_range(), Some("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert_eq!(Validator::of(&headers(&[("etag", "abc")])).if_range(), None);
        assert_eq!(
            Validator::of(&headers(&[("etag", "\"a\"b\"")])).if_range(),
            None
        );
    }

    #[test]
    fn a_206_must_carry_the_version_asked_for() {
        let ours = Validator {
            etag: Some("\"v1\"".into()),
            last_modified: None,
        };
        let v2 = Validator {
            etag: Some("\"v2\"".into()),
            last_modified: None,
        };
        assert!(ours.matches(&ours));
        assert!(!ours.matches(&v2));
        assert!(ours.matches(&Validator::default()));
    }

    #[test]
    fn lengths_are_plain_digits() {
        assert_eq!(
            Head::of(&headers(&[("content-length", "42")])).content_length,
            Some(42)
        );
        for bad in ["-1", "+4", "4 2", "0x10", "99999999999999999999999"] {
            assert_eq!(
                Head::of(&headers(&[("content-length", bad)])).content_length,
                None
            );
        }
    }
}
