//! Outings: one pitcher in one game. Their flag summary (an outing is flagged when enough of its
//! pitches are), their per-type spin and speed for the pitcher view, and within one outing the
//! fatigue trend and strikeout rate by time through the order.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Pitch, Score};

/// One outing's flags.
#[derive(Clone, Debug, PartialEq)]
pub struct OutingFlags {
    pub game_pk: i64,
    pub day: i32,
    pub pitcher: i64,
    pub pitches: usize,
    /// Pitches scored (enough history and a spin reading).
    pub scored: usize,
    pub flagged: usize,
    /// Pitch types with a flagged pitch, sorted.
    pub types: Vec<Arc<str>>,
    pub max_z: f64,
    /// The reason of the pitch with the highest z among the flagged ones.
    pub reason: String,
    /// Whether `flagged` reached the rule's `min_flagged`.
    pub is_flagged: bool,
}

/// Every outing, in game order, from pitches and their scores (same order, same length).
pub(crate) fn outing_flags(
    pitches: &[Pitch],
    scores: &[Score],
    min_flagged: usize,
) -> Vec<OutingFlags> {
    let mut by: BTreeMap<(i32, i64, i64), OutingFlags> = BTreeMap::new();
    for (p, s) in pitches.iter().zip(scores) {
        let o = by
            .entry((p.day, p.game_pk, p.pitcher))
            .or_insert_with(|| OutingFlags {
                game_pk: p.game_pk,
                day: p.day,
                pitcher: p.pitcher,
                pitches: 0,
                scored: 0,
                flagged: 0,
                types: Vec::new(),
                max_z: f64::NAN,
                reason: String::new(),
                is_flagged: false,
            });
        o.pitches += 1;
        if s.z.is_finite() {
            o.scored += 1;
        }
        if s.flagged {
            o.flagged += 1;
            if !o.types.contains(&p.pitch_type) {
                o.types.push(p.pitch_type.clone());
            }
            if o.max_z.is_nan() || s.z > o.max_z {
                o.max_z = s.z;
                o.reason.clone_from(&s.reason);
            }
        }
    }
    by.into_values()
        .map(|mut o| {
            o.types.sort();
            o.is_flagged = o.flagged >= min_flagged;
            o
        })
        .collect()
}

/// One pitch type in one outing, for the pitcher's spin and speed by outing.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct OutingType {
    pub game_pk: i64,
    pub day: i32,
    pub pitch_type: Arc<str>,
    pub pitches: usize,
    /// Mean spin and speed.
    pub spin: f64,
    pub speed: f64,
    /// The baseline's expected spin and its ±z band at the outing's mean speed (NaN when the
    /// pitcher had too little history).
    pub expected: f64,
    pub low: f64,
    pub high: f64,
    pub flagged: usize,
}

/// One outing and type while it is summed: spins, speeds, flagged pitches, the baseline.
type Acc = (Vec<f64>, Vec<f64>, usize, Option<super::Baseline>);

/// The pitcher's outings per pitch type, in game order. `band` is the band's half-width in
/// robust SDs.
pub(crate) fn by_outing_and_type(
    pitches: &[&Pitch],
    scores: &[&Score],
    band: f64,
) -> Vec<OutingType> {
    let mut by: BTreeMap<(i32, i64, Arc<str>), Acc> = BTreeMap::new();
    for (p, s) in pitches.iter().zip(scores) {
        let e = by
            .entry((p.day, p.game_pk, p.pitch_type.clone()))
            .or_default();
        if p.spin.is_finite() {
            e.0.push(p.spin);
        }
        e.1.push(p.speed);
        e.2 += usize::from(s.flagged);
        if e.3.is_none() {
            e.3 = s.baseline;
        }
    }
    by.into_iter()
        .map(
            |((day, game_pk, pitch_type), (spins, speeds, flagged, b))| {
                let mean = |v: &[f64]| {
                    if v.is_empty() {
                        f64::NAN
                    } else {
                        v.iter().sum::<f64>() / v.len() as f64
                    }
                };
                let speed = mean(&speeds);
                let (expected, low, high) = b.map_or((f64::NAN, f64::NAN, f64::NAN), |b| {
                    let (lo, hi) = b.band(speed, band);
                    (b.expected(speed), lo, hi)
                });
                OutingType {
                    game_pk,
                    day,
                    pitch_type,
                    pitches: speeds.len(),
                    spin: mean(&spins),
                    speed,
                    expected,
                    low,
                    high,
                    flagged,
                }
            },
        )
        .collect()
}

/// Strikeouts in one time through the order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ThroughOrder {
    /// 1 for the first nine batters faced, 2 for the next nine, ...
    pub time: usize,
    /// Plate appearances that ended in it.
    pub batters: usize,
    pub strikeouts: usize,
}

/// Strikeout counts by time through the order for one outing's pitches (in order). A plate
/// appearance is a distinct at-bat number; it ends on a pitch with an event.
pub(crate) fn through_order(pitches: &[&Pitch]) -> Vec<ThroughOrder> {
    let mut out: Vec<ThroughOrder> = Vec::new();
    let mut at_bats: Vec<i32> = Vec::new();
    for p in pitches {
        let ab = p.at_bat.unwrap_or(-1);
        let index = match at_bats.iter().position(|a| *a == ab) {
            Some(i) => i,
            None => {
                at_bats.push(ab);
                at_bats.len() - 1
            }
        };
        if p.event.is_none() {
            continue;
        }
        let time = index / 9 + 1;
        while out.len() < time {
            out.push(ThroughOrder {
                time: out.len() + 1,
                batters: 0,
                strikeouts: 0,
            });
        }
        out[time - 1].batters += 1;
        out[time - 1].strikeouts += usize::from(p.strikeout());
    }
    out
}
