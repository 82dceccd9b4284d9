//! Column types: dates and times found in text on load ("Jan 1 2000", "03/15/2021", ISO with
//! a time, epoch seconds or milliseconds in a column named like a time), and the conversions a
//! user picks in the Schema view (text, integer, float, date, datetime, category, boolean),
//! each with the count of rows that did not convert and a few of their values.

use chrono::{NaiveDate, NaiveDateTime};
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::{DataError, DataResult};

/// The types a column can be changed to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ColumnType {
    Text,
    Integer,
    Float,
    Date,
    Datetime,
    Category,
    Boolean,
}

impl ColumnType {
    pub const ALL: [Self; 7] = [
        Self::Text,
        Self::Integer,
        Self::Float,
        Self::Date,
        Self::Datetime,
        Self::Category,
        Self::Boolean,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Integer => "integer",
            Self::Float => "float",
            Self::Date => "date",
            Self::Datetime => "datetime",
            Self::Category => "category",
            Self::Boolean => "boolean",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The type a column has now, in these terms.
    pub fn of(dtype: &DataType) -> Self {
        match dtype {
            DataType::Date => Self::Date,
            DataType::Datetime(..) => Self::Datetime,
            DataType::Boolean => Self::Boolean,
            DataType::Categorical(..) | DataType::Enum(..) => Self::Category,
            d if d.is_integer() => Self::Integer,
            d if d.is_float() => Self::Float,
            _ => Self::Text,
        }
    }
}

/// Date forms tried on text, in this order: ISO, US, European, written months.
pub(crate) const DATE_FORMATS: [&str; 12] = [
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%b %d %Y",
    "%b %d, %Y",
    "%d %b %Y",
    "%B %d %Y",
    "%B %d, %Y",
    "%d %B %Y",
];

/// Date and time forms tried on text.
pub(crate) const DATETIME_FORMATS: [&str; 10] = [
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.fZ",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
];

/// Values looked at to guess a column's format.
const SAMPLE: usize = 200;

fn parse_date(text: &str, format: &str) -> Option<i32> {
    let d = NaiveDate::parse_from_str(text.trim(), format).ok()?;
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
    i32::try_from((d - epoch).num_days()).ok()
}

fn parse_datetime(text: &str, format: &str) -> Option<i64> {
    NaiveDateTime::parse_from_str(text.trim(), format)
        .ok()
        .map(|d| d.and_utc().timestamp_millis())
}

/// The format most of `sample` parses with (more than half of it), dates first, then date-times. A tie goes to the earlier format: day-first and
/// month-first both fitting (every day 12 or less) reads month first, as US files do.
pub(crate) fn guess_format(sample: &[&str], datetime: bool) -> Option<&'static str> {
    if sample.is_empty() {
        return None;
    }
    let need = sample.len() / 2 + 1;
    let formats: &[&'static str] = if datetime {
        &DATETIME_FORMATS
    } else {
        &DATE_FORMATS
    };
    let fits = |f: &str| {
        sample
            .iter()
            .filter(|t| {
                if datetime {
                    parse_datetime(t, f).is_some()
                } else {
                    parse_date(t, f).is_some()
                }
            })
            .count()
    };
    let mut best: Option<(&'static str, usize)> = None;
    for &f in formats {
        let n = fits(f);
        if n >= need && best.is_none_or(|(_, b)| n > b) {
            best = Some((f, n));
        }
    }
    best.map(|(f, _)| f)
}

/// A column converted, and what did not convert.
pub(crate) struct Converted {
    pub column: Column,
    /// Rows with a value before that have none after.
    pub failed: usize,
    /// Up to five values that did not convert.
    pub examples: Vec<String>,
    /// The date or time format used, if any.
    pub format: Option<String>,
}

fn text_values(col: &Column) -> PolarsResult<Vec<Option<String>>> {
    let text = col.cast(&DataType::String)?;
    Ok(text.str()?.iter().map(|v| v.map(str::to_owned)).collect())
}

fn sample_of(values: &[Option<String>]) -> Vec<&str> {
    values
        .iter()
        .flatten()
        .map(String::as_str)
        .filter(|t| !t.trim().is_empty())
        .take(SAMPLE)
        .collect()
}

/// Convert `col` to `to`; `format` is the date or time format (guessed when none). Rows that
/// do not convert become empty and are counted.
pub(crate) fn convert(
    file: &str,
    col: &Column,
    to: ColumnType,
    format: Option<&str>,
) -> DataResult<Converted> {
    let name = col.name().clone();
    let wrap = |e: PolarsError| DataError::Other(format!("{file}: column '{name}': {e}"));
    let before = text_values(col).map_err(wrap)?;
    let format_or_guess = |datetime: bool| -> DataResult<String> {
        match format {
            Some(f) => Ok(f.to_owned()),
            None => guess_format(&sample_of(&before), datetime)
                .map(str::to_owned)
                .ok_or_else(|| {
                    let example = sample_of(&before).first().copied().unwrap_or("").to_owned();
                    DataError::Other(format!(
                        "{file}: column '{name}': no {} format fits its values (e.g. '{example}'); choose one",
                        if datetime { "date-time" } else { "date" }
                    ))
                }),
        }
    };
    let (column, used) = match to {
        ColumnType::Text => (col.cast(&DataType::String).map_err(wrap)?, None),
        ColumnType::Integer | ColumnType::Float => {
            let dtype = if to == ColumnType::Integer {
                DataType::Int64
            } else {
                DataType::Float64
            };
            let source = if col.dtype() == &DataType::String {
                // "1,234" and " 12 " are numbers to a person.
                let cleaned: StringChunked = before
                    .iter()
                    .map(|v| v.as_deref().map(|t| t.trim().replace(',', "")))
                    .collect();
                cleaned.into_column().with_name(name.clone())
            } else {
                col.clone()
            };
            let as_float = source.cast(&DataType::Float64).map_err(wrap)?;
            let column = if to == ColumnType::Integer {
                // Whole numbers only: 2.5 does not become 2.
                let whole: Int64Chunked = as_float
                    .f64()
                    .map_err(wrap)?
                    .iter()
                    .map(|v| {
                        v.filter(|v| v.fract() == 0.0 && v.abs() < 9.0e15)
                            .map(|v| v as i64)
                    })
                    .collect();
                whole.into_column().with_name(name.clone())
            } else {
                as_float.cast(&dtype).map_err(wrap)?
            };
            (column, None)
        }
        ColumnType::Date => match col.dtype() {
            DataType::Datetime(..) => (col.cast(&DataType::Date).map_err(wrap)?, None),
            _ => {
                let f = format_or_guess(false)?;
                let days: Int32Chunked = before
                    .iter()
                    .map(|v| v.as_deref().and_then(|t| parse_date(t, &f)))
                    .collect();
                let column = days
                    .into_column()
                    .with_name(name.clone())
                    .cast(&DataType::Date)
                    .map_err(wrap)?;
                (column, Some(f))
            }
        },
        ColumnType::Datetime => match col.dtype() {
            DataType::Date => (
                col.cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
                    .map_err(wrap)?,
                None,
            ),
            d if d.is_integer() => {
                let ms = epoch_ms(col).map_err(wrap)?;
                (ms, Some("epoch".to_owned()))
            }
            _ => {
                let f = format_or_guess(true)?;
                let ms: Int64Chunked = before
                    .iter()
                    .map(|v| v.as_deref().and_then(|t| parse_datetime(t, &f)))
                    .collect();
                let column = ms
                    .into_column()
                    .with_name(name.clone())
                    .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
                    .map_err(wrap)?;
                (column, Some(f))
            }
        },
        ColumnType::Category => (
            col.cast(&DataType::String)
                .and_then(|c| c.cast(&DataType::from_categories(Categories::global())))
                .map_err(wrap)?,
            None,
        ),
        ColumnType::Boolean => {
            let flags: BooleanChunked = before
                .iter()
                .map(|v| {
                    v.as_deref()
                        .and_then(|t| match t.trim().to_ascii_lowercase().as_str() {
                            "true" | "yes" | "y" | "1" | "t" => Some(true),
                            "false" | "no" | "n" | "0" | "f" => Some(false),
                            _ => None,
                        })
                })
                .collect();
            (flags.into_column().with_name(name.clone()), None)
        }
    };
    let mut failed = 0;
    let mut examples = Vec::new();
    let empty_now = column.is_null();
    for (v, now_empty) in before.iter().zip(empty_now.iter()) {
        let Some(v) = v else { continue };
        if v.trim().is_empty() {
            continue;
        }
        if now_empty.unwrap_or(true) {
            failed += 1;
            if examples.len() < 5 {
                examples.push(v.clone());
            }
        }
    }
    Ok(Converted {
        column,
        failed,
        examples,
        format: used,
    })
}

/// An integer column of epoch seconds or milliseconds (milliseconds when beyond 10¹¹) as a
/// millisecond datetime.
fn epoch_ms(col: &Column) -> PolarsResult<Column> {
    let ints = col.cast(&DataType::Int64)?;
    let ms: Int64Chunked = ints
        .i64()?
        .iter()
        .map(|v| {
            v.map(|v| {
                if v.abs() < 100_000_000_000 {
                    v * 1000
                } else {
                    v
                }
            })
        })
        .collect();
    ms.into_column()
        .with_name(col.name().clone())
        .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
}

/// A name that says the column holds times: a word such as date, time, timestamp or epoch,
/// or a name ending in `_at` (created_at).
fn named_like_time(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with("_at")
        || lower.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
            matches!(
                w,
                "date" | "time" | "timestamp" | "datetime" | "epoch" | "ts"
            )
        })
}

/// Epoch seconds (2001 to 2100) or milliseconds (the same years): every value in range.
fn looks_like_epoch(col: &Column) -> bool {
    let Ok(ints) = col.cast(&DataType::Int64) else {
        return false;
    };
    let Ok(ints) = ints.i64() else { return false };
    let (lo, hi) = (ints.min(), ints.max());
    let (Some(lo), Some(hi)) = (lo, hi) else {
        return false;
    };
    let seconds = 1_000_000_000..4_102_444_800;
    let millis = 1_000_000_000_000..4_102_444_800_000;
    (seconds.contains(&lo) && seconds.contains(&hi))
        || (millis.contains(&lo) && millis.contains(&hi))
}

/// Read text columns whose every value is a date (or date and time) in one of the known forms
/// as dates, and integer columns named like a time whose values are epoch seconds or
/// milliseconds as date-times. Returns a note for each guess a person might read otherwise.
pub fn detect(file: &str, frame: DataFrame) -> DataResult<(DataFrame, Vec<String>)> {
    let mut frame = frame;
    let mut notes = Vec::new();
    let names: Vec<PlSmallStr> = frame.get_column_names_owned();
    for name in names {
        let col = frame
            .column(&name)
            .map_err(|e| DataError::Other(e.to_string()))?;
        let to = match col.dtype() {
            DataType::String => {
                let values = col.str().map_err(|e| DataError::Other(e.to_string()))?;
                let sample: Vec<&str> = values
                    .iter()
                    .flatten()
                    .filter(|t| !t.trim().is_empty())
                    .take(SAMPLE)
                    .collect();
                // Times of day alone, or numbers, are not dates: a date has a letter or a separator.
                if sample.len() < 2
                    || !sample
                        .iter()
                        .all(|t| t.contains(['-', '/', '.', ' ']) && t.len() >= 6)
                {
                    continue;
                }
                if guess_format(&sample, false).is_some() {
                    ColumnType::Date
                } else if guess_format(&sample, true).is_some() {
                    ColumnType::Datetime
                } else {
                    continue;
                }
            }
            d if d.is_integer() && named_like_time(&name) && looks_like_epoch(col) => {
                ColumnType::Datetime
            }
            _ => continue,
        };
        let converted = convert(file, col, to, None)?;
        if converted.failed > 0 {
            continue;
        }
        if let Some(f) = &converted.format {
            if f == "epoch" {
                notes.push(format!(
                    "{file}: column '{name}' read as epoch times (change its type in Schema if it is not)"
                ));
            } else if f == "%m/%d/%Y" {
                notes.push(format!(
                    "{file}: column '{name}' read as month/day/year (change its type in Schema if it is day/month/year)"
                ));
            }
        }
        frame
            .replace(&name, converted.column)
            .map_err(|e| DataError::Other(e.to_string()))?;
    }
    Ok((frame, notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(columns: Vec<Column>) -> DataFrame {
        DataFrame::new_infer_height(columns).unwrap()
    }

    #[test]
    fn written_us_european_and_iso_dates_are_found() {
        let df = frame(vec![
            Column::new(
                "written".into(),
                ["Jan 1 2000", "Feb 1 2000", "Dec 31 2009"],
            ),
            Column::new("us".into(), ["03/15/2021", "12/01/2021", "1/2/2022"]),
            Column::new("eu".into(), ["15/03/2021", "01/12/2021", "31/1/2022"]),
            Column::new("dotted".into(), ["15.03.2021", "01.12.2021", "31.01.2022"]),
            Column::new(
                "stamp".into(),
                [
                    "2021-03-15 10:00:00",
                    "2021-03-15T11:30:05",
                    "2021-03-16 00:00:00",
                ],
            ),
            Column::new("name".into(), ["Jan", "Feb", "Mar"]),
            Column::new("code".into(), ["12-34", "56-78", "9-10"]),
        ]);
        let (df, notes) = detect("t.csv", df).unwrap();
        let dtype = |c: &str| df.column(c).unwrap().dtype().clone();
        assert_eq!(dtype("written"), DataType::Date);
        assert_eq!(dtype("us"), DataType::Date);
        assert_eq!(dtype("eu"), DataType::Date);
        assert_eq!(dtype("dotted"), DataType::Date);
        assert_eq!(dtype("name"), DataType::String);
        assert_eq!(dtype("code"), DataType::String);
        // Mixed 'T' and space: not one format, so it stays text for the user to convert.
        assert_eq!(dtype("stamp"), DataType::String);
        let day = |c: &str, i: usize| df.column(c).unwrap().get(i).unwrap().to_string();
        assert_eq!(day("written", 2), "2009-12-31");
        assert_eq!(day("us", 0), "2021-03-15");
        assert_eq!(day("eu", 2), "2022-01-31");
        assert!(
            notes
                .iter()
                .any(|n| n.contains("'us' read as month/day/year")),
            "{notes:?}"
        );
    }

    #[test]
    fn epoch_columns_named_like_times_become_datetimes() {
        let df = frame(vec![
            Column::new("created_at".into(), [1_600_000_000i64, 1_600_000_060]),
            Column::new("ts_ms".into(), [1_600_000_000_000i64, 1_600_000_060_000]),
            Column::new("amount".into(), [1_600_000_000i64, 1_600_000_060]),
            Column::new("time".into(), [5i64, 6]),
        ]);
        let (df, notes) = detect("t.csv", df).unwrap();
        let dtype = |c: &str| df.column(c).unwrap().dtype().clone();
        let ms = DataType::Datetime(TimeUnit::Milliseconds, None);
        assert_eq!(dtype("created_at"), ms);
        assert_eq!(dtype("ts_ms"), ms);
        assert_eq!(dtype("amount"), DataType::Int64);
        assert_eq!(dtype("time"), DataType::Int64);
        assert_eq!(
            df.column("created_at").unwrap().get(1).unwrap().to_string(),
            df.column("ts_ms").unwrap().get(1).unwrap().to_string()
        );
        assert_eq!(notes.len(), 2, "{notes:?}");
    }

    #[test]
    fn conversions_count_the_rows_that_fail_and_show_them() {
        let text = Column::new(
            "v".into(),
            [Some("1,200"), Some("2.5"), Some("x"), None, Some(" 7 ")],
        );
        let ints = convert("t.csv", &text, ColumnType::Integer, None).unwrap();
        assert_eq!(ints.failed, 2);
        assert_eq!(ints.examples, ["2.5", "x"]);
        assert_eq!(ints.column.get(0).unwrap(), AnyValue::Int64(1200));
        assert_eq!(ints.column.get(4).unwrap(), AnyValue::Int64(7));
        let floats = convert("t.csv", &text, ColumnType::Float, None).unwrap();
        assert_eq!(floats.failed, 1);
        let dates = Column::new("d".into(), ["2021-01-05", "05/01/2021", "soon"]);
        let mixed = convert("t.csv", &dates, ColumnType::Date, Some("%Y-%m-%d")).unwrap();
        assert_eq!(
            (mixed.failed, mixed.examples.clone()),
            (2, vec!["05/01/2021".to_owned(), "soon".to_owned()])
        );
        let none = convert(
            "t.csv",
            &Column::new("d".into(), ["soon", "later"]),
            ColumnType::Date,
            None,
        )
        .err()
        .unwrap()
        .to_string();
        assert_eq!(
            none,
            "t.csv: column 'd': no date format fits its values (e.g. 'soon'); choose one"
        );
        let flags = Column::new("f".into(), ["yes", "No", "maybe"]);
        let b = convert("t.csv", &flags, ColumnType::Boolean, None).unwrap();
        assert_eq!(
            (b.failed, b.column.get(1).unwrap()),
            (1, AnyValue::Boolean(false))
        );
        let cat = convert("t.csv", &flags, ColumnType::Category, None).unwrap();
        assert_eq!(ColumnType::of(cat.column.dtype()), ColumnType::Category);
        assert_eq!(cat.failed, 0);
    }
}
