//! `playbook forecast`: one Prophet-style model per group of a long table (date, value, group
//! columns), all groups in parallel, with an optional holdout that is forecast and scored.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use polars::prelude::*;
use rayon::prelude::*;

use crate::compute::forecast::{self, Mode, Params};
use crate::data::{self, schema};
use crate::export;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ModeArg {
    Multiplicative,
    Additive,
}

#[derive(Args, Debug)]
pub struct ForecastArgs {
    /// Long table (.csv or .parquet): a date column, a value column, optional group columns.
    #[arg(long)]
    pub input: PathBuf,
    #[arg(long, default_value = "date")]
    pub date_col: String,
    #[arg(long, default_value = "sales")]
    pub value_col: String,
    /// Group columns, comma-separated: one model per combination.
    #[arg(long, value_delimiter = ',')]
    pub group: Vec<String>,
    /// Steps to forecast past the end of each series (without --holdout): days for daily data,
    /// months for monthly data.
    #[arg(long, default_value_t = 90)]
    pub horizon: i64,
    #[arg(long, default_value_t = 0.95)]
    pub interval: f64,
    #[arg(long, value_enum, default_value = "multiplicative")]
    pub mode: ModeArg,
    /// Hide the last H days of each series, forecast them and score the forecast.
    #[arg(long)]
    pub holdout: Option<i64>,
    #[arg(long)]
    pub json: bool,
    /// Forecast table: group columns, date, yhat, yhat_lower, yhat_upper, actual.
    #[arg(long)]
    pub out: PathBuf,
}

/// One group's observations, by day.
struct Series {
    key: Vec<String>,
    days: Vec<i32>,
    values: Vec<f64>,
    duplicates: usize,
}

struct Scored {
    key: Vec<String>,
    days: Vec<i32>,
    p: forecast::Prediction,
    actual: Vec<Option<f64>>,
    scores: Option<(f64, f64, f64)>,
}

/// A date written as YYYY-MM-DD, YYYY/MM/DD or YYYY-MM (the first of the month), as days since
/// 1970-01-01.
fn parse_day(text: &str) -> Option<i32> {
    let t = text.trim();
    let date = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(t, "%Y/%m/%d"))
        .or_else(|_| chrono::NaiveDate::parse_from_str(&format!("{t}-01"), "%Y-%m-%d"))
        .ok()?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    i32::try_from((date - epoch).num_days()).ok()
}

fn day_numbers(file: &str, df: &DataFrame, col: &str) -> Result<Vec<Option<i32>>> {
    let c = schema::column(file, df, col)?;
    if c.dtype() == &DataType::Date {
        let phys = c.to_physical_repr();
        return Ok(phys
            .i32()
            .map_err(|e| anyhow::anyhow!("{file}: column '{col}': {e}"))?
            .iter()
            .collect());
    }
    let text = c
        .cast(&DataType::String)
        .map_err(|_| anyhow::anyhow!("{file}: column '{col}' does not hold dates"))?;
    let text = text
        .str()
        .map_err(|e| anyhow::anyhow!("{file}: column '{col}': {e}"))?;
    let mut bad = 0;
    let days = text
        .iter()
        .map(|v| {
            let d = v.and_then(parse_day);
            if v.is_some() && d.is_none() {
                bad += 1;
            }
            d
        })
        .collect();
    if bad > 0 {
        bail!("{file}: column '{col}': {bad} values are not dates (expected YYYY-MM-DD)");
    }
    Ok(days)
}

fn group_series(args: &ForecastArgs, file: &str, df: &DataFrame) -> Result<Vec<Series>> {
    let days = day_numbers(file, df, &args.date_col)?;
    let value_col = schema::column(file, df, &args.value_col)?;
    if !value_col.dtype().is_primitive_numeric() {
        bail!(
            "{file}: column '{}' is {}, not numeric",
            args.value_col,
            value_col.dtype()
        );
    }
    let values: Vec<Option<f64>> = value_col.cast(&DataType::Float64)?.f64()?.iter().collect();
    let keys: Vec<Vec<String>> = args
        .group
        .iter()
        .map(|g| {
            let c = schema::column(file, df, g)?.cast(&DataType::String)?;
            Ok(c.str()?
                .iter()
                .map(|v| v.unwrap_or("").to_owned())
                .collect())
        })
        .collect::<Result<_>>()?;
    let mut groups: BTreeMap<Vec<String>, BTreeMap<i32, (f64, usize)>> = BTreeMap::new();
    for row in 0..df.height() {
        let (Some(day), Some(v)) = (days[row], values[row]) else {
            continue;
        };
        let key: Vec<String> = keys.iter().map(|k| k[row].clone()).collect();
        let cell = groups
            .entry(key)
            .or_default()
            .entry(day)
            .or_insert((0.0, 0));
        cell.0 += v;
        cell.1 += 1;
    }
    Ok(groups
        .into_iter()
        .map(|(key, by_day)| Series {
            key,
            duplicates: by_day.values().map(|(_, n)| n - 1).sum(),
            days: by_day.keys().copied().collect(),
            values: by_day.values().map(|(v, _)| *v).collect(),
        })
        .collect())
}

/// The `horizon` dates after the last one, one step of the series apart: calendar months for
/// monthly data (a median gap of 28 days or more), otherwise the median gap in days.
fn future_days(days: &[i32], horizon: i64) -> Vec<i32> {
    let mut gaps: Vec<i32> = days.windows(2).map(|w| w[1] - w[0]).collect();
    gaps.sort_unstable();
    let step = gaps.get(gaps.len() / 2).copied().unwrap_or(1).max(1);
    let last = days.last().copied().unwrap_or(0);
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1);
    (1..=horizon)
        .map(|k| {
            let monthly = epoch.filter(|_| step >= 28).and_then(|e| {
                let d = e.checked_add_signed(chrono::Duration::days(i64::from(last)))?;
                let m = d.checked_add_months(chrono::Months::new(u32::try_from(k).ok()?))?;
                i32::try_from((m - e).num_days()).ok()
            });
            monthly.unwrap_or(last + step * k as i32)
        })
        .collect()
}

fn run_one(s: &Series, args: &ForecastArgs, params: &Params) -> Result<Scored, String> {
    let last = *s.days.last().ok_or("no observations")?;
    let (train_days, train_values, target, actual) = match args.holdout {
        Some(h) => {
            let cut = s
                .days
                .partition_point(|&d| i64::from(d) <= i64::from(last) - h);
            (
                &s.days[..cut],
                &s.values[..cut],
                s.days[cut..].to_vec(),
                s.values[cut..].iter().map(|v| Some(*v)).collect(),
            )
        }
        None => (
            &s.days[..],
            &s.values[..],
            future_days(&s.days, args.horizon),
            vec![None; args.horizon as usize],
        ),
    };
    let model = forecast::fit(train_days, train_values, params).map_err(|e| e.to_string())?;
    let p = forecast::predict(&model, &target);
    let scores = args.holdout.map(|_| {
        let a: Vec<f64> = actual.iter().flatten().copied().collect();
        (
            forecast::smape(&a, &p.yhat),
            forecast::mase(&a, &p.yhat, train_values, 7),
            forecast::coverage(&a, &p.lower, &p.upper),
        )
    });
    Ok(Scored {
        key: s.key.clone(),
        days: target,
        p,
        actual,
        scores,
    })
}

pub fn run(args: &ForecastArgs) -> Result<()> {
    if args.horizon < 1 || args.holdout.is_some_and(|h| h < 1) {
        bail!("--horizon and --holdout must be at least 1 day");
    }
    let params = Params {
        mode: match args.mode {
            ModeArg::Multiplicative => Mode::Multiplicative,
            ModeArg::Additive => Mode::Additive,
        },
        interval: args.interval,
        ..Params::default()
    };
    let ds = data::load_path(&args.input)?;
    let series = group_series(args, &ds.name, &ds.frame)?;
    let started = Instant::now();
    let results: Vec<(Vec<String>, Result<Scored, String>)> = series
        .par_iter()
        .map(|s| (s.key.clone(), run_one(s, args, &params)))
        .collect();
    let seconds = started.elapsed().as_secs_f64();
    let duplicates: usize = series.iter().map(|s| s.duplicates).sum();
    let (ok, failed): (Vec<_>, Vec<_>) = results.into_iter().partition(|(_, r)| r.is_ok());
    let ok: Vec<Scored> = ok.into_iter().filter_map(|(_, r)| r.ok()).collect();
    let failed: Vec<String> = failed
        .into_iter()
        .map(|(k, r)| format!("{}: {}", k.join("/"), r.err().unwrap_or_default()))
        .collect();
    if ok.is_empty() {
        bail!(
            "{}: no series could be forecast ({})",
            ds.name,
            failed.first().cloned().unwrap_or_default()
        );
    }
    write_table(args, &ok, &args.out)?;
    let mean = |f: fn(&(f64, f64, f64)) -> f64| {
        let v: Vec<f64> = ok
            .iter()
            .filter_map(|s| s.scores.as_ref())
            .map(f)
            .filter(|x| x.is_finite())
            .collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    let (smape, mase, coverage) = (mean(|s| s.0), mean(|s| s.1), mean(|s| s.2));
    if args.json {
        let v = serde_json::json!({
            "series": ok.len(),
            "failed": failed,
            "duplicate_dates_summed": duplicates,
            "seconds": seconds,
            "smape": smape,
            "mase": mase,
            "coverage": coverage,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!("{} series forecast in {seconds:.2} s", ok.len());
        if let (Some(s), Some(m), Some(c)) = (smape, mase, coverage) {
            println!("holdout: sMAPE {s:.2}, MASE {m:.3}, interval coverage {c:.3}");
        }
        if duplicates > 0 {
            println!("{duplicates} duplicate dates were summed");
        }
        for f in &failed {
            println!("failed: {f}");
        }
    }
    Ok(())
}

fn write_table(args: &ForecastArgs, ok: &[Scored], out: &std::path::Path) -> Result<()> {
    let n: usize = ok.iter().map(|s| s.days.len()).sum();
    let mut columns: Vec<Column> = args
        .group
        .iter()
        .enumerate()
        .map(|(g, name)| {
            let v: Vec<&str> = ok
                .iter()
                .flat_map(|s| std::iter::repeat_n(s.key[g].as_str(), s.days.len()))
                .collect();
            Column::new(name.as_str().into(), v)
        })
        .collect();
    let flat = |f: fn(&Scored) -> &Vec<f64>| -> Vec<f64> {
        ok.iter().flat_map(|s| f(s).iter().copied()).collect()
    };
    let days: Vec<i32> = ok.iter().flat_map(|s| s.days.iter().copied()).collect();
    columns.push(Column::new("date".into(), days).cast(&DataType::Date)?);
    columns.push(Column::new("yhat".into(), flat(|s| &s.p.yhat)));
    columns.push(Column::new("yhat_lower".into(), flat(|s| &s.p.lower)));
    columns.push(Column::new("yhat_upper".into(), flat(|s| &s.p.upper)));
    let actual: Vec<Option<f64>> = ok.iter().flat_map(|s| s.actual.iter().copied()).collect();
    columns.push(Column::new("actual".into(), actual));
    debug_assert_eq!(columns.last().map(|c| c.len()), Some(n));
    export::write_table(&DataFrame::new_infer_height(columns)?, out)?;
    Ok(())
}
