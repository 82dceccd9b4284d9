//! Alerts measured against a generator's truth table (`gen inventory` writes it beside the
//! data): recall of the planted problems through the detectors meant to find them, precision
//! of the phantom, zero-sales and OSA alerts against the hidden problems (a stock-out the
//! system reports is not one: that is the `out_of_stock` kind's), and a check that every
//! safety-stock alert lies on days below the threshold.

use std::collections::HashMap;

use anyhow::{Result, bail};
use polars::prelude::*;
use serde::Serialize;

use super::StockOutput;
use crate::compute::forecast::series::day_numbers;
use crate::compute::stock::Kind;
use crate::data::schema;

/// The truth table's kind for a stock-out the system reports.
const STOCKOUT: &str = "stockout";

/// An alert's kind and days.
type Span = (Kind, i32, i32);

/// One known problem.
struct Truth {
    kind: String,
    start: i32,
    end: i32,
    planted: bool,
}

/// Planted problems of one kind, and how many an alert of the right kinds overlaps.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Recall {
    pub planted: usize,
    pub found: usize,
    pub recall: f64,
}

/// Alerts of one kind, and how many overlap a known problem of their store and SKU.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Precision {
    pub kind: String,
    pub alerts: usize,
    pub true_alerts: usize,
    pub precision: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Score {
    /// Planted phantoms found through `phantom` or `zero_sales`.
    pub phantom: Recall,
    /// Planted display problems found through `osa`.
    pub display: Recall,
    /// Planted late deliveries found through `safety_stock`, `out_of_stock` or `zero_sales`.
    pub late_delivery: Recall,
    pub by_kind: Vec<Precision>,
    /// Over phantom, zero-sales and OSA alerts together, against the hidden problems only.
    pub precision: f64,
    pub safety_alerts: usize,
    /// Safety-stock alerts whose every day has a reported on-hand below the threshold.
    pub safety_alerts_below: usize,
}

fn truth_rows(file: &str, df: &DataFrame) -> Result<HashMap<(String, String), Vec<Truth>>> {
    let text = |name: &str| -> Result<Vec<String>> {
        let c = schema::column(file, df, name)?.cast(&DataType::String)?;
        Ok(c.str()?
            .iter()
            .map(|v| v.unwrap_or_default().to_owned())
            .collect())
    };
    let (store, sku, kind) = (text("store")?, text("sku")?, text("kind")?);
    let start = day_numbers(file, df, "start")?;
    let end = day_numbers(file, df, "end")?;
    let planted = text("planted")?;
    let mut out: HashMap<(String, String), Vec<Truth>> = HashMap::new();
    for i in 0..df.height() {
        let (Some(a), Some(b)) = (start[i], end[i]) else {
            bail!("{file}: row {} has no start or end date", i + 1);
        };
        out.entry((store[i].clone(), sku[i].clone()))
            .or_default()
            .push(Truth {
                kind: kind[i].clone(),
                start: a,
                end: b,
                planted: planted[i] == "true",
            });
    }
    Ok(out)
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

/// Score `out`'s alerts against the truth table `truth` (named `file` in errors).
pub fn score(out: &StockOutput, file: &str, truth: &DataFrame) -> Result<Score> {
    let truth = truth_rows(file, truth)?;
    let empty = Vec::new();
    let problems = |series: usize| {
        let s = &out.series[series];
        truth
            .get(&(s.store.clone(), s.sku.clone()))
            .unwrap_or(&empty)
    };
    let overlaps = |a: (i32, i32), t: &Truth| a.0 <= t.end && t.start <= a.1;
    // Recall: for each planted problem, an alert of the given kinds on its store and SKU.
    let mut by_series: HashMap<(String, String), Vec<Span>> = HashMap::new();
    for a in out.alerts() {
        let s = out.series_of(a);
        by_series
            .entry((s.store.clone(), s.sku.clone()))
            .or_default()
            .push((a.kind, a.start, a.end));
    }
    let recall = |kind: &str, through: &[Kind]| -> Recall {
        let mut r = Recall::default();
        for (key, rows) in &truth {
            for t in rows.iter().filter(|t| t.planted && t.kind == kind) {
                r.planted += 1;
                let found = by_series.get(key).is_some_and(|alerts| {
                    alerts
                        .iter()
                        .any(|&(k, a, b)| through.contains(&k) && overlaps((a, b), t))
                });
                r.found += usize::from(found);
            }
        }
        r.recall = ratio(r.found, r.planted);
        r
    };
    let mut by_kind: Vec<Precision> = Kind::ALL
        .iter()
        .map(|k| Precision {
            kind: k.name().into(),
            ..Precision::default()
        })
        .collect();
    let (mut scored, mut correct) = (0, 0);
    let (mut safety_alerts, mut safety_below) = (0, 0);
    for a in out.alerts() {
        // What the system reports (a stock-out) is no hidden problem for the detectors that
        // look for them; for the others every known problem counts.
        let hidden = matches!(a.kind, Kind::Phantom | Kind::ZeroSales | Kind::Osa);
        let hit = problems(a.series)
            .iter()
            .filter(|t| !hidden || t.kind != STOCKOUT)
            .any(|t| overlaps((a.start, a.end), t));
        let p = &mut by_kind[a.kind.index()];
        p.alerts += 1;
        p.true_alerts += usize::from(hit);
        if hidden {
            scored += 1;
            correct += usize::from(hit);
        } else if a.kind == Kind::SafetyStock {
            safety_alerts += 1;
            let s = out.series_of(a);
            let threshold = out.detection.safety[a.series]
                .as_ref()
                .map_or(f64::NAN, |c| c.threshold);
            let below = (a.start..=a.end).all(|d| {
                let v = s.on_hand[(d - s.first_day) as usize];
                v.is_nan() || f64::from(v) < threshold
            });
            safety_below += usize::from(below);
        }
    }
    for p in &mut by_kind {
        p.precision = ratio(p.true_alerts, p.alerts);
    }
    Ok(Score {
        phantom: recall("phantom", &[Kind::Phantom, Kind::ZeroSales]),
        display: recall("display", &[Kind::Osa]),
        late_delivery: recall(
            "late_delivery",
            &[Kind::SafetyStock, Kind::OutOfStock, Kind::ZeroSales],
        ),
        by_kind,
        precision: ratio(correct, scored),
        safety_alerts,
        safety_alerts_below: safety_below,
    })
}
