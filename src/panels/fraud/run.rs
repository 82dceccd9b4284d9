//! One training run of the Fraud panel: inputs taken from the catalog before the job starts,
//! and the job: labels (rules or a column), features, optional cross-validation, the tree, and
//! the charts and review queue made once from the result. Also the rule-count job.

use std::sync::Arc;

use anyhow::Result;

use crate::chart::{Chart, Line};
use crate::compute::Progress;
use crate::compute::fraud::features::{self, FeatureSpec};
use crate::compute::fraud::rules::{self, RuleSet};
use crate::compute::fraud::train::{self, CvRow, Outcome, TrainParams};
use crate::data::Dataset;

/// Where the labels come from.
#[derive(Clone, Debug, PartialEq)]
pub enum LabelSource {
    Rules(RuleSet),
    Column(String),
}

pub struct RunInputs {
    pub run: u64,
    pub data: Arc<Dataset>,
    pub labels: LabelSource,
    pub params: TrainParams,
    pub features: FeatureSpec,
    /// Folds of a cross-validation over the book's grid, if asked.
    pub cv: Option<usize>,
}

pub struct RunResult {
    pub run: u64,
    pub data: Arc<Dataset>,
    pub label_text: String,
    pub labels: Vec<bool>,
    pub outcome: Outcome,
    pub params: TrainParams,
    pub cv: Vec<CvRow>,
    pub importance: Chart,
    /// Test rows nearest probability 0.5 first: (row, probability), at most `REVIEW` of them.
    pub review: Vec<(u32, f64)>,
    pub review_listing: super::views::Listing,
}

/// How many of the least certain test rows the review queue keeps.
pub const REVIEW: usize = 1000;

/// The book's grid for cross-validation.
pub const GRID_DEPTHS: [usize; 3] = [5, 10, 15];
pub const GRID_BINS: [usize; 3] = [10, 20, 30];

pub fn labels_of(data: &Dataset, source: &LabelSource) -> Result<Vec<bool>> {
    match source {
        LabelSource::Rules(r) => Ok(rules::evaluate(&data.name, &data.frame, r, "amount")?.labels),
        LabelSource::Column(c) => features::labels_from_column(&data.name, &data.frame, c),
    }
}

pub fn compute(mut inputs: RunInputs, progress: &dyn Progress) -> Result<RunResult> {
    let d = Arc::clone(&inputs.data);
    progress.report(0.0, "labelling");
    let labels = labels_of(&d, &inputs.labels)?;
    let spec = inputs.features.clone();
    let feats = features::build(&d.name, &d.frame, &spec, None)?;
    let mut cv = Vec::new();
    if let Some(k) = inputs.cv {
        cv = train::cross_validate(
            &feats,
            &labels,
            &GRID_DEPTHS,
            &GRID_BINS,
            k,
            &inputs.params,
            progress,
        )?;
        let best = cv.iter().fold(None::<&CvRow>, |b, r| match b {
            Some(b) if b.pr_auc_mean >= r.pr_auc_mean || r.pr_auc_mean.is_nan() => Some(b),
            _ => Some(r),
        });
        if let Some(b) = best {
            inputs.params.max_depth = b.max_depth;
            inputs.params.max_bins = b.max_bins;
        }
    }
    let outcome = train::train(&feats, &spec, &labels, &inputs.params, progress)?;
    let importance = {
        let imp = outcome.tree.importances();
        let mut pairs: Vec<(String, f64)> = outcome
            .tree
            .feature_names
            .iter()
            .cloned()
            .zip(imp)
            .collect();
        pairs.sort_by(|a, b| b.1.total_cmp(&a.1));
        let mut c = Chart::bars(
            "Feature importance (share of the impurity decrease)",
            "feature",
            pairs.iter().map(|p| p.0.clone()).collect(),
            pairs.iter().map(|p| p.1).collect(),
        );
        c.y_label = "importance".into();
        c
    };
    let mut review: Vec<(u32, f64)> = outcome
        .test_rows
        .iter()
        .copied()
        .zip(outcome.test_scores.iter().copied())
        .collect();
    review.sort_by(|a, b| {
        (a.1 - 0.5)
            .abs()
            .total_cmp(&(b.1 - 0.5).abs())
            .then(a.0.cmp(&b.0))
    });
    review.truncate(REVIEW);
    let review_listing = super::views::review_listing(&d, &review, &labels)?;
    let label_text = match &inputs.labels {
        LabelSource::Rules(r) => format!("{} rule groups", r.groups.len()),
        LabelSource::Column(c) => format!("column {c}"),
    };
    Ok(RunResult {
        run: inputs.run,
        data: d,
        label_text,
        labels,
        outcome,
        params: inputs.params,
        cv,
        importance,
        review,
        review_listing,
    })
}

/// A curve chart (PR or ROC) with named lines.
pub fn curve_chart(title: &str, x: &str, y: &str, lines: Vec<(String, Vec<(f64, f64)>)>) -> Chart {
    Chart::lines(
        title,
        x,
        y,
        lines.into_iter().map(|(n, p)| Line::new(n, p)).collect(),
        Vec::new(),
    )
}

/// What a rule set flags in a dataset, for the editor.
pub struct RuleCounts {
    pub rows: usize,
    pub total_rows: usize,
    pub money_share: f64,
    /// (rows, money share) per group.
    pub per_group: Vec<(usize, f64)>,
}

pub fn count_rules(data: &Dataset, r: &RuleSet) -> Result<RuleCounts> {
    let f = rules::evaluate(&data.name, &data.frame, r, "amount")?;
    let share = |m: f64| {
        if f.total_money > 0.0 {
            m / f.total_money
        } else {
            0.0
        }
    };
    Ok(RuleCounts {
        rows: f.rows,
        total_rows: data.frame.height(),
        money_share: share(f.money),
        per_group: f.per_group.iter().map(|&(n, m)| (n, share(m))).collect(),
    })
}

/// A model read from a JSON file and scored on a dataset with the panel's current labels.
pub struct LoadedModel {
    pub path: std::path::PathBuf,
    pub tree: crate::compute::fraud::tree::Tree,
    pub dataset: String,
    pub eval: train::Evaluation,
}

pub fn load_model(
    path: &std::path::Path,
    data: &Dataset,
    labels: &LabelSource,
) -> Result<LoadedModel> {
    use anyhow::Context;
    let text = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let tree: crate::compute::fraud::tree::Tree = serde_json::from_slice(&text)
        .with_context(|| format!("{}: not a Playbook fraud model", path.display()))?;
    let feats = features::build(&data.name, &data.frame, &tree.spec, Some(&tree.type_levels))?;
    if feats.names != tree.feature_names {
        anyhow::bail!(
            "{}: the model's features ({}) differ from {}'s ({})",
            path.display(),
            tree.feature_names.join(", "),
            data.name,
            feats.names.join(", ")
        );
    }
    let y = labels_of(data, labels)?;
    let scores = tree.predict(&feats);
    Ok(LoadedModel {
        path: path.to_owned(),
        eval: train::evaluate(&scores, &y),
        dataset: data.name.clone(),
        tree,
    })
}
