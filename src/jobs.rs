//! The one background job runner. Every load, computation and export that could take longer
//! than a frame runs here, on a named thread, never on the UI thread. A job reports progress
//! (fraction + message), is cancelled cooperatively, has its errors and panics caught and turned
//! into a failed job, and wakes the UI (`repaint`) when it ends. Two jobs with the same key
//! cannot run at once. Results come back through a typed `JobHandle<T>` that the UI polls.
//! A long-running job (a folder watcher) streams items as it goes: `spawn_stream` gives it a
//! `StreamSender<T>` over a bounded channel (a UI that falls behind slows the job down rather
//! than filling memory), and the UI drains a `StreamHandle<T>` every frame.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::compute::{Cancelled, Progress};

/// How a job ended, when it did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    #[error("cancelled")]
    Cancelled,
    #[error("{0}")]
    Failed(String),
    #[error("crashed: {0}")]
    Panicked(String),
    #[error("'{0}' is already running")]
    AlreadyRunning(String),
}

struct Shared {
    id: u64,
    key: String,
    name: String,
    started: Instant,
    progress: Mutex<(f32, String)>,
    /// The job said it waits (a watcher with nothing new) rather than computes.
    waiting: AtomicBool,
    cancel: AtomicBool,
}

/// What the status bar shows of a running job.
#[derive(Clone, Debug)]
pub struct JobStatus {
    pub id: u64,
    pub name: String,
    pub fraction: f32,
    pub message: String,
    pub elapsed: Duration,
    /// It waits for something outside (`JobCtx::waiting`): no clock, no animation, no
    /// repaints; a job that computes is busy whether or not it reports.
    pub waiting: bool,
}

/// Given to the job's work: report progress and check for cancellation.
pub struct JobCtx {
    shared: Arc<Shared>,
    /// Wakes the UI when the progress changes (at most ten times a second), so that the app
    /// needs no timer of its own while a job waits.
    repaint: Repaint,
    last_wake: Mutex<Option<Instant>>,
}

impl JobCtx {
    /// `Err(Cancelled)` once the user pressed Cancel; use with `?` between chunks of work.
    pub fn check(&self) -> Result<(), Cancelled> {
        crate::compute::check(self)
    }
}

impl JobCtx {
    /// Say the job now waits for something outside it (a folder's next file), with `message`
    /// on its bar: the app then draws no clock or animation for it and keeps no timer. The next
    /// `report` makes it busy again.
    pub fn waiting(&self, message: &str) {
        self.shared.waiting.store(true, Ordering::Relaxed);
        self.update(0.0, message);
    }
}

impl Progress for JobCtx {
    fn report(&self, fraction: f32, message: &str) {
        self.shared.waiting.store(false, Ordering::Relaxed);
        self.update(fraction, message);
    }

    fn cancelled(&self) -> bool {
        self.shared.cancel.load(Ordering::Relaxed)
    }
}

impl JobCtx {
    fn update(&self, fraction: f32, message: &str) {
        let mut p = self
            .shared
            .progress
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let fraction = fraction.clamp(0.0, 1.0);
        let changed = p.0 != fraction || p.1 != message;
        p.0 = fraction;
        if p.1 != message {
            p.1 = message.to_owned();
        }
        drop(p);
        if changed {
            let mut last = self
                .last_wake
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if last.is_none_or(|t| t.elapsed() >= Duration::from_millis(100)) {
                *last = Some(Instant::now());
                drop(last);
                (self.repaint)();
            }
        }
    }
}

type Repaint = Arc<dyn Fn() + Send + Sync>;
type Active = Arc<Mutex<Vec<Arc<Shared>>>>;

/// Starts jobs and lists the running ones. Cheap to clone; clones share the job list.
#[derive(Clone)]
pub struct JobRunner {
    active: Active,
    next_id: Arc<AtomicU64>,
    repaint: Repaint,
}

impl Default for JobRunner {
    fn default() -> Self {
        Self::new(|| {})
    }
}

fn lock(active: &Active) -> std::sync::MutexGuard<'_, Vec<Arc<Shared>>> {
    active.lock().unwrap_or_else(PoisonError::into_inner)
}

fn remove(active: &Active, id: u64) {
    lock(active).retain(|s| s.id != id);
}

impl JobRunner {
    /// `repaint` is called whenever a job ends (the app passes `ctx.request_repaint`).
    pub fn new(repaint: impl Fn() + Send + Sync + 'static) -> Self {
        Self {
            active: Arc::default(),
            next_id: Arc::new(AtomicU64::new(1)),
            repaint: Arc::new(repaint),
        }
    }

    /// Run `work` on a new named thread. `key` identifies "the same job on the same data": a
    /// second spawn with a running key is refused with `JobError::AlreadyRunning`.
    pub fn spawn<T, F>(
        &self,
        key: impl Into<String>,
        name: impl Into<String>,
        work: F,
    ) -> Result<JobHandle<T>, JobError>
    where
        T: Send + 'static,
        F: FnOnce(&JobCtx) -> anyhow::Result<T> + Send + 'static,
    {
        let key = key.into();
        let name = name.into();
        let shared = {
            let mut active = lock(&self.active);
            if active.iter().any(|s| s.key == key) {
                return Err(JobError::AlreadyRunning(name));
            }
            let shared = Arc::new(Shared {
                id: self.next_id.fetch_add(1, Ordering::Relaxed),
                key,
                name: name.clone(),
                started: Instant::now(),
                progress: Mutex::new((0.0, String::new())),
                waiting: AtomicBool::new(false),
                cancel: AtomicBool::new(false),
            });
            active.push(shared.clone());
            shared
        };
        let (tx, rx) = mpsc::sync_channel(1);
        let ctx = JobCtx {
            shared: shared.clone(),
            repaint: self.repaint.clone(),
            last_wake: Mutex::new(None),
        };
        let active = self.active.clone();
        let repaint = self.repaint.clone();
        // A thread name may not hold a NUL byte (a path from a corrupt settings file can).
        let thread_name: String = format!("job: {name}")
            .chars()
            .filter(|c| *c != '\0')
            .take(60)
            .collect();
        let spawned = std::thread::Builder::new()
            .name(thread_name)
            .spawn(move || {
                let result = catch_unwind(AssertUnwindSafe(|| work(&ctx)));
                let outcome = match result {
                    _ if ctx.cancelled() => Err(JobError::Cancelled),
                    Ok(Ok(v)) => Ok(v),
                    Ok(Err(e)) if e.is::<Cancelled>() => Err(JobError::Cancelled),
                    Ok(Err(e)) => Err(JobError::Failed(format!("{e:#}"))),
                    Err(payload) => Err(JobError::Panicked(panic_message(&*payload))),
                };
                // Send before leaving the active list, so that "no job running" implies every
                // result is already waiting in its handle. The receiver may be gone (cancelled,
                // or the app closed): nothing to tell then.
                let _ = tx.send(outcome);
                remove(&active, ctx.shared.id);
                repaint();
            });
        if let Err(e) = spawned {
            remove(&self.active, shared.id);
            return Err(JobError::Failed(format!("cannot start a thread: {e}")));
        }
        Ok(JobHandle {
            rx,
            shared,
            active: self.active.clone(),
            done: false,
        })
    }

    /// The running jobs, oldest first.
    pub fn active(&self) -> Vec<JobStatus> {
        lock(&self.active)
            .iter()
            .map(|s| {
                let p = s.progress.lock().unwrap_or_else(PoisonError::into_inner);
                JobStatus {
                    id: s.id,
                    name: s.name.clone(),
                    fraction: p.0,
                    message: p.1.clone(),
                    elapsed: s.started.elapsed(),
                    waiting: s.waiting.load(Ordering::Relaxed),
                }
            })
            .collect()
    }

    /// Ask job `id` to stop. Its handle reports `Cancelled` at once; the thread stops at its
    /// next check and whatever it still produces is dropped.
    pub fn cancel(&self, id: u64) {
        let mut active = lock(&self.active);
        if let Some(s) = active.iter().find(|s| s.id == id) {
            s.cancel.store(true, Ordering::Relaxed);
        }
        active.retain(|s| s.id != id);
        drop(active);
        (self.repaint)();
    }

    pub fn is_running(&self, key: &str) -> bool {
        lock(&self.active).iter().any(|s| s.key == key)
    }
}

/// What a streaming job sends through. `send` waits while the channel is full and gives up
/// with `Cancelled` when the job is cancelled or the handle dropped.
pub struct StreamSender<T> {
    tx: mpsc::SyncSender<T>,
    repaint: Repaint,
    shared: Arc<Shared>,
}

impl<T> StreamSender<T> {
    pub fn send(&self, mut item: T) -> Result<(), Cancelled> {
        loop {
            match self.tx.try_send(item) {
                Ok(()) => {
                    (self.repaint)();
                    return Ok(());
                }
                Err(mpsc::TrySendError::Full(back)) => {
                    if self.shared.cancel.load(Ordering::Relaxed) {
                        return Err(Cancelled);
                    }
                    item = back;
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(mpsc::TrySendError::Disconnected(_)) => return Err(Cancelled),
            }
        }
    }
}

/// A streaming job: its items as they come, and its end.
pub struct StreamHandle<T> {
    items: Receiver<T>,
    job: JobHandle<()>,
}

impl<T> StreamHandle<T> {
    /// The items sent since the last call (at most `max`, so one frame never drains forever).
    pub fn drain(&mut self, max: usize) -> Vec<T> {
        let mut out = Vec::new();
        while out.len() < max {
            match self.items.try_recv() {
                Ok(item) => out.push(item),
                Err(_) => break,
            }
        }
        out
    }

    /// `None` while the job runs; its outcome once, when it has ended.
    pub fn poll(&mut self) -> Option<Result<(), JobError>> {
        self.job.poll()
    }

    pub fn cancel(&self) {
        self.job.cancel();
    }

    pub fn id(&self) -> u64 {
        self.job.id()
    }
}

impl JobRunner {
    /// Run a long job that sends items as it goes, through a channel of `capacity` items.
    pub fn spawn_stream<T, F>(
        &self,
        key: impl Into<String>,
        name: impl Into<String>,
        capacity: usize,
        work: F,
    ) -> Result<StreamHandle<T>, JobError>
    where
        T: Send + 'static,
        F: FnOnce(&JobCtx, &StreamSender<T>) -> anyhow::Result<()> + Send + 'static,
    {
        let (tx, items) = mpsc::sync_channel(capacity.max(1));
        let repaint = self.repaint.clone();
        let job = self.spawn(key, name, move |ctx| {
            let sender = StreamSender {
                tx,
                repaint,
                shared: ctx.shared.clone(),
            };
            work(ctx, &sender)
        })?;
        Ok(StreamHandle { items, job })
    }
}

/// The typed result of one job. Poll it from the UI; `wait` for it in the CLI and tests.
pub struct JobHandle<T> {
    rx: Receiver<Result<T, JobError>>,
    shared: Arc<Shared>,
    active: Active,
    done: bool,
}

impl<T> JobHandle<T> {
    /// `None` while the job runs; its outcome once, when it has ended or was cancelled.
    pub fn poll(&mut self) -> Option<Result<T, JobError>> {
        if self.done {
            return None;
        }
        if self.shared.cancel.load(Ordering::Relaxed) {
            self.done = true;
            return Some(Err(JobError::Cancelled));
        }
        match self.rx.try_recv() {
            Ok(outcome) => {
                self.done = true;
                Some(outcome)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                self.done = true;
                Some(Err(JobError::Panicked("the job thread vanished".into())))
            }
        }
    }

    /// Block until the job ends (not for the UI thread).
    pub fn wait(mut self) -> Result<T, JobError> {
        loop {
            if let Some(outcome) = self.poll() {
                return outcome;
            }
            match self.rx.recv_timeout(Duration::from_millis(20)) {
                Ok(outcome) => return outcome,
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(JobError::Panicked("the job thread vanished".into()));
                }
            }
        }
    }

    pub fn cancel(&self) {
        self.shared.cancel.store(true, Ordering::Relaxed);
        remove(&self.active, self.shared.id);
    }

    pub fn id(&self) -> u64 {
        self.shared.id
    }

    /// The job's last reported progress (0 to 1) and message.
    pub fn progress(&self) -> (f32, String) {
        self.shared
            .progress
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn name(&self) -> &str {
        &self.shared.name
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

/// A value computed by a job for a given key (e.g. "histogram of column X with 30 bins"):
/// `request` starts the job when the key changes, `poll` collects the result. Panels keep one
/// per derived result so that each result is computed once and never on the UI thread.
pub struct Slot<K, T> {
    value: Option<(K, T)>,
    pending: Option<(K, JobHandle<T>)>,
    failed: Option<K>,
}

impl<K, T> Default for Slot<K, T> {
    fn default() -> Self {
        Self {
            value: None,
            pending: None,
            failed: None,
        }
    }
}

impl<K: Clone + PartialEq, T: Send + 'static> Slot<K, T> {
    /// Make sure the value for `key` is there or on its way. A key whose job failed is not
    /// retried until another key is requested (so a bad column does not loop).
    pub fn request<F>(&mut self, jobs: &JobRunner, key: K, job_key: String, name: String, work: F)
    where
        F: FnOnce(&JobCtx) -> anyhow::Result<T> + Send + 'static,
    {
        let have = self.value.as_ref().is_some_and(|(k, _)| *k == key);
        let coming = self.pending.as_ref().is_some_and(|(k, _)| *k == key);
        let failed = self.failed.as_ref() == Some(&key);
        if have || coming || failed {
            return;
        }
        if let Some((_, old)) = self.pending.take() {
            old.cancel();
        }
        // A refused spawn means the same job is already running elsewhere; try next frame.
        if let Ok(handle) = jobs.spawn(job_key, name, work) {
            self.pending = Some((key, handle));
        }
    }

    /// Collect a finished job. Returns the error of a failed job (not of a cancelled one).
    pub fn poll(&mut self) -> Option<JobError> {
        let (_, handle) = self.pending.as_mut()?;
        let outcome = handle.poll()?;
        let (key, _) = self.pending.take()?;
        match outcome {
            Ok(v) => {
                self.value = Some((key, v));
                self.failed = None;
                None
            }
            Err(JobError::Cancelled) => None,
            Err(e) => {
                self.failed = Some(key);
                Some(e)
            }
        }
    }

    /// The value if it belongs to `key`.
    pub fn get(&self, key: &K) -> Option<&T> {
        self.value
            .as_ref()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// The latest value whatever its key (to keep showing something while a new one computes).
    pub fn latest(&self) -> Option<&T> {
        self.value.as_ref().map(|(_, v)| v)
    }

    /// True when the job for `key` failed (its error went to the status bar).
    pub fn failed(&self, key: &K) -> bool {
        self.failed.as_ref() == Some(key)
    }

    pub fn is_pending(&self) -> bool {
        self.pending.is_some()
    }

    pub fn clear(&mut self) {
        if let Some((_, h)) = self.pending.take() {
            h.cancel();
        }
        self.value = None;
        self.failed = None;
    }
}
