//! One integration-test binary (one link step on a 2-core machine), a module per area.

mod cli;
mod dtw;
mod export;
mod gui;
mod jobs;
mod loaders;

use std::path::{Path, PathBuf};

/// A file under `sample-data/`.
pub fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-data")
        .join(name)
}

/// Write `bytes` to `name` in a fresh temp folder; the folder lives as long as the guard.
pub fn temp_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write temp file");
    (dir, path)
}
