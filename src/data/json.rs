//! Tables from JSON: an array of objects, or one object per line (newline-delimited JSON, as
//! streams and APIs write them). A column per key, typed as GeoJSON properties are.

use polars::prelude::*;

use super::{DataError, DataResult};

/// A JSON object, an array of objects, or one object per line, as a table: a column per key,
/// typed as `data::json_column` types GeoJSON properties.
pub fn json_rows(file: &str, text: &str) -> DataResult<DataFrame> {
    let trimmed = text.trim_start();
    let rows: Vec<serde_json::Map<String, serde_json::Value>> = if trimmed.starts_with('[') {
        let v: Vec<serde_json::Value> = serde_json::from_str(text)
            .map_err(|e| DataError::Other(format!("{file}: malformed JSON: {e}")))?;
        v.into_iter()
            .enumerate()
            .map(|(i, v)| match v {
                serde_json::Value::Object(m) => Ok(m),
                _ => Err(DataError::Other(format!(
                    "{file}: item {} of the array is not an object",
                    i + 1
                ))),
            })
            .collect::<DataResult<_>>()?
    } else {
        let mut rows = Vec::new();
        let stream = serde_json::Deserializer::from_str(text).into_iter::<serde_json::Value>();
        for (i, v) in stream.enumerate() {
            match v.map_err(|e| DataError::Other(format!("{file}: malformed JSON: {e}")))? {
                serde_json::Value::Object(m) => rows.push(m),
                _ => {
                    return Err(DataError::Other(format!(
                        "{file}: value {} is not an object",
                        i + 1
                    )));
                }
            }
        }
        rows
    };
    if rows.is_empty() {
        return Err(DataError::Other(format!(
            "{file}: no rows (an empty file or array)"
        )));
    }
    let mut keys: Vec<&String> = Vec::new();
    for r in &rows {
        for k in r.keys() {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    let columns = keys
        .iter()
        .map(|k| {
            let values: Vec<Option<&serde_json::Value>> = rows
                .iter()
                .map(|r| r.get(*k).filter(|v| !v.is_null()))
                .collect();
            super::json_column(k, &values)
        })
        .collect();
    DataFrame::new_infer_height(columns).map_err(|e| DataError::Other(format!("{file}: {e}")))
}
