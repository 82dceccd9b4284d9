//! Time windows per asset, as the book sums them: tweet count, the summed and mean −1/0/+1
//! class score, the mean compound score, the class mix, and from the prices the window's log
//! return (last price against the previous window's last price), its realised volatility (root
//! of the summed squared log returns between consecutive prices inside it) and traded volume.
//! Tweets without an asset count for every asset (market-wide talk).

use super::Class;

/// A price observation of one asset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Price {
    /// Milliseconds since 1970-01-01 UTC.
    pub at: i64,
    pub price: f64,
    pub volume: f64,
}

/// A scored tweet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tweet {
    pub at: i64,
    /// Index into the asset list, or None for a tweet about no asset in particular.
    pub asset: Option<usize>,
    pub class: Class,
    pub compound: f64,
}

/// One window of one asset.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TimeWindow {
    pub asset: usize,
    /// Start, in milliseconds since 1970 UTC.
    pub start: i64,
    pub tweets: usize,
    /// Tweets per class: negative, neutral, positive.
    pub classes: [usize; 3],
    /// Σ of −1/0/+1 over the window's tweets.
    pub sentiment: f64,
    /// Mean compound score (NaN without tweets).
    pub compound: f64,
    /// Last price in the window (NaN when the window has no price).
    pub close: f64,
    /// ln(close / previous close) (NaN for the first window or a gap).
    pub log_return: f64,
    pub volatility: f64,
    pub volume: f64,
}

impl TimeWindow {
    /// Mean −1/0/+1 score (NaN without tweets).
    pub(crate) fn mean_sentiment(&self) -> f64 {
        if self.tweets == 0 {
            f64::NAN
        } else {
            self.sentiment / self.tweets as f64
        }
    }
}

/// Windows of `length` milliseconds for each asset, over the span of that asset's prices
/// (prices sorted by time). Returns one vector per asset.
pub fn windows(prices: &[Vec<Price>], tweets: &[Tweet], length: i64) -> Vec<Vec<TimeWindow>> {
    let length = length.max(1);
    prices
        .iter()
        .enumerate()
        .map(|(asset, series)| {
            let (Some(first), Some(last)) = (series.first(), series.last()) else {
                return Vec::new();
            };
            let origin = first.at.div_euclid(length) * length;
            let count = ((last.at - origin).div_euclid(length) + 1) as usize;
            let mut out: Vec<TimeWindow> = (0..count)
                .map(|k| TimeWindow {
                    asset,
                    start: origin + k as i64 * length,
                    tweets: 0,
                    classes: [0; 3],
                    sentiment: 0.0,
                    compound: 0.0,
                    close: f64::NAN,
                    log_return: f64::NAN,
                    volatility: 0.0,
                    volume: 0.0,
                })
                .collect();
            let slot = |at: i64| -> Option<usize> {
                let k = (at - origin).div_euclid(length);
                (0..count as i64).contains(&k).then_some(k as usize)
            };
            let mut previous: Option<f64> = None;
            let mut squares = vec![0.0; count];
            for p in series {
                let Some(k) = slot(p.at) else { continue };
                if let Some(before) = previous
                    && before > 0.0
                    && p.price > 0.0
                {
                    squares[k] += (p.price / before).ln().powi(2);
                }
                out[k].close = p.price;
                out[k].volume += p.volume;
                previous = Some(p.price);
            }
            for k in 0..count {
                out[k].volatility = squares[k].sqrt();
                if k > 0 && out[k].close > 0.0 && out[k - 1].close > 0.0 {
                    out[k].log_return = (out[k].close / out[k - 1].close).ln();
                }
            }
            let mut compound_sum = vec![0.0; count];
            for t in tweets.iter().filter(|t| t.asset.is_none_or(|a| a == asset)) {
                let Some(k) = slot(t.at) else { continue };
                let w = &mut out[k];
                w.tweets += 1;
                w.classes[t.class.index()] += 1;
                w.sentiment += t.class.score();
                compound_sum[k] += t.compound;
            }
            for (w, sum) in out.iter_mut().zip(compound_sum) {
                w.compound = if w.tweets > 0 {
                    sum / w.tweets as f64
                } else {
                    f64::NAN
                };
            }
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_sum_tweets_and_price_moves() {
        let minute = 60_000;
        let prices = vec![vec![
            Price {
                at: 0,
                price: 100.0,
                volume: 1.0,
            },
            Price {
                at: 5 * minute,
                price: 110.0,
                volume: 2.0,
            },
            Price {
                at: 15 * minute,
                price: 121.0,
                volume: 1.0,
            },
            Price {
                at: 29 * minute,
                price: 121.0,
                volume: 1.0,
            },
        ]];
        let tweet = |at: i64, class, asset| Tweet {
            at,
            asset,
            class,
            compound: class.score() / 2.0,
        };
        let tweets = [
            tweet(minute, Class::Positive, Some(0)),
            tweet(2 * minute, Class::Negative, None),
            tweet(3 * minute, Class::Positive, Some(1)),
            tweet(20 * minute, Class::Positive, Some(0)),
        ];
        let w = &windows(&prices, &tweets, 15 * minute)[0];
        assert_eq!(w.len(), 2);
        assert_eq!(
            (w[0].tweets, w[0].sentiment, w[0].classes),
            (2, 0.0, [1, 0, 1])
        );
        assert!(w[0].log_return.is_nan());
        assert!((w[0].volatility - (1.1f64).ln()).abs() < 1e-12);
        assert!((w[1].log_return - (121.0f64 / 110.0).ln()).abs() < 1e-12);
        assert_eq!((w[1].tweets, w[1].volume), (1, 2.0));
    }
}
