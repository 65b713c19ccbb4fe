//! Downloads of results: one URL to a path ([`Client::download_url`]), or
//! every result of a finished task into a directory ([`Client::download_task`]).
//!
//! A result URL is a short-lived capability on another host, so:
//! - it is fetched without the API key, and only over https (plain http
//!   only to a loopback host when the API's base URL is loopback);
//! - the body streams into `<name>.part` beside the target (never into
//!   memory), hashed with SHA-256 on the way, then synced and renamed into
//!   place, and the directory synced: a finished file is never half-written;
//! - a dropped connection or a stall (no bytes for
//!   [`DownloadOptions::stall_timeout`]) resumes with `Range`, guarded by
//!   `If-Range` on the server's strong ETag (else its `Last-Modified`). A 200
//!   instead of 206, a changed validator or a range that does not fit
//!   starts the file over: two versions are never spliced;
//! - the length is checked against `Content-Length` / `Content-Range`, and
//!   capped by [`DownloadOptions::max_bytes`] whatever the server declares;
//! - a 403, 404 or 410 on a task's result fetches the task again for a
//!   fresh URL and carries on (with `If-Range`, so only the same content is
//!   resumed);
//! - file names are ours: `<task_id>.<ext>`, or `<task_id>-<n>.<ext>` for
//!   several results (see [`result_file_stem`]).
//!
//! The `.part` file (and its `.part.meta`, which records the version being
//! fetched) outlive a failure: the next call for the same target resumes.
//!
//! ```no_run
//! use orux_client::{Client, DownloadOptions};
//!
//! # async fn run(client: Client, task_id: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let done = client.get(task_id).await?;
//! let options = DownloadOptions::default()
//!     .on_progress(|p| eprintln!("{} of {:?} bytes", p.bytes, p.total));
//! for file in client.download_task(&done, "videos".as_ref(), &options).await? {
//!     println!("{} ({} bytes, sha256 {})", file.path.display(), file.bytes, file.sha256);
//! }
//! # Ok(()) }
//! ```

mod error;
mod head;
mod name;
mod part;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::StatusCode;
use http::header::{IF_RANGE, RANGE};
use orux_models::display::excerpt;
use orux_models::responses::{TaskStatus, TaskStatusResponse};
use reqwest::Url;
use serde::Serialize;
use tracing::{debug, warn};

pub use error::DownloadError;
pub use name::{
    UNKNOWN_EXTENSION, extension as result_file_extension, result_stem as result_file_stem,
};

use crate::client::Client;
use crate::edge::{MAX_RETRY_AFTER, retry_after};
use crate::schedule::retry_delay;
use head::Head;
use part::{Meta, PartPaths, Writer};

/// The default [`DownloadOptions::max_bytes`]: 16 GiB. A generated clip of
/// a few seconds is tens or hundreds of MiB even in 4K; this leaves a wide
/// margin and still stops an endless stream long before most disks fill.
pub const DEFAULT_MAX_BYTES: u64 = 16 * 1024 * 1024 * 1024;

/// The default [`DownloadOptions::stall_timeout`].
pub const DEFAULT_STALL_TIMEOUT: Duration = Duration::from_secs(30);

/// The default [`DownloadOptions::max_attempts`].
pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;

/// The default [`DownloadOptions::min_free_bytes`]: 64 MiB.
pub const DEFAULT_MIN_FREE_BYTES: u64 = 64 * 1024 * 1024;

/// How many times one result's URL is refreshed from its task (on 403, 404
/// or 410) before the download gives up.
pub const MAX_REFRESHES: u32 = 3;

/// Called with the progress of a download; see [`DownloadOptions::progress`].
pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// Where a download stands, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Which result (0-based) of [`Progress::files`].
    pub file: usize,
    /// How many files this call downloads (1 for [`Client::download_url`]).
    pub files: usize,
    /// Bytes of this file on disk so far. Goes back to 0 when the file has
    /// to start over (the server sent another version).
    pub bytes: u64,
    /// This file's length, once the server has declared it.
    pub total: Option<u64>,
}

/// How downloads behave. Start from `DownloadOptions::default()` and change
/// what you need.
#[derive(Clone)]
#[non_exhaustive]
pub struct DownloadOptions {
    /// Largest file accepted, declared or streamed (default [`DEFAULT_MAX_BYTES`]).
    pub max_bytes: u64,
    /// Replace a file that already exists (default: refuse, [`DownloadError::Exists`]).
    pub overwrite: bool,
    /// A body that sends nothing for this long is dropped and resumed
    /// (default [`DEFAULT_STALL_TIMEOUT`]).
    pub stall_timeout: Duration,
    /// Requests in a row that make no progress before giving up (default
    /// [`DEFAULT_MAX_ATTEMPTS`]). A request that brought bytes resets the count.
    pub max_attempts: u32,
    /// Free space kept on the target's disk: a declared length that would
    /// eat into it is refused before writing, and a stream of unknown
    /// length stops there (default [`DEFAULT_MIN_FREE_BYTES`]).
    pub min_free_bytes: u64,
    /// Called after each chunk written (and on a restart), on the task
    /// running the download; keep it quick.
    pub progress: Option<ProgressFn>,
}

impl Default for DownloadOptions {
    fn default() -> Self {
        DownloadOptions {
            max_bytes: DEFAULT_MAX_BYTES,
            overwrite: false,
            stall_timeout: DEFAULT_STALL_TIMEOUT,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            min_free_bytes: DEFAULT_MIN_FREE_BYTES,
            progress: None,
        }
    }
}

impl fmt::Debug for DownloadOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DownloadOptions")
            .field("max_bytes", &self.max_bytes)
            .field("overwrite", &self.overwrite)
            .field("stall_timeout", &self.stall_timeout)
            .field("max_attempts", &self.max_attempts)
            .field("min_free_bytes", &self.min_free_bytes)
            .field("progress", &self.progress.as_ref().map(|_| "<fn>"))
            .finish()
    }
}

impl DownloadOptions {
    /// These options with `overwrite` set.
    pub fn overwrite(mut self, overwrite: bool) -> Self {
        self.overwrite = overwrite;
        self
    }

    /// These options with a progress callback.
    pub fn on_progress(mut self, progress: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(progress));
        self
    }
}

/// A complete file on disk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DownloadedFile {
    /// The URL it came from (the last one used, after any refresh).
    pub url: String,
    /// Where it is.
    pub path: PathBuf,
    /// Its length.
    pub bytes: u64,
    /// Its SHA-256, 64 lowercase hex digits.
    pub sha256: String,
}

/// Where the bytes come from: a bare URL, or a task's result that can be
/// refreshed from the task when its URL expires.
enum Source<'a> {
    Url,
    TaskResult { task_id: &'a str, index: usize },
}

/// Where the file goes: a path the caller chose, or our name in a directory
/// (its extension decided by the response).
enum Destination {
    Path(PathBuf),
    Named { dir: PathBuf, stem: String },
}

impl Destination {
    fn dir(&self) -> PathBuf {
        match self {
            Destination::Path(path) => match path.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
                _ => PathBuf::from("."),
            },
            Destination::Named { dir, .. } => dir.clone(),
        }
    }

    fn part_paths(&self) -> PartPaths {
        match self {
            Destination::Path(path) => {
                let name = path
                    .file_name()
                    .map(|name| name.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "download".to_owned());
                PartPaths::new(&self.dir(), &name)
            }
            Destination::Named { dir, stem } => PartPaths::new(dir, stem),
        }
    }

    /// The files that would be this result, any extension.
    fn existing(&self) -> Option<PathBuf> {
        match self {
            Destination::Path(path) => path.exists().then(|| path.clone()),
            Destination::Named { dir, stem } => name::all_extensions()
                .map(|ext| dir.join(format!("{stem}.{ext}")))
                .find(|path| path.exists()),
        }
    }

    fn target(&self, content_type: Option<&str>, url: &Url) -> PathBuf {
        match self {
            Destination::Path(path) => path.clone(),
            Destination::Named { dir, stem } => {
                let ext = name::extension(content_type, url.path());
                dir.join(format!("{stem}.{ext}"))
            }
        }
    }
}

impl Client {
    /// Downloads `url` to `path` (its directory is created if needed), with
    /// no API key. Resumes a `.part` file left beside `path` by an earlier
    /// call. There is no task to refresh the URL from: a 403, 404 or 410 is
    /// [`DownloadError::Expired`].
    pub async fn download_url(
        &self,
        url: &str,
        path: &Path,
        options: &DownloadOptions,
    ) -> Result<DownloadedFile, DownloadError> {
        let destination = Destination::Path(path.to_owned());
        self.fetch(url, Source::Url, destination, options, (0, 1))
            .await
    }

    /// Downloads every result of a successful task into `dir` (created if
    /// needed), one after the other, as `<task_id>.<ext>` or
    /// `<task_id>-<n>.<ext>` (n from 1), and returns them in the order of
    /// `result_urls`. An expired URL is refreshed from the task. The first
    /// failure ends the call; the files finished before it stay.
    pub async fn download_task(
        &self,
        task: &TaskStatusResponse,
        dir: &Path,
        options: &DownloadOptions,
    ) -> Result<Vec<DownloadedFile>, DownloadError> {
        if task.status != TaskStatus::Success || task.result_urls.is_empty() {
            return Err(DownloadError::NoResults {
                task_id: task.task_id.clone(),
                status: task.status.as_str().to_owned(),
            });
        }
        let count = task.result_urls.len();
        let mut files = Vec::with_capacity(count);
        for (index, url) in task.result_urls.iter().enumerate() {
            let destination = Destination::Named {
                dir: dir.to_owned(),
                stem: name::result_stem(&task.task_id, index, count),
            };
            let source = Source::TaskResult {
                task_id: &task.task_id,
                index,
            };
            files.push(
                self.fetch(url, source, destination, options, (index, count))
                    .await?,
            );
        }
        Ok(files)
    }

    /// One file, from the first request to the rename.
    async fn fetch(
        &self,
        url: &str,
        source: Source<'_>,
        destination: Destination,
        options: &DownloadOptions,
        (file, files): (usize, usize),
    ) -> Result<DownloadedFile, DownloadError> {
        let url = self.check_result_url(url)?;
        if !options.overwrite
            && let Some(path) = destination.existing()
        {
            return Err(DownloadError::Exists { path });
        }
        let dir = destination.dir();
        std::fs::create_dir_all(&dir).map_err(|source| DownloadError::Io {
            path: dir.clone(),
            action: "create the directory",
            source,
        })?;
        let (writer, resumed) =
            Writer::open(destination.part_paths(), options.min_free_bytes).await?;
        let mut run = Run {
            client: self,
            options,
            writer,
            offset: resumed.offset,
            meta: resumed.meta,
            progress: Progress {
                file,
                files,
                bytes: resumed.offset,
                total: None,
            },
            requests: 0,
            high_water: resumed.offset,
            stalled_attempts: 0,
            next_wait: None,
            refreshes: 0,
            last_failure: String::new(),
            mismatch: None,
        };
        run.report();
        let url = match run.drive(url, &source).await {
            Ok(url) => url,
            Err(error) => {
                // The writer stops before the error is returned, so a next
                // call for the same file finds it settled.
                run.writer.close().await;
                return Err(error);
            }
        };
        let target = destination.target(run.meta.content_type.as_deref(), &url);
        let finished = run.writer.finish(target.clone(), options.overwrite).await?;
        Ok(DownloadedFile {
            url: url.to_string(),
            path: target,
            bytes: finished.bytes,
            sha256: hex(&finished.sha256),
        })
    }

    /// A result URL we fetch: https, or http to a loopback host when the
    /// API itself is on loopback (the mock server); no credentials in it.
    fn check_result_url(&self, text: &str) -> Result<Url, DownloadError> {
        let url = Url::parse(text).map_err(|error| DownloadError::UrlRefused {
            url: text.split('?').next().unwrap_or_default().to_owned(),
            reason: format!("not a URL: {error}"),
        })?;
        self.check_url(url)
    }

    fn check_url(&self, url: Url) -> Result<Url, DownloadError> {
        let refuse = |reason: &str| DownloadError::UrlRefused {
            url: shown_url(&url),
            reason: reason.to_owned(),
        };
        if !url.username().is_empty() || url.password().is_some() {
            return Err(refuse("it carries credentials"));
        }
        match url.scheme() {
            "https" if url.host().is_some() => Ok(url),
            "http" if crate::redirect::is_loopback(&url) && self.is_loopback() => Ok(url),
            "http" => Err(refuse(
                "plain http is fetched only from a loopback host, and only when the API is on loopback",
            )),
            _ => Err(refuse("only https URLs are fetched")),
        }
    }

    /// The task's current URL for result `index`.
    async fn fresh_url(&self, task_id: &str, index: usize) -> Result<Url, DownloadError> {
        let task = self.get(task_id).await?;
        match task.result_urls.get(index) {
            Some(url) if task.status == TaskStatus::Success => self.check_result_url(url),
            _ => Err(DownloadError::NoResults {
                task_id: task.task_id,
                status: task.status.as_str().to_owned(),
            }),
        }
    }
}

/// What one request ended with.
enum Attempt {
    /// The body is complete on disk.
    Complete,
    /// Try again (resuming where the file stands).
    Retry,
    /// The URL answered 403, 404 or 410.
    Refresh { status: u16 },
}

/// One file's download in progress.
struct Run<'a> {
    client: &'a Client,
    options: &'a DownloadOptions,
    writer: Writer,
    /// Bytes in the `.part` file.
    offset: u64,
    /// What those bytes are (validator, total, type).
    meta: Meta,
    progress: Progress,
    requests: u32,
    /// The furthest the file has been: bytes fetched again after a restart
    /// are not progress.
    high_water: u64,
    /// Requests in a row that brought no new bytes.
    stalled_attempts: u32,
    /// How long to wait before the next request (after a failure).
    next_wait: Option<Duration>,
    refreshes: u32,
    last_failure: String,
    /// The (declared, received) lengths, when the last failure was that
    /// they did not add up.
    mismatch: Option<(u64, u64)>,
}

impl Run<'_> {
    /// Requests until the file is complete, refreshing an expired URL from
    /// its task; returns the URL the file came from.
    async fn drive(&mut self, mut url: Url, source: &Source<'_>) -> Result<Url, DownloadError> {
        loop {
            match self.attempt(&url).await? {
                Attempt::Complete => return Ok(url),
                Attempt::Retry => {}
                Attempt::Refresh { status } => {
                    let Source::TaskResult { task_id, index } = *source else {
                        return Err(self.expired(&url, status, false));
                    };
                    if self.refreshes >= MAX_REFRESHES {
                        return Err(self.expired(&url, status, true));
                    }
                    self.refreshes += 1;
                    url = self.client.fresh_url(task_id, index).await?;
                    debug!(url = %shown_url(&url), "refreshed an expired result URL");
                }
            }
        }
    }

    /// One request: send it, read the head, stream the body into the file.
    async fn attempt(&mut self, url: &Url) -> Result<Attempt, DownloadError> {
        if self.stalled_attempts >= self.options.max_attempts.max(1) {
            return Err(self.gave_up(url));
        }
        if let Some(wait) = self.next_wait.take() {
            tokio::time::sleep(wait).await;
        }
        let resuming = self.offset > 0 && self.meta.validator.if_range().is_some();
        let mut response = match self.send(url, resuming).await? {
            Ok(response) => response,
            Err(reason) => return Ok(self.failed(reason, None)),
        };
        let status = response.status();
        let head = Head::of(response.headers());
        match status {
            StatusCode::OK => {
                if resuming {
                    warn!(url = %shown_url(url), offset = self.offset, "the server sent the whole file again; starting over");
                }
                self.check_declared(url, head.content_length)?;
                self.start_over(Meta::new(
                    head.validator,
                    head.content_length,
                    head.content_type,
                ))
                .await?;
            }
            StatusCode::PARTIAL_CONTENT if resuming => {
                let fits = head.range.is_some_and(|range| {
                    range.start == self.offset
                        && range.total.is_some_and(|total| range.end + 1 == total)
                        && self
                            .meta
                            .total
                            .is_none_or(|total| range.total == Some(total))
                });
                if !fits || !self.meta.validator.matches(&head.validator) {
                    self.start_over(Meta::default()).await?;
                    return Ok(self.failed(
                        "a partial answer that does not continue the file; starting over"
                            .to_owned(),
                        None,
                    ));
                }
                self.meta.total = head.range.and_then(|range| range.total);
                self.check_declared(url, self.meta.total)?;
                if head.content_type.is_some() {
                    self.meta.content_type = head.content_type;
                }
            }
            StatusCode::RANGE_NOT_SATISFIABLE if resuming => {
                self.start_over(Meta::default()).await?;
                return Ok(self.failed(
                    "the server cannot continue the file (416); starting over".to_owned(),
                    None,
                ));
            }
            StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::GONE => {
                return Ok(Attempt::Refresh {
                    status: status.as_u16(),
                });
            }
            StatusCode::TOO_MANY_REQUESTS => return Ok(self.throttled(&response, status)),
            status if status.is_server_error() => return Ok(self.throttled(&response, status)),
            status => {
                return Err(DownloadError::Status {
                    url: shown_url(url),
                    status: status.as_u16(),
                });
            }
        }
        self.stream(url, &mut response).await
    }

    /// Sends the GET (with `Range` and `If-Range` when resuming) and follows
    /// redirects as the client's policy says ([`crate::redirect`]: a few
    /// hops, https only, or loopback when the API is). `Ok(Err(reason))` is
    /// a failure worth another attempt; a redirect the policy refuses is
    /// [`DownloadError::UrlRefused`].
    async fn send(
        &mut self,
        url: &Url,
        resuming: bool,
    ) -> Result<Result<reqwest::Response, String>, DownloadError> {
        let mut current = url.clone();
        let mut hops = 0;
        loop {
            let mut request = self.client.http().get(current.clone());
            if resuming && let Some(validator) = self.meta.validator.if_range() {
                request = request
                    .header(RANGE, format!("bytes={}-", self.offset))
                    .header(IF_RANGE, validator);
            }
            self.requests += 1;
            debug!(url = %shown_url(&current), offset = self.offset, resuming, "requesting a result file");
            let sent = tokio::time::timeout(self.client.request_timeout(), request.send()).await;
            let response = match sent {
                Ok(Ok(response)) => response,
                Ok(Err(error)) => return Ok(Err(crate::error::chain(&error))),
                Err(_) => return Ok(Err("no response within the request timeout".to_owned())),
            };
            let refuse = |reason: String| DownloadError::UrlRefused {
                url: shown_url(&current),
                reason,
            };
            if response.url() != &current {
                return Err(refuse(
                    "the HTTP client followed a redirect by itself (build it with \
                     redirect::Policy::none())"
                        .to_owned(),
                ));
            }
            if !response.status().is_redirection() {
                return Ok(Ok(response));
            }
            match self.client.redirects().next(
                &current,
                response.status(),
                response.headers(),
                hops,
            ) {
                Ok(next) => {
                    debug!(status = response.status().as_u16(), to = %shown_url(&next), "following a redirect");
                    current = next;
                    hops += 1;
                }
                Err(refused) => {
                    let location = refused.location.as_deref().unwrap_or("nowhere");
                    return Err(refuse(format!(
                        "its {} redirect to {} is not followed: {}",
                        response.status().as_u16(),
                        excerpt(location),
                        refused.reason
                    )));
                }
            }
        }
    }

    /// Reads the body into the file until it ends, breaks or stalls.
    async fn stream(
        &mut self,
        url: &Url,
        response: &mut reqwest::Response,
    ) -> Result<Attempt, DownloadError> {
        let total = self.meta.total;
        self.progress.total = total;
        let (reason, mismatch) = loop {
            let next = tokio::time::timeout(self.options.stall_timeout, response.chunk()).await;
            let chunk: Bytes = match next {
                Err(_) => {
                    let stall = self.options.stall_timeout.as_secs_f64();
                    break (format!("no data for {stall} s"), None);
                }
                // A body cut short of its Content-Length ends here too.
                Ok(Err(error)) => break (crate::error::chain(&error), None),
                Ok(Ok(None)) => match total {
                    Some(total) if self.offset < total => {
                        let reason = format!("the body ended at byte {} of {total}", self.offset);
                        break (reason, Some((total, self.offset)));
                    }
                    _ => return Ok(Attempt::Complete),
                },
                Ok(Ok(Some(chunk))) => chunk,
            };
            let end = self.offset.saturating_add(chunk.len() as u64);
            if let Some(total) = total
                && end > total
            {
                // More than declared: these bytes cannot be trusted, nor
                // those before them in this version.
                self.start_over(Meta::default()).await?;
                let reason = format!("the body went past its declared {total} bytes");
                break (reason, Some((total, end)));
            }
            if end > self.options.max_bytes {
                self.writer.discard().await;
                return Err(DownloadError::TooLarge {
                    url: shown_url(url),
                    limit: self.options.max_bytes,
                    declared: None,
                });
            }
            self.writer.write(chunk).await?;
            self.offset = end;
            self.report();
        };
        if self.offset > self.high_water {
            // New ground: resume at once, with a fresh count of attempts.
            self.high_water = self.offset;
            debug!(reason = %reason, offset = self.offset, "download interrupted; resuming");
            self.stalled_attempts = 0;
            self.last_failure = reason;
            self.mismatch = mismatch;
            Ok(Attempt::Retry)
        } else {
            Ok(self.failed(reason, mismatch))
        }
    }

    /// Refuses a declared length over the cap before anything is written.
    fn check_declared(&self, url: &Url, declared: Option<u64>) -> Result<(), DownloadError> {
        match declared {
            Some(declared) if declared > self.options.max_bytes => Err(DownloadError::TooLarge {
                url: shown_url(url),
                limit: self.options.max_bytes,
                declared: Some(declared),
            }),
            _ => Ok(()),
        }
    }

    /// Empties the file: what follows is a new version (or the same one
    /// from byte 0).
    async fn start_over(&mut self, meta: Meta) -> Result<(), DownloadError> {
        self.writer.restart(meta.clone()).await?;
        self.meta = meta;
        self.offset = 0;
        self.progress.total = self.meta.total;
        self.report();
        Ok(())
    }

    /// A request that brought nothing: count it, and back off before the next.
    fn failed(&mut self, reason: String, mismatch: Option<(u64, u64)>) -> Attempt {
        warn!(attempt = self.requests, reason = %reason, "download attempt failed");
        self.last_failure = reason;
        self.mismatch = mismatch;
        self.stalled_attempts += 1;
        self.next_wait = Some(retry_delay(
            self.stalled_attempts - 1,
            &mut fastrand::Rng::new(),
        ));
        Attempt::Retry
    }

    /// A 429 or 5xx: wait as asked (within reason), then try again.
    fn throttled(&mut self, response: &reqwest::Response, status: StatusCode) -> Attempt {
        let attempt = self.failed(format!("the file host answered {}", status.as_u16()), None);
        if let Some(wait) = retry_after(response.headers(), SystemTime::now())
            .filter(|wait| *wait <= MAX_RETRY_AFTER)
        {
            self.next_wait = Some(wait);
        }
        attempt
    }

    fn gave_up(&self, url: &Url) -> DownloadError {
        match self.mismatch {
            Some((expected, received)) => DownloadError::LengthMismatch {
                url: shown_url(url),
                expected,
                received,
            },
            _ => DownloadError::Network {
                url: shown_url(url),
                attempts: self.requests,
                last: self.last_failure.clone(),
            },
        }
    }

    fn expired(&self, url: &Url, status: u16, refreshed: bool) -> DownloadError {
        DownloadError::Expired {
            url: shown_url(url),
            status,
            refreshed,
        }
    }

    fn report(&mut self) {
        self.progress.bytes = self.offset;
        if let Some(progress) = &self.options.progress {
            progress(self.progress);
        }
    }
}

/// A URL for messages and logs: without its query, which for a signed URL
/// is the capability itself.
fn shown_url(url: &Url) -> String {
    let mut shown = url[..url::Position::AfterPath].to_owned();
    if url.query().is_some() {
        shown.push_str("?…");
    }
    shown
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    text
}
