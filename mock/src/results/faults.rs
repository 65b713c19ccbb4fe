//! Scripted download faults: a comma-separated list of steps, one per GET
//! of a result file, in order; after the last step, files are served
//! normally. A HEAD never takes a step. Each result file of a task follows
//! the script on its own.
//!
//! | step | what that GET gets |
//! |---|---|
//! | `ok` | the file, served normally |
//! | `drop=N` | the headers and N bytes of the body, then the connection is closed |
//! | `stall=N` | the headers and N bytes, then nothing (the connection is held until the client closes it, at most 10 minutes) |
//! | `ignore-range` | 200 with the whole file, even to a `Range` request |
//! | `new-etag` | from this request on, the file is a new version: new `ETag` and `Last-Modified` (and, with `--result-bytes`, new bytes); an `If-Range` naming the old one gets the whole new file |
//! | `lie-length=N` | a `Content-Length` N bytes longer than the body sent, then the connection is closed |
//! | `status=NNN` | that status (400 to 599) with a JSON error, no file |
//!
//! Set per task with the submit header `X-Orux-Mock-Download-Faults`, or
//! for every task with `--download-faults`.

use std::fmt;
use std::sync::Arc;

/// The submit header carrying a task's script.
pub const DOWNLOAD_FAULTS_HEADER: &str = "x-orux-mock-download-faults";

/// Most steps in one script.
pub const MAX_STEPS: usize = 64;

/// One step of a script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DownloadFault {
    /// Served normally.
    Ok,
    /// Close the connection after this many body bytes.
    Drop(u64),
    /// Send nothing more after this many body bytes.
    Stall(u64),
    /// Answer a range request with the whole file (200).
    IgnoreRange,
    /// The file becomes a new version from this request on.
    NewEtag,
    /// Declare this many bytes more than sent, then close.
    LieLength(u64),
    /// Answer with this status and no file.
    Status(u16),
}

/// A parsed script; cheap to clone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultScript(Arc<[DownloadFault]>);

impl FaultScript {
    /// Reads a script (`drop=65536, new-etag, ok`); the error names the step.
    pub fn parse(text: &str) -> Result<FaultScript, String> {
        let steps: Vec<&str> = text.split(',').map(str::trim).collect();
        if steps.len() > MAX_STEPS {
            return Err(format!(
                "a download fault script has at most {MAX_STEPS} steps"
            ));
        }
        steps
            .into_iter()
            .enumerate()
            .map(|(i, step)| {
                parse_step(step).map_err(|why| format!("download fault step {}: {why}", i + 1))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|steps| FaultScript(steps.into()))
    }

    /// The step for the GET numbered `n` (from 0); [`DownloadFault::Ok`] past the end.
    pub fn step(&self, n: usize) -> DownloadFault {
        self.0.get(n).copied().unwrap_or(DownloadFault::Ok)
    }
}

impl fmt::Display for DownloadFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DownloadFault::Ok => f.write_str("ok"),
            DownloadFault::Drop(n) => write!(f, "drop={n}"),
            DownloadFault::Stall(n) => write!(f, "stall={n}"),
            DownloadFault::IgnoreRange => f.write_str("ignore-range"),
            DownloadFault::NewEtag => f.write_str("new-etag"),
            DownloadFault::LieLength(n) => write!(f, "lie-length={n}"),
            DownloadFault::Status(status) => write!(f, "status={status}"),
        }
    }
}

fn parse_step(step: &str) -> Result<DownloadFault, String> {
    let (name, value) = match step.split_once('=') {
        Some((name, value)) => (name.trim(), Some(value.trim())),
        None => (step, None),
    };
    let number = |what: &str| -> Result<u64, String> {
        let value = value.ok_or_else(|| format!("`{name}` takes `={what}`"))?;
        value
            .parse::<u64>()
            .map_err(|_| format!("`{name}={value}`: {what} must be a whole number of bytes"))
    };
    let plain = |fault| match value {
        None => Ok(fault),
        Some(_) => Err(format!("`{name}` takes no value")),
    };
    match name.to_ascii_lowercase().as_str() {
        "ok" => plain(DownloadFault::Ok),
        "drop" => number("N").map(DownloadFault::Drop),
        "stall" => number("N").map(DownloadFault::Stall),
        "ignore-range" => plain(DownloadFault::IgnoreRange),
        "new-etag" => plain(DownloadFault::NewEtag),
        "lie-length" => number("N").map(DownloadFault::LieLength),
        "status" => {
            let status = number("NNN")?;
            match u16::try_from(status) {
                Ok(status @ 400..=599) => Ok(DownloadFault::Status(status)),
                _ => Err(format!(
                    "`status={status}`: the status must be from 400 to 599"
                )),
            }
        }
        "" => Err("empty step".to_owned()),
        other => Err(format!(
            "unknown step `{}`; the steps are ok, drop=N, stall=N, ignore-range, new-etag, \
             lie-length=N and status=NNN",
            other.escape_debug()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_read_in_order_and_end_in_ok() {
        let script = FaultScript::parse(
            "drop=65536, STALL=10,ignore-range,new-etag, lie-length=9, status=503, ok",
        )
        .unwrap();
        assert_eq!(script.step(0), DownloadFault::Drop(65536));
        assert_eq!(script.step(1), DownloadFault::Stall(10));
        assert_eq!(script.step(2), DownloadFault::IgnoreRange);
        assert_eq!(script.step(3), DownloadFault::NewEtag);
        assert_eq!(script.step(4), DownloadFault::LieLength(9));
        assert_eq!(script.step(5), DownloadFault::Status(503));
        assert_eq!(script.step(6), DownloadFault::Ok);
        assert_eq!(script.step(99), DownloadFault::Ok);
    }

    #[test]
    fn a_bad_step_is_named() {
        for (text, needle) in [
            ("drop", "step 1: `drop` takes `=N`"),
            ("ok, drop=-1", "step 2"),
            ("ok,,ok", "step 2: empty step"),
            ("status=200", "from 400 to 599"),
            ("status=70000", "from 400 to 599"),
            ("new-etag=1", "takes no value"),
            ("explode", "unknown step `explode`"),
        ] {
            let error = FaultScript::parse(text).unwrap_err();
            assert!(error.contains(needle), "{text}: {error}");
        }
        assert!(FaultScript::parse(&vec!["ok"; MAX_STEPS + 1].join(",")).is_err());
    }
}
