//! The model's inputs, taken from a transactions table: the transaction type as an index into
//! its levels, numeric columns as they are, and the balance changes orgDiff = newbalanceOrig -
//! oldbalanceOrg and destDiff = newbalanceDest - oldbalanceDest. Column-major, one f64 per row.

use anyhow::{Result, bail};
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use crate::data::schema;

/// Which features to build. The default is the book's eight.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureSpec {
    /// A text column indexed by its sorted distinct values (`type`), if any.
    pub type_col: Option<String>,
    /// Numeric columns used as they are.
    pub numeric: Vec<String>,
    /// Add orgDiff and destDiff (needs the four balance columns).
    pub balance_diffs: bool,
}

impl Default for FeatureSpec {
    fn default() -> Self {
        Self {
            type_col: Some("type".into()),
            numeric: [
                "amount",
                "oldbalanceOrg",
                "newbalanceOrig",
                "oldbalanceDest",
                "newbalanceDest",
            ]
            .map(String::from)
            .to_vec(),
            balance_diffs: true,
        }
    }
}

/// Built features: a name and a column of values each.
#[derive(Clone, Debug, Default)]
pub struct Features {
    pub names: Vec<String>,
    pub columns: Vec<Vec<f64>>,
    /// The type column's levels, in index order (empty without a type column).
    pub type_levels: Vec<String>,
}

impl Features {
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, Vec::len)
    }
}

fn numeric(file: &str, df: &DataFrame, name: &str) -> Result<Vec<f64>> {
    let v = schema::numeric_rows(file, df, name)?;
    let bad = v.iter().filter(|x| !x.is_finite()).count();
    if bad > 0 {
        bail!("{file}: column '{name}' has {bad} empty or non-finite values");
    }
    Ok(v)
}

/// Build the features of `spec` from `df`. `levels` fixes the type column's levels (a saved
/// model's); otherwise they are the column's sorted distinct values. An unknown level is an
/// error naming it.
pub fn build(
    file: &str,
    df: &DataFrame,
    spec: &FeatureSpec,
    levels: Option<&[String]>,
) -> Result<Features> {
    let mut f = Features::default();
    if let Some(tc) = &spec.type_col {
        let col = schema::column(file, df, tc)?.cast(&DataType::String)?;
        let text = col.str()?;
        let mut lv: Vec<String> = match levels {
            Some(l) => l.to_vec(),
            None => {
                let mut u: Vec<String> =
                    text.unique()?.iter().flatten().map(str::to_owned).collect();
                u.sort();
                u
            }
        };
        lv.dedup();
        let mut idx = Vec::with_capacity(df.height());
        for v in text.iter() {
            let v = v.unwrap_or("");
            match lv.binary_search_by(|l| l.as_str().cmp(v)) {
                Ok(i) => idx.push(i as f64),
                Err(_) => bail!(
                    "{file}: column '{tc}': value '{v}' is not one of the model's types ({})",
                    lv.join(", ")
                ),
            }
        }
        f.names.push(format!("{tc}_index"));
        f.columns.push(idx);
        f.type_levels = lv;
    }
    for name in &spec.numeric {
        f.names.push(name.clone());
        f.columns.push(numeric(file, df, name)?);
    }
    if spec.balance_diffs {
        for (name, new, old) in [
            ("orgDiff", "newbalanceOrig", "oldbalanceOrg"),
            ("destDiff", "newbalanceDest", "oldbalanceDest"),
        ] {
            let (a, b) = (numeric(file, df, new)?, numeric(file, df, old)?);
            f.names.push(name.to_owned());
            f.columns
                .push(a.iter().zip(&b).map(|(a, b)| a - b).collect());
        }
    }
    if f.names.is_empty() {
        bail!("no features chosen");
    }
    Ok(f)
}

/// A 0/1 label column as booleans: integers, floats or booleans; any other value (or an empty
/// cell) is an error naming how many rows and an example.
pub(crate) fn labels_from_column(file: &str, df: &DataFrame, name: &str) -> Result<Vec<bool>> {
    let col = schema::column(file, df, name)?;
    if col.dtype() == &DataType::Boolean {
        let b = col.bool()?;
        if b.null_count() > 0 {
            bail!(
                "{file}: label column '{name}' has {} empty cells",
                b.null_count()
            );
        }
        return Ok(b.iter().map(|v| v.unwrap_or(false)).collect());
    }
    if !col.dtype().is_primitive_numeric() {
        bail!(
            "{file}: label column '{name}' is {}, not 0/1 numbers",
            col.dtype()
        );
    }
    let v = schema::numeric_rows(file, df, name)?;
    let bad: Vec<f64> = v
        .iter()
        .copied()
        .filter(|&x| x != 0.0 && x != 1.0)
        .collect();
    if let Some(first) = bad.first() {
        bail!(
            "{file}: label column '{name}' must hold only 0 and 1; {} rows hold other values, e.g. {}",
            bad.len(),
            if first.is_nan() {
                "an empty cell".to_owned()
            } else {
                first.to_string()
            }
        );
    }
    Ok(v.into_iter().map(|x| x == 1.0).collect())
}
