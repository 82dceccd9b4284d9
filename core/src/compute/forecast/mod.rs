//! Demand forecasting in the manner of Prophet: a piecewise-linear trend with automatic
//! changepoints (ridge-regularised so it does not chase noise), weekly and yearly seasonality as
//! Fourier terms, additive or multiplicative (fitted on log1p of the values), by regularised
//! least squares (nalgebra's Cholesky). Uncertainty intervals come from the residual noise plus
//! simulated future trend changes, as Prophet does. Days are counted from 1970-01-01.

pub mod batch;
pub mod cv;
pub mod holidays;
mod metrics;
pub mod naive;
pub mod series;

pub use metrics::{coverage, mase, smape};

use nalgebra::{DMatrix, DVector};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// How seasonality combines with the trend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Mode {
    Additive,
    /// Seasonality scales the trend (fitted additively on log1p of the values).
    Multiplicative,
}

/// Model settings (the book's: linear growth, weekly + yearly, multiplicative).
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    pub mode: Mode,
    pub changepoints: usize,
    /// Share of the history in which changepoints may sit.
    pub changepoint_range: f64,
    /// Ridge penalty on changes of slope: the noise-to-prior variance ratio of a Gaussian prior
    /// on each change. Like Prophet's prior it does not grow with the number of observations,
    /// so long histories may bend their trend more than short ones.
    pub changepoint_penalty: f64,
    pub weekly_order: usize,
    pub yearly_order: usize,
    /// Width of the uncertainty interval, e.g. 0.95.
    pub interval: f64,
    /// Simulated trend paths for the interval.
    pub samples: usize,
    pub seed: u64,
    /// One effect per holiday name, on its dates (names with no date in the history are left
    /// out of the fit).
    pub holidays: std::sync::Arc<holidays::Holidays>,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            mode: Mode::Multiplicative,
            changepoints: 25,
            changepoint_range: 0.8,
            changepoint_penalty: 1.0,
            weekly_order: 3,
            yearly_order: 10,
            interval: 0.95,
            samples: 300,
            seed: 42,
            holidays: Default::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ForecastError {
    #[error("needs at least {need} observations, got {got}")]
    TooShort { need: usize, got: usize },
    #[error("interval must be between 0 and 1, got {0}")]
    BadInterval(f64),
    #[error("the least-squares system is singular (constant or too few distinct days)")]
    Singular,
}

/// A fitted model for one series.
#[derive(Clone, Debug)]
pub struct Fit {
    params: Params,
    first_day: f64,
    span: f64,
    changepoints: Vec<f64>,
    beta: Vec<f64>,
    sigma: f64,
    mean_abs_delta: f64,
}

/// Forecast values with their interval and components (components on the fitted scale).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Prediction {
    pub yhat: Vec<f64>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    pub trend: Vec<f64>,
    pub weekly: Vec<f64>,
    pub yearly: Vec<f64>,
    /// The holidays' effect (0 on other days).
    pub holidays: Vec<f64>,
}

const WEEK: f64 = 7.0;
const YEAR: f64 = 365.25;

impl Fit {
    /// Whether the fit has weekly and yearly terms (they turn off for coarse or short data).
    pub(crate) fn seasonalities(&self) -> (bool, bool) {
        (self.params.weekly_order > 0, self.params.yearly_order > 0)
    }

    pub fn mode(&self) -> Mode {
        self.params.mode
    }

    /// A component on the fitted scale as an effect on the values: a percentage for
    /// multiplicative models (seasonality scales the trend), value units for additive ones.
    pub(crate) fn effect(&self, component: f64) -> f64 {
        match self.params.mode {
            Mode::Additive => component,
            Mode::Multiplicative => 100.0 * component.exp_m1(),
        }
    }

    /// The trend on the values' scale.
    pub(crate) fn trend_value(&self, trend: f64) -> f64 {
        self.untransform(trend)
    }

    fn n_features(&self) -> usize {
        2 + self.changepoints.len()
            + 2 * self.params.weekly_order
            + 2 * self.params.yearly_order
            + self.params.holidays.len()
    }

    /// The holiday names the model fitted an effect for.
    pub fn holiday_names(&self) -> impl Iterator<Item = &str> {
        self.params.holidays.by_name.iter().map(|(n, _)| n.as_str())
    }

    /// Each fitted holiday's effect on the fitted scale (see `effect`), in name order.
    pub fn holiday_effects(&self) -> Vec<(&str, f64)> {
        let first = self.n_features() - self.params.holidays.len();
        self.holiday_names()
            .zip(self.beta.get(first..).unwrap_or_default())
            .map(|(n, &b)| (n, b))
            .collect()
    }

    fn scaled(&self, day: f64) -> f64 {
        (day - self.first_day) / self.span
    }

    /// One row of the design matrix for `day`.
    fn features(&self, day: f64, row: &mut Vec<f64>) {
        row.clear();
        let t = self.scaled(day);
        row.push(1.0);
        row.push(t);
        row.extend(self.changepoints.iter().map(|&c| (t - c).max(0.0)));
        for (period, order) in [
            (WEEK, self.params.weekly_order),
            (YEAR, self.params.yearly_order),
        ] {
            // sin(kx), cos(kx) by the angle-addition recurrence: two trig calls per period.
            let (s1, c1) = (std::f64::consts::TAU * (day / period).fract()).sin_cos();
            let (mut sk, mut ck) = (s1, c1);
            for _ in 0..order {
                row.push(sk);
                row.push(ck);
                (sk, ck) = (sk * c1 + ck * s1, ck * c1 - sk * s1);
            }
        }
        self.params.holidays.indicators(day as i32, row);
    }

    fn transform(&self, y: f64) -> f64 {
        match self.params.mode {
            Mode::Additive => y,
            Mode::Multiplicative => y.max(0.0).ln_1p(),
        }
    }

    fn untransform(&self, z: f64) -> f64 {
        match self.params.mode {
            Mode::Additive => z,
            Mode::Multiplicative => z.exp_m1(),
        }
    }
}

/// Fit the model to `(day, value)` observations (days need not be contiguous).
pub fn fit(days: &[i32], values: &[f64], params: &Params) -> Result<Fit, ForecastError> {
    if !(0.0..1.0).contains(&params.interval) || params.interval <= 0.0 {
        return Err(ForecastError::BadInterval(params.interval));
    }
    let n = days.len().min(values.len());
    let need = 28;
    if n < need {
        return Err(ForecastError::TooShort { need, got: n });
    }
    let first = f64::from(*days.iter().min().unwrap_or(&0));
    let last = f64::from(*days.iter().max().unwrap_or(&0));
    let span = (last - first).max(1.0);
    // As Prophet decides by default: no weekly terms for data a week or more apart, no yearly
    // terms for less than two years of history.
    let mut params = params.clone();
    let mut sorted: Vec<i32> = days[..n].to_vec();
    sorted.sort_unstable();
    let mut gaps: Vec<i32> = sorted.windows(2).map(|w| w[1] - w[0]).collect();
    gaps.sort_unstable();
    if gaps.get(gaps.len() / 2).is_some_and(|&g| g >= 7) {
        params.weekly_order = 0;
    }
    if span < 2.0 * YEAR {
        params.yearly_order = 0;
    }
    if !params.holidays.is_empty() {
        params.holidays = std::sync::Arc::new(params.holidays.within(first as i32, last as i32));
    }
    let params = &params;
    let k = params.changepoints;
    let changepoints: Vec<f64> = (1..=k)
        .map(|i| params.changepoint_range * i as f64 / (k + 1) as f64)
        .collect();
    let mut model = Fit {
        params: params.clone(),
        first_day: first,
        span,
        changepoints,
        beta: Vec::new(),
        sigma: 0.0,
        mean_abs_delta: 0.0,
    };
    let p = model.n_features();
    let mut x = DMatrix::<f64>::zeros(n, p);
    let mut z = DVector::<f64>::zeros(n);
    let mut row = Vec::with_capacity(p);
    for i in 0..n {
        model.features(f64::from(days[i]), &mut row);
        for (j, v) in row.iter().enumerate() {
            x[(i, j)] = *v;
        }
        z[i] = model.transform(values[i]);
    }
    let mut xtx = x.transpose() * &x;
    let xtz = x.transpose() * &z;
    // Ridge: strong on slope changes, a touch on everything else for conditioning.
    for j in 0..p {
        let is_changepoint = (2..2 + k).contains(&j);
        xtx[(j, j)] += if is_changepoint {
            params.changepoint_penalty
        } else {
            1e-8 * n as f64
        };
    }
    let beta = xtx.cholesky().ok_or(ForecastError::Singular)?.solve(&xtz);
    let fitted = &x * &beta;
    let rss: f64 = (0..n).map(|i| (z[i] - fitted[i]).powi(2)).sum();
    model.sigma = (rss / (n.saturating_sub(p).max(1)) as f64).sqrt();
    model.beta = beta.iter().copied().collect();
    model.mean_abs_delta =
        model.beta[2..2 + k].iter().map(|d| d.abs()).sum::<f64>() / k.max(1) as f64;
    Ok(model)
}

/// The model's mean and components at `days`, without the interval's simulation (cheap
/// enough for every day of a long history). `lower` and `upper` are left empty.
pub fn components(model: &Fit, days: &[i32]) -> Prediction {
    let k = model.changepoints.len();
    let w = 2 * model.params.weekly_order;
    let y = 2 * model.params.yearly_order;
    let mut out = Prediction::default();
    let mut row = Vec::with_capacity(model.n_features());
    for &day in days {
        model.features(f64::from(day), &mut row);
        let part =
            |range: std::ops::Range<usize>| -> f64 { range.map(|j| row[j] * model.beta[j]).sum() };
        let trend = part(0..2 + k);
        let weekly = part(2 + k..2 + k + w);
        let yearly = part(2 + k + w..2 + k + w + y);
        let holidays = part(2 + k + w + y..row.len());
        out.yhat
            .push(model.untransform(trend + weekly + yearly + holidays));
        out.trend.push(trend);
        out.weekly.push(weekly);
        out.yearly.push(yearly);
        out.holidays.push(holidays);
    }
    out
}

/// Predict `days` (history or future) with the interval: `samples` simulated paths, each with
/// its own future slope changes (as often as in the history's changepoint range, as large on
/// average as the fitted ones, Laplace-distributed, as Prophet simulates them) plus residual
/// noise; the interval is the paths' quantiles at each day.
pub fn predict(model: &Fit, days: &[i32]) -> Prediction {
    let k = model.changepoints.len();
    let mut out = components(model, days);
    let mut rng = ChaCha8Rng::seed_from_u64(model.params.seed);
    let rate = k as f64 / model.params.changepoint_range.max(1e-9);
    let samples = model.params.samples.max(10);
    let alpha = (1.0 - model.params.interval) / 2.0;
    let t: Vec<f64> = days.iter().map(|&d| model.scaled(f64::from(d))).collect();
    let z: Vec<f64> = (0..days.len())
        .map(|i| out.trend[i] + out.weekly[i] + out.yearly[i] + out.holidays[i])
        .collect();
    // The history ends at scaled time 1; changes happen in (1, t_max].
    let t_max = t.iter().copied().fold(1.0, f64::max);
    let mut draws = vec![0.0; days.len() * samples];
    let mut changes: Vec<(f64, f64)> = Vec::new();
    let mut noise = Normals::default();
    for s in 0..samples {
        changes.clear();
        if t_max > 1.0 && model.mean_abs_delta > 0.0 {
            let count = poisson(&mut rng, rate * (t_max - 1.0));
            for _ in 0..count {
                let at = 1.0 + rng.random::<f64>() * (t_max - 1.0);
                changes.push((at, laplace(&mut rng, model.mean_abs_delta)));
            }
        }
        for (i, &ti) in t.iter().enumerate() {
            let extra: f64 = changes
                .iter()
                .filter(|(at, _)| *at < ti)
                .map(|(at, delta)| delta * (ti - at))
                .sum();
            draws[i * samples + s] =
                model.untransform(z[i] + extra + model.sigma * noise.next(&mut rng));
        }
    }
    let lo = ((alpha * (samples - 1) as f64).round() as usize).min(samples - 1);
    let hi = (((1.0 - alpha) * (samples - 1) as f64).round() as usize).min(samples - 1);
    for day in draws.chunks_mut(samples) {
        let (_, &mut l, _) = day.select_nth_unstable_by(lo, f64::total_cmp);
        let (_, &mut h, _) = day.select_nth_unstable_by(hi, f64::total_cmp);
        out.lower.push(l);
        out.upper.push(h);
    }
    out
}

/// Standard normal draws by Box-Muller, both of each pair used.
#[derive(Default)]
struct Normals {
    spare: Option<f64>,
}

impl Normals {
    fn next(&mut self, rng: &mut ChaCha8Rng) -> f64 {
        if let Some(v) = self.spare.take() {
            return v;
        }
        let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
        let u2: f64 = rng.random();
        let r = (-2.0 * u1.ln()).sqrt();
        let (sin, cos) = (std::f64::consts::TAU * u2).sin_cos();
        self.spare = Some(r * sin);
        r * cos
    }
}

fn laplace(rng: &mut ChaCha8Rng, scale: f64) -> f64 {
    let u: f64 = rng.random::<f64>() - 0.5;
    -scale * u.signum() * (1.0 - 2.0 * u.abs()).max(f64::MIN_POSITIVE).ln()
}

fn poisson(rng: &mut ChaCha8Rng, lambda: f64) -> usize {
    // Knuth's method; lambda here is small (a few changepoints per horizon).
    let l = (-lambda).exp();
    let (mut k, mut p) = (0, 1.0);
    loop {
        p *= rng.random::<f64>();
        if p <= l || k > 1000 {
            return k;
        }
        k += 1;
    }
}

#[cfg(test)]
mod tests;
