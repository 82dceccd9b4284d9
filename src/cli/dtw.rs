//! `playbook dtw ...`: the DTW use case from the command line, on the same compute functions
//! as the DTW panel.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use polars::prelude::*;

use crate::compute::NoProgress;
use crate::compute::dtw::{self, Window};
use crate::data;
use crate::data::series::{self, NamedSeries};
use crate::data::ucr::{self, LabelledSeries};
use crate::export;

#[derive(Subcommand, Debug)]
pub enum DtwCommand {
    /// DTW distance from a pattern to every series: id,distance,zscore sorted by distance.
    Distances {
        #[command(flatten)]
        input: SeriesArgs,
        #[command(flatten)]
        window: WindowArgs,
        /// Output table (.csv or .parquet).
        #[arg(long)]
        out: PathBuf,
    },
    /// Median/mean/min/max distance at each of several windows: window,median,mean,min,max.
    Sweep {
        #[command(flatten)]
        input: SeriesArgs,
        /// Window fractions, comma-separated.
        #[arg(
            long,
            value_delimiter = ',',
            default_value = "0,0.01,0.025,0.05,0.1,0.25,0.5"
        )]
        windows: Vec<f64>,
        #[arg(long)]
        out: PathBuf,
    },
    /// 1-NN classification of labelled series (UCR .ts files) with DTW; prints the error rate.
    Classify(ClassifyArgs),
    /// Pairwise DTW distances between WAV clips, compared on their amplitude envelopes.
    Audio {
        /// Two or more WAV files (mono or stereo, any sample rate).
        #[arg(required = true, num_args = 2..)]
        clips: Vec<PathBuf>,
        #[command(flatten)]
        window: WindowArgs,
        /// Envelope resolution: one RMS point per this many milliseconds.
        #[arg(long, default_value_t = 10.0)]
        hop_ms: f64,
        /// Z-normalise the envelopes (ignore loudness).
        #[arg(long)]
        znorm: bool,
        /// Also write the distance matrix (.csv or .parquet).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// A table of series and the pattern to compare them with.
#[derive(Args, Debug)]
pub struct SeriesArgs {
    /// Table of series (.csv or .parquet): wide (id column + one column per time step) or,
    /// with --time-col and --value-col, long.
    #[arg(long)]
    pub input: PathBuf,
    /// Column naming each series (default: the first column).
    #[arg(long)]
    pub id_col: Option<String>,
    /// Long layout: the time column.
    #[arg(long, requires = "value_col")]
    pub time_col: Option<String>,
    /// Long layout: the value column.
    #[arg(long, requires = "time_col")]
    pub value_col: Option<String>,
    /// Use the series with this id as the pattern.
    #[arg(
        long,
        conflicts_with = "pattern_file",
        required_unless_present = "pattern_file"
    )]
    pub pattern: Option<String>,
    /// Use the curve in this file (its last numeric column) as the pattern.
    #[arg(long)]
    pub pattern_file: Option<PathBuf>,
    /// Z-normalise the pattern and every series first.
    #[arg(long)]
    pub znorm: bool,
}

/// The series, their ids, and the pattern, loaded and checked.
fn load_series(args: &SeriesArgs) -> Result<(NamedSeries, Vec<f64>)> {
    let ds = data::load_path(&args.input)?;
    if ds.rows() == 0 {
        bail!("{}: the table has no series", ds.name);
    }
    let id_col = match &args.id_col {
        Some(c) => c.clone(),
        None => ds
            .frame
            .get_column_names()
            .first()
            .map(|c| c.to_string())
            .with_context(|| format!("{}: no columns", ds.name))?,
    };
    let mut named = match (&args.time_col, &args.value_col) {
        (Some(t), Some(v)) => series::long(&ds.name, &ds.frame, &id_col, t, v)?,
        _ => series::wide(&ds.name, &ds.frame, &id_col)?,
    };
    if let Some(k) = named.series.iter().position(Vec::is_empty) {
        bail!("{}: series '{}' is empty", ds.name, named.ids[k]);
    }
    let mut pattern = match (&args.pattern, &args.pattern_file) {
        (Some(id), _) => named.find(&ds.name, id)?.to_vec(),
        (None, Some(file)) => {
            let p = data::load_path(file)?;
            series::curve(&p.name, &p.frame)?
        }
        (None, None) => bail!("give --pattern ID or --pattern-file FILE"),
    };
    if args.znorm {
        dtw::znorm(&mut pattern);
        named.series.iter_mut().for_each(|s| dtw::znorm(s));
    }
    Ok((named, pattern))
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
    /// Labelled training series: a UCR .ts file, or a table (.csv, .parquet) with a label
    /// column and one column per time step.
    #[arg(long)]
    pub train: PathBuf,
    /// Labelled test series, in the same forms as --train.
    #[arg(long)]
    pub test: PathBuf,
    /// The label column of table inputs.
    #[arg(long, default_value = "label")]
    pub label_col: String,
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
        DtwCommand::Audio {
            clips,
            window,
            hop_ms,
            znorm,
            out,
        } => audio(&clips, window.get()?, hop_ms, znorm, out.as_deref()),
        DtwCommand::Distances { input, window, out } => {
            let window = window.get()?;
            let (named, pattern) = load_series(&input)?;
            let d = dtw::one_against_many(&pattern, &named.series, window, &NoProgress)?;
            let table = dtw::distance_table(&named.ids, &d)?;
            export::write_table(&table, &out)?;
            let mut sorted = d.clone();
            let median = crate::compute::stats::quantile(&mut sorted, 0.5);
            println!(
                "{} series; median distance {}; table in {}",
                d.len(),
                crate::format::short(median),
                out.display()
            );
            Ok(())
        }
        DtwCommand::Sweep {
            input,
            windows,
            out,
        } => {
            for &w in &windows {
                Window::Fraction(w).validate()?;
            }
            let (named, pattern) = load_series(&input)?;
            let rows = dtw::sweep(&pattern, &named.series, &windows, &NoProgress)?;
            let df = dtw::sweep_table(&rows)?;
            export::write_table(&df, &out)?;
            for r in &rows {
                println!(
                    "window {:<6} median {}",
                    r.window,
                    crate::format::short(r.median)
                );
            }
            Ok(())
        }
    }
}

fn audio(
    paths: &[PathBuf],
    window: Window,
    hop_ms: f64,
    znorm: bool,
    out: Option<&Path>,
) -> Result<()> {
    if !(hop_ms > 0.0 && hop_ms.is_finite()) {
        bail!("--hop-ms must be a positive number of milliseconds");
    }
    let clips = paths
        .iter()
        .map(|p| crate::data::audio::read_wav(p))
        .collect::<Result<Vec<_>, _>>()?;
    let envelopes = crate::data::audio::envelopes(&clips, hop_ms, znorm);
    for (c, e) in clips.iter().zip(&envelopes) {
        println!(
            "{}: {:.2} s, {} Hz, {} channel(s); envelope of {} points (RMS of {} samples)",
            c.name,
            c.seconds(),
            c.sample_rate,
            c.channels,
            e.len(),
            c.hop(hop_ms)
        );
    }
    let m = dtw::pairwise(&envelopes, window, &NoProgress)?;
    let names: Vec<&str> = clips.iter().map(|c| c.name.as_str()).collect();
    let w = names.iter().map(|n| n.len()).max().unwrap_or(4).max(8);
    println!(
        "{:<w$} {}",
        "",
        names
            .iter()
            .map(|n| format!("{n:>w$}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    for (i, row) in m.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .map(|v| format!("{:>w$}", crate::format::short(*v)))
            .collect();
        println!("{:<w$} {}", names[i], cells.join(" "));
    }
    if let Some(out) = out {
        let mut columns = vec![Column::new("clip".into(), &names)];
        for (j, n) in names.iter().enumerate() {
            columns.push(Column::new(
                (*n).into(),
                m.iter().map(|r| r[j]).collect::<Vec<_>>(),
            ));
        }
        export::write_table(&DataFrame::new_infer_height(columns)?, out)?;
    }
    Ok(())
}

/// Labelled series from a `.ts` file or from a table with a label column.
pub fn read_labelled(path: &Path, label_col: &str, znorm: bool) -> Result<LabelledSeries> {
    let is_ts = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ts"));
    let mut s = if is_ts {
        ucr::read_ts(path)?
    } else {
        let ds = data::load_path(path)?;
        series::labelled(&ds.name, &ds.frame, label_col)?
    };
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
    let train = read_labelled(&args.train, &args.label_col, args.znorm)?;
    let test = read_labelled(&args.test, &args.label_col, args.znorm)?;
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
