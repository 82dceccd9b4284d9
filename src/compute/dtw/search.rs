//! Searches built on the distance: one pattern against many series (parallel), exact 1-NN
//! with the UCR Suite's cascade of lower bounds, and 1-NN classification.

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::bounds::{Envelope, lb_keogh_sq, lb_kim_sq};
use super::{Window, distance_sq};
use crate::compute::{Cancelled, Progress, check};

/// The DTW distance from `pattern` to every series, in order, computed in parallel.
pub fn one_against_many(
    pattern: &[f64],
    series: &[Vec<f64>],
    window: Window,
    progress: &dyn Progress,
) -> Result<Vec<f64>, Cancelled> {
    let done = AtomicUsize::new(0);
    let total = series.len().max(1);
    series
        .par_iter()
        .map(|s| {
            check(progress)?;
            let w = window.cells(pattern.len(), s.len());
            let d = distance_sq(pattern, s, w, f64::INFINITY).sqrt();
            let k = done.fetch_add(1, Ordering::Relaxed) + 1;
            if k.is_multiple_of(64) || k == total {
                progress.report(k as f32 / total as f32, "DTW distances");
            }
            Ok(d)
        })
        .collect()
}

/// The index of the candidate nearest to `query` and its distance, by brute force: every
/// distance in full. The first of equal minima wins. The reference for `nearest`.
pub fn nearest_brute_force(
    query: &[f64],
    candidates: &[Vec<f64>],
    window: Window,
) -> Option<(usize, f64)> {
    let mut best: Option<(usize, f64)> = None;
    for (k, c) in candidates.iter().enumerate() {
        let d = distance_sq(query, c, window.cells(query.len(), c.len()), f64::INFINITY);
        if d.is_finite() && best.is_none_or(|(_, b)| d < b) {
            best = Some((k, d));
        }
    }
    best.map(|(k, d)| (k, d.sqrt()))
}

/// The same answer as `nearest_brute_force`, faster: candidates are skipped when LB_Kim or
/// LB_Keogh already reaches the best distance so far, and a distance is abandoned as soon as it
/// must exceed it.
pub fn nearest(query: &[f64], candidates: &[Vec<f64>], window: Window) -> Option<(usize, f64)> {
    let n = query.len();
    let w_same = window.cells(n, n);
    let envelope = Envelope::new(query, w_same);
    let mut best: Option<(usize, f64)> = None;
    for (k, c) in candidates.iter().enumerate() {
        let limit = best.map_or(f64::INFINITY, |(_, b)| b);
        if lb_kim_sq(query, c) >= limit {
            continue;
        }
        if c.len() == n && lb_keogh_sq(&envelope, c, limit) >= limit {
            continue;
        }
        let d = distance_sq(query, c, window.cells(n, c.len()), limit);
        if d < limit {
            best = Some((k, d));
        }
    }
    best.map(|(k, d)| (k, d.sqrt()))
}

/// For each test series, the index of its nearest training series (1-NN), in parallel.
pub fn classify_1nn(
    train: &[Vec<f64>],
    test: &[Vec<f64>],
    window: Window,
    progress: &dyn Progress,
) -> Result<Vec<Option<usize>>, Cancelled> {
    let done = AtomicUsize::new(0);
    let total = test.len().max(1);
    test.par_iter()
        .map(|q| {
            check(progress)?;
            let hit = nearest(q, train, window).map(|(k, _)| k);
            let k = done.fetch_add(1, Ordering::Relaxed) + 1;
            progress.report(k as f32 / total as f32, "1-NN classification");
            Ok(hit)
        })
        .collect()
}

/// One row of a window sweep: the distribution of distances at one window.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SweepRow {
    pub window: f64,
    pub median: f64,
    pub mean: f64,
    pub min: f64,
    pub max: f64,
}

/// Distances from `pattern` to every series at each window fraction, summarised.
pub fn sweep(
    pattern: &[f64],
    series: &[Vec<f64>],
    windows: &[f64],
    progress: &dyn Progress,
) -> Result<Vec<SweepRow>, Cancelled> {
    let mut rows = Vec::with_capacity(windows.len());
    for (k, &w) in windows.iter().enumerate() {
        check(progress)?;
        progress.report(
            k as f32 / windows.len().max(1) as f32,
            &format!("window {w}"),
        );
        let mut d = one_against_many(
            pattern,
            series,
            Window::Fraction(w),
            &crate::compute::NoProgress,
        )?;
        d.retain(|x| x.is_finite());
        if d.is_empty() {
            continue;
        }
        let mean = d.iter().sum::<f64>() / d.len() as f64;
        let min = d.iter().copied().fold(f64::INFINITY, f64::min);
        let max = d.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let median = crate::compute::stats::quantile(&mut d, 0.5);
        rows.push(SweepRow {
            window: w,
            median,
            mean,
            min,
            max,
        });
    }
    Ok(rows)
}

/// All pairwise DTW distances (a symmetric matrix with zeros on the diagonal), in parallel.
pub fn pairwise(
    series: &[Vec<f64>],
    window: Window,
    progress: &dyn Progress,
) -> Result<Vec<Vec<f64>>, Cancelled> {
    let n = series.len();
    let pairs: Vec<(usize, usize)> = (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
        .collect();
    let done = AtomicUsize::new(0);
    let total = pairs.len().max(1);
    let d: Vec<f64> = pairs
        .par_iter()
        .map(|&(i, j)| {
            check(progress)?;
            let (a, b) = (&series[i], &series[j]);
            let v = distance_sq(a, b, window.cells(a.len(), b.len()), f64::INFINITY).sqrt();
            let k = done.fetch_add(1, Ordering::Relaxed) + 1;
            progress.report(k as f32 / total as f32, "pairwise DTW");
            Ok(v)
        })
        .collect::<Result<_, Cancelled>>()?;
    let mut m = vec![vec![0.0; n]; n];
    for (&(i, j), v) in pairs.iter().zip(d) {
        m[i][j] = v;
        m[j][i] = v;
    }
    Ok(m)
}
