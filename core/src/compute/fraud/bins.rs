//! Cutting numeric features into at most `max_bins` bins, in Spark's sense of maxBins: the
//! split candidates of a feature are quantiles of a sample of the training rows (all distinct
//! values when there are fewer than `max_bins`). A value's bin is the number of candidates
//! below it, so "bin <= j" is the same test as "value <= candidate j".

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::features::Features;

/// Rows sampled per feature to place the candidates.
const SAMPLE: usize = 200_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Binner {
    /// Per feature: the split candidates, increasing.
    pub thresholds: Vec<Vec<f64>>,
}

impl Binner {
    /// Place at most `max_bins - 1` candidates per feature from a seeded sample of `rows`.
    pub fn fit(features: &Features, rows: &[u32], max_bins: usize, seed: u64) -> Self {
        let max_bins = max_bins.clamp(2, 256);
        let mut sample: Vec<u32> = rows.to_vec();
        if sample.len() > SAMPLE {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let (chosen, _) = sample.partial_shuffle(&mut rng, SAMPLE);
            sample = chosen.to_vec();
        }
        let thresholds = features
            .columns
            .iter()
            .map(|col| {
                let mut v: Vec<f64> = sample.iter().map(|&r| col[r as usize]).collect();
                v.sort_by(f64::total_cmp);
                let mut distinct = v.clone();
                distinct.dedup();
                if distinct.len() <= max_bins {
                    // Every distinct value but the largest is a candidate ("x <= value").
                    distinct.pop();
                    return distinct;
                }
                let mut t: Vec<f64> = (1..max_bins)
                    .map(|k| v[(k * (v.len() - 1)) / max_bins])
                    .collect();
                t.dedup();
                if t.last() == v.last() {
                    t.pop();
                }
                t
            })
            .collect();
        Self { thresholds }
    }

    pub fn bins(&self, feature: usize) -> usize {
        self.thresholds[feature].len() + 1
    }

    /// The bin of `value` for `feature`.
    pub fn code(&self, feature: usize, value: f64) -> u8 {
        self.thresholds[feature].partition_point(|&t| t < value) as u8
    }

    /// Every row's bin, per feature.
    pub fn codes(&self, features: &Features) -> Vec<Vec<u8>> {
        use rayon::prelude::*;
        features
            .columns
            .par_iter()
            .enumerate()
            .map(|(f, col)| col.iter().map(|&v| self.code(f, v)).collect())
            .collect()
    }
}
