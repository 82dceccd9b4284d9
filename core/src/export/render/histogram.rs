//! Histograms: bars between consecutive edges, whole-number count ticks, markers named in a legend.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{axes, axis_number, framed, legend, rgb, span_scale};
use crate::chart::Chart;
use crate::compute::histogram::Histogram;
use crate::theme::ChartColors;

/// Draws `h` on `root` under the chart's title and axis names.
pub(super) fn draw<DB: DrawingBackend>(
    chart: &Chart,
    h: &Histogram,
    root: &DrawingArea<DB, Shift>,
) -> Result<(), String> {
    let e = |err: DrawingAreaErrorKind<DB::ErrorType>| err.to_string();
    let colors = ChartColors::LIGHT;
    let (x0, x1) = (h.edges[0], *h.edges.last().unwrap_or(&h.edges[0]));
    // Coordinates divided by `k` (1 unless the range's span overflows), ticks multiplied
    // back: plotters cannot tick -1e308..1e308.
    let k = span_scale(x0, x1);
    let ymax = h.counts.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.05;
    let mut c = framed(root, chart, 50)
        .build_cartesian_2d(x0 / k..x1 / k, 0f64..ymax)
        .map_err(e)?;
    axes(&mut c.configure_mesh(), chart, true)
        .x_label_formatter(&|v| axis_number(v * k))
        // Counts: whole ticks only (a tall bar of 1 would otherwise tick 0.1, 0.2 ...).
        .y_labels(((ymax.floor() as usize) + 1).clamp(2, 10))
        .y_label_formatter(&|v| {
            if v.fract().abs() < 1e-9 {
                format!("{v:.0}")
            } else {
                String::new()
            }
        })
        .draw()
        .map_err(e)?;
    let fill = rgb(colors.bar).filled();
    c.draw_series(h.counts.iter().enumerate().map(|(i, &n)| {
        Rectangle::new(
            [(h.edges[i] / k, 0.0), (h.edges[i + 1] / k, n as f64)],
            fill,
        )
    }))
    .map_err(e)?;
    c.draw_series(h.counts.iter().enumerate().map(|(i, &n)| {
        Rectangle::new(
            [(h.edges[i] / k, 0.0), (h.edges[i + 1] / k, n as f64)],
            rgb(colors.bar_outline).stroke_width(1),
        )
    }))
    .map_err(e)?;
    for (label, x) in &chart.markers {
        let style = rgb(colors.accent).stroke_width(2);
        c.draw_series(std::iter::once(PathElement::new(
            vec![(*x / k, 0.0), (*x / k, ymax)],
            style,
        )))
        .map_err(e)?
        .label(label.as_str())
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
    }
    if !chart.markers.is_empty() {
        legend(&mut c, rgb(colors.grid))?;
    }
    Ok(())
}
