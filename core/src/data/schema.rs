//! Column facts (name, dtype, null count) and checked column access: asking for a column
//! that is missing or of the wrong type gives a `DataError` naming the file and the column.

use polars::prelude::*;

use super::error::{DataError, DataResult};

/// One row of a dataset's schema.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ColumnInfo {
    pub name: String,
    pub dtype: String,
    pub nulls: usize,
    pub numeric: bool,
}

pub fn column_infos(df: &DataFrame) -> Vec<ColumnInfo> {
    df.columns()
        .iter()
        .map(|c| ColumnInfo {
            name: c.name().to_string(),
            dtype: c.dtype().to_string(),
            nulls: c.null_count(),
            numeric: c.dtype().is_primitive_numeric(),
        })
        .collect()
}

/// The named column, or an error listing the columns the file does have.
pub fn column<'a>(file: &str, df: &'a DataFrame, name: &str) -> DataResult<&'a Column> {
    df.column(name).map_err(|_| DataError::ColumnNotFound {
        file: file.to_owned(),
        column: name.to_owned(),
        available: crate::format::name_list(df.get_column_names().iter().map(|n| n.as_str()), 12),
    })
}

/// The non-null values of a numeric column as f64, NaN and infinities included (a histogram
/// leaves them out and counts them).
pub fn numeric_values(file: &str, df: &DataFrame, name: &str) -> DataResult<Vec<f64>> {
    let ca = float_column(file, df, name)?;
    let ca = ca
        .f64()
        .map_err(|e| DataError::Other(format!("{file}: column '{name}': {e}")))?;
    Ok(ca.iter().flatten().collect())
}

/// Why a column that should hold numbers does not, saying what it holds: no rows (a file with
/// only its header), nothing but empty cells, or text, with an example value.
pub(crate) fn not_numeric(file: &str, col: &Column) -> DataError {
    let name = col.name();
    if col.is_empty() {
        return DataError::Other(format!(
            "{file}: column '{name}' has no rows (the file holds only its header)"
        ));
    }
    if col.null_count() == col.len() {
        return DataError::Other(format!("{file}: column '{name}' is empty"));
    }
    let example = col
        .cast(&DataType::String)
        .ok()
        .and_then(|c| {
            c.str().ok().and_then(|s| {
                s.iter()
                    .flatten()
                    .next()
                    .map(|v| crate::format::bounded(v, 20))
            })
        })
        .map_or_else(String::new, |v| format!(" (e.g. '{v}')"));
    DataError::NotNumeric {
        file: file.to_owned(),
        column: name.to_string(),
        dtype: format!("{}{example}", col.dtype()),
    }
}

/// A numeric column cast to f64; an error naming the file and column when it is not numeric.
fn float_column(file: &str, df: &DataFrame, name: &str) -> DataResult<Column> {
    let col = column(file, df, name)?;
    if !col.dtype().is_primitive_numeric() {
        return Err(not_numeric(file, col));
    }
    col.cast(&DataType::Float64)
        .map_err(|e| DataError::Other(format!("{file}: column '{name}': {e}")))
}

/// A numeric column as f64, one value per row (nulls as NaN), for row-aligned computations.
pub fn numeric_rows(file: &str, df: &DataFrame, name: &str) -> DataResult<Vec<f64>> {
    let cast = float_column(file, df, name)?;
    let ca = cast
        .f64()
        .map_err(|e| DataError::Other(format!("{file}: column '{name}': {e}")))?;
    Ok(ca.iter().map(|v| v.unwrap_or(f64::NAN)).collect())
}

/// The names of the numeric columns, in order.
pub fn numeric_columns(df: &DataFrame) -> Vec<String> {
    column_infos(df)
        .into_iter()
        .filter(|c| c.numeric)
        .map(|c| c.name)
        .collect()
}

/// The names of columns that read best as categories: text, booleans and categoricals first,
/// then integer columns (which may be codes), each group in file order.
pub fn categorical_columns(df: &DataFrame) -> Vec<String> {
    let texty = |c: &&Column| {
        matches!(
            c.dtype(),
            DataType::String | DataType::Boolean | DataType::Categorical(..)
        )
    };
    let cols = df.columns();
    cols.iter()
        .filter(texty)
        .chain(cols.iter().filter(|c| c.dtype().is_integer()))
        .map(|c| c.name().to_string())
        .collect()
}

/// One text timestamp as milliseconds since 1970 UTC: ISO 8601 with a space or `T`, with or
/// without seconds, fractions and an offset (`Z`, `+02:00`), a bare date, or Twitter's
/// `Wed Oct 10 20:19:24 +0000 2018`. Times without an offset are read as UTC.
pub(crate) fn parse_timestamp(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(t) {
        return Some(d.timestamp_millis());
    }
    for format in [
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%a %b %d %H:%M:%S %z %Y",
    ] {
        if let Ok(d) = chrono::DateTime::parse_from_str(t, format) {
            return Some(d.timestamp_millis());
        }
    }
    let t = t.strip_suffix('Z').unwrap_or(t);
    for format in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y/%m/%d %H:%M:%S",
    ] {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(t, format) {
            return Some(d.and_utc().timestamp_millis());
        }
    }
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc().timestamp_millis())
}

/// A column of times as milliseconds since 1970 UTC (None where empty): datetimes, dates,
/// numbers (epoch seconds, or milliseconds when larger than 10¹¹) or text `parse_timestamp`
/// reads. An error names the column and an example when any text is not a time.
pub fn timestamps_ms(file: &str, df: &DataFrame, name: &str) -> DataResult<Vec<Option<i64>>> {
    let col = column(file, df, name)?;
    let wrap = |e: PolarsError| DataError::Other(format!("{file}: column '{name}': {e}"));
    match col.dtype() {
        DataType::Datetime(unit, _) => {
            let per_ms = match unit {
                TimeUnit::Milliseconds => 1,
                TimeUnit::Microseconds => 1_000,
                TimeUnit::Nanoseconds => 1_000_000,
            };
            let phys = col.to_physical_repr();
            return Ok(phys
                .i64()
                .map_err(wrap)?
                .iter()
                .map(|v| v.map(|v| v.div_euclid(per_ms)))
                .collect());
        }
        DataType::Date => {
            let phys = col.to_physical_repr();
            return Ok(phys
                .i32()
                .map_err(wrap)?
                .iter()
                .map(|v| v.map(|d| i64::from(d) * 86_400_000))
                .collect());
        }
        dtype if dtype.is_primitive_numeric() => {
            let values = col.cast(&DataType::Float64).map_err(wrap)?;
            return Ok(values
                .f64()
                .map_err(wrap)?
                .iter()
                .map(|v| {
                    v.filter(|v| v.is_finite()).map(|v| {
                        if v.abs() < 1e11 {
                            (v * 1000.0).round() as i64
                        } else {
                            v.round() as i64
                        }
                    })
                })
                .collect());
        }
        _ => {}
    }
    let text = col.cast(&DataType::String).map_err(wrap)?;
    let mut bad = 0usize;
    let mut example = None;
    let out = text
        .str()
        .map_err(wrap)?
        .iter()
        .map(|v| {
            let parsed = v.and_then(parse_timestamp);
            if let (Some(v), None) = (v, parsed)
                && !v.trim().is_empty()
            {
                bad += 1;
                example.get_or_insert_with(|| v.to_owned());
            }
            parsed
        })
        .collect();
    if bad > 0 {
        return Err(DataError::Other(format!(
            "{file}: column '{name}': {bad} values are not times, e.g. '{}' (expected e.g. 2024-03-01 14:05:00)",
            example.unwrap_or_default()
        )));
    }
    Ok(out)
}
