//! The client: configuration, submission and status requests, with the retry
//! rules of the API.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use orux_models::TaskRequest;
use orux_models::display::quoted;
use orux_models::responses::{SubmitResponse, TaskStatusResponse};
use orux_models::wire::{IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_MAX_LEN, tasks_segments};
use reqwest::Url;
use tracing::debug;

use crate::clock::{Clock, SystemClock};
use crate::deadline::Deadline;
use crate::edge::{self, Failure, Raw};
use crate::error::Error;
use crate::pause::Pause;
use crate::redirect::{self, RedirectPolicy};
use crate::retry::{Attempt, retrying};
use crate::task_id;

/// Where the API lives unless told otherwise.
pub const DEFAULT_BASE_URL: &str = "https://orux.top";
/// How long one HTTP exchange (connect, send, read the whole response) may take.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A fresh `Idempotency-Key`: a random UUID v4, as every submission of this
/// client carries unless the caller chose its own
/// ([`Client::submit_json_with_key`]).
pub fn new_idempotency_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A client for the task API. Cheap to clone (an `Arc` inside); clones share
/// one connection pool. `Debug` shows the base URL, never the key.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    /// `Bearer <key>`, marked sensitive so that http's `Debug` hides it too.
    authorization: HeaderValue,
    request_timeout: Duration,
    clock: Arc<dyn Clock>,
    redirects: RedirectPolicy,
    /// Shared by every clone: a `Retry-After` told to one request holds
    /// every submission.
    pause: Pause,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("api_key", &"<redacted>")
            .field("request_timeout", &self.inner.request_timeout)
            .field("clock", &self.inner.clock)
            .finish()
    }
}

/// Options for a [`Client`]; start with [`Client::builder`].
pub struct ClientBuilder {
    api_key: String,
    base_url: String,
    request_timeout: Duration,
    user_agent: String,
    http: Option<reqwest::Client>,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &"<redacted>")
            .field("base_url", &self.base_url)
            .field("request_timeout", &self.request_timeout)
            .field("user_agent", &self.user_agent)
            .field("clock", &self.clock)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The API's base URL (default `https://orux.top`). Must be `https`, unless
    /// its host is a loopback address (`127.0.0.0/8`, `[::1]`, `localhost`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The limit on one HTTP exchange, body included (default 30 s). Any
    /// value is accepted; one beyond what a timer can hold means no limit.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The `User-Agent` header (default `orux-client/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Uses the caller's own `reqwest::Client` (its TLS, proxy and pool
    /// settings). The user agent set here is then still sent per request.
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`: this
    /// client decides which redirects to follow ([`crate::redirect`]). An
    /// answer that the HTTP client reached through a redirect anyway is
    /// refused: [`Error::Redirected`] for a status request, and
    /// [`Error::SubmitOutcomeUnknown`] for a submission (which a redirect may
    /// have sent elsewhere).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The wall clock `Retry-After` dates are read against (default: the
    /// system's). Waits themselves run on tokio's clock.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Checks the options and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = check_base_url(&self.base_url)?;
        let mut authorization = HeaderValue::from_str(&format!("Bearer {}", self.api_key))
            .map_err(|_| {
                Error::Config("the API key contains characters a header cannot carry".to_owned())
            })?;
        if self.api_key.trim().is_empty() {
            return Err(Error::Config("the API key is empty".to_owned()));
        }
        authorization.set_sensitive(true);
        let http = match self.http {
            Some(http) => http,
            None => default_http(&self.user_agent)?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                redirects: RedirectPolicy::for_base(&base_url),
                base_url,
                authorization,
                request_timeout: self.request_timeout,
                clock: self.clock,
                pause: Pause::new(),
            }),
        })
    }
}

fn check_base_url(text: &str) -> Result<Url, Error> {
    let url = Url::parse(text).map_err(|error| {
        Error::Config(format!("base URL {} is not a URL: {error}", quoted(text)))
    })?;
    match url.scheme() {
        "https" if url.host().is_some() => {}
        "http" if redirect::is_loopback(&url) => {}
        _ => {
            return Err(Error::Config(format!(
                "base URL {} must be https (plain http only to a loopback address)",
                quoted(text)
            )));
        }
    }
    if !url.username().is_empty() || url.password().is_some() || url.query().is_some() {
        return Err(Error::Config(
            "base URL must not carry credentials or a query".to_owned(),
        ));
    }
    Ok(url)
}

fn default_http(user_agent: &str) -> Result<reqwest::Client, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|builder| {
            rustls_platform_verifier::BuilderVerifierExt::with_platform_verifier(builder)
        })
        .map_err(|error| Error::Config(format!("TLS set-up failed: {error}")))?
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .connect_timeout(CONNECT_TIMEOUT)
        // Redirects are this client's to follow, or not (`crate::redirect`):
        // reqwest's own policy would re-send a POST to wherever a 307 points.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(user_agent)
        .build()
        .map_err(|error| Error::Config(format!("HTTP client set-up failed: {error}")))
}

impl Client {
    /// A client for `https://orux.top` with the key `api_key` (`sk-app-…`).
    pub fn new(api_key: impl Into<String>) -> Result<Client, Error> {
        Client::builder(api_key).build()
    }

    /// The key from `ORUX_API_KEY`, and the base URL from `ORUX_BASE_URL` when set.
    pub fn from_env() -> Result<Client, Error> {
        let key = std::env::var("ORUX_API_KEY").map_err(|_| {
            Error::Config("ORUX_API_KEY is not set (the API key, sk-app-…)".to_owned())
        })?;
        let mut builder = Client::builder(key);
        if let Ok(url) = std::env::var("ORUX_BASE_URL") {
            builder = builder.base_url(url);
        }
        builder.build()
    }

    /// A builder starting from the defaults.
    pub fn builder(api_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            api_key: api_key.into(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            user_agent: concat!("orux-client/", env!("CARGO_PKG_VERSION")).to_owned(),
            http: None,
            clock: Arc::new(SystemClock),
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The pause every submission of this client and its clones waits at:
    /// while a `Retry-After` (on a 429 or a 503, at most 120 s) is running,
    /// [`Pause::until`] says until when.
    pub fn pause(&self) -> &Pause {
        &self.inner.pause
    }

    /// Whether the API is on a loopback address (the mock server): then, and
    /// only then, plain-http result URLs to loopback are fetched.
    pub(crate) fn is_loopback(&self) -> bool {
        redirect::is_loopback(&self.inner.base_url)
    }

    /// The redirects this client follows on a GET ([`crate::redirect`]).
    pub(crate) fn redirects(&self) -> RedirectPolicy {
        self.inner.redirects
    }

    /// The HTTP client, for requests that carry no API key (downloads).
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The limit on one exchange (for a download: until the response head).
    pub(crate) fn request_timeout(&self) -> Duration {
        self.inner.request_timeout
    }

    /// Submits a typed request (`POST /api/v1/tasks`).
    pub async fn submit(&self, request: &TaskRequest) -> Result<SubmitResponse, Error> {
        let body = serialize(request)?;
        self.post_task(body, new_idempotency_key(), Deadline::NONE)
            .await
    }

    /// Validates a raw body with [`TaskRequest::from_json`] and submits it as
    /// written. An invalid body is [`Error::Invalid`] with every error, and
    /// nothing is sent.
    pub async fn submit_json(&self, body: &[u8]) -> Result<SubmitResponse, Error> {
        TaskRequest::from_json(body).map_err(Error::Invalid)?;
        self.post_task(body.to_vec(), new_idempotency_key(), Deadline::NONE)
            .await
    }

    /// [`Client::submit_json`] with the caller's own `Idempotency-Key`
    /// (1 to 255 visible ASCII characters; [`new_idempotency_key`] makes
    /// one), for a caller that records the key before sending, such as a
    /// batch journal: after [`Error::SubmitOutcomeUnknown`], or a crash,
    /// the same body can be sent again with the same key. Whether that
    /// finds the first task depends on the server honouring the key: the
    /// upstream docs do not promise it (the mock server does).
    pub async fn submit_json_with_key(
        &self,
        body: &[u8],
        idempotency_key: &str,
    ) -> Result<SubmitResponse, Error> {
        let key_is_valid = !idempotency_key.is_empty()
            && idempotency_key.len() <= IDEMPOTENCY_KEY_MAX_LEN
            && idempotency_key.bytes().all(|b| b.is_ascii_graphic());
        if !key_is_valid {
            return Err(Error::Config(format!(
                "an Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX_LEN} visible ASCII characters"
            )));
        }
        TaskRequest::from_json(body).map_err(Error::Invalid)?;
        self.post_task(body.to_vec(), idempotency_key.to_owned(), Deadline::NONE)
            .await
    }

    /// One POST with its `Idempotency-Key`, retried only when it surely never
    /// reached the server or on 429 (same key), and never past `deadline`.
    /// Anything ambiguous is [`Error::SubmitOutcomeUnknown`]; a 3xx is
    /// [`Error::Redirected`] and is not followed. Each attempt first waits
    /// at the shared [`Pause`].
    pub(crate) async fn post_task(
        &self,
        body: Vec<u8>,
        key: String,
        deadline: Deadline,
    ) -> Result<SubmitResponse, Error> {
        let url = self.url(tasks_segments());
        let body = bytes::Bytes::from(body);
        retrying("submit", deadline, keep, |attempt| {
            let (key, url, body) = (&key, &url, body.clone());
            async move {
                self.inner.pause.wait().await;
                if deadline.passed() {
                    // Nothing is sent once the deadline passed.
                    return Attempt::Done(Err(Error::DeadlinePassed { last: None }));
                }
                let unknown = |reason: String| {
                    Attempt::Done(Err(Error::SubmitOutcomeUnknown {
                        idempotency_key: key.clone(),
                        reason,
                    }))
                };
                let request = self
                    .request(reqwest::Method::POST, url.clone(), true)
                    .header(CONTENT_TYPE, "application/json")
                    .header(IDEMPOTENCY_KEY, key)
                    .body(body);
                debug!(%url, attempt, idempotency_key = %key, "submitting task");
                let timeout = deadline.cap(self.inner.request_timeout);
                let raw = match edge::exchange(request, timeout).await {
                    Ok(raw) => raw,
                    Err(Failure::NotConnected(error)) => {
                        return Attempt::Retry {
                            error: Error::Transport(error),
                            retry_after: None,
                        };
                    }
                    Err(Failure::Broken(error)) => {
                        return unknown(format!("connection broke: {error}"));
                    }
                    Err(Failure::Timeout) => {
                        return unknown(if timeout < self.inner.request_timeout {
                            "no response before the deadline".to_owned()
                        } else {
                            "no response within the request timeout".to_owned()
                        });
                    }
                    Err(Failure::TooLarge { status }) => {
                        return unknown(edge::too_large(status).to_string());
                    }
                };
                if raw.url != *url {
                    return unknown(
                        "the HTTP client followed a redirect, which may have re-sent the submission"
                            .to_owned(),
                    );
                }
                match self.read::<SubmitResponse>(&raw) {
                    Ok(response) => match task_id::check(&response.task_id) {
                        Ok(()) => Attempt::Done(Ok(response)),
                        Err(why) => Attempt::Done(Err(Error::InvalidResponse {
                            status: raw.status.as_u16(),
                            reason: format!(
                                "the submit answer's task id {why}; the task may exist \
                                 (Idempotency-Key {key})"
                            ),
                        })),
                    },
                    Err(error @ Error::RateLimited { retry_after }) => {
                        Attempt::Retry { error, retry_after }
                    }
                    Err(Error::Server { status, .. }) => unknown(format!("server error {status}")),
                    Err(Error::Redirected {
                        status, location, ..
                    }) => Attempt::Done(Err(Error::Redirected {
                        status,
                        location,
                        reason: "a submission is never re-sent to another address".to_owned(),
                    })),
                    Err(Error::InvalidResponse { reason, .. }) if raw.status.is_success() => {
                        unknown(format!("unreadable success response: {reason}"))
                    }
                    Err(other) => Attempt::Done(Err(other)),
                }
            }
        })
        .await
    }

    /// The task's current status (`GET /api/v1/tasks/{task_id}`), retried up to
    /// four times on connection errors, timeouts, 429 and 5xx.
    ///
    /// The task id must be one plain path segment (letters, digits, `-`,
    /// `.`, `_`, `~`; not `.` or `..`): anything else is [`Error::Config`] and
    /// nothing is sent. An answer about another task is
    /// [`Error::InvalidResponse`].
    pub async fn get(&self, task_id: &str) -> Result<TaskStatusResponse, Error> {
        self.get_by(task_id, Deadline::NONE, keep).await
    }

    /// [`Client::get`], never past `deadline`: the retries stop before it,
    /// with `at_deadline` of the last error.
    pub(crate) async fn get_by(
        &self,
        task_id: &str,
        deadline: Deadline,
        at_deadline: fn(Error) -> Error,
    ) -> Result<TaskStatusResponse, Error> {
        task_id::check(task_id).map_err(|why| Error::Config(format!("the task id {why}")))?;
        let mut segments: Vec<&str> = tasks_segments().collect();
        segments.push(task_id);
        let url = self.url(segments);
        retrying("status request", deadline, at_deadline, |attempt| {
            let url = url.clone();
            async move {
                debug!(%url, attempt, "reading task status");
                let raw = match self.get_following(url, deadline).await {
                    Ok(Fetched::Answer(raw)) => raw,
                    Ok(Fetched::Refused { raw, reason }) => {
                        return Attempt::Done(Err(Error::Redirected {
                            status: raw.status.as_u16(),
                            location: edge::location(&raw.headers),
                            reason: reason.to_owned(),
                        }));
                    }
                    Err(Failure::NotConnected(error) | Failure::Broken(error)) => {
                        return Attempt::Retry {
                            error: Error::Transport(error),
                            retry_after: None,
                        };
                    }
                    Err(Failure::Timeout) => {
                        return Attempt::Retry {
                            error: Error::Timeout,
                            retry_after: None,
                        };
                    }
                    Err(Failure::TooLarge { status }) => {
                        return Attempt::Done(Err(edge::too_large(status)));
                    }
                };
                match self.read::<TaskStatusResponse>(&raw) {
                    Ok(status) if status.task_id == task_id => Attempt::Done(Ok(status)),
                    Ok(status) => Attempt::Done(Err(Error::InvalidResponse {
                        status: raw.status.as_u16(),
                        reason: format!(
                            "the status answer is for task {}, not {}",
                            quoted(&status.task_id),
                            quoted(task_id)
                        ),
                    })),
                    Err(error @ (Error::RateLimited { .. } | Error::Server { .. })) => {
                        let retry_after = edge::retry_after(&raw.headers, self.inner.clock.now());
                        Attempt::Retry { error, retry_after }
                    }
                    Err(other) => Attempt::Done(Err(other)),
                }
            }
        })
        .await
    }

    /// One GET of `url`, following redirects as [`crate::redirect`] says,
    /// each exchange cut at `deadline`.
    async fn get_following(&self, mut url: Url, deadline: Deadline) -> Result<Fetched, Failure> {
        let mut with_key = true;
        let mut hops = 0;
        loop {
            let request = self.request(reqwest::Method::GET, url.clone(), with_key);
            let raw = edge::exchange(request, deadline.cap(self.inner.request_timeout)).await?;
            if raw.url != url {
                // A caller's HTTP client that follows redirects by itself
                // may have taken the key anywhere; its answer is not used.
                let reason = "the HTTP client followed it by itself (build it with redirect::Policy::none())";
                return Ok(Fetched::Refused { raw, reason });
            }
            if !raw.status.is_redirection() {
                return Ok(Fetched::Answer(raw));
            }
            match self
                .inner
                .redirects
                .next(&url, raw.status, &raw.headers, hops)
            {
                Ok(next) => {
                    // Once off the API's origin, the key stays behind for good.
                    with_key = with_key && redirect::same_origin(&self.inner.base_url, &next);
                    debug!(status = raw.status.as_u16(), to = %next, with_key, "following a redirect");
                    url = next;
                    hops += 1;
                }
                Err(refused) => {
                    return Ok(Fetched::Refused {
                        raw,
                        reason: refused.reason,
                    });
                }
            }
        }
    }

    /// Reads a response; a 429 or 503 with `Retry-After` also holds the
    /// shared pause for that long (at most [`edge::MAX_RETRY_AFTER`]).
    fn read<T: serde::de::DeserializeOwned>(&self, raw: &Raw) -> Result<T, Error> {
        let now = self.inner.clock.now();
        if matches!(raw.status.as_u16(), 429 | 503)
            && let Some(after) = edge::retry_after(&raw.headers, now)
        {
            self.inner.pause.hold_for(after.min(edge::MAX_RETRY_AFTER));
        }
        edge::parse_response(raw.status.as_u16(), &raw.headers, &raw.body, now)
    }

    /// A request to `url`, with the API key when `with_key`.
    fn request(
        &self,
        method: reqwest::Method,
        url: Url,
        with_key: bool,
    ) -> reqwest::RequestBuilder {
        let request = self.inner.http.request(method, url);
        if with_key {
            request.header(AUTHORIZATION, self.inner.authorization.clone())
        } else {
            request
        }
    }

    /// The base URL with `segments` appended, each percent-encoded.
    fn url<'s>(&self, segments: impl IntoIterator<Item = &'s str>) -> Url {
        let mut url = self.inner.base_url.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }
}

/// What a GET came back with.
enum Fetched {
    /// An answer that is not a redirect.
    Answer(Raw),
    /// A redirect that is not followed, and why.
    Refused { raw: Raw, reason: &'static str },
}

/// The body of a typed request.
pub(crate) fn serialize(request: &TaskRequest) -> Result<Vec<u8>, Error> {
    request
        .to_json()
        .map(String::into_bytes)
        .map_err(|error| Error::Config(format!("request could not be serialized: {error}")))
}

/// The error as it is, whatever stopped the retries.
fn keep(error: Error) -> Error {
    error
}
