//! Pure computations on datasets: no egui anywhere below this folder. Each function takes
//! plain data (a polars frame or slices) and a `Progress` so the job runner can report and
//! cancel it; the CLI passes `NoProgress`. One module per use case; unit tests beside the code.

pub mod dtw;
pub mod expr;
pub mod forecast;
pub mod fraud;
pub mod histogram;
pub mod images;
pub mod join;
pub mod pitching;
pub mod sentiment;
pub mod sort;
pub mod spatial;
pub mod special;
pub mod stats;
pub mod stock;
pub mod top_values;

/// How a long computation reports progress and learns it should stop.
pub trait Progress: Sync {
    /// `fraction` in 0..=1, and a short message for the status bar.
    fn report(&self, fraction: f32, message: &str);
    /// True once the user pressed Cancel; compute code checks it between chunks of work.
    fn cancelled(&self) -> bool;
}

/// For callers with no progress bar (the CLI, tests).
pub struct NoProgress;

impl Progress for NoProgress {
    fn report(&self, _fraction: f32, _message: &str) {}
    fn cancelled(&self) -> bool {
        false
    }
}

/// Another job's cancel button without its progress bar: for parts that run side by side,
/// whose own reports would make the bar jump; the caller reports for them.
pub(crate) struct Unreported<'a>(pub &'a dyn Progress);

impl Progress for Unreported<'_> {
    fn report(&self, _fraction: f32, _message: &str) {}
    fn cancelled(&self) -> bool {
        self.0.cancelled()
    }
}

/// Returned by a computation that stopped because it was cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cancelled")]
pub struct Cancelled;

/// `Err(Cancelled)` once cancellation was requested, for use with `?` between chunks.
pub fn check(progress: &dyn Progress) -> Result<(), Cancelled> {
    if progress.cancelled() {
        Err(Cancelled)
    } else {
        Ok(())
    }
}
