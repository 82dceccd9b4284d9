//! Training as the book does it: a seeded 80/20 split, optional balancing by undersampling the
//! majority class, a tree grown on binned features, PR/ROC on both sides, and k-fold
//! cross-validation over max depth x max bins choosing by PR-AUC.

use anyhow::{Result, bail};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
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
    /// A row scoring above this is flagged (the confusion matrices).
    pub threshold: f64,
}

impl Default for TrainParams {
    fn default() -> Self {
        Self {
            max_depth: 5,
            max_bins: 32,
            balance: false,
            seed: 42,
            test_share: 0.2,
            threshold: 0.5,
        }
    }
}

/// Row indices of the two sides of the split, each in table order.
pub struct TrainTestSplit {
    pub train: Vec<u32>,
    pub test: Vec<u32>,
}

/// A seeded split: `test_share` of the rows, chosen at random, are held out.
pub fn split(n: usize, test_share: f64, seed: u64) -> TrainTestSplit {
    let mut rows: Vec<u32> = (0..n as u32).collect();
    rows.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    let n_test = ((n as f64) * test_share.clamp(0.0, 1.0)).round() as usize;
    let mut test = rows[..n_test].to_vec();
    let mut train = rows[n_test..].to_vec();
    test.sort_unstable();
    train.sort_unstable();
    TrainTestSplit { train, test }
}

/// Every minority row and as many majority rows, drawn at random (seeded).
pub(crate) fn undersample(rows: &[u32], labels: &[bool], seed: u64) -> Vec<u32> {
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

pub fn evaluate(scores: &[f64], labels: &[bool], threshold: f64) -> Evaluation {
    Evaluation {
        rows: scores.len(),
        pr_auc: metrics::average_precision(scores, labels),
        roc_auc: metrics::roc_auc(scores, labels),
        confusion: Confusion::at(scores, labels, threshold),
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

/// TrainTestSplit, (balance,) bin, grow and evaluate.
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
        train: evaluate(&train_scores, &labels_of(labels, &rows), p.threshold),
        test: evaluate(&test_scores, &labels_of(labels, &s.test), p.threshold),
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
/// depend only on a node's rows), so each fold and bin count grows one tree. Each bin count
/// bins the features once, on the whole training side (as LightGBM bins its dataset once),
/// and its folds share those codes; the folds grow in parallel.
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
    // Each fold's rows in file order: scoring reads the feature columns at those rows, and
    // rows in order read memory in order (shuffled, it waited on a cache miss per value).
    let folds: Vec<Vec<u32>> = (0..k)
        .map(|f| {
            let mut fold: Vec<u32> = shuffled.iter().skip(f).step_by(k).copied().collect();
            fold.sort_unstable();
            fold
        })
        .collect();
    let deepest = depths.iter().copied().max().unwrap_or(5);
    let params = TreeParams {
        max_depth: deepest,
        min_samples_leaf: 1,
    };
    let total = (bins.len() * k).max(1);
    let done = std::sync::atomic::AtomicUsize::new(0);
    // The training rows of each fold (the other folds), made once for every bin count.
    let fit_rows: Vec<Vec<u32>> = (0..k)
        .map(|f| {
            let mut rows: Vec<u32> = folds
                .iter()
                .enumerate()
                .filter(|&(g, _)| g != f)
                .flat_map(|(_, rows)| rows.iter().copied())
                .collect();
            rows.sort_unstable();
            training_rows(&rows, labels, p)
        })
        .collect::<Result<_>>()?;
    crate::compute::check(progress)?;
    progress.report(0.0, "cross-validation: binning the features");
    let binned: Vec<(Binner, Binned)> = bins
        .par_iter()
        .map(|&b| {
            let binner = Binner::fit(features, &s.train, b, p.seed);
            let binned = Binned::new(&binner, &binner.codes(features), labels.to_vec());
            (binner, binned)
        })
        .collect();
    // Every (bin count, fold) tree at once: nine trees keep both cores busy to the end, where
    // three at a time leave one core idle for a third of each round.
    let tasks: Vec<(usize, usize)> = (0..bins.len())
        .flat_map(|b| (0..k).map(move |f| (b, f)))
        .collect();
    let results: Vec<Vec<f64>> = tasks
        .par_iter()
        .map(|&(bi, f)| -> Result<Vec<f64>> {
            let (binner, binned) = &binned[bi];
            let mut rows = fit_rows[f].clone();
            let nodes = tree::grow(
                binned,
                binner,
                &features.columns,
                &mut rows,
                &params,
                &crate::compute::Unreported(progress),
            )?;
            let fold = &folds[f];
            let truth = labels_of(labels, fold);
            // One walk per row scores every depth: the node the walk is at, at depth d.
            let mut scores = vec![Vec::with_capacity(fold.len()); depths.len()];
            let mut path = Vec::with_capacity(deepest + 1);
            for &r in fold {
                walk(&nodes, &mut path, |j| features.columns[j][r as usize]);
                for (out, &d) in scores.iter_mut().zip(depths) {
                    out.push(nodes[path[d.min(path.len() - 1)]].probability());
                }
            }
            let pr: Vec<f64> = scores
                .iter()
                .map(|s| metrics::average_precision(s, &truth))
                .collect();
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress.report(
                n as f32 / total as f32,
                &format!("cross-validation: {n} of {total} trees"),
            );
            Ok(pr)
        })
        .collect::<Result<_>>()?;
    let mut out: Vec<CvRow> = Vec::new();
    for (bi, &b) in bins.iter().enumerate() {
        for (i, &d) in depths.iter().enumerate() {
            let v: Vec<f64> = (0..k).map(|f| results[bi * k + f][i]).collect();
            out.push(CvRow {
                max_depth: d,
                max_bins: b,
                pr_auc_mean: v.iter().sum::<f64>() / v.len().max(1) as f64,
                pr_auc_folds: v,
            });
        }
    }
    Ok(out)
}

/// The nodes from the root to the leaf a row reaches, one per depth, into `path`.
fn walk(nodes: &[tree::Node], path: &mut Vec<usize>, value: impl Fn(usize) -> f64) {
    path.clear();
    let mut i = 0;
    while let Some(n) = nodes.get(i) {
        path.push(i);
        match &n.split {
            Some(s) => {
                i = if value(s.feature) <= s.threshold {
                    s.left
                } else {
                    s.right
                };
            }
            None => return,
        }
    }
}
