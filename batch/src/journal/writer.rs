//! The journal's writer during a run: every row's task sends it changes;
//! the changes waiting when it wakes are committed together, in one
//! `BEGIN IMMEDIATE` transaction (group commit), and each is acknowledged
//! only once that transaction is durable.
//!
//! Grouping is safe because nothing waits on a change it has not had
//! acknowledged: a row's POST is sent only after its `submitting` change
//! (with the idempotency key) is committed. Each change applies only from
//! the states it expects (a savepoint each): one that does not fit is
//! refused alone, and the rest of its group is still committed.

use std::path::PathBuf;

use rusqlite::{Connection, TransactionBehavior, params};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use super::schema::NOW;
use super::{FileRecord, Journal, JournalError};

/// Most changes in one transaction.
const MAX_GROUP: usize = 1024;

/// One state change of one row (by its journal id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// `pending` or `unknown` → `submitting`: the key and the body's SHA-256,
    /// committed before the POST. A row's key, once set, never changes.
    Submitting {
        /// The row.
        row: i64,
        /// The `Idempotency-Key` the POST will carry.
        idempotency_key: String,
        /// The SHA-256 (hex) of the body it will carry.
        body_sha256: String,
    },
    /// `submitting` → `submitted`: the task exists.
    Submitted {
        /// The row.
        row: i64,
        /// The task's id.
        task_id: String,
        /// Its status in the submit answer.
        task_status: String,
    },
    /// `submitting` → `unknown`: a task may or may not exist.
    Unknown {
        /// The row.
        row: i64,
        /// Why, as a code.
        code: &'static str,
        /// Why, in words.
        message: String,
    },
    /// `submitting` → `pending`: the API surely created nothing (it refused
    /// before: 429, 401, no connection). The key is kept.
    Requeued {
        /// The row.
        row: i64,
        /// Why, as a code.
        code: &'static str,
        /// Why, in words.
        message: String,
    },
    /// `submitting` or `submitted` → `failed`.
    Failed {
        /// The row.
        row: i64,
        /// `failed`, `expired`, `rejected`, `not_found`, …
        code: &'static str,
        /// In words.
        message: String,
        /// The task's final status, when it has one.
        task_status: Option<String>,
    },
    /// A `submitted` row's task reported a new status (no state change).
    Status {
        /// The row.
        row: i64,
        /// The status.
        task_status: String,
    },
    /// A note on a `submitted` or `succeeded` row (its deadline passed, its
    /// polls or its download failed).
    Note {
        /// The row.
        row: i64,
        /// As a code.
        code: &'static str,
        /// In words.
        message: String,
    },
    /// `submitted` → `succeeded`, with the result URLs.
    Succeeded {
        /// The row.
        row: i64,
        /// The final status.
        task_status: String,
        /// The result URLs, in the task's order.
        result_urls: Vec<String>,
    },
    /// `succeeded` → `downloaded`, with every file.
    Downloaded {
        /// The row.
        row: i64,
        /// The files, in the order of the result URLs.
        files: Vec<FileRecord>,
    },
}

impl Change {
    fn row(&self) -> i64 {
        match self {
            Change::Submitting { row, .. }
            | Change::Submitted { row, .. }
            | Change::Unknown { row, .. }
            | Change::Requeued { row, .. }
            | Change::Failed { row, .. }
            | Change::Status { row, .. }
            | Change::Note { row, .. }
            | Change::Succeeded { row, .. }
            | Change::Downloaded { row, .. } => *row,
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Change::Submitting { .. } => "submitting",
            Change::Submitted { .. } => "submitted",
            Change::Unknown { .. } => "unknown",
            Change::Requeued { .. } => "requeued",
            Change::Failed { .. } => "failed",
            Change::Status { .. } => "status",
            Change::Note { .. } => "note",
            Change::Succeeded { .. } => "succeeded",
            Change::Downloaded { .. } => "downloaded",
        }
    }
}

type Ack = oneshot::Sender<Result<(), JournalError>>;

/// Sends changes to the writer. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Writer {
    requests: mpsc::UnboundedSender<(Change, Option<Ack>)>,
}

impl Writer {
    /// Records `change` and returns once it is committed (or refused).
    pub async fn commit(&self, change: Change) -> Result<(), JournalError> {
        let (ack, done) = oneshot::channel();
        self.requests
            .send((change, Some(ack)))
            .map_err(|_| JournalError::Closed)?;
        done.await.unwrap_or(Err(JournalError::Closed))
    }

    /// Records `change` without waiting: for what a crash may lose without
    /// harm (a task's intermediate status).
    pub fn record(&self, change: Change) {
        let _ = self.requests.send((change, None));
    }
}

/// Starts the writer on the current runtime. It ends when every [`Writer`]
/// is dropped, giving the journal back; or at the first failed commit,
/// with its error (every change after it is refused with
/// [`JournalError::Closed`]).
pub fn start(journal: Journal) -> (Writer, JoinHandle<Result<Journal, JournalError>>) {
    let (requests, incoming) = mpsc::unbounded_channel();
    let handle = tokio::spawn(run(journal, incoming));
    (Writer { requests }, handle)
}

async fn run(
    journal: Journal,
    mut incoming: mpsc::UnboundedReceiver<(Change, Option<Ack>)>,
) -> Result<Journal, JournalError> {
    let (mut conn, path, lock) = journal.into_parts();
    let mut group = Vec::new();
    while incoming.recv_many(&mut group, MAX_GROUP).await > 0 {
        let (changes, acks): (Vec<Change>, Vec<Option<Ack>>) = group.drain(..).unzip();
        // SQLite blocks: off the async threads (and, under paused test
        // time, the clock does not run ahead while it works).
        let path_for_commit = path.clone();
        let (returned, outcome) = tokio::task::spawn_blocking(move || {
            let outcome = apply(&mut conn, &changes, &path_for_commit);
            (conn, outcome)
        })
        .await
        .map_err(|_| JournalError::Closed)?;
        conn = returned;
        match outcome {
            Ok(results) => {
                for (ack, result) in acks.into_iter().zip(results) {
                    if let Some(ack) = ack {
                        let _ = ack.send(result);
                    }
                }
            }
            Err(error) => {
                tracing::error!(%error, "journal commit failed; nothing more is recorded");
                for ack in acks.into_iter().flatten() {
                    let _ = ack.send(Err(JournalError::Closed));
                }
                return Err(error);
            }
        }
    }
    Ok(Journal::from_parts(conn, path, lock))
}

/// Applies a group in one transaction: `Ok` with each change's own
/// outcome once committed; `Err` when the transaction itself failed
/// (nothing of the group is written).
fn apply(
    conn: &mut Connection,
    changes: &[Change],
    path: &std::path::Path,
) -> Result<Vec<Result<(), JournalError>>, JournalError> {
    let sqlite = |context: &'static str| {
        move |source| JournalError::Sqlite {
            path: PathBuf::from(path),
            context,
            source,
        }
    };
    let mut tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sqlite("cannot start a transaction"))?;
    let mut results = Vec::with_capacity(changes.len());
    for change in changes {
        let savepoint = tx.savepoint().map_err(sqlite("cannot start a savepoint"))?;
        match apply_one(&savepoint, change) {
            Ok(1) => {
                savepoint
                    .commit()
                    .map_err(sqlite("cannot release a savepoint"))?;
                results.push(Ok(()));
            }
            Ok(_) => results.push(Err(JournalError::Conflict {
                row: change.row(),
                change: change.name(),
            })),
            Err(source) => results.push(Err(JournalError::Sqlite {
                path: PathBuf::from(path),
                context: change.name(),
                source,
            })),
        }
    }
    tx.commit().map_err(sqlite("cannot commit"))?;
    Ok(results)
}

/// Applies one change; the number of rows whose state it changed (1 when
/// the row was where the change expects it).
fn apply_one(tx: &Connection, change: &Change) -> rusqlite::Result<usize> {
    let update = |set: &str, from: &str| {
        format!("UPDATE rows SET {set}, updated_at = {NOW} WHERE id = ?1 AND state IN ({from})")
    };
    match change {
        Change::Submitting {
            row,
            idempotency_key,
            body_sha256,
        } => tx
            .prepare_cached(&format!(
                "{} AND (idempotency_key IS NULL OR idempotency_key = ?2)",
                update(
                    "state = 'submitting', idempotency_key = ?2, body_sha256 = ?3, \
                     submits = submits + 1, error_code = NULL, error = NULL",
                    "'pending', 'unknown'"
                )
            ))?
            .execute(params![row, idempotency_key, body_sha256]),
        Change::Submitted {
            row,
            task_id,
            task_status,
        } => tx
            .prepare_cached(&update(
                "state = 'submitted', task_id = ?2, task_status = ?3, error_code = NULL, error = NULL",
                "'submitting'",
            ))?
            .execute(params![row, task_id, task_status]),
        Change::Unknown { row, code, message } => tx
            .prepare_cached(&update(
                "state = 'unknown', error_code = ?2, error = ?3",
                "'submitting'",
            ))?
            .execute(params![row, code, message]),
        Change::Requeued { row, code, message } => tx
            .prepare_cached(&update(
                "state = 'pending', error_code = ?2, error = ?3",
                "'submitting'",
            ))?
            .execute(params![row, code, message]),
        Change::Failed {
            row,
            code,
            message,
            task_status,
        } => tx
            .prepare_cached(&update(
                "state = 'failed', error_code = ?2, error = ?3, \
                 task_status = coalesce(?4, task_status)",
                "'submitting', 'submitted'",
            ))?
            .execute(params![row, code, message, task_status]),
        Change::Status { row, task_status } => tx
            .prepare_cached(&update("task_status = ?2", "'submitted'"))?
            .execute(params![row, task_status]),
        Change::Note { row, code, message } => tx
            .prepare_cached(&update(
                "error_code = ?2, error = ?3",
                "'submitted', 'succeeded'",
            ))?
            .execute(params![row, code, message]),
        Change::Succeeded {
            row,
            task_status,
            result_urls,
        } => {
            let urls = serde_json::to_string(result_urls).unwrap_or_else(|_| "[]".to_owned());
            tx.prepare_cached(&update(
                "state = 'succeeded', task_status = ?2, result_urls = ?3, \
                 error_code = NULL, error = NULL",
                "'submitted'",
            ))?
            .execute(params![row, task_status, urls])
        }
        Change::Downloaded { row, files } => {
            let changed = tx
                .prepare_cached(&update(
                    "state = 'downloaded', error_code = NULL, error = NULL",
                    "'succeeded'",
                ))?
                .execute(params![row])?;
            if changed == 1 {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO files (row_id, n, path, bytes, sha256) VALUES (?1, ?2, ?3, ?4, ?5)",
                )?;
                for (n, file) in files.iter().enumerate() {
                    insert.execute(params![
                        row,
                        n as i64,
                        file.path,
                        i64::try_from(file.bytes).unwrap_or(i64::MAX),
                        file.sha256
                    ])?;
                }
            }
            Ok(changed)
        }
    }
}
