//! All pairs: the DTW distance between every two series of a table, the series ordered by
//! hierarchical clustering (average linkage, kodama) so that alike series sit together in the
//! heat map, and the distances as a long table (a, b, distance) or a square one.

use anyhow::{Result, bail};
use polars::prelude::{Column, DataFrame, PolarsResult};
use serde::{Deserialize, Serialize};

use super::{Layout, WarpingBand, read_series};
use crate::chart::Chart;
use crate::compute::dtw::{self, Window};
use crate::compute::{Progress, stats};
use crate::data::Dataset;
use crate::usecases::ParamError;
use crate::usecases::record::{Recordable, metrics};

pub const ID_MATRIX: &str = "dtw-matrix";
/// The most series an all-pairs run takes: 10,000 series are 50 million distances, 400 MB.
pub const MAX_SERIES: usize = 10_000;
/// The heat map's largest side in cells; a larger matrix is drawn as means of blocks of
/// neighbouring series (in the clustered order).
pub const HEAT_CELLS: usize = 120;

/// Every series against every other.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MatrixParams {
    pub layout: Layout,
    /// The wide layout's id column (default: the first column).
    pub id_col: Option<String>,
    /// Z-normalise every series first.
    pub znorm: bool,
    pub band: WarpingBand,
}

/// All-pairs params that passed `check_matrix`: only these can be run.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidMatrixParams {
    params: MatrixParams,
    window: Window,
}

impl ValidMatrixParams {
    pub fn params(&self) -> &MatrixParams {
        &self.params
    }
}

pub fn check_matrix(p: &MatrixParams) -> Result<ValidMatrixParams, ParamError> {
    Ok(ValidMatrixParams {
        params: p.clone(),
        window: p.band.check()?,
    })
}

/// The distances between every two series.
pub struct MatrixOutput {
    pub dataset: String,
    pub ids: Vec<String>,
    /// The upper triangle, row by row: (0,1), (0,2) … (1,2) … (`dtw::condensed_index`).
    pub condensed: Vec<f64>,
    /// The series in the order of the dendrogram's leaves.
    pub order: Vec<usize>,
    pub window: Window,
    pub cells: usize,
    pub median: f64,
    /// Seconds spent on the distances alone.
    pub seconds: f64,
    /// The clustered heat map (`heat_map`), made once: the run store keeps it, the panel,
    /// the CLI and the demo draw or save it.
    pub chart: Chart,
}

pub fn run_matrix(
    valid: &ValidMatrixParams,
    table: &Dataset,
    progress: &dyn Progress,
) -> Result<MatrixOutput> {
    let p = valid.params();
    let window = valid.window.validate()?;
    let mut named = read_series(table, &p.layout, p.id_col.as_deref())?;
    let n = named.series.len();
    if n < 2 {
        bail!("{}: all pairs needs at least two series", table.name);
    }
    if n > MAX_SERIES {
        bail!(
            "{}: {n} series are {} pairs; all pairs takes at most {MAX_SERIES} series (filter the table, or match one pattern against all of them)",
            table.name,
            crate::format::whole(n * (n - 1) / 2)
        );
    }
    if p.znorm {
        named.series.iter_mut().for_each(|s| dtw::znorm(s));
    }
    let started = std::time::Instant::now();
    let condensed = dtw::condensed(&named.series, window, progress)?;
    let seconds = started.elapsed().as_secs_f64();
    progress.report(1.0, "clustering");
    let order = leaf_order(&condensed, n);
    let length = named.series.iter().map(Vec::len).max().unwrap_or(0);
    let median = stats::quantile(&mut condensed.clone(), 0.5);
    let mut out = MatrixOutput {
        dataset: table.name.clone(),
        ids: named.ids,
        condensed,
        order,
        cells: window.cells(length, length),
        window,
        median,
        seconds,
        // Drawn from the finished output, just below.
        chart: Chart::heatmap("", "", "", Vec::new(), Vec::new(), Vec::new()),
    };
    out.chart = out.heat_map();
    Ok(out)
}

/// The leaves of the average-linkage dendrogram, left to right. Distances that are not finite
/// (a series with NaN) count as twice the largest finite one, so those series cluster last.
pub(crate) fn leaf_order(condensed: &[f64], n: usize) -> Vec<usize> {
    if n < 2 {
        return (0..n).collect();
    }
    let far = condensed
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max)
        * 2.0
        + 1.0;
    let mut d: Vec<f64> = condensed
        .iter()
        .map(|&v| if v.is_finite() { v } else { far })
        .collect();
    let dendrogram = kodama::linkage(&mut d, n, kodama::Method::Average);
    let steps = dendrogram.steps();
    let mut order = Vec::with_capacity(n);
    let mut stack = vec![n + steps.len() - 1];
    while let Some(cluster) = stack.pop() {
        if cluster < n {
            order.push(cluster);
        } else {
            let s = &steps[cluster - n];
            stack.push(s.cluster2);
            stack.push(s.cluster1);
        }
    }
    order
}

impl MatrixOutput {
    pub fn distance(&self, i: usize, j: usize) -> f64 {
        match i.cmp(&j) {
            std::cmp::Ordering::Equal => 0.0,
            std::cmp::Ordering::Less => self.condensed[dtw::condensed_index(self.ids.len(), i, j)],
            std::cmp::Ordering::Greater => {
                self.condensed[dtw::condensed_index(self.ids.len(), j, i)]
            }
        }
    }

    /// a,b,distance: every pair once (a before b in the table).
    pub fn long_table(&self) -> PolarsResult<DataFrame> {
        let n = self.ids.len();
        let mut a = Vec::with_capacity(self.condensed.len());
        let mut b = Vec::with_capacity(self.condensed.len());
        for i in 0..n {
            for j in i + 1..n {
                a.push(self.ids[i].as_str());
                b.push(self.ids[j].as_str());
            }
        }
        DataFrame::new_infer_height(vec![
            Column::new("a".into(), a),
            Column::new("b".into(), b),
            Column::new("distance".into(), self.condensed.clone()),
        ])
    }

    /// id, then one column per series, in table order; zeros on the diagonal.
    pub fn square_table(&self) -> PolarsResult<DataFrame> {
        let n = self.ids.len();
        let mut columns = vec![Column::new("id".into(), self.ids.clone())];
        for j in 0..n {
            let values: Vec<f64> = (0..n).map(|i| self.distance(i, j)).collect();
            columns.push(Column::new(self.ids[j].as_str().into(), values));
        }
        DataFrame::new_infer_height(columns)
    }

    /// The heat map in the clustered order; past `HEAT_CELLS` series, each cell is the mean
    /// of a block of neighbouring series (labelled by its first id and its size).
    fn heat_map(&self) -> Chart {
        let n = self.ids.len();
        let per = n.div_ceil(HEAT_CELLS).max(1);
        let blocks: Vec<&[usize]> = self.order.chunks(per).collect();
        let labels: Vec<String> = blocks
            .iter()
            .map(|b| match b {
                [one] => self.ids[*one].clone(),
                _ => format!("{} and {} more", self.ids[b[0]], b.len() - 1),
            })
            .collect();
        let mut values = Vec::with_capacity(blocks.len() * blocks.len());
        for r in &blocks {
            for c in &blocks {
                let (mut sum, mut count) = (0.0, 0usize);
                for &i in *r {
                    for &j in *c {
                        let v = self.distance(i, j);
                        if v.is_finite() {
                            sum += v;
                            count += 1;
                        }
                    }
                }
                values.push(if count > 0 {
                    sum / count as f64
                } else {
                    f64::NAN
                });
            }
        }
        let blocked = if per > 1 {
            format!(
                " (each cell the mean of blocks of {per} neighbouring series, named by the first)"
            )
        } else {
            String::new()
        };
        Chart::heatmap(
            format!(
                "DTW distances between {} series of {}, clustered{blocked}",
                crate::format::whole(n),
                self.dataset
            ),
            "series",
            "DTW distance",
            labels.clone(),
            labels,
            values,
        )
        .with_source(format!(
            "{}; {}; average linkage",
            self.dataset,
            super::band_text(self.window, self.cells)
        ))
    }
}

impl Recordable for MatrixOutput {
    fn charts(&self) -> Vec<Chart> {
        vec![self.chart.clone()]
    }

    fn metrics(&self) -> serde_json::Map<String, serde_json::Value> {
        metrics([
            ("series", self.ids.len() as f64),
            ("pairs", self.condensed.len() as f64),
            ("median_distance", self.median),
            ("band_cells", self.cells as f64),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_of_two_far_groups_sit_together() {
        // Series 0, 2, 4 near 0 and 1, 3, 5 near 100: the order keeps each group contiguous.
        let pos: [f64; 6] = [0.0, 100.0, 1.0, 101.0, 2.0, 102.0];
        let n = pos.len();
        let mut d = Vec::new();
        for i in 0..n {
            for j in i + 1..n {
                d.push((pos[i] - pos[j]).abs());
            }
        }
        let order = leaf_order(&d, n);
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..n).collect::<Vec<_>>());
        let groups: Vec<bool> = order.iter().map(|&k| k % 2 == 1).collect();
        let switches = groups.windows(2).filter(|w| w[0] != w[1]).count();
        assert_eq!(switches, 1, "{order:?}");
    }

    #[test]
    fn non_finite_distances_do_not_break_the_order() {
        let d = vec![1.0, f64::NAN, f64::INFINITY];
        let mut order = leaf_order(&d, 3);
        order.sort_unstable();
        assert_eq!(order, vec![0, 1, 2]);
    }
}
