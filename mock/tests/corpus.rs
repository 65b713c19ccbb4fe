//! Every body of the request corpus, over HTTP: the server's verdict is the
//! validator's, with the same errors (path and message) in the same order.

mod common;

use common::start;
use orux_mock::Config;
use orux_models::TaskRequest;
use serde_json::Value;

#[tokio::test]
async fn every_corpus_body_gets_the_validators_verdict() {
    let mock = start(Config::default()).await;
    let cases = orux_spec_tests::corpus::load();
    assert!(
        cases.len() > 100,
        "the corpus is there: {} cases",
        cases.len()
    );
    let (mut valid, mut invalid) = (0, 0);
    for case in &cases {
        let answer = mock.submit(case.body.clone(), &[]).await;
        match TaskRequest::from_json(&case.body) {
            Ok(_) => {
                valid += 1;
                assert_eq!(answer.status, 200, "{}: {answer:?}", case.name);
                assert!(answer.json["task_id"].is_string(), "{}", case.name);
            }
            Err(expected) => {
                invalid += 1;
                assert_eq!(answer.status, 400, "{}: {answer:?}", case.name);
                assert_eq!(
                    answer.json["error"]["code"], "invalid_param",
                    "{}",
                    case.name
                );
                let got: Vec<(&str, &str)> = answer.json["error"]["errors"]
                    .as_array()
                    .unwrap_or_else(|| panic!("{}: no errors list: {answer:?}", case.name))
                    .iter()
                    .map(|e| {
                        assert_eq!(e["code"], "invalid_param", "{}", case.name);
                        (
                            e["path"].as_str().unwrap_or("<none>"),
                            e["message"].as_str().unwrap_or("<none>"),
                        )
                    })
                    .collect();
                let want: Vec<(&str, &str)> = expected
                    .errors
                    .iter()
                    .map(|e| (e.path.as_str(), e.message.as_str()))
                    .collect();
                assert_eq!(got, want, "{}", case.name);
                // And the corpus's own expectation, so the test cannot pass on
                // a validator and server that both drifted.
                let paths: Vec<&str> = got.iter().map(|(path, _)| *path).collect();
                assert_eq!(paths, case.errors, "{}", case.name);
            }
        }
        assert_eq!(answer.status == 200, case.valid, "{}", case.name);
    }
    assert!(valid > 0 && invalid > 0, "{valid} valid, {invalid} invalid");
    // The answers are JSON objects, never a bare string.
    assert!(matches!(
        mock.submit("{}", &[]).await.json,
        Value::Object(_)
    ));
}
