//! Seeded daily store × SKU inventory (`gen inventory`) for the out-of-stock use case, with a
//! truth table of every shelf problem the simulation knows about.
//!
//! Each series sells Poisson demand (a SKU rate times a store factor, a weekly pattern, a mild
//! yearly cycle). A third of the SKUs are slow movers that legitimately sell nothing on most
//! days. Stock is replenished by a reorder point: when the system's on-hand plus what is on
//! order falls to `lead-time demand + safety stock`, two weeks of demand are ordered and arrive
//! after the lead time. Shrinkage takes a unit now and then without the system knowing; a cycle
//! count every 60-120 days sets the system back to the truth.
//!
//! Planted problems, only on series that sell at least one unit a day on average (a problem on a
//! SKU that sells once a month cannot be told from chance in a year of data):
//! - **phantom**: the real stock goes to zero while the reported on-hand stays where it was;
//!   sales stop and, the system seeing stock, no reorder fires, until a count 14-60 days later;
//! - **late delivery**: one order arrives 5-15 days late, breaking the safety stock;
//! - **display**: the stock is fine but sales fall to 10-35% of demand for 10-35 days.
//!
//! The truth table also lists what arose by itself: every day the shelf was empty at closing
//! (`stockout`), and shrinkage that emptied a shelf the system thought stocked (`phantom`,
//! planted false). The reported columns are what a retailer's system holds: `on_hand` is the system's
//! figure, not the shelf's. A few rows are missing and a few duplicated, as in real feeds.

use polars::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::generators::{GenParams, normal};

/// 2025-01-01 as days since 1970-01-01.
pub(crate) const FIRST_DAY: i32 = 20_089;

/// Weekly factor by day of week (0 = Monday).
const WEEKLY: [f64; 7] = [0.85, 0.9, 0.95, 1.0, 1.1, 1.25, 1.0];

/// What `gen inventory` writes: the inventory table and its truth.
pub struct Inventory {
    pub table: DataFrame,
    pub truth: DataFrame,
}

/// One known shelf problem.
struct Truth {
    store: usize,
    sku: usize,
    kind: &'static str,
    start: i32,
    end: i32,
    planted: bool,
}

/// A planted problem waiting for its day.
#[derive(Clone, Copy, PartialEq)]
enum Plant {
    None,
    Phantom { day: usize, len: usize },
    Late { day: usize, delay: usize },
    Display { day: usize, len: usize, factor: f64 },
}

struct Rows {
    date: Vec<i32>,
    store: Vec<u32>,
    sku: Vec<u32>,
    on_hand: Vec<i64>,
    sold: Vec<i64>,
    received: Vec<i64>,
    safety: Vec<i64>,
    lead: Vec<i64>,
    price: Vec<f64>,
    on_order: Vec<i64>,
}

/// A Poisson draw (Knuth's product method for small means, a rounded normal for large ones).
fn poisson(rng: &mut ChaCha8Rng, mean: f64) -> i64 {
    if mean <= 0.0 {
        return 0;
    }
    if mean > 40.0 {
        return (mean + mean.sqrt() * normal(rng)).round().max(0.0) as i64;
    }
    let limit = (-mean).exp();
    let mut k = 0;
    let mut p: f64 = rng.random();
    while p > limit {
        k += 1;
        p *= rng.random::<f64>();
    }
    k
}

fn log_uniform(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
    (lo.ln() + (hi.ln() - lo.ln()) * rng.random::<f64>()).exp()
}

pub(crate) fn store_name(s: usize) -> String {
    format!("S{:03}", s + 1)
}

pub(crate) fn sku_name(k: usize) -> String {
    format!("SKU{:04}", k + 1)
}

/// The inventory table and its truth, for the generators' registry.
pub(crate) fn with_truth(p: &GenParams) -> PolarsResult<(DataFrame, DataFrame)> {
    let inv = inventory(p)?;
    Ok((inv.table, inv.truth))
}

/// A text column from indices into `names`, built straight into polars' buffers.
fn names_column(name: &str, idx: &[u32], names: &[String]) -> Column {
    let ca: StringChunked = idx
        .iter()
        .map(|&i| Some(names[i as usize].as_str()))
        .collect();
    ca.with_name(name.into()).into_column()
}

/// Simulate `stores × items` series over `days` days (defaults 20 × 100 × 365).
pub fn inventory(p: &GenParams) -> PolarsResult<Inventory> {
    let stores = p.stores.unwrap_or(20);
    let skus = p.items.unwrap_or(100);
    let days = p.days.unwrap_or(365).max(1);
    let n = super::generators::grid_rows(&[("stores", stores), ("SKUs", skus), ("days", days)])?;
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let sku_rate: Vec<f64> = (0..skus)
        .map(|_| {
            if rng.random::<f64>() < 1.0 / 3.0 {
                log_uniform(&mut rng, 0.05, 0.6)
            } else {
                log_uniform(&mut rng, 1.0, 25.0)
            }
        })
        .collect();
    let sku_price: Vec<f64> = (0..skus)
        .map(|_| (log_uniform(&mut rng, 1.0, 60.0) * 100.0).round() / 100.0 - 0.01)
        .collect();
    let store_factor: Vec<f64> = (0..stores)
        .map(|_| 0.6 + 0.8 * rng.random::<f64>())
        .collect();
    let mut rows = Rows {
        date: Vec::with_capacity(n),
        store: Vec::with_capacity(n),
        sku: Vec::with_capacity(n),
        on_hand: Vec::with_capacity(n),
        sold: Vec::with_capacity(n),
        received: Vec::with_capacity(n),
        safety: Vec::with_capacity(n),
        lead: Vec::with_capacity(n),
        price: Vec::with_capacity(n),
        on_order: Vec::with_capacity(n),
    };
    let mut truth = Vec::new();
    for (s, &factor) in store_factor.iter().enumerate() {
        for (k, (&rate, &price)) in sku_rate.iter().zip(&sku_price).enumerate() {
            let series = SeriesSpec {
                store: s,
                sku: k,
                rate: rate * factor,
                price,
                days,
            };
            simulate(&mut rng, &series, &mut rows, &mut truth);
        }
    }
    let store_names: Vec<String> = (0..stores).map(store_name).collect();
    let sku_names: Vec<String> = (0..skus).map(sku_name).collect();
    let table = DataFrame::new_infer_height(vec![
        Column::new("date".into(), rows.date).cast(&DataType::Date)?,
        names_column("store", &rows.store, &store_names),
        names_column("sku", &rows.sku, &sku_names),
        Column::new("on_hand".into(), rows.on_hand),
        Column::new("units_sold".into(), rows.sold),
        Column::new("units_received".into(), rows.received),
        Column::new("safety_stock".into(), rows.safety),
        Column::new("lead_time_days".into(), rows.lead),
        Column::new("price".into(), rows.price),
        Column::new("on_order".into(), rows.on_order),
    ])?;
    let truth = DataFrame::new_infer_height(vec![
        Column::new(
            "store".into(),
            truth
                .iter()
                .map(|t| store_name(t.store))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "sku".into(),
            truth.iter().map(|t| sku_name(t.sku)).collect::<Vec<_>>(),
        ),
        Column::new(
            "kind".into(),
            truth.iter().map(|t| t.kind).collect::<Vec<_>>(),
        ),
        Column::new(
            "start".into(),
            truth.iter().map(|t| t.start).collect::<Vec<_>>(),
        )
        .cast(&DataType::Date)?,
        Column::new(
            "end".into(),
            truth.iter().map(|t| t.end).collect::<Vec<_>>(),
        )
        .cast(&DataType::Date)?,
        Column::new(
            "planted".into(),
            truth.iter().map(|t| t.planted).collect::<Vec<_>>(),
        ),
    ])?;
    Ok(Inventory { table, truth })
}

struct SeriesSpec {
    store: usize,
    sku: usize,
    /// Mean daily demand.
    rate: f64,
    price: f64,
    days: usize,
}

/// A run of days on which `on` held, closed into a truth row when it ends.
struct Episode {
    start: Option<usize>,
}

impl Episode {
    fn step(
        &mut self,
        on: bool,
        day: usize,
        min_days: usize,
        close: &mut impl FnMut(usize, usize),
    ) {
        match (on, self.start) {
            (true, None) => self.start = Some(day),
            (false, Some(start)) => {
                if day - start >= min_days {
                    close(start, day - 1);
                }
                self.start = None;
            }
            _ => {}
        }
    }
}

fn simulate(rng: &mut ChaCha8Rng, spec: &SeriesSpec, rows: &mut Rows, truth: &mut Vec<Truth>) {
    let days = spec.days;
    let lead = rng.random_range(2..=7usize);
    let lead_demand = spec.rate * lead as f64;
    let safety = (1.65 * lead_demand.sqrt()).ceil().max(1.0) as i64;
    let reorder_point = lead_demand.round() as i64 + safety;
    let order_qty = (spec.rate * 14.0).round().max(2.0) as i64;
    let season_phase: f64 = rng.random();
    let mut real = reorder_point + order_qty / 2;
    let mut system = real;
    // (arrival day, quantity) of the one outstanding order.
    let mut order: Option<(usize, i64)> = None;
    let mut next_count = rng.random_range(60..=120usize);
    let eligible = spec.rate >= 1.0 && days >= 120;
    let plant = if !eligible {
        Plant::None
    } else {
        let u: f64 = rng.random();
        let day = rng.random_range(45..days - 60);
        if u < 0.05 {
            Plant::Phantom {
                day,
                len: rng.random_range(14..=60),
            }
        } else if u < 0.08 {
            Plant::Late {
                day,
                delay: rng.random_range(5..=15),
            }
        } else if u < 0.12 {
            Plant::Display {
                day,
                len: rng.random_range(10..=35),
                factor: 0.1 + 0.25 * rng.random::<f64>(),
            }
        } else {
            Plant::None
        }
    };
    let mut phantom_pending = matches!(plant, Plant::Phantom { .. });
    let mut late_pending = matches!(plant, Plant::Late { .. });
    let mut phantom_until: Option<usize> = None;
    let mut stockout = Episode { start: None };
    let mut hidden = Episode { start: None };
    let mut push_truth = |kind, start: usize, end: usize, planted| {
        truth.push(Truth {
            store: spec.store,
            sku: spec.sku,
            kind,
            start: FIRST_DAY + start as i32,
            end: FIRST_DAY + end as i32,
            planted,
        })
    };
    let mut natural: Vec<(&'static str, usize, usize)> = Vec::new();
    for d in 0..days {
        let day = FIRST_DAY + d as i32;
        // Deliveries come in the morning.
        let mut received = 0;
        if let Some((at, qty)) = order
            && at == d
        {
            received = qty;
            real += qty;
            system += qty;
            order = None;
        }
        // A planted phantom starts once the system holds stock above the reorder point and no
        // order is on its way (so nothing will refill the shelf).
        if phantom_pending
            && let Plant::Phantom { day: at, len } = plant
            && d >= at
            && order.is_none()
            && system > reorder_point
            && real > 0
        {
            phantom_pending = false;
            real = 0;
            let end = (d + len).min(days);
            phantom_until = Some(end);
            push_truth("phantom", d, end - 1, true);
        }
        let dow = crate::compute::forecast::series::weekday(day);
        let season =
            1.0 + 0.15 * (std::f64::consts::TAU * (d as f64 / 365.25 - season_phase)).cos();
        let mut mean = spec.rate * WEEKLY[dow] * season;
        if let Plant::Display {
            day: at,
            len,
            factor,
        } = plant
            && (at..at + len).contains(&d)
        {
            mean *= factor;
        }
        let demand = poisson(rng, mean);
        let sold = demand.min(real.max(0));
        real -= sold;
        system -= sold;
        // Shrinkage the system does not see.
        if real > 0 && rng.random::<f64>() < 0.01 {
            real -= 1;
        }
        // The count that ends a phantom, or the routine cycle count.
        if phantom_until == Some(d + 1) || d + 1 == next_count {
            if phantom_until == Some(d + 1) {
                phantom_until = None;
            } else {
                next_count += rng.random_range(60..=120usize);
            }
            system = real;
        }
        // Reorder at the end of the day on the system's figure.
        if order.is_none() && system <= reorder_point {
            let mut arrival = d + lead;
            if late_pending
                && let Plant::Late { day: at, delay } = plant
                && d >= at
            {
                late_pending = false;
                let expected = arrival.min(days - 1);
                arrival += delay;
                push_truth(
                    "late_delivery",
                    expected,
                    arrival.min(days).saturating_sub(1).max(expected),
                    true,
                );
            }
            order = Some((arrival, order_qty + (reorder_point - system).max(0)));
        }
        stockout.step(real == 0, d, 1, &mut |a, b| {
            natural.push(("stockout", a, b))
        });
        hidden.step(
            real == 0 && system > 0 && phantom_until.is_none(),
            d,
            1,
            &mut |a, b| natural.push(("phantom", a, b)),
        );
        rows.date.push(day);
        rows.store.push(spec.store as u32);
        rows.sku.push(spec.sku as u32);
        rows.on_hand.push(system);
        rows.sold.push(sold);
        rows.received.push(received);
        rows.safety.push(safety);
        rows.lead.push(lead as i64);
        rows.price.push(spec.price);
        rows.on_order.push(order.map_or(0, |(_, q)| q));
        // Real feeds drop a row now and then and send some twice.
        let u: f64 = rng.random();
        if u < 0.001 && d > 0 && d + 1 < days {
            pop_row(rows);
        } else if u > 0.9995 {
            duplicate_last(rows);
        }
    }
    stockout.step(false, days, 1, &mut |a, b| natural.push(("stockout", a, b)));
    hidden.step(false, days, 1, &mut |a, b| natural.push(("phantom", a, b)));
    if let Plant::Display { day, len, .. } = plant {
        push_truth("display", day, (day + len).min(days) - 1, true);
    }
    for (kind, a, b) in natural {
        push_truth(kind, a, b, false);
    }
}

fn pop_row(rows: &mut Rows) {
    rows.date.pop();
    rows.store.pop();
    rows.sku.pop();
    rows.on_hand.pop();
    rows.sold.pop();
    rows.received.pop();
    rows.safety.pop();
    rows.lead.pop();
    rows.price.pop();
    rows.on_order.pop();
}

fn duplicate_last(rows: &mut Rows) {
    fn dup<T: Clone>(v: &mut Vec<T>) {
        if let Some(last) = v.last().cloned() {
            v.push(last);
        }
    }
    dup(&mut rows.date);
    dup(&mut rows.store);
    dup(&mut rows.sku);
    dup(&mut rows.on_hand);
    dup(&mut rows.sold);
    dup(&mut rows.received);
    dup(&mut rows.safety);
    dup(&mut rows.lead);
    dup(&mut rows.price);
    dup(&mut rows.on_order);
}
