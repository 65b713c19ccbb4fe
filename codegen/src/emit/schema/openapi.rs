//! The OpenAPI 3.1 document: `POST /api/v1/tasks`, `GET /api/v1/tasks/{task_id}`
//! and the task webhook, with bearer auth.
//!
//! One self-contained file, as OpenAPI generators need it: every schema is
//! under `components/schemas` (the types bundle's definitions and the
//! response definitions, with their references moved there), so no `$ref`
//! leaves the file. A test checks that the components are the JSON Schema
//! files' definitions. Every answer the API (and `orux mock`) can give on a
//! route is listed with its headers and the error body; `createTask` links
//! to `getTask` by the new task's id. The request examples are the upstream
//! docs' examples, as written in `models.yaml`.

use orux_runtime::wire::{
    ErrorCode, IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_MAX_LEN, IDEMPOTENT_REPLAYED, TASK_ID_PARAM,
    TASK_PATH, TASKS_PATH, WEBHOOK_ID, WEBHOOK_SIGNATURE, WEBHOOK_TIMESTAMP,
};
use serde_json::{Map, Value, json};

use super::bundle::{TASK_REQUEST, task_request};
use super::defs::{self, Definitions, relocated};
use super::responses::{
    ERROR_RESPONSE, SUBMIT_RESPONSE, TASK_STATUS_RESPONSE, WEBHOOK_EVENT, error_example,
    status_example, submit_example,
};
use super::{DIALECT, notice};
use crate::ir::Ir;

/// Where the schemas live in the document.
const SCHEMAS: &str = "#/components/schemas/";

/// HTTP's own header that says when to try again.
const RETRY_AFTER: &str = "retry-after";

/// The operation ids, which generators turn into function names: stable.
const CREATE_TASK: &str = "createTask";
const GET_TASK: &str = "getTask";
/// The one tag, which generators turn into a module or class name.
const TAG: &str = "tasks";
/// The security scheme's name.
const BEARER: &str = "bearerAuth";

/// The error answers of `createTask`: a status and the code of its body.
/// 503 carries `internal`, like every 5xx.
const CREATE_ERRORS: [(u16, ErrorCode); 8] = [
    (400, ErrorCode::InvalidParam),
    (401, ErrorCode::Unauthorized),
    (409, ErrorCode::IdempotencyConflict),
    (413, ErrorCode::PayloadTooLarge),
    (415, ErrorCode::UnsupportedMediaType),
    (429, ErrorCode::RateLimited),
    (500, ErrorCode::Internal),
    (503, ErrorCode::Internal),
];
/// The error answers of `getTask`. A 400 is a malformed request header (the
/// mock's own headers, `docs/decisions.md`).
const GET_ERRORS: [(u16, ErrorCode); 6] = [
    (400, ErrorCode::InvalidParam),
    (401, ErrorCode::Unauthorized),
    (404, ErrorCode::NotFound),
    (429, ErrorCode::RateLimited),
    (500, ErrorCode::Internal),
    (503, ErrorCode::Internal),
];

/// Whether an answer with `code` carries `Retry-After`: `Some(true)` always,
/// `Some(false)` when the server knows when to come back, `None` never.
fn retry_after(code: ErrorCode) -> Option<bool> {
    match code {
        // The decisions promise it with 429.
        ErrorCode::RateLimited => Some(true),
        // A 503 has it when the server knows when to come back.
        ErrorCode::Internal => Some(false),
        _ => None,
    }
}

/// A `$ref` into `components/schemas`.
fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("{SCHEMAS}{name}") })
}

/// A JSON body of the schema `name`, with an example.
fn json_content(name: &str, example: Value) -> Value {
    json!({ "application/json": { "schema": schema_ref(name), "example": example } })
}

/// `components/responses`: one error answer per code, named by the code,
/// with the error body, an example and `Retry-After` where it is sent.
fn error_responses() -> Map<String, Value> {
    ErrorCode::ALL
        .into_iter()
        .map(|code| {
            let mut response = Map::new();
            response.insert("description".to_owned(), json!(code.description()));
            if let Some(required) = retry_after(code) {
                response.insert(
                    "headers".to_owned(),
                    json!({ RETRY_AFTER: {
                        "description": "How long to wait before trying again: a number of seconds, or an HTTP date.",
                        "required": required,
                        "schema": { "type": "string" },
                    }}),
                );
            }
            response.insert(
                "content".to_owned(),
                json_content(ERROR_RESPONSE, error_example(code)),
            );
            (code.as_str().to_owned(), Value::Object(response))
        })
        .collect()
}

/// The `responses` of an operation: `ok` for 200, then a reference per error answer.
fn responses(ok: Value, errors: &[(u16, ErrorCode)]) -> Value {
    let mut responses = Map::new();
    responses.insert("200".to_owned(), ok);
    for (status, code) in errors {
        responses.insert(
            status.to_string(),
            json!({ "$ref": format!("#/components/responses/{code}") }),
        );
    }
    Value::Object(responses)
}

/// `POST /api/v1/tasks`.
fn create_task(ir: &Ir) -> Value {
    let mut examples = Map::new();
    for model in &ir.models {
        for example in &model.examples {
            examples.insert(
                format!("{}-{}", model.id, example.name),
                json!({
                    "summary": example.summary,
                    "value": defs::example_body(model, example),
                }),
            );
        }
    }
    let mut media = Map::new();
    media.insert("schema".to_owned(), schema_ref(TASK_REQUEST));
    if !examples.is_empty() {
        media.insert("examples".to_owned(), Value::Object(examples));
    }
    let created = json!({
        "description": "The task was accepted and queued (or, for a repeated `Idempotency-Key` with the same body, the task the first request created).",
        "headers": {
            IDEMPOTENT_REPLAYED: {
                "description": "`true` when this answers a repeated submit (same `Idempotency-Key`, same body) with the task the first one created; absent otherwise.",
                "schema": { "type": "string", "enum": ["true"] },
            },
        },
        "content": json_content(SUBMIT_RESPONSE, submit_example()),
        "links": {
            GET_TASK: {
                "operationId": GET_TASK,
                "parameters": { TASK_ID_PARAM: "$response.body#/task_id" },
                "description": "Follow the new task: its `task_id` is the path parameter of `getTask`.",
            },
        },
    });
    json!({
        "operationId": CREATE_TASK,
        "tags": [TAG],
        "summary": "Submit a video generation task",
        "description": "Video generation is asynchronous: this returns at once with a `task_id` and status `queued`. Poll `GET /api/v1/tasks/{task_id}` or set `webhook_url` to be notified when the task reaches a terminal state. Each model accepts only the fields its request schema lists; anything else is rejected with `invalid_param`. A submission is paid for: send an `Idempotency-Key`, and after a failure whose outcome is unknown (a timeout, a reset, a 5xx) retry only with the same key.",
        "parameters": [{
            "name": IDEMPOTENCY_KEY,
            "in": "header",
            "required": false,
            "description": format!("Makes the submit safe to repeat: 1 to {IDEMPOTENCY_KEY_MAX_LEN} visible ASCII characters (a UUID v4 is a good key), the same on every retry of one submission. The same key with the same body answers with the task the first request created (and `Idempotent-Replayed: true`); with another body, 409 `idempotency_conflict`. Keys are remembered for 24 hours. The upstream docs do not mention the header; `orux mock` and the Orux clients use it."),
            "schema": {
                "type": "string",
                "minLength": 1,
                "maxLength": IDEMPOTENCY_KEY_MAX_LEN,
                "pattern": "^[!-~]+$",
            },
            "example": "6f1c1e3a-2b7d-4c59-9a55-0d3c7f1e8b21",
        }],
        "requestBody": {
            "required": true,
            "content": { "application/json": media },
        },
        "responses": responses(created, &CREATE_ERRORS),
    })
}

/// `GET /api/v1/tasks/{task_id}`.
fn get_task() -> Value {
    let ok = json!({
        "description": "The task's status; `result_urls` once it succeeded.",
        "content": json_content(TASK_STATUS_RESPONSE, status_example()),
    });
    json!({
        "operationId": GET_TASK,
        "tags": [TAG],
        "summary": "Get a task's status and results",
        "parameters": [{
            "name": TASK_ID_PARAM,
            "in": "path",
            "required": true,
            "description": "The id returned on submit.",
            "schema": { "type": "string" },
            "example": "task_01HZX...",
        }],
        "responses": responses(ok, &GET_ERRORS),
    })
}

/// The task webhook: what the server POSTs to a request's `webhook_url`.
fn task_finished() -> Value {
    json!({
        "tags": [TAG],
        "summary": "A task reached a terminal state",
        "description": "Sent to the request's `webhook_url` when the task succeeds, fails or expires, and signed with the Standard Webhooks scheme (v1, symmetric): the signed content is `<webhook-id>.<webhook-timestamp>.<raw body>`, its HMAC-SHA256 under the secret's key (`whsec_<base64 key>`) is sent base64-encoded in `webhook-signature`. Verify it on the raw body bytes, in constant time, and refuse a timestamp more than 5 minutes away, before trusting the body. A delivery that gets no 2xx answer is sent again, with the same `webhook-id`.",
        "externalDocs": {
            "description": "The Standard Webhooks specification",
            "url": "https://www.standardwebhooks.com/",
        },
        "security": [],
        "parameters": [
            webhook_header(WEBHOOK_ID, "A unique id of this event, the same on every retry of it: the receiver's idempotency key.", json!({ "type": "string", "minLength": 1 })),
            webhook_header(WEBHOOK_TIMESTAMP, "When the event was signed, in seconds since the Unix epoch.", json!({ "type": "string", "pattern": "^[0-9]+$" })),
            webhook_header(WEBHOOK_SIGNATURE, "One or more space-separated signatures, each `v1,` followed by the base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>`; the event is authentic if any one matches.", json!({ "type": "string", "minLength": 1 })),
        ],
        "requestBody": {
            "required": true,
            "content": { "application/json": { "schema": schema_ref(WEBHOOK_EVENT), "example": status_example() } },
        },
        "responses": {
            "2XX": { "description": "Any 2xx status acknowledges the event; anything else, or no answer, makes the sender retry it." },
        },
    })
}

/// A required request header of the webhook.
fn webhook_header(name: &str, description: &str, schema: Value) -> Value {
    json!({
        "name": name,
        "in": "header",
        "required": true,
        "description": description,
        "schema": schema,
    })
}

/// `openapi.json`. `types` are the definitions shaped for generators.
pub(super) fn document(ir: &Ir, types: &Definitions) -> Value {
    let mut schemas = Map::new();
    schemas.insert(
        TASK_REQUEST.to_owned(),
        relocated(&task_request(ir), SCHEMAS),
    );
    for (name, schema) in types
        .all()
        .into_iter()
        .chain(super::responses::definitions())
    {
        schemas.insert(name, relocated(&schema, SCHEMAS));
    }
    json!({
        "openapi": "3.1.0",
        "x-generated": notice(),
        "info": {
            "title": "Orux AI video tasks",
            "version": "1",
            "description": format!(
                "Submit video generation tasks to the {} video models Orux AI serves, and follow them to completion. Generated from `models.yaml`; the same schemas are in the JSON Schema files beside this document.",
                ir.models.len()
            ),
        },
        "jsonSchemaDialect": DIALECT,
        "servers": [{ "url": "https://orux.top", "description": "Orux AI" }],
        "security": [{ BEARER: [] }],
        "tags": [{ "name": TAG, "description": "Video generation tasks: submit one, then poll it or receive its webhook." }],
        "paths": {
            TASKS_PATH: { "post": create_task(ir) },
            TASK_PATH: { "get": get_task() },
        },
        "webhooks": {
            "taskFinished": { "post": task_finished() },
        },
        "components": {
            "securitySchemes": {
                BEARER: {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An Orux AI API key (`sk-app-...`), sent as `Authorization: Bearer <key>`.",
                },
            },
            "schemas": schemas,
            "responses": error_responses(),
        },
    })
}
