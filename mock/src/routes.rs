//! The API: `POST /api/v1/tasks`, `GET /api/v1/tasks/{task_id}`, JSON 404
//! and 405 for everything else; beside it, the result files
//! (`crate::results`) and `GET /_mock/stats` (`crate::stats`).

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use orux_models::catalog::ModelInfo;
use orux_models::responses::{SubmitResponse, TaskStatus};
use orux_models::wire::{
    ErrorCode, IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_MAX_LEN, IDEMPOTENT_REPLAYED, TASK_PATH, TASKS_PATH,
};
use orux_models::{Limits, TaskRequest, WireValue};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use ulid::Ulid;

use crate::auth::Keys;
use crate::body::{self, BodyBudget, Unread};
use crate::clock::Clock;
use crate::error::ApiError;
use crate::fault::{self, ResetConnection};
use crate::lifecycle::{OUTCOME_HEADER, Outcome, Task, parse_wire_id};
use crate::log::{self, ModelTag};
use crate::outcomes::{RateLimiter, Script};
use crate::results::{self, DOWNLOAD_FAULTS_HEADER, RESULTS_HEADER, Results};
use crate::stats::{STATS_PATH, Stats};
use crate::store::{Admission, BodyDigest, Store};
use crate::timefmt::iso_utc;
use crate::webhook::Outbox;

/// `duration_sec` of a success when neither the request nor the model's
/// table gives a length (a model without length control, such as an edit or
/// an upscale, whose output is as long as its input).
const FALLBACK_DURATION_SEC: f64 = 5.0;

/// What every handler shares.
pub struct AppState {
    pub keys: Keys,
    pub task_duration: Duration,
    pub clock: Arc<dyn Clock>,
    pub store: Mutex<Store>,
    pub outbox: Arc<Outbox>,
    pub max_body_bytes: usize,
    pub outcomes: Script,
    pub rate_limiter: RateLimiter,
    pub body_budget: BodyBudget,
    pub body_read_timeout: Duration,
    pub results: Results,
    pub stats: Arc<Stats>,
}

/// The router with its layers: fault injection on the API routes, the
/// result files and the stats beside them (their faults are their own), one
/// log line per request around everything.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route(TASKS_PATH, post(submit))
        .route(TASK_PATH, get(status))
        .route_layer(middleware::from_fn(fault::inject))
        .route(
            &format!("{}/{{task_id}}/{{file}}", results::RESULTS_PATH),
            get(result_file),
        )
        .route(STATS_PATH, get(show_stats))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            count_rejected_submits,
        ))
        .layer(middleware::from_fn(log::log_request))
        .with_state(state)
}

/// `GET /_mock/stats`.
async fn show_stats(State(state): State<Arc<AppState>>) -> Response {
    axum::Json(state.stats.snapshot(state.outbox.delivered())).into_response()
}

/// Middleware: counts a submit answered with an error, wherever the error
/// came from (the handler, authentication, an injected fault, the
/// connection cap).
async fn count_rejected_submits(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let submit = request.method() == Method::POST && request.uri().path() == TASKS_PATH;
    let response = next.run(request).await;
    if submit && !response.status().is_success() {
        Stats::bump(&state.stats.rejected_submits);
    }
    response
}

/// `GET`/`HEAD /_mock/results/{task_id}/{file}`: the task looked up here,
/// the file served by the results side.
async fn result_file(
    State(state): State<Arc<AppState>>,
    method: Method,
    headers: HeaderMap,
    Path((task_id, file)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, results::FileError> {
    let now = state.clock.now();
    let task = parse_wire_id(&task_id).and_then(|id| lock(&state.store).get(id));
    state.results.file(
        &state.stats,
        results::FileRequest {
            task,
            task_id: &task_id,
            file: &file,
            query: query.as_deref(),
            method: &method,
            headers: &headers,
            now,
            task_duration: state.task_duration,
        },
    )
}

/// What answers the connections past `--max-connections`
/// ([`crate::server::REFUSED_AT_ONCE`] at most): every request 429
/// `rate_limited` with `Retry-After: 1`, counted and logged as any other.
pub fn refusing_router(state: Arc<AppState>) -> Router {
    Router::new()
        .fallback(refuse)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            count_rejected_submits,
        ))
        .layer(middleware::from_fn(log::log_request))
        .with_state(state)
}

/// The most of a refused request's body read before the 429, and how long
/// it is waited for: closing a connection with unread bytes resets it, and
/// the client might lose the answer.
const REFUSED_BODY_BYTES: usize = 64 * 1024;
const REFUSED_BODY_WAIT: Duration = Duration::from_secs(1);

async fn refuse(body: Body) -> ApiError {
    let _ = tokio::time::timeout(
        REFUSED_BODY_WAIT,
        axum::body::to_bytes(body, REFUSED_BODY_BYTES),
    )
    .await;
    ApiError::new(
        ErrorCode::RateLimited,
        "too many connections open at once; retry on one already open",
    )
    .retry_after(1)
}

async fn not_found() -> ApiError {
    ApiError::not_found(
        "no such route; the API has POST /api/v1/tasks and GET /api/v1/tasks/{task_id}",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        "method not allowed on this route",
    )
}

async fn status(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    task_id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    state.keys.check(&headers)?;
    let Ok(Path(task_id)) = task_id else {
        return Err(ApiError::not_found("no such task"));
    };
    let task = parse_wire_id(&task_id)
        .and_then(|id| lock(&state.store).get(id))
        .ok_or_else(|| {
            ApiError::not_found("no such task (never created, or forgotten past --max-tasks)")
        })?;
    let now = state.clock.now();
    let response = task.response_at(now, state.task_duration, |task| {
        state.results.urls(task, now)
    });
    Ok(axum::Json(response).into_response())
}

async fn submit(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    state.keys.check(&headers)?;
    check_content_type(&headers)?;
    if let Some(seconds) = state.rate_limiter.refuse() {
        return Err(ApiError::new(
            ErrorCode::RateLimited,
            "scripted rate limit (--rate-limit-share)",
        )
        .retry_after(seconds));
    }
    let chosen = header_text(&headers, OUTCOME_HEADER)?
        .map(|text| {
            Outcome::parse(text).ok_or_else(|| {
                ApiError::invalid_param("X-Orux-Mock-Outcome must be success, failed or expired")
            })
        })
        .transpose()?;
    let results = state
        .results
        .count_for(header_text(&headers, RESULTS_HEADER)?)?;
    let script = state
        .results
        .script_for(header_text(&headers, DOWNLOAD_FAULTS_HEADER)?)?;
    let key = header_text(&headers, IDEMPOTENCY_KEY)?;
    if key.is_some_and(|k| {
        k.is_empty()
            || k.len() > IDEMPOTENCY_KEY_MAX_LEN
            || !k.bytes().all(|b| b.is_ascii_graphic())
    }) {
        return Err(ApiError::invalid_param(format!(
            "Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX_LEN} visible ASCII characters"
        )));
    }
    // `_held` keeps the body's bytes counted in the budget until the
    // request is done with them.
    let (body, _held) = match body::read(
        &headers,
        body,
        state.max_body_bytes,
        &state.body_budget,
        state.body_read_timeout,
    )
    .await
    {
        Ok(read) => read,
        Err(Unread::Refused(error)) => return Err(error),
        Err(Unread::TooSlow) => {
            let mut response = ().into_response();
            response.extensions_mut().insert(ResetConnection);
            return Ok(response);
        }
    };
    let valid = match TaskRequest::from_json(&body) {
        Ok(valid) => valid,
        Err(invalid) => {
            let mut response = ApiError::invalid_body(invalid.errors).into_response();
            if let Some(model) = invalid.model {
                response.extensions_mut().insert(ModelTag(model));
            }
            return Ok(response);
        }
    };
    let model = valid.request.model();
    drop(valid);
    let wire = RequestFields::read(&body);
    let digest: BodyDigest = Sha256::digest(&body).into();
    let outcome = chosen.unwrap_or_else(|| state.outcomes.outcome(wire.prompt.as_deref(), &digest));
    let now = state.clock.now();
    let task = Task {
        id: Ulid::from_datetime(now),
        submitted: now,
        outcome,
        duration_sec: wire
            .duration
            .unwrap_or_else(|| default_duration(model.info())),
        results,
    };
    let admission = lock(&state.store).submit(now, task, key.map(|k| (k, digest)));
    let mut response = match admission {
        Admission::Created(task) => {
            Stats::bump(&state.stats.tasks_created);
            state.results.remember(&task, script);
            if let Some(url) = &wire.webhook_url {
                state
                    .outbox
                    .schedule_terminal(&task, url, state.task_duration, &state.results);
            }
            submitted(&task).into_response()
        }
        Admission::Replayed(task) => {
            Stats::bump(&state.stats.idempotent_replays);
            let mut response = submitted(&task).into_response();
            response
                .headers_mut()
                .insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
            response
        }
        Admission::Conflict => ApiError::new(
            ErrorCode::IdempotencyConflict,
            "this Idempotency-Key was used with another body in the last 24 hours",
        )
        .into_response(),
    };
    response.extensions_mut().insert(ModelTag(model.id()));
    if !state.outcomes.answer_delay.is_zero() {
        // Carried out, then answered late: a window in which a client can
        // die between its POST and the answer (crash tests).
        let until = state.clock.now() + state.outcomes.answer_delay;
        state.clock.sleep_until(until).await;
    }
    Ok(response)
}

/// The answer to a submit: the same for the first request and for a replay.
fn submitted(task: &Task) -> axum::Json<SubmitResponse> {
    axum::Json(SubmitResponse::new(
        task.wire_id(),
        TaskStatus::Queued,
        iso_utc(task.submitted),
    ))
}

/// The fields of a validated body the mock acts on, read from the body
/// itself (whatever the model): everything else is skipped, not copied, so
/// a 20 MiB inline image is not held twice.
#[derive(Deserialize, Default)]
struct RequestFields {
    #[serde(default)]
    duration: Option<f64>,
    #[serde(default)]
    webhook_url: Option<String>,
    /// For the scripted outcomes' prompt rules.
    #[serde(default)]
    prompt: Option<String>,
}

impl RequestFields {
    fn read(body: &[u8]) -> RequestFields {
        // The validator accepted the body, so this reads; if not, neither field.
        serde_json::from_slice(body).unwrap_or_default()
    }
}

/// The length a success reports when the request named none: the model's
/// documented default `duration`, else its only allowed one, else its
/// longest clip.
fn default_duration(info: &ModelInfo) -> f64 {
    let seconds = |value: &WireValue| match value {
        WireValue::Int(n) => Some(*n as f64),
        _ => None,
    };
    let documented =
        info.field("duration")
            .and_then(|field| match (&field.default, field.allowed) {
                (Some(default), _) => seconds(default),
                (None, [only]) => seconds(only),
                _ => None,
            });
    documented
        .or_else(|| info.max_duration.map(f64::from))
        .unwrap_or(FALLBACK_DURATION_SEC)
}

/// `application/json`, with or without parameters (`; charset=utf-8`).
fn check_content_type(headers: &HeaderMap) -> Result<(), ApiError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    if is_json {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "the body must be sent as Content-Type: application/json",
        ))
    }
}

/// A header as text, when present; a value that is not visible ASCII is an error.
fn header_text<'h>(headers: &'h HeaderMap, name: &str) -> Result<Option<&'h str>, ApiError> {
    headers
        .get(name)
        .map(|value| {
            value.to_str().map_err(|_| {
                ApiError::invalid_param(format!("the {name} header is not visible ASCII"))
            })
        })
        .transpose()
}

pub(crate) fn lock(store: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The default body limit: the validator's own.
pub fn default_max_body_bytes() -> usize {
    Limits::default().max_body_bytes
}
