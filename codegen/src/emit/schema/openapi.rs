//! The OpenAPI 3.1 document: `POST /api/v1/tasks`, `GET /api/v1/tasks/{task_id}`
//! and the webhook, with bearer auth.
//!
//! It holds no schema of its own: `components.schemas` refers to the bundle and
//! the response schemas beside it (relative references, resolved from the
//! files, never fetched), so there is one copy of every rule. The request
//! examples are the upstream docs' examples, as written in `models.yaml`.

use orux_runtime::wire::{
    ErrorCode, TASK_ID_PARAM, TASK_PATH, TASKS_PATH, WEBHOOK_ID, WEBHOOK_SIGNATURE,
    WEBHOOK_TIMESTAMP,
};
use serde_json::{Map, Value, json};

use super::defs;
use super::responses::{error_example, status_example, submit_example};
use super::{DIALECT, RESPONSES_FILE, TYPES_FILE, notice};
use crate::ir::Ir;

/// The response definitions listed under `components.schemas`.
const RESPONSE_SCHEMAS: [&str; 6] = [
    "SubmitResponse",
    "TaskStatusResponse",
    "TaskStatus",
    "WebhookEvent",
    "ErrorResponse",
    "FieldError",
];

/// The error answers of `POST /api/v1/tasks`.
const SUBMIT_ERRORS: [ErrorCode; 7] = [
    ErrorCode::InvalidParam,
    ErrorCode::Unauthorized,
    ErrorCode::IdempotencyConflict,
    ErrorCode::PayloadTooLarge,
    ErrorCode::UnsupportedMediaType,
    ErrorCode::RateLimited,
    ErrorCode::Internal,
];
/// The error answers of `GET /api/v1/tasks/{task_id}`.
const STATUS_ERRORS: [ErrorCode; 4] = [
    ErrorCode::Unauthorized,
    ErrorCode::NotFound,
    ErrorCode::RateLimited,
    ErrorCode::Internal,
];

/// `components.responses`: one error response per code, named by the code,
/// with the error schema and an example.
fn error_responses() -> Map<String, Value> {
    ErrorCode::ALL
        .into_iter()
        .map(|code| {
            let mut response = json!({
                "description": code.description(),
                "content": {
                    "application/json": {
                        "schema": { "$ref": "#/components/schemas/ErrorResponse" },
                        "example": error_example(code),
                    },
                },
            });
            if code == ErrorCode::RateLimited
                && let Value::Object(map) = &mut response
            {
                map.insert(
                    "headers".to_owned(),
                    json!({ "Retry-After": {
                        "description": "How long to wait before retrying, in seconds (or an HTTP date).",
                        "schema": { "type": "string" },
                    }}),
                );
            }
            (code.as_str().to_owned(), response)
        })
        .collect()
}

/// The `responses` entries referring to `components.responses` for `codes`.
fn error_refs(codes: &[ErrorCode], into: &mut Value) {
    let Value::Object(map) = into else { return };
    for code in codes {
        map.insert(
            code.status().to_string(),
            json!({ "$ref": format!("#/components/responses/{code}") }),
        );
    }
}

/// `openapi.json`.
pub(super) fn document(ir: &Ir) -> Value {
    let mut schemas = Map::new();
    schemas.insert("TaskRequest".to_owned(), json!({ "$ref": TYPES_FILE }));
    for model in &ir.models {
        let name = model.struct_name();
        schemas.insert(
            name.clone(),
            json!({ "$ref": format!("{TYPES_FILE}#/$defs/{name}") }),
        );
    }
    for name in RESPONSE_SCHEMAS {
        schemas.insert(
            name.to_owned(),
            json!({ "$ref": format!("{RESPONSES_FILE}#/$defs/{name}") }),
        );
    }

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

    let mut create = json!({
        "operationId": "createTask",
        "summary": "Submit a video generation task",
        "description": "Video generation is asynchronous: this returns at once with a `task_id` and status `queued`. Poll `GET /api/v1/tasks/{task_id}` or set `webhook_url` to be notified when the task reaches a terminal state. Each model accepts only the fields its request schema lists; anything else is rejected with `invalid_param`.",
        "requestBody": {
            "required": true,
            "content": {
                "application/json": {
                    "schema": { "$ref": "#/components/schemas/TaskRequest" },
                },
            },
        },
        "responses": {
            "200": {
                "description": "The task was accepted and queued.",
                "content": {
                    "application/json": {
                        "schema": { "$ref": "#/components/schemas/SubmitResponse" },
                        "example": submit_example(),
                    },
                },
            },
        },
    });
    if let Some(responses) = create.get_mut("responses") {
        error_refs(&SUBMIT_ERRORS, responses);
    }
    let mut status_responses = json!({
        "200": {
            "description": "The task's status; `result_urls` once it succeeded.",
            "content": {
                "application/json": {
                    "schema": { "$ref": "#/components/schemas/TaskStatusResponse" },
                    "example": status_example(),
                },
            },
        },
    });
    error_refs(&STATUS_ERRORS, &mut status_responses);
    if !examples.is_empty()
        && let Some(media) = create.pointer_mut("/requestBody/content/application~1json")
        && let Value::Object(media) = media
    {
        media.insert("examples".to_owned(), Value::Object(examples));
    }

    json!({
        "openapi": "3.1.0",
        "x-generated": notice(),
        "info": {
            "title": "Orux AI video tasks",
            "version": "1",
            "description": format!(
                "Submit video generation tasks to the {} video models Orux AI serves, and follow them to completion. Generated from `models.yaml`; request schemas are in `{TYPES_FILE}`, response schemas in `{RESPONSES_FILE}`.",
                ir.models.len()
            ),
        },
        "jsonSchemaDialect": DIALECT,
        "servers": [{ "url": "https://orux.top" }],
        "security": [{ "bearerAuth": [] }],
        "paths": {
            TASKS_PATH: { "post": create },
            TASK_PATH: {
                "get": {
                    "operationId": "getTask",
                    "summary": "Get a task's status and results",
                    "parameters": [{
                        "name": TASK_ID_PARAM,
                        "in": "path",
                        "required": true,
                        "description": "The id returned on submit.",
                        "schema": { "type": "string" },
                        "example": "task_01HZX...",
                    }],
                    "responses": status_responses,
                },
            },
        },
        "webhooks": {
            "taskFinished": {
                "post": {
                    "summary": "A task reached a terminal state",
                    "description": "Sent to the request's `webhook_url` when the task succeeds, fails or expires. Signed with the Standard Webhooks scheme: verify `webhook-signature` (`v1,<base64 HMAC-SHA256 of \"<webhook-id>.<webhook-timestamp>.<body>\">`) before trusting the body.",
                    "parameters": [
                        header(WEBHOOK_ID, "A unique id of this event; the same on retries."),
                        header(WEBHOOK_TIMESTAMP, "When the event was sent, in seconds since the Unix epoch."),
                        header(WEBHOOK_SIGNATURE, "`v1,` followed by the base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>`; several space-separated signatures may be sent."),
                    ],
                    "requestBody": {
                        "required": true,
                        "content": {
                            "application/json": {
                                "schema": { "$ref": "#/components/schemas/WebhookEvent" },
                            },
                        },
                    },
                    "responses": {
                        "200": { "description": "Any 2xx status acknowledges the event." },
                    },
                },
            },
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {
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

/// A required request header of the webhook.
fn header(name: &str, description: &str) -> Value {
    json!({
        "name": name,
        "in": "header",
        "required": true,
        "description": description,
        "schema": { "type": "string" },
    })
}
