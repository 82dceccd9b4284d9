//! `playbook dtw ...`: the DTW use case from the command line, on the same compute functions
//! as the DTW panel.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};

use super::RecordRuns;
use super::outputs::{self, Kind, Output};
use crate::compute::dtw::Window;
use crate::data::{self, Dataset};
use crate::export;
use crate::runs::{of_dataset, of_file};
use crate::usecases::Analysis;
use crate::usecases::analysis::{DtwAudio, DtwClassify, DtwMatch, DtwMatrix, DtwSweep};
use crate::usecases::dtw::{
    self as usecase, AudioParams, ClassifyParams, Layout, MatchParams, MatrixParams, PatternChoice,
    SeriesParams, SweepParams, WarpingBand,
};
use crate::usecases::record::written;

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
        /// Print a JSON object (series, median, band cells, compute seconds) instead of a
        /// sentence.
        #[arg(long)]
        json: bool,
    },
    /// DTW distance between every two series: a,b,distance (each pair once), or with
    /// --square one row and one column per series.
    Matrix {
        #[command(flatten)]
        input: TableArgs,
        #[command(flatten)]
        window: WindowArgs,
        /// Output table (.csv or .parquet).
        #[arg(long)]
        out: PathBuf,
        /// Write the square matrix (id, then one column per series) instead of the long table.
        #[arg(long)]
        square: bool,
        /// Also write the heat map (clustered order) as .png or .svg.
        #[arg(long)]
        chart: Option<PathBuf>,
        /// Print a JSON object (series, pairs, median, band cells, compute seconds).
        #[arg(long)]
        json: bool,
    },
    /// Median/mean/min/max distance at each of several windows: window,median,mean,min,max.
    Sweep {
        #[command(flatten)]
        input: SeriesArgs,
        /// Window fractions, comma-separated.
        #[arg(
            long,
            value_delimiter = ',',
            default_value = super::listed(&SweepParams::default().stretches)
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
        #[arg(long, default_value_t = AudioParams::default().hop_ms, allow_negative_numbers = true)]
        hop_ms: f64,
        /// Z-normalise the envelopes (ignore loudness).
        #[arg(long)]
        znorm: bool,
        /// Also write the distance matrix (.csv or .parquet).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// A table of series.
#[derive(Args, Debug)]
pub struct TableArgs {
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
    /// Z-normalise the pattern and every series first.
    #[arg(long)]
    pub znorm: bool,
}

impl TableArgs {
    /// The table, loaded, and its layout.
    fn load(&self) -> Result<(Dataset, Layout)> {
        let ds = super::load(&self.input)?;
        let layout = match (&self.time_col, &self.value_col) {
            (Some(t), Some(v)) => Layout::Long {
                id: match &self.id_col {
                    Some(c) => c.clone(),
                    None => usecase::first_column(&ds)?,
                },
                time: t.clone(),
                value: v.clone(),
            },
            _ => Layout::Wide,
        };
        Ok((ds, layout))
    }
}

/// A table of series and the pattern to compare them with.
#[derive(Args, Debug)]
pub struct SeriesArgs {
    #[command(flatten)]
    pub table: TableArgs,
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
}

impl SeriesArgs {
    /// The files it reads (the table, and the pattern file if any).
    fn files(&self) -> Vec<&Path> {
        std::iter::once(self.table.input.as_path())
            .chain(self.pattern_file.as_deref())
            .collect()
    }

    /// The use case's series params, with the table and the pattern's curve loaded.
    fn load(&self) -> Result<(SeriesParams, Dataset, Option<Dataset>)> {
        let (ds, layout) = self.table.load()?;
        let (pattern, curve) = match (&self.pattern, &self.pattern_file) {
            (Some(id), _) => (PatternChoice::Series(id.clone()), None),
            (None, Some(file)) => {
                let c = super::load(file)?;
                (PatternChoice::Curve(c.name.clone()), Some(c))
            }
            (None, None) => bail!("give --pattern ID or --pattern-file FILE"),
        };
        let params = SeriesParams {
            layout,
            id_col: self.table.id_col.clone(),
            pattern,
            znorm: self.table.znorm,
        };
        Ok((params, ds, curve))
    }
}

fn inputs_of(ds: &Dataset, curve: Option<&Dataset>) -> Vec<crate::runs::InputFingerprint> {
    let mut v = vec![of_dataset("series", ds)];
    if let Some(c) = curve {
        v.push(of_dataset("pattern", c));
    }
    v
}

/// The Sakoe-Chiba band, as a fraction of the length or in cells.
#[derive(Args, Debug, Clone)]
pub struct WindowArgs {
    /// Band as a fraction of the series length: 0 = lock-step (Euclidean), 1 = full window.
    // The default is each analysis's own: `with_case_defaults` sets it for classify and audio.
    #[arg(long, default_value_t = WarpingBand::default().stretch, conflicts_with = "window_cells")]
    pub window: f64,
    /// Band as a number of cells off the diagonal, instead of --window.
    #[arg(long)]
    pub window_cells: Option<usize>,
}

/// The `dtw` command with each subcommand's `--window` defaulting to its analysis's own band
/// (`WindowArgs` is shared, so its attribute carries only `WarpingBand`'s default).
pub(crate) fn with_case_defaults(dtw: clap::Command) -> clap::Command {
    let stretch = |b: WarpingBand| b.stretch.to_string();
    dtw.mut_subcommand("classify", |c| {
        c.mut_arg("window", |a| {
            a.default_value(stretch(ClassifyParams::default().band))
        })
    })
    .mut_subcommand("audio", |c| {
        c.mut_arg("window", |a| {
            a.default_value(stretch(AudioParams::default().band))
        })
    })
}

impl WindowArgs {
    pub fn get(&self) -> Result<Window> {
        Ok(self.band().check()?.validate()?)
    }

    /// The band as the use cases take it.
    pub fn band(&self) -> WarpingBand {
        WarpingBand {
            stretch: self.window,
            cells: self.window_cells,
        }
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
    #[arg(long, default_value_t = ClassifyParams::default().label_col)]
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

pub fn run(command: DtwCommand, record: RecordRuns) -> Result<()> {
    match command {
        DtwCommand::Classify(args) => classify(&args, record),
        DtwCommand::Audio {
            clips,
            window,
            hop_ms,
            znorm,
            out,
        } => audio(&clips, &window, hop_ms, znorm, out.as_deref(), record),
        DtwCommand::Distances {
            input,
            window,
            out,
            json,
        } => {
            outputs::check(&input.files(), &[Output::new("--out", &out, Kind::Table)])?;
            let (series, ds, curve) = input.load()?;
            let params = MatchParams {
                series,
                band: window.band(),
            };
            let valid = DtwMatch::check(&params)?;
            let m = record.analyse::<DtwMatch>(
                &params,
                &valid,
                (&ds, curve.as_ref()),
                inputs_of(&ds, curve.as_ref()),
                |m| {
                    export::write_table(&m.table()?, &out)?;
                    Ok(vec![written("distances", &out)])
                },
            )?;
            if json {
                print_json(m.distances.len(), None, m.median, m.cells, m.seconds)?;
            } else {
                println!(
                    "{} series; median distance {}; table in {}",
                    m.distances.len(),
                    crate::format::short(m.median),
                    out.display()
                );
            }
            Ok(())
        }
        DtwCommand::Matrix {
            input,
            window,
            out,
            square,
            chart,
            json,
        } => matrix(
            &input,
            &window,
            &out,
            square,
            chart.as_deref(),
            json,
            record,
        ),
        DtwCommand::Sweep {
            input,
            windows,
            out,
        } => {
            outputs::check(&input.files(), &[Output::new("--out", &out, Kind::Table)])?;
            let (series, ds, curve) = input.load()?;
            let params = SweepParams {
                series,
                stretches: windows,
            };
            let valid = DtwSweep::check(&params)?;
            let s = record.analyse::<DtwSweep>(
                &params,
                &valid,
                (&ds, curve.as_ref()),
                inputs_of(&ds, curve.as_ref()),
                |s| {
                    export::write_table(&crate::compute::dtw::sweep_table(&s.rows)?, &out)?;
                    Ok(vec![written("sweep", &out)])
                },
            )?;
            for r in &s.rows {
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

/// `--json` of `distances` and `matrix`: the figures a benchmark reads.
fn print_json(
    series: usize,
    pairs: Option<usize>,
    median: f64,
    band_cells: usize,
    seconds: f64,
) -> Result<()> {
    let mut v = serde_json::json!({
        "series": series,
        "median": median,
        "band_cells": band_cells,
        "seconds": seconds,
        "kernel": crate::compute::dtw::instruction_set(),
    });
    if let Some(p) = pairs {
        v["pairs"] = p.into();
    }
    println!("{}", serde_json::to_string_pretty(&v)?);
    Ok(())
}

fn matrix(
    input: &TableArgs,
    window: &WindowArgs,
    out: &Path,
    square: bool,
    chart: Option<&Path>,
    json: bool,
    record: RecordRuns,
) -> Result<()> {
    let mut outs = vec![Output::new("--out", out, Kind::Table)];
    outs.extend(chart.map(|c| Output::new("--chart", c, Kind::Chart)));
    outputs::check(&[input.input.as_path()], &outs)?;
    let (ds, layout) = input.load()?;
    let params = MatrixParams {
        layout,
        id_col: input.id_col.clone(),
        znorm: input.znorm,
        band: window.band(),
    };
    let valid = DtwMatrix::check(&params)?;
    let m = record.analyse::<DtwMatrix>(
        &params,
        &valid,
        &ds,
        vec![of_dataset("series", &ds)],
        |m| {
            let table = if square {
                m.square_table()?
            } else {
                m.long_table()?
            };
            export::write_table(&table, out)?;
            let mut artifacts = vec![written("distances", out)];
            if let Some(c) = chart {
                export::write_chart(&m.chart, c)?;
                artifacts.push(written("heat map", c));
            }
            Ok(artifacts)
        },
    )?;
    if json {
        let pairs = Some(m.condensed.len());
        print_json(m.ids.len(), pairs, m.median, m.cells, m.seconds)?;
    } else {
        println!(
            "{} series, {} pairs; median distance {}; table in {}",
            crate::format::whole(m.ids.len()),
            crate::format::whole(m.condensed.len()),
            crate::format::short(m.median),
            out.display()
        );
    }
    Ok(())
}

fn audio(
    paths: &[PathBuf],
    window: &WindowArgs,
    hop_ms: f64,
    znorm: bool,
    out: Option<&Path>,
    record: RecordRuns,
) -> Result<()> {
    let params = AudioParams {
        band: window.band(),
        hop_ms,
        znorm,
    };
    let valid = DtwAudio::check(&params)?;
    let outs: Vec<Output> = out
        .map(|o| Output::new("--out", o, Kind::Table))
        .into_iter()
        .collect();
    let files: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    outputs::check(&files, &outs)?;
    let clips = paths
        .iter()
        .map(|p| crate::data::audio::read_wav(p))
        .collect::<Result<Vec<_>, _>>()?;
    let inputs = paths
        .iter()
        .filter_map(|p| of_file("clip", &data::file_name(p), p).ok())
        .collect();
    let o = record.analyse::<DtwAudio>(&params, &valid, &clips, inputs, |o| {
        let mut artifacts = Vec::new();
        if let Some(out) = out {
            export::write_table(&o.table()?, out)?;
            artifacts.push(written("distance matrix", out));
        }
        Ok(artifacts)
    })?;
    for (c, e) in o.clips.iter().zip(&o.envelopes) {
        println!(
            "{}: {:.2} s, {} Hz, {} channel(s); envelope of {} points (RMS of {} samples)",
            c.name,
            c.seconds,
            c.sample_rate,
            c.channels,
            e.len(),
            c.hop
        );
    }
    let names = o.names();
    use crate::format::{column_width, pad};
    let w = column_width(names.iter().map(|n| n.as_str()), 8);
    println!(
        "{} {}",
        pad("", w, true),
        names
            .iter()
            .map(|n| pad(n, w, false))
            .collect::<Vec<_>>()
            .join(" ")
    );
    for (i, row) in o.matrix.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .map(|v| pad(&crate::format::short(*v), w, false))
            .collect();
        println!("{} {}", pad(&names[i], w, true), cells.join(" "));
    }
    Ok(())
}

fn classify(args: &ClassifyArgs, record: RecordRuns) -> Result<()> {
    let params = ClassifyParams {
        band: args.window.band(),
        znorm: args.znorm,
        label_col: args.label_col.clone(),
    };
    let valid = DtwClassify::check(&params)?;
    let window = args.window.get()?;
    let outs: Vec<Output> = args
        .out
        .iter()
        .map(|o| Output::new("--out", o, Kind::Table))
        .collect();
    outputs::check(&[&args.train, &args.test], &outs)?;
    let train = usecase::read_labelled(&args.train, &args.label_col)?;
    let test = usecase::read_labelled(&args.test, &args.label_col)?;
    let inputs = [("train", &args.train), ("test", &args.test)]
        .iter()
        .filter_map(|(role, p)| of_file(role, &data::file_name(p), p).ok())
        .collect();
    let o = record.analyse::<DtwClassify>(&params, &valid, (train, test), inputs, |o| {
        let mut artifacts = Vec::new();
        if let Some(out) = &args.out {
            export::write_table(&o.predictions_table()?, out)
                .with_context(|| "writing predictions")?;
            artifacts.push(written("predictions", out));
        }
        Ok(artifacts)
    })?;
    let error_rate = o.error_rate();
    if args.json {
        let (fraction, given_cells) = match window {
            Window::Fraction(f) => (Some(f), None),
            Window::Cells(c) => (None, Some(c)),
        };
        let v = serde_json::json!({
            "error_rate": error_rate,
            "errors": o.errors,
            "n_train": o.n_train,
            "n_test": o.n_test,
            "window": fraction,
            "window_cells": given_cells.unwrap_or(o.cells),
            "znorm": args.znorm,
            "seconds": o.seconds,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!(
            "1-NN DTW error rate {error_rate:.4} ({} of {} wrong; {} training series; band {} cells)",
            o.errors, o.n_test, o.n_train, o.cells
        );
    }
    Ok(())
}
