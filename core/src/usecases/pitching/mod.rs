//! The pitching use case: a season (or a game) of pitches scored against each pitcher's own
//! earlier outings, with the league's weekly view. `tables` turns the result into the flag,
//! outing and league tables; `charts` into the league, pitcher and live charts; `score`
//! measures flagged outings against a generator's truth table; `live` is the watched-folder
//! ingestion (the book's Auto Loader) that the Pitching panel's Live view and `playbook
//! pitching watch` share.

pub mod charts;
pub mod live;
pub mod score;
pub mod tables;

use std::sync::Arc;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use super::record::{Recordable, metrics};
use super::{Bound, ParamError};
use crate::compute::Progress;
use crate::compute::pitching::league::{self, WeekRow};
use crate::compute::pitching::outing::{self, OutingFlags};
use crate::compute::pitching::{self, Pitches, Rule, Score, Scorer, SpinModel};
use crate::data::Dataset;

pub const ID: &str = "pitching";

pub const Z: Bound<f64> = Bound::new("spin z threshold", 1.0, 20.0);
pub const REGRESSION_Z: Bound<f64> = Bound::new("regression z threshold", 0.0, 20.0);
pub const HISTORY_OUTINGS: Bound<usize> = Bound::new("outings in the baseline", 1, 200);
pub const MIN_OUTINGS: Bound<usize> = Bound::new("earlier outings needed", 1, 100);
pub const MIN_PITCHES: Bound<usize> = Bound::new("earlier pitches needed", 1, 5000);
pub const MIN_FLAGGED: Bound<usize> = Bound::new("flagged pitches per outing", 1, 200);
pub const SUSTAINED_Z: Bound<f64> = Bound::new("sustained-rise z threshold", 0.5, 20.0);
pub const SUSTAINED_PITCHES: Bound<usize> = Bound::new("sustained-rise pitches", 2, 200);

/// What a user chooses for a pitching run: the flag rule.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PitchingParams {
    pub rule: Rule,
}

/// Params that passed `check`.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidPitchingParams(PitchingParams);

impl ValidPitchingParams {
    pub fn params(&self) -> &PitchingParams {
        &self.0
    }
}

pub fn check(p: &PitchingParams) -> Result<ValidPitchingParams, ParamError> {
    let r = &p.rule;
    Z.check(r.z)?;
    REGRESSION_Z.check(r.regression_z)?;
    HISTORY_OUTINGS.check(r.history_outings)?;
    MIN_OUTINGS.check(r.min_outings)?;
    MIN_PITCHES.check(r.min_pitches)?;
    MIN_FLAGGED.check(r.min_flagged)?;
    SUSTAINED_Z.check(r.sustained_z)?;
    SUSTAINED_PITCHES.check(r.sustained_pitches)?;
    if r.min_outings > r.history_outings {
        return Err(ParamError::Invalid {
            name: MIN_OUTINGS.name,
            why: format!(
                "{} is more than the {} outings in the baseline",
                r.min_outings, r.history_outings
            ),
        });
    }
    Ok(ValidPitchingParams(p.clone()))
}

/// A pitching run's result.
#[derive(Clone, Debug)]
pub struct PitchingOutput {
    /// The table's name (for titles).
    pub name: String,
    /// The scored pitches, in game order, and one score per pitch.
    pub pitches: Arc<Pitches>,
    pub scores: Arc<Vec<Score>>,
    pub outings: Vec<OutingFlags>,
    pub league: Vec<WeekRow>,
    /// The spin regression (None when too few pitches had release points).
    pub model: Option<Arc<SpinModel>>,
    /// Pitches of the history table used only as baseline.
    pub history_pitches: usize,
    pub rule: Rule,
    pub seconds: f64,
}

impl PitchingOutput {
    pub fn flagged_pitches(&self) -> usize {
        self.scores.iter().filter(|s| s.flagged).count()
    }

    pub fn flagged_outings(&self) -> impl Iterator<Item = &OutingFlags> {
        self.outings.iter().filter(|o| o.is_flagged)
    }

    /// One pitcher's pitches and their scores, in game order (his charts' input).
    pub fn of_pitcher(&self, id: i64) -> (Vec<&pitching::Pitch>, Vec<&Score>) {
        self.pitches
            .pitches
            .iter()
            .zip(self.scores.iter())
            .filter(|(p, _)| p.pitcher == id)
            .unzip()
    }

    pub fn pitchers(&self) -> usize {
        let mut ids: Vec<i64> = self.pitches.pitches.iter().map(|p| p.pitcher).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    }

    /// The one-line summary the CLI prints and the panel shows.
    pub fn summary(&self) -> String {
        format!(
            "{} pitches by {} pitchers: {} flagged pitches, {} flagged outings ({:.2} s)",
            crate::format::short(self.pitches.pitches.len() as f64),
            self.pitchers(),
            self.flagged_pitches(),
            self.flagged_outings().count(),
            self.seconds
        )
    }
}

/// The spin model for a run: fitted on the history and the pitches together (league physics,
/// which a few odd outings barely move), or None when too few pitches have release points.
pub(crate) fn fit_model(history: Option<&Pitches>, pitches: &Pitches) -> Option<Arc<SpinModel>> {
    let earlier = history.map(|h| h.pitches.as_slice()).unwrap_or_default();
    SpinModel::fit(earlier.iter().chain(&pitches.pitches))
        .ok()
        .map(Arc::new)
}

/// Score `pitches` (in game order) against `history` and their own earlier games. Pitchers are
/// independent, so each pitcher's pitches go through a `Scorer` of his own, in parallel; the
/// scores are the ones one `Scorer` fed every pitch in order would give (the live watcher's),
/// except that the outings thrown before he had enough history are then measured against his
/// next outings (the watcher has none yet and leaves them unscored).
pub(crate) fn score_all(
    rule: &Rule,
    model: Option<&Arc<SpinModel>>,
    history: Option<&Pitches>,
    pitches: &[pitching::Pitch],
    progress: &dyn Progress,
) -> Result<Vec<Score>> {
    use rayon::prelude::*;
    use std::collections::HashMap;
    let mut groups: HashMap<i64, (Vec<usize>, Vec<usize>)> = HashMap::new();
    if let Some(h) = history {
        for (i, p) in h.pitches.iter().enumerate() {
            groups.entry(p.pitcher).or_default().0.push(i);
        }
    }
    for (i, p) in pitches.iter().enumerate() {
        groups.entry(p.pitcher).or_default().1.push(i);
    }
    let groups: Vec<(Vec<usize>, Vec<usize>)> = groups.into_values().collect();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = groups.len().max(1);
    let scored: Vec<Vec<(usize, Score)>> = groups
        .par_iter()
        .map(|(earlier, now)| {
            crate::compute::check(progress)?;
            let mut scorer = Scorer::new(rule.clone(), model.cloned());
            if let Some(h) = history {
                for &i in earlier {
                    scorer.learn(&h.pitches[i]);
                }
            }
            let mut out: Vec<(usize, Score)> = now
                .iter()
                .map(|&i| (i, scorer.score(&pitches[i])))
                .collect();
            // The outings thrown before he had enough history, against his next ones.
            scorer.look_ahead();
            for (i, s) in &mut out {
                if s.baseline.is_none()
                    && let Some(ahead) = scorer.score_ahead(&pitches[*i])
                {
                    *s = ahead;
                }
            }
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if n.is_multiple_of(32) {
                progress.report(0.4 + 0.5 * n as f32 / total as f32, "scoring pitches");
            }
            Ok(out)
        })
        .collect::<Result<_>>()?;
    // Moved into place group by group (each group's vector is freed once moved).
    let mut scores: Vec<Score> = vec![Score::default(); pitches.len()];
    for (i, s) in scored.into_iter().flatten() {
        scores[i] = s;
    }
    Ok(scores)
}

/// Read the pitches (and the history, used only as baseline) and score every pitch.
pub fn run(
    valid: &ValidPitchingParams,
    ds: &Dataset,
    history: Option<&Dataset>,
    progress: &dyn Progress,
) -> Result<PitchingOutput> {
    let started = std::time::Instant::now();
    let rule = valid.params().rule.clone();
    progress.report(0.05, "reading pitches");
    let pitches = pitching::from_frame(&ds.name, &ds.frame)?;
    let history = history
        .map(|h| pitching::from_frame(&h.name, &h.frame))
        .transpose()?;
    crate::compute::check(progress)?;
    progress.report(0.2, "fitting the spin regression");
    let model = fit_model(history.as_ref(), &pitches);
    progress.report(0.4, "scoring pitches");
    let scores = score_all(
        &rule,
        model.as_ref(),
        history.as_ref(),
        &pitches.pitches,
        progress,
    )?;
    let outings = outing::outing_flags(&pitches.pitches, &scores, rule.min_flagged);
    let league = league::weekly(&pitches.pitches);
    Ok(PitchingOutput {
        name: ds.name.clone(),
        history_pitches: history.map_or(0, |h| h.pitches.len()),
        pitches: Arc::new(pitches),
        scores: Arc::new(scores),
        outings,
        league,
        model,
        rule,
        seconds: started.elapsed().as_secs_f64(),
    })
}

impl Recordable for PitchingOutput {
    fn metrics(&self) -> serde_json::Map<String, serde_json::Value> {
        metrics([
            ("pitches", self.pitches.pitches.len() as f64),
            ("pitchers", self.pitchers() as f64),
            ("outings", self.outings.len() as f64),
            ("flagged_pitches", self.flagged_pitches() as f64),
            ("flagged_outings", self.flagged_outings().count() as f64),
            ("history_pitches", self.history_pitches as f64),
            ("skipped_rows", self.pitches.skipped as f64),
            (
                "regression_residual_sd",
                self.model.as_ref().map_or(f64::NAN, |m| m.residual_sd),
            ),
            ("compute_seconds", self.seconds),
        ])
    }

    /// The league's weekly fastball spin.
    fn charts(&self) -> Vec<crate::chart::Chart> {
        vec![charts::league_chart(
            &self.league,
            charts::LeagueMetric::Spin,
        )]
    }
}
