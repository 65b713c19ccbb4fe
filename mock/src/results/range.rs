//! `Range` and `If-Range` as RFC 9110 (14.2, 13.1.5) has a file server read
//! them, for one range: `bytes=A-B`, `bytes=A-`, `bytes=-N`. Several ranges,
//! another unit or a malformed value are ignored (the whole file is sent,
//! which the RFC allows); a range that starts past the end is 416.

/// What to send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    /// 200, the whole file.
    Whole,
    /// 206, bytes `start..=end`.
    Part {
        /// First byte.
        start: u64,
        /// Last byte (inclusive).
        end: u64,
    },
    /// 416, with `Content-Range: bytes */LEN`.
    Unsatisfiable,
}

/// The selection for a file of `len` bytes whose validators are `etag` and
/// `last_modified`, given the request's `Range` and `If-Range`.
pub fn select(
    range: Option<&str>,
    if_range: Option<&str>,
    etag: &str,
    last_modified: &str,
    len: u64,
) -> Selection {
    let Some(range) = range else {
        return Selection::Whole;
    };
    // If-Range: a strong ETag compared strongly, or the exact date; anything
    // else means "the version I have is not this one": send it whole.
    if let Some(validator) = if_range.map(str::trim)
        && validator != etag
        && validator != last_modified
    {
        return Selection::Whole;
    }
    let Some(spec) = range
        .trim()
        .strip_prefix("bytes=")
        .filter(|spec| !spec.contains(','))
    else {
        return Selection::Whole;
    };
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Selection::Whole;
    };
    let (first, last) = (number(first.trim()), number(last.trim()));
    match (first, last) {
        // bytes=-N: the last N bytes.
        (None, Some(suffix)) if first_is_empty(spec) => {
            if suffix == 0 || len == 0 {
                Selection::Unsatisfiable
            } else {
                Selection::Part {
                    start: len.saturating_sub(suffix),
                    end: len - 1,
                }
            }
        }
        (Some(start), last) if last.is_some() || last_is_empty(spec) => {
            if start >= len {
                return Selection::Unsatisfiable;
            }
            match last {
                Some(last) if last < start => Selection::Whole,
                Some(last) => Selection::Part {
                    start,
                    end: last.min(len - 1),
                },
                None => Selection::Part {
                    start,
                    end: len - 1,
                },
            }
        }
        _ => Selection::Whole,
    }
}

fn first_is_empty(spec: &str) -> bool {
    spec.trim().starts_with('-')
}

fn last_is_empty(spec: &str) -> bool {
    spec.trim().ends_with('-')
}

fn number(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAG: &str = "\"t1\"";
    const DATE: &str = "Thu, 04 Jun 2026 22:00:05 GMT";

    fn sel(range: &str, if_range: Option<&str>) -> Selection {
        select(Some(range), if_range, TAG, DATE, 100)
    }

    #[test]
    fn single_ranges() {
        assert_eq!(
            sel("bytes=10-", None),
            Selection::Part { start: 10, end: 99 }
        );
        assert_eq!(
            sel("bytes=10-19", None),
            Selection::Part { start: 10, end: 19 }
        );
        assert_eq!(
            sel("bytes=90-500", None),
            Selection::Part { start: 90, end: 99 }
        );
        assert_eq!(
            sel("bytes=-5", None),
            Selection::Part { start: 95, end: 99 }
        );
        assert_eq!(
            sel("bytes=-500", None),
            Selection::Part { start: 0, end: 99 }
        );
        assert_eq!(sel("bytes=100-", None), Selection::Unsatisfiable);
        assert_eq!(sel("bytes=-0", None), Selection::Unsatisfiable);
        assert_eq!(select(None, None, TAG, DATE, 100), Selection::Whole);
    }

    #[test]
    fn what_is_ignored_gets_the_whole_file() {
        for range in [
            "bytes=0-1,5-6",
            "items=0-1",
            "bytes=x-",
            "bytes=5-1",
            "bytes=-",
            "bytes=1",
            "bytes=+1-",
        ] {
            assert_eq!(sel(range, None), Selection::Whole, "{range}");
        }
    }

    #[test]
    fn if_range_must_name_this_version() {
        let part = Selection::Part { start: 10, end: 99 };
        assert_eq!(sel("bytes=10-", Some(TAG)), part);
        assert_eq!(sel("bytes=10-", Some(DATE)), part);
        assert_eq!(sel("bytes=10-", Some("\"t0\"")), Selection::Whole);
        assert_eq!(sel("bytes=10-", Some("W/\"t1\"")), Selection::Whole);
        assert_eq!(
            sel("bytes=10-", Some("Thu, 04 Jun 2026 22:00:04 GMT")),
            Selection::Whole
        );
    }
}
