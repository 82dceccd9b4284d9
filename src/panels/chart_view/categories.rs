//! Charts of categories on screen: one bar, or one box, per label, each named on hover.

use egui_plot::{Bar, BarChart, Plot};

use super::bar_color;
use crate::chart::{BoxStats, Chart};

/// One bar per label.
pub(super) fn bars(
    ui: &mut egui::Ui,
    plot: Plot<'_>,
    chart: &Chart,
    labels: &[String],
    values: &[f64],
) {
    let bars: Vec<Bar> = values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            Bar::new(i as f64, v)
                .width(0.7)
                .fill(bar_color())
                .name(&labels[i])
        })
        .collect();
    let hover_names = labels.to_vec();
    let y_label = chart.y_label.clone();
    category_axis(plot, labels, &chart.x_label).show(ui, |p| {
        p.bar_chart(
            BarChart::new(chart.title.clone(), bars)
                .color(bar_color())
                .element_formatter(Box::new(move |bar, _| {
                    let name = hover_names
                        .get(bar.argument.round() as usize)
                        .cloned()
                        .unwrap_or_default();
                    format!("{name}\n{y_label} {}", crate::format::short(bar.value))
                })),
        );
    });
}

/// One box per label: quartiles, median and whiskers, the counts on hover.
pub(super) fn boxes(
    ui: &mut egui::Ui,
    plot: Plot<'_>,
    chart: &Chart,
    labels: &[String],
    boxes: &[BoxStats],
) {
    let elems: Vec<egui_plot::BoxElem> = boxes
        .iter()
        .enumerate()
        .map(|(i, b)| {
            egui_plot::BoxElem::new(
                i as f64,
                egui_plot::BoxSpread::new(b.low, b.q1, b.median, b.q3, b.high),
            )
            .box_width(0.6)
            .whisker_width(0.3)
            .name(&labels[i])
        })
        .collect();
    let (names, stats, y_label) = (labels.to_vec(), boxes.to_vec(), chart.y_label.clone());
    category_axis(plot, labels, &chart.x_label).show(ui, |p| {
        p.box_plot(
            egui_plot::BoxPlot::new(chart.title.clone(), elems)
                .color(bar_color())
                .element_formatter(Box::new(move |e, _| {
                    let i = e.argument.round() as usize;
                    let (Some(name), Some(b)) = (names.get(i), stats.get(i)) else {
                        return String::new();
                    };
                    let f = crate::format::short;
                    format!(
                        "{name}: {} values of {y_label}\nmedian {}\nquartiles {} to {}\nwhiskers {} to {}\n{} beyond the whiskers",
                        b.n,
                        f(b.median),
                        f(b.q1),
                        f(b.q3),
                        f(b.low),
                        f(b.high),
                        b.outliers
                    )
                })),
        );
    });
}

/// An x axis of categories at 0, 1, 2, ...: marks at whole positions only (every one named
/// when there is room, else every 5th), never between where no label belongs. A name needs
/// about its own width, not egui_plot's default 60-80 points, before it shows.
/// Characters of a category's name shown on the axis.
const AXIS_NAME_CHARS: usize = 12;

/// `name` as the axis shows it: cut to `AXIS_NAME_CHARS` with an ellipsis.
fn axis_name(name: &str) -> String {
    if name.chars().count() <= AXIS_NAME_CHARS {
        return name.to_owned();
    }
    let mut cut: String = name.chars().take(AXIS_NAME_CHARS - 1).collect();
    cut.push('…');
    cut
}

fn category_axis<'a>(
    plot: egui_plot::Plot<'a>,
    labels: &[String],
    x_label: &str,
) -> egui_plot::Plot<'a> {
    // Long names are cut on the axis (whole on hover), so that a label fits under each bar
    // rather than one bar in five getting its whole name.
    let names: Vec<String> = labels.iter().map(|l| axis_name(l)).collect();
    let widest = names.iter().map(|l| l.chars().count()).max().unwrap_or(1) as f32;
    let room = 6.5 * widest + 8.0;
    let axis = egui_plot::AxisHints::new_x()
        .label(x_label.to_owned())
        .label_spacing(room..=room + 10.0)
        .formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-9 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        });
    plot.x_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 5.0, 10.0]))
        .custom_x_axes(vec![axis])
}
