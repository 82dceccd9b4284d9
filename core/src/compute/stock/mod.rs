//! On-shelf availability: four detectors over daily store × SKU inventory, as the book's
//! out-of-stock chapter describes them, each explained by the formula in `Kind::formula`.
//!
//! - zero-sales: the probability of the observed run of zero-sales days, from each series' own
//!   probability of selling on that weekday;
//! - phantom inventory: such a run while the system reports stock (and what a count then did);
//! - safety stock: days below the threshold, and whether the threshold covers lead-time demand;
//! - on-shelf availability (OSA): sales far below the expected sales while stock is on hand.
//!
//! Expected sales come from the forecast engine (trend + weekly seasonality, fitted on the
//! series' clean days) when a series has enough clean history, else from a weekday baseline.
//! Alerts of one series that overlap merge into episodes.

mod detectors;
mod expected;
pub mod prepare;
pub mod probability;
#[cfg(test)]
mod tests;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use detectors::{SafetyCheck, SeriesView, detect_series, view_series};
pub use expected::{Expected, ExpectedSource};
pub use prepare::{Columns, Prepared, Quality, Series, prepare};

use crate::compute::{Cancelled, Progress};

/// What kind of problem an alert is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    ZeroSales,
    Phantom,
    SafetyStock,
    Osa,
    OutOfStock,
}

/// How many kinds there are (per-kind counts are arrays of this length).
pub const KINDS: usize = 5;

impl Kind {
    pub const ALL: [Kind; KINDS] = [
        Kind::ZeroSales,
        Kind::Phantom,
        Kind::SafetyStock,
        Kind::Osa,
        Kind::OutOfStock,
    ];

    /// The kinds from the most specific name of a problem to the least: an episode is named
    /// by the first of its kinds in this order (phantom stock is also a zero-sales run and
    /// often below safety stock).
    pub const NAMING: [Kind; KINDS] = [
        Kind::Phantom,
        Kind::Osa,
        Kind::ZeroSales,
        Kind::OutOfStock,
        Kind::SafetyStock,
    ];

    /// Where the kind sits in `ALL` (and in per-kind counts).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The name in tables and the CLI.
    pub fn name(self) -> &'static str {
        match self {
            Kind::ZeroSales => "zero_sales",
            Kind::Phantom => "phantom",
            Kind::SafetyStock => "safety_stock",
            Kind::Osa => "osa",
            Kind::OutOfStock => "out_of_stock",
        }
    }

    /// The name for people.
    pub fn title(self) -> &'static str {
        match self {
            Kind::ZeroSales => "Zero sales",
            Kind::Phantom => "Phantom inventory",
            Kind::SafetyStock => "Below safety stock",
            Kind::Osa => "On-shelf availability",
            Kind::OutOfStock => "Reported stock-out",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == text)
    }

    /// How the detector decides, in words and symbols, as the panel shows it.
    pub fn formula(self) -> &'static str {
        match self {
            Kind::OutOfStock => {
                "A zero-sales run as unlikely as below on whose days the system itself reports \
                 0 on hand: a stock-out the store already sees, kept apart from the hidden \
                 problems. One alert over the reported-empty days of the run; lost sales = \
                 expected sales on those days."
            }
            Kind::ZeroSales => {
                "p(w) = share of in-stock days of weekday w with a sale (shrunk toward the \
                 series' overall share with 7 pseudo-days). A run of k zero-sales days has \
                 probability q = Π (1 − p(w_i)). Over a history with n chances for such a run \
                 (n = Σ p(1 − p), the expected number of zero runs), the chance of one this long \
                 is 1 − (1 − q)^n. Alert when it is below the threshold (per run: when q is), over \
                 the run's days on which the system reported stock (or no on-hand figure) and \
                 that are not already a phantom alert."
            }
            Kind::Phantom => {
                "A zero-sales run as unlikely as above, of at least the minimum days, while the \
                 reported on-hand stays above zero: the system believes there is stock, the shelf sells nothing. Estimated \
                 true on-hand: 0 over the run. Expected on-hand = previous + received − sold; a \
                 count correcting it after the run is shown as the confirmation."
            }
            Kind::SafetyStock => {
                "Days whose reported on-hand is below the safety stock, for at least the minimum \
                 days. Threshold: the safety_stock column, else z(service level) × σ(daily \
                 sales) × √(lead time). The threshold covers lead-time demand when it is at \
                 least z × σ × √(lead time)."
            }
            Kind::Osa => {
                "Over 7, 14 and 28-day windows with stock on hand every day: actual sales A \
                 against expected sales E. A window is short when A < ratio × E and \
                 P(Poisson(E) ≤ A) is below the threshold. Runs of short days (trimmed to days \
                 selling under expectation) of at least the minimum length are alerts."
            }
        }
    }
}

/// Whether the zero-sales threshold applies to one run or to the whole history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZeroScope {
    /// The book's figure: (1 − p)^k for the run alone.
    PerRun,
    /// The chance of a run this long anywhere in the series' history (fewer false alarms).
    History,
}

/// The detectors' settings (checked in `usecases::stock`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Thresholds {
    pub zero_sales: f64,
    pub zero_scope: ZeroScope,
    /// Shortest zero-sales run with stock reported that is a phantom alert.
    pub phantom_min_days: usize,
    /// Service level for a computed safety stock, e.g. 0.95.
    pub service_level: f64,
    /// Lead time when the table has none.
    pub lead_time_days: f64,
    /// Shortest run below safety stock that is an alert.
    pub safety_min_days: usize,
    /// Poisson tail probability below which an OSA window is short.
    pub osa: f64,
    /// Actual / expected sales below which an OSA window is short.
    pub osa_ratio: f64,
    /// Shortest OSA alert.
    pub osa_min_days: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            zero_sales: 0.01,
            zero_scope: ZeroScope::History,
            phantom_min_days: 3,
            service_level: 0.95,
            lead_time_days: 3.0,
            safety_min_days: 3,
            osa: 1e-5,
            osa_ratio: 0.5,
            osa_min_days: 7,
        }
    }
}

/// One detected problem of one series.
#[derive(Clone, Debug, PartialEq)]
pub struct Alert {
    pub kind: Kind,
    /// Index into the series list.
    pub series: usize,
    /// Days since 1970-01-01, inclusive.
    pub start: i32,
    pub end: i32,
    pub lost_units: f64,
    pub lost_revenue: Option<f64>,
    /// 1 − the chance of what was seen if nothing were wrong (1 for observed facts).
    pub confidence: f64,
    /// The reason in words: probabilities, stock figures, the counts behind it.
    pub detail: String,
}

impl Alert {
    pub fn days(&self) -> i32 {
        self.end - self.start + 1
    }
}

/// Alerts of each kind, in `Kind::ALL` order.
pub fn counts(alerts: &[Alert]) -> [usize; KINDS] {
    let mut n = [0; KINDS];
    for a in alerts {
        n[a.kind.index()] += 1;
    }
    n
}

/// Overlapping alerts of one series, merged.
#[derive(Clone, Debug, PartialEq)]
pub struct Episode {
    pub series: usize,
    pub start: i32,
    pub end: i32,
    pub kinds: Vec<Kind>,
    /// The largest estimate among its alerts (they describe the same missing sales).
    pub lost_units: f64,
    pub lost_revenue: Option<f64>,
    pub confidence: f64,
    /// Its alerts: indices into the alerts it was merged from.
    pub alerts: Vec<usize>,
}

impl Episode {
    /// The kind that names the problem: the most specific of its kinds (`Kind::NAMING`).
    pub fn kind(&self) -> Kind {
        Kind::NAMING
            .into_iter()
            .find(|k| self.kinds.contains(k))
            .unwrap_or(Kind::SafetyStock)
    }
}

/// What the detectors found in one series, beside its alerts.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesFindings {
    pub alerts: Vec<Alert>,
    pub safety: Option<SafetyCheck>,
    pub source: ExpectedSource,
}

/// Everything the detectors found.
#[derive(Clone, Debug, Default)]
pub struct Detection {
    pub alerts: Vec<Alert>,
    pub episodes: Vec<Episode>,
    /// One per series (None when the series is too short to judge).
    pub safety: Vec<Option<SafetyCheck>>,
    /// Series whose expected sales came from the forecast engine.
    pub forecast_series: usize,
    /// Series too short to judge (fewer than `MIN_DAYS` days with figures).
    pub too_short: usize,
}

/// Days with figures a series needs before it is judged.
pub(crate) const MIN_DAYS: usize = 28;

/// Run every detector over every series, in parallel.
pub fn detect(
    series: &[Series],
    thresholds: &Thresholds,
    progress: &dyn Progress,
) -> Result<Detection, Cancelled> {
    let total = series.len().max(1);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let found: Vec<Option<SeriesFindings>> = series
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            if progress.cancelled() {
                return Err(Cancelled);
            }
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if n.is_multiple_of(256) {
                progress.report(
                    0.6 + 0.4 * n as f32 / total as f32,
                    &format!("checking series {n} of {total}"),
                );
            }
            Ok(detect_series(i, s, thresholds))
        })
        .collect::<Result<_, _>>()?;
    let mut out = Detection::default();
    for f in found {
        match f {
            None => {
                out.too_short += 1;
                out.safety.push(None);
            }
            Some(f) => {
                if f.source == ExpectedSource::Forecast {
                    out.forecast_series += 1;
                }
                out.safety.push(f.safety);
                out.alerts.extend(f.alerts);
            }
        }
    }
    out.episodes = episodes(&out.alerts);
    Ok(out)
}

/// Merge overlapping or touching alerts of each series into episodes (alerts must be grouped by
/// series, as `detect` returns them).
pub fn episodes(alerts: &[Alert]) -> Vec<Episode> {
    let mut sorted: Vec<usize> = (0..alerts.len()).collect();
    sorted.sort_by_key(|&i| (alerts[i].series, alerts[i].start, alerts[i].end));
    let mut out: Vec<Episode> = Vec::new();
    for i in sorted {
        let a = &alerts[i];
        match out.last_mut() {
            Some(e) if e.series == a.series && a.start <= e.end + 1 => {
                e.end = e.end.max(a.end);
                if !e.kinds.contains(&a.kind) {
                    e.kinds.push(a.kind);
                    e.kinds.sort();
                }
                e.lost_units = e.lost_units.max(a.lost_units);
                e.lost_revenue = match (e.lost_revenue, a.lost_revenue) {
                    (Some(x), Some(y)) => Some(x.max(y)),
                    (x, y) => x.or(y),
                };
                e.confidence = e.confidence.max(a.confidence);
                e.alerts.push(i);
            }
            _ => out.push(Episode {
                series: a.series,
                start: a.start,
                end: a.end,
                kinds: vec![a.kind],
                lost_units: a.lost_units,
                lost_revenue: a.lost_revenue,
                confidence: a.confidence,
                alerts: vec![i],
            }),
        }
    }
    out
}
