//! The journal's schema: three plain tables a person can read with
//! `sqlite3` (README, "The journal").

use crate::state::State;

/// `PRAGMA application_id` of a journal ("ORXB"): a SQLite file made by
/// something else is refused rather than changed.
pub const APPLICATION_ID: i32 = 0x4F52_5842;

/// `PRAGMA user_version`: the schema version this code reads and writes.
pub const SCHEMA_VERSION: i32 = 1;

/// The schema, states listed from [`State::ALL`] so the `CHECK` cannot
/// drift from the code.
pub fn ddl() -> String {
    let states = State::ALL
        .iter()
        .map(|state| format!("'{}'", state.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "
CREATE TABLE batch (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    created_at  TEXT NOT NULL,
    tool        TEXT NOT NULL,
    manifest    TEXT NOT NULL,
    format      TEXT NOT NULL CHECK (format IN ('jsonl', 'csv', 'bodies')),
    base_url    TEXT NOT NULL
) STRICT;

CREATE TABLE rows (
    id               INTEGER PRIMARY KEY,
    content_sha256   TEXT NOT NULL,
    occurrence       INTEGER NOT NULL CHECK (occurrence >= 0),
    line             INTEGER NOT NULL,
    in_manifest      INTEGER NOT NULL DEFAULT 1 CHECK (in_manifest IN (0, 1)),
    model            TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ({states})),
    idempotency_key  TEXT,
    body_sha256      TEXT,
    submits          INTEGER NOT NULL DEFAULT 0,
    task_id          TEXT,
    task_status      TEXT,
    result_urls      TEXT,
    error_code       TEXT,
    error            TEXT,
    updated_at       TEXT NOT NULL,
    UNIQUE (content_sha256, occurrence),
    CHECK (state = 'pending' OR idempotency_key IS NOT NULL),
    CHECK (state NOT IN ('submitted', 'succeeded', 'downloaded') OR task_id IS NOT NULL),
    CHECK (state NOT IN ('succeeded', 'downloaded') OR result_urls IS NOT NULL)
) STRICT;

CREATE INDEX rows_by_state ON rows (state);

CREATE TABLE files (
    row_id  INTEGER NOT NULL REFERENCES rows (id) ON DELETE CASCADE,
    n       INTEGER NOT NULL CHECK (n >= 0),
    path    TEXT NOT NULL,
    bytes   INTEGER NOT NULL CHECK (bytes >= 0),
    sha256  TEXT NOT NULL,
    PRIMARY KEY (row_id, n)
) STRICT;

PRAGMA application_id = {APPLICATION_ID};
PRAGMA user_version = {SCHEMA_VERSION};
"
    )
}

/// The time as SQLite writes it into `created_at` and `updated_at`: UTC,
/// RFC 3339 with milliseconds.
pub const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
