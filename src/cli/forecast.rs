//! `playbook forecast`: one Prophet-style model per group of a long table (date, value, group
//! columns), all groups in parallel, with an optional holdout that is forecast and scored.

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;

use super::RecordRuns;
use super::outputs::{self, Kind, Output};
use crate::compute::forecast::Mode;
use crate::compute::forecast::batch::Model;
use crate::export;
use crate::runs::of_dataset;
use crate::usecases::analysis::Forecast;
use crate::usecases::forecast::{self as usecase, ForecastParams};
use crate::usecases::record::written;

flag_enum! {
    ModeArg mirrors Mode { Multiplicative, Additive }
}

#[derive(Args, Debug)]
pub struct ForecastArgs {
    /// Long table (.csv or .parquet): a date column, a value column, optional group columns.
    #[arg(long)]
    pub input: PathBuf,
    #[arg(long, default_value_t = ForecastParams::default().date_col)]
    pub date_col: String,
    #[arg(long, default_value_t = ForecastParams::default().value_col)]
    pub value_col: String,
    /// Group columns, comma-separated: one model per combination.
    #[arg(long, value_delimiter = ',')]
    pub group: Vec<String>,
    /// Steps to forecast past the end of each series (without --holdout): days for daily data,
    /// months for monthly data.
    #[arg(long, default_value_t = ForecastParams::default().horizon as i64)]
    pub horizon: i64,
    #[arg(long, default_value_t = ForecastParams::default().interval)]
    pub interval: f64,
    #[arg(long, value_enum, default_value_t = ForecastParams::default().mode.into())]
    pub mode: ModeArg,
    /// Hide the last H steps of each series (days; months for monthly data), forecast them and
    /// score the forecast.
    #[arg(long)]
    pub holdout: Option<i64>,
    #[arg(long)]
    pub json: bool,
    /// Forecast table: group columns, date, yhat, yhat_lower, yhat_upper, actual.
    #[arg(long)]
    pub out: PathBuf,
    /// Accuracy per group and model (with --holdout): sMAPE, MASE, coverage.
    #[arg(long)]
    pub accuracy_out: Option<PathBuf>,
    /// Rolling-origin cross-validation: steps forecast from each origin (as Prophet's
    /// `cross_validation`); scores by step are printed and written with --cv-out.
    #[arg(long)]
    pub cv_horizon: Option<i64>,
    /// Origins per series, the last one --cv-horizon steps before its end.
    #[arg(long, default_value_t = ForecastParams::default().cv_folds as i64)]
    pub cv_folds: i64,
    /// Steps between origins (default: --cv-horizon).
    #[arg(long)]
    pub cv_period: Option<i64>,
    /// The cross-validation by step: model, step, n, smape, mase, coverage.
    #[arg(long)]
    pub cv_out: Option<PathBuf>,
    /// Holiday effects: `us` for the bundled US federal calendar, or a table (.csv or
    /// .parquet) of dates and names (`ds`/`date` and `holiday`/`name`, Prophet's layout);
    /// may be given twice.
    #[arg(long)]
    pub holidays: Vec<String>,
}

/// The holiday table `path`, as params.
fn holiday_table(path: &std::path::Path) -> Result<Vec<usecase::HolidayDate>> {
    let ds = super::load(path)?;
    usecase::holiday_table(&ds.name, &ds.frame)
}

pub fn run(args: &ForecastArgs, record: RecordRuns) -> Result<()> {
    if args.horizon < 1 || args.holdout.is_some_and(|h| h < 1) {
        bail!("--horizon and --holdout must be at least 1");
    }
    let mut outs = vec![Output::new("--out", &args.out, Kind::Table)];
    if let Some(path) = &args.accuracy_out {
        if args.holdout.is_none() {
            bail!("--accuracy-out needs --holdout: without one nothing is scored");
        }
        outs.push(Output::new("--accuracy-out", path, Kind::Table));
    }
    if let Some(path) = &args.cv_out {
        if args.cv_horizon.is_none() {
            bail!("--cv-out needs --cv-horizon: without one nothing is cross-validated");
        }
        outs.push(Output::new("--cv-out", path, Kind::Table));
    }
    let whole = |flag: &str, v: i64| {
        usize::try_from(v).map_err(|_| anyhow::anyhow!("{flag} must be at least 1, got {v}"))
    };
    let tables: Vec<PathBuf> = args
        .holidays
        .iter()
        .filter(|h| !h.eq_ignore_ascii_case("us"))
        .map(PathBuf::from)
        .collect();
    let mut inputs = vec![args.input.as_path()];
    inputs.extend(tables.iter().map(PathBuf::as_path));
    outputs::check(&inputs, &outs)?;
    let mut holidays = Vec::new();
    for t in &tables {
        holidays.extend(holiday_table(t)?);
    }
    let params = ForecastParams {
        date_col: args.date_col.clone(),
        value_col: args.value_col.clone(),
        group: args.group.clone(),
        horizon: usize::try_from(args.horizon)?,
        holdout: args.holdout.map(usize::try_from).transpose()?,
        interval: args.interval,
        mode: args.mode.into(),
        cv_horizon: args
            .cv_horizon
            .map(|v| whole("--cv-horizon", v))
            .transpose()?,
        cv_folds: whole("--cv-folds", args.cv_folds)?,
        cv_period: args
            .cv_period
            .map(|v| whole("--cv-period", v))
            .transpose()?,
        us_holidays: args.holidays.iter().any(|h| h.eq_ignore_ascii_case("us")),
        holidays: holidays.clone(),
    };
    let valid = usecase::check(&params)?;
    let ds = super::load(&args.input)?;
    let out = record.analyse::<Forecast>(
        &params,
        &valid,
        &ds,
        vec![of_dataset("table", &ds)],
        |out| {
            export::write_table(&out.batch.forecast_frame(&args.group)?, &args.out)?;
            let mut artifacts = vec![written("forecast", &args.out)];
            if let Some(path) = &args.accuracy_out {
                export::write_table(&out.batch.accuracy_frame(&args.group)?, path)?;
                artifacts.push(written("accuracy per series", path));
            }
            if let (Some(path), Some(cv)) = (&args.cv_out, &out.cv) {
                export::write_table(&cv.frame()?, path)?;
                artifacts.push(written("cross-validation by step", path));
            }
            Ok(artifacts)
        },
    )?;
    let result = &out.batch;
    let failed = out.failed();
    let main = result.mean(Model::Playbook);
    let naive = result.mean(Model::SeasonalNaive);
    let finite = |x: f64| x.is_finite().then_some(x);
    if args.json {
        let v = serde_json::json!({
            "series": result.groups.len(),
            "failed": failed,
            "duplicate_dates_summed": result.duplicates(),
            "missing_steps": result.missing(),
            "seconds": result.seconds,
            "smape": main.and_then(|s| finite(s.smape)),
            "mase": main.and_then(|s| finite(s.mase)),
            "coverage": main.and_then(|s| finite(s.coverage)),
            "seasonal_naive": naive.map(|s| serde_json::json!({
                "smape": finite(s.smape),
                "mase": finite(s.mase),
                "coverage": finite(s.coverage),
            })),
            "cv": out.cv.as_ref().map(|c| serde_json::json!({
                "series": c.series,
                "fits": c.fits,
                "skipped": c.skipped.len(),
                "by_step": c.by_step.iter().map(|s| serde_json::json!({
                    "model": s.model.name(),
                    "step": s.step,
                    "n": s.n,
                    "smape": finite(s.smape),
                    "mase": finite(s.mase),
                    "coverage": finite(s.coverage),
                })).collect::<Vec<_>>(),
            })),
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!(
            "{} series forecast in {:.2} s",
            result.groups.len(),
            result.seconds
        );
        for (model, s) in [(Model::Playbook, main), (Model::SeasonalNaive, naive)] {
            if let Some(s) = s {
                println!(
                    "holdout, {}: sMAPE {:.2}, MASE {:.3}, interval coverage {:.3}",
                    model.name(),
                    s.smape,
                    s.mase,
                    s.coverage
                );
            }
        }
        if result.duplicates() > 0 {
            println!("{} duplicate dates were summed", result.duplicates());
        }
        if result.missing() > 0 {
            println!("{} missing dates inside the series", result.missing());
        }
        for f in &failed {
            println!("failed: {f}");
        }
        if let Some(cv) = &out.cv {
            println!(
                "cross-validation: {} series x {} folds ({} skipped)",
                cv.series,
                cv.fits / cv.series.max(1),
                cv.skipped.len()
            );
            for model in [Model::Playbook, Model::SeasonalNaive] {
                if let Some((smape, mase, coverage)) = cv.mean(model) {
                    println!(
                        "  {} over all steps: sMAPE {smape:.2}, MASE {mase:.3}, coverage \
                         {coverage:.3}",
                        model.name()
                    );
                }
            }
        }
    }
    Ok(())
}
