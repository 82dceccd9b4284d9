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
pub fn not_numeric(file: &str, col: &Column) -> DataError {
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
