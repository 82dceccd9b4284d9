//! The histogram trainer against an exhaustive reference (every threshold of every feature at
//! every node, by brute force) on small random data where binning keeps every distinct value;
//! splits, undersampling and cross-validation basics.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::bins::Binner;
use super::features::Features;
use super::train::{split, undersample};
use super::tree::{Binned, Node, TreeParams, grow};
use crate::compute::NoProgress;

/// A node as the comparison sees it: samples, positives, and the split (feature, threshold).
type Flat = (usize, usize, Option<(usize, f64)>);

fn gini(n: f64, p: f64) -> f64 {
    if n <= 0.0 {
        0.0
    } else {
        n - (p * p + (n - p) * (n - p)) / n
    }
}

/// A reference tree: at each node, try `x <= v` for every midpoint v between distinct values
/// of every feature among the node's rows; keep the largest gain (first feature, then smallest v, on ties).
fn reference(
    cols: &[Vec<f64>],
    labels: &[bool],
    rows: Vec<usize>,
    depth: usize,
    max_depth: usize,
    out: &mut Vec<Flat>,
) {
    let n = rows.len();
    let p = rows.iter().filter(|&&r| labels[r]).count();
    let me = out.len();
    out.push((n, p, None));
    if depth >= max_depth || p == 0 || p == n {
        return;
    }
    let parent = gini(n as f64, p as f64);
    let mut best: Option<(f64, usize, f64)> = None;
    for (f, col) in cols.iter().enumerate() {
        let mut values: Vec<f64> = rows.iter().map(|&r| col[r]).collect();
        values.sort_by(f64::total_cmp);
        values.dedup();
        for w in values.windows(2) {
            // Thresholds midway between distinct values, as scikit-learn places them.
            let v = (w[0] + w[1]) / 2.0;
            let left: Vec<usize> = rows.iter().copied().filter(|&r| col[r] <= v).collect();
            let (ln, lp) = (left.len(), left.iter().filter(|&&r| labels[r]).count());
            let g = parent - gini(ln as f64, lp as f64) - gini((n - ln) as f64, (p - lp) as f64);
            if g > 1e-9 && best.is_none_or(|(bg, _, _)| g > bg) {
                best = Some((g, f, v));
            }
        }
    }
    let Some((_, f, v)) = best else { return };
    out[me].2 = Some((f, v));
    let (l, r): (Vec<usize>, Vec<usize>) = rows.iter().partition(|&&i| cols[f][i] <= v);
    reference(cols, labels, l, depth + 1, max_depth, out);
    reference(cols, labels, r, depth + 1, max_depth, out);
}

/// Our nodes in the reference's order (depth first, left before right).
fn preorder(nodes: &[Node]) -> Vec<Flat> {
    let mut out = Vec::new();
    let mut stack = vec![0];
    while let Some(i) = stack.pop() {
        let n = &nodes[i];
        out.push((
            n.samples,
            n.positives,
            n.split.as_ref().map(|s| (s.feature, s.threshold)),
        ));
        if let Some(s) = &n.split {
            stack.push(s.right);
            stack.push(s.left);
        }
    }
    out
}

#[test]
fn histogram_trainer_matches_an_exhaustive_reference() {
    for seed in 0..20 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let n = 200 + (seed as usize) * 17;
        let cols: Vec<Vec<f64>> = (0..4i32)
            .map(|f| {
                (0..n)
                    .map(|_| f64::from(rng.random_range(0..(5 + 4 * f))))
                    .collect()
            })
            .collect();
        let labels: Vec<bool> = (0..n)
            .map(|i| (cols[0][i] + cols[2][i] > 9.0) ^ (rng.random::<f64>() < 0.15))
            .collect();
        let features = Features {
            names: (0..4).map(|f| format!("f{f}")).collect(),
            columns: cols.clone(),
            type_levels: Vec::new(),
        };
        let mut rows: Vec<u32> = (0..n as u32).collect();
        let binner = Binner::fit(&features, &rows, 64, seed);
        let binned = Binned::new(&binner, &binner.codes(&features), labels.clone());
        let params = TreeParams {
            max_depth: 4,
            min_samples_leaf: 1,
        };
        let nodes = grow(&binned, &binner, &cols, &mut rows, &params, &NoProgress).unwrap();
        let mut want = Vec::new();
        reference(&cols, &labels, (0..n).collect(), 0, 4, &mut want);
        assert_eq!(preorder(&nodes), want, "seed {seed}");
    }
}

#[test]
fn splits_and_undersampling_are_seeded_and_complete() {
    let s = split(1000, 0.2, 7);
    assert_eq!((s.train.len(), s.test.len()), (800, 200));
    let mut all: Vec<u32> = s.train.iter().chain(&s.test).copied().collect();
    all.sort_unstable();
    assert_eq!(all, (0..1000).collect::<Vec<u32>>());
    assert_eq!(split(1000, 0.2, 7).test, s.test);
    assert_ne!(split(1000, 0.2, 8).test, s.test);
    let labels: Vec<bool> = (0..1000).map(|i| i % 10 == 0).collect();
    let b = undersample(&s.train, &labels, 1);
    let pos = b.iter().filter(|&&r| labels[r as usize]).count();
    assert_eq!(b.len(), 2 * pos);
    assert!(b.iter().all(|r| s.train.contains(r)));
}

#[test]
fn coarse_bins_still_find_an_exact_threshold() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let x: Vec<f64> = (0..5000).map(|_| rng.random::<f64>() * 100_000.0).collect();
    let labels: Vec<bool> = x.iter().map(|&v| v <= 56_900.0).collect();
    let features = Features {
        names: vec!["x".into()],
        columns: vec![x.clone()],
        type_levels: Vec::new(),
    };
    let mut rows: Vec<u32> = (0..5000).collect();
    let binner = Binner::fit(&features, &rows, 8, 1);
    let binned = Binned::new(&binner, &binner.codes(&features), labels);
    let params = TreeParams {
        max_depth: 1,
        min_samples_leaf: 1,
    };
    let nodes = grow(
        &binned,
        &binner,
        &features.columns,
        &mut rows,
        &params,
        &NoProgress,
    )
    .unwrap();
    let s = nodes[0].split.as_ref().unwrap();
    let below = x
        .iter()
        .copied()
        .filter(|&v| v <= 56_900.0)
        .fold(f64::MIN, f64::max);
    let above = x
        .iter()
        .copied()
        .filter(|&v| v > 56_900.0)
        .fold(f64::MAX, f64::min);
    assert_eq!(s.threshold, (below + above) / 2.0);
    assert_eq!(nodes[1].probability(), 1.0);
    assert_eq!(nodes[2].probability(), 0.0);
}
