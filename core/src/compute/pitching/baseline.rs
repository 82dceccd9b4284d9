//! Scoring a pitch against what the pitcher's earlier outings predict. One `Scorer` serves the
//! season run (pitches fed in game order) and the live watcher (pitches fed as they land), so
//! both flag the same pitch the same way.
//!
//! For each pitcher and pitch type the baseline is taken over his last `history_outings`
//! outings before this game (see `baseline_of`):
//! - **velocity-adjusted**: his median Bauer units (spin / mph) times this pitch's speed, plus
//!   the median residual from that line over his most recent outings (so that a pitcher whose
//!   level moved, as at the crackdown, is measured against where he is now). The spread is the
//!   pitch-to-pitch robust SD (1.4826 × MAD around each outing's own median) combined with the
//!   outing-to-outing robust SD from successive outings (which a slow drift does not inflate),
//!   widened by 1 + 2/sqrt(n) for a spread estimated from n pitches, and at least
//!   `MIN_SCALE_RPM`. Earlier outings that were flagged stay out of the window (a sticky start
//!   is not what he normally throws, and would widen his spread);
//! - **regression**: the league spin model's residual for this pitch, measured the same way
//!   against his earlier residuals.
//!
//! A pitch is flagged when its spin is at least `z` robust SDs above the first and
//! `regression_z` above the second (only the first when the model cannot predict it, e.g. no
//! release point), or (a sustained rise, as a grip aid gives) at least `sustained_z` above while
//! the median of this outing's pitches of the type so far is too, over `sustained_pitches` or
//! more. Only high spin is flagged: grip aids add spin, and fatigue or a crackdown take it
//! away. A pitcher with fewer than `min_outings` earlier outings or `min_pitches` earlier
//! pitches of the type is not scored, and the reason says so.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::model::SpinModel;
use super::{Pitch, median};

/// The smallest robust spread used (rpm): a pitcher whose spin barely varies is not flagged for
/// a 20 rpm wobble.
pub(crate) const MIN_SCALE_RPM: f64 = 15.0;

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
    /// A sustained rise: a pitch at least this many SDs up is also flagged when the median of
    /// this outing's pitches of the type so far is too ...
    pub sustained_z: f64,
    /// ... over at least this many pitches.
    pub sustained_pitches: usize,
}

impl Default for Rule {
    fn default() -> Self {
        Self {
            z: 4.0,
            regression_z: 3.0,
            history_outings: 10,
            min_outings: 3,
            min_pitches: 20,
            min_flagged: 3,
            sustained_z: 2.5,
            sustained_pitches: 6,
        }
    }
}

impl Rule {
    /// The rule in one short line (the panel's headline; `describe` on hover).
    pub fn short(&self) -> String {
        format!(
            "Flagged: spin {}+ SD over his velocity-adjusted baseline and {}+ SD over the \
             regression, or {}+ SD in a rise sustained over {} pitches; outing at {} flags.",
            self.z, self.regression_z, self.sustained_z, self.sustained_pitches, self.min_flagged
        )
    }

    /// The rule in words, for the UI and reports.
    pub fn describe(&self) -> String {
        format!(
            "A pitch is flagged when its spin is at least {} robust SDs above the pitcher's \
             velocity-adjusted baseline for the pitch type and {} above the league regression's \
             expected spin (against his own residuals), or at least {} SDs above while the \
             median of this outing's pitches of the type so far is too, over {} or more \
             pitches. Baselines use his last {} outings before the game, leaving out outings \
             flagged or far above the others; a pitcher needs {} earlier outings and {} pitches \
             of the type (a season read whole measures his first outings against his next \
             ones, never below his earlier level). An outing is flagged at {} flagged pitches. \
             Only high spin is flagged.",
            self.z,
            self.regression_z,
            self.sustained_z,
            self.sustained_pitches,
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
#[derive(Clone, Debug, Default, PartialEq)]
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
    /// The z values of the current game's pitches so far.
    current: Option<((i32, i64), Vec<f64>)>,
}

/// Scores pitches and learns from them. Feed pitches in time order; a pitch is scored against
/// the pitcher's outings in earlier games only.
pub struct Scorer {
    rule: Rule,
    model: Option<Arc<SpinModel>>,
    arms: HashMap<(i64, Arc<str>), Arm>,
    /// Flagged pitches per (pitcher, game): flagged outings stay out of later baselines.
    flagged: HashMap<(i64, i64), usize>,
    /// Baselines from the outings after a game instead of before (see `look_ahead`).
    ahead: bool,
}

impl Scorer {
    pub fn new(rule: Rule, model: Option<Arc<SpinModel>>) -> Self {
        Self {
            rule,
            model,
            arms: HashMap::new(),
            flagged: HashMap::new(),
            ahead: false,
        }
    }

    /// From now on, measure a pitch against the pitcher's next outings instead of his earlier
    /// ones: for a season already read whole, the outings he threw before he had enough
    /// history (`score_ahead` scores them; the live watcher cannot, it has no next outings).
    pub fn look_ahead(&mut self) {
        self.ahead = true;
        for arm in self.arms.values_mut() {
            arm.cached = None;
            arm.current = None;
        }
    }

    /// Score `p` against his next outings (after `look_ahead`; see `baseline` for how his
    /// earlier pitches still set a floor) without learning from it. None when it cannot be
    /// scored that way either. Its flags count toward its outing as `score`'s do.
    pub fn score_ahead(&mut self, p: &Pitch) -> Option<Score> {
        let mut score = self.score_only(p);
        score.baseline?;
        if score.flagged {
            *self.flagged.entry((p.pitcher, p.game_pk)).or_default() += 1;
            score.reason.push_str(" (too little history before it)");
        }
        Some(score)
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
        let flagged = &self.flagged;
        let Some(arm) = self.arms.get_mut(&(p.pitcher, p.pitch_type.clone())) else {
            return (None, 0, 0);
        };
        let unflagged = |o: &&Outing| {
            flagged
                .get(&(p.pitcher, o.key.1))
                .is_none_or(|n| *n < rule.min_flagged)
        };
        // His latest earlier outings (or, looking ahead, his next ones), leaving out the ones
        // flagged (a sticky outing is not what he normally throws, and would widen his
        // spread); nearest to this game last.
        let mut window: Vec<&Outing> = if self.ahead {
            let later = arm.outings.partition_point(|o| o.key <= key);
            arm.outings[later..]
                .iter()
                .filter(unflagged)
                .take(rule.history_outings)
                .collect()
        } else {
            let earlier = arm.outings.partition_point(|o| o.key < key);
            arm.outings[..earlier]
                .iter()
                .rev()
                .filter(unflagged)
                .take(rule.history_outings)
                .collect()
        };
        window.reverse();
        drop_high_outings(&mut window);
        let pitches: usize = window.iter().map(|o| o.obs.len()).sum();
        if let Some((k, b)) = &arm.cached
            && *k == key
        {
            return (*b, window.len(), pitches);
        }
        let mut b = (window.len() >= rule.min_outings && pitches >= rule.min_pitches)
            .then(|| baseline_of(&window, pitches));
        if self.ahead {
            // Looking ahead, the pitch is measured against the higher of his next outings'
            // level and his earlier pitches' (too few for a baseline, enough for a level): a
            // pitcher whose spin fell after this game, as at the crackdown, is not flagged for
            // throwing as he did before. Without earlier pitches it is not scored.
            let earlier = arm.outings.partition_point(|o| o.key < key);
            let before: Vec<&Obs> = arm.outings[..earlier]
                .iter()
                .filter(unflagged)
                .flat_map(|o| o.obs.iter())
                .collect();
            b = b.and_then(|b| raised_to(b, &before));
        }
        arm.cached = Some((key, b));
        (b, window.len(), pitches)
    }

    /// The median z of this game's pitches of `p`'s type so far, `z` included, and how many.
    fn sustained(&mut self, p: &Pitch, z: f64) -> Option<(f64, usize)> {
        let arm = self.arms.get_mut(&(p.pitcher, p.pitch_type.clone()))?;
        let key = (p.day, p.game_pk);
        if arm.current.as_ref().is_none_or(|(k, _)| *k != key) {
            arm.current = Some((key, Vec::new()));
        }
        let (_, zs) = arm.current.as_mut()?;
        zs.push(z);
        let mut v = zs.clone();
        median(&mut v).map(|m| (m, zs.len()))
    }

    /// Score `p` against the pitcher's earlier outings, then learn from it.
    pub fn score(&mut self, p: &Pitch) -> Score {
        let score = self.score_only(p);
        if score.flagged {
            *self.flagged.entry((p.pitcher, p.game_pk)).or_default() += 1;
        }
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
        let sustained = self.sustained(p, z);
        let single = z >= self.rule.z && reg_ok;
        let run = sustained.is_some_and(|(m, n)| {
            n >= self.rule.sustained_pitches
                && m >= self.rule.sustained_z
                && z >= self.rule.sustained_z
        });
        let flagged = single || run;
        // Only a flagged pitch carries its reason (a season has 700k pitches; z and expected
        // say the rest).
        let reason = if flagged {
            flag_reason(
                if self.ahead { "next" } else { "earlier" },
                p,
                &b,
                expected,
                z,
                regression_z,
                sustained.filter(|_| run && !single),
            )
        } else {
            String::new()
        };
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

/// Pitches of the type the recent part of the window needs (at least `RECENT_OUTINGS` outings).
pub(crate) const RECENT_PITCHES: usize = 30;
/// Pitches an outing needs to count in the pitch-to-pitch spread.
pub(crate) const WITHIN_PITCHES: usize = 6;
/// Outings the centre is taken over at least.
pub(crate) const RECENT_OUTINGS: usize = 3;

/// The centre and spread `compute_baseline` finds.
struct Fit {
    bauer: f64,
    center: f64,
    scale: f64,
}

/// The baseline over the window's pitches:
/// - Bauer units: the median over the whole window;
/// - centre: the median residual over the most recent outings (at least `RECENT_OUTINGS`, and
///   until `RECENT_PITCHES` pitches), so that a pitcher whose level moved (the crackdown) is
///   measured against where he is now;
/// - spread: the robust SD of the residuals around their own outing's median, pooled over the
///   window (the pitch-to-pitch spread, which a level shift between outings does not inflate);
///   the plain robust SD when too few outings have `WITHIN_PITCHES` or more pitches.
fn compute_baseline(window: &[&Outing], pitches: usize, value: fn(&Obs, f64) -> f64) -> Fit {
    let all = || window.iter().flat_map(|o| o.obs.iter());
    let mut ratio: Vec<f64> = Vec::with_capacity(pitches);
    ratio.extend(all().map(|o| o.spin / o.speed));
    let bauer = median(&mut ratio).unwrap_or(f64::NAN);
    let mut recent = 0;
    let mut taken = 0;
    for o in window.iter().rev() {
        if taken >= RECENT_OUTINGS && recent >= RECENT_PITCHES {
            break;
        }
        recent += o.obs.len();
        taken += 1;
    }
    let mut v = ratio;
    v.clear();
    v.extend(
        window[window.len() - taken..]
            .iter()
            .flat_map(|o| o.obs.iter())
            .map(|o| value(o, bauer))
            .filter(|r| r.is_finite()),
    );
    let Some(center) = median(&mut v) else {
        return Fit {
            bauer,
            center: f64::NAN,
            scale: f64::NAN,
        };
    };
    v.clear();
    let mut within: Vec<f64> = Vec::new();
    let mut levels: Vec<f64> = Vec::new();
    // Deviations around an outing's own median shrink in small outings (one of three is 0):
    // only outings of at least `WITHIN_PITCHES` pitches count.
    for o in window.iter().filter(|o| o.obs.len() >= WITHIN_PITCHES) {
        within.clear();
        within.extend(
            o.obs
                .iter()
                .map(|x| value(x, bauer))
                .filter(|r| r.is_finite()),
        );
        if let Some(m) = median(&mut within) {
            v.extend(within.iter().map(|r| r - m));
            levels.push(m);
        }
    }
    if v.len() >= RECENT_PITCHES && levels.len() >= 3 {
        // Outing-to-outing spread from successive differences (a slow drift cancels out).
        let mut steps: Vec<f64> = levels.windows(2).map(|w| w[1] - w[0]).collect();
        let between = robust_sd(&mut steps) / std::f64::consts::SQRT_2;
        let within = robust_sd(&mut v);
        Fit {
            bauer,
            center,
            scale: (within * within + between * between)
                .sqrt()
                .max(MIN_SCALE_RPM),
        }
    } else {
        v.clear();
        v.extend(all().map(|o| value(o, bauer)).filter(|r| r.is_finite()));
        Fit {
            bauer,
            center,
            scale: robust(&mut v).1,
        }
    }
}

/// `b` with its centres raised to the median level of the `before` pitches where those are
/// higher; None without any.
fn raised_to(mut b: Baseline, before: &[&Obs]) -> Option<Baseline> {
    let mut level: Vec<f64> = before.iter().map(|o| o.spin - b.bauer * o.speed).collect();
    b.center = b.center.max(median(&mut level)?);
    let mut reg: Vec<f64> = before
        .iter()
        .map(|o| o.residual)
        .filter(|r| r.is_finite())
        .collect();
    if let Some(r) = median(&mut reg) {
        b.reg_center = b.reg_center.max(r);
    }
    Some(b)
}

/// Robust SDs of the outings' levels above their median at which an outing leaves the window.
const HIGH_OUTING_Z: f64 = 3.5;

/// Leave out of the window the outings whose median velocity-adjusted spin stands far above
/// the others' (a sticky outing thrown before he could be scored, or one the rule missed): the
/// baseline does not learn from outings it would itself flag. Needs four outings of
/// `WITHIN_PITCHES` pitches or more to judge; short outings stay.
fn drop_high_outings(window: &mut Vec<&Outing>) {
    let mut ratio: Vec<f64> = window
        .iter()
        .flat_map(|o| o.obs.iter())
        .map(|o| o.spin / o.speed)
        .collect();
    let Some(bauer) = median(&mut ratio) else {
        return;
    };
    let level = |o: &Outing| {
        let mut r: Vec<f64> = o.obs.iter().map(|x| x.spin - bauer * x.speed).collect();
        median(&mut r).filter(|_| o.obs.len() >= WITHIN_PITCHES)
    };
    let mut levels: Vec<f64> = window.iter().filter_map(|o| level(o)).collect();
    if levels.len() < 4 {
        return;
    }
    let (center, spread) = robust(&mut levels);
    window.retain(|o| level(o).is_none_or(|l| l < center + HIGH_OUTING_Z * spread));
}

/// Why a pitch is flagged, in words.
fn flag_reason(
    side: &str,
    p: &Pitch,
    b: &Baseline,
    expected: f64,
    z: f64,
    regression_z: f64,
    sustained: Option<(f64, usize)>,
) -> String {
    let reg = if regression_z.is_nan() {
        "no regression prediction".to_owned()
    } else {
        format!("regression {regression_z:+.1} SD")
    };
    let mut reason = format!(
        "{} {} rpm at {:.1} mph: {z:+.1} SD vs his velocity-adjusted median {} rpm ({} {} in {} \
         {side} outings); {reg}",
        p.pitch_type,
        p.spin.round(),
        p.speed,
        expected.round(),
        b.pitches,
        p.pitch_type,
        b.outings
    );
    if let Some((m, n)) = sustained {
        reason.push_str(&format!(
            "; his {} run high this outing: median {m:+.1} SD over {n} pitches",
            p.pitch_type
        ));
    }
    reason
}

fn baseline_of(window: &[&Outing], pitches: usize) -> Baseline {
    // An allowance for a spread estimated from few pitches: 1 + 2/sqrt(n) (x1.37 at 30
    // pitches, x1.1 at 400), so that a thin history does not make ordinary pitches odd.
    let allowance = 1.0 + 2.0 / (pitches.max(1) as f64).sqrt();
    let fit = compute_baseline(window, pitches, |o, bauer| o.spin - bauer * o.speed);
    let with_residual = window
        .iter()
        .flat_map(|o| o.obs.iter())
        .filter(|o| o.residual.is_finite())
        .count();
    let (reg_center, reg_scale) = if with_residual >= pitches / 2 && with_residual > 0 {
        let f = compute_baseline(window, pitches, |o, _| o.residual);
        (f.center, f.scale * allowance)
    } else {
        (f64::NAN, f64::NAN)
    };
    Baseline {
        bauer: fit.bauer,
        center: fit.center,
        scale: fit.scale * allowance,
        reg_center,
        reg_scale,
        outings: window.len(),
        pitches,
    }
}

/// 1.4826 × MAD of `v` around its median (0 when empty), reordered in place.
fn robust_sd(v: &mut [f64]) -> f64 {
    let Some(m) = median(v) else { return 0.0 };
    for x in v.iter_mut() {
        *x = (*x - m).abs();
    }
    1.4826 * median(v).unwrap_or(0.0)
}

/// Median and 1.4826 × MAD (at least `MIN_SCALE_RPM`) of `v`, reordered in place.
pub(crate) fn robust(v: &mut [f64]) -> (f64, f64) {
    let Some(m) = median(v) else {
        return (f64::NAN, f64::NAN);
    };
    for x in v.iter_mut() {
        *x = (*x - m).abs();
    }
    let mad = median(v).unwrap_or(0.0);
    (m, (1.4826 * mad).max(MIN_SCALE_RPM))
}
