//! Seeded crypto prices and a tweet stream about them, for the sentiment use case.
//!
//! - **Prices** (`timestamp, asset, price, volume`), one row per asset and minute: a log random
//!   walk (daily volatility 3% for BTC, 4% for ETH, 5% for others) with jumps of 1.5-4%, about
//!   1.5 a day per asset, leaning back towards the starting price. Traded volume rises with the tweet burst around a jump.
//! - **Tweets** (`timestamp, asset, text, followers, retweets`): a base rate of `base_rate`
//!   tweets a minute per asset. After every jump a burst (5 a minute, decaying with a 20-minute
//!   time constant); before a share `leak_share` of the jumps ("leaked news") a burst of 3 a
//!   minute over the 30 minutes before it. So tweet volume goes with volatility, partly before
//!   the move (the planted lead), mostly after it.
//! - **The documented relation between sentiment and returns**: a tweet's class is drawn with
//!   P(positive) = 0.40 + 0.25·tanh(link·z/2) and P(negative) = 0.25 − 0.15·tanh(link·z/2), z
//!   being the asset's log return over the 15 minutes before the tweet in units of its standard
//!   deviation. Sentiment follows the price; it does not lead it. Texts are drawn from the
//!   bundled human-rated corpus (`sample-data/tweets_labelled.csv`) by their rated class (mean
//!   rating > 0.5 positive, < −0.5 negative), prefixed with the asset's cashtag.
//! - **Truth** (`asset, timestamp, size, leaked`): every jump.

use polars::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::generators::normal;

const CORPUS: &[u8] = include_bytes!("../../../sample-data/tweets_labelled.csv");
const MINUTE_MS: i64 = 60_000;
/// 2024-03-01 00:00 UTC.
const START_MS: i64 = 19_783 * 86_400_000;

/// What `playbook gen crypto` sets.
#[derive(Debug, Clone, PartialEq)]
pub struct CryptoParams {
    pub assets: Vec<String>,
    pub days: usize,
    pub seed: u64,
    /// Share of jumps with a tweet burst before them.
    pub leak_share: f64,
    /// Tweets per minute per asset outside bursts.
    pub base_rate: f64,
    /// Strength of the sentiment-follows-return link (0: none).
    pub link: f64,
}

impl Default for CryptoParams {
    fn default() -> Self {
        CryptoParams {
            assets: vec!["BTC".into(), "ETH".into()],
            days: 30,
            seed: 42,
            leak_share: 0.5,
            base_rate: 0.5,
            link: 1.0,
        }
    }
}

/// The generated tables.
pub struct Crypto {
    pub prices: DataFrame,
    pub tweets: DataFrame,
    pub truth: DataFrame,
}

/// The corpus's texts by rated class: negative, neutral, positive.
fn corpus_by_class() -> PolarsResult<[Vec<String>; 3]> {
    let ds = super::load_bytes("tweets_labelled.csv", CORPUS)
        .map_err(|e| PolarsError::ComputeError(e.to_string().into()))?;
    let rating = ds.frame.column("rating")?.cast(&DataType::Float64)?;
    let text = ds.frame.column("text")?.cast(&DataType::String)?;
    let mut by_class: [Vec<String>; 3] = Default::default();
    for (r, t) in rating.f64()?.iter().zip(text.str()?.iter()) {
        if let (Some(r), Some(t)) = (r, t) {
            let k = if r > 0.5 {
                2
            } else if r < -0.5 {
                0
            } else {
                1
            };
            by_class[k].push(t.to_string());
        }
    }
    Ok(by_class)
}

fn poisson(rng: &mut ChaCha8Rng, lambda: f64) -> usize {
    // Knuth's method; rates here are below about 10 a minute.
    let limit = (-lambda).exp();
    let mut k = 0;
    let mut p: f64 = rng.random();
    while p > limit {
        k += 1;
        p *= rng.random::<f64>();
    }
    k
}

fn stamp(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default()
}

pub fn crypto(p: &CryptoParams) -> PolarsResult<Crypto> {
    let corpus = corpus_by_class()?;
    if corpus.iter().any(Vec::is_empty) {
        return Err(PolarsError::ComputeError(
            "the bundled corpus lacks a class".into(),
        ));
    }
    let minutes = p.days.max(1) * 1440;
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let mut prices = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut tweets = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut truth = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for asset in &p.assets {
        let (start_price, daily) = match asset.as_str() {
            "BTC" => (62_000.0, 0.03),
            "ETH" => (3_400.0, 0.04),
            _ => (100.0, 0.05),
        };
        let sigma = daily / 1440f64.sqrt();
        // The path first, so that bursts can start before a jump.
        let mut log_price = Vec::with_capacity(minutes);
        let mut jumps = Vec::new();
        let mut level = f64::ln(start_price);
        for m in 0..minutes {
            level += sigma * normal(&mut rng);
            if rng.random::<f64>() < 1.5 / 1440.0 {
                // Jumps lean back towards the starting price, so a month stays plausible.
                let up = (0.5 - 1.5 * (level - start_price.ln())).clamp(0.2, 0.8);
                let size = if rng.random::<f64>() < up { 1.0 } else { -1.0 }
                    * rng.random_range(0.015..0.04);
                level += size;
                let leaked = rng.random::<f64>() < p.leak_share;
                jumps.push((m, size, leaked));
            }
            log_price.push(level);
        }
        let mut burst = vec![0.0; minutes];
        for &(m, size, leaked) in &jumps {
            for (k, b) in burst.iter_mut().enumerate().skip(m).take(90) {
                *b += 5.0 * (-((k - m) as f64) / 20.0).exp();
            }
            if leaked {
                for b in burst.iter_mut().take(m).skip(m.saturating_sub(30)) {
                    *b += 3.0;
                }
            }
            truth.0.push(asset.clone());
            truth.1.push(stamp(START_MS + m as i64 * MINUTE_MS));
            truth.2.push(size);
            truth.3.push(leaked);
        }
        let sigma15 = sigma * 15f64.sqrt();
        for m in 0..minutes {
            let at = START_MS + m as i64 * MINUTE_MS;
            prices.0.push(stamp(at));
            prices.1.push(asset.clone());
            prices.2.push((log_price[m].exp() * 100.0).round() / 100.0);
            let volume = (0.3 * normal(&mut rng)).exp() * (1.0 + burst[m]);
            prices.3.push((volume * 1000.0).round() / 1000.0);
            let n = poisson(&mut rng, p.base_rate + burst[m]);
            let z = if m >= 15 {
                (log_price[m] - log_price[m - 15]) / sigma15
            } else {
                0.0
            };
            let tilt = (p.link * z / 2.0).tanh();
            let (p_pos, p_neg) = (0.40 + 0.25 * tilt, 0.25 - 0.15 * tilt);
            let mut seconds: Vec<i64> = (0..n).map(|_| rng.random_range(0..60_000)).collect();
            seconds.sort_unstable();
            for offset in seconds {
                let u: f64 = rng.random();
                let class = if u < p_pos {
                    2
                } else if u < p_pos + p_neg {
                    0
                } else {
                    1
                };
                let texts = &corpus[class];
                let text = &texts[rng.random_range(0..texts.len())];
                tweets.0.push(stamp(at + offset));
                tweets.1.push(asset.clone());
                tweets.2.push(format!("${asset} {text}"));
                tweets
                    .3
                    .push((6.0 + 1.5 * normal(&mut rng)).exp().round() as i64);
                tweets
                    .4
                    .push(((1.2 * normal(&mut rng)).exp() - 1.0).max(0.0).floor() as i64);
            }
        }
    }
    // Tweets of all assets in time order, as a stream would deliver them.
    let mut order: Vec<usize> = (0..tweets.0.len()).collect();
    order.sort_by(|&a, &b| tweets.0[a].cmp(&tweets.0[b]));
    let pick = |v: &Vec<String>| order.iter().map(|&i| v[i].clone()).collect::<Vec<_>>();
    let pick_i = |v: &Vec<i64>| order.iter().map(|&i| v[i]).collect::<Vec<_>>();
    Ok(Crypto {
        prices: df!(
            "timestamp" => prices.0,
            "asset" => prices.1,
            "price" => prices.2,
            "volume" => prices.3,
        )?,
        tweets: df!(
            "timestamp" => pick(&tweets.0),
            "asset" => pick(&tweets.1),
            "text" => pick(&tweets.2),
            "followers" => pick_i(&tweets.3),
            "retweets" => pick_i(&tweets.4),
        )?,
        truth: df!(
            "asset" => truth.0,
            "timestamp" => truth.1,
            "size" => truth.2,
            "leaked" => truth.3,
        )?,
    })
}
