//! The journal on its own: creation, locking, refusing what is not a
//! journal, reading a manifest against it, and the writer's transactions.

use std::path::{Path, PathBuf};

use orux_batch::journal::writer::{self, Change};
use orux_batch::journal::{FileRecord, Journal, JournalError, Reconciled};
use orux_batch::manifest::Manifest;
use orux_batch::state::State;

const API: &str = "http://127.0.0.1:9";

fn body(prompt: &str) -> String {
    serde_json::json!({"model": "sora2", "prompt": prompt}).to_string()
}

fn manifest(prompts: &[&str]) -> Manifest {
    Manifest::read_json_lines(
        prompts
            .iter()
            .map(|p| body(p) + "\n")
            .collect::<String>()
            .as_bytes(),
    )
    .expect("reads")
}

fn journal_in(dir: &Path) -> PathBuf {
    dir.join("orux-batch.sqlite")
}

fn states(journal: &Journal) -> Vec<(u64, State, bool)> {
    journal
        .rows()
        .expect("rows")
        .into_iter()
        .map(|row| (row.line, row.state, row.in_manifest))
        .collect()
}

#[test]
fn a_new_journal_takes_every_row_as_pending() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal_in(dir.path());
    let mut journal = Journal::open_for_run(&path).expect("created");
    let added = journal
        .reconcile(&manifest(&["a", "b", "a"]), "m.jsonl", API)
        .expect("reconciled");
    assert_eq!(
        added,
        Reconciled {
            added: 3,
            ..Reconciled::default()
        }
    );
    assert_eq!(
        states(&journal),
        [
            (1, State::Pending, true),
            (2, State::Pending, true),
            (3, State::Pending, true)
        ]
    );
    let batch = journal.batch().expect("read").expect("recorded");
    assert_eq!(
        (batch.manifest.as_str(), batch.format.as_str()),
        ("m.jsonl", "jsonl")
    );
    assert_eq!(batch.base_url, API);
}

#[test]
fn a_second_run_on_the_same_journal_is_refused_until_the_first_ends() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal_in(dir.path());
    let first = Journal::open_for_run(&path).expect("opened");
    let Err(error) = Journal::open_for_run(&path) else {
        panic!("a second run got the journal");
    };
    assert!(matches!(error, JournalError::Locked { .. }), "{error}");
    assert!(error.to_string().contains("in use by another"), "{error}");
    // A reader needs no lock.
    Journal::open_read_only(&path).expect("a reader opens it");
    drop(first);
    Journal::open_for_run(&path).expect("free again");
}

#[test]
fn files_that_are_not_journals_are_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.sqlite");
    let bytes = b"this is not a database, but a user's notes\n".repeat(200);
    std::fs::write(&garbage, &bytes).unwrap();
    let error = Journal::open_for_run(&garbage).unwrap_err();
    assert!(matches!(error, JournalError::NotAJournal { .. }), "{error}");
    assert!(error.to_string().contains("nothing was changed"), "{error}");
    assert_eq!(std::fs::read(&garbage).unwrap(), bytes);

    let other = dir.path().join("other.sqlite");
    {
        let conn = rusqlite_open(&other);
        conn.execute_batch("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine');")
            .unwrap();
    }
    let before = std::fs::read(&other).unwrap();
    let error = Journal::open_for_run(&other).unwrap_err();
    assert!(matches!(error, JournalError::NotAJournal { .. }), "{error}");
    assert_eq!(std::fs::read(&other).unwrap(), before);
}

fn rusqlite_open(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).expect("sqlite opens")
}

#[test]
fn a_damaged_journal_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal_in(dir.path());
    {
        let mut journal = Journal::open_for_run(&path).unwrap();
        let prompts: Vec<String> = (0..300).map(|n| format!("prompt {n}")).collect();
        let prompts: Vec<&str> = prompts.iter().map(String::as_str).collect();
        journal.reconcile(&manifest(&prompts), "m", API).unwrap();
    }
    // Checkpointed into the main file when the last connection closed;
    // scribble over a page in the middle of it.
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 4 * 4096, "{}", bytes.len());
    for byte in &mut bytes[2 * 4096 + 100..3 * 4096] {
        *byte = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let error = Journal::open_for_run(&path).unwrap_err();
    assert!(matches!(error, JournalError::Damaged { .. }), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn a_changed_manifest_adds_new_rows_drops_unsent_ones_and_keeps_rows_with_tasks() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal_in(dir.path());
    let mut journal = Journal::open_for_run(&path).unwrap();
    journal
        .reconcile(&manifest(&["a", "b", "c"]), "m", API)
        .unwrap();
    let ids: Vec<i64> = journal.rows().unwrap().iter().map(|r| r.id).collect();
    // Row "b" is submitted; row "c" was cut off mid-submit.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let journal = runtime.block_on(async {
        let (writer, done) = writer::start(journal);
        for (row, key) in [(ids[1], "k-b"), (ids[2], "k-c")] {
            writer
                .commit(Change::Submitting {
                    row,
                    idempotency_key: key.to_owned(),
                    body_sha256: "00".to_owned(),
                })
                .await
                .unwrap();
        }
        writer
            .commit(Change::Submitted {
                row: ids[1],
                task_id: "task_b".to_owned(),
                task_status: "queued".to_owned(),
            })
            .await
            .unwrap();
        drop(writer);
        done.await.unwrap().unwrap()
    });
    let mut journal = journal;
    // The new manifest: "a" moved down, "b" and "c" gone, "d" new.
    let outcome = journal.reconcile(&manifest(&["d", "a"]), "m", API).unwrap();
    assert_eq!(
        outcome,
        Reconciled {
            added: 1,
            dropped: 0,
            gone: 2,
            interrupted: 1
        }
    );
    let rows = journal.rows().unwrap();
    let summary: Vec<(u64, State, bool)> = rows
        .iter()
        .map(|r| (r.line, r.state, r.in_manifest))
        .collect();
    assert_eq!(
        summary,
        [
            (1, State::Pending, true),
            (2, State::Pending, true),
            (2, State::Submitted, false),
            (3, State::Unknown, false),
        ]
    );
    assert_eq!(rows[3].idempotency_key.as_deref(), Some("k-c"));
    assert_eq!(
        rows[3].error.as_ref().map(|e| e.code.as_str()),
        Some("interrupted_submit")
    );
    // Now "a" goes too, still pending: it is dropped.
    let outcome = journal.reconcile(&manifest(&["d"]), "m", API).unwrap();
    assert_eq!((outcome.dropped, outcome.gone), (1, 2));
    assert_eq!(journal.rows().unwrap().len(), 3);
}

#[test]
fn another_manifest_or_another_api_is_refused_once_tasks_may_exist() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal_in(dir.path());
    let mut journal = Journal::open_for_run(&path).unwrap();
    journal
        .reconcile(&manifest(&["a"]), "first.jsonl", API)
        .unwrap();
    // Nothing sent yet: a whole new manifest simply replaces the rows.
    journal
        .reconcile(&manifest(&["b"]), "first.jsonl", API)
        .unwrap();
    let id = journal.rows().unwrap()[0].id;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut journal = runtime.block_on(async {
        let (writer, done) = writer::start(journal);
        writer
            .commit(Change::Submitting {
                row: id,
                idempotency_key: "k".to_owned(),
                body_sha256: "00".to_owned(),
            })
            .await
            .unwrap();
        drop(writer);
        done.await.unwrap().unwrap()
    });
    let before = journal.rows().unwrap();
    let error = journal
        .reconcile(&manifest(&["c"]), "second.jsonl", API)
        .unwrap_err();
    assert!(matches!(error, JournalError::Mismatch { .. }), "{error}");
    assert!(error.to_string().contains("first.jsonl"), "{error}");
    let error = journal
        .reconcile(&manifest(&["b"]), "first.jsonl", "https://orux.top")
        .unwrap_err();
    assert!(matches!(error, JournalError::OtherApi { .. }), "{error}");
    assert_eq!(journal.rows().unwrap(), before, "nothing was changed");
}

#[tokio::test]
async fn the_writer_refuses_a_change_out_of_order_and_commits_the_rest_of_its_group() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal_in(dir.path());
    let mut journal = Journal::open_for_run(&path).unwrap();
    let prompts: Vec<String> = (0..200).map(|n| format!("p{n}")).collect();
    let prompts: Vec<&str> = prompts.iter().map(String::as_str).collect();
    journal.reconcile(&manifest(&prompts), "m", API).unwrap();
    let ids: Vec<i64> = journal.rows().unwrap().iter().map(|r| r.id).collect();
    let (writer, done) = writer::start(journal);
    // Submitted before submitting: refused.
    let refused = writer
        .commit(Change::Submitted {
            row: ids[0],
            task_id: "t".to_owned(),
            task_status: "queued".to_owned(),
        })
        .await;
    assert!(
        matches!(refused, Err(JournalError::Conflict { .. })),
        "{refused:?}"
    );
    // Many at once: grouped, each acknowledged.
    let commits = ids.iter().map(|row| {
        let writer = writer.clone();
        let change = Change::Submitting {
            row: *row,
            idempotency_key: format!("key-{row}"),
            body_sha256: "00".to_owned(),
        };
        async move { writer.commit(change).await }
    });
    for outcome in futures_join(commits).await {
        outcome.expect("committed");
    }
    // A key once set never changes.
    let other_key = writer
        .commit(Change::Submitting {
            row: ids[0],
            idempotency_key: "another".to_owned(),
            body_sha256: "00".to_owned(),
        })
        .await;
    assert!(other_key.is_err());
    writer
        .commit(Change::Submitted {
            row: ids[0],
            task_id: "task_0".to_owned(),
            task_status: "queued".to_owned(),
        })
        .await
        .unwrap();
    writer
        .commit(Change::Succeeded {
            row: ids[0],
            task_status: "success".to_owned(),
            result_urls: vec!["https://cdn.example/a.mp4".to_owned()],
        })
        .await
        .unwrap();
    writer
        .commit(Change::Downloaded {
            row: ids[0],
            files: vec![FileRecord {
                path: "task_0.mp4".to_owned(),
                bytes: 3,
                sha256: "ab".to_owned(),
            }],
        })
        .await
        .unwrap();
    drop(writer);
    let journal = done.await.unwrap().unwrap();
    let rows = journal.rows().unwrap();
    assert_eq!(rows[0].state, State::Downloaded);
    assert_eq!(rows[0].files[0].path, "task_0.mp4");
    assert_eq!(rows[0].result_urls, ["https://cdn.example/a.mp4"]);
    assert!(rows[1..].iter().all(|r| r.state == State::Submitting));
    assert_eq!(
        rows[1].idempotency_key.as_deref(),
        Some(&*format!("key-{}", ids[1]))
    );
}

/// Awaits every future, concurrently, in order.
async fn futures_join<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut outputs = Vec::new();
    for handle in handles {
        outputs.push(handle.await.expect("joined"));
    }
    outputs
}

#[test]
fn the_schema_refuses_an_unknown_state() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal_in(dir.path());
    let mut journal = Journal::open_for_run(&path).unwrap();
    journal.reconcile(&manifest(&["a"]), "m", API).unwrap();
    drop(journal);
    let conn = rusqlite_open(&path);
    let refused = conn.execute("UPDATE rows SET state = 'running'", []);
    assert!(refused.is_err(), "the CHECK lets an unknown state in");
    let refused = conn.execute("UPDATE rows SET state = 'submitted'", []);
    assert!(refused.is_err(), "a submitted row without a key or task id");
}

/// The columns (name, type, not null, default, key) and foreign keys of a
/// table, as SQLite reports them.
fn shape(conn: &rusqlite::Connection, table: &str) -> Vec<String> {
    let mut shape = Vec::new();
    for pragma in ["table_info", "foreign_key_list"] {
        let mut statement = conn
            .prepare(&format!("SELECT * FROM pragma_{pragma}('{table}')"))
            .unwrap();
        let columns = statement.column_count();
        let rows = statement
            .query_map([], |row| {
                (0..columns)
                    .map(|i| {
                        row.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .unwrap();
        shape.extend(rows.map(|row| format!("{pragma}: {}", row.unwrap().join(" "))));
    }
    shape
}

#[test]
fn the_schema_in_the_readme_is_the_schema() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("CREATE TABLE batch")
        .expect("the schema in the README");
    let end = start + readme[start..].find("```").expect("its block ends");
    let documented = rusqlite::Connection::open_in_memory().unwrap();
    documented
        .execute_batch(&readme[start..end])
        .expect("the README's SQL runs");

    let dir = tempfile::tempdir().unwrap();
    let path = journal_in(dir.path());
    drop(Journal::open_for_run(&path).unwrap());
    let real = rusqlite_open(&path);
    for table in ["batch", "rows", "files"] {
        assert_eq!(
            shape(&documented, table),
            shape(&real, table),
            "table {table}"
        );
    }
    // The same CHECK over the states.
    for conn in [&documented, &real] {
        conn.execute(
            "INSERT INTO rows (content_sha256, occurrence, line, model, updated_at) \
             VALUES ('x', 0, 1, 'sora2', 'now')",
            [],
        )
        .unwrap();
        for state in orux_batch::state::State::ALL {
            let key = if state == orux_batch::state::State::Pending {
                "NULL"
            } else {
                "'k'"
            };
            let task = "'t', result_urls = '[]'";
            conn.execute(
                &format!(
                    "UPDATE rows SET state = '{}', idempotency_key = {key}, task_id = {task}",
                    state.as_str()
                ),
                [],
            )
            .unwrap_or_else(|e| panic!("{state}: {e}"));
        }
        assert!(
            conn.execute("UPDATE rows SET state = 'running'", [])
                .is_err()
        );
    }
}
