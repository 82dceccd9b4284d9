//! The command line: clap subcommands that call the same data, compute and export functions as
//! the panels. No arguments opens the app (see `main.rs`). Errors are printed as one line on
//! stderr with a non-zero exit code.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};

use crate::chart::Chart;
use crate::compute::{NoProgress, histogram, stats};
use crate::data::{self, generators, schema};
use crate::export;

/// A flag's value list mirroring a use case's enum, which cannot derive clap's `ValueEnum` (core
/// has no clap): the variants once, both conversions, and `Display` as the flag's value, so a
/// flag's default is the use case's own (`default_value_t = Params::default().mode.into()`).
macro_rules! flag_enum {
    ($(#[$meta:meta])* $name:ident mirrors $core:ident { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl From<$core> for $name {
            fn from(value: $core) -> Self {
                match value {
                    $($core::$variant => Self::$variant),+
                }
            }
        }

        impl From<$name> for $core {
            fn from(value: $name) -> Self {
                match value {
                    $($name::$variant => Self::$variant),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match clap::ValueEnum::to_possible_value(self) {
                    Some(v) => f.write_str(v.get_name()),
                    None => Ok(()),
                }
            }
        }
    };
}

/// A list default as its flag takes it, comma-separated (`default_values_t` would show it
/// space-separated, which a comma-delimited flag does not read).
fn listed<T: std::fmt::Display>(values: &[T]) -> String {
    values
        .iter()
        .map(T::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

mod dtw;
mod forecast;
mod fraud;
mod images;
mod outputs;
mod pitching;
mod runs;
mod sentiment;
mod spatial;
mod stock;
pub use dtw::{DtwCommand, WindowArgs};

use crate::runs::{ArtifactRecord, InputFingerprint, RunOrigin};
use crate::usecases::{Analysis, OpenRecord, Recordable};

#[derive(Parser, Debug)]
#[command(
    name = "playbook",
    version,
    about = "Playbook: an analytics workbench for ML case studies. Run with no command to open the app."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Do not record this run in the run store (see `playbook runs`).
    #[arg(long, global = true)]
    pub no_record: bool,
}

impl Cli {
    /// The command line as clap reads it, with each use case's command described by its entry in
    /// `usecases::registry` (its title and one sentence), so `--help` says what the Start page
    /// says.
    pub(crate) fn command_with_help() -> clap::Command {
        use clap::CommandFactory;
        let mut cmd = Cli::command();
        for case in crate::usecases::registry::ALL {
            if cmd.find_subcommand(case.id).is_some() {
                cmd = cmd.mut_subcommand(case.id, |c| {
                    c.about(format!("{}: {}", case.title, case.pitch))
                });
            }
        }
        cmd.mut_subcommand("dtw", dtw::with_case_defaults)
    }

    /// Parse the process's arguments (clap's errors for usage, help and version).
    pub fn parse_args() -> Result<Self, clap::Error> {
        use clap::FromArgMatches;
        let matches = Self::command_with_help().try_get_matches()?;
        Self::from_arg_matches(&matches)
    }
}

/// Whether analysis commands record their runs in the run store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordRuns {
    Yes,
    No,
}

impl RecordRuns {
    /// Start recording a run of `use_case`, or not. A store that cannot be used is a warning on
    /// stderr; the analysis still runs.
    pub(crate) fn start(
        self,
        use_case: &str,
        params: &impl serde::Serialize,
        inputs: Vec<InputFingerprint>,
    ) -> OpenRecord {
        let r = match (self, crate::runs::home()) {
            (RecordRuns::No, _) => OpenRecord::off(),
            (RecordRuns::Yes, Ok(home)) => {
                OpenRecord::start(&home, RunOrigin::Cli, use_case, params, inputs)
            }
            (RecordRuns::Yes, Err(e)) => OpenRecord::unavailable(e),
        };
        if let Some(w) = &r.warning {
            eprintln!("warning: {w}");
        }
        r
    }
}

impl RecordRuns {
    /// The middle of every analysis command, after it checked its params and outputs and loaded
    /// its inputs: start the record, `run`, `write` the outputs (the files it returns become the
    /// run's artifacts), finish the record and say the run's id. A failure of either step is the
    /// run's failure, recorded as such.
    pub(crate) fn run<T: Recordable>(
        self,
        use_case: &str,
        params: &impl serde::Serialize,
        inputs: Vec<InputFingerprint>,
        run: impl FnOnce() -> Result<T>,
        write: impl FnOnce(&T) -> Result<Vec<ArtifactRecord>>,
    ) -> Result<T> {
        let rec = self.start(use_case, params, inputs);
        let mut artifacts = Vec::new();
        let result = run().and_then(|out| {
            artifacts = write(&out)?;
            Ok(out)
        });
        finish(rec, result, artifacts)
    }
}

impl RecordRuns {
    /// `run` for an analysis of the use-case contract: its run-store name and its `run` come
    /// from the type, so a command cannot record under another's name or run unchecked params.
    pub(crate) fn analyse<A: Analysis>(
        self,
        params: &A::Params,
        valid: &A::Valid,
        inputs: A::Inputs<'_>,
        fingerprints: Vec<InputFingerprint>,
        write: impl FnOnce(&A::Output) -> Result<Vec<ArtifactRecord>>,
    ) -> Result<A::Output> {
        self.run(
            A::ID,
            params,
            fingerprints,
            || A::run(valid, inputs, &NoProgress),
            write,
        )
    }
}

/// Finish a recording with the work's result; on success say the run's id on stderr.
pub(crate) fn finish<T: Recordable>(
    rec: OpenRecord,
    result: Result<T>,
    artifacts: Vec<ArtifactRecord>,
) -> Result<T> {
    let id = rec.id();
    if let Some(w) = rec.finish(&result, artifacts) {
        eprintln!("warning: {w}");
    } else if let (Some(id), Ok(_)) = (id, &result) {
        eprintln!("run {id} recorded (playbook runs show {id})");
    }
    result
}

#[derive(Subcommand, Debug)]
pub enum Command {
    // A use case's command is described by its registry entry (`parse` sets its help).
    #[command(subcommand)]
    Data(DataCommand),
    #[command(subcommand)]
    Dtw(DtwCommand),
    Forecast(forecast::ForecastArgs),
    #[command(subcommand)]
    Fraud(fraud::FraudCommand),
    #[command(subcommand)]
    Spatial(spatial::SpatialCommand),
    #[command(subcommand)]
    Stock(stock::StockCommand),
    #[command(subcommand)]
    Images(images::ImagesCommand),
    #[command(subcommand)]
    Pitching(pitching::PitchingCommand),
    #[command(subcommand)]
    Sentiment(sentiment::SentimentCommand),
    /// The run store: list, show, compare, delete and export recorded runs.
    #[command(subcommand)]
    Runs(runs::RunsCommand),
    /// Write a seeded synthetic dataset (the same seed gives the same bytes).
    Gen(GenArgs),
    /// Open the app with these files loaded (as if dropped on the window).
    Open {
        files: Vec<PathBuf>,
    },
    /// Run every use case on the sample data; write charts (PNG), tables (CSV) and an index.
    Demo {
        /// Output folder (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
    /// One self-contained HTML report of recorded runs: their parameters, metrics, inputs
    /// with fingerprints, curves and charts (inline SVG and images), for a room or a printer.
    Report {
        /// Run ids (playbook runs list shows them).
        #[arg(long, num_args = 1.., required_unless_present = "workspace", conflicts_with = "workspace")]
        runs: Vec<i64>,
        /// A saved workspace: its datasets with fingerprints, its panels' choices, and the runs
        /// it shows (or, when it shows none, the latest run of each use case on its datasets).
        #[arg(long)]
        workspace: Option<PathBuf>,
        /// The .html file to write.
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum DataCommand {
    /// Rows, columns, dtypes and null counts of a CSV, Parquet or GeoJSON file.
    Info {
        file: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Summary statistics per column (count, nulls, mean, std, min, quartiles, max).
    Summary {
        file: PathBuf,
        #[arg(long)]
        json: bool,
        /// Also write the table as .csv or .parquet.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Build a chart from columns (the Data panel's chart builder): .png or .svg, or the
    /// plotted data as .csv / .parquet (one column per encoding, named after its column).
    Plot(PlotArgs),
    /// Join two tables on key columns and write the result (.csv or .parquet); the unmatched
    /// rows of each side are counted on stderr.
    Join {
        #[arg(long)]
        left: PathBuf,
        #[arg(long)]
        right: PathBuf,
        /// A key: COLUMN (the same name in both) or LEFT=RIGHT; repeat for several.
        #[arg(long, required = true)]
        on: Vec<String>,
        /// inner (rows with a match) or left (every left row).
        #[arg(long, default_value = "inner")]
        how: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Histogram of a numeric column, written as .png, .svg or .csv.
    Hist {
        file: PathBuf,
        #[arg(long)]
        column: String,
        #[arg(long, default_value_t = 20)]
        bins: usize,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Args, Debug)]
pub struct PlotArgs {
    /// The data file.
    #[arg(long)]
    pub input: PathBuf,
    /// Column on the x axis.
    #[arg(long)]
    pub x: String,
    /// Column on the y axis (a bar chart without one counts rows).
    #[arg(long)]
    pub y: Option<String>,
    /// One line, set of dots or colour per value of this column.
    #[arg(long)]
    pub color: Option<String>,
    /// line, scatter, bar, histogram, box or heat.
    #[arg(long, default_value = "line")]
    pub mark: String,
    /// count, sum, mean or median: of y per bar, or per time bin.
    #[arg(long, default_value = "mean")]
    pub agg: String,
    /// Time bins for a date x: none, day, week or month.
    #[arg(long, default_value = "none")]
    pub time: String,
    /// Keep the rows where this holds, e.g. 'amount > 1e5 and type in ("TRANSFER")'.
    #[arg(long = "where")]
    pub filter: Option<String>,
    /// Bins of a histogram, or of each heat map axis.
    #[arg(long, default_value_t = 40)]
    pub bins: usize,
    /// Small multiples: one chart per value of this column, in a grid.
    #[arg(long)]
    pub facet: Option<String>,
    /// .png, .svg, .csv or .parquet.
    #[arg(long)]
    pub out: PathBuf,
}

impl PlotArgs {
    /// The chart the flags describe, or which flag is wrong.
    pub(crate) fn spec(&self) -> Result<crate::usecases::explore::PlotSpec> {
        use crate::usecases::explore::{Agg, PlotMark, PlotSpec, TimeBin};
        fn pick<T: Copy>(
            flag: &str,
            got: &str,
            all: &[T],
            name: fn(T) -> &'static str,
        ) -> Result<T> {
            all.iter()
                .copied()
                .find(|v| name(*v) == got)
                .ok_or_else(|| {
                    let names: Vec<&str> = all.iter().map(|v| name(*v)).collect();
                    anyhow::anyhow!("{flag} must be one of {}, got '{got}'", names.join(", "))
                })
        }
        Ok(PlotSpec {
            mark: pick("--mark", &self.mark, &PlotMark::ALL, PlotMark::name)?,
            x: self.x.clone(),
            y: self.y.clone(),
            color: self.color.clone(),
            agg: pick("--agg", &self.agg, &Agg::ALL, Agg::name)?,
            time: pick("--time", &self.time, &TimeBin::ALL, TimeBin::name)?,
            filter: self.filter.clone().unwrap_or_default(),
            bins: self.bins,
            facet: self.facet.clone(),
            conditions: Vec::new(),
        })
    }
}

#[derive(Args, Debug)]
#[command(after_help = gen_help())]
pub struct GenArgs {
    /// Which generator (see below).
    pub kind: String,
    /// Number of rows (each generator has its own default).
    #[arg(long)]
    pub rows: Option<usize>,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Stores (store-sales: 10, inventory: 20).
    #[arg(long)]
    pub stores: Option<usize>,
    /// Items or SKUs per store (store-sales: 50, inventory: 100).
    #[arg(long, alias = "skus")]
    pub items: Option<usize>,
    /// Days (inventory: 365).
    #[arg(long)]
    pub days: Option<usize>,
    /// The season's year (pitches: 2021).
    #[arg(long)]
    pub season: Option<i32>,
    /// Games (pitches: 2430, a full season).
    #[arg(long)]
    pub games: Option<usize>,
    /// Asset symbols, comma-separated (crypto: BTC,ETH).
    #[arg(long)]
    pub assets: Option<String>,
    /// Classes (shapes).
    #[arg(long)]
    pub classes: Option<usize>,
    /// Images per class (shapes).
    #[arg(long)]
    pub per_class: Option<usize>,
    /// Image side in pixels (shapes).
    #[arg(long)]
    pub size: Option<usize>,
    /// Output file (.csv or .parquet), or a folder for generators of files.
    #[arg(long)]
    pub out: PathBuf,
}

/// Load a data file; what the reader changed (a repeated header name) goes to stderr as a
/// warning.
pub(crate) fn load(path: &Path) -> Result<data::Dataset> {
    let ds = data::load_path(path)?;
    for note in &ds.notes {
        eprintln!("warning: {note}");
    }
    Ok(ds)
}

fn gen_help() -> String {
    let mut s = String::from("Generators:\n");
    for g in generators::GENERATORS {
        s.push_str(&format!(
            "  {:<14} {} (default {} rows)\n",
            g.kind, g.about, g.default_rows
        ));
    }
    s
}

/// Run a parsed command. `Ok(())` means exit code 0.
pub fn run(command: Command, record: RecordRuns) -> Result<()> {
    match command {
        Command::Data(DataCommand::Info { file, json }) => info(&file, json),
        Command::Data(DataCommand::Summary { file, json, out }) => {
            summary(&file, json, out.as_deref())
        }
        Command::Data(DataCommand::Plot(args)) => plot(&args),
        Command::Data(DataCommand::Join {
            left,
            right,
            on,
            how,
            out,
        }) => join(&left, &right, &on, &how, &out),
        Command::Data(DataCommand::Hist {
            file,
            column,
            bins,
            out,
        }) => hist(&file, &column, bins, &out),
        Command::Gen(args) => generate(&args),
        Command::Dtw(c) => dtw::run(c, record),
        Command::Forecast(args) => forecast::run(&args, record),
        Command::Fraud(c) => fraud::run(c, record),
        Command::Spatial(c) => spatial::run(c, record),
        Command::Stock(c) => stock::run(c, record),
        Command::Images(c) => images::run(c, record),
        Command::Pitching(c) => pitching::run(c, record),
        Command::Sentiment(c) => sentiment::run(c, record),
        Command::Runs(c) => runs::run(c),
        #[cfg(feature = "gui")]
        Command::Open { files } => crate::app::run(files).map_err(|e| anyhow::anyhow!("{e}")),
        #[cfg(not(feature = "gui"))]
        Command::Open { .. } => {
            anyhow::bail!("this Playbook was built without its window (the gui feature)")
        }
        Command::Report {
            runs: ids,
            workspace,
            out,
        } => {
            let inputs: Vec<&std::path::Path> = workspace.iter().map(PathBuf::as_path).collect();
            outputs::check(
                &inputs,
                &[outputs::Output::new("--out", &out, outputs::Kind::Text)],
            )?;
            let store = crate::runs::RunStore::open(&crate::runs::home()?)?;
            let report = match &workspace {
                Some(w) => {
                    let ws = crate::workspace::Workspace::open(w, &crate::runs::home()?)?;
                    crate::report::of_workspace(&store, w, &ws)?
                }
                None => crate::report::of_runs(&store, &ids)?,
            };
            report.write(&out)?;
            println!("{}", out.display());
            Ok(())
        }
        Command::Demo { out } => {
            let artifacts = crate::demo::run(&out)?;
            for a in &artifacts {
                println!("{}\t{}", a.use_case, out.join(&a.file).display());
            }
            println!(
                "{} files; index at {}",
                artifacts.len(),
                out.join("index.html").display()
            );
            Ok(())
        }
    }
}

fn info(file: &Path, json: bool) -> Result<()> {
    let started = std::time::Instant::now();
    let ds = load(file)?;
    let load_seconds = started.elapsed().as_secs_f64();
    let cols = schema::column_infos(&ds.frame);
    if json {
        let v = serde_json::json!({
            "file": file.display().to_string(),
            "rows": ds.rows(),
            "columns": cols,
            "load_seconds": load_seconds,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!("{}: {} rows x {} columns", ds.name, ds.rows(), cols.len());
        let w = crate::format::column_width(cols.iter().map(|c| c.name.as_str()), 6);
        let pad = crate::format::pad;
        println!(
            "{}  {:<14} {:>10}",
            pad("column", w, true),
            "dtype",
            "nulls"
        );
        for c in &cols {
            println!("{}  {:<14} {:>10}", pad(&c.name, w, true), c.dtype, c.nulls);
        }
    }
    Ok(())
}

fn summary(file: &Path, json: bool, out: Option<&Path>) -> Result<()> {
    let outs: Vec<outputs::Output> = out
        .map(|o| outputs::Output::new("--out", o, outputs::Kind::Table))
        .into_iter()
        .collect();
    outputs::check(&[file], &outs)?;
    let ds = load(file)?;
    let rows = stats::summarize(&ds.frame, &NoProgress)?;
    let frame = stats::summary_frame(&rows)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        print!("{}", summary_text(&rows));
    }
    if let Some(out) = out {
        export::write_table(&frame, out)?;
    }
    Ok(())
}

/// The summary as an aligned plain-text table, every column shown.
fn summary_text(rows: &[stats::ColumnSummary]) -> String {
    let mut table: Vec<[String; 12]> = vec![crate::format::SUMMARY_HEADS.map(str::to_owned)];
    table.extend(rows.iter().map(crate::format::summary_cells));
    let widths: Vec<usize> = (0..12)
        .map(|c| crate::format::column_width(table.iter().map(|row| row[c].as_str()), 0))
        .collect();
    let mut out = String::new();
    for row in &table {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(c, (cell, &w))| crate::format::pad(cell, w, c < 2))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// Build a chart from columns and write it (or its plotted data): the CLI face of the Data
/// panel's chart builder.
fn plot(args: &PlotArgs) -> Result<()> {
    let spec = args.spec()?;
    let out = &args.out;
    outputs::check(
        &[&args.input],
        &[outputs::Output::new("--out", out, outputs::Kind::Chart)],
    )?;
    let ds = load(&args.input)?;
    let p = crate::usecases::explore::plot(&ds.name, &ds.frame, &spec)?;
    for note in &p.notes {
        eprintln!("note: {note}");
    }
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("csv" | "parquet") => export::write_table(&p.data, out)?,
        _ => export::write_charts(&crate::usecases::explore::PlotSpec::charts(&p), out)?,
    }
    println!(
        "{}: {} of {} rows plotted to {}",
        ds.name,
        p.rows,
        p.total,
        out.display()
    );
    Ok(())
}

/// Join two files on keys and write the table: the CLI face of the Data panel's Join view.
fn join(left: &Path, right: &Path, on: &[String], how: &str, out: &Path) -> Result<()> {
    use crate::compute::join::{JoinKind, join};
    let kind = match how {
        "inner" => JoinKind::Inner,
        "left" => JoinKind::Left,
        other => anyhow::bail!("--how must be inner or left, got '{other}'"),
    };
    let pairs: Vec<(String, String)> = on
        .iter()
        .map(|k| match k.split_once('=') {
            Some((a, b)) => (a.trim().to_owned(), b.trim().to_owned()),
            None => (k.trim().to_owned(), k.trim().to_owned()),
        })
        .collect();
    outputs::check(
        &[left, right],
        &[outputs::Output::new("--out", out, outputs::Kind::Table)],
    )?;
    let (l, r) = (load(left)?, load(right)?);
    let j = join((&l.name, &l.frame), (&r.name, &r.frame), &pairs, kind)?;
    export::write_table(&j.frame, out)?;
    eprintln!("{} joined with {}: {}", l.name, r.name, j.summary());
    println!("{}", out.display());
    Ok(())
}

/// Load, bin and write a histogram: the CLI face of the Data panel's histogram.
pub fn hist(file: &Path, column: &str, bins: usize, out: &Path) -> Result<()> {
    outputs::check(
        &[file],
        &[outputs::Output::new("--out", out, outputs::Kind::Chart)],
    )?;
    let ds = load(file)?;
    let values = schema::numeric_values(&ds.name, &ds.frame, column)?;
    if values.is_empty() {
        return Err(data::DataError::NoValues {
            file: ds.name.clone(),
            column: column.to_owned(),
        }
        .into());
    }
    let h = histogram::histogram(&values, bins, &NoProgress)
        .with_context(|| format!("{}: column '{column}'", ds.name))?;
    if h.left_out > 0 {
        eprintln!(
            "{}: column '{column}': {} NaN or infinite values left out of the histogram",
            ds.name, h.left_out
        );
    }
    let chart = Chart::histogram(format!("{} — {column}", ds.name), column, h);
    export::write_chart(&chart, out)?;
    Ok(())
}

/// Where a generator's truth table goes: `<stem>_truth.csv` beside its output.
pub(crate) fn truth_path(out: &std::path::Path) -> PathBuf {
    sibling_path(out, "truth")
}

/// `<stem>_<name>.<ext>` beside `out`; the truth table is always CSV.
fn sibling_path(out: &std::path::Path, name: &str) -> PathBuf {
    let stem = out.file_stem().map_or_else(
        || "generated".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    let ext = match (name, out.extension().and_then(|e| e.to_str())) {
        ("truth", _) | (_, None) => "csv",
        (_, Some(ext)) => ext,
    };
    out.with_file_name(format!("{stem}_{name}.{ext}"))
}

fn generate(args: &GenArgs) -> Result<()> {
    let Some(g) = generators::find(&args.kind) else {
        bail!(
            "unknown generator '{}' (known: {})",
            args.kind,
            generators::kinds()
        );
    };
    let params = generators::GenParams {
        rows: generators::MAX_ROWS.check(args.rows.unwrap_or(g.default_rows))?,
        seed: args.seed,
        stores: args.stores,
        items: args.items,
        days: args.days,
        season: args.season,
        games: args.games,
        assets: args.assets.clone(),
        classes: args.classes,
        per_class: args.per_class,
        size: args.size,
    };
    match g.make {
        generators::Make::Table(make) => {
            outputs::check(
                &[],
                &[outputs::Output::new(
                    "--out",
                    &args.out,
                    outputs::Kind::Table,
                )],
            )?;
            export::write_table(&make(&params)?, &args.out)?
        }
        generators::Make::TableWithTruth(make) => {
            let truth_path = truth_path(&args.out);
            outputs::check(
                &[],
                &[
                    outputs::Output::new("--out", &args.out, outputs::Kind::Table),
                    outputs::Output::new(
                        "(the truth beside it)",
                        &truth_path,
                        outputs::Kind::Table,
                    ),
                ],
            )?;
            let (table, truth) = make(&params)?;
            export::write_table(&table, &args.out)?;
            export::write_table(&truth, &truth_path)?;
            eprintln!("truth: {}", truth_path.display());
        }
        generators::Make::Tables(make) => {
            let paths: Vec<(&str, PathBuf)> = ["prices", "tweets", "truth"]
                .into_iter()
                .map(|name| (name, sibling_path(&args.out, name)))
                .collect();
            let outputs: Vec<outputs::Output> = paths
                .iter()
                .map(|(_, path)| outputs::Output::new("--out", path, outputs::Kind::Table))
                .collect();
            outputs::check(&[], &outputs)?;
            for (name, table) in make(&params)? {
                let path = sibling_path(&args.out, name);
                export::write_table(&table, &path)?;
                eprintln!("{name}: {} rows -> {}", table.height(), path.display());
            }
        }
        generators::Make::Files(make) => {
            std::fs::create_dir_all(&args.out)
                .with_context(|| format!("{}: cannot create", args.out.display()))?;
            let files = make(&params).map_err(anyhow::Error::msg)?;
            data::images::write_files(&args.out, &files)?;
        }
    }
    Ok(())
}
