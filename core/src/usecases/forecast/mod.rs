//! The forecast use case: a long table (date, value, group columns) becomes one clean series per
//! group; every group gets a Prophet-style model and the seasonal naive baseline, in parallel,
//! with an optional holdout that is forecast and scored (sMAPE, MASE, interval coverage).
//! `charts` turns the result into the panel's and the demo's charts.

pub mod charts;

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

use super::record::{Recordable, metrics};
use super::{Bound, ParamError, non_empty};
use crate::compute::Progress;
use crate::compute::forecast::batch::{self, Batch, Model, Spec};
use crate::compute::forecast::cv::{CvResult, CvSpec, cross_validate};
use crate::compute::forecast::holidays::{self, Holidays};
use crate::compute::forecast::series::group_series;
use crate::compute::forecast::series::parse_day;
use crate::compute::forecast::{Mode, Params};
use crate::data::Dataset;
use crate::runs::Curve;
use polars::prelude::DataType;

pub const ID: &str = "forecast";

/// Steps forecast past the end (days for daily data, months for monthly data).
pub const HORIZON: Bound<usize> = Bound::new("horizon", 1, 3650);
pub(crate) const HOLDOUT: Bound<usize> = Bound::new("holdout", 1, 3650);
pub const INTERVAL: Bound<f64> = Bound::new("interval", 0.5, 0.99);
pub const CV_HORIZON: Bound<usize> = Bound::new("cross-validation horizon", 1, 3650);
pub const CV_FOLDS: Bound<usize> = Bound::new("cross-validation folds", 1, 100);
pub const CV_PERIOD: Bound<usize> = Bound::new("cross-validation period", 1, 3650);

/// What a user chooses for a forecast run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ForecastParams {
    pub date_col: String,
    pub value_col: String,
    /// One model per combination of these columns' values.
    pub group: Vec<String>,
    pub horizon: usize,
    /// Hide, forecast and score the last H steps of each series.
    pub holdout: Option<usize>,
    pub interval: f64,
    pub mode: Mode,
    /// Rolling-origin cross-validation: forecast this many steps from each of `cv_folds`
    /// origins `cv_period` steps apart (default: the horizon) and score by step. None: off.
    pub cv_horizon: Option<usize>,
    pub cv_folds: usize,
    pub cv_period: Option<usize>,
    /// The bundled US federal holidays as effects.
    pub us_holidays: bool,
    /// Holidays of the user's own: one effect per name on its dates (Prophet's `holidays`).
    pub holidays: Vec<HolidayDate>,
}

/// One date of a named holiday.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HolidayDate {
    /// YYYY-MM-DD.
    pub date: String,
    pub name: String,
}

impl Default for ForecastParams {
    fn default() -> Self {
        Self {
            date_col: "date".into(),
            value_col: "sales".into(),
            group: vec!["store".into(), "item".into()],
            horizon: 90,
            holdout: Some(90),
            interval: 0.95,
            mode: Mode::Multiplicative,
            cv_horizon: None,
            cv_folds: 3,
            cv_period: None,
            us_holidays: false,
            holidays: Vec::new(),
        }
    }
}

/// Params that passed `check`.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidForecastParams {
    params: ForecastParams,
    spec: Spec,
    cv: Option<CvSpec>,
}

impl ValidForecastParams {
    pub fn params(&self) -> &ForecastParams {
        &self.params
    }

    pub fn spec(&self) -> &Spec {
        &self.spec
    }
}

pub fn check(p: &ForecastParams) -> Result<ValidForecastParams, ParamError> {
    non_empty("date column", &p.date_col)?;
    non_empty("value column", &p.value_col)?;
    for (i, g) in p.group.iter().enumerate() {
        if p.group[..i].contains(g) || *g == p.date_col || *g == p.value_col {
            return Err(ParamError::Invalid {
                name: "group columns",
                why: format!("'{g}' is given twice (as a group, date or value column)"),
            });
        }
    }
    let horizon = HORIZON.check(p.horizon)?;
    let holdout = p.holdout.map(|h| HOLDOUT.check(h)).transpose()?;
    let interval = INTERVAL.check(p.interval)?;
    let cv = match p.cv_horizon {
        None => None,
        Some(h) => {
            let horizon = CV_HORIZON.check(h)?;
            Some(CvSpec {
                horizon,
                folds: CV_FOLDS.check(p.cv_folds)?,
                period: CV_PERIOD.check(p.cv_period.unwrap_or(horizon))?,
            })
        }
    };
    let holidays = holidays_of(p)?;
    Ok(ValidForecastParams {
        cv,
        params: p.clone(),
        spec: Spec {
            horizon,
            holdout,
            params: Params {
                mode: p.mode,
                interval,
                holidays: std::sync::Arc::new(holidays),
                ..Params::default()
            },
        },
    })
}

/// A holiday table's dates and names (columns `ds` or `date`, `holiday` or `name`, Prophet's
/// layout), as params.
pub fn holiday_table(file: &str, df: &polars::prelude::DataFrame) -> Result<Vec<HolidayDate>> {
    let pick = |names: [&'static str; 2]| -> Result<&'static str> {
        names
            .into_iter()
            .find(|n| df.column(n).is_ok())
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "{file}: no '{}' or '{}' column (a holiday table has dates and names)",
                    names[0],
                    names[1]
                )
            })
    };
    let (date_col, name_col) = (pick(["ds", "date"])?, pick(["holiday", "name"])?);
    if df.height() > holidays::MAX_DAYS {
        bail!(
            "{file}: {} rows, more than the {} dates a holiday table may hold",
            df.height(),
            holidays::MAX_DAYS
        );
    }
    let days = crate::compute::forecast::series::day_numbers(file, df, date_col)?;
    let names = df.column(name_col)?.cast(&DataType::String)?;
    let mut out = Vec::with_capacity(days.len());
    for (i, (day, name)) in days.iter().zip(names.str()?.iter()).enumerate() {
        let (Some(day), Some(name)) = (day, name) else {
            bail!("{file}: row {} has no date or no name", i + 1);
        };
        out.push(HolidayDate {
            date: crate::format::date(f64::from(*day)),
            name: name.to_owned(),
        });
    }
    Ok(out)
}

/// The holidays the params ask for, checked: dates that read, at most `MAX_DAYS` dates and
/// `MAX_NAMES` names, no empty name.
fn holidays_of(p: &ForecastParams) -> Result<Holidays, ParamError> {
    let bad = |why: String| ParamError::Invalid {
        name: "holidays",
        why,
    };
    if p.holidays.len() > holidays::MAX_DAYS {
        return Err(bad(format!(
            "{} dates, more than {}",
            p.holidays.len(),
            holidays::MAX_DAYS
        )));
    }
    let mut rows = Vec::with_capacity(p.holidays.len());
    for h in &p.holidays {
        let day = parse_day(&h.date)
            .ok_or_else(|| bad(format!("'{}' is not a date (YYYY-MM-DD)", h.date)))?;
        if h.name.trim().is_empty() {
            return Err(bad(format!("the holiday on {} has no name", h.date)));
        }
        rows.push((h.name.trim().to_owned(), day));
    }
    if p.us_holidays {
        rows.extend(
            holidays::us_federal(1900..=2100)
                .by_name
                .into_iter()
                .flat_map(|(n, days)| days.into_iter().map(move |d| (n.clone(), d))),
        );
    }
    let h = Holidays::from_rows(rows);
    if h.len() > holidays::MAX_NAMES {
        return Err(bad(format!(
            "{} names, more than {}",
            h.len(),
            holidays::MAX_NAMES
        )));
    }
    Ok(h)
}

/// Every group's forecast and scores.
pub struct ForecastOutput {
    pub dataset: String,
    pub value_col: String,
    pub group: Vec<String>,
    pub spec: Spec,
    pub batch: Batch,
    /// The rolling-origin cross-validation, when asked for.
    pub cv: Option<CvResult>,
}

/// Split the table into series and forecast each; an error when no series could be forecast.
pub fn run(
    v: &ValidForecastParams,
    data: &Dataset,
    progress: &dyn Progress,
) -> Result<ForecastOutput> {
    let p = &v.params;
    progress.report(0.0, "splitting the table into series");
    let series = group_series(&data.name, &data.frame, &p.date_col, &p.value_col, &p.group)?;
    if p.mode == Mode::Multiplicative {
        let negative: usize = series
            .iter()
            .map(|s| s.values.iter().filter(|v| **v < 0.0).count())
            .sum();
        if negative > 0 {
            bail!(
                "{}: column '{}' has {negative} negative values; multiplicative seasonality \
                 scales a positive level, so use the additive mode (--mode additive)",
                data.name,
                p.value_col
            );
        }
    }
    let mut batch = batch::run(&series, &v.spec, progress)?;
    batch.key_types = p
        .group
        .iter()
        .map(|g| {
            data.frame
                .column(g)
                .map_or(DataType::String, |c| c.dtype().clone())
        })
        .collect();
    if batch.groups.is_empty() {
        let why = batch
            .failed
            .first()
            .map(|(_, e)| e.clone())
            .unwrap_or_default();
        bail!("{}: no series could be forecast ({why})", data.name);
    }
    let cv = match &v.cv {
        None => None,
        Some(spec) => {
            progress.report(0.0, "cross-validating");
            let r = cross_validate(&series, spec, &v.spec.params, progress)?;
            if r.series == 0 {
                let why = r
                    .skipped
                    .first()
                    .map(|(_, e)| e.clone())
                    .unwrap_or_default();
                bail!("{}: no series could be cross-validated ({why})", data.name);
            }
            Some(r)
        }
    };
    Ok(ForecastOutput {
        cv,
        dataset: data.name.clone(),
        value_col: p.value_col.clone(),
        group: p.group.clone(),
        spec: v.spec.clone(),
        batch,
    })
}

impl ForecastOutput {
    /// The groups that failed, as "store/item: reason".
    pub fn failed(&self) -> Vec<String> {
        self.batch
            .failed
            .iter()
            .map(|(k, e)| match k.join("/") {
                key if key.is_empty() => e.clone(),
                key => format!("{key}: {e}"),
            })
            .collect()
    }
}

impl Recordable for ForecastOutput {
    /// The total over every series (its forecast and actuals).
    fn charts(&self) -> Vec<crate::chart::Chart> {
        vec![charts::total_chart(&self.batch, &self.value_col, false)]
    }

    fn metrics(&self) -> serde_json::Map<String, serde_json::Value> {
        let b = &self.batch;
        let mut m = metrics([
            ("series", b.groups.len() as f64),
            ("failed", b.failed.len() as f64),
            ("compute_seconds", b.seconds),
        ]);
        if let Some(s) = b.mean(Model::Playbook) {
            m.extend(metrics([
                ("smape", s.smape),
                ("mase", s.mase),
                ("coverage", s.coverage),
            ]));
        }
        if let Some(s) = b.mean(Model::SeasonalNaive) {
            m.extend(metrics([("naive_smape", s.smape), ("naive_mase", s.mase)]));
        }
        if let Some((smape, mase, coverage)) =
            self.cv.as_ref().and_then(|c| c.mean(Model::Playbook))
        {
            m.extend(metrics([
                ("cv_smape", smape),
                ("cv_mase", mase),
                ("cv_coverage", coverage),
            ]));
        }
        m
    }

    /// The share of series whose holdout sMAPE is at most x: one curve per run to overlay.
    fn curves(&self) -> Vec<Curve> {
        let mut s: Vec<f64> = self
            .batch
            .groups
            .iter()
            .filter_map(|g| g.forecast(Model::Playbook).scores.map(|s| s.smape))
            .filter(|x| x.is_finite())
            .collect();
        if s.is_empty() {
            return Vec::new();
        }
        s.sort_by(f64::total_cmp);
        let n = s.len() as f64;
        vec![Curve {
            chart: "holdout sMAPE across series".into(),
            x_label: "sMAPE".into(),
            y_label: "share of series at most".into(),
            points: s
                .iter()
                .enumerate()
                .map(|(i, &x)| (x, (i + 1) as f64 / n))
                .collect(),
        }]
    }
}
