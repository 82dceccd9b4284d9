//! The sentiment use case (the book's last chapter): tweets about crypto assets are scored with
//! VADER, summed per asset in windows (15 minutes by default), and set against the assets'
//! prices: an OLS of the window's return on its sentiment and tweet count (Newey-West errors by
//! default), lead/lag correlations of tweet volume with volatility and of sentiment with
//! returns, a Granger-style F test, and alert rules. `classifiers` compares VADER with trained
//! classifiers on a labelled corpus; `tables` and `charts` turn the outputs into what the panel,
//! the CLI and the demo show.

pub mod charts;
pub mod classifiers;
pub mod tables;

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::{Result, bail};
use polars::prelude::*;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::record::{Recordable, metrics};
use super::{Bound, ParamError, non_empty};
use crate::compute::sentiment::classify::{Model, Trained};
use crate::compute::sentiment::lags::{CrossCorrelation, cross_correlation};
use crate::compute::sentiment::ols::{Covariance, Granger, OlsFit, granger, ols};
use crate::compute::sentiment::windows::{Price, TimeWindow, Tweet, windows};
use crate::compute::sentiment::{Class, Polarity, vader};
use crate::compute::{Progress, check};
use crate::data::Dataset;
use crate::data::schema::{column, timestamps_ms};

pub const ID: &str = "sentiment";

pub const WINDOW_MINUTES: Bound<u32> = Bound::new("window (minutes)", 1, 1440);
pub const MAX_LAG: Bound<usize> = Bound::new("largest lag (windows)", 1, 48);
pub const HAC_LAGS: Bound<usize> = Bound::new("Newey-West lags", 0, 48);
pub const GRANGER_LAGS: Bound<usize> = Bound::new("Granger lags", 1, 12);
pub const PRICE_MOVE: Bound<f64> = Bound::new("price move (%)", 0.01, 100.0);
pub const VOLUME_MULTIPLE: Bound<f64> = Bound::new("tweet volume (× median)", 1.0, 100.0);
pub const SENTIMENT_SWING: Bound<f64> = Bound::new("sentiment swing", 0.01, 2.0);
/// Fewest tweets in each of two windows for their sentiment swing to count.
pub const SWING_MIN_TWEETS: usize = 5;

/// Which columns hold what.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Columns {
    pub tweet_time: String,
    pub text: String,
    /// Empty: the tweets name no asset and count for every asset.
    pub tweet_asset: String,
    pub price_time: String,
    pub price_asset: String,
    pub price: String,
    /// Empty: no traded volume.
    pub volume: String,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            tweet_time: "timestamp".into(),
            text: "text".into(),
            tweet_asset: "asset".into(),
            price_time: "timestamp".into(),
            price_asset: "asset".into(),
            price: "price".into(),
            volume: "volume".into(),
        }
    }
}

/// Alert rules, checked on every window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlertRules {
    /// |window return| above this many percent.
    pub price_move_pct: f64,
    /// Tweets in a window above this multiple of the asset's median.
    pub volume_multiple: f64,
    /// Mean −1/0/+1 sentiment changing by more than this from the window before (both
    /// windows with at least `SWING_MIN_TWEETS` tweets, so that two tweets cannot swing it).
    pub sentiment_swing: f64,
}

impl Default for AlertRules {
    fn default() -> Self {
        AlertRules {
            price_move_pct: 2.0,
            volume_multiple: 3.0,
            sentiment_swing: 1.0,
        }
    }
}

/// What a user chooses for a sentiment run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SentimentParams {
    pub columns: Columns,
    pub window_minutes: u32,
    pub max_lag: usize,
    /// Newey-West lags for the regression's errors; 0 gives classical errors.
    pub hac_lags: usize,
    pub granger_lags: usize,
    pub alerts: AlertRules,
}

impl Default for SentimentParams {
    fn default() -> Self {
        SentimentParams {
            columns: Columns::default(),
            window_minutes: 15,
            max_lag: 8,
            hac_lags: 4,
            granger_lags: 2,
            alerts: AlertRules::default(),
        }
    }
}

/// Params that passed `check`.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidSentimentParams(SentimentParams);

impl ValidSentimentParams {
    pub fn params(&self) -> &SentimentParams {
        &self.0
    }
}

pub fn check_params(p: &SentimentParams) -> Result<ValidSentimentParams, ParamError> {
    let c = &p.columns;
    non_empty("tweet time column", &c.tweet_time)?;
    non_empty("text column", &c.text)?;
    non_empty("price time column", &c.price_time)?;
    non_empty("price column", &c.price)?;
    WINDOW_MINUTES.check(p.window_minutes)?;
    MAX_LAG.check(p.max_lag)?;
    HAC_LAGS.check(p.hac_lags)?;
    GRANGER_LAGS.check(p.granger_lags)?;
    PRICE_MOVE.check(p.alerts.price_move_pct)?;
    VOLUME_MULTIPLE.check(p.alerts.volume_multiple)?;
    SENTIMENT_SWING.check(p.alerts.sentiment_swing)?;
    Ok(ValidSentimentParams(p.clone()))
}

/// VADER's scores for every text (in parallel), empty texts scored as neutral zeros.
pub(crate) fn score_texts(texts: &[Option<&str>]) -> Vec<Polarity> {
    texts
        .par_iter()
        .map(|t| t.map(|t| vader().polarity(t)).unwrap_or_default())
        .collect()
}

/// Whether `model` is a trained classifier (not VADER, which `None` also means).
fn trained(model: Option<&Trained>) -> Option<&Trained> {
    model.filter(|m| m.model != Model::Vader)
}

/// The column `scored_frame` writes each text's score in: VADER's compound, or a trained
/// model's score.
fn score_column(model: Option<&Trained>) -> &'static str {
    if trained(model).is_some() {
        "score"
    } else {
        "compound"
    }
}

/// The input frame with `neg, neu, pos, compound, class` added by VADER (what `sentiment
/// score` writes), or with a trained model, `score` (−1 to 1, see `Trained::sentiment`) and
/// `class`. Existing columns of those names are replaced.
pub fn scored_frame(
    file: &str,
    df: &DataFrame,
    text_col: &str,
    model: Option<&Trained>,
) -> Result<DataFrame> {
    let text = column(file, df, text_col)?
        .cast(&DataType::String)
        .map_err(|e| anyhow::anyhow!("{file}: column '{text_col}': {e}"))?;
    let texts: Vec<Option<&str>> = text.str()?.iter().collect();
    if let Some(m) = trained(model) {
        let plain: Vec<&str> = texts.iter().map(|t| t.unwrap_or("")).collect();
        let scored = m.sentiment(&plain);
        let mut out = df.clone();
        out.with_column(Column::new(
            "score".into(),
            scored.iter().map(|s| s.1).collect::<Vec<f64>>(),
        ))?;
        out.with_column(Column::new(
            "class".into(),
            scored.iter().map(|s| s.0.name()).collect::<Vec<&str>>(),
        ))?;
        return Ok(out);
    }
    let scores = score_texts(&texts);
    let mut out = df.clone();
    let column_of = |name: &str, f: fn(&Polarity) -> f64| {
        Column::new(name.into(), scores.iter().map(f).collect::<Vec<f64>>())
    };
    for c in [
        column_of("neg", |p| p.neg),
        column_of("neu", |p| p.neu),
        column_of("pos", |p| p.pos),
        column_of("compound", |p| p.compound),
        Column::new(
            "class".into(),
            scores
                .iter()
                .map(|p| Class::of_compound(p.compound).name())
                .collect::<Vec<&str>>(),
        ),
    ] {
        out.with_column(c)?;
    }
    Ok(out)
}

/// The assets' price series, read from a long table (time, asset, price[, volume]). Without
/// an asset column the table is one asset, named after the price column.
pub struct Prices {
    pub assets: Vec<String>,
    pub series: Vec<Vec<Price>>,
    pub skipped: usize,
}

pub(crate) fn read_prices(file: &str, df: &DataFrame, c: &Columns) -> Result<Prices> {
    let times = timestamps_ms(file, df, &c.price_time)?;
    let price = crate::data::schema::numeric_rows(file, df, &c.price)?;
    let volume = if c.volume.is_empty() || df.column(&c.volume).is_err() {
        vec![0.0; df.height()]
    } else {
        crate::data::schema::numeric_rows(file, df, &c.volume)?
    };
    let assets: Vec<Option<String>> = if c.price_asset.is_empty() {
        vec![Some(c.price.clone()); df.height()]
    } else {
        let a = column(file, df, &c.price_asset)?.cast(&DataType::String)?;
        a.str()?.iter().map(|v| v.map(str::to_string)).collect()
    };
    let mut by_asset: BTreeMap<String, Vec<Price>> = BTreeMap::new();
    let mut skipped = 0;
    for i in 0..df.height() {
        match (times[i], &assets[i], price[i]) {
            (Some(at), Some(asset), p) if p.is_finite() && p > 0.0 => {
                by_asset.entry(asset.clone()).or_default().push(Price {
                    at,
                    price: p,
                    volume: if volume[i].is_finite() {
                        volume[i]
                    } else {
                        0.0
                    },
                });
            }
            _ => skipped += 1,
        }
    }
    if by_asset.is_empty() {
        bail!("{file}: no rows with a time, an asset and a positive price");
    }
    let (assets, mut series): (Vec<String>, Vec<Vec<Price>>) = by_asset.into_iter().unzip();
    for s in &mut series {
        s.sort_by_key(|p| p.at);
    }
    Ok(Prices {
        assets,
        series,
        skipped,
    })
}

/// The scored tweets.
pub struct Tweets {
    /// The input table with the scores added and `asset_index` (−1: every asset).
    pub frame: DataFrame,
    pub points: Vec<Tweet>,
    /// Tweets naming an asset that has no prices, or with no time.
    pub unmatched: usize,
}

pub(crate) fn read_tweets(
    file: &str,
    df: &DataFrame,
    c: &Columns,
    assets: &[String],
    model: Option<&Trained>,
) -> Result<Tweets> {
    let times = timestamps_ms(file, df, &c.tweet_time)?;
    let frame = scored_frame(file, df, &c.text, model)?;
    let compound: Vec<f64> = frame
        .column(score_column(model))?
        .f64()?
        .iter()
        .map(|v| v.unwrap_or(0.0))
        .collect();
    let named: Option<Vec<Option<String>>> =
        if c.tweet_asset.is_empty() || df.column(&c.tweet_asset).is_err() {
            None
        } else {
            let a = df.column(&c.tweet_asset)?.cast(&DataType::String)?;
            Some(
                a.str()?
                    .iter()
                    .map(|v| v.map(|s| s.trim().to_string()))
                    .collect(),
            )
        };
    let mut points = Vec::with_capacity(df.height());
    let mut unmatched = 0;
    let mut index_column = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let asset = match &named {
            None => Some(None),
            Some(named) => match &named[i] {
                None => Some(None),
                Some(name) if name.is_empty() => Some(None),
                Some(name) => assets
                    .iter()
                    .position(|a| a.eq_ignore_ascii_case(name))
                    .map(Some),
            },
        };
        match (times[i], asset) {
            (Some(at), Some(asset)) => {
                index_column.push(asset.map_or(-1, |a| a as i64));
                points.push(Tweet {
                    at,
                    asset,
                    class: Class::of_compound(compound[i]),
                    compound: compound[i],
                });
            }
            _ => {
                index_column.push(-2);
                unmatched += 1;
            }
        }
    }
    let mut frame = frame;
    frame.with_column(Column::new("time_ms".into(), times))?;
    frame.with_column(Column::new("asset_index".into(), index_column))?;
    Ok(Tweets {
        frame,
        points,
        unmatched,
    })
}

/// Which rule a window broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum BrokenRule {
    PriceMove,
    TweetVolume,
    SentimentSwing,
}

impl BrokenRule {
    pub fn name(self) -> &'static str {
        match self {
            BrokenRule::PriceMove => "price move",
            BrokenRule::TweetVolume => "tweet volume",
            BrokenRule::SentimentSwing => "sentiment swing",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alert {
    pub asset: usize,
    /// Index into the asset's windows.
    pub window: usize,
    pub rule: BrokenRule,
    /// What the rule measured (percent, multiple of the median, or the swing).
    pub value: f64,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.retain(|x| x.is_finite());
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

pub fn alerts(asset: usize, windows: &[TimeWindow], rules: &AlertRules) -> Vec<Alert> {
    let typical = median(windows.iter().map(|w| w.tweets as f64).collect()).max(1.0);
    let mut out = Vec::new();
    for (k, w) in windows.iter().enumerate() {
        let pct = (w.log_return.exp() - 1.0) * 100.0;
        if pct.abs() > rules.price_move_pct {
            out.push(Alert {
                asset,
                window: k,
                rule: BrokenRule::PriceMove,
                value: pct,
            });
        }
        let multiple = w.tweets as f64 / typical;
        if multiple > rules.volume_multiple {
            out.push(Alert {
                asset,
                window: k,
                rule: BrokenRule::TweetVolume,
                value: multiple,
            });
        }
        if k > 0 && w.tweets >= SWING_MIN_TWEETS && windows[k - 1].tweets >= SWING_MIN_TWEETS {
            let swing = w.mean_sentiment() - windows[k - 1].mean_sentiment();
            if swing.abs() > rules.sentiment_swing {
                out.push(Alert {
                    asset,
                    window: k,
                    rule: BrokenRule::SentimentSwing,
                    value: swing,
                });
            }
        }
    }
    out
}

/// One asset's analysis.
#[derive(Clone, Debug)]
pub struct AssetAnalysis {
    pub name: String,
    pub windows: Vec<TimeWindow>,
    /// Return on summed sentiment and tweet count (windows with a return).
    pub regression: Result<OlsFit, String>,
    /// Tweet count with realised volatility (k > 0: tweets first).
    pub volume_volatility: CrossCorrelation,
    /// Mean sentiment with return (k > 0: sentiment first).
    pub sentiment_return: CrossCorrelation,
    /// Does sentiment help predict returns beyond their own past?
    pub granger: Result<Granger, String>,
    pub alerts: Vec<Alert>,
}

/// The regression's rows: windows with a return, as (return, summed sentiment, tweets).
pub(crate) fn regression_rows(windows: &[TimeWindow]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let kept: Vec<&TimeWindow> = windows
        .iter()
        .filter(|w| w.log_return.is_finite())
        .collect();
    (
        kept.iter().map(|w| w.log_return).collect(),
        kept.iter().map(|w| w.sentiment).collect(),
        kept.iter().map(|w| w.tweets as f64).collect(),
    )
}

pub fn analyse(
    name: &str,
    asset: usize,
    windows: Vec<TimeWindow>,
    p: &SentimentParams,
) -> AssetAnalysis {
    let (returns, sentiment, tweets) = regression_rows(&windows);
    let covariance = if p.hac_lags == 0 {
        Covariance::Classical
    } else {
        Covariance::NeweyWest { lags: p.hac_lags }
    };
    let regression = ols(
        &returns,
        &[("sentiment", &sentiment), ("tweets", &tweets)],
        covariance,
    );
    let count: Vec<f64> = windows.iter().map(|w| w.tweets as f64).collect();
    let volatility: Vec<f64> = windows.iter().map(|w| w.volatility).collect();
    let mean: Vec<f64> = windows.iter().map(TimeWindow::mean_sentiment).collect();
    let ret: Vec<f64> = windows.iter().map(|w| w.log_return).collect();
    let granger = granger(&returns, &sentiment, p.granger_lags);
    AssetAnalysis {
        name: name.to_string(),
        volume_volatility: cross_correlation(&count, &volatility, p.max_lag),
        sentiment_return: cross_correlation(&mean, &ret, p.max_lag),
        granger,
        alerts: alerts(asset, &windows, &p.alerts),
        regression,
        windows,
    }
}

/// One sentence saying what an asset's numbers show, worked out from them (the panel's headline
/// and the demo's finding): the regression's sign and R² when significant, and where tweet
/// volume's correlation with volatility peaks and whether it leads. None when nothing stands out.
pub fn finding(a: &AssetAnalysis) -> Option<String> {
    use crate::format::{p_value, significant};
    let mut parts = Vec::new();
    if let Ok(fit) = &a.regression
        && let Some(c) = fit.coefficient("sentiment")
    {
        parts.push(if c.p < 0.05 {
            format!(
                "windows with more positive tweets had {} returns (R² {})",
                if c.estimate > 0.0 { "higher" } else { "lower" },
                significant(fit.r_squared, 2)
            )
        } else {
            format!(
                "no clear linear relation between sentiment and return (p {})",
                p_value(c.p)
            )
        });
    }
    let cc = &a.volume_volatility;
    if let Some(best) = cc.strongest()
        && best.correlation.abs() > cc.band
    {
        // Lags 1, 2, ... in a row above the band: tweets rising before the move.
        let lead = cc
            .lags
            .iter()
            .filter(|l| l.lag > 0)
            .take_while(|l| l.correlation > cc.band)
            .count();
        parts.push(format!(
            "tweet volume goes with volatility (r = {:.2} at lag {}){}",
            best.correlation,
            best.lag,
            if lead > 0 {
                format!(", and is above the band up to {lead} window(s) before the move")
            } else {
                String::new()
            }
        ));
    }
    (!parts.is_empty()).then(|| format!("{}: {}.", a.name, parts.join("; ")))
}

/// A sentiment run's result.
#[derive(Clone)]
pub struct SentimentOutput {
    pub tweets_name: String,
    pub prices_name: String,
    pub tweets: Arc<DataFrame>,
    pub assets: Vec<AssetAnalysis>,
    pub n_tweets: usize,
    pub unmatched_tweets: usize,
    pub skipped_prices: usize,
    pub params: SentimentParams,
    pub seconds: f64,
    /// What scored the tweets: "VADER" or a trained model's name.
    pub scorer: String,
}

impl SentimentOutput {
    pub fn class_counts(&self) -> [usize; 3] {
        let mut counts = [0; 3];
        for a in &self.assets {
            for w in &a.windows {
                for (total, n) in counts.iter_mut().zip(w.classes) {
                    *total += n;
                }
            }
        }
        counts
    }

    pub fn alerts(&self) -> impl Iterator<Item = &Alert> {
        self.assets.iter().flat_map(|a| a.alerts.iter())
    }
}

/// Score the tweets, window them with the prices per asset, and analyse every asset.
pub fn run(
    valid: &ValidSentimentParams,
    tweets: &Dataset,
    prices: &Dataset,
    model: Option<&Trained>,
    progress: &dyn Progress,
) -> Result<SentimentOutput> {
    let started = std::time::Instant::now();
    let p = valid.params();
    progress.report(0.05, "reading prices");
    let priced = read_prices(&prices.name, &prices.frame, &p.columns)?;
    check(progress)?;
    let scorer = trained(model).map_or("VADER", |m| m.model.name());
    progress.report(0.2, &format!("scoring tweets with {scorer}"));
    let scored = read_tweets(
        &tweets.name,
        &tweets.frame,
        &p.columns,
        &priced.assets,
        model,
    )?;
    if scored.points.is_empty() {
        bail!(
            "{}: no tweet has a time and an asset with prices ({})",
            tweets.name,
            priced.assets.join(", ")
        );
    }
    check(progress)?;
    progress.report(0.7, "windows and regressions");
    let length = i64::from(p.window_minutes) * 60_000;
    let per_asset = windows(&priced.series, &scored.points, length);
    let assets = per_asset
        .into_iter()
        .enumerate()
        .map(|(k, w)| analyse(&priced.assets[k], k, w, p))
        .collect();
    Ok(SentimentOutput {
        tweets_name: tweets.name.clone(),
        prices_name: prices.name.clone(),
        n_tweets: scored.points.len(),
        unmatched_tweets: scored.unmatched,
        skipped_prices: priced.skipped,
        tweets: Arc::new(scored.frame),
        assets,
        params: p.clone(),
        seconds: started.elapsed().as_secs_f64(),
        scorer: scorer.to_owned(),
    })
}

impl Recordable for SentimentOutput {
    fn metrics(&self) -> serde_json::Map<String, serde_json::Value> {
        let [neg, neu, pos] = self.class_counts();
        let mut m = metrics([
            ("tweets", self.n_tweets as f64),
            ("negative", neg as f64),
            ("neutral", neu as f64),
            ("positive", pos as f64),
            ("assets", self.assets.len() as f64),
            ("alerts", self.alerts().count() as f64),
            ("compute_seconds", self.seconds),
        ]);
        for a in &self.assets {
            if let Ok(fit) = &a.regression
                && let Some(c) = fit.coefficient("sentiment")
            {
                m.extend(metrics([
                    (format!("{}_sentiment_coef", a.name).as_str(), c.estimate),
                    (format!("{}_sentiment_p", a.name).as_str(), c.p),
                    (format!("{}_r2", a.name).as_str(), fit.r_squared),
                ]));
            }
        }
        m
    }

    fn charts(&self) -> Vec<crate::chart::Chart> {
        self.assets
            .first()
            .map(|a| vec![charts::scatter(a), charts::lead_lag(a)])
            .unwrap_or_default()
    }
}
