//! Dynamic time warping (the book's DTW chapters): exact DTW with a Sakoe-Chiba band, the
//! warping path, one-against-many in parallel, and nearest-neighbour search pruned with LB_Kim
//! and LB_Keogh and early abandoning (the UCR Suite's cascade), which returns exactly what brute
//! force returns. Distances follow the UCR archive and dtaidistance: the square root of the summed
//! squared differences along the optimal path.

mod band;
mod bounds;
pub mod lanes;
mod search;

pub use band::{Window, WindowError};
pub use bounds::{Envelope, lb_keogh_sq, lb_kim_sq};
pub use lanes::instruction_set;
pub use search::{
    SweepRow, classify_1nn, condensed, condensed_index, nearest, nearest_brute_force,
    one_against_many, pairwise, sweep,
};

use band::Band;

/// DTW distance between `a` and `b` with a band of `w` cells (see `Window::cells`).
pub fn distance(a: &[f64], b: &[f64], w: usize) -> f64 {
    distance_sq(a, b, w, f64::INFINITY).sqrt()
}

/// Squared DTW distance, abandoned (returning infinity) as soon as every cell of a row exceeds
/// `limit_sq`: then the result would too. Empty series have no distance (infinity).
pub fn distance_sq(a: &[f64], b: &[f64], w: usize, limit_sq: f64) -> f64 {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return f64::INFINITY;
    }
    let band = Band::new(n, m, w);
    let mut prev = vec![f64::INFINITY; m];
    let mut cur = vec![f64::INFINITY; m];
    for (i, &ai) in a.iter().enumerate() {
        let (lo, hi) = band.columns(i);
        if lo > 0 {
            cur[lo - 1] = f64::INFINITY;
        }
        let mut left = f64::INFINITY;
        let mut row_min = f64::INFINITY;
        for j in lo..=hi {
            let best = if i == 0 {
                if j == 0 { 0.0 } else { left }
            } else if j == 0 {
                prev[0]
            } else {
                left.min(prev[j]).min(prev[j - 1])
            };
            let d = ai - b[j];
            let v = d * d + best;
            cur[j] = v;
            left = v;
            row_min = row_min.min(v);
        }
        if row_min > limit_sq {
            return f64::INFINITY;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m - 1]
}

/// The distance and the optimal warping path, as (index in `a`, index in `b`) pairs from
/// (0, 0) to (n-1, m-1). Uses a full cost matrix: for plotting, not for search.
pub fn warping_path(a: &[f64], b: &[f64], w: usize) -> (f64, Vec<(usize, usize)>) {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return (f64::INFINITY, Vec::new());
    }
    let band = Band::new(n, m, w);
    let mut cost = vec![f64::INFINITY; n * m];
    let at = |i: usize, j: usize| i * m + j;
    for i in 0..n {
        let (lo, hi) = band.columns(i);
        for j in lo..=hi {
            let best = match (i, j) {
                (0, 0) => 0.0,
                (0, _) => cost[at(0, j - 1)],
                (_, 0) => cost[at(i - 1, 0)],
                _ => cost[at(i - 1, j)]
                    .min(cost[at(i, j - 1)])
                    .min(cost[at(i - 1, j - 1)]),
            };
            let d = a[i] - b[j];
            cost[at(i, j)] = d * d + best;
        }
    }
    let mut path = vec![(n - 1, m - 1)];
    let (mut i, mut j) = (n - 1, m - 1);
    while (i, j) != (0, 0) {
        (i, j) = match (i, j) {
            (0, _) => (0, j - 1),
            (_, 0) => (i - 1, 0),
            _ => {
                let diag = cost[at(i - 1, j - 1)];
                let up = cost[at(i - 1, j)];
                let left = cost[at(i, j - 1)];
                if diag <= up && diag <= left {
                    (i - 1, j - 1)
                } else if up <= left {
                    (i - 1, j)
                } else {
                    (i, j - 1)
                }
            }
        };
        path.push((i, j));
    }
    path.reverse();
    (cost[at(n - 1, m - 1)].sqrt(), path)
}

/// Z-normalise in place (mean 0, population standard deviation 1); a constant series becomes
/// all zeros.
pub fn znorm(series: &mut [f64]) {
    let n = series.len() as f64;
    if series.is_empty() {
        return;
    }
    let mean = series.iter().sum::<f64>() / n;
    let var = series.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    let sd = var.sqrt();
    for v in series.iter_mut() {
        *v = if sd > 0.0 { (*v - mean) / sd } else { 0.0 };
    }
}

/// id,distance,zscore sorted by distance (ties keep table order).
pub fn distance_table(
    ids: &[String],
    distances: &[f64],
) -> polars::prelude::PolarsResult<polars::prelude::DataFrame> {
    use polars::prelude::*;
    let z = crate::compute::stats::zscores(distances);
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by(|&a, &b| distances[a].total_cmp(&distances[b]));
    DataFrame::new_infer_height(vec![
        Column::new(
            "id".into(),
            order.iter().map(|&k| ids[k].as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "distance".into(),
            order.iter().map(|&k| distances[k]).collect::<Vec<_>>(),
        ),
        Column::new(
            "zscore".into(),
            order.iter().map(|&k| z[k]).collect::<Vec<_>>(),
        ),
    ])
}

/// A sweep as a table: window,median,mean,min,max.
pub fn sweep_table(rows: &[SweepRow]) -> polars::prelude::PolarsResult<polars::prelude::DataFrame> {
    use polars::prelude::*;
    let col = |f: fn(&SweepRow) -> f64| rows.iter().map(f).collect::<Vec<_>>();
    DataFrame::new_infer_height(vec![
        Column::new("window".into(), col(|r| r.window)),
        Column::new("median".into(), col(|r| r.median)),
        Column::new("mean".into(), col(|r| r.mean)),
        Column::new("min".into(), col(|r| r.min)),
        Column::new("max".into(), col(|r| r.max)),
    ])
}

#[cfg(test)]
mod tests;
