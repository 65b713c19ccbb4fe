//! The runner against the mock server, in the test's runtime on paused
//! time: outcomes mixed in, the in-flight bound, back-pressure on 429,
//! interrupts and reruns, budgets and unknown outcomes.

mod support;

use std::collections::HashSet;
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use orux_batch::journal::Journal;
use orux_batch::journal::writer::{self, Change};
use orux_batch::manifest::Manifest;
use orux_batch::state::State;
use orux_batch::summary::{Stop, Verdict};
use orux_batch::{Batch, Finished, Options};
use orux_mock::Config;
use orux_mock::outcomes::{Outcome, PromptRule, RateLimit, Script};
use support::{Recorder, RequestLog, Seen};
use tokio_util::sync::CancellationToken;

fn options(concurrency: usize) -> Options {
    Options {
        concurrency: NonZeroUsize::new(concurrency).unwrap(),
        ..Options::default()
    }
}

fn manifest(text: &str) -> Manifest {
    Manifest::read_json_lines(text.as_bytes()).expect("reads")
}

async fn run(
    journal: &Path,
    manifest: &Manifest,
    server: &orux_mock::Server,
    options: Options,
    recorder: &Arc<Recorder>,
    stop: CancellationToken,
) -> Finished {
    let batch = Batch::open(journal, manifest, "m.jsonl", &server.base_url(), options)
        .expect("the batch opens");
    batch
        .run(&support::client(server), recorder.clone(), stop)
        .await
        .expect("the run ends")
}

fn task_ids(finished: &Finished) -> Vec<String> {
    finished
        .journal
        .rows()
        .unwrap()
        .into_iter()
        .filter_map(|row| row.task_id)
        .collect()
}

/// Fails unless every row of the run ended done.
fn assert_done(finished: &Finished) {
    assert_eq!(
        finished.summary.verdict(),
        Verdict::Done,
        "{:?}",
        finished.summary
    );
}

#[tokio::test(start_paused = true)]
async fn failed_and_expired_rows_are_recorded_and_their_siblings_finish_within_the_bound() {
    let (log, _guard) = RequestLog::capture();
    let server = support::mock(Config {
        task_duration: Duration::from_secs(2),
        outcomes: Script {
            prompt_rules: vec![
                PromptRule {
                    outcome: Outcome::Failed,
                    text: "#fail".to_owned(),
                },
                PromptRule {
                    outcome: Outcome::Expired,
                    text: "#late".to_owned(),
                },
            ],
            ..Script::default()
        },
        ..Config::default()
    })
    .await;
    let text = support::jsonl(24, |i| match i % 8 {
        3 => " #fail",
        6 => " #late",
        _ => "",
    });
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.sqlite");
    let recorder = Arc::new(Recorder::default());
    let finished = run(
        &journal,
        &manifest(&text),
        &server,
        options(4),
        &recorder,
        CancellationToken::new(),
    )
    .await;
    let summary = &finished.summary;
    assert_eq!(summary.counts.get(State::Succeeded), 18, "{summary:?}");
    assert_eq!(summary.counts.get(State::Failed), 6, "{summary:?}");
    assert_eq!(summary.verdict(), Verdict::RowsFailed);
    assert_eq!(summary.submitted, 24);
    let rows = finished.journal.rows().unwrap();
    let expired: Vec<u64> = rows
        .iter()
        .filter(|r| r.error.as_ref().is_some_and(|e| e.code == "expired"))
        .map(|r| r.line)
        .collect();
    assert_eq!(expired, [7, 15, 23]);
    // One POST per row, and each row its own task.
    assert_eq!(log.posts().len(), 24);
    assert_eq!(
        task_ids(&finished)
            .into_iter()
            .collect::<HashSet<_>>()
            .len(),
        24
    );
    // At most 4 tasks in flight: when any task is created, at most 3 others
    // created in the 2 s before it (a task's length) have not ended yet;
    // and the bound is reached.
    let created: Vec<_> = log
        .posts()
        .into_iter()
        .filter(|p| p.status == 200)
        .collect();
    let most = created
        .iter()
        .map(|post| {
            created
                .iter()
                .filter(|other| other.at <= post.at && other.at + Duration::from_secs(2) > post.at)
                .count()
        })
        .max();
    assert_eq!(most, Some(4));
}

#[tokio::test(start_paused = true)]
async fn a_429_pauses_every_submitter_and_nothing_is_submitted_twice() {
    let (log, _guard) = RequestLog::capture();
    let server = support::mock(Config {
        task_duration: Duration::from_secs(2),
        outcomes: Script {
            rate_limit: Some(RateLimit {
                share: 0.25,
                retry_after: 10,
            }),
            ..Script::default()
        },
        ..Config::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let recorder = Arc::new(Recorder::default());
    let finished = run(
        &dir.path().join("j.sqlite"),
        &manifest(&support::jsonl(32, |_| "")),
        &server,
        options(8),
        &recorder,
        CancellationToken::new(),
    )
    .await;
    assert_done(&finished);
    assert_eq!(finished.summary.counts.get(State::Succeeded), 32);
    let posts = log.posts();
    let refused: Vec<_> = posts.iter().filter(|p| p.status == 429).collect();
    let created: Vec<_> = posts.iter().filter(|p| p.status == 200).collect();
    assert!(refused.len() >= 8, "{} refused", refused.len());
    assert_eq!(created.len(), 32, "one task per row");
    assert_eq!(
        task_ids(&finished)
            .into_iter()
            .collect::<HashSet<_>>()
            .len(),
        32
    );
    // After each 429, no POST reached the server for its 10 seconds:
    // every submitter waited, not only the one told. (The first second
    // is left out: a POST already on its way when the 429 was answered
    // may arrive a moment later, as test time moves on while it travels.)
    for no in &refused {
        let early: Vec<_> = posts
            .iter()
            .filter(|p| {
                p.at > no.at + Duration::from_secs(1) && p.at < no.at + Duration::from_secs(10)
            })
            .collect();
        assert!(early.is_empty(), "sent during a hold: {early:?}");
    }
    assert!(
        recorder
            .seen()
            .iter()
            .any(|(_, seen)| matches!(seen, Seen::Held(wait) if *wait > Duration::from_secs(9))),
        "the hold was reported"
    );
}

#[tokio::test(start_paused = true)]
async fn an_interrupted_run_resumes_without_submitting_anything_twice() {
    let (log, _guard) = RequestLog::capture();
    let server = support::mock(Config {
        task_duration: Duration::from_secs(5),
        ..Config::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.sqlite");
    let manifest = manifest(&support::jsonl(20, |_| ""));
    let recorder = Arc::new(Recorder::default());
    let stop = CancellationToken::new();
    let stopper = {
        let stop = stop.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(5500)).await;
            stop.cancel();
        })
    };
    let first = run(&journal, &manifest, &server, options(6), &recorder, stop).await;
    stopper.await.unwrap();
    assert_eq!(first.summary.verdict(), Verdict::Interrupted);
    assert_eq!(first.summary.stop, Some(Stop::Interrupted));
    let counts = first.summary.counts;
    assert!(counts.get(State::Pending) > 0, "{counts:?}");
    assert!(counts.get(State::Submitted) > 0, "{counts:?}");
    assert_eq!(
        counts.get(State::Submitting),
        0,
        "every POST sent was recorded"
    );
    drop(first);

    let second = run(
        &journal,
        &manifest,
        &server,
        options(6),
        &recorder,
        CancellationToken::new(),
    )
    .await;
    assert_done(&second);
    assert_eq!(second.summary.counts.get(State::Succeeded), 20);
    assert_eq!(log.posts().len(), 20, "no row was submitted twice");
}

#[tokio::test(start_paused = true)]
async fn max_submits_is_a_ceiling_per_run() {
    let (log, _guard) = RequestLog::capture();
    let server = support::mock(Config {
        task_duration: Duration::from_secs(1),
        ..Config::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.sqlite");
    let manifest = manifest(&support::jsonl(10, |_| ""));
    let recorder = Arc::new(Recorder::default());
    let budget = Options {
        max_submits: Some(4),
        ..options(3)
    };
    let first = run(
        &journal,
        &manifest,
        &server,
        budget.clone(),
        &recorder,
        CancellationToken::new(),
    )
    .await;
    assert_eq!(first.summary.submitted, 4);
    assert_eq!(first.summary.counts.get(State::Succeeded), 4);
    assert_eq!(first.summary.counts.get(State::Pending), 6);
    assert_eq!(first.summary.stop, Some(Stop::Budget { max_submits: 4 }));
    assert_eq!(first.summary.verdict(), Verdict::Unsettled);
    drop(first);
    let second = run(
        &journal,
        &manifest,
        &server,
        budget,
        &recorder,
        CancellationToken::new(),
    )
    .await;
    assert_eq!(second.summary.submitted, 4);
    assert_eq!(second.summary.counts.get(State::Succeeded), 8);
    assert_eq!(log.posts().len(), 8);
}

#[tokio::test(start_paused = true)]
async fn an_unknown_outcome_is_resubmitted_only_when_asked_and_then_with_its_key() {
    let (log, _guard) = RequestLog::capture();
    let server = support::mock(Config {
        task_duration: Duration::from_secs(1),
        ..Config::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    let manifest = manifest(&support::jsonl(3, |_| ""));
    let client = support::client(&server);
    // A run that died between its POST and recording the answer: the key
    // is in the journal, the task exists on the server.
    let mut journal = Journal::open_for_run(&path).unwrap();
    journal
        .reconcile(&manifest, "m.jsonl", &server.base_url())
        .unwrap();
    let row = journal.rows().unwrap()[1].clone();
    let body = &manifest.rows()[1].body;
    let (writer, done) = writer::start(journal);
    writer
        .commit(Change::Submitting {
            row: row.id,
            idempotency_key: "key-of-row-2".to_owned(),
            body_sha256: orux_batch::identity::sha256_hex(body),
        })
        .await
        .unwrap();
    drop(writer);
    drop(done.await.unwrap().unwrap());
    let first_task = client
        .submit_json_with_key(body, "key-of-row-2")
        .await
        .expect("the lost submit")
        .task_id;

    let recorder = Arc::new(Recorder::default());
    let plain = run(
        &path,
        &manifest,
        &server,
        options(2),
        &recorder,
        CancellationToken::new(),
    )
    .await;
    assert_eq!(plain.summary.counts.get(State::Unknown), 1);
    assert_eq!(plain.summary.counts.get(State::Succeeded), 2);
    assert_eq!(plain.summary.verdict(), Verdict::Unsettled);
    let unknown = plain.journal.rows().unwrap()[1].clone();
    assert_eq!(unknown.state, State::Unknown);
    assert_eq!(unknown.idempotency_key.as_deref(), Some("key-of-row-2"));
    assert_eq!(log.posts().len(), 3, "the unknown row was not sent again");
    drop(plain);

    let resubmit = Options {
        resubmit_unknown: true,
        ..options(2)
    };
    let again = run(
        &path,
        &manifest,
        &server,
        resubmit,
        &recorder,
        CancellationToken::new(),
    )
    .await;
    assert_done(&again);
    let row = again.journal.rows().unwrap()[1].clone();
    assert_eq!(
        row.task_id.as_deref(),
        Some(first_task.as_str()),
        "the same task"
    );
    assert_eq!(row.submits, 2);
}

#[tokio::test(start_paused = true)]
async fn files_are_recorded_with_their_hash_and_a_changed_one_is_fetched_again() {
    let server = support::mock(Config {
        task_duration: Duration::from_secs(1),
        results: orux_mock::ResultsConfig {
            per_task: 2,
            download_faults: Some("drop=100".to_owned()),
            ..orux_mock::ResultsConfig::default()
        },
        ..Config::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let journal = dir.path().join("j.sqlite");
    let manifest = manifest(&support::jsonl(4, |_| ""));
    let recorder = Arc::new(Recorder::default());
    let downloading = Options {
        download_dir: Some(out.clone()),
        ..options(2)
    };
    let first = run(
        &journal,
        &manifest,
        &server,
        downloading.clone(),
        &recorder,
        CancellationToken::new(),
    )
    .await;
    assert_done(&first);
    let rows = first.journal.rows().unwrap();
    for row in &rows {
        assert_eq!(row.state, State::Downloaded);
        let task_id = row.task_id.as_deref().unwrap();
        let names: Vec<&str> = row.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            names,
            [format!("{task_id}-1.mp4"), format!("{task_id}-2.mp4")]
        );
        for file in &row.files {
            let path = out.join(&file.path);
            assert_eq!(orux_batch::files::sha256_of(&path).unwrap(), file.sha256);
            assert_eq!(std::fs::metadata(&path).unwrap().len(), file.bytes);
        }
    }
    drop(first);
    // One file changed, one removed: only those two are fetched again.
    let changed = out.join(&rows[0].files[1].path);
    let mut bytes = std::fs::read(&changed).unwrap();
    bytes[0] ^= 1;
    std::fs::write(&changed, bytes).unwrap();
    std::fs::remove_file(out.join(&rows[2].files[0].path)).unwrap();
    let requests_before = server.stats().file_requests;
    let second = run(
        &journal,
        &manifest,
        &server,
        downloading,
        &recorder,
        CancellationToken::new(),
    )
    .await;
    assert_done(&second);
    let again = second.journal.rows().unwrap();
    assert_eq!(again[0].files, rows[0].files, "the same content again");
    assert!(orux_batch::files::all_intact(&out, &again[0].files));
    assert!(orux_batch::files::all_intact(&out, &again[2].files));
    // Rows 1 and 3: both of their files again (a row is downloaded whole).
    let fetched = server.stats().file_requests - requests_before;
    assert!((4..=8).contains(&fetched), "{fetched} file requests");
    assert_eq!(server.stats().tasks_created, 4);
}
