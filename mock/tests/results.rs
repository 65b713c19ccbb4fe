//! Result files over real HTTP: what a file server sends (lengths, types,
//! validators, ranges), signed URLs that expire, several results per task,
//! scripted download faults, and the stats counters.

mod common;

use std::time::Duration;

use common::{KEY, Mock, SORA, error_code, start};
use orux_mock::{Config, RESULT_MP4, ResultContent, ResultsConfig, StatsSnapshot};
use orux_models::responses::{SubmitResponse, TaskStatusResponse};
use sha2::{Digest, Sha256};

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Submits `SORA` with `headers`, lets the task succeed, returns its status.
async fn finished(mock: &Mock, headers: &[(&str, &str)]) -> TaskStatusResponse {
    let answer = mock.submit(SORA, headers).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    let task: SubmitResponse = serde_json::from_value(answer.json).unwrap();
    mock.clock.advance(Duration::from_secs(5));
    status(mock, &task.task_id).await
}

async fn status(mock: &Mock, task_id: &str) -> TaskStatusResponse {
    let answer = mock.status(task_id).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    serde_json::from_value(answer.json).unwrap()
}

async fn get(mock: &Mock, url: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = mock.http.get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("an answer")
}

fn header<'r>(response: &'r reqwest::Response, name: &str) -> &'r str {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name}"))
        .to_str()
        .unwrap()
}

async fn stats(mock: &Mock) -> StatsSnapshot {
    let answer = mock
        .http
        .get(format!("{}/_mock/stats", mock.base))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let over_http: StatsSnapshot = serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    assert_eq!(over_http, mock.server.stats());
    over_http
}

/// The 10 bytes of the body a fault lets through, and how the body ended.
async fn read_all(response: reqwest::Response) -> (Vec<u8>, bool) {
    let mut response = response;
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => return (body, true),
            Err(_) => return (body, false),
        }
    }
}

#[tokio::test]
async fn a_result_is_the_mp4_fixture_served_like_a_file_server_would() {
    let mock = start(Config::default()).await;
    let done = finished(&mock, &[]).await;
    let url = &done.result_urls[0];
    let response = get(&mock, url, &[]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), "video/mp4");
    assert_eq!(
        header(&response, "content-length"),
        RESULT_MP4.len().to_string()
    );
    assert_eq!(header(&response, "accept-ranges"), "bytes");
    let etag = header(&response, "etag").to_owned();
    assert!(
        etag.starts_with("\"mp4-") && etag.ends_with('"'),
        "a strong ETag: {etag}"
    );
    assert_eq!(
        header(&response, "last-modified"),
        "Thu, 04 Jun 2026 22:00:05 GMT"
    );
    assert_eq!(&response.bytes().await.unwrap()[..], RESULT_MP4);

    let head = mock.http.head(url).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(
        header(&head, "content-length"),
        RESULT_MP4.len().to_string()
    );
    assert_eq!(header(&head, "etag"), etag);
    assert!(head.bytes().await.unwrap().is_empty());

    let len = RESULT_MP4.len();
    let part = get(&mock, url, &[("range", "bytes=100-"), ("if-range", &etag)]).await;
    assert_eq!(part.status(), 206);
    assert_eq!(
        header(&part, "content-range"),
        format!("bytes 100-{}/{len}", len - 1)
    );
    assert_eq!(&part.bytes().await.unwrap()[..], &RESULT_MP4[100..]);
    let date = get(
        &mock,
        url,
        &[
            ("range", "bytes=-10"),
            ("if-range", "Thu, 04 Jun 2026 22:00:05 GMT"),
        ],
    )
    .await;
    assert_eq!(date.status(), 206);
    assert_eq!(&date.bytes().await.unwrap()[..], &RESULT_MP4[len - 10..]);
    let other = get(
        &mock,
        url,
        &[("range", "bytes=100-"), ("if-range", "\"another\"")],
    )
    .await;
    assert_eq!(
        other.status(),
        200,
        "If-Range naming another version: the whole file"
    );
    assert_eq!(other.bytes().await.unwrap().len(), len);
    let past = get(&mock, url, &[("range", &format!("bytes={len}-"))]).await;
    assert_eq!(past.status(), 416);
    assert_eq!(header(&past, "content-range"), format!("bytes */{len}"));

    let stats = stats(&mock).await;
    assert_eq!(stats.file_requests, 6);
    assert_eq!(stats.file_requests_with_authorization, 0);
    assert_eq!(stats.bytes_served, (len + (len - 100) + 10 + len) as u64);
}

#[tokio::test]
async fn result_bytes_serves_large_deterministic_files_and_several_results_differ() {
    let config = Config {
        results: ResultsConfig {
            bytes: Some(3_000_000),
            ..ResultsConfig::default()
        },
        ..Config::default()
    };
    let mock = start(config).await;
    let done = finished(&mock, &[("x-orux-mock-results", "3")]).await;
    assert_eq!(done.result_urls.len(), 3);
    let mut hashes = Vec::new();
    for (index, url) in done.result_urls.iter().enumerate() {
        assert!(url.contains(&format!("/{}.bin?", index + 1)), "{url}");
        let response = get(&mock, url, &[]).await;
        assert_eq!(
            header(&response, "content-type"),
            "application/octet-stream"
        );
        let body = response.bytes().await.unwrap();
        assert_eq!(body.len(), 3_000_000);
        let ulid: ulid::Ulid = done.task_id["task_".len()..].parse().unwrap();
        let expected = ResultContent::of(ulid.0, index, 0, Some(3_000_000));
        assert_eq!(sha256(&body), expected.sha256_hex());
        hashes.push(sha256(&body));
    }
    hashes.dedup();
    assert_eq!(hashes.len(), 3);
}

#[tokio::test]
async fn urls_expire_and_a_fresh_status_read_gives_new_ones_for_the_same_bytes() {
    let config = Config {
        results: ResultsConfig {
            ttl: Some(Duration::from_secs(60)),
            ..ResultsConfig::default()
        },
        ..Config::default()
    };
    let mock = start(config).await;
    let done = finished(&mock, &[]).await;
    let old = done.result_urls[0].clone();
    assert!(old.contains("expires="), "{old}");
    assert_eq!(get(&mock, &old, &[]).await.status(), 200);
    mock.clock.advance(Duration::from_secs(60));
    let expired = get(&mock, &old, &[]).await;
    assert_eq!(expired.status(), 403);
    assert_eq!(error_code(&common::answer(expired).await), "url_expired");
    let fresh = status(&mock, &done.task_id).await.result_urls[0].clone();
    assert_ne!(fresh, old, "a new token");
    let response = get(&mock, &fresh, &[]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        &response.bytes().await.unwrap()[..],
        RESULT_MP4,
        "the same content"
    );
}

#[tokio::test]
async fn forged_and_unknown_urls_are_refused() {
    let mock = start(Config::default()).await;
    let done = finished(&mock, &[]).await;
    let url = &done.result_urls[0];
    let (path, _) = url.split_once('?').unwrap();
    let forged = format!("{path}?token=00000000000000000000000000000000");
    let refused = get(&mock, &forged, &[]).await;
    assert_eq!(refused.status(), 403);
    assert_eq!(error_code(&common::answer(refused).await), "forbidden");
    assert_eq!(get(&mock, path, &[]).await.status(), 403, "no token");
    for other in [
        url.replace("/1.mp4", "/2.mp4"),
        url.replace("/1.mp4", "/1.bin"),
        url.replace("/1.mp4", "/0.mp4"),
        url.replace(&done.task_id, "task_01ARZ3NDEKTSV4RRFFQ69G5FAV"),
    ] {
        assert_eq!(get(&mock, &other, &[]).await.status(), 404, "{other}");
    }
    // A task still running has no file yet, whatever the URL.
    let running = mock.submit(SORA, &[]).await;
    let running: SubmitResponse = serde_json::from_value(running.json).unwrap();
    let early = url.replace(&done.task_id, &running.task_id);
    assert_eq!(get(&mock, &early, &[]).await.status(), 404);
    // Sending a key to the file host is counted (and still served).
    let with_key = mock.http.get(url).bearer_auth(KEY).send().await.unwrap();
    assert_eq!(with_key.status(), 200);
    assert_eq!(stats(&mock).await.file_requests_with_authorization, 1);
}

#[tokio::test]
async fn scripted_faults_take_one_step_per_get_and_none_per_head() {
    let config = Config {
        results: ResultsConfig {
            bytes: Some(1_000_000),
            ..ResultsConfig::default()
        },
        ..Config::default()
    };
    let mock = start(config).await;
    let script = "drop=1000, lie-length=50, ignore-range, new-etag, status=503, ok";
    let done = finished(&mock, &[("x-orux-mock-download-faults", script)]).await;
    let url = &done.result_urls[0];
    let ulid: ulid::Ulid = done.task_id["task_".len()..].parse().unwrap();
    let v0 = ResultContent::of(ulid.0, 0, 0, Some(1_000_000));
    let v1 = ResultContent::of(ulid.0, 0, 1, Some(1_000_000));

    // HEAD takes no step.
    assert_eq!(mock.http.head(url).send().await.unwrap().status(), 200);
    // drop=1000: the head says the whole length, the body stops at 1000.
    let dropped = get(&mock, url, &[]).await;
    assert_eq!(header(&dropped, "content-length"), "1000000");
    let (body, ended) = read_all(dropped).await;
    assert!(!ended && body.len() == 1000, "{} {ended}", body.len());
    // lie-length=50: 50 bytes more declared than sent.
    let lying = get(&mock, url, &[]).await;
    assert_eq!(header(&lying, "content-length"), "1000050");
    let (body, ended) = read_all(lying).await;
    assert!(!ended && body.len() == 1_000_000);
    // ignore-range: a 200 with everything.
    let etag = v0.etag();
    let ignored = get(&mock, url, &[("range", "bytes=10-"), ("if-range", &etag)]).await;
    assert_eq!(ignored.status(), 200);
    assert_eq!(ignored.bytes().await.unwrap().len(), 1_000_000);
    // new-etag: the old validator gets the whole new version.
    let renewed = get(&mock, url, &[("range", "bytes=10-"), ("if-range", &etag)]).await;
    assert_eq!(renewed.status(), 200);
    assert_eq!(header(&renewed, "etag"), v1.etag());
    assert_eq!(sha256(&renewed.bytes().await.unwrap()), v1.sha256_hex());
    // status=503.
    let failing = get(&mock, url, &[]).await;
    assert_eq!(failing.status(), 503);
    // Then served normally, as the new version.
    let ok = get(
        &mock,
        url,
        &[("range", "bytes=10-"), ("if-range", &v1.etag())],
    )
    .await;
    assert_eq!(ok.status(), 206);
    assert_eq!(ok.bytes().await.unwrap().len(), 1_000_000 - 10);
    // And the status lists the same URL path for the new version.
    assert_eq!(status(&mock, &done.task_id).await.result_urls[0], *url);
}

#[tokio::test]
async fn bad_fault_and_result_headers_are_refused_by_name() {
    let mock = start(Config::default()).await;
    for (name, value, needle) in [
        (
            "x-orux-mock-download-faults",
            "drop",
            "X-Orux-Mock-Download-Faults",
        ),
        ("x-orux-mock-download-faults", "ok,explode", "step 2"),
        ("x-orux-mock-results", "0", "X-Orux-Mock-Results"),
        ("x-orux-mock-results", "17", "X-Orux-Mock-Results"),
    ] {
        let answer = mock.submit(SORA, &[(name, value)]).await;
        assert_eq!(answer.status, 400, "{answer:?}");
        let message = answer.json["error"]["message"].as_str().unwrap();
        assert!(message.contains(needle), "{message}");
    }
    let stats = stats(&mock).await;
    assert_eq!(stats.rejected_submits, 4);
    assert_eq!(stats.tasks_created, 0);

    let bad = Config {
        results: ResultsConfig {
            download_faults: Some("stall".to_owned()),
            ..ResultsConfig::default()
        },
        addr: "127.0.0.1:0".parse().unwrap(),
        ..Config::default()
    };
    let error = orux_mock::Server::bind(bad).await.err().expect("refused");
    assert!(error.to_string().contains("--download-faults"), "{error}");
}

#[tokio::test]
async fn stats_count_creations_replays_rejections_and_bytes() {
    let mock = start(Config::default()).await;
    let key = [("idempotency-key", "k-1")];
    assert_eq!(mock.submit(SORA, &key).await.status, 200);
    assert_eq!(mock.submit(SORA, &key).await.status, 200);
    assert_eq!(mock.submit(SORA.replace("10", "5"), &key).await.status, 409);
    assert_eq!(mock.submit("{}", &[]).await.status, 400);
    assert_eq!(
        mock.submit(SORA, &[("x-orux-mock-fault", "500")])
            .await
            .status,
        500
    );
    let stats = stats(&mock).await;
    assert_eq!(
        stats,
        StatsSnapshot {
            tasks_created: 1,
            idempotent_replays: 1,
            rejected_submits: 3,
            ..StatsSnapshot::default()
        }
    );
}
