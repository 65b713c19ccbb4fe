//! `orux models`, `explain`, `example`, `schema`, and every command's `--help`.

mod support;

use orux_models::TaskRequest;
use orux_models::catalog::MODELS;
use serde_json::{Value, json};
use support::{code, run, stderr, stdout};

/// Runs a command that must succeed and returns its standard output.
fn success(args: &[&str]) -> String {
    let output = run(args, b"");
    assert_eq!(code(&output), 0, "{args:?}: {}", stderr(&output));
    assert_eq!(stderr(&output), "", "{args:?}");
    stdout(&output)
}

/// Runs a command that must fail with a usage error and returns its message.
fn usage_error(args: &[&str]) -> String {
    let output = run(args, b"");
    assert_eq!(code(&output), 2, "{args:?}");
    assert_eq!(stdout(&output), "", "{args:?}");
    stderr(&output)
}

#[test]
fn models_table() {
    insta::assert_snapshot!(success(&["models"]));
}

#[test]
fn models_json() {
    let models: Value = serde_json::from_str(&success(&["models", "--format", "json"])).unwrap();
    let models = models.as_array().unwrap();
    let ids: Vec<&str> = models.iter().map(|m| m["id"].as_str().unwrap()).collect();
    let catalog: Vec<&str> = MODELS.iter().map(|info| info.id).collect();
    assert_eq!(ids, catalog, "every model, in spec order");
    let find = |id: &str| models.iter().find(|m| m["id"] == id).unwrap();
    assert_eq!(
        find("sora2"),
        &json!({
            "id": "sora2",
            "name": "Sora 2",
            "vendor": "OpenAI",
            "kind": "text-to-video",
            "description": "OpenAI Sora 2 — text-to-video, 5s or 10s.",
            "max_duration": 10,
            "capabilities": [],
            "durations": [5, 10],
            "required": ["prompt"],
        })
    );
    assert_eq!(find("veo-3.1-quality")["durations"], json!([8]));
    assert_eq!(find("veo-3.1-quality")["capabilities"], json!(["audio"]));
    assert_eq!(find("hailuo-02")["durations"], json!([6, 10]));
    assert_eq!(find("runway-aleph")["durations"], json!([]));
    assert_eq!(find("runway-aleph")["max_duration"], Value::Null);
    assert_eq!(
        find("runway-aleph")["required"],
        json!(["prompt", "video_url"])
    );
    assert_eq!(
        find("infinitalk-audio")["required"],
        json!(["driver_audio_url", "driver_image_url"])
    );
}

#[test]
fn explain() {
    for id in ["sora2", "hailuo-02", "veo-3.1-quality", "topaz-upscale"] {
        insta::assert_snapshot!(format!("explain_{id}"), success(&["explain", id]));
    }
}

#[test]
fn explain_lists_every_parameter_of_every_model() {
    for info in MODELS {
        let text = success(&["explain", info.id]);
        assert!(text.starts_with(&format!("{}: {}", info.id, info.name)));
        for field in info.fields {
            let required = if field.required { "yes" } else { "no" };
            let row = text
                .lines()
                .find(|line| line.split_whitespace().next() == Some(field.name))
                .unwrap_or_else(|| panic!("{}: no row for {}", info.id, field.name));
            let cells: Vec<&str> = row.split_whitespace().collect();
            assert_eq!(cells[1], field.kind.as_str(), "{row}");
            assert_eq!(cells[2], required, "{row}");
        }
    }
}

#[test]
fn unknown_models_are_usage_errors_with_a_suggestion() {
    for command in ["explain", "example", "schema"] {
        assert_eq!(
            usage_error(&[command, "sora-2-pro"]),
            "error: unknown model \"sora-2-pro\"; did you mean \"sora2\"?\n",
            "{command}"
        );
        assert_eq!(
            usage_error(&[command, "gpt-4"]),
            "error: unknown model \"gpt-4\"; `orux models` lists the models\n",
            "{command}"
        );
    }
    assert!(usage_error(&["explain"]).contains("<MODEL>"));
    assert!(usage_error(&["example"]).contains("<MODEL>"));
}

#[test]
fn every_models_example_is_a_valid_minimal_body() {
    let mut jsonl = String::new();
    for info in MODELS {
        let text = success(&["example", info.id]);
        let body = text.strip_suffix('\n').unwrap();
        assert!(!body.contains('\n'), "one line: {body}");
        let valid = TaskRequest::from_json(body.as_bytes())
            .unwrap_or_else(|e| panic!("{}: {body}: {e}", info.id));
        assert_eq!(valid.request.model().id(), info.id);
        assert_eq!(valid.warnings, []);
        let object: serde_json::Map<String, Value> = serde_json::from_str(body).unwrap();
        let required = info.fields.iter().filter(|f| f.required).map(|f| f.name);
        let keys: Vec<&str> = object.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            std::iter::once("model").chain(required).collect::<Vec<_>>()
        );
        jsonl.push_str(&text);
    }
    // And `orux validate` agrees.
    let output = run(&["validate", "--jsonl"], jsonl.as_bytes());
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    assert_eq!(
        stderr(&output),
        format!("{n} bodies: {n} valid, 0 invalid\n", n = MODELS.len())
    );
    assert_eq!(
        success(&["example", "sora2"]),
        "{\"model\":\"sora2\",\"prompt\":\"A drone shot flying over Tokyo at sunset, cinematic\"}\n"
    );
}

#[test]
fn schema_prints_the_bundle_or_one_models_schema() {
    let bundle = success(&["schema"]);
    assert_eq!(bundle, orux_models::schema::BUNDLE);
    let bundle: Value = serde_json::from_str(&bundle).unwrap();
    assert_eq!(
        bundle["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(bundle["title"], "TaskRequest");
    for info in MODELS {
        let text = success(&["schema", info.id]);
        assert_eq!(Some(text.as_str()), orux_models::schema::model(info.id));
        let schema: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(schema["properties"]["model"]["const"], info.id);
        // The schema's example and `orux example` are built separately (the
        // generator from its IR, the runtime from the catalog): they agree.
        let example: Value = serde_json::from_str(&success(&["example", info.id])).unwrap();
        assert_eq!(schema["examples"][0], example, "{}", info.id);
    }
}

#[test]
fn help() {
    for command in ["validate", "models", "explain", "schema", "example"] {
        insta::assert_snapshot!(format!("help_{command}"), success(&[command, "--help"]));
    }
    let top = success(&["--help"]);
    assert_eq!(success(&["help"]), top);
    insta::assert_snapshot!("help", top);
    assert_eq!(
        success(&["--version"]),
        format!("orux {}\n", env!("CARGO_PKG_VERSION"))
    );
}

/// The README's `console` session is what `orux` really prints: each
/// `$ orux …` line (optionally fed by `echo '…' |`) is run, `echo '…' > FILE`
/// writes FILE, and the lines up to the next `$` are the expected output.
#[test]
fn readme_session_is_real() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let session = readme
        .split("```console\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("README has a console session");
    let dir = tempfile::tempdir().unwrap();
    let mut commands = 0;
    for step in session.split("$ ").filter(|step| !step.is_empty()) {
        let (command, expected) = step.split_once('\n').unwrap_or((step, ""));
        let expected = expected.strip_suffix('\n').unwrap_or(expected);
        let (stdin, command) = match command.split_once(" | ") {
            Some((echo, command)) => (quoted(echo), command),
            None => (String::new(), command),
        };
        if let Some((echo, file)) = command.split_once(" > ") {
            std::fs::write(dir.path().join(file), quoted(echo) + "\n").unwrap();
            continue;
        }
        let args: Vec<&str> = command
            .strip_prefix("orux ")
            .unwrap_or_else(|| panic!("not an orux command: {command}"))
            .split_whitespace()
            .collect();
        let output = support::orux()
            .current_dir(dir.path())
            .args(&args)
            .write_stdin(stdin)
            .output()
            .unwrap();
        let printed = stdout(&output);
        assert_eq!(
            printed.strip_suffix('\n').unwrap_or(&printed),
            expected.trim_end_matches('\n'),
            "$ {command}"
        );
        commands += 1;
    }
    assert!(commands >= 3, "the session runs orux");
}

/// The text inside `echo '…'`.
fn quoted(echo: &str) -> String {
    echo.strip_prefix("echo '")
        .and_then(|rest| rest.strip_suffix('\''))
        .unwrap_or_else(|| panic!("not a quoted echo: {echo}"))
        .to_owned()
}
