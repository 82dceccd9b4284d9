//! The run store: every run of every use case, from the app or the command line, in one SQLite
//! file (WAL mode) in the platform data folder, or under `PLAYBOOK_HOME` when it is set.
//!
//! A run is recorded when it starts (`RunStore::start` gives a `RunRecorder`) and finished with
//! its metrics, curves and artifacts, or marked failed or cancelled. A process that dies mid-run
//! cannot finish its record: each running run holds an OS lock on a small file named after its
//! token, and whoever opens the store next finds runs whose lock is free and marks them failed
//! (interrupted). Nothing here imports egui; the store is shared by panels, CLI and demo.

pub mod fingerprint;
#[cfg(feature = "mlflow")]
pub mod mlflow;
mod recorder;
mod schema;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

pub use fingerprint::{InputFingerprint, of_bytes, of_dataset, of_file, of_folder};
pub use recorder::RunRecorder;

/// The store's file name inside the Playbook home folder.
pub const STORE_FILE: &str = "runs.sqlite";
/// Where running runs keep their lock files.
const LOCK_DIR: &str = "run-locks";
/// Where saved charts and tables of runs are kept.
const ARTIFACT_DIR: &str = "artifacts";
/// The message of a run whose process ended before it finished.
pub(crate) const INTERRUPTED: &str = "interrupted: the process ended before the run finished";

/// Why the store could not be used. The analysis itself still runs.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("run store {}: {source}", path.display())]
    Sql {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("run store {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "run store {}: written by a newer Playbook (schema {found}, this one knows up to {known})",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("run store: no data folder for this user (set PLAYBOOK_HOME)")]
    NoHome,
    #[error("run {0} not found")]
    NoSuchRun(i64),
}

pub(crate) type StoreResult<T> = Result<T, StoreError>;

/// Where a run stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunStatus {
    Running,
    Done,
    Failed,
    Cancelled,
}

impl RunStatus {
    pub const ALL: [RunStatus; 4] = [Self::Running, Self::Done, Self::Failed, Self::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "running" => Self::Running,
            "done" => Self::Done,
            "cancelled" => Self::Cancelled,
            _ => Self::Failed,
        }
    }
}

/// A named curve of a run (a PR curve, a stretch sweep), to overlay runs in the Runs panel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Curve {
    /// Which chart it belongs to ("PR (test)", "ROC (test)", "stretch sweep").
    pub chart: String,
    pub x_label: String,
    pub y_label: String,
    pub points: Vec<(f64, f64)>,
}

/// A file a run wrote, or a chart or table saved beside the store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArtifactRecord {
    pub title: String,
    pub path: String,
    /// True when the file lives in the store's artifact folder (deleted with the run).
    pub owned: bool,
}

/// Where a run was started from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunOrigin {
    App,
    Cli,
    /// Pulled from an MLflow tracking server (`playbook runs pull`).
    Mlflow,
}

impl RunOrigin {
    fn as_str(self) -> &'static str {
        match self {
            Self::App => "app",
            Self::Cli => "cli",
            Self::Mlflow => "mlflow",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "app" => Self::App,
            "mlflow" => Self::Mlflow,
            _ => Self::Cli,
        }
    }

    /// Where the run was started from, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Self::App => "the app",
            Self::Cli => "the command line",
            Self::Mlflow => "MLflow (pulled)",
        }
    }
}

/// A run's counterpart in MLflow: pushed there from this store, or pulled from there into it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MlflowLink {
    /// The tracking server's address, as given (no trailing slash).
    pub server: String,
    pub experiment_id: String,
    pub mlflow_run_id: String,
    /// "push" or "pull".
    pub direction: String,
    /// When, RFC 3339 in UTC.
    pub at: String,
}

impl MlflowLink {
    /// The run's page in the MLflow UI.
    pub fn ui_url(&self) -> String {
        format!(
            "{}/#/experiments/{}/runs/{}",
            self.server, self.experiment_id, self.mlflow_run_id
        )
    }
}

/// One run as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    pub id: i64,
    pub use_case: String,
    pub status: RunStatus,
    /// Why it failed, for failed runs.
    pub message: Option<String>,
    pub params: serde_json::Value,
    /// Named numbers (PR-AUC, sMAPE, median distance ...).
    pub metrics: serde_json::Map<String, serde_json::Value>,
    /// Start time, RFC 3339 in UTC.
    pub started: String,
    /// Seconds from start to end; `None` while running.
    pub seconds: Option<f64>,
    pub app_version: String,
    pub origin: RunOrigin,
    pub inputs: Vec<InputFingerprint>,
    pub artifacts: Vec<ArtifactRecord>,
    pub curves: Vec<Curve>,
    /// Unique across stores and machines (the run's lock token): what MLflow knows it by.
    #[serde(default)]
    pub uid: String,
    /// Where it is in MLflow, if it was pushed or pulled.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mlflow: Vec<MlflowLink>,
}

impl RunRecord {
    /// A metric as a number, if the run has it.
    pub fn metric(&self, name: &str) -> Option<f64> {
        self.metrics.get(name).and_then(serde_json::Value::as_f64)
    }

    /// Its params read back as a use case's params type.
    pub fn params_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, String> {
        serde_json::from_value(self.params.clone())
            .map_err(|e| format!("its params do not fit this version of Playbook: {e}"))
    }

    /// The names of its input datasets, comma-separated.
    pub fn dataset_names(&self) -> String {
        let names: Vec<&str> = self.inputs.iter().map(|i| i.name.as_str()).collect();
        names.join(", ")
    }
}

/// Which runs to list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunFilter {
    pub use_case: Option<String>,
    /// Runs with an input whose name contains this text.
    pub dataset: Option<String>,
    pub status: Option<RunStatus>,
}

impl RunFilter {
    pub fn use_case(name: &str) -> Self {
        Self {
            use_case: Some(name.to_owned()),
            ..Self::default()
        }
    }

    /// True when `r` passes every set condition.
    pub fn keeps(&self, r: &RunRecord) -> bool {
        self.use_case.as_ref().is_none_or(|u| &r.use_case == u)
            && self.status.is_none_or(|s| r.status == s)
            && self.dataset.as_ref().is_none_or(|d| {
                let d = d.to_lowercase();
                r.inputs.iter().any(|i| i.name.to_lowercase().contains(&d))
            })
    }
}

/// What a run starts with: what it is, its parameters and inputs.
#[derive(Clone, Debug)]
pub struct RunStart {
    pub use_case: String,
    pub params: serde_json::Value,
    pub inputs: Vec<InputFingerprint>,
    pub origin: RunOrigin,
}

/// A finished run made elsewhere, to add to the store as it was (`RunStore::import`).
#[derive(Clone, Debug)]
pub struct Imported {
    pub use_case: String,
    pub status: RunStatus,
    pub message: Option<String>,
    pub params: serde_json::Value,
    pub metrics: serde_json::Map<String, serde_json::Value>,
    pub inputs: Vec<InputFingerprint>,
    /// Seconds since 1970.
    pub started: f64,
    pub seconds: Option<f64>,
    pub app_version: String,
}

/// What a finished run leaves.
#[derive(Clone, Debug, Default)]
pub struct RunFinish {
    pub metrics: serde_json::Map<String, serde_json::Value>,
    pub curves: Vec<Curve>,
    pub artifacts: Vec<ArtifactRecord>,
}

/// The store. Cheap to open; each call opens its own short transaction, so several processes
/// (the app and a few commands) can record at once.
pub struct RunStore {
    home: PathBuf,
    path: PathBuf,
    conn: Connection,
}

/// The Playbook home folder: `PLAYBOOK_HOME`, else the platform's data folder.
pub fn home() -> StoreResult<PathBuf> {
    if let Some(h) = std::env::var_os("PLAYBOOK_HOME").filter(|h| !h.is_empty()) {
        return Ok(PathBuf::from(h));
    }
    directories::ProjectDirs::from("", "", "playbook")
        .map(|d| d.data_dir().to_owned())
        .ok_or(StoreError::NoHome)
}

fn now_seconds() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs_f64()
}

/// Seconds since 1970 as RFC 3339 in UTC (to the second).
pub(crate) fn rfc3339(seconds: f64) -> String {
    chrono::DateTime::from_timestamp(seconds as i64, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

impl RunStore {
    /// Open (creating if needed) the store in `home`, migrate it, and mark runs whose process
    /// has gone as failed (interrupted).
    pub fn open(home: &Path) -> StoreResult<Self> {
        let mut store = Self::connect(home)?;
        schema::migrate(&mut store.conn, &store.path)?;
        store.mark_interrupted()?;
        Ok(store)
    }

    /// A connection to a store already opened once (by `open`), as a running run's recorder
    /// needs to finish its record: no migration, no sweep for interrupted runs.
    pub(super) fn connect(home: &Path) -> StoreResult<Self> {
        let path = home.join(STORE_FILE);
        std::fs::create_dir_all(home.join(LOCK_DIR)).map_err(|source| StoreError::Io {
            path: home.to_owned(),
            source,
        })?;
        let sql = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        let conn = Connection::open(&path).map_err(sql)?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(sql)?;
        // WAL lets readers and one writer work at once; fails cleanly on a read-only folder.
        // Switching a new store to WAL takes an exclusive lock, and SQLite may answer "busy"
        // at once (without the busy handler) when another process switches it at the same
        // moment: retry for a while, as the busy timeout would.
        let mut tries = 0;
        loop {
            match conn.pragma_update(None, "journal_mode", "WAL") {
                Ok(()) => break,
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if matches!(
                        e.code,
                        rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                    ) && tries < 100 =>
                {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(e) => return Err(sql(e)),
            }
        }
        Ok(Self {
            home: home.to_owned(),
            path,
            conn,
        })
    }

    /// The folder where runs keep saved charts and tables.
    pub(crate) fn artifact_dir(&self, id: i64) -> PathBuf {
        self.home.join(ARTIFACT_DIR).join(id.to_string())
    }

    /// The file behind one of a run's artifacts, when the store may hand it on (to an MLflow
    /// server): a kept file only inside the run's own artifacts folder; a file the run wrote
    /// only while it is as the run left it (modified between the run's start and a minute after
    /// its end). A store edited to list `/etc/passwd` or `~/.ssh/id_rsa` gets neither past this.
    pub fn trusted_artifact(&self, run: &RunRecord, a: &ArtifactRecord) -> Result<PathBuf, String> {
        let path = Path::new(&a.path);
        let real = path
            .canonicalize()
            .map_err(|e| format!("{}: {e}", a.path))?;
        if a.owned {
            let folder = self.artifact_dir(run.id).canonicalize().ok();
            return match folder {
                Some(f) if real.starts_with(&f) => Ok(real),
                _ => Err(format!("{}: outside the run's artifacts folder", a.path)),
            };
        }
        let started = chrono::DateTime::parse_from_rfc3339(&run.started)
            .map(|t| t.timestamp() as f64)
            .map_err(|_| format!("{}: the run has no start time", a.path))?;
        let end = started + run.seconds.unwrap_or(0.0).max(0.0) + 60.0;
        let modified = std::fs::metadata(&real)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_secs_f64());
        match modified {
            Some(m) if real.is_file() && m >= started - 1.0 && m <= end => Ok(real),
            _ => Err(format!("{}: not as the run wrote it", a.path)),
        }
    }

    fn sql(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        |source| StoreError::Sql {
            path: self.path.clone(),
            source,
        }
    }

    fn lock_path(&self, token: &str) -> PathBuf {
        self.home.join(LOCK_DIR).join(format!("{token}.lock"))
    }

    /// Runs still marked running whose lock nobody holds: their process ended. Mark them failed.
    fn mark_interrupted(&self) -> StoreResult<()> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, lock_token FROM runs WHERE status = 'running'")
            .map_err(self.sql())?;
        let running: Vec<(i64, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(self.sql())?
            .collect::<Result<_, _>>()
            .map_err(self.sql())?;
        for (id, token) in running {
            if recorder::lock_is_held(&self.lock_path(&token)) {
                continue;
            }
            let n = self
                .conn
                .execute(
                    "UPDATE runs SET status = 'failed', message = ?2 \
                     WHERE id = ?1 AND status = 'running'",
                    params![id, INTERRUPTED],
                )
                .map_err(self.sql())?;
            if n > 0 {
                let _ = std::fs::remove_file(self.lock_path(&token));
            }
        }
        Ok(())
    }

    /// Record the start of a run. The recorder holds the run's lock until it is finished or
    /// dropped (a dropped, unfinished recorder marks its run failed).
    pub fn start(&self, start: RunStart) -> StoreResult<RunRecorder> {
        let token = recorder::new_token();
        let lock =
            recorder::take_lock(&self.lock_path(&token)).map_err(|source| StoreError::Io {
                path: self.lock_path(&token),
                source,
            })?;
        let started = now_seconds();
        let params_text = start.params.to_string();
        let inputs_text = serde_json::to_string(&start.inputs).unwrap_or_else(|_| "[]".into());
        self.conn
            .execute(
                "INSERT INTO runs (use_case, status, params, inputs, started, app_version, \
                 origin, pid, lock_token) VALUES (?1, 'running', ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    start.use_case,
                    params_text,
                    inputs_text,
                    started,
                    env!("CARGO_PKG_VERSION"),
                    start.origin.as_str(),
                    std::process::id(),
                    token,
                ],
            )
            .map_err(self.sql())?;
        let id = self.conn.last_insert_rowid();
        Ok(RunRecorder::new(
            id,
            self.home.clone(),
            started,
            lock,
            self.lock_path(&token),
        ))
    }

    /// Set a run's end state (used by `RunRecorder`).
    fn finish(
        &self,
        id: i64,
        status: RunStatus,
        message: Option<&str>,
        seconds: f64,
        finish: &RunFinish,
    ) -> StoreResult<()> {
        let metrics = serde_json::Value::Object(finish.metrics.clone()).to_string();
        let curves = serde_json::to_string(&finish.curves).unwrap_or_else(|_| "[]".into());
        let artifacts = serde_json::to_string(&finish.artifacts).unwrap_or_else(|_| "[]".into());
        self.conn
            .execute(
                "UPDATE runs SET status = ?2, message = ?3, seconds = ?4, metrics = ?5, \
                 curves = ?6, artifacts = ?7 WHERE id = ?1",
                params![
                    id,
                    status.as_str(),
                    message,
                    seconds,
                    metrics,
                    curves,
                    artifacts
                ],
            )
            .map_err(self.sql())?;
        Ok(())
    }

    const COLUMNS: &'static str = "id, use_case, status, message, params, metrics, started, \
         seconds, app_version, origin, inputs, artifacts, curves, lock_token";

    fn record(row: &rusqlite::Row<'_>) -> rusqlite::Result<RunRecord> {
        let json = |i: usize| -> rusqlite::Result<serde_json::Value> {
            let text: String = row.get(i)?;
            Ok(serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
        };
        let status: String = row.get(2)?;
        let origin: String = row.get(9)?;
        let started: f64 = row.get(6)?;
        Ok(RunRecord {
            id: row.get(0)?,
            use_case: row.get(1)?,
            status: RunStatus::parse(&status),
            message: row.get(3)?,
            params: json(4)?,
            metrics: match json(5)? {
                serde_json::Value::Object(m) => m,
                _ => serde_json::Map::new(),
            },
            started: rfc3339(started),
            seconds: row.get(7)?,
            app_version: row.get(8)?,
            origin: RunOrigin::parse(&origin),
            inputs: serde_json::from_value(json(10)?).unwrap_or_default(),
            artifacts: serde_json::from_value(json(11)?).unwrap_or_default(),
            curves: serde_json::from_value(json(12)?).unwrap_or_default(),
            uid: row.get(13)?,
            mlflow: Vec::new(),
        })
    }

    /// Every MLflow link of the store, by run id.
    fn links(&self) -> StoreResult<std::collections::HashMap<i64, Vec<MlflowLink>>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT run_id, server, experiment_id, mlflow_run_id, direction, at \
                 FROM mlflow_links ORDER BY at",
            )
            .map_err(self.sql())?;
        let rows = stmt
            .query_map([], |r| {
                let at: f64 = r.get(5)?;
                Ok((
                    r.get::<_, i64>(0)?,
                    MlflowLink {
                        server: r.get(1)?,
                        experiment_id: r.get(2)?,
                        mlflow_run_id: r.get(3)?,
                        direction: r.get(4)?,
                        at: rfc3339(at),
                    },
                ))
            })
            .map_err(self.sql())?
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql())?;
        let mut by_run: std::collections::HashMap<i64, Vec<MlflowLink>> = Default::default();
        for (id, link) in rows {
            by_run.entry(id).or_default().push(link);
        }
        Ok(by_run)
    }

    /// Record that run `id` is `link` in MLflow (replacing an older record of that MLflow run).
    pub fn add_link(&self, id: i64, link: &MlflowLink) -> StoreResult<()> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO mlflow_links \
                 (run_id, server, experiment_id, mlflow_run_id, direction, at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    id,
                    link.server,
                    link.experiment_id,
                    link.mlflow_run_id,
                    link.direction,
                    now_seconds()
                ],
            )
            .map_err(self.sql())?;
        Ok(())
    }

    /// Add a finished run made elsewhere (pulled from MLflow) with its link, in one transaction.
    pub fn import(&mut self, run: &Imported, link: &MlflowLink) -> StoreResult<i64> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        tx.execute(
            "INSERT INTO runs (use_case, status, message, params, metrics, inputs, started, \
             seconds, app_version, origin, lock_token) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'mlflow', ?10)",
            params![
                run.use_case,
                run.status.as_str(),
                run.message,
                run.params.to_string(),
                serde_json::Value::Object(run.metrics.clone()).to_string(),
                serde_json::to_string(&run.inputs).unwrap_or_else(|_| "[]".into()),
                run.started,
                run.seconds,
                run.app_version,
                format!("mlflow-{}", link.mlflow_run_id),
            ],
        )
        .map_err(sql)?;
        let id = tx.last_insert_rowid();
        tx.execute(
            "INSERT OR REPLACE INTO mlflow_links \
             (run_id, server, experiment_id, mlflow_run_id, direction, at) \
             VALUES (?1, ?2, ?3, ?4, 'pull', ?5)",
            params![
                id,
                link.server,
                link.experiment_id,
                link.mlflow_run_id,
                now_seconds()
            ],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(id)
    }

    /// The runs that pass `filter`, newest first (as of when the store was opened: runs
    /// interrupted since are marked on the next `open`).
    pub fn list(&self, filter: &RunFilter) -> StoreResult<Vec<RunRecord>> {
        let sql = format!("SELECT {} FROM runs ORDER BY id DESC", Self::COLUMNS);
        let mut stmt = self.conn.prepare(&sql).map_err(self.sql())?;
        let rows = stmt
            .query_map([], Self::record)
            .map_err(self.sql())?
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql())?;
        let mut links = self.links()?;
        Ok(rows
            .into_iter()
            .filter(|r| filter.keeps(r))
            .map(|mut r| {
                r.mlflow = links.remove(&r.id).unwrap_or_default();
                r
            })
            .collect())
    }

    pub fn get(&self, id: i64) -> StoreResult<RunRecord> {
        let sql = format!("SELECT {} FROM runs WHERE id = ?1", Self::COLUMNS);
        let mut run = self
            .conn
            .query_row(&sql, [id], Self::record)
            .optional()
            .map_err(self.sql())?
            .ok_or(StoreError::NoSuchRun(id))?;
        run.mlflow = self.links()?.remove(&id).unwrap_or_default();
        Ok(run)
    }

    /// Delete runs and the artifacts kept in the store's folder for them. A running run is
    /// deleted too (its recorder's later update then changes nothing).
    pub fn delete(&self, ids: &[i64]) -> StoreResult<usize> {
        let mut n = 0;
        for &id in ids {
            let run = self.get(id)?;
            // Only files inside the store's own artifacts folder: a store edited to list
            // another path (`/etc/passwd`, `../x`) must not make `delete` remove it.
            let folder = self.artifact_dir(id).canonicalize().ok();
            for a in run.artifacts.iter().filter(|a| a.owned) {
                let inside = std::path::Path::new(&a.path)
                    .canonicalize()
                    .ok()
                    .zip(folder.as_ref())
                    .is_some_and(|(p, f)| p.starts_with(f));
                if inside {
                    let _ = std::fs::remove_file(&a.path);
                }
            }
            let _ = std::fs::remove_dir_all(self.artifact_dir(id));
            self.conn
                .execute("DELETE FROM mlflow_links WHERE run_id = ?1", [id])
                .map_err(self.sql())?;
            n += self
                .conn
                .execute("DELETE FROM runs WHERE id = ?1", [id])
                .map_err(self.sql())?;
        }
        Ok(n)
    }
}

/// The parameters that differ between runs (top-level keys of their params objects), sorted.
pub(crate) fn differing_params(runs: &[RunRecord]) -> Vec<String> {
    let mut keys: Vec<String> = runs
        .iter()
        .filter_map(|r| r.params.as_object())
        .flat_map(|m| m.keys().cloned())
        .collect();
    keys.sort();
    keys.dedup();
    keys.retain(|k| {
        let first = runs.first().and_then(|r| r.params.get(k));
        runs.iter().any(|r| r.params.get(k) != first)
    });
    keys
}

/// Every metric name of these runs, sorted.
pub fn metric_names(runs: &[RunRecord]) -> Vec<String> {
    let mut names: Vec<String> = runs
        .iter()
        .flat_map(|r| r.metrics.keys().cloned())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// A JSON value as a short cell of a table.
pub fn cell_text(v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => match n.as_f64() {
            Some(x) if n.is_f64() => crate::format::short(x),
            _ => n.to_string(),
        },
        // Nested parameters in words ("k 3, method median"), not as JSON.
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|v| cell_text(Some(v)))
            .collect::<Vec<_>>()
            .join(", "),
        Some(serde_json::Value::Object(fields)) => fields
            .iter()
            .map(|(k, v)| format!("{} {}", k.replace('_', " "), cell_text(Some(v))))
            .collect::<Vec<_>>()
            .join(", "),
        Some(serde_json::Value::Bool(b)) => if *b { "yes" } else { "no" }.to_owned(),
    }
}

/// A comparison of runs as rows (parameter or metric) and one column per run.
pub struct Comparison {
    pub ids: Vec<i64>,
    /// (kind "param" or "metric", name, one cell per run, differs across runs).
    pub rows: Vec<ComparisonRow>,
}

pub struct ComparisonRow {
    pub kind: &'static str,
    pub name: String,
    pub cells: Vec<String>,
    pub differs: bool,
}

/// Compare runs: every parameter and every metric, one column per run.
pub fn compare(runs: &[RunRecord]) -> Comparison {
    let mut params: Vec<String> = runs
        .iter()
        .filter_map(|r| r.params.as_object())
        .flat_map(|m| m.keys().cloned())
        .collect();
    params.sort();
    params.dedup();
    let differ = differing_params(runs);
    let mut rows = Vec::new();
    let info = |name: &str, f: &dyn Fn(&RunRecord) -> String| {
        let cells: Vec<String> = runs.iter().map(f).collect();
        let differs = cells.iter().any(|c| Some(c) != cells.first());
        ComparisonRow {
            kind: "run",
            name: name.to_owned(),
            cells,
            differs,
        }
    };
    rows.push(info("use_case", &|r| r.use_case.clone()));
    rows.push(info("status", &|r| r.status.as_str().to_owned()));
    rows.push(info("datasets", &|r| r.dataset_names()));
    for k in params {
        rows.push(ComparisonRow {
            kind: "param",
            differs: differ.contains(&k),
            cells: runs.iter().map(|r| cell_text(r.params.get(&k))).collect(),
            name: k,
        });
    }
    for m in metric_names(runs) {
        let cells: Vec<String> = runs.iter().map(|r| cell_text(r.metrics.get(&m))).collect();
        let differs = cells.iter().any(|c| Some(c) != cells.first());
        rows.push(ComparisonRow {
            kind: "metric",
            name: m,
            cells,
            differs,
        });
    }
    Comparison {
        ids: runs.iter().map(|r| r.id).collect(),
        rows,
    }
}

/// The store's runs as a flat table for `runs export`: one row per run, params and metrics as
/// JSON text columns and each metric in a column of its own.
pub fn runs_frame(runs: &[RunRecord]) -> polars::prelude::PolarsResult<polars::prelude::DataFrame> {
    use polars::prelude::{Column, DataFrame};
    let metrics = metric_names(runs);
    let mut columns = vec![
        Column::new("id".into(), runs.iter().map(|r| r.id).collect::<Vec<_>>()),
        Column::new(
            "use_case".into(),
            runs.iter().map(|r| r.use_case.clone()).collect::<Vec<_>>(),
        ),
        Column::new(
            "status".into(),
            runs.iter().map(|r| r.status.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "started".into(),
            runs.iter().map(|r| r.started.clone()).collect::<Vec<_>>(),
        ),
        Column::new(
            "seconds".into(),
            runs.iter().map(|r| r.seconds).collect::<Vec<_>>(),
        ),
        Column::new(
            "datasets".into(),
            runs.iter()
                .map(RunRecord::dataset_names)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "params".into(),
            runs.iter()
                .map(|r| r.params.to_string())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "message".into(),
            runs.iter().map(|r| r.message.clone()).collect::<Vec<_>>(),
        ),
    ];
    for m in &metrics {
        columns.push(Column::new(
            m.as_str().into(),
            runs.iter().map(|r| r.metric(m)).collect::<Vec<_>>(),
        ));
    }
    DataFrame::new_infer_height(columns)
}

#[cfg(test)]
mod tests;
