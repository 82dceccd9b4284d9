//! Seeded daily store-item sales in the Kaggle store-item demand layout (date, store, item,
//! sales; 2013-01-01 to 2017-12-31): each series is a store level times an item level, with a
//! slowly growing trend, a weekly pattern (busier weekends), a yearly cycle peaking in July,
//! and count-like noise.

use polars::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::generators::{GenParams, normal};

/// 2013-01-01 and 2017-12-31 as days since 1970-01-01.
pub(crate) const FIRST_DAY: i32 = 15_706;
pub(crate) const LAST_DAY: i32 = 17_531;

/// Weekly factor by day of week (0 = Monday).
const WEEKLY: [f64; 7] = [0.80, 0.92, 0.94, 1.00, 1.07, 1.13, 1.16];

pub(crate) fn store_sales(p: &GenParams) -> PolarsResult<DataFrame> {
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let (stores, items) = (p.stores.unwrap_or(10), p.items.unwrap_or(50));
    let days = (LAST_DAY - FIRST_DAY + 1) as usize;
    // Sized first: the levels below are one per store and item.
    let n = super::generators::grid_rows(&[("stores", stores), ("items", items), ("days", days)])?;
    let store_level: Vec<f64> = (0..stores)
        .map(|_| 0.7 + 0.6 * rng.random::<f64>())
        .collect();
    let item_level: Vec<f64> = (0..items)
        .map(|_| 10.0 + 50.0 * rng.random::<f64>())
        .collect();
    let (mut date, mut store, mut item, mut sales) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for (s, &sl) in store_level.iter().enumerate() {
        for (i, &il) in item_level.iter().enumerate() {
            let growth = 0.05 + 0.1 * rng.random::<f64>();
            for k in 0..days {
                let day = FIRST_DAY + k as i32;
                let dow = crate::compute::forecast::series::weekday(day);
                let years = k as f64 / 365.25;
                let season = 1.0 + 0.25 * (std::f64::consts::TAU * (years - 0.45)).cos();
                let level = sl * il * (1.0 + growth * years) * WEEKLY[dow] * season;
                let value = (level + level.sqrt() * normal(&mut rng)).round().max(0.0);
                date.push(day);
                store.push((s + 1) as i64);
                item.push((i + 1) as i64);
                sales.push(value as i64);
            }
        }
    }
    DataFrame::new_infer_height(vec![
        Column::new("date".into(), date).cast(&DataType::Date)?,
        Column::new("store".into(), store),
        Column::new("item".into(), item),
        Column::new("sales".into(), sales),
    ])
}
