//! From a long table (date, value, group columns) to one clean series per group: dates parsed
//! to day numbers, rows with a missing date or value skipped, duplicate dates summed, and the
//! gaps counted so that they can be reported.

use std::collections::{BTreeMap, HashMap};

use anyhow::{Result, bail};
use polars::prelude::*;

use crate::data::schema;

/// One group's observations, in date order.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// The group columns' values ("" when there are no group columns).
    pub key: Vec<String>,
    /// Days since 1970-01-01, strictly increasing.
    pub days: Vec<i32>,
    pub values: Vec<f64>,
    /// Rows that shared a date with an earlier row and were added to it.
    pub duplicates: usize,
}

impl Series {
    /// The median gap between observations, in days (1 for daily data, ~30 for monthly).
    pub fn step(&self) -> i32 {
        let mut gaps: Vec<i32> = self.days.windows(2).map(|w| w[1] - w[0]).collect();
        gaps.sort_unstable();
        gaps.get(gaps.len() / 2).copied().unwrap_or(1).max(1)
    }

    /// Monthly (or coarser) data counts its horizon and holdout in calendar months.
    pub fn monthly(&self) -> bool {
        self.step() >= 28
    }

    /// The seasonal period in observations, for the seasonal naive baseline and MASE: 12 for
    /// monthly data, 52 for weekly, 7 for daily.
    pub fn season(&self) -> usize {
        match self.step() {
            s if s >= 28 => 12,
            s if s >= 7 => 52,
            _ => 7,
        }
    }

    /// Steps missing between the first and the last date (days for daily data).
    pub fn missing(&self) -> usize {
        if self.monthly() {
            return 0;
        }
        let step = self.step();
        let span = self
            .days
            .last()
            .zip(self.days.first())
            .map_or(0, |(l, f)| l - f);
        let expected = (span / step + 1) as usize;
        expected.saturating_sub(self.days.len())
    }

    /// Where the last `holdout` steps begin: the last `holdout` observations for monthly data,
    /// the observations in the last `holdout` days otherwise.
    pub(crate) fn holdout_start(&self, holdout: usize) -> usize {
        if self.monthly() {
            return self.days.len().saturating_sub(holdout);
        }
        let last = i64::from(self.days.last().copied().unwrap_or(0));
        self.days
            .partition_point(|&d| i64::from(d) <= last - holdout as i64)
    }

    /// The `horizon` dates after the last one, one step apart: calendar months for monthly
    /// data, otherwise the median gap in days.
    pub(crate) fn future_days(&self, horizon: usize) -> Vec<i32> {
        let step = self.step();
        let last = self.days.last().copied().unwrap_or(0);
        let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1);
        (1..=horizon)
            .map(|k| {
                let monthly = epoch.filter(|_| step >= 28).and_then(|e| {
                    let d = e.checked_add_signed(chrono::Duration::days(i64::from(last)))?;
                    let m = d.checked_add_months(chrono::Months::new(u32::try_from(k).ok()?))?;
                    i32::try_from((m - e).num_days()).ok()
                });
                monthly.unwrap_or(last + step * k as i32)
            })
            .collect()
    }
}

/// The weekday of a day number, Monday = 0 (1970-01-01 was a Thursday).
pub fn weekday(day: i32) -> usize {
    (day + 3).rem_euclid(7) as usize
}

/// A date written as YYYY-MM-DD, YYYY/MM/DD or YYYY-MM (the first of the month), as days since
/// 1970-01-01.
pub(crate) fn parse_day(text: &str) -> Option<i32> {
    let t = text.trim();
    let t = t
        .get(..10)
        .filter(|_| t.len() > 10 && t.as_bytes()[10] == b' ')
        .unwrap_or(t);
    let date = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(t, "%Y/%m/%d"))
        .or_else(|_| chrono::NaiveDate::parse_from_str(&format!("{t}-01"), "%Y-%m-%d"))
        .ok()?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    i32::try_from((date - epoch).num_days()).ok()
}

/// The offset from UTC, in milliseconds, of a time zone named as UTC or as a fixed offset
/// (`+05:30`, `-08:00`); None for a named zone (`America/New_York`), whose offset depends on
/// the date.
fn utc_offset_ms(tz: &str) -> Option<i64> {
    if matches!(
        tz,
        "UTC" | "Etc/UTC" | "Z" | "GMT" | "Etc/GMT" | "UCT" | "Etc/UCT" | "Universal" | "Zulu"
    ) {
        return Some(0);
    }
    let (sign, rest) = match tz.as_bytes().first()? {
        b'+' => (1, &tz[1..]),
        b'-' => (-1, &tz[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    ((0..=14).contains(&h) && (0..60).contains(&m)).then_some(sign * (h * 60 + m) * 60_000)
}

/// The column's values as day numbers (None where empty); an error naming the column when
/// any value is not a date.
pub(crate) fn day_numbers(file: &str, df: &DataFrame, col: &str) -> Result<Vec<Option<i32>>> {
    let c = schema::column(file, df, col)?;
    if c.dtype() == &DataType::Date {
        let phys = c.to_physical_repr();
        return Ok(phys
            .i32()
            .map_err(|e| anyhow::anyhow!("{file}: column '{col}': {e}"))?
            .iter()
            .collect());
    }
    if let DataType::Datetime(unit, tz) = c.dtype() {
        // Times (Spark's TimestampType arrives with its session's time zone): the date on the
        // wall clock of that zone. UTC and fixed offsets are known without a zone database.
        let offset_ms = match tz {
            None => 0,
            Some(tz) => utc_offset_ms(tz.as_str()).ok_or_else(|| {
                anyhow::anyhow!(
                    "{file}: column '{col}' holds times in the {tz} time zone; send dates \
                     (Spark: to_date) or times in UTC"
                )
            })?,
        };
        let per_ms = match unit {
            TimeUnit::Milliseconds => 1,
            TimeUnit::Microseconds => 1_000,
            TimeUnit::Nanoseconds => 1_000_000,
        };
        let phys = c.to_physical_repr();
        return Ok(phys
            .i64()
            .map_err(|e| anyhow::anyhow!("{file}: column '{col}': {e}"))?
            .iter()
            .map(|v| {
                v.and_then(|v| {
                    i32::try_from((v.div_euclid(per_ms) + offset_ms).div_euclid(86_400_000)).ok()
                })
            })
            .collect());
    }
    if c.dtype().is_primitive_numeric() {
        bail!(
            "{file}: column '{col}' is {}, not dates (expected YYYY-MM-DD)",
            c.dtype()
        );
    }
    let text = c
        .cast(&DataType::String)
        .map_err(|_| anyhow::anyhow!("{file}: column '{col}' does not hold dates"))?;
    let text = text
        .str()
        .map_err(|e| anyhow::anyhow!("{file}: column '{col}': {e}"))?;
    let mut bad = 0;
    let mut example = None;
    let days = text
        .iter()
        .map(|v| {
            let d = v.and_then(parse_day);
            if v.is_some() && d.is_none() {
                bad += 1;
                example.get_or_insert_with(|| v.unwrap_or_default().to_owned());
            }
            d
        })
        .collect();
    if bad > 0 {
        bail!(
            "{file}: column '{col}': {bad} values are not dates, e.g. '{}' (expected YYYY-MM-DD)",
            example.unwrap_or_default()
        );
    }
    Ok(days)
}

/// A group's (sum, count) per day, while the table is read.
type ByDay = BTreeMap<i32, (f64, usize)>;

/// Split `df` into one series per combination of the `group` columns.
pub(crate) fn group_series(
    file: &str,
    df: &DataFrame,
    date_col: &str,
    value_col: &str,
    group: &[String],
) -> Result<Vec<Series>> {
    let days = day_numbers(file, df, date_col)?;
    let value = schema::column(file, df, value_col)?;
    if !value.dtype().is_primitive_numeric() {
        return Err(schema::not_numeric(file, value).into());
    }
    let values: Vec<Option<f64>> = value.cast(&DataType::Float64)?.f64()?.iter().collect();
    let key_cols: Vec<Column> = group
        .iter()
        .map(|g| Ok(schema::column(file, df, g)?.cast(&DataType::String)?))
        .collect::<Result<_>>()?;
    let keys: Vec<Vec<&str>> = key_cols
        .iter()
        .map(|c| Ok(c.str()?.iter().map(|v| v.unwrap_or("")).collect()))
        .collect::<Result<_>>()?;
    // Rows usually come grouped: reuse the previous row's group when the key repeats.
    let mut index: HashMap<Vec<&str>, usize> = HashMap::new();
    let mut cells: Vec<(Vec<&str>, ByDay)> = Vec::new();
    let mut current: Option<usize> = None;
    for row in 0..df.height() {
        let (Some(day), Some(v)) = (days[row], values[row]) else {
            continue;
        };
        if !v.is_finite() {
            continue;
        }
        let same = current.is_some_and(|g| {
            let key = &cells[g].0;
            keys.iter().zip(key).all(|(col, k)| col[row] == *k)
        });
        let g = match current {
            Some(g) if same => g,
            _ => {
                let key: Vec<&str> = keys.iter().map(|k| k[row]).collect();
                *index.entry(key.clone()).or_insert_with(|| {
                    cells.push((key, BTreeMap::new()));
                    cells.len() - 1
                })
            }
        };
        current = Some(g);
        let cell = cells[g].1.entry(day).or_insert((0.0, 0));
        cell.0 += v;
        cell.1 += 1;
    }
    let groups = cells;
    if groups.is_empty() {
        bail!("{file}: no rows with both a date in '{date_col}' and a value in '{value_col}'");
    }
    // Group keys sort as numbers when they are numbers (store 2 before store 10).
    let mut out: Vec<Series> = groups
        .into_iter()
        .map(|(key, by_day)| Series {
            key: key.into_iter().map(str::to_owned).collect(),
            duplicates: by_day.values().map(|(_, n)| n - 1).sum(),
            days: by_day.keys().copied().collect(),
            values: by_day.values().map(|(v, _)| *v).collect(),
        })
        .collect();
    out.sort_by(|a, b| natural_key(&a.key).cmp(&natural_key(&b.key)));
    Ok(out)
}

fn natural_key(key: &[String]) -> Vec<(Option<i64>, &str)> {
    key.iter()
        .map(|k| (k.parse::<i64>().ok(), k.as_str()))
        .collect()
}

#[cfg(test)]
mod zoned_tests {
    use super::*;

    /// Spark's timestamps arrive time-zone-aware: UTC and fixed offsets give the wall-clock
    /// date, a named zone a clear refusal.
    #[test]
    fn zoned_times_give_their_wall_clock_dates() {
        // 2021-06-01 22:30 UTC, as milliseconds.
        let ms = 1_622_586_600_000i64;
        let day = |tz: Option<TimeZone>| {
            let s = Int64Chunked::new("date".into(), [ms])
                .into_datetime(TimeUnit::Milliseconds, tz)
                .into_series();
            let df = DataFrame::new_infer_height(vec![s.into_column()]).unwrap();
            day_numbers("t", &df, "date").map(|d| d[0])
        };
        let june_1 = 18_779;
        assert_eq!(day(None).unwrap(), Some(june_1));
        assert_eq!(day(Some(TimeZone::UTC)).unwrap(), Some(june_1));
        // SAFETY (test): a valid fixed offset.
        let plus = unsafe { TimeZone::new_unchecked("+05:30") };
        assert_eq!(day(Some(plus)).unwrap(), Some(june_1 + 1));
        // SAFETY (test): a real zone name.
        let named = unsafe { TimeZone::new_unchecked("America/New_York") };
        let e = day(Some(named)).unwrap_err().to_string();
        assert!(
            e.contains("holds times in the America/New_York time zone"),
            "{e}"
        );
    }
}
