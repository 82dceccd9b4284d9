//! The sentiment charts, the same for the panel, the exports, the run store and the demo:
//! price with sentiment on a second axis, the class mix, return against sentiment with the fitted line,
//! the lead/lag correlations with their band, and the classifier comparison.

use super::AssetAnalysis;
use super::classifiers::Comparison;
use crate::chart::{Band, Chart, Line};
use crate::compute::sentiment::Class;
use crate::compute::sentiment::windows::TimeWindow;

const DAY_MS: f64 = 86_400_000.0;

fn day(ms: i64) -> f64 {
    ms as f64 / DAY_MS
}

/// Windows merged into buckets of `per` windows, so a month of 15-minute windows draws as
/// hours or days rather than 3,000 jagged points.
fn buckets(windows: &[TimeWindow], per: usize) -> Vec<(f64, [usize; 3], f64, usize)> {
    windows
        .chunks(per.max(1))
        .map(|c| {
            let mut classes = [0; 3];
            let mut compound = 0.0;
            let mut tweets = 0;
            for w in c {
                for (total, n) in classes.iter_mut().zip(w.classes) {
                    *total += n;
                }
                if w.tweets > 0 {
                    compound += w.compound * w.tweets as f64;
                    tweets += w.tweets;
                }
            }
            (day(c[0].start), classes, compound, tweets)
        })
        .collect()
}

/// How many windows make a bucket: about 120 points over the span.
fn bucket_size(windows: &[TimeWindow]) -> usize {
    windows.len().div_ceil(120).max(1)
}

/// The price per window, with the mean VADER compound score per bucket on a right-hand axis.
pub(crate) fn price_sentiment(a: &AssetAnalysis) -> Chart {
    let price = a
        .windows
        .iter()
        .filter(|w| w.close.is_finite())
        .map(|w| (day(w.start), w.close))
        .collect();
    let per = bucket_size(&a.windows);
    let compound = buckets(&a.windows, per)
        .into_iter()
        .filter(|b| b.3 > 0)
        .map(|(x, _, compound, tweets)| (x, compound / tweets as f64))
        .collect();
    let minutes = per as u32 * window_minutes(&a.windows);
    Chart::lines(
        format!("{}: price and mean sentiment", a.name),
        "time",
        "price",
        vec![
            Line::new("price", price),
            Line::new(
                format!(
                    "mean compound per {} (right axis)",
                    crate::format::minutes(minutes)
                ),
                compound,
            ),
        ],
        Vec::new(),
    )
    .dated()
    .with_secondary("mean VADER compound", vec![1])
}

/// Tweets per class over time.
pub(crate) fn class_mix(a: &AssetAnalysis) -> Chart {
    let per = bucket_size(&a.windows);
    let buckets = buckets(&a.windows, per);
    let lines = Class::ALL
        .iter()
        .map(|class| {
            Line::new(
                class.name(),
                buckets
                    .iter()
                    .map(|(x, classes, _, _)| (*x, classes[class.index()] as f64))
                    .collect(),
            )
        })
        .collect();
    let minutes = per as u32 * window_minutes(&a.windows);
    Chart::lines(
        format!(
            "{}: tweets per class ({} per point)",
            a.name,
            crate::format::minutes(minutes)
        ),
        "time",
        "tweets",
        lines,
        Vec::new(),
    )
    .dated()
}

fn window_minutes(windows: &[TimeWindow]) -> u32 {
    match windows {
        [a, b, ..] => ((b.start - a.start) / 60_000) as u32,
        _ => 15,
    }
}

/// Window return (%) against summed sentiment, with the fitted line (tweets held at their
/// mean) and its numbers in the title.
pub fn scatter(a: &AssetAnalysis) -> Chart {
    let (returns, sentiment, tweets) = super::regression_rows(&a.windows);
    let dots: Vec<(f64, f64)> = sentiment
        .iter()
        .zip(&returns)
        .map(|(s, r)| (*s, r * 100.0))
        .collect();
    let mut lines = vec![Line::dots("windows", dots)];
    let mut title = format!("{}: window return against summed sentiment", a.name);
    if let Ok(fit) = &a.regression {
        let b0 = fit.coefficients[0].estimate;
        let b1 = fit.coefficients[1].estimate;
        let b2 = fit.coefficients[2].estimate;
        let mean_tweets = tweets.iter().sum::<f64>() / tweets.len().max(1) as f64;
        let (lo, hi) = crate::chart::value_range(&sentiment);
        let at = |s: f64| (b0 + b1 * s + b2 * mean_tweets) * 100.0;
        lines.push(Line::new("fitted", vec![(lo, at(lo)), (hi, at(hi))]));
        title = format!(
            "{title} (slope {} %/point, p {}, R² {}, N {})",
            crate::format::significant(b1 * 100.0, 3),
            crate::format::p_value(fit.coefficients[1].p),
            crate::format::significant(fit.r_squared, 2),
            fit.n
        );
    }
    Chart::lines(
        title,
        "summed sentiment (−1/0/+1 per tweet)",
        "return (%)",
        lines,
        Vec::new(),
    )
}

/// Lead/lag correlations: tweet volume with volatility and mean sentiment with return, by lag
/// in windows (k > 0: the first moves first), with the ±1.96/√n band.
pub fn lead_lag(a: &AssetAnalysis) -> Chart {
    let series = |cc: &crate::compute::sentiment::lags::CrossCorrelation| -> Vec<(f64, f64)> {
        cc.lags
            .iter()
            .filter(|l| l.correlation.is_finite())
            .map(|l| (l.lag as f64, l.correlation))
            .collect()
    };
    let band = a.volume_volatility.band;
    let span: Vec<(f64, f64, f64)> = a
        .volume_volatility
        .lags
        .iter()
        .map(|l| (l.lag as f64, -band, band))
        .collect();
    Chart::lines(
        format!(
            "{}: lead/lag correlation (lag > 0: first series leads)",
            a.name
        ),
        "lag (windows)",
        "correlation",
        vec![
            Line::new(
                "tweet volume, then volatility",
                series(&a.volume_volatility),
            ),
            Line::new("sentiment, then return", series(&a.sentiment_return)),
        ],
        Vec::new(),
    )
    .with_band(Band {
        name: "95% band (no correlation)".into(),
        line: 0,
        points: span,
    })
    .with_marker("lag 0", 0.0)
}

/// Test accuracy per model.
pub fn classifier_bars(c: &Comparison) -> Chart {
    let mut chart = Chart::bars(
        format!("Test accuracy on {} held-out texts of {}", c.n_test, c.name),
        "model",
        c.rows.iter().map(|r| r.model.name().to_string()).collect(),
        c.rows.iter().map(|r| r.test.accuracy * 100.0).collect(),
    );
    chart.y_label = "accuracy (%)".into();
    chart.with_source(c.name.clone())
}

/// The overview's four charts of one asset (price with sentiment, class mix, scatter with the
/// fit, lead/lag), each noting the tables they come from: what the panel and the demo show.
pub fn asset_charts(out: &super::SentimentOutput, a: &AssetAnalysis) -> [Chart; 4] {
    let source = format!("{} and {}", out.tweets_name, out.prices_name);
    [price_sentiment(a), class_mix(a), scatter(a), lead_lag(a)]
        .map(|c| c.with_source(source.clone()))
}
