//! The seasonal naive baseline: each future step repeats the value one season earlier. Its
//! interval comes from the empirical quantiles of the in-sample seasonal differences, widened
//! by the square root of the number of whole seasons ahead (as in Hyndman & Athanasopoulos,
//! "Forecasting: Principles and Practice", 5.5), with no assumption of normal errors.

/// Forecast `steps` values after `history` with the seasonal naive method. Returns
/// (yhat, lower, upper); empty when the history is shorter than a season.
pub fn seasonal_naive(
    history: &[f64],
    season: usize,
    steps: usize,
    interval: f64,
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let n = history.len();
    if season == 0 || n < season || steps == 0 {
        return (Vec::new(), Vec::new(), Vec::new());
    }
    let mut diffs: Vec<f64> = history
        .windows(season + 1)
        .map(|w| w[season] - w[0])
        .collect();
    diffs.sort_by(f64::total_cmp);
    let alpha = (1.0 - interval) / 2.0;
    let q = |p: f64| -> f64 {
        if diffs.is_empty() {
            return 0.0;
        }
        diffs[((p * (diffs.len() - 1) as f64).round() as usize).min(diffs.len() - 1)]
    };
    let (lo, hi) = (q(alpha), q(1.0 - alpha));
    let mut out = (
        Vec::with_capacity(steps),
        Vec::with_capacity(steps),
        Vec::with_capacity(steps),
    );
    for h in 0..steps {
        let y = history[n - season + h % season];
        let widen = ((h / season + 1) as f64).sqrt();
        out.0.push(y);
        out.1.push(y + lo * widen);
        out.2.push(y + hi * widen);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_the_last_season_and_widens_each_season() {
        let history = [1.0, 2.0, 3.0, 2.0, 3.0, 4.0, 3.0, 4.0, 5.0];
        let (y, lo, hi) = seasonal_naive(&history, 3, 7, 0.95);
        assert_eq!(y, [3.0, 4.0, 5.0, 3.0, 4.0, 5.0, 3.0]);
        // Every seasonal difference is +1: the interval is [y+1, y+1] scaled per season.
        assert_eq!(lo[0], 4.0);
        assert_eq!(hi[0], 4.0);
        assert!((hi[3] - (4.0 + 2f64.sqrt()) + 1.0).abs() < 1e-12);
        assert!(seasonal_naive(&history[..2], 3, 5, 0.95).0.is_empty());
    }
}
