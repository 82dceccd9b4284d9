//! The league view: average spin, speed and Bauer units per week (weeks start on Monday) and
//! pitch type, the table behind the crackdown chart.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::Pitch;
use crate::compute::forecast::series::weekday;

/// One week and pitch type.
#[derive(Clone, Debug, PartialEq)]
pub struct WeekRow {
    /// The week's Monday (days since 1970-01-01).
    pub week: i32,
    pub pitch_type: Arc<str>,
    pub pitches: usize,
    /// Mean spin over the pitches with a spin reading (rpm).
    pub spin: f64,
    /// Mean speed (mph).
    pub speed: f64,
    /// Mean Bauer units (spin / mph).
    pub bauer: f64,
}

/// The Monday of `day`'s week.
pub(crate) fn week_of(day: i32) -> i32 {
    day - weekday(day) as i32
}

/// Weekly means per pitch type, by week then type.
pub fn weekly(pitches: &[Pitch]) -> Vec<WeekRow> {
    #[derive(Default)]
    struct Sums {
        n: usize,
        spun: usize,
        spin: f64,
        speed: f64,
        bauer: f64,
    }
    let mut sums: BTreeMap<(i32, Arc<str>), Sums> = BTreeMap::new();
    for p in pitches {
        let s = sums
            .entry((week_of(p.day), p.pitch_type.clone()))
            .or_default();
        s.n += 1;
        s.speed += p.speed;
        if p.spin.is_finite() {
            s.spun += 1;
            s.spin += p.spin;
            s.bauer += p.bauer();
        }
    }
    sums.into_iter()
        .map(|((week, pitch_type), s)| {
            let per_spun = |v: f64| {
                if s.spun > 0 {
                    v / s.spun as f64
                } else {
                    f64::NAN
                }
            };
            WeekRow {
                week,
                pitch_type,
                pitches: s.n,
                spin: per_spun(s.spin),
                speed: s.speed / s.n as f64,
                bauer: per_spun(s.bauer),
            }
        })
        .collect()
}
