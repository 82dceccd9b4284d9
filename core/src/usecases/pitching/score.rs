//! Flagged outings measured against a generator's truth table (`gen pitches` writes one): an
//! outing is flagged when at least `min_flagged` of its pitches are. Recall counts the planted
//! outings of pitchers with at least `min_outings` earlier outings and at least `min_flagged`
//! boosted pitches (fewer could not make a flagged outing); precision counts every flagged
//! outing.

use std::collections::HashSet;

use anyhow::Result;
use polars::prelude::*;
use serde::Serialize;

use super::PitchingOutput;
use crate::data::schema;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PitchingScore {
    /// Planted outings in the truth table, and those recall counts.
    pub planted: usize,
    pub countable: usize,
    pub found: usize,
    pub flagged_outings: usize,
    pub true_flags: usize,
    pub recall: f64,
    pub precision: f64,
    /// The countable planted outings that were not flagged: (game_pk, pitcher).
    pub missed: Vec<(i64, i64)>,
    /// Flagged outings that were not planted.
    pub false_flags: Vec<(i64, i64)>,
}

pub fn score(out: &PitchingOutput, file: &str, truth: &DataFrame) -> Result<PitchingScore> {
    let game = schema::numeric_rows(file, truth, "game_pk")?;
    let pitcher = schema::numeric_rows(file, truth, "pitcher")?;
    let earlier = schema::numeric_rows(file, truth, "earlier_outings")?;
    let boosted = schema::numeric_rows(file, truth, "boosted_pitches")?;
    let planted: HashSet<(i64, i64)> = game
        .iter()
        .zip(&pitcher)
        .map(|(g, p)| (*g as i64, *p as i64))
        .collect();
    let countable: Vec<(i64, i64)> = (0..truth.height())
        .filter(|&i| {
            earlier[i] >= out.rule.min_outings as f64 && boosted[i] >= out.rule.min_flagged as f64
        })
        .map(|i| (game[i] as i64, pitcher[i] as i64))
        .collect();
    let flagged: HashSet<(i64, i64)> = out
        .flagged_outings()
        .map(|o| (o.game_pk, o.pitcher))
        .collect();
    let missed: Vec<(i64, i64)> = countable
        .iter()
        .filter(|k| !flagged.contains(k))
        .copied()
        .collect();
    let mut false_flags: Vec<(i64, i64)> = flagged
        .iter()
        .filter(|k| !planted.contains(k))
        .copied()
        .collect();
    false_flags.sort_unstable();
    let found = countable.len() - missed.len();
    let true_flags = flagged.len() - false_flags.len();
    let ratio = |a: usize, b: usize| {
        if b == 0 {
            f64::NAN
        } else {
            a as f64 / b as f64
        }
    };
    Ok(PitchingScore {
        planted: planted.len(),
        countable: countable.len(),
        found,
        flagged_outings: flagged.len(),
        true_flags,
        recall: ratio(found, countable.len()),
        precision: ratio(true_flags, flagged.len()),
        missed,
        false_flags,
    })
}
