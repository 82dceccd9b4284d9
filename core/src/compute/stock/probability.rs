//! The few distributions the detectors need, written out so their formulas can be shown in the
//! UI as they are computed: the Poisson lower tail and quantiles, and the normal quantile.

/// ln P(X <= k) for X ~ Poisson(mean), summed in log space (no overflow for large means).
pub(crate) fn poisson_log_cdf(k: f64, mean: f64) -> f64 {
    if mean <= 0.0 {
        return 0.0;
    }
    if k < 0.0 {
        return f64::NEG_INFINITY;
    }
    let k = k.floor() as usize;
    let ln_mean = mean.ln();
    let mut term = -mean; // ln P(X = 0)
    let mut max = term;
    let mut terms = Vec::with_capacity(k + 1);
    terms.push(term);
    for i in 1..=k {
        term += ln_mean - (i as f64).ln();
        max = max.max(term);
        terms.push(term);
    }
    let sum: f64 = terms.iter().map(|t| (t - max).exp()).sum();
    (max + sum.ln()).min(0.0)
}

/// P(X <= k) for X ~ Poisson(mean).
pub(crate) fn poisson_cdf(k: f64, mean: f64) -> f64 {
    poisson_log_cdf(k, mean).exp()
}

/// The smallest k with P(X <= k) >= q, for X ~ Poisson(mean).
pub(crate) fn poisson_quantile(q: f64, mean: f64) -> f64 {
    if mean <= 0.0 {
        return 0.0;
    }
    let mut k = 0.0;
    let limit = mean + 20.0 * mean.sqrt() + 20.0;
    while k < limit && poisson_cdf(k, mean) < q {
        k += 1.0;
    }
    k
}

/// The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9).
pub(crate) fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    let low = 0.02425;
    if p < low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -normal_quantile(1.0 - p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_cdf_matches_direct_sums() {
        // Direct sums of e^-m m^k / k! for small cases.
        let direct = |k: usize, m: f64| -> f64 {
            let mut term = (-m).exp();
            let mut sum = term;
            for i in 1..=k {
                term *= m / i as f64;
                sum += term;
            }
            sum
        };
        for &(k, m) in &[(0, 0.5), (3, 2.0), (10, 7.5), (25, 40.0)] {
            let a = poisson_cdf(k as f64, m);
            let b = direct(k, m);
            assert!((a - b).abs() < 1e-12, "{k} {m}: {a} vs {b}");
        }
        // scipy.stats.poisson.cdf(300, 400) = 1.0103960151958101e-07.
        let big = poisson_cdf(300.0, 400.0);
        assert!((big / 1.010_396_015_195_81e-7 - 1.0).abs() < 1e-9, "{big}");
        assert_eq!(poisson_quantile(0.5, 0.0), 0.0);
        assert_eq!(poisson_quantile(0.05, 10.0), 5.0);
        assert_eq!(poisson_quantile(0.95, 10.0), 15.0);
    }

    #[test]
    fn normal_quantile_matches_tables() {
        assert!((normal_quantile(0.95) - 1.644_853_6).abs() < 1e-6);
        assert!((normal_quantile(0.5)).abs() < 1e-9);
        assert!((normal_quantile(0.01) + 2.326_347_9).abs() < 1e-6);
        assert!((normal_quantile(0.999) - 3.090_232_3).abs() < 1e-6);
    }
}
