//! Sentiment of short texts and its relation to prices: VADER scores (a faithful port of the
//! Python package), trained text classifiers, time windows per asset, OLS with Newey-West
//! errors and lead/lag correlations. Pure computations; the orchestration is in
//! `usecases::sentiment`.

pub mod classify;
pub mod features;
pub mod lags;
pub mod logistic;
pub mod ols;
pub mod vader;
pub mod windows;

pub use vader::{Polarity, Vader, vader};

/// VADER's usual three classes from a compound score: within ±0.05 is neutral.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Class {
    Negative,
    Neutral,
    Positive,
}

impl Class {
    pub const ALL: [Class; 3] = [Class::Negative, Class::Neutral, Class::Positive];

    pub fn of_compound(compound: f64) -> Class {
        if compound >= 0.05 {
            Class::Positive
        } else if compound <= -0.05 {
            Class::Negative
        } else {
            Class::Neutral
        }
    }

    /// −1, 0 or +1, the score the book sums per window.
    pub fn score(self) -> f64 {
        match self {
            Class::Negative => -1.0,
            Class::Neutral => 0.0,
            Class::Positive => 1.0,
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            Class::Negative => "negative",
            Class::Neutral => "neutral",
            Class::Positive => "positive",
        }
    }

    pub fn parse(text: &str) -> Option<Class> {
        match text.trim().to_ascii_lowercase().as_str() {
            "negative" | "neg" | "-1" => Some(Class::Negative),
            "neutral" | "neu" | "0" => Some(Class::Neutral),
            "positive" | "pos" | "1" | "+1" => Some(Class::Positive),
            _ => None,
        }
    }
}
