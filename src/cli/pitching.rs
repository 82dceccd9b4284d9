//! `playbook pitching ...`: spin flags for a season, the league's weeks, flags scored against a
//! generator's truth, and live ingestion (`watch`) fed by `replay`, all through
//! `usecases::pitching` like the Pitching panel.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};

use super::RecordRuns;
use super::outputs::{self, Kind, Output};
use crate::compute::pitching::{self, Rule};
use crate::export;
use crate::runs::of_dataset;
use crate::usecases::analysis::PitchingFlags;
use crate::usecases::pitching::live::{self, LiveEvent, WatchOptions};
use crate::usecases::pitching::{self as usecase, PitchingOutput, PitchingParams, tables};
use crate::usecases::record::written;

/// The flag rule (every default is `Rule`'s, written once).
#[derive(Args, Debug)]
pub struct RuleArgs {
    /// Robust SDs above the pitcher's velocity-adjusted median that flag a pitch.
    #[arg(long, default_value_t = Rule::default().z)]
    pub z: f64,
    /// Robust SDs above the regression's expected spin also needed.
    #[arg(long, default_value_t = Rule::default().regression_z)]
    pub regression_z: f64,
    /// His latest earlier outings that make the baseline.
    #[arg(long, default_value_t = Rule::default().history_outings)]
    pub history_outings: usize,
    #[arg(long, default_value_t = Rule::default().min_outings)]
    pub min_outings: usize,
    #[arg(long, default_value_t = Rule::default().min_pitches)]
    pub min_pitches: usize,
    /// Flagged pitches that make a flagged outing.
    #[arg(long, default_value_t = Rule::default().min_flagged)]
    pub min_flagged: usize,
    /// A pitch this many SDs up is also flagged when this outing's pitches of its type so far
    /// have a median this high ...
    #[arg(long, default_value_t = Rule::default().sustained_z)]
    pub sustained_z: f64,
    /// ... over at least this many pitches.
    #[arg(long, default_value_t = Rule::default().sustained_pitches)]
    pub sustained_pitches: usize,
}

impl RuleArgs {
    fn params(&self) -> PitchingParams {
        PitchingParams {
            rule: Rule {
                z: self.z,
                regression_z: self.regression_z,
                history_outings: self.history_outings,
                min_outings: self.min_outings,
                min_pitches: self.min_pitches,
                min_flagged: self.min_flagged,
                sustained_z: self.sustained_z,
                sustained_pitches: self.sustained_pitches,
            },
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum PitchingCommand {
    /// One row per pitch: game_pk, pitcher, pitch_type, pitch_number, release_spin_rate,
    /// expected, z, flagged, reason (then game_date, at_bat_number, player_name,
    /// release_speed, regression_z).
    Flags {
        /// Statcast-layout pitches (.csv or .parquet).
        #[arg(long)]
        input: PathBuf,
        /// Earlier pitches used only as baseline.
        #[arg(long)]
        history: Option<PathBuf>,
        #[command(flatten)]
        rule: RuleArgs,
        /// Print a JSON summary instead of a line.
        #[arg(long)]
        json: bool,
        #[arg(long)]
        out: PathBuf,
        /// One row per outing (flagged pitches, types, the strongest reason).
        #[arg(long)]
        outings_out: Option<PathBuf>,
    },
    /// The league view: pitches, average spin, speed and Bauer units per week and pitch type.
    League {
        #[arg(long)]
        input: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Flagged outings against a truth table (`gen pitches` writes one): recall and precision.
    Score {
        #[arg(long)]
        input: PathBuf,
        #[arg(long)]
        truth: PathBuf,
        #[command(flatten)]
        rule: RuleArgs,
    },
    /// Write pitches into a folder one file at a time, in game order, to demo or test the live
    /// view (each file is written as .tmp and renamed).
    Replay {
        #[arg(long)]
        input: PathBuf,
        /// Only this game (game_pk).
        #[arg(long)]
        game: Option<i64>,
        /// Only this pitcher's pitches (id).
        #[arg(long)]
        pitcher: Option<i64>,
        #[arg(long)]
        dir: PathBuf,
        #[arg(long, default_value_t = live::REPLAY_MS)]
        interval_ms: u64,
        /// Pitches per file.
        #[arg(long, default_value_t = 1)]
        per_file: usize,
        /// Stop after this many files.
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Headless live ingestion: watch a folder, append each new pitch's flag to --out, keep a
    /// checkpoint so that a restart repeats and loses nothing; Ctrl-C stops cleanly.
    Watch {
        #[arg(long)]
        dir: PathBuf,
        /// Earlier pitches (the season so far) for the baselines and the spin regression.
        #[arg(long)]
        history: Option<PathBuf>,
        #[command(flatten)]
        rule: RuleArgs,
        #[arg(long)]
        out: PathBuf,
        /// Scan interval of the polling fallback.
        #[arg(long, default_value_t = WatchOptions::new("").poll.as_millis() as u64)]
        poll_ms: u64,
        /// Poll only (no system file notifications).
        #[arg(long)]
        no_notify: bool,
        /// Stop after this many seconds (default: until Ctrl-C).
        #[arg(long)]
        seconds: Option<f64>,
        /// Print the summary as JSON when stopping.
        #[arg(long)]
        json: bool,
    },
}

/// Check, load, record and run; `write` writes the outputs (its files become the run's
/// artifacts).
fn flags(
    input: &std::path::Path,
    history: Option<&PathBuf>,
    params: &PitchingParams,
    outs: &[Output<'_>],
    record: RecordRuns,
    write: impl FnOnce(&PitchingOutput) -> Result<Vec<crate::runs::ArtifactRecord>>,
) -> Result<PitchingOutput> {
    let valid = usecase::check(params)?;
    let mut inputs = vec![input];
    inputs.extend(history.map(PathBuf::as_path));
    outputs::check(&inputs, outs)?;
    let ds = super::load(input)?;
    let hist = history.map(|h| super::load(h)).transpose()?;
    let mut fingerprints = vec![of_dataset("pitches", &ds)];
    fingerprints.extend(hist.as_ref().map(|h| of_dataset("history", h)));
    record.analyse::<PitchingFlags>(params, &valid, (&ds, hist.as_ref()), fingerprints, write)
}

pub fn run(command: PitchingCommand, record: RecordRuns) -> Result<()> {
    match command {
        PitchingCommand::Flags {
            input,
            history,
            rule,
            json,
            out,
            outings_out,
        } => {
            let mut outs = vec![Output::new("--out", &out, Kind::Table)];
            if let Some(p) = &outings_out {
                outs.push(Output::new("--outings-out", p, Kind::Table));
            }
            let result = flags(
                &input,
                history.as_ref(),
                &rule.params(),
                &outs,
                record,
                |o| {
                    export::write_table(&tables::flags_frame(o)?, &out)?;
                    let mut files = vec![written("flags", &out)];
                    if let Some(p) = &outings_out {
                        export::write_table(&tables::outings_frame(o, false)?, p)?;
                        files.push(written("outings", p));
                    }
                    Ok(files)
                },
            )?;
            if json {
                let v = serde_json::json!({
                    "pitches": result.pitches.pitches.len(),
                    "pitchers": result.pitchers(),
                    "flagged_pitches": result.flagged_pitches(),
                    "flagged_outings": result.flagged_outings().count(),
                    "outings": result.outings.len(),
                    "history_pitches": result.history_pitches,
                    "skipped_rows": result.pitches.skipped,
                    "seconds": result.seconds,
                });
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                println!("{}", result.summary());
            }
            Ok(())
        }
        PitchingCommand::League { input, out } => {
            outputs::check(&[&input], &[Output::new("--out", &out, Kind::Table)])?;
            let ds = super::load(&input)?;
            let pitches = pitching::from_frame(&ds.name, &ds.frame)?;
            let rows = pitching::league::weekly(&pitches.pitches);
            export::write_table(&tables::league_frame(&rows)?, &out)?;
            println!(
                "{} weeks x pitch types from {} pitches",
                rows.len(),
                pitches.pitches.len()
            );
            Ok(())
        }
        PitchingCommand::Score { input, truth, rule } => {
            let result = flags(
                &input,
                None,
                &rule.params(),
                &[],
                record,
                |_| Ok(Vec::new()),
            )?;
            let t = super::load(&truth)?;
            let s = usecase::score::score(&result, &t.name, &t.frame)?;
            let v = serde_json::json!({
                "score": s,
                "pitches": result.pitches.pitches.len(),
                "seconds": result.seconds,
            });
            println!("{}", serde_json::to_string_pretty(&v)?);
            Ok(())
        }
        PitchingCommand::Replay {
            input,
            game,
            pitcher,
            dir,
            interval_ms,
            per_file,
            limit,
        } => {
            outputs::check(&[&input], &[])?;
            let ds = super::load(&input)?;
            let mut pitches = pitching::from_frame(&ds.name, &ds.frame)?;
            pitches.pitches.retain(|p| {
                game.is_none_or(|g| p.game_pk == g) && pitcher.is_none_or(|x| p.pitcher == x)
            });
            if pitches.pitches.is_empty() {
                bail!("{}: no pitches for that game or pitcher", ds.name);
            }
            if let Some(n) = limit {
                pitches.pitches.truncate(n.saturating_mul(per_file.max(1)));
            }
            let stop = ctrl_c()?;
            let written_files = live::replay(
                &pitches,
                &dir,
                Duration::from_millis(interval_ms),
                per_file,
                &|| stop.load(Ordering::Relaxed),
                &mut |i, n| {
                    if i % 50 == 0 || i == n {
                        eprintln!("{i}/{n} files");
                    }
                },
            )?;
            println!("{written_files} files written to {}", dir.display());
            Ok(())
        }
        PitchingCommand::Watch {
            dir,
            history,
            rule,
            out,
            poll_ms,
            no_notify,
            seconds,
            json,
        } => {
            let params = rule.params();
            let valid = usecase::check(&params)?;
            let inputs: Vec<&std::path::Path> = history.iter().map(PathBuf::as_path).collect();
            outputs::check(&inputs, &[Output::new("--out", &out, Kind::Table)])?;
            if out.extension().and_then(|e| e.to_str()) != Some("csv") {
                bail!(
                    "{}: the watcher appends rows, so --out must be a .csv",
                    out.display()
                );
            }
            if let Some(s) = seconds
                && !(s.is_finite() && s >= 0.0)
            {
                bail!("--seconds {s}: not a number of seconds (0 or more)");
            }
            if outputs::resolved(&out).parent() == Some(outputs::resolved(&dir).as_path()) {
                bail!(
                    "--out {}: is inside the watched folder {}, where it would be read back as \
                     pitches; write it elsewhere",
                    out.display(),
                    dir.display()
                );
            }
            let hist = match &history {
                Some(h) => {
                    let ds = super::load(h)?;
                    Some(pitching::from_frame(&ds.name, &ds.frame)?)
                }
                None => None,
            };
            let opts = WatchOptions {
                poll: Duration::from_millis(poll_ms.clamp(10, 10_000)),
                out: Some(out.clone()),
                use_notify: !no_notify,
                ..WatchOptions::new(&dir)
            };
            let stop = ctrl_c()?;
            let started = std::time::Instant::now();
            let deadline = seconds.map(|s| Duration::from_secs_f64(s.clamp(0.0, 1e7)));
            let stop_now =
                || stop.load(Ordering::Relaxed) || deadline.is_some_and(|d| started.elapsed() >= d);
            let summary = live::watch(
                &opts,
                &valid.params().rule,
                hist.as_ref(),
                &stop_now,
                &mut |e| {
                    match e {
                        LiveEvent::Started {
                            notify,
                            resumed,
                            history,
                        } => eprintln!(
                            "watching {} ({}); {resumed} files already ingested, {history} \
                             pitches of history; Ctrl-C stops",
                            dir.display(),
                            if notify {
                                "file notifications and polling"
                            } else {
                                "polling"
                            }
                        ),
                        LiveEvent::Scored { file, scores, .. } => {
                            let flagged = scores.iter().filter(|s| s.flagged).count();
                            if flagged > 0 {
                                eprintln!("{file}: {flagged} flagged");
                            }
                        }
                        LiveEvent::Quarantined { file, reason } => {
                            eprintln!("{file}: quarantined: {reason}");
                        }
                        LiveEvent::Rewritten { file } => eprintln!(
                            "{file}: written again after it was read; its new content is not \
                             read (write new pitches under a new name)"
                        ),
                    }
                    Ok(())
                },
            )
            .context("watching stopped")?;
            if json {
                println!("{}", serde_json::to_string_pretty(&summary)?);
            } else {
                println!(
                    "{} files, {} pitches, {} flagged, {} quarantined; latency p50 {:.0} ms, p99 \
                     {:.0} ms",
                    summary.files,
                    summary.pitches,
                    summary.flagged,
                    summary.quarantined,
                    summary.latency_p50_ms,
                    summary.latency_p99_ms
                );
            }
            Ok(())
        }
    }
}

/// A flag that Ctrl-C sets (the second Ctrl-C ends the process at once).
fn ctrl_c() -> Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::Relaxed) {
            std::process::exit(130);
        }
    })
    .context("cannot catch Ctrl-C")?;
    Ok(stop)
}
