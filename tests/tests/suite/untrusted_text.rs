//! Text from a body or a spec is data: messages quote keys, values, model ids
//! and directive tokens escaped (no raw control or bidi character) and
//! bounded (at most 80 characters of each), while `path` stays the exact
//! JSON pointer; one body yields at most 100 warnings plus one that counts
//! the rest; an empty directive is called empty.

use orux_models::display::{QUOTE_LIMIT, is_unsafe};
use orux_models::{Diagnostic, DiagnosticKind, TaskRequest};
use orux_models::{EMPTY_DIRECTIVE, MAX_WARNINGS, UNKNOWN_DIRECTIVE, WARNINGS_OMITTED};
use orux_spec_tests::spec_cases::spec_text;

/// Every error of a rejected body.
fn errors(body: &str) -> Vec<Diagnostic> {
    match TaskRequest::from_json(body.as_bytes()) {
        Ok(valid) => panic!("accepted: {:?}", valid.request),
        Err(invalid) => invalid.errors,
    }
}

/// The warnings of a body that must be valid.
fn warnings(body: &str) -> Vec<Diagnostic> {
    match TaskRequest::from_json(body.as_bytes()) {
        Ok(valid) => valid.warnings,
        Err(invalid) => panic!("rejected: {:?}", invalid.errors),
    }
}

/// Fails if any character of `text` would reach a terminal raw (the
/// newlines between the lines of a printed report aside).
fn assert_safe(text: &str) {
    if let Some(c) = text.chars().find(|&c| c != '\n' && is_unsafe(c)) {
        panic!("{c:?} unescaped in {text:?}");
    }
}

fn hailuo(prompt: &str) -> String {
    serde_json::json!({"model": "hailuo-02", "prompt": prompt}).to_string()
}

#[test]
fn keys_are_quoted_escaped_and_their_paths_stay_exact() {
    let body =
        r#"{"model":"sora2","prompt":"p","\u001b[2Jx":1,"\u001b]0;owned\u0007":2,"a\u202eb":3}"#;
    let found = errors(body);
    let shown: Vec<(&str, &str)> = found
        .iter()
        .map(|e| (e.path.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(shown.len(), 3);
    assert_eq!(shown[0].0, "/\u{1b}[2Jx");
    assert!(
        shown[0]
            .1
            .starts_with(r#"unknown field "\u001b[2Jx" for sora2;"#),
        "{}",
        shown[0].1
    );
    assert_eq!(shown[1].0, "/\u{1b}]0;owned\u{7}");
    assert!(
        shown[1]
            .1
            .starts_with(r#"unknown field "\u001b]0;owned\u0007""#)
    );
    assert_eq!(shown[2].0, "/a\u{202e}b");
    assert!(shown[2].1.starts_with(r#"unknown field "a\u202eb""#));
    for error in &found {
        assert_safe(&error.message);
        // The printable form escapes the path too.
        assert_safe(&error.to_string());
    }
    assert_eq!(
        found[0].to_string(),
        format!("/\\u001b[2Jx: {}", shown[0].1)
    );
}

#[test]
fn duplicate_keys_and_task_reference_keys_are_escaped() {
    let body = r#"{"model":"sora2","prompt":"p","\u0085":1,"\u0085":2}"#;
    let found = errors(body);
    let duplicate = found
        .iter()
        .find(|e| e.kind == DiagnosticKind::DuplicateKey)
        .expect("a duplicate");
    assert_eq!(duplicate.path, "/\u{85}");
    assert_eq!(
        duplicate.message,
        r#"duplicate key "\u0085": a key may appear only once"#
    );
    let body = r#"{"model":"veo-3.1-fast","prompt":"p","image":{"task_id":"t","\u009b2J":1}}"#;
    let found = errors(body);
    assert_eq!(found[0].path, "/image/\u{9b}2J");
    assert!(
        found[0]
            .message
            .starts_with(r#"unknown field "\u009b2J" in image"#),
        "{found:?}"
    );
}

#[test]
fn values_are_quoted_escaped() {
    let body =
        r#"{"model":"sora2","prompt":"p","aspect_ratio":"16:9\u202e\u007f","webhook_url":5}"#;
    let found = errors(body);
    assert_eq!(
        found[0].message,
        r#"aspect_ratio must be "16:9" or "9:16" for sora2, got "16:9\u202e\u007f""#
    );
    assert_safe(&found[1].message);
    let body = r#"{"model":"sora2","prompt":"p","duration":"\u001b[31m5"}"#;
    let found = errors(body);
    assert!(
        found[0].message.ends_with(r#"got string "\u001b[31m5""#),
        "{found:?}"
    );
}

#[test]
fn model_ids_are_quoted_escaped() {
    let found = errors(r#"{"model":"sora2\u202e","prompt":"p"}"#);
    assert_eq!(
        found[0].message,
        r#"unknown model "sora2\u202e"; did you mean "sora2"?"#
    );
    let found = errors(r#"{"model":"\u001b]0;owned\u0007","prompt":"p"}"#);
    assert!(
        found[0]
            .message
            .starts_with(r#"unknown model "\u001b]0;owned\u0007"; known models: "#)
    );
    // The same function quotes ids given to `str::parse`.
    let unknown = "x\u{1b}[2J".parse::<orux_models::Model>().unwrap_err();
    assert_eq!(unknown.to_string(), r#"unknown model "x\u001b[2J""#);
    assert_eq!(unknown.id, "x\u{1b}[2J");
}

#[test]
fn directive_tokens_are_quoted_escaped() {
    let found = warnings(&hailuo("[Pan\u{1b}(0Right] [\u{2066}Static\u{2069}]"));
    let messages: Vec<&str> = found.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            r#"unknown camera directive "Pan\u001b(0Right" in prompt for hailuo-02; did you mean "Pan Right"?"#,
            r#"unknown camera directive "\u2066Static\u2069" in prompt for hailuo-02; did you mean "Static"?"#,
        ]
    );
    assert!(found.iter().all(|w| w.code == UNKNOWN_DIRECTIVE));
}

#[test]
fn a_ten_megabyte_model_id_or_key_is_not_echoed_whole() {
    let long = "m".repeat(10_000_000);
    let found = errors(&format!(r#"{{"model":"{long}","prompt":"p"}}"#));
    assert_eq!(found.len(), 1);
    let quoted = format!("\"{}…\"", "m".repeat(QUOTE_LIMIT));
    assert!(
        found[0]
            .message
            .starts_with(&format!("unknown model {quoted}; known models: ")),
        "{}",
        &found[0].message[..200]
    );
    assert!(found[0].message.len() < 1_000);

    let found = errors(&format!(r#"{{"model":"sora2","prompt":"p","{long}":1}}"#));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].path.len(), 1 + long.len(), "the path stays exact");
    assert!(
        found[0]
            .message
            .starts_with(&format!("unknown field {quoted} for sora2;"))
    );
    assert!(found[0].message.len() < 1_000);
    // Printed, the path is cut too: the key is not shown whole even once.
    let printed = found[0].to_string();
    assert!(printed.len() < 1_000, "{}", printed.len());
    assert!(printed.starts_with(&format!("/{}…: unknown field", "m".repeat(QUOTE_LIMIT - 1))));

    // Escapes count as one character each before the cut.
    let escapes = "\u{1b}".repeat(1_000_000);
    let found = errors(&serde_json::json!({"model": escapes, "prompt": "p"}).to_string());
    let quoted = format!("\"{}…\"", "\\u001b".repeat(QUOTE_LIMIT));
    assert!(
        found[0]
            .message
            .starts_with(&format!("unknown model {quoted}"))
    );
}

#[test]
fn a_huge_directive_token_is_bounded_too() {
    let token = "z".repeat(9_000);
    let found = warnings(&hailuo(&format!("[{token}]")));
    assert_eq!(found.len(), 1);
    assert!(found[0].message.len() < 300, "{}", found[0].message);
}

#[test]
fn at_most_a_hundred_warnings_then_one_that_counts_the_rest() {
    let found = warnings(&hailuo(&"[a]".repeat(3_000)));
    assert_eq!(found.len(), MAX_WARNINGS + 1);
    assert!(
        found[..MAX_WARNINGS]
            .iter()
            .all(|w| w.code == UNKNOWN_DIRECTIVE)
    );
    let last = &found[MAX_WARNINGS];
    assert_eq!(last.code, WARNINGS_OMITTED);
    assert_eq!(last.kind, DiagnosticKind::WarningsOmitted);
    assert_eq!(last.path, "");
    assert_eq!(
        last.message,
        "2900 more warnings left out; at most 100 are reported per body"
    );
    // Exactly at the cap nothing is left out; one more is counted alone.
    let found = warnings(&hailuo(&"[a]".repeat(MAX_WARNINGS)));
    assert_eq!(found.len(), MAX_WARNINGS);
    assert!(found.iter().all(|w| w.code == UNKNOWN_DIRECTIVE));
    let found = warnings(&hailuo(&"[a]".repeat(MAX_WARNINGS + 1)));
    assert_eq!(found.len(), MAX_WARNINGS + 1);
    assert_eq!(
        found[MAX_WARNINGS].message,
        "1 more warning left out; at most 100 are reported per body"
    );
    // An invalid body keeps the same cap.
    let body =
        serde_json::json!({"model": "hailuo-02", "prompt": "[a]".repeat(200), "duration": 7});
    let invalid = TaskRequest::from_json(body.to_string().as_bytes()).unwrap_err();
    assert_eq!(invalid.warnings.len(), MAX_WARNINGS + 1);
}

#[test]
fn empty_directives_are_called_empty() {
    for (prompt, empty) in [
        ("[] a cat", 1),
        ("[Pan Right,] a cat", 1),
        ("[ ] [,Static] [Static,,Zoom In]", 3),
    ] {
        let found = warnings(&hailuo(prompt));
        assert_eq!(found.len(), empty, "{prompt}");
        for warning in &found {
            assert_eq!(warning.code, EMPTY_DIRECTIVE, "{prompt}");
            assert_eq!(warning.kind, DiagnosticKind::EmptyDirective);
            assert_eq!(warning.path, "/prompt");
            assert_eq!(
                warning.message,
                "empty camera directive in prompt for hailuo-02: a bracket holds directive names separated by commas"
            );
            assert!(!warning.message.contains("\"\""));
        }
    }
}

#[test]
fn spec_errors_show_keys_and_names_escaped_and_bounded() {
    let text = spec_text();
    let anchor = "models:\n";
    assert!(
        text.contains(anchor),
        "models.yaml changed; update the anchor"
    );
    // (YAML caps a plain key at 1024 characters.)
    let long = "k".repeat(1_000);
    // A key the format does not know, with escapes; a model id with a
    // control character; a key far too long to quote whole.
    let hostile = text.replacen(
        anchor,
        &format!("\"\\e[2Jtitle\\u202e\": 1\n\"{long}\": 2\n{anchor}"),
        1,
    );
    let errors = orux_codegen::load(&hostile, "models.yaml").unwrap_err();
    let printed = errors.to_string();
    assert_safe(&printed);
    assert!(
        printed.contains("unknown key `\\u001b[2Jtitle\\u202e`"),
        "{printed}"
    );
    assert!(
        printed.contains(&format!("unknown key `{}…`", "k".repeat(QUOTE_LIMIT))),
        "{printed}"
    );
    assert!(!printed.contains(&"k".repeat(QUOTE_LIMIT + 1)));

    let model = text.replacen("  sora2:\n", "  \"sora2\\e]0;owned\\a\":\n", 1);
    assert_ne!(model, text, "models.yaml changed; update the model anchor");
    let errors = orux_codegen::load(&model, "models.yaml").unwrap_err();
    let printed = errors.to_string();
    assert_safe(&printed);
    assert!(printed.contains("sora2\\u001b]0;owned\\u0007"), "{printed}");
}
