//! Reading request bodies with bounded memory: a whole input, or one line of
//! JSON Lines, never holding more than the body-size limit.

use std::io::{self, BufRead};

/// How much of a body was read into the buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fit {
    /// The whole body is in the buffer.
    Complete,
    /// The body is larger than the limit: the buffer holds only its first
    /// `limit` bytes, and the rest was read and dropped.
    TooLarge {
        /// The body's full size in bytes.
        size: u64,
    },
}

/// Reads all of `input` into `buf` (cleared first), keeping at most `limit` bytes.
pub fn read_all(input: &mut impl BufRead, buf: &mut Vec<u8>, limit: usize) -> io::Result<Fit> {
    buf.clear();
    Ok(read_bounded(input, buf, limit, None)?.unwrap_or(Fit::Complete))
}

/// Reads one line of `input` into `buf` (cleared first, without the `\n`),
/// keeping at most `limit` bytes of it. `None` at the end of the input; a last
/// line without a final `\n` is still a line.
pub fn read_line(
    input: &mut impl BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> io::Result<Option<Fit>> {
    buf.clear();
    read_bounded(input, buf, limit, Some(b'\n'))
}

/// Like [`read_line`], but appends the line to what `buf` already holds
/// (the lines of a batch back to back); `limit` applies to this line alone.
pub fn append_line(
    input: &mut impl BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> io::Result<Option<Fit>> {
    read_bounded(input, buf, limit, Some(b'\n'))
}

/// Reads up to `delimiter` (consumed, not stored) or the end of the input,
/// appending to `buf`. `None` when the input was already at its end.
fn read_bounded(
    input: &mut impl BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
    delimiter: Option<u8>,
) -> io::Result<Option<Fit>> {
    let start = buf.len();
    let mut size: u64 = 0;
    let mut read_any = false;
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if available.is_empty() {
            break;
        }
        read_any = true;
        let end = delimiter.and_then(|d| memchr::memchr(d, available));
        let chunk = &available[..end.unwrap_or(available.len())];
        size += chunk.len() as u64;
        // Past the limit the bytes are only counted, so one huge line costs
        // no more memory than a body at the limit.
        let room = limit.saturating_sub(buf.len() - start);
        buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let consumed = end.map_or(available.len(), |at| at + 1);
        input.consume(consumed);
        if end.is_some() {
            break;
        }
    }
    if !read_any {
        return Ok(None);
    }
    Ok(Some(if size > limit as u64 {
        Fit::TooLarge { size }
    } else {
        Fit::Complete
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `text` through a reader with a tiny buffer, so lines span refills.
    fn lines(text: &[u8], limit: usize) -> Vec<(Vec<u8>, Fit)> {
        let mut input = io::BufReader::with_capacity(3, text);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        while let Some(fit) = read_line(&mut input, &mut buf, limit).unwrap() {
            out.push((buf.clone(), fit));
        }
        out
    }

    #[test]
    fn lines_are_split_on_newlines_across_refills() {
        assert_eq!(
            lines(b"{\"a\":1}\n\n  \r\nlast", 100),
            [
                (b"{\"a\":1}".to_vec(), Fit::Complete),
                (b"".to_vec(), Fit::Complete),
                (b"  \r".to_vec(), Fit::Complete),
                (b"last".to_vec(), Fit::Complete),
            ]
        );
        assert_eq!(lines(b"one\n", 100), [(b"one".to_vec(), Fit::Complete)]);
        assert_eq!(lines(b"", 100), []);
    }

    #[test]
    fn an_overlong_line_keeps_only_the_limit_and_counts_the_rest() {
        assert_eq!(
            lines(b"0123456789\nok\n", 4),
            [
                (b"0123".to_vec(), Fit::TooLarge { size: 10 }),
                (b"ok".to_vec(), Fit::Complete),
            ]
        );
        // Exactly at the limit is complete.
        assert_eq!(lines(b"0123\n", 4), [(b"0123".to_vec(), Fit::Complete)]);
    }

    #[test]
    fn appended_lines_follow_what_the_buffer_holds_each_with_its_own_limit() {
        let mut input = io::BufReader::with_capacity(3, &b"abc\n0123456789\nxy"[..]);
        let mut buf = b"kept|".to_vec();
        let fit = append_line(&mut input, &mut buf, 4).unwrap();
        assert_eq!(
            (fit, buf.as_slice()),
            (Some(Fit::Complete), &b"kept|abc"[..])
        );
        let fit = append_line(&mut input, &mut buf, 4).unwrap();
        assert_eq!(fit, Some(Fit::TooLarge { size: 10 }));
        assert_eq!(buf, b"kept|abc0123");
        let fit = append_line(&mut input, &mut buf, 4).unwrap();
        assert_eq!(
            (fit, buf.as_slice()),
            (Some(Fit::Complete), &b"kept|abc0123xy"[..])
        );
        assert_eq!(append_line(&mut input, &mut buf, 4).unwrap(), None);
    }

    #[test]
    fn a_whole_input_is_one_body_newlines_included() {
        let mut buf = Vec::new();
        let mut input = io::BufReader::with_capacity(2, &b"{\n}\n"[..]);
        assert_eq!(read_all(&mut input, &mut buf, 10).unwrap(), Fit::Complete);
        assert_eq!(buf, b"{\n}\n");
        let mut input = io::BufReader::with_capacity(2, &b"abcdef"[..]);
        assert_eq!(
            read_all(&mut input, &mut buf, 4).unwrap(),
            Fit::TooLarge { size: 6 }
        );
        assert_eq!(buf, b"abcd");
        assert_eq!(read_all(&mut &b""[..], &mut buf, 4).unwrap(), Fit::Complete);
        assert_eq!(buf, b"");
    }
}
