//! One DTW run of the panel: its inputs (taken from the catalog before the job starts), the
//! job that computes it, and the summary kept in the panel's run history.

use std::sync::Arc;

use anyhow::{Context, Result, bail};

use crate::chart::Chart;
use crate::compute::dtw::{self, Window};
use crate::compute::histogram::histogram;
use crate::compute::{Progress, stats};
use crate::data::{Dataset, series};

/// The pattern, as chosen in the panel.
pub enum PatternSpec {
    Series(String),
    Curve(Arc<Dataset>),
    Typed(String),
}

/// How the series table is laid out.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Layout {
    /// First column names the series, every other column is a time step.
    Wide,
    /// One row per (id, time, value), in these columns.
    Long {
        id: String,
        time: String,
        value: String,
    },
}

/// Everything a run needs, owned, so the job never touches the UI's state.
pub struct RunInputs {
    pub run: u64,
    pub series: Arc<Dataset>,
    pub layout: Layout,
    pub pattern: PatternSpec,
    pub window: f64,
    pub znorm: bool,
}

pub struct RunResult {
    pub run: u64,
    pub dataset: String,
    pub pattern_name: String,
    pub ids: Vec<String>,
    pub series: Vec<Vec<f64>>,
    pub pattern: Vec<f64>,
    pub distances: Vec<f64>,
    pub zscores: Vec<f64>,
    /// Indices sorted by distance, closest first.
    pub order: Vec<usize>,
    pub window: f64,
    pub cells: usize,
    pub znorm: bool,
    pub median: f64,
    /// Histogram of the finite distances with the median marked, made once in the job.
    pub chart: Option<Chart>,
}

/// Numbers typed by a user: separated by commas, semicolons, spaces or new lines.
pub fn parse_typed(text: &str) -> Result<Vec<f64>> {
    let values = text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .with_context(|| format!("typed pattern: '{t}' is not a number"))
        })
        .collect::<Result<Vec<_>>>()?;
    if values.len() < 2 {
        bail!("typed pattern: give at least two numbers");
    }
    Ok(values)
}

/// The table's series (wide layout, first column as id) and the pattern, z-normalised if asked.
pub fn prepare(
    data: &Dataset,
    layout: &Layout,
    pattern: &PatternSpec,
    znorm: bool,
) -> Result<(series::NamedSeries, Vec<f64>, String)> {
    let mut named = match layout {
        Layout::Wide => {
            let id_col = data
                .frame
                .get_column_names()
                .first()
                .map(|c| c.to_string())
                .with_context(|| format!("{}: no columns", data.name))?;
            series::wide(&data.name, &data.frame, &id_col)?
        }
        Layout::Long { id, time, value } => series::long(&data.name, &data.frame, id, time, value)?,
    };
    let (mut values, name) = match pattern {
        PatternSpec::Series(id) => (named.find(&data.name, id)?.to_vec(), id.clone()),
        PatternSpec::Curve(curve) => (
            series::curve(&curve.name, &curve.frame)?,
            curve.name.clone(),
        ),
        PatternSpec::Typed(text) => (parse_typed(text)?, "typed pattern".to_owned()),
    };
    if znorm {
        dtw::znorm(&mut values);
        named.series.iter_mut().for_each(|s| dtw::znorm(s));
    }
    Ok((named, values, name))
}

pub fn compute(inputs: RunInputs, progress: &dyn Progress) -> Result<RunResult> {
    let window = Window::Fraction(inputs.window).validate()?;
    if inputs.series.rows() == 0 {
        bail!("{}: the table has no series", inputs.series.name);
    }
    let (named, pattern, pattern_name) = prepare(
        &inputs.series,
        &inputs.layout,
        &inputs.pattern,
        inputs.znorm,
    )?;
    let distances = dtw::one_against_many(&pattern, &named.series, window, progress)?;
    let zscores = stats::zscores(&distances);
    let mut order: Vec<usize> = (0..distances.len()).collect();
    order.sort_by(|&a, &b| distances[a].total_cmp(&distances[b]));
    let median = stats::quantile(&mut distances.clone(), 0.5);
    let finite: Vec<f64> = distances
        .iter()
        .copied()
        .filter(|d| d.is_finite())
        .collect();
    let chart = histogram(&finite, 30, progress).ok().map(|h| {
        Chart::histogram(format!("DTW distances to {pattern_name}"), "distance", h)
            .with_marker(format!("median {}", crate::format::short(median)), median)
    });
    let length = named
        .series
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .max(pattern.len());
    Ok(RunResult {
        run: inputs.run,
        dataset: inputs.series.name.clone(),
        pattern_name,
        ids: named.ids,
        series: named.series,
        cells: window.cells(length, length),
        pattern,
        distances,
        zscores,
        order,
        window: inputs.window,
        znorm: inputs.znorm,
        median,
        chart,
    })
}

/// What the run history shows of a run.
#[derive(Clone, Debug)]
pub struct RunSummary {
    pub run: u64,
    pub dataset: String,
    pub pattern_name: String,
    pub window: f64,
    pub znorm: bool,
    pub n: usize,
    pub median: f64,
    pub closest: String,
}

impl RunSummary {
    pub fn of(r: &RunResult) -> Self {
        Self {
            run: r.run,
            dataset: r.dataset.clone(),
            pattern_name: r.pattern_name.clone(),
            window: r.window,
            znorm: r.znorm,
            n: r.distances.len(),
            median: r.median,
            closest: r
                .order
                .first()
                .map(|&k| r.ids[k].clone())
                .unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_patterns() {
        assert_eq!(
            parse_typed("1, 2;3 4\n5").unwrap(),
            vec![1.0, 2.0, 3.0, 4.0, 5.0]
        );
        assert!(
            parse_typed("1, x")
                .unwrap_err()
                .to_string()
                .contains("'x' is not a number")
        );
        assert!(parse_typed("7").is_err());
    }
}
