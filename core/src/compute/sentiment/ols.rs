//! Ordinary least squares with an intercept, as statsmodels' `OLS(y, add_constant(X)).fit()`
//! reports it: coefficients, standard errors, t statistics, p values, R², adjusted R² and N.
//! Classical errors use Student's t with n − k degrees of freedom; Newey-West (HAC) errors are
//! statsmodels' `cov_type="HAC"` with Bartlett weights and no small-sample correction, and
//! their p values use the normal distribution, as statsmodels does by default. Also the
//! Granger-style F test built on two such fits.
//!
//! The fit solves by Householder QR (no normal equations), so that the numbers agree with
//! statsmodels' pseudo-inverse to about 1e-12 on well-conditioned data.

use crate::compute::special::{f_upper_tail, normal_two_sided, student_t_two_sided};

/// Which standard errors to report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Covariance {
    Classical,
    /// Newey-West with Bartlett weights over `lags` lags.
    NeweyWest {
        lags: usize,
    },
}

impl Covariance {
    pub fn describe(self) -> String {
        match self {
            Covariance::Classical => "classical (t with n − k df)".into(),
            Covariance::NeweyWest { lags } => {
                format!("Newey-West HAC, {lags} lags, Bartlett weights (normal p values)")
            }
        }
    }
}

/// One coefficient's row of the table.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Coefficient {
    pub name: String,
    pub estimate: f64,
    pub std_error: f64,
    pub t: f64,
    pub p: f64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OlsFit {
    pub coefficients: Vec<Coefficient>,
    pub r_squared: f64,
    pub adj_r_squared: f64,
    pub n: usize,
    pub residual_ss: f64,
    pub covariance: Covariance,
}

impl OlsFit {
    pub fn coefficient(&self, name: &str) -> Option<&Coefficient> {
        self.coefficients.iter().find(|c| c.name == name)
    }
}

/// Solves the least-squares problem by Householder QR. `x` is row-major n × k. Returns the
/// coefficients and the inverse of XᵀX, or the index of a column that is constant or a
/// combination of the others.
fn least_squares(x: &[f64], n: usize, k: usize, y: &[f64]) -> Result<(Vec<f64>, Vec<f64>), usize> {
    let mut a = x.to_vec();
    let mut b = y.to_vec();
    let mut diagonal = vec![0.0; k];
    let scale: f64 = a.iter().map(|v| v.abs()).fold(0.0, f64::max).max(1.0);
    for j in 0..k {
        let norm = (j..n).map(|i| a[i * k + j].powi(2)).sum::<f64>().sqrt();
        if norm <= 1e-10 * scale * (n as f64).sqrt() {
            return Err(j);
        }
        let alpha = if a[j * k + j] > 0.0 { -norm } else { norm };
        // v = column below the diagonal with v[0] = a_jj - alpha; H = I - 2 v vᵀ / vᵀv
        a[j * k + j] -= alpha;
        let vtv: f64 = (j..n).map(|i| a[i * k + j].powi(2)).sum();
        for c in (j + 1)..k {
            let dot: f64 = (j..n).map(|i| a[i * k + j] * a[i * k + c]).sum();
            let f = 2.0 * dot / vtv;
            for i in j..n {
                a[i * k + c] -= f * a[i * k + j];
            }
        }
        let dot: f64 = (j..n).map(|i| a[i * k + j] * b[i]).sum();
        let f = 2.0 * dot / vtv;
        for i in j..n {
            b[i] -= f * a[i * k + j];
        }
        diagonal[j] = alpha;
    }
    // R: diagonal[j] on the diagonal, a[j][c] above it.
    let r = |row: usize, col: usize| {
        if row == col {
            diagonal[row]
        } else {
            a[row * k + col]
        }
    };
    let mut beta = vec![0.0; k];
    for j in (0..k).rev() {
        let s: f64 = b[j] - ((j + 1)..k).map(|c| r(j, c) * beta[c]).sum::<f64>();
        beta[j] = s / r(j, j);
    }
    // R⁻¹ (upper triangular), then (XᵀX)⁻¹ = R⁻¹ R⁻ᵀ.
    let mut r_inv = vec![0.0; k * k];
    for col in 0..k {
        for row in (0..=col).rev() {
            let mut s = if row == col { 1.0 } else { 0.0 };
            for m in (row + 1)..=col {
                s -= r(row, m) * r_inv[m * k + col];
            }
            r_inv[row * k + col] = s / r(row, row);
        }
    }
    let mut xtx_inv = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..k {
            xtx_inv[i * k + j] = (0..k).map(|m| r_inv[i * k + m] * r_inv[j * k + m]).sum();
        }
    }
    Ok((beta, xtx_inv))
}

/// Fits `y = b0 + Σ b_j x_j`. `columns` are the regressors' names and values, each as long
/// as `y`. Errors are sentences for the user.
pub fn ols(
    y: &[f64],
    columns: &[(&str, &[f64])],
    covariance: Covariance,
) -> Result<OlsFit, String> {
    let n = y.len();
    let k = columns.len() + 1;
    if let Some((name, _)) = columns.iter().find(|(_, c)| c.len() != n) {
        return Err(format!(
            "column {name} has a different length from the response"
        ));
    }
    if n <= k {
        return Err(format!(
            "{n} observations are too few for {k} coefficients (need at least {})",
            k + 1
        ));
    }
    if let Some(i) =
        (0..n).find(|&i| !y[i].is_finite() || columns.iter().any(|(_, c)| !c[i].is_finite()))
    {
        return Err(format!("row {} has a missing or infinite value", i + 1));
    }
    let mut x = Vec::with_capacity(n * k);
    for i in 0..n {
        x.push(1.0);
        x.extend(columns.iter().map(|(_, c)| c[i]));
    }
    let (beta, xtx_inv) = least_squares(&x, n, k, y).map_err(|j| {
        let name = if j == 0 {
            "the intercept"
        } else {
            columns[j - 1].0
        };
        format!("{name} is constant or a combination of the other columns; drop it")
    })?;
    let residuals: Vec<f64> = (0..n)
        .map(|i| y[i] - (0..k).map(|j| x[i * k + j] * beta[j]).sum::<f64>())
        .collect();
    let residual_ss: f64 = residuals.iter().map(|e| e * e).sum();
    let mean = y.iter().sum::<f64>() / n as f64;
    let total_ss: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
    let df_resid = (n - k) as f64;
    let cov: Vec<f64> = match covariance {
        Covariance::Classical => {
            let sigma2 = residual_ss / df_resid;
            xtx_inv.iter().map(|v| v * sigma2).collect()
        }
        Covariance::NeweyWest { lags } => {
            let xu: Vec<f64> = (0..n * k).map(|p| x[p] * residuals[p / k]).collect();
            let mut s = vec![0.0; k * k];
            for lag in 0..=lags.min(n - 1) {
                let weight = 1.0 - lag as f64 / (lags as f64 + 1.0);
                for t in lag..n {
                    for a in 0..k {
                        for b in 0..k {
                            let term = xu[t * k + a] * xu[(t - lag) * k + b];
                            s[a * k + b] += weight * term;
                            if lag > 0 {
                                s[b * k + a] += weight * term;
                            }
                        }
                    }
                }
            }
            let product = |l: &[f64], r: &[f64]| -> Vec<f64> {
                let mut out = vec![0.0; k * k];
                for i in 0..k {
                    for j in 0..k {
                        out[i * k + j] = (0..k).map(|m| l[i * k + m] * r[m * k + j]).sum();
                    }
                }
                out
            };
            product(&product(&xtx_inv, &s), &xtx_inv)
        }
    };
    let names = std::iter::once("const").chain(columns.iter().map(|(name, _)| *name));
    let coefficients = names
        .enumerate()
        .map(|(j, name)| {
            let std_error = cov[j * k + j].sqrt();
            let t = beta[j] / std_error;
            let p = match covariance {
                Covariance::Classical => student_t_two_sided(t, df_resid),
                Covariance::NeweyWest { .. } => normal_two_sided(t),
            };
            Coefficient {
                name: name.to_string(),
                estimate: beta[j],
                std_error,
                t,
                p,
            }
        })
        .collect();
    let r_squared = 1.0 - residual_ss / total_ss;
    Ok(OlsFit {
        coefficients,
        r_squared,
        adj_r_squared: 1.0 - (1.0 - r_squared) * (n as f64 - 1.0) / df_resid,
        n,
        residual_ss,
        covariance,
    })
}

/// The Granger-style test that `x` helps predict `y` beyond `y`'s own `lags` past values:
/// statsmodels' `grangercausalitytests` "ssr based F test". Marked in the UI as a test of
/// predictive precedence, not of causation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Granger {
    pub lags: usize,
    pub f: f64,
    pub df_num: usize,
    pub df_den: usize,
    pub p: f64,
}

pub fn granger(y: &[f64], x: &[f64], lags: usize) -> Result<Granger, String> {
    let n = y.len().min(x.len());
    if lags == 0 || n <= 3 * lags + 1 {
        return Err(format!(
            "{n} windows are too few for a Granger test with {lags} lags"
        ));
    }
    let rows = n - lags;
    let target: Vec<f64> = y[lags..n].to_vec();
    let lagged =
        |series: &[f64], l: usize| -> Vec<f64> { (lags..n).map(|t| series[t - l]).collect() };
    let own: Vec<Vec<f64>> = (1..=lags).map(|l| lagged(y, l)).collect();
    let other: Vec<Vec<f64>> = (1..=lags).map(|l| lagged(x, l)).collect();
    let own_names: Vec<String> = (1..=lags).map(|l| format!("y_lag{l}")).collect();
    let other_names: Vec<String> = (1..=lags).map(|l| format!("x_lag{l}")).collect();
    let restricted_columns: Vec<(&str, &[f64])> = own_names
        .iter()
        .map(String::as_str)
        .zip(own.iter().map(Vec::as_slice))
        .collect();
    let mut full_columns = restricted_columns.clone();
    full_columns.extend(
        other_names
            .iter()
            .map(String::as_str)
            .zip(other.iter().map(Vec::as_slice)),
    );
    let restricted = ols(&target, &restricted_columns, Covariance::Classical)?;
    let full = ols(&target, &full_columns, Covariance::Classical)?;
    let df_den = rows - 2 * lags - 1;
    let f = ((restricted.residual_ss - full.residual_ss) / lags as f64)
        / (full.residual_ss / df_den as f64);
    Ok(Granger {
        lags,
        f,
        df_num: lags,
        df_den,
        p: f_upper_tail(f, lags as f64, df_den as f64),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_line_is_recovered_and_constant_columns_are_named() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y: Vec<f64> = x
            .iter()
            .map(|v| 2.0 + 3.0 * v + if *v == 3.0 { 0.1 } else { 0.0 })
            .collect();
        let fit = ols(&y, &[("x", &x)], Covariance::Classical).unwrap();
        assert!((fit.coefficients[1].estimate - 3.0).abs() < 1e-9);
        assert!(fit.r_squared > 0.999);
        let constant = [1.0; 5];
        let error = ols(&y, &[("x", &x), ("flat", &constant)], Covariance::Classical).unwrap_err();
        assert!(error.contains("flat is constant"), "{error}");
    }
}
