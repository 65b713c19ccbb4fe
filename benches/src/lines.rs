//! JSON Lines input for the CLI throughput benchmark: the request corpus,
//! one body per line, repeated to any length.

use std::io::{self, Write};

use orux_spec_tests::corpus::Case;

/// What [`write`] wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Lines written.
    pub lines: u64,
    /// Bytes written, line breaks included.
    pub bytes: u64,
    /// Lines whose corpus case is valid.
    pub valid: u64,
}

/// Writes `count` lines: the one-line corpus bodies in order, over and over.
pub fn write(out: &mut impl Write, cases: &[Case], count: u64) -> io::Result<Written> {
    let usable: Vec<&Case> = cases
        .iter()
        .filter(|case| !case.body.contains(&b'\n') && !case.body.contains(&b'\r'))
        .collect();
    if usable.is_empty() {
        return Err(io::Error::other("no corpus body fits on one line"));
    }
    let mut written = Written::default();
    for (case, _) in usable.iter().cycle().zip(0..count) {
        out.write_all(&case.body)?;
        out.write_all(b"\n")?;
        written.lines += 1;
        written.bytes += case.body.len() as u64 + 1;
        written.valid += u64::from(case.valid);
    }
    Ok(written)
}
