//! The most frequent values of a column, for bar charts of categorical data. Values are
//! compared by their text form; ties are broken alphabetically so the order is stable.

use std::collections::HashMap;

use polars::prelude::*;

use super::{Cancelled, Progress, check};

/// Counts of the `k` most frequent values, plus what the rest and the nulls add up to.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TopValues {
    pub values: Vec<(String, u64)>,
    pub other: u64,
    pub nulls: u64,
    pub distinct: usize,
}

pub fn top_values(col: &Column, k: usize, progress: &dyn Progress) -> Result<TopValues, Cancelled> {
    let mut counts: HashMap<String, u64> = HashMap::new();
    let nulls = col.null_count() as u64;
    let series = col.as_materialized_series();
    match series.str() {
        Ok(ca) => {
            let mut borrowed: HashMap<&str, u64> = HashMap::new();
            for (i, v) in ca.iter().flatten().enumerate() {
                if i % (1 << 20) == 0 {
                    check(progress)?;
                }
                *borrowed.entry(v).or_default() += 1;
            }
            counts.extend(borrowed.into_iter().map(|(k, v)| (k.to_owned(), v)));
        }
        Err(_) => {
            let text = series.cast(&DataType::String).ok();
            if let Some(ca) = text.as_ref().and_then(|s| s.str().ok()) {
                for (i, v) in ca.iter().flatten().enumerate() {
                    if i % (1 << 20) == 0 {
                        check(progress)?;
                    }
                    *counts.entry(v.to_owned()).or_default() += 1;
                }
            }
        }
    }
    let distinct = counts.len();
    let mut all: Vec<(String, u64)> = counts.into_iter().collect();
    all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let other = all.iter().skip(k).map(|(_, c)| c).sum();
    all.truncate(k);
    Ok(TopValues {
        values: all,
        other,
        nulls,
        distinct,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::NoProgress;

    #[test]
    fn counts_and_orders_values() {
        let col = Column::new(
            "w".into(),
            [Some("rain"), Some("sun"), Some("rain"), None, Some("fog")],
        );
        let t = top_values(&col, 2, &NoProgress).unwrap();
        assert_eq!(t.values, vec![("rain".into(), 2), ("fog".into(), 1)]);
        assert_eq!((t.other, t.nulls, t.distinct), (1, 1, 3));
    }

    #[test]
    fn works_on_integers() {
        let col = Column::new("n".into(), [3i64, 1, 3, 3]);
        let t = top_values(&col, 5, &NoProgress).unwrap();
        assert_eq!(t.values, vec![("3".into(), 3), ("1".into(), 1)]);
    }
}
