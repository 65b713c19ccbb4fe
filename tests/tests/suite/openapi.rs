//! The OpenAPI document (`generated/schema/openapi.json`) is what OpenAPI
//! generators need: one self-contained file whose schemas are the JSON Schema
//! files' definitions, named like the Rust types, with no construct the
//! generators cannot see, and with every answer, header, link and webhook
//! documented. The generators themselves run in `tests/cross-language/openapi/`.

use std::collections::BTreeSet;

use orux_models::catalog::FieldKind;
use orux_models::wire::{
    IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_MAX_LEN, IDEMPOTENT_REPLAYED, TASK_ID_PARAM, TASK_PATH,
    TASKS_PATH, WEBHOOK_ID, WEBHOOK_SIGNATURE, WEBHOOK_TIMESTAMP,
};
use orux_models::{Model, TaskRequest};
use orux_spec_tests::spec_cases::root;
use serde_json::{Map, Value, json};

const SCHEMAS: &str = "#/components/schemas/";

fn openapi() -> Value {
    serde_json::from_str(orux_models::schema::OPENAPI).expect("JSON")
}

fn types_bundle() -> Value {
    serde_json::from_str(orux_models::schema::TYPES_BUNDLE).expect("JSON")
}

fn responses() -> Value {
    serde_json::from_str(orux_models::schema::RESPONSES).expect("JSON")
}

/// Every reference in `value`: `$ref`s and discriminator mappings, with the
/// JSON pointer where each is written.
fn references(value: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                match (key.as_str(), item) {
                    ("$ref", Value::String(target)) => out.push((here, target.clone())),
                    ("mapping", Value::Object(mapping)) if at.ends_with("/discriminator") => {
                        for (id, target) in mapping {
                            out.push((
                                format!("{here}/{id}"),
                                target.as_str().unwrap_or("").to_owned(),
                            ));
                        }
                    }
                    _ => references(item, &here, out),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                references(item, &format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
}

/// Every key used anywhere in `value`, as a schema keyword or otherwise.
fn keys(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                out.insert(key.clone());
                keys(item, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| keys(item, out)),
        _ => {}
    }
}

/// `value` with every `#/components/schemas/` reference written as `#/$defs/`.
fn as_json_schema(value: &Value) -> Value {
    let text = serde_json::to_string(value).expect("JSON");
    serde_json::from_str(&text.replace(SCHEMAS, "#/$defs/")).expect("JSON")
}

/// No reference leaves the file, and each one resolves.
#[test]
fn the_document_is_self_contained() {
    let document = openapi();
    let mut found = Vec::new();
    references(&document, "", &mut found);
    assert!(found.len() > 50, "{} references", found.len());
    for (at, target) in found {
        let pointer = target
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{at}: {target} leaves the file"));
        assert!(
            document.pointer(pointer).is_some(),
            "{at}: {target} does not resolve"
        );
        assert!(
            pointer.starts_with("/components/"),
            "{at}: {target} is not a component"
        );
    }
    let mut used = BTreeSet::new();
    keys(&document, &mut used);
    assert!(
        !used.contains("$defs"),
        "no schema keeps definitions of its own"
    );
}

/// `components/schemas` holds exactly the types bundle's definitions, its
/// `TaskRequest`, and the response definitions, each the same schema with
/// its references moved: the OpenAPI document and the JSON Schema files say
/// the same.
#[test]
fn the_components_are_the_json_schema_definitions() {
    let document = openapi();
    let components = document["components"]["schemas"]
        .as_object()
        .expect("components/schemas");
    let types = types_bundle();
    let responses = responses();
    let mut expected = Map::new();
    let mut task_request = types.as_object().expect("object").clone();
    for bundle_only in ["$schema", "$id", "$comment", "$defs", "examples"] {
        task_request.remove(bundle_only);
    }
    expected.insert("TaskRequest".to_owned(), Value::Object(task_request));
    for defs in [&types["$defs"], &responses["$defs"]] {
        for (name, schema) in defs.as_object().expect("$defs") {
            assert!(
                expected.insert(name.clone(), schema.clone()).is_none(),
                "{name} is defined twice"
            );
        }
    }
    let names: Vec<&String> = components.keys().collect();
    let expected_names: Vec<&String> = expected.keys().collect();
    assert_eq!(names, expected_names);
    for (name, schema) in components {
        assert_eq!(&as_json_schema(schema), &expected[name], "{name}");
    }
}

/// The Rust name of each model's request, read off the typed value itself.
fn request_type_name(model: Model) -> String {
    let body = model
        .info()
        .minimal_body()
        .expect("every model has a minimal body");
    let typed = TaskRequest::from_json(body.as_bytes())
        .unwrap_or_else(|e| panic!("{}: {e}", model.id()))
        .request;
    // `Sora2(Sora2Request { … })`: the derived Debug names the struct.
    let debug = format!("{typed:?}");
    let inner = debug
        .split_once('(')
        .map(|(_, rest)| rest)
        .unwrap_or_default();
    inner
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// The last segment of a Rust type's path.
fn short<T: ?Sized>() -> &'static str {
    let full = std::any::type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
}

/// Every schema, in the OpenAPI document and in every JSON Schema file, is
/// named by a Rust type of `orux-models` and has that name as its `title`:
/// generators name types by one or the other, so each language gets the
/// Rust name.
#[test]
fn every_schema_is_named_and_titled_like_its_rust_type() {
    let mut rust: BTreeSet<String> = [
        short::<TaskRequest>(),
        short::<Model>(),
        short::<orux_models::HttpsUrl>(),
        short::<orux_models::DataUri>(),
        short::<orux_models::TaskRef>(),
        short::<orux_models::ImageInput>(),
        short::<orux_models::responses::SubmitResponse>(),
        short::<orux_models::responses::TaskStatusResponse>(),
        short::<orux_models::responses::TaskStatus>(),
        short::<orux_models::wire::ErrorResponse>(),
        short::<orux_models::wire::ErrorObject>(),
        short::<orux_models::wire::FieldError>(),
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    // A type alias has no name of its own at run time: this line compiles
    // only while `WebhookEvent` exists.
    let _: Option<orux_models::responses::WebhookEvent> = None;
    rust.insert("WebhookEvent".to_owned());
    let value_sets = std::fs::read_to_string(root().join("generated/src/generated/value_sets.rs"))
        .expect("value_sets.rs");
    for model in Model::ALL {
        rust.insert(request_type_name(model));
        for field in model.info().fields {
            if let FieldKind::Enum { rust_type, .. } = field.kind {
                assert!(
                    value_sets.contains(&format!("pub enum {rust_type} {{")),
                    "{rust_type} is a generated enum"
                );
                rust.insert(rust_type.to_owned());
            }
        }
    }

    let document = openapi();
    let mut named: Vec<(String, Value)> = document["components"]["schemas"]
        .as_object()
        .expect("schemas")
        .iter()
        .map(|(name, schema)| (format!("openapi.json {name}"), schema.clone()))
        .collect();
    for file in [
        "orux-models.schema.json",
        "orux-models.types.schema.json",
        "responses.schema.json",
    ] {
        let text =
            std::fs::read_to_string(root().join("generated/schema").join(file)).expect("file");
        let bundle: Value = serde_json::from_str(&text).expect("JSON");
        for (name, schema) in bundle["$defs"].as_object().expect("$defs") {
            named.push((format!("{file} {name}"), schema.clone()));
        }
    }
    for (place, schema) in &named {
        let name = place.rsplit(' ').next().unwrap_or_default();
        assert!(rust.contains(name), "{place}: no Rust type is named {name}");
        assert_eq!(schema["title"], name, "{place}: title");
    }
    let requests: Vec<String> = Model::ALL.iter().map(|m| request_type_name(*m)).collect();
    assert!(
        requests.contains(&"KlingV21MasterI2VRequest".to_owned()),
        "{requests:?}"
    );
}

/// Nothing in the generators' documents is a construct they ignore: no
/// `if`/`then`/`else`, `not` or `dependentSchemas`. (The validation bundle
/// keeps its `if`/`then`/`else` dispatch: validators read it.) Veo's image
/// is a union of three named schemas.
#[test]
fn generators_see_every_constraint() {
    for (name, document) in [
        ("openapi.json", openapi()),
        ("types bundle", types_bundle()),
        ("responses", responses()),
    ] {
        let mut used = BTreeSet::new();
        keys(&document, &mut used);
        for hidden in [
            "if",
            "then",
            "else",
            "not",
            "dependentSchemas",
            "dependentRequired",
        ] {
            assert!(!used.contains(hidden), "{name} uses {hidden}");
        }
    }
    let document = openapi();
    let image = &document["components"]["schemas"]["ImageInput"];
    let shapes: Vec<&str> = image["anyOf"]
        .as_array()
        .expect("anyOf")
        .iter()
        .filter_map(|s| s["$ref"].as_str())
        .collect();
    assert_eq!(
        shapes,
        [
            "#/components/schemas/DataUri",
            "#/components/schemas/HttpsUrl",
            "#/components/schemas/TaskRef"
        ]
    );
    let mapping = document["components"]["schemas"]["TaskRequest"]["discriminator"]["mapping"]
        .as_object()
        .expect("mapping");
    for model in Model::ALL {
        assert_eq!(
            mapping[model.id()],
            format!("{SCHEMAS}{}", request_type_name(model)),
            "{}",
            model.id()
        );
    }
}

/// The operations, tags, server and security scheme generators name things
/// after stay as they are; the two operations are linked; the
/// idempotency headers are documented.
#[test]
fn operations_links_and_headers() {
    let document = openapi();
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(
        document["servers"],
        json!([{ "url": "https://orux.top", "description": "Orux AI" }])
    );
    assert_eq!(document["security"], json!([{ "bearerAuth": [] }]));
    assert_eq!(
        document["components"]["securitySchemes"]["bearerAuth"]["scheme"],
        "bearer"
    );
    let create = &document["paths"][TASKS_PATH]["post"];
    let get = &document["paths"][TASK_PATH]["get"];
    assert_eq!(create["operationId"], "createTask");
    assert_eq!(get["operationId"], "getTask");
    for operation in [create, get] {
        assert_eq!(operation["tags"], json!(["tasks"]));
    }
    assert_eq!(document["tags"][0]["name"], "tasks");

    let link = &create["responses"]["200"]["links"]["getTask"];
    assert_eq!(link["operationId"], "getTask");
    assert_eq!(link["parameters"][TASK_ID_PARAM], "$response.body#/task_id");

    let key = &create["parameters"][0];
    assert_eq!(key["name"], IDEMPOTENCY_KEY);
    assert_eq!(key["in"], "header");
    assert_eq!(key["required"], false);
    assert_eq!(key["schema"]["minLength"], 1);
    assert_eq!(key["schema"]["maxLength"], IDEMPOTENCY_KEY_MAX_LEN);
    let pattern = key["schema"]["pattern"].as_str().expect("pattern");
    assert_eq!(pattern, "^[!-~]+$", "visible ASCII");
    let replayed = &create["responses"]["200"]["headers"][IDEMPOTENT_REPLAYED];
    assert_eq!(replayed["schema"]["enum"], json!(["true"]));

    // Every error status has the error body; 429 always and 5xx sometimes
    // say when to retry.
    for operation in [create, get] {
        for (status, answer) in operation["responses"].as_object().expect("responses") {
            if status == "200" {
                continue;
            }
            let name = answer["$ref"]
                .as_str()
                .and_then(|r| r.strip_prefix("#/components/responses/"));
            let answer = &document["components"]["responses"][name.expect("a component answer")];
            assert_eq!(
                answer["content"]["application/json"]["schema"]["$ref"],
                format!("{SCHEMAS}ErrorResponse"),
                "{status}"
            );
            let retry = &answer["headers"]["retry-after"];
            match status.as_str() {
                "429" => assert_eq!(retry["required"], true),
                "500" | "503" => assert_eq!(retry["required"], false),
                _ => assert!(retry.is_null(), "{status}"),
            }
        }
    }
    let statuses = |operation: &Value| -> Vec<String> {
        operation["responses"]
            .as_object()
            .expect("responses")
            .keys()
            .cloned()
            .collect()
    };
    assert_eq!(
        statuses(create),
        [
            "200", "400", "401", "409", "413", "415", "429", "500", "503"
        ]
    );
    assert_eq!(
        statuses(get),
        ["200", "400", "401", "404", "429", "500", "503"]
    );
}

/// The webhook: the event body, its three Standard Webhooks headers and a
/// pointer to the scheme; it is signed, not sent with the API key.
#[test]
fn the_task_webhook_is_described() {
    let document = openapi();
    let hook = &document["webhooks"]["taskFinished"]["post"];
    assert_eq!(
        hook["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        format!("{SCHEMAS}WebhookEvent")
    );
    let headers: Vec<(&str, bool)> = hook["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .map(|p| {
            assert_eq!(p["in"], "header");
            (
                p["name"].as_str().unwrap_or_default(),
                p["required"] == true,
            )
        })
        .collect();
    assert_eq!(
        headers,
        [
            (WEBHOOK_ID, true),
            (WEBHOOK_TIMESTAMP, true),
            (WEBHOOK_SIGNATURE, true)
        ]
    );
    assert_eq!(
        hook["externalDocs"]["url"],
        "https://www.standardwebhooks.com/"
    );
    assert_eq!(hook["security"], json!([]));
}

/// The README's "Other languages" commands and programs are the ones the
/// cross-language scripts run: each block a script reads
/// (`readme.block(root, "NAME")`) is in the README, after its
/// `<!-- cross-language: NAME -->` line, and no marked block is left unread.
#[test]
fn the_readme_shows_what_the_tests_run() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let lines: Vec<&str> = readme.lines().collect();
    let marked: BTreeSet<&str> = lines
        .iter()
        .enumerate()
        .filter_map(|(at, line)| {
            let name = line
                .strip_prefix("<!-- cross-language: ")?
                .strip_suffix(" -->")?;
            let fence = lines
                .get(at + 1)
                .is_some_and(|next| next.starts_with("```"));
            assert!(
                fence,
                "README line {}: {name} is not followed by a fenced block",
                at + 1
            );
            Some(name)
        })
        .collect();
    let mut read = BTreeSet::new();
    for dir in [
        "tests/cross-language/openapi",
        "tests/cross-language/python",
    ] {
        for entry in std::fs::read_dir(root().join(dir)).expect("scripts") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "py") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("script");
            for call in text.split("readme.block(root, \"").skip(1) {
                let name = call.split('"').next().unwrap_or_default().to_owned();
                read.insert(name);
            }
        }
    }
    let marked: BTreeSet<String> = marked.into_iter().map(str::to_owned).collect();
    assert!(read.len() >= 6, "{read:?}");
    assert_eq!(
        marked, read,
        "README blocks marked vs. blocks the scripts run"
    );

    // The versions the section names are the pinned ones.
    let section = readme
        .split("## Other languages")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("an \"Other languages\" section");
    let mut pins = Vec::new();
    for file in [
        "tests/cross-language/openapi/requirements.txt",
        "tests/cross-language/python/requirements.txt",
    ] {
        let text = std::fs::read_to_string(root().join(file)).expect("requirements");
        pins.extend(text.lines().filter_map(|line| {
            let (name, version) = line.split_once("==")?;
            let tool = [
                "openapi-python-client",
                "schemathesis",
                "datamodel-code-generator",
            ];
            tool.contains(&name)
                .then(|| (name.to_owned(), version.to_owned()))
        }));
    }
    let package: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/cross-language/openapi/package.json"))
            .expect("package.json"),
    )
    .expect("JSON");
    for (name, version) in package["devDependencies"]
        .as_object()
        .expect("devDependencies")
    {
        if !matches!(name.as_str(), "typescript" | "@types/node") {
            pins.push((
                name.clone(),
                version.as_str().unwrap_or_default().to_owned(),
            ));
        }
    }
    assert_eq!(pins.len(), 7, "{pins:?}");
    for (name, version) in pins {
        let named = [format!(" {version}"), format!("@{version}")];
        assert!(
            named.iter().any(|v| section.contains(v.as_str())),
            "the README names {name} {version}, the version tested"
        );
    }
}
