//! Downloads against a hostile file host: every fault ends with a file
//! byte-identical to the version served (by SHA-256), or with an error and
//! no file; the requests per attempt are counted; the key never reaches
//! the file host; nothing from a URL or a task id escapes the directory.

mod file_host;
mod support;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use file_host::{FileHost, Seen, Serve, Version};
use orux_client::download::DEFAULT_STALL_TIMEOUT;
use orux_client::{Client, DownloadError, DownloadOptions, Progress, TaskStatusResponse};
use sha2::{Digest, Sha256};
use support::{KEY, Reply, Server};

const LEN: usize = 300_000;

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A client whose API is on loopback, so that loopback http results are fetched.
fn client_for(base_url: &str) -> Client {
    Client::builder(KEY)
        .base_url(base_url)
        .request_timeout(Duration::from_secs(5))
        .build()
        .expect("client")
}

fn options() -> DownloadOptions {
    DownloadOptions::default()
}

/// Only the target is left in `dir`: no `.part`, no `.part.meta`.
fn only(dir: &Path, names: &[&str]) {
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    let mut names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    names.sort();
    assert_eq!(found, names);
}

/// The file at `path` is exactly `version`'s body, and the result says so.
fn same(path: &Path, file: &orux_client::DownloadedFile, version: &Version) {
    let on_disk = std::fs::read(path).expect("the file");
    assert_eq!(sha256(&on_disk), sha256(&version.body), "byte-identical");
    assert_eq!(file.sha256, sha256(&version.body));
    assert_eq!(file.bytes, version.body.len() as u64);
    assert_eq!(file.path, path);
}

async fn download(
    host: &FileHost,
    dir: &Path,
    options: &DownloadOptions,
) -> Result<orux_client::DownloadedFile, DownloadError> {
    client_for(&host.base_url)
        .download_url(
            &host.url("/v/clip.mp4?sig=secret-token"),
            &dir.join("clip.mp4"),
            options,
        )
        .await
}

#[tokio::test(start_paused = true)]
async fn an_honest_host_takes_one_request_without_the_key() {
    let v = Version::random(1, LEN);
    let host = FileHost::start(vec![v.clone()], |_, _| Serve::Honest(0)).await;
    let dir = tempfile::tempdir().unwrap();
    let file = download(&host, dir.path(), &options())
        .await
        .expect("download");
    same(&dir.path().join("clip.mp4"), &file, &v);
    only(dir.path(), &["clip.mp4"]);
    let seen = host.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].path, "/v/clip.mp4?sig=secret-token");
    assert_eq!(seen[0].header("authorization"), None, "the key stays home");
    assert!(
        seen.iter()
            .all(|s| s.headers.values().all(|v| !v.contains(KEY)))
    );
    assert_eq!(seen[0].header("range"), None);
}

/// Serves `versions` on `script`, downloads `clip.mp4`, checks that it is
/// exactly `versions[expected]` and alone in its directory, and returns the
/// requests the host saw.
async fn scripted(
    versions: Vec<Version>,
    expected: usize,
    script: impl Fn(&Seen, usize) -> Serve + Send + Sync + 'static,
) -> Vec<Seen> {
    let host = FileHost::start(versions.clone(), script).await;
    let dir = tempfile::tempdir().unwrap();
    let file = download(&host, dir.path(), &options())
        .await
        .expect("download");
    same(&dir.path().join("clip.mp4"), &file, &versions[expected]);
    only(dir.path(), &["clip.mp4"]);
    host.seen()
}

#[tokio::test(start_paused = true)]
async fn a_dropped_connection_resumes_with_range_and_if_range() {
    let seen = scripted(vec![Version::random(2, LEN)], 0, |_, n| match n {
        0 => Serve::DropAfter(0, 100_000),
        1 => Serve::DropAfter(0, 50_000),
        _ => Serve::Honest(0),
    })
    .await;
    assert_eq!(seen.len(), 3, "one request per attempt");
    assert_eq!(seen[1].header("range"), Some("bytes=100000-"));
    assert_eq!(seen[1].header("if-range"), Some("\"v2\""));
    assert_eq!(seen[2].header("range"), Some("bytes=150000-"));
}

#[tokio::test(start_paused = true)]
async fn a_stall_is_dropped_after_the_stall_timeout_and_resumed() {
    let started = tokio::time::Instant::now();
    let seen = scripted(vec![Version::random(3, LEN)], 0, |_, n| match n {
        0 => Serve::StallAfter(0, 70_000),
        _ => Serve::Honest(0),
    })
    .await;
    assert!(started.elapsed() >= DEFAULT_STALL_TIMEOUT);
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].header("range"), Some("bytes=70000-"));
}

#[tokio::test(start_paused = true)]
async fn a_host_that_ignores_the_range_starts_the_file_over() {
    let v = Version::random(4, LEN);
    let host = FileHost::start(vec![v.clone()], |_, n| match n {
        0 => Serve::DropAfter(0, 120_000),
        _ => Serve::IgnoreRange(0),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let progress = Arc::new(Mutex::new(Vec::new()));
    let log = progress.clone();
    let options = options().on_progress(move |p: Progress| log.lock().unwrap().push(p.bytes));
    let file = download(&host, dir.path(), &options)
        .await
        .expect("download");
    same(&dir.path().join("clip.mp4"), &file, &v);
    assert_eq!(
        host.gets(),
        2,
        "the 200 itself is the new start: no third request"
    );
    let progress = progress.lock().unwrap();
    assert!(progress.contains(&0) && progress.last() == Some(&(LEN as u64)));
    let restart = progress.iter().rposition(|b| *b == 0).unwrap();
    assert!(
        progress[..restart].contains(&120_000),
        "the bar went back to 0 on the restart"
    );
}

#[tokio::test(start_paused = true)]
async fn a_changed_etag_is_a_new_version_never_spliced() {
    let versions = vec![Version::random(5, LEN), Version::random(6, LEN + 1000)];
    let seen = scripted(versions, 1, |_, n| match n {
        0 => Serve::DropAfter(0, 200_000),
        _ => Serve::Honest(1),
    })
    .await;
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[1].header("if-range"),
        Some("\"v5\""),
        "asked for v5 only"
    );
}

#[tokio::test(start_paused = true)]
async fn last_modified_guards_the_range_when_there_is_no_strong_etag() {
    let mut v = Version::random(7, LEN);
    v.etag = Some("W/\"weak\"".to_owned());
    let seen = scripted(vec![v], 0, |_, n| match n {
        0 => Serve::DropAfter(0, 1000),
        _ => Serve::Honest(0),
    })
    .await;
    assert_eq!(
        seen[1].header("if-range"),
        Some("Wed, 03 Jun 2026 22:00:00 GMT")
    );
}

#[tokio::test(start_paused = true)]
async fn without_any_validator_a_broken_download_starts_over_without_range() {
    let mut v = Version::random(8, LEN);
    v.etag = None;
    v.last_modified = None;
    let seen = scripted(vec![v], 0, |_, n| match n {
        0 => Serve::DropAfter(0, 5000),
        _ => Serve::Honest(0),
    })
    .await;
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].header("range"), None, "no validator, no range");
}

#[tokio::test(start_paused = true)]
async fn a_host_that_lies_about_the_length_once_is_recovered_from() {
    let seen = scripted(vec![Version::random(9, LEN)], 0, |_, n| match n {
        0 => Serve::LongerThanSent(0, 4096),
        _ => Serve::Honest(0),
    })
    .await;
    // The claim was 4096 bytes too long; resuming there is past the end
    // (416), so the file starts over from a fresh 200.
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[1].header("range"), Some(&*format!("bytes={LEN}-")));
    assert_eq!(seen[2].header("range"), None);
}

#[tokio::test(start_paused = true)]
async fn a_host_that_always_lies_about_the_length_ends_in_an_error_and_no_file() {
    let v = Version::random(10, LEN);
    let host = FileHost::start(vec![v], |_, _| Serve::LongerThanSent(0, 10)).await;
    let dir = tempfile::tempdir().unwrap();
    let outcome = download(&host, dir.path(), &options()).await;
    assert!(
        matches!(
            outcome,
            Err(DownloadError::Network { .. } | DownloadError::LengthMismatch { .. })
        ),
        "{outcome:?}"
    );
    assert!(!dir.path().join("clip.mp4").exists());
    assert!(host.gets() <= 1 + 2 * 5, "bounded: {}", host.gets());
}

#[tokio::test(start_paused = true)]
async fn a_range_that_does_not_continue_the_file_starts_it_over() {
    let seen = scripted(vec![Version::random(11, LEN)], 0, |_, n| match n {
        0 => Serve::DropAfter(0, 9000),
        1 => Serve::WrongRange(0),
        _ => Serve::Honest(0),
    })
    .await;
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[2].header("range"), None, "started over from byte 0");
}

#[tokio::test(start_paused = true)]
async fn chunked_bodies_without_a_length_are_fine() {
    let seen = scripted(vec![Version::random(12, LEN)], 0, |_, _| Serve::Chunked(0)).await;
    assert_eq!(seen.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn an_endless_body_stops_at_the_cap_and_leaves_nothing() {
    let host = FileHost::start(Vec::new(), |_, _| Serve::Endless).await;
    let dir = tempfile::tempdir().unwrap();
    let mut options = options();
    options.max_bytes = 1_000_000;
    let outcome = download(&host, dir.path(), &options).await;
    assert!(
        matches!(
            outcome,
            Err(DownloadError::TooLarge {
                limit: 1_000_000,
                declared: None,
                ..
            })
        ),
        "{outcome:?}"
    );
    only(dir.path(), &[]);
}

#[tokio::test(start_paused = true)]
async fn a_declared_length_over_the_cap_is_refused_before_any_byte() {
    let v = Version::random(13, LEN);
    let host = FileHost::start(vec![v], |_, _| Serve::Honest(0)).await;
    let dir = tempfile::tempdir().unwrap();
    let mut options = options();
    options.max_bytes = 1000;
    let outcome = download(&host, dir.path(), &options).await;
    assert!(
        matches!(outcome, Err(DownloadError::TooLarge { declared: Some(d), .. }) if d == LEN as u64),
        "{outcome:?}"
    );
    assert!(!dir.path().join("clip.mp4").exists());
}

#[tokio::test(start_paused = true)]
async fn server_errors_are_retried_with_backoff_then_given_up() {
    let v = Version::random(14, LEN);
    let host = FileHost::start(vec![v.clone()], |_, n| match n {
        0 => Serve::Status(503, vec![("retry-after".into(), "7".into())]),
        1 => Serve::Status(500, Vec::new()),
        _ => Serve::Honest(0),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let started = tokio::time::Instant::now();
    let file = download(&host, dir.path(), &options())
        .await
        .expect("download");
    same(&dir.path().join("clip.mp4"), &file, &v);
    assert_eq!(host.gets(), 3);
    assert!(
        started.elapsed() >= Duration::from_secs(7),
        "Retry-After obeyed"
    );

    let host = FileHost::start(Vec::new(), |_, _| Serve::Status(502, Vec::new())).await;
    let dir = tempfile::tempdir().unwrap();
    let outcome = download(&host, dir.path(), &options()).await;
    assert!(
        matches!(&outcome, Err(DownloadError::Network { attempts: 5, last, .. }) if last.contains("502")),
        "{outcome:?}"
    );
    assert_eq!(host.gets(), 5);
}

#[tokio::test(start_paused = true)]
async fn a_failed_download_is_resumed_by_the_next_call() {
    let v = Version::random(15, LEN);
    let host = FileHost::start(vec![v.clone()], |_, n| match n {
        0 => Serve::DropAfter(0, 123_456),
        1..=2 => Serve::Status(500, Vec::new()),
        _ => Serve::Honest(0),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let mut first = options();
    first.max_attempts = 2;
    let outcome = download(&host, dir.path(), &first).await;
    assert!(
        matches!(outcome, Err(DownloadError::Network { .. })),
        "{outcome:?}"
    );
    assert!(outcome.as_ref().unwrap_err().keeps_partial_file());
    only(dir.path(), &["clip.mp4.part", "clip.mp4.part.meta"]);
    let file = download(&host, dir.path(), &options())
        .await
        .expect("resumed");
    same(&dir.path().join("clip.mp4"), &file, &v);
    let seen = host.seen();
    assert_eq!(seen.len(), 4);
    assert_eq!(seen[3].header("range"), Some("bytes=123456-"));
    assert_eq!(seen[3].header("if-range"), Some("\"v15\""));
    only(dir.path(), &["clip.mp4"]);
}

#[tokio::test(start_paused = true)]
async fn an_existing_file_is_kept_and_nothing_is_requested() {
    let v = Version::random(16, LEN);
    let host = FileHost::start(vec![v.clone()], |_, _| Serve::Honest(0)).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("clip.mp4"), b"mine").unwrap();
    let outcome = download(&host, dir.path(), &options()).await;
    assert!(
        matches!(&outcome, Err(e @ DownloadError::Exists { .. }) if e.is_local()),
        "{outcome:?}"
    );
    assert_eq!(host.gets(), 0);
    assert_eq!(std::fs::read(dir.path().join("clip.mp4")).unwrap(), b"mine");
    let file = download(&host, dir.path(), &options().overwrite(true))
        .await
        .expect("overwritten when asked");
    same(&dir.path().join("clip.mp4"), &file, &v);
}

#[tokio::test(start_paused = true)]
async fn urls_we_do_not_fetch_are_refused_before_any_request() {
    let host = FileHost::start(Vec::new(), |_, _| Serve::Endless).await;
    let dir = tempfile::tempdir().unwrap();
    let api_on_the_internet = Client::builder(KEY).build().unwrap();
    let port = host.base_url.rsplit(':').next().unwrap().to_owned();
    for (client, url) in [
        (&api_on_the_internet, host.url("/x.mp4")),
        (
            &client_for(&host.base_url),
            "http://example.com/x.mp4".to_owned(),
        ),
        (
            &client_for(&host.base_url),
            "ftp://127.0.0.1/x.mp4".to_owned(),
        ),
        (
            &client_for(&host.base_url),
            format!("http://user:pw@127.0.0.1:{port}/x.mp4"),
        ),
        (&client_for(&host.base_url), "not a url".to_owned()),
    ] {
        let outcome = client
            .download_url(&url, &dir.path().join("x.mp4"), &options())
            .await;
        assert!(
            matches!(outcome, Err(DownloadError::UrlRefused { .. })),
            "{url}: {outcome:?}"
        );
    }
    assert_eq!(host.gets(), 0);
    only(dir.path(), &[]);
}

#[tokio::test(start_paused = true)]
async fn an_unwritable_directory_is_a_local_error_naming_the_path() {
    let v = Version::random(17, 100);
    let host = FileHost::start(vec![v], |_, _| Serve::Honest(0)).await;
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, b"").unwrap();
    let outcome = client_for(&host.base_url)
        .download_url(
            &host.url("/x.mp4"),
            &blocker.join("sub").join("x.mp4"),
            &options(),
        )
        .await;
    let error = outcome.expect_err("cannot create a directory under a file");
    assert!(error.is_local(), "{error:?}");
    assert!(
        error.to_string().contains(&blocker.display().to_string()),
        "{error}"
    );
    assert_eq!(host.gets(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_disk_without_room_for_the_declared_length_is_a_local_error_before_writing() {
    let v = Version::random(20, LEN);
    let host = FileHost::start(vec![v], |_, _| Serve::Honest(0)).await;
    let dir = tempfile::tempdir().unwrap();
    let mut options = options();
    options.min_free_bytes = u64::MAX / 4;
    let error = download(&host, dir.path(), &options)
        .await
        .expect_err("no room");
    assert!(
        matches!(&error, DownloadError::NoSpace { needed: Some(n), .. } if *n == LEN as u64),
        "{error:?}"
    );
    assert!(error.is_local());
    assert!(
        error
            .to_string()
            .contains(&dir.path().display().to_string()),
        "{error}"
    );
    assert!(!dir.path().join("clip.mp4").exists());
}

/// A task status whose result URLs point at the file host.
fn task(task_id: &str, urls: &[String]) -> String {
    serde_json::json!({
        "task_id": task_id, "status": "success", "result_urls": urls, "duration_sec": 5
    })
    .to_string()
}

#[tokio::test(start_paused = true)]
async fn an_expired_url_is_refreshed_from_the_task_and_resumed() {
    let v = Version::random(18, LEN);
    // The first URL works until the connection drops, then has expired.
    let expiring = FileHost::start(vec![v.clone()], |_, n| match n {
        0 => Serve::DropAfter(0, 77_777),
        _ => Serve::Status(403, Vec::new()),
    })
    .await;
    let host = FileHost::start(vec![v.clone()], |_, _| Serve::Honest(0)).await;
    let fresh = host.url("/r/1.mp4?token=new");
    let api =
        Server::start(move |_, _| Reply::json(200, &task("task_1", std::slice::from_ref(&fresh))))
            .await;
    let status: TaskStatusResponse =
        serde_json::from_str(&task("task_1", &[expiring.url("/r/1.mp4?token=first")])).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let files = client_for(&api.base_url)
        .download_task(&status, dir.path(), &options())
        .await
        .expect("download");
    assert_eq!(files.len(), 1);
    same(&dir.path().join("task_1.mp4"), &files[0], &v);
    assert_eq!(files[0].url, host.url("/r/1.mp4?token=new"));
    assert_eq!(expiring.gets(), 2);
    assert_eq!(api.count("GET"), 1, "one refresh");
    assert_eq!(host.gets(), 1);
    let resumed = &host.seen()[0];
    assert_eq!(
        resumed.header("range"),
        Some("bytes=77777-"),
        "same content: resumed"
    );
    assert_eq!(resumed.header("if-range"), Some("\"v18\""));
    for seen in host.seen().iter().chain(expiring.seen().iter()) {
        assert_eq!(seen.header("authorization"), None, "the key stays home");
    }
    assert!(api.seen().iter().all(|s| {
        s.headers
            .get("authorization")
            .is_some_and(|a| a.contains(KEY))
    }));
}

#[tokio::test(start_paused = true)]
async fn a_url_that_stays_expired_says_it_was_refreshed() {
    let host = FileHost::start(Vec::new(), |_, _| Serve::Status(410, Vec::new())).await;
    let url = host.url("/gone.mp4?token=x");
    let api_url = url.clone();
    let api = Server::start(move |_, _| {
        Reply::json(200, &task("task_2", std::slice::from_ref(&api_url)))
    })
    .await;
    let status: TaskStatusResponse = serde_json::from_str(&task("task_2", &[url])).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let outcome = client_for(&api.base_url)
        .download_task(&status, dir.path(), &options())
        .await;
    let error = outcome.expect_err("still gone");
    assert!(
        matches!(
            error,
            DownloadError::Expired {
                status: 410,
                refreshed: true,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("fresh URL"), "{error}");
    assert!(
        !error.to_string().contains("token=x"),
        "no capability in messages: {error}"
    );
    assert_eq!(
        api.count("GET"),
        orux_client::download::MAX_REFRESHES as usize
    );

    // A bare URL has no task to refresh from.
    let error = client_for(&host.base_url)
        .download_url(
            &host.url("/gone.mp4"),
            &dir.path().join("g.mp4"),
            &options(),
        )
        .await
        .expect_err("gone");
    assert!(
        matches!(
            error,
            DownloadError::Expired {
                refreshed: false,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn names_are_ours_whatever_the_urls_and_the_task_id_say() {
    let v = Version::random(19, 1000);
    let mut untyped = v.clone();
    untyped.content_type = Some("application/octet-stream".to_owned());
    let host = FileHost::start(vec![v.clone(), untyped.clone()], |seen, _| {
        if seen.path.contains("untyped") {
            Serve::Honest(1)
        } else {
            Serve::Honest(0)
        }
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let urls = [
        host.url("/..%2F..%2Fescape.mp4"),
        host.url("/a/../../b/untyped/evil.exe"),
        host.url("/untyped/clip.WEBM?x=../../y"),
        host.url("/%2e%2e/CON?untyped"),
        host.url(&format!("/untyped/{}", "n".repeat(300))),
    ];
    let status: TaskStatusResponse =
        serde_json::from_str(&task("../../etc/\u{1b}[31mpasswd", &urls)).unwrap();
    let files = client_for(&host.base_url)
        .download_task(&status, &out, &options())
        .await
        .expect("download");
    let names: Vec<String> = files
        .iter()
        .map(|f| {
            f.path
                .strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        names,
        [
            "______etc___31mpasswd-1.mp4",
            "______etc___31mpasswd-2.bin",
            "______etc___31mpasswd-3.webm",
            "______etc___31mpasswd-4.bin",
            "______etc___31mpasswd-5.bin",
        ]
    );
    for file in &files {
        assert_eq!(file.path.parent(), Some(out.as_path()));
    }
    only(dir.path(), &["out"]);
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 5);
}

#[tokio::test(start_paused = true)]
async fn a_task_without_results_has_nothing_to_download() {
    let status: TaskStatusResponse =
        serde_json::from_str(r#"{"task_id":"t","status":"failed"}"#).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let outcome = client_for("http://127.0.0.1:9")
        .download_task(&status, dir.path(), &options())
        .await;
    assert!(
        matches!(outcome, Err(DownloadError::NoResults { .. })),
        "{outcome:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn redirects_are_followed_a_few_hops_to_allowed_hosts_without_the_key() {
    let v = Version::random(21, LEN);
    // /a → /b → /c (a relative Location) → the file; a drop on the way, and
    // the resume goes through the same hops with its range.
    let host = FileHost::start(vec![v.clone()], |seen, _| {
        match seen.path.split('?').next().unwrap_or_default() {
            "/a" => Serve::Redirect(302, "/b".to_owned()),
            "/b" => Serve::Redirect(307, "c".to_owned()),
            _ if seen.header("range").is_none() => Serve::DropAfter(0, 50_000),
            _ => Serve::Honest(0),
        }
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = client_for(&host.base_url)
        .download_url(
            &host.url("/a?sig=s"),
            &dir.path().join("clip.mp4"),
            &options(),
        )
        .await
        .expect("download");
    same(&dir.path().join("clip.mp4"), &file, &v);
    let seen = host.seen();
    let paths: Vec<&str> = seen.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(paths, ["/a?sig=s", "/b", "/c", "/a?sig=s", "/b", "/c"]);
    assert_eq!(seen[5].header("range"), Some("bytes=50000-"));
    assert!(seen.iter().all(|s| s.header("authorization").is_none()));
}

#[tokio::test(start_paused = true)]
async fn redirects_the_policy_refuses_end_the_download_and_name_the_reason() {
    let cases = [
        ("http://example.com/x.mp4", "only https"),
        ("https://user:pw@example.com/x.mp4", "credentials"),
        ("ftp://127.0.0.1/x.mp4", "only https"),
    ];
    for (location, reason) in cases {
        let to = location.to_owned();
        let host = FileHost::start(Vec::new(), move |_, _| Serve::Redirect(302, to.clone())).await;
        let dir = tempfile::tempdir().unwrap();
        let error = client_for(&host.base_url)
            .download_url(&host.url("/x"), &dir.path().join("x.mp4"), &options())
            .await
            .expect_err(location);
        assert!(
            matches!(&error, DownloadError::UrlRefused { reason: r, .. } if r.contains(reason)),
            "{location}: {error:?}"
        );
        assert_eq!(host.gets(), 1, "{location}");
    }
    // An endless chain stops after a few hops.
    let host = FileHost::start(Vec::new(), |seen, _| {
        let n: u32 = seen.path.trim_start_matches("/hop").parse().unwrap_or(0);
        Serve::Redirect(301, format!("/hop{}", n + 1))
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let error = client_for(&host.base_url)
        .download_url(&host.url("/hop0"), &dir.path().join("x.mp4"), &options())
        .await
        .expect_err("too many");
    assert!(error.to_string().contains("too many redirects"), "{error}");
    assert_eq!(host.gets(), 1 + orux_client::redirect::MAX_REDIRECTS);
}
