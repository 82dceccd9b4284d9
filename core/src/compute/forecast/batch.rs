//! Fine-grained forecasting: one model per group of a long table, all groups in parallel
//! (rayon) with progress and cancel, each next to the seasonal naive baseline. With a holdout
//! the last H steps of every series are hidden, forecast and scored. The CLI and the Forecast
//! panel both run this.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use polars::prelude::*;
use rayon::prelude::*;

use super::naive::seasonal_naive;
use super::series::Series;
use super::{Fit, Params, Prediction, coverage, fit, mase, predict, smape};
use crate::compute::{Cancelled, Progress, check};

/// What to forecast.
#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    /// Steps past the end of each series when there is no holdout.
    pub horizon: usize,
    /// Hide, forecast and score the last H steps of each series.
    pub holdout: Option<usize>,
    pub params: Params,
}

/// The models compared in one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    /// Trend + weekly + yearly seasonality (`compute::forecast::fit`).
    Playbook,
    SeasonalNaive,
}

impl Model {
    pub const ALL: [Model; 2] = [Model::Playbook, Model::SeasonalNaive];

    pub fn name(self) -> &'static str {
        match self {
            Model::Playbook => "playbook",
            Model::SeasonalNaive => "seasonal naive",
        }
    }
}

/// Holdout accuracy of one forecast.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scores {
    pub smape: f64,
    pub mase: f64,
    pub coverage: f64,
}

/// One model's forecast of the target days.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Forecast {
    pub yhat: Vec<f64>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    pub scores: Option<Scores>,
}

/// Everything about one group's run.
#[derive(Clone, Debug)]
pub struct GroupForecast {
    pub key: Vec<String>,
    /// The observations the models were fitted on.
    pub train_days: Vec<i32>,
    pub train_values: Vec<f64>,
    /// The forecast dates (the held-out ones, or the future).
    pub days: Vec<i32>,
    /// The held-out values (None past the end of the data).
    pub actual: Vec<Option<f64>>,
    pub model: Fit,
    /// The main model's forecast with its components.
    pub prediction: Prediction,
    pub main: Forecast,
    pub naive: Forecast,
    pub missing: usize,
    pub duplicates: usize,
}

impl GroupForecast {
    pub fn forecast(&self, model: Model) -> &Forecast {
        match model {
            Model::Playbook => &self.main,
            Model::SeasonalNaive => &self.naive,
        }
    }
}

/// The result of a run over every group.
#[derive(Clone, Debug, Default)]
pub struct Batch {
    pub groups: Vec<GroupForecast>,
    /// Groups that could not be forecast, with the reason.
    pub failed: Vec<(Vec<String>, String)>,
    pub seconds: f64,
    /// The group columns' types in the input: the output tables give the keys back in them
    /// (an integer `store` stays an integer), where the text converts back.
    pub key_types: Vec<DataType>,
    /// The day the models were fitted (days since 1970, UTC): the forecast table's
    /// `training_date`, so runs appended to one table stay apart (as the book keeps them).
    pub trained_day: i32,
}

/// Today (UTC) in days since 1970.
fn today() -> i32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| (d.as_secs() / 86_400) as i32)
}

/// A group key column, in its input type when the text converts back to it.
fn key_column(name: &str, values: Vec<&str>, dtype: Option<&DataType>) -> Column {
    let text = Column::new(name.into(), values);
    match dtype {
        Some(t) if *t != DataType::String => text.strict_cast(t).unwrap_or(text),
        _ => text,
    }
}

impl Batch {
    /// Mean holdout scores of `model` over the groups (NaN scores left out).
    pub fn mean(&self, model: Model) -> Option<Scores> {
        let scores: Vec<Scores> = self
            .groups
            .iter()
            .filter_map(|g| g.forecast(model).scores)
            .collect();
        let mean = |f: fn(&Scores) -> f64| {
            let v: Vec<f64> = scores.iter().map(f).filter(|x| x.is_finite()).collect();
            if v.is_empty() {
                f64::NAN
            } else {
                v.iter().sum::<f64>() / v.len() as f64
            }
        };
        (!scores.is_empty()).then(|| Scores {
            smape: mean(|s| s.smape),
            mase: mean(|s| s.mase),
            coverage: mean(|s| s.coverage),
        })
    }

    pub fn duplicates(&self) -> usize {
        self.groups.iter().map(|g| g.duplicates).sum()
    }

    pub fn missing(&self) -> usize {
        self.groups.iter().map(|g| g.missing).sum()
    }

    /// The forecast table, one row per group and day: the group columns, date, yhat with its
    /// interval, the actual value where held out, and the training date.
    pub fn forecast_frame(&self, group_cols: &[String]) -> PolarsResult<DataFrame> {
        let gs = &self.groups;
        let mut columns: Vec<Column> = group_cols
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let v: Vec<&str> = gs
                    .iter()
                    .flat_map(|g| std::iter::repeat_n(g.key[i].as_str(), g.days.len()))
                    .collect();
                key_column(name, v, self.key_types.get(i))
            })
            .collect();
        let flat = |f: fn(&GroupForecast) -> &Vec<f64>| -> Vec<f64> {
            gs.iter().flat_map(|g| f(g).iter().copied()).collect()
        };
        let days: Vec<i32> = gs.iter().flat_map(|g| g.days.iter().copied()).collect();
        let days_len = days.len();
        columns.push(Column::new("date".into(), days).cast(&DataType::Date)?);
        columns.push(Column::new("yhat".into(), flat(|g| &g.main.yhat)));
        columns.push(Column::new("yhat_lower".into(), flat(|g| &g.main.lower)));
        columns.push(Column::new("yhat_upper".into(), flat(|g| &g.main.upper)));
        let actual: Vec<Option<f64>> = gs.iter().flat_map(|g| g.actual.clone()).collect();
        columns.push(Column::new("actual".into(), actual));
        columns.push(
            Column::new("training_date".into(), vec![self.trained_day; days_len])
                .cast(&DataType::Date)?,
        );
        DataFrame::new_infer_height(columns)
    }

    /// One row per group: the group columns, then sMAPE, MASE and coverage of each model.
    pub fn accuracy_frame(&self, group_cols: &[String]) -> PolarsResult<DataFrame> {
        let gs = &self.groups;
        let mut columns: Vec<Column> = group_cols
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let v: Vec<&str> = gs.iter().map(|g| g.key[i].as_str()).collect();
                key_column(name, v, self.key_types.get(i))
            })
            .collect();
        for model in Model::ALL {
            let tag = model.name().replace(' ', "_");
            let pick = |f: fn(&Scores) -> f64| -> Vec<Option<f64>> {
                gs.iter()
                    .map(|g| g.forecast(model).scores.as_ref().map(f))
                    .collect()
            };
            columns.push(Column::new(
                format!("{tag}_smape").into(),
                pick(|s| s.smape),
            ));
            columns.push(Column::new(format!("{tag}_mase").into(), pick(|s| s.mase)));
            columns.push(Column::new(
                format!("{tag}_coverage").into(),
                pick(|s| s.coverage),
            ));
        }
        DataFrame::new_infer_height(columns)
    }
}

fn score(actual: &[Option<f64>], f: &mut Forecast, history: &[f64], season: usize) {
    let a: Vec<f64> = actual.iter().flatten().copied().collect();
    if a.len() != actual.len() || a.is_empty() || f.yhat.len() != a.len() {
        return;
    }
    f.scores = Some(Scores {
        smape: smape(&a, &f.yhat),
        mase: mase(&a, &f.yhat, history, season),
        coverage: coverage(&a, &f.lower, &f.upper),
    });
}

fn run_one(s: &Series, spec: &Spec) -> Result<GroupForecast, String> {
    if s.days.is_empty() {
        return Err("no observations".into());
    }
    let (cut, days, actual) = match spec.holdout {
        Some(h) => {
            let cut = s.holdout_start(h);
            let actual = s.values[cut..].iter().map(|v| Some(*v)).collect();
            (cut, s.days[cut..].to_vec(), actual)
        }
        None => (
            s.days.len(),
            s.future_days(spec.horizon),
            vec![None; spec.horizon],
        ),
    };
    let (train_days, train_values) = (&s.days[..cut], &s.values[..cut]);
    let season = s.season();
    if train_values.len() < 2 * season {
        return Err(format!(
            "{} observations to fit, fewer than two seasons ({})",
            train_values.len(),
            2 * season
        ));
    }
    let model = fit(train_days, train_values, &spec.params).map_err(|e| e.to_string())?;
    let prediction = predict(&model, &days);
    let mut main = Forecast {
        yhat: prediction.yhat.clone(),
        lower: prediction.lower.clone(),
        upper: prediction.upper.clone(),
        scores: None,
    };
    let (yhat, lower, upper) =
        seasonal_naive(train_values, season, days.len(), spec.params.interval);
    let mut naive = Forecast {
        yhat,
        lower,
        upper,
        scores: None,
    };
    score(&actual, &mut main, train_values, season);
    score(&actual, &mut naive, train_values, season);
    Ok(GroupForecast {
        key: s.key.clone(),
        train_days: train_days.to_vec(),
        train_values: train_values.to_vec(),
        days,
        actual,
        model,
        prediction,
        main,
        naive,
        missing: s.missing(),
        duplicates: s.duplicates,
    })
}

/// Forecast every series in parallel. Failures of single groups are listed in the result;
/// only cancelling stops the run.
pub fn run(series: &[Series], spec: &Spec, progress: &dyn Progress) -> Result<Batch, Cancelled> {
    let started = Instant::now();
    let done = AtomicUsize::new(0);
    let total = series.len().max(1);
    let results: Vec<Option<Result<GroupForecast, String>>> = series
        .par_iter()
        .map(|s| {
            if progress.cancelled() {
                return None;
            }
            let r = run_one(s, spec);
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            progress.report(
                n as f32 / total as f32,
                &format!("{n} of {total} series forecast"),
            );
            Some(r)
        })
        .collect();
    check(progress)?;
    let mut batch = Batch {
        trained_day: today(),
        ..Batch::default()
    };
    for (s, r) in series.iter().zip(results) {
        match r {
            Some(Ok(g)) => batch.groups.push(g),
            Some(Err(e)) => batch.failed.push((s.key.clone(), e)),
            None => return Err(Cancelled),
        }
    }
    batch.seconds = started.elapsed().as_secs_f64();
    Ok(batch)
}
