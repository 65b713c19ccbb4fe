//! Downloads from the mock server, end to end: the client submits, waits
//! and downloads while the mock serves real files with scripted faults.
//! Each case checks the file against the mock's own content (SHA-256), the
//! number of file requests the mock counted, and that no request to the
//! file host carried the key.

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use orux_client::{Client, DownloadError, DownloadOptions, TaskStatusResponse};
use orux_mock::clock::ManualClock;
use orux_mock::{Config, RESULT_MP4, ResultContent, ResultsConfig, Server, StatsSnapshot};

const KEY: &str = "sk-app-download-tests";
const BYTES: u64 = 1_500_000;
const SORA: &[u8] = br#"{"model":"sora2","prompt":"A paper boat on a rainy street"}"#;

struct Mock {
    server: Server,
    clock: ManualClock,
    client: Client,
}

async fn mock(results: ResultsConfig) -> Mock {
    let clock = ManualClock::new(UNIX_EPOCH + Duration::from_secs(1_780_610_400));
    let server = Server::bind(Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        clock: Arc::new(clock.clone()),
        results,
        ..Config::default()
    })
    .await
    .expect("the mock starts");
    let client = Client::builder(KEY)
        .base_url(server.base_url())
        .build()
        .expect("a client");
    Mock {
        server,
        clock,
        client,
    }
}

fn random(faults: &str) -> ResultsConfig {
    ResultsConfig {
        bytes: Some(BYTES),
        download_faults: (!faults.is_empty()).then(|| faults.to_owned()),
        ..ResultsConfig::default()
    }
}

impl Mock {
    /// Submits, lets the task end, reads its status.
    async fn finished(&self) -> TaskStatusResponse {
        let task = self.client.submit_json(SORA).await.expect("submitted");
        self.clock.advance(Duration::from_secs(5));
        self.client.get(&task.task_id).await.expect("status")
    }

    fn content(&self, task: &TaskStatusResponse, index: usize, version: u32) -> ResultContent {
        let ulid: u128 = task.task_id["task_".len()..]
            .parse::<ulid::Ulid>()
            .expect("a mock task id")
            .0;
        ResultContent::of(ulid, index, version, Some(BYTES))
    }

    fn stats(&self) -> StatsSnapshot {
        self.server.stats()
    }
}

/// Downloads the task's results with `script`, and checks the file against
/// version `version` of the content and the count of file requests.
async fn case(script: &str, version: u32, file_requests: u64) {
    let mock = mock(random(script)).await;
    let task = mock.finished().await;
    let dir = tempfile::tempdir().unwrap();
    let files = mock
        .client
        .download_task(&task, dir.path(), &DownloadOptions::default())
        .await
        .unwrap_or_else(|error| panic!("{script}: {error}"));
    assert_eq!(files.len(), 1);
    let file = &files[0];
    assert_eq!(file.path, dir.path().join(format!("{}.bin", task.task_id)));
    let expected = mock.content(&task, 0, version);
    assert_eq!(file.sha256, expected.sha256_hex(), "{script}");
    let on_disk = std::fs::read(&file.path).unwrap();
    assert_eq!(on_disk.len() as u64, BYTES);
    let stats = mock.stats();
    assert_eq!(stats.file_requests, file_requests, "{script}: {stats:?}");
    assert_eq!(
        stats.file_requests_with_authorization, 0,
        "the key stays home"
    );
    assert_eq!(stats.tasks_created, 1);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no .part left"
    );
}

#[tokio::test(start_paused = true)]
async fn an_undisturbed_download_is_one_request() {
    case("", 0, 1).await;
}

#[tokio::test(start_paused = true)]
async fn a_drop_resumes() {
    case("drop=400000", 0, 2).await;
}

#[tokio::test(start_paused = true)]
async fn two_drops_resume_twice() {
    case("drop=400000, drop=1", 0, 3).await;
}

#[tokio::test(start_paused = true)]
async fn a_stall_resumes_after_the_stall_timeout() {
    case("stall=300000", 0, 2).await;
}

#[tokio::test(start_paused = true)]
async fn an_ignored_range_starts_over_on_the_same_request() {
    case("drop=300000, ignore-range", 0, 2).await;
}

#[tokio::test(start_paused = true)]
async fn a_new_etag_gets_the_new_version_whole() {
    case("drop=300000, new-etag", 1, 2).await;
}

#[tokio::test(start_paused = true)]
async fn a_lie_about_the_length_starts_over() {
    // The lie, the resume past the real end (416), the fresh start.
    case("lie-length=4096", 0, 3).await;
}

#[tokio::test(start_paused = true)]
async fn server_errors_are_retried() {
    case("status=503, status=500", 0, 3).await;
}

#[tokio::test(start_paused = true)]
async fn a_host_that_keeps_failing_leaves_a_part_file_that_a_rerun_resumes() {
    let mock = mock(random(
        "drop=500000, status=500, status=500, status=500, status=500, status=500",
    ))
    .await;
    let task = mock.finished().await;
    let dir = tempfile::tempdir().unwrap();
    let error = mock
        .client
        .download_task(&task, dir.path(), &DownloadOptions::default())
        .await
        .expect_err("five failures in a row");
    assert!(
        matches!(error, DownloadError::Network { attempts: 6, .. }),
        "{error:?}"
    );
    assert!(!error.is_local() && error.keeps_partial_file());
    let part = dir.path().join(format!("{}.part", task.task_id));
    assert_eq!(std::fs::metadata(&part).unwrap().len(), 500_000);
    let files = mock
        .client
        .download_task(&task, dir.path(), &DownloadOptions::default())
        .await
        .expect("the rerun resumes");
    assert_eq!(files[0].sha256, mock.content(&task, 0, 0).sha256_hex());
    assert_eq!(mock.stats().file_requests, 7);
    assert_eq!(
        mock.stats().bytes_served,
        BYTES,
        "the rerun fetched only the rest"
    );
}

#[tokio::test(start_paused = true)]
async fn an_expired_url_is_refreshed_from_the_task() {
    let mock = mock(ResultsConfig {
        ttl: Some(Duration::from_secs(60)),
        ..random("drop=700000")
    })
    .await;
    let task = mock.finished().await;
    // The URL in hand expires before the download starts.
    mock.clock.advance(Duration::from_secs(61));
    let dir = tempfile::tempdir().unwrap();
    let files = mock
        .client
        .download_task(&task, dir.path(), &DownloadOptions::default())
        .await
        .expect("refreshed and resumed");
    assert_ne!(files[0].url, task.result_urls[0], "a fresh URL");
    assert_eq!(files[0].sha256, mock.content(&task, 0, 0).sha256_hex());
    // 403, the drop, the resume.
    assert_eq!(mock.stats().file_requests, 3);
    assert_eq!(mock.stats().bytes_served, BYTES);
}

#[tokio::test(start_paused = true)]
async fn every_result_of_a_task_gets_its_own_name_and_content() {
    let mock = mock(ResultsConfig {
        per_task: 3,
        ..random("drop=1000")
    })
    .await;
    let task = mock.finished().await;
    let dir = tempfile::tempdir().unwrap();
    let files = mock
        .client
        .download_task(&task, dir.path(), &DownloadOptions::default())
        .await
        .expect("three files");
    for (index, file) in files.iter().enumerate() {
        let name = format!("{}-{}.bin", task.task_id, index + 1);
        assert_eq!(file.path, dir.path().join(name));
        assert_eq!(file.sha256, mock.content(&task, index, 0).sha256_hex());
    }
    // Each file follows the script on its own: a drop and a resume each.
    assert_eq!(mock.stats().file_requests, 6);
}

#[tokio::test(start_paused = true)]
async fn the_default_result_is_the_mp4() {
    let mock = mock(ResultsConfig::default()).await;
    let task = mock.finished().await;
    let dir = tempfile::tempdir().unwrap();
    let files = mock
        .client
        .download_task(&task, dir.path(), &DownloadOptions::default())
        .await
        .expect("the video");
    assert_eq!(
        files[0].path,
        dir.path().join(format!("{}.mp4", task.task_id))
    );
    assert_eq!(std::fs::read(&files[0].path).unwrap(), RESULT_MP4);
}
