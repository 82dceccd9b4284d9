//! Equal-width histograms with numpy's conventions: `bins` bins spanning [min, max], each bin
//! half-open except the last, which includes `max`. Non-finite values (NaN, ±inf) are left out
//! of the bins and counted, so one bad cell neither hides the rest nor stretches the range.

use rayon::prelude::*;

use super::{Cancelled, Progress, check};

/// Bin edges (`counts.len() + 1` of them) and counts.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Histogram {
    pub edges: Vec<f64>,
    pub counts: Vec<u64>,
    /// Values left out because they were NaN or infinite.
    pub left_out: u64,
}

impl Histogram {
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// "(N NaN or infinite left out)" when some were, for titles and read-outs.
    pub fn left_out_note(&self) -> Option<String> {
        (self.left_out > 0).then(|| format!("({} NaN or infinite left out)", self.left_out))
    }
}

/// Parameters a user edits; `validate` turns them into a bin count the algorithm accepts.
pub const MAX_BINS: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistogramError {
    #[error("bins must be between 1 and {MAX_BINS}, got {0}")]
    BadBins(usize),
    #[error("no finite values to bin")]
    NoValues,
    #[error(transparent)]
    Cancelled(#[from] Cancelled),
}

/// Bin the finite `values` into `bins` equal-width bins (the others are counted in `left_out`).
pub fn histogram(
    values: &[f64],
    bins: usize,
    progress: &dyn Progress,
) -> Result<Histogram, HistogramError> {
    if bins == 0 || bins > MAX_BINS {
        return Err(HistogramError::BadBins(bins));
    }
    let (min, max, finite) = values
        .par_iter()
        .filter(|v| v.is_finite())
        .fold(
            || (f64::INFINITY, f64::NEG_INFINITY, 0u64),
            |(lo, hi, n), &v| (lo.min(v), hi.max(v), n + 1),
        )
        .reduce(
            || (f64::INFINITY, f64::NEG_INFINITY, 0),
            |a, b| (a.0.min(b.0), a.1.max(b.1), a.2 + b.2),
        );
    if finite == 0 {
        return Err(HistogramError::NoValues);
    }
    // numpy widens a degenerate range by 0.5 on each side.
    let (lo, hi) = if min == max {
        (min - 0.5, max + 0.5)
    } else {
        (min, max)
    };
    // hi/b - lo/b rather than (hi - lo)/b: the range of -1e308 and 1e308 overflows.
    let width = hi / bins as f64 - lo / bins as f64;
    let edges: Vec<f64> = (0..=bins)
        .map(|i| {
            let e = lo + width * i as f64;
            if e.is_finite() {
                e
            } else {
                // Past f64::MAX on the way: interpolate instead.
                let t = i as f64 / bins as f64;
                lo * (1.0 - t) + hi * t
            }
        })
        .collect();
    let chunk = 1 << 20;
    let n_chunks = values.len().div_ceil(chunk);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let counts = values
        .par_chunks(chunk)
        .map(|part| {
            check(progress)?;
            let mut counts = vec![0u64; bins];
            for &v in part.iter().filter(|v| v.is_finite()) {
                counts[bin_of(v, lo, width, &edges, bins)] += 1;
            }
            let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress.report(d as f32 / n_chunks as f32, "binning");
            Ok(counts)
        })
        .try_reduce(
            || vec![0u64; bins],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                Ok(a)
            },
        )
        .map_err(|c: Cancelled| HistogramError::Cancelled(c))?;
    Ok(Histogram {
        edges,
        counts,
        left_out: values.len() as u64 - finite,
    })
}

/// The bin of `v`, computed arithmetically then corrected against the edges so that values on
/// an edge land where numpy puts them.
fn bin_of(v: f64, lo: f64, width: f64, edges: &[f64], bins: usize) -> usize {
    // v/w - lo/w for the same reason as the width; `as usize` saturates.
    let mut i = ((v / width - lo / width) as usize).min(bins - 1);
    if v < edges[i] && i > 0 {
        i -= 1;
    } else if i + 1 < bins && v >= edges[i + 1] {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::NoProgress;

    /// Brute force: compare each value against every edge.
    fn reference(values: &[f64], edges: &[f64]) -> Vec<u64> {
        let bins = edges.len() - 1;
        let mut counts = vec![0; bins];
        for &v in values {
            for b in 0..bins {
                let last = b == bins - 1;
                if v >= edges[b] && (v < edges[b + 1] || (last && v <= edges[b + 1])) {
                    counts[b] += 1;
                    break;
                }
            }
        }
        counts
    }

    #[test]
    fn matches_brute_force_on_awkward_values() {
        let mut values: Vec<f64> = (0..5000)
            .map(|i| ((i * 7919) % 1000) as f64 / 7.0)
            .collect();
        values.extend([0.0, 1000.0 / 7.0, 0.1, 0.3]);
        for bins in [1, 3, 7, 10, 64, 333] {
            let h = histogram(&values, bins, &NoProgress).unwrap();
            assert_eq!(h.counts, reference(&values, &h.edges), "bins={bins}");
            assert_eq!(h.total(), values.len() as u64);
        }
    }

    #[test]
    fn numpy_example() {
        // numpy.histogram([1, 2, 1], bins=[0, 1, 2, 3]) style: values 0..=3, 3 bins.
        let h = histogram(&[0.0, 1.0, 1.0, 2.0, 3.0], 3, &NoProgress).unwrap();
        assert_eq!(h.edges, vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(h.counts, vec![1, 2, 2]);
    }

    #[test]
    fn constant_values_get_a_unit_range() {
        let h = histogram(&[5.0; 10], 2, &NoProgress).unwrap();
        assert_eq!(h.edges, vec![4.5, 5.0, 5.5]);
        assert_eq!(h.counts, vec![0, 10]);
    }

    #[test]
    fn rejects_bad_parameters() {
        assert_eq!(
            histogram(&[1.0], 0, &NoProgress),
            Err(HistogramError::BadBins(0))
        );
        assert_eq!(
            histogram(&[], 10, &NoProgress),
            Err(HistogramError::NoValues)
        );
    }

    #[test]
    fn non_finite_values_are_left_out_and_huge_ranges_do_not_overflow() {
        let h = histogram(
            &[1.0, f64::NEG_INFINITY, 2.0, f64::NAN, 3.0, f64::INFINITY],
            2,
            &NoProgress,
        )
        .unwrap();
        assert_eq!(h.counts, vec![1, 2]);
        assert_eq!(h.left_out, 3);
        assert_eq!(h.edges, vec![1.0, 2.0, 3.0]);
        let h = histogram(&[-1e308, 1e308, 0.0], 4, &NoProgress).unwrap();
        assert!(h.edges.iter().all(|e| e.is_finite()), "{:?}", h.edges);
        assert_eq!(h.counts, vec![1, 0, 1, 1]);
        assert_eq!(
            histogram(&[f64::NAN, f64::INFINITY], 3, &NoProgress),
            Err(HistogramError::NoValues)
        );
    }
}
