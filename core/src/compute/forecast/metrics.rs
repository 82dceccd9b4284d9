//! Holdout accuracy: sMAPE (in percent, pairs where both are 0 left out), MASE against the
//! in-sample seasonal naive forecast, and interval coverage.

/// Symmetric mean absolute percentage error, 0..200.
pub fn smape(actual: &[f64], predicted: &[f64]) -> f64 {
    let terms: Vec<f64> = actual
        .iter()
        .zip(predicted)
        .filter(|(a, p)| a.abs() + p.abs() > 0.0)
        .map(|(a, p)| 2.0 * (a - p).abs() / (a.abs() + p.abs()))
        .collect();
    if terms.is_empty() {
        return 0.0;
    }
    100.0 * terms.iter().sum::<f64>() / terms.len() as f64
}

/// Mean absolute scaled error: holdout MAE over the in-sample MAE of the seasonal naive forecast
/// (the value `season` steps earlier). NaN when the history is too short or constant.
pub fn mase(actual: &[f64], predicted: &[f64], history: &[f64], season: usize) -> f64 {
    if history.len() <= season || actual.is_empty() {
        return f64::NAN;
    }
    let naive: f64 = history
        .windows(season + 1)
        .map(|w| (w[season] - w[0]).abs())
        .sum::<f64>()
        / (history.len() - season) as f64;
    let mae: f64 = actual
        .iter()
        .zip(predicted)
        .map(|(a, p)| (a - p).abs())
        .sum::<f64>()
        / actual.len() as f64;
    if naive > 0.0 { mae / naive } else { f64::NAN }
}

/// Share of `actual` values inside [lower, upper].
pub fn coverage(actual: &[f64], lower: &[f64], upper: &[f64]) -> f64 {
    let n = actual.len().min(lower.len()).min(upper.len());
    if n == 0 {
        return f64::NAN;
    }
    let inside = (0..n)
        .filter(|&i| actual[i] >= lower[i] && actual[i] <= upper[i])
        .count();
    inside as f64 / n as f64
}
