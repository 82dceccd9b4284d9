//! What a chart shows, apart from how it is drawn: the panels draw a `Chart` with egui_plot,
//! the export module renders the same `Chart` to PNG/SVG with plotters or writes its data as a
//! table. No egui here.

use polars::prelude::*;

use crate::compute::histogram::Histogram;
use crate::compute::top_values::TopValues;

/// The kinds of chart the foundation knows; use-case issues add theirs.
#[derive(Clone, Debug, PartialEq)]
pub enum ChartData {
    /// Bars between consecutive edges.
    Histogram(Histogram),
    /// One bar per label.
    Bars {
        labels: Vec<String>,
        values: Vec<f64>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub data: ChartData,
}

impl Chart {
    pub fn histogram(title: impl Into<String>, column: &str, h: Histogram) -> Self {
        Self {
            title: title.into(),
            x_label: column.to_owned(),
            y_label: "count".to_owned(),
            data: ChartData::Histogram(h),
        }
    }

    pub fn top_values(title: impl Into<String>, column: &str, t: &TopValues) -> Self {
        Self {
            title: title.into(),
            x_label: column.to_owned(),
            y_label: "count".to_owned(),
            data: ChartData::Bars {
                labels: t.values.iter().map(|(v, _)| v.clone()).collect(),
                values: t.values.iter().map(|(_, c)| *c as f64).collect(),
            },
        }
    }

    /// The chart's numbers as a table, for CSV/Parquet export.
    pub fn to_frame(&self) -> PolarsResult<DataFrame> {
        match &self.data {
            ChartData::Histogram(h) => {
                let n = h.counts.len();
                DataFrame::new_infer_height(vec![
                    Column::new("bin_start".into(), &h.edges[..n]),
                    Column::new("bin_end".into(), &h.edges[1..]),
                    Column::new("count".into(), &h.counts),
                ])
            }
            ChartData::Bars { labels, values } => {
                let y = self.y_label.as_str().into();
                // Counts stay integers in the CSV.
                let y = if values.iter().all(|v| v.fract() == 0.0 && v.abs() < 9e15) {
                    Column::new(y, values.iter().map(|&v| v as i64).collect::<Vec<_>>())
                } else {
                    Column::new(y, values)
                };
                DataFrame::new_infer_height(vec![
                    Column::new(self.x_label.as_str().into(), labels),
                    y,
                ])
            }
        }
    }
}
