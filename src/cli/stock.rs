//! `playbook stock ...`: out-of-stock alerts, the per-store weekly summary, and alerts scored
//! against a generator's truth table, all through `usecases::stock` like the Stock panel.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand};

use super::RecordRuns;
use super::outputs::{self, Kind, Output};
use crate::compute::stock::{Columns, Thresholds, ZeroScope};
use crate::export;
use crate::runs::of_dataset;
use crate::usecases::analysis::StockAlerts;
use crate::usecases::record::written;
use crate::usecases::stock::{self as usecase, StockOutput, StockParams, tables};

flag_enum! {
    ScopeArg mirrors ZeroScope {
        /// The threshold applies to the chance of a run this long anywhere in the history.
        History,
        /// The book's figure: the chance of the run alone.
        PerRun,
    }
}

/// The input table, its columns and the detectors' thresholds.
#[derive(Args, Debug)]
// Every default below is the use case's own (`Columns` and `Thresholds`), written once.
pub struct StockArgs {
    /// Daily rows: date, store, SKU, on-hand, units sold, units received (.csv or .parquet).
    #[arg(long)]
    pub input: PathBuf,
    #[arg(long, default_value_t = Columns::default().date)]
    pub date_col: String,
    #[arg(long, default_value_t = Columns::default().store)]
    pub store_col: String,
    #[arg(long, default_value_t = Columns::default().sku)]
    pub sku_col: String,
    #[arg(long, default_value_t = Columns::default().on_hand)]
    pub on_hand_col: String,
    #[arg(long, default_value_t = Columns::default().sold)]
    pub sold_col: String,
    #[arg(long, default_value_t = Columns::default().received)]
    pub received_col: String,
    /// Optional: used when the table has it.
    #[arg(long, default_value_t = Columns::default().safety_stock)]
    pub safety_stock_col: String,
    #[arg(long, default_value_t = Columns::default().lead_time)]
    pub lead_time_col: String,
    #[arg(long, default_value_t = Columns::default().price)]
    pub price_col: String,
    /// Alert when the chance of a zero-sales run falls below this.
    #[arg(long, default_value_t = Thresholds::default().zero_sales)]
    pub zero_sales_threshold: f64,
    #[arg(long, value_enum, default_value_t = Thresholds::default().zero_scope.into())]
    pub zero_sales_scope: ScopeArg,
    /// Shortest zero-sales run with stock reported that is a phantom alert.
    #[arg(long, default_value_t = Thresholds::default().phantom_min_days)]
    pub phantom_min_days: usize,
    /// Service level for a safety stock computed from demand variability.
    #[arg(long, default_value_t = Thresholds::default().service_level)]
    pub service_level: f64,
    /// Lead time for series without a lead-time column.
    #[arg(long, default_value_t = Thresholds::default().lead_time_days)]
    pub lead_time_days: f64,
    #[arg(long, default_value_t = Thresholds::default().safety_min_days)]
    pub safety_min_days: usize,
    /// Poisson tail probability below which a sales window is short.
    #[arg(long, default_value_t = Thresholds::default().osa)]
    pub osa_threshold: f64,
    /// Actual / expected sales below which a window is short.
    #[arg(long, default_value_t = Thresholds::default().osa_ratio)]
    pub osa_ratio: f64,
    #[arg(long, default_value_t = Thresholds::default().osa_min_days)]
    pub osa_min_days: usize,
}

#[derive(Subcommand, Debug)]
pub enum StockCommand {
    /// One row per alert: kind,store,sku,start,end,days,lost_units,lost_revenue,confidence.
    Alerts {
        #[command(flatten)]
        args: StockArgs,
        /// Print a JSON summary instead of a line.
        #[arg(long)]
        json: bool,
        /// Add the reason of each alert as a last column.
        #[arg(long)]
        reasons: bool,
        #[arg(long)]
        out: PathBuf,
        /// Episodes (overlapping alerts merged) as a second table.
        #[arg(long)]
        episodes_out: Option<PathBuf>,
    },
    /// Alerts and lost sales per store and week.
    Summary {
        #[command(flatten)]
        args: StockArgs,
        #[arg(long)]
        out: PathBuf,
    },
    /// Recall and precision of the alerts against a truth table (`gen inventory` writes one).
    Score {
        #[command(flatten)]
        args: StockArgs,
        #[arg(long)]
        truth: PathBuf,
    },
}

impl StockArgs {
    fn params(&self) -> StockParams {
        StockParams {
            columns: Columns {
                date: self.date_col.clone(),
                store: self.store_col.clone(),
                sku: self.sku_col.clone(),
                on_hand: self.on_hand_col.clone(),
                sold: self.sold_col.clone(),
                received: self.received_col.clone(),
                safety_stock: self.safety_stock_col.clone(),
                lead_time: self.lead_time_col.clone(),
                price: self.price_col.clone(),
            },
            thresholds: Thresholds {
                zero_sales: self.zero_sales_threshold,
                zero_scope: self.zero_sales_scope.into(),
                phantom_min_days: self.phantom_min_days,
                service_level: self.service_level,
                lead_time_days: self.lead_time_days,
                safety_min_days: self.safety_min_days,
                osa: self.osa_threshold,
                osa_ratio: self.osa_ratio,
                osa_min_days: self.osa_min_days,
            },
        }
    }
}

/// Check, load, record and run; `write` writes the outputs (its files become the run's
/// artifacts).
fn detect(
    args: &StockArgs,
    outs: &[Output<'_>],
    record: RecordRuns,
    write: impl FnOnce(&StockOutput) -> Result<Vec<crate::runs::ArtifactRecord>>,
) -> Result<StockOutput> {
    let params = args.params();
    let valid = usecase::check(&params)?;
    outputs::check(&[&args.input], outs)?;
    let ds = super::load(&args.input)?;
    record.analyse::<StockAlerts>(
        &params,
        &valid,
        &ds,
        vec![of_dataset("inventory", &ds)],
        write,
    )
}

fn quality_line(out: &StockOutput) -> String {
    let q = &out.quality;
    format!(
        "{} rows, {} series ({} too short to judge); {} missing days, {} duplicated rows, {} \
         negative on-hand, {} rows without date/store/SKU, {} empty cells",
        q.rows,
        q.series,
        out.detection.too_short,
        q.missing_days,
        q.duplicate_rows,
        q.negative_on_hand,
        q.rows_without_key,
        q.empty_cells
    )
}

pub fn run(command: StockCommand, record: RecordRuns) -> Result<()> {
    match command {
        StockCommand::Alerts {
            args,
            json,
            reasons,
            out,
            episodes_out,
        } => {
            let mut outs = vec![Output::new("--out", &out, Kind::Table)];
            if let Some(path) = &episodes_out {
                outs.push(Output::new("--episodes-out", path, Kind::Table));
            }
            let result = detect(&args, &outs, record, |o| {
                export::write_table(&tables::alerts_frame(o, None, reasons)?, &out)?;
                let mut written_files = vec![written("alerts", &out)];
                if let Some(path) = &episodes_out {
                    export::write_table(&tables::episodes_frame(o)?, path)?;
                    written_files.push(written("episodes", path));
                }
                Ok(written_files)
            })?;
            let [zero, phantom, safety, osa, out_of_stock] = result.counts();
            if json {
                let q = &result.quality;
                let v = serde_json::json!({
                    "rows": q.rows,
                    "series": q.series,
                    "too_short": result.detection.too_short,
                    "forecast_series": result.detection.forecast_series,
                    "alerts": result.alerts().len(),
                    "episodes": result.detection.episodes.len(),
                    "zero_sales": zero,
                    "phantom": phantom,
                    "safety_stock": safety,
                    "osa": osa,
                    "out_of_stock": out_of_stock,
                    "lost_units": result.lost_units(),
                    "lost_revenue": result.lost_revenue(),
                    "uncovered_safety_stock": result.uncovered(),
                    "quality": q,
                    "seconds": result.seconds,
                });
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                println!(
                    "{} alerts ({zero} zero-sales, {phantom} phantom, {safety} safety-stock, \
                     {osa} OSA) in {} episodes, {:.2} s",
                    result.alerts().len(),
                    result.detection.episodes.len(),
                    result.seconds
                );
                println!("{}", quality_line(&result));
            }
            Ok(())
        }
        StockCommand::Summary { args, out } => {
            let outs = [Output::new("--out", &out, Kind::Table)];
            let result = detect(&args, &outs, record, |o| {
                export::write_table(&tables::summary_frame(o)?, &out)?;
                Ok(vec![written("summary per store and week", &out)])
            })?;
            println!("{}", quality_line(&result));
            Ok(())
        }
        StockCommand::Score { args, truth } => {
            let result = detect(&args, &[], record, |_| Ok(Vec::new()))?;
            let t = super::load(&truth)?;
            let s = usecase::score::score(&result, &t.name, &t.frame)?;
            let v = serde_json::json!({
                "score": s,
                "alerts": result.alerts().len(),
                "series": result.series.len(),
                "seconds": result.seconds,
            });
            println!("{}", serde_json::to_string_pretty(&v)?);
            Ok(())
        }
    }
}
