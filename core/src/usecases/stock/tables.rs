//! A stock run's tables: alerts (the CLI's columns, optionally with the reason), episodes,
//! the summary per store and week, and each series' safety-stock check.

use polars::prelude::*;

use super::StockOutput;
use crate::compute::stock::{Alert, Kind};

fn dates(name: &str, days: Vec<i32>) -> PolarsResult<Column> {
    Column::new(name.into(), days).cast(&DataType::Date)
}

/// The alert table: kind, store, sku, start, end, days, lost_units, lost_revenue, confidence
/// (and the reason in words with `detail`), for the alerts at `rows` (all when None).
pub fn alerts_frame(
    out: &StockOutput,
    rows: Option<&[usize]>,
    detail: bool,
) -> PolarsResult<DataFrame> {
    let all: Vec<usize>;
    let rows = match rows {
        Some(r) => r,
        None => {
            all = (0..out.alerts().len()).collect();
            &all
        }
    };
    let alerts: Vec<&Alert> = rows.iter().filter_map(|&i| out.alerts().get(i)).collect();
    let round = |v: f64| (v * 100.0).round() / 100.0;
    let mut cols = vec![
        Column::new(
            "kind".into(),
            alerts.iter().map(|a| a.kind.name()).collect::<Vec<_>>(),
        ),
        Column::new(
            "store".into(),
            alerts
                .iter()
                .map(|a| out.series_of(a).store.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "sku".into(),
            alerts
                .iter()
                .map(|a| out.series_of(a).sku.as_str())
                .collect::<Vec<_>>(),
        ),
        dates("start", alerts.iter().map(|a| a.start).collect())?,
        dates("end", alerts.iter().map(|a| a.end).collect())?,
        Column::new(
            "days".into(),
            alerts.iter().map(|a| a.days()).collect::<Vec<_>>(),
        ),
        Column::new(
            "lost_units".into(),
            alerts
                .iter()
                .map(|a| round(a.lost_units))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "lost_revenue".into(),
            alerts
                .iter()
                .map(|a| a.lost_revenue.map(round))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "confidence".into(),
            alerts
                .iter()
                .map(|a| (a.confidence * 1e4).round() / 1e4)
                .collect::<Vec<_>>(),
        ),
    ];
    if detail {
        cols.push(Column::new(
            "reason".into(),
            alerts.iter().map(|a| a.detail.as_str()).collect::<Vec<_>>(),
        ));
    }
    DataFrame::new_infer_height(cols)
}

/// Episodes: overlapping alerts of one store and SKU merged, with their kinds.
pub fn episodes_frame(out: &StockOutput) -> PolarsResult<DataFrame> {
    let e = &out.detection.episodes;
    let s = |i: usize| &out.series[i];
    DataFrame::new_infer_height(vec![
        Column::new(
            "store".into(),
            e.iter()
                .map(|x| s(x.series).store.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "sku".into(),
            e.iter()
                .map(|x| s(x.series).sku.as_str())
                .collect::<Vec<_>>(),
        ),
        dates("start", e.iter().map(|x| x.start).collect())?,
        dates("end", e.iter().map(|x| x.end).collect())?,
        Column::new(
            "days".into(),
            e.iter().map(|x| x.end - x.start + 1).collect::<Vec<_>>(),
        ),
        Column::new(
            "kinds".into(),
            e.iter()
                .map(|x| {
                    x.kinds
                        .iter()
                        .map(|k| k.name())
                        .collect::<Vec<_>>()
                        .join("+")
                })
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "lost_units".into(),
            e.iter().map(|x| x.lost_units).collect::<Vec<_>>(),
        ),
        Column::new(
            "lost_revenue".into(),
            e.iter().map(|x| x.lost_revenue).collect::<Vec<_>>(),
        ),
        Column::new(
            "confidence".into(),
            e.iter().map(|x| x.confidence).collect::<Vec<_>>(),
        ),
    ])
}

/// Monday of the week of `day` (days since 1970-01-01, a Thursday).
pub(crate) fn week_of(day: i32) -> i32 {
    day - crate::compute::forecast::series::weekday(day) as i32
}

/// Alerts and lost sales per store and week.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// Store names, sorted.
    pub stores: Vec<String>,
    /// Mondays, in order, from the first to the last week of the data.
    pub weeks: Vec<i32>,
    /// `cells[store * weeks.len() + week]`.
    pub cells: Vec<Cell>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cell {
    /// Alerts starting that week, by kind (`Kind::ALL` order).
    pub alerts: [usize; crate::compute::stock::KINDS],
    /// Lost units and revenue, spread evenly over each alert's days (episodes, so an empty
    /// shelf flagged by three detectors counts once).
    pub lost_units: f64,
    pub lost_revenue: f64,
}

pub fn summary(out: &StockOutput) -> Summary {
    let mut stores: Vec<String> = out.series.iter().map(|s| s.store.clone()).collect();
    stores.sort();
    stores.dedup();
    let first = out.series.iter().map(|s| s.first_day).min();
    let last = out
        .series
        .iter()
        .map(|s| s.first_day + s.days() as i32 - 1)
        .max();
    let (Some(first), Some(last)) = (first, last) else {
        return Summary::default();
    };
    let weeks: Vec<i32> = (week_of(first)..=week_of(last)).step_by(7).collect();
    let nw = weeks.len();
    let mut cells = vec![Cell::default(); stores.len() * nw];
    let store_row = |series: usize| stores.binary_search(&out.series[series].store).unwrap_or(0);
    let week_col = |day: i32| ((week_of(day) - weeks[0]) / 7).clamp(0, nw as i32 - 1) as usize;
    for a in out.alerts() {
        cells[store_row(a.series) * nw + week_col(a.start)].alerts[a.kind.index()] += 1;
    }
    for e in &out.detection.episodes {
        let days = f64::from(e.end - e.start + 1);
        let row = store_row(e.series) * nw;
        for d in e.start..=e.end {
            let c = &mut cells[row + week_col(d)];
            c.lost_units += e.lost_units / days;
            c.lost_revenue += e.lost_revenue.unwrap_or(0.0) / days;
        }
    }
    Summary {
        stores,
        weeks,
        cells,
    }
}

/// The summary as a table: store, week, alerts, one count per kind, lost units and revenue.
pub fn summary_frame(out: &StockOutput) -> PolarsResult<DataFrame> {
    let s = summary(out);
    let nw = s.weeks.len();
    let (mut store, mut week, mut total) = (Vec::new(), Vec::new(), Vec::new());
    let mut by_kind: [Vec<u32>; 4] = Default::default();
    let (mut units, mut revenue) = (Vec::new(), Vec::new());
    let round = |v: f64| (v * 100.0).round() / 100.0;
    for (k, c) in s.cells.iter().enumerate() {
        store.push(s.stores[k / nw].as_str());
        week.push(s.weeks[k % nw]);
        total.push(c.alerts.iter().sum::<usize>() as u32);
        for (i, v) in by_kind.iter_mut().enumerate() {
            v.push(c.alerts[i] as u32);
        }
        units.push(round(c.lost_units));
        revenue.push(round(c.lost_revenue));
    }
    let mut cols = vec![
        Column::new("store".into(), store),
        dates("week", week)?,
        Column::new("alerts".into(), total),
    ];
    for (k, v) in Kind::ALL.iter().zip(by_kind) {
        cols.push(Column::new(k.name().into(), v));
    }
    cols.push(Column::new("lost_units".into(), units));
    cols.push(Column::new("lost_revenue".into(), revenue));
    DataFrame::new_infer_height(cols)
}

/// Each series' safety stock against its lead-time demand.
pub fn thresholds_frame(out: &StockOutput) -> PolarsResult<DataFrame> {
    let rows: Vec<(usize, &crate::compute::stock::SafetyCheck)> = out
        .detection
        .safety
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.as_ref().map(|c| (i, c)))
        .collect();
    let round = |v: f64| (v * 100.0).round() / 100.0;
    DataFrame::new_infer_height(vec![
        Column::new(
            "store".into(),
            rows.iter()
                .map(|(i, _)| out.series[*i].store.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "sku".into(),
            rows.iter()
                .map(|(i, _)| out.series[*i].sku.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "safety_stock".into(),
            rows.iter()
                .map(|(_, c)| round(c.threshold))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "source".into(),
            rows.iter()
                .map(|(_, c)| if c.given { "given" } else { "computed" })
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "lead_time_days".into(),
            rows.iter().map(|(_, c)| c.lead_time).collect::<Vec<_>>(),
        ),
        Column::new(
            "mean_daily_sales".into(),
            rows.iter()
                .map(|(_, c)| round(c.mean_daily))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "needed".into(),
            rows.iter()
                .map(|(_, c)| round(c.needed))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "covers".into(),
            rows.iter().map(|(_, c)| c.covers).collect::<Vec<_>>(),
        ),
    ])
}
