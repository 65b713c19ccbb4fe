//! Real result files: a successful task's `result_urls` point at the mock
//! itself (`GET`/`HEAD /_mock/results/<task_id>/<n>.<ext>?…`), signed and
//! optionally expiring like a CDN's URLs, and served as a file server
//! serves them: `Content-Length`, `Content-Type`, a strong `ETag`,
//! `Last-Modified`, `Accept-Ranges`, `Range` (206, 416) and `If-Range`.
//! Downloads can be made to fail on a script ([`faults`]).

mod body;
mod content;
pub mod faults;
mod links;
mod range;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use orux_models::responses::TaskStatus;

pub use content::{RESULT_MP4, ResultContent};
pub use faults::{DOWNLOAD_FAULTS_HEADER, DownloadFault, FaultScript};
pub use links::RESULTS_PATH;

use crate::error::ApiError;
use crate::lifecycle::Task;
use crate::stats::Stats;
use body::{Cut, ResultBody};
use links::{Links, Refusal};
use range::Selection;

/// The submit header that sets how many results a task has.
pub const RESULTS_HEADER: &str = "x-orux-mock-results";

/// Most results one task may have.
pub const MAX_RESULTS: u8 = 16;

/// How results are made and served.
#[derive(Clone, Debug)]
pub struct ResultsConfig {
    /// Serve this many pseudo-random bytes per result instead of the MP4
    /// fixture (`--result-bytes N`), for large-file tests.
    pub bytes: Option<u64>,
    /// Result URLs answer 403 this long after they were issued
    /// (`--result-ttl SECS`); a fresh status read issues new ones.
    pub ttl: Option<Duration>,
    /// Results per successful task (1 to [`MAX_RESULTS`]), unless a submit
    /// sets `X-Orux-Mock-Results`.
    pub per_task: u8,
    /// The download fault script of every task that does not send
    /// `X-Orux-Mock-Download-Faults` (`--download-faults`).
    pub download_faults: Option<String>,
}

impl Default for ResultsConfig {
    /// The MP4 fixture, URLs that do not expire, one result per task, no faults.
    fn default() -> Self {
        ResultsConfig {
            bytes: None,
            ttl: None,
            per_task: 1,
            download_faults: None,
        }
    }
}

/// What a download fault script has done so far to one result file.
#[derive(Default)]
struct FileState {
    /// GETs taken (the next step's index).
    gets: usize,
    /// Its version, raised by `new-etag`.
    version: u32,
}

/// The results side of the server: links, settings, fault scripts and the
/// files they act on.
pub struct Results {
    links: Links,
    random_len: Option<u64>,
    per_task: u8,
    default_script: Option<FaultScript>,
    scripts: Mutex<Scripts>,
}

/// Scripts by task, bounded like the tasks themselves (oldest forgotten first).
struct Scripts {
    max: usize,
    by_task: HashMap<u128, FaultScript>,
    order: VecDeque<u128>,
    files: HashMap<(u128, usize), FileState>,
}

impl Results {
    /// Checks `config` for a server listening on `addr` that keeps `max_tasks`.
    pub fn new(
        config: &ResultsConfig,
        addr: std::net::SocketAddr,
        max_tasks: usize,
    ) -> Result<Results, String> {
        if !(1..=MAX_RESULTS).contains(&config.per_task) {
            return Err(format!("--results must be from 1 to {MAX_RESULTS}"));
        }
        let default_script = config
            .download_faults
            .as_deref()
            .map(FaultScript::parse)
            .transpose()
            .map_err(|error| format!("--download-faults: {error}"))?;
        Ok(Results {
            links: Links::new(addr, config.ttl),
            random_len: config.bytes,
            per_task: config.per_task,
            default_script,
            scripts: Mutex::new(Scripts {
                max: max_tasks.max(1),
                by_task: HashMap::new(),
                order: VecDeque::new(),
                files: HashMap::new(),
            }),
        })
    }

    /// How many results a new task gets: the header's number, else the default.
    pub fn count_for(&self, header: Option<&str>) -> Result<u8, ApiError> {
        match header {
            None => Ok(self.per_task),
            Some(text) => text
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|n| (1..=MAX_RESULTS).contains(n))
                .ok_or_else(|| {
                    ApiError::invalid_param(format!(
                        "X-Orux-Mock-Results must be a whole number from 1 to {MAX_RESULTS}"
                    ))
                }),
        }
    }

    /// Reads a submit's fault script header (or takes the default).
    pub fn script_for(&self, header: Option<&str>) -> Result<Option<FaultScript>, ApiError> {
        match header {
            None => Ok(self.default_script.clone()),
            Some(text) => FaultScript::parse(text).map(Some).map_err(|error| {
                ApiError::invalid_param(format!("X-Orux-Mock-Download-Faults: {error}"))
            }),
        }
    }

    /// Remembers the script of a task just created.
    pub fn remember(&self, task: &Task, script: Option<FaultScript>) {
        let Some(script) = script else {
            return;
        };
        let mut scripts = lock(&self.scripts);
        while scripts.by_task.len() >= scripts.max {
            let Some(oldest) = scripts.order.pop_front() else {
                break;
            };
            scripts.by_task.remove(&oldest);
            scripts.files.retain(|(task, _), _| *task != oldest);
        }
        scripts.by_task.insert(task.id.0, script);
        scripts.order.push_back(task.id.0);
    }

    /// The URLs of a successful task's results, issued at `now`.
    pub fn urls(&self, task: &Task, now: SystemTime) -> Vec<String> {
        let task_id = task.wire_id();
        (0..usize::from(task.results.max(1)))
            .map(|index| {
                let version = self.version(task.id.0, index);
                let content = ResultContent::of(task.id.0, index, version, self.random_len);
                self.links.url(&task_id, index, content.extension(), now)
            })
            .collect()
    }

    fn version(&self, task: u128, index: usize) -> u32 {
        lock(&self.scripts)
            .files
            .get(&(task, index))
            .map_or(0, |file| file.version)
    }

    /// The step a GET of this file takes (advancing the script), and the
    /// file's version after it.
    fn take_step(&self, task: u128, index: usize) -> (DownloadFault, u32) {
        let mut scripts = lock(&self.scripts);
        let Some(script) = scripts.by_task.get(&task).cloned() else {
            return (DownloadFault::Ok, 0);
        };
        let file = scripts.files.entry((task, index)).or_default();
        let step = script.step(file.gets);
        file.gets += 1;
        if step == DownloadFault::NewEtag {
            file.version += 1;
        }
        (step, file.version)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A request for a result file.
pub(crate) struct FileRequest<'a> {
    /// The task the URL names, if the server knows it.
    pub task: Option<Task>,
    /// The task id as written in the URL.
    pub task_id: &'a str,
    /// The file part of the URL (`1.mp4`).
    pub file: &'a str,
    /// The query (`expires`, `token`).
    pub query: Option<&'a str>,
    /// `GET` or `HEAD`.
    pub method: &'a Method,
    /// The request's headers (`Range`, `If-Range`, `Authorization`).
    pub headers: &'a HeaderMap,
    /// The server's clock now.
    pub now: SystemTime,
    /// How long tasks run.
    pub task_duration: Duration,
}

impl Results {
    /// Answers `GET`/`HEAD /_mock/results/{task_id}/{file}`: the file of a
    /// successful task, if the URL's signature holds, with its faults.
    pub(crate) fn file(
        &self,
        stats: &Arc<Stats>,
        request: FileRequest<'_>,
    ) -> Result<Response, FileError> {
        let FileRequest {
            task,
            task_id,
            file,
            query,
            method,
            headers,
            now,
            task_duration,
        } = request;
        Stats::bump(&stats.file_requests);
        if headers.contains_key(header::AUTHORIZATION) {
            Stats::bump(&stats.file_requests_with_authorization);
        }
        let results = self;
        let missing = || FileError::new(StatusCode::NOT_FOUND, "not_found", "no such result file");
        let task = task
            .filter(|task| task.status_at(now, task_duration) == TaskStatus::Success)
            .ok_or_else(missing)?;
        let (number, extension) = file.split_once('.').ok_or_else(missing)?;
        let index = number
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=usize::from(task.results.max(1))).contains(n))
            .ok_or_else(missing)?
            - 1;
        let (expires, token) = signature(query);
        match results
            .links
            .check(task_id, index, expires, token.as_deref(), now)
        {
            Ok(()) => {}
            Err(Refusal::Expired) => {
                return Err(FileError::new(
                    StatusCode::FORBIDDEN,
                    "url_expired",
                    "this result URL has expired; read the task again for a fresh one",
                ));
            }
            Err(Refusal::Forbidden) => {
                return Err(FileError::new(
                    StatusCode::FORBIDDEN,
                    "forbidden",
                    "this result URL's signature is not valid",
                ));
            }
        }
        let (step, version) = if *method == Method::HEAD {
            (DownloadFault::Ok, results.version(task.id.0, index))
        } else {
            results.take_step(task.id.0, index)
        };
        let content = ResultContent::of(task.id.0, index, version, results.random_len);
        if extension != content.extension() {
            return Err(missing());
        }
        if let DownloadFault::Status(status) = step {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return Err(FileError::new(
                status,
                "injected",
                format!("injected download fault: {status}"),
            ));
        }
        let last_modified = httpdate::fmt_http_date(
            task.terminal_at(task_duration) + Duration::from_secs(u64::from(version)),
        );
        let etag = content.etag();
        let len = content.len();
        let selection = if step == DownloadFault::IgnoreRange {
            Selection::Whole
        } else {
            range::select(
                text(headers, header::RANGE),
                text(headers, header::IF_RANGE),
                &etag,
                &last_modified,
                len,
            )
        };
        let (status, start, end) = match selection {
            Selection::Whole => (StatusCode::OK, 0, len),
            Selection::Part { start, end } => (StatusCode::PARTIAL_CONTENT, start, end + 1),
            Selection::Unsatisfiable => {
                let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
                set(
                    &mut response,
                    header::CONTENT_RANGE,
                    format!("bytes */{len}"),
                );
                return Ok(response);
            }
        };
        let (cut, declared) = match step {
            DownloadFault::Drop(n) => (Some((start.saturating_add(n), Cut::Drop)), end - start),
            DownloadFault::Stall(n) => (Some((start.saturating_add(n), Cut::Stall)), end - start),
            DownloadFault::LieLength(extra) => {
                (Some((end, Cut::Drop)), (end - start).saturating_add(extra))
            }
            _ => (None, end - start),
        };
        let body = ResultBody::new(content, start, end, cut, declared, Arc::clone(stats));
        let mut response = (status, Body::new(body)).into_response();
        set(&mut response, header::CONTENT_LENGTH, declared.to_string());
        set(
            &mut response,
            header::CONTENT_TYPE,
            content.content_type().to_owned(),
        );
        set(&mut response, header::ETAG, etag);
        set(&mut response, header::LAST_MODIFIED, last_modified);
        set(&mut response, header::ACCEPT_RANGES, "bytes".to_owned());
        set(
            &mut response,
            header::CACHE_CONTROL,
            "private, no-store".to_owned(),
        );
        if status == StatusCode::PARTIAL_CONTENT {
            set(
                &mut response,
                header::CONTENT_RANGE,
                format!("bytes {start}-{}/{len}", end - 1),
            );
        }
        Ok(response)
    }
}

/// A file host's refusal, in the API's error shape
/// (`{"error": {"code", "message"}}`) but with the file host's own codes
/// (`url_expired`, `forbidden`, `not_found`, `injected`): they are not the
/// API's, so not `orux_models::wire::ErrorCode`s.
#[derive(Debug)]
pub struct FileError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl FileError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> FileError {
        FileError {
            status,
            code,
            message: message.into(),
        }
    }
}

impl IntoResponse for FileError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": {"code": self.code, "message": self.message}});
        let mut response = (self.status, body.to_string()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        response
    }
}

/// `expires` and `token` from the query.
fn signature(query: Option<&str>) -> (Option<u64>, Option<String>) {
    let mut expires = None;
    let mut token = None;
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        match &*key {
            "expires" => expires = value.parse().ok(),
            "token" => token = Some(value.into_owned()),
            _ => {}
        }
    }
    (expires, token)
}

fn text(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

fn set(response: &mut Response, name: header::HeaderName, value: String) {
    if let Ok(value) = HeaderValue::from_str(&value) {
        response.headers_mut().insert(name, value);
    }
}
