//! The OpenAPI 3.1 document: `POST /api/v1/tasks`, `GET /api/v1/tasks/{task_id}`
//! and the webhook, with bearer auth.
//!
//! It holds no schema of its own: `components.schemas` refers to the bundle and
//! the response schemas beside it (relative references, resolved from the
//! files, never fetched), so there is one copy of every rule. The request
//! examples are the upstream docs' examples, as written in `models.yaml`.

use serde_json::{Map, Value, json};

use super::defs;
use super::responses::{status_example, submit_example};
use super::{BUNDLE_FILE, DIALECT, RESPONSES_FILE, notice};
use crate::ir::Ir;

/// The response definitions listed under `components.schemas`.
const RESPONSE_SCHEMAS: [&str; 4] = [
    "SubmitResponse",
    "TaskStatusResponse",
    "TaskStatus",
    "WebhookEvent",
];

/// `openapi.json`.
pub(super) fn document(ir: &Ir) -> Value {
    let mut schemas = Map::new();
    schemas.insert("TaskRequest".to_owned(), json!({ "$ref": BUNDLE_FILE }));
    for model in &ir.models {
        let name = model.struct_name();
        schemas.insert(
            name.clone(),
            json!({ "$ref": format!("{BUNDLE_FILE}#/$defs/{name}") }),
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
            "400": {
                "description": "The body was rejected. Every problem is reported with code `invalid_param`, the JSON pointer of the offending field (`/duration`, `/image/task_id`, or the missing field's) and a message.",
            },
            "401": { "description": "The API key is missing or not valid." },
        },
    });
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
                "Submit video generation tasks to the {} video models Orux AI serves, and follow them to completion. Generated from `models.yaml`; request schemas are in `{BUNDLE_FILE}`, response schemas in `{RESPONSES_FILE}`.",
                ir.models.len()
            ),
        },
        "jsonSchemaDialect": DIALECT,
        "servers": [{ "url": "https://orux.top" }],
        "security": [{ "bearerAuth": [] }],
        "paths": {
            "/api/v1/tasks": { "post": create },
            "/api/v1/tasks/{task_id}": {
                "get": {
                    "operationId": "getTask",
                    "summary": "Get a task's status and results",
                    "parameters": [{
                        "name": "task_id",
                        "in": "path",
                        "required": true,
                        "description": "The id returned on submit.",
                        "schema": { "type": "string" },
                        "example": "task_01HZX...",
                    }],
                    "responses": {
                        "200": {
                            "description": "The task's status; `result_urls` once it succeeded.",
                            "content": {
                                "application/json": {
                                    "schema": { "$ref": "#/components/schemas/TaskStatusResponse" },
                                    "example": status_example(),
                                },
                            },
                        },
                        "401": { "description": "The API key is missing or not valid." },
                        "404": { "description": "No task has this id." },
                    },
                },
            },
        },
        "webhooks": {
            "taskFinished": {
                "post": {
                    "summary": "A task reached a terminal state",
                    "description": "Sent to the request's `webhook_url` when the task succeeds, fails or expires. Signed with the Standard Webhooks scheme: verify `webhook-signature` (`v1,<base64 HMAC-SHA256 of \"<webhook-id>.<webhook-timestamp>.<body>\">`) before trusting the body.",
                    "parameters": [
                        header("webhook-id", "A unique id of this event; the same on retries."),
                        header("webhook-timestamp", "When the event was sent, in seconds since the Unix epoch."),
                        header("webhook-signature", "`v1,` followed by the base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>`; several space-separated signatures may be sent."),
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
