//! A row's stable identity: what it says, not where it is.
//!
//! A row is the SHA-256 of its content (a JSON Lines row: its text without
//! the surrounding whitespace; a CSV row: its non-empty cells, by column
//! name) plus its occurrence among rows with the same content (the second
//! identical line is occurrence 1). Inserting, deleting or moving other rows
//! leaves a row's identity as it was, so a rerun on an edited manifest
//! still finds every row it already submitted; editing a row makes it a new
//! row (its old self is no longer in the manifest).

use std::fmt;

use sha2::{Digest, Sha256};

/// A row's identity: the digest of its content and its occurrence number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RowIdentity {
    digest: [u8; 32],
    occurrence: u32,
}

impl RowIdentity {
    /// The identity of occurrence `occurrence` (0 for the first) of content
    /// whose digest is `digest`.
    pub fn new(digest: [u8; 32], occurrence: u32) -> RowIdentity {
        RowIdentity { digest, occurrence }
    }

    /// The content digest, as 64 lowercase hex digits (as the journal stores it).
    pub fn digest_hex(&self) -> String {
        hex(&self.digest)
    }

    /// The content digest.
    pub fn digest(&self) -> &[u8; 32] {
        &self.digest
    }

    /// 0 for the first row with this content, 1 for the second, …
    pub fn occurrence(&self) -> u32 {
        self.occurrence
    }
}

/// `<first 12 hex digits of the digest>#<occurrence>`, short enough for a message.
impl fmt::Display for RowIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", &self.digest_hex()[..12], self.occurrence)
    }
}

/// The digest of a request body used as is (a JSON Lines row, or a body from
/// a caller's own source).
pub fn body_digest(body: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"orux-batch body\0");
    hasher.update(body);
    hasher.finalize().into()
}

/// The digest of a CSV row: its non-empty `(column, value)` cells in column
/// name order, each length-prefixed, so that reordering the columns or
/// adding an empty one changes nothing.
pub fn cells_digest<'a>(cells: impl IntoIterator<Item = (&'a str, &'a str)>) -> [u8; 32] {
    let mut cells: Vec<(&str, &str)> = cells
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .collect();
    cells.sort_unstable();
    let mut hasher = Sha256::new();
    hasher.update(b"orux-batch csv\0");
    for (column, value) in cells {
        for part in [column, value] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
    }
    hasher.finalize().into()
}

/// The plain SHA-256 of `bytes`, as lowercase hex: what the journal records
/// of a body sent and of a downloaded file.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes).into())
}

/// Lowercase hex digits.
pub(crate) fn hex(bytes: &[u8; 32]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(64);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    text
}

/// Counts occurrences of each digest as rows are read, in manifest order.
#[derive(Debug, Default)]
pub(crate) struct Occurrences {
    seen: std::collections::HashMap<[u8; 32], u32>,
}

impl Occurrences {
    /// The identity of the next row with this digest.
    pub fn next(&mut self, digest: [u8; 32]) -> RowIdentity {
        let count = self.seen.entry(digest).or_insert(0);
        let identity = RowIdentity::new(digest, *count);
        *count += 1;
        identity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_ignore_order_and_empty_cells_but_not_values() {
        let a = cells_digest([("model", "sora2"), ("prompt", "boat"), ("duration", "")]);
        let b = cells_digest([("prompt", "boat"), ("model", "sora2")]);
        assert_eq!(a, b);
        assert_ne!(a, cells_digest([("model", "sora2"), ("prompt", "boats")]));
        // Lengths keep cells apart: "ab" + "c" is not "a" + "bc".
        assert_ne!(cells_digest([("ab", "c")]), cells_digest([("a", "bc")]));
    }

    #[test]
    fn repeated_content_gets_the_next_occurrence() {
        let mut occurrences = Occurrences::default();
        let digest = body_digest(b"{}");
        assert_eq!(occurrences.next(digest).occurrence(), 0);
        assert_eq!(occurrences.next(body_digest(b"{ }")).occurrence(), 0);
        assert_eq!(occurrences.next(digest).occurrence(), 1);
    }

    #[test]
    fn hex_and_display() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let identity = RowIdentity::new([0xab; 32], 2);
        assert_eq!(identity.to_string(), "abababababab#2");
    }
}
