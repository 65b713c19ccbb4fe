//! The client: configuration, submission and status requests, with the retry
//! rules of the API.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use orux_models::TaskRequest;
use orux_models::display::quoted;
use orux_models::responses::{SubmitResponse, TaskStatusResponse};
use reqwest::Url;
use tracing::{debug, warn};

use crate::edge::{self, Failure, MAX_RETRY_AFTER, Raw};
use crate::error::Error;
use crate::schedule::{MAX_RETRIES, retry_delay};

/// Where the API lives unless told otherwise.
pub const DEFAULT_BASE_URL: &str = "https://orux.top";
/// How long one HTTP exchange (connect, send, read the whole response) may take.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const IDEMPOTENCY_KEY: &str = "idempotency-key";

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
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("api_key", &"<redacted>")
            .field("request_timeout", &self.inner.request_timeout)
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
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &"<redacted>")
            .field("base_url", &self.base_url)
            .field("request_timeout", &self.request_timeout)
            .field("user_agent", &self.user_agent)
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

    /// The limit on one HTTP exchange, body included (default 30 s).
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
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
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
                base_url,
                authorization,
                request_timeout: self.request_timeout,
            }),
        })
    }
}

fn check_base_url(text: &str) -> Result<Url, Error> {
    let url = Url::parse(text).map_err(|error| {
        Error::Config(format!("base URL {} is not a URL: {error}", quoted(text)))
    })?;
    let loopback = is_loopback(&url);
    match url.scheme() {
        "https" if url.host().is_some() => {}
        "http" if loopback => {}
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

/// Whether the URL's host is a loopback address (`127.0.0.0/8`, `[::1]`,
/// `localhost`).
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
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
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// Whether the API is on a loopback address (the mock server): then, and
    /// only then, plain-http result URLs to loopback are fetched.
    pub(crate) fn is_loopback(&self) -> bool {
        is_loopback(&self.inner.base_url)
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
        let body = request
            .to_json()
            .map_err(|error| Error::Config(format!("request could not be serialized: {error}")))?;
        self.post_task(body.into_bytes()).await
    }

    /// Validates a raw body with [`TaskRequest::from_json`] and submits it as
    /// written. An invalid body is [`Error::Invalid`] with every error, and
    /// nothing is sent.
    pub async fn submit_json(&self, body: &[u8]) -> Result<SubmitResponse, Error> {
        TaskRequest::from_json(body).map_err(Error::Invalid)?;
        self.post_task(body.to_vec()).await
    }

    /// One POST with its `Idempotency-Key`, retried only when it surely never
    /// reached the server or on 429 (same key). Anything ambiguous is
    /// [`Error::SubmitOutcomeUnknown`].
    async fn post_task(&self, body: Vec<u8>) -> Result<SubmitResponse, Error> {
        let key = uuid::Uuid::new_v4().to_string();
        let url = self.url(&["api", "v1", "tasks"]);
        let mut rng = fastrand::Rng::new();
        let unknown = |reason: String| Error::SubmitOutcomeUnknown {
            idempotency_key: key.clone(),
            reason,
        };
        for attempt in 0..=MAX_RETRIES {
            let request = self
                .request(reqwest::Method::POST, url.clone())
                .header(CONTENT_TYPE, "application/json")
                .header(IDEMPOTENCY_KEY, &key)
                .body(body.clone());
            debug!(%url, attempt, idempotency_key = %key, "submitting task");
            let retry_in = match edge::exchange(request, self.inner.request_timeout).await {
                Err(Failure::NotConnected(error)) => {
                    if attempt == MAX_RETRIES {
                        return Err(Error::Transport(error));
                    }
                    retry_delay(attempt, &mut rng)
                }
                Err(Failure::Broken(error)) => {
                    return Err(unknown(format!("connection broke: {error}")));
                }
                Err(Failure::Timeout) => {
                    return Err(unknown("no response within the request timeout".to_owned()));
                }
                Err(Failure::TooLarge { status }) => {
                    return Err(unknown(edge::too_large(status).to_string()));
                }
                Ok(raw) => match self.read::<SubmitResponse>(&raw) {
                    Ok(response) => return Ok(response),
                    Err(Error::RateLimited { retry_after }) => {
                        match retry_wait(retry_after, attempt, &mut rng) {
                            Some(wait) => wait,
                            None => return Err(Error::RateLimited { retry_after }),
                        }
                    }
                    Err(Error::Server { status, .. }) => {
                        return Err(unknown(format!("server error {status}")));
                    }
                    Err(Error::InvalidResponse { reason, .. }) if raw.status.is_success() => {
                        return Err(unknown(format!("unreadable success response: {reason}")));
                    }
                    Err(other) => return Err(other),
                },
            };
            warn!(attempt, idempotency_key = %key, wait_ms = retry_in.as_millis() as u64, "submit not accepted yet; retrying");
            tokio::time::sleep(retry_in).await;
        }
        unreachable!("the last attempt returns")
    }

    /// The task's current status (`GET /api/v1/tasks/{task_id}`), retried up to
    /// four times on connection errors, timeouts, 429 and 5xx.
    pub async fn get(&self, task_id: &str) -> Result<TaskStatusResponse, Error> {
        if task_id.is_empty() {
            return Err(Error::Config("the task id is empty".to_owned()));
        }
        let url = self.url(&["api", "v1", "tasks", task_id]);
        let mut rng = fastrand::Rng::new();
        let mut attempt = 0;
        loop {
            let request = self.request(reqwest::Method::GET, url.clone());
            debug!(%url, attempt, "reading task status");
            let (error, retry_after) =
                match edge::exchange(request, self.inner.request_timeout).await {
                    Ok(raw) => match self.read::<TaskStatusResponse>(&raw) {
                        Ok(status) => return Ok(status),
                        Err(error @ (Error::RateLimited { .. } | Error::Server { .. })) => {
                            let after = edge::retry_after(&raw.headers, SystemTime::now());
                            (error, after)
                        }
                        Err(other) => return Err(other),
                    },
                    Err(Failure::NotConnected(error) | Failure::Broken(error)) => {
                        (Error::Transport(error), None)
                    }
                    Err(Failure::Timeout) => (Error::Timeout, None),
                    Err(Failure::TooLarge { status }) => return Err(edge::too_large(status)),
                };
            let Some(wait) = retry_wait(retry_after, attempt, &mut rng) else {
                return Err(error);
            };
            warn!(
                attempt,
                wait_ms = wait.as_millis() as u64,
                "status request failed ({error}); retrying"
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    fn read<T: serde::de::DeserializeOwned>(&self, raw: &Raw) -> Result<T, Error> {
        edge::parse_response(raw.status.as_u16(), &raw.headers, &raw.body)
    }

    fn request(&self, method: reqwest::Method, url: Url) -> reqwest::RequestBuilder {
        self.inner
            .http
            .request(method, url)
            .header(AUTHORIZATION, self.inner.authorization.clone())
    }

    /// The base URL with `segments` appended, each percent-encoded, so that a
    /// task id cannot change the path.
    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.inner.base_url.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }
}

/// How long to wait before retry `attempt`, or `None` when no retry is left or
/// the server asked for more than [`MAX_RETRY_AFTER`].
fn retry_wait(
    retry_after: Option<Duration>,
    attempt: u32,
    rng: &mut fastrand::Rng,
) -> Option<Duration> {
    if attempt >= MAX_RETRIES {
        return None;
    }
    match retry_after {
        Some(after) if after > MAX_RETRY_AFTER => None,
        Some(after) => Some(after),
        None => Some(retry_delay(attempt, rng)),
    }
}
