//! Live ingestion from a watched folder (the book's Auto Loader), shared by the Pitching
//! panel's Live view and `playbook pitching watch`.
//!
//! - **Finding files**: the folder is scanned every `poll` (the polling fallback that always
//!   runs); a `notify` watcher, when the system offers one, wakes the scan at once. Files are
//!   JSON (one object, an array, or newline-delimited) or CSV. Hidden files, `*.tmp`, `*.part`
//!   and `*.reason` are never read: writers that write `x.tmp` and rename it are seen once the
//!   rename lands.
//! - **Half-written files**: a file is read once the system reports it closed after writing or
//!   renamed into place, or once its size and modification time have not changed for `settle`.
//!   A file that does not parse while it was modified in the last `GRACE` is tried again later
//!   (it may still be growing); after that it is bad.
//! - **Bad files** (malformed JSON, a missing column, wrong types) move to `quarantine/` with a
//!   `.reason` file beside them, and ingestion goes on.
//! - **Exactly once**: with an output table, a checkpoint (`.playbook/checkpoint.json` in the
//!   folder) lists the ingested files and the output's length after each one. It is written
//!   (atomically) after the file's flags are appended and synced; on restart an output longer
//!   than the checkpoint says is cut back, so a crash between the two repeats nothing and loses
//!   nothing. The checkpointed files are re-read as history so that baselines match.
//!
//! Nothing here draws; the caller gets `LiveEvent`s.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result, anyhow, bail};
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::tables;
use crate::compute::pitching::{self, Pitch, Pitches, Rule, Score, Scorer, SpinModel};

/// How long after its last change a file that does not parse may still be growing.
pub(crate) const GRACE: Duration = Duration::from_secs(5);
/// The folder for bad files.
pub(crate) const QUARANTINE: &str = "quarantine";
const STATE_DIR: &str = ".playbook";
const CHECKPOINT: &str = "checkpoint.json";

/// Time between replayed pitches by default, ms (a real game has about 23 s): the panel's
/// Replay and `pitching replay`.
pub const REPLAY_MS: u64 = 300;

/// Where and how to watch.
#[derive(Clone, Debug)]
pub struct WatchOptions {
    pub dir: PathBuf,
    /// Scan interval (the polling fallback).
    pub poll: Duration,
    /// How long a file's size and time must stay unchanged when no close event was seen.
    pub settle: Duration,
    /// Append flags here and keep a checkpoint (the headless watcher); None for the panel,
    /// which replays the folder on each start to show the whole game.
    pub out: Option<PathBuf>,
    /// Try the system's file notifications (false: polling only).
    pub use_notify: bool,
}

impl WatchOptions {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            poll: Duration::from_millis(100),
            settle: Duration::from_millis(300),
            out: None,
            use_notify: true,
        }
    }
}

/// What the watcher reports.
#[derive(Clone, Debug)]
pub enum LiveEvent {
    /// Watching started: whether system notifications are used, files already ingested (from
    /// the checkpoint) and pitches of history.
    Started {
        notify: bool,
        resumed: usize,
        history: usize,
    },
    /// One file's pitches, scored, in game order.
    Scored {
        file: String,
        pitches: Vec<Pitch>,
        scores: Vec<Score>,
        names: Vec<(i64, Arc<str>)>,
        /// From the file's last change to its flags being ready (or written), ms.
        latency_ms: f64,
    },
    /// A bad file, moved to `quarantine/` (or left where it was when it could not be moved).
    Quarantined { file: String, reason: String },
    /// A file already read was written again under its name. Its new content is not read (a
    /// pitch is scored once); new pitches belong in a new file. Said once per rewrite.
    Rewritten { file: String },
}

/// What a watch did, when it stops.
#[derive(Clone, Debug, Default, Serialize)]
pub struct WatchSummary {
    pub files: usize,
    pub pitches: usize,
    pub flagged: usize,
    pub quarantined: usize,
    pub latency_p50_ms: f64,
    pub latency_p99_ms: f64,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Checkpoint {
    version: u32,
    /// Ingested files, by name.
    files: Vec<String>,
    /// The output's length in bytes after the last ingested file.
    out_len: u64,
}

fn checkpoint_path(dir: &Path) -> PathBuf {
    dir.join(STATE_DIR).join(CHECKPOINT)
}

fn load_checkpoint(dir: &Path) -> Result<Checkpoint> {
    let path = checkpoint_path(dir);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).with_context(|| {
            format!(
                "{}: not a checkpoint (delete it to start over)",
                path.display()
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Checkpoint {
            version: 1,
            ..Checkpoint::default()
        }),
        Err(e) => Err(anyhow!("{}: cannot read: {e}", path.display())),
    }
}

/// An exclusive lock on the folder's state, held while the returned file is open.
fn lock_folder(dir: &Path) -> Result<std::fs::File> {
    let state = dir.join(STATE_DIR);
    std::fs::create_dir_all(&state)
        .with_context(|| format!("{}: cannot create", state.display()))?;
    let path = state.join("watch.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("{}: cannot open", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => bail!(
            "{}: another watcher is already writing this folder's output; stop it first \
             (two would write every pitch twice)",
            dir.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(anyhow!("{}: cannot lock: {e}", path.display()))
        }
    }
}

fn save_checkpoint(dir: &Path, c: &Checkpoint) -> Result<()> {
    let path = checkpoint_path(dir);
    std::fs::create_dir_all(dir.join(STATE_DIR))
        .with_context(|| format!("{}: cannot create", dir.join(STATE_DIR).display()))?;
    crate::export::write_atomic(&path, |w| {
        serde_json::to_writer(&mut *w, c).map_err(std::io::Error::other)
    })
    .with_context(|| format!("{}: cannot write", path.display()))
}

/// Whether the watcher reads `name` at all.
pub(crate) fn is_candidate(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    !name.starts_with('.')
        && [".json", ".ndjson", ".jsonl", ".csv"]
            .iter()
            .any(|e| lower.ends_with(e))
}

/// Read one pitch file (JSON or CSV) into pitches. Errors name the file and what is wrong.
pub(crate) fn read_file(path: &Path) -> Result<Pitches> {
    let name = crate::data::file_name(path);
    let lower = name.to_ascii_lowercase();
    let frame = if lower.ends_with(".csv") {
        crate::data::load_path(path)?.frame
    } else {
        crate::data::regular_file(path)?;
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{name}: cannot read as UTF-8 text"))?;
        crate::data::json_rows(&name, &text)?
    };
    pitching::from_frame(&name, &frame)
}

/// Move a bad file into `quarantine/` with `<name>.reason` beside it.
pub fn quarantine(dir: &Path, path: &Path, reason: &str) -> Result<PathBuf> {
    let q = dir.join(QUARANTINE);
    std::fs::create_dir_all(&q).with_context(|| format!("{}: cannot create", q.display()))?;
    let name = crate::data::file_name(path);
    let mut target = q.join(&name);
    let mut n = 1;
    while target.exists() {
        n += 1;
        target = q.join(format!("{n}-{name}"));
    }
    std::fs::rename(path, &target)
        .with_context(|| format!("{}: cannot move to {}", path.display(), q.display()))?;
    let reason_path = target.with_file_name(format!("{}.reason", crate::data::file_name(&target)));
    crate::export::write_atomic(&reason_path, |w| writeln!(w, "{reason}"))
        .with_context(|| format!("{}: cannot write", reason_path.display()))?;
    Ok(target)
}

/// What a scan knows of a file.
#[derive(Clone, Copy, PartialEq)]
struct Seen {
    size: u64,
    modified: SystemTime,
    /// When the size and time were first seen as they are.
    since: Instant,
    /// The system said it was closed or renamed into place at this size and time.
    closed: bool,
}

/// The folder's files and which are ready to read.
struct Folder {
    dir: PathBuf,
    settle: Duration,
    seen: HashMap<String, Seen>,
    /// Done (ingested or quarantined): never read again. With the size and time it had when
    /// read, where known, so that a rewrite under the same name is noticed and said.
    done: HashMap<String, Option<(u64, SystemTime)>>,
    /// Done files found changed since they were read, not yet reported.
    rewritten: Vec<String>,
    /// Not parseable yet but young: the (size, time) that failed.
    failed: HashMap<String, (u64, SystemTime)>,
    events: Option<Receiver<notify::Result<notify::Event>>>,
    _watcher: Option<notify::RecommendedWatcher>,
}

impl Folder {
    fn new(dir: &Path, settle: Duration, use_notify: bool, done: HashSet<String>) -> Self {
        // Files read before a restart: as they are now (a rewrite from here on is noticed).
        let done = done
            .into_iter()
            .map(|name| {
                let meta = std::fs::metadata(dir.join(&name))
                    .ok()
                    .map(|m| (m.len(), m.modified().unwrap_or(SystemTime::UNIX_EPOCH)));
                (name, meta)
            })
            .collect();
        let mut folder = Self {
            dir: dir.to_owned(),
            settle,
            seen: HashMap::new(),
            done,
            rewritten: Vec::new(),
            failed: HashMap::new(),
            events: None,
            _watcher: None,
        };
        if use_notify {
            let (tx, rx) = channel();
            if let Ok(mut w) = notify::recommended_watcher(tx) {
                use notify::Watcher;
                if w.watch(dir, notify::RecursiveMode::NonRecursive).is_ok() {
                    folder.events = Some(rx);
                    folder._watcher = Some(w);
                }
            }
        }
        folder
    }

    fn notifying(&self) -> bool {
        self.events.is_some()
    }

    /// Wait up to `wait` for a notification, note close and rename events, then scan. Returns
    /// the files ready to read, oldest first.
    fn ready(&mut self, wait: Duration) -> Result<Vec<PathBuf>> {
        let mut closed: HashSet<String> = HashSet::new();
        if let Some(rx) = &self.events {
            // Whether the event changes what the folder holds; notes files written and closed
            // or renamed into place.
            let mut note = |e: notify::Event| -> bool {
                use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind, RenameMode};
                let complete = matches!(
                    e.kind,
                    EventKind::Access(AccessKind::Close(AccessMode::Write))
                        | EventKind::Modify(ModifyKind::Name(RenameMode::To))
                        | EventKind::Modify(ModifyKind::Name(RenameMode::Both))
                );
                if complete {
                    for p in &e.paths {
                        closed.insert(crate::data::file_name(p));
                    }
                }
                // Reading the folder below makes the system report that it was opened and
                // read: such events must not wake the scan again, or an idle watcher scans in
                // a loop (85% of a core, most of it in the kernel, before this wait).
                !matches!(e.kind, EventKind::Access(_))
            };
            let deadline = Instant::now() + wait;
            loop {
                let left = deadline.saturating_duration_since(Instant::now());
                match rx.recv_timeout(left) {
                    Ok(Ok(e)) => {
                        if note(e) {
                            break;
                        }
                    }
                    Ok(Err(_)) => {}
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => break,
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                        std::thread::sleep(left);
                        break;
                    }
                }
            }
            while let Ok(r) = rx.try_recv() {
                if let Ok(e) = r {
                    note(e);
                }
            }
        } else {
            std::thread::sleep(wait);
        }
        let entries = std::fs::read_dir(&self.dir)
            .with_context(|| format!("{}: cannot read the folder", self.dir.display()))?;
        let now = Instant::now();
        let mut ready = Vec::new();
        let mut present = HashSet::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !is_candidate(&name) {
                continue;
            }
            if let Some(was) = self.done.get_mut(&name) {
                if let (Some(old), Ok(meta)) = (*was, entry.metadata()) {
                    let now = (
                        meta.len(),
                        meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                    );
                    if meta.is_file() && now != old {
                        *was = Some(now);
                        self.rewritten.push(name);
                    }
                }
                continue;
            }
            let Ok(meta) = entry.metadata() else { continue };
            if !meta.is_file() {
                continue;
            }
            present.insert(name.clone());
            let size = meta.len();
            let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            let was = self.seen.get(&name).copied();
            let same = was.is_some_and(|s| s.size == size && s.modified == modified);
            let seen = Seen {
                size,
                modified,
                since: if same {
                    was.map_or(now, |s| s.since)
                } else {
                    now
                },
                closed: closed.contains(&name) || (same && was.is_some_and(|s| s.closed)),
            };
            self.seen.insert(name.clone(), seen);
            if self.failed.get(&name) == Some(&(size, modified)) {
                continue;
            }
            let is_ready = seen.closed || now.duration_since(seen.since) >= self.settle;
            ready.push((modified, name, is_ready));
        }
        self.seen.retain(|k, _| present.contains(k));
        // In the order they were written, and only up to the first file not ready yet: a later
        // file whose close event came first must not overtake an earlier one (seen under load:
        // a replayed outing scored in a shuffled order).
        ready.sort();
        Ok(ready
            .into_iter()
            .take_while(|(_, _, is_ready)| *is_ready)
            .map(|(_, n, _)| self.dir.join(n))
            .collect())
    }
}

/// The flag rows of one file, as CSV bytes (with the header when `header`).
fn flag_csv(pitches: &[Pitch], scores: &[Score], names: &Pitches, header: bool) -> Result<Vec<u8>> {
    let mut df =
        crate::export::spreadsheet_safe(&tables::flag_rows(pitches, scores, |id| names.name(id))?)?;
    let mut buf = Vec::new();
    CsvWriter::new(&mut buf)
        .include_header(header)
        .finish(&mut df)?;
    Ok(buf)
}

/// Append `bytes` to `out` and sync; returns the new length.
fn append(out: &Path, bytes: &[u8]) -> Result<u64> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(out)
        .with_context(|| format!("{}: cannot open for appending", out.display()))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_data())
        .with_context(|| format!("{}: cannot write", out.display()))?;
    Ok(f.metadata()?.len())
}

/// Whether the watcher may append to `out`, given the folder's checkpoint. A file the checkpoint
/// does not account for is left alone (it may be a table the user keeps): with no checkpoint
/// only a new or empty file is used, and a file shorter than the checkpoint says was changed
/// by someone else (appending would write rows without a header).
fn check_output(out: &Path, dir: &Path, checkpoint: &Checkpoint) -> Result<()> {
    let held = std::fs::metadata(out).map_or(0, |m| m.len());
    let fresh = checkpoint.files.is_empty() && checkpoint.out_len == 0;
    if fresh && held > 0 {
        bail!(
            "{}: already holds {held} bytes, and {} has no checkpoint of writing it; name a new \
             file (the watcher neither empties nor appends to a file it did not write)",
            out.display(),
            dir.display()
        );
    }
    if held < checkpoint.out_len {
        bail!(
            "{}: holds {held} bytes but the checkpoint in {} says {} were written; the file was \
             changed or replaced: name a new file, or delete the checkpoint to start over",
            out.display(),
            checkpoint_path(dir).display(),
            checkpoint.out_len
        );
    }
    Ok(())
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Watch `opts.dir` until `stop()` is true, scoring every new file against `history` (and the
/// files before it) and handing each result to `emit`. Returns what was done.
pub fn watch(
    opts: &WatchOptions,
    rule: &Rule,
    history: Option<&Pitches>,
    stop: &dyn Fn() -> bool,
    emit: &mut dyn FnMut(LiveEvent) -> Result<()>,
) -> Result<WatchSummary> {
    if !opts.dir.is_dir() {
        bail!("{}: not a folder", opts.dir.display());
    }
    // One writer per folder: a second watcher with an output would ingest every file again and
    // write every pitch twice. The lock lives as long as this watch (the OS drops it with the
    // process, so a killed watcher leaves none behind).
    let _lock = match &opts.out {
        Some(_) => Some(lock_folder(&opts.dir)?),
        None => None,
    };
    let mut checkpoint = match &opts.out {
        Some(_) => load_checkpoint(&opts.dir)?,
        None => Checkpoint::default(),
    };
    if let Some(out) = &opts.out {
        check_output(out, &opts.dir, &checkpoint)?;
        // Cut off rows appended after the last checkpoint: their file is read again.
        if let Ok(meta) = std::fs::metadata(out)
            && meta.len() > checkpoint.out_len
        {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(out)
                .with_context(|| format!("{}: cannot open", out.display()))?;
            f.set_len(checkpoint.out_len)
                .with_context(|| format!("{}: cannot cut back to the checkpoint", out.display()))?;
        }
    }
    let model: Option<Arc<SpinModel>> =
        history.and_then(|h| SpinModel::fit(&h.pitches).ok().map(Arc::new));
    let mut scorer = Scorer::new(rule.clone(), model);
    let mut names = Pitches::default();
    if let Some(h) = history {
        for p in &h.pitches {
            scorer.learn(p);
        }
        names.names.clone_from(&h.names);
    }
    // Files ingested before a restart: learn them again so that baselines are the same.
    let mut resumed = Vec::new();
    for f in &checkpoint.files {
        if let Ok(p) = read_file(&opts.dir.join(f)) {
            resumed.extend(p.pitches);
            names.names.extend(p.names);
        }
    }
    resumed.sort_by_key(Pitch::order_key);
    for p in &resumed {
        scorer.learn(p);
    }
    let mut folder = Folder::new(
        &opts.dir,
        opts.settle,
        opts.use_notify,
        checkpoint.files.iter().cloned().collect(),
    );
    emit(LiveEvent::Started {
        notify: folder.notifying(),
        resumed: checkpoint.files.len(),
        history: history.map_or(0, |h| h.pitches.len()),
    })?;
    let mut summary = WatchSummary::default();
    let mut latencies = Vec::new();
    while !stop() {
        let ready = folder.ready(opts.poll)?;
        for file in std::mem::take(&mut folder.rewritten) {
            emit(LiveEvent::Rewritten { file })?;
        }
        for path in ready {
            if stop() {
                break;
            }
            let name = crate::data::file_name(&path);
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            let parsed = read_file(&path);
            let pitches = match parsed {
                Ok(p) => p,
                Err(e) => {
                    let young = SystemTime::now()
                        .duration_since(modified)
                        .is_ok_and(|age| age < GRACE);
                    if young {
                        folder.failed.insert(name, (meta.len(), modified));
                        continue;
                    }
                    let reason = format!("{e:#}");
                    if let Err(moved) = quarantine(&opts.dir, &path, &reason) {
                        tracing::warn!("{moved:#}");
                    }
                    folder.done.insert(name.clone(), None);
                    summary.quarantined += 1;
                    emit(LiveEvent::Quarantined { file: name, reason })?;
                    continue;
                }
            };
            let scores: Vec<Score> = pitches.pitches.iter().map(|p| scorer.score(p)).collect();
            names.names.extend(pitches.names.clone());
            if let Some(out) = &opts.out {
                let header = checkpoint.out_len == 0;
                let bytes = flag_csv(&pitches.pitches, &scores, &names, header)?;
                checkpoint.out_len = append(out, &bytes)?;
                checkpoint.files.push(name.clone());
                save_checkpoint(&opts.dir, &checkpoint)?;
            }
            let latency_ms = SystemTime::now()
                .duration_since(modified)
                .map_or(0.0, |d| d.as_secs_f64() * 1000.0);
            latencies.push(latency_ms);
            folder
                .done
                .insert(name.clone(), Some((meta.len(), modified)));
            summary.files += 1;
            summary.pitches += pitches.pitches.len();
            summary.flagged += scores.iter().filter(|s| s.flagged).count();
            let mut file_names: Vec<(i64, Arc<str>)> = pitches.names.into_iter().collect();
            file_names.sort();
            emit(LiveEvent::Scored {
                file: name,
                pitches: pitches.pitches,
                scores,
                names: file_names,
                latency_ms,
            })?;
        }
    }
    latencies.sort_by(f64::total_cmp);
    summary.latency_p50_ms = percentile(&latencies, 0.5);
    summary.latency_p99_ms = percentile(&latencies, 0.99);
    Ok(summary)
}

/// Write `pitches` into `dir` one file at a time in game order (`pitching replay`): each file
/// is written as `<name>.tmp` and renamed, `interval` apart. `per_file` pitches go in a file
/// (1: one pitch per file). Returns the files written. Stops early when `stop()` is true.
pub fn replay(
    pitches: &Pitches,
    dir: &Path,
    interval: Duration,
    per_file: usize,
    stop: &dyn Fn() -> bool,
    on_file: &mut dyn FnMut(usize, usize),
) -> Result<usize> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    let chunks: Vec<&[Pitch]> = pitches.pitches.chunks(per_file.max(1)).collect();
    let total = chunks.len();
    let started = Instant::now();
    for (i, chunk) in chunks.into_iter().enumerate() {
        if stop() {
            return Ok(i);
        }
        // Keep to the schedule (a slow disk does not make the stream drift).
        let due = interval * i as u32;
        if let Some(wait) = due.checked_sub(started.elapsed()) {
            std::thread::sleep(wait);
        }
        let first = &chunk[0];
        let name = format!("pitch-{}-{:06}.json", first.game_pk, i + 1);
        let body: Vec<serde_json::Value> = chunk.iter().map(|p| pitch_json(p, pitches)).collect();
        let tmp = dir.join(format!("{name}.tmp"));
        let text = if body.len() == 1 {
            serde_json::to_string(&body[0])?
        } else {
            serde_json::to_string(&body)?
        };
        std::fs::write(&tmp, text).with_context(|| format!("{}: cannot write", tmp.display()))?;
        std::fs::rename(&tmp, dir.join(&name))
            .with_context(|| format!("{}: cannot rename", tmp.display()))?;
        on_file(i + 1, total);
    }
    Ok(total)
}

/// One pitch as a Statcast-named JSON object.
pub fn pitch_json(p: &Pitch, table: &Pitches) -> serde_json::Value {
    let num = |v: f64| {
        if v.is_finite() {
            serde_json::json!(v)
        } else {
            serde_json::Value::Null
        }
    };
    let mut m = BTreeMap::new();
    m.insert("game_pk", serde_json::json!(p.game_pk));
    m.insert(
        "game_date",
        serde_json::json!(crate::format::date(f64::from(p.day))),
    );
    m.insert("pitcher", serde_json::json!(p.pitcher));
    m.insert("player_name", serde_json::json!(table.name(p.pitcher)));
    m.insert("pitch_type", serde_json::json!(&*p.pitch_type));
    m.insert("release_speed", num(p.speed));
    m.insert("release_spin_rate", num(p.spin));
    m.insert("pitch_number", serde_json::json!(p.pitch_number));
    m.insert("at_bat_number", serde_json::json!(p.at_bat));
    m.insert("inning", serde_json::json!(p.inning));
    m.insert("batter", serde_json::json!(p.batter));
    m.insert("spin_axis", num(p.spin_axis));
    m.insert("release_pos_x", num(p.release_x));
    m.insert("release_pos_z", num(p.release_z));
    m.insert("release_extension", num(p.extension));
    m.insert("pfx_x", num(p.pfx_x));
    m.insert("pfx_z", num(p.pfx_z));
    m.insert("plate_x", num(p.plate_x));
    m.insert("plate_z", num(p.plate_z));
    m.insert("events", serde_json::json!(p.event.as_deref()));
    m.insert("description", serde_json::json!(p.description.as_deref()));
    serde_json::json!(m)
}
