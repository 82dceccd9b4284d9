//! The pitching charts, as `Chart` values that the panel draws and the export writes: the
//! league's weekly spin with the crackdown marked, one pitcher's outings, movement and release
//! point, and one live outing against the pitcher's bands.

use std::collections::BTreeMap;

use crate::chart::{Band, Chart, ChartData, Line};
use crate::compute::pitching::league::WeekRow;
use crate::compute::pitching::outing::{self, ThroughOrder};
use crate::compute::pitching::{Pitch, Score};
use crate::data::pitches::crackdown;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LeagueMetric {
    Spin,
    Bauer,
}

/// Average spin (or Bauer units) by week, one line per pitch type, with the 2021 crackdown
/// (announced June 3, enforced June 21) shaded when the weeks cover it.
pub fn league_chart(rows: &[WeekRow], metric: LeagueMetric) -> Chart {
    let mut lines: BTreeMap<&str, Vec<(f64, f64)>> = BTreeMap::new();
    for r in rows {
        let v = match metric {
            LeagueMetric::Spin => r.spin,
            LeagueMetric::Bauer => r.bauer,
        };
        if v.is_finite() && r.pitches >= 20 {
            lines
                .entry(&r.pitch_type)
                .or_default()
                .push((f64::from(r.week), v));
        }
    }
    let (title, y) = match metric {
        LeagueMetric::Spin => ("League spin rate by week", "spin (rpm)"),
        LeagueMetric::Bauer => ("League Bauer units by week", "Bauer units (rpm per mph)"),
    };
    let lines = lines
        .into_iter()
        .map(|(t, pts)| Line::new(t, pts))
        .collect();
    let mut chart = Chart::lines(title, "week", y, lines, Vec::new()).dated();
    let (announced, enforced) = crackdown();
    let first = rows.iter().map(|r| r.week).min().unwrap_or(0);
    let last = rows.iter().map(|r| r.week + 6).max().unwrap_or(0);
    if first <= enforced && last >= announced {
        chart = chart.with_span(
            "crackdown: announced Jun 3, enforced Jun 21",
            f64::from(announced),
            f64::from(enforced),
        );
    }
    chart
}

/// The pitcher's spin and speed by outing (one line per pitch type, spin with his baseline
/// band ±`band` robust SDs, the flag threshold), his movement, his release point, where his
/// pitches crossed the plate and his spin axis.
/// `pitches` and `scores` are his, in game order.
pub fn pitcher_charts(name: &str, pitches: &[&Pitch], scores: &[&Score], band: f64) -> [Chart; 6] {
    let rows = outing::by_outing_and_type(pitches, scores, band);
    let mut spin: BTreeMap<&str, Vec<(f64, f64)>> = BTreeMap::new();
    let mut speed: BTreeMap<&str, Vec<(f64, f64)>> = BTreeMap::new();
    let mut bands: BTreeMap<&str, Vec<(f64, f64, f64)>> = BTreeMap::new();
    let mut flagged = Vec::new();
    for r in &rows {
        let x = f64::from(r.day);
        if r.spin.is_finite() {
            spin.entry(&r.pitch_type).or_default().push((x, r.spin));
        }
        speed.entry(&r.pitch_type).or_default().push((x, r.speed));
        if r.low.is_finite() {
            bands
                .entry(&r.pitch_type)
                .or_default()
                .push((x, r.low, r.high));
        }
        if r.flagged >= 1 {
            flagged.push((x, r.spin));
        }
    }
    let types: Vec<&str> = spin.keys().copied().collect();
    let mut spin_lines: Vec<Line> = spin.into_iter().map(|(t, p)| Line::new(t, p)).collect();
    if !flagged.is_empty() {
        spin_lines.push(Line::alert(
            "flagged pitches in the outing (ringed)",
            flagged,
        ));
    }
    let mut spin_chart = Chart::lines(
        format!("{name}: spin by outing (band: ±{band} robust SD of his baseline)"),
        "game date",
        "mean spin (rpm)",
        spin_lines,
        Vec::new(),
    )
    .dated();
    for (t, pts) in bands {
        if let Some(line) = types.iter().position(|x| *x == t) {
            spin_chart = spin_chart.with_band(Band {
                name: format!("{t} baseline band"),
                line,
                points: pts,
            });
        }
    }
    let speed_chart = Chart::lines(
        format!("{name}: velocity by outing"),
        "game date",
        "mean speed (mph)",
        speed.into_iter().map(|(t, p)| Line::new(t, p)).collect(),
        Vec::new(),
    )
    .dated();
    let scatter = |f: &dyn Fn(&Pitch) -> (f64, f64)| {
        let mut by: BTreeMap<&str, Vec<(f64, f64)>> = BTreeMap::new();
        for p in pitches {
            let (x, y) = f(p);
            if x.is_finite() && y.is_finite() {
                by.entry(&p.pitch_type).or_default().push((x, y));
            }
        }
        by.into_iter().map(|(t, p)| Line::scatter(t, p)).collect()
    };
    let movement = Chart::lines(
        format!("{name}: movement"),
        "horizontal break pfx_x (ft)",
        "induced vertical break pfx_z (ft)",
        scatter(&|p| (p.pfx_x, p.pfx_z)),
        Vec::new(),
    );
    let release = Chart::lines(
        format!("{name}: release point"),
        "release_pos_x (ft)",
        "release_pos_z (ft)",
        scatter(&|p| (p.release_x, p.release_z)),
        Vec::new(),
    );
    let flags: Vec<bool> = scores.iter().map(|s| s.flagged).collect();
    let location = location_chart(&format!("{name}: pitch location"), pitches, &flags);
    let mut axis = scatter(&|p| (p.spin_axis, p.spin));
    axis.retain(|l| !l.points.is_empty());
    let spin_axis = Chart::lines(
        format!("{name}: spin axis against spin rate"),
        "spin axis (degrees: 180 pure backspin, 90 and 270 sidespin)",
        "spin (rpm)",
        axis,
        Vec::new(),
    );
    [
        spin_chart,
        speed_chart,
        movement,
        release,
        location,
        spin_axis,
    ]
}

/// The rulebook strike zone as Statcast draws it (catcher's view, feet): 17 inches of plate
/// plus a ball's width each side, 1.5 to 3.5 feet up (an average batter's knees to letters).
const ZONE: [(f64, f64); 5] = [
    (-0.83, 1.5),
    (0.83, 1.5),
    (0.83, 3.5),
    (-0.83, 3.5),
    (-0.83, 1.5),
];

/// Where pitches crossed the plate, from the catcher's view (plate_x: left is the third-base
/// side), coloured by pitch type, the strike zone drawn and flagged pitches ringed.
pub(crate) fn location_chart(title: &str, pitches: &[&Pitch], flagged: &[bool]) -> Chart {
    let mut by: BTreeMap<&str, Vec<(f64, f64)>> = BTreeMap::new();
    let mut rings = Vec::new();
    for (i, p) in pitches.iter().enumerate() {
        if p.plate_x.is_finite() && p.plate_z.is_finite() {
            by.entry(&p.pitch_type)
                .or_default()
                .push((p.plate_x, p.plate_z));
            if flagged.get(i).copied().unwrap_or(false) {
                rings.push((p.plate_x, p.plate_z));
            }
        }
    }
    let mut lines: Vec<Line> = vec![Line::new("strike zone", ZONE.to_vec())];
    lines.extend(by.into_iter().map(|(t, p)| Line::scatter(t, p)));
    if !rings.is_empty() {
        lines.push(Line::alert("flagged pitches (ringed)", rings));
    }
    Chart::lines(
        title,
        "plate_x (ft, catcher's view)",
        "plate_z (ft above the ground)",
        lines,
        Vec::new(),
    )
    .equal_scale()
}

/// One live outing: each pitch's spin (x = pitch of the outing) against the pitcher's band for
/// its type (±`band` robust SDs), flagged pitches apart; then the speed trend (fatigue) and the
/// strikeout rate by time through the order.
pub fn live_charts(title: &str, pitches: &[&Pitch], scores: &[&Score], band: f64) -> [Chart; 4] {
    let mut dots: BTreeMap<&str, Vec<(f64, f64)>> = BTreeMap::new();
    let mut bands: BTreeMap<&str, Vec<(f64, f64, f64)>> = BTreeMap::new();
    let mut flagged = Vec::new();
    let mut speed = Vec::new();
    for (i, (p, s)) in pitches.iter().zip(scores).enumerate() {
        let x = (i + 1) as f64;
        speed.push((x, p.speed));
        if !p.spin.is_finite() {
            continue;
        }
        if s.flagged {
            flagged.push((x, p.spin));
        }
        dots.entry(&p.pitch_type).or_default().push((x, p.spin));
        if let Some(b) = s.baseline {
            let (lo, hi) = b.band(p.speed, band);
            bands.entry(&p.pitch_type).or_default().push((x, lo, hi));
        }
    }
    let types: Vec<&str> = dots.keys().copied().collect();
    let mut lines: Vec<Line> = dots.into_iter().map(|(t, p)| Line::scatter(t, p)).collect();
    lines.push(Line::alert("flagged (ringed)", flagged));
    let mut spin = Chart::lines(
        format!("{title}: spin by pitch (band: ±{band} robust SD)"),
        "pitch of the outing",
        "spin (rpm)",
        lines,
        Vec::new(),
    );
    for (t, pts) in bands {
        let line = types.iter().position(|x| *x == t).unwrap_or(types.len());
        spin = spin.with_band(Band {
            name: format!("{t} band"),
            line,
            points: pts,
        });
    }
    // Speed trends per pitch type (a slider and a fastball do not average): each type's
    // 5-pitch rolling mean, in the type's colour as above, over every pitch as a grey dot.
    let mut by_type: BTreeMap<&str, Vec<(f64, f64)>> = BTreeMap::new();
    for (x, p) in speed.iter().zip(pitches) {
        by_type.entry(&p.pitch_type).or_default().push(*x);
    }
    let mut speed_lines: Vec<Line> = by_type
        .iter()
        .map(|(t, pts)| Line::new(format!("{t} (5-pitch mean)"), rolling(pts, 5)))
        .collect();
    speed_lines.push(Line::dots("each pitch", speed));
    let fatigue = Chart::lines(
        format!("{title}: velocity by pitch"),
        "pitch of the outing",
        "speed (mph)",
        speed_lines,
        Vec::new(),
    );
    let tto = outing::through_order(pitches);
    let k = strikeout_chart(title, &tto);
    let flags: Vec<bool> = scores.iter().map(|s| s.flagged).collect();
    let location = location_chart(&format!("{title}: pitch location"), pitches, &flags);
    [spin, fatigue, k, location]
}

fn strikeout_chart(title: &str, tto: &[ThroughOrder]) -> Chart {
    let labels = tto
        .iter()
        .map(|t| format!("time {} ({} batters)", t.time, t.batters))
        .collect();
    let values = tto
        .iter()
        .map(|t| {
            if t.batters == 0 {
                0.0
            } else {
                100.0 * t.strikeouts as f64 / t.batters as f64
            }
        })
        .collect();
    Chart::new(
        format!("{title}: strikeout rate by time through the order"),
        "time through the order",
        "strikeouts (% of batters)",
        ChartData::Bars { labels, values },
    )
}

/// The mean of the last `k` values at each point.
fn rolling(points: &[(f64, f64)], k: usize) -> Vec<(f64, f64)> {
    points
        .iter()
        .enumerate()
        .map(|(i, &(x, _))| {
            let from = (i + 1).saturating_sub(k);
            let w = &points[from..=i];
            (x, w.iter().map(|p| p.1).sum::<f64>() / w.len() as f64)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn at(kind: &str, x: f64, z: f64) -> Pitch {
        Pitch {
            game_pk: 1,
            day: 0,
            pitcher: 7,
            pitch_type: Arc::from(kind),
            speed: 95.0,
            spin: 2400.0,
            pitch_number: 1,
            at_bat: Some(1),
            inning: Some(1),
            batter: None,
            spin_axis: 200.0,
            release_x: -2.0,
            release_z: 5.8,
            extension: 6.3,
            pfx_x: 0.5,
            pfx_z: 1.2,
            plate_x: x,
            plate_z: z,
            event: None,
            description: None,
        }
    }

    /// The strike zone first, a scatter per pitch type, flagged pitches ringed, pitches without
    /// a location left out, and one scale for both axes.
    #[test]
    fn the_location_chart_draws_the_zone_types_and_flags() {
        let pitches = [
            at("FF", 0.1, 2.5),
            at("SL", -1.2, 1.0),
            at("FF", f64::NAN, 2.0),
            at("FF", 0.5, 3.0),
        ];
        let refs: Vec<&Pitch> = pitches.iter().collect();
        let c = location_chart("x", &refs, &[false, true, true, false]);
        assert!(c.equal_scale);
        let ChartData::Lines { lines, .. } = &c.data else {
            panic!("lines");
        };
        let names: Vec<&str> = lines.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(
            names,
            ["strike zone", "FF", "SL", "flagged pitches (ringed)"]
        );
        assert_eq!(lines[0].points.len(), 5, "a closed rectangle");
        assert_eq!(lines[1].points, [(0.1, 2.5), (0.5, 3.0)]);
        assert_eq!(
            lines[3].points,
            [(-1.2, 1.0)],
            "the flagged pitch without a location is left out"
        );
    }
}
