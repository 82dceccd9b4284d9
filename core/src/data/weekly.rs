//! Seeded weekly sales for the DTW demo: a factory's capacity curve (two seasonal peaks) and
//! products whose sales follow it with a shift of up to two weeks, flat products, and noisy
//! ones. Product codes say nothing about the kind; `planted_kind` does, for tests and demos.

use polars::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::generators::normal;

/// The capacity in week `t` of `weeks`: a base with a spring and an autumn peak.
pub fn capacity(t: usize, weeks: usize) -> f64 {
    let x = t as f64 * 52.0 / weeks.max(1) as f64;
    let bump = |centre: f64, width: f64| (-((x - centre) / width).powi(2)).exp();
    (12.0 + 20.0 * bump(16.0, 5.0) + 14.0 * bump(38.0, 4.0)).round()
}

pub(crate) fn capacity_table(weeks: usize, _seed: u64) -> PolarsResult<DataFrame> {
    DataFrame::new_infer_height(vec![
        Column::new("week".into(), (0..weeks as i64).collect::<Vec<_>>()),
        Column::new(
            "capacity".into(),
            (0..weeks).map(|t| capacity(t, weeks)).collect::<Vec<_>>(),
        ),
    ])
}

/// What product `k` of `n` was made to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Planted {
    /// Follows the capacity curve, `shift` weeks late (negative: early).
    Follower {
        shift: i32,
    },
    Flat,
    Noisy,
}

/// Products 0..5% follow the curve, the next 20% are flat, the rest noisy; shuffled by seed.
pub fn planted_kind(k: usize, n: usize, seed: u64) -> Planted {
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
    for i in (1..n).rev() {
        order.swap(i, rng.random_range(0..=i));
    }
    let rank = order.iter().position(|&x| x == k).unwrap_or(n);
    let followers = (n / 20).max(1);
    if rank < followers {
        Planted::Follower {
            shift: [0, 1, -1, 2, -2][rank % 5],
        }
    } else if rank < followers + n / 5 {
        Planted::Flat
    } else {
        Planted::Noisy
    }
}

pub fn weekly_sales(products: usize, seed: u64) -> PolarsResult<DataFrame> {
    const WEEKS: usize = 52;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut rows: Vec<[f64; WEEKS]> = Vec::with_capacity(products);
    for k in 0..products {
        let mut row = [0.0; WEEKS];
        match planted_kind(k, products, seed) {
            Planted::Follower { shift } => {
                let scale = 0.8 + 0.4 * rng.random::<f64>();
                for (t, v) in row.iter_mut().enumerate() {
                    let src = (t as i64 - i64::from(shift)).clamp(0, WEEKS as i64 - 1) as usize;
                    *v = capacity(src, WEEKS) * scale + 0.8 * normal(&mut rng);
                }
            }
            Planted::Flat => {
                let level = 20.0 * rng.random::<f64>();
                for v in row.iter_mut() {
                    *v = level + 0.5 * normal(&mut rng);
                }
            }
            Planted::Noisy => {
                let mut level = 5.0 + 25.0 * rng.random::<f64>();
                for v in row.iter_mut() {
                    level += 1.5 * normal(&mut rng);
                    *v = level + 3.0 * normal(&mut rng);
                }
            }
        }
        rows.push(row.map(|v| v.max(0.0).round()));
    }
    let mut columns = vec![Column::new(
        "Product_Code".into(),
        (1..=products).map(|k| format!("P{k}")).collect::<Vec<_>>(),
    )];
    for t in 0..WEEKS {
        let week: Vec<i64> = rows.iter().map(|r| r[t] as i64).collect();
        columns.push(Column::new(format!("W{t}").into(), week));
    }
    DataFrame::new_infer_height(columns)
}
