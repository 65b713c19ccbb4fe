//! Our names for downloaded files: `<task_id>.<ext>` for a task's only
//! result, `<task_id>-<n>.<ext>` (n from 1) when it has several. Nothing a
//! server sends (a URL, a header, a task id) can choose a directory or a
//! name outside this pattern.

/// Content types we know, and the extension each one gets.
const CONTENT_TYPES: &[(&str, &str)] = &[
    ("video/mp4", "mp4"),
    ("video/quicktime", "mov"),
    ("video/webm", "webm"),
    ("video/x-matroska", "mkv"),
    ("video/mpeg", "mpg"),
    ("video/x-msvideo", "avi"),
    ("video/3gpp", "3gp"),
    ("image/png", "png"),
    ("image/jpeg", "jpg"),
    ("image/webp", "webp"),
    ("image/gif", "gif"),
    ("audio/mpeg", "mp3"),
    ("audio/mp4", "m4a"),
    ("audio/wav", "wav"),
    ("audio/x-wav", "wav"),
    ("audio/wave", "wav"),
    ("audio/ogg", "ogg"),
    ("audio/aac", "aac"),
];

/// Extensions taken from a URL's last path segment, besides those above.
const URL_ONLY_EXTENSIONS: &[&str] = &["m4v", "jpeg"];

/// The extension of a file whose type we could not tell.
pub const UNKNOWN_EXTENSION: &str = "bin";

/// Longest stem we write, in bytes: far below any file system's name limit,
/// with room for `-<n>.<ext>` and `.part.meta`.
const MAX_STEM_BYTES: usize = 120;

/// Every extension a result file can get, [`UNKNOWN_EXTENSION`] included: a
/// directory holding `<stem>.<any of these>` already has that result.
pub fn all_extensions() -> impl Iterator<Item = &'static str> {
    let mut seen: Vec<&'static str> = Vec::new();
    CONTENT_TYPES
        .iter()
        .map(|(_, ext)| *ext)
        .chain(URL_ONLY_EXTENSIONS.iter().copied())
        .chain(std::iter::once(UNKNOWN_EXTENSION))
        .filter(move |ext| {
            let new = !seen.contains(ext);
            seen.push(ext);
            new
        })
}

/// The extension for a response: from a known `Content-Type`, else from a
/// plain known extension at the end of the URL's path (`…/clip.MP4` → `mp4`),
/// else [`UNKNOWN_EXTENSION`].
pub fn extension(content_type: Option<&str>, url_path: &str) -> &'static str {
    content_type
        .and_then(from_content_type)
        .or_else(|| from_url_path(url_path))
        .unwrap_or(UNKNOWN_EXTENSION)
}

fn from_content_type(content_type: &str) -> Option<&'static str> {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    CONTENT_TYPES
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(essence))
        .map(|(_, ext)| *ext)
}

/// The extension of the last segment of a URL path as sent (still
/// percent-encoded): only letters and digits after the last dot, and only
/// one we know. `%2e`, `..`, a trailing slash or a query never count.
fn from_url_path(path: &str) -> Option<&'static str> {
    let segment = path.rsplit('/').next()?;
    let (stem, ext) = segment.rsplit_once('.')?;
    if stem.is_empty() || ext.is_empty() || !ext.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    CONTENT_TYPES
        .iter()
        .map(|(_, known)| *known)
        .chain(URL_ONLY_EXTENSIONS.iter().copied())
        .find(|known| known.eq_ignore_ascii_case(ext))
}

/// The stem of a result's file: the task id made safe, plus `-<n>` (n from
/// 1) when the task has more than one result.
pub fn result_stem(task_id: &str, index: usize, count: usize) -> String {
    let base = safe_stem(task_id);
    if count > 1 {
        format!("{base}-{}", index + 1)
    } else {
        base
    }
}

/// A task id as a file name: ASCII letters, digits, `_` and `-` are kept,
/// anything else (`/`, `\`, `.`, `%`, spaces, control and non-ASCII
/// characters) becomes `_`; at most [`MAX_STEM_BYTES`]; a name Windows
/// reserves (`CON`, `NUL`, `COM1`, …) gets a leading `_`; an empty id is
/// `task`. Real ids (`task_01J…`) pass unchanged.
pub fn safe_stem(task_id: &str) -> String {
    let mut stem: String = task_id
        .chars()
        .take(MAX_STEM_BYTES)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if stem.is_empty() {
        stem.push_str("task");
    }
    if is_reserved(&stem) {
        stem.insert(0, '_');
    }
    stem
}

/// Device names Windows reserves, with or without an extension.
fn is_reserved(stem: &str) -> bool {
    const NAMES: [&str; 4] = ["CON", "PRN", "AUX", "NUL"];
    let upper = stem.to_ascii_uppercase();
    if NAMES.contains(&upper.as_str()) {
        return true;
    }
    let bytes = upper.as_bytes();
    bytes.len() == 4
        && (upper.starts_with("COM") || upper.starts_with("LPT"))
        && bytes[3].is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_type_decides_first() {
        assert_eq!(extension(Some("video/mp4"), "/x.webm"), "mp4");
        assert_eq!(extension(Some("Video/MP4; codecs=avc1"), "/x"), "mp4");
        assert_eq!(
            extension(Some("application/octet-stream"), "/a/clip.MOV"),
            "mov"
        );
        assert_eq!(extension(None, "/a/b/clip.m4v"), "m4v");
        assert_eq!(extension(Some("text/html"), "/a/b/clip"), "bin");
    }

    #[test]
    fn only_plain_known_extensions_from_urls() {
        for path in [
            "/x.exe",
            "/x.mp4/",
            "/x%2Emp4",
            "/.mp4",
            "/x.mp4%00",
            "/x.mp4.",
            "/x.m p4",
            "/",
            "",
        ] {
            assert_eq!(extension(None, path), "bin", "{path}");
        }
        assert_eq!(extension(None, "/../../etc/x.png"), "png");
    }

    #[test]
    fn stems_are_ours() {
        assert_eq!(result_stem("task_01J0ABC", 0, 1), "task_01J0ABC");
        assert_eq!(result_stem("task_01J0ABC", 1, 3), "task_01J0ABC-2");
        for (id, stem) in [
            ("../../etc/passwd", "______etc_passwd"),
            ("a/b\\c", "a_b_c"),
            ("..", "__"),
            ("x%2F..%2Fy", "x_2F___2Fy"),
            ("tab\there\u{1b}[31m", "tab_here__31m"),
            ("ünï", "_n_"),
            ("", "task"),
            ("con", "_con"),
            ("LPT1", "_LPT1"),
            ("COM10", "COM10"),
        ] {
            assert_eq!(safe_stem(id), stem, "{id:?}");
        }
        assert_eq!(safe_stem(&"a".repeat(10_000)).len(), MAX_STEM_BYTES);
    }

    #[test]
    fn every_extension_once() {
        let all: Vec<_> = all_extensions().collect();
        assert!(all.contains(&"mp4") && all.contains(&"bin") && all.contains(&"jpeg"));
        let mut sorted = all.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), all.len());
    }
}
