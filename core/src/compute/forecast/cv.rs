//! Rolling-origin cross-validation, as Prophet's `cross_validation` + `performance_metrics` and
//! statsforecast's `cross_validation` do it: each series is cut at `folds` origins `period` steps
//! apart, the last one `horizon` steps before its end; each fold fits on the observations before
//! its origin and forecasts the next `horizon`; errors are then averaged by forecast step (1 =
//! the first step after the origin) over every fold of every series: sMAPE, MASE (each fold's
//! errors scaled by the in-sample seasonal naive error of its own training part) and interval
//! coverage, for the model and the seasonal naive baseline.

use std::sync::atomic::{AtomicUsize, Ordering};

use polars::prelude::*;
use rayon::prelude::*;

use super::batch::Model;
use super::naive::seasonal_naive;
use super::series::Series;
use super::{Params, fit, predict};
use crate::compute::{Cancelled, Progress, check};

/// The folds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CvSpec {
    /// Steps forecast from each origin.
    pub horizon: usize,
    pub folds: usize,
    /// Steps between origins (Prophet's `period`, statsforecast's `step_size`).
    pub period: usize,
}

/// The errors at one forecast step, over every fold of every series.
#[derive(Clone, Debug, PartialEq)]
pub struct StepScores {
    pub model: Model,
    /// 1 = the first step after the origin.
    pub step: usize,
    /// Forecasts scored at this step.
    pub n: usize,
    pub smape: f64,
    pub mase: f64,
    pub coverage: f64,
}

/// A cross-validation over many series.
#[derive(Clone, Debug, Default)]
pub struct CvResult {
    pub spec: Option<CvSpec>,
    /// Per model, steps 1..=horizon.
    pub by_step: Vec<StepScores>,
    /// Series cross-validated, and the folds fitted.
    pub series: usize,
    pub fits: usize,
    /// Series left out, with the reason (too short for the folds, a fit that failed).
    pub skipped: Vec<(Vec<String>, String)>,
}

/// One forecast error: (step, smape term or None when actual and forecast are both 0, scaled
/// absolute error, inside the interval).
type Term = (usize, Option<f64>, f64, bool);

/// The folds' origins (index of the first forecast observation) for a series of `n`
/// observations, earliest first; None when the earliest would leave fewer than `need` to fit.
pub fn origins(n: usize, spec: &CvSpec, need: usize) -> Option<Vec<usize>> {
    let last = n.checked_sub(spec.horizon)?;
    let back = spec.period.checked_mul(spec.folds.checked_sub(1)?)?;
    let first = last.checked_sub(back)?;
    (first >= need).then(|| (0..spec.folds).map(|k| first + k * spec.period).collect())
}

fn terms_of(actual: &[f64], yhat: &[f64], lower: &[f64], upper: &[f64], scale: f64) -> Vec<Term> {
    (0..actual.len().min(yhat.len()))
        .map(|i| {
            let (a, p) = (actual[i], yhat[i]);
            let smape =
                (a.abs() + p.abs() > 0.0).then(|| 200.0 * (a - p).abs() / (a.abs() + p.abs()));
            let inside =
                lower.get(i).is_some_and(|&l| a >= l) && upper.get(i).is_some_and(|&u| a <= u);
            (i + 1, smape, (a - p).abs() / scale, inside)
        })
        .collect()
}

/// The in-sample seasonal naive MAE of `history` (MASE's scale); NaN when undefined.
fn naive_scale(history: &[f64], season: usize) -> f64 {
    if history.len() <= season {
        return f64::NAN;
    }
    let mae = history
        .windows(season + 1)
        .map(|w| (w[season] - w[0]).abs())
        .sum::<f64>()
        / (history.len() - season) as f64;
    if mae > 0.0 { mae } else { f64::NAN }
}

/// The terms of every fold of one series, for the model and the baseline.
fn one(s: &Series, spec: &CvSpec, params: &Params) -> Result<[Vec<Term>; 2], String> {
    let season = s.season();
    let need = (2 * season).max(28);
    let Some(origins) = origins(s.values.len(), spec, need) else {
        return Err(format!(
            "{} observations: too few for {} folds of {} steps {} apart with {need} to fit",
            s.values.len(),
            spec.folds,
            spec.horizon,
            spec.period
        ));
    };
    let mut out = [Vec::new(), Vec::new()];
    for o in origins {
        let (train_days, train) = (&s.days[..o], &s.values[..o]);
        let actual = &s.values[o..o + spec.horizon];
        let days = &s.days[o..o + spec.horizon];
        let scale = naive_scale(train, season);
        let model = fit(train_days, train, params).map_err(|e| e.to_string())?;
        let p = predict(&model, days);
        out[0].extend(terms_of(actual, &p.yhat, &p.lower, &p.upper, scale));
        let (y, l, u) = seasonal_naive(train, season, spec.horizon, params.interval);
        out[1].extend(terms_of(actual, &y, &l, &u, scale));
    }
    Ok(out)
}

/// Cross-validate every series in parallel.
pub fn cross_validate(
    series: &[Series],
    spec: &CvSpec,
    params: &Params,
    progress: &dyn Progress,
) -> Result<CvResult, Cancelled> {
    let done = AtomicUsize::new(0);
    let total = series.len().max(1);
    let results: Vec<Result<[Vec<Term>; 2], String>> = series
        .par_iter()
        .map(|s| {
            if progress.cancelled() {
                return Err("cancelled".into());
            }
            let r = one(s, spec, params);
            let k = done.fetch_add(1, Ordering::Relaxed) + 1;
            if k.is_multiple_of(16) {
                progress.report(
                    k as f32 / total as f32,
                    &format!("cross-validating series {k} of {total}"),
                );
            }
            r
        })
        .collect();
    check(progress)?;
    let mut out = CvResult {
        spec: Some(*spec),
        ..CvResult::default()
    };
    // Per model and step: smape sum and count, scaled error sum and count, inside, n.
    let mut sums = vec![[(0.0, 0usize, 0.0, 0usize, 0usize, 0usize); 2]; spec.horizon + 1];
    for (s, r) in series.iter().zip(results) {
        match r {
            Err(e) => out.skipped.push((s.key.clone(), e)),
            Ok(terms) => {
                out.series += 1;
                out.fits += spec.folds;
                for (m, terms) in terms.iter().enumerate() {
                    for &(step, smape, scaled, inside) in terms {
                        let t = &mut sums[step][m];
                        if let Some(v) = smape {
                            t.0 += v;
                            t.1 += 1;
                        }
                        if scaled.is_finite() {
                            t.2 += scaled;
                            t.3 += 1;
                        }
                        t.4 += usize::from(inside);
                        t.5 += 1;
                    }
                }
            }
        }
    }
    let mean = |sum: f64, n: usize| if n > 0 { sum / n as f64 } else { f64::NAN };
    for (m, model) in Model::ALL.into_iter().enumerate() {
        for (step, by_model) in sums.iter().enumerate().skip(1) {
            let t = by_model[m];
            out.by_step.push(StepScores {
                model,
                step,
                n: t.5,
                smape: if t.5 > 0 && t.1 == 0 {
                    0.0
                } else {
                    mean(t.0, t.1)
                },
                mase: mean(t.2, t.3),
                coverage: mean(t.4 as f64, t.5),
            });
        }
    }
    Ok(out)
}

impl CvResult {
    /// One row per model and step: model, step, n, smape, mase, coverage.
    pub fn frame(&self) -> PolarsResult<DataFrame> {
        let r = &self.by_step;
        DataFrame::new_infer_height(vec![
            Column::new(
                "model".into(),
                r.iter().map(|s| s.model.name()).collect::<Vec<_>>(),
            ),
            Column::new(
                "step".into(),
                r.iter().map(|s| s.step as u64).collect::<Vec<_>>(),
            ),
            Column::new("n".into(), r.iter().map(|s| s.n as u64).collect::<Vec<_>>()),
            Column::new(
                "smape".into(),
                r.iter().map(|s| s.smape).collect::<Vec<_>>(),
            ),
            Column::new("mase".into(), r.iter().map(|s| s.mase).collect::<Vec<_>>()),
            Column::new(
                "coverage".into(),
                r.iter().map(|s| s.coverage).collect::<Vec<_>>(),
            ),
        ])
    }

    /// The mean over steps of one model's scores (sMAPE, MASE, coverage).
    pub fn mean(&self, model: Model) -> Option<(f64, f64, f64)> {
        let rows: Vec<&StepScores> = self.by_step.iter().filter(|s| s.model == model).collect();
        if rows.is_empty() {
            return None;
        }
        let n = rows.len() as f64;
        Some((
            rows.iter().map(|s| s.smape).sum::<f64>() / n,
            rows.iter().map(|s| s.mase).sum::<f64>() / n,
            rows.iter().map(|s| s.coverage).sum::<f64>() / n,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_step_back_from_the_end() {
        let spec = CvSpec {
            horizon: 10,
            folds: 3,
            period: 5,
        };
        // 100 observations: origins 80, 85, 90 (the last forecasts 90..99).
        assert_eq!(origins(100, &spec, 28), Some(vec![80, 85, 90]));
        // The earliest origin leaves 28 to fit from 48 observations on.
        assert_eq!(origins(47, &spec, 28), None);
        assert_eq!(origins(48, &spec, 28), Some(vec![28, 33, 38]));
        assert_eq!(origins(5, &spec, 1), None);
    }

    /// The seasonal naive baseline's per-step errors against a brute-force loop over the
    /// folds (its forecasts are exact, so the errors are too).
    #[test]
    fn the_baselines_errors_by_step_match_a_brute_force_loop() {
        let days: Vec<i32> = (0..120).collect();
        let values: Vec<f64> = days
            .iter()
            .map(|&d| 10.0 + (d % 7) as f64 + (d as f64 * 0.37).sin() * 3.0 + d as f64 * 0.05)
            .collect();
        let s = Series {
            key: vec!["a".into()],
            days,
            values: values.clone(),
            duplicates: 0,
        };
        let spec = CvSpec {
            horizon: 14,
            folds: 4,
            period: 7,
        };
        let r = cross_validate(
            std::slice::from_ref(&s),
            &spec,
            &Params::default(),
            &crate::compute::NoProgress,
        )
        .unwrap();
        assert_eq!((r.series, r.fits), (1, 4));
        for step in 1..=spec.horizon {
            let (mut smape, mut mase) = (0.0, 0.0);
            // 120 observations: origins 85, 92, 99 and 106 (= 120 - 14).
            for o in [85usize, 92, 99, 106] {
                let train = &values[..o];
                // Seasonal naive: the value one week before, repeated.
                let p = train[o - 7 + (step - 1) % 7];
                let a = values[o + step - 1];
                smape += 200.0 * (a - p).abs() / (a.abs() + p.abs());
                let scale =
                    (7..o).map(|i| (train[i] - train[i - 7]).abs()).sum::<f64>() / (o - 7) as f64;
                mase += (a - p).abs() / scale;
            }
            let row = r
                .by_step
                .iter()
                .find(|x| x.model == Model::SeasonalNaive && x.step == step)
                .unwrap();
            assert_eq!(row.n, 4);
            assert!((row.smape - smape / 4.0).abs() < 1e-9, "step {step}");
            assert!((row.mase - mase / 4.0).abs() < 1e-9, "step {step}");
        }
        // The model is scored at every step too, and does better than chance.
        let (smape, _, coverage) = r.mean(Model::Playbook).unwrap();
        assert!(smape.is_finite() && (0.0..=1.0).contains(&coverage));
        // Too short for the folds: skipped with the reason.
        let short = Series {
            values: values[..40].to_vec(),
            days: s.days[..40].to_vec(),
            ..s
        };
        let r = cross_validate(
            &[short],
            &spec,
            &Params::default(),
            &crate::compute::NoProgress,
        )
        .unwrap();
        assert_eq!(r.series, 0);
        assert!(
            r.skipped[0].1.contains("too few for 4 folds"),
            "{:?}",
            r.skipped
        );
    }
}
