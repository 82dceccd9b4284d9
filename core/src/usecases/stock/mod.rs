//! The out-of-stock use case: a daily store × SKU inventory table becomes one series per store
//! and SKU; four detectors (zero sales, phantom inventory, safety stock, on-shelf availability)
//! give alerts with lost units and revenue, merged into episodes. `tables` turns the result
//! into the alert, episode, summary and threshold tables; `charts` into the summary heat map,
//! bars and one alert's charts; `score` measures alerts against a generator's truth table;
//! `triage` is the analyst's queue of problems with their states.

pub mod charts;
pub mod score;
pub mod tables;
pub mod triage;

use std::sync::Arc;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use super::record::{Recordable, metrics};
use super::{Bound, ParamError, non_empty};
use crate::compute::Progress;
use crate::compute::stock::{self, Alert, Columns, Detection, Quality, Series, Thresholds};
use crate::data::Dataset;

pub const ID: &str = "stock";

pub const ZERO_SALES: Bound<f64> = Bound::new("zero-sales threshold", 1e-12, 0.5);
pub const PHANTOM_MIN_DAYS: Bound<usize> = Bound::new("minimum phantom days", 1, 365);
pub const SERVICE_LEVEL: Bound<f64> = Bound::new("service level", 0.5, 0.9999);
pub const LEAD_TIME: Bound<f64> = Bound::new("lead time (days)", 0.0, 365.0);
pub const SAFETY_MIN_DAYS: Bound<usize> = Bound::new("minimum days below safety stock", 1, 365);
pub const OSA: Bound<f64> = Bound::new("OSA threshold", 1e-12, 0.1);
pub const OSA_RATIO: Bound<f64> = Bound::new("OSA sales ratio", 0.05, 0.95);
pub const OSA_MIN_DAYS: Bound<usize> = Bound::new("minimum OSA days", 1, 365);

/// What a user chooses for a stock run: which column is which, and the detectors' thresholds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StockParams {
    pub columns: Columns,
    pub thresholds: Thresholds,
}

/// Params that passed `check`.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidStockParams(StockParams);

impl ValidStockParams {
    pub fn params(&self) -> &StockParams {
        &self.0
    }
}

pub fn check(p: &StockParams) -> Result<ValidStockParams, ParamError> {
    let c = &p.columns;
    non_empty("date column", &c.date)?;
    non_empty("store column", &c.store)?;
    non_empty("SKU column", &c.sku)?;
    non_empty("on-hand column", &c.on_hand)?;
    non_empty("units sold column", &c.sold)?;
    non_empty("units received column", &c.received)?;
    super::distinct_columns(&[
        ("date column", &c.date),
        ("store column", &c.store),
        ("SKU column", &c.sku),
        ("on-hand column", &c.on_hand),
        ("units sold column", &c.sold),
        ("units received column", &c.received),
    ])?;
    let t = &p.thresholds;
    ZERO_SALES.check(t.zero_sales)?;
    PHANTOM_MIN_DAYS.check(t.phantom_min_days)?;
    SERVICE_LEVEL.check(t.service_level)?;
    LEAD_TIME.check(t.lead_time_days)?;
    SAFETY_MIN_DAYS.check(t.safety_min_days)?;
    OSA.check(t.osa)?;
    OSA_RATIO.check(t.osa_ratio)?;
    OSA_MIN_DAYS.check(t.osa_min_days)?;
    Ok(ValidStockParams(p.clone()))
}

/// A stock run's result.
#[derive(Clone, Debug)]
pub struct StockOutput {
    /// The table's name (for titles).
    pub name: String,
    /// Every series, for drilling down from an alert to its charts.
    pub series: Arc<Vec<Series>>,
    pub quality: Quality,
    pub detection: Detection,
    pub thresholds: Thresholds,
    pub seconds: f64,
}

impl StockOutput {
    pub fn alerts(&self) -> &[Alert] {
        &self.detection.alerts
    }

    /// Alerts of each kind, in `Kind::ALL` order.
    pub fn counts(&self) -> [usize; stock::KINDS] {
        stock::counts(self.alerts())
    }

    /// Lost revenue over the episodes (None when the table has no prices).
    pub fn lost_revenue(&self) -> Option<f64> {
        let priced: Vec<f64> = self
            .detection
            .episodes
            .iter()
            .filter_map(|e| e.lost_revenue)
            .collect();
        (!priced.is_empty()).then(|| priced.iter().sum())
    }

    pub fn lost_units(&self) -> f64 {
        self.detection.episodes.iter().map(|e| e.lost_units).sum()
    }

    /// Series whose safety stock does not cover lead-time demand at the service level.
    pub fn uncovered(&self) -> usize {
        self.detection
            .safety
            .iter()
            .flatten()
            .filter(|s| !s.covers)
            .count()
    }

    pub fn series_of(&self, a: &Alert) -> &Series {
        &self.series[a.series]
    }
}

/// Prepare the table's series and run every detector.
pub fn run(valid: &ValidStockParams, ds: &Dataset, progress: &dyn Progress) -> Result<StockOutput> {
    let started = std::time::Instant::now();
    let p = valid.params();
    let prepared = stock::prepare(&ds.name, &ds.frame, &p.columns, progress)?;
    let detection = stock::detect(&prepared.series, &p.thresholds, progress)?;
    Ok(StockOutput {
        name: ds.name.clone(),
        series: Arc::new(prepared.series),
        quality: prepared.quality,
        detection,
        thresholds: p.thresholds.clone(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

impl Recordable for StockOutput {
    fn metrics(&self) -> serde_json::Map<String, serde_json::Value> {
        let [zero, phantom, safety, osa, out_of_stock] = self.counts();
        let q = &self.quality;
        let mut m = metrics([
            ("series", self.series.len() as f64),
            ("alerts", self.alerts().len() as f64),
            ("episodes", self.detection.episodes.len() as f64),
            ("zero_sales", zero as f64),
            ("phantom", phantom as f64),
            ("safety_stock", safety as f64),
            ("osa", osa as f64),
            ("out_of_stock", out_of_stock as f64),
            ("lost_units", self.lost_units()),
            ("missing_days", q.missing_days as f64),
            ("duplicate_rows", q.duplicate_rows as f64),
            ("negative_on_hand", q.negative_on_hand as f64),
            ("too_short", self.detection.too_short as f64),
            ("compute_seconds", self.seconds),
        ]);
        if let Some(r) = self.lost_revenue() {
            m.extend(metrics([("lost_revenue", r)]));
        }
        m
    }

    /// The summary heat map and the alerts by kind.
    fn charts(&self) -> Vec<crate::chart::Chart> {
        let [heatmap, kinds, _] = charts::summary_charts(self);
        vec![heatmap, kinds]
    }
}
