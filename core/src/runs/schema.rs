//! The store's schema and its migrations. `PRAGMA user_version` holds the schema version; each
//! entry of `MIGRATIONS` takes the store from version i to i + 1, so a store made by any older
//! Playbook is brought up to date when it is opened, and one made by a newer Playbook is refused
//! with a clear message instead of being damaged.

use std::path::Path;

use rusqlite::Connection;

use super::{StoreError, StoreResult};

/// Version 1: one row per run; params, metrics, inputs, artifacts and curves as JSON text.
const V1: &str = "
CREATE TABLE runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    use_case    TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
    message     TEXT,
    params      TEXT NOT NULL DEFAULT '{}',
    metrics     TEXT NOT NULL DEFAULT '{}',
    inputs      TEXT NOT NULL DEFAULT '[]',
    artifacts   TEXT NOT NULL DEFAULT '[]',
    curves      TEXT NOT NULL DEFAULT '[]',
    started     REAL NOT NULL,
    seconds     REAL,
    app_version TEXT NOT NULL,
    origin      TEXT NOT NULL,
    pid         INTEGER,
    lock_token  TEXT NOT NULL
);
CREATE INDEX runs_use_case ON runs (use_case);
CREATE INDEX runs_status ON runs (status);
";

/// Version 2: where runs went to or came from in MLflow (one row per server and MLflow run), so
/// a pushed run is shown as pushed and a pulled one is not pulled twice.
const V2: &str = "
CREATE TABLE mlflow_links (
    run_id        INTEGER NOT NULL,
    server        TEXT NOT NULL,
    experiment_id TEXT NOT NULL,
    mlflow_run_id TEXT NOT NULL,
    direction     TEXT NOT NULL CHECK (direction IN ('push', 'pull')),
    at            REAL NOT NULL,
    UNIQUE (server, mlflow_run_id)
);
CREATE INDEX mlflow_links_run ON mlflow_links (run_id);
";

/// Migrations in order: `MIGRATIONS[i]` takes schema version i to i + 1.
const MIGRATIONS: &[&str] = &[V1, V2];

/// The schema version this build writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// Bring the store at `path` up to `VERSION`, one migration per transaction.
pub(crate) fn migrate(conn: &mut Connection, path: &Path) -> StoreResult<()> {
    let sql = |source| StoreError::Sql {
        path: path.to_owned(),
        source,
    };
    loop {
        // An immediate transaction: two processes opening a new store at once do not both
        // create the table.
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sql)?;
        let found: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(sql)?;
        if found > VERSION {
            return Err(StoreError::TooNew {
                path: path.to_owned(),
                found,
                known: VERSION,
            });
        }
        if found == VERSION {
            return tx.commit().map_err(sql);
        }
        tx.execute_batch(MIGRATIONS[found as usize]).map_err(sql)?;
        tx.pragma_update(None, "user_version", found + 1)
            .map_err(sql)?;
        tx.commit().map_err(sql)?;
    }
}
