//! A histogram-based decision-tree trainer (Gini impurity), built for millions of rows: each
//! feature is binned once (`bins`), a node's best feature and bin boundary are found from
//! per-bin counts instead of sorting, and of two children only the smaller is counted; the
//! larger one's histogram is its parent's minus the smaller's (LightGBM's histogram
//! subtraction). The threshold is then placed exactly: the rows in the two bins around the
//! chosen boundary are sorted and every midpoint between their distinct values is tried (as
//! scikit-learn places thresholds), so a rule's 56900 is found as 56900, not as the nearest
//! quantile. Rows are partitioned in place, depth first. Prediction walks the tree on raw
//! values with the same thresholds.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::bins::Binner;
use super::features::{FeatureSpec, Features};
use crate::compute::{Cancelled, Progress, check};

/// How a node divides its rows: `value <= threshold` goes left.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeSplit {
    pub feature: usize,
    pub threshold: f64,
    /// Decrease of Gini impurity times samples.
    pub gain: f64,
    pub left: usize,
    pub right: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub samples: usize,
    pub positives: usize,
    pub depth: usize,
    pub split: Option<NodeSplit>,
}

impl Node {
    /// Share of positive training rows at this node: the predicted probability at a leaf.
    pub fn probability(&self) -> f64 {
        if self.samples == 0 {
            0.0
        } else {
            self.positives as f64 / self.samples as f64
        }
    }

    /// Gini impurity: 0 for a pure node, 0.5 for an even mix.
    pub fn gini(&self) -> f64 {
        let p = self.probability();
        2.0 * p * (1.0 - p)
    }
}

/// A trained tree with what it needs to predict from a table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    pub nodes: Vec<Node>,
    pub spec: FeatureSpec,
    pub feature_names: Vec<String>,
    pub type_levels: Vec<String>,
    pub max_depth: usize,
    pub max_bins: usize,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct TreeParams {
    pub max_depth: usize,
    pub min_samples_leaf: usize,
}

impl Tree {
    /// The probability of the positive class for one row, given its feature values.
    pub fn predict_one(&self, value: impl Fn(usize) -> f64) -> f64 {
        let mut i = 0;
        while let Some(s) = self.nodes.get(i).and_then(|n| n.split.as_ref()) {
            i = if value(s.feature) <= s.threshold {
                s.left
            } else {
                s.right
            };
        }
        self.nodes.get(i).map_or(0.0, Node::probability)
    }

    /// Probabilities for every row of `features` (built with this tree's spec and levels).
    pub fn predict(&self, features: &Features) -> Vec<f64> {
        (0..features.rows())
            .into_par_iter()
            .map(|r| self.predict_one(|f| features.columns[f][r]))
            .collect()
    }

    /// Each feature's share of the total impurity decrease (Gini importance), summing to 1.
    pub(crate) fn importances(&self) -> Vec<f64> {
        let mut imp = vec![0.0; self.feature_names.len()];
        for s in self.nodes.iter().filter_map(|n| n.split.as_ref()) {
            if let Some(v) = imp.get_mut(s.feature) {
                *v += s.gain;
            }
        }
        let total: f64 = imp.iter().sum();
        if total > 0.0 {
            imp.iter_mut().for_each(|v| *v /= total);
        }
        imp
    }

    /// Why the tree cannot be used, if it cannot: no nodes, a split on a feature the tree does
    /// not have, a child out of range, or a child that does not come after its parent (which
    /// is how the trainer lays nodes out, and what rules out a cycle).
    pub fn validate(&self) -> Result<(), String> {
        if self.nodes.is_empty() {
            return Err("the tree has no nodes".into());
        }
        let n = self.nodes.len();
        for (i, node) in self.nodes.iter().enumerate() {
            let Some(s) = &node.split else { continue };
            if s.feature >= self.feature_names.len() {
                return Err(format!(
                    "node {i} splits on feature {}, but the model has {} features",
                    s.feature,
                    self.feature_names.len()
                ));
            }
            for (side, child) in [("left", s.left), ("right", s.right)] {
                if child >= n || child <= i {
                    return Err(format!(
                        "node {i}'s {side} child {child} is not a later node of the {n}"
                    ));
                }
            }
            if s.threshold.is_nan() {
                return Err(format!("node {i}'s threshold is not a number"));
            }
        }
        Ok(())
    }

    pub fn depth(&self) -> usize {
        self.nodes.iter().map(|n| n.depth).max().unwrap_or(0)
    }
}

/// Binned training data: row-major bins (one byte per feature), labels, and the bins' layout.
pub(crate) struct Binned {
    pub codes: Vec<u8>,
    pub features: usize,
    pub labels: Vec<bool>,
    /// Where each feature's bins start in a histogram, and the histogram's length.
    offsets: Vec<usize>,
    width: usize,
}

impl Binned {
    pub fn new(binner: &Binner, columns: &[Vec<u8>], labels: Vec<bool>) -> Self {
        let f = columns.len();
        let n = labels.len();
        let mut codes = vec![0u8; n * f];
        codes
            .par_chunks_mut(f.max(1))
            .enumerate()
            .for_each(|(r, row)| {
                for (j, c) in row.iter_mut().enumerate() {
                    *c = columns[j][r];
                }
            });
        let mut offsets = Vec::with_capacity(f);
        let mut width = 0;
        for j in 0..f {
            offsets.push(width);
            width += binner.bins(j);
        }
        Self {
            codes,
            features: f,
            labels,
            offsets,
            width,
        }
    }
}

/// Per-bin (rows, positives) of every feature, flattened.
type Hist = Vec<[u32; 2]>;

fn histogram(b: &Binned, rows: &[u32]) -> Hist {
    let one = |rows: &[u32]| {
        let mut h = vec![[0u32; 2]; b.width];
        for &r in rows {
            let r = r as usize;
            let y = u32::from(b.labels[r]);
            let codes = &b.codes[r * b.features..(r + 1) * b.features];
            for (j, &c) in codes.iter().enumerate() {
                let cell = &mut h[b.offsets[j] + c as usize];
                cell[0] += 1;
                cell[1] += y;
            }
        }
        h
    };
    if rows.len() < 200_000 {
        return one(rows);
    }
    rows.par_chunks(1 << 16).map(one).reduce(
        || vec![[0u32; 2]; b.width],
        |mut a, c| {
            a.iter_mut().zip(c).for_each(|(x, y)| {
                x[0] += y[0];
                x[1] += y[1];
            });
            a
        },
    )
}

/// Gini impurity times rows: n - (p^2 + (n-p)^2) / n.
fn weighted_gini(n: f64, p: f64) -> f64 {
    if n <= 0.0 {
        0.0
    } else {
        n - (p * p + (n - p) * (n - p)) / n
    }
}

/// The best (gain, feature, bin) of a node from its histogram; ties keep the first feature and
/// bin, so training is deterministic.
fn best_split(b: &Binned, h: &Hist, n: u32, p: u32, min_leaf: u32) -> Option<(f64, usize, u8)> {
    let parent = weighted_gini(f64::from(n), f64::from(p));
    let mut best: Option<(f64, usize, u8)> = None;
    for j in 0..b.features {
        let start = b.offsets[j];
        let end = if j + 1 < b.features {
            b.offsets[j + 1]
        } else {
            b.width
        };
        let (mut ln, mut lp) = (0u32, 0u32);
        for (k, cell) in h[start..end.saturating_sub(1)].iter().enumerate() {
            ln += cell[0];
            lp += cell[1];
            let rn = n - ln;
            if ln < min_leaf || rn < min_leaf {
                continue;
            }
            let gain = parent
                - weighted_gini(f64::from(ln), f64::from(lp))
                - weighted_gini(f64::from(rn), f64::from(p - lp));
            if gain > 1e-9 && best.is_none_or(|(g, _, _)| gain > g) {
                best = Some((gain, j, k as u8));
            }
        }
    }
    best
}

struct Task {
    node: usize,
    start: usize,
    end: usize,
    hist: Hist,
}

/// The exact threshold near the boundary after bin `k` of `feature`: the node's rows in bin k
/// and the next bin with rows are sorted and every midpoint between distinct values is scored; the coarse
/// boundary itself is a candidate too. Returns (gain, threshold, left rows, left positives).
#[allow(clippy::too_many_arguments)]
fn refine(
    b: &Binned,
    binner: &Binner,
    values: &[f64],
    rows: &[u32],
    h: &Hist,
    feature: usize,
    k: u8,
    coarse_gain: f64,
) -> (f64, f64, usize, usize) {
    let at = b.offsets[feature];
    let (n, p) = h[at..at + binner.bins(feature)]
        .iter()
        .fold((0usize, 0usize), |a, c| {
            (a.0 + c[0] as usize, a.1 + c[1] as usize)
        });
    let (mut ln, mut lp) = h[at..at + k as usize]
        .iter()
        .fold((0usize, 0usize), |a, c| {
            (a.0 + c[0] as usize, a.1 + c[1] as usize)
        });
    let coarse_left = h[at..=at + k as usize]
        .iter()
        .fold((0usize, 0usize), |a, c| {
            (a.0 + c[0] as usize, a.1 + c[1] as usize)
        });
    // The next bin above k with rows at this node (there is one: the right side is not empty).
    let bins = binner.bins(feature);
    let k2 = (k as usize + 1..bins)
        .find(|&j| h[at + j][0] > 0)
        .unwrap_or(k as usize + 1) as u8;
    let mut near: Vec<(f64, bool)> = rows
        .iter()
        .filter_map(|&r| {
            let c = b.codes[r as usize * b.features + feature];
            (c == k || c == k2).then(|| (values[r as usize], b.labels[r as usize]))
        })
        .collect();
    near.sort_by(|a, c| a.0.total_cmp(&c.0));
    // The coarse boundary: midway between bin k's largest value and the next bin's smallest.
    let t_k = binner.thresholds[feature][k as usize];
    let coarse_t = near
        .iter()
        .position(|&(v, _)| v > t_k)
        .filter(|&i| i > 0)
        .map_or(t_k, |i| (near[i - 1].0 + near[i].0) / 2.0);
    let mut best = (coarse_gain, coarse_t, coarse_left.0, coarse_left.1);
    let parent = weighted_gini(n as f64, p as f64);
    for i in 0..near.len().saturating_sub(1) {
        ln += 1;
        lp += usize::from(near[i].1);
        if near[i].0 == near[i + 1].0 {
            continue;
        }
        let gain = parent
            - weighted_gini(ln as f64, lp as f64)
            - weighted_gini((n - ln) as f64, (p - lp) as f64);
        let t = (near[i].0 + near[i + 1].0) / 2.0;
        if gain > best.0 + 1e-9 || (gain > best.0 - 1e-9 && t < best.1 && ln > 0 && ln < n) {
            best = (gain, t, ln, lp);
        }
    }
    best
}

/// Grow a tree on `rows` (indices into `b`), reordering them in place. `values` are the raw
/// feature columns the bins were made from.
pub(crate) fn grow(
    b: &Binned,
    binner: &Binner,
    values: &[Vec<f64>],
    rows: &mut [u32],
    params: &TreeParams,
    progress: &dyn Progress,
) -> Result<Vec<Node>, Cancelled> {
    let n = rows.len();
    let positives = rows.iter().filter(|&&r| b.labels[r as usize]).count();
    let mut nodes = vec![Node {
        samples: n,
        positives,
        depth: 0,
        split: None,
    }];
    let hist = histogram(b, rows);
    let mut stack = vec![Task {
        node: 0,
        start: 0,
        end: n,
        hist,
    }];
    let min_leaf = params.min_samples_leaf.max(1) as u32;
    let mut done_rows = 0usize;
    while let Some(t) = stack.pop() {
        check(progress)?;
        let node = &nodes[t.node];
        let (ns, np, depth) = (node.samples, node.positives, node.depth);
        let leaf = depth >= params.max_depth || np == 0 || np == ns;
        let found = if leaf {
            None
        } else {
            best_split(b, &t.hist, ns as u32, np as u32, min_leaf)
        };
        let Some((coarse_gain, feature, bin)) = found else {
            done_rows += ns;
            progress.report(
                (done_rows as f32 / n.max(1) as f32).min(1.0),
                "growing the tree",
            );
            continue;
        };
        let col = &values[feature];
        let (gain, threshold, left_n, left_pos) = refine(
            b,
            binner,
            col,
            &rows[t.start..t.end],
            &t.hist,
            feature,
            bin,
            coarse_gain,
        );
        // Partition the node's rows: value <= threshold first.
        let slice = &mut rows[t.start..t.end];
        let mut mid = 0;
        for i in 0..slice.len() {
            if col[slice[i] as usize] <= threshold {
                slice.swap(i, mid);
                mid += 1;
            }
        }
        debug_assert_eq!(mid, left_n);
        let mid = t.start + mid;
        let (small, large_is_left) = if mid - t.start <= t.end - mid {
            ((t.start, mid), false)
        } else {
            ((mid, t.end), true)
        };
        let small_hist = histogram(b, &rows[small.0..small.1]);
        let large_hist: Hist = t
            .hist
            .iter()
            .zip(&small_hist)
            .map(|(a, s)| [a[0] - s[0], a[1] - s[1]])
            .collect();
        let (left_hist, right_hist) = if large_is_left {
            (large_hist, small_hist)
        } else {
            (small_hist, large_hist)
        };
        let (left, right) = (nodes.len(), nodes.len() + 1);
        nodes.push(Node {
            samples: mid - t.start,
            positives: left_pos,
            depth: depth + 1,
            split: None,
        });
        nodes.push(Node {
            samples: t.end - mid,
            positives: np - left_pos,
            depth: depth + 1,
            split: None,
        });
        nodes[t.node].split = Some(NodeSplit {
            feature,
            threshold,
            gain,
            left,
            right,
        });
        stack.push(Task {
            node: right,
            start: mid,
            end: t.end,
            hist: right_hist,
        });
        stack.push(Task {
            node: left,
            start: t.start,
            end: mid,
            hist: left_hist,
        });
    }
    Ok(nodes)
}
