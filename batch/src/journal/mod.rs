//! The journal: one SQLite file (WAL mode) that says what happened to every
//! row, so that a crash loses nothing and a rerun resumes.
//!
//! - One run at a time: a run holds an exclusive lock on `<journal>.lock`
//!   (released by the system when the process ends, however it ends); a
//!   second run on the same journal is refused before the database is
//!   opened. Reading ([`Journal::open_read_only`], `orux batch status`)
//!   needs no lock.
//! - A file that is not a journal (another SQLite database, a damaged
//!   file, garbage) is refused and left as it is.
//! - Every change is a transaction (`BEGIN IMMEDIATE`), committed with
//!   `synchronous = FULL`: once a change is acknowledged it survives a
//!   crash and a power cut. Changes that arrive together are committed
//!   together ([`writer`]).

mod schema;
pub mod writer;

use std::collections::HashMap;
use std::fmt;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};

pub use schema::{APPLICATION_ID, SCHEMA_VERSION};

use crate::manifest::Manifest;
use crate::state::State;

/// The journal's file name in the output directory unless told otherwise.
pub const DEFAULT_FILE_NAME: &str = "orux-batch.sqlite";

/// How long a reader waits for a writer's transaction to end.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// An open journal.
pub struct Journal {
    conn: Connection,
    path: PathBuf,
    /// Held for as long as a run has the journal; dropped with it.
    _lock: Option<File>,
}

impl fmt::Debug for Journal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Journal")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// Why a journal could not be used. Where nothing was changed, the message
/// says so.
#[derive(Debug)]
#[non_exhaustive]
pub enum JournalError {
    /// Another run holds the journal.
    Locked {
        /// The journal.
        path: PathBuf,
    },
    /// The file is not a journal: another SQLite database, or not SQLite.
    NotAJournal {
        /// The file.
        path: PathBuf,
        /// What it is instead.
        reason: String,
    },
    /// A journal of a newer schema than this version reads.
    Newer {
        /// The journal.
        path: PathBuf,
        /// Its schema version.
        version: i32,
    },
    /// SQLite's integrity check found damage.
    Damaged {
        /// The journal.
        path: PathBuf,
        /// The check's first findings.
        detail: String,
    },
    /// The journal was made for another manifest: none of its rows is in
    /// this one, and some of them may have tasks.
    Mismatch {
        /// The journal.
        path: PathBuf,
        /// The manifest it was made for, as it was named then.
        manifest: String,
        /// How many rows it has.
        rows: u64,
    },
    /// The journal's tasks were created on another API.
    OtherApi {
        /// The journal.
        path: PathBuf,
        /// The base URL its tasks live on.
        recorded: String,
        /// The base URL of this run.
        given: String,
    },
    /// A file next to the journal (its lock, the output directory) failed.
    Io {
        /// What was being done.
        context: String,
        /// The cause.
        source: std::io::Error,
    },
    /// SQLite failed.
    Sqlite {
        /// The journal.
        path: PathBuf,
        /// What was being done.
        context: &'static str,
        /// The cause.
        source: rusqlite::Error,
    },
    /// A change was refused because the row was not in the state it should
    /// have been in; nothing of that change was written.
    Conflict {
        /// The row's id in the journal.
        row: i64,
        /// The change.
        change: &'static str,
    },
    /// The journal's writer stopped (a failed commit); nothing more can be
    /// recorded, so nothing more is sent.
    Closed,
}

impl fmt::Display for JournalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JournalError::Locked { path } => write!(
                f,
                "the journal {} is in use by another `orux batch` run (its lock file \
                 {} is held); wait for that run to end, or give this one another --journal",
                path.display(),
                lock_path(path).display()
            ),
            JournalError::NotAJournal { path, reason } => write!(
                f,
                "{} is not an orux batch journal ({reason}); nothing was changed. \
                 Give another --journal, or move that file away",
                path.display()
            ),
            JournalError::Newer { path, version } => write!(
                f,
                "the journal {} has schema version {version}, newer than this version reads \
                 ({SCHEMA_VERSION}); nothing was changed. Use a newer orux",
                path.display()
            ),
            JournalError::Damaged { path, detail } => write!(
                f,
                "the journal {} is damaged ({detail}); nothing was changed. Keep a copy; \
                 `sqlite3 FILE .recover` may save its rows",
                path.display()
            ),
            JournalError::Mismatch {
                path,
                manifest,
                rows,
            } => write!(
                f,
                "the journal {} was made for another manifest ({}, {rows} rows), and none of \
                 its rows is in this one; nothing was changed. Give this batch its own --out \
                 (or --journal)",
                path.display(),
                orux_models::display::quoted(manifest)
            ),
            JournalError::OtherApi {
                path,
                recorded,
                given,
            } => write!(
                f,
                "the tasks in the journal {} were created on {}, not on {}; nothing was \
                 changed. Run against the same API (--base-url), or give this batch its own --out",
                path.display(),
                orux_models::display::quoted(recorded),
                orux_models::display::quoted(given)
            ),
            JournalError::Io { context, source } => write!(f, "{context}: {source}"),
            JournalError::Sqlite {
                path,
                context,
                source,
            } => write!(f, "journal {}: {context}: {source}", path.display()),
            JournalError::Conflict { row, change } => write!(
                f,
                "journal row {row} was not in the state `{change}` expects; the change was not written"
            ),
            JournalError::Closed => {
                f.write_str("the journal cannot record anything more (an earlier commit failed)")
            }
        }
    }
}

impl std::error::Error for JournalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JournalError::Io { source, .. } => Some(source),
            JournalError::Sqlite { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A recorded result file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FileRecord {
    /// The file's path relative to the output directory.
    pub path: String,
    /// Its size.
    pub bytes: u64,
    /// Its SHA-256, lowercase hex.
    pub sha256: String,
}

/// A row's error as recorded: a short code and a message.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    /// `failed`, `expired`, `rejected`, `not_found`, `submit_outcome_unknown`,
    /// `interrupted_submit`, `deadline_passed`, …
    pub code: String,
    /// In words (exact text: show it through `orux_models::display`).
    pub message: String,
}

/// One row as the journal has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowRecord {
    /// The row's id in the journal.
    pub id: i64,
    /// The SHA-256 of its content (hex) and its occurrence.
    pub content_sha256: String,
    /// See [`crate::identity::RowIdentity::occurrence`].
    pub occurrence: u32,
    /// Its line when the manifest was last read.
    pub line: u64,
    /// Whether the manifest still has it.
    pub in_manifest: bool,
    /// The model it names.
    pub model: String,
    /// Where it is.
    pub state: State,
    /// The key its POST carries, once one was started.
    pub idempotency_key: Option<String>,
    /// The SHA-256 of the body sent with that key.
    pub body_sha256: Option<String>,
    /// How many times a POST was started for it.
    pub submits: u32,
    /// The task, once created.
    pub task_id: Option<String>,
    /// The task's last status read.
    pub task_status: Option<String>,
    /// The result URLs of a successful task.
    pub result_urls: Vec<String>,
    /// What went wrong, if anything.
    pub error: Option<RowError>,
    /// The files downloaded.
    pub files: Vec<FileRecord>,
}

/// What reading the manifest against the journal changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reconciled {
    /// Rows new to the journal (pending).
    pub added: u64,
    /// Pending rows no longer in the manifest, removed from the journal.
    pub dropped: u64,
    /// Rows with a task (or an unknown submit) no longer in the manifest:
    /// kept, still followed and downloaded.
    pub gone: u64,
    /// Rows found mid-submit (a run stopped there): now `unknown`.
    pub interrupted: u64,
}

/// The path of the lock file of a journal.
pub fn lock_path(journal: &Path) -> PathBuf {
    let mut name = journal.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

impl Journal {
    /// Opens the journal for a run, creating it when absent: takes its lock
    /// (or fails with [`JournalError::Locked`]), checks that it is a
    /// journal this version can use and is not damaged, and sets WAL mode.
    pub fn open_for_run(path: &Path) -> Result<Journal, JournalError> {
        let lock = take_lock(path)?;
        let mut journal = Journal::connect(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
            Some(lock),
        )?;
        let fresh = journal.check()?;
        journal.configure()?;
        if fresh {
            journal.create()?;
        }
        Ok(journal)
    }

    /// Opens an existing journal to read it, without its lock (a run may
    /// be writing it).
    pub fn open_read_only(path: &Path) -> Result<Journal, JournalError> {
        if !path.is_file() {
            return Err(JournalError::Io {
                context: format!("cannot open the journal {}", path.display()),
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            });
        }
        let journal = Journal::connect(path, OpenFlags::SQLITE_OPEN_READ_ONLY, None)?;
        journal
            .conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|source| journal.sqlite("cannot configure", source))?;
        if journal.check()? {
            return Err(JournalError::NotAJournal {
                path: path.to_owned(),
                reason: "an empty database".to_owned(),
            });
        }
        Ok(journal)
    }

    /// A connection to `path` with `flags` (one thread at a time uses it).
    fn connect(path: &Path, flags: OpenFlags, lock: Option<File>) -> Result<Journal, JournalError> {
        let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|source| JournalError::Sqlite {
                path: path.to_owned(),
                context: "cannot open",
                source,
            })?;
        Ok(Journal {
            conn,
            path: path.to_owned(),
            _lock: lock,
        })
    }

    /// Where the journal is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sqlite(&self, context: &'static str, source: rusqlite::Error) -> JournalError {
        JournalError::Sqlite {
            path: self.path.clone(),
            context,
            source,
        }
    }

    /// Checks what the file is, changing nothing: `Ok(true)` for an empty
    /// database (to be created), `Ok(false)` for a journal of this version.
    fn check(&self) -> Result<bool, JournalError> {
        let not_a_journal = |reason: String| JournalError::NotAJournal {
            path: self.path.clone(),
            reason,
        };
        let pragma = |name: &str| -> Result<i32, JournalError> {
            self.conn
                .pragma_query_value(None, name, |row| row.get(0))
                .map_err(|error| match error.sqlite_error_code() {
                    Some(rusqlite::ErrorCode::NotADatabase) => {
                        not_a_journal("not a SQLite database".to_owned())
                    }
                    _ => self.sqlite("cannot read its header", error),
                })
        };
        let application_id = pragma("application_id")?;
        let version = pragma("user_version")?;
        if application_id == 0 && version == 0 {
            let tables: i64 = self
                .conn
                .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
                .map_err(|error| self.sqlite("cannot read its schema", error))?;
            if tables == 0 {
                return Ok(true);
            }
        }
        if application_id != APPLICATION_ID {
            return Err(not_a_journal(format!(
                "a SQLite database with application id {application_id:#x}, not {APPLICATION_ID:#x}"
            )));
        }
        if version > SCHEMA_VERSION {
            return Err(JournalError::Newer {
                path: self.path.clone(),
                version,
            });
        }
        if version < SCHEMA_VERSION {
            return Err(not_a_journal(format!("unknown schema version {version}")));
        }
        let findings: Vec<String> = self
            .conn
            .prepare("PRAGMA quick_check(3)")
            .and_then(|mut statement| {
                statement
                    .query_map([], |row| row.get::<_, String>(0))?
                    .collect()
            })
            .map_err(|error| match error.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DatabaseCorrupt) => JournalError::Damaged {
                    path: self.path.clone(),
                    detail: error.to_string(),
                },
                _ => self.sqlite("cannot check its integrity", error),
            })?;
        if findings != ["ok"] {
            return Err(JournalError::Damaged {
                path: self.path.clone(),
                detail: findings.join("; "),
            });
        }
        Ok(false)
    }

    /// WAL, full sync on commit, foreign keys, a busy timeout.
    fn configure(&self) -> Result<(), JournalError> {
        let mode: String = self
            .conn
            .pragma_update_and_check(None, "journal_mode", "wal", |row| row.get(0))
            .map_err(|error| self.sqlite("cannot switch to WAL mode", error))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(JournalError::NotAJournal {
                path: self.path.clone(),
                reason: format!("SQLite keeps it in journal mode {mode}, not WAL"),
            });
        }
        self.conn
            .execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .and_then(|()| self.conn.busy_timeout(BUSY_TIMEOUT))
            .map_err(|error| self.sqlite("cannot configure", error))
    }

    fn create(&mut self) -> Result<(), JournalError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|error| JournalError::Sqlite {
                path: self.path.clone(),
                context: "cannot create the schema",
                source: error,
            })?;
        tx.execute_batch(&schema::ddl())
            .and_then(|()| tx.commit())
            .map_err(|error| self.sqlite("cannot create the schema", error))
    }

    /// Reads the manifest against the journal, in one transaction:
    /// records the batch on first use (the manifest as `manifest_name`, and
    /// the API's `base_url`), turns rows left mid-submit into `unknown`, adds
    /// the manifest's new rows as `pending`, drops pending rows it no longer
    /// has, keeps (and marks) rows with tasks it no longer has, and updates
    /// line numbers.
    ///
    /// Refuses, changing nothing, a journal none of whose rows is in the
    /// manifest ([`JournalError::Mismatch`]) and a journal whose tasks live
    /// on another API ([`JournalError::OtherApi`]).
    pub fn reconcile(
        &mut self,
        manifest: &Manifest,
        manifest_name: &str,
        base_url: &str,
    ) -> Result<Reconciled, JournalError> {
        let path = self.path.clone();
        let sqlite = |context: &'static str| {
            let path = path.clone();
            move |source| JournalError::Sqlite {
                path,
                context,
                source,
            }
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sqlite("cannot start a transaction"))?;
        let recorded: Option<(String, String)> = tx
            .query_row("SELECT manifest, base_url FROM batch", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()
            .map_err(sqlite("cannot read the batch"))?;
        let mut known: HashMap<(String, u32), (i64, State, u64, bool)> = HashMap::new();
        {
            let mut statement = tx
                .prepare(
                    "SELECT id, content_sha256, occurrence, state, line, in_manifest FROM rows",
                )
                .map_err(sqlite("cannot read rows"))?;
            let mut rows = statement.query([]).map_err(sqlite("cannot read rows"))?;
            while let Some(row) = rows.next().map_err(sqlite("cannot read rows"))? {
                let state: String = row.get(3).map_err(sqlite("cannot read rows"))?;
                let state = State::parse(&state).unwrap_or(State::Failed);
                known.insert(
                    (
                        row.get(1).map_err(sqlite("cannot read rows"))?,
                        row.get(2).map_err(sqlite("cannot read rows"))?,
                    ),
                    (
                        row.get(0).map_err(sqlite("cannot read rows"))?,
                        state,
                        row.get::<_, i64>(4)
                            .map_err(sqlite("cannot read rows"))?
                            .max(0) as u64,
                        row.get::<_, i64>(5).map_err(sqlite("cannot read rows"))? == 1,
                    ),
                );
            }
        }
        let keyed =
            |row: &crate::manifest::Row| (row.identity.digest_hex(), row.identity.occurrence());
        let manifest_keys: Vec<(String, u32)> = manifest.rows().iter().map(keyed).collect();
        let overlap = manifest_keys.iter().any(|key| known.contains_key(key));
        match &recorded {
            // Rows with nothing sent may simply be replaced; rows that may
            // have cost money may not be orphaned by a wrong manifest.
            Some((recorded_manifest, _))
                if !manifest_keys.is_empty()
                    && !overlap
                    && known.values().any(|(_, state, ..)| state.may_have_task()) =>
            {
                return Err(JournalError::Mismatch {
                    path: self.path.clone(),
                    manifest: recorded_manifest.clone(),
                    rows: known.len() as u64,
                });
            }
            Some((_, recorded_url)) if recorded_url != base_url => {
                if known.values().any(|(_, state, ..)| state.may_have_task()) {
                    return Err(JournalError::OtherApi {
                        path: self.path.clone(),
                        recorded: recorded_url.clone(),
                        given: base_url.to_owned(),
                    });
                }
                tx.execute("UPDATE batch SET base_url = ?1", [base_url])
                    .map_err(sqlite("cannot record the API"))?;
            }
            Some(_) => {}
            None => {
                tx.execute(
                    &format!(
                        "INSERT INTO batch (id, created_at, tool, manifest, format, base_url) \
                         VALUES (1, {}, ?1, ?2, ?3, ?4)",
                        schema::NOW
                    ),
                    params![
                        concat!("orux-batch ", env!("CARGO_PKG_VERSION")),
                        manifest_name,
                        manifest.format().as_str(),
                        base_url
                    ],
                )
                .map_err(sqlite("cannot record the batch"))?;
            }
        }
        let mut outcome = Reconciled {
            interrupted: tx
                .execute(
                    &format!(
                        "UPDATE rows SET state = 'unknown', error_code = 'interrupted_submit', \
                         error = 'the run stopped while this row was being submitted: \
                         a task may or may not exist', updated_at = {} \
                         WHERE state = 'submitting'",
                        schema::NOW
                    ),
                    [],
                )
                .map_err(sqlite("cannot mark interrupted submits"))?
                as u64,
            ..Reconciled::default()
        };
        {
            let mut insert = tx
                .prepare(&format!(
                    "INSERT INTO rows (content_sha256, occurrence, line, model, updated_at) \
                     VALUES (?1, ?2, ?3, ?4, {})",
                    schema::NOW
                ))
                .map_err(sqlite("cannot add rows"))?;
            let mut relocate = tx
                .prepare("UPDATE rows SET line = ?1, in_manifest = 1 WHERE id = ?2")
                .map_err(sqlite("cannot update rows"))?;
            for (row, key) in manifest.rows().iter().zip(&manifest_keys) {
                match known.remove(key) {
                    Some((id, _, line, in_manifest)) => {
                        if line != row.line || !in_manifest {
                            relocate
                                .execute(params![sql_int(row.line), id])
                                .map_err(sqlite("cannot update rows"))?;
                        }
                    }
                    None => {
                        insert
                            .execute(params![key.0, key.1, sql_int(row.line), row.model])
                            .map_err(sqlite("cannot add rows"))?;
                        outcome.added += 1;
                    }
                }
            }
            let mut drop_row = tx
                .prepare("DELETE FROM rows WHERE id = ?1 AND state = 'pending'")
                .map_err(sqlite("cannot drop rows"))?;
            let mut mark_gone = tx
                .prepare("UPDATE rows SET in_manifest = 0 WHERE id = ?1")
                .map_err(sqlite("cannot mark rows"))?;
            for (id, state, _, in_manifest) in known.into_values() {
                if state == State::Pending {
                    drop_row.execute([id]).map_err(sqlite("cannot drop rows"))?;
                    outcome.dropped += 1;
                } else {
                    if in_manifest {
                        mark_gone
                            .execute([id])
                            .map_err(sqlite("cannot mark rows"))?;
                    }
                    outcome.gone += 1;
                }
            }
        }
        tx.commit().map_err(sqlite("cannot commit"))?;
        Ok(outcome)
    }

    /// Every row with its files, in manifest order (rows no longer in the
    /// manifest last, by their last line).
    pub fn rows(&self) -> Result<Vec<RowRecord>, JournalError> {
        let sqlite = |source| self.sqlite("cannot read rows", source);
        let mut files: HashMap<i64, Vec<FileRecord>> = HashMap::new();
        let mut statement = self
            .conn
            .prepare_cached("SELECT row_id, path, bytes, sha256 FROM files ORDER BY row_id, n")
            .map_err(sqlite)?;
        let mut found = statement.query([]).map_err(sqlite)?;
        while let Some(row) = found.next().map_err(sqlite)? {
            files
                .entry(row.get(0).map_err(sqlite)?)
                .or_default()
                .push(FileRecord {
                    path: row.get(1).map_err(sqlite)?,
                    bytes: row.get::<_, i64>(2).map_err(sqlite)?.max(0) as u64,
                    sha256: row.get(3).map_err(sqlite)?,
                });
        }
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT id, content_sha256, occurrence, line, in_manifest, model, state, \
                 idempotency_key, body_sha256, submits, task_id, task_status, result_urls, \
                 error_code, error FROM rows ORDER BY in_manifest DESC, line, id",
            )
            .map_err(sqlite)?;
        let mut found = statement.query([]).map_err(sqlite)?;
        let mut records = Vec::new();
        while let Some(row) = found.next().map_err(sqlite)? {
            let id: i64 = row.get(0).map_err(sqlite)?;
            let state: String = row.get(6).map_err(sqlite)?;
            let urls: Option<String> = row.get(12).map_err(sqlite)?;
            let code: Option<String> = row.get(13).map_err(sqlite)?;
            let message: Option<String> = row.get(14).map_err(sqlite)?;
            records.push(RowRecord {
                id,
                content_sha256: row.get(1).map_err(sqlite)?,
                occurrence: row.get(2).map_err(sqlite)?,
                line: row.get::<_, i64>(3).map_err(sqlite)?.max(0) as u64,
                in_manifest: row.get::<_, i64>(4).map_err(sqlite)? == 1,
                model: row.get(5).map_err(sqlite)?,
                state: State::parse(&state).ok_or_else(|| JournalError::NotAJournal {
                    path: self.path.clone(),
                    reason: format!("row {id} has the unknown state {state:?}"),
                })?,
                idempotency_key: row.get(7).map_err(sqlite)?,
                body_sha256: row.get(8).map_err(sqlite)?,
                submits: row.get(9).map_err(sqlite)?,
                task_id: row.get(10).map_err(sqlite)?,
                task_status: row.get(11).map_err(sqlite)?,
                result_urls: urls
                    .as_deref()
                    .and_then(|text| serde_json::from_str(text).ok())
                    .unwrap_or_default(),
                error: code.map(|code| RowError {
                    code,
                    message: message.unwrap_or_default(),
                }),
                files: files.remove(&id).unwrap_or_default(),
            });
        }
        Ok(records)
    }

    /// The manifest and API the journal was made for, once recorded.
    pub fn batch(&self) -> Result<Option<BatchRecord>, JournalError> {
        self.conn
            .query_row(
                "SELECT created_at, tool, manifest, format, base_url FROM batch",
                [],
                |row| {
                    Ok(BatchRecord {
                        created_at: row.get(0)?,
                        tool: row.get(1)?,
                        manifest: row.get(2)?,
                        format: row.get(3)?,
                        base_url: row.get(4)?,
                    })
                },
            )
            .optional()
            .map_err(|source| self.sqlite("cannot read the batch", source))
    }

    /// Moves downloaded rows back to `succeeded` (their files forgotten) in
    /// one transaction, so that they are downloaded again.
    pub fn redownload(&mut self, rows: &[i64]) -> Result<(), JournalError> {
        if rows.is_empty() {
            return Ok(());
        }
        let path = self.path.clone();
        let sqlite = |source| JournalError::Sqlite {
            path: path.clone(),
            context: "cannot mark rows for download",
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sqlite)?;
        {
            let mut files = tx
                .prepare("DELETE FROM files WHERE row_id = ?1")
                .map_err(sqlite)?;
            let mut state = tx
                .prepare(&format!(
                    "UPDATE rows SET state = 'succeeded', updated_at = {} \
                     WHERE id = ?1 AND state = 'downloaded'",
                    schema::NOW
                ))
                .map_err(sqlite)?;
            for row in rows {
                files.execute([row]).map_err(sqlite)?;
                state.execute([row]).map_err(sqlite)?;
            }
        }
        tx.commit().map_err(sqlite)
    }

    /// The connection, for the writer.
    pub(crate) fn into_parts(self) -> (Connection, PathBuf, Option<File>) {
        (self.conn, self.path, self._lock)
    }

    pub(crate) fn from_parts(conn: Connection, path: PathBuf, lock: Option<File>) -> Journal {
        Journal {
            conn,
            path,
            _lock: lock,
        }
    }
}

/// The batch as the journal records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchRecord {
    /// When the journal was made (UTC, RFC 3339).
    pub created_at: String,
    /// The tool and version that made it.
    pub tool: String,
    /// The manifest, as named then.
    pub manifest: String,
    /// `jsonl`, `csv` or `bodies`.
    pub format: String,
    /// The API its tasks were created on.
    pub base_url: String,
}

/// A count or line number as SQLite's integer.
fn sql_int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Takes the exclusive lock of a run, or says who holds it.
fn take_lock(journal: &Path) -> Result<File, JournalError> {
    let path = lock_path(journal);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| JournalError::Io {
            context: format!("cannot open the lock file {}", path.display()),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(JournalError::Locked {
            path: journal.to_owned(),
        }),
        Err(std::fs::TryLockError::Error(source)) => Err(JournalError::Io {
            context: format!("cannot lock {}", path.display()),
            source,
        }),
    }
}
