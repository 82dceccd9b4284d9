//! How well scores rank the positives: average precision (the area under the
//! precision-recall curve as scikit-learn's `average_precision_score` computes it), the area
//! under the ROC curve (`roc_auc_score`, ties counted half), both curves' points, and the
//! confusion matrix at a threshold.

use serde::Serialize;

/// (positives, negatives) seen at each distinct score, highest score first.
fn steps(scores: &[f64], labels: &[bool]) -> Vec<(f64, usize, usize)> {
    let n = scores.len().min(labels.len());
    let (scores, labels) = (&scores[..n], &labels[..n]);
    steps_by_counting(scores, labels).unwrap_or_else(|| steps_by_sorting(scores, labels))
}

/// Hashing for f64 bit patterns: one multiply (Fibonacci hashing), not SipHash's rounds: the
/// keys are a handful of scores, not anyone's input to defend against.
#[derive(Default, Clone, Copy)]
struct BitsHash;

impl std::hash::BuildHasher for BitsHash {
    type Hasher = BitsHasher;
    fn build_hasher(&self) -> BitsHasher {
        BitsHasher(0)
    }
}

struct BitsHasher(u64);

impl std::hash::Hasher for BitsHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (v ^ (v >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// `steps` by sorting every row by score.
fn steps_by_sorting(scores: &[f64], labels: &[bool]) -> Vec<(f64, usize, usize)> {
    let n = scores.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let mut out: Vec<(f64, usize, usize)> = Vec::new();
    let (mut tp, mut fp) = (0, 0);
    for (k, &i) in order.iter().enumerate() {
        if labels[i] {
            tp += 1;
        } else {
            fp += 1;
        }
        let last_of_tie = order.get(k + 1).is_none_or(|&j| scores[j] != scores[i]);
        if last_of_tie {
            out.push((scores[i], tp, fp));
        }
    }
    out
}

/// `steps` without sorting every row, when the scores take few distinct values (a tree's
/// scores are its leaves' probabilities): count each value's positives and negatives, then
/// sort the values. `None` for scores that are not all finite or take many values.
fn steps_by_counting(scores: &[f64], labels: &[bool]) -> Option<Vec<(f64, usize, usize)>> {
    const MANY: usize = 4096;
    let mut counts: std::collections::HashMap<u64, (usize, usize), BitsHash> = Default::default();
    for (&s, &l) in scores.iter().zip(labels) {
        if !s.is_finite() {
            return None;
        }
        // -0 and 0 are one score, as the sorted path's `!=` treats them.
        let c = counts.entry((s + 0.0).to_bits()).or_default();
        if l {
            c.0 += 1;
        } else {
            c.1 += 1;
        }
        if counts.len() > MANY {
            return None;
        }
    }
    let mut values: Vec<(f64, usize, usize)> = counts
        .into_iter()
        .map(|(bits, (p, q))| (f64::from_bits(bits), p, q))
        .collect();
    values.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut tp, mut fp) = (0, 0);
    Some(
        values
            .into_iter()
            .map(|(s, p, q)| {
                tp += p;
                fp += q;
                (s, tp, fp)
            })
            .collect(),
    )
}

/// Average precision: sum over thresholds of (recall step) x precision. NaN without
/// positives.
pub fn average_precision(scores: &[f64], labels: &[bool]) -> f64 {
    let s = steps(scores, labels);
    let pos = s.last().map_or(0, |l| l.1);
    if pos == 0 {
        return f64::NAN;
    }
    let mut ap = 0.0;
    let mut prev_recall = 0.0;
    for &(_, tp, fp) in &s {
        let recall = tp as f64 / pos as f64;
        let precision = tp as f64 / (tp + fp) as f64;
        ap += (recall - prev_recall) * precision;
        prev_recall = recall;
    }
    ap
}

/// Area under the ROC curve by the trapezoid rule over distinct thresholds. NaN when one
/// class is missing.
pub fn roc_auc(scores: &[f64], labels: &[bool]) -> f64 {
    let s = steps(scores, labels);
    let Some(&(_, pos, neg)) = s.last() else {
        return f64::NAN;
    };
    if pos == 0 || neg == 0 {
        return f64::NAN;
    }
    let (mut area, mut px, mut py) = (0.0, 0.0, 0.0);
    for &(_, tp, fp) in &s {
        let (x, y) = (fp as f64 / neg as f64, tp as f64 / pos as f64);
        area += (x - px) * (y + py) / 2.0;
        (px, py) = (x, y);
    }
    area
}

/// Points of the precision-recall curve (recall, precision), from the highest threshold down.
pub fn pr_curve(scores: &[f64], labels: &[bool]) -> Vec<(f64, f64)> {
    let s = steps(scores, labels);
    let pos = s.last().map_or(0, |l| l.1).max(1) as f64;
    let mut pts = vec![(0.0, 1.0)];
    pts.extend(
        s.iter()
            .map(|&(_, tp, fp)| (tp as f64 / pos, tp as f64 / (tp + fp).max(1) as f64)),
    );
    pts
}

/// Points of the ROC curve (false positive rate, true positive rate), from (0, 0) to (1, 1).
pub fn roc_curve(scores: &[f64], labels: &[bool]) -> Vec<(f64, f64)> {
    let s = steps(scores, labels);
    let (pos, neg) = s
        .last()
        .map_or((1, 1), |&(_, tp, fp)| (tp.max(1), fp.max(1)));
    let mut pts = vec![(0.0, 0.0)];
    pts.extend(
        s.iter()
            .map(|&(_, tp, fp)| (fp as f64 / neg as f64, tp as f64 / pos as f64)),
    );
    pts
}

/// Counts of a binary decision against the labels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Confusion {
    pub tp: usize,
    pub fp: usize,
    pub tn: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Confusion {
    pub fn of(predicted: impl Iterator<Item = bool>, labels: impl Iterator<Item = bool>) -> Self {
        let mut c = Self::default();
        for (p, l) in predicted.zip(labels) {
            match (p, l) {
                (true, true) => c.tp += 1,
                (true, false) => c.fp += 1,
                (false, false) => c.tn += 1,
                (false, true) => c.fn_ += 1,
            }
        }
        c
    }

    pub fn total(&self) -> usize {
        self.tp + self.fp + self.tn + self.fn_
    }

    /// Rows with a score above `threshold` flagged, against their labels.
    pub fn at(scores: &[f64], labels: &[bool], threshold: f64) -> Self {
        Self::of(
            scores.iter().map(|&s| s > threshold),
            labels.iter().copied(),
        )
    }

    /// Of the flagged rows, the share labelled fraud (NaN when none is flagged).
    pub fn precision(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp) as f64
    }

    /// Of the rows labelled fraud, the share flagged (NaN when none is labelled fraud).
    pub fn recall(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fn_) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_and_sorting_give_the_same_steps() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let levels = [0.0, -0.0, 0.25, 0.5, 0.75, 1.0, 1e-300];
        let scores: Vec<f64> = (0..5000)
            .map(|_| levels[rng.random_range(0..levels.len())])
            .collect();
        let labels: Vec<bool> = (0..5000).map(|_| rng.random_bool(0.3)).collect();
        let counted = super::steps_by_counting(&scores, &labels).unwrap();
        assert_eq!(counted, super::steps_by_sorting(&scores, &labels));
        assert_eq!(counted.len(), levels.len() - 1, "-0 and 0 are one score");
        // Many distinct scores take the sorting path.
        let many: Vec<f64> = (0..10_000).map(|_| rng.random::<f64>()).collect();
        let l: Vec<bool> = (0..10_000).map(|_| rng.random_bool(0.5)).collect();
        assert!(super::steps_by_counting(&many, &l).is_none());
    }

    #[test]
    fn a_threshold_cuts_scores_into_the_confusion_matrix() {
        let scores = [0.9, 0.6, 0.4, 0.2, 0.7];
        let labels = [true, false, true, false, true];
        let c = Confusion::at(&scores, &labels, 0.5);
        assert_eq!((c.tp, c.fp, c.tn, c.fn_), (2, 1, 1, 1));
        assert!((c.precision() - 2.0 / 3.0).abs() < 1e-12);
        assert!((c.recall() - 2.0 / 3.0).abs() < 1e-12);
        let c = Confusion::at(&scores, &labels, 0.95);
        assert!(c.precision().is_nan(), "none flagged");
        assert_eq!(c.recall(), 0.0);
    }

    #[test]
    fn hand_computed_areas_with_ties() {
        // sklearn: average_precision_score([0,0,1,1], [0.1,0.4,0.35,0.8]) = 0.8333...
        let (s, l) = ([0.1, 0.4, 0.35, 0.8], [false, false, true, true]);
        assert!((average_precision(&s, &l) - 0.833_333_333_333_333_4).abs() < 1e-12);
        assert!((roc_auc(&s, &l) - 0.75).abs() < 1e-12);
        // A tie between a positive and a negative counts half.
        let (s, l) = ([0.5, 0.5], [true, false]);
        assert!((roc_auc(&s, &l) - 0.5).abs() < 1e-12);
        assert!((average_precision(&s, &l) - 0.5).abs() < 1e-12);
        assert!(average_precision(&[0.3], &[false]).is_nan());
        let c = Confusion::of(
            [true, true, false, false].into_iter(),
            l.iter().copied().chain([true, false]),
        );
        assert_eq!((c.tp, c.fp, c.tn, c.fn_), (1, 1, 1, 1));
    }
}
