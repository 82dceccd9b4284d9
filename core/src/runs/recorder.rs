//! The handle of a run being recorded. It holds an OS lock on the run's lock file for as long as
//! the run is alive, so another process can tell a live run from one whose process was killed.
//! Finish it with `done`, `failed` or `cancelled`; dropping it unfinished (a panic) marks the run
//! failed.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};

use super::{RunFinish, RunStatus, RunStore, StoreResult, now_seconds};

pub struct RunRecorder {
    id: i64,
    home: PathBuf,
    started: f64,
    pub(super) lock: Option<File>,
    lock_path: PathBuf,
}

/// A fresh token naming a run's lock file.
pub(super) fn new_token() -> String {
    format!(
        "{:x}-{:x}-{:016x}",
        std::process::id(),
        (now_seconds() * 1e6) as u64,
        rand::random::<u64>()
    )
}

/// Create the lock file and hold an exclusive lock on it.
pub(super) fn take_lock(path: &Path) -> std::io::Result<File> {
    let f = File::create(path)?;
    match f.try_lock() {
        Ok(()) => Ok(f),
        Err(TryLockError::WouldBlock) => Err(std::io::Error::new(
            std::io::ErrorKind::WouldBlock,
            "run lock already held",
        )),
        Err(TryLockError::Error(e)) => Err(e),
    }
}

/// True when some live process holds the lock at `path`. A missing file is a free lock.
pub(super) fn lock_is_held(path: &Path) -> bool {
    let Ok(f) = File::open(path) else {
        return false;
    };
    match f.try_lock_shared() {
        Ok(()) => false,
        Err(TryLockError::WouldBlock) => true,
        // Cannot tell (a file system without locks): assume alive rather than fail a live run.
        Err(TryLockError::Error(_)) => true,
    }
}

impl RunRecorder {
    pub(super) fn new(
        id: i64,
        home: PathBuf,
        started: f64,
        lock: File,
        lock_path: PathBuf,
    ) -> Self {
        Self {
            id,
            home,
            started,
            lock: Some(lock),
            lock_path,
        }
    }

    pub fn id(&self) -> i64 {
        self.id
    }

    /// The folder for charts and tables this run keeps beside the store (created on demand).
    pub(crate) fn artifact_dir(&self) -> PathBuf {
        self.home
            .join(super::ARTIFACT_DIR)
            .join(self.id.to_string())
    }

    fn end(
        &mut self,
        status: RunStatus,
        message: Option<&str>,
        finish: &RunFinish,
    ) -> StoreResult<()> {
        let seconds = now_seconds() - self.started;
        let result = RunStore::connect(&self.home)
            .and_then(|s| s.finish(self.id, status, message, seconds, finish));
        // Release only after the record is final, so nobody sees it running with a free lock.
        if let Some(lock) = self.lock.take() {
            drop(lock);
            let _ = std::fs::remove_file(&self.lock_path);
        }
        result
    }

    /// The run finished: its metrics, curves and artifacts.
    pub fn done(mut self, finish: RunFinish) -> StoreResult<()> {
        self.end(RunStatus::Done, None, &finish)
    }

    pub fn failed(mut self, message: &str) -> StoreResult<()> {
        self.end(RunStatus::Failed, Some(message), &RunFinish::default())
    }

    pub fn cancelled(mut self) -> StoreResult<()> {
        self.end(RunStatus::Cancelled, None, &RunFinish::default())
    }
}

impl Drop for RunRecorder {
    fn drop(&mut self) {
        if self.lock.is_some() {
            let _ = self.end(
                RunStatus::Failed,
                Some("the run stopped without a result (it crashed)"),
                &RunFinish::default(),
            );
        }
    }
}
