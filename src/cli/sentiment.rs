//! `playbook sentiment ...`: VADER scores for a table of texts, the classifier comparison on a
//! labelled corpus, and the windows/regression/lead-lag analysis of tweets against prices, all
//! through `usecases::sentiment` like the Sentiment panel.

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::{Subcommand, ValueEnum};

use super::RecordRuns;
use super::outputs::{self, Kind, Output};
use crate::compute::sentiment::classify::{Model, Trained};
use crate::export;
use crate::runs::{of_dataset, of_file};
use crate::usecases::Analysis;
use crate::usecases::analysis::{SentimentClassifiers, SentimentWindows};
use crate::usecases::record::written;
use crate::usecases::sentiment::classifiers::ClassifierParams;
use crate::usecases::sentiment::{self as usecase, Columns, SentimentParams, tables};

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ModelArg {
    Vader,
    Lr,
    Svm,
    Nb,
    All,
}

#[derive(Subcommand, Debug)]
pub enum SentimentCommand {
    /// The input's columns plus neg, neu, pos, compound and class (VADER, neutral within ±0.05).
    Score {
        /// Texts (.csv, .parquet, .jsonl/.ndjson or .json).
        #[arg(long)]
        input: PathBuf,
        #[arg(long, default_value_t = SentimentParams::default().columns.text)]
        text_col: String,
        /// A model `sentiment train --model-out` saved (default: VADER): writes `score` (−1 to
        /// 1) and `class`.
        #[arg(long)]
        model: Option<PathBuf>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Train and compare classifiers on a labelled table: test accuracy and macro-F1 on a
    /// seeded split (regularisation chosen by cross-validation on the training part).
    Train {
        #[arg(long)]
        input: PathBuf,
        #[arg(long, default_value_t = ClassifierParams::default().text_col)]
        text_col: String,
        /// A numeric rating (> 0.5 positive, < −0.5 negative) or class names.
        #[arg(long, default_value_t = ClassifierParams::default().label_col)]
        label_col: String,
        #[arg(long, value_enum, default_value = "all")]
        model: ModelArg,
        #[arg(long, default_value_t = ClassifierParams::default().seed)]
        seed: u64,
        /// Share of the rows held out for the test.
        #[arg(long, default_value_t = ClassifierParams::default().test_share)]
        test_share: f64,
        #[arg(long, default_value_t = ClassifierParams::default().folds)]
        folds: usize,
        /// Print JSON (with the test rows, for peers to score the same split).
        #[arg(long)]
        json: bool,
        /// The comparison table (model, accuracy, macro_f1, confusion cells).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Save the trained model (with `--model all`, the best by test macro-F1) for
        /// `sentiment score --model` and `sentiment correlate --model`.
        #[arg(long)]
        model_out: Option<PathBuf>,
    },
    /// Windows per asset, OLS of return on sentiment, lead/lag correlations and alerts.
    Correlate {
        /// Tweets: timestamp, text (+ asset, followers, retweets).
        #[arg(long)]
        tweets: PathBuf,
        /// Prices: timestamp, asset, price (+ volume).
        #[arg(long)]
        prices: PathBuf,
        /// Window length: 15m, 1h, 1d or minutes.
        #[arg(long, default_value_t = format!("{}m", SentimentParams::default().window_minutes))]
        window: String,
        #[arg(long, default_value_t = SentimentParams::default().max_lag)]
        max_lag: usize,
        /// Newey-West lags for the regression's errors (0: classical errors).
        #[arg(long, default_value_t = SentimentParams::default().hac_lags)]
        hac_lags: usize,
        #[arg(long, default_value_t = Columns::default().text)]
        text_col: String,
        /// The tweets' asset column ("" when they name none).
        #[arg(long, default_value_t = Columns::default().tweet_asset)]
        tweet_asset_col: String,
        #[arg(long)]
        json: bool,
        /// One row per asset and window.
        #[arg(long)]
        out: PathBuf,
        /// The alerts (price move, tweet volume, sentiment swing).
        #[arg(long)]
        alerts_out: Option<PathBuf>,
        /// Score the tweets with a model `sentiment train --model-out` saved (default: VADER).
        #[arg(long)]
        model: Option<PathBuf>,
    },
}

/// "15m", "1h", "2d" or a bare number of minutes.
pub(crate) fn parse_window(text: &str) -> Result<u32> {
    let t = text.trim().to_ascii_lowercase();
    let (number, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => t.split_at(i),
        None => (t.as_str(), "m"),
    };
    let n: u32 = number
        .parse()
        .map_err(|_| anyhow::anyhow!("--window: '{text}' is not a length (e.g. 15m, 1h, 1d)"))?;
    let minutes = match unit.trim() {
        "m" | "min" | "" => n,
        "h" => n.saturating_mul(60),
        "d" => n.saturating_mul(1440),
        other => bail!("--window: unknown unit '{other}' (use m, h or d)"),
    };
    Ok(minutes)
}

pub fn run(command: SentimentCommand, record: RecordRuns) -> Result<()> {
    match command {
        SentimentCommand::Score {
            input,
            text_col,
            model,
            out,
        } => {
            let mut inputs = vec![input.as_path()];
            inputs.extend(model.as_deref());
            outputs::check(&inputs, &[Output::new("--out", &out, Kind::Table)])?;
            let trained = model.as_deref().map(Trained::load).transpose()?;
            let ds = super::load(&input)?;
            let started = std::time::Instant::now();
            let scored = usecase::scored_frame(&ds.name, &ds.frame, &text_col, trained.as_ref())?;
            let seconds = started.elapsed().as_secs_f64();
            export::write_table(&scored, &out)?;
            eprintln!(
                "{} texts scored in {seconds:.2} s ({:.0} per second) -> {}",
                scored.height(),
                scored.height() as f64 / seconds.max(1e-9),
                out.display()
            );
            Ok(())
        }
        SentimentCommand::Train {
            input,
            text_col,
            label_col,
            model,
            seed,
            test_share,
            folds,
            json,
            out,
            model_out,
        } => {
            let models = match model {
                ModelArg::Vader => vec![Model::Vader],
                ModelArg::Lr => vec![Model::Logistic],
                ModelArg::Svm => vec![Model::Svm],
                ModelArg::Nb => vec![Model::NaiveBayes],
                ModelArg::All => Model::ALL.to_vec(),
            };
            let params = ClassifierParams {
                text_col,
                label_col,
                models,
                seed,
                test_share,
                folds,
                ..Default::default()
            };
            let valid = SentimentClassifiers::check(&params)?;
            let mut outs: Vec<Output> = out
                .iter()
                .map(|p| Output::new("--out", p, Kind::Table))
                .collect();
            outs.extend(
                model_out
                    .iter()
                    .map(|p| Output::new("--model-out", p, Kind::Text)),
            );
            outputs::check(&[&input], &outs)?;
            let ds = super::load(&input)?;
            let comparison = record.analyse::<SentimentClassifiers>(
                &params,
                &valid,
                &ds,
                vec![of_dataset("labelled", &ds)],
                |c| {
                    let mut artifacts = Vec::new();
                    if let Some(path) = &out {
                        export::write_table(&tables::comparison(c)?, path)?;
                        artifacts.push(written("classifier comparison", path));
                    }
                    if let Some(path) = &model_out {
                        let best = c
                            .rows
                            .iter()
                            .filter(|r| r.trained.is_some())
                            .max_by(|a, b| a.test.macro_f1.total_cmp(&b.test.macro_f1));
                        if let Some(r) = best.and_then(|r| r.trained.as_ref().map(|t| (r, t))) {
                            r.1.save(path)?;
                            eprintln!(
                                "{} (test macro-F1 {:.3}) saved -> {}",
                                r.0.model.name(),
                                r.0.test.macro_f1,
                                path.display()
                            );
                            artifacts.push(written("trained model", path));
                        }
                    }
                    Ok(artifacts)
                },
            )?;
            if json {
                println!("{}", serde_json::to_string_pretty(&comparison)?);
            } else {
                println!(
                    "{} texts: {} train, {} test (seed {})",
                    comparison.n_train + comparison.n_test,
                    comparison.n_train,
                    comparison.n_test,
                    comparison.seed
                );
                println!(
                    "{:<22} {:>9} {:>9} {:>8}",
                    "model", "accuracy", "macro-F1", "seconds"
                );
                for r in &comparison.rows {
                    println!(
                        "{:<22} {:>9.4} {:>9.4} {:>8.1}",
                        r.model.name(),
                        r.test.accuracy,
                        r.test.macro_f1,
                        r.seconds
                    );
                }
            }
            Ok(())
        }
        SentimentCommand::Correlate {
            tweets,
            prices,
            window,
            max_lag,
            hac_lags,
            text_col,
            tweet_asset_col,
            json,
            out,
            alerts_out,
            model,
        } => {
            let params = SentimentParams {
                columns: Columns {
                    text: text_col,
                    tweet_asset: tweet_asset_col,
                    ..Columns::default()
                },
                window_minutes: parse_window(&window)?,
                max_lag,
                hac_lags,
                ..SentimentParams::default()
            };
            let valid = usecase::check_params(&params)?;
            let mut outs = vec![Output::new("--out", &out, Kind::Table)];
            if let Some(path) = &alerts_out {
                outs.push(Output::new("--alerts-out", path, Kind::Table));
            }
            let mut inputs = vec![tweets.as_path(), prices.as_path()];
            inputs.extend(model.as_deref());
            outputs::check(&inputs, &outs)?;
            let trained = model.as_deref().map(Trained::load).transpose()?;
            let tweets_ds = super::load(&tweets)?;
            let prices_ds = super::load(&prices)?;
            let mut fingerprints = vec![
                of_dataset("tweets", &tweets_ds),
                of_dataset("prices", &prices_ds),
            ];
            if let Some(path) = &model {
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                fingerprints.push(
                    of_file("model", &name, path)
                        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
                );
            }
            let result = record.analyse::<SentimentWindows>(
                &params,
                &valid,
                (&tweets_ds, &prices_ds, trained.as_ref()),
                fingerprints,
                |o| {
                    export::write_table(&tables::windows(o)?, &out)?;
                    let mut artifacts = vec![written("windows", &out)];
                    if let Some(path) = &alerts_out {
                        export::write_table(&tables::alerts(o)?, path)?;
                        artifacts.push(written("alerts", path));
                    }
                    Ok(artifacts)
                },
            )?;
            if json {
                let assets: Vec<serde_json::Value> = result
                    .assets
                    .iter()
                    .map(|a| {
                        serde_json::json!({
                            "asset": a.name,
                            "windows": a.windows.len(),
                            "regression": a.regression.as_ref().map_err(String::clone),
                            "volume_volatility": a.volume_volatility,
                            "sentiment_return": a.sentiment_return,
                            "granger": a.granger.as_ref().map_err(String::clone),
                            "alerts": a.alerts.len(),
                        })
                    })
                    .collect();
                let v = serde_json::json!({
                    "scorer": result.scorer,
                    "tweets": result.n_tweets,
                    "unmatched_tweets": result.unmatched_tweets,
                    "window_minutes": result.params.window_minutes,
                    "assets": assets,
                    "seconds": result.seconds,
                });
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                println!(
                    "{} tweets scored by {}, {}-minute windows, {:.2} s",
                    result.n_tweets, result.scorer, result.params.window_minutes, result.seconds
                );
                for a in &result.assets {
                    match &a.regression {
                        Ok(fit) => {
                            println!(
                                "{}: return ~ sentiment + tweets, N {}, R² {:.4}, errors {}",
                                a.name,
                                fit.n,
                                fit.r_squared,
                                fit.covariance.describe()
                            );
                            for c in &fit.coefficients {
                                println!(
                                    "  {:<10} {:>12.4e} se {:>11.4e} t {:>7.2} p {}",
                                    c.name,
                                    c.estimate,
                                    c.std_error,
                                    c.t,
                                    crate::format::p_value(c.p)
                                );
                            }
                        }
                        Err(e) => println!("{}: no regression: {e}", a.name),
                    }
                    if let Some(best) = a.volume_volatility.strongest() {
                        println!(
                            "  tweet volume vs volatility: strongest at lag {} ({:.3}; band ±{:.3})",
                            best.lag, best.correlation, a.volume_volatility.band
                        );
                    }
                    println!("  {} alerts", a.alerts.len());
                }
            }
            Ok(())
        }
    }
}
