//! `playbook dtw ...`: the DTW use case from the command line, on the same compute functions
//! as the DTW panel.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use polars::prelude::*;

use crate::compute::NoProgress;
use crate::compute::dtw::{self, Window};
use crate::data::ucr::{self, LabelledSeries};
use crate::export;

#[derive(Subcommand, Debug)]
pub enum DtwCommand {
    /// 1-NN classification of labelled series (UCR .ts files) with DTW; prints the error rate.
    Classify(ClassifyArgs),
}

/// The Sakoe-Chiba band, as a fraction of the length or in cells.
#[derive(Args, Debug, Clone)]
pub struct WindowArgs {
    /// Band as a fraction of the series length: 0 = lock-step (Euclidean), 1 = full window.
    #[arg(long, default_value_t = 0.05, conflicts_with = "window_cells")]
    pub window: f64,
    /// Band as a number of cells off the diagonal, instead of --window.
    #[arg(long)]
    pub window_cells: Option<usize>,
}

impl WindowArgs {
    pub fn get(&self) -> Result<Window> {
        let w = match self.window_cells {
            Some(c) => Window::Cells(c),
            None => Window::Fraction(self.window),
        };
        Ok(w.validate()?)
    }
}

#[derive(Args, Debug)]
pub struct ClassifyArgs {
    /// Labelled training series (.ts).
    #[arg(long)]
    pub train: PathBuf,
    /// Labelled test series (.ts).
    #[arg(long)]
    pub test: PathBuf,
    #[command(flatten)]
    pub window: WindowArgs,
    /// Z-normalise every series first.
    #[arg(long)]
    pub znorm: bool,
    /// Print a JSON object instead of a sentence.
    #[arg(long)]
    pub json: bool,
    /// Write index,label,predicted per test series (.csv or .parquet).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(command: DtwCommand) -> Result<()> {
    match command {
        DtwCommand::Classify(args) => classify(&args),
    }
}

fn read_labelled(path: &Path, znorm: bool) -> Result<LabelledSeries> {
    let mut s = ucr::read_ts(path)?;
    if s.labels.iter().any(String::is_empty) {
        bail!("{}: the series have no class labels", path.display());
    }
    if znorm {
        s.series.iter_mut().for_each(|x| dtw::znorm(x));
    }
    Ok(s)
}

fn classify(args: &ClassifyArgs) -> Result<()> {
    let window = args.window.get()?;
    let train = read_labelled(&args.train, args.znorm)?;
    let test = read_labelled(&args.test, args.znorm)?;
    let started = Instant::now();
    let hits = dtw::classify_1nn(&train.series, &test.series, window, &NoProgress)?;
    let seconds = started.elapsed().as_secs_f64();
    let predicted: Vec<String> = hits
        .iter()
        .map(|h| h.map(|k| train.labels[k].clone()).unwrap_or_default())
        .collect();
    let errors = predicted
        .iter()
        .zip(&test.labels)
        .filter(|(p, l)| p != l)
        .count();
    let n_test = test.series.len();
    let error_rate = errors as f64 / n_test as f64;
    let length = test.series.iter().map(Vec::len).max().unwrap_or(0);
    let cells = window.cells(length, length);
    if args.json {
        let (fraction, given_cells) = match window {
            Window::Fraction(f) => (Some(f), None),
            Window::Cells(c) => (None, Some(c)),
        };
        let v = serde_json::json!({
            "error_rate": error_rate,
            "errors": errors,
            "n_train": train.series.len(),
            "n_test": n_test,
            "window": fraction,
            "window_cells": given_cells.unwrap_or(cells),
            "znorm": args.znorm,
            "seconds": seconds,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!(
            "1-NN DTW error rate {error_rate:.4} ({errors} of {n_test} wrong; {} training series; band {cells} cells)",
            train.series.len()
        );
    }
    if let Some(out) = &args.out {
        let df = DataFrame::new_infer_height(vec![
            Column::new("index".into(), (0..n_test as u64).collect::<Vec<_>>()),
            Column::new("label".into(), &test.labels),
            Column::new("predicted".into(), &predicted),
        ])?;
        export::write_table(&df, out).with_context(|| "writing predictions")?;
    }
    Ok(())
}
