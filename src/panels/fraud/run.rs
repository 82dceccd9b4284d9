//! One training run of the Fraud panel: the inputs taken from the catalog before the job starts,
//! and the job, which records the run and calls the fraud use case; the review listing is made
//! once in the job from its result. Also the rule-count and model-scoring jobs.

use std::sync::Arc;

use anyhow::Result;

use crate::compute::Progress;
use crate::compute::fraud::train;
use crate::data::Dataset;
use crate::runs::{Origin, of_dataset};
use crate::session::RunsHome;
use crate::usecases::fraud::{self as usecase, FraudOutput, FraudParams, ValidFraudParams};
use crate::usecases::record::recorded;

pub struct RunInputs {
    pub run: u64,
    pub data: Arc<Dataset>,
    pub params: FraudParams,
    pub valid: ValidFraudParams,
    pub home: RunsHome,
}

pub struct RunResult {
    /// This session's job number.
    pub run: u64,
    /// The params the run was given, to mark the results once the choices change.
    pub params: FraudParams,
    /// The run's id in the run store, when recorded.
    pub run_id: Option<i64>,
    pub data: Arc<Dataset>,
    pub out: FraudOutput,
    pub review_listing: super::views::Listing,
    pub warning: Option<String>,
}

pub fn compute(inputs: RunInputs, progress: &dyn Progress) -> Result<RunResult> {
    let d = Arc::clone(&inputs.data);
    let r = recorded(
        inputs.home.as_result(),
        Origin::App,
        usecase::ID,
        &inputs.params,
        vec![of_dataset("transactions", &d)],
        || usecase::run(&inputs.valid, &d, progress),
    )?;
    let review_listing = super::views::review_listing(&d, &r.output.review, &r.output.labels)?;
    Ok(RunResult {
        run: inputs.run,
        params: inputs.params.clone(),
        run_id: r.run_id,
        data: d,
        out: r.output,
        review_listing,
        warning: r.warning,
    })
}

/// A model read from a JSON file and scored on a dataset with the panel's current labels.
pub struct LoadedModel {
    pub path: std::path::PathBuf,
    pub tree: crate::compute::fraud::tree::Tree,
    pub dataset: String,
    pub eval: train::Evaluation,
}

pub fn load_model(path: &std::path::Path, data: &Dataset, p: &FraudParams) -> Result<LoadedModel> {
    let scored = usecase::score(path, data)?;
    let y = usecase::labels_of(data, p)?;
    Ok(LoadedModel {
        path: path.to_owned(),
        eval: train::evaluate(&scored.probabilities, &y, p.threshold),
        dataset: data.name.clone(),
        tree: scored.tree,
    })
}
