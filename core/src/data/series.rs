//! Tables of series for the DTW use case: wide (an id column, then one numeric column per time
//! step, like the UCI weekly sales table `Product_Code, W0 .. W51`) or long (id, time, value).
//! Every problem is an error naming the file, the column or the series.

use std::collections::HashMap;

use polars::prelude::*;

use super::error::{DataError, DataResult};
use super::schema;

/// Named series, in table order.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedSeries {
    pub ids: Vec<String>,
    pub series: Vec<Vec<f64>>,
}

impl NamedSeries {
    pub fn find(&self, file: &str, id: &str) -> DataResult<&[f64]> {
        self.ids
            .iter()
            .position(|x| x == id)
            .map(|k| self.series[k].as_slice())
            .ok_or_else(|| DataError::Other(format!("{file}: no series with id '{id}'")))
    }
}

fn text_values(file: &str, df: &DataFrame, column: &str) -> DataResult<Vec<String>> {
    let col = schema::column(file, df, column)?;
    let s = col
        .cast(&DataType::String)
        .map_err(|e| DataError::Other(format!("{file}: column '{column}': {e}")))?;
    let ca = s
        .str()
        .map_err(|e| DataError::Other(format!("{file}: column '{column}': {e}")))?;
    Ok(ca.iter().map(|v| v.unwrap_or("").to_owned()).collect())
}

fn f64_values(file: &str, df: &DataFrame, column: &str) -> DataResult<Vec<Option<f64>>> {
    let col = schema::column(file, df, column)?;
    if !col.dtype().is_primitive_numeric() {
        return Err(schema::not_numeric(file, col));
    }
    let s = col
        .cast(&DataType::Float64)
        .map_err(|e| DataError::Other(format!("{file}: column '{column}': {e}")))?;
    Ok(s.f64()
        .map_err(|e| DataError::Other(format!("{file}: column '{column}': {e}")))?
        .iter()
        .map(|v| v.filter(|x| x.is_finite()))
        .collect())
}

/// Wide layout: `id_col` names each row; every other column is a time step and must be
/// numeric with no gaps.
pub fn wide(file: &str, df: &DataFrame, id_col: &str) -> DataResult<NamedSeries> {
    let ids = text_values(file, df, id_col)?;
    let steps: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .filter(|n| n != id_col)
        .collect();
    if steps.is_empty() {
        return Err(DataError::Other(format!(
            "{file}: no time-step columns besides '{id_col}'"
        )));
    }
    let columns = steps
        .iter()
        .map(|c| f64_values(file, df, c))
        .collect::<DataResult<Vec<_>>>()?;
    let mut series = Vec::with_capacity(ids.len());
    for (row, id) in ids.iter().enumerate() {
        let values: Vec<Option<f64>> = columns.iter().map(|c| c[row]).collect();
        let missing = values.iter().filter(|v| v.is_none()).count();
        if missing > 0 {
            return Err(DataError::Other(format!(
                "{file}: series '{id}' is ragged: {missing} of {} values missing",
                values.len()
            )));
        }
        series.push(values.into_iter().flatten().collect());
    }
    Ok(NamedSeries { ids, series })
}

/// Labelled wide layout: `label_col` holds each row's class, every other column is a time step.
pub fn labelled(
    file: &str,
    df: &DataFrame,
    label_col: &str,
) -> DataResult<super::ucr::LabelledSeries> {
    let named = wide(file, df, label_col)?;
    if let Some(k) = named.ids.iter().position(String::is_empty) {
        return Err(DataError::Other(format!(
            "{file}: row {} has no label in column '{label_col}'",
            k + 1
        )));
    }
    Ok(super::ucr::LabelledSeries {
        labels: named.ids,
        series: named.series,
    })
}

/// Long layout: one row per (id, time, value); each series is sorted by time.
pub fn long(
    file: &str,
    df: &DataFrame,
    id_col: &str,
    time_col: &str,
    value_col: &str,
) -> DataResult<NamedSeries> {
    let ids = text_values(file, df, id_col)?;
    let time_column = schema::column(file, df, time_col)?;
    let times = time_column
        .cast(&DataType::Float64)
        .or_else(|_| time_column.to_physical_repr().cast(&DataType::Float64))
        .map_err(|e| DataError::Other(format!("{file}: column '{time_col}': {e}")))?;
    let times: Vec<Option<f64>> = times
        .f64()
        .map_err(|e| DataError::Other(format!("{file}: column '{time_col}': {e}")))?
        .iter()
        .collect();
    let values = f64_values(file, df, value_col)?;
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<(f64, f64)>> = HashMap::new();
    for ((id, t), v) in ids.into_iter().zip(times).zip(values) {
        let (Some(t), Some(v)) = (t, v) else {
            return Err(DataError::Other(format!(
                "{file}: series '{id}' has a missing time or value"
            )));
        };
        if !groups.contains_key(&id) {
            order.push(id.clone());
        }
        groups.entry(id).or_default().push((t, v));
    }
    let series = order
        .iter()
        .map(|id| {
            let mut points = groups.remove(id).unwrap_or_default();
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            points.into_iter().map(|(_, v)| v).collect()
        })
        .collect();
    Ok(NamedSeries { ids: order, series })
}

/// A single curve from a table: its last numeric column (e.g. `week,capacity`), without gaps.
pub fn curve(file: &str, df: &DataFrame) -> DataResult<Vec<f64>> {
    // An empty last column would otherwise hand the choice to the column before it.
    if let Some(last) = df.columns().last()
        && df.height() > 0
        && last.null_count() == df.height()
    {
        return Err(DataError::Other(format!(
            "{file}: column '{}', the last, has no values; the pattern is the last numeric column",
            last.name()
        )));
    }
    let Some(name) = schema::numeric_columns(df).pop() else {
        return Err(DataError::Other(format!("{file}: no numeric column")));
    };
    let values = f64_values(file, df, &name)?;
    if values.iter().any(Option::is_none) {
        return Err(DataError::Other(format!(
            "{file}: column '{name}' has missing values"
        )));
    }
    let v: Vec<f64> = values.into_iter().flatten().collect();
    if v.is_empty() {
        return Err(DataError::Other(format!("{file}: the curve is empty")));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_and_long_give_the_same_series() {
        let w = df!("id" => ["a", "b"], "W0" => [1.0, 4.0], "W1" => [2, 5], "W2" => [3.0, 6.0])
            .unwrap();
        let s = wide("w.csv", &w, "id").unwrap();
        assert_eq!(s.ids, vec!["a", "b"]);
        assert_eq!(s.series, vec![vec![1.0, 2.0, 3.0], vec![4.0, 5.0, 6.0]]);
        let l = df!(
            "id" => ["b", "a", "a", "b", "a", "b"],
            "t" => [2, 1, 0, 0, 2, 1],
            "v" => [6.0, 2.0, 1.0, 4.0, 3.0, 5.0]
        )
        .unwrap();
        let s2 = long("l.csv", &l, "id", "t", "v").unwrap();
        assert_eq!(s2.ids, vec!["b", "a"]);
        assert_eq!(s2.series, vec![vec![4.0, 5.0, 6.0], vec![1.0, 2.0, 3.0]]);
    }

    #[test]
    fn bad_tables_name_the_problem() {
        let ragged =
            df!("id" => ["a", "b"], "W0" => [Some(1.0), None], "W1" => [2.0, 3.0]).unwrap();
        let e = wide("r.csv", &ragged, "id").unwrap_err().to_string();
        assert_eq!(e, "r.csv: series 'b' is ragged: 1 of 2 values missing");
        let text = df!("id" => ["a"], "W0" => ["x"]).unwrap();
        let e = wide("t.csv", &text, "id").unwrap_err().to_string();
        assert_eq!(e, "t.csv: column 'W0' is str (e.g. 'x'), not numeric");
        let only_id = df!("id" => ["a"]).unwrap();
        assert!(wide("e.csv", &only_id, "id").is_err());
        let s = wide("w.csv", &df!("id" => ["a"], "W0" => [1.0]).unwrap(), "id").unwrap();
        assert_eq!(
            s.find("w.csv", "zz").unwrap_err().to_string(),
            "w.csv: no series with id 'zz'"
        );
    }
}
