//! Lead/lag cross-correlation of two window series: at lag k, the Pearson correlation of
//! x at window t with y at window t + k, over the windows where both exist. A positive k
//! with a high correlation says x moves first ("x leads y by k windows"). The band is the
//! usual ±1.96/√n for no correlation.

/// One bar of the lead/lag chart.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Lag {
    pub lag: i64,
    pub correlation: f64,
    pub pairs: usize,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CrossCorrelation {
    pub lags: Vec<Lag>,
    /// Half-width of the 95% band under no correlation.
    pub band: f64,
}

impl CrossCorrelation {
    /// The lag with the largest |correlation|.
    pub fn strongest(&self) -> Option<Lag> {
        self.lags
            .iter()
            .copied()
            .filter(|l| l.correlation.is_finite())
            .max_by(|a, b| a.correlation.abs().total_cmp(&b.correlation.abs()))
    }
}

/// Pearson correlation of paired values, skipping pairs with a missing value; NaN when fewer
/// than three pairs or a side is constant.
pub(crate) fn pearson(pairs: impl Iterator<Item = (f64, f64)>) -> (f64, usize) {
    let kept: Vec<(f64, f64)> = pairs
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .collect();
    let n = kept.len();
    if n < 3 {
        return (f64::NAN, n);
    }
    let mx = kept.iter().map(|p| p.0).sum::<f64>() / n as f64;
    let my = kept.iter().map(|p| p.1).sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in &kept {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    if sxx == 0.0 || syy == 0.0 {
        return (f64::NAN, n);
    }
    (sxy / (sxx * syy).sqrt(), n)
}

pub(crate) fn cross_correlation(x: &[f64], y: &[f64], max_lag: usize) -> CrossCorrelation {
    let n = x.len().min(y.len());
    let max_lag = max_lag.min(n.saturating_sub(3)) as i64;
    let lags = (-max_lag..=max_lag)
        .map(|lag| {
            let pairs = (0..n as i64)
                .filter(|t| (0..n as i64).contains(&(t + lag)))
                .map(|t| (x[t as usize], y[(t + lag) as usize]));
            let (correlation, pairs) = pearson(pairs);
            Lag {
                lag,
                correlation,
                pairs,
            }
        })
        .collect();
    CrossCorrelation {
        lags,
        band: 1.96 / (n.max(1) as f64).sqrt(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shifted_copy_peaks_at_its_shift() {
        // y is x delayed by 3 windows: x leads y by 3.
        let x: Vec<f64> = (0..200).map(|i| ((i * 7919) % 101) as f64).collect();
        let y: Vec<f64> = (0..200)
            .map(|i| if i >= 3 { x[i - 3] } else { 0.0 })
            .collect();
        let cc = cross_correlation(&x, &y, 6);
        let best = cc.strongest().unwrap();
        assert_eq!(best.lag, 3);
        assert!(best.correlation > 0.99);
        assert_eq!(cc.lags.len(), 13);
    }
}
