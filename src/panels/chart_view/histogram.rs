//! A histogram on screen: bars between edges, the range and count on hover, markers named
//! in a row above.

use egui_plot::{Bar, BarChart, Plot};

use super::{Swatch, bar_color, legend_entries, markers, outline_color, rgb};
use crate::chart::Chart;
use crate::compute::histogram::Histogram;
use crate::theme;

/// Shows `h` in `plot`, with its legend row when it has markers.
pub(super) fn show(ui: &mut egui::Ui, plot: Plot<'_>, chart: &Chart, h: &Histogram) {
    let bars: Vec<Bar> = h
        .counts
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let (a, b) = (h.edges[i], h.edges[i + 1]);
            Bar::new((a + b) / 2.0, n as f64)
                .width(b - a)
                .fill(bar_color())
                .stroke(egui::Stroke::new(1.0, outline_color()))
        })
        .collect();
    let formatter = |bar: &Bar, _: &BarChart| {
        let half = bar.bar_width / 2.0;
        format!(
            "[{}, {})\ncount {}",
            crate::format::short(bar.argument - half),
            crate::format::short(bar.argument + half),
            bar.value
        )
    };
    // A legend only when there is a marker to name (the bars' name is the title), as a
    // row above the plot like the lines charts'.
    histogram_legend(ui, chart);
    plot.show(ui, |p| {
        p.bar_chart(
            BarChart::new(chart.title.clone(), bars)
                .color(bar_color())
                .element_formatter(Box::new(formatter)),
        );
        markers(p, chart);
    });
}

/// A histogram's legend, above the plot: the bars and its markers (a median), when it has
/// markers to name (otherwise the title names the bars).
fn histogram_legend(ui: &mut egui::Ui, chart: &Chart) {
    if chart.markers.is_empty() {
        return;
    }
    let bars = std::iter::once((Swatch::Fill(bar_color()), chart.title.as_str()));
    let markers = chart
        .markers
        .iter()
        .map(|(l, _)| (Swatch::Line(rgb(theme::ACCENT)), l.as_str()));
    legend_entries(ui, bars.chain(markers).collect());
}
