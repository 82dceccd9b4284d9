//! One DTW match run of the panel: its inputs (taken from the catalog before the job starts)
//! and the job, which records the run and calls the DTW use case.

use std::sync::Arc;

use anyhow::Result;

use crate::compute::Progress;
use crate::data::Dataset;
use crate::runs::{InputFingerprint, Origin, of_dataset};
use crate::session::RunsHome;
use crate::usecases::dtw::{self as usecase, MatchOutput, MatchParams, ValidMatchParams};
use crate::usecases::record::recorded;

/// Everything a run needs, owned, so the job never touches the UI's state.
pub struct RunInputs {
    pub series: Arc<Dataset>,
    /// The dataset of a curve pattern.
    pub curve: Option<Arc<Dataset>>,
    pub params: MatchParams,
    pub home: RunsHome,
}

impl RunInputs {
    pub fn fingerprints(&self) -> Vec<InputFingerprint> {
        let mut v = vec![of_dataset("series", &self.series)];
        if let Some(c) = &self.curve {
            v.push(of_dataset("pattern", c));
        }
        v
    }
}

pub struct RunResult {
    pub run: u64,
    /// What the run was asked (to mark its results stale once the choices change).
    pub params: MatchParams,
    pub run_id: Option<i64>,
    pub warning: Option<String>,
    pub out: MatchOutput,
}

impl std::ops::Deref for RunResult {
    type Target = MatchOutput;

    fn deref(&self) -> &MatchOutput {
        &self.out
    }
}

pub fn compute(
    run: u64,
    inputs: RunInputs,
    valid: ValidMatchParams,
    progress: &dyn Progress,
) -> Result<RunResult> {
    let r = recorded(
        inputs.home.as_result(),
        Origin::App,
        usecase::ID_MATCH,
        &inputs.params,
        inputs.fingerprints(),
        || usecase::run_match(&valid, &inputs.series, inputs.curve.as_deref(), progress),
    )?;
    Ok(RunResult {
        run,
        params: inputs.params.clone(),
        run_id: r.run_id,
        warning: r.warning,
        out: r.output,
    })
}
