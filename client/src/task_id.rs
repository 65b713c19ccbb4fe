//! What a task id may be: one plain path segment of
//! `GET /api/v1/tasks/{task_id}`.
//!
//! Ids are written into a URL path, and `..` there would climb out of it
//! (`/api/v1/tasks/..` is `/api/v1`). Rather than percent-encode whatever
//! comes, the client takes only ids made of RFC 3986's unreserved characters
//! (letters, digits, `-`, `.`, `_`, `~`), which need no encoding anywhere,
//! and not `.` or `..`. The API's own ids (`task_01HZX…`, `img_…`) are such
//! tokens; an id from the server that is not one is an invalid response.

use orux_models::display::quoted;

/// The longest id accepted, in bytes: far beyond the API's ids (`task_`
/// and a 26-character ULID), and short enough for any URL.
pub const MAX_TASK_ID_BYTES: usize = 256;

/// Whether `id` can be a task id; `Err` says why not, in words that follow
/// "the task id".
pub(crate) fn check(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("is empty".to_owned());
    }
    if id.len() > MAX_TASK_ID_BYTES {
        return Err(format!(
            "is {} bytes long, over the {MAX_TASK_ID_BYTES} accepted",
            id.len()
        ));
    }
    let plain = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
    if !id.bytes().all(plain) || id == "." || id == ".." {
        return Err(format!(
            "{} is not one plain path segment (letters, digits, '-', '.', '_', '~'; not '.' or '..')",
            quoted(id)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_tokens_only() {
        for ok in [
            "task_01HZX8Y",
            "img_1",
            "a.b-c~d",
            "...",
            "x".repeat(256).as_str(),
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            ".",
            "..",
            "a/b",
            "../x",
            "a?b",
            "a#b",
            "a%2e",
            "a b",
            "é",
            "task\u{1b}[2J",
            "x".repeat(257).as_str(),
        ] {
            assert!(check(bad).is_err(), "{bad:?}");
        }
        let shown = check("a\u{202e}b").unwrap_err();
        assert!(shown.contains("\\u202e"), "{shown}");
    }
}
