//! The URL rule, said four ways, gives one verdict on every string of the URL
//! corpus (`tests/corpus/urls.jsonl`, see `orux_spec_tests::url_corpus`):
//! `HttpsUrl::parse`, the `HttpsUrl` and `ImageInput` definitions of the
//! bundle under the `jsonschema` crate, and `fluent-uri` with the https,
//! host and port rules on top (`orux_spec_tests::url_oracle`). Python's `re`
//! and JavaScript's `RegExp` are held to the same file by the harnesses in
//! `tests/cross-language/`.
//!
//! After a change to the generator, `UPDATE_URL_CORPUS=1 cargo test -p
//! orux-spec-tests --test url_rule` rewrites the file.

use orux_models::{HttpsUrl, ImageInput};
use orux_spec_tests::{url_corpus, url_oracle};
use serde_json::{Value, json};

/// `(url, valid)` from the checked-in file.
fn corpus() -> Vec<(String, bool)> {
    let path = url_corpus::path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .enumerate()
        .map(|(number, line)| {
            let case: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("urls.jsonl:{}: {e}", number + 1));
            match (&case["url"], &case["valid"]) {
                (Value::String(url), Value::Bool(valid)) => (url.clone(), *valid),
                _ => panic!("urls.jsonl:{}: needs \"url\" and \"valid\"", number + 1),
            }
        })
        .collect()
}

#[test]
fn corpus_file_is_up_to_date() {
    let expected = url_corpus::render();
    let path = url_corpus::path();
    if std::env::var_os("UPDATE_URL_CORPUS").is_some() {
        std::fs::write(&path, &expected).expect("writes tests/corpus/urls.jsonl");
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "tests/corpus/urls.jsonl is stale; rewrite it with \
         UPDATE_URL_CORPUS=1 cargo test -p orux-spec-tests --test url_rule"
    );
}

/// The oracle gives the hand-stated verdicts, so the file's verdicts are
/// not only the oracle's word.
#[test]
fn oracle_gives_the_stated_verdicts() {
    let stated: Vec<_> = url_corpus::cases()
        .into_iter()
        .filter_map(|case| case.stated.map(|valid| (case.url, valid)))
        .collect();
    assert!(stated.len() > 30);
    for (url, valid) in stated {
        assert_eq!(url_oracle::is_https_url(&url), valid, "{url:?}");
        assert_eq!(HttpsUrl::parse(&url).is_ok(), valid, "{url:?}");
    }
}

#[test]
fn rust_rule_agrees_with_the_corpus() {
    let corpus = corpus();
    let accepted = corpus.iter().filter(|(_, valid)| *valid).count();
    // Both verdicts are well represented, so agreement is not vacuous.
    assert!(
        accepted > 1_000 && corpus.len() - accepted > 2_000,
        "{accepted} of {} accepted",
        corpus.len()
    );
    let mut disagreements = Vec::new();
    for (url, valid) in &corpus {
        if HttpsUrl::parse(url).is_ok() != *valid {
            disagreements.push(format!("HttpsUrl {url:?}: corpus says {valid}"));
        }
        // Veo's `image`: a string not starting with `data:` is a URL.
        if !url.starts_with("data:") && ImageInput::parse(url).is_ok() != *valid {
            disagreements.push(format!("ImageInput {url:?}: corpus says {valid}"));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

#[test]
fn bundle_pattern_agrees_with_the_corpus() {
    let bundle: Value = serde_json::from_str(orux_models::schema::BUNDLE).expect("JSON");
    let compile = |name: &str| {
        let schema = json!({
            "$schema": bundle["$schema"],
            "$ref": format!("#/$defs/{name}"),
            "$defs": bundle["$defs"],
        });
        jsonschema::draft202012::new(&schema).expect("the bundle compiles")
    };
    let (url, image) = (compile("HttpsUrl"), compile("ImageInput"));
    let mut disagreements = Vec::new();
    for (text, valid) in corpus() {
        let instance = Value::String(text.clone());
        if url.is_valid(&instance) != valid {
            disagreements.push(format!("HttpsUrl {text:?}: corpus says {valid}"));
        }
        if !text.starts_with("data:") && image.is_valid(&instance) != valid {
            disagreements.push(format!("ImageInput {text:?}: corpus says {valid}"));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

/// Beyond the corpus: random strings over the characters that matter, rule
/// against oracle (the fuzz target `url_rule` does the same, coverage-guided).
#[test]
fn rust_rule_agrees_with_the_oracle_on_random_strings() {
    let alphabet: Vec<char> = ":/?#[]@%.vV-_~!$&'()*+,;=019AaFfg<| \u{e9}"
        .chars()
        .collect();
    let mut state = 7_u64;
    let mut next = |bound: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) % bound as u64) as usize
    };
    let mut accepted = 0;
    for _ in 0..50_000 {
        let len = next(24);
        let tail: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
        let url = format!("https://{tail}");
        let valid = url_oracle::is_https_url(&url);
        assert_eq!(HttpsUrl::parse(&url).is_ok(), valid, "{url:?}");
        accepted += usize::from(valid);
    }
    assert!(accepted > 1_000, "{accepted}");
}
