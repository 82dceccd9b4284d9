//! A daily inventory table (one row per date, store and SKU) to one dense series per store ×
//! SKU, with what was wrong with the rows counted rather than fatal: missing days, duplicated
//! rows, negative on-hand, empty cells, series too short to judge.

use std::collections::HashMap;

use anyhow::Result;
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use crate::compute::Progress;
use crate::compute::forecast::series::day_numbers;
use crate::data::schema;

/// Which column holds what. Optional columns are used when named and present.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Columns {
    pub date: String,
    pub store: String,
    pub sku: String,
    pub on_hand: String,
    pub sold: String,
    pub received: String,
    pub safety_stock: String,
    pub lead_time: String,
    pub price: String,
}

impl Default for Columns {
    fn default() -> Self {
        Self {
            date: "date".into(),
            store: "store".into(),
            sku: "sku".into(),
            on_hand: "on_hand".into(),
            sold: "units_sold".into(),
            received: "units_received".into(),
            safety_stock: "safety_stock".into(),
            lead_time: "lead_time_days".into(),
            price: "price".into(),
        }
    }
}

/// One store × SKU, one slot per day from its first to its last (NaN where no row came).
#[derive(Clone, Debug, Default)]
pub struct Series {
    pub store: String,
    pub sku: String,
    /// Days since 1970-01-01 of the first slot.
    pub first_day: i32,
    pub on_hand: Vec<f32>,
    pub sold: Vec<f32>,
    pub received: Vec<f32>,
    /// The median of the series' values in each optional column, when given.
    pub safety_stock: Option<f64>,
    pub lead_time: Option<f64>,
    pub price: Option<f64>,
}

impl Series {
    pub fn days(&self) -> usize {
        self.sold.len()
    }

    pub fn day(&self, i: usize) -> i32 {
        self.first_day + i as i32
    }

    /// The weekday of slot `i`, Monday = 0.
    pub fn weekday(&self, i: usize) -> usize {
        crate::compute::forecast::series::weekday(self.day(i))
    }
}

/// What was wrong with the rows, counted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    pub rows: usize,
    pub series: usize,
    /// Days inside a series' range with no row.
    pub missing_days: usize,
    /// Rows repeating a store, SKU and date already seen (the last one is kept).
    pub duplicate_rows: usize,
    /// Of those, the ones whose values differ from the row they repeat.
    pub conflicting_duplicates: usize,
    /// Negative reported on-hand, read as zero.
    pub negative_on_hand: usize,
    /// Rows without a date, store or SKU, skipped.
    pub rows_without_key: usize,
    /// Empty on-hand or sales cells (the day is treated as missing for that figure).
    pub empty_cells: usize,
    /// Series with a single row.
    pub single_row_series: usize,
}

/// Where a daily figure of a series is kept.
type Figure = fn(&mut Series) -> &mut Vec<f32>;
/// Where a per-series setting (the median of an optional column) is kept.
type Setting = fn(&mut Series) -> &mut Option<f64>;

/// The table as series, and its quality counts.
pub struct Prepared {
    pub series: Vec<Series>,
    pub quality: Quality,
}

/// Values of a numeric column as f32 (NaN for empty cells), one per row.
fn floats(file: &str, df: &DataFrame, name: &str) -> Result<Float32Chunked> {
    let col = numeric(file, df, name)?;
    let cast = col
        .cast(&DataType::Float32)
        .map_err(|e| anyhow::anyhow!("{file}: column '{name}': {e}"))?;
    Ok(cast
        .f32()
        .map_err(|e| anyhow::anyhow!("{file}: column '{name}': {e}"))?
        .clone())
}

/// The named column when it holds numbers, else an error naming it.
fn numeric<'a>(file: &str, df: &'a DataFrame, name: &str) -> Result<&'a Column> {
    let col = schema::column(file, df, name)?;
    if !col.dtype().is_primitive_numeric() {
        anyhow::bail!("{file}: column '{name}' is {}, not numbers", col.dtype());
    }
    Ok(col)
}

fn texts(file: &str, df: &DataFrame, name: &str) -> Result<StringChunked> {
    let col = schema::column(file, df, name)?;
    let cast = col
        .cast(&DataType::String)
        .map_err(|_| anyhow::anyhow!("{file}: column '{name}' cannot be read as text"))?;
    Ok(cast
        .str()
        .map_err(|e| anyhow::anyhow!("{file}: column '{name}': {e}"))?
        .clone())
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mid = values.len() / 2;
    let (_, m, _) = values.select_nth_unstable_by(mid, f64::total_cmp);
    Some(*m)
}

/// Split `df` into series. Errors name the file and column (a missing or non-numeric required
/// column, a date column that holds no dates); everything else is counted in `Quality`.
pub fn prepare(
    file: &str,
    df: &DataFrame,
    cols: &Columns,
    progress: &dyn Progress,
) -> Result<Prepared> {
    let rows = df.height();
    let mut quality = Quality {
        rows,
        ..Quality::default()
    };
    progress.report(0.0, "reading dates");
    let dates = day_numbers(file, df, &cols.date)?;
    let stores = texts(file, df, &cols.store)?;
    let skus = texts(file, df, &cols.sku)?;
    // Check the numeric columns up front, so a wrong one fails before the long part; each is
    // read as f32 only when its turn comes, so one copy at a time is in memory.
    for name in [&cols.on_hand, &cols.sold, &cols.received] {
        numeric(file, df, name)?;
    }
    let optional: Vec<Option<&str>> = [&cols.safety_stock, &cols.lead_time, &cols.price]
        .into_iter()
        .map(|name| {
            if name.is_empty() || df.column(name).is_err() {
                Ok(None)
            } else {
                numeric(file, df, name).map(|_| Some(name.as_str()))
            }
        })
        .collect::<Result<_>>()?;
    crate::compute::check(progress)?;

    // Group id per row; sorted input (the usual case) reuses the previous row's id.
    progress.report(0.1, "grouping stores and SKUs");
    let mut ids: HashMap<(&str, &str), u32> = HashMap::new();
    let mut keys: Vec<(&str, &str)> = Vec::new();
    let mut group = vec![u32::MAX; rows];
    let mut last: Option<((&str, &str), u32)> = None;
    for (i, ((st, sk), day)) in stores.iter().zip(skus.iter()).zip(&dates).enumerate() {
        let (Some(st), Some(sk), Some(_)) = (st, sk, day) else {
            quality.rows_without_key += 1;
            continue;
        };
        let key = (st, sk);
        let id = match last {
            Some((k, id)) if k == key => id,
            _ => *ids.entry(key).or_insert_with(|| {
                keys.push(key);
                (keys.len() - 1) as u32
            }),
        };
        last = Some((key, id));
        group[i] = id;
    }
    crate::compute::check(progress)?;
    let n = keys.len();
    let mut first = vec![i32::MAX; n];
    let mut end = vec![i32::MIN; n];
    for (g, d) in group.iter().zip(&dates) {
        if let (true, Some(d)) = (*g != u32::MAX, d) {
            let g = *g as usize;
            first[g] = first[g].min(*d);
            end[g] = end[g].max(*d);
        }
    }
    let mut series: Vec<Series> = keys
        .iter()
        .enumerate()
        .map(|(g, (st, sk))| {
            let len = (end[g] - first[g] + 1).max(0) as usize;
            Series {
                store: (*st).to_owned(),
                sku: (*sk).to_owned(),
                first_day: first[g],
                on_hand: vec![f32::NAN; len],
                sold: vec![f32::NAN; len],
                received: vec![f32::NAN; len],
                ..Series::default()
            }
        })
        .collect();
    // Slot of each row; duplicates detected by a seen bitmap per series.
    progress.report(0.3, "placing rows");
    let mut seen: Vec<Vec<bool>> = series.iter().map(|s| vec![false; s.days()]).collect();
    let mut rows_in: Vec<usize> = vec![0; n];
    let slot = |g: u32, d: Option<i32>| -> Option<(usize, usize)> {
        (g != u32::MAX).then_some(())?;
        let g = g as usize;
        Some((g, (d? - first[g]) as usize))
    };
    let mut duplicate_of: Vec<bool> = vec![false; rows];
    for (i, (g, d)) in group.iter().zip(&dates).enumerate() {
        if let Some((g, k)) = slot(*g, *d) {
            rows_in[g] += 1;
            if seen[g][k] {
                duplicate_of[i] = true;
                quality.duplicate_rows += 1;
            }
            seen[g][k] = true;
        }
    }
    crate::compute::check(progress)?;
    progress.report(0.5, "reading figures");
    // Where each daily figure goes; whether a negative value is read as 0 (on-hand); whether an
    // empty cell is counted (on-hand and sales: an empty receipt is just no delivery).
    let figures: [(&String, Figure, bool, bool); 3] = [
        (&cols.on_hand, |s| &mut s.on_hand, true, true),
        (&cols.sold, |s| &mut s.sold, false, true),
        (&cols.received, |s| &mut s.received, false, false),
    ];
    let mut conflicting = std::collections::HashSet::new();
    for (name, figure, no_negative, count_empty) in figures {
        let column = floats(file, df, name)?;
        for (i, (v, (g, d))) in column.iter().zip(group.iter().zip(&dates)).enumerate() {
            let Some((g, k)) = slot(*g, *d) else {
                continue;
            };
            let target = &mut figure(&mut series[g])[k];
            let mut value = v.unwrap_or(f32::NAN);
            if no_negative && value < 0.0 {
                quality.negative_on_hand += 1;
                value = 0.0;
            }
            if count_empty && value.is_nan() {
                quality.empty_cells += 1;
            }
            if duplicate_of[i] && !(target.is_nan() && value.is_nan()) && *target != value {
                conflicting.insert(i);
            }
            *target = value;
        }
        crate::compute::check(progress)?;
    }
    quality.conflicting_duplicates = conflicting.len();
    let setters: [Setting; 3] = [
        |s| &mut s.safety_stock,
        |s| &mut s.lead_time,
        |s| &mut s.price,
    ];
    for (name, setting) in optional.into_iter().zip(setters) {
        let Some(name) = name else { continue };
        let column = floats(file, df, name)?;
        let mut per: Vec<Vec<f64>> = vec![Vec::new(); n];
        for (v, g) in column.iter().zip(&group) {
            if let (Some(v), true) = (v, *g != u32::MAX)
                && v.is_finite()
            {
                per[*g as usize].push(f64::from(v));
            }
        }
        for (s, mut values) in series.iter_mut().zip(per) {
            *setting(s) = median(&mut values);
        }
    }
    quality.missing_days = seen.iter().flatten().filter(|x| !**x).count();
    quality.single_row_series = rows_in.iter().filter(|&&r| r == 1).count();
    quality.series = n;
    progress.report(0.6, "series ready");
    Ok(Prepared { series, quality })
}
