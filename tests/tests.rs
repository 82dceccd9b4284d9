//! One integration-test binary (one link step on a 2-core machine), a module per area.

// Test helpers state their assumptions with unwrap, like the tests themselves.
#![allow(clippy::unwrap_used)]

mod cli;
mod dtw;
mod export;
mod forecast;
mod fraud;
mod gui;
mod hardening;
mod images;
mod jobs;
mod loaders;
mod mlflow;
mod pitching;
mod roundtrip;
mod runs;
mod sentiment;
mod spatial;
mod stock;
mod workspace;

use std::path::{Path, PathBuf};

/// A run store for this test process, so that tests never touch the user's.
pub fn test_home() -> &'static Path {
    static HOME: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    HOME.get_or_init(|| tempfile::tempdir().expect("temp home"))
        .path()
}

/// A folder that lives as long as the test process (an app's run store that a test hands to
/// the app). They are made under `playbook-tests/<pid>/` in the temp folder, and the folders of
/// test processes that have ended are removed when the next one starts, so reruns do not fill
/// the disk.
pub fn process_dir() -> PathBuf {
    static ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let root = ROOT.get_or_init(|| {
        let base = std::env::temp_dir().join("playbook-tests");
        if let Ok(entries) = std::fs::read_dir(&base) {
            for e in entries.flatten() {
                let alive = e
                    .file_name()
                    .to_str()
                    .and_then(|p| p.parse::<u32>().ok())
                    .is_some_and(|pid| Path::new(&format!("/proc/{pid}")).exists());
                if !alive {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let root = base.join(std::process::id().to_string());
        std::fs::create_dir_all(&root).expect("test folder");
        root
    });
    tempfile::tempdir_in(root).expect("temp dir").keep()
}

/// Run the `playbook` binary with `args`, recording runs in the test process's store.
pub fn playbook(args: &[&str]) -> std::process::Output {
    playbook_in(test_home(), args)
}

/// Run the `playbook` binary with `args` and the run store in `home`.
pub fn playbook_in(home: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(args)
        .env("PLAYBOOK_HOME", home)
        .output()
        .expect("run playbook")
}

/// `fraud train` on the sample transactions with the book's rule, plus `extra` arguments,
/// recording its run in `home`.
pub fn fraud_train_in(home: &Path, extra: &[&str]) -> std::process::Output {
    let tx = sample("transactions_100k.parquet");
    let mut args = vec![
        "fraud",
        "train",
        "--input",
        tx.to_str().expect("a UTF-8 path"),
        "--rule",
        "default",
    ];
    args.extend_from_slice(extra);
    playbook_in(home, &args)
}

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

/// A UCR `.ts` sample written as a CSV table (label, t0, t1, ...), labels prefixed by `prefix`.
pub fn gunpoint_csv(dir: &Path, name: &str, prefix: &str) -> PathBuf {
    let s = playbook::data::ucr::read_ts(&sample(name)).expect("sample series");
    let mut text = String::from("label");
    for t in 0..s.series[0].len() {
        text.push_str(&format!(",t{t}"));
    }
    text.push('\n');
    for (l, x) in s.labels.iter().zip(&s.series) {
        text.push_str(&format!("{prefix}{l}"));
        for v in x {
            text.push_str(&format!(",{v}"));
        }
        text.push('\n');
    }
    let path = dir.join(name.replace(".ts", ".csv"));
    std::fs::write(&path, text).expect("write csv");
    path
}
