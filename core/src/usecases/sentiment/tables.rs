//! The sentiment tables (for the panel's grids, CSV exports and the CLI): windows, the
//! regression, the lead/lag correlations, the alerts and the classifier comparison.

use polars::prelude::*;

use super::classifiers::Comparison;
use super::{AssetAnalysis, SentimentOutput};
use crate::compute::sentiment::lags::CrossCorrelation;

fn strings(values: impl Iterator<Item = String>) -> Vec<String> {
    values.collect()
}

/// Every window of every asset.
pub fn windows(out: &SentimentOutput) -> PolarsResult<DataFrame> {
    let all: Vec<(
        &AssetAnalysis,
        &crate::compute::sentiment::windows::TimeWindow,
    )> = out
        .assets
        .iter()
        .flat_map(|a| a.windows.iter().map(move |w| (a, w)))
        .collect();
    // NaN (no tweets, no price, the first window's return) is written as an empty cell.
    let f =
        |g: &dyn Fn(&crate::compute::sentiment::windows::TimeWindow) -> f64| -> Vec<Option<f64>> {
            all.iter()
                .map(|(_, w)| Some(g(w)).filter(|v| v.is_finite()))
                .collect()
        };
    df!(
        "asset" => strings(all.iter().map(|(a, _)| a.name.clone())),
        "window_start" => strings(all.iter().map(|(_, w)| crate::format::time_ms(w.start))),
        "tweets" => all.iter().map(|(_, w)| w.tweets as i64).collect::<Vec<_>>(),
        "negative" => all.iter().map(|(_, w)| w.classes[0] as i64).collect::<Vec<_>>(),
        "neutral" => all.iter().map(|(_, w)| w.classes[1] as i64).collect::<Vec<_>>(),
        "positive" => all.iter().map(|(_, w)| w.classes[2] as i64).collect::<Vec<_>>(),
        "sentiment_sum" => f(&|w| w.sentiment),
        "sentiment_mean" => f(&|w| w.mean_sentiment()),
        "compound_mean" => f(&|w| w.compound),
        "close" => f(&|w| w.close),
        "log_return" => f(&|w| w.log_return),
        "volatility" => f(&|w| w.volatility),
        "volume" => f(&|w| w.volume),
    )
}

/// The regression of each asset: one row per coefficient (an asset without a fit gets one row
/// saying why).
pub fn regression(out: &SentimentOutput) -> PolarsResult<DataFrame> {
    let (mut asset, mut term, mut errors) = (Vec::new(), Vec::new(), Vec::new());
    let (mut estimate, mut std_error, mut t, mut p) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut r_squared, mut n) = (Vec::new(), Vec::new());
    for a in &out.assets {
        match &a.regression {
            Ok(fit) => {
                for c in &fit.coefficients {
                    asset.push(a.name.clone());
                    term.push(c.name.clone());
                    estimate.push(Some(c.estimate));
                    std_error.push(Some(c.std_error));
                    t.push(Some(c.t));
                    p.push(Some(c.p));
                    r_squared.push(Some(fit.r_squared));
                    n.push(fit.n as i64);
                    errors.push(fit.covariance.describe());
                }
            }
            Err(e) => {
                asset.push(a.name.clone());
                term.push(format!("(no fit: {e})"));
                for v in [
                    &mut estimate,
                    &mut std_error,
                    &mut t,
                    &mut p,
                    &mut r_squared,
                ] {
                    v.push(None);
                }
                n.push(0);
                errors.push(String::new());
            }
        }
    }
    df!(
        "asset" => asset,
        "term" => term,
        "estimate" => estimate,
        "std_error" => std_error,
        "t" => t,
        "p" => p,
        "r_squared" => r_squared,
        "n" => n,
        "errors" => errors,
    )
}

/// Both lead/lag series of every asset.
pub fn lags(out: &SentimentOutput) -> PolarsResult<DataFrame> {
    let mut rows: Vec<(String, &str, i64, f64, f64, i64)> = Vec::new();
    let mut push = |asset: &str, pair: &'static str, cc: &CrossCorrelation| {
        for l in &cc.lags {
            rows.push((
                asset.to_string(),
                pair,
                l.lag,
                l.correlation,
                cc.band,
                l.pairs as i64,
            ));
        }
    };
    for a in &out.assets {
        push(&a.name, "tweet volume -> volatility", &a.volume_volatility);
        push(&a.name, "sentiment -> return", &a.sentiment_return);
    }
    df!(
        "asset" => rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
        "pair" => rows.iter().map(|r| r.1).collect::<Vec<_>>(),
        "lag" => rows.iter().map(|r| r.2).collect::<Vec<_>>(),
        "correlation" => rows.iter().map(|r| r.3).collect::<Vec<_>>(),
        "band" => rows.iter().map(|r| r.4).collect::<Vec<_>>(),
        "pairs" => rows.iter().map(|r| r.5).collect::<Vec<_>>(),
    )
}

/// Every alert, in time order per asset.
pub fn alerts(out: &SentimentOutput) -> PolarsResult<DataFrame> {
    let all: Vec<&super::Alert> = out.alerts().collect();
    df!(
        "asset" => strings(all.iter().map(|a| out.assets[a.asset].name.clone())),
        "window_start" => strings(all.iter().map(|a| crate::format::time_ms(out.assets[a.asset].windows[a.window].start))),
        "rule" => all.iter().map(|a| a.rule.name()).collect::<Vec<_>>(),
        "value" => all.iter().map(|a| a.value).collect::<Vec<_>>(),
        "tweets" => all.iter().map(|a| out.assets[a.asset].windows[a.window].tweets as i64).collect::<Vec<_>>(),
    )
}

/// The classifier table: accuracy, macro-F1, the chosen regularisation and the confusion
/// matrix (rows: truth negative/neutral/positive, columns: predicted).
pub fn comparison(c: &Comparison) -> PolarsResult<DataFrame> {
    let cell = |r: usize, k: usize| -> Vec<i64> {
        c.rows
            .iter()
            .map(|m| m.test.confusion[r][k] as i64)
            .collect()
    };
    let mut columns = vec![
        Column::new(
            "model".into(),
            c.rows.iter().map(|r| r.model.name()).collect::<Vec<_>>(),
        ),
        Column::new(
            "accuracy".into(),
            c.rows.iter().map(|r| r.test.accuracy).collect::<Vec<_>>(),
        ),
        Column::new(
            "macro_f1".into(),
            c.rows.iter().map(|r| r.test.macro_f1).collect::<Vec<_>>(),
        ),
        Column::new(
            "regularisation".into(),
            c.rows
                .iter()
                .map(|r| match r.model.grid() {
                    ("none", _) => String::new(),
                    (what, _) => format!("{what} = {}", r.chosen),
                })
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "seconds".into(),
            c.rows.iter().map(|r| r.seconds).collect::<Vec<_>>(),
        ),
    ];
    let names = ["neg", "neu", "pos"];
    for (r, truth) in names.iter().enumerate() {
        for (k, predicted) in names.iter().enumerate() {
            columns.push(Column::new(
                format!("{truth}_as_{predicted}").into(),
                cell(r, k),
            ));
        }
    }
    DataFrame::new_infer_height(columns)
}
