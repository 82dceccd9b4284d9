//! A DTW match run of the panel: its inputs (taken from the catalog before the job starts) and
//! what it shows.

use std::sync::Arc;

use crate::data::Dataset;
use crate::panels::run_slot::Finished;
use crate::runs::{InputFingerprint, of_dataset};
use crate::usecases::dtw::{MatchOutput, MatchParams};

/// The chosen inputs of a match run, taken from the catalog before the job starts.
pub(crate) struct MatchInputs {
    pub series: Arc<Dataset>,
    /// The dataset of a curve pattern.
    pub curve: Option<Arc<Dataset>>,
    pub params: MatchParams,
}

impl MatchInputs {
    pub fn fingerprints(&self) -> Vec<InputFingerprint> {
        let mut v = vec![of_dataset("series", &self.series)];
        if let Some(c) = &self.curve {
            v.push(of_dataset("pattern", c));
        }
        v
    }
}

/// What a match run shows.
pub(crate) struct MatchResult {
    /// What the run was asked (to mark its results stale once the choices change).
    pub params: MatchParams,
    pub out: MatchOutput,
}

impl std::ops::Deref for MatchResult {
    type Target = MatchOutput;

    fn deref(&self) -> &MatchOutput {
        &self.out
    }
}

/// A finished match run of the panel.
pub(crate) type MatchRun = Finished<MatchResult>;
