//! Lower bounds of the DTW distance, cheap to compute, used to skip candidates in a search:
//! LB_Kim (first and last points, which every warping path matches) and LB_Keogh (distance of
//! a candidate to the envelope of the query within the band). Both are squared, like the
//! distances they bound, and never exceed them.

use std::collections::VecDeque;

/// The running maximum and minimum of a series over a window of +-w points.
#[derive(Clone, Debug, PartialEq)]
pub struct Envelope {
    pub upper: Vec<f64>,
    pub lower: Vec<f64>,
}

impl Envelope {
    /// Lemire's streaming min/max: O(n) whatever the width.
    pub fn new(series: &[f64], w: usize) -> Self {
        let n = series.len();
        let mut upper = Vec::with_capacity(n);
        let mut lower = Vec::with_capacity(n);
        let mut maxq: VecDeque<usize> = VecDeque::new();
        let mut minq: VecDeque<usize> = VecDeque::new();
        // Index `k` enters when the output position reaches k - w.
        let mut next = 0;
        for i in 0..n {
            while next < n && next <= i + w {
                let v = series[next];
                while maxq.back().is_some_and(|&b| series[b] <= v) {
                    maxq.pop_back();
                }
                maxq.push_back(next);
                while minq.back().is_some_and(|&b| series[b] >= v) {
                    minq.pop_back();
                }
                minq.push_back(next);
                next += 1;
            }
            while maxq.front().is_some_and(|&f| f + w < i) {
                maxq.pop_front();
            }
            while minq.front().is_some_and(|&f| f + w < i) {
                minq.pop_front();
            }
            upper.push(maxq.front().map_or(f64::NAN, |&k| series[k]));
            lower.push(minq.front().map_or(f64::NAN, |&k| series[k]));
        }
        Self { upper, lower }
    }
}

/// LB_Kim, squared: the first points and the last points of any warping path are matched.
pub fn lb_kim_sq(a: &[f64], b: &[f64]) -> f64 {
    match (a.first(), b.first(), a.last(), b.last()) {
        (Some(a0), Some(b0), Some(an), Some(bn)) => {
            let first = (a0 - b0) * (a0 - b0);
            // With a single point in either series the first and last cells are the same pair
            // or share a row or column; count only one of them then.
            if a.len() == 1 || b.len() == 1 {
                first.max((an - bn) * (an - bn))
            } else {
                first + (an - bn) * (an - bn)
            }
        }
        _ => 0.0,
    }
}

/// LB_Keogh, squared, of `candidate` against the envelope of the query (same length, same
/// band width). Stops adding once the sum exceeds `limit_sq`.
pub fn lb_keogh_sq(envelope: &Envelope, candidate: &[f64], limit_sq: f64) -> f64 {
    let mut sum = 0.0;
    for ((&c, &u), &l) in candidate.iter().zip(&envelope.upper).zip(&envelope.lower) {
        let d = if c > u {
            c - u
        } else if c < l {
            l - c
        } else {
            continue;
        };
        sum += d * d;
        if sum > limit_sq {
            break;
        }
    }
    sum
}
