//! Scoring a pitch against what the pitcher's earlier outings predict. One `Scorer` serves the
//! season run (pitches fed in game order) and the live watcher (pitches fed as they land), so
//! both flag the same pitch the same way.
//!
//! For each pitcher and pitch type the baseline is taken over his last `history_outings`
//! outings before this game:
//! - **velocity-adjusted median**: the median of his Bauer units (spin / mph) times this pitch's
//!   speed, plus the median of the earlier pitches' residuals from that line; the spread is
//!   1.4826 × their MAD (the normal-consistent MAD), at least `MIN_SCALE_RPM`;
//! - **regression**: the league spin model's residual for this pitch, against the median and
//!   MAD of his earlier residuals.
//!
//! A pitch is flagged when its spin is at least `z` robust SDs above the first and
//! `regression_z` above the second (only the first when the model cannot predict it, e.g. no
//! release point). Only high spin is flagged: grip aids add spin, and fatigue or a crackdown
//! take it away. A pitcher with fewer than `min_outings` earlier outings or `min_pitches`
//! earlier pitches of the type is not scored, and the reason says so.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::model::SpinModel;
use super::{Pitch, median};

/// The smallest robust spread used (rpm): a pitcher whose spin barely varies is not flagged for
/// a 20 rpm wobble.
pub const MIN_SCALE_RPM: f64 = 15.0;

/// The flag rule's settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rule {
    /// Robust SDs above the velocity-adjusted median.
    pub z: f64,
    /// Robust SDs above the regression's expected spin.
    pub regression_z: f64,
    /// How many of his latest earlier outings make the baseline.
    pub history_outings: usize,
    /// Earlier outings needed before a pitch is scored.
    pub min_outings: usize,
    /// Earlier pitches of the type needed before a pitch is scored.
    pub min_pitches: usize,
    /// Flagged pitches that make a flagged outing.
    pub min_flagged: usize,
}

impl Default for Rule {
    fn default() -> Self {
        Self {
            z: 3.5,
            regression_z: 3.0,
            history_outings: 10,
            min_outings: 3,
            min_pitches: 20,
            min_flagged: 3,
        }
    }
}

impl Rule {
    /// The rule in one line, for the UI and reports.
    pub fn describe(&self) -> String {
        format!(
            "A pitch is flagged when its spin is at least {:.1} robust SDs above the pitcher's \
             velocity-adjusted median for the pitch type and {:.1} above the league regression's \
             expected spin (his own residual median and MAD), both over his last {} outings \
             before the game; a pitcher needs {} earlier outings and {} pitches of the type. \
             An outing is flagged at {} flagged pitches. Only high spin is flagged.",
            self.z,
            self.regression_z,
            self.history_outings,
            self.min_outings,
            self.min_pitches,
            self.min_flagged
        )
    }
}

/// What a pitch was measured against.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Baseline {
    /// Median Bauer units (rpm per mph).
    pub bauer: f64,
    /// Median residual from `bauer × speed` (rpm).
    pub center: f64,
    /// Robust SD of that residual (rpm).
    pub scale: f64,
    /// Median and robust SD of the regression residuals (NaN without a model).
    pub reg_center: f64,
    pub reg_scale: f64,
    pub outings: usize,
    pub pitches: usize,
}

impl Baseline {
    /// The expected spin at `speed` mph.
    pub fn expected(&self, speed: f64) -> f64 {
        self.bauer * speed + self.center
    }

    /// The band `expected ± k × scale` at `speed`.
    pub fn band(&self, speed: f64, k: f64) -> (f64, f64) {
        let e = self.expected(speed);
        (e - k * self.scale, e + k * self.scale)
    }
}

/// One pitch's score.
#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    /// Expected spin from the velocity-adjusted baseline (NaN when not scored).
    pub expected: f64,
    /// Robust z against the baseline (NaN when not scored).
    pub z: f64,
    /// Robust z of the regression residual (NaN when not available).
    pub regression_z: f64,
    pub flagged: bool,
    pub reason: String,
    pub baseline: Option<Baseline>,
}

/// One earlier pitch as the baseline needs it.
#[derive(Clone, Copy, Debug)]
struct Obs {
    spin: f64,
    speed: f64,
    /// Regression residual (NaN without a model prediction).
    residual: f64,
}

struct Outing {
    key: (i32, i64),
    obs: Vec<Obs>,
}

#[derive(Default)]
struct Arm {
    /// Outings in (day, game) order.
    outings: Vec<Outing>,
    /// The baseline for one game, computed at its first pitch.
    cached: Option<((i32, i64), Option<Baseline>)>,
}

/// Scores pitches and learns from them. Feed pitches in time order; a pitch is scored against
/// the pitcher's outings in earlier games only.
pub struct Scorer {
    rule: Rule,
    model: Option<Arc<SpinModel>>,
    arms: HashMap<(i64, Arc<str>), Arm>,
}

impl Scorer {
    pub fn new(rule: Rule, model: Option<Arc<SpinModel>>) -> Self {
        Self {
            rule,
            model,
            arms: HashMap::new(),
        }
    }

    pub fn rule(&self) -> &Rule {
        &self.rule
    }

    /// Add a pitch to the history without scoring it (a history file).
    pub fn learn(&mut self, p: &Pitch) {
        if !p.spin.is_finite() {
            return;
        }
        let residual = self.residual(p);
        let arm = self
            .arms
            .entry((p.pitcher, p.pitch_type.clone()))
            .or_default();
        let key = (p.day, p.game_pk);
        let obs = Obs {
            spin: p.spin,
            speed: p.speed,
            residual,
        };
        match arm.outings.binary_search_by(|o| o.key.cmp(&key)) {
            Ok(i) => arm.outings[i].obs.push(obs),
            Err(i) => {
                arm.outings.insert(
                    i,
                    Outing {
                        key,
                        obs: vec![obs],
                    },
                );
                // A game inserted before the cached one changes its history.
                if arm.cached.as_ref().is_some_and(|(k, _)| *k > key) {
                    arm.cached = None;
                }
            }
        }
    }

    fn residual(&self, p: &Pitch) -> f64 {
        self.model
            .as_ref()
            .and_then(|m| m.predict(p))
            .map_or(f64::NAN, |e| p.spin - e)
    }

    /// The baseline for `p`'s pitcher and type before `p`'s game (None: too little history).
    pub fn baseline(&mut self, p: &Pitch) -> (Option<Baseline>, usize, usize) {
        let key = (p.day, p.game_pk);
        let rule = &self.rule;
        let Some(arm) = self.arms.get_mut(&(p.pitcher, p.pitch_type.clone())) else {
            return (None, 0, 0);
        };
        let earlier = arm.outings.partition_point(|o| o.key < key);
        let from = earlier.saturating_sub(rule.history_outings);
        let window = &arm.outings[from..earlier];
        let pitches: usize = window.iter().map(|o| o.obs.len()).sum();
        if let Some((k, b)) = &arm.cached
            && *k == key
        {
            return (*b, window.len(), pitches);
        }
        let b = (window.len() >= rule.min_outings && pitches >= rule.min_pitches)
            .then(|| compute_baseline(window, pitches));
        arm.cached = Some((key, b));
        (b, window.len(), pitches)
    }

    /// Score `p` against the pitcher's earlier outings, then learn from it.
    pub fn score(&mut self, p: &Pitch) -> Score {
        let score = self.score_only(p);
        self.learn(p);
        score
    }

    fn score_only(&mut self, p: &Pitch) -> Score {
        let not_scored = |reason: String| Score {
            expected: f64::NAN,
            z: f64::NAN,
            regression_z: f64::NAN,
            flagged: false,
            reason,
            baseline: None,
        };
        if !p.spin.is_finite() {
            return not_scored("no spin reading".into());
        }
        let (baseline, outings, pitches) = self.baseline(p);
        let Some(b) = baseline else {
            return not_scored(format!(
                "too little history: {outings} earlier outing{} with {pitches} {} (needs {} and \
                 {})",
                if outings == 1 { "" } else { "s" },
                p.pitch_type,
                self.rule.min_outings,
                self.rule.min_pitches
            ));
        };
        let expected = b.expected(p.speed);
        let z = (p.spin - expected) / b.scale;
        let residual = self.residual(p);
        let regression_z = if residual.is_finite() && b.reg_scale.is_finite() {
            (residual - b.reg_center) / b.reg_scale
        } else {
            f64::NAN
        };
        let reg_ok = regression_z.is_nan() || regression_z >= self.rule.regression_z;
        let flagged = z >= self.rule.z && reg_ok;
        let reg = if regression_z.is_nan() {
            "no regression prediction".to_owned()
        } else {
            format!("regression {regression_z:+.1} SD")
        };
        let reason = format!(
            "{} {} rpm at {:.1} mph: {z:+.1} SD vs his velocity-adjusted median {} rpm ({} {} in \
             {} earlier outings); {reg}",
            p.pitch_type,
            p.spin.round(),
            p.speed,
            expected.round(),
            b.pitches,
            p.pitch_type,
            b.outings
        );
        Score {
            expected,
            z,
            regression_z,
            flagged,
            reason,
            baseline: Some(b),
        }
    }
}

/// Median Bauer units, then median and robust SD of the residuals, over the window's pitches.
fn compute_baseline(window: &[Outing], pitches: usize) -> Baseline {
    let all = || window.iter().flat_map(|o| o.obs.iter());
    let mut ratio: Vec<f64> = Vec::with_capacity(pitches);
    ratio.extend(all().map(|o| o.spin / o.speed));
    let bauer = median(&mut ratio).unwrap_or(f64::NAN);
    let mut resid = ratio;
    resid.clear();
    resid.extend(all().map(|o| o.spin - bauer * o.speed));
    let (center, scale) = robust(&mut resid);
    resid.clear();
    resid.extend(all().map(|o| o.residual).filter(|r| r.is_finite()));
    let (reg_center, reg_scale) = if resid.len() >= pitches / 2 && !resid.is_empty() {
        robust(&mut resid)
    } else {
        (f64::NAN, f64::NAN)
    };
    Baseline {
        bauer,
        center,
        scale,
        reg_center,
        reg_scale,
        outings: window.len(),
        pitches,
    }
}

/// Median and 1.4826 × MAD (at least `MIN_SCALE_RPM`) of `v`, reordered in place.
pub fn robust(v: &mut [f64]) -> (f64, f64) {
    let Some(m) = median(v) else {
        return (f64::NAN, f64::NAN);
    };
    for x in v.iter_mut() {
        *x = (*x - m).abs();
    }
    let mad = median(v).unwrap_or(0.0);
    (m, (1.4826 * mad).max(MIN_SCALE_RPM))
}
