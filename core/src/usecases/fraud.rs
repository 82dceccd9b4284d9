//! The fraud use case: experts' rules (or a 0/1 column) give the labels, a decision tree learns
//! them (optionally after a cross-validated grid search), and the result is scored on a held-out
//! split: PR and ROC curves, feature importance, the tree as rules or SQL, and the least certain
//! test rows for review. Also: what a rule set flags (for the rule editor), and scoring a table
//! with a saved model. The Fraud panel, `playbook fraud` and `playbook demo` all come here.

use std::path::Path;

use anyhow::{Context, Result, bail};
use polars::prelude::{Column, DataFrame};
use serde::{Deserialize, Serialize};

use super::record::{Recordable, metrics};
use super::{Bound, ParamError, non_empty};
use crate::chart::{Chart, Line};
use crate::compute::Progress;
use crate::compute::fraud::features::{self, FeatureSpec, Features};
use crate::compute::fraud::rules::{self, RuleSet};
use crate::compute::fraud::train::{self, CvRow, Outcome, TrainParams};
use crate::compute::fraud::tree::Tree;
use crate::data::Dataset;
use crate::runs::Curve;

/// The use case's name in the run store.
pub const ID: &str = "fraud";

pub const MAX_DEPTH: Bound<usize> = Bound::new("max depth", 1, 30);
pub const MAX_BINS: Bound<usize> = Bound::new("max bins", 2, 256);
pub const FOLDS: Bound<usize> = Bound::new("folds", 2, 10);
/// A row scoring above the threshold is flagged: lower catches more fraud and flags more
/// legitimate rows.
pub const THRESHOLD: Bound<f64> = Bound::new("threshold", 0.01, 0.99);
/// How many of the least certain test rows the review queue keeps.
pub(crate) const REVIEW: usize = 1000;

/// Where the labels come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LabelChoice {
    /// The rule set (`rules`) flags the positives.
    #[default]
    Rules,
    /// A 0/1 column (`label_col`).
    Column,
}

/// What a user chooses for a training run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FraudParams {
    pub labels: LabelChoice,
    pub rules: RuleSet,
    pub label_col: String,
    /// The money column the rule editor sums (left out when the table has none).
    pub money_col: String,
    pub features: FeatureSpec,
    pub max_depth: usize,
    pub max_bins: usize,
    /// Undersample the majority class of the training rows.
    pub balance: bool,
    pub seed: u64,
    /// Cross-validate `folds` folds over `grid_depths` x `grid_bins`, then train the best.
    pub cross_validate: bool,
    pub folds: usize,
    pub grid_depths: Vec<usize>,
    pub grid_bins: Vec<usize>,
    /// A row scoring above this is flagged: the confusion matrix, the predictions, the review
    /// queue (rows nearest it first).
    pub threshold: f64,
    /// An analyst's verdicts from the review queue: they replace the rule's (or column's)
    /// label of their rows, so the next training learns from them.
    pub verdicts: Vec<Verdict>,
}

/// An analyst's verdict on one row of the table: fraud or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub row: u32,
    pub fraud: bool,
}

/// Verdicts a run takes at most (a review queue is read by a person).
pub const MAX_VERDICTS: usize = 1_000_000;

impl Default for FraudParams {
    fn default() -> Self {
        Self {
            labels: LabelChoice::Rules,
            rules: RuleSet::default_rule(),
            label_col: "isFraud".into(),
            money_col: "amount".into(),
            features: FeatureSpec::default(),
            max_depth: 5,
            max_bins: 32,
            balance: false,
            seed: 42,
            cross_validate: false,
            folds: 3,
            // The book's grid.
            grid_depths: vec![5, 10, 15],
            grid_bins: vec![10, 20, 30],
            threshold: 0.5,
            verdicts: Vec::new(),
        }
    }
}

/// Params that passed `check`: only these can be run.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidFraudParams(FraudParams);

impl ValidFraudParams {
    pub fn params(&self) -> &FraudParams {
        &self.0
    }
}

/// Check every bound and choice of `p`.
pub fn check(p: &FraudParams) -> Result<ValidFraudParams, ParamError> {
    MAX_DEPTH.check(p.max_depth)?;
    MAX_BINS.check(p.max_bins)?;
    THRESHOLD.check(p.threshold)?;
    match p.labels {
        LabelChoice::Rules if p.rules.groups.is_empty() => {
            return Err(ParamError::Invalid {
                name: "rules",
                why: "the rule set has no groups; add one or label by a column".into(),
            });
        }
        LabelChoice::Column => {
            non_empty("label column", &p.label_col)?;
        }
        LabelChoice::Rules => {}
    }
    if p.cross_validate {
        FOLDS.check(p.folds)?;
        if p.grid_depths.is_empty() || p.grid_bins.is_empty() {
            return Err(ParamError::Invalid {
                name: "grid",
                why: "cross-validation needs at least one depth and one bin count".into(),
            });
        }
        for &d in &p.grid_depths {
            MAX_DEPTH.check(d)?;
        }
        for &b in &p.grid_bins {
            MAX_BINS.check(b)?;
        }
    }
    if p.features.type_col.is_none() && p.features.numeric.is_empty() && !p.features.balance_diffs {
        return Err(ParamError::Invalid {
            name: "features",
            why: "choose at least one feature".into(),
        });
    }
    if p.verdicts.len() > MAX_VERDICTS {
        return Err(ParamError::Invalid {
            name: "verdicts",
            why: format!(
                "{} verdicts; at most {MAX_VERDICTS} are taken",
                p.verdicts.len()
            ),
        });
    }
    let mut seen = std::collections::HashMap::new();
    for v in &p.verdicts {
        if let Some(before) = seen.insert(v.row, v.fraud)
            && before != v.fraud
        {
            return Err(ParamError::Invalid {
                name: "verdicts",
                why: format!("row {} is judged both fraud and not fraud", v.row),
            });
        }
    }
    Ok(ValidFraudParams(p.clone()))
}

/// The labels of `data` under the chosen source. Rules need no money column.
pub fn labels_of(data: &Dataset, p: &FraudParams) -> Result<Vec<bool>> {
    let mut labels = match p.labels {
        LabelChoice::Rules => rules::evaluate(&data.name, &data.frame, &p.rules, None)?.labels,
        LabelChoice::Column => features::labels_from_column(&data.name, &data.frame, &p.label_col)?,
    };
    // The analyst's verdicts override the source's labels of their rows.
    for v in &p.verdicts {
        let Some(label) = labels.get_mut(v.row as usize) else {
            bail!(
                "{}: a verdict is for row {}, but the table has {} rows (verdicts from another table?)",
                data.name,
                v.row,
                labels.len()
            );
        };
        *label = v.fraud;
    }
    Ok(labels)
}

/// Verdicts read from a CSV with columns `row` (the table's row, from 0, as the review queue
/// saves it) and `verdict` (`fraud` or `legit`; also 1/0, true/false). At most
/// `MAX_VERDICTS` rows; a bad value names the file, the line and the column.
pub fn read_verdicts(path: &Path) -> Result<Vec<Verdict>> {
    let name = path.display();
    let meta =
        std::fs::metadata(path).with_context(|| format!("{name}: cannot read the verdicts"))?;
    // About 20 bytes a line: a file far bigger than the cap is refused before it is read.
    if meta.len() > (MAX_VERDICTS as u64) * 64 {
        bail!(
            "{name}: {} bytes is too large for a file of verdicts",
            meta.len()
        );
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{name}: cannot read the verdicts (is it text?)"))?;
    let mut lines = text.lines().enumerate();
    let header: Vec<String> = lines
        .next()
        .map(|(_, h)| h.split(',').map(|c| c.trim().to_lowercase()).collect())
        .unwrap_or_default();
    let col = |want: &str| {
        header.iter().position(|c| c == want).with_context(|| {
            format!("{name}: no column '{want}' (the header needs row and verdict)")
        })
    };
    let (row_at, verdict_at) = (col("row")?, col("verdict")?);
    let mut out = Vec::new();
    for (k, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        if out.len() >= MAX_VERDICTS {
            bail!("{name}: more than {MAX_VERDICTS} verdicts");
        }
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        let cell = |at: usize, column: &str| {
            cells
                .get(at)
                .copied()
                .with_context(|| format!("{name}, line {}: no '{column}' value", k + 1))
        };
        let row_text = cell(row_at, "row")?;
        let row: u32 = row_text.parse().with_context(|| {
            format!(
                "{name}, line {}, column row: '{row_text}' is not a row number",
                k + 1
            )
        })?;
        let fraud = match cell(verdict_at, "verdict")?.to_lowercase().as_str() {
            "fraud" | "1" | "true" | "yes" => true,
            "legit" | "not fraud" | "0" | "false" | "no" => false,
            other => bail!(
                "{name}, line {}, column verdict: '{other}' is not fraud or legit",
                k + 1
            ),
        };
        out.push(Verdict { row, fraud });
    }
    Ok(out)
}

/// The verdicts as the table the review queue saves and `read_verdicts` reads: row, verdict.
pub fn verdicts_frame(verdicts: &[Verdict]) -> polars::prelude::PolarsResult<DataFrame> {
    DataFrame::new_infer_height(vec![
        Column::new(
            "row".into(),
            verdicts.iter().map(|v| v.row).collect::<Vec<_>>(),
        ),
        Column::new(
            "verdict".into(),
            verdicts
                .iter()
                .map(|v| if v.fraud { "fraud" } else { "legit" })
                .collect::<Vec<_>>(),
        ),
    ])
}

/// A test row nearest the decision boundary, for the review queue.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReviewItem {
    pub row: u32,
    pub probability: f64,
}

/// What a training run found.
pub struct FraudOutput {
    /// "3 rule groups" or "column isFraud".
    pub label_text: String,
    pub labels: Vec<bool>,
    pub outcome: Outcome,
    /// The settings the final tree was grown with (the grid's best after cross-validation).
    pub effective: TrainParams,
    pub cv: Vec<CvRow>,
    /// Seconds the cross-validation took (0 without it).
    pub cv_seconds: f64,
    pub importance: Chart,
    /// Test rows nearest the threshold first, at most `REVIEW`.
    pub review: Vec<ReviewItem>,
}

/// The best cross-validated setting: the highest mean PR-AUC, NaN never best; on a tie the
/// first (the shallowest, fewest bins).
pub(crate) fn best_cv(rows: &[CvRow]) -> Option<&CvRow> {
    rows.iter()
        .filter(|r| r.pr_auc_mean.is_finite())
        .fold(None, |best: Option<&CvRow>, r| match best {
            Some(b) if b.pr_auc_mean >= r.pr_auc_mean => Some(b),
            _ => Some(r),
        })
}

/// The features the params choose, built from `data` (for `run_on`, and for scoring every row
/// afterwards without building them again).
pub fn features_of(v: &ValidFraudParams, data: &Dataset) -> Result<Features> {
    features::build(&data.name, &data.frame, &v.0.features, None)
}

/// Label, build features, cross-validate if asked, train, score, and rank the review queue.
pub fn run(v: &ValidFraudParams, data: &Dataset, progress: &dyn Progress) -> Result<FraudOutput> {
    let feats = features_of(v, data)?;
    run_on(v, data, &feats, progress)
}

/// `run` on features already built with `features_of`.
pub fn run_on(
    v: &ValidFraudParams,
    data: &Dataset,
    feats: &Features,
    progress: &dyn Progress,
) -> Result<FraudOutput> {
    let p = &v.0;
    progress.report(0.0, "labelling");
    let labels = labels_of(data, p)?;
    let mut effective = TrainParams {
        max_depth: p.max_depth,
        max_bins: p.max_bins,
        balance: p.balance,
        seed: p.seed,
        threshold: p.threshold,
        ..TrainParams::default()
    };
    let mut cv = Vec::new();
    let cv_started = std::time::Instant::now();
    if p.cross_validate {
        cv = train::cross_validate(
            feats,
            &labels,
            &p.grid_depths,
            &p.grid_bins,
            p.folds,
            &effective,
            progress,
        )?;
        if let Some(b) = best_cv(&cv) {
            effective.max_depth = b.max_depth;
            effective.max_bins = b.max_bins;
        }
    }
    let cv_seconds = if p.cross_validate {
        cv_started.elapsed().as_secs_f64()
    } else {
        0.0
    };
    let outcome = train::train(feats, &p.features, &labels, &effective, progress)?;
    let importance = importance_chart(&outcome.tree);
    let mut review: Vec<ReviewItem> = outcome
        .test_rows
        .iter()
        .zip(&outcome.test_scores)
        .map(|(&row, &probability)| ReviewItem { row, probability })
        .collect();
    review.sort_by(|a, b| {
        (a.probability - p.threshold)
            .abs()
            .total_cmp(&(b.probability - p.threshold).abs())
            .then(a.row.cmp(&b.row))
    });
    review.truncate(REVIEW);
    let mut label_text = match p.labels {
        LabelChoice::Rules => format!("{} rule groups", p.rules.groups.len()),
        LabelChoice::Column => format!("column {}", p.label_col),
    };
    if !p.verdicts.is_empty() {
        label_text += &format!(
            " with {}",
            crate::format::count_of(p.verdicts.len(), "verdict")
        );
    }
    Ok(FraudOutput {
        label_text,
        labels,
        outcome,
        effective,
        cv,
        cv_seconds,
        importance,
        review,
    })
}

fn importance_chart(tree: &Tree) -> Chart {
    let mut pairs: Vec<(String, f64)> = tree
        .feature_names
        .iter()
        .cloned()
        .zip(tree.importances())
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
}

/// Another run's test curves drawn beside this one's (a balanced run beside an unbalanced one).
pub struct OtherRun {
    pub label: String,
    pub pr: Vec<(f64, f64)>,
    pub roc: Vec<(f64, f64)>,
    pub pr_auc: f64,
    pub roc_auc: f64,
}

/// The PR and ROC charts of a training outcome, with another run's test curves if given.
pub fn curve_charts(o: &Outcome, other: Option<&OtherRun>) -> Vec<Chart> {
    let mut pr = vec![
        Line::new(
            format!("train (AP {:.4})", o.train.pr_auc),
            o.train.pr_curve.clone(),
        ),
        Line::new(
            format!("test (AP {:.4})", o.test.pr_auc),
            o.test.pr_curve.clone(),
        ),
    ];
    let mut roc = vec![
        Line::new(
            format!("train (AUC {:.4})", o.train.roc_auc),
            o.train.roc_curve.clone(),
        ),
        Line::new(
            format!("test (AUC {:.4})", o.test.roc_auc),
            o.test.roc_curve.clone(),
        ),
    ];
    if let Some(s) = other {
        pr.push(Line::new(
            format!("test, {} (AP {:.4})", s.label, s.pr_auc),
            s.pr.clone(),
        ));
        roc.push(Line::new(
            format!("test, {} (AUC {:.4})", s.label, s.roc_auc),
            s.roc.clone(),
        ));
    }
    vec![
        Chart::lines(
            "Precision-recall curve",
            "recall",
            "precision",
            pr,
            Vec::new(),
        ),
        Chart::lines(
            "ROC curve",
            "false positive rate",
            "true positive rate",
            roc,
            Vec::new(),
        ),
    ]
}

impl FraudOutput {
    /// The tree as readable rules followed by a SQL CASE WHEN expression.
    pub fn rules_and_sql(&self) -> String {
        let t = &self.outcome.tree;
        format!(
            "{}\n{}",
            crate::compute::fraud::explain::rules_text(t),
            crate::compute::fraud::explain::sql_case(t)
        )
    }

    /// Per row of the table: set (train/test/unused), label, probability, prediction.
    pub fn predictions_frame(&self, feats: &Features) -> Result<DataFrame> {
        let o = &self.outcome;
        let n = feats.rows();
        let mut set = vec!["unused"; n];
        for &r in &o.train_rows {
            set[r as usize] = "train";
        }
        for &r in &o.test_rows {
            set[r as usize] = "test";
        }
        let p = o.tree.predict(feats);
        Ok(DataFrame::new_infer_height(vec![
            Column::new("row".into(), (0..n as u64).collect::<Vec<_>>()),
            Column::new("set".into(), set),
            Column::new(
                "label".into(),
                self.labels
                    .iter()
                    .map(|&l| i32::from(l))
                    .collect::<Vec<_>>(),
            ),
            Column::new("probability".into(), &p),
            Column::new(
                "prediction".into(),
                p.iter()
                    .map(|&v| i32::from(v > self.effective.threshold))
                    .collect::<Vec<_>>(),
            ),
        ])?)
    }

    /// The result as the JSON object `fraud train --json` prints.
    pub fn summary_json(&self, seconds: f64) -> serde_json::Value {
        let o = &self.outcome;
        let importances: serde_json::Map<String, serde_json::Value> = o
            .tree
            .feature_names
            .iter()
            .zip(o.tree.importances())
            .map(|(n, v)| (n.clone(), v.into()))
            .collect();
        serde_json::json!({
            "pr_auc_train": o.train.pr_auc,
            "pr_auc_test": o.test.pr_auc,
            "roc_auc_train": o.train.roc_auc,
            "roc_auc_test": o.test.roc_auc,
            "confusion": o.test.confusion,
            "threshold": self.effective.threshold,
            "precision_test": o.test.confusion.precision(),
            "recall_test": o.test.confusion.recall(),
            "n_train": o.train.rows,
            "n_test": o.test.rows,
            "positives": self.labels.iter().filter(|&&l| l).count(),
            "max_depth": self.effective.max_depth,
            "max_bins": self.effective.max_bins,
            "balanced": self.effective.balance,
            "nodes": o.tree.nodes.len(),
            "importances": importances,
            "cv": self.cv,
            "cv_seconds": self.cv_seconds,
            "train_seconds": o.seconds,
            "seconds": seconds,
        })
    }
}

impl Recordable for FraudOutput {
    fn metrics(&self) -> serde_json::Map<String, serde_json::Value> {
        let o = &self.outcome;
        let mut m = metrics([
            ("pr_auc_test", o.test.pr_auc),
            ("pr_auc_train", o.train.pr_auc),
            ("roc_auc_test", o.test.roc_auc),
            ("roc_auc_train", o.train.roc_auc),
            ("nodes", o.tree.nodes.len() as f64),
            ("tree_depth", o.tree.depth() as f64),
            ("threshold", self.effective.threshold),
            ("precision_test", o.test.confusion.precision()),
            ("recall_test", o.test.confusion.recall()),
            (
                "positives",
                self.labels.iter().filter(|&&l| l).count() as f64,
            ),
            ("train_seconds", o.seconds),
        ]);
        if let Some(b) = best_cv(&self.cv) {
            m.extend(metrics([("cv_pr_auc_best", b.pr_auc_mean)]));
        }
        m
    }

    fn charts(&self) -> Vec<Chart> {
        let mut charts = curve_charts(&self.outcome, None);
        charts.push(self.importance.clone());
        charts
    }

    fn curves(&self) -> Vec<Curve> {
        let o = &self.outcome;
        vec![
            Curve {
                chart: "PR (test)".into(),
                x_label: "recall".into(),
                y_label: "precision".into(),
                points: o.test.pr_curve.clone(),
            },
            Curve {
                chart: "ROC (test)".into(),
                x_label: "false positive rate".into(),
                y_label: "true positive rate".into(),
                points: o.test.roc_curve.clone(),
            },
        ]
    }
}

/// What a rule set flags in a dataset, for the editor.
pub struct RuleCounts {
    pub rows: usize,
    pub total_rows: usize,
    /// Share of the money column flagged; `None` when the table has no such column.
    pub money_share: Option<f64>,
    /// Money flagged and in all, when the table has the money column.
    pub money: Option<f64>,
    pub total_money: Option<f64>,
    /// Infinite amounts, counted as no money.
    pub non_finite_money: usize,
    pub per_group: Vec<GroupCount>,
}

/// What one AND-group flags.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GroupCount {
    pub rows: usize,
    pub money_share: Option<f64>,
}

/// Rows (and money, when `money_col` exists in the table) flagged by each group and the set.
pub fn count_rules(data: &Dataset, r: &RuleSet, money_col: &str) -> Result<RuleCounts> {
    let has_money = data.frame.column(money_col).is_ok();
    let f = rules::evaluate(&data.name, &data.frame, r, has_money.then_some(money_col))?;
    let share = |s: Option<f64>| has_money.then(|| s.unwrap_or(0.0));
    Ok(RuleCounts {
        rows: f.rows,
        total_rows: data.frame.height(),
        money_share: share(f.money_share),
        money: has_money.then_some(f.money),
        total_money: has_money.then_some(f.total_money),
        non_finite_money: f.non_finite_money,
        per_group: f
            .per_group
            .iter()
            .zip(&f.group_shares)
            .map(|(&(rows, _), &s)| GroupCount {
                rows,
                money_share: share(s),
            })
            .collect(),
    })
}

/// Read a model saved as JSON (`--model-out`, the panel's Save JSON).
pub(crate) fn read_model(path: &Path) -> Result<Tree> {
    let text = crate::data::read_regular(path)?;
    parse_model(&path.display().to_string(), &text)
}

/// A model from its JSON text; `name` says where it came from in errors.
pub fn parse_model(name: &str, json: &[u8]) -> Result<Tree> {
    let tree: Tree = serde_json::from_slice(json)
        .with_context(|| format!("{name}: not a Playbook fraud model"))?;
    tree.validate()
        .map_err(|why| anyhow::anyhow!("{name}: not a usable model: {why}"))?;
    Ok(tree)
}

fn model_features_named(model: &str, tree: &Tree, data: &Dataset) -> Result<Features> {
    let feats = features::build(&data.name, &data.frame, &tree.spec, Some(&tree.type_levels))?;
    if feats.names != tree.feature_names {
        bail!(
            "{}: the model's features ({}) differ from {}'s ({})",
            model,
            tree.feature_names.join(", "),
            data.name,
            feats.names.join(", ")
        );
    }
    Ok(feats)
}

/// A saved model scored on a table: a probability per row.
pub struct Scored {
    pub tree: Tree,
    pub probabilities: Vec<f64>,
    /// A row scoring above this is predicted fraud.
    pub threshold: f64,
}

impl Scored {
    pub fn predicted_fraud(&self) -> usize {
        self.probabilities
            .iter()
            .filter(|&&v| v > self.threshold)
            .count()
    }

    /// probability,prediction per row.
    pub fn frame(&self) -> Result<DataFrame> {
        let p = &self.probabilities;
        Ok(DataFrame::new_infer_height(vec![
            Column::new("probability".into(), p),
            Column::new(
                "prediction".into(),
                p.iter()
                    .map(|&v| i32::from(v > self.threshold))
                    .collect::<Vec<_>>(),
            ),
        ])?)
    }
}

impl Recordable for Scored {
    fn metrics(&self) -> serde_json::Map<String, serde_json::Value> {
        metrics([
            ("rows", self.probabilities.len() as f64),
            ("predicted_fraud", self.predicted_fraud() as f64),
            ("threshold", self.threshold),
        ])
    }
}

/// Score `data` with the model saved at `model`.
pub fn score(model: &Path, data: &Dataset) -> Result<Scored> {
    score_with(read_model(model)?, &model.display().to_string(), data)
}

/// Score `data` with a model already read (`parse_model`); `name` says which in errors.
pub fn score_with(tree: Tree, name: &str, data: &Dataset) -> Result<Scored> {
    let feats = model_features_named(name, &tree, data)?;
    let probabilities = tree.predict(&feats);
    Ok(Scored {
        tree,
        probabilities,
        threshold: 0.5,
    })
}

#[cfg(test)]
mod verdict_tests {
    use super::*;

    /// What the review queue saves (`verdicts_frame` as CSV) is what `--labels-from-review`
    /// reads back.
    #[test]
    fn saved_verdicts_read_back_as_they_were() {
        let verdicts = vec![
            Verdict {
                row: 16,
                fraud: true,
            },
            Verdict {
                row: 3,
                fraud: false,
            },
        ];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("verdicts.csv");
        crate::export::write_table(&verdicts_frame(&verdicts).unwrap(), &path).unwrap();
        assert_eq!(read_verdicts(&path).unwrap(), verdicts);
        // Another order of columns, spaces, upper case and 1/0 read too.
        std::fs::write(&path, "Verdict , ROW\n1, 16\n0 ,3\n\n").unwrap();
        assert_eq!(read_verdicts(&path).unwrap(), verdicts);
        std::fs::write(&path, "row\n1\n").unwrap();
        let e = read_verdicts(&path).unwrap_err().to_string();
        assert!(e.contains("no column 'verdict'"), "{e}");
        std::fs::write(&path, "row,verdict\n-1,fraud\n").unwrap();
        let e = read_verdicts(&path).unwrap_err().to_string();
        assert!(e.contains("line 2, column row"), "{e}");
    }
}
