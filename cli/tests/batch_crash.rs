//! `orux batch` killed (SIGKILL) at seeded random moments over one batch,
//! then resumed until done; and stopped by one or two SIGINTs.
//!
//! The mock holds back every submit's answer a little
//! (`--submit-answer-delay`), so that kills land while POSTs are in
//! flight: those rows' outcomes are unknown to the next run.
//!
//! `ORUX_BATCH_KILL_SEED` picks another seed (a failure prints the one it
//! used); `ORUX_BATCH_KILLS` more kills per batch (default 8).

#![cfg(all(feature = "batch", feature = "mock", unix))]

mod batch_common;
mod support;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use batch_common::{BatchDir, MockProcess, code, count, jsonl, text};

const ROWS: usize = 24;

fn seed() -> u64 {
    std::env::var("ORUX_BATCH_KILL_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or(0x0B47_C4ED)
}

fn kills() -> usize {
    std::env::var("ORUX_BATCH_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(8)
}

/// A run's standard error, line by line, as it comes.
fn lines_of(child: &mut Child) -> mpsc::Receiver<String> {
    let stderr = child.stderr.take().expect("piped");
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

/// Waits for a line containing `needle` (at most a minute); false if the
/// run ended first.
fn wait_for(lines: &mpsc::Receiver<String>, needle: &str) -> bool {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
        match lines.recv_timeout(left) {
            Ok(line) if line.contains(needle) => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    false
}

/// Runs the batch `kills()` times, each killed with SIGKILL: half of the
/// kills right after a row started its submit (its POST is surely in
/// flight: the mock answers after 300 ms), half at a random moment.
/// Returns how many rows the runs found cut off mid-submit.
fn kill_repeatedly(
    batch: &BatchDir,
    mock: &MockProcess,
    args: &[&str],
    rng: &mut fastrand::Rng,
) -> u64 {
    let mut interrupted = 0;
    for round in 0..kills() {
        let mut child = batch
            .command(mock, args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("orux batch runs");
        let lines = lines_of(&mut child);
        if round % 2 == 0 {
            let nth = rng.usize(1..=4);
            for _ in 0..nth {
                if !wait_for(&lines, ": submitting") {
                    break;
                }
            }
            std::thread::sleep(Duration::from_millis(rng.u64(0..200)));
        } else {
            std::thread::sleep(Duration::from_millis(rng.u64(20..2500)));
        }
        let _ = child.kill();
        let _ = child.wait();
        interrupted += lines
            .try_iter()
            .filter_map(|line| {
                line.strip_prefix("journal: ")?
                    .split_once(" row(s) were cut off mid-submit")
                    .and_then(|(n, _)| n.parse::<u64>().ok())
            })
            .sum::<u64>();
    }
    interrupted
}

/// The manifest's body of each line.
fn bodies(manifest: &str) -> HashMap<u64, String> {
    manifest
        .lines()
        .enumerate()
        .map(|(i, line)| (i as u64 + 1, line.to_owned()))
        .collect()
}

#[test]
fn killed_at_random_and_resumed_with_resubmit_unknown_every_row_has_exactly_one_task() {
    let seed = seed();
    let mut rng = fastrand::Rng::with_seed(seed);
    let mock = MockProcess::start(&["--task-seconds", "1", "--submit-answer-delay", "0.3"]);
    let batch = BatchDir::new("m.jsonl", &jsonl(ROWS, |_| ""));
    let args = ["--concurrency", "6", "--resubmit-unknown"];
    let interrupted = kill_repeatedly(&batch, &mock, &args, &mut rng);
    let mut last = None;
    for _ in 0..3 {
        let output = batch.run(&mock, &args);
        let done = code(&output) == 0;
        last = Some(output);
        if done {
            break;
        }
    }
    let last = last.expect("a final run");
    assert_eq!(code(&last), 0, "seed {seed}: {}", text(&last.stderr));
    let status = batch.status();
    assert_eq!(
        count(&status, "downloaded"),
        ROWS as u64,
        "seed {seed}: {status}"
    );
    let stats = mock.stats();
    assert_eq!(
        stats["tasks_created"], ROWS,
        "seed {seed}: exactly one task per row: {stats}"
    );
    let results = batch.results();
    let task_ids: std::collections::HashSet<&str> = results
        .iter()
        .map(|row| row["task_id"].as_str().expect("a task"))
        .collect();
    assert_eq!(task_ids.len(), ROWS, "seed {seed}");
    // Every file on disk is the one recorded: its size and SHA-256.
    let files: Vec<&serde_json::Value> = results
        .iter()
        .flat_map(|row| row["files"].as_array().expect("files"))
        .collect();
    assert_eq!(files.len(), ROWS, "seed {seed}: one file per row");
    let paths: Vec<std::path::PathBuf> = files
        .iter()
        .map(|file| batch.out.join(file["path"].as_str().expect("a path")))
        .collect();
    let digests = batch_common::sha256_of_files(&paths);
    for ((file, path), digest) in files.iter().zip(&paths).zip(&digests) {
        let size = std::fs::metadata(path).expect("the file exists").len();
        assert_eq!(file["bytes"].as_u64(), Some(size), "seed {seed}: {file}");
        assert_eq!(
            file["sha256"].as_str(),
            Some(digest.as_str()),
            "seed {seed}: {file}"
        );
    }
    // The runs did meet submits cut off mid-flight, and resolved them.
    assert!(interrupted > 0, "seed {seed}: no kill landed mid-submit");
}

#[test]
fn killed_at_random_without_resubmit_unknown_rows_caught_mid_submit_stay_unknown_never_doubled() {
    let seed = seed() ^ 0x5A5A;
    let mut rng = fastrand::Rng::with_seed(seed);
    let mock = MockProcess::start(&["--task-seconds", "1", "--submit-answer-delay", "0.3"]);
    let manifest = jsonl(ROWS, |_| "");
    let batch = BatchDir::new("m.jsonl", &manifest);
    let args = ["--concurrency", "6"];
    kill_repeatedly(&batch, &mock, &args, &mut rng);
    let output = batch.run(&mock, &args);
    let summary_status = batch.status();
    let unknown = count(&summary_status, "unknown");
    assert!(unknown > 0, "seed {seed}: no row was caught mid-submit");
    assert_eq!(code(&output), 3, "seed {seed}: {}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("unknown, Idempotency-Key "), "{stdout}");
    assert_eq!(
        count(&summary_status, "downloaded") + unknown,
        ROWS as u64,
        "seed {seed}: {summary_status}"
    );
    // None was sent again: each unknown row has at most the one task its
    // cut-off POST may have made. Probe each with its own key: a replay
    // means the POST had created it; a new task means it had not. Either
    // way every row now has exactly one task.
    let created = mock.tasks_created();
    assert!(
        created <= ROWS as u64,
        "seed {seed}: {created} tasks for {ROWS} rows"
    );
    let bodies = bodies(&manifest);
    let mut made_by_probe = 0;
    for row in batch.results() {
        if row["status"] != "unknown" {
            continue;
        }
        let line = row["line"].as_u64().unwrap();
        let key = row["idempotency_key"].as_str().expect("a key");
        let answer = mock.post(&bodies[&line], Some(key));
        assert_eq!(answer.status, 200, "{}", answer.body);
        if !answer.head.contains("idempotent-replayed") {
            made_by_probe += 1;
        }
    }
    assert_eq!(
        mock.tasks_created(),
        ROWS as u64,
        "seed {seed}: one task per row ({created} before the probes, {made_by_probe} made by them)"
    );
}

#[test]
fn one_sigint_finishes_what_is_in_flight_and_the_same_command_resumes() {
    let mock = MockProcess::start(&["--task-seconds", "3"]);
    let batch = BatchDir::new("m.jsonl", &jsonl(12, |_| ""));
    let mut child = batch
        .command(&mock, &["--concurrency", "4"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = lines_of(&mut child);
    for _ in 0..4 {
        assert!(wait_for(&lines, ": submitted"), "rows were submitted");
    }
    batch_common::signal(&child, "INT");
    let output = batch_common::finish(child);
    assert_eq!(code(&output), 130);
    let stdout = text(&output.stdout);
    assert!(stdout.contains("stopped: interrupted"), "{stdout}");
    let resume = stdout
        .lines()
        .find_map(|line| line.strip_prefix("to resume: "))
        .unwrap_or_else(|| panic!("a resume command: {stdout}"));
    assert!(resume.starts_with("orux batch "), "{resume}");
    assert!(resume.contains("--base-url"), "{resume}");
    let status = batch.status();
    assert_eq!(count(&status, "submitting"), 0, "{status}");
    assert_eq!(count(&status, "unknown"), 0, "{status}");
    assert!(count(&status, "pending") > 0, "{status}");
    let again = batch.run(&mock, &["--concurrency", "4"]);
    assert_eq!(code(&again), 0, "{}", text(&again.stderr));
    assert_eq!(mock.tasks_created(), 12);
}

#[test]
fn a_second_sigint_exits_at_once_and_the_journal_still_resumes() {
    // Submits are answered after 5 s: the second signal comes while POSTs
    // are surely in flight, and the run must not wait for them.
    let mock = MockProcess::start(&["--task-seconds", "1", "--submit-answer-delay", "5"]);
    let batch = BatchDir::new("m.jsonl", &jsonl(6, |_| ""));
    let mut child = batch
        .command(&mock, &["--concurrency", "6"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = lines_of(&mut child);
    assert!(wait_for(&lines, ": submitting"));
    batch_common::signal(&child, "INT");
    assert!(wait_for(&lines, "Ctrl-C again to exit at once"));
    batch_common::signal(&child, "INT");
    let status = batch_common::wait(&mut child, Duration::from_secs(30));
    assert_eq!(status.code(), Some(130));
    // It did not wait for the answers: the rows it sent are still recorded
    // as mid-submit, and the journal reads.
    let journal = batch.status();
    assert!(count(&journal, "submitting") > 0, "{journal}");
    let again = batch.run(&mock, &["--concurrency", "6", "--resubmit-unknown"]);
    assert_eq!(code(&again), 0, "{}", text(&again.stderr));
    let stats = mock.stats();
    assert_eq!(stats["tasks_created"], 6, "{stats}");
}
