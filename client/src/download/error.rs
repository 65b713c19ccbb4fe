//! Why a download did not end with a complete file.

use std::fmt;
use std::io;
use std::path::PathBuf;

use orux_models::display::{escape, excerpt};

use crate::error::Error;

/// Everything a download can end with, to be matched on. [`DownloadError::is_local`]
/// tells a problem on this machine (exit status 2 in the CLI) from one with
/// the file host or the API (exit status 3).
///
/// URLs are kept and shown without their query: a signed result URL's
/// query is a capability, and does not belong in a log line.
#[derive(Debug)]
#[non_exhaustive]
pub enum DownloadError {
    /// The local file system refused: the directory cannot be created or
    /// written, the disk is full, the file cannot be synced or renamed. The
    /// `.part` file is kept (when there is one) so that the next attempt resumes.
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// What was being done: "write", "create", "rename into place", …
        action: &'static str,
        /// The cause.
        source: io::Error,
    },
    /// The file is already there and overwriting was not asked for.
    Exists {
        /// The existing file.
        path: PathBuf,
    },
    /// Less free space than the file needs (its declared length, or, for a
    /// stream of unknown length, the space kept free).
    NoSpace {
        /// The directory written to.
        path: PathBuf,
        /// Bytes still to write, when the server declared a length.
        needed: Option<u64>,
        /// Bytes available to us there.
        available: u64,
    },
    /// A URL the client does not fetch: not https (plain http only to a
    /// loopback host when the API's base URL is loopback), credentials in it,
    /// or not a URL at all; or a redirect to one, or too many redirects.
    /// Nothing is requested from such a URL.
    UrlRefused {
        /// The URL, without its query.
        url: String,
        /// Why.
        reason: String,
    },
    /// The file host answered with a status we cannot use (after the retries
    /// allowed for 429 and 5xx).
    Status {
        /// The URL, without its query.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// The URL answered 403, 404 or 410: a signed URL past its expiry, or
    /// a result that is gone. `refreshed` says whether a fresh URL was taken
    /// from the task and failed too.
    Expired {
        /// The URL, without its query.
        url: String,
        /// The HTTP status.
        status: u16,
        /// Whether the task was fetched again for a fresh URL first.
        refreshed: bool,
    },
    /// The file is larger than [`crate::DownloadOptions::max_bytes`]
    /// (declared so, or streamed past it). Nothing over the cap is written;
    /// the `.part` file is removed.
    TooLarge {
        /// The URL, without its query.
        url: String,
        /// The cap.
        limit: u64,
        /// The length the server declared, if it did.
        declared: Option<u64>,
    },
    /// The connection failed, broke or stalled on every attempt allowed.
    /// The `.part` file is kept so that the next attempt resumes.
    Network {
        /// The URL, without its query.
        url: String,
        /// How many requests were made.
        attempts: u32,
        /// What went wrong the last time.
        last: String,
    },
    /// The server's lengths never added up (a body shorter or longer than
    /// its `Content-Length` or `Content-Range`) on every attempt allowed.
    LengthMismatch {
        /// The URL, without its query.
        url: String,
        /// The length the server declared.
        expected: u64,
        /// The bytes it sent.
        received: u64,
    },
    /// Reading the task (for its results, or a fresh URL) failed.
    Api(Error),
    /// The task has no result to download: it did not succeed, or its
    /// `result_urls` is empty (or shorter than before, on a refresh).
    NoResults {
        /// The task.
        task_id: String,
        /// Its status, as the server wrote it.
        status: String,
    },
}

impl DownloadError {
    /// Whether the problem is on this machine (file system, an existing file)
    /// rather than with the network, the file host or the API.
    pub fn is_local(&self) -> bool {
        matches!(
            self,
            DownloadError::Io { .. } | DownloadError::Exists { .. } | DownloadError::NoSpace { .. }
        )
    }

    /// Whether the `.part` file stays for a later attempt to resume.
    pub fn keeps_partial_file(&self) -> bool {
        matches!(
            self,
            DownloadError::Io { .. }
                | DownloadError::NoSpace { .. }
                | DownloadError::Network { .. }
                | DownloadError::Expired { .. }
                | DownloadError::Status { .. }
                | DownloadError::Api(_)
        )
    }
}

impl fmt::Display for DownloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DownloadError::Io {
                path,
                action,
                source,
            } => {
                write!(
                    f,
                    "cannot {action} {}: {source}",
                    excerpt(&path.display().to_string())
                )?;
                if path.extension().is_some_and(|ext| ext == "part") {
                    f.write_str("; the partial file is kept, and the next attempt resumes it")?;
                }
                Ok(())
            }
            DownloadError::Exists { path } => write!(
                f,
                "{} already exists; it is not overwritten unless asked (--force)",
                excerpt(&path.display().to_string())
            ),
            DownloadError::NoSpace {
                path,
                needed: Some(needed),
                available,
            } => write!(
                f,
                "not enough free space in {}: {needed} bytes to write, {available} available",
                excerpt(&path.display().to_string())
            ),
            DownloadError::NoSpace {
                path,
                needed: None,
                available,
            } => write!(
                f,
                "stopped writing to {}: only {available} bytes left free on its disk",
                excerpt(&path.display().to_string())
            ),
            DownloadError::UrlRefused { url, reason } => {
                write!(f, "refused to fetch {}: {}", excerpt(url), escape(reason))
            }
            DownloadError::Status { url, status } => {
                write!(f, "the file host answered {status} for {}", excerpt(url))
            }
            DownloadError::Expired {
                url,
                status,
                refreshed: true,
            } => write!(
                f,
                "the result URL {} answered {status}, and so did the fresh URL taken from the task: \
                 the result has expired or is gone",
                excerpt(url)
            ),
            DownloadError::Expired {
                url,
                status,
                refreshed: false,
            } => write!(
                f,
                "the result URL {} answered {status}: it has expired or is gone \
                 (fetch the task again for a fresh URL)",
                excerpt(url)
            ),
            DownloadError::TooLarge {
                url,
                limit,
                declared: Some(declared),
            } => write!(
                f,
                "{} is {declared} bytes, over the {limit}-byte limit",
                excerpt(url)
            ),
            DownloadError::TooLarge {
                url,
                limit,
                declared: None,
            } => write!(
                f,
                "{} went past the {limit}-byte limit; stopped and removed the partial file",
                excerpt(url)
            ),
            DownloadError::Network {
                url,
                attempts,
                last,
            } => write!(
                f,
                "download of {} failed after {attempts} attempt{}: {}; the partial file is kept, \
                 and the next attempt resumes it",
                excerpt(url),
                if *attempts == 1 { "" } else { "s" },
                escape(last)
            ),
            DownloadError::LengthMismatch {
                url,
                expected,
                received,
            } => write!(
                f,
                "{} declared {expected} bytes but sent {received}, on every attempt",
                excerpt(url)
            ),
            DownloadError::Api(error) => write!(f, "{error}"),
            DownloadError::NoResults { task_id, status } => write!(
                f,
                "task {} has no result to download (status {})",
                excerpt(task_id),
                escape(status)
            ),
        }
    }
}

impl std::error::Error for DownloadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DownloadError::Io { source, .. } => Some(source),
            DownloadError::Api(error) => Some(error),
            _ => None,
        }
    }
}

impl From<Error> for DownloadError {
    fn from(error: Error) -> Self {
        DownloadError::Api(error)
    }
}
