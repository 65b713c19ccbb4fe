//! What a result file holds: the committed MP4 fixture, or (with
//! `--result-bytes N`) N pseudo-random bytes computed from the task, the
//! result's index and the file's version, at any offset without keeping
//! them, so that a 4 GiB result costs no memory and a range costs no seek.

use sha2::{Digest, Sha256};

/// The default result: a 2-second 160×90 H.264 MP4 (a test pattern with a
/// running clock) that video players open. How it was made is in
/// `mock/fixtures/README.md`.
pub const RESULT_MP4: &[u8] = include_bytes!("../../fixtures/result.mp4");

/// The bytes of one version of one result file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultContent {
    /// [`RESULT_MP4`]; a new version keeps the bytes and changes the ETag.
    Mp4 {
        /// Which version (0 until a `new-etag` fault).
        version: u32,
    },
    /// `len` pseudo-random bytes, all of them different for another task,
    /// result or version.
    Random {
        /// The stream's seed.
        seed: u64,
        /// Its length.
        len: u64,
    },
}

impl ResultContent {
    /// The content of result `index` (0-based) of the task with this ULID,
    /// at `version`: the MP4 fixture, or `random_len` pseudo-random bytes.
    pub fn of(task: u128, index: usize, version: u32, random_len: Option<u64>) -> ResultContent {
        match random_len {
            None => ResultContent::Mp4 { version },
            Some(len) => {
                let mut seed = splitmix64(task as u64 ^ (task >> 64) as u64);
                seed = splitmix64(seed ^ index as u64);
                seed = splitmix64(seed ^ u64::from(version));
                ResultContent::Random { seed, len }
            }
        }
    }

    /// Its length in bytes.
    pub fn len(&self) -> u64 {
        match self {
            ResultContent::Mp4 { .. } => RESULT_MP4.len() as u64,
            ResultContent::Random { len, .. } => *len,
        }
    }

    /// Whether it has no bytes (`--result-bytes 0`).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `video/mp4`, or `application/octet-stream` for random bytes.
    pub fn content_type(&self) -> &'static str {
        match self {
            ResultContent::Mp4 { .. } => "video/mp4",
            ResultContent::Random { .. } => "application/octet-stream",
        }
    }

    /// The extension its URL ends with.
    pub fn extension(&self) -> &'static str {
        match self {
            ResultContent::Mp4 { .. } => "mp4",
            ResultContent::Random { .. } => "bin",
        }
    }

    /// A strong ETag naming exactly this content.
    pub fn etag(&self) -> String {
        match self {
            ResultContent::Mp4 { version } => format!("\"mp4-{:08x}-v{version}\"", mp4_tag()),
            ResultContent::Random { seed, len } => format!("\"rnd-{seed:016x}-{len}\""),
        }
    }

    /// Fills `out` with the bytes from `offset` on (as many as exist).
    /// Returns how many were written.
    pub fn read_at(&self, offset: u64, out: &mut [u8]) -> usize {
        let available = self.len().saturating_sub(offset);
        let n = out
            .len()
            .min(usize::try_from(available).unwrap_or(usize::MAX));
        let out = &mut out[..n];
        match self {
            ResultContent::Mp4 { .. } => {
                // `offset` < len here, so it fits in usize.
                let start = offset as usize;
                out.copy_from_slice(&RESULT_MP4[start..start + n]);
            }
            ResultContent::Random { seed, .. } => fill_random(*seed, offset, out),
        }
        n
    }

    /// The SHA-256 of all its bytes, in lowercase hex (reads it through once).
    pub fn sha256_hex(&self) -> String {
        let mut hasher = Sha256::new();
        let mut buffer = vec![0; 1 << 20];
        let mut offset = 0;
        loop {
            let n = self.read_at(offset, &mut buffer);
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
            offset += n as u64;
        }
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// A short tag of the fixture's bytes, so its ETag changes if the fixture does.
fn mp4_tag() -> u32 {
    RESULT_MP4.iter().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

/// Word `i` of the stream is `splitmix64(seed + i·φ)`, little-endian: any
/// offset is computed directly.
fn fill_random(seed: u64, offset: u64, out: &mut [u8]) {
    const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;
    let word = |index: u64| splitmix64(seed.wrapping_add(index.wrapping_mul(GOLDEN))).to_le_bytes();
    let mut position = offset;
    let mut written = 0;
    // An unaligned start: the tail of the first word.
    let skip = (position % 8) as usize;
    if skip != 0 && !out.is_empty() {
        let bytes = word(position / 8);
        let take = (8 - skip).min(out.len());
        out[..take].copy_from_slice(&bytes[skip..skip + take]);
        written = take;
        position += take as u64;
    }
    let mut chunks = out[written..].chunks_exact_mut(8);
    let mut index = position / 8;
    for chunk in &mut chunks {
        chunk.copy_from_slice(&word(index));
        index += 1;
    }
    let rest = chunks.into_remainder();
    if !rest.is_empty() {
        let bytes = word(index);
        let len = rest.len();
        rest.copy_from_slice(&bytes[..len]);
    }
}

fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_offset_reads_the_same_bytes() {
        let content = ResultContent::of(7, 0, 0, Some(1000));
        let mut whole = vec![0; 1000];
        assert_eq!(content.read_at(0, &mut whole), 1000);
        for offset in [0, 1, 7, 8, 9, 333, 992, 999] {
            for len in [0, 1, 5, 8, 13, 64] {
                let mut part = vec![0; len];
                let n = content.read_at(offset, &mut part);
                let end = (offset as usize + len).min(1000);
                assert_eq!(&part[..n], &whole[offset as usize..end], "{offset}+{len}");
            }
        }
        let mut past = [0; 4];
        assert_eq!(content.read_at(1000, &mut past), 0);
    }

    #[test]
    fn versions_tasks_and_indexes_differ() {
        let base = ResultContent::of(7, 0, 0, Some(64));
        for other in [
            ResultContent::of(8, 0, 0, Some(64)),
            ResultContent::of(7, 1, 0, Some(64)),
            ResultContent::of(7, 0, 1, Some(64)),
        ] {
            assert_ne!(base.etag(), other.etag());
            assert_ne!(base.sha256_hex(), other.sha256_hex());
        }
        assert_eq!(base, ResultContent::of(7, 0, 0, Some(64)), "deterministic");
        let mp4 = ResultContent::of(7, 0, 0, None);
        let newer = ResultContent::of(7, 0, 1, None);
        assert_ne!(mp4.etag(), newer.etag());
        assert_eq!(mp4.sha256_hex(), newer.sha256_hex(), "same bytes, new tag");
    }

    #[test]
    fn the_fixture_is_an_mp4_with_its_boxes_in_order() {
        // ISO BMFF: size (u32 BE) + type; ftyp first, moov before mdat
        // (faststart), and the boxes cover the file exactly.
        let mut offset = 0;
        let mut kinds = Vec::new();
        while offset < RESULT_MP4.len() {
            let size = u32::from_be_bytes(RESULT_MP4[offset..offset + 4].try_into().unwrap());
            kinds.push(String::from_utf8_lossy(&RESULT_MP4[offset + 4..offset + 8]).into_owned());
            assert!(size >= 8);
            offset += size as usize;
        }
        assert_eq!(offset, RESULT_MP4.len());
        assert_eq!(kinds[0], "ftyp");
        let moov = kinds.iter().position(|k| k == "moov").expect("moov");
        let mdat = kinds.iter().position(|k| k == "mdat").expect("mdat");
        assert!(moov < mdat, "{kinds:?}");
    }
}
