//! The pitching run as tables: one row per pitch (`pitching flags --out`), one per outing, and
//! the league's weeks (`pitching league --out`).

use polars::prelude::*;

use super::PitchingOutput;
use crate::compute::pitching::league::WeekRow;
use crate::compute::pitching::{Pitch, Score};

/// One row per pitch: game_pk, pitcher, pitch_type, pitch_number, release_spin_rate, expected,
/// z, flagged, reason, then game_date, at_bat_number, player_name, release_speed and
/// regression_z.
pub fn flags_frame(out: &PitchingOutput) -> PolarsResult<DataFrame> {
    flag_rows(&out.pitches.pitches, &out.scores, |id| out.pitches.name(id))
}

/// The flag table of any pitches and their scores (the live watcher appends these rows).
pub(crate) fn flag_rows(
    pitches: &[Pitch],
    scores: &[Score],
    name: impl Fn(i64) -> String,
) -> PolarsResult<DataFrame> {
    let col_f = |n: &str, f: &dyn Fn(&Pitch, &Score) -> f64| {
        let v: Vec<Option<f64>> = pitches
            .iter()
            .zip(scores)
            .map(|(p, s)| Some(f(p, s)).filter(|x| x.is_finite()))
            .collect();
        Column::new(n.into(), v)
    };
    let round1 = |v: f64| (v * 10.0).round() / 10.0;
    let round2 = |v: f64| (v * 100.0).round() / 100.0;
    DataFrame::new_infer_height(vec![
        Column::new(
            "game_pk".into(),
            pitches.iter().map(|p| p.game_pk).collect::<Vec<_>>(),
        ),
        Column::new(
            "pitcher".into(),
            pitches.iter().map(|p| p.pitcher).collect::<Vec<_>>(),
        ),
        Column::new(
            "pitch_type".into(),
            pitches.iter().map(|p| &*p.pitch_type).collect::<Vec<_>>(),
        ),
        Column::new(
            "pitch_number".into(),
            pitches.iter().map(|p| p.pitch_number).collect::<Vec<_>>(),
        ),
        col_f("release_spin_rate", &|p, _| p.spin),
        col_f("expected", &|_, s| round1(s.expected)),
        col_f("z", &|_, s| round2(s.z)),
        Column::new(
            "flagged".into(),
            scores.iter().map(|s| s.flagged).collect::<Vec<_>>(),
        ),
        Column::new(
            "reason".into(),
            scores.iter().map(|s| s.reason.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "game_date".into(),
            pitches.iter().map(|p| p.day).collect::<Vec<_>>(),
        )
        .cast(&DataType::Date)?,
        Column::new(
            "at_bat_number".into(),
            pitches.iter().map(|p| p.at_bat).collect::<Vec<_>>(),
        ),
        Column::new(
            "player_name".into(),
            pitches.iter().map(|p| name(p.pitcher)).collect::<Vec<_>>(),
        ),
        col_f("release_speed", &|p, _| p.speed),
        col_f("regression_z", &|_, s| round2(s.regression_z)),
    ])
}

/// One row per outing: game_pk, game_date, pitcher, player_name, pitches, scored,
/// flagged_pitches, flagged, pitch_types, max_z, reason.
pub fn outings_frame(out: &PitchingOutput, only_flagged: bool) -> PolarsResult<DataFrame> {
    let rows: Vec<_> = out
        .outings
        .iter()
        .filter(|o| !only_flagged || o.is_flagged)
        .collect();
    DataFrame::new_infer_height(vec![
        Column::new(
            "game_pk".into(),
            rows.iter().map(|o| o.game_pk).collect::<Vec<_>>(),
        ),
        Column::new(
            "game_date".into(),
            rows.iter().map(|o| o.day).collect::<Vec<_>>(),
        )
        .cast(&DataType::Date)?,
        Column::new(
            "pitcher".into(),
            rows.iter().map(|o| o.pitcher).collect::<Vec<_>>(),
        ),
        Column::new(
            "player_name".into(),
            rows.iter()
                .map(|o| out.pitches.name(o.pitcher))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "pitches".into(),
            rows.iter().map(|o| o.pitches as u32).collect::<Vec<_>>(),
        ),
        Column::new(
            "scored".into(),
            rows.iter().map(|o| o.scored as u32).collect::<Vec<_>>(),
        ),
        Column::new(
            "flagged_pitches".into(),
            rows.iter().map(|o| o.flagged as u32).collect::<Vec<_>>(),
        ),
        Column::new(
            "flagged".into(),
            rows.iter().map(|o| o.is_flagged).collect::<Vec<_>>(),
        ),
        Column::new(
            "pitch_types".into(),
            rows.iter()
                .map(|o| o.types.iter().map(|t| &**t).collect::<Vec<_>>().join(";"))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "max_z".into(),
            rows.iter()
                .map(|o| Some((o.max_z * 100.0).round() / 100.0).filter(|z| z.is_finite()))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "reason".into(),
            rows.iter().map(|o| o.reason.as_str()).collect::<Vec<_>>(),
        ),
    ])
}

/// The league's weeks: week (its Monday), pitch_type, pitches, avg_spin, avg_speed,
/// bauer_units.
pub fn league_frame(rows: &[WeekRow]) -> PolarsResult<DataFrame> {
    let f = |v: f64, d: f64| Some((v * d).round() / d).filter(|x| x.is_finite());
    DataFrame::new_infer_height(vec![
        Column::new(
            "week".into(),
            rows.iter().map(|r| r.week).collect::<Vec<_>>(),
        )
        .cast(&DataType::Date)?,
        Column::new(
            "pitch_type".into(),
            rows.iter().map(|r| &*r.pitch_type).collect::<Vec<_>>(),
        ),
        Column::new(
            "pitches".into(),
            rows.iter().map(|r| r.pitches as u32).collect::<Vec<_>>(),
        ),
        Column::new(
            "avg_spin".into(),
            rows.iter().map(|r| f(r.spin, 10.0)).collect::<Vec<_>>(),
        ),
        Column::new(
            "avg_speed".into(),
            rows.iter().map(|r| f(r.speed, 100.0)).collect::<Vec<_>>(),
        ),
        Column::new(
            "bauer_units".into(),
            rows.iter().map(|r| f(r.bauer, 1000.0)).collect::<Vec<_>>(),
        ),
    ])
}
