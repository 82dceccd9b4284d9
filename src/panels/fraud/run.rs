//! A training run of the Fraud panel (its review listing made once in the job from its
//! result), and the model-scoring job.

use std::sync::Arc;

use anyhow::Result;

use crate::compute::fraud::train;
use crate::data::Dataset;
use crate::panels::run_slot::Finished;
use crate::usecases::fraud::{self as usecase, FraudOutput, FraudParams};

/// What a training run of the panel shows.
pub(crate) struct FraudResult {
    /// The params the run was given, to mark the results once the choices change.
    pub params: FraudParams,
    pub data: Arc<Dataset>,
    pub out: FraudOutput,
    pub review_listing: super::views::Listing,
}

/// A finished training run of the panel.
pub(crate) type FraudRun = Finished<FraudResult>;

/// A model read from a JSON file and scored on a dataset with the panel's current labels.
pub(crate) struct LoadedModel {
    pub path: std::path::PathBuf,
    pub tree: crate::compute::fraud::tree::Tree,
    pub dataset: String,
    pub eval: train::Evaluation,
}

pub(crate) fn load_model(
    path: &std::path::Path,
    data: &Dataset,
    p: &FraudParams,
) -> Result<LoadedModel> {
    let scored = usecase::score(path, data)?;
    let y = usecase::labels_of(data, p)?;
    Ok(LoadedModel {
        path: path.to_owned(),
        eval: train::evaluate(&scored.probabilities, &y, p.threshold),
        dataset: data.name.clone(),
        tree: scored.tree,
    })
}
