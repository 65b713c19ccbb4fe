//! `orux batch` as a process against `orux mock`: outcomes mixed in,
//! back-pressure, invalid and changed manifests, and journals that are
//! locked, damaged or made for another manifest.

#![cfg(all(feature = "batch", feature = "mock"))]

mod batch_common;
mod support;

use batch_common::{BatchDir, MockProcess, code, count, jsonl, text};

#[test]
fn failed_and_expired_rows_are_recorded_and_the_rest_finish() {
    let mock = MockProcess::start(&[
        "--task-seconds",
        "1",
        "--fail-if-prompt-contains",
        "#fail",
        "--expire-if-prompt-contains",
        "#late",
    ]);
    let manifest = jsonl(12, |i| match i {
        2 | 7 => " #fail",
        5 => " #late",
        _ => "",
    });
    let batch = BatchDir::new("m.jsonl", &manifest);
    let output = batch.run(&mock, &["--concurrency", "4", "--format", "json"]);
    assert_eq!(code(&output), 1, "{}", text(&output.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(summary["verdict"], "rows_failed");
    assert_eq!(count(&summary, "failed"), 3);
    let attention: Vec<(u64, &str)> = summary["attention"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["line"].as_u64().unwrap(),
                row["error"]["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(attention, [(3, "failed"), (6, "expired"), (8, "failed")]);
    let results = batch.results();
    assert_eq!(results.len(), 12);
    let lines: Vec<u64> = results
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, (1..=12).collect::<Vec<_>>());
    assert_eq!(mock.tasks_created(), 12);
}

#[test]
fn a_share_of_429s_pauses_the_batch_and_nothing_is_submitted_twice() {
    let mock = MockProcess::start(&[
        "--task-seconds",
        "1",
        "--rate-limit-share",
        "0.25",
        "--rate-limit-retry-after",
        "1",
    ]);
    let batch = BatchDir::new("m.jsonl", &jsonl(16, |_| ""));
    let output = batch.run(&mock, &["--concurrency", "6"]);
    let stderr = text(&output.stderr);
    assert_eq!(code(&output), 0, "{stderr}");
    assert!(stderr.contains("submissions held for"), "{stderr}");
    let stats = mock.stats();
    assert_eq!(stats["tasks_created"], 16, "{stats}");
    assert_eq!(stats["idempotent_replays"], 0, "{stats}");
    assert!(stats["rejected_submits"].as_u64().unwrap() >= 4, "{stats}");
}

#[test]
fn invalid_rows_are_all_reported_and_nothing_is_sent() {
    let mock = MockProcess::start(&["--task-seconds", "1"]);
    let manifest = [
        r#"{"model":"sora2","prompt":"fine"}"#,
        r#"{"model":"sora2","prompt":"","duration":7}"#,
        r#"{"model":"sora-2","prompt":"typo"}"#,
        r#"not json"#,
        r#"{"model":"sora2","prompt":"fine too"}"#,
    ]
    .join("\n");
    let batch = BatchDir::new("m.jsonl", &manifest);
    let output = batch.run(&mock, &[]);
    let stderr = text(&output.stderr);
    assert_eq!(code(&output), 1, "{stderr}");
    let name = batch.manifest.display().to_string();
    for expected in [
        format!("{name}:2: /prompt: "),
        format!("{name}:2: /duration: "),
        format!("{name}:3: /model: "),
        format!("{name}:4: "),
    ] {
        assert!(stderr.contains(&expected), "{expected:?} in {stderr}");
    }
    assert!(
        stderr.contains("3 invalid rows (4 problems); nothing was sent"),
        "{stderr}"
    );
    assert!(
        !batch.journal().exists(),
        "no journal for a refused manifest"
    );
    let output = batch.run(&mock, &["--format", "json"]);
    assert_eq!(code(&output), 1);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let rows = report["error"]["rows"].as_array().unwrap();
    let lines: Vec<u64> = rows.iter().map(|r| r["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [2, 3, 4]);
    assert_eq!(rows[0]["errors"].as_array().unwrap().len(), 2);
    let stats = mock.stats();
    assert_eq!(stats["tasks_created"], 0, "{stats}");
    assert_eq!(stats["rejected_submits"], 0, "{stats}");

    // --skip-invalid: the valid rows run; the invalid ones are in the results.
    let output = batch.run(&mock, &["--skip-invalid"]);
    assert_eq!(code(&output), 1, "{}", text(&output.stderr));
    let statuses: Vec<String> = batch
        .results()
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        statuses,
        ["downloaded", "invalid", "invalid", "invalid", "downloaded"]
    );
    assert_eq!(mock.tasks_created(), 2);
}

#[test]
fn a_csv_manifest_is_typed_by_the_catalog_and_its_errors_name_the_cell() {
    let mock = MockProcess::start(&["--task-seconds", "1"]);
    let csv = "model,prompt,duration,aspect_ratio\n\
               sora2,\"A boat, at dusk\",10,16:9\n\
               sora2,A kite,eleven,\n\
               veo-3.1-fast,A fox,,9:16\n";
    let batch = BatchDir::new("m.csv", csv);
    let output = batch.run(&mock, &[]);
    let stderr = text(&output.stderr);
    assert_eq!(code(&output), 1, "{stderr}");
    assert!(stderr.contains(":3: /duration: "), "{stderr}");
    assert_eq!(stderr.matches(": /").count(), 1, "one problem: {stderr}");
    let fixed = csv.replace("eleven", "5");
    std::fs::write(&batch.manifest, fixed).unwrap();
    let output = batch.run(&mock, &[]);
    assert_eq!(code(&output), 0, "{}", text(&output.stderr));
    assert_eq!(mock.tasks_created(), 3);
}

#[test]
fn a_changed_manifest_runs_its_new_rows_and_keeps_its_old_ones() {
    let mock = MockProcess::start(&["--task-seconds", "1"]);
    let first = jsonl(5, |_| "");
    let batch = BatchDir::new("m.jsonl", &first);
    assert_eq!(code(&batch.run(&mock, &[])), 0);
    assert_eq!(mock.tasks_created(), 5);
    // Row 1 removed, the others moved down by a new first row, one appended.
    let lines: Vec<&str> = first.lines().collect();
    let new_a = r#"{"model":"sora2","prompt":"new at the top"}"#;
    let new_b = r#"{"model":"sora2","prompt":"new at the end"}"#;
    let second = [&[new_a][..], &lines[1..], &[new_b]].concat().join("\n");
    std::fs::write(&batch.manifest, second).unwrap();
    let output = batch.run(&mock, &[]);
    assert_eq!(code(&output), 0, "{}", text(&output.stderr));
    assert_eq!(mock.tasks_created(), 7, "only the two new rows were sent");
    let results = batch.results();
    let shown: Vec<(u64, bool)> = results
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["in_manifest"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (1, true),
            (2, true),
            (3, true),
            (4, true),
            (5, true),
            (6, true),
            (1, false)
        ],
        "the removed row is kept (it has a task), last"
    );
}

#[test]
fn a_journal_made_for_another_manifest_is_refused_and_left_as_it_was() {
    let mock = MockProcess::start(&["--task-seconds", "1"]);
    let batch = BatchDir::new("m.jsonl", &jsonl(3, |_| ""));
    assert_eq!(code(&batch.run(&mock, &[])), 0);
    let before = batch.status();
    let other = batch.dir.path().join("other.jsonl");
    std::fs::write(&other, jsonl(3, |_| " elsewhere")).unwrap();
    // The same --out, another manifest.
    let output = batch_common::finish(
        batch
            .command_for(&other, &mock, &[])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let stderr = text(&output.stderr);
    assert_eq!(code(&output), 2, "{stderr}");
    assert!(stderr.contains("was made for another manifest"), "{stderr}");
    assert!(
        stderr.contains("m.jsonl"),
        "names the journal's manifest: {stderr}"
    );
    assert_eq!(batch.status(), before);
    assert_eq!(mock.tasks_created(), 3);
}

#[test]
fn a_damaged_or_foreign_journal_is_refused_and_nothing_is_sent() {
    let mock = MockProcess::start(&["--task-seconds", "1"]);
    let batch = BatchDir::new("m.jsonl", &jsonl(2, |_| ""));
    std::fs::create_dir_all(&batch.out).unwrap();
    let garbage = b"my notes, not a database\n".repeat(100);
    std::fs::write(batch.journal(), &garbage).unwrap();
    let output = batch.run(&mock, &[]);
    let stderr = text(&output.stderr);
    assert_eq!(code(&output), 2, "{stderr}");
    assert!(stderr.contains("is not an orux batch journal"), "{stderr}");
    assert_eq!(batch_common::read(&batch.journal()), garbage);
    assert_eq!(mock.tasks_created(), 0);
}

#[test]
fn a_second_run_on_a_busy_journal_is_refused_and_the_first_finishes() {
    let mock = MockProcess::start(&["--task-seconds", "2"]);
    let batch = BatchDir::new("m.jsonl", &jsonl(4, |_| ""));
    let first = batch
        .command(&mock, &["--quiet"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The first run holds the lock once its journal exists.
    let lock = batch.out.join("orux-batch.sqlite.lock");
    let started = std::time::Instant::now();
    while !(lock.exists() && batch.journal().exists()) {
        assert!(started.elapsed() < batch_common::RUN_LIMIT, "no journal");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    let second = batch.run(&mock, &[]);
    let stderr = text(&second.stderr);
    assert_eq!(code(&second), 2, "{stderr}");
    assert!(
        stderr.contains("in use by another `orux batch` run"),
        "{stderr}"
    );
    let first = batch_common::finish(first);
    assert_eq!(code(&first), 0, "{}", text(&first.stderr));
    assert_eq!(count(&batch.status(), "downloaded"), 4);
    assert_eq!(mock.tasks_created(), 4);
}

#[test]
fn status_lists_the_rows_that_need_attention() {
    let mock = MockProcess::start(&["--task-seconds", "1", "--fail-if-prompt-contains", "#x"]);
    let batch = BatchDir::new("m.jsonl", &jsonl(3, |i| if i == 1 { " #x" } else { "" }));
    assert_eq!(code(&batch.run(&mock, &["--quiet"])), 1);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_orux"))
        .args(["batch", "status", "--out"])
        .arg(&batch.out)
        .output()
        .unwrap();
    let stdout = text(&output.stdout);
    assert_eq!(code(&output), 1, "{stdout}");
    assert!(
        stdout.starts_with("3 rows: 2 downloaded, 1 failed\n"),
        "{stdout}"
    );
    assert!(stdout.contains("line 2: failed, task task_"), "{stdout}");
    let missing = std::process::Command::new(env!("CARGO_BIN_EXE_orux"))
        .args(["batch", "status", "--out"])
        .arg(batch.dir.path().join("nowhere"))
        .output()
        .unwrap();
    assert_eq!(code(&missing), 2);
}

#[test]
fn usage_problems_are_exit_status_2_before_anything_is_sent() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_orux"))
            .env("ORUX_API_KEY", batch_common::KEY)
            .arg("batch")
            .args(args)
            .output()
            .expect("orux runs")
    };
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "\n\n").unwrap();
    let empty = empty.display().to_string();
    for (args, expected) in [
        (vec!["-"], "must be a file"),
        (
            vec!["/nonexistent/m.jsonl"],
            "cannot read /nonexistent/m.jsonl",
        ),
        (vec![empty.as_str()], "has no rows"),
        (vec![], "MANIFEST"),
        (vec!["m.jsonl", "--concurrency", "0"], "--concurrency"),
    ] {
        let output = run(&args);
        let stderr = text(&output.stderr);
        assert_eq!(code(&output), 2, "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}
