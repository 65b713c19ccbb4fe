//! A local image file as an inline image: read it, tell its type from its
//! first bytes (never from its name), and write it as a
//! `data:image/<type>;base64,<payload>` URI, which the validator then
//! checks like any other. Orux has no upload endpoint, so this is the only
//! way a local file reaches a request, and only for fields whose type
//! accepts an inline image (`image_input`, Veo's `image`).

use std::fs::File;
use std::io::Read;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Above this size (4 MiB, about 5.3 MiB once in base64) an inline image
/// gets a warning: the whole request carries it, on every retry, and a
/// hosted image passed as an https URL is lighter.
pub const WARN_ABOVE_BYTES: u64 = 4 * 1024 * 1024;

/// The image types an inline image may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageType {
    /// `89 50 4E 47 0D 0A 1A 0A`.
    Png,
    /// `FF D8 FF`.
    Jpeg,
    /// `RIFF`, four bytes of length, `WEBP`.
    Webp,
    /// `GIF87a` or `GIF89a`.
    Gif,
}

impl ImageType {
    /// The type of an image from its first bytes, if it is one we send.
    pub fn sniff(bytes: &[u8]) -> Option<ImageType> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageType::Png)
        } else if bytes.starts_with(b"\xff\xd8\xff") {
            Some(ImageType::Jpeg)
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some(ImageType::Webp)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(ImageType::Gif)
        } else {
            None
        }
    }

    /// Its media type.
    pub fn media_type(self) -> &'static str {
        match self {
            ImageType::Png => "image/png",
            ImageType::Jpeg => "image/jpeg",
            ImageType::Webp => "image/webp",
            ImageType::Gif => "image/gif",
        }
    }
}

/// A local image read into a data URI.
#[derive(Debug)]
pub struct InlineImage {
    /// `data:image/…;base64,…`.
    pub uri: String,
    /// The file's type.
    pub kind: ImageType,
    /// The file's size in bytes.
    pub bytes: u64,
}

/// Reads `path` (at most `limit` bytes: past that the request could not be
/// sent anyway) into a data URI. The error says why, in words.
pub fn read(path: &Path, limit: u64) -> Result<InlineImage, String> {
    let file = File::open(path).map_err(|error| format!("cannot read it: {error}"))?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| format!("cannot read it: {error}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "it is larger than {limit} bytes, which no request can carry inline; \
             host it and pass its https URL instead"
        ));
    }
    let kind = ImageType::sniff(&bytes).ok_or_else(|| refusal(&bytes))?;
    let mut uri = format!("data:{};base64,", kind.media_type());
    STANDARD.encode_string(&bytes, &mut uri);
    Ok(InlineImage {
        uri,
        kind,
        bytes: bytes.len() as u64,
    })
}

/// Why a file is not taken: what it looks like, when we can tell.
fn refusal(bytes: &[u8]) -> String {
    let looks_like = [
        (&b"%PDF"[..], "a PDF document"),
        (b"PK\x03\x04", "a ZIP archive"),
        (b"BM", "a BMP image"),
        (b"II*\0", "a TIFF image"),
        (b"MM\0*", "a TIFF image"),
    ]
    .iter()
    .find(|(magic, _)| bytes.starts_with(magic))
    .map(|(_, what)| *what)
    .or_else(|| {
        (bytes.len() >= 12 && &bytes[4..8] == b"ftyp")
            .then_some("an ISO media file (HEIC, AVIF or a video)")
    });
    let first: Vec<String> = bytes.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let found = match (looks_like, bytes.is_empty()) {
        (_, true) => "it is empty".to_owned(),
        (Some(what), false) => format!("it looks like {what}"),
        (None, false) => format!("its first bytes are {}", first.join(" ")),
    };
    format!("it is not a PNG, JPEG, WebP or GIF image ({found}); only those are sent inline")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_first_bytes() {
        assert_eq!(
            ImageType::sniff(b"\x89PNG\r\n\x1a\n...."),
            Some(ImageType::Png)
        );
        assert_eq!(ImageType::sniff(b"\xff\xd8\xff\xe0"), Some(ImageType::Jpeg));
        assert_eq!(
            ImageType::sniff(b"RIFF\x10\0\0\0WEBPVP8 "),
            Some(ImageType::Webp)
        );
        assert_eq!(ImageType::sniff(b"GIF89a.."), Some(ImageType::Gif));
        assert_eq!(ImageType::sniff(b"RIFF\x10\0\0\0WAVEfmt "), None);
        assert_eq!(ImageType::sniff(b"\x89PNG"), None);
        assert_eq!(ImageType::sniff(b""), None);
    }

    #[test]
    fn a_file_becomes_a_data_uri_and_others_are_refused_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let png = dir.path().join("named.jpg");
        std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
        let image = read(&png, 1 << 20).unwrap();
        assert_eq!(image.kind, ImageType::Png, "the bytes decide, not the name");
        assert_eq!(image.uri, "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==");
        for (bytes, reason) in [
            (&b"%PDF-1.7"[..], "looks like a PDF document"),
            (b"", "it is empty"),
            (b"hello world", "first bytes are 68 65 6c 6c 6f 20 77 6f"),
            (b"\0\0\0\x18ftypheic", "HEIC"),
        ] {
            let path = dir.path().join("x");
            std::fs::write(&path, bytes).unwrap();
            let error = read(&path, 1 << 20).unwrap_err();
            assert!(error.contains(reason), "{error}");
            assert!(error.contains("PNG, JPEG, WebP or GIF"), "{error}");
        }
        std::fs::write(&png, vec![0xff; 100]).unwrap();
        assert!(read(&png, 10).unwrap_err().contains("larger than 10 bytes"));
        assert!(
            read(&dir.path().join("missing.png"), 10)
                .unwrap_err()
                .contains("cannot read")
        );
    }
}
