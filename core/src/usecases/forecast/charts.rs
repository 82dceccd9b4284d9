//! The Forecast panel's charts, built in jobs from a run's results (no egui here): one group's
//! forecast with its actuals as dots and the interval as a band (like Prophet's plot), its
//! components, one group against its siblings (an item across stores), and the totals.

use std::collections::BTreeMap;

use crate::chart::{Band, Chart, Line};
use crate::compute::forecast::batch::{Batch, GroupForecast};
use crate::compute::forecast::{Mode, components};

/// Days of history shown before the forecast unless the full history is asked for.
pub(crate) const RECENT_DAYS: i32 = 365;

/// "store 1, item 7", or the value column's name when there are no groups.
pub fn group_title(cols: &[String], key: &[String], value_col: &str) -> String {
    if cols.is_empty() {
        return value_col.to_owned();
    }
    cols.iter()
        .zip(key)
        .map(|(c, k)| format!("{c} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn first_shown(g: &GroupForecast, full: bool) -> i32 {
    let last = g.train_days.last().copied().unwrap_or(0);
    if full { i32::MIN } else { last - RECENT_DAYS }
}

/// The main chart: actuals (history and held-out) as dots, the model's fit and forecast as one
/// line, the forecast's interval as a band.
pub fn forecast_chart(
    g: &GroupForecast,
    title: &str,
    value_col: &str,
    interval: f64,
    full: bool,
) -> Chart {
    let from = first_shown(g, full);
    let start = g.train_days.partition_point(|&d| d < from);
    let hist_days = &g.train_days[start..];
    let mut actual: Vec<(f64, f64)> = hist_days
        .iter()
        .zip(&g.train_values[start..])
        .map(|(&d, &v)| (f64::from(d), v))
        .collect();
    actual.extend(
        g.days
            .iter()
            .zip(&g.actual)
            .filter_map(|(&d, a)| a.map(|v| (f64::from(d), v))),
    );
    let fitted = components(&g.model, hist_days).yhat;
    let mut model: Vec<(f64, f64)> = hist_days
        .iter()
        .zip(fitted)
        .map(|(&d, v)| (f64::from(d), v))
        .collect();
    model.extend(
        g.days
            .iter()
            .zip(&g.main.yhat)
            .map(|(&d, &v)| (f64::from(d), v)),
    );
    let band = Band {
        name: format!("{:.0}% interval", interval * 100.0),
        line: 1,
        points: g
            .days
            .iter()
            .zip(g.main.lower.iter().zip(&g.main.upper))
            .map(|(&d, (&lo, &hi))| (f64::from(d), lo, hi))
            .collect(),
    };
    let scored = g.main.scores.map_or(String::new(), |s| {
        format!(
            " (holdout sMAPE {:.1}, coverage {:.2})",
            s.smape, s.coverage
        )
    });
    let boundary = if g.actual.iter().any(Option::is_some) {
        "holdout starts"
    } else {
        "forecast starts"
    };
    let mut chart = Chart::lines(
        format!("Forecast of {title}{scored}"),
        "date",
        value_col,
        vec![Line::dots("actual", actual), Line::new("model", model)],
        Vec::new(),
    )
    .with_band(band)
    .dated();
    if let Some(&d) = g.days.first() {
        chart = chart.with_marker(boundary, f64::from(d));
    }
    chart
}

/// Trend, weekly and yearly components, as Prophet's component plots show them. Seasonal
/// effects are percentages of the trend for multiplicative models, value units otherwise.
pub fn component_charts(g: &GroupForecast, value_col: &str, full: bool) -> Vec<Chart> {
    let m = &g.model;
    let from = first_shown(g, full);
    let days: Vec<i32> = g
        .train_days
        .iter()
        .copied()
        .filter(|&d| d >= from)
        .chain(g.days.iter().copied())
        .collect();
    let c = components(m, &days);
    let trend = days
        .iter()
        .zip(&c.trend)
        .map(|(&d, &t)| (f64::from(d), m.trend_value(t)))
        .collect();
    let mut out = vec![
        Chart::lines(
            "Trend",
            "date",
            value_col,
            vec![Line::new("trend", trend)],
            Vec::new(),
        )
        .dated(),
    ];
    let unit = match m.mode() {
        Mode::Multiplicative => "effect (%)",
        Mode::Additive => value_col,
    };
    let (weekly, yearly) = m.seasonalities();
    if weekly {
        // 1970-01-05 (day 4) was a Monday.
        let week: Vec<i32> = (4..11).collect();
        let w = components(m, &week).weekly;
        out.push(Chart {
            y_label: unit.to_owned(),
            ..Chart::bars(
                "Weekly seasonality",
                "day of week",
                ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
                    .map(String::from)
                    .to_vec(),
                w.iter().map(|&v| m.effect(v)).collect(),
            )
        });
    }
    if yearly {
        // The days of the year the forecast ends in, so the axis reads as dates.
        let end = g.days.last().copied().unwrap_or(0);
        let jan1 = end - day_of_year(end);
        let year: Vec<i32> = (jan1..jan1 + 365).collect();
        let y = components(m, &year).yearly;
        let points = year
            .iter()
            .zip(&y)
            .map(|(&d, &v)| (f64::from(d), m.effect(v)))
            .collect();
        out.push(
            Chart::lines(
                "Yearly seasonality",
                "day of year",
                unit,
                vec![Line::new("yearly", points)],
                Vec::new(),
            )
            .dated(),
        );
    }
    let holidays = m.holiday_effects();
    if !holidays.is_empty() {
        out.push(Chart {
            y_label: unit.to_owned(),
            ..Chart::bars(
                "Holidays",
                "holiday",
                holidays.iter().map(|(n, _)| (*n).to_owned()).collect(),
                holidays.iter().map(|&(_, v)| m.effect(v)).collect(),
            )
        });
    }
    out
}

/// Days since January 1 of the day's year (0-based).
fn day_of_year(day: i32) -> i32 {
    use chrono::Datelike;
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|e| e.checked_add_signed(chrono::Duration::days(i64::from(day))))
        .map_or(0, |d| d.ordinal0() as i32)
}

/// The forecasts of every group that matches `g` on all group columns but `vary` (e.g. one
/// item in every store), one line each, with the held-out actuals summed as dots.
pub fn across_chart(
    batch: &Batch,
    cols: &[String],
    g: usize,
    vary: usize,
    value_col: &str,
) -> Chart {
    let key = &batch.groups[g].key;
    let same = |k: &[String]| {
        k.iter()
            .zip(key)
            .enumerate()
            .all(|(i, (a, b))| i == vary || a == b)
    };
    let mut lines = Vec::new();
    for other in batch.groups.iter().filter(|o| same(&o.key)) {
        let points = other
            .days
            .iter()
            .zip(&other.main.yhat)
            .map(|(&d, &v)| (f64::from(d), v))
            .collect();
        lines.push(Line::new(
            format!("{} {}", cols[vary], other.key[vary]),
            points,
        ));
    }
    let fixed: Vec<String> = cols
        .iter()
        .zip(key)
        .enumerate()
        .filter(|&(i, _)| i != vary)
        .map(|(_, (c, k))| format!("{c} {k}"))
        .collect();
    let title = if fixed.is_empty() {
        format!("Forecast of every {}", cols[vary])
    } else {
        format!("Forecast of {} in every {}", fixed.join(", "), cols[vary])
    };
    Chart::lines(title, "date", value_col, lines, Vec::new()).dated()
}

/// All groups added up by date: actuals as dots, the model's fit and forecast as a line. (The
/// groups' intervals do not add up to an interval of the total, so none is drawn.)
pub fn total_chart(batch: &Batch, value_col: &str, full: bool) -> Chart {
    let mut actual: BTreeMap<i32, f64> = BTreeMap::new();
    let mut model: BTreeMap<i32, f64> = BTreeMap::new();
    let last = batch
        .groups
        .iter()
        .filter_map(|g| g.train_days.last().copied())
        .max()
        .unwrap_or(0);
    let from = if full { i32::MIN } else { last - RECENT_DAYS };
    for g in &batch.groups {
        let start = g.train_days.partition_point(|&d| d < from);
        let days = &g.train_days[start..];
        for (&d, &v) in days.iter().zip(&g.train_values[start..]) {
            *actual.entry(d).or_default() += v;
        }
        for (&d, a) in g.days.iter().zip(&g.actual) {
            if let Some(v) = a {
                *actual.entry(d).or_default() += v;
            }
        }
        for (&d, v) in days.iter().zip(components(&g.model, days).yhat) {
            *model.entry(d).or_default() += v;
        }
        for (&d, &v) in g.days.iter().zip(&g.main.yhat) {
            *model.entry(d).or_default() += v;
        }
    }
    let pts = |m: BTreeMap<i32, f64>| m.into_iter().map(|(d, v)| (f64::from(d), v)).collect();
    Chart::lines(
        format!("Total of {} series", batch.groups.len()),
        "date",
        value_col,
        vec![
            Line::dots("actual total", pts(actual)),
            Line::new("model total", pts(model)),
        ],
        Vec::new(),
    )
    .dated()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::forecast::Params;
    use crate::compute::forecast::batch::{Spec, run};
    use crate::compute::forecast::holidays::us_federal;
    use crate::compute::forecast::series::Series;

    /// With holidays fitted, the components end with one bar per holiday.
    #[test]
    fn fitted_holidays_get_a_bar_chart() {
        let days: Vec<i32> = (16071..16071 + 3 * 365).collect();
        let values: Vec<f64> = days.iter().map(|&d| 20.0 + f64::from(d % 7)).collect();
        let s = Series {
            key: vec!["a".into()],
            days,
            values,
            duplicates: 0,
        };
        let spec = |holidays| Spec {
            horizon: 30,
            holdout: None,
            params: Params {
                holidays,
                ..Params::default()
            },
        };
        let with = run(
            std::slice::from_ref(&s),
            &spec(std::sync::Arc::new(us_federal(2010..=2020))),
            &crate::compute::NoProgress,
        )
        .unwrap();
        let charts = component_charts(&with.groups[0], "sales", false);
        let last = charts.last().unwrap();
        assert_eq!(last.title, "Holidays");
        let without = run(&[s], &spec(Default::default()), &crate::compute::NoProgress).unwrap();
        assert_eq!(
            component_charts(&without.groups[0], "sales", false).len() + 1,
            charts.len()
        );
    }
}
