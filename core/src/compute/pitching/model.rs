//! The league's expected-spin regression, fitted with linfa-linear (ordinary least squares):
//! spin on velocity per pitch type (an intercept and a slope for each type), release height,
//! release side (|release_pos_x|, so left- and right-handers share it) and extension. Types with
//! fewer than `MIN_TYPE_PITCHES` pitches share one "other" intercept and slope. Its residual,
//! measured against the pitcher's own earlier residuals, is the second flag signal.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::{Result, anyhow};
use linfa::prelude::*;
use linfa_linear::LinearRegression;
use ndarray::{Array1, Array2};

use super::Pitch;

/// Pitches a type needs for its own intercept and slope.
pub(crate) const MIN_TYPE_PITCHES: usize = 200;
/// Pitches the fit uses at most (an even spread of the table): a few hundred thousand pin
/// down 17 coefficients.
pub(crate) const MAX_FIT_PITCHES: usize = 250_000;
/// Speed is centred at 90 mph so that intercepts read as spin at 90 mph.
const SPEED_CENTRE: f64 = 90.0;
const SHARED: usize = 3;

/// The fitted model.
#[derive(Clone, Debug, PartialEq)]
pub struct SpinModel {
    /// Types with their own terms, in column order; the last slot is "other".
    pub types: Vec<Arc<str>>,
    /// Per type slot: spin at 90 mph and rpm per mph.
    pub type_terms: Vec<(f64, f64)>,
    /// rpm per foot of release height, release side and extension.
    pub shared: [f64; SHARED],
    /// Pitches the fit used.
    pub pitches: usize,
    /// Residual SD over those pitches (rpm).
    pub residual_sd: f64,
}

fn features(p: &Pitch) -> Option<[f64; SHARED + 1]> {
    let f = [
        p.speed - SPEED_CENTRE,
        p.release_z,
        p.release_x.abs(),
        p.extension,
    ];
    (f.iter().all(|v| v.is_finite()) && p.spin.is_finite()).then_some(f)
}

impl SpinModel {
    fn slot(&self, pitch_type: &str) -> usize {
        self.types
            .iter()
            .position(|t| &**t == pitch_type)
            .unwrap_or(self.types.len())
    }

    /// Expected spin (None when the pitch lacks a feature).
    pub fn predict(&self, p: &Pitch) -> Option<f64> {
        let [speed, rz, rx, ext] = features(&Pitch {
            spin: 0.0,
            ..p.clone()
        })?;
        let (a, b) = self.type_terms[self.slot(&p.pitch_type)];
        Some(a + b * speed + self.shared[0] * rz + self.shared[1] * rx + self.shared[2] * ext)
    }

    /// Fit on `pitches` (those with every feature). Errors when fewer than 50 pitches qualify.
    pub fn fit<'a>(pitches: impl IntoIterator<Item = &'a Pitch>) -> Result<SpinModel> {
        let usable: Vec<&Pitch> = pitches
            .into_iter()
            .filter(|p| features(p).is_some())
            .collect();
        if usable.len() < 50 {
            return Err(anyhow!(
                "the spin regression needs at least 50 pitches with speed, spin, release point \
                 and extension; {} have them",
                usable.len()
            ));
        }
        let step = usable.len().div_ceil(MAX_FIT_PITCHES);
        let sample: Vec<&Pitch> = usable.iter().step_by(step).copied().collect();
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for p in &sample {
            *counts.entry(&p.pitch_type).or_default() += 1;
        }
        let mut types: Vec<Arc<str>> = counts
            .iter()
            .filter(|(_, n)| **n >= MIN_TYPE_PITCHES.min(sample.len() / 10).max(1))
            .map(|(t, _)| Arc::from(*t))
            .collect();
        types.sort();
        let slots = types.len() + 1;
        let cols = 2 * slots + SHARED;
        let mut model = SpinModel {
            types,
            type_terms: vec![(0.0, 0.0); slots],
            shared: [0.0; SHARED],
            pitches: sample.len(),
            residual_sd: f64::NAN,
        };
        let mut x = Array2::<f64>::zeros((sample.len(), cols));
        let mut y = Array1::<f64>::zeros(sample.len());
        let mut used = vec![false; slots];
        for (i, p) in sample.iter().enumerate() {
            let Some([speed, rz, rx, ext]) = features(p) else {
                continue;
            };
            let s = model.slot(&p.pitch_type);
            used[s] = true;
            x[[i, 2 * s]] = 1.0;
            x[[i, 2 * s + 1]] = speed;
            x[[i, 2 * slots]] = rz;
            x[[i, 2 * slots + 1]] = rx;
            x[[i, 2 * slots + 2]] = ext;
            y[i] = p.spin;
        }
        // An empty "other" slot would make the problem singular: drop its columns.
        let keep: Vec<usize> = (0..cols)
            .filter(|c| *c >= 2 * slots || used[c / 2])
            .collect();
        let x = x.select(ndarray::Axis(1), &keep);
        let fit = LinearRegression::new()
            .with_intercept(false)
            .fit(&Dataset::new(x.clone(), y.clone()))
            .map_err(|e| anyhow!("the spin regression could not be fitted: {e}"))?;
        let params = fit.params();
        for (j, &c) in keep.iter().enumerate() {
            if c < 2 * slots {
                let t = &mut model.type_terms[c / 2];
                if c % 2 == 0 {
                    t.0 = params[j];
                } else {
                    t.1 = params[j];
                }
            } else {
                model.shared[c - 2 * slots] = params[j];
            }
        }
        let pred = x.dot(params);
        let sse: f64 = (&y - &pred).iter().map(|r| r * r).sum();
        model.residual_sd = (sse / (sample.len().saturating_sub(keep.len()).max(1)) as f64).sqrt();
        Ok(model)
    }
}
