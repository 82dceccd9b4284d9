//! Summary statistics per column, as pandas' `describe()` gives them: count, nulls, mean,
//! sample standard deviation (ddof = 1), min, quartiles (linear interpolation), max. Non-numeric
//! columns get count, nulls and the number of distinct values.

use polars::prelude::*;

use super::{Cancelled, Progress, check};

/// One column's summary. Numeric fields are `None` for non-numeric columns.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct ColumnSummary {
    pub column: String,
    pub dtype: String,
    pub count: usize,
    pub nulls: usize,
    pub unique: Option<usize>,
    pub mean: Option<f64>,
    pub std: Option<f64>,
    pub min: Option<f64>,
    pub q25: Option<f64>,
    pub median: Option<f64>,
    pub q75: Option<f64>,
    pub max: Option<f64>,
}

/// Summarise every column of `df`, reporting progress per column.
pub fn summarize(df: &DataFrame, progress: &dyn Progress) -> Result<Vec<ColumnSummary>, Cancelled> {
    let n = df.width().max(1);
    let mut out = Vec::with_capacity(df.width());
    for (i, col) in df.columns().iter().enumerate() {
        check(progress)?;
        progress.report(i as f32 / n as f32, &format!("summarising {}", col.name()));
        out.push(summarize_column(col));
    }
    progress.report(1.0, "done");
    Ok(out)
}

fn summarize_column(col: &Column) -> ColumnSummary {
    let mut s = ColumnSummary {
        column: col.name().to_string(),
        dtype: col.dtype().to_string(),
        nulls: col.null_count(),
        ..Default::default()
    };
    let values = col
        .dtype()
        .is_primitive_numeric()
        .then(|| col.cast(&DataType::Float64).ok())
        .flatten();
    match values {
        Some(f) => {
            let mut v: Vec<f64> = f
                .f64()
                .map(|ca| ca.iter().flatten().filter(|x| !x.is_nan()).collect())
                .unwrap_or_default();
            s.count = v.len();
            if let Some(d) = describe(&mut v) {
                s.mean = Some(d.mean);
                s.std = d.std;
                s.min = Some(d.min);
                s.q25 = Some(d.q25);
                s.median = Some(d.median);
                s.q75 = Some(d.q75);
                s.max = Some(d.max);
            }
        }
        None => {
            s.count = col.len() - s.nulls;
            s.unique = col.n_unique().ok().map(|u| u - usize::from(s.nulls > 0));
        }
    }
    s
}

/// The summaries as a table (one row per column), for display and CSV export.
pub fn summary_frame(rows: &[ColumnSummary]) -> PolarsResult<DataFrame> {
    let f = |get: fn(&ColumnSummary) -> Option<f64>| -> Vec<Option<f64>> {
        rows.iter().map(get).collect()
    };
    DataFrame::new_infer_height(vec![
        Column::new(
            "column".into(),
            rows.iter().map(|r| r.column.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "dtype".into(),
            rows.iter().map(|r| r.dtype.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "count".into(),
            rows.iter().map(|r| r.count as u64).collect::<Vec<_>>(),
        ),
        Column::new(
            "nulls".into(),
            rows.iter().map(|r| r.nulls as u64).collect::<Vec<_>>(),
        ),
        Column::new(
            "unique".into(),
            rows.iter()
                .map(|r| r.unique.map(|u| u as u64))
                .collect::<Vec<_>>(),
        ),
        Column::new("mean".into(), f(|r| r.mean)),
        Column::new("std".into(), f(|r| r.std)),
        Column::new("min".into(), f(|r| r.min)),
        Column::new("25%".into(), f(|r| r.q25)),
        Column::new("50%".into(), f(|r| r.median)),
        Column::new("75%".into(), f(|r| r.q75)),
        Column::new("max".into(), f(|r| r.max)),
    ])
}

/// The numbers of a numeric summary.
#[derive(Clone, Debug, PartialEq)]
pub struct Describe {
    pub mean: f64,
    pub std: Option<f64>,
    pub min: f64,
    pub q25: f64,
    pub median: f64,
    pub q75: f64,
    pub max: f64,
}

/// Describe finite values; reorders `values` (selection, not a full sort). `None` when empty.
pub fn describe(values: &mut [f64]) -> Option<Describe> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    // Two-pass mean and variance for accuracy.
    let mean = values.iter().sum::<f64>() / n as f64;
    let std = (n > 1).then(|| {
        let ss: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
        (ss / (n - 1) as f64).sqrt()
    });
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some(Describe {
        mean,
        std,
        min,
        q25: quantile(values, 0.25),
        median: quantile(values, 0.5),
        q75: quantile(values, 0.75),
        max,
    })
}

/// Z-scores with the population standard deviation (scipy.stats.zscore's default, ddof = 0);
/// all zeros when the values do not vary. Only finite values enter the mean and the deviation
/// (computed in units of the largest, so values near f64::MAX do not overflow them); an
/// infinite value's z-score is infinite, a NaN's is NaN.
pub fn zscores(values: &[f64]) -> Vec<f64> {
    let finite = values.iter().filter(|v| v.is_finite());
    let scale = finite.clone().fold(0.0f64, |a, v| a.max(v.abs()));
    let scale = if scale > 0.0 { scale } else { 1.0 };
    let n = finite.clone().count().max(1) as f64;
    let mean = finite.clone().map(|v| v / scale).sum::<f64>() / n;
    let sd = (finite.map(|v| (v / scale - mean).powi(2)).sum::<f64>() / n).sqrt();
    values
        .iter()
        .map(|&v| match v {
            v if v.is_finite() && sd > 0.0 => (v / scale - mean) / sd,
            v if v.is_finite() => 0.0,
            v => v,
        })
        .collect()
}

/// numpy's default ("linear") quantile of finite values, by selection; NaN when empty.
pub(crate) fn quantile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let pos = q * (values.len() - 1) as f64;
    let k = pos.floor() as usize;
    let frac = pos - k as f64;
    let (_, &mut lo, rest) = values.select_nth_unstable_by(k, f64::total_cmp);
    if frac == 0.0 || rest.is_empty() {
        return lo;
    }
    let hi = rest.iter().copied().fold(f64::INFINITY, f64::min);
    lo + (hi - lo) * frac
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::NoProgress;

    fn sorted_quantile(v: &[f64], q: f64) -> f64 {
        let mut s = v.to_vec();
        s.sort_by(f64::total_cmp);
        let pos = q * (s.len() - 1) as f64;
        let (k, f) = (pos.floor() as usize, pos.fract());
        if k + 1 < s.len() {
            s[k] + (s[k + 1] - s[k]) * f
        } else {
            s[k]
        }
    }

    #[test]
    fn quantiles_match_a_full_sort() {
        for n in [1usize, 2, 3, 4, 5, 10, 101, 1000] {
            let v: Vec<f64> = (0..n).map(|i| ((i * 37 + 11) % 97) as f64 * 0.5).collect();
            for q in [0.0, 0.25, 0.5, 0.75, 1.0] {
                let got = quantile(&mut v.clone(), q);
                assert!((got - sorted_quantile(&v, q)).abs() < 1e-12, "n={n} q={q}");
            }
        }
    }

    #[test]
    fn zscores_like_scipy() {
        // scipy.stats.zscore([1, 2, 3, 4]) = [-1.3416, -0.4472, 0.4472, 1.3416]
        let z = zscores(&[1.0, 2.0, 3.0, 4.0]);
        let want = [
            -1.3416407864998738,
            -0.4472135954999579,
            0.4472135954999579,
            1.3416407864998738,
        ];
        for (a, b) in z.iter().zip(want) {
            assert!((a - b).abs() < 1e-12);
        }
        assert_eq!(zscores(&[2.0, 2.0]), vec![0.0, 0.0]);
        // One huge or infinite value does not flatten the others.
        let z = zscores(&[1.0, 2.0, 3.0, f64::INFINITY]);
        assert!((z[0] + 1.224_744_871_391_589).abs() < 1e-12, "{z:?}");
        assert_eq!(z[3], f64::INFINITY);
        let z = zscores(&[1e308, -1e308, 0.0]);
        assert!((z[0] - 1.224_744_871_391_589).abs() < 1e-12, "{z:?}");
    }

    #[test]
    fn pandas_describe_example() {
        // pandas.Series([1, 2, 3, 4, 10]).describe():
        // mean 4.0, std 3.535534, min 1, 25% 2, 50% 3, 75% 4, max 10
        let d = describe(&mut [1.0, 2.0, 3.0, 4.0, 10.0]).unwrap();
        assert_eq!(d.mean, 4.0);
        assert!((d.std.unwrap() - 3.5355339059327378).abs() < 1e-12);
        assert_eq!(
            (d.min, d.q25, d.median, d.q75, d.max),
            (1.0, 2.0, 3.0, 4.0, 10.0)
        );
    }

    #[test]
    fn summarizes_mixed_frame() {
        let df = df!(
            "x" => [Some(1.0), None, Some(3.0), Some(f64::NAN)],
            "s" => [Some("a"), Some("b"), None, Some("a")],
        )
        .unwrap();
        let s = summarize(&df, &NoProgress).unwrap();
        assert_eq!(s[0].count, 2);
        assert_eq!(s[0].nulls, 1);
        assert_eq!(s[0].mean, Some(2.0));
        assert_eq!(s[1].count, 3);
        assert_eq!(s[1].unique, Some(2));
        assert_eq!(s[1].mean, None);
    }
}
