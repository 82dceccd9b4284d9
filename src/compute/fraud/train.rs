//! Training as the book does it: a seeded 80/20 split, optional balancing by undersampling the
//! majority class, a tree grown on binned features, PR/ROC on both sides, and k-fold
//! cross-validation over max depth x max bins choosing by PR-AUC.

use anyhow::{Result, bail};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::bins::Binner;
use super::features::{FeatureSpec, Features};
use super::metrics::{self, Confusion};
use super::tree::{self, Binned, Tree, TreeParams};
use crate::compute::Progress;

#[derive(Clone, Debug, PartialEq)]
pub struct TrainParams {
    pub max_depth: usize,
    pub max_bins: usize,
    /// Undersample the majority class of the training rows to the minority's size.
    pub balance: bool,
    pub seed: u64,
    pub test_share: f64,
}

impl Default for TrainParams {
    fn default() -> Self {
        Self {
            max_depth: 5,
            max_bins: 32,
            balance: false,
            seed: 42,
            test_share: 0.2,
        }
    }
}

/// Row indices of the two sides of the split, each in table order.
pub struct Split {
    pub train: Vec<u32>,
    pub test: Vec<u32>,
}

/// A seeded split: `test_share` of the rows, chosen at random, are held out.
pub fn split(n: usize, test_share: f64, seed: u64) -> Split {
    let mut rows: Vec<u32> = (0..n as u32).collect();
    rows.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    let n_test = ((n as f64) * test_share.clamp(0.0, 1.0)).round() as usize;
    let mut test = rows[..n_test].to_vec();
    let mut train = rows[n_test..].to_vec();
    test.sort_unstable();
    train.sort_unstable();
    Split { train, test }
}

/// Every minority row and as many majority rows, drawn at random (seeded).
pub fn undersample(rows: &[u32], labels: &[bool], seed: u64) -> Vec<u32> {
    let (mut pos, mut neg): (Vec<u32>, Vec<u32>) = rows.iter().partition(|&&r| labels[r as usize]);
    let (few, many) = if pos.len() <= neg.len() {
        (&mut pos, &mut neg)
    } else {
        (&mut neg, &mut pos)
    };
    let k = few.len();
    let (kept, _) = many.partial_shuffle(&mut ChaCha8Rng::seed_from_u64(seed), k);
    let mut out: Vec<u32> = few.iter().chain(kept.iter()).copied().collect();
    out.sort_unstable();
    out
}

/// Scores of a set of rows against their labels.
#[derive(Clone, Debug, Serialize)]
pub struct Evaluation {
    pub rows: usize,
    pub pr_auc: f64,
    pub roc_auc: f64,
    pub confusion: Confusion,
    /// (recall, precision), thinned to at most a few hundred points.
    pub pr_curve: Vec<(f64, f64)>,
    /// (false positive rate, true positive rate), thinned likewise.
    pub roc_curve: Vec<(f64, f64)>,
}

fn thin(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    const MAX: usize = 400;
    if points.len() <= MAX {
        return points;
    }
    let step = points.len().div_ceil(MAX);
    let last = points.last().copied();
    let mut out: Vec<(f64, f64)> = points.into_iter().step_by(step).collect();
    if out.last().copied() != last {
        out.extend(last);
    }
    out
}

pub fn evaluate(scores: &[f64], labels: &[bool]) -> Evaluation {
    Evaluation {
        rows: scores.len(),
        pr_auc: metrics::average_precision(scores, labels),
        roc_auc: metrics::roc_auc(scores, labels),
        confusion: Confusion::of(scores.iter().map(|&s| s > 0.5), labels.iter().copied()),
        pr_curve: thin(metrics::pr_curve(scores, labels)),
        roc_curve: thin(metrics::roc_curve(scores, labels)),
    }
}

/// A trained model and how it did.
pub struct Outcome {
    pub tree: Tree,
    pub train: Evaluation,
    pub test: Evaluation,
    /// The rows trained on (after balancing) and the held-out rows.
    pub train_rows: Vec<u32>,
    pub test_rows: Vec<u32>,
    /// The model's probability for each held-out row.
    pub test_scores: Vec<f64>,
    pub seconds: f64,
}

fn scores_of(tree: &Tree, features: &Features, rows: &[u32]) -> Vec<f64> {
    use rayon::prelude::*;
    rows.par_iter()
        .map(|&r| tree.predict_one(|f| features.columns[f][r as usize]))
        .collect()
}

fn labels_of(labels: &[bool], rows: &[u32]) -> Vec<bool> {
    rows.iter().map(|&r| labels[r as usize]).collect()
}

/// The training rows: the split's, balanced if asked; an error when nothing is left.
fn training_rows(train: &[u32], labels: &[bool], p: &TrainParams) -> Result<Vec<u32>> {
    let rows = if p.balance {
        undersample(train, labels, p.seed)
    } else {
        train.to_vec()
    };
    let pos = rows.iter().filter(|&&r| labels[r as usize]).count();
    if rows.is_empty() || pos == 0 || pos == rows.len() {
        bail!(
            "the training set has {} rows, {pos} of them labelled 1: a tree needs both classes{}",
            rows.len(),
            if p.balance { " (after balancing)" } else { "" }
        );
    }
    Ok(rows)
}

/// Bin the features on `rows` (at most `max_bins` bins) and grow a tree to `max_depth`.
fn grow_on(
    features: &Features,
    labels: &[bool],
    rows: &mut [u32],
    max_bins: usize,
    max_depth: usize,
    seed: u64,
    progress: &dyn Progress,
) -> Result<Vec<tree::Node>, crate::compute::Cancelled> {
    let binner = Binner::fit(features, rows, max_bins, seed);
    let binned = Binned::new(&binner, &binner.codes(features), labels.to_vec());
    let params = TreeParams {
        max_depth,
        min_samples_leaf: 1,
    };
    tree::grow(&binned, &binner, &features.columns, rows, &params, progress)
}

/// Split, (balance,) bin, grow and evaluate.
pub fn train(
    features: &Features,
    spec: &FeatureSpec,
    labels: &[bool],
    p: &TrainParams,
    progress: &dyn Progress,
) -> Result<Outcome> {
    let started = std::time::Instant::now();
    let s = split(features.rows(), p.test_share, p.seed);
    let mut rows = training_rows(&s.train, labels, p)?;
    progress.report(0.0, "binning the features");
    let nodes = grow_on(
        features,
        labels,
        &mut rows,
        p.max_bins,
        p.max_depth,
        p.seed,
        progress,
    )?;
    rows.sort_unstable();
    let tree = Tree {
        nodes,
        spec: spec.clone(),
        feature_names: features.names.clone(),
        type_levels: features.type_levels.clone(),
        max_depth: p.max_depth,
        max_bins: p.max_bins,
    };
    let train_scores = scores_of(&tree, features, &rows);
    let test_scores = scores_of(&tree, features, &s.test);
    Ok(Outcome {
        train: evaluate(&train_scores, &labels_of(labels, &rows)),
        test: evaluate(&test_scores, &labels_of(labels, &s.test)),
        tree,
        train_rows: rows,
        test_rows: s.test,
        test_scores,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// One setting of the cross-validation grid.
#[derive(Clone, Debug, Serialize)]
pub struct CvRow {
    pub max_depth: usize,
    pub max_bins: usize,
    pub pr_auc_folds: Vec<f64>,
    pub pr_auc_mean: f64,
}

/// k-fold cross-validation of the training side of the split over `depths` x `bins`. A tree
/// grown to the largest depth, cut at a smaller one, is the tree grown to that depth (splits
/// depend only on a node's rows), so each fold and bin count grows one tree.
pub fn cross_validate(
    features: &Features,
    labels: &[bool],
    depths: &[usize],
    bins: &[usize],
    k: usize,
    p: &TrainParams,
    progress: &dyn Progress,
) -> Result<Vec<CvRow>> {
    if k < 2 {
        bail!("cross-validation needs at least 2 folds, got {k}");
    }
    let s = split(features.rows(), p.test_share, p.seed);
    let mut shuffled = s.train.clone();
    shuffled.shuffle(&mut ChaCha8Rng::seed_from_u64(p.seed ^ 0xC5));
    let folds: Vec<Vec<u32>> = (0..k)
        .map(|f| shuffled.iter().skip(f).step_by(k).copied().collect())
        .collect();
    let deepest = depths.iter().copied().max().unwrap_or(5);
    let mut out: Vec<CvRow> = Vec::new();
    let total = (bins.len() * k).max(1);
    let mut done = 0;
    for &b in bins {
        let mut per_depth = vec![Vec::new(); depths.len()];
        for (f, fold) in folds.iter().enumerate() {
            let mut fit_rows: Vec<u32> = folds
                .iter()
                .enumerate()
                .filter(|&(g, _)| g != f)
                .flat_map(|(_, rows)| rows.iter().copied())
                .collect();
            fit_rows.sort_unstable();
            let mut rows = training_rows(&fit_rows, labels, p)?;
            let nodes = grow_on(features, labels, &mut rows, b, deepest, p.seed, progress)?;
            let truth = labels_of(labels, fold);
            for (i, &d) in depths.iter().enumerate() {
                let scores: Vec<f64> = fold
                    .iter()
                    .map(|&r| predict_to_depth(&nodes, d, |j| features.columns[j][r as usize]))
                    .collect();
                per_depth[i].push(metrics::average_precision(&scores, &truth));
            }
            done += 1;
            progress.report(
                done as f32 / total as f32,
                &format!("cross-validation: {done} of {total} trees"),
            );
        }
        for (i, &d) in depths.iter().enumerate() {
            let v = &per_depth[i];
            out.push(CvRow {
                max_depth: d,
                max_bins: b,
                pr_auc_mean: v.iter().sum::<f64>() / v.len().max(1) as f64,
                pr_auc_folds: v.clone(),
            });
        }
    }
    Ok(out)
}

/// The probability from `nodes` cut at depth `d`.
fn predict_to_depth(nodes: &[tree::Node], d: usize, value: impl Fn(usize) -> f64) -> f64 {
    let mut i = 0;
    loop {
        let Some(n) = nodes.get(i) else {
            return 0.0;
        };
        match &n.split {
            Some(s) if n.depth < d => {
                i = if value(s.feature) <= s.threshold {
                    s.left
                } else {
                    s.right
                };
            }
            _ => return n.probability(),
        }
    }
}
