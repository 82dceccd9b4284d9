//! Tables from JSON: an array of objects, or one object per line (newline-delimited JSON, as
//! streams and APIs write them). A column per key, typed as GeoJSON properties are; objects
//! inside a record are flattened into `a.b.c` columns, as pandas' `json_normalize` names them
//! (a feed that nests a pitch's measurements under `pitch` gives `pitch.release_spin_rate`).

use polars::prelude::*;

use super::{DataError, DataResult};

/// A record with every object inside it flattened: `{"pitch": {"speed": 95}}` becomes
/// `{"pitch.speed": 95}` (lists are values, kept whole). serde_json's parser already bounds how
/// deep a record may nest (128 levels).
fn flattened(
    row: serde_json::Map<String, serde_json::Value>,
) -> serde_json::Map<String, serde_json::Value> {
    if !row.values().any(serde_json::Value::is_object) {
        return row;
    }
    let mut out = serde_json::Map::new();
    let mut stack: Vec<(String, serde_json::Map<String, serde_json::Value>)> =
        vec![(String::new(), row)];
    while let Some((prefix, map)) = stack.pop() {
        for (k, v) in map {
            let key = if prefix.is_empty() {
                k
            } else {
                format!("{prefix}.{k}")
            };
            match v {
                serde_json::Value::Object(inner) if !inner.is_empty() => stack.push((key, inner)),
                other => {
                    out.insert(key, other);
                }
            }
        }
    }
    out
}

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
    let rows: Vec<serde_json::Map<String, serde_json::Value>> =
        rows.into_iter().map(flattened).collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Nested records flatten to `a.b.c` columns (pandas' json_normalize names).
    #[test]
    fn nested_objects_become_dotted_columns() {
        let text = r#"{"game_pk": 1, "pitch": {"speed": 95.1, "spin": {"rate": 2400}}, "tags": [1, 2]}
{"game_pk": 2, "pitch": {"speed": 93.0, "spin": {"rate": 2300}}, "tags": []}"#;
        let df = json_rows("feed.jsonl", text).unwrap();
        let mut names: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|c| c.to_string())
            .collect();
        names.sort();
        assert_eq!(names, ["game_pk", "pitch.speed", "pitch.spin.rate", "tags"]);
        let rate = df
            .column("pitch.spin.rate")
            .unwrap()
            .cast(&DataType::Float64)
            .unwrap();
        assert_eq!(rate.f64().unwrap().get(1), Some(2300.0));
    }
}
