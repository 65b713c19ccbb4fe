//! `orux validate`: inputs, exit codes, output formats, JSON Lines.

mod support;

use std::io::Write;

use serde_json::Value;
use support::{body_cases, code, orux, run, stderr, stdout};

const VALID_SORA: &str = r#"{"model": "sora2", "prompt": "A paper boat"}"#;
const INVALID_SORA: &str =
    r#"{"model": "sora2", "prompt": "A paper boat", "duration": 8, "resolution": "4k"}"#;
const HAILUO_WARNING: &str = r#"{"model": "hailuo-02", "prompt": "[Pan right] A paper boat"}"#;

fn temp_file(contents: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(contents).unwrap();
    file
}

/// The one JSON object `--format json` prints, checked to be alone on stdout.
fn json_result(output: &std::process::Output) -> Value {
    let text = stdout(output);
    assert_eq!(text.matches('\n').count(), 1, "one line: {text:?}");
    serde_json::from_str(&text).unwrap()
}

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

fn paths(diagnostics: &Value) -> Vec<&str> {
    diagnostics
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect()
}

#[test]
fn a_file_a_dash_and_no_argument_read_the_same_body() {
    let file = temp_file(INVALID_SORA.as_bytes());
    let from_file = orux()
        .args(["validate", file.path().to_str().unwrap()])
        .output()
        .unwrap();
    let from_dash = run(&["validate", "-"], INVALID_SORA.as_bytes());
    let from_stdin = run(&["validate"], INVALID_SORA.as_bytes());
    for output in [&from_file, &from_dash, &from_stdin] {
        assert_eq!(code(output), 1);
        assert_eq!(stderr(output), "");
        assert_eq!(
            stdout(output),
            "/duration: duration must be 5 or 10 for sora2, got 8\n\
             /resolution: unknown field \"resolution\" for sora2; it accepts: prompt, duration, aspect_ratio, webhook_url\n\
             invalid sora2 request: 2 errors\n"
        );
    }
    let valid = temp_file(VALID_SORA.as_bytes());
    let output = orux()
        .args(["validate", valid.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(code(&output), 0);
    assert_eq!(stdout(&output), "valid sora2 request\n");
}

#[test]
fn human_output() {
    let cases: &[(&str, &[u8])] = &[
        ("valid", VALID_SORA.as_bytes()),
        ("several errors", INVALID_SORA.as_bytes()),
        ("unknown model", br#"{"model": "sora-2-pro", "prompt": "x"}"#),
        ("unknown model, nothing near", br#"{"model": "gpt-4"}"#),
        (
            "unknown field",
            br#"{"model": "kling-v21-master-i2v", "prompt": "x", "image": "https://a.example/i.png"}"#,
        ),
        ("warning on a valid body", HAILUO_WARNING.as_bytes()),
        (
            "warning and error",
            br#"{"model": "hailuo-02", "prompt": "[Zoom in] x", "duration": 5}"#,
        ),
        ("truncated", br#"{"model": "sora2", "prompt": "A paper"#),
        (
            "several JSON lines without --jsonl",
            b"{\"model\": \"sora2\", \"prompt\": \"a\"}\n{\"model\": \"sora2\"}\n",
        ),
        (
            "a key and a value holding terminal control, shown escaped",
            br#"{"model": "sora2", "prompt": "p", "\u001b[2Jx": 1, "aspect_ratio": "1:1\u202e"}"#,
        ),
        (
            "directives: unknown, escaped, empty",
            br#"{"model": "hailuo-02", "prompt": "[Pan\u001b(0Right] [] [Static,]"}"#,
        ),
        ("not UTF-8", b"{\"model\": \"sora2\", \"prompt\": \"\xff\"}"),
    ];
    let mut transcript = String::new();
    for (name, body) in cases {
        let output = run(&["validate"], body);
        assert_eq!(stderr(&output), "", "{name}");
        transcript.push_str(&format!(
            "--- {name} (exit {})\n{}",
            code(&output),
            stdout(&output)
        ));
    }
    insta::assert_snapshot!(transcript);
}

#[test]
fn json_output_has_the_documented_shape() {
    let output = run(&["validate", "--format", "json"], INVALID_SORA.as_bytes());
    assert_eq!(code(&output), 1);
    let result = json_result(&output);
    assert_eq!(keys(&result), ["valid", "model", "errors", "warnings"]);
    assert_eq!(result["valid"], false);
    assert_eq!(result["model"], "sora2");
    assert_eq!(result["warnings"], serde_json::json!([]));
    let errors = result["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2);
    for error in errors {
        assert_eq!(keys(error), ["code", "path", "message"]);
        assert_eq!(error["code"], "invalid_param");
    }
    assert_eq!(errors[0]["path"], "/duration");
    assert_eq!(
        errors[0]["message"],
        "duration must be 5 or 10 for sora2, got 8"
    );
    assert_eq!(errors[1]["path"], "/resolution");

    let output = run(&["validate", "--format", "json"], VALID_SORA.as_bytes());
    assert_eq!(code(&output), 0);
    assert_eq!(
        stdout(&output),
        "{\"valid\":true,\"model\":\"sora2\",\"errors\":[],\"warnings\":[]}\n"
    );

    // A warning leaves the body valid.
    let output = run(&["validate", "--format", "json"], HAILUO_WARNING.as_bytes());
    assert_eq!(code(&output), 0);
    let result = json_result(&output);
    assert_eq!(result["valid"], true);
    assert_eq!(result["model"], "hailuo-02");
    let warning = &result["warnings"][0];
    assert_eq!(keys(warning), ["code", "path", "message"]);
    assert_eq!(warning["code"], "unknown_directive");
    assert_eq!(warning["path"], "/prompt");
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .contains(r#"did you mean "Pan Right"?"#)
    );

    // An unknown model: no model, and the suggestion in the message.
    let output = run(
        &["validate", "--format", "json"],
        br#"{"model": "sora-2-pro", "prompt": "x"}"#,
    );
    assert_eq!(code(&output), 1);
    let result = json_result(&output);
    assert_eq!(result["model"], Value::Null);
    assert_eq!(paths(&result["errors"]), ["/model"]);
    assert_eq!(
        result["errors"][0]["message"],
        r#"unknown model "sora-2-pro"; did you mean "sora2"?"#
    );
}

#[test]
fn parse_errors_are_errors_in_the_same_shape() {
    let cases: &[(&[u8], &str, &str)] = &[
        (b"hello", "", "invalid JSON at byte 0"),
        (
            br#"{"model": "sora2", "prompt": "A pa"#,
            "",
            "unexpected end of input",
        ),
        (b"[1, 2]", "", "must be a JSON object, but it is an array"),
        (b"", "", "request body is empty"),
        (
            b"{\"model\": \"sora2\"}\n{}",
            "",
            "unexpected data after the JSON object",
        ),
        (
            b"{\"prompt\": \"\xc3\x28\"}",
            "",
            "not valid UTF-8 at byte 12",
        ),
        (
            br#"{"model": "sora2", "prompt": "a", "model": "sora2"}"#,
            "/model",
            "duplicate key \"model\"",
        ),
    ];
    for (body, path, message) in cases {
        let shown = String::from_utf8_lossy(body);
        let output = run(&["validate", "--format", "json"], body);
        assert_eq!(code(&output), 1, "{shown}");
        let result = json_result(&output);
        assert_eq!(keys(&result), ["valid", "model", "errors", "warnings"]);
        assert_eq!(result["valid"], false, "{shown}");
        assert_eq!(paths(&result["errors"]), [*path], "{shown}");
        let text = result["errors"][0]["message"].as_str().unwrap();
        assert!(text.contains(message), "{shown}: {text}");
    }
}

#[test]
fn a_body_over_the_size_limit_is_invalid_with_its_real_size() {
    let limit = orux_models::Limits::default().max_body_bytes;
    let body = format!(
        r#"{{"model": "sora2", "prompt": "{}"}}"#,
        "x".repeat(limit + 10)
    );
    let file = temp_file(body.as_bytes());
    let output = orux()
        .args([
            "validate",
            "--format",
            "json",
            file.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(code(&output), 1);
    let result = json_result(&output);
    assert_eq!(paths(&result["errors"]), [""]);
    let message = result["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!(
            "request body is {} bytes, over the limit of {limit} bytes",
            body.len()
        )),
        "{message}"
    );
}

#[test]
fn io_errors_exit_2_with_a_message_and_in_json_one_object() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.json");
    let missing = missing.to_str().unwrap();
    let directory = dir.path().to_str().unwrap();
    for (args, json) in [
        (vec!["validate", missing], false),
        (vec!["validate", "--format", "human", missing], false),
        (vec!["validate", "--format", "json", missing], true),
        (vec!["validate", "--jsonl", missing], true),
        (vec!["validate", directory], false),
        (vec!["validate", "--format", "json", directory], true),
        (vec!["validate", "--jsonl", directory], true),
    ] {
        let output = orux().args(&args).output().unwrap();
        assert_eq!(code(&output), 2, "{args:?}");
        let message = stderr(&output);
        let file = args[args.len() - 1];
        assert!(
            message.starts_with(&format!("error: cannot read {file}: ")),
            "{args:?}: {message}"
        );
        if !json {
            assert_eq!(stdout(&output), "", "{args:?}");
            continue;
        }
        // A script reading standard output still gets one object, shaped
        // like a result, with the same message as standard error.
        let result = json_result(&output);
        assert_eq!(keys(&result), ["valid", "model", "errors", "warnings"]);
        assert_eq!(result["valid"], false);
        assert_eq!(result["model"], Value::Null);
        assert_eq!(result["warnings"], serde_json::json!([]));
        let errors = result["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{args:?}");
        assert_eq!(keys(&errors[0]), ["code", "path", "message"]);
        assert_eq!(errors[0]["code"], "input_error");
        assert_eq!(errors[0]["path"], "");
        assert_eq!(
            format!("error: {}\n", errors[0]["message"].as_str().unwrap()),
            message
        );
    }
    let output = orux().args(["validate", missing]).output().unwrap();
    assert!(stderr(&output).contains("No such file or directory"));
}

#[test]
fn text_from_the_body_is_escaped_for_people_and_exact_in_json() {
    let body = r#"{"model": "sora2", "prompt": "p", "\u001b[2Jx": 1, "\u001b]0;owned\u0007": 2, "a\u202eb": 3}"#;
    let human = run(&["validate"], body.as_bytes());
    assert_eq!(code(&human), 1);
    let text = stdout(&human);
    assert!(
        !human.stdout.contains(&0x1b) && !human.stdout.contains(&0x07),
        "{text}"
    );
    assert!(!text.contains('\u{202e}'), "{text}");
    // Not stripped either (the key once showed as "/x").
    assert!(
        text.starts_with("/\\u001b[2Jx: unknown field \"\\u001b[2Jx\" for sora2;"),
        "{text}"
    );
    assert!(
        text.contains("\n/\\u001b]0;owned\\u0007: unknown field \"\\u001b]0;owned\\u0007\""),
        "{text}"
    );
    assert!(
        text.contains("\n/a\\u202eb: unknown field \"a\\u202eb\""),
        "{text}"
    );

    let json = run(&["validate", "--format", "json"], body.as_bytes());
    let result = json_result(&json);
    assert_eq!(
        paths(&result["errors"]),
        ["/\u{1b}[2Jx", "/\u{1b}]0;owned\u{7}", "/a\u{202e}b"],
        "paths are the exact pointers"
    );
    assert!(
        result["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with(r#"unknown field "\u001b[2Jx""#)
    );
}

#[test]
fn a_huge_key_or_model_id_is_not_echoed_whole() {
    let long = "k".repeat(10_000_000);
    for body in [
        format!(r#"{{"model": "sora2", "prompt": "p", "{long}": 1}}"#),
        format!(r#"{{"model": "{long}", "prompt": "p"}}"#),
    ] {
        let file = temp_file(body.as_bytes());
        let path = file.path().to_str().unwrap();
        let human = orux().args(["validate", path]).output().unwrap();
        assert_eq!(code(&human), 1);
        assert!(human.stdout.len() < 1_000, "{} bytes", human.stdout.len());
        let json = orux()
            .args(["validate", "--format", "json", path])
            .output()
            .unwrap();
        let result = json_result(&json);
        let message = result["errors"][0]["message"].as_str().unwrap();
        assert!(message.len() < 1_000, "{} bytes", message.len());
        assert!(message.contains(&format!("{}…", "k".repeat(80))));
    }
}

#[test]
fn many_warnings_are_capped_with_a_count() {
    let body = serde_json::json!({"model": "hailuo-02", "prompt": "[a]".repeat(3_000)}).to_string();
    let human = run(&["validate"], body.as_bytes());
    assert_eq!(code(&human), 0);
    let text = stdout(&human);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 102, "100 warnings, the count, the verdict");
    assert_eq!(
        lines[100],
        "warning: 2900 more warnings left out; at most 100 are reported per body"
    );
    assert_eq!(
        lines[101],
        "valid hailuo-02 request (100 warnings shown, more left out)"
    );
    let json = run(&["validate", "--format", "json"], body.as_bytes());
    let result = json_result(&json);
    let warnings = result["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 101);
    assert_eq!(warnings[100]["code"], "warnings_omitted");
    assert_eq!(warnings[100]["path"], "");
}

#[test]
fn several_json_lines_suggest_jsonl_and_other_trailing_data_does_not() {
    let hint = "use --jsonl";
    let lines = format!("{VALID_SORA}\n{VALID_SORA}\n");
    for args in [&["validate"][..], &["validate", "--format", "json"]] {
        let output = run(args, lines.as_bytes());
        assert_eq!(code(&output), 1);
        assert!(stdout(&output).contains(hint), "{args:?}");
    }
    for body in [
        format!("{VALID_SORA} {VALID_SORA}"),
        format!("{VALID_SORA}\n}}"),
        "{\"model\": \"sora2\", \"prompt\": \"a\"\n{}".to_owned(),
    ] {
        let output = run(&["validate"], body.as_bytes());
        assert_eq!(code(&output), 1);
        assert!(!stdout(&output).contains(hint), "{body}");
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["validate", "--format", "xml"][..],
        &["validate", "--jsonl", "--format", "human"],
        &["validate", "a.json", "b.json"],
        &["validate", "--no-such-flag"],
        &["no-such-command"],
        &[],
    ] {
        let output = run(args, VALID_SORA.as_bytes());
        assert_eq!(code(&output), 2, "{args:?}");
        assert_eq!(stdout(&output), "", "{args:?}");
        assert!(stderr(&output).contains("error"), "{args:?}");
    }
}

#[test]
fn colour_only_when_allowed() {
    let escape = |output: &std::process::Output| output.stdout.contains(&0x1b);
    // A pipe is not a terminal: plain text.
    let plain = run(&["validate"], INVALID_SORA.as_bytes());
    assert!(!escape(&plain));
    // CLICOLOR_FORCE stands in for a terminal here: styles appear...
    let forced = orux()
        .args(["validate"])
        .env("CLICOLOR_FORCE", "1")
        .write_stdin(INVALID_SORA)
        .output()
        .unwrap();
    assert!(escape(&forced));
    let stripped = anstream::adapter::strip_bytes(&forced.stdout).into_vec();
    assert_eq!(stripped, plain.stdout);
    assert_eq!(code(&forced), 1);
    // ...and NO_COLOR wins over it.
    let no_color = orux()
        .args(["validate"])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .write_stdin(INVALID_SORA)
        .output()
        .unwrap();
    assert_eq!(no_color.stdout, plain.stdout);
    // JSON is never styled.
    let json = orux()
        .args(["validate", "--format", "json"])
        .env("CLICOLOR_FORCE", "1")
        .write_stdin(INVALID_SORA)
        .output()
        .unwrap();
    assert!(!escape(&json));
}

/// The JSON Lines results, parsed, checked to be one object per line.
fn jsonl_results(output: &std::process::Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn jsonl_a_hundred_thousand_lines_of_the_corpus() {
    const LINES: usize = 100_000;
    let cases = body_cases();
    assert!(cases.len() > 300, "the corpus has its bodies");
    let mut input = Vec::new();
    for i in 0..LINES {
        input.extend_from_slice(cases[i % cases.len()].body.as_bytes());
        input.push(b'\n');
    }
    let file = temp_file(&input);
    let output = orux()
        .args(["validate", "--jsonl", file.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(code(&output), 1, "the corpus has invalid bodies");
    let results = jsonl_results(&output);
    assert_eq!(results.len(), LINES);
    let mut valid = 0;
    for (i, result) in results.iter().enumerate() {
        let case = &cases[i % cases.len()];
        assert_eq!(
            keys(result),
            ["line", "valid", "model", "errors", "warnings"]
        );
        assert_eq!(result["line"], i + 1, "{}", case.name);
        assert_eq!(result["valid"], case.valid, "{}", case.name);
        assert_eq!(paths(&result["errors"]), case.errors, "{}", case.name);
        assert_eq!(paths(&result["warnings"]), case.warnings, "{}", case.name);
        valid += usize::from(case.valid);
    }
    assert_eq!(
        stderr(&output),
        format!("{LINES} bodies: {valid} valid, {} invalid\n", LINES - valid)
    );
}

#[test]
fn jsonl_blank_lines_crlf_and_bad_bytes() {
    let input: &[u8] = b"{\"model\":\"sora2\",\"prompt\":\"a\"}\n\
        \n\
        {\"model\":\"sora2\",\"prompt\":\"b\"}\r\n\
        {\"model\":\"sora2\",\"prompt\":\"\xff\"}\n\
        {\"model\":\"sora2\",\"duration\":8}\n\
        \t \n\
        {\"model\":\"hailuo-02\",\"prompt\":\"[Pan right]\"}";
    let output = run(&["validate", "--jsonl"], input);
    assert_eq!(code(&output), 1);
    let results = jsonl_results(&output);
    let lines: Vec<_> = results
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [1, 3, 4, 5, 7], "blank lines 2 and 6 have no result");
    let verdicts: Vec<_> = results
        .iter()
        .map(|r| r["valid"].as_bool().unwrap())
        .collect();
    assert_eq!(verdicts, [true, true, false, false, true]);
    // The bad byte is that line's parse error; the lines after it still count.
    assert_eq!(paths(&results[2]["errors"]), [""]);
    assert!(
        results[2]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not valid UTF-8")
    );
    assert_eq!(paths(&results[3]["errors"]), ["/duration", "/prompt"]);
    assert_eq!(paths(&results[4]["warnings"]), ["/prompt"]);
    assert_eq!(
        stderr(&output),
        "5 bodies: 3 valid, 2 invalid (2 blank lines skipped)\n"
    );
}

#[test]
fn jsonl_exit_0_when_every_body_is_valid() {
    let input = format!("{VALID_SORA}\n{HAILUO_WARNING}\n");
    for args in [
        &["validate", "--jsonl"][..],
        &["validate", "--jsonl", "-"],
        &["validate", "--jsonl", "--format", "json"],
    ] {
        let output = run(args, input.as_bytes());
        assert_eq!(code(&output), 0, "{args:?}");
        assert_eq!(jsonl_results(&output).len(), 2, "{args:?}");
        assert_eq!(stderr(&output), "2 bodies: 2 valid, 0 invalid\n");
    }
    let output = run(&["validate", "--jsonl"], b"");
    assert_eq!(code(&output), 0);
    assert_eq!(stdout(&output), "");
    assert_eq!(stderr(&output), "0 bodies: 0 valid, 0 invalid\n");
}

#[test]
fn jsonl_stops_quietly_when_the_reader_goes_away() {
    use std::io::{BufRead, BufReader};
    // Far more output than a pipe buffers, so writes fail once the reader is gone.
    let line = format!("{VALID_SORA}\n");
    let file = temp_file(line.repeat(20_000).as_bytes());
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("orux"))
        .args(["validate", "--jsonl", file.path().to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    reader.read_line(&mut first).unwrap();
    assert!(first.starts_with("{\"line\":1,"), "{first}");
    drop(reader); // `orux validate --jsonl … | head -1`
    let output = child.wait_with_output().unwrap();
    // Not every body was checked: not a success, and nothing to say about it.
    assert_eq!(code(&output), 2);
    assert_eq!(stderr(&output), "");
}

#[test]
fn jsonl_jobs_keep_input_order_summary_and_exit_status() {
    let cases = body_cases();
    let mut input = Vec::new();
    for i in 0..20_000 {
        input.extend_from_slice(cases[i % cases.len()].body.as_bytes());
        input.push(b'\n');
    }
    let file = temp_file(&input);
    let path = file.path().to_str().unwrap();
    let one = orux()
        .args(["validate", "--jsonl", "--jobs", "1", path])
        .output()
        .unwrap();
    assert_eq!(code(&one), 1, "the corpus has invalid bodies");
    for jobs in ["2", "5"] {
        let many = orux()
            .args(["validate", "--jsonl", "--jobs", jobs, path])
            .output()
            .unwrap();
        assert_eq!(code(&many), 1, "--jobs {jobs}");
        assert!(many.stdout == one.stdout, "--jobs {jobs}: results differ");
        assert_eq!(stderr(&many), stderr(&one), "--jobs {jobs}");
    }
    let lines: Vec<_> = jsonl_results(&one)
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, (1..=20_000).collect::<Vec<u64>>());

    let valid = format!("{VALID_SORA}\n\n{HAILUO_WARNING}\n").repeat(1000);
    let output = run(&["validate", "--jsonl", "--jobs", "3"], valid.as_bytes());
    assert_eq!(code(&output), 0);
    assert_eq!(jsonl_results(&output).len(), 2000);
    assert_eq!(
        stderr(&output),
        "2000 bodies: 2000 valid, 0 invalid (1000 blank lines skipped)\n"
    );
}

#[test]
fn jsonl_jobs_must_be_a_positive_count_with_jsonl() {
    for args in [
        &["validate", "--jsonl", "--jobs", "0"][..],
        &["validate", "--jsonl", "--jobs", "many"],
        &["validate", "--jobs", "2"],
    ] {
        let output = run(args, VALID_SORA.as_bytes());
        assert_eq!(code(&output), 2, "{args:?}");
        assert_eq!(stdout(&output), "", "{args:?}");
        assert!(
            stderr(&output).contains("--jobs"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn jsonl_jobs_stop_quietly_when_the_reader_goes_away() {
    use std::io::{BufRead, BufReader};
    let line = format!("{VALID_SORA}\n");
    let file = temp_file(line.repeat(200_000).as_bytes());
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("orux"))
        .args([
            "validate",
            "--jsonl",
            "--jobs",
            "2",
            file.path().to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    reader.read_line(&mut first).unwrap();
    assert!(first.starts_with("{\"line\":1,"), "{first}");
    drop(reader);
    let output = child.wait_with_output().unwrap();
    assert_eq!(code(&output), 2);
    assert_eq!(stderr(&output), "");
}
