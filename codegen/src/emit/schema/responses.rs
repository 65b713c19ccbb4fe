//! The response schemas: what `POST /api/v1/tasks` and
//! `GET /api/v1/tasks/{task_id}` return, the error body, and the webhook event.
//!
//! Responses do not depend on the models, so nothing here reads the IR; the
//! shapes follow `docs/decisions.md` ("Responses and task lifecycle"). Their
//! Rust twins are hand-written in `orux_runtime::responses` and
//! `orux_runtime::wire`, and each definition is named (and titled) like its
//! Rust type; a test checks that both accept and reject the same documents.
//! Responses are read liberally: unknown fields are allowed, and so is any
//! status string.

use orux_runtime::wire::ErrorCode;
use serde_json::{Map, Value, json};

use super::defs::{reference, titled};
use super::{BASE_ID, DIALECT, RESPONSES_FILE, notice};

/// The five states the docs name, lowercase. The Rust `TaskStatus` parses
/// them case-insensitively.
pub(super) const KNOWN_STATES: [&str; 5] = ["queued", "running", "success", "failed", "expired"];

/// The response definitions, each named like its Rust type.
pub(super) const SUBMIT_RESPONSE: &str = "SubmitResponse";
pub(super) const TASK_STATUS_RESPONSE: &str = "TaskStatusResponse";
pub(super) const WEBHOOK_EVENT: &str = "WebhookEvent";
pub(super) const ERROR_RESPONSE: &str = "ErrorResponse";
const TASK_STATUS: &str = "TaskStatus";
const ERROR_OBJECT: &str = "ErrorObject";
const FIELD_ERROR: &str = "FieldError";

/// The docs' submit response.
pub(super) fn submit_example() -> Value {
    json!({ "task_id": "task_01HZX...", "status": "QUEUED", "submit_time": "2026-06-04T22:00:00" })
}

/// The docs' status response.
pub(super) fn status_example() -> Value {
    json!({ "task_id": "...", "status": "SUCCESS", "result_urls": ["https://..."], "duration_sec": 38 })
}

/// An example error body for `code`: a rejected Sora 2 body for
/// `invalid_param`, its description for the others.
pub(super) fn error_example(code: ErrorCode) -> Value {
    if code == ErrorCode::InvalidParam {
        let invalid = code.as_str();
        json!({ "error": {
            "code": invalid,
            "message": "invalid sora2 request: 2 errors",
            "errors": [
                { "code": invalid, "path": "/duration", "message": "duration must be 5 or 10 for sora2, got 8" },
                { "code": invalid, "path": "/resolution", "message": "unknown field \"resolution\" for sora2; it accepts: prompt, duration, aspect_ratio, webhook_url" },
            ],
        }})
    } else {
        json!({ "error": { "code": code.as_str(), "message": code.description() } })
    }
}

/// The response definitions, in file order, each titled with its name.
pub(super) fn definitions() -> Map<String, Value> {
    let task_id = json!({
        "type": "string",
        "description": "The task's id; use it with `GET /api/v1/tasks/{task_id}` and to match webhook events.",
    });
    let submit_time = json!({
        "type": "string",
        "description": "When the task was submitted: an ISO-8601 timestamp, without a zone in the docs (`2026-06-04T22:00:00`); a zone, when present, is accepted too.",
        "examples": ["2026-06-04T22:00:00"],
    });
    let mut definitions = Map::new();
    let mut define = |name: &str, mut schema: Value| {
        titled(name, &mut schema);
        definitions.insert(name.to_owned(), schema);
    };
    define(
        SUBMIT_RESPONSE,
        json!({
            "description": "What `POST /api/v1/tasks` returns at once: the new task's id, its status (queued) and when it was submitted.",
            "type": "object",
            "properties": {
                "task_id": task_id,
                "status": reference(TASK_STATUS),
                "submit_time": submit_time,
            },
            "required": ["task_id", "status", "submit_time"],
            "examples": [submit_example()],
        }),
    );
    define(
        TASK_STATUS_RESPONSE,
        json!({
            "description": "What `GET /api/v1/tasks/{task_id}` returns: the task's status and, once it succeeded, its results.",
            "type": "object",
            "properties": {
                "task_id": task_id,
                "status": reference(TASK_STATUS),
                "submit_time": submit_time,
                "result_urls": {
                    "type": "array",
                    "items": { "type": "string" },
                    "description": "Where the finished video can be downloaded.",
                },
                "duration_sec": {
                    "type": "number",
                    "description": "A duration in seconds reported with the result; the docs do not define it further (their example shows 38 for an 8-second Veo clip).",
                },
            },
            "required": ["task_id", "status"],
            "examples": [status_example()],
        }),
    );
    // A string, not an `enum`: the docs write states in either case, and a
    // client keeps a state it does not know. The known ones are the examples.
    define(
        TASK_STATUS,
        json!({
            "description": "A task's state, compared case-insensitively (the docs write both `QUEUED` and `queued`): queued, then running, then success, failed or expired, the three terminal states. A client keeps a state it does not know rather than failing.",
            "type": "string",
            "examples": KNOWN_STATES,
        }),
    );
    define(
        WEBHOOK_EVENT,
        json!({
            "description": "The body of the signed POST sent to `webhook_url` when a task reaches a terminal state. The docs do not give its fields; it is read as the task status object. It is signed with the Standard Webhooks scheme: headers `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of \"id.timestamp.body\">`.",
            "allOf": [reference(TASK_STATUS_RESPONSE)],
        }),
    );
    define(
        ERROR_RESPONSE,
        json!({
            "description": "The body of every error response: a code, a message and, for a rejected request body (`invalid_param`), every problem with its JSON pointer.",
            "type": "object",
            "properties": { "error": reference(ERROR_OBJECT) },
            "required": ["error"],
            "examples": [error_example(ErrorCode::InvalidParam)],
        }),
    );
    define(
        ERROR_OBJECT,
        json!({
            "description": "What went wrong.",
            "type": "object",
            "properties": {
                "code": {
                    "type": "string",
                    "description": "What went wrong: one of the codes listed in the examples, or another the client keeps as it is.",
                    "examples": ErrorCode::ALL.map(ErrorCode::as_str),
                },
                "message": { "type": "string", "description": "A message for a person." },
                "errors": {
                    "type": "array",
                    "description": "Only for `invalid_param`: every problem of the body.",
                    "items": reference(FIELD_ERROR),
                },
            },
            "required": ["code", "message"],
        }),
    );
    define(
        FIELD_ERROR,
        json!({
            "description": "One problem of a rejected body.",
            "type": "object",
            "properties": {
                "code": { "type": "string", "examples": [ErrorCode::InvalidParam.as_str()] },
                "path": { "type": "string", "description": "The JSON pointer of the offending field; `\"\"` for the whole body.", "examples": ["/duration"] },
                "message": { "type": "string" },
            },
            "required": ["code", "path", "message"],
        }),
    );
    definitions
}

/// `responses.schema.json`: the definitions only.
pub(super) fn schema() -> Value {
    json!({
        "$schema": DIALECT,
        "$id": format!("{BASE_ID}{RESPONSES_FILE}"),
        "$comment": notice(),
        "title": "Orux AI task responses",
        "description": "What the task API returns and what its webhooks send. Clients ignore fields they do not know.",
        "$defs": definitions(),
    })
}
