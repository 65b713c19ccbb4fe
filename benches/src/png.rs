//! A real, deterministic PNG for the inline-image benchmark.
//!
//! The validator never decodes the image, but a benchmark body should carry
//! what a client would send: a well-formed PNG (signature, IHDR, IDAT, IEND,
//! correct CRCs) whose pixels look like a photo's, i.e. incompressible. The
//! pixel data is stored in uncompressed deflate blocks, so the file size is
//! exact and known in advance.

use crate::rng::Rng;

const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
/// Largest payload of one stored deflate block.
const STORED_MAX: usize = 65_535;

/// An 8-bit RGB PNG of `width` x `height` pixels: a gradient with noise.
pub fn photo_like(width: u32, height: u32, seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut raw = Vec::with_capacity((width as usize * 3 + 1) * height as usize);
    for y in 0..height {
        raw.push(0); // filter type None
        for x in 0..width {
            let noise = rng.next_u64();
            let base = [
                x * 255 / width.max(1),
                y * 255 / height.max(1),
                (x + y) % 256,
            ];
            for (channel, base) in base.into_iter().enumerate() {
                let jitter = (noise >> (channel * 8)) as u8 % 64;
                raw.push((base as u8).wrapping_add(jitter));
            }
        }
    }
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit, truecolour, deflate, adaptive, no interlace

    let mut png = SIGNATURE.to_vec();
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &zlib_stored(&raw));
    chunk(&mut png, b"IEND", &[]);
    png
}

/// The size of [`photo_like`]'s output, without building it.
pub fn photo_like_len(width: u32, height: u32) -> usize {
    let raw = (width as usize * 3 + 1) * height as usize;
    let blocks = raw.div_ceil(STORED_MAX).max(1);
    let idat = 2 + raw + 5 * blocks + 4;
    SIGNATURE.len() + (12 + 13) + (12 + idat) + 12
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A zlib stream of stored (uncompressed) deflate blocks.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01]; // deflate, 32 KiB window, no dictionary; 0x7801 % 31 == 0
    let mut blocks = data.chunks(STORED_MAX).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        out.push(u8::from(blocks.peek().is_none())); // BFINAL on the last, BTYPE 00
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    b << 16 | a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_a_well_formed_png_of_the_predicted_size() {
        let png = photo_like(160, 160, 7);
        assert_eq!(png.len(), photo_like_len(160, 160));
        assert_eq!(&png[..8], &SIGNATURE);
        assert_eq!(&png[12..16], b"IHDR");
        assert_eq!(&png[16..24], &[0, 0, 0, 160, 0, 0, 0, 160]);
        assert_eq!(&png[png.len() - 8..png.len() - 4], b"IEND");
        // The IEND chunk's CRC is a known constant.
        assert_eq!(&png[png.len() - 4..], &[0xAE, 0x42, 0x60, 0x82]);
        assert_eq!(photo_like(160, 160, 7), png, "deterministic");
    }

    #[test]
    fn checksums_match_reference_values() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }
}
