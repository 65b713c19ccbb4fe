//! `data:image/<subtype>;base64,<payload>` URIs, one of the three shapes of
//! Veo's `image` field.
//!
//! The payload must be canonical standard base64, so a payload cut short or
//! elided with `...` (as in the API docs' own example) is caught here rather
//! than by the API after an upload.

use std::fmt;
use std::str::FromStr;

/// ECMA-262 regex (for JSON Schema `pattern`) accepting exactly the strings
/// [`DataUri::parse`] accepts, but one whose payload starts like a known
/// image format other than the declared one ([`DataUriError::TypeMismatch`]:
/// a regex cannot decode base64).
///
/// The payload is whole 4-character groups; the last group may be padded,
/// and then its last data character must leave the unused bits zero (`AQgw`
/// before `==`, `AEIMQUYcgkosw048` before `=`). It ends in `$(?![\s\S])`
/// because Python's `re` lets `$` match before a final newline; the lookahead
/// makes every engine require the true end.
pub const DATA_URI_PATTERN: &str = concat!(
    r"^data:image/[A-Za-z0-9!#$&^_.+-]+;base64,",
    r"(?:[A-Za-z0-9+/]{4})*",
    r"(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)$(?![\s\S])",
);

/// A validated `data:image/<subtype>;base64,<payload>` URI, kept as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DataUri(String);

/// Why a string is not an acceptable [`DataUri`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataUriError {
    /// It does not start with `data:`.
    NotDataUri,
    /// The media type is not `image/<subtype>`.
    NotImage {
        /// The media type found (at most 64 characters of it).
        media_type: String,
    },
    /// The media type is not followed by exactly `;base64,`.
    NotBase64,
    /// Nothing after `;base64,`.
    EmptyPayload,
    /// A character outside the standard base64 alphabet and `=`.
    InvalidBase64 {
        /// Byte offset within the payload.
        offset: usize,
        /// The character.
        ch: char,
    },
    /// The payload length is not a multiple of 4.
    BadLength {
        /// The payload length in bytes.
        len: usize,
    },
    /// `=` other than as the last one or two characters, or padding after
    /// non-zero unused bits (not the canonical encoding).
    BadPadding,
    /// The payload's first bytes are a known image format (PNG, JPEG, GIF,
    /// WebP) other than the one the media type declares.
    TypeMismatch {
        /// The declared media type (`image/jpeg`).
        declared: String,
        /// The media type of the payload's format (`image/png`).
        actual: &'static str,
    },
}

impl fmt::Display for DataUriError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataUriError::NotDataUri => write!(f, "is not a data URI (data:image/...;base64,...)"),
            DataUriError::NotImage { media_type } => {
                write!(
                    f,
                    "must have an image/<subtype> media type, got {media_type:?}"
                )
            }
            DataUriError::NotBase64 => write!(
                f,
                "must be base64-encoded: ';base64,' must follow the media type, with no other parameters"
            ),
            DataUriError::EmptyPayload => write!(f, "has an empty base64 payload"),
            DataUriError::InvalidBase64 { offset, ch } => {
                write!(f, "has {ch:?} at offset {offset} of its base64 payload")?;
                match ch {
                    '-' | '_' => write!(f, " (URL-safe base64 is not accepted)"),
                    '.' => write!(f, " (is the payload truncated with '...'?)"),
                    '\n' | '\r' => write!(
                        f,
                        " (base64 tools wrap lines at 76 characters: encode on one line, \
                         as `base64 -w0` does)"
                    ),
                    _ => Ok(()),
                }
            }
            DataUriError::BadLength { len } => write!(
                f,
                "has a base64 payload of {len} characters, which is not a multiple of 4 (truncated?)"
            ),
            DataUriError::BadPadding => write!(f, "has misplaced or non-canonical base64 padding"),
            DataUriError::TypeMismatch { declared, actual } => write!(
                f,
                "declares {declared}, but its payload is {actual} (by its first bytes)"
            ),
        }
    }
}

impl std::error::Error for DataUriError {}

const PREFIX: &str = "data:";
const IMAGE: &str = "image/";
const BASE64_MARKER: &str = ";base64,";

impl DataUri {
    /// Validates `s` (see [`DATA_URI_PATTERN`]).
    pub fn parse(s: &str) -> Result<DataUri, DataUriError> {
        check(s)?;
        Ok(DataUri(s.to_owned()))
    }

    /// The URI as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The URI as written, without copying.
    pub fn into_string(self) -> String {
        self.0
    }

    /// The media type, such as `"image/png"`.
    pub fn media_type(&self) -> &str {
        self.parts().0
    }

    /// The base64 payload after `;base64,`.
    pub fn payload(&self) -> &str {
        self.parts().1
    }

    /// The number of bytes the payload decodes to.
    pub fn decoded_len(&self) -> usize {
        let payload = self.payload();
        let padding = payload.bytes().rev().take_while(|&b| b == b'=').count();
        (payload.len() / 4 * 3).saturating_sub(padding.min(2))
    }

    /// `(media type, payload)`. The subtype cannot contain `;`, so the first
    /// `;base64,` is the separator; the fallbacks are unreachable for a
    /// validated value.
    fn parts(&self) -> (&str, &str) {
        let rest = self.0.get(PREFIX.len()..).unwrap_or_default();
        rest.split_once(BASE64_MARKER).unwrap_or((rest, ""))
    }
}

fn check(s: &str) -> Result<(), DataUriError> {
    let rest = s.strip_prefix(PREFIX).ok_or(DataUriError::NotDataUri)?;
    let media_len = rest.find([';', ',']).unwrap_or(rest.len());
    let (media_type, rest) = rest.split_at(media_len);
    let is_image = media_type
        .strip_prefix(IMAGE)
        .is_some_and(|subtype| !subtype.is_empty() && subtype.bytes().all(is_subtype_byte));
    if !is_image {
        // Capped: the media type runs to the first `;` or `,`, which a
        // hostile string may never have.
        let shown = match media_type.char_indices().nth(64) {
            Some((end, _)) => media_type.get(..end).unwrap_or_default(),
            None => media_type,
        };
        return Err(DataUriError::NotImage {
            media_type: shown.to_owned(),
        });
    }
    let payload = rest
        .strip_prefix(BASE64_MARKER)
        .ok_or(DataUriError::NotBase64)?;
    check_base64(payload.as_bytes())?;
    check_declared_type(media_type, payload.as_bytes())
}

/// A payload whose first bytes are a known image format must be declared
/// as that format (`image/jpg` is read as `image/jpeg`). A format the
/// signatures do not know, or a subtype they do not name (`svg+xml`,
/// `avif`), is not judged: only a sure contradiction is an error
/// (docs/decisions.md, "Inline images").
fn check_declared_type(media_type: &str, payload: &[u8]) -> Result<(), DataUriError> {
    let declared = match media_type.get(IMAGE.len()..).map(str::to_ascii_lowercase) {
        Some(subtype) if subtype == "jpg" => "image/jpeg".to_owned(),
        Some(subtype) => format!("{IMAGE}{subtype}"),
        None => return Ok(()),
    };
    let Some(actual) = image_media_type(&decode_head(payload)) else {
        return Ok(());
    };
    let known = SIGNATURES
        .iter()
        .any(|(media_type, _)| *media_type == declared);
    if !known || declared == actual {
        return Ok(());
    }
    Err(DataUriError::TypeMismatch {
        declared: media_type.to_owned(),
        actual,
    })
}

/// Whether some first bytes are of one image format.
type Signature = fn(&[u8]) -> bool;

/// The image formats told apart by their first bytes, by media type.
const SIGNATURES: &[(&str, Signature)] = &[
    ("image/png", |b| b.starts_with(b"\x89PNG\r\n\x1a\n")),
    ("image/jpeg", |b| b.starts_with(&[0xFF, 0xD8, 0xFF])),
    ("image/gif", |b| {
        b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a")
    }),
    ("image/webp", |b| {
        b.get(..4) == Some(&b"RIFF"[..]) && b.get(8..12) == Some(&b"WEBP"[..])
    }),
];

/// The media type of an image from its first bytes (at least 12 for WebP):
/// `image/png`, `image/jpeg`, `image/gif` or `image/webp`, else `None`. A
/// file's name or a declared type says less than this.
pub fn image_media_type(first_bytes: &[u8]) -> Option<&'static str> {
    SIGNATURES
        .iter()
        .find(|(_, matches)| matches(first_bytes))
        .map(|(media_type, _)| *media_type)
}

/// The first bytes (at most 12) of a checked base64 payload.
fn decode_head(payload: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(12);
    for group in payload.chunks_exact(4).take(4) {
        let values: Vec<u8> = group.iter().map(|&b| decode(b)).collect();
        let data = values.iter().take_while(|&&v| v & PAD == 0).count();
        let bits = values
            .iter()
            .take(data)
            .fold(0u32, |bits, &v| (bits << 6) | u32::from(v))
            << (6 * (4 - data));
        let [_, first, second, third] = bits.to_be_bytes();
        bytes.extend_from_slice(&[first, second, third][..data.saturating_sub(1)]);
    }
    bytes
}

/// RFC 6838 `restricted-name` characters.
fn is_subtype_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b)
}

/// Marks `=` in [`DECODE`].
const PAD: u8 = 0x40;
/// Marks bytes outside the alphabet in [`DECODE`].
const INVALID: u8 = 0x80;

/// Byte → 6-bit value for the standard alphabet, [`PAD`] for `=`, else [`INVALID`].
static DECODE: [u8; 256] = {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table[b'=' as usize] = PAD;
    table
};

/// `DECODE` of one byte; a `u8` always indexes a 256-entry table.
fn decode(b: u8) -> u8 {
    DECODE[usize::from(b)]
}

/// Whether `b` is in the standard alphabet `A-Za-z0-9+/` (so not `=`).
fn is_alphabet(b: u8) -> bool {
    // `/` (0x2F) sits just before `0`, so `/0-9` is one range of 11.
    (b.wrapping_sub(b'A') < 26)
        | (b.wrapping_sub(b'a') < 26)
        | (b.wrapping_sub(b'/') < 11)
        | (b == b'+')
}

/// Whether every byte of `bytes` is in the alphabet (no `=`, nothing else).
///
/// The hot path for 100 KB payloads: range tests with no table and no branch
/// inside each 32-byte block, which the compiler turns into SIMD compares
/// (about 15 GB/s against 2.5 GB/s for a [`DECODE`] lookup per byte, on the
/// 2-core CI machine: some 7 µs per 100 KB image instead of 40; BENCHMARKS.md).
/// Only a payload that fails it is looked at byte by byte, by [`flags`].
fn is_alphabet_only(bytes: &[u8]) -> bool {
    let (blocks, tail) = bytes.as_chunks::<32>();
    blocks
        .iter()
        .all(|block| block.iter().fold(true, |all, &b| all & is_alphabet(b)))
        && tail.iter().all(|&b| is_alphabet(b))
}

/// The [`PAD`] and [`INVALID`] flags of all `bytes`, OR-ed together.
fn flags(bytes: &[u8]) -> u8 {
    let (blocks, tail) = bytes.as_chunks::<16>();
    let mut acc = 0;
    for block in blocks {
        acc |= block.iter().fold(0, |acc, &b| acc | decode(b));
    }
    acc | tail.iter().fold(0, |acc, &b| acc | decode(b))
}

/// Checks that `payload` is non-empty, canonical, padded standard base64.
///
/// The alphabet is `A-Za-z0-9+/`; the length is a multiple of 4; `=` appears
/// only as the last one or two characters; and the bits that padding leaves
/// unused are zero, so each byte string has exactly one accepted encoding.
/// Errors are checked in that order, so a payload elided with `...` is
/// reported at its first `.` rather than as a bad length.
pub fn check_base64(payload: &[u8]) -> Result<(), DataUriError> {
    if payload.is_empty() {
        return Err(DataUriError::EmptyPayload);
    }
    let (body, last_two) = payload.split_at(payload.len().saturating_sub(2));
    // The body is almost always all alphabet: then it has no flags.
    let body_flags = if is_alphabet_only(body) {
        0
    } else {
        flags(body)
    };
    if (body_flags | flags(last_two)) & INVALID != 0 {
        return Err(first_invalid(payload));
    }
    if !payload.len().is_multiple_of(4) {
        return Err(DataUriError::BadLength { len: payload.len() });
    }
    if body_flags & PAD != 0 {
        return Err(DataUriError::BadPadding);
    }
    // The length is now at least 4 and `=` can only be in the last two bytes,
    // so the character before the padding is a data character.
    let unused_bits_clear = match payload {
        [.., c, b'=', b'='] => decode(*c) & 0b1111 == 0,
        [.., c, b'='] => decode(*c) & 0b11 == 0,
        [.., b'=', _] => false, // `=` followed by data
        _ => true,
    };
    if unused_bits_clear {
        Ok(())
    } else {
        Err(DataUriError::BadPadding)
    }
}

/// The error for the first byte outside the alphabet; only called when one exists.
fn first_invalid(payload: &[u8]) -> DataUriError {
    let offset = payload
        .iter()
        .position(|&b| decode(b) == INVALID)
        .unwrap_or(0);
    let ch = payload
        .get(offset..)
        .and_then(|rest| rest.utf8_chunks().next())
        .and_then(|chunk| chunk.valid().chars().next())
        .unwrap_or(char::REPLACEMENT_CHARACTER);
    DataUriError::InvalidBase64 { offset, ch }
}

impl FromStr for DataUri {
    type Err = DataUriError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DataUri::parse(s)
    }
}

impl TryFrom<String> for DataUri {
    type Error = DataUriError;

    /// Validates and keeps the `String` without copying it.
    fn try_from(s: String) -> Result<Self, Self::Error> {
        check(&s)?;
        Ok(DataUri(s))
    }
}

impl TryFrom<&str> for DataUri {
    type Error = DataUriError;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        DataUri::parse(s)
    }
}

impl AsRef<str> for DataUri {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DataUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for DataUri {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for DataUri {
    /// Accepts a string that [`DataUri::parse`] accepts; the error message
    /// is the [`DataUriError`]'s.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        DataUri::try_from(s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// Standard padded base64 from the `base64` crate: an encoder
    /// independent of the checker under test.
    fn encode(bytes: &[u8]) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    fn crc32(bytes: &[u8]) -> u32 {
        !bytes.iter().fold(!0u32, |crc, &b| {
            (0..8).fold(crc ^ u32::from(b), |c, _| {
                if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                }
            })
        })
    }

    /// A real PNG: an 8-bit RGB gradient, zlib-compressed with stored blocks.
    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut raw = Vec::new();
        for y in 0..height {
            raw.push(0); // filter: none
            for x in 0..width {
                raw.extend([(x * 255 / width) as u8, (y * 255 / height) as u8, 128]);
            }
        }
        let mut zlib = vec![0x78, 0x01];
        let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
        for (i, block) in blocks.iter().enumerate() {
            let len = block.len() as u16;
            zlib.push(u8::from(i + 1 == blocks.len()));
            zlib.extend(len.to_le_bytes());
            zlib.extend((!len).to_le_bytes());
            zlib.extend(*block);
        }
        let (a, b) = raw.iter().fold((1u32, 0u32), |(a, b), &byte| {
            let a = (a + u32::from(byte)) % 65_521;
            (a, (b + a) % 65_521)
        });
        zlib.extend((b << 16 | a).to_be_bytes());

        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut chunk = |kind: &[u8], data: &[u8]| {
            png.extend((data.len() as u32).to_be_bytes());
            let mut typed = kind.to_vec();
            typed.extend(data);
            png.extend(&typed);
            png.extend(crc32(&typed).to_be_bytes());
        };
        let mut header = Vec::new();
        header.extend(width.to_be_bytes());
        header.extend(height.to_be_bytes());
        header.extend([8, 2, 0, 0, 0]);
        chunk(b"IHDR", &header);
        chunk(b"IDAT", &zlib);
        chunk(b"IEND", &[]);
        png
    }

    #[test]
    fn crc_matches_known_vector() {
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }

    #[test]
    fn accepts_a_real_png() {
        // 1x1 PNG as commonly embedded (a byte-exact copy from the wild).
        let tiny = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
        let uri = DataUri::parse(tiny).unwrap();
        assert_eq!(uri.media_type(), "image/png");
        assert_eq!(uri.decoded_len(), 70);
        assert!(uri.payload().starts_with("iVBORw0KGgo"));

        // About 100 KB of payload, and sizes that give each padding length.
        for (width, height) in [(180, 140), (1, 1), (2, 1), (3, 1), (5, 3)] {
            let bytes = png(width, height);
            let payload = encode(&bytes);
            let text = format!("data:image/png;base64,{payload}");
            let uri = DataUri::parse(&text).unwrap();
            assert_eq!(uri.decoded_len(), bytes.len());
            assert_eq!(uri.payload(), payload);
            assert_eq!(check_base64(payload.as_bytes()), Ok(()));
        }
    }

    #[test]
    fn the_declared_type_must_not_contradict_the_first_bytes() {
        let png = encode(&png(2, 2));
        let mismatch = DataUri::parse(&format!("data:image/jpeg;base64,{png}")).unwrap_err();
        assert_eq!(
            mismatch,
            DataUriError::TypeMismatch {
                declared: "image/jpeg".to_owned(),
                actual: "image/png"
            }
        );
        assert_eq!(
            mismatch.to_string(),
            "declares image/jpeg, but its payload is image/png (by its first bytes)"
        );
        assert!(DataUri::parse(&format!("data:image/png;base64,{png}")).is_ok());
        assert!(DataUri::parse(&format!("data:image/PNG;base64,{png}")).is_ok());
        // Subtypes the signatures do not name, and payloads they do not
        // know, are not judged.
        assert!(DataUri::parse(&format!("data:image/svg+xml;base64,{png}")).is_ok());
        assert!(DataUri::parse("data:image/jpeg;base64,QUJD").is_ok());
        let jpeg = encode(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F']);
        assert!(DataUri::parse(&format!("data:image/jpg;base64,{jpeg}")).is_ok());
        assert!(DataUri::parse(&format!("data:image/jpeg;base64,{jpeg}")).is_ok());
        assert!(DataUri::parse(&format!("data:image/gif;base64,{jpeg}")).is_err());
        let webp = encode(b"RIFF\x24\0\0\0WEBPVP8 ");
        assert!(DataUri::parse(&format!("data:image/webp;base64,{webp}")).is_ok());
        assert!(DataUri::parse(&format!("data:image/png;base64,{webp}")).is_err());
        let gif = encode(b"GIF89a\x01\0\x01\0");
        assert!(DataUri::parse(&format!("data:image/gif;base64,{gif}")).is_ok());
        assert!(DataUri::parse(&format!("data:image/webp;base64,{gif}")).is_err());
    }

    #[test]
    fn first_bytes_name_the_format() {
        assert_eq!(image_media_type(&png(1, 1)), Some("image/png"));
        assert_eq!(image_media_type(b"GIF87a"), Some("image/gif"));
        assert_eq!(image_media_type(b"RIFF\0\0\0\0WEBP"), Some("image/webp"));
        assert_eq!(image_media_type(b"RIFF\0\0\0\0WAVE"), None);
        assert_eq!(image_media_type(&[0xFF, 0xD8]), None);
        assert_eq!(image_media_type(b""), None);
        // The decoded head of a payload, padding included.
        assert_eq!(decode_head(b"QUJD"), b"ABC");
        assert_eq!(decode_head(b"QUI="), b"AB");
        assert_eq!(decode_head(b"QQ=="), b"A");
        assert_eq!(
            decode_head(encode(b"0123456789abcdef").as_bytes()),
            b"0123456789ab"
        );
    }

    #[test]
    fn a_wrapped_payload_gets_the_one_line_hint() {
        let wrapped = format!("data:image/png;base64,{}\n{}", "A".repeat(76), "AAAA");
        let error = DataUri::parse(&wrapped).unwrap_err();
        assert_eq!(
            error.to_string(),
            "has '\\n' at offset 76 of its base64 payload (base64 tools wrap lines at 76 \
             characters: encode on one line, as `base64 -w0` does)"
        );
    }

    #[test]
    fn rejects_the_docs_elided_payload() {
        let text = "data:image/png;base64,iVBORw0KGgoAAA...";
        assert_eq!(
            DataUri::parse(text),
            Err(DataUriError::InvalidBase64 {
                offset: 14,
                ch: '.'
            })
        );
        assert_eq!(
            DataUri::parse(text).unwrap_err().to_string(),
            "has '.' at offset 14 of its base64 payload (is the payload truncated with '...'?)"
        );
        // Cut at a character boundary instead: the length gives it away.
        let payload = encode(&png(4, 4));
        let cut = &payload[..payload.len() - 5];
        assert_eq!(
            check_base64(cut.as_bytes()),
            Err(DataUriError::BadLength { len: cut.len() })
        );
    }

    #[test]
    fn base64_rules() {
        use DataUriError::*;
        let cases: &[(&str, Result<(), DataUriError>)] = &[
            ("QUJD", Ok(())),
            ("QQ==", Ok(())),
            ("QUI=", Ok(())),
            ("+/+/", Ok(())),
            ("", Err(EmptyPayload)),
            ("QUJ", Err(BadLength { len: 3 })),
            ("QUJDR", Err(BadLength { len: 5 })),
            ("Q===", Err(BadPadding)),
            ("====", Err(BadPadding)),
            ("QQ==QQ==", Err(BadPadding)),
            ("QU=I", Err(BadPadding)),
            ("QR==", Err(BadPadding)), // 'R' leaves low bits set
            ("QUJ=", Err(BadPadding)), // 'J' leaves low bits set
            ("QUI=", Ok(())),
            ("QQ=", Err(BadLength { len: 3 })),
            (
                "QUJD\n",
                Err(InvalidBase64 {
                    offset: 4,
                    ch: '\n',
                }),
            ),
            ("QU-_", Err(InvalidBase64 { offset: 2, ch: '-' })),
            ("QUJD QUJD", Err(InvalidBase64 { offset: 4, ch: ' ' })),
            (
                "QQ=é",
                Err(InvalidBase64 {
                    offset: 3, ch: 'é'
                }),
            ),
            ("Q%3D", Err(InvalidBase64 { offset: 1, ch: '%' })),
        ];
        for (payload, expected) in cases {
            assert_eq!(&check_base64(payload.as_bytes()), expected, "{payload:?}");
        }
        assert_eq!(
            check_base64(b"QU\xffD"),
            Err(InvalidBase64 {
                offset: 2,
                ch: char::REPLACEMENT_CHARACTER
            })
        );
        // Exactly the documented canonical characters before padding.
        for &c in ALPHABET {
            let two = format!("Q{}==", char::from(c));
            let one = format!("QU{}=", char::from(c));
            assert_eq!(check_base64(two.as_bytes()).is_ok(), b"AQgw".contains(&c));
            assert_eq!(
                check_base64(one.as_bytes()).is_ok(),
                b"AEIMQUYcgkosw048".contains(&c)
            );
        }
    }

    /// A slow, obviously-correct checker: decode and re-encode.
    fn reference(payload: &[u8]) -> bool {
        if payload.is_empty() || !payload.len().is_multiple_of(4) {
            return false;
        }
        let mut bytes = Vec::new();
        for group in payload.chunks(4) {
            let pads = group.iter().rev().take_while(|&&b| b == b'=').count();
            if pads > 2 || group[..4 - pads].iter().any(|b| !ALPHABET.contains(b)) {
                return false;
            }
            let n = group[..4 - pads]
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, b)| {
                    let v = ALPHABET.iter().position(|a| a == b).unwrap_or(0) as u32;
                    n | v << (18 - 6 * i)
                });
            bytes.extend(&n.to_be_bytes()[1..4 - pads]);
        }
        encode(&bytes).as_bytes() == payload
    }

    #[test]
    fn agrees_with_a_decode_and_reencode_reference() {
        let alphabet = b"AQgwRJ+/=.-";
        let mut state = 99_u64;
        for _ in 0..100_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let len = (state >> 60) as usize + 1;
            let payload: Vec<u8> = (0..len)
                .map(|i| alphabet[(state >> (4 * i % 56)) as usize % alphabet.len()])
                .collect();
            assert_eq!(
                check_base64(&payload).is_ok(),
                reference(&payload),
                "{:?}",
                String::from_utf8_lossy(&payload)
            );
        }
    }

    #[test]
    fn uri_shape() {
        use DataUriError::*;
        let not_image = |media_type: &str| NotImage {
            media_type: media_type.to_owned(),
        };
        let cases: &[(&str, Result<(), DataUriError>)] = &[
            ("data:image/png;base64,QUJD", Ok(())),
            ("data:image/svg+xml;base64,QUJD", Ok(())),
            ("data:image/x-icon;base64,QUJD", Ok(())),
            ("data:image/vnd.ms-photo;base64,QUJD", Ok(())),
            ("data:image/A!#$&-^_.+z;base64,QUJD", Ok(())),
            ("https://x/a.png", Err(NotDataUri)),
            ("DATA:image/png;base64,QUJD", Err(NotDataUri)),
            ("data:text/plain;base64,QUJD", Err(not_image("text/plain"))),
            ("data:;base64,QUJD", Err(not_image(""))),
            ("data:image/;base64,QUJD", Err(not_image("image/"))),
            ("data:image;base64,QUJD", Err(not_image("image"))),
            ("data:Image/png;base64,QUJD", Err(not_image("Image/png"))),
            ("data:image/p g;base64,QUJD", Err(not_image("image/p g"))),
            (
                "data:image/png/x;base64,QUJD",
                Err(not_image("image/png/x")),
            ),
            ("data:image/png", Err(NotBase64)),
            ("data:image/png,QUJD", Err(NotBase64)),
            ("data:image/png;BASE64,QUJD", Err(NotBase64)),
            ("data:image/png;charset=x;base64,QUJD", Err(NotBase64)),
            ("data:image/png;base64", Err(NotBase64)),
            ("data:image/png;base64,", Err(EmptyPayload)),
            (
                "data:image/png;base64,QUJD,",
                Err(InvalidBase64 { offset: 4, ch: ',' }),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(&DataUri::parse(text).map(|_| ()), expected, "{text:?}");
        }
        let long = format!("data:{}", "x".repeat(1000));
        assert_eq!(DataUri::parse(&long), Err(not_image(&"x".repeat(64))));
    }

    #[test]
    fn conversions_and_serde() {
        let text = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
        let uri: DataUri = text.parse().unwrap();
        assert_eq!(uri.media_type(), "image/gif");
        assert_eq!(uri.payload(), "R0lGODlhAQABAAAAACw=");
        assert_eq!(uri.decoded_len(), 14);
        assert_eq!(uri.to_string(), text);
        assert_eq!(uri.as_ref(), text);
        assert_eq!(DataUri::try_from(text), Ok(uri.clone()));
        assert_eq!(DataUri::try_from(text.to_owned()), Ok(uri.clone()));
        let json = serde_json::to_string(&uri).unwrap();
        assert_eq!(json, format!("\"{text}\""));
        assert_eq!(serde_json::from_str::<DataUri>(&json).unwrap(), uri);
        assert_eq!(uri.clone().into_string(), text);
        let error = serde_json::from_str::<DataUri>("\"data:image/png;base64,QUJ\"").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("has a base64 payload of 3 characters")
        );
    }
}
