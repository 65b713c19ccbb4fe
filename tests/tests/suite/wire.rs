//! The emitted response schema and OpenAPI document say what
//! `orux_models::wire` says: the error codes and their statuses, the error
//! body's members, the paths and the webhook headers. The mock, the client
//! and the CLI use those types, so the documents cannot drift from them.

use std::collections::BTreeSet;

use orux_models::Diagnostic;
use orux_models::wire::{
    self, ErrorCode, ErrorResponse, FieldError, TASK_ID_PARAM, TASK_PATH, TASKS_PATH,
};
use serde_json::{Value, json};

fn responses() -> Value {
    serde_json::from_str(orux_models::schema::RESPONSES).expect("JSON")
}

fn openapi() -> Value {
    serde_json::from_str(orux_models::schema::OPENAPI).expect("JSON")
}

fn compile(document: &Value, name: &str) -> jsonschema::Validator {
    let schema = json!({
        "$schema": document["$schema"],
        "$ref": format!("#/$defs/{name}"),
        "$defs": document["$defs"],
    });
    jsonschema::draft202012::new(&schema).expect("compiles")
}

fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .map(|map| map.keys().cloned().collect())
        .unwrap_or_default()
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .map(|items| items.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Every error body the wire type writes is valid under the schema, and the
/// schema's members are exactly the type's (all of them, with `errors`).
#[test]
fn the_error_schema_is_the_error_type() {
    let document = responses();
    let schema = compile(&document, "ErrorResponse");
    let error_def = &document["$defs"]["ErrorObject"];
    assert_eq!(
        document["$defs"]["ErrorResponse"]["properties"]["error"]["$ref"],
        "#/$defs/ErrorObject"
    );
    let codes = strings(&error_def["properties"]["code"]["examples"]);
    let all: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(codes, all, "the schema lists the wire's codes, in order");

    for code in ErrorCode::ALL {
        let body = serde_json::to_value(ErrorResponse::new(code, "a message")).expect("JSON");
        assert!(schema.is_valid(&body), "{body}");
    }
    let diagnostic = orux_models::TaskRequest::from_json(br#"{"model":"sora2","prompt":""}"#)
        .expect_err("an empty prompt is invalid")
        .errors
        .into_iter()
        .next()
        .expect("one error");
    let full = ErrorResponse::invalid_body("1 error", vec![diagnostic.clone()]);
    let full = serde_json::to_value(full).expect("JSON");
    assert!(schema.is_valid(&full), "{full}");
    assert_eq!(
        keys(&full),
        keys(&document["$defs"]["ErrorResponse"]["properties"])
    );
    assert_eq!(keys(&full["error"]), keys(&error_def["properties"]));
    let field_def = &document["$defs"]["FieldError"];
    assert_eq!(
        keys(&full["error"]["errors"][0]),
        keys(&field_def["properties"])
    );
    let required: BTreeSet<String> = strings(&field_def["required"])
        .into_iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(keys(&full["error"]["errors"][0]), required);
    // A diagnostic is listed as the field error it serializes to.
    let field = FieldError::from(diagnostic.clone());
    assert_eq!(
        serde_json::to_value(&field).expect("JSON"),
        serde_json::to_value::<&Diagnostic>(&diagnostic).expect("JSON")
    );
    // What the schema refuses, the wire type cannot have written.
    for broken in [
        json!({"error": {"message": "no code"}}),
        json!({"error": {"code": 400, "message": "m"}}),
        json!({"code": "not_found", "message": "m"}),
    ] {
        assert!(!schema.is_valid(&broken), "{broken}");
    }
}

/// The OpenAPI document's paths, path parameter, error answers and webhook
/// headers are the wire's.
#[test]
fn the_openapi_document_uses_the_wire_words() {
    let document = openapi();
    assert_eq!(
        keys(&document["paths"]),
        BTreeSet::from([TASKS_PATH.to_owned(), TASK_PATH.to_owned()])
    );
    let get = &document["paths"][TASK_PATH]["get"];
    assert_eq!(get["parameters"][0]["name"], TASK_ID_PARAM);
    assert!(TASK_PATH.contains(&format!("{{{TASK_ID_PARAM}}}")));

    let answers = &document["components"]["responses"];
    assert_eq!(
        keys(answers),
        ErrorCode::ALL
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect::<BTreeSet<_>>()
    );
    for code in ErrorCode::ALL {
        let example = &answers[code.as_str()]["content"]["application/json"]["example"];
        assert_eq!(example["error"]["code"], code.as_str());
        assert_eq!(answers[code.as_str()]["description"], code.description());
    }
    // Each operation's error statuses point at the answer of that status's code.
    for operation in [&document["paths"][TASKS_PATH]["post"], get] {
        for (status, answer) in operation["responses"].as_object().expect("responses") {
            let Some(reference) = answer["$ref"].as_str() else {
                continue;
            };
            let name = reference.rsplit('/').next().unwrap_or_default();
            let code = ErrorCode::parse(name).unwrap_or_else(|| panic!("{reference}"));
            // `internal` stands for every 5xx (a 503 too).
            let five_xx = code == ErrorCode::Internal && status.starts_with('5');
            assert!(
                five_xx || status == &code.status().to_string(),
                "{status}: {reference}"
            );
        }
    }
    let headers: Vec<&str> = document["webhooks"]["taskFinished"]["post"]["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(
        headers,
        [
            wire::WEBHOOK_ID,
            wire::WEBHOOK_TIMESTAMP,
            wire::WEBHOOK_SIGNATURE
        ]
    );
}
