//! Expected daily sales of one series: the forecast engine (trend with changepoints + weekly
//! seasonality, additive, fitted on the clean days only) when the series has enough clean
//! history, else a weekday baseline (each weekday's mean over clean days).

use super::Series;
use crate::compute::forecast::{self, Mode, Params};

/// Clean days a series needs before the forecast engine is used.
pub(crate) const FORECAST_MIN_DAYS: usize = 56;

/// Where a series' expected sales came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpectedSource {
    Forecast,
    WeekdayBaseline,
}

impl ExpectedSource {
    /// The expected-sales line's name in a chart legend.
    pub fn legend(self) -> &'static str {
        match self {
            ExpectedSource::Forecast => "expected sales (forecast)",
            ExpectedSource::WeekdayBaseline => "expected sales (weekday)",
        }
    }
}

/// Expected sales for every day of a series.
#[derive(Clone, Debug, PartialEq)]
pub struct Expected {
    pub mean: Vec<f64>,
    pub source: ExpectedSource,
}

/// Each weekday's mean sales over the clean days (shrunk toward the overall mean with 7
/// pseudo-days, so a weekday seen twice does not decide alone).
pub(crate) fn weekday_baseline(s: &Series, clean: &[bool]) -> Vec<f64> {
    let mut sum = [0.0; 7];
    let mut count = [0.0; 7];
    for (i, &c) in clean.iter().enumerate() {
        if c {
            let w = s.weekday(i);
            sum[w] += f64::from(s.sold[i]);
            count[w] += 1.0;
        }
    }
    let total: f64 = count.iter().sum();
    let overall = if total > 0.0 {
        sum.iter().sum::<f64>() / total
    } else {
        0.0
    };
    let by_day: Vec<f64> = (0..7)
        .map(|w| (sum[w] + 7.0 * overall) / (count[w] + 7.0))
        .collect();
    (0..s.days()).map(|i| by_day[s.weekday(i)]).collect()
}

/// The forecast engine's in-sample mean, when there are enough clean days and the fit works.
fn forecast_mean(s: &Series, clean: &[bool]) -> Option<Vec<f64>> {
    let (days, values): (Vec<i32>, Vec<f64>) = clean
        .iter()
        .enumerate()
        .filter(|(_, c)| **c)
        .map(|(i, _)| (s.day(i), f64::from(s.sold[i])))
        .unzip();
    if days.len() < FORECAST_MIN_DAYS {
        return None;
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    if mean <= 0.0 {
        return None;
    }
    let params = Params {
        mode: Mode::Additive,
        changepoints: 6,
        changepoint_range: 0.9,
        samples: 0,
        ..Params::default()
    };
    let fit = forecast::fit(&days, &values, &params).ok()?;
    let all: Vec<i32> = (0..s.days()).map(|i| s.day(i)).collect();
    let floor = 0.05 * mean;
    Some(
        forecast::components(&fit, &all)
            .yhat
            .into_iter()
            .map(|y| if y.is_finite() { y.max(floor) } else { mean })
            .collect(),
    )
}

/// Expected sales from the forecast engine, or the weekday baseline when it cannot be used.
pub fn expected(s: &Series, clean: &[bool]) -> Expected {
    match forecast_mean(s, clean) {
        Some(mean) => Expected {
            mean,
            source: ExpectedSource::Forecast,
        },
        None => Expected {
            mean: weekday_baseline(s, clean),
            source: ExpectedSource::WeekdayBaseline,
        },
    }
}
