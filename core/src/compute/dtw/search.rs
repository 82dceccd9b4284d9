//! Searches built on the distance: one pattern against many series (parallel), exact 1-NN
//! with the UCR Suite's cascade of lower bounds, and 1-NN classification.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::bounds::{Envelope, lb_keogh_sq, lb_kim_sq};
use super::lanes::{LANES, distances_sq, interleave};
use super::{Window, distance_sq};
use crate::compute::{Cancelled, Progress, check};

/// The DTW distance from `pattern` to every series, in order, computed in parallel.
pub fn one_against_many(
    pattern: &[f64],
    series: &[Vec<f64>],
    window: Window,
    progress: &dyn Progress,
) -> Result<Vec<f64>, Cancelled> {
    let refs: Vec<&[f64]> = series.iter().map(Vec::as_slice).collect();
    let done = AtomicUsize::new(0);
    let total = series.len().max(1);
    let chunks: Vec<Vec<f64>> = refs
        .par_chunks(8 * LANES)
        .map(|chunk| {
            check(progress)?;
            let d = against(pattern, chunk, window);
            let k = done.fetch_add(chunk.len(), Ordering::Relaxed) + chunk.len();
            progress.report(k as f32 / total as f32, "DTW distances");
            Ok(d)
        })
        .collect::<Result<_, Cancelled>>()?;
    Ok(chunks.concat())
}

/// The distances from `pattern` to each candidate, in order, on this thread. Candidates of one
/// length go through the lane kernel `LANES` at a time (bit-identical to the scalar kernel);
/// series with NaN, and the few left over in a length, take the scalar kernel.
fn against(pattern: &[f64], candidates: &[&[f64]], window: Window) -> Vec<f64> {
    let n = pattern.len();
    let scalar =
        |c: &[f64]| distance_sq(pattern, c, window.cells(n, c.len()), f64::INFINITY).sqrt();
    let clean = |s: &[f64]| !s.is_empty() && !s.iter().any(|v| v.is_nan());
    if !clean(pattern) {
        return candidates.iter().map(|c| scalar(c)).collect();
    }
    let mut out = vec![f64::NAN; candidates.len()];
    let mut by_length: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (k, c) in candidates.iter().enumerate() {
        if clean(c) {
            by_length.entry(c.len()).or_default().push(k);
        } else {
            out[k] = scalar(c);
        }
    }
    for (len, members) in by_length {
        for batch in members.chunks(LANES) {
            if batch.len() < LANES / 4 {
                for &k in batch {
                    out[k] = scalar(candidates[k]);
                }
                continue;
            }
            let lanes = interleave(&batch.iter().map(|&k| candidates[k]).collect::<Vec<_>>());
            let d = distances_sq(pattern, &lanes, window.cells(n, len));
            for (&k, v) in batch.iter().zip(d) {
                out[k] = v.sqrt();
            }
        }
    }
    out
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

/// All pairwise DTW distances as a condensed upper triangle: (0,1), (0,2) … (0,n-1), (1,2) …,
/// as SciPy's `pdist` and kodama lay them out; in parallel over rows.
pub fn condensed(
    series: &[Vec<f64>],
    window: Window,
    progress: &dyn Progress,
) -> Result<Vec<f64>, Cancelled> {
    let n = series.len();
    let refs: Vec<&[f64]> = series.iter().map(Vec::as_slice).collect();
    let done = AtomicUsize::new(0);
    let total = (n * n.saturating_sub(1) / 2).max(1);
    let rows: Vec<Vec<f64>> = (0..n)
        .into_par_iter()
        .map(|i| {
            check(progress)?;
            let row = against(refs[i], &refs[i + 1..], window);
            let k = done.fetch_add(row.len(), Ordering::Relaxed) + row.len();
            progress.report(k as f32 / total as f32, "pairwise DTW");
            Ok(row)
        })
        .collect::<Result<_, Cancelled>>()?;
    Ok(rows.concat())
}

/// Where the distance between series `i` and `j` (`i < j`) of `n` lies in a condensed triangle.
pub fn condensed_index(n: usize, i: usize, j: usize) -> usize {
    debug_assert!(i < j && j < n);
    i * n - i * (i + 1) / 2 + (j - i - 1)
}

/// All pairwise DTW distances (a symmetric matrix with zeros on the diagonal), in parallel.
pub fn pairwise(
    series: &[Vec<f64>],
    window: Window,
    progress: &dyn Progress,
) -> Result<Vec<Vec<f64>>, Cancelled> {
    let n = series.len();
    let d = condensed(series, window, progress)?;
    let mut m = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in i + 1..n {
            let v = d[condensed_index(n, i, j)];
            m[i][j] = v;
            m[j][i] = v;
        }
    }
    Ok(m)
}
